"""Typed options of the `abikaart/directory` MkDocs plugin (as Material's own plugins declare them)."""

from __future__ import annotations

from pathlib import PurePosixPath, PureWindowsPath

from mkdocs.config.base import Config
from mkdocs.config.config_options import Choice, Type
from mkdocs.config.defaults import MkDocsConfig


class DirectoryConfig(Config):  # type: ignore[no-untyped-call]
    """Options under `plugins: - abikaart/directory:` in mkdocs.yml."""

    enabled = Type(bool, default=True)

    # Where the data is and who reads the pages
    directory = Type(str, default="directory")
    """The directory's root, relative to mkdocs.yml."""
    audience = Choice(("public", "internal"), default="public")
    """`internal` also lists unverified contacts (marked) and internal notes, for counsellors only."""

    # Generated pages
    generated_dir = Type(str, default="directory")
    """A git-ignored folder inside docs_dir that the plugin owns: stale pages in it are deleted."""

    search_exclude = Type(bool, default=True)
    """Keep the list pages out of Material's lunr index. Record pages are never in it (they are filled into a
    shell after MkDocs has indexed it): 10k services would make a 100 MB index that every first search would
    download; they are reached through the need and county pages (and the finder)."""

    search_on_home = Type(bool, default=False)
    """Material's search box on the home page: it makes the first visit fetch the search worker, the index and
    the lunr languages (about 25 KB compressed), a third of the 80 KB budget of a first load."""

    # Emergency bar
    crisis_line = Type(str, default="116 006")
    """The line shown right after 112 in the emergency bar."""
    emergency_max = Type(int, default=6)
    """At most this many numbers in the bar (112 included); the rest are on the 24/7 page."""

    # Open data
    data_dir = Type(str, default="data")
    """Folder inside site_dir for the JSON, CSV and HSDS downloads."""

    # Printable leaflets (public site only)
    leaflets = Type(bool, default=True)
    """A printable A4 leaflet per county and language, linked from the county pages (`abikaart.leaflets`)."""
    leaflets_dir = Type(str, default="downloads/leaflets")
    """Folder inside site_dir for the leaflets: `<lang>/<county>.pdf`."""


# Settings refused at config time ---------------------------------------------------------------------------
# Each check names the setting and the fix; the plugins raise them as PluginError before any file is written.

INTERNAL_PLUGIN = "abikaart/internal"
SAFETY_PLUGIN = "abikaart/safety"


def generated_dir_problem(generated_dir: str) -> str | None:
    """`generated_dir` is deleted and rewritten by the plugin (`prune`, `abikaart build --clean`): it must be a
    folder strictly inside docs_dir, or the hand-written pages would be deleted with it."""
    path = PurePosixPath(generated_dir.replace("\\", "/"))
    if generated_dir.strip() in ("", "/") or path.is_absolute() or PureWindowsPath(generated_dir).drive:
        reason = "is empty or absolute"
    elif ".." in path.parts or path == PurePosixPath("."):
        reason = "is docs_dir itself or outside it"
    else:
        return None
    return (f"generated_dir: {generated_dir!r} {reason}; the plugin deletes stale pages in that folder, so it must "
            "be a subfolder of docs_dir that holds only generated pages (fix: generated_dir: directory)")


def shell_settings_problem(config: MkDocsConfig) -> str | None:
    """Record pages are written as `<kind>/<slug>/index.html` beside their shell, and generated pages as
    `page.<lang>.md`: other layouts would put them where no link points (`shell.py`, `plugin.localized`)."""
    if not config.use_directory_urls:
        return ("use_directory_urls: false is not supported: record pages are written as <page>/index.html, "
                "so every link to them would break (fix: use_directory_urls: true)")
    i18n = config.plugins.get("i18n")
    structure = i18n.config.get("docs_structure", "suffix") if i18n is not None else "suffix"
    if structure != "suffix":
        return (f"i18n: docs_structure: {structure} is not supported: the generated pages are written as "
                "page.ru.md beside page.md (fix: docs_structure: suffix)")
    return None


def is_internal_site(config: MkDocsConfig) -> bool:
    """The internal site is the one with the `abikaart/internal` plugin: never published (see `audience_problem`)."""
    plugin = config.plugins.get(INTERNAL_PLUGIN)
    return plugin is not None and bool(plugin.config.get("enabled", True))


def audience_problem(config: MkDocsConfig, audience: str) -> str | None:
    """Internal notes and unverified numbers only on the internal site, which is noindex and has no download."""
    if audience == "internal" and not is_internal_site(config):
        return ("audience: internal is refused on a public site: it would publish internal notes and unconfirmed "
                f"numbers. Only a site with the {INTERNAL_PLUGIN} plugin (noindex, robots Disallow: /, no offline "
                "copy, as mkdocs.internal.yml) may list them (fix: remove audience or set audience: public)")
    return None


def internal_site_problem(config: MkDocsConfig, offline_zip: bool) -> str | None:
    """A site with internal pages must stay unindexable and never travel as a file: adding the internal plugin
    to a public configuration, or switching its noindex off, is one line and would publish it."""
    if not is_internal_site(config):
        return None
    if not config.plugins[INTERNAL_PLUGIN].config.get("noindex", True):
        return f"{INTERNAL_PLUGIN}: noindex: false is refused: the internal site must never be indexed (fix: remove it)"
    if offline_zip:
        return (f"{INTERNAL_PLUGIN} with {SAFETY_PLUGIN} offline_zip: true is refused: internal notes and unconfirmed "
                "numbers must not travel as a download, and a public site must not carry the internal pages "
                f"(fix: in mkdocs.internal.yml set offline_zip: false; never add {INTERNAL_PLUGIN} to mkdocs.yml)")
    return None


def public_site_problem(config: MkDocsConfig) -> str | None:
    """The public site's sitemap, canonical links and robots.txt need the address it is served from."""
    if not is_internal_site(config) and not config.site_url:
        return ("site_url is not set: the sitemap, canonical links and robots.txt need the public address "
                '(fix: site_url: !ENV [ABIKAART_SITE_URL, "https://abikaart.ee/"])')
    return None
