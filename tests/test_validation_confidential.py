"""The address shapes a confidential place's texts must not contain, and the look-alikes that are not addresses.

A shelter's address written into a front door or a description is an error (issue 9); the check must stay
quiet on phone numbers, hours, ages and bus lines, or maintainers learn to ignore it.
"""

from __future__ import annotations

import pytest

from abikaart.addresses import find_address


@pytest.mark.parametrize(("text", "found"), [
    ("Uks on Tatari 39 hoovis.", "Tatari 39"),
    ("ring at Paldiski mnt 52", "Paldiski mnt 52"),
    ("Kaunase pst 11-2, Tartu", "Kaunase pst 11-2"),
    ("Turvakodu aadressil 10134 Tallinn.", "10134 Tallinn"),
    ("ул. Татари, 39", "ул. Татари, 39"),
    ("Ristiku 1, Pärnu", "Ristiku 1"),
])
def test_street_and_postal_shapes_are_found(text: str, found: str) -> None:
    assert find_address(text) == found


@pytest.mark.parametrize("text", [
    "Helista 116 006 (ööpäev läbi).", "Call 112.", "Call 1247 or +372 5123 4567", "Helista 16662",
    "Kõik 15 maakonda", "All 15 counties", "E-R 9-17", "Mo-Fr 09:00-17:00", "Open 24/7", "Kell 9",
    "Aged 7–15", "Buss 17 peatuseni Kesklinn.", "Bus 17.", "Room 5", "Up to 6 months.",
])
def test_phones_hours_ages_and_buses_are_not_addresses(text: str) -> None:
    assert find_address(text) is None
