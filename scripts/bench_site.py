"""Benchmark the site build: time and size for 1k and 10k generated services, against plain Material.

Usage: python scripts/bench_site.py [--sizes 1000 10000] [--work DIR] [--no-browser]

For each size N: write a synthetic directory with scripts/gen_directory.py, build it in 3 languages with
`abikaart build` (validation included), then build a plain Material + search + i18n site of bare Markdown
pages, as many per language as the abikaart site has, kept out of the navigation, in the same run. Prints
build time, site size, the 10k/1k ratios and abikaart/plain ratios. Then loads the home page and a service
page of the smallest site in Chromium, listing what the browser fetches and its gzip size.
"""

from __future__ import annotations

import argparse
import gzip
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import yaml
from mkdocs.utils.yaml import yaml_load

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent
CHROMIUM = "/usr/bin/chromium"


def site_size(site: Path) -> int:
    return sum(path.stat().st_size for path in site.rglob("*") if path.is_file())


STEP = re.compile(r"(\w+): ([\d.]+) s \(CPU ([\d.]+) s\)$", re.M)
"""A post-build step's line in the build's log (`pipeline.run`)."""


def timed(command: list[str]) -> tuple[float, float, str]:
    """Wall-clock seconds, the CPU seconds (user + system, all processes) the command used (on a shared
    machine the first depends on the neighbours, the second much less), and its log."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{result.stderr[-3000:]}")
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), result.stderr


def steps(log: str) -> str:
    """The post-build steps' wall and CPU seconds, from the build's log, on one line."""
    return "  ".join(f"{name} {float(wall):.1f}/{float(cpu):.1f}" for name, wall, cpu in STEP.findall(log))


def generate(n: int, out: Path) -> Path:
    subprocess.run([PYTHON, str(REPO / "scripts" / "gen_directory.py"), str(n), "--out", str(out)],
                   check=True, capture_output=True)
    return out


def abikaart_project(root: Path, data: Path) -> Path:
    """The repository's mkdocs.yml and hand-written pages, pointed at a generated directory (without leaflets)."""
    (root / "docs").mkdir(parents=True)
    for page in (REPO / "docs").glob("*.md"):
        shutil.copy(page, root / "docs" / page.name)
    config: dict[str, Any] = yaml_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    config["theme"]["custom_dir"] = str(REPO / config["theme"]["custom_dir"])
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "abikaart/directory" in plugin:
            plugin["abikaart/directory"]["directory"] = str(data)
            # A synthetic county of hundreds of services fits no two-page leaflet: the build would stop there.
            plugin["abikaart/directory"]["leaflets"] = False
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return root / "mkdocs.yml"


def plain_project(root: Path, pages: int) -> Path:
    """Material + search + i18n, `pages` bare Markdown pages a language, none of them in the navigation."""
    docs = root / "docs"
    (docs / "p").mkdir(parents=True)
    for suffix in ("", ".ru", ".en"):
        (docs / f"index{suffix}.md").write_text("# Avaleht\n\nTere.\n", encoding="utf-8")
        for index in range(pages):
            text = f"# Lehekülg {index}\n\nTeenus {index} pakub abi. Helista 116 006.\n\n## Kontaktid\n\n- 5123 4567\n"
            (docs / "p" / f"{index}{suffix}.md").write_text(text, encoding="utf-8")
    config = {
        "site_name": "plain", "docs_dir": "docs", "site_dir": "site",
        "theme": {"name": "material", "language": "et", "font": False},
        "nav": ["index.md"],
        "validation": {"nav": {"omitted_files": "ignore"}},
        "plugins": [
            {"search": {"lang": ["en", "ru"]}},
            {"i18n": {"docs_structure": "suffix", "reconfigure_search": False, "languages": [
                {"locale": "et", "name": "Eesti", "default": True, "build": True},
                {"locale": "ru", "name": "Русский", "build": True},
                {"locale": "en", "name": "English", "build": True},
            ]}},
        ],
    }
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return root / "mkdocs.yml"


def pages_per_language(site: Path) -> int:
    """Pages of the default language: every `index.html` outside the other languages' folders."""
    return sum(1 for path in site.rglob("index.html") if path.relative_to(site).parts[0] not in ("ru", "en"))


def bench(n: int, work: Path) -> dict[str, float]:
    data = generate(n, work / f"data-{n}")
    config = abikaart_project(work / f"site-{n}", data)
    site = config.parent / "site"
    seconds, cpu, log = timed([str(BIN / "abikaart"), "build", "-v", "--config", str(config), "--site-dir", str(site)])
    pages = pages_per_language(site)
    plain = plain_project(work / f"plain-{n}", pages)
    plain_seconds, plain_cpu, _ = timed([str(BIN / "mkdocs"), "build", "-q", "-f", str(plain)])
    row = {"n": n, "pages": pages, "seconds": seconds, "mb": site_size(site) / 1e6,
           "plain_seconds": plain_seconds, "plain_mb": site_size(plain.parent / "site") / 1e6}
    print(f"{n:>6} services  {pages:>6} pages/lang  abikaart {seconds:6.1f} s {row['mb']:7.1f} MB   "
          f"plain Material {plain_seconds:6.1f} s {row['plain_mb']:7.1f} MB   ratio {seconds / plain_seconds:4.2f}"
          f"   (CPU {cpu:.1f} s vs {plain_cpu:.1f} s, ratio {cpu / plain_cpu:4.2f})", flush=True)
    print(f"    post-build steps, wall/CPU s: {steps(log)}", flush=True)
    return row


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def first_load(site: Path, paths: list[str]) -> None:
    """What Chromium fetches on a first visit, with each file's gzip -6 size (what a server would send)."""
    from playwright.sync_api import sync_playwright

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        for path in paths:
            context = browser.new_context(viewport={"width": 360, "height": 640})
            page = context.new_page()
            fetched: list[str] = []
            page.on("requestfinished", lambda request, fetched=fetched: fetched.append(request.url))
            page.goto(base + path, wait_until="networkidle")
            total = 0
            for url in fetched:
                local = site / url.removeprefix(base).split("?")[0].lstrip("/")
                local = local / "index.html" if local.is_dir() else local
                size = len(gzip.compress(local.read_bytes(), 6)) if local.is_file() else 0
                total += size
                print(f"    {size / 1024:6.1f} KB  {url.removeprefix(base)}")
            print(f"  {path}: {len(fetched)} request(s), {total / 1024:.1f} KB compressed", flush=True)
            context.close()
        browser.close()
    server.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--work", type=Path, default=None, help="Keep the builds here (default: a temp folder).")
    parser.add_argument("--no-browser", action="store_true", help="Skip the Chromium first-load measurement.")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="abikaart-bench-"))
    print(f"work folder: {work}")
    rows = [bench(n, work) for n in args.sizes]
    if len(rows) > 1:
        small, large = rows[0], rows[-1]
        print(f"{large['n']}/{small['n']}: time x{large['seconds'] / small['seconds']:.1f}, "
              f"size x{large['mb'] / small['mb']:.1f} (services x{large['n'] / small['n']:.0f})")
    if not args.no_browser:
        site = work / f"site-{rows[0]['n']}" / "site"
        service = next((site / "directory" / "service").iterdir()).name
        html = site / "directory" / "service" / service / "index.html"
        print(f"service page HTML: {len(gzip.compress(html.read_bytes(), 6)) / 1024:.1f} KB compressed")
        first_load(site, ["/", f"/directory/service/{service}/"])
        if (REPO / "site" / "index.html").exists():
            print("the bundled directory's site (site/, from `abikaart build`):")
            first_load(REPO / "site", ["/"])
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
