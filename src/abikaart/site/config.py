"""Typed options of the `abikaart/directory` MkDocs plugin (as Material's own plugins declare them)."""

from __future__ import annotations

from mkdocs.config.base import Config
from mkdocs.config.config_options import Choice, Type


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
