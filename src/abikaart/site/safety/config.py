"""Typed options of the `abikaart/safety` plugin."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c

# Ilmateenistus (the Estonian Environment Agency's weather service) is the page a quick exit lands on: an everyday
# site anyone in Estonia may check, with nothing on it that hints at where the visitor came from. GOV.UK's
# component sends people to BBC Weather for the same reason.
DEFAULT_EXIT_URL = "https://www.ilmateenistus.ee/"


class SafetyConfig(base.Config):  # type: ignore[no-untyped-call]  # mkdocs leaves __init_subclass__ untyped
    """Options; every feature is on by default because the public site must never ship without it."""

    enabled = c.Type(bool, default=True)

    # Quick exit
    exit_url = c.URL(default=DEFAULT_EXIT_URL)
    exit_shift_presses = c.Type(int, default=3)
    exit_window_ms = c.Type(int, default=5000)

    # Content-Security-Policy <meta>, computed after the build over every page of every language
    csp = c.Type(bool, default=True)

    # Fail the build when a page loads anything from another origin
    forbid_third_party = c.Type(bool, default=True)

    # Offline copy for counsellors, written into the site
    offline_zip = c.Type(bool, default=True)
    offline_zip_name = c.Type(str, default="abikaart-offline.zip")
