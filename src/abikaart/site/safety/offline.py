"""The offline copy: the built site as a zip that works opened from disk (file://), for counsellors."""

from __future__ import annotations

import hashlib
import posixpath
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from abikaart.site.parallel import fork_imap

_LINK_ATTRS = (re.compile(r'href="([^"]*)"'), re.compile(r'src="([^"]*)"'))
"""One pattern per attribute: a pattern that starts with a literal is searched for ten times faster than one
that starts with a class of characters or an alternation. The name's case is as the theme and our templates write it."""
_SEARCH_FORM = re.compile(r"(<form\b[^>]*?)\s+name=\"search\"", re.IGNORECASE)
_HTML_TAG = re.compile(r"<html\b", re.IGNORECASE)
_PLAIN_PATH = re.compile(r"(?!//)[^\x00-\x20:?#][^:?#\t\r\n]*")
"""A URL that is a path and nothing else: no scheme, host, query or fragment, nothing urlsplit would strip."""
OFFLINE_CLASS = "abk-offline"
ROOT = "abikaart"
STORED = frozenset({".gz", ".zip", ".pdf", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".ico", ".woff", ".woff2"})
"""Already compressed: deflating them again costs time and saves nothing."""
PAGE_LEVEL = 4
"""Pages are many small files: above level 4, deflate takes twice as long for 2-3 % less."""
DATA_LEVEL = 6
"""The exports and assets are few and large, and repetitive enough that level 6 saves a fifth over level 4."""


@dataclass(frozen=True)
class Copy:
    """What `write_offline_zip` wrote: how many files, and for each page made to work from disk, the digests of
    the site file it was made from and of the member (`Made`), so the secret-finder need not make it again."""

    count: int
    made: dict[str, Made]


@dataclass(frozen=True)
class Made:
    """A page's member of the copy: SHA-256 of the site file as read, and of what the copy holds for it."""

    source: bytes
    member: bytes


def write_offline_zip(site_dir: Path, target: Path) -> Copy:
    """Zip every file of `site_dir` (except `target`) under `abikaart/`, HTML made to work from disk.

    The other cores read and rewrite the next pages while this process compresses and writes the last ones.
    """
    files = sorted(path for path in site_dir.rglob("*") if path.is_file() and _belongs(path, site_dir, target))
    names = [path.relative_to(site_dir).as_posix() for path in files]
    indexes = directories_with_index(names)

    def prepare(index: int) -> tuple[bytes, Made] | None:
        """The page made to work from disk, with its digests; None for a file zipped as it is."""
        if files[index].suffix != ".html":
            return None
        source = files[index].read_bytes()
        page = offline_page_bytes(source, names[index], indexes)
        return page, Made(hashlib.sha256(source).digest(), hashlib.sha256(page).digest())

    made: dict[str, Made] = {}
    partial = target.with_name(target.name + ".part")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=DATA_LEVEL) as archive:
        pages = fork_imap(prepare, range(len(files)), chunksize=64)
        for path, name, page in zip(files, names, pages, strict=True):
            if page is not None:
                archive.writestr(f"{ROOT}/{name}", page[0], compresslevel=PAGE_LEVEL)
                made[f"{ROOT}/{name}"] = page[1]
            elif path.suffix.lower() in STORED:
                archive.write(path, f"{ROOT}/{name}", compress_type=zipfile.ZIP_STORED)
            else:
                archive.write(path, f"{ROOT}/{name}")
    partial.replace(target)
    return Copy(len(files), made)


def offline_member(path: Path, name: str, indexes: set[str]) -> bytes:
    """What the copy holds for the site's file `path` (`name` relative to the site): a page made to work from
    disk, any other file as it is. The secret-finder compares members with this, so both use one function."""
    if path.suffix != ".html":
        return path.read_bytes()
    return offline_page_bytes(path.read_bytes(), name, indexes)


def offline_page_bytes(source: bytes, name: str, indexes: set[str]) -> bytes:
    """`offline_page` of a page file's bytes, decoded as `Path.read_text` does (UTF-8, universal newlines)."""
    text = source.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    return offline_page(text, name, indexes).encode("utf-8")


def offline_page(page: str, name: str, indexes: set[str]) -> str:
    """One page for file://: links to folders point at their index.html, and search (a web worker, which
    browsers refuse to start from disk) is switched off instead of failing."""
    here = posixpath.dirname(name)

    def fix(match: re.Match[str]) -> str:
        if not match.string[match.start() - 1].isspace():  # `data-href="…"`: not a link
            return match.group(0)
        return f'{match.group(0)[:match.start(1) - match.start()]}{offline_url(match.group(1), here, indexes)}"'

    for pattern in _LINK_ATTRS:
        page = pattern.sub(fix, page)
    return _finish_page(page)


def _finish_page(page: str) -> str:
    """Search off (its web worker cannot start from disk), and the class that says the copy is offline."""
    page = _SEARCH_FORM.sub(r"\1", page)
    return _HTML_TAG.sub(f'<html class="{OFFLINE_CLASS}"', page, count=1)


def offline_url(url: str, here: str, indexes: set[str]) -> str:
    """`url` as seen from the folder `here`, pointing at a file rather than a folder when it is one of ours."""
    if _PLAIN_PATH.fullmatch(url):  # most links: what urlsplit would return as the path alone, without calling it
        original, query, fragment = url, "", ""
    else:
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not parts.path:
            return url
        original, query, fragment = parts.path, parts.query, parts.fragment
    path = original
    if path.startswith("/"):
        path = posixpath.relpath(path.lstrip("/") or ".", here or ".")
        path += "/" if original.endswith("/") and not path.endswith("/") else ""
    target = posixpath.normpath(posixpath.join(here, path))
    if target in indexes:
        path = path.rstrip("/") + "/index.html" if path not in (".", "./") else "index.html"
    return path + (f"?{query}" if query else "") + (f"#{fragment}" if fragment else "")


def _belongs(path: Path, site_dir: Path, target: Path) -> bool:
    """Everything but the zip itself and what only works online (the search index, sitemaps, robots.txt)."""
    name = path.relative_to(site_dir).as_posix()
    return (path != target and not name.startswith(("search/", "pagefind/")) and not path.name.startswith("sitemap.xml")
            and name != "robots.txt")


def directories_with_index(names: Iterable[str]) -> set[str]:
    """Folders (as normalised relative paths, `.` for the root) that hold an index.html."""
    return {posixpath.dirname(name) or "." for name in names if posixpath.basename(name) == "index.html"}
