"""The directory's data model: pydantic models with Open Referral HSDS 3 names where they fit.

Every model forbids unknown fields so a typo is an error, not silently ignored data. Checks that need
only the value itself (phone numbers, e-mail, URLs, opening hours) live here as field types; checks that
need other files (taxonomy terms, references, duplicate ids) live in `validation`.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Any, Literal

import email_validator
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    RootModel,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from abikaart import phones
from abikaart.hours import check_opening_hours
from abikaart.problems import shown

LANGS: tuple[str, ...] = ("et", "ru", "en")
"""Site languages; Estonian is the default and the only required one."""

Lang = Literal["et", "ru", "en"]

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _error(kind: str, message: str, fix: str) -> PydanticCustomError:
    """A validation error that carries its fix, so problems can show both."""
    return PydanticCustomError(kind, message, {"fix": fix})


def _check_slug(value: str) -> str:
    if not SLUG_RE.match(value):
        suggestion = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-") or "my-service"
        raise _error(
            "slug",
            f"{shown(value)} is not a valid id",
            f"use lower-case letters, digits and hyphens, e.g. {shown(suggestion)}",
        )
    return value


Slug = Annotated[
    str,
    AfterValidator(_check_slug),
    WithJsonSchema({"type": "string", "pattern": SLUG_RE.pattern, "examples": ["ohvriabi-kriisitelefon"]}),
]


def _check_https(value: str) -> str:
    value = value.strip()
    if not re.match(r"^https://[^\s/$.?#][^\s]*\.[^\s]{2,}$", value):
        if value.startswith("http://"):
            raise _error("url", f"{shown(value)} is not https", f"use {shown('https://' + value[7:])}")
        raise _error("url", f"{shown(value)} is not a valid web address", "write it as https://example.ee/page")
    return value


HttpsUrl = Annotated[
    str,
    AfterValidator(_check_https),
    WithJsonSchema({"type": "string", "format": "uri", "pattern": r"^\s*https://", "examples": ["https://www.palunabi.ee"]}),
]

_EMAIL_RE = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")


def _check_email(value: str) -> str:
    """A regular expression passes ordinary addresses fast; email-validator judges the rest and says why."""
    value = value.strip()
    if _EMAIL_RE.match(value):
        return value
    try:
        email_validator.validate_email(value, check_deliverability=False)
    except email_validator.EmailNotValidError as exc:
        reason = str(exc).rstrip(".")
        reason = reason[:1].lower() + reason[1:]
        raise _error("email", f"{shown(value)} is not a valid e-mail address: {reason}",
                     "write it as name@example.ee") from None
    return value


Email = Annotated[
    str,
    AfterValidator(_check_email),
    WithJsonSchema({"type": "string", "format": "email", "examples": ["info@example.ee"]}),
]


def _check_phone(value: str) -> str:
    return phones.check(value)


# Editors read YAML 1.2, where an unquoted 1247 is a number; our loader keeps it as the text typed.
PhoneNumber = Annotated[
    str,
    AfterValidator(_check_phone),
    WithJsonSchema({
        "type": ["string", "integer"],
        "pattern": r"^\+?[0-9][0-9 ()-]*$",
        "description": "An Estonian number (5123 4567, +372 5123 4567), a short number (116 006, 1247) or a "
                       "foreign number with its country code.",
        "examples": ["116 006", "+372 5123 4567", "1247"],
    }),
]
OpeningHours = Annotated[
    str,
    AfterValidator(check_opening_hours),
    WithJsonSchema({
        "type": "string",
        "description": "OpenStreetMap opening_hours syntax; PH means Estonian public holidays.",
        "examples": ["24/7", "Mo-Fr 09:00-17:00; PH off", "Mo-Fr 10:00-18:00; Sa 10:00-14:00"],
    }),
]


def _parse_interval(value: Any) -> Any:
    """Accept '6 months', '90 days', '1 year', '2 weeks' and turn it into days."""
    if isinstance(value, int) or not isinstance(value, str):
        return value
    match = re.fullmatch(r"\s*(\d+)\s*(day|week|month|year)s?\s*", value)
    if not match:
        raise _error(
            "interval", f"{shown(value)} is not an interval", "write e.g. '6 months', '90 days' or '1 year'"
        )
    amount, unit = int(match[1]), match[2]
    return amount * {"day": 1, "week": 7, "month": 30, "year": 365}[unit]


ReviewInterval = Annotated[
    int,
    BeforeValidator(_parse_interval),
    Field(gt=0, le=3 * 365),
    WithJsonSchema({
        "anyOf": [
            {"type": "integer", "exclusiveMinimum": 0, "maximum": 3 * 365},
            {"type": "string", "pattern": r"^\s*\d+\s*(day|week|month|year)s?\s*$"},
        ],
        "description": "How often to re-check the record: days, or e.g. '6 months', '90 days', '1 year'.",
        "examples": ["6 months", "1 year", 90],
    }),
]


def _check_not_future(value: dt.date) -> dt.date:
    if value > dt.date.today():
        raise _error(
            "future_date", f"{value.isoformat()} is in the future", "use the date the record was checked"
        )
    return value


PastDate = Annotated[dt.date, AfterValidator(_check_not_future)]


SOURCE_TO_VERIFY = ("Why the source links are not confirmed (e.g. an old or unreachable page); 'source' and "
                    "'sources' are then kept off the public site.")
VERIFIED_HOW = ("How the record was checked: confirmed (with the service, by phone or its own written "
                "confirmation), official-page (read on the operator's official page) or desk-research (secondary "
                "sources or archived copies; the default, so a record never claims more than was done).")


class Model(BaseModel):
    """Base for every record: unknown fields are errors, strings are trimmed."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=False)


