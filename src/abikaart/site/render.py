"""Page models -> Markdown, through the Jinja2 templates in `abikaart/templates/pages/`.

Markdown (not HTML) so MkDocs resolves and checks every internal link and mkdocs-static-i18n points each
link at the page's own language; text from the data is escaped so it can never become markup.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from functools import cache
from importlib import resources
from typing import Any

import jinja2
import yaml

from abikaart.models import LANGS
from abikaart.site.pages import (
    IndexPage,
    Link,
    ListPage,
    OrganisationPage,
    Paths,
    ServicePage,
    Text,
    hours_text,
    relative,
    url_text,
)

Page = ServicePage | OrganisationPage | ListPage | IndexPage

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|])")


@cache
def strings() -> dict[str, dict[str, str]]:
    """The interface strings per language, from `templates/strings.yaml`."""
    source = resources.files("abikaart") / "templates" / "strings.yaml"
    data: dict[str, dict[str, str]] = yaml.safe_load(source.read_text(encoding="utf-8"))
    return {lang: data[lang] for lang in LANGS}


def md(value: str) -> str:
    """Escape text so Markdown shows it as typed."""
    return _MD_SPECIAL.sub(r"\\\1", value.replace("&", "&amp;").replace("<", "&lt;")).replace("\n", " ")


def inline(value: Text) -> str:
    """Inline text, marked `lang="et"` when Estonian stands in for a missing translation."""
    escaped = md(value.text)
    return f'<span lang="et">{escaped}</span>' if value.fallback else escaped


def block(value: Text) -> str:
    """A paragraph, with `lang="et"` on it when it falls back to Estonian."""
    escaped = md(value.text)
    return f'{escaped}\n{{: lang="et" }}' if value.fallback else escaped


def link(value: Link, here: str) -> str:
    return f"[{inline(value.title)}]({relative(value.path, here)})"


def date(value: dt.date) -> str:
    return value.strftime("%d.%m.%Y")


def yaml_string(value: str) -> str:
    """A one-line YAML scalar for front matter (JSON strings are valid YAML)."""
    return json.dumps(" ".join(value.split())[:200], ensure_ascii=False)


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("abikaart", "templates"),
        autoescape=False,  # the output is Markdown; data is escaped by the `md`/`inline`/`block` filters
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(md=md, inline=inline, block=block, link=link, rel=relative, date=date,
                       yaml_string=yaml_string, hours=hours_text, url_text=url_text)
    return env


_TEMPLATES: dict[type[Any], str] = {
    ServicePage: "pages/service.md.j2",
    OrganisationPage: "pages/organisation.md.j2",
    ListPage: "pages/list.md.j2",
}


def render(page: Page, paths: Paths) -> str:
    """The Markdown of one generated page."""
    name = f"pages/{page.kind}.md.j2" if isinstance(page, IndexPage) else _TEMPLATES[type(page)]
    template = environment().get_template(name)
    return _tidy(template.render(page=page, s=strings()[page.lang], paths=paths))


_BLANKS = re.compile(r"\n{3,}")


def _tidy(markdown: str) -> str:
    return _BLANKS.sub("\n\n", markdown).strip() + "\n"
