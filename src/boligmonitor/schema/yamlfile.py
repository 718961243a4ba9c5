"""Loading YAML files into pydantic models with file, line and field in every error."""

from __future__ import annotations

import ast
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic_core import ErrorDetails, PydanticCustomError

from boligmonitor.errors import Alternatives, InputError, Problem
from boligmonitor.i18n import N_

__all__ = [
    "Finding",
    "StrictModel",
    "decode_utf8",
    "is_tag",
    "line_of",
    "load_yaml_model",
    "read_yaml",
    "refusal",
    "validation_problem",
]

M = TypeVar("M", bound=BaseModel)
#: libyaml's parser where PyYAML was built with it (the same documents, marks and errors,
#: about ten times faster), else PyYAML's own.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class StrictModel(BaseModel):
    """Base of every YAML-backed model: unknown keys are errors and instances are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


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
        node = yaml.compose(text, Loader=_LOADER)
        data = yaml.load(text, Loader=_LOADER)  # noqa: S506 (a safe loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        if "maximum nesting depth" in str(getattr(exc, "problem", "")):  # libyaml's own limit
            raise InputError.single(path, "nested too deeply to read", row) from exc
        raise InputError.single(path, "not valid YAML: {reason}", row, reason=str(exc)) from exc
    except RecursionError as exc:
        raise InputError.single(path, "nested too deeply to read") from exc
    _refuse_huge_integers(path, node)
    return data, node


def _refuse_huge_integers(path: Path, node: yaml.Node | None) -> None:
    """Whole numbers beyond what a float holds exactly (2**53) are refused where they stand."""
    problems = []
    stack: list[tuple[yaml.Node, str]] = [(node, "")] if node is not None else []
    while stack:
        current, field = stack.pop()
        if isinstance(current, yaml.MappingNode):
            stack.extend(
                (value, f"{field}.{key.value}".lstrip(".")) for key, value in current.value
            )
        elif isinstance(current, yaml.SequenceNode):
            stack.extend((item, f"{field}.{i}".lstrip(".")) for i, item in enumerate(current.value))
        elif current.tag == _INT_TAG and _huge(current.value):
            problems.append(
                Problem(
                    str(path),
                    "'{text}' is too large for a whole number",
                    current.start_mark.line + 1,
                    field or None,
                    {"text": current.value},
                )
            )
    if problems:
        raise InputError(problems)


_INT_TAG = "tag:yaml.org,2002:int"


def _huge(text: str) -> bool:
    """Whether a YAML integer is beyond 2**53 (``safe_load`` reads ``0x``, ``_`` and signs)."""
    return sum(c.isalnum() for c in text) > 15 and abs(int(yaml.safe_load(text))) > 2**53


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
            problems.append(validation_problem(str(path), error, line_of(node, loc), field))
        raise InputError(problems) from exc


@dataclass(frozen=True)
class Finding:
    """A problem found across records, before the file's lines are known.

    Parameters
    ----------
    loc
        The field path, e.g. ``("plans", 1, "departments", 0, "department")``.
    message
        A catalogue msgid with ``{name}`` placeholders.
    params
        The values of the placeholders (a :class:`~boligmonitor.errors.Number` is written the
        reader's way).

    Examples
    --------
    >>> finding = Finding(("plans", 2, "id"), "unknown plan '{plan_id}'", {"plan_id": "x"})
    >>> finding.problem("plans.yaml", 14, finding.path).render("en")
    "plans.yaml, line 14, column 'plans.2.id': unknown plan 'x'"
    """

    loc: tuple[str | int, ...]
    message: str
    params: Mapping[str, object] = field(default_factory=dict, hash=False)

    @property
    def path(self) -> str | None:
        """The dotted field path, ``plans.2.id``."""
        return ".".join(map(str, self.loc)) or None

    def problem(self, file: str, row: int | None, column: str | None) -> Problem:
        """The finding as a :class:`Problem` at a file's row (or line) and column."""
        return Problem(file, self.message, row, column, self.params)


def load_checked_yaml(path: Path, model: type[M], checks: Callable[[M], list[Finding]]) -> M:
    """Validate a YAML file against a pydantic model, then against ``checks`` that span records.

    Raises
    ------
    InputError
        Listing every problem of the first stage that finds any, each with file, line and
        dotted field path.
    """
    parsed = load_yaml_model(path, model)
    findings = checks(parsed)
    if findings:
        _, node = read_yaml(path)
        raise InputError(
            finding.problem(str(path), line_of(node, list(finding.loc), nearest=True), finding.path)
            for finding in findings
        )
    return parsed


#: Pydantic's error types as catalogue msgids (with the values of its ``ctx``); any other type
#: is shown as "invalid value" with pydantic's own (English) words.
_VALIDATION_MESSAGES = {
    "missing": N_("field is required"),
    "extra_forbidden": N_("unknown field"),
    "int_parsing": N_("not a whole number"),
    "int_type": N_("not a whole number"),
    "int_from_float": N_("not a whole number"),
    "float_parsing": N_("not a number"),
    "float_type": N_("not a number"),
    "decimal_parsing": N_("not a number"),
    "decimal_type": N_("not a number"),
    "finite_number": N_("not a finite number"),
    "string_type": N_("not a text"),
    "bool_parsing": N_("not yes/no (true/false)"),
    "bool_type": N_("not yes/no (true/false)"),
    "list_type": N_("not a list"),
    "dict_type": N_("not a mapping (key: value)"),
    "model_type": N_("not a mapping (key: value)"),
    "model_attributes_type": N_("not a mapping (key: value)"),
    "date_from_datetime_parsing": N_("not a date (YYYY-MM-DD)"),
    "date_parsing": N_("not a date (YYYY-MM-DD)"),
    "date_type": N_("not a date (YYYY-MM-DD)"),
    "greater_than": N_("must be greater than {gt}"),
    "greater_than_equal": N_("must be greater than or equal to {ge}"),
    "less_than": N_("must be less than {lt}"),
    "less_than_equal": N_("must be less than or equal to {le}"),
    "literal_error": N_("must be one of {expected}"),
    "enum": N_("must be one of {expected}"),
    "string_too_short": N_("must have at least {min_length} character(s)"),
    "string_too_long": N_("must have at most {max_length} character(s)"),
    "string_pattern_mismatch": N_("must match the pattern {pattern}"),
    "too_short": N_("must have at least {min_length} item(s)"),
    "too_long": N_("must have at most {max_length} item(s)"),
    "listed_twice": N_("criteria listed more than once: {ids}"),
    "unknown_column": N_("'{value}' names no column of the area statistics; known: {known}"),
}


#: The error type of a model's own check worded as a catalogue msgid (see :func:`refusal`).
_CATALOGUE_ERROR = "catalogue_message"


def refusal(msgid: str, /, **params: object) -> PydanticCustomError:
    """A model validator's error as a catalogue msgid and its parameters.

    Raise it where a validator would raise ``ValueError``: :func:`validation_problem` turns it
    into a :class:`Problem` in the user's language (a ``ValueError`` shows its English text).

    Examples
    --------
    >>> error = refusal("target kind '{kind}' needs an 'amount'", kind="fall_pct")
    >>> error.message()
    "target kind 'fall_pct' needs an 'amount'"
    """
    return PydanticCustomError(_CATALOGUE_ERROR, msgid, {"msgid": msgid, **params})


def validation_problem(
    file: str, error: ErrorDetails, row: int | None, field: str | None
) -> Problem:
    """One pydantic validation error as a :class:`Problem` with a catalogue message."""
    if error["type"] == _CATALOGUE_ERROR:
        params = dict(error.get("ctx") or {})
        return Problem(file, str(params.pop("msgid")), row, field, params)
    message = _VALIDATION_MESSAGES.get(error["type"])
    context: dict[str, object] = {k: str(v) for k, v in (error.get("ctx") or {}).items()}
    if "expected" in context:
        context["expected"] = _alternatives(str(context["expected"]))
    if message is None or any(name not in context for name in _placeholders(message)):
        detail = str(error["msg"]).removeprefix("Value error, ")
        return Problem(file, "invalid value: {detail}", row, field, {"detail": detail})
    return Problem(file, message, row, field, context)


def _alternatives(expected: str) -> Alternatives | str:
    """Pydantic's ``'a', 'b' or 'c'`` as :class:`Alternatives`, so that the reader's language
    joins them (the text as it is when it is not such a list)."""
    head, sep, last = expected.rpartition(" or ")
    try:
        values = ast.literal_eval(f"({head}, {last},)") if sep else None
    except (SyntaxError, ValueError):
        values = None
    items = tuple(repr(v) for v in values) if isinstance(values, tuple) else ()
    if not items or f"{', '.join(items[:-1])} or {items[-1]}" != expected:
        return expected
    return Alternatives(items)


def _placeholders(message: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(message) if name]


def is_tag(part: object) -> bool:
    """Pydantic adds union/function tags to ``loc``; they are not part of the path."""
    return isinstance(part, str) and ("[" in part or part.startswith("function-"))


def line_of(node: yaml.Node | None, loc: list[int | str], nearest: bool = False) -> int | None:
    """Follow a field path through the YAML node tree and return its 1-based line.

    A path that leaves the tree gives ``None``, or with ``nearest`` the line of the deepest
    part of the path the file has (a missing field is placed at its record).
    """
    current = node
    for part in loc:
        if isinstance(current, yaml.MappingNode):
            # Keys are YAML text: a year key such as 2011 is found as "2011".
            found = next((v for k, v in current.value if k.value == str(part)), None)
        elif isinstance(current, yaml.SequenceNode) and isinstance(part, int):
            found = current.value[part] if part < len(current.value) else None
        else:
            break
        if found is None:
            return current.start_mark.line + 1 if nearest and current is not node else None
        current = found
    return current.start_mark.line + 1 if current is not None else None
