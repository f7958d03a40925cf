"""How well Pagefind's ranking settings rank the expected services for the queries of the search test.

Usage: python scripts/bench_ranking.py [--site DIR] [--ranking JSON ...]

Builds the bundled site once (`abikaart build`, or measures `--site` if it holds a built site), serves it on
127.0.0.1 and, in headless Debian Chromium, runs every query of `tests/browser/test_search.py` on the home page
of its language, once per ranking setting. A setting (`{"pageLength": 0}`, Pagefind's `ranking` option) becomes
search.js's `RANKING` (what it passes to `pagefind.options`) in the browser only; `{}` is Pagefind's default and
`current` is search.js as built. Printed per setting: how many queries put an expected service first and in
the top 3, and with `--misses` the queries that did not put one first.
"""

from __future__ import annotations

import argparse
import functools
import json
import re
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, Route, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from abikaart.directory import load_directory  # noqa: E402
from browser.test_search import QUERIES, RESULT_LINKS, expected_services  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CANDIDATES = ("current", "{}", '{"pageLength": 0}', '{"pageLength": 0.25}', '{"pageLength": 0.5}',
              '{"termSaturation": 0.5}', '{"termSaturation": 2}', '{"pageLength": 0.25, "termSaturation": 0.5}',
              '{"termFrequency": 0.5}', '{"pageLength": 0.25, "termFrequency": 0.5}', '{"termSimilarity": 2}',
              '{"metaWeights": {"title": 1}}', '{"pageLength": 0.25, "metaWeights": {"title": 1}}')
_RANKING = re.compile(r"var RANKING = \{[^;]*\};")
SEARCH = """async (query) => {
  const input = document.getElementById('abi-search-input');
  const list = document.getElementById('abi-search-results');
  input.value = query;
  const done = new Promise((resolve) => {
    const watch = new MutationObserver(() => {
      if (list.getAttribute('aria-busy') === 'false') { watch.disconnect(); resolve(); }
    });
    watch.observe(list, {attributes: true, attributeFilter: ['aria-busy']});
  });
  input.form.requestSubmit();
  await done;
  return [...document.querySelectorAll(arguments_links)].slice(0, 3).map(e => e.getAttribute('href'));
}""".replace("arguments_links", json.dumps(RESULT_LINKS))


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return None


def build(out: Path) -> Path:
    """The public site built from the bundled directory into `out`."""
    command = [str(Path(sys.executable).with_name("abikaart")), "build", "--config", str(ROOT / "mkdocs.yml"),
               "--site-dir", str(out)]
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True, text=True)
    return out


def with_ranking(script: str, ranking: str) -> str:
    """search.js with `ranking` as its `RANKING` (`current`: as built)."""
    if ranking == "current":
        return script
    changed, count = _RANKING.subn(f"var RANKING = {ranking};", script)
    assert count == 1, "search.js no longer sets its ranking in one `var RANKING = {...};`"
    return changed


def ids(hrefs: list[str]) -> list[str]:
    """The service ids among result links, `None` for another kind of page (it keeps its place)."""
    return [href.rstrip("/").rsplit("/", 1)[-1] if "/directory/service/" in href else "" for href in hrefs]


def measure(page: Page, origin: str, expected: dict[str, list[tuple[str, set[str]]]]) -> tuple[int, int, list[str]]:
    """Queries with an expected service first, in the top 3, and the misses of the first place."""
    first = top = 0
    misses = []
    for language, queries in expected.items():
        page.goto(f"{origin}/{'' if language == 'et' else language + '/'}")
        for query, wanted in queries:
            found = ids(page.evaluate(SEARCH, query))
            first += bool(found and found[0] in wanted)
            top += bool(set(found) & wanted)
            if not (found and found[0] in wanted):
                misses.append(f"  {language} {query!r}: {found}")
    return first, top, misses


def serving(body: str) -> Callable[[Route], None]:
    """A route handler answering with `body` as JavaScript."""
    return lambda route: route.fulfill(body=body, content_type="text/javascript")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--site", type=Path, default=None, help="a site built earlier (built here if missing)")
    parser.add_argument("--ranking", nargs="+", default=list(CANDIDATES))
    parser.add_argument("--misses", action="store_true")
    args = parser.parse_args()
    site = args.site or Path(tempfile.mkdtemp(prefix="bench-ranking-")) / "site"
    if not (site / "index.html").is_file():
        build(site)
    loaded = load_directory(ROOT / "directory", base=ROOT).directory
    assert loaded is not None
    expected = {lang: [(query, expected_services(loaded, spec)) for query, spec in queries]
                for lang, queries in QUERIES.items()}
    total = sum(len(queries) for queries in expected.values())
    script = (site / "assets/abikaart/search.js").read_text(encoding="utf-8")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_port}"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for ranking in args.ranking:
            page = browser.new_page()
            page.route("**/assets/abikaart/search.js", serving(with_ranking(script, ranking)))
            page.route(lambda url: not url.startswith(origin + "/"), lambda route: route.abort())  # no network
            first, top, misses = measure(page, origin, expected)
            page.close()
            print(f"{ranking}: first {first}/{total}, top 3 {top}/{total}", flush=True)
            if args.misses:
                print("\n".join(misses), flush=True)
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
