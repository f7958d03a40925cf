"""The safety pass over the finished site: every HTML page, however it was made (MkDocs pages, record pages
filled into a shell, the 404 page), is checked and hardened by the same code (`markup`)."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.exceptions import PluginError

from abikaart.site.parallel import fork_map
from abikaart.site.safety import markup, scripts
from abikaart.site.safety.config import SafetyConfig

log = logging.getLogger("mkdocs.plugins.abikaart.safety")

ASSETS = Path(__file__).parent / "assets"
ASSET_DIR = "assets/abikaart"
CHUNK = 400
"""Pages per task for the cores: tens of thousands of record pages make this pass worth spreading."""


def site_host(site_url: str | None) -> str | None:
    """Host of `site_url`: links there are ours, not a partner's."""
    return urlsplit(site_url or "").hostname


def secure_site(site_dir: Path, site_url: str | None, options: SafetyConfig, *, csp: bool) -> str | None:
    """Copy our assets, refuse third-party loads, then harden links and set one CSP on every page; returns the
    policy (None without one), which `hosting` also sends as a header."""
    copy_assets(site_dir)
    pages = sorted(site_dir.rglob("*.html"))
    chunks = [pages[start:start + CHUNK] for start in range(0, len(pages), CHUNK)]
    host = site_host(site_url)
    csp = csp and options.csp
    scanned = fork_map(partial(_scan, site_dir=site_dir, site_host=host,
                               forbid_third_party=options.forbid_third_party, csp=csp), chunks)
    refuse_third_party([problem for (problems, _foreign), _hashes in scanned for problem in problems])
    refuse_foreign_scripts([problem for (_problems, foreign), _hashes in scanned for problem in foreign])
    policy = markup.csp_policy({h for _found, hashes in scanned for h in hashes}) if csp else None
    fork_map(partial(_finish, policy=policy, site_host=host), chunks)
    if policy is not None:
        log.info(f"Content-Security-Policy set on {len(pages)} pages")
    return policy


def copy_assets(site_dir: Path) -> None:
    """Our script and stylesheet, served from the site itself."""
    target = site_dir / ASSET_DIR
    target.mkdir(parents=True, exist_ok=True)
    for source in ASSETS.iterdir():
        if source.is_file():
            shutil.copyfile(source, target / source.name)


def _scan(pages: Sequence[Path], *, site_dir: Path, site_host: str | None, forbid_third_party: bool,
          csp: bool) -> tuple[tuple[list[str], list[str]], set[str]]:
    """Read pages once: what they load from elsewhere (if `forbid_third_party`), scripts that are not ours
    (always: data is text, so an injected script must stop the build), their inline scripts' hashes."""
    problems: list[str] = []
    foreign: list[str] = []
    hashes: set[str] = set()
    for path in pages:
        text = path.read_text(encoding="utf-8")
        foreign += [f"{path.relative_to(site_dir)}: {problem}" for problem in scripts.foreign_scripts(text)]
        if forbid_third_party:
            loads = markup.third_party_loads(text, site_host)
            problems += [f"{path.relative_to(site_dir)}: loads {url}" for url in loads]
        if csp:
            hashes.update(markup.script_hash(body) for body in markup.inline_scripts(text))
    return (problems, foreign), hashes


def refuse_third_party(problems: list[str]) -> None:
    """Refuse to publish a page that would load anything from another origin: a visit must leave no trace there."""
    if problems:
        listed = "\n  ".join(problems[:20])
        raise PluginError(
            "abikaart/safety: pages would load files from other sites, which tells those sites who visits:\n  "
            f"{listed}\nServe the file from the site itself (theme.font: false for web fonts), or remove it."
        )


def refuse_foreign_scripts(problems: list[str]) -> None:
    """Refuse a page that would run a script we did not write: only our templates' and Material's reviewed
    inline scripts are allowed, and data is text, so anything else was injected."""
    if problems:
        listed = "\n  ".join(problems[:20])
        raise PluginError(
            "abikaart/safety: pages would run scripts that are not ours:\n  "
            f"{listed}\nData must be printed escaped (`| e`, autoescape) and hand-written pages hold no script; "
            "after a Material upgrade, review its scripts with scripts/material_scripts.py."
        )


def _finish(pages: Sequence[Path], *, policy: str | None, site_host: str | None) -> int:
    """Harden partner links and set the policy (one for the whole site, allowing exactly the scripts found)."""
    for path in pages:
        text = path.read_text(encoding="utf-8")
        updated = markup.harden_external_links(text, site_host)
        if policy is not None:
            updated = markup.set_csp(updated, policy)
        if updated != text:
            path.write_text(updated, encoding="utf-8")
    return len(pages)
