"""`abikaart stats`: synthesise contacts, validate an export, and run the statistics reports.

Exit codes: 0 ok, 1 data errors (contract problems printed as FILE:row N: column: message), 2 usage.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import click

from abikaart.stats import contract, importer, report, synth


def _date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date | None:
    """Parse an optional YYYY-MM-DD option."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("use YYYY-MM-DD") from None


def _month(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    """Check a YYYY-MM option."""
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", value):
        raise click.BadParameter("use YYYY-MM, e.g. 2026-10")
    return value


@click.group(name="stats")
def stats() -> None:
    """Counselling statistics: synthetic data, contract checks and reports."""


@stats.command()
@click.option("--year", type=int, default=2026, show_default=True, help="Year to synthesise.")
@click.option("--seed", type=int, default=1, show_default=True, help="Random seed (same seed, same data).")
@click.option("--start", callback=_date, help="First day (YYYY-MM-DD) instead of 1 January.")
@click.option("--end", callback=_date, help="Last day (YYYY-MM-DD) instead of 31 December.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="CSV to write [default: contacts-YEAR.csv].")
@click.option("--roster-out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the synthetic current roster (counsellors per hour of week) here.")
def synth_cmd(year: int, seed: int, start: dt.date | None, end: dt.date | None, out: Path | None,
              roster_out: Path | None) -> None:
    """Write a realistic, fully synthetic period of contacts that satisfies the data contract."""
    if start and end and end < start:
        raise click.UsageError("--end is before --start")
    df = synth.synthesize(year=year, seed=seed, start=start, end=end)
    path = contract.write_contacts(df, out or Path(f"contacts-{year}.csv"))
    click.echo(f"wrote {len(df)} synthetic contacts to {path}")
    if roster_out:
        roster_out.parent.mkdir(parents=True, exist_ok=True)
        synth.default_roster().to_csv(roster_out, index=False)
        click.echo(f"wrote roster to {roster_out}")


synth_cmd.name = "synth"


def _load_or_exit(path: Path) -> None:
    """Validate a contacts file; print every problem and exit 1 if it breaks the contract."""
    try:
        contract.load_contacts(path)
    except contract.ContractError as exc:
        for line in exc.lines(limit=200):
            click.echo(line, err=True)
        raise SystemExit(1) from None


@stats.command()
@click.argument("data", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def validate(data: Path) -> None:
    """Check a contacts export against the data contract."""
    _load_or_exit(data)
    click.echo(f"{data}: ok")


@stats.command("import")
@click.argument("export", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--map", "mapping", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Mapping YAML (see src/abikaart/stats/mappings/ for a telephony and a chat example).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=Path("contacts.csv"),
              show_default=True, help="Contract CSV to write.")
def import_cmd(export: Path, mapping: Path, out: Path) -> None:
    """Map another system's export (columns, times, codes) onto the data contract."""
    try:
        path, rows = importer.import_file(export, mapping, out)
    except contract.ContractError as exc:
        for line in exc.lines(limit=200):
            click.echo(line, err=True)
        raise SystemExit(1) from None
    click.echo(f"wrote {rows} contacts to {path}")


@stats.command("report")
@click.option("--month", required=True, callback=_month, help="Reporting month, YYYY-MM.")
@click.option("--data", "data", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Contacts CSV (the data contract).")
@click.option("--roster", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Current roster CSV (weekday, hour, counsellors, ru, en, chat_open, video_open).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where executed notebooks go [default: reports/MONTH].")
@click.option("--docs-dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("docs-internal/reports"), show_default=True,
              help="Internal guidance site folder for the development-proposals report.")
@click.option("--notebook", "notebooks", multiple=True, type=click.Choice(report.NOTEBOOKS),
              help="Run only these notebooks (repeatable).")
@click.option("--notebooks-dir", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None)
@click.option("--lang", type=click.Choice(["et", "ru", "en"]), default="et", show_default=True,
              help="Language of the development-proposals report and its charts.")
def report_cmd(month: str, data: Path, roster: Path | None, out: Path | None, docs_dir: Path,
               notebooks: tuple[str, ...], notebooks_dir: Path | None, lang: str) -> None:
    """Run the statistics notebooks through papermill for one month and write the reports."""
    _load_or_exit(data)
    out_dir = out or Path("reports") / month

    def progress(i: int, n: int, name: str) -> None:
        click.echo(f"[{i}/{n}] running {name}", err=True)

    try:
        written = report.run_report(month, data, out_dir, docs_dir, roster, notebooks or None, notebooks_dir,
                                    lang=lang, progress=progress)
    except (report.ReportError, FileNotFoundError) as exc:
        click.echo(f"error: {exc}", err=True)
        raise SystemExit(1) from None
    for path in written:
        click.echo(f"ran {path}")
    if not notebooks or "development_proposals" in notebooks:
        click.echo(f"development proposals: {docs_dir / month / 'index.md'}")
