"""`abikaart import`: a partner's sheet checked by the directory's own rules, shown as a diff, written on request.

Every row is validated alone against the `Service` model (so one bad row does not hide the next), then the
good rows are merged into the organisation's file and the whole directory is loaded from a scratch copy of it
with `load_directory`: taxonomy terms, numbers.yaml, confidential places and duplicate ids are checked exactly
as `abikaart validate` checks them, on exactly the text that `--write` would write.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from abikaart import diff
from abikaart.directory import Directory, load_directory
from abikaart.intake import yamlfile
from abikaart.intake.columns import strings
from abikaart.intake.rows import Layout, Merged, Row, merge, read_layout, read_row, vocabulary
from abikaart.intake.sheets import Problem, Table, Unreadable, read_table
from abikaart.loading import Document, parse_text
from abikaart.models import Service
from abikaart.problems import Problem as DataProblem
from abikaart.validation import check_model, did_you_mean

MAX_SHOWN = 200
"""Problems printed at most; a sheet with thousands of bad rows says how many more there are."""


class UsageError(Exception):
    """Wrong arguments (unknown organisation, a directory that does not load): exit 2."""


@dataclass
class Outcome:
    """What the import found and would do."""

    problems: list[Problem] = field(default_factory=list)
    new: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    not_in_sheet: list[str] = field(default_factory=list)
    """Services of the organisation's file no row names: kept as they are (a partner closes one with 'Olek')."""
    report: str = ""
    """The change in people's words (`diff`)."""
    text: str | None = None
    """The organisation's file as it would be written; None when nothing changes or a row is invalid."""
    target: Path | None = None

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.level == "error"]


def import_sheet(sheet: Path, organisation_id: str, root: Path, lang: str, verified_by: str,
                 today: dt.date | None = None) -> Outcome:
    """Read, check and merge `sheet` into `organisation_id`'s file under `root`; nothing is written here."""
    day = today or dt.date.today()
    current = load_directory(root, today=day)
    if current.directory is None:
        raise UsageError(f"{root} has errors already: run `abikaart validate` and fix them first")
    directory = current.directory
    if organisation_id not in directory.organisations:
        guess = did_you_mean(organisation_id, directory.organisations)
        hint = f"did you mean {guess!r}?" if guess else "create it with `abikaart new organisation`"
        raise UsageError(f"no organisation {organisation_id!r} in {root} ({hint})")
    target = _organisation_file(directory, organisation_id)
    outcome = Outcome(target=target)
    try:
        table = read_table(sheet)
    except Unreadable as exc:
        outcome.problems.append(Problem(sheet.name, str(exc).removeprefix(f"{sheet.name}: ")))
        return outcome
    layout = read_layout(table)
    original = target.read_text(encoding="utf-8")
    existing = {str(service.get("id")): service for service in
                (parse_text(target.name, original.encode("utf-8")).data or {}).get("services") or []}
    merged = _rows(table, layout, directory, organisation_id, existing, verified_by, day, outcome) if layout else []
    named = {item.data["id"] for _, item in merged}
    outcome.not_in_sheet = [service_id for service_id in existing if service_id not in named] if merged else []
    outcome.problems[:0] = table.problems
    if layout is None or not any(item.changed for _, item in merged):
        return outcome
    tree = yamlfile.load(target)
    for _row, item in merged:
        if item.changed:
            yamlfile.put_service(tree.data, existing.get(item.data["id"]), item.data)
    text = yamlfile.dump_over(original, tree, {item.data["id"] for _, item in merged if item.changed})
    new_directory = _check_whole(text, root, target, table, layout, merged, outcome, day)
    outcome.problems.sort(key=lambda problem: problem.row or 0)
    if new_directory is None:
        return outcome
    outcome.text = text
    outcome.report = diff.render(diff.compare(directory, new_directory, lang), lang, "text")
    return outcome


def _organisation_file(directory: Directory, organisation_id: str) -> Path:
    return Path(directory.files[f"organisation:{organisation_id}"]).resolve()


