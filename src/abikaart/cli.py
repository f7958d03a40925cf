"""The `abikaart` command: validate, scaffold, review, export, build and serve the directory.

Exit codes: 0 success, 1 data errors (or warnings with --strict), 2 usage errors. Bad data is always
reported as problems, never as a traceback.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from abikaart import __version__
from abikaart.directory import LoadResult, load_directory
from abikaart.problems import format_problems, has_errors

DEFAULT_DIRECTORY = Path("directory")


class DataError(click.ClickException):
    """Bad directory data: exit code 1 (click uses 2 for usage errors)."""

    exit_code = 1

    def show(self, file: object = None) -> None:
        click.echo(self.message, err=True)


def load_or_fail(path: Path, *, strict: bool = False, fmt: str = "text", quiet_ok: bool = True) -> LoadResult:
    """Load the directory, print its problems, and exit 1 on errors (or on warnings when strict)."""
    result = load_directory(path)
    if result.problems:
        click.echo(format_problems(result.problems, fmt), err=fmt == "text")
    failed = has_errors(result.problems) or (strict and bool(result.problems))
    if failed:
        errors = sum(p.level == "error" for p in result.problems)
        warnings = len(result.problems) - errors
        raise DataError(f"{errors} error(s), {warnings} warning(s) in {result.files} file(s): nothing was written")
    return result


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="abikaart")
def main() -> None:
    """abikaart: the help directory of a victim-support crisis service.

    The directory lives in YAML files under directory/ (organisations/, services/, taxonomies/).
    Start with `abikaart validate`; every problem is reported as file:line:column: field: what is
    wrong (how to fix it).
    """


@main.command()
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path), default=DEFAULT_DIRECTORY)
@click.option("--strict", is_flag=True, help="Treat warnings (missing translations, overdue reviews) as errors.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text",
              show_default=True, help="How to print problems; github writes Actions annotations.")
def validate(path: Path, strict: bool, fmt: str) -> None:
    """Check every file under PATH (default: directory/). Exit 0 valid, 1 data errors, 2 usage."""
    result = load_or_fail(path, strict=strict, fmt=fmt)
    assert result.directory is not None
    if fmt == "json" and not result.problems:
        click.echo("[]")
    if fmt == "text":
        warnings = len(result.problems)
        click.echo(
            f"{result.files} file(s), {len(result.directory.organisations)} organisation(s), "
            f"{len(result.directory.services)} service(s): valid"
            + (f", {warnings} warning(s)" if warnings else ""),
            err=True,
        )


@main.command()
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path), default=DEFAULT_DIRECTORY)
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Pretend today is this date.")
@click.option("--all", "show_all", is_flag=True, help="List every record, not only those due.")
def stale(path: Path, today: dt.datetime | None, show_all: bool) -> None:
    """Records due for re-verification, oldest first, with the contact to call."""
    from abikaart.review import due_records

    result = load_or_fail(path)
    assert result.directory is not None
    day = today.date() if today else dt.date.today()
    rows = due_records(result.directory, day, include_all=show_all)
    for row in rows:
        click.echo(row.text())
    click.echo(f"{len(rows)} record(s) due for re-verification", err=True)


def run() -> None:
    """Entry point that never shows a traceback for an interrupted run."""
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(130)
