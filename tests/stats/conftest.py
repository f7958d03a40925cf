"""Shared fixtures: a small synthetic period on disk."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from abikaart.stats import contract, synth


@pytest.fixture(scope="session")
def small_contacts() -> pd.DataFrame:
    """Four months of synthetic contacts (July-October 2026, seed 7)."""
    return synth.synthesize(2026, seed=7, start=dt.date(2026, 7, 1), end=dt.date(2026, 10, 31))


@pytest.fixture(scope="session")
def small_csv(small_contacts: pd.DataFrame, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small synthetic period written as a contract CSV."""
    return contract.write_contacts(small_contacts, tmp_path_factory.mktemp("data") / "contacts.csv")
