"""Benchmark of finding help: what search and the finder download, and how long a search and a filter change take.

Usage: python scripts/bench_finding.py [--sizes 1000 10000] [--work DIR] [--throttle 4]

For each size N: a synthetic directory (scripts/gen_directory.py, as in bench_site.py) built with `abikaart
build`, served on 127.0.0.1 by a server that gzips text as a static host does (HTML, CSS, JavaScript, JSON;
Pagefind's files are gzip already and go as they are), opened in headless Debian Chromium with the CPU throttled
(CDP Emulation.setCPUThrottlingRate, 4x by default). Bytes are what went over the wire (Resource Timing's
transferSize: compressed body and headers; nothing for a cache hit). Printed per size:

- home: the home page's transfer, and whether it fetched any search file (it must not);
- search: the bytes of the first search (Pagefind's script, wasm, index chunks, fragments, the word list) and
  of each later one, and the time from submitting a query to its results shown, measured in the page;
- finder: its data's bytes (data/finder-et.js as served), and the time of each filter change (a need, a county,
  a language, open now, clearing), from the change event to the end of rendering, median of 5.

Figures, not assertions: the goals (a filter change and a search under 50 ms and the first search under 150 KB
at 10,000 services) are read off. Timings on a loaded machine say little; run it on a quiet one.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import statistics
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_finder import CHANGES, TIME_CHANGE
from bench_site import BIN, CHROMIUM, abikaart_project, generate, timed

SEARCHES = ("vägivallast", "ohvriabi", "kardan kodus olla", "Narva")
COMPRESSED = (".html", ".css", ".js", ".mjs", ".json", ".svg", ".xml", ".txt")
"""What a static host gzips (GitHub Pages, Netlify, nginx with gzip_types): text, by file type."""
TRANSFER = """() => performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))
  .map(e => [e.name, e.transferSize])"""
TIME_SEARCH = """async (query) => {
  const input = document.getElementById('abi-search-input');
  const list = document.getElementById('abi-search-results');
  input.value = query;
  const start = performance.now();
  const done = new Promise((resolve) => {
    const watch = new MutationObserver(() => {
      if (list.getAttribute('aria-busy') === 'false') { watch.disconnect(); resolve(performance.now() - start); }
    });
    watch.observe(list, {attributes: true, attributeFilter: ['aria-busy']});
  });
  input.form.requestSubmit();
  return await done;
}"""


class GzipHandler(SimpleHTTPRequestHandler):
    """A quiet static server that gzips text when the browser accepts it, as a static host does."""

    def log_message(self, format: str, *args: Any) -> None:
        return None

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.is_file() and path.suffix in COMPRESSED):
            return super().send_head()
        body = _compressed(str(path), path.stat().st_mtime_ns)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=86400")
        self.end_headers()
        return BytesIO(body)


@functools.lru_cache(maxsize=4096)
def _compressed(path: str, _mtime: int) -> bytes:
    return gzip.compress(Path(path).read_bytes(), 6)


def serve(site: Path) -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


def transfers(page: Page) -> dict[str, int]:
    """Bytes over the wire per address so far (the last load of each)."""
    return {name: size for name, size in page.evaluate(TRANSFER)}


def _new(after: dict[str, int], before: dict[str, int]) -> int:
    return sum(size for name, size in after.items() if name not in before)


def _page(browser: Any, throttle: float) -> Page:
    page: Page = browser.new_page(viewport={"width": 360, "height": 640})
    page.add_init_script("performance.setResourceTimingBufferSize(100000)")
    cdp = page.context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": throttle})
    return page


def measure_search(browser: Any, origin: str, throttle: float) -> dict[str, float | str]:
    """Home transfer (and whether it fetched a search file), first and later search bytes and times."""
    page = _page(browser, throttle)
    page.goto(origin + "/")
    page.wait_for_load_state("networkidle")
    home = transfers(page)
    index_files = [name for name in home if "pagefind" in name or "search-words" in name]
    first_ms = page.evaluate(TIME_SEARCH, SEARCHES[0])
    after_first = transfers(page)
    later_ms, later_bytes, seen = [], [], after_first
    for query in SEARCHES[1:]:
        later_ms.append(page.evaluate(TIME_SEARCH, query))
        now = transfers(page)
        later_bytes.append(_new(now, seen))
        seen = now
    page.close()
    return {"home KB": sum(home.values()) / 1000, "home search files": str(len(index_files)),
            "first search KB": _new(after_first, home) / 1000, "later search KB": statistics.mean(later_bytes) / 1000,
            "first search ms": first_ms, "later search ms": statistics.median(later_ms)}


def measure_finder(browser: Any, origin: str, throttle: float) -> dict[str, float]:
    """The finder data's bytes as served, and each filter change's time (median of 5)."""
    page = _page(browser, throttle)
    page.goto(origin + "/finder/")
    page.wait_for_selector("#abi-finder-form:not([hidden])")
    data = sum(size for name, size in transfers(page).items() if "/data/finder-et.js" in name)
    timings: dict[str, list[float]] = {name: [] for name, _ in CHANGES}
    timings["clear"] = []
    for _round in range(5):
        for name, selector in CHANGES:
            timings[name].append(page.evaluate(TIME_CHANGE, selector))
        for _name, selector in reversed(CHANGES):
            page.evaluate(TIME_CHANGE, selector)
        timings["clear"].append(page.evaluate(TIME_CHANGE, CHANGES[0][1]))
        page.evaluate(TIME_CHANGE, CHANGES[0][1])
    page.close()
    return {"finder data KB": data / 1000,
            **{f"filter {name} ms": statistics.median(values) for name, values in timings.items()}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--throttle", type=float, default=4.0)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-finding-"))
    for n in args.sizes:
        config = abikaart_project(work / f"site-{n}", generate(n, work / f"data-{n}"))
        site = config.parent / "site"
        wall, cpu = timed([str(BIN / "abikaart"), "build", "--config", str(config), "--site-dir", str(site)])
        server, origin = serve(site)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            row = {**measure_search(browser, origin, args.throttle), **measure_finder(browser, origin, args.throttle)}
            browser.close()
        server.shutdown()
        figures = ", ".join(f"{k} {v}" if isinstance(v, str) else f"{k} {v:.1f}" for k, v in row.items())
        print(f"{n} services ({args.throttle:g}x CPU throttling): build {wall:.1f} s ({cpu:.1f} s CPU); {figures}",
              flush=True)


if __name__ == "__main__":
    main()
