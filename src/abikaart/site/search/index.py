"""The search index: mark every page of the finished site for Pagefind, then run it.

Each page gets `data-pagefind-body` on its article (the emergency bar, quick exit and navigation stay out of
results; so do, by `EXCLUDE`, what every record page repeats: labels, buttons, the checked-date line, and the
service lists of need, county and organisation pages, which would make those pages match every service's words),
and a hidden block (never shown: results show no excerpt): the page's kind (services rank first through a `kind`
filter), a service's needs (a `need` filter) and those it is the first contact for (`first`), its public phone
(shown in results), a service's entry for the list for the client (`finder.list_entry`: public contacts only, as
the service page shows them), and searchable text:
the need phrases people use for their situation and, on Estonian pages, the lemmas of its words (`forms.py`). A
word list per language (`WORDS_FILE`), fetched with the first search, lets the page correct a typo (`ohvrtele` ->
`ohvritele`) and, in Estonian, turn a typed form into the lemma the pages carry (`vägivallast` -> `vägivald`). It
also holds each need's name and situation phrases: a query that says one of them ("насилие в семье") lists that
need's services first (for a phrase that describes a situation, those open 24/7 first: `open` filter), so a
sentence in another service's text ("mediation is not for violence in the family") cannot outrank them.
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

from abikaart.directory import Directory, is_always_open
from abikaart.models import Term
from abikaart.site.finder import list_entry
from abikaart.site.pages import text
from abikaart.site.parallel import fork_imap
from abikaart.site.search.forms import EstonianForms, form_table, lemma, words

ASSETS = Path(__file__).parent / "assets"
BUNDLE = "pagefind"
WORDS_FILE = "assets/abikaart/search-words.{lang}.json"
KINDS = ("service", "organisation", "need", "county")
_RECORD = re.compile(r"(?:^|/)(service|organisation|need|county)/([^/]+)/index\.html$")
_ARTICLE = re.compile(r'<article class="md-content__inner')
_H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)
_TAG = re.compile(r"<[^>]+>")
_TEL = re.compile(r'<a href="(tel:[^"]+)"[^>]*>([^<]+)</a>')
_CONTENT = 'client-list.js"></script>'
"""Where a page's own content starts in its article, after the search box and the client list (`main.html`)."""
_UNINDEXED = re.compile(r'<ul class="abi-list">.*?</ul>|<p class="abi-(?:service-tools|verified|sources)".*?</p>'
                        r"|<script\b.*?</script>", re.S)
_LABELS = re.compile(r"<strong>.*?</strong>|<h2\b.*?</h2>", re.S)
EXCLUDE = (".abi-list", ".abi-service-tools", ".abi-verified", ".abi-sources", ".abi-service h2",
           ".abi-service strong", ".abi-organisation h2", ".abi-organisation strong")
"""What Pagefind leaves out of a page's text (`_UNINDEXED` and `_LABELS` are the same for the word lists)."""
CHUNK = 200
"""Pages per hand-out to a child process: few enough hand-outs that sending them costs nothing."""
TITLE_WEIGHT = 7
"""Pagefind's weight of an `h1`: a title's lemmas count as its words do."""
MIN_WORD = 4
"""Shorter words are not offered as corrections: too many are one letter from each other."""


@dataclass(frozen=True)
class Marks:
    kind: str
    phrases: list[str]
    phone: tuple[str, str] | None
    entry: dict[str, Any] | None = None
    """A service's entry for the list for the client (`finder.list_entry`), shown as "add to list"."""
    needs: tuple[str, ...] = ()
    """A service's needs, as Pagefind's `need` filter: the search lists a need's services first when the query
    says one of its phrases."""
    always_open: bool = False
    """A service with a channel open 24/7 (`open` filter `24/7`): first among its need's services when the query
    describes a situation."""
    first_for: tuple[str, ...] = ()
    """Needs this service is the first contact for (`first` filter, the data's `first_contact_for`): first of
    all when the query says the need."""


@dataclass(frozen=True)
class _Read:
    """What one page contributes, read in a child process: its key text (title and need phrases), marks and the
    words of its indexed text."""

    lang: str
    key: str
    title: tuple[str, ...]
    marks: Marks
    words: tuple[str, ...]
    """Every word of its indexed text, in order, repeats included: a lemma counts as often as its forms."""


