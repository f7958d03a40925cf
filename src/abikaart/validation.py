"""Checks on the directory data, yielding problems a maintainer can act on.

Per-record checks are pydantic's (the models); this module turns its errors into `file:line:col: field:
message (fix)` problems, and adds the checks that need more than one file: taxonomy terms, references,
duplicate ids, and the warnings (translations, overdue re-verification, urgent needs out of hours).
"""

from __future__ import annotations

import datetime as dt
import difflib
import types
import typing
from collections.abc import Iterable, Iterator
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, RootModel, ValidationError
from pydantic_core import ErrorDetails

from abikaart import addresses, hours
from abikaart.loading import Document, Loc, format_loc, read
from abikaart.models import LANGS, Channel, LocalizedText, Organisation, Service, Status
from abikaart.problems import Problem, shown

M = TypeVar("M", bound=BaseModel)

NATIONWIDE = "nationwide"
OFFICE_HOURS_PROBE = "Mo-Fr 08:00-18:00"
"""What counts as office hours when asking whether a service can be reached outside them."""


def did_you_mean(value: str, choices: Iterable[str]) -> str | None:
    """The closest known name to a misspelt one, if any is close."""
    match = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return match[0] if match else None


def _unwrap(annotation: Any) -> Any:
    """The model class inside `X | None`, `list[X]` or `Annotated[X, ...]`, if there is one."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType, list):
        for arg in typing.get_args(annotation):
            inner = _unwrap(arg)
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                return inner
    return annotation


def _model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The model class that owns the last key of `loc`, for did-you-mean on unknown fields."""
    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)) or part not in current.model_fields:
            return None
        current = _unwrap(current.model_fields[part].annotation)
    if isinstance(current, type) and issubclass(current, BaseModel) and not issubclass(current, RootModel):
        return current
    return None


def _expected_model(model: type[BaseModel], loc: Loc) -> Any:
    """The model a value at `loc` should have been (a list item's too), for a fix that names its fields."""
    parts = loc[:-1] if loc and isinstance(loc[-1], int) else loc
    if not parts:
        return model
    owner = _model_at(model, parts)
    field = owner.model_fields.get(str(parts[-1])) if owner else None
    return _unwrap(field.annotation) if field else None


def _mapping_fix(model: type[BaseModel], loc: Loc, value: Any) -> str:
    """How to write a mapping where something else stands: per language for texts, else the fields."""
    expected = _expected_model(model, loc)
    label = str(loc[-1]) if loc and isinstance(loc[-1], str) else "the item"
    if expected is LocalizedText:
        text = shown(value)[1:-1] if isinstance(value, str) and value else "..."
        return f"write it per language, e.g. {label}: {{et: {text}, ru: ..., en: ...}}"
    if isinstance(expected, type) and issubclass(expected, BaseModel):
        required = [name for name, info in expected.model_fields.items() if info.is_required()]
        fields = f"; at least: {', '.join(required)}" if required else ""
        if loc and isinstance(loc[-1], int):
            return f"write the item's fields as 'field: value' lines after '- '{fields}"
        return f"write its fields as 'field: value' lines indented below '{label}:'{fields}"
    return "indent the fields below this key"


_RANGE_FIX = {
    "latitude": "Estonia lies within latitude 57-60 and longitude 21-28.5; are the two swapped?",
    "longitude": "Estonia lies within latitude 57-60 and longitude 21-28.5; are the two swapped?",
    "review_every": "write an interval from 1 day to 3 years, e.g. '6 months'",
}


def _range_message(error: ErrorDetails, name: str, value: Any) -> tuple[str, str]:
    ctx = error.get("ctx") or {}
    bounds = " and ".join(f"{word} {ctx[key]}" for key, word in (("gt", "above"), ("ge", "at least"),
                                                                  ("lt", "below"), ("le", "at most"))
                          if key in ctx)
    return f"{_describe(value)} is out of range", _RANGE_FIX.get(name, f"use a number {bounds}")


def _clean_loc(loc: tuple[int | str, ...]) -> tuple[Loc, bool]:
    """Drop pydantic's `[key]` marker; say whether the error is about a mapping key."""
    is_key = bool(loc) and loc[-1] == "[key]"
    parts = tuple(part for part in loc if part != "[key]")
    return parts, is_key


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return shown(value)


