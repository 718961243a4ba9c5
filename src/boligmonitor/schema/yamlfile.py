"""Loading YAML files into pydantic models with file, line and field in every error."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from boligmonitor.errors import InputError, Problem

__all__ = ["StrictModel", "is_tag", "decode_utf8", "line_of", "load_yaml_model", "read_yaml"]

M = TypeVar("M", bound=BaseModel)


class StrictModel(BaseModel):
    """Base of every YAML-backed model: unknown keys are errors and instances are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def read_yaml(path: Path) -> tuple[object, yaml.Node | None]:
    """Parse a YAML file safely; return the data and its node tree (for line numbers).

    Raises
    ------
    InputError
        When the file is missing or is not valid YAML.
    """
    if not path.is_file():
        raise InputError.single(path, "file not found")
    text = decode_utf8(path, path.read_bytes())
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        raise InputError.single(path, "not valid YAML: {reason}", row, reason=str(exc)) from exc
    except RecursionError as exc:
        raise InputError.single(path, "nested too deeply to read") from exc
    return data, node


def decode_utf8(path: Path, raw: bytes) -> str:
    """A text file's bytes as UTF-8 (a byte-order mark is dropped).

    Raises
    ------
    InputError
        Naming the line of the first byte that is not UTF-8.
    """
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError.single(path, "the file is not UTF-8 text; save it as UTF-8", line) from exc


def load_yaml_model(path: Path, model: type[M]) -> M:
    """Validate a YAML file against a pydantic model.

    Every validation problem names the file, the line (where it can be found) and the dotted
    field path, e.g. ``criteria.2.threshold``.

    Raises
    ------
    InputError
        Listing every problem.
    """
    data, node = read_yaml(path)
    try:
        return model.model_validate(data)
    except RecursionError as exc:
        raise InputError.single(path, "nested too deeply to read") from exc
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = [part for part in error["loc"] if not is_tag(part)]
            field = ".".join(str(part) for part in loc) or None
            problems.append(Problem(str(path), error["msg"], line_of(node, loc), field))
        raise InputError(problems) from exc


def is_tag(part: object) -> bool:
    """Pydantic adds union/function tags to ``loc``; they are not part of the path."""
    return isinstance(part, str) and ("[" in part or part.startswith("function-"))


def line_of(node: yaml.Node | None, loc: list[int | str]) -> int | None:
    """Follow a field path through the YAML node tree and return its 1-based line."""
    current = node
    for part in loc:
        if isinstance(current, yaml.MappingNode):
            current = next((v for k, v in current.value if k.value == part), None)
        elif isinstance(current, yaml.SequenceNode) and isinstance(part, int):
            current = current.value[part] if part < len(current.value) else None
        else:
            break
        if current is None:
            return None
    return current.start_mark.line + 1 if current is not None else None
