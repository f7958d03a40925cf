"""A copy of the site project (mkdocs.yml, docs, the bundled directory plus a shelter full of secrets)."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner
from mkdocs.utils.yaml import yaml_load

from abikaart.cli import main
from abikaart.directory import Directory
from helpers import DIRECTORY, REPO, SHELTER_ON_DISK, SHELTER_SERVICE

NOTICE_TEXT = "Suletud remondi tõttu kuni detsembrini"
DAY_CENTRE_PHONE = "+372 5123" + " 4569"
"""A made-up number, built so the repository holds no real-looking phone number (test_repo_hygiene)."""

NOTICE_SERVICE = f"""\
id: turvakodu-remondis
organisation: turvakodu-mtu
name: {{et: Turvakodu päevakeskus, ru: Дневной центр, en: Day centre}}
description: {{et: Päevakeskus vägivalla kogenutele., ru: Дневной центр., en: A day centre.}}
needs: [domestic-violence]
audiences: [victims]
counties: [harju]
status: temporarily-closed
notice: {{et: "{NOTICE_TEXT}", ru: "Закрыто на ремонт до декабря", en: "Closed for repairs until December"}}
channels:
  - type: phone
    number: {DAY_CENTRE_PHONE}
    hours: Mo-Fr 10:00-16:00
source: https://turvakodu.example.ee/paevakeskus
verified: 2026-11-01
verified_by: abikaart maintainers
"""


@dataclass(frozen=True)
class Project:
    """A copy of the site project in a temporary folder, built once."""

    root: Path
    config: Path
    site: Path
    data: Path
    directory: Directory

    @property
    def generated(self) -> Path:
        return self.root / "docs" / "directory"


def make_project(root: Path) -> Path:
    """mkdocs.yml, the hand-written docs and the data of the repository, with absolute theme paths."""
    data = root / "directory"
    shutil.copytree(DIRECTORY, data)
    (data / "services").mkdir(exist_ok=True)
    (data / "organisations" / "turvakodu-mtu.yaml").write_text(SHELTER_ON_DISK, encoding="utf-8")
    (data / "services" / "turvakodu-tugigrupp.yaml").write_text(SHELTER_SERVICE, encoding="utf-8")
    (data / "services" / "turvakodu-remondis.yaml").write_text(NOTICE_SERVICE, encoding="utf-8")
    (root / "docs").mkdir()
    for page in (REPO / "docs").glob("*.md"):
        shutil.copy(page, root / "docs" / page.name)
    config: dict[str, Any] = yaml_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    config["theme"]["custom_dir"] = str(REPO / config["theme"]["custom_dir"])
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return root / "mkdocs.yml"


def build(config: Path, site: Path, *extra: str) -> Any:
    return CliRunner().invoke(main, ["build", "--config", str(config), "--site-dir", str(site), *extra])