def _message(error: ErrorDetails, model: type[BaseModel], loc: Loc) -> tuple[str, str | None]:
    """A sentence for people, and its fix, for one pydantic error."""
    kind, value, ctx = error["type"], error.get("input"), error.get("ctx") or {}
    name = str(loc[-1]) if loc else ""
    if "fix" in ctx:
        return error["msg"], str(ctx["fix"])
    if kind == "missing":
        return f"required field {name!r} is missing", f"add '{name}:'"
    if kind == "extra_forbidden":
        owner = _model_at(model, loc)
        known = list(owner.model_fields) if owner else []
        guess = did_you_mean(name, known)
        fix = f"did you mean {guess!r}?" if guess else f"remove it; known fields: {', '.join(known)}"
        return f"unknown field {shown(name)}", fix
    if kind in ("literal_error", "enum"):
        expected = str(ctx.get("expected", "")).replace("'", "")
        options = [option.strip() for option in expected.replace(" or ", ",").split(",") if option.strip()]
        guess = did_you_mean(str(value), options)
        fix = f"did you mean {guess!r}?" if guess else f"use one of: {', '.join(options)}"
        return f"{_describe(value)} is not allowed here", fix
    if kind == "bool_parsing" or kind == "bool_type":
        return f"{_describe(value)} is not true or false", "write true or false"
    if kind in ("list_type",):
        item = _expected_model(model, loc)
        of_records = isinstance(item, type) and issubclass(item, BaseModel)
        example = f"write it as a list, e.g. [{shown(value)[1:-1]}]" if isinstance(value, str) and value and \
            not of_records else "write each item on its own line starting with '- '"
        return f"expected a list, got {_describe(value)}", example
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"expected a mapping of field: value, got {_describe(value)}", _mapping_fix(model, loc, value)
    if kind in ("string_type",):
        return f"expected text, got {_describe(value)}", "write a single line of text"
    if kind.startswith("date") or kind.startswith("datetime"):
        return f"{_describe(value)} is not a date", "write the date as YYYY-MM-DD, e.g. 2026-11-25"
    if kind in ("too_short",):
        return "must not be empty", "add at least one item"
    if kind in ("greater_than", "less_than_equal", "greater_than_equal", "less_than"):
        return _range_message(error, name, value)
    if kind.startswith("float") or kind.startswith("int"):
        return f"{_describe(value)} is not a number", "write a plain number with a dot, e.g. 58.38"
    return f"{_describe(value)}: {error['msg']}", None


def read_model(path: Path, base: Path, model: type[M], problems: list[Problem]) -> tuple[M | None, Document]:
    """Read one file and validate it as `model`; every problem, of the YAML or of the record, joins `problems`."""
    doc = read(path, base)
    problems.extend(doc.problems)
    if doc.data is None:
        return None, doc
    record, errors = check_model(doc, model, doc.data)
    problems.extend(errors)
    return record, doc


def check_model(doc: Document, model: type[M], data: Any, base: Loc = ()) -> tuple[M | None, list[Problem]]:
    """Validate `data` (found at `base` in `doc`) against `model`; errors become placed problems."""
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        problems = []
        for error in exc.errors(include_url=False):
            loc, is_key = _clean_loc(error["loc"])
            full = (*base, *loc)
            message, fix = _message(error, model, loc)
            if is_key or error["type"] == "extra_forbidden":
                line, col = doc.key_mark(full)
            elif error["type"] == "missing":
                line, col = doc.mark(full[:-1])
            else:
                line, col = doc.mark(full)
            problems.append(Problem(doc.path, line, col, format_loc(full), message, fix, code=error["type"]))
        return None, problems


# Cross-file checks ------------------------------------------------------------------------------------