class LocalizedText(RootModel[dict[Lang, str]]):
    """Text a person reads, in et (required), ru and en."""

    model_config = ConfigDict(
        json_schema_extra={
            "type": "object",
            "properties": {
                "et": {"type": "string", "minLength": 1, "description": "Estonian (required)."},
                "ru": {"type": "string", "description": "Russian; the site shows the Estonian text until it is added."},
                "en": {"type": "string", "description": "English; the site shows the Estonian text until it is added."},
            },
            "required": ["et"],
            "additionalProperties": False,
            "examples": [{"et": "Ohvriabi", "ru": "Помощь жертвам", "en": "Victim support"}],
        }
    )

    @model_validator(mode="after")
    def _estonian_required(self) -> LocalizedText:
        if not self.root.get("et", "").strip():
            raise _error("missing_estonian", "Estonian text is missing", "add an 'et:' text")
        return self

    def get(self, lang: str) -> str:
        """The text in `lang`, or the Estonian text when there is none."""
        return self.root.get(lang) or self.root["et"]  # type: ignore[call-overload]

    def has(self, lang: str) -> bool:
        """Whether a real translation exists for `lang` (not the Estonian fallback)."""
        return bool(self.root.get(lang))  # type: ignore[call-overload]

    def missing(self) -> list[str]:
        """Site languages with no text of their own."""
        return [lang for lang in LANGS if not self.has(lang)]


class Cost(StrEnum):
    FREE = "free"
    PAID = "paid"
    PARTLY = "partly"


class Status(StrEnum):
    ACTIVE = "active"
    TEMPORARILY_CLOSED = "temporarily-closed"
    CLOSED = "closed"


class VerifiedHow(StrEnum):
    """How a record was checked, weakest last: a page never claims more than was done."""

    CONFIRMED = "confirmed"
    """Confirmed with the service itself: by phone, or in its own written confirmation."""
    OFFICIAL_PAGE = "official-page"
    """Read on the operating organisation's own official page."""
    DESK_RESEARCH = "desk-research"
    """From secondary sources or archived copies, not yet confirmed with the service."""


class ChannelType(StrEnum):
    PHONE = "phone"
    SMS = "sms"
    CHAT = "chat"
    VIDEO = "video"
    EMAIL = "email"
    WEB_FORM = "web-form"
    IN_PERSON = "in-person"
    APP = "app"


