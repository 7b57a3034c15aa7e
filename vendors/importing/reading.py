"""Reading an upload defensively: CSV decoding and separators, XLSX zip-bomb and entity checks,
header normalisation. Turns bytes into a frame of stripped strings or refuses the whole file."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from vendors.importing.spec import EXTENSIONS, MAX_ROWS, ImportRefused, Kind, kind_for

# Zip-bomb guards for .xlsx: a real workbook has a few dozen parts compressing well under 100x.
MAX_XLSX_ENTRIES = 1_000
MAX_XLSX_UNCOMPRESSED = 300 * 1024 * 1024
MAX_XLSX_RATIO = 200


# --- Reading --------------------------------------------------------------------------------------


@dataclass
class Table:
    kind: Kind
    filename: str
    frame: pd.DataFrame  # str cells, stripped; index = position of the data row (0 = row 2)
    notices: list[str]


def load(data: bytes, filename: str, kind: str, *, max_rows: int = MAX_ROWS) -> Table:
    """Read an uploaded .csv or .xlsx into a frame of strings and check its columns."""
    spec = kind_for(kind)
    suffix = Path(filename).suffix.lower()
    notices: list[str] = []
    if suffix not in EXTENSIONS:
        raise ImportRefused(f'"{filename}" is not a .csv or .xlsx file.')
    if not data:
        raise ImportRefused(f'"{filename}" is empty.')
    if suffix == ".csv":
        frame = _read_csv(data, filename, notices, max_rows)
    else:
        frame = _read_xlsx(data, filename, max_rows)
    if len(frame) > max_rows:
        raise ImportRefused(
            f'"{filename}" has more than {max_rows:,} data rows; split it into smaller files.'
        )
    frame = frame.fillna("")
    # Spreadsheets often carry formatted but empty columns without a header: ignore those.
    unnamed = [c for c in frame.columns if str(c).startswith("Unnamed:") and (frame[c] == "").all()]
    frame = _normalise_columns(frame.drop(columns=unnamed), spec, filename)
    frame = frame.apply(lambda column: column.str.strip())
    frame = frame[(frame != "").any(axis=1)] if len(frame.columns) else frame
    if frame.empty:
        raise ImportRefused(f'"{filename}" has a header but no data rows.')
    return Table(spec, filename, frame, notices)


def _read_csv(data: bytes, filename: str, notices: list[str], max_rows: int) -> pd.DataFrame:
    if data.startswith(b"PK\x03\x04"):
        raise ImportRefused(
            f'"{filename}" is a zip archive (an Excel workbook?), not a CSV text file. '
            "Upload it with the .xlsx extension or save it as CSV."
        )
    if b"\x00" in data:
        raise ImportRefused(
            f'"{filename}" contains NUL bytes, so it is not a UTF-8 text CSV '
            "(UTF-16 or binary?). Save it as “CSV UTF-8”."
        )
    text = _decode(data, filename, notices)
    first_line = text.split("\n", 1)[0]
    separator = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        return pd.read_csv(
            io.StringIO(text),
            sep=separator,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            nrows=max_rows + 1,
        )
    except pd.errors.EmptyDataError:
        raise ImportRefused(f'"{filename}" is empty.') from None
    except (pd.errors.ParserError, csv.Error) as error:
        raise ImportRefused(f'"{filename}" is not a well-formed CSV file: {error}') from None


def _decode(data: bytes, filename: str, notices: list[str]) -> str:
    """UTF-8 with or without BOM; otherwise Latin-1 (Windows-1252) text, said in a notice."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    for encoding in ("cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", text):
            notices.append(
                f'"{filename}" is not UTF-8; it was read as Latin-1 (Windows-1252). '
                "Check accented letters in the preview."
            )
            return text
    raise ImportRefused(f'"{filename}" is neither UTF-8 nor Latin-1 text. Save it as “CSV UTF-8”.')


