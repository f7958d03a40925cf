"""The Word template the fill-in form of the internal letter pages fills in the browser.

The browser script (`docs-internal/assets/letters/letter-form.js`) fills a `.docx` that python-docx made here with
the layout of `abikaart letter render` (`letters.template_docx`: each variable a marker run of its own). The
document part is stored uncompressed, so the script can read and replace it without an inflate routine; every
other part is kept as python-docx compressed it. The form itself is `templates/pages/internal/_letter_form.html.j2`.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from abikaart.letters import Template, template_docx
from abikaart.models import LANGS

DOCUMENT_PART = "word/document.xml"
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
"""Every entry's date: the same build gives the same bytes, so `mkdocs serve` does not rebuild on its own output."""
MESSAGES = ("missing", "summary", "copied", "copy-failed", "downloaded", "failed")
"""The messages the script shows in its status line and errors (`data-abk-msg-<key>`), from
`templates/strings-letters.yaml` (`letter_form_<key>` with `-` as `_`)."""


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


def command(template: Template, lang: str) -> str:
    """The CLI command that fills this template without the browser (required values as `--set`)."""
    sets = " ".join(f"--set {v.name}=…" for v in template.variables if v.required)
    return f"abikaart letter render {template.name} --lang {lang} {sets} --out FOLDER"