def index_site(site_dir: Path, directory: Directory | None, languages: Sequence[str]) -> subprocess.Popen[str]:
    """Mark every page, write the word lists, and start Pagefind on the marked site (`pagefind/` in the site
    root). Returns the running Pagefind: the caller does other work meanwhile and then `finish`es it."""
    pages = [p for p in sorted(site_dir.rglob("*.html")) if _indexed(p.relative_to(site_dir).as_posix())]
    read = list(fork_imap(partial(_read, site_dir, directory, languages), pages, chunksize=CHUNK))
    keys = {word for info in read if info.lang == "et" for word in words(info.key)}
    forms = EstonianForms(keys)  # decodes simplemma's dictionary
    extras = [_searchable(forms, info) for info in read]
    vocabulary: dict[str, set[str]] = {lang: set() for lang in languages}
    for info, extra in zip(read, extras, strict=True):
        vocabulary[info.lang] |= {w for w in (*info.words, *extra.words) if len(w) >= MIN_WORD}
    list(fork_imap(_write_marked, list(zip(pages, read, extras, strict=True)), chunksize=CHUNK))
    table = form_table(forms, keys) if "et" in vocabulary else {}
    for lang, found in vocabulary.items():
        write_words(site_dir / WORDS_FILE.format(lang=lang), found, table if lang == "et" else {},
                    situations(directory, lang))
    shutil.copyfile(ASSETS / "search.js", site_dir / "assets/abikaart/search.js")
    return start_pagefind(site_dir)


@dataclass(frozen=True)
class Searchable:
    """A page's hidden searchable words: those of its title's weight, and the rest."""

    title: list[str]
    words: list[str]


def relative(base: str, form: str) -> str:
    """A form as how many letters to drop from its lemma's end, then what to add: `relative("vägivald",
    "vägivallast") == "1last"`. An Estonian lemma's forms share its beginning, so the word list is a third of
    its size compressed (search.js decodes it)."""
    shared = 0
    while shared < min(len(base), len(form)) and base[shared] == form[shared]:
        shared += 1
    return f"{len(base) - shared}{form[shared:]}"


def _searchable(forms: EstonianForms, info: _Read) -> Searchable:
    """The hidden searchable words of a page: its need phrases' words and, in Estonian, the lemmas of its words
    (once for every form of them on the page, so that a page about a word still ranks first for it) and of its
    key words' compound tails. The title's lemmas weigh as the title does."""
    present = set(info.words)
    key = [w for w in dict.fromkeys(words(info.key)) if w not in present]
    if info.lang != "et":
        return Searchable([], key)
    title = [base for word in info.title for base in sorted(forms.lemmas(word)) if base != word]
    body = [lemma(word) for word in info.words if lemma(word) != word]
    tails = [base for word in dict.fromkeys(words(info.key)) for base in sorted(forms.lemmas(word))]
    carried = present | set(body)
    return Searchable(title, key + body + [base for base in dict.fromkeys(tails) if base not in carried])


def situations(directory: Directory | None, lang: str) -> dict[str, list[str]]:
    """Each need's name and search phrases in `lang`, lower case: what a person types to say they have it."""
    needs = directory.taxonomies.get("needs", {}) if directory is not None else {}
    return {need_id: sorted({phrase.lower() for phrase in _said(need, lang)})
            for need_id, need in sorted(needs.items())}


def _said(need: Term, lang: str) -> list[str]:
    """A need's name and search phrases in `lang`: what a service page with that need is found by, and what a
    query that says one of them is matched against (`situations`)."""
    return [text(need.name, lang).text, *need.search_phrases.get(lang, [])]  # type: ignore[call-overload]


