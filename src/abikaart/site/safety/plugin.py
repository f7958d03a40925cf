"""The `abikaart/safety` MkDocs plugin: runs after every other plugin and makes each page safe to visit."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from abikaart.site import pipeline
from abikaart.site.config import internal_site_problem
from abikaart.site.languages import built_languages, inside_language_build
from abikaart.site.plugin import DirectoryPlugin
from abikaart.site.safety import markup
from abikaart.site.safety.config import SafetyConfig
from abikaart.site.safety.secure import ASSET_DIR
from abikaart.site.safety.texts import exit_texts

SCRIPT_NAME = "quick-exit.js"
STYLE_NAME = "quick-exit.css"


class SafetyPlugin(BasePlugin[SafetyConfig]):  # type: ignore[no-untyped-call]  # mkdocs leaves __init_subclass__ untyped
    """Quick exit on every page; after the last language is built, the post-build pipeline (`pipeline.STEPS`)."""

    def __init__(self) -> None:
        self.serving = False
        self._bars: dict[str, str] = {}

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # `mkdocs serve` injects an inline live-reload script that changes on every request: no hash can allow it
        self.serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        problem = internal_site_problem(config, self.config.enabled and self.config.offline_zip)
        if problem is not None:
            raise PluginError(problem)
        return config

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
    # whole build again; this runs later, in the outer build, once, when every language is on disk.
    @event_priority(-150)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if inside_language_build(config):
            return
        records = config.plugins.get("abikaart/directory")
        pipeline.run(pipeline.Output(
            site_dir=Path(config.site_dir), site_url=config.site_url, languages=built_languages(config),
            public="abikaart/internal" not in config.plugins, serving=self.serving, safety=self.config,
            records=records if isinstance(records, DirectoryPlugin) else None,
        ))
