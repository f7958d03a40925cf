"""The `abikaart` command: validate, scaffold, review, export, build and serve the directory.

Exit codes: 0 success, 1 data errors (or warnings with --strict), 2 usage errors. Bad data is always
reported as problems, never as a traceback.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any, ClassVar

import click

from abikaart import __version__
from abikaart.directory import LoadResult, load_directory
from abikaart.models import LANGS
from abikaart.problems import format_problems, has_errors
from abikaart.scaffold import Checked, Terms
from abikaart.site.internal_cli import internal

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


EXTRAS = {"stats": "stats"}
"""Lazy subcommands whose libraries come from an optional extra of pyproject.toml."""


class LazyGroup(click.Group):
    """A group whose heavy subcommands (statistics: pandas, papermill) are imported only when used.

    Keeps `abikaart validate` quick: the pattern from click's documentation on lazy loading.
    """

    lazy: ClassVar[dict[str, str]] = {"stats": "abikaart.stats.cli:stats", "letter": "abikaart.letters_cli:letter"}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *self.lazy])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy:
            module_name, attribute = self.lazy[cmd_name].split(":")
            try:
                module = __import__(module_name, fromlist=[attribute])
            except ModuleNotFoundError as exc:  # an optional extra (stats) is not installed
                extra = EXTRAS.get(cmd_name)
                if extra is None or exc.name is None or exc.name.startswith("abikaart"):
                    raise
                raise click.ClickException(f"`abikaart {cmd_name}` needs {exc.name}, part of the '{extra}' extra: "
                                           f"pip install -e '.[{extra}]'") from None
            command: click.Command = getattr(module, attribute)
            return command
        return super().get_command(ctx, cmd_name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
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
    """Every contact marked to verify (most urgent first), then the records due for re-verification, oldest
    first; each with the contact to call."""
    from abikaart.review import due_records, pending_contacts

    result = load_or_fail(path)
    assert result.directory is not None
    day = today.date() if today else dt.date.today()
    pending = pending_contacts(result.directory)
    for item in pending:
        click.echo(item.text())
    rows = due_records(result.directory, day, include_all=show_all)
    for row in rows:
        click.echo(row.text())
    click.echo(f"{len(pending)} contact(s) to verify, {len(rows)} record(s) due for re-verification", err=True)


@main.command("dashboard")
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path), default=DEFAULT_DIRECTORY)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder for the CSV files (created if missing).")
@click.option("--lang", type=click.Choice(LANGS), multiple=True, help="Names in this language (repeat; default all).")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Pretend today is this date.")
def dashboard_command(path: Path, out: Path, lang: tuple[str, ...], today: dt.datetime | None) -> None:
    """The internal dashboard's figures as CSV files for the coordinator: coverage (county x need), the
    verification queue, stale records, missing translations, urgent needs without an out-of-hours contact."""
    from abikaart import coverage

    result = load_or_fail(path)
    assert result.directory is not None
    found = coverage.figures(result.directory, today.date() if today else dt.date.today())
    try:
        out.mkdir(parents=True, exist_ok=True)
        for language in lang or LANGS:
            for name, table in coverage.csv_tables(result.directory, found, language).items():
                (out / name).write_text(table, encoding="utf-8")
                click.echo(str(out / name))
    except OSError as error:
        raise click.UsageError(f"{out}: {error.strerror or error} (choose a folder you can write to)") from None
    gaps = sum(cell.state == "none" for cell in found.cells.values())
    click.echo(f"{len(found.cells)} county x need cell(s), {gaps} without any service; {len(found.queue)} contact(s) "
               f"to verify, {len(found.stale)} stale record(s), {len(found.missing)} missing translation(s), "
               f"{len(found.urgent_gaps)} urgent need(s) without an out-of-hours contact", err=True)


@main.command("diff")
@click.argument("base", required=False)
@click.option("--dir", "path", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=DEFAULT_DIRECTORY, show_default=True, help="The directory folder, inside a git repository.")
@click.option("--lang", type=click.Choice(LANGS), default="et", show_default=True, help="The reader's language.")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown"]), default="text", show_default=True)
def diff_command(base: str | None, path: Path, lang: str, fmt: str) -> None:
    """What changed in the directory since BASE (default: the merge base with main), in people's words;
    confidential values are never shown."""
    from abikaart import diff

    try:
        sections = diff.diff_revision(path, base, lang)
    except diff.DiffError as error:
        raise click.UsageError(str(error)) from None
    click.echo(diff.render(sections, lang, fmt), nl=False)


# Schema, exports and scaffolding ---------------------------------------------------------------------------


@main.command("schema")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if the committed schemas differ from the models.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("schema"), show_default=True,
              help="Folder of the schema files.")
def schema_command(check: bool, out: Path) -> None:
    """Write the JSON Schemas the data files declare (editor help and inline errors), from the models."""
    from abikaart import schema

    if check:
        stale_files = schema.drifted(out)
        if stale_files:
            raise DataError("\n".join(f"{path}: differs from the models" for path in stale_files)
                            + "\nrun `abikaart schema` and commit the result")
        click.echo(f"{len(schema.SCHEMAS)} schema file(s) up to date", err=True)
        return
    written = schema.write(out)
    for path in written:
        click.echo(str(path))
    click.echo(f"{len(written)} schema file(s) written, {len(schema.SCHEMAS) - len(written)} unchanged", err=True)


@main.command("export")
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path), default=DEFAULT_DIRECTORY)
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "hsds", "all"]), default="all", show_default=True,
              help="json: our own shape, all languages; csv: one row per service; hsds: Open Referral HSDS 3.0.")
@click.option("--lang", type=click.Choice(LANGS), default=None,
              help="Language of csv and hsds (default: et on stdout, all three into --out).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Write files into this folder; without it, the one format asked for is printed.")
def export_command(path: Path, fmt: str, lang: str | None, out: Path | None) -> None:
    """Public exports of the directory (unverified contacts, internal notes and confidential addresses left out)."""
    from abikaart import export

    if out is None and fmt == "all":
        raise click.UsageError("--format all writes several files: give --out DIR, or choose one --format")
    result = load_or_fail(path)
    assert result.directory is not None
    if out is None:
        click.echo(export.render(result.directory, fmt, lang or "et"), nl=False)
        return
    formats = ("json", "csv", "hsds") if fmt == "all" else (fmt,)
    written = export.write_exports(result.directory, out, formats, (lang,) if lang else LANGS)
    for written_path in written:
        click.echo(str(written_path))
    click.echo(f"{len(written)} file(s) written to {out}", err=True)


@main.command("import")
@click.argument("sheet", type=click.Path(dir_okay=False, path_type=Path), required=False)
@click.option("--organisation", "organisation_id", default=None, help="The id of the organisation the sheet is for.")
@click.option("--write", is_flag=True, help="Write the organisation's file (without it, only check and show).")
@click.option("--template", is_flag=True, help="Write the blank partner template to --out instead.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None, help="The template's file.")
@click.option("--lang", type=click.Choice(LANGS), default="et", show_default=True,
              help="Language of the template's headers, and of the change report.")
@click.option("--dir", "path", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=DEFAULT_DIRECTORY, show_default=True, help="The directory folder.")
@click.option("--verified-by", default="partner spreadsheet", show_default=True,
              help="Who confirmed the changed services (recorded in 'verified_by').")
def import_command(sheet: Path | None, organisation_id: str | None, write: bool, template: bool, out: Path | None,
                   lang: str, path: Path, verified_by: str) -> None:
    """Check a partner's spreadsheet (.xlsx or .csv) of services for an organisation by the directory's rules,
    show the change, and write the organisation's YAML with --write. Exit 0 ok, 1 invalid data, 2 usage."""
    from abikaart.intake import run

    if template:
        if out is None or sheet is not None:
            raise click.UsageError("--template writes the template: give --out FILE.xlsx (and no SHEET)")
        from abikaart.intake.template import write_template

        click.echo(str(write_template(load_or_fail(path).directory, lang, out)))  # type: ignore[arg-type]
        return
    if sheet is None or organisation_id is None:
        raise click.UsageError("give the SHEET to import and --organisation ID (or --template --out FILE)")
    if not sheet.is_file():
        raise click.UsageError(f"{sheet}: no such file")
    try:
        outcome = run.import_sheet(sheet, organisation_id, path, lang, verified_by)
    except run.UsageError as error:
        raise click.UsageError(str(error)) from None
    for problem in outcome.problems[:run.MAX_SHOWN]:
        click.echo(problem.text(), err=True)
    if len(outcome.problems) > run.MAX_SHOWN:
        click.echo(f"... and {len(outcome.problems) - run.MAX_SHOWN} more", err=True)
    if outcome.errors:
        raise DataError(f"{sheet.name}: {len(outcome.errors)} error(s): nothing was written")
    click.echo(outcome.report, nl=False)
    summary = f"{sheet.name}: {run.status_counts(outcome)}"
    if outcome.text is None:
        click.echo(f"{summary}: nothing to write", err=True)
    elif write:
        assert outcome.target is not None
        outcome.target.write_text(outcome.text, encoding="utf-8")
        click.echo(f"{summary}: written to {outcome.target}; run `abikaart validate`", err=True)
    else:
        click.echo(f"{summary}: nothing written (give --write to write {outcome.target})", err=True)