class Phone(Model):
    """A phone number (HSDS `phone`), as the author typed it; normalised by `phones`."""

    number: PhoneNumber
    description: LocalizedText | None = Field(default=None, description="What the number is for, e.g. reception.")
    to_verify: str | None = Field(
        default=None, description="Why this number is not confirmed; it is then kept off the public site."
    )

    @property
    def verified(self) -> bool:
        return self.to_verify is None


class Address(Model):
    """A street address (HSDS `address`); never published when its location is confidential."""

    address_1: str = Field(description="Street and house number.", examples=["Tatari 39"])
    city: str = Field(description="City, town or village.", examples=["Tallinn"])
    postal_code: Annotated[str, WithJsonSchema({"type": ["string", "integer"], "pattern": r"^\d{5}$"})] | None = (
        Field(default=None, description="Five-digit Estonian postal code.", examples=["10134"])
    )
    county: str = Field(description="County id from taxonomies/counties.yaml.", examples=["harju"])


_CONFIDENTIAL_HAS_NO_WHEREABOUTS: dict[str, Any] = {
    "if": {"properties": {"confidential": {"const": True, "description": "A confidential place."}},
           "required": ["confidential"]},
    "then": {"not": {"anyOf": [{"required": ["address"]}, {"required": ["latitude"]}, {"required": ["longitude"]}]}},
}
"""JSON Schema for editors: a confidential location has no address or position (the models say why)."""


class Location(Model):
    """A place where a service is given (HSDS `location`)."""

    model_config = ConfigDict(json_schema_extra=_CONFIDENTIAL_HAS_NO_WHEREABOUTS)

    id: Slug = Field(description="Unique within the organisation; channels refer to it with 'location:'.")
    name: LocalizedText = Field(description="The place's name as people know it.")
    confidential: bool = Field(
        default=False,
        description="A shelter or safe house: its address and position are never published anywhere.",
    )
    address: Address | None = Field(default=None, description="Street address; never published if confidential.")
    latitude: float | None = Field(default=None, ge=57.0, le=60.0, description="WGS 84 latitude.", examples=[59.437])
    longitude: float | None = Field(
        default=None, ge=21.0, le=28.5, description="WGS 84 longitude.", examples=[24.7536]
    )
    front_door: LocalizedText | None = Field(
        default=None, description="How to reach a confidential place: a phone or a meeting point."
    )
    transportation: LocalizedText | None = Field(default=None, description="How to get there: bus, tram, parking.")
    accessibility: LocalizedText | None = Field(default=None, description="Step-free access, lift, hearing loop.")

    @model_validator(mode="after")
    def _front_door_for_confidential(self) -> Location:
        if self.confidential and self.front_door is None:
            raise _error(
                "front_door_missing",
                "a confidential location needs a front door",
                "add 'front_door:' saying how to reach it: a phone or a meeting point",
            )
        return self


class Channel(Model):
    """One way to reach a service, with its own contact, hours and languages."""

    type: ChannelType = Field(
        description="phone and sms need 'number'; chat, video, web-form and app need 'url'; email needs 'email'; "
        "in-person needs 'location'."
    )
    number: PhoneNumber | None = Field(default=None, description="For phone and sms channels.")
    url: HttpsUrl | None = Field(default=None, description="For chat, video, web-form and app channels.")
    email: Email | None = Field(default=None, description="For email channels.")
    location: Slug | None = Field(default=None, description="Id of one of the organisation's locations.")
    hours: OpeningHours | None = Field(
        default=None, description="OpenStreetMap opening_hours, e.g. 'Mo-Fr 09:00-17:00; PH off' or '24/7'."
    )
    languages: list[str] | None = Field(
        default=None, description="Language ids when they differ from the service's.", examples=[["et", "ru"]]
    )
    description: LocalizedText | None = Field(default=None, description="A note shown with this contact.")
    to_verify: str | None = Field(
        default=None, description="Why this contact is not confirmed; it is then kept off the public site."
    )

    @model_validator(mode="after")
    def _contact_matches_type(self) -> Channel:
        need = {
            ChannelType.PHONE: "number",
            ChannelType.SMS: "number",
            ChannelType.EMAIL: "email",
            ChannelType.CHAT: "url",
            ChannelType.VIDEO: "url",
            ChannelType.WEB_FORM: "url",
            ChannelType.APP: "url",
            ChannelType.IN_PERSON: "location",
        }[self.type]
        if getattr(self, need) is None:
            raise _error(
                "channel_contact_missing",
                f"a {self.type.value} channel needs a '{need}'",
                f"add '{need}:' to this channel",
            )
        return self

    @property
    def verified(self) -> bool:
        return self.to_verify is None


