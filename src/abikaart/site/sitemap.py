"""`sitemap.xml` and `robots.txt`, made from the finished output folder and two Jinja templates.

The sitemap is read off the folder (every `<path>/index.html` of every language), not off MkDocs' page list:
record pages are filled in after MkDocs has written its own sitemap, and a folder is what another generator
would leave too. Each address lists its translations as `xhtml:link` alternates (hreflang), which is how
search engines learn the languages: the pages themselves carry no `<link rel="alternate" hreflang>`, because
Material's script fetches a `sitemap.xml` beside every such link (`markup.drop_language_alternates`).
"""

from __future__ import annotations

import gzip
import os
import shutil
from collections.abc import Iterator, Sequence, Set
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined

SITEMAP = "sitemap.xml"
PACKED = "sitemap.xml.gz"
ROBOTS = "robots.txt"
SKIPPED = frozenset({"assets", "search", "data"})
"""Top folders that hold no page (theme files, the search index, the open data)."""


@dataclass(frozen=True)
class Alternate:
    lang: str
    loc: str


@dataclass(frozen=True)
class Entry:
    """One address of the sitemap and every language it exists in (itself included)."""

    loc: str
    alternates: tuple[Alternate, ...]


@cache
def _templates() -> Environment:
    return Environment(loader=PackageLoader("abikaart", "templates/site"), autoescape=True,
                       undefined=StrictUndefined, keep_trailing_newline=True)


def pages(site_dir: Path, languages: Sequence[str]) -> dict[str, set[str]]:
    """Each language's pages as folder paths relative to its root (`""` for the home page, `directory/x/`)."""
    found: dict[str, set[str]] = {}
    for index, lang in enumerate(languages):
        root = site_dir if index == 0 else site_dir / lang
        skip = SKIPPED | (set(languages[1:]) if index == 0 else set())
        found[lang] = set(_index_folders(root, skip))
    return found


def _index_folders(root: Path, skip: Set[str]) -> Iterator[str]:
    for dirpath, dirnames, filenames in os.walk(root):
        relative = Path(dirpath).relative_to(root).as_posix()
        if relative == ".":
            dirnames[:] = [name for name in dirnames if name not in skip]
            relative = ""
        else:
            relative += "/"
        if "index.html" in filenames:
            yield relative


def entries(site_url: str, found: dict[str, set[str]], languages: Sequence[str]) -> list[Entry]:
    """Every page of every language, in a stable order, each with the alternates of its address."""
    base = site_url.rstrip("/") + "/"
    prefix = {lang: "" if index == 0 else f"{lang}/" for index, lang in enumerate(languages)}
    result: list[Entry] = []
    for path in sorted(set().union(*found.values())):
        alternates = tuple(Alternate(lang, base + prefix[lang] + path) for lang in languages if path in found[lang])
        result += [Entry(alternate.loc, alternates if len(alternates) > 1 else ()) for alternate in alternates]
    return result


def render_sitemap(site_url: str, found: dict[str, set[str]], languages: Sequence[str]) -> str:
    return _templates().get_template("sitemap.xml.j2").render(entries=entries(site_url, found, languages))


def write_sitemap(site_dir: Path, site_url: str | None, languages: Sequence[str], *, public: bool) -> None:
    """The public site's sitemap (plain and gzipped) at the root and in each language folder, where Material's
    language switcher looks; the internal site gets none, and the one MkDocs wrote is removed."""
    folders = [site_dir, *(site_dir / lang for lang in languages[1:] if (site_dir / lang).is_dir())]
    if not public or not site_url:
        for folder in folders:
            for name in (SITEMAP, PACKED):
                (folder / name).unlink(missing_ok=True)
        return
    text = render_sitemap(site_url, pages(site_dir, languages), languages).encode("utf-8")
    (site_dir / SITEMAP).write_bytes(text)
    with gzip.GzipFile(site_dir / PACKED, "wb", mtime=0) as packed:
        packed.write(text)
    for folder in folders[1:]:
        for name in (SITEMAP, PACKED):
            shutil.copyfile(site_dir / name, folder / name)


def write_robots(site_dir: Path, site_url: str | None, *, public: bool) -> None:
    """Public: crawl everything, here is the sitemap. Internal: crawl nothing."""
    sitemap = f"{site_url.rstrip('/')}/{SITEMAP}" if public and site_url else None
    text = _templates().get_template("robots.txt.j2").render(public=public, sitemap=sitemap)
    (site_dir / ROBOTS).write_text(text, encoding="utf-8")
