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
from abikaart.site.safety import markup
from abikaart.site.safety.config import SafetyConfig

log = logging.getLogger("mkdocs.plugins.abikaart.safety")

ASSETS = Path(__file__).parent / "assets"
ASSET_DIR = "assets/abikaart"
CHUNK = 400
"""Pages per task for the cores: tens of thousands of record pages make this pass worth spreading."""


def site_host(site_url: str | None) -> str | None:
    """Host of `site_url`: links there are ours, not a partner's."""
    return urlsplit(site_url or "").hostname


def secure_site(site_dir: Path, site_url: str | None, options: SafetyConfig, *, csp: bool) -> None:
    """Copy our assets, refuse third-party loads, then harden links and set one CSP on every page."""
    copy_assets(site_dir)
    pages = sorted(site_dir.rglob("*.html"))
    chunks = [pages[start:start + CHUNK] for start in range(0, len(pages), CHUNK)]
    host = site_host(site_url)
    csp = csp and options.csp
    scanned = fork_map(partial(_scan, site_dir=site_dir, site_host=host,
                               forbid_third_party=options.forbid_third_party, csp=csp), chunks)
    refuse_third_party([problem for problems, _hashes in scanned for problem in problems])
    policy = markup.csp_policy({h for _problems, hashes in scanned for h in hashes}) if csp else None
    fork_map(partial(_finish, policy=policy, site_host=host), chunks)
    if policy is not None:
        log.info(f"Content-Security-Policy set on {len(pages)} pages")


def copy_assets(site_dir: Path) -> None:
    """Our script and stylesheet, served from the site itself."""
    target = site_dir / ASSET_DIR
    target.mkdir(parents=True, exist_ok=True)
    for source in ASSETS.iterdir():
        if source.is_file():
            shutil.copyfile(source, target / source.name)


def _scan(pages: Sequence[Path], *, site_dir: Path, site_host: str | None, forbid_third_party: bool,
          csp: bool) -> tuple[list[str], set[str]]:
    """Read pages once: what they load from elsewhere (if `forbid_third_party`), their inline scripts' hashes."""
    problems: list[str] = []
    hashes: set[str] = set()
    if not forbid_third_party and not csp:
        return problems, hashes
    for path in pages:
        text = path.read_text(encoding="utf-8")
        if forbid_third_party:
            loads = markup.third_party_loads(text, site_host)
            problems += [f"{path.relative_to(site_dir)}: loads {url}" for url in loads]
        if csp:
            hashes.update(markup.script_hash(body) for body in markup.inline_scripts(text))
    return problems, hashes


def refuse_third_party(problems: list[str]) -> None:
    """Refuse to publish a page that would load anything from another origin: a visit must leave no trace there."""
    if problems:
        listed = "\n  ".join(problems[:20])
        raise PluginError(
            "abikaart/safety: pages would load files from other sites, which tells those sites who visits:\n  "
            f"{listed}\nServe the file from the site itself (theme.font: false for web fonts), or remove it."
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
