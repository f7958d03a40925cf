"""The finder on the internal site: the public finder's page, filters and list for the client, with the counsellors'
extra data (each contact still to verify, marked with its reason, and the internal notes), so "where can this
person go, in Russian, in Ida-Virumaa, tonight?" is answered in seconds.

Two calls from the `abikaart/internal` plugin, and nothing else of it is needed here: `finder_pages` (its
on_pre_build: the page in every language, into the generated folder) and `write_finder_assets` (its
on_post_build: the data as `data/finder-internal-<lang>.js`, and the public site's finder script, list script
and stylesheet at the same paths as on the public site, since the internal site has no theme overrides).
A contact to verify is shown as text with its reason, never as a link, never counted by a filter or as open, and
never put into the client's list (finder.js); a service links to its block on the need's referral page.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from abikaart.directory import Directory
from abikaart.models import LANGS, Service
from abikaart.site import finder, finder_page, pages
from abikaart.site.render import yaml_string
from abikaart.strings import strings

PAGE = "finder.md"
DATA_DIR = "data"
THEME_ASSETS = Path(__file__).parent / "overrides"
ASSETS = (finder_page.SCRIPT, finder_page.LIST_SCRIPT, finder_page.STYLESHEET)

def _here(generated_dir: str) -> str:
    return f"{generated_dir.strip('/')}/{PAGE}"


def referral_link(generated_dir: str) -> Callable[[Service], str]:
    """A service's address from the finder page: its block on its first need's referral page (`internal.py`)."""
    here = _here(generated_dir)

    def link(service: Service) -> str:
        return pages.url_from(f"{generated_dir.strip('/')}/referrals/{service.needs[0]}.md", here) + f"#{service.id}"

    return link


def finder_page_markdown(directory: Directory, lang: str, generated_dir: str) -> str:
    """The internal finder page in `lang`: the public finder's body with the internal strings, its data and, as
    the internal site has no theme overrides, the stylesheet and the list for the client."""
    s = {key.removeprefix("ifind_"): value for key, value in strings()[lang].items() if key.startswith("ifind_")}
    here = _here(generated_dir)
    prefix = finder_page._root_prefix(lang, here)
    needs = [pages.Link(pages.text(term.name, lang), f"{generated_dir.strip('/')}/referrals/{term.id}.md")
             for term in directory.taxonomies["needs"].values()]
    extra = {key: s[key] for key in ("to_verify", "to_verify_reason", "internal_note")}
    body = finder_page.render_finder(directory, lang, here, needs, [],
                                     f"{prefix}{DATA_DIR}/{finder.file_name(lang, 'internal')}", prefix,
                                     extra=extra, standalone=True)
    return (f"---\ntitle: {yaml_string(s['title'])}\nhide: [toc]\nsearch:\n  exclude: true\n---\n\n"
            f"# {s['title']}\n\n{s['intro']}\n\n{body}\n")


def finder_pages(directory: Directory, generated_dir: str) -> dict[str, str]:
    """The finder page in every language, keyed by its path inside the generated folder (`finder.ru.md`, ...)."""
    stem = PAGE.removesuffix(".md")
    return {(PAGE if lang == "et" else f"{stem}.{lang}.md"): finder_page_markdown(directory, lang, generated_dir)
            for lang in LANGS}


def write_finder_assets(directory: Directory, site_dir: Path, generated_dir: str) -> list[Path]:
    """The internal data for every language and the finder's scripts and stylesheet, into the built site."""
    written = finder.write_finder_data(directory, site_dir / DATA_DIR, pages.Paths("directory"),
                                       audience="internal", here=_here(generated_dir),
                                       link=referral_link(generated_dir))
    for asset in ASSETS:
        target = site_dir / asset
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(THEME_ASSETS / asset, target)
        written.append(target)
    return written
