"""Referrals by partner, need and county, and demand set against the directory: contacts about a need that
come from counties where the directory lists no local service for it.

Every table here is raw (counts and their denominators); `publication` protects and audits them together
before anything is shown.  Service, need and county names come from the validated directory.
"""

from __future__ import annotations

import pandas as pd

from abikaart.directory import Directory
from abikaart.stats import taxonomy
from abikaart.stats.audit import Publication
from abikaart.stats.disclosure import DEFAULT, TOTAL, DisclosureConfig, protect_table

UNKNOWN = "unknown"
"""Row of contacts whose county is not known: kept, so each table's groups add up to its total."""


def _answered(month: pd.DataFrame) -> pd.DataFrame:
    """Referrals are made in conversations: the answered contacts are the denominator."""
    return month[(month["outcome"] == "answered").to_numpy()]


def by_partner(month: pd.DataFrame, directory: Directory | None = None) -> pd.DataFrame:
    """Referrals per directory service, labelled by its Estonian name (a published name, not a record id)."""
    directory = directory or taxonomy.load_directory()
    referred = _answered(month)["referral"].dropna()
    counts = referred.value_counts().rename("referrals")
    names = {sid: directory.services[sid].name.get("et") for sid in counts.index}
    table = counts.rename(index=names).to_frame().sort_values("referrals", ascending=False, kind="stable")
    table.index.name = "partner"
    return table


def by_dimension(month: pd.DataFrame, dim: str) -> pd.DataFrame:
    """Answered contacts, those referred onwards, and the referral rate, per need or county."""
    answered = _answered(month)
    key = answered[dim].fillna(UNKNOWN)
    table = pd.DataFrame({"answered": key.value_counts(),
                          "referred": key[answered["referral"].notna().to_numpy()].value_counts()}).fillna(0)
    table["referral_rate"] = table["referred"] / table["answered"]
    table.index.name = dim
    return table.sort_values("answered", ascending=False, kind="stable")


def local_counties(directory: Directory, need: str) -> set[str]:
    """Counties where the directory lists a service for `need` that serves that county specifically."""
    return {c for s in directory.services_for_need(need) for c in s.counties if c != "nationwide"}


def coverage(month: pd.DataFrame, directory: Directory | None = None) -> pd.DataFrame:
    """Per need with local services somewhere: answered contacts with a known county, those from counties
    with no local service for the need, and how many of the 15 counties lack one (a fact of the directory)."""
    directory = directory or taxonomy.load_directory()
    answered = _answered(month).dropna(subset=["need", "county"])
    counties = set(directory.taxonomies["counties"])
    rows = []
    for need, part in answered.groupby("need", sort=True):
        local = local_counties(directory, str(need))
        if not local:
            continue  # served only nationwide (a phone line): a county has nothing to lack
        missing = counties - local
        rows.append({"need": str(need), "contacts": len(part),
                     "uncovered": int(part["county"].isin(missing).sum()),
                     "counties_without": len(missing)})
    table = pd.DataFrame(rows, columns=["need", "contacts", "uncovered", "counties_without"]).set_index("need")
    table["uncovered_share"] = table["uncovered"] / table["contacts"].where(table["contacts"] > 0)
    return table.sort_values("uncovered", ascending=False, kind="stable")


def uncovered_counties(directory: Directory, need: str) -> list[str]:
    """The counties without a local service for a need, in taxonomy order (a directory fact)."""
    local = local_counties(directory, need)
    return [c for c in directory.taxonomies["counties"] if c not in local]


def publication(month: pd.DataFrame, directory: Directory | None = None,
                cfg: DisclosureConfig = DEFAULT) -> Publication:
    """The referral and coverage tables of one month, protected and audited together.

    Identities: each table's groups add up to its total row, and the partner, need and county tables count
    the same referrals, so their totals are one figure.
    """
    directory = directory or taxonomy.load_directory()
    pub = Publication(cfg)
    answered = _answered(month)
    total_referred = float(answered["referral"].notna().sum())
    partners = by_partner(month, directory)
    pub.add("partner", protect_table(partners, ["referrals"], total=pd.Series({"referrals": total_referred}),
                                     cfg=cfg), total_row=True)
    overall = pd.Series({"answered": float(len(answered)), "referred": total_referred,
                         "referral_rate": total_referred / len(answered) if len(answered) else float("nan")})
    for dim in ("need", "county"):
        pub.add(dim, protect_table(by_dimension(month, dim), ["answered", "referred"],
                                   rates={"referral_rate": "answered"}, total=overall, cfg=cfg,
                                   numerators={"referral_rate": "referred"}), total_row=True)
    pub.same(("need", TOTAL, "referred"), ("partner", TOTAL, "referrals"))
    pub.same(("county", TOTAL, "referred"), ("partner", TOTAL, "referrals"))
    pub.same(("county", TOTAL, "answered"), ("need", TOTAL, "answered"))
    cov = coverage(month, directory)
    pub.add("coverage", protect_table(cov, ["contacts", "uncovered"], rates={"uncovered_share": "contacts"},
                                      plan=["counties_without"], cfg=cfg,
                                      numerators={"uncovered_share": "uncovered"}))
    pub.secure()
    return pub
