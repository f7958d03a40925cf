"""`abikaart internal build|serve`: the internal guidance site, built only from a valid directory.

The directory is validated before MkDocs starts, so broken data prints its problems, exits 1 and
writes nothing: no site, no generated pages. The site is built into a temporary sibling folder and
swapped into place only when the build succeeded, so a failed build leaves the previous site whole.
"""

from __future__ import annotations

import logging
import re
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:  # MkDocs is imported only when a command runs: `abikaart --help` stays fast
    from mkdocs.config.defaults import MkDocsConfig

    from abikaart.site.internal import InternalPlugin

DEFAULT_CONFIG = Path("mkdocs.internal.yml")
PLUGIN = "abikaart/internal"


class _DataError(click.ClickException):
    """Bad directory data: exit code 1, the problems printed as they are."""

    exit_code = 1

    def show(self, file: object = None) -> None:
        click.echo(self.message, err=True)


class _EchoHandler(logging.Handler):
    """MkDocs log records through click, so they reach whatever stderr is current (also under CliRunner)."""

    def emit(self, record: logging.LogRecord) -> None:
        click.echo(self.format(record), err=True)


def _log_to_stderr() -> None:
    """Show MkDocs warnings and errors (it only logs them), with one handler per process."""
    logger = logging.getLogger("mkdocs")
    if not any(isinstance(handler, _EchoHandler) for handler in logger.handlers):
        handler = _EchoHandler(logging.WARNING)
        handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
        logger.addHandler(handler)


def _config(config_file: Path) -> tuple[MkDocsConfig, InternalPlugin]:
    """The MkDocs config and its abikaart/internal plugin; a usage error if the plugin is missing."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    from abikaart.site.internal import InternalPlugin

    try:
        config = load_config(str(config_file))
    except MkDocsException as error:
        raise click.UsageError(f"{config_file}: {error}") from error
    plugin = config.plugins.get(PLUGIN)
    if not isinstance(plugin, InternalPlugin):
        raise click.UsageError(f"{config_file} has no '{PLUGIN}' under plugins:; add it")
    return config, plugin


def _validate(root: Path) -> None:
    """Load the directory (cached for the build that follows); exit 1 with every problem if it is broken."""
    from abikaart.directory import load_cached
    from abikaart.site.internal import failure_message

    result = load_cached(root)
    if result.directory is None:
        raise _DataError(failure_message(result))
    warnings = len(result.problems)
    click.echo(f"{root}: {len(result.directory.services)} service(s), valid"
               + (f", {warnings} warning(s) (see `abikaart validate`)" if warnings else ""), err=True)


config_option = click.option(
    "-f", "--config-file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=DEFAULT_CONFIG,
    show_default=True, help="The internal site's MkDocs config.")


@click.group()
def internal() -> None:
    """The internal guidance site for counsellors, volunteers and partner officials (never published)."""


def public_site_dir(config_file: Path) -> Path:
    """The public site's output folder: `site_dir` of the mkdocs.yml beside the internal config (MkDocs' default
    `site`). Read as text, because mkdocs.yml holds `!ENV` tags that a plain YAML loader refuses."""
    public = config_file.resolve().parent / "mkdocs.yml"
    text = public.read_text(encoding="utf-8") if public.is_file() else ""
    match = re.search(r"^site_dir:\s*['\"]?([^'\"#\s]+)", text, re.MULTILINE)
    return (public.parent / (match.group(1) if match else "site")).resolve()


def refuse_public_target(target: Path, config_file: Path) -> None:
    """Internal pages hold unconfirmed numbers and internal notes: never write them where the public site is
    (or inside it, or into a folder that holds it)."""
    public = public_site_dir(config_file)
    if target == public or public in target.parents or target in public.parents:
        raise click.UsageError(f"the internal site may not be written to {target}: that is (or holds) the public "
                               f"site's folder {public}; choose another --site-dir")


@internal.command()
@config_option
@click.option("--directory", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="The directory data (default: the plugin's 'directory' option, normally directory/).")
@click.option("--site-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to write the site (default: site_dir in the config, site-internal/).")
def build(config_file: Path, directory: Path | None, site_dir: Path | None) -> None:
    """Validate the directory, then build the internal site. Exit 0 built, 1 data or build errors, 2 usage."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.exceptions import MkDocsException

    from abikaart.site.build import swap_into_place

    config, plugin = _config(config_file)
    target = (site_dir or Path(config.site_dir)).resolve()
    refuse_public_target(target, config_file)
    root = (directory or plugin.root(config)).resolve()
    _validate(root)
    plugin.config.directory = str(root)
    _log_to_stderr()
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}-new-", dir=target.parent))
    config.site_dir = str(work)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        mkdocs_build(config)
    except MkDocsException as error:
        shutil.rmtree(work, ignore_errors=True)
        raise _DataError(f"the internal site was not built: {error}") from error
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    finally:
        config.plugins.on_shutdown()
    work.chmod(0o755)
    swap_into_place(work, target)
    click.echo(f"internal site written to {target}", err=True)


@internal.command()
@config_option
@click.option("-a", "--dev-addr", default="127.0.0.1:8001", show_default=True, metavar="IP:PORT",
              help="Where to serve (8001, so it runs beside the public site on 8000).")
def serve(config_file: Path, dev_addr: str) -> None:
    """Validate the directory, then serve the internal site, rebuilding when a page or directory file changes."""
    from mkdocs.commands.serve import serve as mkdocs_serve
    from mkdocs.exceptions import MkDocsException

    config, plugin = _config(config_file)
    _validate(plugin.root(config))
    _log_to_stderr()
    try:
        mkdocs_serve(config_file=str(config_file), dev_addr=dev_addr, livereload=True)
    except MkDocsException as error:
        raise _DataError(str(error)) from error
