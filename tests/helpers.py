"""Shared test helpers: what must never be published, a directory with secrets in it, YAML as editors read it.

`assert_no_confidential(text, directory)` is for every public output: exports, built HTML pages, the search
index. It uses the secret-finder `abikaart.leaks`, which is independent of `abikaart.export` and of the pages,
so a bug there cannot hide itself here; tests/site/test_leaks.py proves the finder finds each kind.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import yaml

from abikaart.directory import Directory, load_directory
from abikaart.leaks import Finder, Leak, secrets
from abikaart.models import Address

REPO = Path(__file__).resolve().parents[1]
DIRECTORY = REPO / "directory"

SHELTER_STREET = "Salajane tänav 13"
SHELTER_POSTAL_CODE = "10999"
SHELTER_LATITUDE = 59.123456
SHELTER_LONGITUDE = 24.654321
SHELTER_FRONT_DOOR = "Helista varjupaika numbril 5123 4567, kohtume Balti jaama ees"
# Numbers other than the documented example (+372 5123 4567) are built at run time, so that no real-looking
# number is written in the repository (tests/test_repo_hygiene.py).
OTHER_NUMBER = "5123 " + "4568"
UNVERIFIED_NUMBER = "+372 5123 " + "4569"
UNVERIFIED_EMAIL = "kontrollimata@varjupaik.example.ee"
INTERNAL_NOTE = "Sisemine märge: võti on naabri juures"

def leaks_in(text: str, directory: Directory) -> list[Leak]:
    """What `abikaart.leaks` finds of the directory's secrets in one text (as a file named "text")."""
    return Finder(secrets(directory)).scan("text", text.encode("utf-8"))


def assert_no_confidential(text: str, directory: Directory) -> None:
    """Fail if `text` holds a confidential place's address, position or directions, an unconfirmed contact or its
    reason, or an internal note (`abikaart.leaks`, the build's own finder).

    The failure names what leaked (kind, record, field), not the secret itself, so a CI log does not publish it.
    """
    leaks = leaks_in(text, directory)
    assert not leaks, "published text contains: " + "; ".join(sorted({str(leak) for leak in leaks}))


# A directory with secrets in it -----------------------------------------------------------------------------

SHELTER_WHEREABOUTS = f"""\
    address:
      address_1: {SHELTER_STREET}
      city: Tallinn
      postal_code: "{SHELTER_POSTAL_CODE}"
      county: harju
    latitude: {SHELTER_LATITUDE}
    longitude: {SHELTER_LONGITUDE}
"""
"""The shelter's whereabouts as a maintainer might type them: a validation error, so never written to disk."""

SHELTER_ORGANISATION = f"""\
# yaml-language-server: $schema=../../schema/organisation.schema.json
id: turvakodu-mtu
name: {{et: MTÜ Turvakodu, ru: НКО Безопасный дом, en: Safe Home NGO}}
description: {{et: Varjupaik vägivalla eest põgenejatele., en: A shelter for people escaping violence.}}
website: https://turvakodu.example.ee
phones:
  - number: +372 5123 4567
  - number: {UNVERIFIED_NUMBER}
    to_verify: number from an old leaflet, nobody answered
locations:
  - id: varjupaik
    name: {{et: Turvakodu varjupaik, en: Safe Home shelter}}
    confidential: true
    front_door: {{et: "{SHELTER_FRONT_DOOR}", en: "Call 5123 4567; we meet you in front of the Baltic station"}}
{SHELTER_WHEREABOUTS}    transportation: {{et: Buss 17 peatus Salajane}}
    accessibility: {{et: "Kaldtee hoovi poolt, kolmas uks", en: "A ramp from the yard, third door"}}
  - id: noustamiskeskus
    name: {{et: Nõustamiskeskus, en: Counselling centre}}
    address: {{address_1: Avalik tänav 1, city: Tartu, postal_code: "51003", county: tartu}}
    latitude: 58.3776
    longitude: 26.7290
source: https://turvakodu.example.ee/meist
verified: 2026-11-01
verified_by: abikaart maintainers
services:
  - id: turvakodu-varjupaik
    name: {{et: Turvakodu varjupaik, ru: Приют, en: Shelter}}
    description: {{et: Turvaline majutus lähisuhtevägivalla eest põgenejatele., en: Safe housing.}}
    needs: [domestic-violence, safe-accommodation]
    audiences: [victims, women]
    counties: [harju]
    languages: [et, ru]
    channels:
      - type: phone
        number: +372 5123 4567
        hours: 24/7
      - type: phone
        number: {UNVERIFIED_NUMBER}
        to_verify: a second line mentioned once on the phone
      - type: email
        email: {UNVERIFIED_EMAIL}
        to_verify: bounced in October
      - type: in-person
        location: varjupaik
    cost: free
    internal_note: "{INTERNAL_NOTE}"
    source: https://turvakodu.example.ee/varjupaik
    verified: 2026-11-01
    verified_by: abikaart maintainers
  - id: turvakodu-noustamine
    name: {{et: Nõustamine Tartus, en: Counselling in Tartu}}
    description: {{et: Nõustamine tööpäeviti., en: Counselling on weekdays.}}
    needs: [domestic-violence]
    audiences: [victims]
    counties: [tartu]
    channels:
      - type: in-person
        location: noustamiskeskus
        hours: Mo-Fr 09:00-17:00; PH off
      - type: chat
        url: https://turvakodu.example.ee/vestlus
        hours: Mo,We 10:00-12:00,13:00-15:00
      - type: phone
        number: {OTHER_NUMBER}
        hours: Jun-Aug Mo-Fr 10:00-14:00
    cost: partly
    cost_note: {{et: Esimene kohtumine on tasuta., en: The first meeting is free.}}
    source: https://turvakodu.example.ee/noustamine
    verified: 2026-11-01
    verified_by: abikaart maintainers
"""

