"""Reading an upload defensively: CSV decoding and separators, XLSX zip-bomb and entity checks,
header normalisation. Turns bytes into a frame of stripped strings or refuses the whole file."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from vendors.importing.spec import (
    EXTENSIONS,
    MAX_COLUMNS,
    MAX_ROWS,
    ImportRefused,
    Kind,
    kind_for,
)

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
    if not frame.empty:
        frame = frame.apply(lambda column: column.str.strip())
        frame = frame[(frame != "").any(axis=1)]
    if frame.empty:
        # The untouched template: nothing to import, which the preview says.
        notices.append(f'"{filename}" has a header but no data rows: there is nothing to import.')
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
    end = text.find("\n")
    first_line = text if end < 0 else text[:end]
    separator = ";" if first_line.count(";") > first_line.count(",") else ","
    # The header is checked before pandas reads it: pandas would spend minutes on a million
    # columns and rename a repeated column to "name.1". Without quotes, counting is exact.
    if first_line.count(separator) >= MAX_COLUMNS and '"' not in first_line:
        _refuse_width(first_line.count(separator) + 1, filename)
    header = next(csv.reader(_lines(text), delimiter=separator), [])
    check_header(header, filename)
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


def _lines(text: str):
    """The text's lines one at a time, so the csv module reads the header without a copy of the
    whole file (a quoted header cell may span lines)."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end + 1
        yield text[start:end]
        start = end


def check_header(cells: list, filename: str) -> None:
    """Refuse a header with too many columns or a repeated column, in time linear in its width."""
    width = len(cells)
    while width and not str(cells[width - 1]).strip():
        width -= 1  # trailing empty headers are formatting, not columns
    if width > MAX_COLUMNS:
        _refuse_width(width, filename)
    positions: dict[str, list[int]] = defaultdict(list)
    for position, cell in enumerate(cells[:width]):
        if key := column_key(cell):
            positions[key].append(position)
    repeated = [
        f"column {key} appears {_times(len(at))} (columns {_letters(at)})"
        for key, at in positions.items()
        if len(at) > 1
    ]
    if repeated:
        raise ImportRefused(
            f'"{filename}": ' + "; ".join(repeated) + ". Keep one of each and delete the others."
        )


def _refuse_width(width: int, filename: str) -> None:
    raise ImportRefused(
        f'"{filename}" has {width:,} columns; an import file may have at most {MAX_COLUMNS}. '
        "Keep the template's columns and delete the others."
    )


def _times(count: int) -> str:
    return "twice" if count == 2 else f"{count} times"


def _letters(positions: list[int]) -> str:
    """[1, 5] -> "B and F": the letters a spreadsheet shows above its columns."""
    letters = [get_column_letter(p + 1) for p in positions]
    return ", ".join(letters[:-1]) + " and " + letters[-1]


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
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except Exception as error:  # openpyxl raises many types for a broken workbook
        raise ImportRefused(
            f'"{filename}" could not be read as an Excel workbook: {error}'
        ) from None
    try:
        return _sheet_frame(book.worksheets[0], filename, max_rows)
    except ImportRefused:
        raise
    except Exception as error:
        raise ImportRefused(
            f'"{filename}" could not be read as an Excel workbook: {error}'
        ) from None
    finally:
        book.close()


def _sheet_frame(sheet, filename: str, max_rows: int) -> pd.DataFrame:
    """The first sheet's rows as text, read one row at a time so that no row wider than the
    column cap is ever kept (the stored dimension of a sheet may be wrong, so it is not trusted)."""
    sheet.reset_dimensions()
    rows = sheet.iter_rows(values_only=True)
    header = [_cell_text(c) for c in _trimmed(next(rows, ()))]
    check_header(header, filename)
    records = []
    for number, row in enumerate(rows, start=2):
        cells = _trimmed(row)
        if len(cells) > MAX_COLUMNS:
            raise ImportRefused(
                f'"{filename}": row {number} has cells up to column '
                f"{get_column_letter(len(cells))}; an import file has at most {MAX_COLUMNS} columns."
            )
        records.append([_cell_text(c) for c in cells])
        if len(records) > max_rows:
            break
    width = max([len(header), *map(len, records)])
    names = [h or f"Unnamed: {i}" for i, h in enumerate(header)]
    names += [f"Unnamed: {i}" for i in range(len(header), width)]
    if not records:
        return pd.DataFrame(columns=names, dtype=str)
    padded = [cells + [""] * (width - len(cells)) for cells in records]
    return pd.DataFrame(padded, columns=names, dtype=object).astype(str)


def _trimmed(row: tuple) -> tuple:
    end = len(row)
    while end and (row[end - 1] is None or row[end - 1] == ""):
        end -= 1
    return row[:end]


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


def _shown_header(name) -> str:
    """A header as the file shows it; pandas calls a column without a header "Unnamed: 4"."""
    if match := re.fullmatch(r"Unnamed: (\d+)", str(name)):
        return f"(no header above cells in column {get_column_letter(int(match[1]) + 1)})"
    return str(name).strip()


def _normalise_columns(frame: pd.DataFrame, spec: Kind, filename: str) -> pd.DataFrame:
    keys = [column_key(c) for c in frame.columns]
    problems = []
    missing = [c for c in spec.required if c not in keys]
    if missing:
        problems.append("missing required column(s): " + ", ".join(missing))
    unknown = [
        _shown_header(original)
        for original, k in zip(frame.columns, keys, strict=True)
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
