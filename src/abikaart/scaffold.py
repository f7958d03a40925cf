"""New directory files from a few answers: correct, commented YAML that validates the first time.

Each answer is checked as it is typed with the models' own checks (an id, a phone number, a web address, opening
hours, taxonomy terms), and the finished text is validated again before it is written, so `abikaart new` never
leaves a broken file behind and never overwrites one.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click
import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError

from abikaart.loading import find_files, parse_text, read
from abikaart.models import LANGS, Email, HttpsUrl, OpeningHours, Organisation, PhoneNumber, Service, Slug, Taxonomy
from abikaart.problems import format_problems
from abikaart.validation import NATIONWIDE, check_model

CHECKS: dict[str, TypeAdapter[Any]] = {
    "id": TypeAdapter(Slug),
    "phone": TypeAdapter(PhoneNumber),
    "url": TypeAdapter(HttpsUrl),
    "email": TypeAdapter(Email),
    "hours": TypeAdapter(OpeningHours),
}
"""The models' field types, used alone to check one answer."""



class ScaffoldError(Exception):
    """The file cannot be created: it exists, the id is taken, or an answer is wrong."""


def check(kind: str, value: str) -> str:
    """`value` as the model would accept it, or ValueError with the model's message and fix."""
    try:
        return str(CHECKS[kind].validate_python(value))
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        fix = (error.get("ctx") or {}).get("fix")
        raise ValueError(error["msg"] + (f" ({fix})" if fix else "")) from None


# Reading what exists --------------------------------------------------------------------------------------


def known_terms(root: Path) -> dict[str, set[str]]:
    """Term ids by taxonomy kind, from the files that parse; a broken file is `validate`'s business."""
    terms: dict[str, set[str]] = {}
    for path in find_files(root / "taxonomies"):
        doc = read(path)
        try:
            taxonomy = Taxonomy.model_validate(doc.data)
        except ValidationError:
            continue
        terms.setdefault(taxonomy.kind, set()).update(term.id for term in taxonomy.terms)
    return terms


def known_ids(root: Path) -> dict[str, set[str]]:
    """Organisation and service ids already used anywhere under `root`, read leniently."""
    ids: dict[str, set[str]] = {"organisation": set(), "service": set()}
    for path in find_files(root / "organisations"):
        data = read(path).data
        if isinstance(data, dict):
            ids["organisation"].add(str(data.get("id")))
            services = data.get("services")
            for service in services if isinstance(services, list) else []:
                if isinstance(service, dict):
                    ids["service"].add(str(service.get("id")))
    for path in find_files(root / "services"):
        data = read(path).data
        if isinstance(data, dict):
            ids["service"].add(str(data.get("id")))
    return ids


# Writing YAML ---------------------------------------------------------------------------------------------


def scalar(value: str) -> str:
    """A YAML scalar on one line that reads back as exactly `value`.

    PyYAML quotes only when it must, by YAML 1.1's rules, the strictest (`no`, `2026-11-25`, `1247` get quotes);
    anything it cannot write plainly on one line is double-quoted with escapes.
    """
    text = yaml.safe_dump({"k": value}, allow_unicode=True, width=1_000_000).removeprefix("k: ").rstrip("\n")
    if "\n" in text or yaml.safe_load(f"k: {text}") != {"k": value}:  # e.g. U+0085, which YAML reads as a break
        quoted = yaml.safe_dump({"k": value}, allow_unicode=True, width=1_000_000, default_style='"')
        text = quoted.removeprefix('"k": ').rstrip("\n")
    return text


LANGUAGE_NAMES = {"et": "Estonian", "ru": "Russian", "en": "English"}


def _localized(key: str, texts: dict[str, str]) -> list[str]:
    """A multilingual text; a missing translation is a commented line to fill in."""
    lines = [f"{key}:"]
    for lang in LANGS:
        if texts.get(lang):
            lines.append(f"  {lang}: {scalar(texts[lang])}")
        else:
            lines.append(f"  # {lang}: the {key} in {LANGUAGE_NAMES[lang]}")
    return lines


def _optional(key: str, value: str | None, example: str, note: str = "") -> str:
    comment = f"  # {note}" if note else ""
    return f"{key}: {scalar(value)}{comment}" if value else f"# {key}: {example}{comment}"


@dataclass
class Record:
    """The answers common to organisations and services."""

    id: str
    name: dict[str, str]
    description: dict[str, str]
    source: str
    verified_by: str
    verified: dt.date = field(default_factory=dt.date.today)


@dataclass
class NewOrganisation(Record):
    website: str | None = None
    email: str | None = None
    phone: str | None = None


@dataclass
class NewService(Record):
    organisation: str = ""
    needs: list[str] = field(default_factory=list)
    audiences: list[str] = field(default_factory=list)
    counties: list[str] = field(default_factory=lambda: [NATIONWIDE])
    languages: list[str] = field(default_factory=list)
    phone: str | None = None
    chat: str | None = None
    email: str | None = None
    hours: str | None = None
    cost: str | None = None


VERIFIED_HOW_LINE = ("verified_how: desk-research  # confirmed (with the service, by phone or in writing), "
                     "official-page (its own website) or desk-research")
"""A new record claims the least until someone says more was done."""