class CountyToVerify(Model):
    """A county a service is said to serve, but whose sources conflict: internal until someone confirms it.

    The county stays off the public site (the service is not listed on that county's page), and the conflict
    waits on the internal "to verify" page, so nobody is sent to a provider that may no longer serve them.
    """

    county: str = Field(description="County id from taxonomies/counties.yaml.", examples=["viljandi"])
    to_verify: str = Field(
        min_length=1, description="Why the county is not confirmed: the conflicting sources and their dates."
    )


class Service(Model):
    """What an organisation offers (HSDS `service`), with everything a counsellor needs to refer to it."""

    id: Slug = Field(description="Unique across the directory; it becomes the page address.")
    organisation: Slug | None = Field(
        default=None, description="The organisation's id; required in a file of its own under services/."
    )
    name: LocalizedText = Field(description="The name people search for, e.g. the line's name and number.")
    description: LocalizedText = Field(description="What the service does, for whom, in one or two sentences.")
    needs: list[str] = Field(
        min_length=1, description="Need ids from taxonomies/needs.yaml.", examples=[["domestic-violence", "crime"]]
    )
    first_contact_for: list[str] = Field(
        default_factory=list, description="Needs, among its own, for which this is where a counsellor sends people "
        "first (e.g. 116 006 for any victim): a search that names the need lists it before the need's other "
        "services.", examples=[["domestic-violence", "crime"]],
    )
    audiences: list[str] = Field(
        min_length=1, description="Audience ids from taxonomies/audiences.yaml.", examples=[["victims", "relatives"]]
    )
    counties: list[str] = Field(
        default_factory=list, description="County ids, or [nationwide]; empty only when every county the service "
        "is said to serve is in conflict ('counties_to_verify').", examples=[["nationwide"], ["harju", "tartu"]]
    )
    counties_to_verify: list[CountyToVerify] = Field(
        default_factory=list, description="Counties the service may serve, with sources in conflict: never "
        "published, shown on the internal 'to verify' page. List only confirmed counties under 'counties'.",
    )
    languages: list[str] = Field(
        default_factory=list, description="Language ids from taxonomies/languages.yaml.", examples=[["et", "ru", "en"]]
    )
    channels: list[Channel] = Field(min_length=1, description="Every way to reach the service; at least one.")
    hours: OpeningHours | None = Field(default=None, description="Hours for every channel that has none of its own.")
    cost: Cost | None = Field(default=None, description="free, paid or partly (some parts are paid).")
    cost_note: LocalizedText | None = Field(default=None, description="What is paid, and how much.")
    confidential: bool | None = Field(default=None, description="Whether what is said stays confidential.")
    anonymous: bool | None = Field(default=None, description="Whether a person can stay anonymous.")
    referral_required: bool | None = Field(default=None, description="Whether a referral is needed first.")
    eligibility: LocalizedText | None = Field(default=None, description="Who can use it, if not everyone.")
    accessibility: LocalizedText | None = Field(
        default=None, description="Sign language, text relay, step-free access."
    )
    status: Status = Field(default=Status.ACTIVE, description="active, temporarily-closed or closed.")
    notice: LocalizedText | None = Field(
        default=None, description="A temporary notice shown before the contacts, e.g. holiday closure."
    )
    notice_until: dt.date | None = Field(default=None, description="The last day the notice is shown, YYYY-MM-DD.")
    front_door: LocalizedText | None = Field(
        default=None, description="How to reach the service when it has no public contact of its own, e.g. "
        "through the victim support line 116 006.",
    )
    source: HttpsUrl = Field(description="The public page the information was checked against.")
    sources: list[HttpsUrl] = Field(default_factory=list, description="Further pages that back the record.")
    source_to_verify: str | None = Field(default=None, description=SOURCE_TO_VERIFY)
    verified: PastDate = Field(description="The day the record was last checked, YYYY-MM-DD.", examples=["2026-11-25"])
    verified_how: VerifiedHow = Field(default=VerifiedHow.DESK_RESEARCH, description=VERIFIED_HOW)
    verified_by: str = Field(description="Who checked it (a role or team, not a private person's name).")
    review_every: ReviewInterval = 180
    see_also: list[Slug] = Field(
        default_factory=list, description="Ids of related services to refer to, e.g. a 24/7 line."
    )
    internal_note: str | None = Field(
        default=None, description="For counsellors only; shown on the internal site, never published."
    )

    @model_validator(mode="after")
    def _some_county(self) -> Service:
        if not self.counties and not self.counties_to_verify:
            raise _error("counties_missing", "a service needs 'counties' (or, when they are in conflict, "
                         "'counties_to_verify')", "add 'counties: [nationwide]' or the county ids it serves")
        claimed = set(self.counties) & {claim.county for claim in self.counties_to_verify}
        if claimed:
            raise _error("county_conflict", f"{sorted(claimed)[0]!r} is both confirmed ('counties') and in "
                         "conflict ('counties_to_verify')", "keep it in one of the two lists")
        return self

    @property
    def public_channels(self) -> list[Channel]:
        """Channels that may be published: unverified contacts stay internal."""
        return [channel for channel in self.channels if channel.verified]


