"""Codes the statistics use: needs and counties from the directory's taxonomies, fixed code lists otherwise."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from abikaart.directory import Directory, load_cached
from abikaart.strings import strings

CHANNELS: tuple[str, ...] = ("phone", "chat", "email", "video")
LANGUAGES: tuple[str, ...] = ("et", "ru", "en", "uk", "other")
OUTCOMES: tuple[str, ...] = ("answered", "abandoned", "callback")
CALLER_TYPES: tuple[str, ...] = ("victim", "relative", "official", "other")
RISK_LEVELS: tuple[str, ...] = ("low", "medium", "high")

# Labels for charts and tables (Estonian first, English variant second), from templates/strings-stats.yaml.
LABELS: dict[str, tuple[str, str]] = {
    code: (strings()["et"][f"stats_{code}"], strings()["en"][f"stats_{code}"])
    for code in (*CHANNELS, *LANGUAGES, *OUTCOMES, *CALLER_TYPES, *RISK_LEVELS)
}

WEEKDAYS: dict[str, tuple[str, ...]] = {lang: tuple(strings()[lang]["stats_weekdays"].split()) for lang in ("et", "en")}


def find_taxonomy_dir(start: Path | None = None) -> Path:
    """Locate directory/taxonomies: $ABIKAART_TAXONOMIES, else walk up from `start`, cwd and this file."""
    env = os.environ.get("ABIKAART_TAXONOMIES")
    if env:
        return Path(env)
    candidates = [start] if start else []
    candidates += [Path.cwd(), Path(__file__).resolve()]
    for base in candidates:
        for parent in [base, *base.parents]:
            path = parent / "directory" / "taxonomies"
            if (path / "needs.yaml").is_file():
                return path
    raise FileNotFoundError("directory/taxonomies/needs.yaml not found; set ABIKAART_TAXONOMIES")


class DirectoryError(RuntimeError):
    """The directory the statistics read codes from does not load; the message lists its first problems."""


@lru_cache(maxsize=8)
def load_directory(directory: Path | None = None) -> Directory:
    """The validated directory (taxonomies and services) through the core loader, loaded once per process.

    Codes and service ids come from the same `Directory` the site is built from, so a need, county or
    referral the site does not know is never accepted by the statistics either.
    """
    root = (directory or find_taxonomy_dir()).parent
    result = load_cached(root)
    if result.directory is None:
        errors = [p for p in result.problems if p.level == "error"][:5]
        raise DirectoryError(f"{root}: the directory does not load (run `abikaart validate`): "
                             + "; ".join(p.text() for p in errors))
    return result.directory


def _load_terms(kind: str, directory: Path | None) -> list[dict[str, Any]]:
    """The terms of one taxonomy as plain dicts (id, name per language, urgent), read from the directory."""
    terms = load_directory(directory).taxonomies[kind].values()
    return [{"id": t.id, "name": dict(t.name.root), "urgent": t.urgent} for t in terms]


def service_ids(directory: Path | None = None) -> frozenset[str]:
    """Ids of the directory's services: the only values a referral may take."""
    return frozenset(load_directory(directory).services)


@lru_cache(maxsize=8)
def need_terms(directory: Path | None = None) -> tuple[dict[str, Any], ...]:
    """The needs taxonomy terms (id, name, urgent)."""
    return tuple(_load_terms("needs", directory))


def need_codes(directory: Path | None = None) -> tuple[str, ...]:
    """Valid need codes, in taxonomy order."""
    return tuple(str(t["id"]) for t in need_terms(directory))


def urgent_needs(directory: Path | None = None) -> frozenset[str]:
    """Needs marked urgent: contacts about them count as difficult in workload analysis."""
    return frozenset(str(t["id"]) for t in need_terms(directory) if t.get("urgent"))


@lru_cache(maxsize=8)
def county_codes(directory: Path | None = None) -> tuple[str, ...]:
    """Valid county codes."""
    return tuple(str(t["id"]) for t in _load_terms("counties", directory))


def need_label(code: str, lang: str = "et", directory: Path | None = None) -> str:
    """Human label of a need code in `lang`, falling back to the code itself."""
    for term in need_terms(directory):
        if term["id"] == code:
            name = term.get("name") or {}
            return str(name.get(lang) or name.get("en") or code)
    return code


def label(code: str, lang: str = "et") -> str:
    """Label of a fixed code (channel, language, outcome...) in Estonian or English."""
    pair = LABELS.get(code)
    if pair is None:
        return code
    return pair[0] if lang == "et" else pair[1]
