"""Record pages (one per service and organisation) poured into a page shell that the theme rendered once.

MkDocs renders every page through the theme's whole template, and mkdocs-static-i18n sorts every file into
languages first: at 10k services x 3 languages that was two thirds of the build, twice as slow as Material
building as many bare pages. A service page differs from its neighbour only in its title, description,
address and body, so the theme renders one placeholder page per kind and language (a real MkDocs page, with
every plugin's additions: the emergency bar, quick exit, language switcher) and each record's page is that
shell with the placeholders filled in. The record pages stay byte-for-byte what the theme would have made,
and the site layer stays templates and configuration.

The price: a plugin's page hooks (`on_page_content`, `on_post_page`) see the shell, not a record's body. What
must see every page runs after the record pages are written, over the output folder (`pipeline.STEPS`: the
safety pass, the sitemap). The shell needs `use_directory_urls: true` (a record page is `<slug>/index.html`
beside its shell), refused otherwise at config time (`config.shell_settings_problem`).
"""

from __future__ import annotations

import html
import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

SLUG = "_abikaart_shell_"
"""The shell's file name: an underscore never occurs in a record id, so no record's address can clash."""
TITLE = "ABIKAART-SHELL-TITLE"
DESCRIPTION = "ABIKAART-SHELL-DESCRIPTION"
BODY = "<h1>ABIKAART-SHELL-BODY</h1>"
"""An `<h1>`, so that Material adds no title heading of its own (the record's body has one)."""

_PLACEHOLDERS = re.compile("|".join(re.escape(token) for token in (BODY, TITLE, DESCRIPTION, SLUG)))


def shell_markdown() -> str:
    """The shell's page file; its search entry is dropped by the directory plugin like every generated page's."""
    return f'---\ntitle: "{TITLE}"\ndescription: "{DESCRIPTION}"\nhide: [toc]\n---\n\n{BODY}\n'


def is_shell(src_uri: str) -> bool:
    """Whether a docs-relative path (any language suffix) is a shell."""
    return src_uri.rsplit("/", 1)[-1].split(".")[0] == SLUG


@dataclass(frozen=True)
class RecordPage:
    """What differs between two record pages of one kind and language."""

    slug: str
    title: str
    description: str
    body: str


class Shell:
    """One rendered placeholder page, split at its placeholders so that filling it is a join."""

    def __init__(self, output: str, dest: Path) -> None:
        self.dest = dest
        self._parts = _PLACEHOLDERS.split(output)
        self._slots = _PLACEHOLDERS.findall(output)
        if BODY not in self._slots or TITLE not in self._slots:
            raise ValueError(f"{dest}: the theme dropped the shell's placeholders; record pages cannot be made")

    def fill(self, record: RecordPage) -> str:
        """The record's page: title and description escaped as the theme escapes front matter."""
        values = {BODY: record.body, TITLE: html.escape(record.title), DESCRIPTION: html.escape(record.description),
                  SLUG: record.slug}
        pieces = [self._parts[0]]
        for slot, part in zip(self._slots, self._parts[1:], strict=True):
            pieces += (values[slot], part)
        return "".join(pieces)

    def remove(self) -> None:
        """Delete the shell's own page from the site (its records are written beside it)."""
        shutil.rmtree(self.dest.parent, ignore_errors=True)

    def write(self, records: Iterable[RecordPage]) -> int:
        """Write every record's page beside the shell's (`…/service/<slug>/index.html`); how many."""
        folder = self.dest.parent.parent
        count = 0
        for record in records:
            target = folder / record.slug / self.dest.name
            target.parent.mkdir(exist_ok=True)
            target.write_text(self.fill(record), encoding="utf-8")
            count += 1
        return count
