"""The internal guidance site's generated pages: referral paths per need, contacts to verify, the reports,
the dashboard (with its CSV files) and the letter templates with their fill-in forms.

Counsellors need what the public site must never show: unverified contacts (`to_verify`) and
`internal_note`s. The `abikaart/internal` MkDocs plugin loads the directory once per process, builds the page
models (`internal_pages.py`, which reuse the public site's models with `audience="internal"`, and
`letter_pages.py`), renders them through the same Jinja environment and templates as the public site
(`render.py`, `templates/pages/`) in et/ru/en, and writes them into a git-ignored folder inside `docs_dir`
before mkdocs-static-i18n collects the files, so each page gets its translations and language switcher.

A plugin rather than a `hooks:` file: MkDocs executes a hooks file as a fresh module on every config
load (a second copy of this module, and `mkdocs serve` reloads the config on each rebuild), so a
per-process cache would not survive; a plugin is imported once, like the directory and safety plugins.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority

from abikaart import coverage
from abikaart.directory import Directory, LoadResult, load_cached
from abikaart.letters import LetterError, load_templates
from abikaart.models import LANGS
from abikaart.problems import format_problems, has_errors
from abikaart.site import internal_pages
from abikaart.site.internal_finder import finder_pages, write_finder_assets
from abikaart.site.languages import inside_language_build
from abikaart.site.letter_form import write_assets
from abikaart.site.letter_pages import LetterPage, LettersIndexPage, letter_page, letters_index, render_letter_assets
from abikaart.site.render import environment, strings, yaml_string

TEMPLATES: dict[type[Any], str] = {
    internal_pages.ReferralPage: "pages/internal/referral.html.j2",
    internal_pages.ReferralIndexPage: "pages/internal/referral_index.html.j2",
    internal_pages.ToVerifyPage: "pages/internal/to_verify.html.j2",
    internal_pages.ReportsPage: "pages/internal/reports.html.j2",
    internal_pages.DashboardPage: "pages/internal/dashboard.html.j2",
    LettersIndexPage: "pages/internal/letters_index.html.j2",
    LetterPage: "pages/internal/letter.html.j2",
}


def _suffix(lang: str) -> str:
    """The file suffix mkdocs-static-i18n expects: none for Estonian, `.ru`/`.en` otherwise."""
    return "" if lang == "et" else f".{lang}"


def failure_message(result: LoadResult) -> str:
    """Every problem, then a count: what the plugin and the CLI print when the data is broken."""
    errors = sum(problem.level == "error" for problem in result.problems)
    return (f"{format_problems(result.problems, 'text')}\n{errors} error(s) in {result.files} file(s) of the "
            "directory: the internal site was not built")


def render_page(page: internal_pages.InternalPage | LetterPage | LettersIndexPage, title: str) -> str:
    """A page file for MkDocs: front matter (the title, HTML-escaped), then the template's one HTML block
    (Markdown passes it through untouched, so data never becomes Markdown either)."""
    output = environment().get_template(TEMPLATES[type(page)]).render(
        page=page, s=strings()[page.lang], here=page.path, paths_index=internal_pages.REFERRAL_INDEX)
    body = "\n".join(line for line in output.splitlines() if line.strip())
    return f"---\ntitle: {yaml_string(title)}\nhide: [toc]\n---\n\n{body}\n"


def render_pages(directory: Directory, today: dt.date, reports: Path) -> dict[str, str]:
    """Every generated page and the dashboard's CSV files, keyed by their path inside the generated folder."""
    found = coverage.figures(directory, today)
    files: dict[str, str] = {}
    for lang in LANGS:
        s, suffix = strings()[lang], _suffix(lang)
        files[f"to-verify{suffix}.md"] = render_page(
            internal_pages.to_verify_page(directory, found, lang, s), s["int_verify_title"])
        files[f"reports{suffix}.md"] = render_page(internal_pages.reports_page(reports, today, lang),
                                                   s["int_reports_title"])
        files[f"referrals/index{suffix}.md"] = render_page(internal_pages.referral_index(directory, today, lang),
                                                           s["int_referrals_title"])
        for need, term in directory.taxonomies["needs"].items():
            title = s["int_need_title"].format(need=term.name.get(lang))
            files[f"referrals/{need}{suffix}.md"] = render_page(
                internal_pages.referral_page(directory, need, today, lang, title), title)
        files[f"dashboard{suffix}.md"] = render_page(internal_pages.dashboard_page(directory, found, lang, s),
                                                     s["dash_title"])
        for name, table in coverage.csv_tables(directory, found, lang).items():
            files[f"dashboard/{name}"] = table
    return files