class Organisation(Model):
    """A partner organisation (HSDS `organization`) and everything it offers."""

    id: Slug = Field(description="Unique across the directory; the file is named <id>.yaml.")
    name: LocalizedText = Field(description="The organisation's official name.")
    alternate_name: LocalizedText | None = Field(default=None, description="A short or former name people use.")
    description: LocalizedText = Field(description="What the organisation is, in one or two sentences.")
    website: HttpsUrl | None = Field(default=None, description="The organisation's home page.")
    website_to_verify: str | None = Field(
        default=None, description="Why the website is not confirmed; it is then kept off the public site."
    )
    email: Email | None = Field(default=None, description="The organisation's general e-mail address.")
    email_to_verify: str | None = Field(
        default=None, description="Why the e-mail address is not confirmed; it is then kept off the public site."
    )
    phones: list[Phone] = Field(default_factory=list, description="General numbers, e.g. reception.")
    locations: list[Location] = Field(default_factory=list, description="Places where its services are given.")
    services: list[Service] = Field(default_factory=list, description="What it offers; a service may also "
                                    "live in a file of its own under services/.")
    source: HttpsUrl = Field(description="The public page the information was checked against.")
    source_to_verify: str | None = Field(default=None, description=SOURCE_TO_VERIFY)
    verified: PastDate = Field(description="The day the record was last checked, YYYY-MM-DD.", examples=["2026-11-25"])
    verified_how: VerifiedHow = Field(default=VerifiedHow.DESK_RESEARCH, description=VERIFIED_HOW)
    verified_by: str = Field(description="Who checked it (a role or team, not a private person's name).")
    review_every: ReviewInterval = 365


class Term(Model):
    """One term of a taxonomy (need, audience, county, channel or language)."""

    id: Slug = Field(description="What services write in their lists, e.g. needs: [domestic-violence].")
    name: LocalizedText = Field(description="The term as people read it.")
    description: LocalizedText | None = Field(default=None, description="What the term covers.")
    urgent: bool = Field(default=False, description="A need whose services should be reachable out of hours.")
    search_phrases: dict[Lang, list[str]] = Field(
        default_factory=dict,
        description="How people describe their situation, per language (et, ru, en): site search finds this "
        "term's services by these phrases, e.g. {et: [kardan kodus olla], en: [afraid at home]}.",
    )


class Taxonomy(Model):
    """A taxonomy file: its kind and its terms."""

    kind: Literal["needs", "audiences", "counties", "channels", "languages"] = Field(
        description="Which taxonomy the file holds; one file per kind."
    )
    terms: list[Term] = Field(min_length=1, description="The terms; services refer to them by id.")
