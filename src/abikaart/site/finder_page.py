"""The finder page's body and the home page's need shortcuts, filled into hand-written pages by their markers
(`<!-- abikaart:finder -->`, `<!-- abikaart:common-needs -->`, see `plugin.fill_markers`)."""

from __future__ import annotations

from markupsafe import Markup, escape

from abikaart.directory import Directory
from abikaart.site import pages
from abikaart.site.finder import KINDS, file_name
from abikaart.site.render import environment, strings
from abikaart.strings import lower_first

FINDER_PAGE = "finder.md"
SCRIPT = "assets/javascripts/finder.js"
LINKS_SCRIPT = "assets/javascripts/finder-links.js"
LIST_SCRIPT = "assets/javascripts/client-list.js"
STYLESHEET = "assets/stylesheets/abikaart.css"
LIST_KEYS = ("list_add", "list_remove", "list_title", "list_copied", "copy_manual", "checked")
"""The strings client-list.js reads (fjs_* in strings.yaml)."""
COMMON_NEEDS = 8
"""Needs offered on the home page: the first ones of needs.yaml, whose order the maintainers choose (urgent first)."""


def _root_prefix(lang: str, here: str) -> str:
    """From a hand-written page to the site root (pages of other languages are one folder deeper)."""
    depth = here.count("/") + (0 if here.endswith("index.md") else 1) + (0 if lang == "et" else 1)
    return "../" * depth


def finder_body(directory: Directory, lang: str, here: str, paths: pages.Paths, data_dir: str) -> str:
    """The public finder page's body: its data is `data_dir/finder-<lang>.js`, the theme adds the client list."""
    prefix = _root_prefix(lang, here)
    return render_finder(directory, lang, here, pages.need_links(directory, lang, paths),
                         pages.county_links(directory, lang, paths),
                         f"{prefix}{data_dir.strip('/')}/{file_name(lang)}", prefix)


def render_finder(directory: Directory, lang: str, here: str, needs: list[pages.Link], counties: list[pages.Link],
                  data_url: str, prefix: str, extra: dict[str, str] | None = None, standalone: bool = False) -> str:
    """The finder's body; `needs` and `counties` are the links that serve without JavaScript, `extra` more strings
    for finder.js (the internal site's). `standalone`: for a site without our theme overrides, which then get the
    stylesheet and the list for the client from here (`prefix` leads to the site root)."""
    s = strings()[lang]
    groups = [{"key": kind, "label": s[f"finder_group_{kind}"],
               "options": [term.name.get(lang) for term in directory.taxonomies[kind].values()]} for kind in KINDS]
    js = {key.removeprefix("fjs_"): value for key, value in s.items() if key.startswith("fjs_")}
    # "nationwide" is translated once: a heading, and inside a sentence ("why it matches")
    js.update(nationwide=lower_first(s["nationwide"]), nationwide_heading=s["nationwide"])
    js |= extra or {}
    output = environment().get_template("pages/finder.html.j2").render(
        s=s, here=here, groups=groups, js=js, needs=needs, counties=counties, data_url=data_url,
        script_url=prefix + SCRIPT, standalone=standalone, css_url=prefix + STYLESHEET,
        list_url=prefix + LIST_SCRIPT, client_list=Markup(client_list(lang)) if standalone else "")
    return "\n".join(line for line in output.splitlines() if line.strip())


def client_list(lang: str) -> str:
    """The list for the client's section (hidden until a service is added; client-list.js)."""
    s = strings()[lang]
    js = {key: s[f"fjs_{key}"] for key in LIST_KEYS}
    return environment().get_template("pages/client_list.html.j2").render(s=s, js=js).strip()


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
