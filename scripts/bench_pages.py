"""How much a first visit transfers: the home page's whole first load, and a service page's HTML, compressed.

Usage: python scripts/bench_pages.py [--site DIR]

Without --site it builds the public site from the bundled directory/ (`abikaart build`) into a temp folder. It
serves the site from 127.0.0.1 with gzip (level 6, what common static hosts use), opens each language's home page
in a fresh Debian Chromium profile (empty cache), waits until the network is idle and sums the compressed bytes
of every response Chromium received (HTML, CSS, JS, icons, search index: everything the first load fetched).
Then it gzips each language's service pages and prints the largest. Budgets (issue 4): home page first load at
most 80 KB in total, a service page at most 15 KB of compressed HTML (1 KB = 1024 bytes).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import mimetypes
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, Request, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
LANGS = {"et": "", "ru": "ru/", "en": "en/"}
HOME_BUDGET_KB = 80
SERVICE_BUDGET_KB = 15
GZIP_LEVEL = 6
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "application/xml", "image/svg+xml")


class GzipHandler(SimpleHTTPRequestHandler):
    """Static files, gzipped when the browser accepts it and the type compresses."""

    def log_message(self, format: str, *args: Any) -> None:
        return None

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file():
            self.send_error(404)
            return
        body, kind = path.read_bytes(), _kind(path)
        gzipped = "gzip" in self.headers.get("Accept-Encoding", "") and kind.startswith(COMPRESSIBLE)
        if gzipped:
            body = gzip.compress(body, GZIP_LEVEL)
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        if gzipped:
            self.send_header("Content-Encoding", "gzip")
        self.end_headers()
        self.wfile.write(body)


def _kind(path: Path) -> str:
    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"


@contextmanager
def serve(site: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def build(target: Path) -> Path:
    """The public site as `abikaart build` makes it."""
    command = [str(Path(sys.executable).with_name("abikaart")), "build", "--site-dir", str(target)]
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
    return target


def compressed_size(site: Path, path: str) -> int:
    """Bytes the file at site path `path` takes on the wire: gzipped if its type compresses."""
    file = site / path.split("?")[0].lstrip("/")
    if file.is_dir():
        file = file / "index.html"
    body = file.read_bytes()
    return len(gzip.compress(body, GZIP_LEVEL)) if _kind(file).startswith(COMPRESSIBLE) else len(body)


def _paths(requests: list[Request], origin: str) -> list[str]:
    """Site paths of the requests made to our server (each counted once)."""
    return list(dict.fromkeys(r.url.removeprefix(origin) for r in requests if r.url.startswith(origin + "/")))


def _recorded(page: Page) -> list[Request]:
    """The list that every finished request of `page` is appended to."""
    finished: list[Request] = []

    def keep(request: Request) -> None:
        finished.append(request)

    page.on("requestfinished", keep)
    return finished


def first_loads(site: Path, origin: str) -> dict[str, list[tuple[str, int]]]:
    """Per language: (path, gzip bytes) of every response of a first visit to the home page.

    The sizes are those of the files gzipped here: Chromium reports 0 bytes for what a web worker fetches
    (Material's search worker), which would make the search cost invisible.
    """
    loads = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu", "--disable-quic"]
        )
        for lang, prefix in LANGS.items():
            context = browser.new_context()
            page = context.new_page()
            finished = _recorded(page)
            page.goto(f"{origin}/{prefix}", wait_until="networkidle")
            loads[lang] = [(path, compressed_size(site, path)) for path in _paths(finished, origin)]
            context.close()
        browser.close()
    return loads


def service_pages(site: Path, prefix: str) -> list[tuple[int, str]]:
    """(gzip bytes, path) of every service page of one language, largest first."""
    folder = site / prefix / "directory" / "service"
    pages = folder.glob("*/*.html")
    sizes = [(len(gzip.compress(p.read_bytes(), GZIP_LEVEL)), str(p.relative_to(site))) for p in pages]
    return sorted(sizes, reverse=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, help="an already built site (default: build one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site or build(Path(tmp) / "site")
        with serve(site) as origin:
            loads = first_loads(site, origin)
        print(f"Home page first load, gzip {GZIP_LEVEL} (budget {HOME_BUDGET_KB} KB):")
        for lang, responses in loads.items():
            total = sum(size for _, size in responses)
            verdict = "ok" if total <= HOME_BUDGET_KB * 1024 else "OVER BUDGET"
            print(f"  {lang}: {total / 1024:6.1f} KB in {len(responses)} responses  {verdict}")
            for path, size in sorted(responses, key=lambda item: -item[1]):
                print(f"      {size / 1024:6.1f} KB  {path}")
        print(f"Service page HTML, gzip {GZIP_LEVEL} (budget {SERVICE_BUDGET_KB} KB):")
        for lang, prefix in LANGS.items():
            sizes = service_pages(site, prefix)
            if not sizes:
                print(f"  {lang}: no service pages")
                continue
            largest, path = sizes[0]
            median = sizes[len(sizes) // 2][0]
            verdict = "ok" if largest <= SERVICE_BUDGET_KB * 1024 else "OVER BUDGET"
            print(
                f"  {lang}: largest {largest / 1024:.1f} KB ({path}), median {median / 1024:.1f} KB, "
                f"{len(sizes)} pages  {verdict}"
            )


if __name__ == "__main__":
    main()
