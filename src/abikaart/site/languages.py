"""What the plugins need to know of mkdocs-static-i18n's builds: it runs the whole build again per language,
inside the default language's on_post_build, with the same plugin instances."""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig


def current_language(config: MkDocsConfig) -> str:
    """The language being built: mkdocs-static-i18n's current one, else the theme's."""
    i18n = config.plugins.get("i18n")
    return str(getattr(i18n, "current_language", None) or config.theme.get("language") or "et")


def inside_language_build(config: MkDocsConfig) -> bool:
    """Whether this hook runs inside one of the language builds that i18n runs within the outer one: work meant for
    the whole site (every language on disk) waits for the outer build's on_post_build."""
    return bool(getattr(config.plugins.get("i18n"), "building", False))


def other_languages(config: MkDocsConfig) -> list[str]:
    """Locales built into their own folder (every language but the default)."""
    i18n = config.plugins.get("i18n")
    if i18n is None:
        return []
    default = getattr(i18n, "default_language", None)
    return [locale for locale in getattr(i18n, "build_languages", []) if locale != default]


def built_languages(config: MkDocsConfig) -> list[str]:
    """Every locale built, the default (served from the site's root) first."""
    i18n = config.plugins.get("i18n")
    default = str(getattr(i18n, "default_language", None) or config.theme.get("language") or "et")
    return [default, *other_languages(config)]
