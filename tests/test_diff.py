"""`abikaart diff` over a sequence of commits in a temporary git repository: people's words, every language,
and never a confidential value (the shelter of tests/helpers.py is full of them)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from abikaart import diff
from abikaart.cli import main
from abikaart.directory import Directory, load_directory
from abikaart.models import LANGS
from helpers import INTERNAL_NOTE, OTHER_NUMBER, UNVERIFIED_NUMBER, assert_no_confidential, make_directory

NEW_NUMBER = "5123 " + "4570"
OLD_TRANSPORT = "Buss 17 peatus Salajane"
NEW_TRANSPORT = "Tramm 4 peatus Varjatud"
NEW_NOTE = "Uus sisemine märge: uks on lukus"


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_SYSTEM": os.devnull}
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True, env=env).stdout


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    """main: the shelter directory; branch `change`: two commits; the working tree: one more change."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    make_directory(root / "directory")
    commit(root, "the shelter")
    git(root, "checkout", "-q", "-b", "change")
    shelter = root / "directory" / "organisations" / "turvakodu-mtu.yaml"
    edit(shelter, f"number: {OTHER_NUMBER}", f"number: {NEW_NUMBER}")
    edit(shelter, "hours: Mo-Fr 09:00-17:00; PH off", "hours: Mo-Sa 09:00-17:00; PH off")
    edit(shelter, "        hours: 24/7", "        hours: Mo-Sa 00:00-24:00")
    commit(root, "counselling: new number, open on Saturdays; shelter line closed on Sundays")
    edit(shelter, OLD_TRANSPORT, NEW_TRANSPORT)
    edit(shelter, "        url: https://turvakodu.example.ee/vestlus\n",
         "        url: https://turvakodu.example.ee/vestlus\n        to_verify: the chat did not answer\n")
    edit(shelter, "    cost: partly\n", "    cost: partly\n    notice: {et: Suletud jõulude ajal., "
         "en: Closed over Christmas.}\n")
    commit(root, "shelter directions; chat to verify; a notice")
    edit(shelter, INTERNAL_NOTE, NEW_NOTE)
    (root / "directory" / "services" / "turvakodu-tugigrupp.yaml").unlink()
    return root


def loaded(root: Path) -> Directory:
    result = load_directory(root)
    assert result.directory is not None
    return result.directory


def lines(repo: Path, base: str | None, lang: str = "en") -> list[str]:
    sections = diff.diff_revision(repo / "directory", base, lang)
    return [line for section in sections for line in section.lines]


def test_the_branch_against_main_in_peoples_words(repo: Path) -> None:
    said = lines(repo, None)
    assert f"Counselling in Tartu: phone changed from {OTHER_NUMBER} to {NEW_NUMBER}" in said
    assert "Counselling in Tartu: meeting place noustamiskeskus: opening hours changed: now also open on Saturdays" \
        in said
    assert "Shelter: phone +372 5123 4567: opening hours changed: now closed on Sundays" in said
    assert "Counselling in Tartu: chat now marked to verify" in said
    assert "Counselling in Tartu: notice added: Closed over Christmas." in said
    assert "confidential location details changed" in said
    assert "Shelter: internal note changed" in said
    assert "removed service: Support group" in said


def test_a_revision_compares_only_what_followed_it(repo: Path) -> None:
    said = lines(repo, "HEAD")
    assert not any("phone changed" in line or "Saturdays" in line for line in said)
    assert "Shelter: internal note changed" in said and "removed service: Support group" in said
    git(repo, "checkout", "-q", "--", ".")
    assert lines(repo, "HEAD") == []
    assert diff.render([], "en", "text") == "No changes in the directory.\n"


