"""Benchmark the finder: its data in compressed bytes and the time of a filter change in headless Chromium with
4x CPU throttling, at 1,000 and 10,000 generated services (goal: a filter change under 50 ms at 10,000).

Usage: python scripts/bench_finder.py [--sizes 1000 10000]

For each size: a directory from scripts/gen_directory.py, loaded and validated, its finder data made as the
build makes it (`abikaart.site.finder`); the real finder page of the bundled site (built once into a temporary
folder) is opened with that data in place of its own, and each filter change (a need, a county, a language,
open now, then all cleared) is timed from the change event to the end of rendering, five times, median shown.
`bench_finding.py` can import `run(sizes)` as its finder section.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import gzip
import statistics
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from abikaart.directory import load_directory  # noqa: E402
from abikaart.site import finder, pages  # noqa: E402

CHANGES = [
    ("need", "input[name=needs][value='2']"),
    ("county", "input[name=counties][value='1']"),
    ("language", "input[name=languages][value='1']"),
    ("open now", "input[name=open]"),
]
TIME_CHANGE = """(selector) => {
  const box = document.querySelector(selector);
  const start = performance.now();
  box.checked = !box.checked;
  box.dispatchEvent(new Event('change', {bubbles: true}));
  return performance.now() - start;
}"""


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return None


def build_site(work: Path) -> Path:
    site = work / "site"
    command = [str(Path(sys.executable).with_name("abikaart")), "build", "--site-dir", str(site)]
    subprocess.run(command, cwd=REPO, check=True, capture_output=True)
    return site


def data_for(size: int, work: Path) -> str:
    out = work / f"dir-{size}"
    subprocess.run([sys.executable, str(REPO / "scripts" / "gen_directory.py"), str(size), "--out", str(out)],
                   check=True, capture_output=True)
    result = load_directory(out, out.parent)
    assert result.directory is not None, "the generated directory does not validate"
    return finder.script(finder.finder_data(result.directory, "et", pages.Paths("directory"), dt.date.today()))


def time_changes(origin: str, body: str) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 360, "height": 640})
        page.route("**/data/finder-et.js", lambda route: route.fulfill(body=body, content_type="text/javascript"))
        page.goto(f"{origin}/finder/")
        page.wait_for_selector("#abi-finder-form:not([hidden])")
        cdp = page.context.new_cdp_session(page)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
        timings = time_filter_changes(page)
        browser.close()
    return timings


def time_filter_changes(page: Any) -> dict[str, float]:
    """Each filter change's time in ms on an open finder page, the median of 5 rounds (each change is undone
    after the round, then "clear" times turning the first filter off)."""
    timings: dict[str, list[float]] = {name: [] for name, _ in CHANGES}
    timings["clear"] = []
    for _round in range(5):
        for name, selector in CHANGES:
            timings[name].append(page.evaluate(TIME_CHANGE, selector))
        for _name, selector in reversed(CHANGES):
            page.evaluate(TIME_CHANGE, selector)
        timings["clear"].append(page.evaluate(TIME_CHANGE, CHANGES[0][1]))
        page.evaluate(TIME_CHANGE, CHANGES[0][1])
    return {name: statistics.median(values) for name, values in timings.items()}


def run(sizes: list[int]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        site = build_site(work)
        server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        origin = f"http://127.0.0.1:{server.server_port}"
        print(f"{'services':>9} {'data KB':>9} {'gzip KB':>8}  filter change ms (4x CPU throttling, median of 5)")
        for size in sizes:
            body = data_for(size, work)
            raw = body.encode("utf-8")
            times = time_changes(origin, body)
            figures = ", ".join(f"{name} {value:.1f}" for name, value in times.items())
            print(f"{size:>9} {len(raw) / 1024:>9.1f} {len(gzip.compress(raw, 9)) / 1024:>8.1f}  {figures}")
        server.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    run(parser.parse_args().sizes)


if __name__ == "__main__":
    main()
