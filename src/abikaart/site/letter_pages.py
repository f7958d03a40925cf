"""Page models of the internal site's letter pages, from `letters/`: one page per template plus an index.

Generated rather than hand-written so the site shows exactly the templates `abikaart letter render` fills. The
models go through `internal.render_page` and the autoescaped templates `templates/pages/internal/letter*.html.j2`
like every other internal page, so a template's title, labels, examples and text show as the characters they are
(`{{ name }}` included). Each page also carries the browser fill-in form (`_letter_form.html.j2`), whose Word
templates (`letter_form.form_assets`) are written beside the pages.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from abikaart.letters import MARKER, Template, load_letterhead, load_templates
from abikaart.site.letter_form import MESSAGES, command, form_assets
from abikaart.site.pages import Link, Text

ROOT = "_generated/letters"
INDEX = f"{ROOT}/index.md"


def letter_path(name: str) -> str:
    return f"{ROOT}/{name}.md"


@dataclass(frozen=True, slots=True)
class LetterField:
    """One variable: a row of the variables table and a field of the form (its marker in the Word template)."""

    name: str
    label: str
    required: bool
    example: str
    marker: str
    keep_line: bool
    multiline: bool


@dataclass(frozen=True, slots=True)
class LetterPage:
    path: str
    lang: str
    name: str
    title: str
    fields: list[LetterField]
    subject: str
    paragraphs: list[list[str]]
    """The body as written (placeholders included): paragraphs, each its lines."""
    command: str
    """The CLI command that fills the letter without the browser (shown when JavaScript is off)."""
    docx: str
    """The form's Word template, relative to the page (`letter_form.template_path`)."""
    file: str
    """The name the downloaded letter gets."""
    messages: tuple[str, ...] = MESSAGES
    """The keys of the messages the script shows (`data-abk-msg-<key>`)."""
    index: str = INDEX


@dataclass(frozen=True, slots=True)
class LettersIndexPage:
    path: str
    lang: str
    letters: list[Link]


def paragraphs(body: str) -> list[list[str]]:
    """A template body as paragraphs (split at blank lines) of lines, the way `letters.render` reads it."""
    blocks = [block for block in body.strip().split("\n\n") if block.strip()]
    return [[line.strip() for line in block.splitlines() if line.strip()] for block in blocks]


def letter_page(template: Template, lang: str) -> LetterPage:
    fields = [LetterField(v.name, v.label[lang], v.required, v.example, MARKER.format(name=v.name), v.keep_line,
                          v.multiline) for v in template.variables]
    return LetterPage(letter_path(template.name), lang, template.name, template.title[lang], fields,
                      template.subject[lang], paragraphs(template.body[lang]), command(template, lang),
                      f"../docx/{template.name}.docx", f"{template.name}.{lang}.docx")


def letters_index(templates: dict[str, Template], lang: str) -> LettersIndexPage:
    """Every template, in the order of their files."""
    return LettersIndexPage(INDEX, lang, [Link(Text(t.title[lang], lang), letter_path(t.name))
                                          for t in templates.values()])


def render_letter_assets(folder: Path) -> dict[str, bytes]:
    """The fill-in forms' Word templates (one per template and language), keyed by path in the generated folder.

    Made once per state of the folder: python-docx takes seconds for all of them, and the internal plugin asks
    once per language build (and `mkdocs serve` on every rebuild)."""
    files = sorted(folder.glob("*.yaml"))
    return dict(_assets(folder.resolve(), tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in files)))


@functools.lru_cache(maxsize=2)
def _assets(folder: Path, fingerprint: tuple[tuple[str, int, int], ...]) -> dict[str, bytes]:
    return form_assets(load_templates(folder), load_letterhead(folder))
