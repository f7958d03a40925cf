"""How fast the directory loads and validates, against PyYAML's C loader alone on the same files.

Usage: python scripts/bench_validate.py [--sizes 1000 10000] [--repeat 3]

For each size it generates a synthetic directory (scripts/gen_directory.py) in a temp folder, then in a
fresh Python process (so caches start cold and peak memory is that size's alone) times:
  * plain: read every file and `yaml.load(..., Loader=yaml.CSafeLoader)`;
  * validate: `load_directory` (parse, pydantic models, cross-file checks, warnings).
Both are timed in the same processes. It prints the best of --repeat processes (sizes interleaved; the
minimum is the least disturbed by other work on the machine), their ratio, validate's CPU time, the growth
from the smallest to the largest size, and the peak resident memory of the process.
Goals: 10k services under 3 s, ratio under 4, 10k/1k under 12, peak under 500 MB.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from gen_directory import generate  # noqa: E402


def measure(root: Path) -> dict[str, float]:
    """One cold measurement in this process: plain C-loader time, load+validate time, peak memory."""
    from abikaart.directory import load_directory
    from abikaart.loading import find_files

    files = find_files(root)
    for path in files:  # warm the OS file cache for both runs alike
        path.read_bytes()
    start = time.perf_counter()
    for path in files:
        yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
    plain = time.perf_counter() - start
    start, cpu = time.perf_counter(), time.process_time()
    result = load_directory(root, base=root.parent)
    validate, validate_cpu = time.perf_counter() - start, time.process_time() - cpu
    errors = sum(problem.level == "error" for problem in result.problems)
    if errors or result.directory is None:
        raise SystemExit(f"generated directory has {errors} error(s): {result.problems[:3]}")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"plain": plain, "validate": validate, "validate_cpu": validate_cpu, "peak_mb": peak_mb,
            "services": len(result.directory.services), "files": len(files)}


def _run_child(root: Path) -> dict[str, float]:
    output = subprocess.run([sys.executable, __file__, "--measure", str(root)], check=True,
                            capture_output=True, text=True).stdout
    return dict(json.loads(output))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=3, help="fresh processes per size; the median is shown")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure)))
        return 0
    work = Path(tempfile.mkdtemp(prefix="abikaart-bench-"))
    try:
        roots = {size: generate(size, work / f"d{size}" / "directory") for size in args.sizes}
        runs: dict[int, list[dict[str, float]]] = {size: [] for size in args.sizes}
        for _ in range(args.repeat):  # sizes interleaved, so a burst of load elsewhere hits all of them
            for size, root in roots.items():
                runs[size].append(_run_child(root))
        print(f"{'services':>9} {'files':>6} {'lines':>8} {'plain s':>8} {'validate s':>10} {'ratio':>6} "
              f"{'cpu s':>6} {'peak MB':>8}")
        best: dict[int, float] = {}
        best_cpu: dict[int, float] = {}
        for size, root in roots.items():
            lines = sum(p.read_bytes().count(b"\n") for p in root.rglob("*.yaml"))
            plain = min(run["plain"] for run in runs[size])
            validate = min(run["validate"] for run in runs[size])
            ratio = validate / plain
            cpu = min(run["validate_cpu"] for run in runs[size])
            peak = max(run["peak_mb"] for run in runs[size])
            best[size], best_cpu[size] = validate, cpu
            print(f"{size:>9} {int(runs[size][0]['files']):>6} {lines:>8} {plain:>8.3f} {validate:>10.3f} "
                  f"{ratio:>6.2f} {cpu:>6.2f} {peak:>8.0f}")
        if len(best) > 1:
            small, large = min(best), max(best)
            print(f"growth {large}/{small} services: {best[large] / best[small]:.2f}x wall, "
                  f"{best_cpu[large] / best_cpu[small]:.2f}x cpu (linear would be {large / small:.0f}x)")
        print(f"best of {args.repeat} fresh processes per size, both timed in each; ratio = validate / plain; "
              "cpu = validate's CPU time, steadier than wall time on a busy machine")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
