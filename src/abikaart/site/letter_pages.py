"""The internal site's letter pages, generated from `letters/`: one page per template plus an index.

Generated rather than hand-written so the site shows exactly the templates `abikaart letter render` fills.
Template text is printed through `markdown_text`, so nothing in a template becomes markup or a link. Each
template page also carries the browser fill-in form (`letter_form`), whose Word templates are written beside them.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml

from abikaart.letters import Template, load_letterhead, load_templates
from abikaart.models import LANGS
from abikaart.site.escaping import markdown_text
from abikaart.site.letter_form import form_assets, form_html


def load_strings(folder: Path) -> dict[str, dict[str, Any]]:
    """The letter pages' interface strings per language."""
    data: dict[str, dict[str, Any]] = yaml.safe_load((folder / "pages.yaml").read_text(encoding="utf-8"))
    return data


def _suffix(lang: str) -> str:
    return "" if lang == "et" else f".{lang}"


def render_letter_index(templates: dict[str, Template], strings: dict[str, Any], lang: str) -> str:
    items = "\n".join(f"- [{markdown_text(t.title[lang])}]({t.name}.md)" for t in templates.values())
    warnings = "\n".join(f"    - {markdown_text(w)}" for w in strings["warnings"])
    return (f"# {strings['index_title']}\n\n{strings['intro']}\n\n"
            f"!!! warning \"{strings['warning_title']}\"\n{warnings}\n\n{items}\n")


def _lines(text: str) -> str:
    paragraphs = [p for p in text.strip().split("\n\n") if p.strip()]
    return "\n\n".join("  \n".join(markdown_text(line) for line in p.splitlines()) for p in paragraphs)


def render_letter_page(template: Template, strings: dict[str, Any], lang: str) -> str:
    rows = [f"| `{v.name}` | {markdown_text(v.label[lang])} | {strings['yes'] if v.required else strings['no']} "
            f"| {markdown_text(v.example)} |" for v in template.variables]
    table = "\n".join([f"| {strings['variable']} | {strings['label']} | {strings['required']} | {strings['example']} |",
                       "|---|---|---|---|", *rows])
    return (f"# {markdown_text(template.title[lang])}\n\n## {strings['form_title']}\n\n"
            f"{form_html(template, strings, lang)}\n\n## {strings['variables']}\n\n{table}\n\n"
            f"## {strings['text']}\n\n**{strings['subject']}:** {markdown_text(template.subject[lang])}\n\n"
            f"{_lines(template.body[lang])}\n")


def render_letter_pages(folder: Path) -> dict[str, str]:
    """Every letter page in every language, keyed by its path inside the generated folder."""
    templates = load_templates(folder)
    all_strings = load_strings(folder)
    pages: dict[str, str] = {}
    for lang in LANGS:
        strings = all_strings[lang]
        pages[f"letters/index{_suffix(lang)}.md"] = render_letter_index(templates, strings, lang)
        for template in templates.values():
            pages[f"letters/{template.name}{_suffix(lang)}.md"] = render_letter_page(template, strings, lang)
    return pages


def render_letter_assets(folder: Path) -> dict[str, bytes]:
    """The fill-in forms' Word templates (one per template and language), keyed by path in the generated folder.

    Made once per state of the folder: python-docx takes seconds for all of them, and the internal plugin asks
    once per language build (and `mkdocs serve` on every rebuild)."""
    files = sorted(folder.glob("*.yaml"))
    return dict(_assets(folder.resolve(), tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in files)))


@functools.lru_cache(maxsize=2)
def _assets(folder: Path, fingerprint: tuple[tuple[str, int, int], ...]) -> dict[str, bytes]:
    return form_assets(load_templates(folder), load_letterhead(folder))
