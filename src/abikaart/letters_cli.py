"""`abikaart letter list|render`: the letter templates from the command line (exit 1 on a bad template or value)."""

from __future__ import annotations

import json
from pathlib import Path

import click
import yaml

from abikaart.letters import (
    DEFAULT_LETTERS,
    LetterError,
    Template,
    load_letterhead,
    load_templates,
    render,
    write_letter,
)
from abikaart.models import LANGS


class LetterFailed(click.ClickException):
    """A template or value problem: exit code 1, message only."""

    exit_code = 1

    def show(self, file: object = None) -> None:
        click.echo(f"error: {self.message}", err=True)


def _templates(folder: Path) -> dict[str, Template]:
    try:
        return load_templates(folder)
    except LetterError as exc:
        raise LetterFailed(str(exc)) from None


folder_option = click.option("--letters", "folder", type=click.Path(file_okay=False, path_type=Path),
                             default=DEFAULT_LETTERS, show_default=True, help="The folder of letter templates.")


@click.group()
def letter() -> None:
    """Letters from templates: list them, or fill one in as Markdown and Word (.docx)."""


@letter.command("list")
@folder_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def list_letters(folder: Path, fmt: str) -> None:
    """Show the templates and their variables."""
    templates = _templates(folder)
    if fmt == "json":
        rows = [{"name": t.name, "title": t.title,
                 "variables": [{"name": v.name, "required": v.required, "example": v.example} for v in t.variables]}
                for t in templates.values()]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for t in templates.values():
        click.echo(f"{t.name}: {t.title['en']}")
        for v in t.variables:
            click.echo(f"  {v.name}{'' if v.required else ' (optional)'}: {v.label['en']}, e.g. {v.example}")


def _values(values_file: Path | None, pairs: tuple[str, ...]) -> dict[str, str]:
    values: dict[str, str] = {}
    if values_file is not None:
        try:
            data = yaml.safe_load(values_file.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise LetterFailed(f"{values_file}: cannot be read ({exc})") from None
        if not isinstance(data, dict):
            raise LetterFailed(f"{values_file}: needs name: value lines")
        values.update({str(k): "" if v is None else str(v) for k, v in data.items()})
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            raise click.BadParameter(f"{pair!r} is not key=value", param_hint="--set")
        values[key.strip()] = value
    return values


@letter.command("render")
@click.argument("name")
@folder_option
@click.option("--lang", type=click.Choice(LANGS), default="et", show_default=True)
@click.option("--set", "pairs", multiple=True, metavar="KEY=VALUE", help="A value (repeatable).")
@click.option("--values", "values_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A YAML file of name: value lines.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True)
def render_letter(name: str, folder: Path, lang: str, pairs: tuple[str, ...], values_file: Path | None,
                  out: Path) -> None:
    """Fill in template NAME and write NAME.LANG.md and NAME.LANG.docx into --out."""
    templates = _templates(folder)
    if name not in templates:
        raise LetterFailed(f"unknown template {name} (known: {', '.join(templates)})")
    try:
        filled = render(templates[name], lang, _values(values_file, pairs), load_letterhead(folder))
    except LetterError as exc:
        raise LetterFailed(str(exc)) from None
    for path in write_letter(filled, out):
        click.echo(f"written {path}", err=True)
