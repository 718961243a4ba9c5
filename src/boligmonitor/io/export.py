"""Writing results: JSON, CSV, Excel and Parquet, always atomically.

A result file is first written next to its destination under a temporary name and moved into
place only when complete, so a failure never leaves a half-written file behind.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from boligmonitor.errors import InputError
from boligmonitor.io.spreadsheet import csv_text, write_frames

__all__ = ["OUTPUT_SUFFIXES", "atomic_path", "check_output", "write_output"]

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
            temporary.write_text(
                json.dumps(payload, ensure_ascii=False, indent=2, default=str), encoding="utf-8"
            )
        elif suffix == ".csv":
            temporary.write_bytes(csv_text(frame).encode("utf-8"))
        elif suffix == ".xlsx":
            write_frames(temporary, {sheet_name: frame})
        else:
            frame.to_parquet(temporary, index=False)
    return target
