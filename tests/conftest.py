"""Shared fixtures.

`make_directory` builds a complete directory in a temporary folder from the real taxonomies plus the
files of one or more cases under `tests/data/`, so each case holds only what it is about.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
TAXONOMIES = REPO / "directory" / "taxonomies"

MakeDirectory = Callable[..., Path]


@pytest.fixture
def make_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> MakeDirectory:
    """`make_directory("broken/unknown-field")` -> `tmp/directory` with taxonomies and the case's files.

    The working folder becomes `tmp`, so problems name files `directory/organisations/...` as they do
    when a maintainer runs `abikaart validate` at the root of the repository.
    """
    monkeypatch.chdir(tmp_path)

    def make(*cases: str) -> Path:
        root = tmp_path / "directory"
        shutil.copytree(TAXONOMIES, root / "taxonomies", dirs_exist_ok=True)
        for case in cases:
            shutil.copytree(DATA / case, root, dirs_exist_ok=True)
        return root

    return make
