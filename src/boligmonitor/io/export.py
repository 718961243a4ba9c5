"""Writing results: JSON, CSV, Excel and Parquet, always atomically.

A result file is first written next to its destination under a temporary name and moved into
place only when complete, so a failure never leaves a half-written file behind.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import orjson
import pandas as pd

from boligmonitor.errors import InputError
from boligmonitor.io.spreadsheet import csv_text, write_frames

__all__ = ["OUTPUT_SUFFIXES", "atomic_path", "check_output", "json_bytes", "write_output"]

OUTPUT_SUFFIXES = (".json", ".csv", ".xlsx", ".parquet")


@contextmanager
def atomic_path(destination: str | Path) -> Iterator[Path]:
    """Yield a temporary path to write to; move it onto ``destination`` on success.

    Examples
    --------
    >>> with atomic_path("out.csv") as tmp:  # doctest: +SKIP
    ...     frame.to_csv(tmp)
    """
    target = Path(destination)
    refuse_unwritable(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=target.suffix, dir=target.parent
        )
    except OSError as exc:
        raise _cannot_write(target, exc) from exc
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp creates 0600; results are shared
        try:
            os.replace(temporary, target)
        except OSError as exc:
            raise _cannot_write(target, exc) from exc
    finally:
        temporary.unlink(missing_ok=True)


def _cannot_write(target: Path, exc: OSError) -> InputError:
    reason = exc.strerror or type(exc).__name__
    return InputError.single(target, "cannot write the file: {reason}", reason=reason)


def refuse_unwritable(target: Path) -> None:
    """Refuse an output path that cannot be written, before any work is done.

    Raises
    ------
    InputError
        When the path is a folder, or its nearest existing folder cannot be written to.
    """
    if target.is_dir():
        raise InputError.single(target, "is a folder, not a file")
    folder = target.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
        raise InputError.single(target, "cannot write to the folder {folder}", folder=str(folder))


def check_output(
    destination: str | Path | None, suffixes: tuple[str, ...] = OUTPUT_SUFFIXES
) -> None:
    """Refuse an output path with an unsupported suffix *before* any work is done.

    Raises
    ------
    InputError
        Naming the path and the supported suffixes.
    """
    if destination is None:
        return
    refuse_unwritable(Path(destination))
    suffix = Path(destination).suffix.lower()
    if suffix not in suffixes:
        raise InputError.single(
            destination,
            "unsupported output type '{suffix}'; use one of {value}",
            suffix=suffix,
            value=", ".join(suffixes),
        )


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_output(
    destination: str | Path, payload: object, frame: pd.DataFrame, sheet_name: str = "Resultater"
) -> Path:
    """Write a result: ``payload`` as JSON, or ``frame`` as CSV, Excel or Parquet.

    Parameters
    ----------
    destination
        File path; its suffix chooses the format (.json, .csv, .xlsx, .parquet).
    payload
        The JSON-serialisable result (used for .json).
    frame
        The flat table of the same result (used for the other formats).
    sheet_name
        Excel sheet name.

    Raises
    ------
    InputError
        When the suffix is not supported (nothing is written).
    """
    target = Path(destination)
    suffix = target.suffix.lower()
    if suffix not in OUTPUT_SUFFIXES:
        raise InputError.single(
            target,
            "unsupported output type '{suffix}'; use one of {value}",
            suffix=suffix,
            value=", ".join(OUTPUT_SUFFIXES),
        )
    with atomic_path(target) as temporary:
        if suffix == ".json":
            temporary.write_bytes(json_bytes(payload))
        elif suffix == ".csv":
            temporary.write_bytes(csv_text(frame).encode("utf-8"))
        elif suffix == ".xlsx":
            write_frames(temporary, {sheet_name: frame})
        else:
            frame.to_parquet(temporary, index=False)
    return target


#: Indented by two spaces; keys that are numbers, booleans or null written as text (as the
#: standard library does); numpy numbers and arrays as numbers; dates and times as ``str``
#: writes them (``2021-12-01 00:00:00``).
_JSON_OPTIONS = (
    orjson.OPT_INDENT_2
    | orjson.OPT_NON_STR_KEYS
    | orjson.OPT_SERIALIZE_NUMPY
    | orjson.OPT_PASSTHROUGH_DATETIME
    | orjson.OPT_PASSTHROUGH_DATACLASS
)


def json_bytes(payload: object) -> bytes:
    """A result as readable, valid JSON in UTF-8: every result file is written by this.

    Indented by two spaces, non-ASCII letters as themselves. A number that is not finite (NaN,
    infinity) and a missing value (``pd.NA``, ``NaT``) are ``null``; numpy numbers are numbers;
    anything else JSON has no type for (dates, ``Decimal``, ``Fraction``, paths, dataclasses)
    is written as its ``str``, enumerations as their value.

    Examples
    --------
    >>> json_bytes({"x": float("nan"), 2021: [1.5]}).decode()
    '{\\n  "x": null,\\n  "2021": [\\n    1.5\\n  ]\\n}'
    """
    try:
        return orjson.dumps(payload, default=_json_value, option=_JSON_OPTIONS)
    except orjson.JSONEncodeError:  # whole numbers beyond 64 bits, nesting beyond 254 levels
        text = json.dumps(_finite(payload), ensure_ascii=False, indent=2, default=_json_value)
        return text.encode("utf-8")


def _json_value(value: object) -> object:
    """What a value JSON has no type for is written as."""
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        item = value.item()
        return None if isinstance(item, float) and not math.isfinite(item) else item
    return str(value)


def _finite(value: object) -> object:
    """``value`` with every float that is not finite replaced by ``None`` (as orjson writes)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value