def test_no_confidential_value_in_any_language_or_format(repo: Path) -> None:
    new = loaded(repo / "directory")
    git(repo, "stash", "-q")
    old = loaded(repo / "directory")
    git(repo, "stash", "pop", "-q")
    for lang in LANGS:
        sections = diff.diff_revision(repo / "directory", "main", lang)
        for fmt in ("text", "markdown"):
            report = diff.render(sections, lang, fmt)
            assert_no_confidential(report, new)
            assert_no_confidential(report, old)
            for secret in ("https://turvakodu.example.ee/vestlus", OLD_TRANSPORT,
                            NEW_TRANSPORT, "Salajane", INTERNAL_NOTE, NEW_NOTE, UNVERIFIED_NUMBER,
                           "the chat did not answer"):
                assert secret not in report


def test_a_location_turned_confidential_loses_its_address_in_the_report(repo: Path) -> None:
    shelter = repo / "directory" / "organisations" / "turvakodu-mtu.yaml"
    edit(shelter, "    address: {address_1: Avalik tänav 1, city: Tartu, postal_code: \"51003\", county: tartu}\n"
         "    latitude: 58.3776\n    longitude: 26.7290\n",
         "    confidential: true\n    front_door: {et: Helista enne tulekut.}\n")
    report = diff.render(diff.diff_revision(repo / "directory", "HEAD", "en"), "en", "text")
    assert "Counselling centre is now a confidential location" in report
    assert "Avalik" not in report and "58.3776" not in report


def test_languages_and_markdown(repo: Path) -> None:
    estonian = lines(repo, None, "et")
    assert "Nõustamine Tartus: telefon muutus: " + f"{OTHER_NUMBER} → {NEW_NUMBER}" in estonian
    assert "salajase asukoha andmed muutusid" in estonian
    russian = diff.render(diff.diff_revision(repo / "directory", None, "ru"), "ru", "markdown")
    assert russian.startswith("## Изменения в каталоге\n")
    assert "### НКО Безопасный дом" in russian
    assert "теперь закрыто по воскресеньям" in russian


def test_a_first_contact_is_said_with_the_needs_name(repo: Path) -> None:
    shelter = repo / "directory" / "organisations" / "turvakodu-mtu.yaml"
    edit(shelter, "    needs: [domestic-violence]\n", "    needs: [domestic-violence]\n"
         "    first_contact_for: [domestic-violence]\n")
    assert "Counselling in Tartu: first contact for added: Domestic violence" in lines(repo, None)
    assert any(line.endswith("первый контакт (проблемы): добавлено Насилие в близких отношениях")
               for line in lines(repo, None, "ru"))


def test_markdown_prints_data_as_text() -> None:
    escaped = diff.markdown_text("<img src=x onerror=alert(1)> *bold* [link](https://x)")
    assert "<" not in escaped and ">" not in escaped
    assert "\\*bold\\*" in escaped and "\\[link\\]\\(https://x\\)" in escaped


def test_every_sentence_in_every_language() -> None:
    keys = {lang: set(diff.strings(lang)) for lang in LANGS}
    assert keys["et"] == keys["ru"] == keys["en"]
    assert len(keys["en"]) > 40


def test_open_days() -> None:
    assert diff.open_days("Mo-Fr 09:00-17:00; PH off") == {0, 1, 2, 3, 4}
    assert diff.open_days("24/7") == set(range(7))
    assert diff.open_days("Sa 22:00-02:00") == {5}
    assert diff.open_days("Mo-Sa 19:00-07:00") == {0, 1, 2, 3, 4, 5}
    assert diff.open_days("Sa 08:00-24:00; Su 00:00-24:00") == {5, 6}


def test_cli(repo: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["diff", "--dir", str(repo / "directory"), "--lang", "en", "--format", "markdown"])
    assert result.exit_code == 0, result.output
    assert "- Counselling in Tartu: phone changed from" in result.output
    unknown = runner.invoke(main, ["diff", "no-such-revision", "--dir", str(repo / "directory")])
    assert unknown.exit_code == 2 and "no-such-revision" in unknown.output and "Traceback" not in unknown.output


def test_outside_git_is_a_usage_error(tmp_path: Path) -> None:
    make_directory(tmp_path / "directory")
    result = CliRunner().invoke(main, ["diff", "--dir", str(tmp_path / "directory")])
    assert result.exit_code == 2 and "Traceback" not in result.output