def render_letter_pages(folder: Path) -> dict[str, str]:
    """Every letter page (`letter_pages.py`) in every language, keyed by its path inside the generated folder."""
    templates = load_templates(folder)
    files: dict[str, str] = {}
    for lang in LANGS:
        s, suffix = strings()[lang], _suffix(lang)
        files[f"letters/index{suffix}.md"] = render_page(letters_index(templates, lang), s["letter_index_title"])
        for template in templates.values():
            files[f"letters/{template.name}{suffix}.md"] = render_page(letter_page(template, lang),
                                                                        template.title[lang])
    return files


def write_pages(folder: Path, pages: dict[str, str]) -> int:
    """Write pages whose content changed and remove pages no longer generated; return how many were written.

    Writing only on change keeps `mkdocs serve` from rebuilding forever on its own output.
    """
    written = 0
    for relative, text in pages.items():
        path = folder / relative
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written += 1
    for stale in _stale(folder, pages):
        stale.unlink()
    return written


def _stale(folder: Path, pages: Iterable[str]) -> list[Path]:
    keep = {folder / relative for relative in pages}
    found = [*folder.rglob("*.md"), *folder.rglob("*.csv")] if folder.is_dir() else []
    return [path for path in found if path not in keep]


# Plugin --------------------------------------------------------------------------------------------------


NOINDEX = '<meta name="robots" content="noindex, nofollow">'


class InternalConfig(Config):  # type: ignore[no-untyped-call]  # mkdocs leaves __init_subclass__ untyped
    """Options of `abikaart/internal` in mkdocs.internal.yml."""

    enabled = opt.Type(bool, default=True)
    directory = opt.Type(str, default="directory")
    """The directory data, relative to the config file."""
    generated_dir = opt.Type(str, default="_generated")
    """Folder inside docs_dir for the generated pages; git-ignored."""
    reports_dir = opt.Type(str, default="reports")
    """Folder inside docs_dir where the statistics notebook writes reports/<period>/."""
    letters = opt.Type(str, default="letters")
    """The letter templates folder, relative to the config file (pages under generated_dir/letters/)."""
    noindex = opt.Type(bool, default=True)
    """Ask search engines not to index or follow the site, should it ever be reachable."""


class InternalPlugin(BasePlugin[InternalConfig]):  # type: ignore[no-untyped-call]  # as above
    """Writes the "to verify", referral, reports and dashboard pages of the internal site from the directory."""

    def root(self, config: MkDocsConfig) -> Path:
        """The directory folder, resolved against the config file's folder."""
        base = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
        return (base / self.config.directory).resolve()

    # on_pre_build runs before MkDocs collects the files, so the pages are on disk when both MkDocs and
    # mkdocs-static-i18n (on_files, priority -100) look for them; i18n calls it again for each language.
    @event_priority(50)
    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        if not self.config.enabled:
            return
        result = load_cached(self.root(config))
        if result.directory is None or has_errors(result.problems):
            raise PluginError(failure_message(result))
        docs = Path(config.docs_dir)
        pages = render_pages(result.directory, dt.date.today(), docs / self.config.reports_dir)
        base = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
        letters = base / self.config.letters
        try:
            pages.update(render_letter_pages(letters))
            assets = render_letter_assets(letters)
        except (LetterError, OSError) as exc:
            raise PluginError(f"letters ({letters}): {exc}") from None
        pages.update(finder_pages(result.directory, self.config.generated_dir))  # the finder (internal_finder.py)
        write_pages(docs / self.config.generated_dir, pages)
        write_assets(docs / self.config.generated_dir, assets)

    # After mkdocs-static-i18n has built the other languages (-100), before the safety pipeline (-150).
    @event_priority(-120)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """The internal finder's data, scripts and stylesheet (`internal_finder.py`), once for the whole site."""
        if self.config.enabled and not inside_language_build(config):
            directory = load_cached(self.root(config)).directory
            if directory is not None:
                write_finder_assets(directory, Path(config.site_dir), self.config.generated_dir)

    def on_post_page(self, output: str, /, *, page: Any, config: MkDocsConfig) -> str:
        """Internal guidance is for counsellors only: keep it out of search engines if it is ever exposed."""
        if not (self.config.enabled and self.config.noindex) or NOINDEX in output:
            return output
        return output.replace("<head>", "<head>" + NOINDEX, 1)

    def on_post_template(self, output_content: str, /, *, template_name: str, config: MkDocsConfig) -> str:
        """The 404 page is a theme template, not a page: it gets the same request."""
        return self.on_post_page(output_content, page=None, config=config)

    def on_serve(self, server: Any, /, *, config: MkDocsConfig, builder: Any) -> Any:
        """Rebuild when a directory file changes, not only when a page does."""
        if self.config.enabled:
            server.watch(str(self.root(config)))
        return server
