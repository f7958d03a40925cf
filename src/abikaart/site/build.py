"""Build the site into a temporary folder and swap it into place only when the build succeeded.

A failed validation or build therefore never leaves a half-written site: the previous one stays served.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from abikaart.site.config import DirectoryConfig, generated_dir_problem
from abikaart.site.pages import Paths

PLUGIN = "abikaart/directory"


def site_config(config_file: Path, **overrides: str) -> MkDocsConfig:
    return load_config(config_file=str(config_file), **overrides)


def directory_root(config: MkDocsConfig) -> Path:
    """The directory the site is built from, as mkdocs.yml's plugin options say."""
    options: DirectoryConfig = config.plugins[PLUGIN].config
    return (Path(config.config_file_path).parent / options.directory).resolve()


@dataclass(frozen=True)
class LeafletSettings:
    """What the leaflets take from the site's configuration: where the county pages are, and 116 006."""

    site_url: str
    paths: Paths
    crisis_line: str


def leaflet_settings(config: MkDocsConfig) -> LeafletSettings | None:
    """The site's address and page paths for the leaflets' QR codes; None without a site_url."""
    options: DirectoryConfig = config.plugins[PLUGIN].config
    if not config.site_url:
        return None
    return LeafletSettings(config.site_url, Paths(options.generated_dir.strip("/")), options.crisis_line)


def generated_folder(config: MkDocsConfig) -> Path:
    """The folder `--clean` deletes; refused unless it is a subfolder of docs_dir (`config.generated_dir_problem`)."""
    options: DirectoryConfig = config.plugins[PLUGIN].config
    problem = generated_dir_problem(options.generated_dir)
    if problem is not None:
        raise PluginError(f"{PLUGIN}: {problem}")
    return Path(config.docs_dir) / options.generated_dir.strip("/")


def build_site(config_file: Path, site_dir: Path | None = None, clean: bool = False) -> Path:
    """Build into a fresh sibling folder of the target, then replace the target with it; return the target."""
    target = (site_dir or Path(site_config(config_file).site_dir)).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}-new-", dir=target.parent))
    try:
        config = site_config(config_file, site_dir=str(work))
        if clean:
            shutil.rmtree(generated_folder(config), ignore_errors=True)
        mkdocs_build(config)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    work.chmod(0o755)
    swap_into_place(work, target)
    return target


def swap_into_place(new: Path, target: Path) -> None:
    """Replace `target` by `new` with two renames, so the site is never missing for long or half-written."""
    if not target.exists():
        new.rename(target)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}-old-", dir=target.parent))
    old.rmdir()
    target.rename(old)
    new.rename(target)
    shutil.rmtree(old, ignore_errors=True)
