"""The build's secret-finder step: `leaks.Finder` over every file of the public site, on every core.

Speed trick (the offline copy's pages were half of what the step read, `scripts/bench_site.py`): assumes
`offline.offline_page` adds no data text, so a member of the offline zip that is byte for byte what
`offline.offline_member` makes of a site file (which is scanned) is not scanned again; any other member is.
The copy's writer records, for each page, the SHA-256 of the site file it read and of the member it wrote
(`offline.Made`): a member whose digest and whose site file's digest are still those is not made again here.
"""

from __future__ import annotations

import hashlib
import posixpath
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TypeVar

from abikaart import leaks
from abikaart.site.parallel import fork_map
from abikaart.site.safety import offline

T = TypeVar("T")

CHUNK = 500
"""Files (or zip members) per task: small enough that both cores stay busy to the end."""
PDF_CHUNK = 8
"""PDFs per task: reading a PDF's text (`leaks.pdf_text`) takes about 40 ms, so they are shared out apart."""


@dataclass(frozen=True)
class Task:
    """Part of the work: some of the site's files, or some members of the offline copy."""

    paths: tuple[Path, ...] = ()
    members: tuple[str, ...] = ()


def find_leaks(finder: leaks.Finder, site_dir: Path, offline_zip: Path | None,
               part: Callable[[str], bool] = lambda name: True,
               made: Mapping[str, offline.Made] | None = None) -> list[leaks.Leak]:
    """Every withheld value in the site's files whose name (`a/b.html`) is in `part`, and in the offline copy's
    members that are not site files (`made`: what the copy's writer recorded of its pages, `offline.Copy`)."""
    copy = offline_zip if offline_zip is not None and offline_zip.is_file() else None
    paths = sorted(path for path in site_dir.rglob("*")
                   if path.is_file() and path != copy and part(path.relative_to(site_dir).as_posix()))
    names = _members(copy)
    pdfs = [path for path in paths if path.suffix.lower() == ".pdf"]  # each costs as much as a hundred pages
    tasks = [Task(paths=tuple(part)) for part in _chunks([path for path in paths if path.suffix.lower() != ".pdf"])]
    tasks += [Task(paths=tuple(part)) for part in _chunks(pdfs, PDF_CHUNK)]
    tasks += [Task(members=tuple(part)) for part in _chunks(names)]
    work = partial(_run, finder, site_dir, copy, _indexes(names), made or {})
    return [leak for part in fork_map(work, tasks) for leak in part]


def _members(copy: Path | None) -> list[str]:
    if copy is None:
        return []
    with zipfile.ZipFile(copy) as archive:
        return [info.filename for info in archive.infolist() if not info.is_dir()]


def _chunks(items: Sequence[T], size: int = CHUNK) -> list[Sequence[T]]:
    return [items[start:start + size] for start in range(0, len(items), size)]


def _indexes(members: list[str]) -> set[str]:
    """The folders with an index.html, as `write_offline_zip` saw them (from the copy's own member names)."""
    return offline.directories_with_index(_site_name(name) or name for name in members)


def _run(finder: leaks.Finder, site_dir: Path, copy: Path | None, indexes: set[str],
         made: Mapping[str, offline.Made], task: Task) -> list[leaks.Leak]:
    if not task.members:
        return leaks.scan_files(finder, site_dir, task.paths)
    assert copy is not None
    shown = copy.relative_to(site_dir).as_posix()
    found: list[leaks.Leak] = []
    with zipfile.ZipFile(copy) as archive:
        for member in task.members:
            data = archive.read(member)
            if not _made_from_site(site_dir, member, data, indexes, made.get(member)):
                found += leaks.scan_content(finder, f"{shown}:{member}", data)
    return found


def _site_name(member: str) -> str | None:
    """The site file a member of the copy stands for (`abikaart/ru/index.html` -> `ru/index.html`)."""
    prefix = offline.ROOT + "/"
    return member[len(prefix):] if member.startswith(prefix) else None


def _made_from_site(site_dir: Path, member: str, data: bytes, indexes: set[str], made: offline.Made | None) -> bool:
    """Whether `data` is exactly what the offline copy makes of a site file, so scanning that file suffices:
    by the digests the writer recorded (`made`) when there are some, else by making the member again."""
    name = _site_name(member)
    if name is None or posixpath.normpath(name) != name or name.startswith("../"):
        return False
    source = site_dir / name
    if not source.is_file():
        return False
    if made is not None:
        return (hashlib.sha256(data).digest() == made.member
                and hashlib.sha256(source.read_bytes()).digest() == made.source)
    return offline.offline_member(source, name, indexes) == data
