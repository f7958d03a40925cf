"""The `abikaart/safety` MkDocs plugin: runs after every other plugin and makes each page safe to visit."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from abikaart.site.languages import inside_language_build, other_languages
from abikaart.site.safety import markup, scripts
from abikaart.site.safety.config import SafetyConfig
from abikaart.site.safety.offline import write_offline_zip
from abikaart.site.safety.texts import exit_texts

log = logging.getLogger("mkdocs.plugins.abikaart.safety")

ASSETS = Path(__file__).parent / "assets"
ASSET_DIR = "assets/abikaart"
SCRIPT_NAME = "quick-exit.js"
STYLE_NAME = "quick-exit.css"


class SafetyPlugin(BasePlugin[SafetyConfig]):  # type: ignore[no-untyped-call]  # mkdocs leaves __init_subclass__ untyped
    """Quick exit on every page; after the last language is built: CSP, sitemaps, checks, offline zip."""

    def __init__(self) -> None:
        self.serving = False
        self._bars: dict[str, str] = {}

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # `mkdocs serve` injects an inline live-reload script that changes on every request: no hash can allow it
        self.serving = command == "serve"

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str | None:
        if not self.config.enabled:
            return None
        return self._secure(output, get_relative_url(ASSET_DIR, page.url), config)

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str | None:
        # The 404 page is served at any address, so it reaches the assets from the site's root path
        if not self.config.enabled or template_name != "404.html":
            return None
        root = urlsplit(config.site_url or "").path or "/"
        return self._secure(output_content, root.rstrip("/") + "/" + ASSET_DIR, config)

    def _secure(self, output: str, assets: str, config: MkDocsConfig) -> str:
        """Referrer policy, quick exit (script, style, link) and hardened partner links for one page."""
        exit_url = markup.escape_attr(self.config.exit_url)
        head = (
            f"{markup.REFERRER_META}"
            f'<link rel="stylesheet" href="{assets}/{STYLE_NAME}">'
            f'<script src="{assets}/{SCRIPT_NAME}" data-abk-exit-url="{exit_url}"></script>'
        )
        lang = markup.page_lang(output)
        bar = self._bars.get(lang)
        if bar is None:  # the same for every page of a language
            bar = markup.exit_bar(exit_texts(lang), self.config.exit_url, self.config.exit_shift_presses,
                                  self.config.exit_window_ms)
            self._bars[lang] = bar
        output = markup.insert_in_head(output, head)
        output = markup.insert_after_body(output, bar)
        return markup.drop_language_alternates(output)

    # mkdocs-static-i18n builds the other languages from its own on_post_build (priority -100) by running the
    # whole build again, so these run later, in the outer build, when every language is on disk. Between the two
    # (-200) the directory plugin fills its record pages into shells this step has already made safe.
    @event_priority(-150)
    def _secure_site(self, *, config: MkDocsConfig) -> None:
        if not self.config.enabled or inside_language_build(config):
            return
        site_dir = Path(config.site_dir)
        _copy_assets(site_dir)
        pages = sorted(site_dir.rglob("*.html"))
        csp = self.config.csp and not self.serving
        hashes = _scan(pages, site_dir, _site_host(config), self.config.forbid_third_party, csp)
        _finish(pages, markup.csp_policy(hashes) if csp else None, _site_host(config))

    @event_priority(-300)
    def _package(self, *, config: MkDocsConfig) -> None:
        if not self.config.enabled or inside_language_build(config):
            return
        site_dir = Path(config.site_dir)
        _copy_sitemaps(site_dir, other_languages(config))
        if self.config.offline_zip and not self.serving:  # a download, not something to preview
            target = site_dir / self.config.offline_zip_name
            count = write_offline_zip(site_dir, target)
            log.info(f"Offline copy: {target} ({count} files)")

    on_post_build = CombinedEvent(_secure_site, _package)


def _site_host(config: MkDocsConfig) -> str | None:
    """Host of `site_url`: links there are ours, not a partner's."""
    return urlsplit(config.site_url or "").hostname


def _copy_assets(site_dir: Path) -> None:
    """Our script and stylesheet, served from the site itself."""
    target = site_dir / ASSET_DIR
    target.mkdir(parents=True, exist_ok=True)
    for source in ASSETS.iterdir():
        if source.is_file():
            shutil.copyfile(source, target / source.name)


def _copy_sitemaps(site_dir: Path, languages: list[str]) -> None:
    """Material's language switcher fetches `<language>/sitemap.xml`; every language build wrote the same
    all-language sitemap to the root, so each language folder gets a copy (no request may end in a 404)."""
    for name in ("sitemap.xml", "sitemap.xml.gz"):
        source = site_dir / name
        for locale in languages:
            folder = site_dir / locale
            if source.is_file() and folder.is_dir():
                shutil.copyfile(source, folder / name)


def _scan(pages: list[Path], site_dir: Path, site_host: str | None, forbid_third_party: bool,
          csp: bool) -> set[str]:
    """Read every page once: check what it loads (if `forbid_third_party`) and hash its inline scripts (if `csp`)."""
    problems: list[str] = []
    foreign: list[str] = []
    hashes: set[str] = set()
    for path in pages:
        text = path.read_text(encoding="utf-8")
        if forbid_third_party:
            loads = markup.third_party_loads(text, site_host)
            problems += [f"{path.relative_to(site_dir)}: loads {url}" for url in loads]
        foreign += [f"{path.relative_to(site_dir)}: {problem}" for problem in scripts.foreign_scripts(text)]
        if csp:
            hashes.update(markup.script_hash(body) for body in markup.inline_scripts(text))
    _refuse_third_party(problems)
    _refuse_foreign_scripts(foreign)
    return hashes


def _refuse_third_party(problems: list[str]) -> None:
    """Refuse to publish a page that would load anything from another origin: a visit must leave no trace there."""
    if problems:
        listed = "\n  ".join(problems[:20])
        raise PluginError(
            "abikaart/safety: pages would load files from other sites, which tells those sites who visits:\n  "
            f"{listed}\nServe the file from the site itself (theme.font: false for web fonts), or remove it."
        )


def _refuse_foreign_scripts(problems: list[str]) -> None:
    """Refuse a page that would run a script we did not write: only our templates' and Material's reviewed
    inline scripts are allowed by the CSP, and data is text, so anything else was injected."""
    if problems:
        listed = "\n  ".join(problems[:20])
        raise PluginError(
            "abikaart/safety: pages would run scripts that are not ours:\n  "
            f"{listed}\nData must be printed escaped (`| e`, autoescape) and hand-written pages hold no script; "
            "after a Material upgrade, review its scripts with scripts/material_scripts.py."
        )


def _finish(pages: list[Path], policy: str | None, site_host: str | None) -> None:
    """Harden partner links and set the policy on every page of every language, however it was made (MkDocs
    pages, record pages filled into a shell, the 404 page): one policy allows exactly the inline scripts found."""
    for path in pages:
        text = path.read_text(encoding="utf-8")
        updated = markup.harden_external_links(text, site_host)
        if policy is not None:
            updated = markup.set_csp(updated, policy)
        if updated != text:
            path.write_text(updated, encoding="utf-8")
    if policy is not None:
        log.info(f"Content-Security-Policy set on {len(pages)} pages")
