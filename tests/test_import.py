"""`abikaart import`: a corpus of partner spreadsheets made here with openpyxl (and CSVs), good and bad.

Each bad case asserts the exact `file: sheet S, row R, column "C": message (fix)` line and the exit code; the
good ones that nothing is written without --write, that --write keeps the file's comments and other content,
and that the written directory validates. Phone numbers are built from pieces (tests/test_repo_hygiene.py).
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner, Result

from abikaart.cli import main
from abikaart.directory import load_directory
from abikaart.intake.columns import COLUMNS, header, strings
from abikaart.models import LANGS

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = "+372 5123 " + "4567"
MAIN_LINE = "5123 " + "4567"
NEW_NUMBER = "5123 " + "4571"
OBSOLETE = "612 " + "3000"
UNCONFIRMED = "5123 " + "4590"
SECRET_STREET = "Salajane tänav 13"

ORGANISATION = f"""\
# yaml-language-server: $schema=../../schema/organisation.schema.json
# The test partner: a comment that must survive an import.
id: tugikeskus
name:
  et: Tugikeskus
  ru: Центр поддержки
  en: Support centre
description:
  et: Tugikeskus aitab ohvreid Tartus.
  ru: Центр помогает пострадавшим в Тарту.
  en: The centre helps victims in Tartu.
source: https://tugikeskus.example.ee
verified: 2026-11-25
verified_by: abikaart tests
locations:
  - id: varjupaik
    name: {{et: Varjupaik, ru: Убежище, en: Shelter}}
    confidential: true
    front_door: {{et: Helista 116 006, ru: Звоните 116 006, en: Call 116 006}}
services:
  # The counselling line: keep this comment.
  - id: noustamine
    name:
      et: Nõustamine
      ru: Консультирование
      en: Counselling
    description:
      et: >-
        Nõustamine kuriteoohvritele Tartus,
        kaks rida murtud teksti.
      ru: Консультирование пострадавших от преступлений в Тарту.
      en: Counselling for victims of crime in Tartu.
    needs: [crime]
    audiences: [victims]
    counties: [tartu]
    channels:
      - type: phone
        number: {MAIN_LINE}  # the main line
    hours: Mo-Fr 09:00-17:00; PH off
    source: https://tugikeskus.example.ee/noustamine
    verified: 2026-11-25
    verified_by: abikaart tests
    internal_note: Sisemine märge jääb alles.
  - id: tugigrupp
    name: {{et: Tugigrupp, ru: Группа поддержки, en: Support group}}
    description: {{et: Tugigrupp ohvritele., ru: Группа поддержки для пострадавших., en: A support group for victims.}}
    needs: [crime]
    audiences: [victims]
    counties: [tartu]
    channels:
      - type: in-person
        location: varjupaik
    source: https://tugikeskus.example.ee/grupp
    verified: 2026-11-25
    verified_by: abikaart tests
"""

OTHER = """\
id: teine
name: {et: Teine asutus, ru: Другая организация, en: Another organisation}
description: {et: Teine asutus., ru: Другая организация., en: Another organisation.}
source: https://teine.example.ee
verified: 2026-11-25
verified_by: abikaart tests
services:
  - id: teine-teenus
    name: {et: Teine teenus, ru: Другая услуга, en: Another service}
    description: {et: Teine teenus., ru: Другая услуга., en: Another service.}
    needs: [crime]
    audiences: [victims]
    counties: [nationwide]
    channels:
      - type: email
        email: info@teine.example.ee
    source: https://teine.example.ee/teenus
    verified: 2026-11-25
    verified_by: abikaart tests
"""

NUMBERS = f"""\
obsolete:
  - number: "{OBSOLETE}"
    reason: "closed in 2025 (test)"
    instead: "1247"
unconfirmed:
  - number: "{UNCONFIRMED}"
    reason: "two sources disagree (test)"
