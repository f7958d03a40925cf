"""The `abikaart/directory` MkDocs plugin: the directory becomes pages, in every site language.

mkdocs-static-i18n builds once per language by calling the whole build again, so every hook here runs
three times: the directory is loaded and validated once per process (and again only when its files
change), and the generated Markdown is written once, only where its content changed (or `mkdocs serve`
would rebuild forever).

Two kinds of generated page: the list pages (the directory's index, needs, counties: a few dozen whatever
the size of the directory) are MkDocs pages; the record pages (a service or an organisation each, tens of
thousands) are a shell that MkDocs renders once per kind and language, filled in per record (`shell.py`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from abikaart.directory import Directory, Fingerprint, load_cached, loaded_fingerprint
from abikaart.models import LANGS
from abikaart.problems import format_problems, has_errors
from abikaart.site import pages, shell
from abikaart.site.config import (
    SAFETY_PLUGIN,
    DirectoryConfig,
    audience_problem,
    generated_dir_problem,
    public_site_problem,
    shell_settings_problem,
)
from abikaart.site.languages import current_language, inside_language_build
from abikaart.site.parallel import fork_map
from abikaart.site.render import Renderer, description, strings, title

log = get_plugin_logger(__name__)

PLUGIN = "abikaart/directory"

RECORD_BATCH = 500
"""Record pages per task for the cores: small enough to share the work evenly, big enough to cost nothing."""


@dataclass(frozen=True)
class Generated:
    """One generated Markdown file: its docs-relative path (language suffix included) and content."""

    path: str
    content: str


def localized(path: str, lang: str) -> str:
    """`x.md` for Estonian, `x.ru.md` / `x.en.md` for the others (mkdocs-static-i18n's suffix layout)."""
    return path if lang == "et" else f"{path.removesuffix('.md')}.{lang}.md"


def generate(directory: Directory, paths: pages.Paths, audience: pages.Audience,
             leaflets_dir: str | None = None) -> Iterator[Generated]:
    """Every generated page file in every language: the list pages (county pages link to their leaflet in
    `leaflets_dir`, when the build writes them), and the shells of the record pages."""
    renderer = Renderer(paths)
    for lang in LANGS:
        labels = strings()[lang]
        with pages.shared_summaries():
            models = _list_models(directory, lang, paths, audience, labels, leaflets_dir)
        for model in models:
            yield Generated(localized(model.path, lang), renderer.markdown(model))
        for path in (paths.service(shell.SLUG), paths.organisation(shell.SLUG)):
            yield Generated(localized(path, lang), shell.shell_markdown())


ListModel = pages.ListPage | pages.IndexPage
RecordModel = pages.ServicePage | pages.OrganisationPage


def _list_models(directory: Directory, lang: str, paths: pages.Paths, audience: pages.Audience,
                 labels: dict[str, str], leaflets_dir: str | None = None) -> list[ListModel]:
    """The pages that list records, as models: a few dozen, whatever the directory's size."""
    models: list[ListModel] = [
        pages.directory_index(directory, lang, paths),
        pages.organisations_index(directory, lang, paths),
        pages.always_open_page(directory, lang, paths, labels["always_open_title"], audience),
        pages.nationwide_page(directory, lang, paths, labels["nationwide"], audience),
    ]
    models += [pages.need_page(directory, n, lang, paths, audience) for n in directory.taxonomies["needs"]]
    models += [pages.county_page(directory, c, lang, paths, audience,
                                 _leaflet_file(leaflets_dir, c, lang) if leaflets_dir else None)
               for c in directory.taxonomies["counties"]]
    return models


def _leaflet_file(leaflets_dir: str, county: str, lang: str) -> str:
    from abikaart.leaflets import leaflet_path

    return f"{leaflets_dir.strip('/')}/{leaflet_path(county, lang)}"


def record_models(directory: Directory, kind: str, lang: str, paths: pages.Paths, audience: pages.Audience,
                  ids: Iterable[str]) -> Iterator[RecordModel]:
    """A page model per service (`kind` "service") or per organisation of `ids`, made one at a time."""
    for record_id in ids:
        if kind == "service":
            yield pages.service_page(directory, directory.services[record_id], lang, paths, audience)
        else:
            yield pages.organisation_page(directory, directory.organisations[record_id], lang, paths, audience)


def record_pages(models: Iterable[RecordModel], renderer: Renderer) -> Iterator[shell.RecordPage]:
    """What each record's page puts into its shell."""
    for model in models:
        slug = model.path.rsplit("/", 1)[-1].removesuffix(".md")
        yield shell.RecordPage(slug, title(model), description(model), renderer.body(model))


def save_if_changed(path: Path, content: str) -> bool:
    """Write `content` unless the file already holds it; True when written."""
    data = content.encode("utf-8")
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


def prune(folder: Path, keep: set[Path]) -> int:
    """Delete generated pages that no longer have a record (a removed service), and empty folders."""
    removed = 0
    for dirpath, _dirs, filenames in os.walk(folder, topdown=False):
        for name in filenames:
            path = Path(dirpath) / name
            if path.suffix == ".md" and path not in keep:
                path.unlink()
                removed += 1
        if Path(dirpath) != folder and not os.listdir(dirpath):
            os.rmdir(dirpath)
    return removed


class DirectoryPlugin(BasePlugin[DirectoryConfig]):  # type: ignore[no-untyped-call]
    """Validates the directory, writes its pages before i18n sorts the files, and adds the emergency bar."""

    def __init__(self) -> None:
        self.directory: Directory | None = None
        self.lines: dict[str, list[pages.Line]] = {}
        self._bodies: dict[str, str] = {}
        self._search_paused: Any = None
        self._generated_for: Fingerprint | None = None
        self._not_found: str | None = None
        self._shells: list[tuple[Path, str]] = []
        self._site_url: str | None = None
        self._serving = False

    def _root(self, config: MkDocsConfig) -> Path:
        return (Path(config.config_file_path or ".").parent / self.config.directory).resolve()

    def _audience(self) -> pages.Audience:
        return "internal" if self.config.audience == "internal" else "public"

    def _paths(self) -> pages.Paths:
        return pages.Paths(self.config.generated_dir.strip("/"))

    def _leaflets_dir(self) -> str | None:
        """Where the leaflets go, when this build writes them: the public site with a site_url (the QR codes
        point at it), not a `mkdocs serve` preview (it should start quickly)."""
        build = self.config.leaflets and self._audience() == "public" and self._site_url and not self._serving
        return self.config.leaflets_dir.strip("/") if build else None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self._serving = command == "serve"

    # Validate first (priority 100): a bad directory stops the build before any plugin or MkDocs writes a file.
    @event_priority(100)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return config
        refuse_unsupported(config, self.config)
        result = load_cached(self._root(config))
        if has_errors(result.problems) or result.directory is None:
            log.error("The directory has errors; nothing was built:\n%s", format_problems(result.problems, "text"))
            raise PluginError(f"{sum(p.level == 'error' for p in result.problems)} error(s) in the directory")
        if result.problems:
            log.info("%d warning(s) in the directory: run `abikaart validate` to see them", len(result.problems))
        self.directory = result.directory
        self._site_url = config.site_url
        return config

    # Generated pages must be on disk before MkDocs lists docs_dir (right after on_pre_build), hence well
    # before mkdocs-static-i18n's on_files (priority -100) sorts the files into languages.
    def on_pre_build(self, config: MkDocsConfig) -> None:
        if not self.config.enabled or self.directory is None:
            return
        current = loaded_fingerprint(self._root(config))
        if self._generated_for == current:
            return
        self._write_pages(config, self.directory)
        paths = self._paths()
        self.lines = {lang: pages.emergency_lines(self.directory, lang, paths, self.config.crisis_line)
                      for lang in LANGS}
        self._generated_for = current

    def _write_pages(self, config: MkDocsConfig, directory: Directory) -> None:
        folder = Path(config.docs_dir) / self._paths().root
        keep: set[Path] = set()
        written = 0
        for page in generate(directory, self._paths(), self._audience(), self._leaflets_dir()):
            target = folder.parent / page.path
            keep.add(target)
            written += save_if_changed(target, page.content)
        removed = prune(folder, keep)
        log.info("%d generated page(s), %d written, %d removed", len(keep), written, removed)

    def on_serve(self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        if self.config.enabled:
            server.watch(str(self._root(config)))
        return server

    def on_env(self, env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment:
        """The theme overrides read the emergency lines and interface strings from `abikaart`."""
        if self.config.enabled:
            from abikaart.site.finder_page import client_list

            env.globals["abikaart"] = {"lines": self.lines, "strings": strings(),
                                       "max": self.config.emergency_max, "paths": self._paths(),
                                       "client_list": {lang: client_list(lang) for lang in LANGS}}
        return env

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Keep generated bodies away from Markdown (they are HTML already); fill hand-written pages' markers."""
        if not self.config.enabled or self.directory is None:
            return markdown
        if page.file.src_uri.startswith(self._paths().root + "/"):
            self._bodies[page.file.src_uri] = markdown
            is_shell = shell.is_shell(page.file.src_uri)
            if is_shell:
                self._shells.append((Path(page.file.abs_dest_path), current_language(config)))
            if self.config.search_exclude or is_shell:  # a shell's placeholders must never be searchable
                page.meta["search"] = {"exclude": True}
            return ""
        if "<!-- abikaart:" not in markdown:
            return markdown
        lang = current_language(config)
        return fill_markers(markdown, self.directory, lang, page.file.src_uri, self._paths(),
                            self.config.data_dir)

    # First (priority 100), so the search plugin and the others see the real body.
    @event_priority(100)
    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Put back the generated HTML body that on_page_markdown kept out of Markdown's way."""
        body = self._bodies.pop(page.file.src_uri, None)
        return html if body is None else body

    # Last (after search has indexed the page), just before the page is rendered.
    @event_priority(-90)
    def on_page_context(self, context: Any, /, *, page: Page, config: MkDocsConfig, nav: Any) -> Any:
        """Leave Material's search box off the home page, so a first visit stays small (see `search_on_home`)."""
        search = config.plugins.get("material/search") or config.plugins.get("search")
        if self.config.enabled and not self.config.search_on_home and search is not None and _is_home(page):
            search.config.enabled = False
            self._search_paused = search
        return context

    @event_priority(100)
    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        if self._search_paused is not None:
            self._search_paused.config.enabled = True
            self._search_paused = None
        return output

    # Static hosts serve one 404.html, from the root, and every language build writes it there again: keep
    # the default language's (after the safety plugin's quick exit, priority 0) instead of the last one built.
    @event_priority(-50)
    def on_post_template(self, output_content: str, /, *, template_name: str, config: MkDocsConfig) -> str:
        if not self.config.enabled or template_name != "404.html":
            return output_content
        if not inside_language_build(config):
            self._not_found = output_content
            return output_content
        return self._not_found or output_content

    def write_records(self, site_dir: Path) -> None:
        """The pipeline's first step (`pipeline.STEPS`): record pages and the downloads, spread over the cores."""
        if not self.config.enabled or self.directory is None:
            return
        directory = self.directory
        tasks = self._export_tasks(directory, site_dir / self.config.data_dir, self._paths())
        leaflets = self._leaflet_tasks(directory, site_dir)
        tasks += self._record_tasks(directory) + leaflets
        done = fork_map(_run, tasks)
        log.info("%d record page(s), %d leaflet(s); open data: %s", sum(n for n in done if isinstance(n, int)),
                 len(leaflets), ", ".join(name for names in done if isinstance(names, list) for name in names))

    def on_build_error(self, *, error: Exception) -> None:
        self._shells = []

    @staticmethod
    def _export_tasks(directory: Directory, out_dir: Path, paths: pages.Paths) -> list[Task]:
        """One task per download: HSDS per language (the largest) first, then the JSON and the CSV per language,
        then the finder's data (`finder.py`)."""
        from abikaart.export import write_exports
        from abikaart.intake.template import write_templates
        from abikaart.site.finder import write_finder_data

        formats = [("hsds", lang) for lang in LANGS] + [("json", "et")] + [("csv", lang) for lang in LANGS]
        tasks: list[Task] = [partial(_names, write_exports, directory, out_dir, (fmt,), (lang,))
                             for fmt, lang in formats]
        return [*tasks, partial(_names, write_finder_data, directory, out_dir, paths),
                partial(_names, write_templates, directory, out_dir)]

    def _leaflet_tasks(self, directory: Directory, site_dir: Path) -> list[Task]:
        """One task per county and language (`leaflets.write_leaflet`); the fonts are made ready here, once, for
        every core. A leaflet too long for two pages stops the build (`leaflet_pdf.TooLong`, a ValueError)."""
        folder = self._leaflets_dir()
        if folder is None or self._site_url is None:
            return []
        from abikaart.leaflet_pdf import FontMissing, prepare_fonts
        from abikaart.leaflets import write_leaflet

        try:
            prepare_fonts()
        except FontMissing as error:
            raise PluginError(f"{PLUGIN}: leaflets: {error}") from None
        out_dir = site_dir / folder
        return [partial(_no_names, write_leaflet, directory, out_dir, county, lang, self._site_url, self._paths(),
                        self.config.crisis_line)
                for lang in LANGS for county in directory.taxonomies["counties"]]

    def _record_tasks(self, directory: Directory) -> list[Task]:
        """Batches of record pages, in every language, from the shells the builds left (removed from the site)."""
        shells, self._shells = self._shells, []
        renderer = Renderer(self._paths())
        tasks: list[Task] = []
        for dest, lang in shells:
            made = shell.Shell(dest.read_text(encoding="utf-8"), dest)
            made.remove()
            kind = dest.parent.parent.name
            ids = list(directory.services if kind == "service" else directory.organisations)
            for start in range(0, len(ids), RECORD_BATCH):
                models = partial(record_models, directory, kind, lang, self._paths(), self._audience(),
                                 ids[start:start + RECORD_BATCH])
                tasks.append(partial(_write_batch, made, models, renderer))
        return tasks


Task = Callable[[], "int | list[str]"]
"""Work for a core after the build: a batch of record pages (how many) or one download (its file name)."""


def refuse_unsupported(config: MkDocsConfig, options: DirectoryConfig) -> None:
    """Settings the plugin cannot honour, refused before anything is written (`config.py` says why)."""
    names = list(config.plugins)
    problems = [
        generated_dir_problem(options.generated_dir),
        shell_settings_problem(config),
        audience_problem(config, options.audience),
        public_site_problem(config),
        None if SAFETY_PLUGIN in names[names.index(PLUGIN) + 1:] else
        f"{SAFETY_PLUGIN} must follow {PLUGIN} in plugins: it fills the record pages and makes every page safe "
        f"(fix: add - {SAFETY_PLUGIN} as the last plugin)",
    ]
    found = [problem for problem in problems if problem is not None]
    if found:
        raise PluginError(f"{PLUGIN}: " + f"\n{PLUGIN}: ".join(found))


def _run(task: Task) -> int | list[str]:
    return task()


def _write_batch(made: shell.Shell, models: Callable[[], Iterable[RecordModel]], renderer: Renderer) -> int:
    return made.write(record_pages(models(), renderer))


def _no_names(write: Callable[..., Path], *args: Any) -> list[str]:
    """A download not named in the build's log (the leaflets are counted instead)."""
    write(*args)
    return []


def _names(write: Callable[..., list[Path]], *args: Any) -> list[str]:
    return [path.name for path in write(*args)]


def _is_home(page: Page) -> bool:
    """The home page of any language: index.md, index.ru.md, index.en.md at the top of docs_dir."""
    return page.file.src_uri.split(".")[0] == "index"


def fill_markers(markdown: str, directory: Directory, lang: str, src_uri: str, paths: pages.Paths,
                 data_dir: str) -> str:
    """Replace `<!-- abikaart:needs -->`, `:counties` and `:downloads` with Markdown lists."""
    here = src_uri.split("/")[-1].split(".")[0] + ".md"
    here = "/".join([*src_uri.split("/")[:-1], here])
    replacements = {
        "needs": pages.need_links(directory, lang, paths),
        "counties": pages.county_links(directory, lang, paths),
    }
    for name, links in replacements.items():
        items = "\n".join(f"- [{_escape_md(link.title.text)}]({pages.relative(link.path, here)})" for link in links)
        markdown = markdown.replace(f"<!-- abikaart:{name} -->", items)
    markdown = markdown.replace("<!-- abikaart:downloads -->", downloads(lang, here, data_dir))
    markdown = markdown.replace("<!-- abikaart:partner-templates -->", partner_templates(lang, here, data_dir))
    if "<!-- abikaart:finder" in markdown or "<!-- abikaart:common-needs" in markdown:
        from abikaart.site import finder_page

        markdown = markdown.replace("<!-- abikaart:finder -->",
                                    finder_page.finder_body(directory, lang, here, paths, data_dir))
        markdown = markdown.replace("<!-- abikaart:common-needs -->",
                                    finder_page.common_needs(directory, lang, here, paths))
    return markdown


def _escape_md(value: str) -> str:
    """Taxonomy names as plain text in a Markdown link."""
    return re.sub(r"([\\`*_{}\[\]()#!|])", r"\\\1", value.replace("&", "&amp;").replace("<", "&lt;"))


def _data_prefix(lang: str, here: str, data_dir: str) -> str:
    depth = here.count("/") + (0 if here.endswith("index.md") else 1) + (0 if lang == "et" else 1)
    return "../" * depth + data_dir.strip("/") + "/"


def partner_templates(lang: str, here: str, data_dir: str) -> str:
    """Links to the partner spreadsheet template (`abikaart import`), the page's language first."""
    from abikaart.intake.template import file_name

    prefix = _data_prefix(lang, here, data_dir)
    names = {"et": "eesti", "ru": "русский", "en": "English"}
    order = [lang, *(code for code in LANGS if code != lang)]
    items = "".join(f'<li><a href="{prefix}{file_name(code)}" download hreflang="{code}">{file_name(code)}</a> '
                    f'({names[code]})</li>' for code in order)
    return f"<ul>{items}</ul>"


def downloads(lang: str, here: str, data_dir: str) -> str:
    """HTML links to the export files (not in docs_dir, so written as raw HTML MkDocs does not check)."""
    from abikaart.export import file_name

    prefix = _data_prefix(lang, here, data_dir)
    names = [file_name("json", "et"), *(file_name(fmt, code) for fmt in ("csv", "hsds") for code in LANGS)]
    items = "".join(f'<li><a href="{prefix}{name}" download>{name}</a></li>' for name in names)
    return f"<ul>{items}</ul>"
