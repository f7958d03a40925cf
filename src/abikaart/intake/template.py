"""The partner template: a services sheet with headers in one language, an instructions sheet, and lists.

The lists (needs, audiences, counties, languages, cost, status) come from the taxonomies, in the template's
language, and back drop-downs on their columns. Cells of terms may hold several values, so their drop-down
only offers (a warning, not a refusal); cost and status take exactly one value.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from abikaart.directory import Directory
from abikaart.intake.columns import CHOICES, COLUMNS, header, strings
from abikaart.models import LANGS

TEMPLATE_ROWS = 500
"""Rows the drop-downs cover: more than any partner's services."""


def file_name(lang: str) -> str:
    return f"abikaart-partner-template-{lang}.xlsx"


def _lists(directory: Directory, lang: str) -> dict[str, list[str]]:
    words = strings(lang)
    lists = {kind: [term.name.get(lang) for term in directory.taxonomies[kind].values()]
             for kind in ("needs", "audiences", "counties", "languages")}
    lists["counties"].insert(0, words["nationwide"])
    for key, options in CHOICES.items():
        lists[key] = [words[f"{key}_{option}"] for option in options]
    return lists


def write_template(directory: Directory, lang: str, out: Path) -> Path:
    """Write the template in `lang` to `out`."""
    words = strings(lang)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = words["sheet_services"]
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(1, index, header(column, lang))
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(index)].width = column.width
        if column.key == "id":
            hint = next(line for line in words["instructions"].splitlines() if line.startswith(words["col_id"]))
            cell.comment = Comment(hint, "abikaart")
    sheet.freeze_panes = "B2"
    instructions = book.create_sheet(words["sheet_instructions"])
    instructions.column_dimensions["A"].width = 140
    instructions.cell(1, 1, words["title"]).font = Font(bold=True, size=14)
    for number, line in enumerate(words["instructions"].splitlines(), start=3):
        instructions.cell(number, 1, line).alignment = Alignment(wrap_text=True, vertical="top")
    _add_lists(book, sheet, directory, lang)
    out.parent.mkdir(parents=True, exist_ok=True)
    book.save(out)
    return out


def write_templates(directory: Directory, out_dir: Path) -> list[Path]:
    """The template in every language, for the site's downloads (linked from the about page)."""
    return [write_template(directory, lang, out_dir / file_name(lang)) for lang in LANGS]


def _add_lists(book: Workbook, sheet: object, directory: Directory, lang: str) -> None:
    words = strings(lang)
    lists_sheet = book.create_sheet(words["sheet_lists"])
    for index, (key, values) in enumerate(_lists(directory, lang).items(), start=1):
        letter = get_column_letter(index)
        lists_sheet.column_dimensions[letter].width = 34
        lists_sheet.cell(1, index, words[f"list_{key}"]).font = Font(bold=True)
        for row, value in enumerate(values, start=2):
            lists_sheet.cell(row, index, value)
        target = next(position for position, column in enumerate(COLUMNS, start=1) if column.key == key)
        reference = f"{quote_sheetname(lists_sheet.title)}!${letter}$2:${letter}${len(values) + 1}"
        single = key in CHOICES
        validation = DataValidation(type="list", formula1=f"={reference}", allow_blank=True,
                                    showErrorMessage=single, errorStyle="stop" if single else "information")
        target_letter = get_column_letter(target)
        validation.add(f"{target_letter}2:{target_letter}{TEMPLATE_ROWS + 1}")
        sheet.add_data_validation(validation)  # type: ignore[attr-defined]

