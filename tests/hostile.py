"""A directory whose every text field holds markup, an event handler and a Markdown link, and the two sites and
the exports built from it: what the escaping tests (tests/site/test_escaping.py, tests/browser) look at.

`HOSTILE` is what a careless or malicious edit could put into any text field. Built pages must show it as text:
`markup_from_data(page)` lists every element, attribute or link of a page that came from it (none may).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner
from mkdocs.utils.yaml import yaml_load

from abikaart.cli import main
from helpers import DIRECTORY, REPO

HOSTILE = "<script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1))"
"""Markup, an event-handler attribute and a Markdown link: the three ways text could become code."""
LANGS = ("et", "ru", "en")
ORGANISATION_ID = "kuri-mtu"
SERVICE_ID = "kuri-teenus"
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "srcdoc"}


def hostile(label: str, payload: str = HOSTILE) -> dict[str, str]:
    """A localized text holding the payload, with a label saying which field it is."""
    return {lang: f"{label} {payload}" for lang in LANGS}


def _organisation() -> dict[str, Any]:
    service = {
        "id": SERVICE_ID, "name": hostile("Teenus"), "description": hostile("Kirjeldus"),
        "needs": ["domestic-violence"], "audiences": ["victims"], "counties": ["harju"], "languages": ["et"],
        "channels": [
            {"type": "phone", "number": "+372 5123 4567", "hours": "24/7", "description": hostile("Kanal")},
            {"type": "in-person", "location": "avalik", "hours": "Mo-Fr 09:00-17:00"},
            {"type": "in-person", "location": "salajane"},
            {"type": "phone", "number": "5123 " + "4570", "to_verify": f"Põhjus {HOSTILE}"},
        ],
        "cost": "partly", "cost_note": hostile("Tasu"), "eligibility": hostile("Kellele"),
        "accessibility": hostile("Ligipääs"), "notice": hostile("Teade"), "internal_note": f"Märge {HOSTILE}",
        "source": "https://kuri.example.ee/teenus", "verified": "2026-11-01", "verified_by": "tests",
    }
    return {
        "id": ORGANISATION_ID, "name": hostile("Asutus"), "alternate_name": hostile("Teine nimi"),
        "description": hostile("Asutuse kirjeldus"), "website": "https://kuri.example.ee",
        "phones": [{"number": "+372 5123 4567", "description": hostile("Telefon")}],
        "locations": [
            {"id": "avalik", "name": hostile("Koht"), "front_door": hostile("Uks"),
             "address": {"address_1": f"Tänav 1 {HOSTILE}", "city": "Tallinn", "county": "harju"},
             "transportation": hostile("Transport"), "accessibility": hostile("Koha ligipääs")},
            {"id": "salajane", "name": hostile("Salajane koht"), "confidential": True,
             "front_door": hostile("Salajane uks")},
        ],
        "services": [service],
        "source": "https://kuri.example.ee", "verified": "2026-11-01", "verified_by": "tests",
    }


def write_directory(root: Path) -> Path:
    """The repository's taxonomies with the payload in every term's name and description, plus one organisation."""
    for path in (DIRECTORY / "taxonomies").glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for term in data["terms"]:
            term["name"] = {lang: f"{text} {HOSTILE}" for lang, text in term["name"].items()}
            term["description"] = hostile("Termin")
        target = root / "taxonomies" / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    (root / "organisations").mkdir(parents=True)
    text = yaml.safe_dump(_organisation(), allow_unicode=True, sort_keys=False)
    (root / "organisations" / f"{ORGANISATION_ID}.yaml").write_text(text, encoding="utf-8")
    return root


LETTER = "kuri-kiri"
LETTER_EXTRA = "{{ x }} **b** [a](http://x) \"q\" 'a'"
"""What a letter template's text could also hold: a placeholder, Markdown emphasis, a Markdown link and quotes
(which would end an attribute)."""


def write_letters(folder: Path) -> Path:
    """The repository's letter templates plus one whose title, label, example, subject and body hold the payload
    and `LETTER_EXTRA` (its body's placeholders are declared: the template itself is valid)."""
    shutil.copytree(REPO / "letters", folder)
    payload = f"{HOSTILE} {LETTER_EXTRA}"
    body = (f"Tekst {HOSTILE} **b** [a](http://x),\n{{{{ x }}}}\n\n# not a heading\n1. not a list\n"
            "| not | a table |\n{: .not-attributes }")
    template = {
        "title": hostile("Kiri", payload),
        "variables": [{"name": "x", "label": hostile("Silt", payload), "example": f"Näide {payload}"}],
        "text": {lang: {"subject": f"Teema {HOSTILE} {{{{ x }}}}", "body": body} for lang in LANGS},
    }
    (folder / f"{LETTER}.yaml").write_text(yaml.safe_dump(template, allow_unicode=True), encoding="utf-8")
    return folder


@dataclass(frozen=True)
class Sites:
    """Both sites and the exports built from the hostile directory."""

    public: Path
    internal: Path
    exports: Path


def build_all(root: Path) -> Sites:
    """Build the public site, the internal site and the exports; fail with the build's output if one fails."""
    directory = write_directory(root / "directory")
    public_config_file = public_config(root)
    internal_config = _internal_config(root)
    runner = CliRunner()
    commands = [
        ["build", "--config", str(public_config_file), "--site-dir", str(root / "site")],
        ["internal", "build", "-f", str(internal_config), "--directory", str(directory),
         "--site-dir", str(root / "site-internal")],
        ["export", str(directory), "--out", str(root / "exports")],
    ]
    for command in commands:
        result = runner.invoke(main, command)
        assert result.exit_code == 0, f"{command[0]} failed:\n{result.output}"
    return Sites(root / "site", root / "site-internal", root / "exports")


def public_config(root: Path) -> Path:
    """mkdocs.yml and the hand-written docs of the repository in `root`, with an absolute theme path."""
    shutil.copytree(REPO / "docs", root / "docs", ignore=shutil.ignore_patterns("directory", "_generated"))
    config: dict[str, Any] = yaml_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))  # reads !ENV
    config["theme"]["custom_dir"] = str(REPO / config["theme"]["custom_dir"])
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return root / "mkdocs.yml"


