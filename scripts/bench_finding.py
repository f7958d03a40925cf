"""Benchmark of finding help: what search downloads and how long it takes (the finder part is added separately).

Usage: python scripts/bench_finding.py [--sizes 1000 10000] [--work DIR]

For each size N: a synthetic directory (scripts/gen_directory.py, as in bench_site.py) built with `abikaart
build`, served on 127.0.0.1, opened in headless Debian Chromium with 4x CPU throttling
(Emulation.setCPUThrottlingRate). Printed: the home page's transfer (it must hold no search index), the
compressed bytes of the first search and of a later one, and the time from typing to results. Figures, not
assertions: the goals (a search under 50 ms, the first search under 150 KB at 10,000 services) are read off.
"""

from __future__ import annotations

import argparse
import functools
import sys
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_site import BIN, abikaart_project, generate, timed

SEARCHES = ("vägivallast", "ohvriabi", "kardan kodus olla")


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return None


def transferred(page: Page) -> int:
    """Compressed bytes the page has fetched so far (Resource Timing's transferSize; gzip as a host serves)."""
    return int(page.evaluate("performance.getEntriesByType('resource').concat(performance.getEntriesByType("
                             "'navigation')).reduce((sum, e) => sum + (e.encodedBodySize || 0), 0)"))


def search_ms(page: Page, query: str) -> float:
    start = time.perf_counter()
    page.fill("#abi-search-input", query)
    page.locator("#abi-search-input").press("Enter")
    page.wait_for_selector("#abi-search-results[aria-busy='false']")
    return (time.perf_counter() - start) * 1000


def measure_search(origin: str, throttle: float = 4.0) -> dict[str, float]:
    """Home transfer, first and later search bytes and times, in one fresh profile."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page()
        cdp = page.context.new_cdp_session(page)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": throttle})
        page.goto(origin + "/")
        page.wait_for_load_state("networkidle")
        home = transferred(page)
        first_ms = search_ms(page, SEARCHES[0])
        first = transferred(page) - home
        later_ms = [search_ms(page, query) for query in SEARCHES[1:]]
        later = transferred(page) - home - first
        browser.close()
    return {"home_kb": home / 1000, "first_kb": first / 1000, "later_kb": later / 1000 / len(SEARCHES[1:]),
            "first_ms": first_ms, "later_ms": sum(later_ms) / len(later_ms)}


def serve(site: Path) -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--work", type=Path, default=None)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-finding-"))
    for n in args.sizes:
        config = abikaart_project(work / f"site-{n}", generate(n, work / f"data-{n}"))
        site = config.parent / "site"
        seconds = timed([str(BIN / "abikaart"), "build", "--config", str(config), "--site-dir", str(site)])
        server, origin = serve(site)
        row = measure_search(origin)
        server.shutdown()
        print(f"{n} services: build {seconds:.1f} s; " + ", ".join(f"{k} {v:.1f}" for k, v in row.items()),
              flush=True)


if __name__ == "__main__":
    main()