def _rows(table: Table, layout: Layout, directory: Directory, organisation_id: str,
          existing: dict[str, dict[str, Any]], verified_by: str, day: dt.date,
          outcome: Outcome) -> list[tuple[int, Merged]]:
    """Each row read, merged and checked against the model on its own; the good ones, with their row numbers."""
    seen: dict[str, int] = {}
    good: list[tuple[int, Merged]] = []
    words = vocabulary(directory)
    layout.terms = {kind: [term.name.get(layout.lang) for term in terms.values()]
                    for kind, terms in directory.taxonomies.items()}
    layout.terms["counties"].insert(0, strings(layout.lang)["nationwide"])
    for number, cells in table.rows:
        row = read_row(layout, number, cells, words)
        refused = _id_problem(row, seen, directory, organisation_id, existing)
        seen.setdefault(row.service_id, number)
        if refused is not None:
            table.problem(*refused, row=number, column=_position(layout, "id"))
            continue
        item = merge(row, layout, existing.get(row.service_id), verified_by, day)
        _, errors = check_model(Document(table.file), Service, item.data)
        for error in errors:
            _place(table, layout, number, item, error)
        if errors:
            continue
        good.append((number, item))
        kind = outcome.unchanged if not item.changed else outcome.changed if row.service_id in existing else \
            outcome.new
        kind.append(row.service_id)
    return good


def _id_problem(row: Row, seen: dict[str, int], directory: Directory, organisation_id: str,
                existing: dict[str, dict[str, Any]]) -> tuple[str, str] | None:
    """Why the row's service id cannot be imported (missing, repeated, another's, kept elsewhere), and the fix."""
    if not row.service_id:
        suggestion = _slug(str(row.values.get("name_et") or ""))
        return "the service has no id", (f"write one, e.g. {suggestion!r}" if suggestion else
                                         "write the service's id (lower-case letters, digits and hyphens)")
    if row.service_id in seen:
        return f"the id {row.service_id!r} is also on row {seen[row.service_id]}", "give each service one row"
    owner = directory.organisation_of.get(row.service_id)
    if owner is not None and owner != organisation_id:
        return f"the id {row.service_id!r} belongs to a service of {owner!r}", "choose another id for this service"
    if owner == organisation_id and row.service_id not in existing:
        where = directory.files.get(f"service:{row.service_id}", "its own file")
        return (f"the service {row.service_id!r} is kept in {where}, not in the organisation's file",
                f"edit {where} by hand; import changes only the services in the organisation's file")
    return None


def _check_whole(text: str, root: Path, target: Path, table: Table, layout: Layout,
                 merged: list[tuple[int, Merged]], outcome: Outcome, day: dt.date) -> Directory | None:
    """Load a scratch copy of the directory with the new file: the checks across files, on the text to write."""
    with tempfile.TemporaryDirectory(prefix="abikaart-import-") as scratch:
        copy_root = Path(scratch) / "directory"
        shutil.copytree(root, copy_root)
        relative = target.relative_to(root.resolve())
        (copy_root / relative).write_text(text, encoding="utf-8")
        result = load_directory(copy_root, base=Path(scratch), today=day)
    file_name = (Path("directory") / relative).as_posix()
    rows = _service_rows(text, merged)
    for problem in result.problems:
        placed = _row_of(problem, file_name, rows)
        if placed is None:
            if problem.level == "error":
                table.problems.append(Problem(table.file, problem.text(), sheet=table.sheet))
            continue
        number, item, rest = placed
        if problem.level == "warning" and not item.changed:
            continue
        _place(table, layout, number, item, problem, rest)
    outcome.problems[:] = table.problems
    return result.directory if not outcome.errors else None


def _service_rows(text: str, merged: list[tuple[int, Merged]]) -> dict[int, tuple[int, Merged]]:
    """Index in the written file's `services:` list -> the row (and merged record) it came from."""
    data = parse_text("", text.encode("utf-8")).data or {}
    by_id = {item.data["id"]: (number, item) for number, item in merged}
    return {index: by_id[str(service.get("id"))] for index, service in enumerate(data.get("services") or [])
            if str(service.get("id")) in by_id}


_FIELD = re.compile(r"^services\[(\d+)\]\.?(.*)$")