def check_terms(doc: Document, loc: Loc, values: list[str], known: dict[str, Any], kind: str,
                extra: Iterable[str] = ()) -> Iterator[Problem]:
    """Every value must be a term of the taxonomy `kind`; suggest the nearest one."""
    extra = tuple(extra)
    for index, value in enumerate(values):
        if value in known or value in extra:  # no set built: this runs for every list of every service
            continue
        line, col = doc.mark((*loc, index))
        guess = did_you_mean(value, [*known, *extra])
        fix = f"did you mean {guess!r}?" if guess else f"use a term from directory/taxonomies/{kind}.yaml"
        yield Problem(doc.path, line, col, format_loc((*loc, index)), f"unknown {kind} term {shown(value)}", fix,
                      code="unknown_term")


def check_first_contact(doc: Document, loc: Loc, service: Service) -> Iterator[Problem]:
    """A service is the first contact only for needs it serves: search lists it first among that need's
    services, so a need it does not list would put it before the services that do."""
    for index, need in enumerate(service.first_contact_for):
        if need in service.needs:
            continue
        line, col = doc.mark((*loc, "first_contact_for", index))
        yield Problem(doc.path, line, col, format_loc((*loc, "first_contact_for", index)),
                      f"{shown(need)} is not one of the service's needs",
                      "add it to 'needs', or remove it here", code="bad_reference")


@cache
def _nested_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """The fields of a model class that hold texts or other records (alone or in lists)."""
    return tuple(name for name, info in model.model_fields.items()
                 if isinstance(inner := _unwrap(info.annotation), type) and issubclass(inner, BaseModel))


def localized_fields(model: BaseModel, loc: Loc = ()) -> Iterator[tuple[Loc, LocalizedText]]:
    """Every multilingual text inside a record, with where it stands."""
    values = model.__dict__
    for name in _nested_fields(type(model)):  # only fields that can hold texts: this runs for every record
        value = values[name]
        if value is None:
            continue
        if isinstance(value, LocalizedText):
            yield (*loc, name), value
        elif isinstance(value, BaseModel):
            yield from localized_fields(value, (*loc, name))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from localized_fields(item, (*loc, name, index))


def check_translations(doc: Document, model: BaseModel, base: Loc = ()) -> Iterator[Problem]:
    """Warn for each text that lacks a Russian or English version (the site then shows Estonian)."""
    for loc, text in localized_fields(model, base):
        missing = [lang for lang in text.missing() if lang != "et"]
        if missing:
            line, col = doc.mark(loc)
            yield Problem(doc.path, line, col, format_loc(loc), f"no {' or '.join(missing)} translation",
                          f"add {', '.join(f'{lang}:' for lang in missing)}; the site shows the Estonian text "
                          "with a note meanwhile", level="warning", code="translation")


def check_review(doc: Document, loc: Loc, verified: dt.date, every: int, today: dt.date) -> Iterator[Problem]:
    """Warn when a record is overdue for re-verification."""
    due = verified + dt.timedelta(days=every)
    if due < today:
        line, col = doc.mark((*loc, "verified"))
        yield Problem(doc.path, line, col, format_loc((*loc, "verified")),
                      f"last verified {verified.isoformat()}, due again {due.isoformat()}",
                      "check the contacts with the organisation and update 'verified'",
                      level="warning", code="stale")


_PLACE_TEXTS = ("name", "front_door", "transportation", "accessibility")
_SERVICE_TEXTS = ("description", "notice", "front_door")


def check_hidden_places(doc: Document, organisation: Organisation,
                        services: Iterable[tuple[Document, Loc, Service]] = ()) -> Iterator[Problem]:
    """A confidential location's whereabouts must not be written in the data at all: an error.

    The repository is public and its history keeps every line for ever, so leaving it out of the outputs
    is not enough: no address, no position, and no street-and-number or postal-code shape in any text of
    the place, or in the texts of the services (`services`: where each stands) whose in-person channels
    lead there. The address belongs in the organisation's own records; the directory keeps the front door.
    """
    hidden: set[str] = set()
    for index, location in enumerate(organisation.locations):
        if not location.confidential:
            continue
        hidden.add(location.id)
        for name in ("address", "latitude", "longitude"):
            if getattr(location, name) is not None:
                loc = ("locations", index, name)
                line, col = doc.key_mark(loc)
                yield Problem(doc.path, line, col, format_loc(loc),
                              "a confidential location's whereabouts must never be written in the public "
                              "repository", f"remove '{name}:'; 'front_door:' says how to reach the place",
                              code="confidential_in_data")
        yield from _addresses_in(doc, ("locations", index), location, _PLACE_TEXTS)
    for service_doc, base, service in services:
        leads_there = [i for i, c in enumerate(service.channels) if c.location in hidden]
        if not leads_there:
            continue
        yield from _addresses_in(service_doc, base, service, _SERVICE_TEXTS)
        for index in leads_there:
            yield from _addresses_in(service_doc, (*base, "channels", index), service.channels[index],
                                     ("description",))


