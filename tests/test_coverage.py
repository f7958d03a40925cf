"""The dashboard's figures (abikaart.coverage) against a directory built here with known gaps, the CSV files
`abikaart dashboard` writes, and the dashboard page made from the same figures."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from abikaart import coverage, phones
from abikaart.cli import main
from abikaart.directory import Directory, load_directory
from abikaart.export import csv_value
from abikaart.site import internal

REPO = Path(__file__).resolve().parents[1]
TODAY = dt.date.today()
REASON = "Only on a 2015 leaflet"

GAPS = f"""id: lungad
name: {{et: Lünkade keskus, ru: Центр пробелов, en: Gap centre}}
description: {{et: Katseandmed., ru: Тестовые данные., en: Test data.}}
source: https://example.ee/lungad
verified: {TODAY}
verified_by: tests
locations:
  - id: keskus
    name: {{et: Narva keskus, ru: Нарвский центр, en: Narva centre}}
    address: {{address_1: Pikk 1, city: Narva, county: ida-viru}}
services:
  - id: kohalik-dv
    name: {{et: Harju tugi, ru: Поддержка Харью, en: Harju support}}
    description: {{et: Tugi., ru: Поддержка., en: Support.}}
    needs: [domestic-violence]
    audiences: [victims]
    counties: [harju]
    channels:
      - {{type: phone, number: 1247, hours: "Mo-Fr 09:00-17:00"}}
    source: https://example.ee/a
    verified: {TODAY}
    verified_by: tests
  - id: riik-dv
    name: {{et: Riiklik tugi, ru: Господдержка, en: National support}}
    description: {{et: Tugi., ru: Поддержка., en: Support.}}
    needs: [domestic-violence]
    audiences: [victims]
    counties: [nationwide]
    channels:
      - {{type: phone, number: 116 006, hours: "Mo-Fr 10:00-16:00"}}
      - {{type: phone, number: +372 5123 4567, hours: "24/7", to_verify: {REASON}}}
    source: https://example.ee/b
    verified: {TODAY}
    verified_by: tests
  - id: tartu-lein
    name: {{et: Tartu leinatugi}}
    description: {{et: Lein., ru: Горе., en: Grief.}}
    needs: [bereavement]
    audiences: [victims]
    counties: [tartu]
    channels:
      - {{type: in-person, location: keskus, hours: "Mo-Fr 09:00-17:00"}}
    source: https://example.ee/c
    verified: 2020-01-15
    verified_by: tests
    review_every: 6 months
  - id: suletud-kuritegu
    name: {{et: Suletud, ru: Закрыто, en: Closed}}
    description: {{et: Enam ei tööta., ru: Больше нет., en: No more.}}
    status: closed
    needs: [crime]
    audiences: [victims]
    counties: [harju]
    channels:
      - {{type: phone, number: 116 123, hours: "24/7"}}
    source: https://example.ee/d
    verified: {TODAY}
    verified_by: tests
  - id: oine-tugi
    name: {{et: Öine tugi, ru: Ночная поддержка, en: Night support}}
    description: {{et: Tugi., ru: Поддержка., en: Support.}}
    needs: [sexual-violence]
    audiences: [victims]
    counties: [nationwide]
    channels:
      - {{type: phone, number: 116 006, hours: "Mo-Su 18:00-23:00"}}
    source: https://example.ee/e
    verified: {TODAY}
    verified_by: tests
