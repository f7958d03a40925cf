"""Read a partner's .xlsx or .csv into rows of cell values, each knowing its sheet, row and column.

Spreadsheets arrive as people make them: formulas (their saved values are read; a formula never calculated is
refused), merged cells (a value merged down a column applies to every row; merged across columns is refused),
extra sheets (only the template's services sheet is read), CSVs saved as Windows-1257 or -1251 (refused, with
how to save UTF-8), empty rows (skipped) and files that are no spreadsheet at all. Each becomes a `Problem`.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from abikaart.intake.columns import sheet_names, strings
from abikaart.models import LANGS

MAX_ROWS = 20_000
"""More rows than any organisation has services: a sheet this long is a mistake (or a whole column filled)."""
MAX_BYTES = 50_000_000


@dataclass(frozen=True)
class Problem:
    """An error (or warning) at a cell, a row or the file: `file: sheet S, row R, column "C": message (fix)`."""

    file: str
    message: str
    fix: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    level: str = "error"

    def text(self) -> str:
        where = [f"sheet {self.sheet}"] if self.sheet else []
        where += [f"row {self.row}"] if self.row is not None else []
        where += [f'column "{self.column}"'] if self.column else []
        place = f"{self.file}: " + (", ".join(where) + ": " if where else "")
        level = "warning: " if self.level == "warning" else ""
        return f"{place}{level}{self.message}" + (f" ({self.fix})" if self.fix else "")


@dataclass
class Table:
    """The services sheet: its header cells and its data rows (empty ones left out)."""

    file: str
    sheet: str | None
    headers: dict[int, str] = field(default_factory=dict)
    """Column number (1-based) -> the header as written."""
    rows: list[tuple[int, dict[int, Any]]] = field(default_factory=list)
    """(row number as the spreadsheet shows it, column number -> value) for every row with a value."""
    problems: list[Problem] = field(default_factory=list)

    def problem(self, message: str, fix: str | None = None, row: int | None = None,
                column: int | None = None) -> None:
        name = self.headers.get(column) if column is not None else None
        if column is not None and not name:
            name = _letter(column)
        self.problems.append(Problem(self.file, message, fix, self.sheet, row, name))


class Unreadable(Exception):
    """The file cannot be read as a spreadsheet at all: the message says why and what to do."""


def read_table(path: Path) -> Table:
    """The services table of an .xlsx/.xlsm or .csv file; `Unreadable` when it is neither."""
    suffix = path.suffix.lower()
    if path.stat().st_size > MAX_BYTES:
        raise Unreadable(f"{path.name}: the file is larger than {MAX_BYTES // 1_000_000} MB (is it the right file?)")
    if suffix in (".xlsx", ".xlsm"):
        return _read_workbook(path)
    if suffix in (".csv", ".txt"):
        return _read_csv(path)
    if suffix in (".xls", ".ods", ".numbers"):
        raise Unreadable(f"{path.name}: {suffix} files are not read (save it as Excel .xlsx or as CSV UTF-8)")
    raise Unreadable(f"{path.name}: not a spreadsheet (give an .xlsx or .csv file, e.g. the template of "
                     "`abikaart import --template`)")


# Excel ----------------------------------------------------------------------------------------------------


def _letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)


def _open(path: Path, data_only: bool) -> Any:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        return openpyxl.load_workbook(path, data_only=data_only)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, TypeError, EOFError) as exc:
        raise Unreadable(f"{path.name}: not an Excel workbook that can be read ({type(exc).__name__}); save it "
                         "again as Excel .xlsx, or as CSV UTF-8") from None


def _pick_sheet(path: Path, workbook: Any) -> Any:
    """The sheet named as in the template (any language); else the only sheet; else an error listing them."""
    names = sheet_names()
    for sheet in workbook.worksheets:
        if sheet.title.strip() in names:
            return sheet
    others = {strings(lang)[key] for lang in LANGS for key in ("sheet_instructions", "sheet_lists")}
    candidates = [sheet for sheet in workbook.worksheets if sheet.title.strip() not in others]
    if len(candidates) == 1:
        return candidates[0]
    listed = ", ".join(repr(sheet.title) for sheet in workbook.worksheets)
    raise Unreadable(f"{path.name}: no sheet named {' / '.join(names)} among {listed} (rename the sheet "
                     "with the services to 'Teenused', as in the template)")


def _read_workbook(path: Path) -> Table:
    workbook = _open(path, data_only=False)
    sheet = _pick_sheet(path, workbook)
    table = Table(path.name, sheet.title)
    if sheet.max_row > MAX_ROWS + 1:
        raise Unreadable(f"{path.name}: sheet {sheet.title} has {sheet.max_row} rows, more than {MAX_ROWS} "
                         "(delete the empty rows at the end, or split the file)")
    formulas = any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)
    values = _open(path, data_only=True)[sheet.title] if formulas else sheet
    table.headers = {cell.column: str(cell.value).strip() for cell in sheet[1]
                     if cell.value is not None and str(cell.value).strip()}
    fills = _merged_fills(table, sheet)
    for row in sheet.iter_rows():
        number = row[0].row
        cells: dict[int, Any] = {}
        for cell in row:
            shown = values.cell(cell.row, cell.column) if formulas else cell
            value = shown.value
            if shown.data_type == "e":
                cells[cell.column] = _Bad(f"the cell shows the error {value}",
                                          "correct the formula, or type the value instead")
                continue
            if cell.data_type == "f" and value is None:
                cells[cell.column] = _Bad(f"a formula with no saved value ({str(cell.value)[:40]})",
                                          "open the file in a spreadsheet program and save it, or type the value "
                                          "instead")
                continue
            value = fills.get((cell.row, cell.column), value)
            if value is not None and not (isinstance(value, str) and not value.strip()):
                cells[cell.column] = value
        if number == 1:
            table.headers = {column: str(value).strip() for column, value in cells.items()}
            continue
        if cells:
            table.rows.append((number, cells))
    for number, cells in table.rows:
        for column, value in list(cells.items()):
            if isinstance(value, _Bad):
                del cells[column]
                table.problem(value.message, value.fix, row=number, column=column)
    return table


@dataclass(frozen=True)
class _Bad:
    """A cell whose value cannot be known: reported once the header row has named its column."""

    message: str
    fix: str


def _merged_fills(table: Table, sheet: Any) -> dict[tuple[int, int], Any]:
    """Cells of ranges merged down one column get the range's value; ranges across columns are refused."""
    fills: dict[tuple[int, int], Any] = {}
    for merged in sheet.merged_cells.ranges:
        value = sheet.cell(merged.min_row, merged.min_col).value
        if merged.min_col != merged.max_col:
            table.problem(f"cells {merged.coord} are merged across columns",
                          "unmerge them and write each column's value in its own cell",
                          row=merged.min_row, column=merged.min_col)
            continue
        for row in range(merged.min_row, merged.max_row + 1):
            fills[(row, merged.min_col)] = value
    return fills


