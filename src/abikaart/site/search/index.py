"""The search index: mark every page of the finished site for Pagefind, then run it.

Each page gets `data-pagefind-body` on its article (the emergency bar, quick exit and navigation stay out of
results), and a hidden block
(never shown: results show no excerpt) with metadata Pagefind searches: the page's kind (services rank
first through a `kind` filter), its public phone (shown in results), a service's entry for the list for the
client (`finder.list_entry`: public contacts only, as the service page shows them), the need phrases people
use for their situation, and the Estonian forms of its key words (`forms.py`). A list of the site's words per
language lets the page correct a typo (`ohvrtele` -> `ohvritele`) when a search finds nothing; it is fetched only then.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from abikaart.directory import Directory
from abikaart.site.finder import list_entry
from abikaart.site.pages import text
from abikaart.site.parallel import fork_imap
from abikaart.site.search.forms import EstonianForms, words

ASSETS = Path(__file__).parent / "assets"
BUNDLE = "pagefind"
WORDS_FILE = "assets/abikaart/search-words.{lang}.json"
KINDS = ("service", "organisation", "need", "county")
_RECORD = re.compile(r"(?:^|/)(service|organisation|need|county)/([^/]+)/index\.html$")
_ARTICLE = re.compile(r'<article class="md-content__inner')
_H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)
_TAG = re.compile(r"<[^>]+>")
_TEL = re.compile(r'<a href="(tel:[^"]+)"[^>]*>([^<]+)</a>')
CHUNK = 200
"""Pages per hand-out to a child process: few enough hand-outs that sending them costs nothing."""
MIN_WORD = 4
"""Shorter words are not offered as corrections: too many are one letter from each other."""


@dataclass(frozen=True)
class Marks:
    kind: str
    phrases: list[str]
    phone: tuple[str, str] | None
    entry: dict[str, Any] | None = None
    """A service's entry for the list for the client (`finder.list_entry`), shown as "add to list"."""


@dataclass(frozen=True)
class _Read:
    """What one page contributes, read in a child process: its index key text, marks and plain words."""

    lang: str
    key: str
    marks: Marks
    words: frozenset[str]


def index_site(site_dir: Path, directory: Directory | None, languages: Sequence[str]) -> subprocess.Popen[str]:
    """Mark every page, write the correction words, and start Pagefind on the marked site (`pagefind/` in the
    site root). Returns the running Pagefind: the caller does other work meanwhile and then `finish`es it."""
    pages = [p for p in sorted(site_dir.rglob("*.html")) if _indexed(p.relative_to(site_dir).as_posix())]
    read = list(fork_imap(partial(_read, site_dir, directory, languages), pages, chunksize=CHUNK))
    forms = EstonianForms(info.key for info in read if info.lang == "et")  # decodes simplemma's dictionary
    extras = [forms.of_text(info.key) if info.lang == "et" else set(words(info.key)) for info in read]
    vocabulary: dict[str, set[str]] = {lang: set() for lang in languages}
    for info, extra in zip(read, extras, strict=True):
        vocabulary[info.lang] |= info.words | {w for w in extra if len(w) >= MIN_WORD}
    list(fork_imap(_write_marked, list(zip(pages, read, extras, strict=True)), chunksize=CHUNK))
    for lang, found in vocabulary.items():
        target = site_dir / WORDS_FILE.format(lang=lang)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(sorted(found), ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    shutil.copyfile(ASSETS / "search.js", site_dir / "assets/abikaart/search.js")
    return start_pagefind(site_dir)


def _read(site_dir: Path, directory: Directory | None, languages: Sequence[str], page: Path) -> _Read:
    name = page.relative_to(site_dir).as_posix()
    content = page.read_text(encoding="utf-8")
    lang = _lang(name, languages)
    marks = _marks(name, content, directory, lang)
    plain = {w for w in words(_TAG.sub(" ", content)) if len(w) >= MIN_WORD}
    return _Read(lang, _title(content) + " " + " ".join(marks.phrases), marks, frozenset(plain))


def _write_marked(item: tuple[Path, _Read, set[str]]) -> None:
    page, info, extra = item
    page.write_text(mark_page(page.read_text(encoding="utf-8"), info.marks, extra), encoding="utf-8")


def start_pagefind(site_dir: Path) -> subprocess.Popen[str]:
    """The Pagefind binary from the `pagefind[extended]` wheel (no download, works offline), started in the
    background: it runs on its own core while the build writes the offline copy."""
    command = [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--output-subdir", BUNDLE, "--quiet"]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(process: subprocess.Popen[str]) -> None:
    """Wait for Pagefind; its failure is the build's."""
    out, err = process.communicate()
    if process.returncode != 0:
        raise RuntimeError(f"pagefind failed ({process.returncode}): {err.strip() or out.strip()}")


def run_pagefind(site_dir: Path) -> None:
    """Pagefind over `site_dir`, waiting for it."""
    finish(start_pagefind(site_dir))


def mark_page(page: str, marks: Marks, forms: set[str]) -> str:
    """`page` with its article marked for indexing and the hidden search block at the article's end."""
    e = html.escape
    page = _ARTICLE.sub('<article data-pagefind-body class="md-content__inner', page, count=1)
    parts = [f'<span data-pagefind-filter="kind">{e(marks.kind)}</span>',
             f'<span data-pagefind-meta="forms">{e(" ".join(sorted(forms | set(marks.phrases))))}</span>']
    if marks.phone is not None:
        parts += [f'<span data-pagefind-meta="tel">{e(marks.phone[0])}</span>',
                  f'<span data-pagefind-meta="phone">{e(marks.phone[1])}</span>']
    if marks.entry is not None:
        entry = json.dumps(marks.entry, ensure_ascii=False, separators=(",", ":"))
        # from an attribute, so the entry is metadata only, not searchable page text
        parts.append(f'<span data-pagefind-meta="list[data-list]" data-list="{e(entry)}"></span>')
    block = f'<div hidden>{"".join(parts)}</div>'
    end = page.rfind("</article>")
    return page if end < 0 else page[:end] + block + page[end:]


def _indexed(name: str) -> bool:
    return name.endswith(".html") and not name.endswith("404.html") and not name.startswith(("assets/", BUNDLE))


def _lang(name: str, languages: Sequence[str]) -> str:
    first = name.split("/", 1)[0]
    return first if first in languages[1:] else languages[0]


def _title(page: str) -> str:
    found = _H1.search(page)
    return html.unescape(_TAG.sub("", found[1])) if found else ""


def _marks(name: str, page: str, directory: Directory | None, lang: str) -> Marks:
    """What the search block says about a page: its kind, need phrases, and (services) its first public phone."""
    found = _RECORD.search(name)
    kind = found[1] if found else "page"
    phrases: list[str] = []
    if found and directory is not None:
        needs = directory.taxonomies.get("needs", {})
        if kind == "need" and found[2] in needs:
            phrases = needs[found[2]].search_phrases.get(lang, [])  # type: ignore[call-overload]
        elif kind == "service" and found[2] in directory.services:
            for need in directory.services[found[2]].needs:
                if need in needs:
                    phrases = [*phrases, text(needs[need].name, lang).text]
                    phrases = phrases + needs[need].search_phrases.get(lang, [])  # type: ignore[call-overload]
    phone = None
    entry = None
    if kind == "service":
        start = page.find("<article")
        tel = _TEL.search(page, start if start >= 0 else 0)
        phone = (tel[1], html.unescape(tel[2])) if tel else None
        if found and directory is not None and found[2] in directory.services:
            entry = list_entry(directory, directory.services[found[2]], lang)
    return Marks(kind, list(phrases), phone, entry)