"""


@pytest.fixture(scope="module")
def gaps_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("gaps") / "directory"
    shutil.copytree(REPO / "directory" / "taxonomies", root / "taxonomies")
    (root / "organisations").mkdir()
    (root / "organisations" / "lungad.yaml").write_text(GAPS, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def gaps(gaps_root: Path) -> Directory:
    result = load_directory(gaps_root)
    assert result.directory is not None, result.problems
    return result.directory


@pytest.fixture(scope="module")
def figures(gaps: Directory) -> coverage.Figures:
    return coverage.figures(gaps, TODAY)


def test_coverage_cells_follow_the_known_gaps(gaps: Directory, figures: coverage.Figures) -> None:
    states = {key: cell.state for key, cell in figures.cells.items()}
    assert len(states) == len(gaps.taxonomies["counties"]) * len(gaps.taxonomies["needs"])
    local = {key for key, state in states.items() if state == "local"}
    # Harju's own service; Tartu's, and Ida-Viru where it is given (its place is in Narva)
    assert local == {("harju", "domestic-violence"), ("tartu", "bereavement"), ("ida-viru", "bereavement")}
    nationwide = {key for key, state in states.items() if state == "nationwide"}
    counties = set(gaps.taxonomies["counties"])
    assert nationwide == ({(c, "domestic-violence") for c in counties - {"harju"}}
                          | {(c, "sexual-violence") for c in counties})
    assert states[("harju", "crime")] == "none"  # its only service is closed
    assert states[("harju", "bereavement")] == "none"
    harju = figures.cell("harju", "domestic-violence")
    assert (harju.local, harju.nationwide) == (1, 1)
    assert figures.county_totals("harju") == {"local": 1, "nationwide": 1, "none": len(gaps.taxonomies["needs"]) - 2}


def test_urgent_needs_without_an_out_of_hours_contact(gaps: Directory, figures: coverage.Figures) -> None:
    urgent = [need for need, term in gaps.taxonomies["needs"].items() if term.urgent]
    assert {"domestic-violence", "sexual-violence", "crime"} <= set(urgent)
    found = {gap.need: gap.services for gap in figures.urgent_gaps}
    # office hours only (the 24/7 number is unconfirmed, so it does not count); evening hours count
    assert found["domestic-violence"] == 2
    assert "sexual-violence" not in found
    assert found["crime"] == 0  # the 24/7 crime line is closed
    assert set(found) == set(urgent) - {"sexual-violence"}


def test_queue_stale_and_translations(figures: coverage.Figures) -> None:
    assert [(p.id, p.value, p.reason, p.urgent) for p in figures.queue] == [
        ("riik-dv", phones.display("+372 5123 4567"), REASON, True)]
    assert figures.queue[0].check_with == phones.display("116 006")  # the service's confirmed number
    assert [(d.id, d.verified) for d in figures.stale] == [("tartu-lein", dt.date(2020, 1, 15))]
    # no number, e-mail or website anywhere: review.check_with falls back to the record's source
    assert figures.stale[0].contact == "https://example.ee/c"
    assert [(m.id, m.field, m.langs) for m in figures.missing] == [("tartu-lein", "name", ("ru", "en"))]


def test_stale_and_the_queue_name_the_same_person_to_call(gaps_root: Path, figures: coverage.Figures) -> None:
    """`abikaart stale` prints the same queue and the same contact (one rule: review.check_with)."""
    result = CliRunner().invoke(main, ["stale", str(gaps_root)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert [f"check with {p.check_with}" in line for p, line in zip(figures.queue, lines, strict=False)] == [True]
    assert f"call {figures.stale[0].contact}" in lines[-1]


def _csv(path: Path) -> list[dict[str, str]]:
    rows = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")))
    return [{key: csv_value(value) for key, value in row.items()} for row in rows]


def test_dashboard_cli_writes_the_same_figures_as_csv(gaps_root: Path, figures: coverage.Figures,
                                                      tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["dashboard", str(gaps_root), "--out", str(out), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{name}-en.csv" for name in coverage.CSV_FILES)
    cells = {(row["county"], row["need"]): row for row in _csv(out / "coverage-en.csv")}
    assert len(cells) == len(figures.cells)
    assert cells[("harju", "domestic-violence")] == {
        "county": "harju", "county_name": "Harju County", "need": "domestic-violence", "need_name": "Domestic violence",
        "coverage": "local", "local_services": "1", "nationwide_services": "1"}
    assert {key for key, row in cells.items() if row["coverage"] == "local"} == {
        key for key, cell in figures.cells.items() if cell.state == "local"}
    queue = _csv(out / "queue-en.csv")
    assert [(row["id"], row["contact"], row["check_with"], row["urgent"]) for row in queue] == [
        ("riik-dv", phones.display("+372 5123 4567"), phones.display("116 006"), "yes")]
    assert [row["id"] for row in _csv(out / "stale-en.csv")] == ["tartu-lein"]
    assert [(row["id"], row["missing"]) for row in _csv(out / "translations-en.csv")] == [("tartu-lein", "ru en")]
    assert {row["need"] for row in _csv(out / "urgent-en.csv")} == {gap.need for gap in figures.urgent_gaps}
    assert "Traceback" not in result.output


def test_a_csv_cell_never_runs_as_a_formula(gaps: Directory, figures: coverage.Figures) -> None:
    text = coverage.csv_tables(gaps, figures, "et")["queue-et.csv"]
    assert "\n'+372 5123 4567" not in text and ",'+372 5123 4567," in text  # a leading + gets the text mark


def test_dashboard_page_shows_the_figures(gaps: Directory, figures: coverage.Figures, tmp_path: Path) -> None:
    files = internal.render_pages(gaps, TODAY, tmp_path / "reports")
    for lang, suffix in (("et", ""), ("ru", ".ru"), ("en", ".en")):
        page = files[f"dashboard{suffix}.md"]
        table = page[page.index('<table class="abi-table abi-coverage">'):]
        table = table[:table.index("</table>")]
        states = re.findall(r'<td class="abi-cov abi-cov--(\w+)">', table)
        expected = [figures.cell(c, n).state for n in figures.needs for c in figures.counties]
        assert states == expected, lang
        assert f"dashboard/coverage-{lang}.csv" in files
    et = files["dashboard.md"]
    needs = len(gaps.taxonomies["needs"])
    assert f"Harjumaa: kohalik 1, ainult üle Eesti 1, pole {needs - 2}." in et  # the chart's text alternative
    assert '<svg role="img" aria-labelledby="abi-chart-title abi-chart-desc"' in et
    queue = et[et.index('id="queue"'):et.index('id="stale"')]
    assert REASON in queue and phones.display("116 006") in queue
    assert "Tartu leinatugi" in et[et.index('id="translations"'):]
    assert 'href="../../_generated/dashboard/coverage-et.csv"' in et
    assert 'href="../../../_generated/dashboard/coverage-en.csv"' in files["dashboard.en.md"]