# CSV ------------------------------------------------------------------------------------------------------

_SAVE_UTF8 = ("save it as 'CSV UTF-8' (Excel: File > Save As > CSV UTF-8; LibreOffice: Save As > Text CSV, "
              "character set Unicode (UTF-8))")


def decode(raw: bytes, name: str) -> str:
    """UTF-8 (with or without a byte-order mark) or UTF-16 with its mark; anything else is refused, never guessed:
    Windows-1257 and -1251 read as each other without error and would turn õ into х."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise Unreadable(f"{name}: the file says it is UTF-16 but is not; {_SAVE_UTF8}") from None
    if b"\x00" in raw[:4096]:
        raise Unreadable(f"{name}: not a text file (it holds zero bytes: UTF-16 without its mark, or a binary "
                         f"file); {_SAVE_UTF8}")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise Unreadable(f"{name}: line {line}: the file is not UTF-8 (byte 0x{raw[exc.start]:02x}; saved as "
                         f"Windows-1257 or -1251?); {_SAVE_UTF8}") from None


def _read_csv(path: Path) -> Table:
    text = decode(path.read_bytes(), path.name)
    if text.startswith("PK\x03\x04"):
        raise Unreadable(f"{path.name}: this is an Excel workbook named .csv (rename it to .xlsx)")
    table = Table(path.name, None)
    sample = text[:8192]
    try:
        dialect: Any = csv.Sniffer().sniff(sample.split("\n", 1)[0] or sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), dialect))
    except csv.Error as exc:
        raise Unreadable(f"{path.name}: not a CSV file that can be read ({exc})") from None
    if len(records) > MAX_ROWS + 1:
        raise Unreadable(f"{path.name}: {len(records)} rows, more than {MAX_ROWS} (split the file)")
    for number, record in enumerate(records, start=1):
        cells = {column: value for column, value in enumerate(record, start=1) if value.strip()}
        if number == 1:
            table.headers = {column: value.strip() for column, value in cells.items()}
        elif cells:
            table.rows.append((number, cells))
    return table


def text_of(value: Any) -> str:
    """A cell as text: a number typed into a phone cell (51234567) or an id column stays its digits."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()
