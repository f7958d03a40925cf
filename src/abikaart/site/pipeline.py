"""What happens to the site after MkDocs has rendered the last language: one list of steps, in order.

MkDocs (with mkdocs-static-i18n) renders the pages of every language; everything after that is here, so that
the order is written once, in `STEPS`, instead of being a protocol of hook priorities across plugins. Each
step is a function of the finished output folder (`Output`), which is what would port to another generator.
The record pages are filled first, so every later step (the safety pass above all) sees every page.

The safety plugin, last in every site's plugin list, runs the pipeline once, in the outer build's
on_post_build, when every language is on disk (`languages.inside_language_build`).
"""

from __future__ import annotations

import logging
import resource
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from mkdocs.exceptions import PluginError

from abikaart import leaks
from abikaart.directory import Directory
from abikaart.site import hosting, leakcheck, sitemap
from abikaart.site.safety import secure
from abikaart.site.safety.config import SafetyConfig
from abikaart.site.safety.offline import Made, write_offline_zip
from abikaart.site.search import index

log = logging.getLogger("mkdocs.plugins.abikaart.pipeline")

class RecordWriter(Protocol):
    """The directory plugin's part: record pages (filled into the shells the theme rendered) and downloads."""

    directory: Directory | None

    def write_records(self, site_dir: Path) -> None: ...


@dataclass(frozen=True)
class Output:
    """The finished output folder and what the steps need to know about it."""

    site_dir: Path
    site_url: str | None
    languages: Sequence[str]
    """Built locales, the default (served from the root) first; the others are in `<locale>/`."""
    public: bool
    """False for the internal site: never indexed, no sitemap, no offline copy."""
    serving: bool
    """`mkdocs serve`: a preview, no downloads and no CSP (its live-reload script changes on every request)."""
    safety: SafetyConfig
    records: RecordWriter | None
    policy: list[str] = field(default_factory=list)
    """The Content-Security-Policy the safety pass set on the pages, for the response headers (`hosting`)."""
    running: list[subprocess.Popen[str]] = field(default_factory=list)
    """Pagefind, while it indexes on another core; `finish_search_index` waits for it."""
    made: dict[str, Made] = field(default_factory=dict)
    """The offline copy's pages as its writer made them (`offline.Copy`), for the secret-finder."""


Step = Callable[[Output], None]


def fill_record_pages(output: Output) -> None:
    """Every service and organisation page, and the open data downloads (`plugin.DirectoryPlugin`)."""
    if output.records is not None:
        try:
            output.records.write_records(output.site_dir)
        except ValueError as error:  # the theme dropped a shell's placeholders, or a leaflet is too long
            raise PluginError(f"abikaart/directory: {error}") from error


def secure_pages(output: Output) -> None:
    """The safety pass over every HTML page: no third-party load, Content-Security-Policy, hardened links."""
    if output.safety.enabled:
        policy = secure.secure_site(output.site_dir, output.site_url, output.safety, csp=not output.serving)
        output.policy[:] = [policy] if policy else []


def write_headers(output: Output) -> None:
    """`_headers` for a static host: the pages' CSP as a header with `frame-ancestors 'none'`, the other
    security headers and the cache rules (`hosting`); nothing while serving a preview."""
    if not output.serving:
        hosting.write_headers(output.site_dir, output.policy[0] if output.policy else None, public=output.public)


def index_search(output: Output) -> None:
    """Mark the public site's pages for search and start Pagefind over them (`search.index`): it indexes on
    another core while the next steps run, up to `finish_search_index`, so none of them may change a page."""
    if output.public and not output.serving:
        directory = output.records.directory if output.records is not None else None
        output.running.append(index.index_site(output.site_dir, directory, output.languages))


def finish_search_index(output: Output) -> None:
    """Wait for Pagefind, then run the secret-finder over the index it wrote (`check_no_leaks` read the rest
    of the site while it was indexing)."""
    while output.running:
        try:
            index.finish(output.running.pop())
        except RuntimeError as error:
            raise PluginError(f"abikaart/search: {error}") from error
    if output.public and not output.serving:
        _no_leaks(output, lambda name: name.startswith(index.BUNDLE + "/"), offline=False)


def write_sitemap(output: Output) -> None:
    """`sitemap.xml` (and `.gz`) listing every page with its languages; the internal site has none."""
    sitemap.write_sitemap(output.site_dir, output.site_url, output.languages, public=output.public)


def write_robots(output: Output) -> None:
    """`robots.txt`: the public site points crawlers at its sitemap, the internal site turns them away."""
    sitemap.write_robots(output.site_dir, output.site_url, public=output.public)


def write_offline_copy(output: Output) -> None:
    """The zip for counsellors, made last: it holds the pages exactly as published."""
    options = output.safety
    if options.enabled and options.offline_zip and output.public and not output.serving:
        target = output.site_dir / options.offline_zip_name
        copy = write_offline_zip(output.site_dir, target)
        output.made.update(copy.made)
        secure.log.info(f"Offline copy: {target} ({copy.count} files)")


def check_no_leaks(output: Output) -> None:
    """No withheld value (a confidential place, an unconfirmed contact, an internal note, an expired notice) is
    in any file of the public site, the offline zip and `.gz` files included (`leaks`); the search index, while
    Pagefind still writes it, is read by `finish_search_index`."""
    if output.running:
        _no_leaks(output, lambda name: not name.startswith(index.BUNDLE + "/"), offline=True)
    else:
        _no_leaks(output, lambda name: True, offline=True)


def _no_leaks(output: Output, part: Callable[[str], bool], *, offline: bool) -> None:
    directory = output.records.directory if output.records is not None else None
    if not output.public or directory is None:
        return
    finder = leaks.Finder(leaks.secrets(directory))
    copy = output.site_dir / output.safety.offline_zip_name if offline and output.safety.offline_zip else None
    found = leakcheck.find_leaks(finder, output.site_dir, copy, part, output.made)
    if found:
        raise PluginError("abikaart/safety: withheld data would be published:\n" + leaks.report(found))


STEPS: tuple[Step, ...] = (
    fill_record_pages,
    secure_pages,
    write_headers,
    index_search,
    write_sitemap,
    write_robots,
    write_offline_copy,
    check_no_leaks,
    finish_search_index,
)
"""The order of the post-build steps. A new step (a final check, say) is one more line."""


def _cpu_seconds() -> float:
    """This process's CPU time and its finished children's (the worker processes, Pagefind): on a shared
    machine a step's wall time depends on the neighbours, its CPU time much less."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def run(output: Output, steps: Sequence[Step] = STEPS) -> None:
    """Run `steps` over the output, in order; a step that fails stops any program an earlier step started."""
    try:
        for step in steps:
            start, cpu = time.perf_counter(), _cpu_seconds()
            step(output)
            log.info("%s: %.1f s (CPU %.1f s)", step.__name__, time.perf_counter() - start, _cpu_seconds() - cpu)
    finally:
        for process in output.running:
            process.kill()
            process.wait()
        output.running.clear()