def organisation_yaml(new: NewOrganisation) -> str:
    """The text of organisations/<id>.yaml."""
    lines = [
        "# yaml-language-server: $schema=../../schema/organisation.schema.json",
        "# A partner organisation. Your editor explains each field from the schema; check with `abikaart validate`.",
        f"id: {new.id}",
        *_localized("name", new.name),
        *_localized("description", new.description),
        _optional("website", new.website, "https://example.ee"),
        _optional("email", new.email, "info@example.ee"),
    ]
    if new.phone:
        lines += ["phones:", f"  - number: {scalar(new.phone)}"]
    else:
        lines += ["# phones:", "#   - number: +372 5123 4567"]
    lines += [
        f"source: {scalar(new.source)}  # the public page you checked the information against",
        f"verified: {new.verified.isoformat()}",
        VERIFIED_HOW_LINE,
        f"verified_by: {scalar(new.verified_by)}",
        "review_every: 1 year",
        "# locations: places where services are given; a shelter or safe house gets `confidential: true` and a",
        "#   `front_door:` (a phone or a meeting point); its address is then never published.",
        "# services: add them here, or one file each under services/ (`abikaart new service`).",
    ]
    return "\n".join(lines) + "\n"


def service_yaml(new: NewService) -> str:
    """The text of services/<id>.yaml."""
    channels = []
    if new.phone:
        channels += ["  - type: phone", f"    number: {scalar(new.phone)}"]
    if new.chat:
        channels += ["  - type: chat", f"    url: {scalar(new.chat)}"]
    if new.email:
        channels += ["  - type: email", f"    email: {scalar(new.email)}"]
    lines = [
        "# yaml-language-server: $schema=../../schema/service.schema.json",
        "# A service in a file of its own. Your editor explains each field from the schema; check with "
        "`abikaart validate`.",
        f"id: {new.id}",
        f"organisation: {new.organisation}",
        *_localized("name", new.name),
        *_localized("description", new.description),
        f"needs: [{', '.join(new.needs)}]  # taxonomies/needs.yaml",
        f"audiences: [{', '.join(new.audiences)}]  # taxonomies/audiences.yaml",
        f"counties: [{', '.join(new.counties)}]  # taxonomies/counties.yaml, or [nationwide]",
        f"languages: [{', '.join(new.languages)}]" if new.languages else "# languages: [et, ru, en]",
        "channels:  # a contact with `to_verify: <why>` stays off the public site until it is confirmed",
        *channels,
        _optional("hours", new.hours, "Mo-Fr 09:00-17:00; PH off", "OpenStreetMap opening_hours"),
        _optional("cost", new.cost, "free", "free, paid or partly"),
        f"source: {scalar(new.source)}  # the public page you checked the information against",
        f"verified: {new.verified.isoformat()}",
        VERIFIED_HOW_LINE,
        f"verified_by: {scalar(new.verified_by)}",
        "review_every: 6 months",
        "# internal_note: for counsellors only; never published",
    ]
    return "\n".join(lines) + "\n"


# Creating files -------------------------------------------------------------------------------------------


def _write_new(path: Path, text: str, model: type[BaseModel]) -> Path:
    """Validate `text` as `model`, then create `path`; never overwrite."""
    doc = parse_text(str(path), text.encode())
    _, problems = check_model(doc, model, doc.data)
    if doc.problems or problems:
        raise ScaffoldError("the new file would not be valid:\n" + format_problems([*doc.problems, *problems], "text"))
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as out:
            out.write(text)
    except FileExistsError:
        raise ScaffoldError(f"{path} already exists; edit it, or choose another id") from None
    return path


def create_organisation(root: Path, new: NewOrganisation) -> Path:
    """Write organisations/<id>.yaml under `root`."""
    if new.id in known_ids(root)["organisation"]:
        raise ScaffoldError(f"an organisation with the id {new.id!r} exists already; choose another id")
    return _write_new(root / "organisations" / f"{new.id}.yaml", organisation_yaml(new), Organisation)


def create_service(root: Path, new: NewService) -> Path:
    """Write services/<id>.yaml under `root`, for an organisation that exists."""
    ids = known_ids(root)
    if new.id in ids["service"]:
        raise ScaffoldError(f"a service with the id {new.id!r} exists already; choose another id")
    if new.organisation not in ids["organisation"]:
        raise ScaffoldError(f"no organisation has the id {new.organisation!r}; create it first "
                            "with `abikaart new organisation`")
    if not (new.phone or new.chat or new.email):
        raise ScaffoldError("a service needs at least one contact: give --phone, --chat or --email")
    return _write_new(root / "services" / f"{new.id}.yaml", service_yaml(new), Service)


# Prompt-time checks ---------------------------------------------------------------------------------------


class Checked(click.ParamType[str]):
    """A click type that checks an answer with a model field's own check; a prompt asks again on error."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.name = kind

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        try:
            return check(self.kind, str(value))
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


class Terms(click.ParamType[list[str]]):
    """A comma-separated list of taxonomy terms, checked against the directory's taxonomy files."""

    name = "terms"

    def __init__(self, kind: str, extra: tuple[str, ...] = ()) -> None:
        self.kind = kind
        self.extra = extra

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> list[str]:
        if isinstance(value, list):
            return value
        items = [item for item in re.split(r"[\s,]+", str(value)) if item]
        if not items:
            self.fail(f"give at least one {self.kind} term", param, ctx)
        root = ctx.params.get("root") if ctx else None
        known = known_terms(root).get(self.kind) if isinstance(root, Path) else None
        for item in items:
            try:
                check("id", item)
            except ValueError as exc:
                self.fail(str(exc), param, ctx)
            if known is not None and item not in known and item not in self.extra:
                choices = ", ".join(sorted(known | set(self.extra)))
                self.fail(f"unknown {self.kind} term {item!r} (use one of: {choices})", param, ctx)
        return items
