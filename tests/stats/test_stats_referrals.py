"""Referrals by partner, need and county, and demand against the directory's local services, under disclosure
control audited across the tables."""

from __future__ import annotations

import pandas as pd
from stats_helpers import contacts_frame

from abikaart.stats import referrals, taxonomy
from abikaart.stats.disclosure import TOTAL


def _month(small_contacts: pd.DataFrame) -> pd.DataFrame:
    t = small_contacts["start_time"]
    return small_contacts[((t >= pd.Timestamp("2026-10-01", tz="Europe/Tallinn"))
                           & (t < pd.Timestamp("2026-11-01", tz="Europe/Tallinn"))).to_numpy()]


def test_coverage_counts_contacts_from_counties_without_a_local_service() -> None:
    directory = taxonomy.load_directory()
    # Saaremaa has a local psychiatric ward (psuhhiaatriaosakond-kuressaare); Hiiumaa has none.
    local = referrals.local_counties(directory, "mental-health")
    assert "saare" in local and "hiiu" not in local
    rows: list[dict[str, object]] = ([{"need": "mental-health", "county": "saare"}] * 12
                                     + [{"need": "mental-health", "county": "hiiu"}] * 30
                                     + [{"need": "mental-health", "county": None}] * 5
                                     + [{"need": "information", "county": "hiiu"}] * 20)
    table = referrals.coverage(contacts_frame(rows))
    assert table.loc["mental-health", "contacts"] == 42  # the county must be known
    assert table.loc["mental-health", "uncovered"] == 30
    assert table.loc["mental-health", "counties_without"] == 15 - len(local)
    assert referrals.uncovered_counties(directory, "mental-health")[:1] == ["harju"]
    assert "information" not in table.index  # served only nationwide: no county lacks a local service


def test_referral_tables_agree_and_join_the_directory(small_contacts: pd.DataFrame) -> None:
    month = _month(small_contacts)
    directory = taxonomy.load_directory()
    partners = referrals.by_partner(month)
    names = {s.name.get("et") for s in directory.services.values()}
    assert set(partners.index) <= names and len(partners) >= 15
    answered = month[month["outcome"] == "answered"]
    assert partners["referrals"].sum() == answered["referral"].notna().sum()
    for dim in ("need", "county"):
        table = referrals.by_dimension(month, dim)
        assert table["referred"].sum() == partners["referrals"].sum()
        assert table["answered"].sum() == len(answered)


def test_referral_publication_leaves_no_hidden_cell_narrowed(small_contacts: pd.DataFrame) -> None:
    pub = referrals.publication(_month(small_contacts))
    assert set(pub.tables) == {"partner", "need", "county", "coverage"}
    assert pub.disclosures() == {} or set(pub.disclosures()) <= pub.structural
    need = pub.tables["need"]
    assert need.values.loc[TOTAL, "referred"] == pub.tables["partner"].values.loc[TOTAL, "referrals"]
    small = [(n, r, c) for n, t in pub.tables.items() for c in t.counts for r in t.values.index
             if t.display.at[r, c] == "<10"]
    assert small, "the month has small cells, so the audit had something to protect"
