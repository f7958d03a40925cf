"""Letter templates: declared variables, text in every language, filled as Markdown and Word documents.

A template is `letters/<name>.yaml` (title, variables, text per language); shared labels and examples live in
`letters/variables.yaml` and the letterhead in `letters/letterhead.yaml`, so a unit changes its address once.
Values are inserted by one substitution pass over the template text and never read again, so a value holding
`{{ x }}` or markup stays literal text: the letters carry what a counsellor typed, never something that runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from abikaart.models import LANGS

DEFAULT_LETTERS = Path("letters")
PLACEHOLDER = re.compile(r"\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}")
SHARED_FILES = {"variables.yaml", "letterhead.yaml"}
LETTERHEAD_FIELDS = ("unit", "address", "contact")


class LetterError(Exception):
    """A template that cannot be loaded or filled; the message names the template and the variable."""


@dataclass(frozen=True)
class Variable:
    """One value a counsellor fills in."""

    name: str
    required: bool
    label: dict[str, str]
    example: str
    keep_line: bool = False
    """When left empty: drop only the placeholder (a greeting's name) instead of the whole line."""
    multiline: bool = False
    """A value of several lines (an answer, a reply): a text area in the browser form."""


@dataclass(frozen=True)
class Template:
    """One letter: its variables and its subject and body in every language."""

    name: str
    title: dict[str, str]
    variables: tuple[Variable, ...]
    subject: dict[str, str]
    body: dict[str, str]

    def variable_names(self) -> list[str]:
        return [v.name for v in self.variables]

    def examples(self) -> dict[str, str]:
        return {v.name: v.example for v in self.variables}


@dataclass(frozen=True)
class Letter:
    """A filled letter: letterhead lines, subject and paragraphs (each a list of lines)."""

    template: str
    lang: str
    letterhead: tuple[str, ...]
    subject: str
    paragraphs: tuple[tuple[str, ...], ...]


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise LetterError(f"{path}: cannot be read ({exc})") from None


def _per_lang(value: Any, where: str) -> dict[str, str]:
    if not isinstance(value, dict) or any(not isinstance(value.get(lang), str) for lang in LANGS):
        raise LetterError(f"{where}: needs a text in each of {', '.join(LANGS)}")
    return {lang: value[lang] for lang in LANGS}


def load_letterhead(folder: Path = DEFAULT_LETTERS) -> dict[str, tuple[str, ...]]:
    """The letterhead lines per language, from the one configuration file."""
    data = _read_yaml(folder / "letterhead.yaml") or {}
    fields = {f: _per_lang(data.get(f), f"letterhead.yaml: {f}") for f in LETTERHEAD_FIELDS}
    return {lang: tuple(fields[f][lang] for f in LETTERHEAD_FIELDS) for lang in LANGS}


def _variable(entry: Any, shared: dict[str, Any], where: str) -> Variable:
    if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
        raise LetterError(f"{where}: each variable needs a name")
    name = entry["name"]
    merged = {**(shared.get(name) or {}), **entry}
    if "label" not in merged or "example" not in merged:
        raise LetterError(f"{where}: variable {name}: needs a label and an example (here or in variables.yaml)")
    return Variable(name=name, required=bool(merged.get("required", True)),
                    label=_per_lang(merged["label"], f"{where}: variable {name}: label"),
                    example=str(merged["example"]), keep_line=merged.get("when_empty") == "keep-line",
                    multiline=bool(merged.get("multiline", False)))


def load_template(path: Path, shared: dict[str, Any]) -> Template:
    """One template; every placeholder in every language must be declared, and every declared one used."""
    name = path.stem
    data = _read_yaml(path) or {}
    variables = tuple(_variable(e, shared, f"{name}") for e in data.get("variables") or [])
    text = data.get("text") or {}
    subject = _per_lang({k: (v or {}).get("subject") for k, v in text.items()}, f"{name}: text.<lang>.subject")
    body = _per_lang({k: (v or {}).get("body") for k, v in text.items()}, f"{name}: text.<lang>.body")
    declared = {v.name for v in variables}
    for lang in LANGS:
        used = set(PLACEHOLDER.findall(subject[lang] + "\n" + body[lang]))
        for unknown in sorted(used - declared):
            raise LetterError(f"{name} ({lang}): placeholder {unknown} is not declared in variables")
        for unused in sorted(declared - used):
            raise LetterError(f"{name} ({lang}): variable {unused} is declared but not used")
    return Template(name=name, title=_per_lang(data.get("title"), f"{name}: title"),
                    variables=variables, subject=subject, body=body)


def load_templates(folder: Path = DEFAULT_LETTERS) -> dict[str, Template]:
    """Every template of the folder, by name."""
    shared = _read_yaml(folder / "variables.yaml") or {}
    paths = sorted(p for p in folder.glob("*.yaml") if p.name not in SHARED_FILES)
    return {p.stem: load_template(p, shared) for p in paths}


def check_values(template: Template, values: dict[str, str]) -> None:
    """Refuse an unknown variable or a missing required one, naming both template and variable."""
    known = set(template.variable_names())
    for key in sorted(values):
        if key not in known:
            raise LetterError(f"{template.name}: unknown variable {key} (known: {', '.join(sorted(known))})")
    for var in template.variables:
        if var.required and not values.get(var.name, "").strip():
            raise LetterError(f"{template.name}: required variable {var.name} ({var.label['en']}) has no value")


def fill(text: str, values: dict[str, str]) -> str:
    """One substitution pass: a value is inserted as it is and never scanned again."""
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), ""), text)


