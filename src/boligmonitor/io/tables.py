"""Reading tabular input files (CSV, Parquet, Excel) as raw text for validation.

Inputs are read without type inference so that validation, not the reader, decides what a
value means and can name the exact row and column of a bad value. CSV files exported from a
Danish Excel use ``;`` as separator and ``,`` as decimal mark and are encoded in Windows-1252;
both dialects and both encodings (UTF-8 with or without a byte-order mark) are accepted.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from boligmonitor.errors import InputError

__all__ = ["TABLE_SUFFIXES", "RawTable", "read_raw_table"]

TABLE_SUFFIXES = (".csv", ".parquet", ".xlsx")


@dataclass(frozen=True)
class RawTable:
    """A table read as text, with the numbers its rows have in the file.

    Attributes
    ----------
    path
        The file it came from.
    frame
        All cells as ``str`` or ``None`` (empty cell); the original headings.
    first_row
        Row number of the frame's first record as the user sees it: 2 for CSV and Excel (the
        header is row 1), 1 for Parquet.
    """

    path: Path
    frame: pd.DataFrame
    first_row: int

    def row_number(self, index: int) -> int:
        """Return the file row number of the record at 0-based position ``index``."""
        return self.first_row + index


def read_raw_table(path: str | Path) -> RawTable:
    """Read a CSV, Parquet or Excel (.xlsx, first sheet) file with every cell as text.

    Parameters
    ----------
    path
        File to read; the suffix decides the format.

    Returns
    -------
    RawTable
        The cells as strings (``None`` where empty).

    Raises
    ------
    InputError
        When the file does not exist, has an unsupported suffix or cannot be parsed.
    """
    file = Path(path)
    if not file.is_file():
        raise InputError.single(file, "file not found")
    suffix = file.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise InputError.single(
            file,
            "unsupported file type '{suffix}'; use one of {value}",
            suffix=suffix,
            value=", ".join(TABLE_SUFFIXES),
        )
    try:
        frame, first_row = _READERS[suffix](file)
    except InputError:
        raise
    except Exception as exc:  # the readers raise many unrelated types on broken files
        raise InputError.single(file, "cannot read file: {exc}", exc=exc) from exc
    frame.columns = [str(c).strip() for c in frame.columns]
    return RawTable(file, _as_text(frame), first_row)


def _read_csv(file: Path) -> tuple[pd.DataFrame, int]:
    text = _decoded(file.read_bytes())
    if not text.strip():
        raise InputError.single(file, "file is empty")
    frame = pd.read_csv(
        io.StringIO(text),
        sep=_sniff_delimiter(text[:8192]),
        dtype=str,
        keep_default_na=False,
        skipinitialspace=True,
    )
    return frame, 2


def _decoded(raw: bytes) -> str:
    """A CSV file's text: UTF-8 (with or without a byte-order mark), else Windows-1252.

    Danish Excel saves "CSV (semikolonsepareret)" in Windows-1252, where æ, ø and å are single
    bytes that are never valid UTF-8; a file that reads as UTF-8 is UTF-8.
    """
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _sniff_delimiter(sample: str) -> str:
    """The separator used most in the header line (Danish Excel writes ``;``)."""
    header = sample.splitlines()[0]
    return max((";", "\t", ","), key=header.count)


def _read_parquet(file: Path) -> tuple[pd.DataFrame, int]:
    return pd.read_parquet(file), 1


def _read_xlsx(file: Path) -> tuple[pd.DataFrame, int]:
    frame = pd.read_excel(file, sheet_name=0, dtype=object, engine="openpyxl")
    return frame, 2


_READERS = {".csv": _read_csv, ".parquet": _read_parquet, ".xlsx": _read_xlsx}


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Turn every cell into a stripped string, or ``None`` when empty or missing."""
    if frame.columns.has_duplicates:
        return pd.DataFrame({name: _cells_as_text(frame[name]) for name in frame.columns})
    return pd.DataFrame({name: _column_as_text(frame[name]) for name in frame.columns})


def _cell_as_text(value: object) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return None
    text = str(value).strip()
    return text or None


def _cells_as_text(cells: Iterable[object]) -> pd.Series:
    """The cells one by one as :func:`_cell_as_text` reads them."""
    return pd.Series([_cell_as_text(v) for v in cells], dtype=object)


#: The characters ``str.strip`` removes (``str.isspace``), as an Arrow regular expression class.
_SPACE = (
    r"[\t-\r\x{1c}-\x{20}\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}"
    r"\x{205f}\x{3000}]"
)
_EDGE_SPACE = f"^{_SPACE}|{_SPACE}$"


def _column_as_text(series: pd.Series) -> pd.Series:
    """A column of text and missing cells at once, else cell by cell (same result).

    Only the cells that begin or end with white space are stripped one by one.
    """
    if isinstance(series.dtype, pd.StringDtype):
        text = pa.array(series.array, type=pa.large_string())
    else:
        values = series.to_numpy(dtype=object)
        if pd.api.types.infer_dtype(values, skipna=True) not in ("string", "empty"):
            return _cells_as_text(series)
        if not all(_is_missing(v) for v in values[pd.isna(values)]):
            return _cells_as_text(series)
        try:
            text = pa.array(values, type=pa.large_string(), from_pandas=True)
        except (pa.ArrowException, UnicodeError):  # text UTF-8 cannot hold (lone surrogates)
            return _cells_as_text(series)
    cells = text.to_numpy(zero_copy_only=False)
    padded = np.asarray(pc.match_substring_regex(text, _EDGE_SPACE).fill_null(False))
    for index in np.flatnonzero(padded).tolist():
        cells[index] = cells[index].strip()
    empty = np.asarray(pc.equal(text, "").fill_null(False)) | padded
    for index in np.flatnonzero(empty).tolist():
        cells[index] = cells[index] or None
    return pd.Series(cells, dtype=object)


def _is_missing(value: object) -> bool:
    return value is None or value is pd.NA or isinstance(value, float)