def _internal_config(root: Path) -> Path:
    shutil.copy(REPO / "mkdocs.internal.yml", root / "mkdocs.internal.yml")
    shutil.copytree(REPO / "docs-internal", root / "docs-internal",
                    ignore=shutil.ignore_patterns("_generated", "reports"))
    write_letters(root / "letters")
    return root / "mkdocs.internal.yml"


# Reading a built page ----------------------------------------------------------------------------------------


class _Page(HTMLParser):
    """A page as the browser parses it: its elements, their attributes, and its text (outside scripts)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[str] = []
        self.text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {name: value or "" for name, value in attrs}))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        (self.scripts if self._in_script else self.text).append(data)


def parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


def markup_from_data(html: str) -> list[str]:
    """Everything of a page that the payload turned into markup: a script running alert, an element with an
    event handler, an `<img src=x>`, a `javascript:` link. Empty when the data stayed text."""
    page = parse(html)
    found = [f"script: {body[:40]}" for body in page.scripts if "alert" in body]
    for tag, attrs in page.elements:
        found += [f"<{tag} {name}=>" for name in attrs if name.startswith("on")]
        found += [f"<{tag} {name}={value}>" for name, value in attrs.items()
                  if name in URL_ATTRIBUTES and "".join(value.split()).lower().startswith("javascript:")]
        if tag == "img" and attrs.get("src") == "x":
            found.append("<img src=x>")
    return found


def shows_payload(html: str) -> bool:
    """Whether the page shows the payload as the text it is (every character, one whitespace run a space)."""
    text = " ".join("".join(parse(html).text).split())
    return HOSTILE in text