def _lines(template: Template, text: str, values: dict[str, str]) -> list[str]:
    """Filled lines; a line whose optional variable was left empty is left out, or for a variable marked
    `when_empty: keep-line` (a greeting's name) only the placeholder and the space or comma before it
    (a "Label:" line left with nothing after it is still dropped)."""
    keep = {v.name for v in template.variables if v.keep_line}
    kept = []
    for line in text.splitlines():
        empty = {n for n in PLACEHOLDER.findall(line) if not values.get(n, "").strip()}
        if empty - keep:
            continue
        for name in empty:
            line = re.sub(r"[,\s]*\{\{\s*" + name + r"\s*\}\}", "", line)
        if empty and line.rstrip().endswith(":"):
            continue  # "Name:" with nothing after it
        kept.append(fill(line, values).rstrip())
    return kept


def render(template: Template, lang: str, values: dict[str, str], letterhead: dict[str, tuple[str, ...]]) -> Letter:
    """The filled letter in one language."""
    if lang not in LANGS:
        raise LetterError(f"{template.name}: unknown language {lang} (one of {', '.join(LANGS)})")
    check_values(template, values)
    paragraphs: list[tuple[str, ...]] = []
    current: list[str] = []
    for line in [*_lines(template, template.body[lang], values), ""]:
        if line.strip():
            current.append(line)
        elif current:
            paragraphs.append(tuple(current))
            current = []
    return Letter(template=template.name, lang=lang, letterhead=letterhead[lang],
                  subject=fill(template.subject[lang], values), paragraphs=tuple(paragraphs))


def to_markdown(letter: Letter) -> str:
    """The letter as Markdown: lines kept as hard breaks; values are written as typed."""
    head = "  \n".join(letter.letterhead)
    paras = ["  \n".join(p) for p in letter.paragraphs]
    return "\n\n".join([head, f"**{letter.subject}**", *paras]) + "\n"


MARKER = "[[abk:{name}]]"
"""The marker text standing for a variable in the browser form's Word template (replaced there by the value)."""


def to_text(letter: Letter) -> str:
    """The letter as plain text: what the browser form copies (letterhead, subject, paragraphs)."""
    return "\n\n".join(["\n".join(letter.letterhead), letter.subject, *("\n".join(p) for p in letter.paragraphs)])


def _word(lang: str, letterhead: tuple[str, ...], subject: list[str], paragraphs: list[list[list[str]]]) -> bytes:
    """The one Word layout of every letter: letterhead, a heading for the subject, one paragraph each, its lines
    joined by breaks. Each piece of a line is a run of its own, so a marker is never split or merged with text."""
    import io

    from docx import Document
    from docx.shared import Pt

    doc = Document()
    doc.core_properties.language = lang
    for i, head in enumerate(letterhead):
        run = doc.add_paragraph().add_run(head)
        run.bold = i == 0
        run.font.size = Pt(9 if i else 11)
    heading = doc.add_heading("", level=1)
    for piece in subject:
        heading.add_run(piece)
    for para in paragraphs:
        p = doc.add_paragraph()
        for i, line in enumerate(para):
            runs = [p.add_run(piece) for piece in line if piece]
            if i < len(para) - 1:
                runs[-1].add_break()
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def to_docx(letter: Letter, path: Path) -> None:
    """The letter as a Word document: letterhead, a heading for the subject, one paragraph each."""
    paragraphs = [[[line] for line in para] for para in letter.paragraphs]
    path.write_bytes(_word(letter.lang, letter.letterhead, [letter.subject], paragraphs))


def _marked(text: str) -> list[str]:
    """A template line as pieces (each a run): its text, and each placeholder as its variable's marker."""
    pieces: list[str] = []
    last = 0
    for match in PLACEHOLDER.finditer(text):
        pieces += [text[last:match.start()], MARKER.format(name=match.group(1))]
        last = match.end()
    return [piece for piece in [*pieces, text[last:]] if piece]


def template_docx(template: Template, lang: str, letterhead: dict[str, tuple[str, ...]]) -> bytes:
    """The template as a Word document with every variable as its marker, laid out as `to_docx` lays out a filled
    letter: the browser form replaces the markers (and leaves out lines as `render` does) without python-docx."""
    if "[[abk:" in template.subject[lang] + template.body[lang]:
        raise LetterError(f"{template.name} ({lang}): the text may not contain '[[abk:', the form's marker")
    paragraphs = [[_marked(line.rstrip()) for line in block.splitlines() if line.strip()]
                  for block in re.split(r"\n\s*\n", template.body[lang].strip())]
    return _word(lang, letterhead[lang], _marked(template.subject[lang]), [p for p in paragraphs if p])


def write_letter(letter: Letter, out: Path) -> tuple[Path, Path]:
    """Write `<template>.<lang>.md` and `.docx` into out."""
    out.mkdir(parents=True, exist_ok=True)
    md = out / f"{letter.template}.{letter.lang}.md"
    docx_path = out / f"{letter.template}.{letter.lang}.docx"
    md.write_text(to_markdown(letter), encoding="utf-8")
    to_docx(letter, docx_path)
    return md, docx_path
