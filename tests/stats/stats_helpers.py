"""Helpers for the statistics tests: personal-data-shaped values are built at run time, never committed."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from abikaart.stats import contract, pii

REPO = Path(__file__).resolve().parents[2]
BAD = Path(__file__).parent / "data" / "bad"


def fake_personal_id() -> str:
    """A valid-looking isikukood for a fictitious person born 1 Jan 1980, built at run time."""
    first_ten = "3" + "80" + "01" + "01" + "123"
    return first_ten + str(pii.personal_id_check_digit(first_ten))


def fake_phone() -> str:
    """A real-looking Estonian mobile number, built at run time."""
    return "+" + "372" + " " + "5" + "123" + " " + "4567"


def contacts_frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    """A typed contacts frame from a few hand-written rows (defaults fill the other columns)."""
    base: dict[str, object] = {"contact_id": "c0", "caller_token": None, "wait_s": 0.0, "outcome": "answered",
                               "handle_s": 600.0, "acw_s": 0.0, "caller_type": "victim", "need": "crime",
                               "county": None, "risk_level": "low", "referral": None, "shift_id": "sh-a",
                               "channel": "phone", "language": "et"}
    out = []
    for i, row in enumerate(rows):
        r = {**base, "contact_id": f"c{i:06d}", **row}
        r["start_time"] = pd.Timestamp(str(r.get("start_time", "2026-10-05T10:00:00"))).tz_localize(contract.TZ)
        out.append(r)
    return pd.DataFrame(out)[list(contract.COLUMNS)]
