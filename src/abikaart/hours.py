"""Opening hours in OpenStreetMap `opening_hours` syntax, with Estonian public holidays.

Parsed once at load time (opening-hours-py, ~30 µs an expression); the site gets weekly intervals
and the holiday list so the browser can say "open now" without a server.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
import opening_hours
from pydantic_core import PydanticCustomError

from abikaart.problems import shown

TIMEZONE = ZoneInfo("Europe/Tallinn")
COUNTRY = "EE"


@lru_cache(maxsize=8192)
def parse(expression: str) -> opening_hours.OpeningHours:
    """Parse an expression with Estonian public holidays (`PH`); cached, expressions repeat a lot."""
    return opening_hours.OpeningHours(expression, country=COUNTRY)


def check_opening_hours(expression: str) -> str:
    """Return the expression if it parses, else raise an error with the usual forms as the fix."""
    try:
        parse(expression)
    except (SyntaxError, ValueError, getattr(opening_hours, "ParserError", SyntaxError)) as exc:
        where = re.search(r"-->\s*\d+:(\d+)", str(exc))
        detail = f"at character {where[1]}" if where else ""
        raise PydanticCustomError(
            "opening_hours",
            "{value} is not valid opening hours{detail}",
            {
                "value": shown(expression),
                "detail": f" ({detail})" if detail else "",
                "fix": "write e.g. 'Mo-Fr 09:00-17:00; PH off' or '24/7'",
            },
        ) from None
    return expression


@lru_cache(maxsize=8192)
def is_always_open(expression: str) -> bool:
    """Whether the hours are round the clock, every day including holidays; cached like `parse`."""
    return expression.strip() == "24/7" or str(parse(expression).normalize()).strip() == "24/7"


def is_open(expression: str, when: dt.datetime) -> bool:
    """Whether a place with these hours is open at `when` (local time in Tallinn)."""
    local = when.astimezone(TIMEZONE).replace(tzinfo=None) if when.tzinfo else when
    return bool(parse(expression).is_open(local))


def week_intervals(expression: str, monday: dt.date) -> list[tuple[int, int]]:
    """Open intervals of one ordinary week as minutes from Monday 00:00, for the browser's 'open now'."""
    start = dt.datetime.combine(monday, dt.time())
    end = start + dt.timedelta(days=7)
    spans: list[tuple[int, int]] = []
    for begin, finish, state, _comment in parse(expression).intervals(start, end):
        if state == opening_hours.State.OPEN:
            spans.append((int((begin - start).total_seconds() // 60), int((finish - start).total_seconds() // 60)))
    return spans


def public_holidays(years: range) -> dict[str, str]:
    """Estonian public holidays by ISO date, so the browser can apply `PH off`."""
    calendar = holidays.country_holidays(COUNTRY, years=list(years))
    return {day.isoformat(): name for day, name in sorted(calendar.items())}
