"""The synthetic directory behind the benchmarks is itself valid, realistic, and never written into directory/."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from abikaart.directory import Directory, load_directory
from abikaart.models import LANGS, ChannelType, LocalizedText
from abikaart.validation import localized_fields

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "scripts" / "gen_directory.py"
SERVICES = 60


def generate(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), *args], cwd=cwd, capture_output=True, text=True,
                          check=False)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Directory:
    out = tmp_path_factory.mktemp("generated") / "directory"
    done = generate(str(SERVICES), "--out", str(out), "--seed", "7")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(out)
    result = load_directory(out, base=out.parent, today=dt.date.today())
    assert [problem.text() for problem in result.problems if problem.level == "error"] == []
    assert result.directory is not None
    return result.directory


def test_it_validates_with_no_errors_and_the_asked_size(generated: Directory) -> None:
    assert len(generated.services) == SERVICES
    assert 5 <= len(generated.organisations) <= SERVICES


def test_every_text_is_in_all_three_languages(generated: Directory) -> None:
    texts: list[LocalizedText] = []
    for organisation in generated.organisations.values():
        texts += [text for _, text in localized_fields(organisation)]
    assert len(texts) > SERVICES * 2
    assert all(all(text.has(lang) for lang in LANGS) for text in texts), [t.root for t in texts if t.missing()][:3]


def test_it_has_the_mix_of_a_real_directory(generated: Directory) -> None:
    services = list(generated.services.values())
    channel_types = {channel.type for service in services for channel in service.channels}
    assert {ChannelType.PHONE, ChannelType.CHAT, ChannelType.EMAIL, ChannelType.IN_PERSON} <= channel_types
    locations = [loc for org in generated.organisations.values() for loc in org.locations]
    assert any(loc.confidential for loc in locations) and any(not loc.confidential for loc in locations)
    assert len({county for service in services for county in service.counties}) >= 5
    assert len({channel.hours for service in services for channel in service.channels if channel.hours}) >= 4
    assert generated.always_open()


def test_it_refuses_to_write_into_the_directory(tmp_path: Path) -> None:
    target = REPO / "directory" / "generated-by-a-test"
    done = generate("5", "--out", str(target))
    assert done.returncode == 2
    assert "refusing to write inside" in done.stderr
    assert not target.exists()


def test_it_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    done = generate("5", "--out", str(tmp_path))
    assert done.returncode == 2
    assert "is not empty" in done.stderr
    assert [path.name for path in tmp_path.iterdir()] == ["notes.txt"]


def test_by_default_it_writes_a_new_temporary_folder(tmp_path: Path) -> None:
    done = generate("5", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    out = Path(done.stdout.strip())
    try:
        assert out.is_dir() and not out.is_relative_to(REPO)
        assert list((out / "organisations").glob("*.yaml"))
        assert list(tmp_path.iterdir()) == []
    finally:
        shutil.rmtree(out)
