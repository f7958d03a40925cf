"""How long the public exports take, and how large they are, for a synthetic directory of N services.

Usage: python scripts/bench_export.py [--sizes 1000] [--repeat 3] [--directory DIR]

For each size it generates a directory (scripts/gen_directory.py) in a temp folder, loads it once, then times
each export (median of --repeat runs): our JSON, CSV and HSDS 3.0 for one language, the whole `write_exports`
(7 files), and validating the HSDS output against Open Referral's compiled service schema (what the test does).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

from abikaart import export
from abikaart.directory import load_directory

HERE = Path(__file__).resolve().parent
HSDS_SERVICE = HERE.parent / "tests" / "data" / "hsds-3.0" / "compiled" / "service.json"
"""Open Referral's compiled service schema, vendored for the tests (its README says from where)."""


def _median(function: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def bench_directory(root: Path, repeat: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        result = load_directory(root)
        load = time.perf_counter() - start
        directory = result.directory
        if directory is None:
            errors = [p.text() for p in result.problems if p.level == "error"]
            sys.exit(f"the generated directory does not load ({len(errors)} errors), e.g. {errors[0]}")
        print(f"{len(directory.services)} services, load {load:.2f} s")
        for name, function in [
            ("json", lambda: json.dumps(export.to_json(directory), ensure_ascii=False)),
            ("csv (et)", lambda: export.to_csv(directory, "et")),
            ("hsds (et)", lambda: json.dumps(export.to_hsds(directory, "et"), ensure_ascii=False)),
        ]:
            seconds, text = _median(function, repeat)
            print(f"  {name:<10} {seconds * 1000:8.0f} ms  {len(text.encode()) / 1e6:6.1f} MB")
        out = Path(tmp) / "out"
        seconds, written = _median(lambda: export.write_exports(directory, out), repeat)
        total = sum(path.stat().st_size for path in written)
        print(f"  {'all files':<10} {seconds * 1000:8.0f} ms  {total / 1e6:6.1f} MB in {len(written)} files")
        if HSDS_SERVICE.is_file():
            validator = Draft202012Validator(json.loads(HSDS_SERVICE.read_text()), format_checker=FormatChecker())
            services = export.to_hsds(directory, "et")
            seconds, errors = _median(lambda: sum(1 for s in services for _ in validator.iter_errors(s)), 1)
            print(f"  {'validate':<10} {seconds * 1000:8.0f} ms  {errors} HSDS schema error(s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000])
    parser.add_argument("--directory", type=Path, help="Time this directory instead of generated ones.")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if args.directory:
        bench_directory(args.directory, args.repeat)
        return
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp) / "directory"
            subprocess.run([sys.executable, str(HERE / "gen_directory.py"), str(size), "--out", str(root)],
                           check=True, capture_output=True)
            bench_directory(root, args.repeat)


if __name__ == "__main__":
    main()
