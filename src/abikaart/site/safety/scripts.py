"""Which inline scripts a page may run: those written in our theme overrides and Material's reviewed ones.

The Content-Security-Policy allows inline scripts by hash. Hashing every script the build emitted would allow
an injected one too, so a script is allowed only if it is one of the scripts written in a template we ship
(`site/overrides/`) or in one of Material's templates whose text was reviewed (`material-scripts.txt`, sha256
of each `<script>` as its template writes it). A template may print a value into its script (Material prints
the page's relative root, `new URL("../..",location)`); such a value may only be a path, never a quote or a
backslash, so no injected text can turn a reviewed script into another one.

After upgrading Material: `python scripts/material_scripts.py` prints the list for the installed version;
read the scripts whose hashes changed (`--show`), then commit the new list.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from abikaart.site.safety import markup

REVIEWED = Path(__file__).with_name("material-scripts.txt")
OVERRIDES = Path(__file__).parents[1] / "overrides"
_TEMPLATE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)
"""An inline script as a template writes it (Material's and ours have no attributes)."""
_EXPRESSION = re.compile(r"\{\{.*?\}\}", re.DOTALL)
_PATH = r"[\w./:#%~-]*"
"""What a template may print into a script: a URL or path (no quote, no backslash, no space)."""


@dataclass(frozen=True)
class TemplateScript:
    """One inline script of a template: where it is written, its text, and what pages it matches."""

    template: str
    text: str

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def pattern(self) -> str:
        """The script as a regular expression: its text, each `{{ ... }}` a path."""
        parts = _EXPRESSION.split(self.text)
        return _PATH.join(re.escape(part) for part in parts)


def template_scripts(folder: Path, label: str) -> Iterator[TemplateScript]:
    """Every inline script written in the HTML templates under `folder` (Jinja blocks inside one are refused)."""
    for path in sorted(folder.rglob("*.html")):
        for match in _TEMPLATE_SCRIPT.finditer(path.read_text(encoding="utf-8")):
            if "{%" not in match.group(1):
                yield TemplateScript(f"{label}/{path.relative_to(folder).as_posix()}", match.group(1))


def material_templates() -> Path:
    return Path(str(resources.files("material") / "templates"))


def reviewed_digests(path: Path = REVIEWED) -> set[str]:
    """The sha256 of each Material script that a maintainer has read (`<hex> <template>` lines, `#` comments)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return {line.split()[0] for line in lines if line.strip() and not line.startswith("#")}


@cache
def allowed_pattern() -> re.Pattern[str]:
    """One expression matching exactly the inline scripts we ship: our overrides' and Material's reviewed ones."""
    reviewed = reviewed_digests()
    material = [script for script in template_scripts(material_templates(), "material") if script.digest in reviewed]
    ours = list(template_scripts(OVERRIDES, "overrides"))
    return compile_pattern([*material, *ours])


def compile_pattern(scripts: Iterable[TemplateScript]) -> re.Pattern[str]:
    alternatives = "|".join(f"(?:{script.pattern()})" for script in scripts) or "(?!)"
    return re.compile(rf"(?:{alternatives})\Z", re.DOTALL)


def foreign_scripts(page: str, allowed: re.Pattern[str] | None = None) -> list[str]:
    """Problems with the scripts of one page: inline scripts that are not ours, event handlers, script URLs."""
    allowed = allowed or allowed_pattern()
    found = [f"inline script not written by our templates: {_excerpt(body)}"
             for body in markup.inline_scripts(page) if not allowed.match(body)]
    return found + markup.script_markup(page)


def _excerpt(body: str) -> str:
    """The start of a script, on one line, short enough for an error message."""
    text = " ".join(body.split())
    return text[:60] + ("..." if len(text) > 60 else "")
