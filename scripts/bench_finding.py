"""Benchmark of finding help: what search and the finder download, and how long a search and a filter change take.

Usage: python scripts/bench_finding.py [--sizes 1000 10000] [--work DIR] [--reuse] [--files] [--throttle 4]

For each size N: a synthetic directory (scripts/gen_directory.py, as in bench_site.py) built with `abikaart
build`, served on 127.0.0.1 by a server that gzips text as a static host does (HTML, CSS, JavaScript, JSON;
Pagefind's files are gzip already and go as they are), opened in headless Debian Chromium with the CPU throttled
(CDP Emulation.setCPUThrottlingRate, 4x by default). Bytes are what went over the wire (every request of the page
and its workers' requests: compressed body and headers). Printed per size:

- home: the home page's transfer, and whether it fetched any search file (it must not);
- search: the bytes of the first search (Pagefind's script, wasm, index chunks, fragments, the word list) and
  of each later one, and the time from submitting a query to its results shown, measured in the page;
- finder: its data's bytes (data/finder-et.js as served), and the time of each filter change (a need, a county,
  a language, open now, clearing), from the change event to the end of rendering, median of 5.

`--reuse` with `--work` measures the sites an earlier run built there (a 10,000-service build takes minutes) instead
of generating and building again; `--files` also lists every file the first search fetched with its bytes.

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
from bench_finder import time_filter_changes
from bench_site import BIN, CHROMIUM, abikaart_project, generate, timed

SEARCHES = ("vägivallast", "ohvriabi", "kardan kodus olla", "Narva")
COMPRESSED = (".html", ".css", ".js", ".mjs", ".json", ".svg", ".xml", ".txt")
"""What a static host gzips (GitHub Pages, Netlify, nginx with gzip_types): text, by file type."""
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


class Wire:
    """Every response a page received, its workers' included (Pagefind fetches from a worker, which the page's
    Resource Timing does not see), with its bytes over the wire: the encoded body and the headers."""

    def __init__(self, page: Page) -> None:
        self.seen: list[tuple[str, int]] = []
        page.on("requestfinished", self._finished)

    def _finished(self, request: Any) -> None:
        sizes = request.sizes()
        self.seen.append((request.url, sizes["responseBodySize"] + sizes["responseHeadersSize"]))

    def mark(self) -> int:
        return len(self.seen)

    def since(self, mark: int) -> list[tuple[str, int]]:
        return self.seen[mark:]


def _total(rows: list[tuple[str, int]]) -> int:
    return sum(size for _url, size in rows)


def _page(browser: Any, throttle: float) -> tuple[Page, Wire]:
    page: Page = browser.new_page(viewport={"width": 360, "height": 640})
    wire = Wire(page)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": throttle})
    return page, wire


def _search(page: Page, query: str) -> float:
    took: float = page.evaluate(TIME_SEARCH, query)
    page.wait_for_load_state("networkidle")  # fragments still on their way count for this search
    return took


def _name(url: str) -> str:
    return url.rsplit("/", 1)[-1].split("?")[0]


def measure_search(browser: Any, origin: str, throttle: float, files: bool = False) -> dict[str, float | str]:
    """Home transfer (and whether it fetched a search file), first and later search bytes and times."""
    page, wire = _page(browser, throttle)
    page.goto(origin + "/")
    page.wait_for_load_state("networkidle")
    home = wire.since(0)
    index_files = [url for url, _size in home if "pagefind" in url or "search-words" in url]
    mark = wire.mark()
    first_ms = _search(page, SEARCHES[0])
    first = wire.since(mark)
    later_ms, later_bytes = [], []
    for query in SEARCHES[1:]:
        mark = wire.mark()
        later_ms.append(_search(page, query))
        later_bytes.append(_total(wire.since(mark)))
    page.close()
    biggest = sorted(first, key=lambda row: -row[1])[:4]
    return {"home KB": _total(home) / 1000, "home search files": str(len(index_files)),
            "first search KB": _total(first) / 1000,
            "first search biggest": " ".join(f"{_name(url)}={size / 1000:.1f}" for url, size in biggest),
            **({"first search files": " ".join(f"{_name(url)}={size / 1000:.1f}" for url, size in first)}
               if files else {}),
            "later search KB": statistics.mean(later_bytes) / 1000,
            "first search ms": first_ms, "later search ms": statistics.median(later_ms)}


def measure_finder(browser: Any, origin: str, throttle: float) -> dict[str, float]:
    """The finder data's bytes as served, and each filter change's time (median of 5)."""
    page, wire = _page(browser, throttle)
    page.goto(origin + "/finder/")
    page.wait_for_selector("#abi-finder-form:not([hidden])")
    data = sum(size for url, size in wire.since(0) if "/data/finder-et.js" in url)
    timings = time_filter_changes(page)
    page.close()
    return {"finder data KB": data / 1000, **{f"filter {name} ms": value for name, value in timings.items()}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--reuse", action="store_true", help="measure the sites already built under --work")
    parser.add_argument("--files", action="store_true", help="list every file the first search fetched")
    parser.add_argument("--throttle", type=float, default=4.0)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-finding-"))
    for n in args.sizes:
        site = work / f"site-{n}" / "site"
        if args.reuse and (site / "index.html").is_file():
            built = "build reused"
        else:
            config = abikaart_project(work / f"site-{n}", generate(n, work / f"data-{n}"))
            wall, cpu, _log = timed([str(BIN / "abikaart"), "build", "--config", str(config), "--site-dir", str(site)])
            built = f"build {wall:.1f} s ({cpu:.1f} s CPU)"
        server, origin = serve(site)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            row = {**measure_search(browser, origin, args.throttle, args.files),
                   **measure_finder(browser, origin, args.throttle)}
            browser.close()
        server.shutdown()
        figures = ", ".join(f"{k} {v}" if isinstance(v, str) else f"{k} {v:.1f}" for k, v in row.items())
        print(f"{n} services ({args.throttle:g}x CPU throttling): {built}; {figures}",
              flush=True)


if __name__ == "__main__":
    main()