def _addresses_in(doc: Document, base: Loc, record: BaseModel, names: Iterable[str]) -> Iterator[Problem]:
    """An error for each text (per language) of `record` that spells out an address."""
    for name in names:
        value = getattr(record, name, None)
        if not isinstance(value, LocalizedText):
            continue
        for lang, text in value.root.items():
            found = addresses.find_address(text)
            if found is None:
                continue
            loc = (*base, name, lang)
            line, col = doc.mark(loc)
            yield Problem(doc.path, line, col, format_loc(loc),
                          f"{shown(found)} looks like a street address, and this place is confidential",
                          "remove it; say how to reach the place without its address, e.g. through 116 006",
                          code="confidential_in_data")


def check_reachable(doc: Document, loc: Loc, service: Service) -> Iterator[Problem]:
    """An active service must say how to reach it: a public channel, or a front door when every contact
    of its own is still to verify (else a person finds it, and no way in)."""
    if service.status is not Status.ACTIVE or service.public_channels or service.front_door is not None:
        return
    line, col = doc.mark((*loc, "channels"))
    yield Problem(doc.path, line, col, format_loc((*loc, "channels")),
                  "an active service with no public contact: every channel is marked 'to_verify'",
                  "add 'front_door:' saying how to reach it (e.g. through 116 006), or set 'status:'",
                  code="unreachable")


def reachable_out_of_hours(service: Service) -> bool | None:
    """Whether some public channel is open outside office hours; None when no hours are known."""
    known = False
    for channel in service.public_channels:
        expression = channel.hours or service.hours
        if expression is None:
            continue
        known = True
        if _open_outside_office(expression):
            return True
    return False if known else None


_PROBE_MONDAY = dt.date(2026, 11, 23)
"""An ordinary week with no public holiday."""


@lru_cache(maxsize=4096)
def _open_outside_office(expression: str) -> bool:
    """Cached: a directory has few distinct opening hours and many channels sharing them."""
    office = hours.week_intervals(OFFICE_HOURS_PROBE, _PROBE_MONDAY)
    for start, end in hours.week_intervals(expression, _PROBE_MONDAY):
        inside = any(o_start <= start and end <= o_end for o_start, o_end in office)
        if not inside:
            return True
    return False


def check_urgent_reach(doc: Document, loc: Loc, service: Service, urgent: set[str],
                       always_open: set[str]) -> Iterator[Problem]:
    """Warn when a service for an urgent need cannot be reached out of hours and points nowhere that can."""
    urgent_needs = [need for need in service.needs if need in urgent]
    if not urgent_needs or reachable_out_of_hours(service) is not False:
        return
    if any(ref in always_open for ref in service.see_also):
        return
    line, col = doc.mark((*loc, "channels"))
    yield Problem(doc.path, line, col, format_loc((*loc, "channels")),
                  f"serves the urgent need {urgent_needs[0]!r} but has no contact outside office hours",
                  "add a channel open evenings and weekends, or list a 24/7 service in 'see_also'",
                  level="warning", code="out_of_hours")


def channel_languages(channel: Channel, service: Service) -> list[str]:
    """A channel's languages, defaulting to the service's."""
    return channel.languages if channel.languages is not None else service.languages


__all__ = [
    "LANGS",
    "NATIONWIDE",
    "Organisation",
    "check_first_contact",
    "check_hidden_places",
    "check_model",
    "check_reachable",
    "check_review",
    "check_terms",
    "check_translations",
    "check_urgent_reach",
    "did_you_mean",
]