@main.group()
def new() -> None:
    """Create a new organisation or service file: correct, commented YAML from prompts or flags."""


def _root_option(function: Any) -> Any:
    return click.option("--dir", "root", type=click.Path(exists=True, file_okay=False, path_type=Path),
                        default=DEFAULT_DIRECTORY, show_default=True, is_eager=True,
                        help="The directory folder to write into.")(function)


def _text_options(function: Any) -> Any:
    for key in ("description", "name"):
        for lang, language in (("en", "English"), ("ru", "Russian")):
            function = click.option(f"--{key}-{lang}", default=None, help=f"The {key} in {language}.")(function)
        function = click.option(f"--{key}-et", prompt=f"{key.capitalize()} in Estonian",
                                help=f"The {key} in Estonian (required).")(function)
    return function


def _scaffold(create: Any, root: Path, new_record: Any) -> None:
    from abikaart.scaffold import ScaffoldError

    try:
        written = create(root, new_record)
    except ScaffoldError as exc:
        raise DataError(str(exc)) from None
    click.echo(str(written))
    click.echo("created; add the missing translations, then run `abikaart validate`", err=True)


@new.command("organisation")
@_root_option
@click.option("--id", "record_id", prompt="Id (lower-case letters, digits, hyphens)", type=Checked("id"),
              help="The organisation's id; also its file name.")