assert SHELTER_WHEREABOUTS in SHELTER_ORGANISATION
SHELTER_ON_DISK = SHELTER_ORGANISATION.replace(SHELTER_WHEREABOUTS, "")
"""The shelter organisation as a valid file: without the whereabouts validation refuses."""

SHELTER_SERVICE = """\
# yaml-language-server: $schema=../../schema/service.schema.json
id: turvakodu-tugigrupp
organisation: turvakodu-mtu
name: {et: Tugigrupp, en: Support group}
description: {et: Tugigrupp vägivalla kogenutele., en: A support group for survivors.}
needs: [domestic-violence]
audiences: [victims]
counties: [nationwide]
channels:
  - type: video
    url: https://turvakodu.example.ee/video
    hours: Th 18:00-20:00
source: https://turvakodu.example.ee/tugigrupp
verified: 2026-11-01
verified_by: abikaart maintainers
"""


def make_directory(root: Path, services: dict[str, str] | None = None) -> Directory:
    """The repository's taxonomies plus a shelter organisation full of secrets, and `services` (id -> YAML) in
    files of their own; fails if it does not load."""
    shutil.copytree(DIRECTORY / "taxonomies", root / "taxonomies")
    (root / "organisations").mkdir()
    (root / "services").mkdir()
    (root / "organisations" / "turvakodu-mtu.yaml").write_text(SHELTER_ON_DISK, encoding="utf-8")
    for service_id, text in {"turvakodu-tugigrupp": SHELTER_SERVICE, **(services or {})}.items():
        (root / "services" / f"{service_id}.yaml").write_text(text, encoding="utf-8")
    result = load_directory(root, base=root)
    errors = [problem.text() for problem in result.problems if problem.level == "error"]
    assert result.directory is not None, "\n".join(errors)
    _put_back_whereabouts(result.directory)
    return result.directory


def _put_back_whereabouts(directory: Directory) -> None:
    """Validation refuses a confidential place's address in the YAML (an error since issue 9), so the shelter's
    address and position are set on the loaded model: the outputs must still drop them if code ever puts
    them there."""
    shelter = next(loc for loc in directory.organisations["turvakodu-mtu"].locations if loc.id == "varjupaik")
    shelter.address = Address(address_1=SHELTER_STREET, city="Tallinn", postal_code=SHELTER_POSTAL_CODE,
                              county="harju")
    shelter.latitude, shelter.longitude = SHELTER_LATITUDE, SHELTER_LONGITUDE


# YAML as editors read it ---------------------------------------------------------------------------------


class EditorLoader(yaml.SafeLoader):
    """YAML 1.2 core typing, as yaml-language-server reads a file: no dates, only true/false are booleans."""


EditorLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers
            if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
EditorLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def editor_yaml(text: str) -> Any:
    """The values an editor's language server checks against the schema."""
    return yaml.load(text, Loader=EditorLoader)


def declared_schema(path: Path) -> Path | None:
    """The schema a YAML file declares on a `# yaml-language-server: $schema=...` line."""
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"#\s*yaml-language-server:\s*\$schema=(\S+)", line)
        if match:
            return (path.parent / match[1]).resolve()
    return None