def _row_of(problem: DataProblem, file_name: str, rows: dict[int, tuple[int, Merged]],
            ) -> tuple[int, Merged, str] | None:
    if problem.path != file_name:
        return None
    match = _FIELD.match(problem.field)
    if match is None or int(match[1]) not in rows:
        return None
    number, item = rows[int(match[1])]
    return number, item, match[2]


def _place(table: Table, layout: Layout, number: int, item: Merged, problem: DataProblem,
           field_path: str | None = None) -> None:
    """A model's or a check's problem at the cell it came from: the column that fills the field."""
    path = problem.field if field_path is None else field_path
    key = _column_key(item, path)
    message, fix = problem.message, problem.fix
    if key is None:
        name = path.split(".")[0].split("[")[0]
        message = f"{path}: {message}" if path else message
        hint = _missing_column_hint(layout, name)
        fix = f"{fix}; {hint}" if fix and hint else hint or fix
        table.problems.append(Problem(table.file, message, fix, table.sheet, number, None, problem.level))
        return
    fix = _fix_for_sheet(fix, problem.code if key == "phones" else "")
    unknown = re.match(r"unknown (\w+) term '(.*)'$", message) if problem.code == "unknown_term" else None
    guess = did_you_mean(unknown[2], layout.terms.get(unknown[1], [])) if unknown else None
    if guess:
        fix = f"did you mean {guess!r}? or {fix}" if fix and not fix.startswith("did you mean") else \
            f"did you mean {guess!r}?"
    column = layout.name(key)
    if problem.code == "translation":
        missing = [layout.name(f"{key.rsplit('_', 1)[0]}_{lang}") for lang in ("ru", "en")
                   if f"{lang} " in f"{message} ".replace(" or ", " ")]
        fix = f"fill in {', '.join(repr(name) for name in missing)}; the site shows the Estonian text meanwhile"
    if not layout.has(key):
        fix = (f"{fix}; " if fix else "") + f"add the column {column!r} (see the template)"
    table.problems.append(Problem(table.file, message, fix, table.sheet, number, column, problem.level))


_NEW_SERVICE_COLUMNS = {"name": "name_et", "description": "description_et", "needs": "needs",
                        "audiences": "audiences", "counties": "counties", "channels": "phones", "source": "source"}


def _column_key(item: Merged, path: str) -> str | None:
    """The column that filled `path` (its longest known prefix), or the column a new service needs for it."""
    candidate = path
    while candidate:
        if candidate in item.columns:
            return item.columns[candidate]
        shorter = re.sub(r"(\.[^.\[]+|\[\d+\])$", "", candidate)
        candidate = shorter if shorter != candidate else ""
    head = re.match(r"[^.\[]*", path)
    return _NEW_SERVICE_COLUMNS.get(head[0] if head else "")


def _missing_column_hint(layout: Layout, name: str) -> str | None:
    key = _NEW_SERVICE_COLUMNS.get(name)
    if key is None or layout.has(key):
        return None
    return f"add the column {layout.name(key)!r} (see the template)"


def _fix_for_sheet(fix: str | None, code: str) -> str | None:
    """A fix written for YAML said as what a partner (or the maintainer reading the sheet) can do."""
    if fix is None:
        return None
    if code == "unconfirmed_number":
        return ("leave it out of the sheet until it is confirmed; once confirmed, a maintainer removes it from "
                "numbers.yaml's unconfirmed list")
    return re.sub(r"use a term from directory/taxonomies/\w+\.yaml",
                  "choose a value from the column's drop-down list (the template's sheet of lists)", fix)


def _position(layout: Layout, key: str) -> int | None:
    return next((number for number, column in layout.columns.items() if column.key == key), None)


def _slug(text: str) -> str:
    import unicodedata

    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:60]


def status_counts(outcome: Outcome) -> str:
    kept = f"; not in the sheet, kept as they are: {', '.join(outcome.not_in_sheet)}" if outcome.not_in_sheet else ""
    return (f"{len(outcome.new)} new, {len(outcome.changed)} changed, {len(outcome.unchanged)} unchanged "
            f"service(s){kept}")