def _read_xlsx(data: bytes, filename: str, max_rows: int) -> pd.DataFrame:
    check_xlsx(data, filename)
    try:
        frame = pd.read_excel(
            io.BytesIO(data),
            sheet_name=0,
            dtype=object,
            na_filter=False,
            engine="openpyxl",
            nrows=max_rows + 1,
        )
    except Exception as error:  # openpyxl raises many types for a broken workbook
        raise ImportRefused(
            f'"{filename}" could not be read as an Excel workbook: {error}'
        ) from None
    frame.columns = [_cell_text(c) for c in frame.columns]
    return frame.apply(lambda column: column.map(_cell_text)).astype(str)


def check_xlsx(data: bytes, filename: str) -> None:
    """Refuse what is not a plain .xlsx before openpyxl parses it: zip bombs and XML entities."""
    if not data.startswith(b"PK\x03\x04"):
        raise ImportRefused(
            f'"{filename}" is not an Excel .xlsx workbook (it is not a zip archive).'
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError):
        raise ImportRefused(
            f'"{filename}" is a damaged zip archive, not an Excel workbook.'
        ) from None
    if len(entries) > MAX_XLSX_ENTRIES:
        raise ImportRefused(
            f'"{filename}" has {len(entries):,} parts; that is not a normal workbook.'
        )
    if "[Content_Types].xml" not in {entry.filename for entry in entries}:
        raise ImportRefused(f'"{filename}" is a zip archive but not an Excel workbook.')
    if sum(entry.file_size for entry in entries) > MAX_XLSX_UNCOMPRESSED:
        raise ImportRefused(f'"{filename}" expands to more than {MAX_XLSX_UNCOMPRESSED >> 20} MB.')
    for entry in entries:
        ratio = entry.file_size / max(entry.compress_size, 1)
        if entry.file_size > 1024 * 1024 and ratio > MAX_XLSX_RATIO:
            raise ImportRefused(f'"{filename}" is compressed suspiciously well (a zip bomb?).')
    needles = [
        text.encode(encoding)
        for text in ("<!DOCTYPE", "<!ENTITY")
        for encoding in ("utf-8", "utf-16-le", "utf-16-be")
    ]
    for entry in entries:
        if not entry.filename.endswith((".xml", ".rels", ".vml")):
            continue
        with archive.open(entry) as part:
            tail = b""
            while chunk := part.read(1024 * 1024):
                window = tail + chunk
                if any(needle in window for needle in needles):
                    raise ImportRefused(
                        f'"{filename}" contains XML document type declarations, which a workbook '
                        "never needs; refused for safety."
                    )
                tail = window[-32:]


def _cell_text(value) -> str:
    """An Excel cell as the text a person typed: dates as YYYY-MM-DD, 8.0 as 8."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def column_key(name: str) -> str:
    """' Unit Price ' -> 'unit_price'."""
    return re.sub(r"[\s\-]+", "_", str(name).strip().lower())


def _normalise_columns(frame: pd.DataFrame, spec: Kind, filename: str) -> pd.DataFrame:
    keys = [column_key(c) for c in frame.columns]
    problems = []
    duplicates = sorted({k for k in keys if keys.count(k) > 1 and k})
    if duplicates:
        problems.append("duplicate column(s): " + ", ".join(duplicates))
    missing = [c for c in spec.required if c not in keys]
    if missing:
        problems.append("missing required column(s): " + ", ".join(missing))
    unknown = [
        str(original).strip() or f"(empty header in column {i + 1})"
        for i, (original, k) in enumerate(zip(frame.columns, keys, strict=True))
        if k not in spec.names
    ]
    if unknown:
        problems.append(
            "unknown column(s): " + ", ".join(unknown) + f" (expected: {', '.join(spec.names)})"
        )
    if problems:
        raise ImportRefused(f'"{filename}": ' + "; ".join(problems) + ".")
    frame.columns = keys
    return frame