@_text_options
@click.option("--website", type=Checked("url"), default=None, help="https:// address of its website.")
@click.option("--email", type=Checked("email"), default=None, help="Its general e-mail address.")
@click.option("--phone", type=Checked("phone"), default=None, help="Its general phone number.")
@click.option("--source", prompt="Source (the https:// page you checked)", type=Checked("url"),
              help="The public page the information was checked against.")
@click.option("--verified-by", prompt="Verified by (a role or team)", help="Who checked it.")
def new_organisation(root: Path, record_id: str, source: str, verified_by: str, website: str | None,
                     email: str | None, phone: str | None, **texts: str | None) -> None:
    """Create directory/organisations/<id>.yaml."""
    from abikaart.scaffold import NewOrganisation, create_organisation

    _scaffold(create_organisation, root, NewOrganisation(
        id=record_id, source=source, verified_by=verified_by, website=website, email=email, phone=phone,
        name=_texts(texts, "name"), description=_texts(texts, "description")))


@new.command("service")
@_root_option
@click.option("--id", "record_id", prompt="Id (lower-case letters, digits, hyphens)", type=Checked("id"),
              help="The service's id; also its file name.")
@click.option("--organisation", prompt="Organisation id", type=Checked("id"), help="Who offers it.")
@_text_options
@click.option("--needs", prompt="Needs (comma-separated ids)", type=Terms("needs"),
              help="Ids from taxonomies/needs.yaml, e.g. crime,domestic-violence")
@click.option("--audiences", prompt="Audiences (comma-separated ids)", type=Terms("audiences"),
              help="Ids from taxonomies/audiences.yaml, e.g. victims,relatives")
@click.option("--counties", type=Terms("counties", ("nationwide",)), default="nationwide", show_default=True,
              help="County ids, or nationwide.")
@click.option("--languages", type=Terms("languages"), default=None,
              help="Ids from taxonomies/languages.yaml, e.g. et,ru")
@click.option("--phone", type=Checked("phone"), default=None, help="Phone number.")
@click.option("--chat", type=Checked("url"), default=None, help="https:// address of the chat.")
@click.option("--email", type=Checked("email"), default=None, help="E-mail address.")
@click.option("--hours", type=Checked("hours"), default=None, help="OpenStreetMap opening_hours, e.g. 24/7.")
@click.option("--cost", type=click.Choice(["free", "paid", "partly"]), default=None, help="What it costs the person.")
@click.option("--source", prompt="Source (the https:// page you checked)", type=Checked("url"),
              help="The public page the information was checked against.")
@click.option("--verified-by", prompt="Verified by (a role or team)", help="Who checked it.")
def new_service(root: Path, record_id: str, organisation: str, needs: list[str], audiences: list[str],
                counties: list[str], languages: list[str] | None, phone: str | None, chat: str | None,
                email: str | None, hours: str | None, cost: str | None, source: str, verified_by: str,
                **texts: str | None) -> None:
    """Create directory/services/<id>.yaml for an existing organisation."""
    from abikaart.scaffold import NewService, create_service

    if not (phone or chat or email):
        phone = click.prompt("Phone number (or give --chat or --email)", type=Checked("phone"))
    _scaffold(create_service, root, NewService(
        id=record_id, organisation=organisation, source=source, verified_by=verified_by, needs=needs,
        audiences=audiences, counties=counties, languages=languages or [], phone=phone, chat=chat, email=email,
        hours=hours, cost=cost, name=_texts(texts, "name"), description=_texts(texts, "description")))


def _texts(options: dict[str, str | None], key: str) -> dict[str, str]:
    """{'et': ..., 'ru': ...} from the --<key>-<lang> options given."""
    return {lang: text for lang in LANGS if (text := options.get(f"{key}_{lang}"))}