"""


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """`tmp/directory`: the real taxonomies, the partner (with comments and a shelter), another organisation."""
    monkeypatch.chdir(tmp_path)
    directory = tmp_path / "directory"
    shutil.copytree(REPO / "directory" / "taxonomies", directory / "taxonomies")
    (directory / "organisations").mkdir()
    (directory / "organisations" / "tugikeskus.yaml").write_text(ORGANISATION, encoding="utf-8")
    (directory / "organisations" / "teine.yaml").write_text(OTHER, encoding="utf-8")
    (directory / "numbers.yaml").write_text(NUMBERS, encoding="utf-8")
    result = load_directory(directory)
    assert result.directory is not None, [problem.text() for problem in result.problems]
    return directory


def org_file(root: Path) -> Path:
    return root / "organisations" / "tugikeskus.yaml"


def cli(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


NEW_ROW = {
    "id": "kriisinoustamine",
    "name_et": "Kriisinõustamine",
    "name_ru": "Кризисное консультирование",
    "name_en": "Crisis counselling",
    "description_et": "Kriisinõustamine ohvritele.",
    "description_ru": "Кризисное консультирование для пострадавших.",
    "description_en": "Crisis counselling for victims.",
    "needs": "Kuriteo ohver",
    "audiences": "Ohvrid",
    "counties": "Tartumaa, Jõgevamaa",
    "languages": "eesti keel, vene keel",
    "phones": NEW_NUMBER,
    "hours": "24/7",
    "cost": "tasuta",
    "source": "https://tugikeskus.example.ee/kriis",
}
CHANGED_ROW = {
    "id": "noustamine",
    "name_et": "Nõustamine",
    "name_ru": "Консультирование",
    "name_en": "Counselling",
    "description_et": "Nõustamine kuriteoohvritele Tartus, kaks rida murtud teksti.",
    "description_ru": "Консультирование пострадавших от преступлений в Тарту.",
    "description_en": "Counselling for victims of crime in Tartu.",
    "needs": "crime",
    "audiences": "victims",
    "counties": "tartu",
    "phones": f"{MAIN_LINE}; {NEW_NUMBER}",
    "hours": "Mo-Fr 09:00-18:00; PH off",
    "source": "https://tugikeskus.example.ee/noustamine",
}
"""The counselling line as it is, but a second number and longer hours; every column filled (a column the
sheet has is the partner's word for the field: an empty cell would clear it)."""


def workbook(path: Path, rows: list[dict[str, Any]], lang: str = "et", title: str | None = None,
             keys: list[str] | None = None) -> Path:
    """A sheet with the headers of `keys` (default: every key any row uses) in `lang`, one row per dict."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title or strings(lang)["sheet_services"]
    used = keys or list(dict.fromkeys(key for row in rows for key in row))
    by_key = {column.key: column for column in COLUMNS}
    for index, key in enumerate(used, start=1):
        sheet.cell(1, index, header(by_key[key], lang) if key in by_key else key)
    for number, row in enumerate(rows, start=2):
        for index, key in enumerate(used, start=1):
            if row.get(key) is not None:
                sheet.cell(number, index, row[key])
    book.save(path)
    return path


def errors_of(result: Result) -> list[str]:
    """The error lines, without warnings and without the closing count."""
    return [line for line in result.stderr.splitlines() if line.startswith("partner.") and "warning:" not in line
            and not re.search(r": \d+ error\(s\): nothing was written$", line)]


# Good sheets -----------------------------------------------------------------------------------------------


def test_no_write_without_write_and_the_change_in_words(root: Path, tmp_path: Path) -> None:
    before = org_file(root).read_bytes()
    sheet = workbook(tmp_path / "partner.xlsx", [NEW_ROW, CHANGED_ROW])
    result = cli("import", str(sheet), "--organisation", "tugikeskus")
    assert result.exit_code == 0, result.output
    assert org_file(root).read_bytes() == before
    assert "uus teenus: Kriisinõustamine" in result.stdout
    assert f"Nõustamine: uus telefon: {NEW_NUMBER}" in result.stdout
    assert "Nõustamine: lahtiolekuaeg muutus" in result.stdout
    assert ("1 new, 1 changed, 0 unchanged service(s); not in the sheet, kept as they are: tugigrupp: nothing "
            "written (give --write") in result.stderr


def test_write_keeps_comments_and_other_content_and_validates(root: Path, tmp_path: Path) -> None:
    before = org_file(root).read_text(encoding="utf-8")
    sheet = workbook(tmp_path / "partner.xlsx", [NEW_ROW, CHANGED_ROW])
    result = cli("import", str(sheet), "--organisation", "tugikeskus", "--write")
    assert result.exit_code == 0, result.output
    after = org_file(root).read_text(encoding="utf-8")
    head = before[:before.index("services:")]
    assert after.startswith(head)  # the organisation's own fields and comments, byte for byte
    unchanged = before[before.index("  - id: tugigrupp"):]
    assert unchanged in after  # a service the sheet did not change, byte for byte
    for kept in ("# The counselling line: keep this comment.", "# the main line",
                 "internal_note: Sisemine märge jääb alles.", "        Nõustamine kuriteoohvritele Tartus,\n"
                 "        kaks rida murtud teksti.\n"):
        assert kept in after
    assert f"number: {NEW_NUMBER}" in after and "hours: Mo-Fr 09:00-18:00; PH off" in after
    loaded = load_directory(root)
    assert loaded.directory is not None, [problem.text() for problem in loaded.problems]
    service = loaded.directory.services["kriisinoustamine"]
    assert service.counties == ["tartu", "jogeva"] and service.languages == ["et", "ru"]
    assert service.cost is not None and service.cost.value == "free"
    assert service.verified_how.value == "confirmed" and service.verified_by == "partner spreadsheet"
    assert cli("validate", str(root)).exit_code == 0
    again = cli("import", str(sheet), "--organisation", "tugikeskus", "--write")
    assert again.exit_code == 0
    assert "0 new, 0 changed, 2 unchanged service(s); not in the sheet, kept as they are: tugigrupp: nothing to " \
        "write" in again.stderr
    assert org_file(root).read_text(encoding="utf-8") == after


def test_partner_confirms_a_contact_marked_to_verify(root: Path, tmp_path: Path) -> None:
    text = org_file(root).read_text(encoding="utf-8")
    marked = "\n        to_verify: old page only\n      - type: email\n        email: info@tugikeskus.example.ee"
    org_file(root).write_text(text.replace("# the main line", marked), "utf-8")
    sheet = workbook(tmp_path / "partner.xlsx", [{"id": "noustamine", "phones": MAIN_LINE}])
    result = cli("import", str(sheet), "--organisation", "tugikeskus", "--write")
    assert result.exit_code == 0, result.output
    assert "telefon" in result.stdout and "kinnitatud" in result.stdout
    after = org_file(root).read_text(encoding="utf-8")
    assert "to_verify" not in after and "email: info@tugikeskus.example.ee" in after  # no e-mail column: kept


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_headers_in_russian_and_english(root: Path, tmp_path: Path, lang: str) -> None:
    row = {**NEW_ROW, "needs": "crime", "audiences": "victims", "counties": "tartu", "languages": "et",
           "cost": strings(lang)["cost_free"]}
    sheet = workbook(tmp_path / "partner.xlsx", [row], lang=lang)
    result = cli("import", str(sheet), "--organisation", "tugikeskus", "--write")
    assert result.exit_code == 0, result.output
    service = load_directory(root).directory.services["kriisinoustamine"]  # type: ignore[union-attr]
    assert service.cost is not None and service.cost.value == "free"


def test_empty_translation_cell_keeps_the_translation_unless_estonian_changed(root: Path, tmp_path: Path) -> None:
    keys = ["id", "name_et", "name_ru", "name_en"]
    same = workbook(tmp_path / "partner.xlsx", [{"id": "noustamine", "name_et": "Nõustamine"}], keys=keys)
    assert "0 changed" in cli("import", str(same), "--organisation", "tugikeskus").stderr
    renamed = workbook(tmp_path / "partner.xlsx", [{"id": "noustamine", "name_et": "Nõustamine Tartus"}], keys=keys)
    result = cli("import", str(renamed), "--organisation", "tugikeskus", "--write")
    assert result.exit_code == 0
    assert ('partner.xlsx: sheet Teenused, row 2, column "Nimi (eesti keeles)": warning: no ru or en translation '
            "(fill in 'Nimi (vene keeles)', 'Nimi (inglise keeles)'; the site shows the Estonian text meanwhile)"
            ) in result.stderr
    assert "Консультирование\n" not in org_file(root).read_text(encoding="utf-8")


# Bad rows: the exact message at the exact cell ------------------------------------------------------------

BAD = [
    ({"phones": "5551" + "234"}, 'row 2, column "Telefon": ' + repr("5551" + "234") + " is not a valid Estonian "
     f"number (expected e.g. {EXAMPLE})"),
    ({"source": "http://tugikeskus.example.ee/kriis"}, 'row 2, column "Veebileht": '
     "'http://tugikeskus.example.ee/kriis' is not https (use 'https://tugikeskus.example.ee/kriis')"),
    ({"needs": "Kuriteo ohver, vagivald"}, 'row 2, column "Abivajadused": unknown needs term \'vagivald\' '
     "(choose a value from the column's drop-down list (the template's sheet of lists))"),
    ({"needs": "Kuriteo ohvr"}, 'row 2, column "Abivajadused": unknown needs '
     "term 'Kuriteo ohvr' (did you mean 'Kuriteo ohver'? or choose a value from the column's drop-down list (the "
     "template's sheet of lists))"),
    ({"phones": OBSOLETE}, f'row 2, column "Telefon": {"+372 " + OBSOLETE!r} is obsolete: closed in 2025 (test) '
     "(give 1247 instead; see numbers.yaml)"),
    ({"phones": UNCONFIRMED}, f'row 2, column "Telefon": {"+372 " + UNCONFIRMED!r} is unconfirmed: two sources '
     "disagree (test) (leave it out of the sheet until it is confirmed; once confirmed, a maintainer removes it "
     "from numbers.yaml's unconfirmed list)"),
    ({"hours": "kogu aeg"}, 'row 2, column "Lahtiolekuajad": '),
    ({"id": "Kriisi Nõustamine"}, 'row 2, column "Teenuse id": \'Kriisi Nõustamine\' is not a valid id (use '
     "lower-case letters, digits and hyphens, e.g. 'kriisi-n-ustamine')"),
    ({"id": "teine-teenus"}, 'row 2, column "Teenuse id": the id \'teine-teenus\' belongs to a service of '
     "'teine' (choose another id for this service)"),
    ({"cost": "odav"}, 'row 2, column "Hind": \'odav\' is not allowed here (use one of: free, paid, partly)'),
    ({"notice_et": "Suletud pühadel", "notice_until": "järgmine nädal"}, 'row 2, column "Teade kehtib kuni": '
     "'järgmine nädal' is not a date (write the date as YYYY-MM-DD, e.g. 2026-11-25)"),
    ({"description_et": None}, 'row 2, column "Kirjeldus (eesti keeles)": Estonian text is missing '
     "(add an 'et:' text)"),
    ({"phones": None, "email": "info@", "hours": None}, 'row 2, column "E-post": \'info@\' is not a valid e-mail'),
]


def test_a_misspelt_term_gets_the_name_in_the_sheets_language(root: Path, tmp_path: Path) -> None:
    sheet = workbook(tmp_path / "partner.xlsx", [{**NEW_ROW, "audiences": "Ohvrid, Lahedased"}])
    result = cli("import", str(sheet), "--organisation", "tugikeskus")
    assert errors_of(result) == ['partner.xlsx: sheet Teenused, row 2, column "Sihtrühmad": unknown audiences term '
                                 "'Lahedased' (did you mean 'Lähedased'? or choose a value from the column's "
                                 "drop-down list (the template's sheet of lists))"]


@pytest.mark.parametrize(("change", "expected"), BAD, ids=[expected.split(":")[0] + str(i)
                                                          for i, (_, expected) in enumerate(BAD)])
def test_bad_cell(root: Path, tmp_path: Path, change: dict[str, Any], expected: str) -> None:
    before = org_file(root).read_bytes()
    sheet = workbook(tmp_path / "partner.xlsx", [{**NEW_ROW, **change}], keys=list(dict.fromkeys([*NEW_ROW, *change])))
    result = cli("import", str(sheet), "--organisation", "tugikeskus", "--write")
    assert result.exit_code == 1, result.output
    errors = errors_of(result)
    assert len(errors) == 1, errors
    assert errors[0].startswith(f"partner.xlsx: sheet Teenused, {expected}"), errors[0]
    assert result.stderr.rstrip().endswith("partner.xlsx: 1 error(s): nothing was written")
    assert org_file(root).read_bytes() == before


def test_confidential_address_refused_by_the_confidential_place_rule(root: Path, tmp_path: Path) -> None:
    row = {**NEW_ROW, "phones": None, "location": "varjupaik",
           "description_et": f"Tugigrupp kogunema aadressil {SECRET_STREET}, Tartu."}
    sheet = workbook(tmp_path / "partner.xlsx", [row])
    result = cli("import", str(sheet), "--organisation", "tugikeskus", "--write")
    assert result.exit_code == 1
    assert errors_of(result) == [
        'partner.xlsx: sheet Teenused, row 2, column "Kirjeldus (eesti keeles)": '
        f"{SECRET_STREET!r} looks like a street address, and this place is confidential (remove it; say how to "
        "reach the place without its address, e.g. through 116 006)"]
    assert SECRET_STREET not in org_file(root).read_text(encoding="utf-8")


def test_every_bad_row_is_reported_with_its_own_row_number(root: Path, tmp_path: Path) -> None:
    rows = [NEW_ROW, {}, {}, {**NEW_ROW, "id": "teine-rida", "phones": "5551" + "234"},
            {**NEW_ROW, "id": "kolmas-rida", "counties": "Tartumaa, Marsimaa"}, {**NEW_ROW, "name_et": "Kordus"}]
    sheet = workbook(tmp_path / "partner.xlsx", rows, keys=list(NEW_ROW))
    result = cli("import", str(sheet), "--organisation", "tugikeskus")
    assert result.exit_code == 1
    assert [line.split(":")[1].strip() for line in errors_of(result)] == [
        'sheet Teenused, row 5, column "Telefon"', 'sheet Teenused, row 6, column "Maakonnad"',
        'sheet Teenused, row 7, column "Teenuse id"']
    assert "the id 'kriisinoustamine' is also on row 2 (give each service one row)" in result.stderr


def test_a_service_in_a_file_of_its_own_is_not_changed(root: Path, tmp_path: Path) -> None:
    own = OTHER.split("services:\n")[1].replace("  - id: teine-teenus", "id: oma-fail").replace("\n    ", "\n")
    (root / "services").mkdir()
    (root / "services" / "oma-fail.yaml").write_text("organisation: tugikeskus\n" + own, encoding="utf-8")
    assert load_directory(root).directory is not None
    sheet = workbook(tmp_path / "partner.xlsx", [{**NEW_ROW, "id": "oma-fail"}])
    result = cli("import", str(sheet), "--organisation", "tugikeskus")
    assert result.exit_code == 1
    assert errors_of(result) == ['partner.xlsx: sheet Teenused, row 2, column "Teenuse id": the service '
                                 "'oma-fail' is kept in directory/services/oma-fail.yaml, not in the organisation's "
                                 "file (edit directory/services/oma-fail.yaml by hand; import changes only the "
                                 "services in the organisation's file)"]


def test_unknown_and_missing_columns(root: Path, tmp_path: Path) -> None:
    sheet = workbook(tmp_path / "partner.xlsx", [{**NEW_ROW, "Märkused": "x"}])
    result = cli("import", str(sheet), "--organisation", "tugikeskus")
    assert result.exit_code == 1
    assert errors_of(result) == ['partner.xlsx: sheet Teenused, row 1, column "Märkused": unknown column '
                                 "'Märkused' (rename it as in the template, or delete the column)"]
    without = {key: value for key, value in NEW_ROW.items() if key != "source"}
    result = cli("import", str(workbook(tmp_path / "partner.xlsx", [without])), "--organisation", "tugikeskus")
    assert result.exit_code == 1
    assert errors_of(result) == ['partner.xlsx: sheet Teenused, row 2, column "Veebileht": required field '
                                 "'source' is missing (add 'source:'; add the column 'Veebileht' (see the template))"]
    no_id = workbook(tmp_path / "partner.xlsx", [{"name_et": "Nimi"}])
    result = cli("import", str(no_id), "--organisation", "tugikeskus")
    assert result.exit_code == 1 and "no column 'Teenuse id'" in result.stderr


# Spreadsheets as people make them --------------------------------------------------------------------------


def test_formula_without_a_saved_value_is_refused_and_with_one_is_read(root: Path, tmp_path: Path) -> None:
    row = {**NEW_ROW, "name_en": '=CONCAT("Crisis ","counselling")'}
    path = workbook(tmp_path / "partner.xlsx", [row])
    result = cli("import", str(path), "--organisation", "tugikeskus")
    assert result.exit_code == 1
    assert errors_of(result) == ['partner.xlsx: sheet Teenused, row 2, column "Nimi (inglise keeles)": a formula '
                                 'with no saved value (=CONCAT("Crisis ","counselling")) (open the file in a '
                                 "spreadsheet program and save it, or type the value instead)"]
    _save_formula_values(path, "#REF!", error=True)
    result = cli("import", str(path), "--organisation", "tugikeskus")
    assert errors_of(result) == ['partner.xlsx: sheet Teenused, row 2, column "Nimi (inglise keeles)": the cell '
                                 "shows the error #REF! (correct the formula, or type the value instead)"]
    path = workbook(tmp_path / "partner.xlsx", [row])
    _save_formula_values(path, "Crisis counselling (saved)")
    result = cli("import", str(path), "--organisation", "tugikeskus", "--write")
    assert result.exit_code == 0, result.output
    assert "en: Crisis counselling (saved)" in org_file(root).read_text(encoding="utf-8")


def _save_formula_values(path: Path, value: str, error: bool = False) -> None:
    """What a spreadsheet program does on saving: keep each formula's last value (or error) beside it."""
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    sheet = members["xl/worksheets/sheet1.xml"].decode()
    sheet, count = re.subn(r'<c r="([A-Z]+\d+)"><f>(.*?)</f><v\s*/?>(?:</v>)?',
                           rf'<c r="\1" t="{"e" if error else "str"}"><f>\2</f><v>{value}</v>', sheet)
    assert count == 1
    members["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def test_merged_cells_down_a_column_apply_to_each_row_and_across_columns_are_refused(root: Path,
                                                                                      tmp_path: Path) -> None:
    second = {**NEW_ROW, "id": "teine-kriis", "counties": None}
    path = workbook(tmp_path / "partner.xlsx", [NEW_ROW, second], keys=list(NEW_ROW))
    book = openpyxl.load_workbook(path)
    sheet = book["Teenused"]
    column = list(NEW_ROW).index("counties") + 1
    sheet.merge_cells(start_row=2, end_row=3, start_column=column, end_column=column)
    book.save(path)
    result = cli("import", str(path), "--organisation", "tugikeskus", "--write")
    assert result.exit_code == 0, result.output
    services = load_directory(root).directory.services  # type: ignore[union-attr]
    assert services["teine-kriis"].counties == services["kriisinoustamine"].counties == ["tartu", "jogeva"]
    sheet.merge_cells(start_row=2, end_row=2, start_column=2, end_column=3)
    book.save(path)
    result = cli("import", str(path), "--organisation", "tugikeskus")
    assert result.exit_code == 1
    assert errors_of(result) == ['partner.xlsx: sheet Teenused, row 2, column "Nimi (eesti keeles)": cells B2:C2 '
                                 "are merged across columns (unmerge them and write each column's value in its own "
                                 "cell)"]


def test_extra_sheets_are_ignored_and_an_unnamed_one_is_found(root: Path, tmp_path: Path) -> None:
    path = workbook(tmp_path / "partner.xlsx", [NEW_ROW])
    book = openpyxl.load_workbook(path)
    notes = book.create_sheet("Märkmed", 0)
    notes["A1"] = "Meie sisemised märkmed"
    book.save(path)
    assert cli("import", str(path), "--organisation", "tugikeskus").exit_code == 0
    book["Teenused"].title = "Leht1"
    book.save(path)
    result = cli("import", str(path), "--organisation", "tugikeskus")
    assert result.exit_code == 1
    assert "partner.xlsx: no sheet named Teenused / Услуги / Services among 'Märkmed', 'Leht1'" in result.stderr
    del book["Märkmed"]
    book.save(path)
    assert cli("import", str(path), "--organisation", "tugikeskus").exit_code == 0


def _csv(rows: list[dict[str, Any]], separator: str = ";") -> str:
    keys = list(dict.fromkeys(key for row in rows for key in row))
    by_key = {column.key: column for column in COLUMNS}
    lines = [separator.join(header(by_key[key], "et") for key in keys)]
    lines += [separator.join(str(row.get(key) or "") for key in keys) for row in rows]
    return "\r\n".join(lines) + "\r\n"


@pytest.mark.parametrize(("encoding", "separator"), [("utf-8", ","), ("utf-8-sig", ";"), ("utf-16", "\t")])
def test_csv_in_unicode(root: Path, tmp_path: Path, encoding: str, separator: str) -> None:
    row = {**NEW_ROW, "counties": "Tartumaa" if separator == "," else NEW_ROW["counties"], "languages": "et"}
    path = tmp_path / "partner.csv"
    path.write_bytes(_csv([row], separator).encode(encoding))
    result = cli("import", str(path), "--organisation", "tugikeskus", "--write")
    assert result.exit_code == 0, result.output
    assert "et: Kriisinõustamine" in org_file(root).read_text(encoding="utf-8")


@pytest.mark.parametrize("encoding", ["cp1257", "cp1251"])
def test_csv_in_a_windows_encoding_is_refused(root: Path, tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "partner.csv"
    path.write_bytes(_csv([NEW_ROW]).encode(encoding, errors="replace"))
    result = cli("import", str(path), "--organisation", "tugikeskus")
    assert result.exit_code == 1
    assert re.match(r"partner\.csv: line \d: the file is not UTF-8 \(byte 0x[0-9a-f]{2}; ", errors_of(result)[0])
    assert "saved as Windows-1257 or -1251?); save it as 'CSV UTF-8'" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize(("name", "content", "message"), [
    ("partner.xlsx", b"id;name\nx;y\n", "partner.xlsx: not an Excel workbook that can be read"),
    ("partner.xlsx", b"PK\x03\x04broken", "partner.xlsx: not an Excel workbook that can be read"),
    ("partner.pdf", b"%PDF-1.4", "partner.pdf: not a spreadsheet (give an .xlsx or .csv file"),
    ("partner.xls", b"\xd0\xcf\x11\xe0", "partner.xls: .xls files are not read (save it as Excel .xlsx"),
    ("partner.csv", b"\x89PNG\r\n\x1a\n\x00\x00", "partner.csv: not a text file"),
])
def test_not_a_spreadsheet(root: Path, tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    result = cli("import", str(path), "--organisation", "tugikeskus")
    assert result.exit_code == 1
    assert result.stderr.startswith(message), result.stderr
    assert "Traceback" not in result.output


@pytest.mark.slow
def test_thousands_of_rows(root: Path, tmp_path: Path) -> None:
    rows = [{**NEW_ROW, "id": f"teenus-{index}", "phones": None, "email": f"t{index}@tugikeskus.example.ee"}
            for index in range(2000)]
    rows[1500]["hours"] = "kogu aeg"
    path = workbook(tmp_path / "partner.xlsx", rows, keys=[*NEW_ROW, "email"])
    result = cli("import", str(path), "--organisation", "tugikeskus")
    assert result.exit_code == 1
    assert [line.split(":")[1].strip() for line in errors_of(result)] == [
        'sheet Teenused, row 1502, column "Lahtiolekuajad"']
    rows[1500]["hours"] = "24/7"
    workbook(path, rows, keys=[*NEW_ROW, "email"])
    result = cli("import", str(path), "--organisation", "tugikeskus", "--write")
    assert result.exit_code == 0, result.output
    assert "2000 new, 0 changed" in result.stderr
    assert len(load_directory(root).directory.services) == 2003  # type: ignore[union-attr]


def test_usage_errors_exit_2(root: Path, tmp_path: Path) -> None:
    sheet = workbook(tmp_path / "partner.xlsx", [NEW_ROW])
    unknown = cli("import", str(sheet), "--organisation", "tugikeskas")
    assert unknown.exit_code == 2 and "no organisation 'tugikeskas'" in unknown.stderr
    assert "did you mean 'tugikeskus'?" in unknown.stderr
    assert cli("import", str(sheet)).exit_code == 2
    assert cli("import", "--template").exit_code == 2
    assert cli("import", str(tmp_path / "missing.xlsx"), "--organisation", "tugikeskus").exit_code == 2


# The template ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_template_round_trip(root: Path, tmp_path: Path, lang: str) -> None:
    out = tmp_path / f"template-{lang}.xlsx"
    result = cli("import", "--template", "--lang", lang, "--out", str(out))
    assert result.exit_code == 0, result.output
    words = strings(lang)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == [words["sheet_services"], words["sheet_instructions"], words["sheet_lists"]]
    sheet = book[words["sheet_services"]]
    headers = [cell.value for cell in sheet[1]]
    assert headers == [header(column, lang) for column in COLUMNS]
    lists = book[words["sheet_lists"]]
    county_names = [cell.value for cell in next(lists.iter_cols(min_col=3, max_col=3))]
    assert county_names[:3] == [words["list_counties"], words["nationwide"],
                                load_directory(root).directory.taxonomies["counties"]["harju"].name.get(lang)]  # type: ignore[union-attr]
    validated = {str(rule.sqref).split(":")[0]: rule for rule in sheet.data_validations.dataValidation}
    cost_letter = openpyxl.utils.get_column_letter(headers.index(strings(lang)["col_cost"]) + 1)
    assert validated[f"{cost_letter}2"].type == "list" and validated[f"{cost_letter}2"].showErrorMessage
    assert len(validated) == 6
    column = {key: headers.index(header(c, lang)) + 1 for c in COLUMNS for key in [c.key]}
    sheet.cell(2, column["id"], "uus-teenus")
    sheet.cell(2, column["name_et"], "Uus teenus")
    sheet.cell(2, column["description_et"], "Uus teenus ohvritele.")
    sheet.cell(2, column["needs"], load_directory(root).directory.taxonomies["needs"]["crime"].name.get(lang))  # type: ignore[union-attr]
    sheet.cell(2, column["audiences"], "victims")
    sheet.cell(2, column["counties"], words["nationwide"])
    sheet.cell(2, column["phones"], 51234571)  # typed as a number
    sheet.cell(2, column["cost"], words["cost_partly"])
    sheet.cell(2, column["source"], "https://tugikeskus.example.ee/uus")
    book.save(out)
    result = cli("import", str(out), "--organisation", "tugikeskus", "--write", "--lang", lang)
    assert result.exit_code == 0, result.output
    assert "0 changed" in result.stderr and "1 new" in result.stderr
    service = load_directory(root).directory.services["uus-teenus"]  # type: ignore[union-attr]
    assert service.counties == ["nationwide"] and service.channels[0].number == "51234571"
    assert service.cost is not None and service.cost.value == "partly"


def test_template_words_exist_in_every_language() -> None:
    keys = set(strings("et"))
    for lang in LANGS:
        assert set(strings(lang)) == keys
        assert len({header(column, lang) for column in COLUMNS}) == len(COLUMNS)
