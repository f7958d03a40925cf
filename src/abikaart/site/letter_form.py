"""The fill-in form of the internal letter pages: its HTML, and the Word template it fills in the browser.

The browser script (`docs-internal/assets/letters/letter-form.js`) fills a `.docx` that python-docx made here with
the layout of `abikaart letter render` (`letters.template_docx`: each variable a marker run of its own). The
document part is stored uncompressed, so the script can read and replace it without an inflate routine; every
other part is kept as python-docx compressed it. Every text in the form's HTML is escaped: labels, examples and
messages come from YAML and show as text.
"""

from __future__ import annotations

import io
import zipfile
from html import escape
from pathlib import Path
from typing import Any

from abikaart.letters import MARKER, Template, Variable, template_docx
from abikaart.models import LANGS

DOCUMENT_PART = "word/document.xml"
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
"""Every entry's date: the same build gives the same bytes, so `mkdocs serve` does not rebuild on its own output."""
MESSAGES = ("missing", "summary", "copied", "copy-failed", "downloaded", "failed")
"""The keys (in `pages.yaml`: `form_<key>` with `-` as `_`) the script shows in its status line and errors."""


def _suffix(lang: str) -> str:
    return "" if lang == "et" else f".{lang}"


def stored_document(docx: bytes) -> bytes:
    """The same .docx with its document part stored (not deflated) and fixed dates: what the script can edit."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            entry = zipfile.ZipInfo(item.filename, date_time=FIXED_TIME)
            entry.compress_type = zipfile.ZIP_STORED if item.filename == DOCUMENT_PART else zipfile.ZIP_DEFLATED
            target.writestr(entry, source.read(item.filename))
    return out.getvalue()


def template_path(name: str, lang: str) -> str:
    """Where a template's .docx goes inside the generated folder (mkdocs-static-i18n's suffix puts each language's
    file beside that language's pages, so every page finds its own at `../docx/<name>.docx`)."""
    return f"letters/docx/{name}{_suffix(lang)}.docx"


def form_assets(templates: dict[str, Template], letterhead: dict[str, tuple[str, ...]]) -> dict[str, bytes]:
    """Every template's fill-in .docx in every language, keyed by its path inside the generated folder."""
    return {template_path(t.name, lang): stored_document(template_docx(t, lang, letterhead))
            for t in templates.values() for lang in LANGS}


def write_assets(folder: Path, assets: dict[str, bytes]) -> int:
    """Write the files whose bytes changed and remove the .docx no longer made (as `internal.write_pages` does for
    pages); return how many were written."""
    written = 0
    for relative, data in assets.items():
        path = folder / relative
        if path.is_file() and path.read_bytes() == data:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written += 1
    keep = {folder / relative for relative in assets}
    for stale in {path for relative in assets for path in (folder / relative).parent.glob("*.docx")} - keep:
        stale.unlink()  # a template that was removed or renamed
    return written


def _field(variable: Variable, strings: dict[str, Any], lang: str) -> str:
    """One labelled input: required marked in words, the example as placeholder, an error line beside it."""
    ident = f"abk-var-{variable.name}"
    label = variable.label[lang]
    required = f' <span class="abk-letter__required">{escape(strings["form_required"])}</span>' \
        if variable.required else ""
    attrs = (f'id="{ident}" data-abk-var="{escape(variable.name)}" data-abk-label="{escape(label)}" '
             f'data-abk-marker="{escape(MARKER.format(name=variable.name))}" '
             f'aria-required="{"true" if variable.required else "false"}" autocomplete="off" '
             f'placeholder="{escape(strings["form_example"])} {escape(variable.example)}"'
             + (" data-abk-keep-line" if variable.keep_line else ""))
    control = f'<textarea {attrs} rows="4"></textarea>' if variable.multiline else f'<input type="text" {attrs}>'
    return (f'<div class="abk-letter__field"><label for="{ident}">{escape(label)}{required}</label>{control}'
            f'<p class="abk-letter__error" id="{ident}-error" hidden></p></div>')


def command(template: Template, lang: str) -> str:
    """The CLI command that fills this template without the browser (required values as `--set`)."""
    sets = " ".join(f"--set {v.name}=…" for v in template.variables if v.required)
    return f"abikaart letter render {template.name} --lang {lang} {sets} --out FOLDER"


def form_html(template: Template, strings: dict[str, Any], lang: str) -> str:
    """The form block of a letter page, as one raw HTML block for Markdown (no blank line inside it).

    Without JavaScript the form stays hidden and a note says it needs JavaScript and gives the command."""
    messages = " ".join(f'data-abk-msg-{key}="{escape(strings["form_" + key.replace("-", "_")])}"'
                        for key in MESSAGES)
    fields = "".join(_field(v, strings, lang) for v in template.variables)
    return (
        f'<div class="abk-letter" data-abk-letter="{escape(template.name)}" '
        f'data-abk-template="../docx/{escape(template.name)}.docx" '
        f'data-abk-file="{escape(template.name)}.{lang}.docx" {messages}>'
        f'<noscript><p class="abk-letter__nojs">{escape(strings["form_no_js"])}</p>'
        f'<pre><code>{escape(command(template, lang))}</code></pre></noscript>'
        f'<form class="abk-letter__form" hidden autocomplete="off" novalidate>'
        f'<p class="abk-letter__intro">{escape(strings["form_intro"])}</p>{fields}'
        f'<div class="abk-letter__actions">'
        f'<button type="button" class="md-button md-button--primary" data-abk-action="download">'
        f'{escape(strings["form_download"])}</button>'
        f'<button type="button" class="md-button" data-abk-action="copy">{escape(strings["form_copy"])}</button>'
        f'</div><p class="abk-letter__status" role="status" data-abk-status></p></form>'
        f'<section class="abk-letter__preview" hidden data-abk-preview-section aria-labelledby="abk-preview-title">'
        f'<h3 id="abk-preview-title">{escape(strings["form_preview"])}</h3>'
        f'<div class="abk-letter__paper" data-abk-preview lang="{lang}"></div></section>'
        f'</div>'
    )