main.add_command(internal)


def _log_mkdocs(level: int) -> None:
    """Show MkDocs' messages (broken links, "Serving on ...") on stderr, as `mkdocs` itself does."""
    import logging

    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    logger.setLevel(level)


def _validated_site_config(config_file: Path) -> Path:
    """Validate the directory the site is built from (exit 1 on errors) and keep it for the build."""
    from abikaart.directory import remember
    from abikaart.site.build import directory_root, site_config

    root = directory_root(site_config(config_file))
    remember(root, load_or_fail(root))
    return root


@main.command()
@click.option("--config", "config_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=Path("mkdocs.yml"), show_default=True, help="The MkDocs configuration of the site.")
@click.option("--site-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to write the site (default: site_dir of the configuration, site/).")
@click.option("--clean", is_flag=True, help="Delete the generated pages first and write them all again.")
@click.option("-v", "--verbose", is_flag=True, help="Show MkDocs' progress, with each post-build step's time.")
def build(config_file: Path, site_dir: Path | None, clean: bool, verbose: bool) -> None:
    """Validate the directory, then build the site; a failed build leaves the previous one untouched."""
    import logging

    from abikaart.site.build import build_site

    _validated_site_config(config_file)
    _log_mkdocs(logging.INFO if verbose else logging.WARNING)
    try:
        target = build_site(config_file, site_dir, clean)
    except click.ClickException as exc:  # mkdocs' Abort: the reason was logged above
        raise DataError(f"the site was not built ({exc.message}); the previous build is untouched") from None
    click.echo(f"site written to {target}", err=True)


@main.command()
@click.option("--config", "config_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=Path("mkdocs.yml"), show_default=True, help="The MkDocs configuration of the site.")
@click.option("--dev-addr", default="127.0.0.1:8000", show_default=True, metavar="IP:PORT",
              help="Address to serve the site on.")
def serve(config_file: Path, dev_addr: str) -> None:
    """Validate the directory, then preview the site, rebuilding when a page or a data file changes."""
    import logging

    from mkdocs.commands.serve import serve as mkdocs_serve

    _validated_site_config(config_file)
    _log_mkdocs(logging.INFO)
    mkdocs_serve(config_file=str(config_file), dev_addr=dev_addr, livereload=True)


@main.command("leaflets")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder to write <lang>/<county>.pdf into.")
@click.option("--config", "config_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=Path("mkdocs.yml"), show_default=True,
              help="The site's configuration: its directory, site_url and page paths (for the QR codes).")
@click.option("--lang", type=click.Choice(LANGS), multiple=True, help="Only these languages (default: all three).")
def leaflets_command(out: Path, config_file: Path, lang: tuple[str, ...]) -> None:
    """Printable A4 leaflets, one per county and language: 112 and the 24/7 lines, then the county's services."""
    from abikaart import leaflets
    from abikaart.directory import load_cached
    from abikaart.leaflet_pdf import FontMissing, TooLong
    from abikaart.site.build import leaflet_settings, site_config

    root = _validated_site_config(config_file)
    directory = load_cached(root).directory
    assert directory is not None  # validated just above
    settings = leaflet_settings(site_config(config_file))
    if settings is None:
        raise DataError(f"{config_file}: site_url: not set, so the QR codes have nowhere to point "
                        "(fix: set site_url, or ABIKAART_SITE_URL for a fork)")
    try:
        written = leaflets.write_leaflets(directory, out, settings.site_url, settings.paths, lang or LANGS,
                                          settings.crisis_line)
    except (TooLong, FontMissing) as error:
        raise DataError(f"abikaart leaflets: {error}") from None
    click.echo(f"{len(written)} leaflet(s) written to {out}", err=True)


@main.command("hosting")
@click.argument("kind", type=click.Choice(["nginx", "headers"]))
@click.option("--site-dir", type=click.Path(exists=True, file_okay=False, path_type=Path), default=Path("site"),
              show_default=True, help="The built site whose Content-Security-Policy the headers send.")
@click.option("--internal", is_flag=True, help="Headers for the internal site (adds X-Robots-Tag: noindex).")
def hosting_command(kind: str, site_dir: Path, internal: bool) -> None:
    """Print the response headers for a web server (nginx snippet) or a static host (_headers)."""
    from abikaart.site import hosting

    policy = hosting.built_policy(site_dir)
    if policy is None:
        raise DataError(f"{site_dir}/index.html carries no Content-Security-Policy: run `abikaart build` first")
    rules = hosting.rules(policy, public=not internal)
    click.echo(hosting.nginx_conf(rules) if kind == "nginx" else hosting.headers_file(rules), nl=False)


def run() -> None:
    """Entry point that never shows a traceback for an interrupted run."""
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(130)
