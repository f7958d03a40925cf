"""The finder page's body and the home page's need shortcuts, filled into hand-written pages by their markers
(`<!-- abikaart:finder -->`, `<!-- abikaart:common-needs -->`, see `plugin.fill_markers`)."""

from __future__ import annotations

from markupsafe import escape

from abikaart.directory import Directory
from abikaart.site import pages
from abikaart.site.finder import KINDS, file_name
from abikaart.site.render import environment, strings
from abikaart.strings import lower_first

FINDER_PAGE = "finder.md"
SCRIPT = "assets/javascripts/finder.js"
LINKS_SCRIPT = "assets/javascripts/finder-links.js"
COMMON_NEEDS = 8
"""Needs offered on the home page: the first ones of needs.yaml, whose order the maintainers choose (urgent first)."""


def _root_prefix(lang: str, here: str) -> str:
    """From a hand-written page to the site root (pages of other languages are one folder deeper)."""
    depth = here.count("/") + (0 if here.endswith("index.md") else 1) + (0 if lang == "et" else 1)
    return "../" * depth


def finder_body(directory: Directory, lang: str, here: str, paths: pages.Paths, data_dir: str) -> str:
    s = strings()[lang]
    prefix = _root_prefix(lang, here)
    groups = [{"key": kind, "label": s[f"finder_group_{kind}"],
               "options": [term.name.get(lang) for term in directory.taxonomies[kind].values()]} for kind in KINDS]
    js = {key.removeprefix("fjs_"): value for key, value in s.items() if key.startswith("fjs_")}
    # "nationwide" is translated once: a heading, and inside a sentence ("why it matches")
    js.update(nationwide=lower_first(s["nationwide"]), nationwide_heading=s["nationwide"])
    output = environment().get_template("pages/finder.html.j2").render(
        s=s, here=here, groups=groups, js=js,
        needs=pages.need_links(directory, lang, paths), counties=pages.county_links(directory, lang, paths),
        data_url=f"{prefix}{data_dir.strip('/')}/{file_name(lang)}", script_url=prefix + SCRIPT)
    return "\n".join(line for line in output.splitlines() if line.strip())


def common_needs(directory: Directory, lang: str, here: str, paths: pages.Paths) -> str:
    """One-tap need choices: plain links to the need pages; with JavaScript they open the finder on that need."""
    s = strings()[lang]
    finder = pages.relative(FINDER_PAGE, here).removesuffix(".md") + "/"
    items = []
    for index, term in enumerate(list(directory.taxonomies["needs"].values())[:COMMON_NEEDS]):
        href = pages.url_from(paths.need(term.id), here)
        items.append(f'<li><a class="md-button" href="{escape(href)}" data-finder="{escape(finder)}#needs={index}">'
                     f"{escape(term.name.get(lang))}</a></li>")
    items.append(f'<li><a class="md-button md-button--primary" href="{escape(finder)}">{escape(s["finder_home_all"])}'
                 "</a></li>")
    script = _root_prefix(lang, here) + LINKS_SCRIPT
    return (f'<nav class="abi-needs" aria-label="{escape(s["finder_home_title"])}"><ul class="abi-needs__list">'
            + "".join(items) + f'</ul></nav><script src="{escape(script)}"></script>')