def write_words(target: Path, vocabulary: set[str], table: dict[str, str],
                needs: dict[str, list[str]] | None = None) -> None:
    """The page's word list, `{"words": [...], "needs": {...}}`. Words: one string a lemma, its forms after it
    as `relative` writes them (`"vägivald 1la 1last"` for vägivalla, vägivallast), then one a word with no forms
    in `table`: the search box corrects a typo to any of them and searches for a form's lemma (the first word of
    its string). Needs: each need's phrases (`situations`), so a query that says one lists that need's services
    first."""
    groups: dict[str, list[str]] = {}
    for form, base in sorted(table.items()):
        if form != base and not any(ch.isdigit() for ch in form):  # `relative` needs a form without digits
            groups.setdefault(base, []).append(form)
    lines = [" ".join([base, *(relative(base, form) for form in found)]) for base, found in sorted(groups.items())]
    covered = set(groups).union(*groups.values())
    lines += sorted(vocabulary - covered)
    target.parent.mkdir(parents=True, exist_ok=True)
    content = {"words": lines, "needs": needs or {}}
    target.write_text(json.dumps(content, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _read(site_dir: Path, directory: Directory | None, languages: Sequence[str], page: Path) -> _Read:
    name = page.relative_to(site_dir).as_posix()
    content = page.read_text(encoding="utf-8")
    lang = _lang(name, languages)
    marks = _marks(name, content, directory, lang)
    title = _title(content)
    return _Read(lang, title + " " + " ".join(marks.phrases), tuple(words(title)), marks, tuple(words(_text(content))))


def _text(page: str) -> str:
    """The text Pagefind indexes of a page, before marking: its article's own content without `EXCLUDE`."""
    start = page.find("<article")
    content = page.find(_CONTENT, start)
    end = page.rfind("</article>")
    article = page[(content if content >= 0 else max(start, 0)):(end if end >= 0 else len(page))]
    article = _LABELS.sub(" ", _UNINDEXED.sub(" ", article))
    return html.unescape(_TAG.sub(" ", article))


def _write_marked(item: tuple[Path, _Read, Searchable]) -> None:
    page, info, extra = item
    page.write_text(mark_page(page.read_text(encoding="utf-8"), info.marks, extra), encoding="utf-8")


def start_pagefind(site_dir: Path) -> subprocess.Popen[str]:
    """The Pagefind binary from the `pagefind[extended]` wheel (no download, works offline), started in the
    background: it runs on its own core while the build writes the offline copy."""
    command = [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--output-subdir", BUNDLE, "--quiet",
               "--exclude-selectors", ", ".join(EXCLUDE)]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(process: subprocess.Popen[str]) -> None:
    """Wait for Pagefind; its failure is the build's."""
    out, err = process.communicate()
    if process.returncode != 0:
        raise RuntimeError(f"pagefind failed ({process.returncode}): {err.strip() or out.strip()}")


def run_pagefind(site_dir: Path) -> None:
    """Pagefind over `site_dir`, waiting for it."""
    finish(start_pagefind(site_dir))


def mark_page(page: str, marks: Marks, searchable: Searchable) -> str:
    """`page` with its article marked for indexing and the hidden search block at the article's end."""
    e = html.escape
    page = _ARTICLE.sub('<article data-pagefind-body class="md-content__inner', page, count=1)
    parts = [f'<span data-pagefind-filter="kind">{e(marks.kind)}</span>',
             *(f'<span data-pagefind-filter="need">{e(need)}</span>' for need in marks.needs),
             *(['<span data-pagefind-filter="open">24/7</span>'] if marks.always_open else []),
             *(f'<span data-pagefind-filter="first">{e(need)}</span>' for need in marks.first_for),
             f'<span data-pagefind-weight="{TITLE_WEIGHT}">{e(" ".join(searchable.title))}</span>',
             f'<span>{e(" ".join(searchable.words))}</span>']
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
    service_needs: tuple[str, ...] = ()
    if found and directory is not None:
        needs = directory.taxonomies.get("needs", {})
        if kind == "need" and found[2] in needs:
            phrases = needs[found[2]].search_phrases.get(lang, [])  # type: ignore[call-overload]
        elif kind == "service" and found[2] in directory.services:
            service_needs = tuple(directory.services[found[2]].needs)
            phrases = [phrase for need in service_needs if need in needs for phrase in _said(needs[need], lang)]
    phone = None
    entry = None
    always = False
    first_for: tuple[str, ...] = ()
    if kind == "service":
        start = page.find("<article")
        tel = _TEL.search(page, start if start >= 0 else 0)
        phone = (tel[1], html.unescape(tel[2])) if tel else None
        if found and directory is not None and found[2] in directory.services:
            service = directory.services[found[2]]
            entry = list_entry(directory, service, lang)
            always = is_always_open(service)
            first_for = tuple(service.first_contact_for)
    return Marks(kind, list(phrases), phone, entry, service_needs, always, first_for)
