"""Page models -> page files, through the Jinja2 templates in `abikaart/templates/pages/`.

A generated page is front matter plus one block of HTML: Python-Markdown passes raw HTML through without
running its inline patterns, which made up most of the build time of Markdown bodies (10k services x 3
languages). Links are written relative (`../../service/x/`), so they hold in every language's folder, and
the site tests check every one of them. Jinja's autoescape keeps data from ever becoming markup.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from functools import cache
from typing import Any

import jinja2
from markupsafe import Markup, escape

from abikaart.models import LANGS
from abikaart.site.pages import (
    IndexPage,
    Link,
    ListPage,
    OrganisationPage,
    Paths,
    ServicePage,
    Summary,
    Text,
    hours_text,
    page_url,
    url_from,
    url_text,
)
from abikaart.strings import strings as all_strings

Page = ServicePage | OrganisationPage | ListPage | IndexPage


def strings() -> dict[str, dict[str, str]]:
    """The interface strings per language: every `templates/strings*.yaml`, through `abikaart.strings`."""
    return all_strings()


def text(value: Text) -> Markup:
    """Inline text, marked `lang="et"` when Estonian stands in for a missing translation."""
    # f-strings of escape()d values: Markup.format goes through string.Formatter, a fifth of page generation
    return Markup(f'<span lang="et">{escape(value.text)}</span>') if value.fallback else escape(value.text)


def link(value: Link, here: str) -> Markup:
    return Markup(f'<a href="{escape(url_from(value.path, here))}">{text(value.title)}</a>')


def date(value: dt.date) -> str:
    return value.strftime("%d.%m.%Y")


def yaml_string(value: str) -> str:
    """A one-line YAML scalar for front matter, HTML-escaped: themes print titles and descriptions unescaped
    (MkDocs' Jinja environment has no autoescape). A JSON string is valid YAML."""
    return json.dumps(html.escape(" ".join(value.split())[:200]), ensure_ascii=False)


def site_file(path: str, here: str, lang: str) -> str:
    """The relative link from page `here` (in the folder of `lang`) to a file at `path` from the site's root,
    such as a leaflet: `../../../downloads/leaflets/et/harju.pdf` from the Estonian county page."""
    depth = page_url(here).count("/") + (0 if lang == LANGS[0] else 1)
    return "../" * depth + path


def rel(url: str) -> Markup:
    """`rel="noopener noreferrer"` for a link to another site: a partner never learns which page sent the visitor
    (record pages are filled in after the safety plugin hardened the others, so the template does it itself)."""
    return Markup(' rel="noopener noreferrer"') if url.startswith(("http://", "https://", "//")) else Markup("")


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("abikaart", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(text=text, link=link, url_from=url_from, date=date, rel=rel, site_file=site_file,
                       hours=hours_text, url_text=url_text)
    return env


_TEMPLATES: dict[type[Any], str] = {
    ServicePage: "pages/service.html.j2",
    OrganisationPage: "pages/organisation.html.j2",
    ListPage: "pages/list.html.j2",
}


class Renderer:
    """Renders page bodies; a service's line on list pages is rendered once per language and folder depth."""

    def __init__(self, paths: Paths) -> None:
        self.paths = paths
        self._lines: dict[tuple[str, str, int], Markup] = {}

    def body(self, page: Page) -> str:
        """The page's body: one HTML block without blank lines (Markdown passes it through untouched)."""
        name = f"pages/{page.kind}.html.j2" if isinstance(page, IndexPage) else _TEMPLATES[type(page)]
        items = [self._line(item, page.path, page.lang) for item in getattr(page, "services", [])]
        nationwide = [self._line(item, page.path, page.lang) for item in getattr(page, "nationwide_services", [])]
        first = [self._line(item, page.path, page.lang) for item in getattr(page, "first_services", [])]
        output = environment().get_template(name).render(
            page=page, s=strings()[page.lang], paths=self.paths, here=page.path, items=items,
            nationwide_items=nationwide, first_items=first)
        return "\n".join(line for line in output.splitlines() if line.strip())

    def markdown(self, page: Page) -> str:
        """A page file for MkDocs: front matter (title, description), a blank line, the body."""
        meta = {"title": title(page), "description": description(page)}
        lines = [f"{key}: {yaml_string(value)}" for key, value in meta.items() if value]
        return "---\n" + "\n".join(lines) + "\nhide: [toc]\n---\n\n" + self.body(page) + "\n"

    def _line(self, item: Summary, here: str, lang: str) -> Markup:
        key = (item.link.path, lang, page_url(here).count("/"))
        if key not in self._lines:
            template = environment().get_template("pages/summary.html.j2")
            self._lines[key] = Markup(template.render(item=item, s=strings()[lang], here=here))
        return self._lines[key]


def title(page: Page) -> str:
    """The page title (the `<title>`, the header and the language switcher show it)."""
    if isinstance(page, IndexPage):
        return strings()[page.lang]["directory_title" if page.kind == "index" else "organisations_title"]
    return page.title.text


def description(page: Page) -> str:
    """The search-engine description: the record's own, on one line, at most 200 characters."""
    value = getattr(page, "description", None)
    return " ".join(value.text.split())[:200] if isinstance(value, Text) else ""
