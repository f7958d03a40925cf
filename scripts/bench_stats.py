"""Benchmark: all KPIs and staffing tables for one year (~60k contacts) and ten years (~600k), and one
month's `stats report` (the six notebooks through papermill, each timed).

Each size runs in a fresh subprocess so peak memory (ru_maxrss) is its own.  Usage:
    .venv/bin/python scripts/bench_stats.py            # 1 and 10 years, then the report for 2026-10
    .venv/bin/python scripts/bench_stats.py --years 1  # one size only (prints JSON)
    .venv/bin/python scripts/bench_stats.py --report   # the report only
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from abikaart.stats import contract, kpi, language, report, staffing, synth, unmet, workload


def all_tables(df, roster):  # type: ignore[no-untyped-def]
    """Every KPI and staffing table the notebooks compute, on the whole data set."""
    d = kpi.with_calendar(df)
    out = {f"kpi_{by}": kpi.kpi_table(d, by) for by in ("channel", "hour", "weekday", "language", "need",
                                                         "month")}
    out["kpi_all"] = kpi.kpi_table(d)
    out["email"] = kpi.email_response(d)
    out["staffing"] = staffing.staffing_table(d, roster)
    out["ru"] = staffing.language_staffing(d, "ru", roster)
    out["en"] = staffing.language_staffing(d, "en", roster)
    return out


def other_tables(df, roster):  # type: ignore[no-untyped-def]
    """Unmet demand and workload tables (reported separately)."""
    return {"unmet": unmet.unmet_table(df, roster), "workload": workload.team_workload(workload.shift_summary(df)),
            "language": language.language_trend(df)}


def run_one(years: int) -> dict[str, float]:
    """Synthesise `years` years ending 2026 and time the tables; memory is this process's peak."""
    roster = synth.default_roster()
    t0 = time.perf_counter()
    df = synth.synthesize(start=dt.date(2027 - years, 1, 1), end=dt.date(2026, 12, 31), seed=1)
    t1, c1 = time.perf_counter(), time.process_time()
    all_tables(df, roster)
    t2, c2 = time.perf_counter(), time.process_time()
    other_tables(df, roster)
    t3 = time.perf_counter()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"years": years, "rows": len(df), "synth_s": t1 - t0, "kpi_staffing_s": t2 - t1,
            "kpi_staffing_cpu_s": c2 - c1, "unmet_workload_s": t3 - t2, "peak_rss_mb": rss_mb}


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the notebooks' kernels), user + system."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def run_report(month: str = "2026-10") -> None:
    """Time `stats report` for one month of a synthetic year: each notebook and the whole run."""
    with tempfile.TemporaryDirectory(prefix="abikaart-bench-") as tmp:
        data = contract.write_contacts(synth.synthesize(2026, seed=1), Path(tmp) / "contacts.csv")
        marks: list[tuple[str, float, float]] = []
        t0, cpu0 = time.perf_counter(), cpu_seconds()
        report.run_report(month, data, Path(tmp) / "out", Path(tmp) / "docs",
                          progress=lambda i, n, name: marks.append((name, time.perf_counter(), cpu_seconds())))
        end, cpu_end = time.perf_counter(), cpu_seconds()
    stops = [(m[1], m[2]) for m in marks[1:]] + [(end, cpu_end)]
    for (name, start, cpu_start), (stop, cpu_stop) in zip(marks, stops, strict=True):
        # a kernel's CPU is counted once it has exited, so each line's CPU is its notebook's own
        print(f"report {month}  {name:<22} {stop - start:6.2f} s  CPU {cpu_stop - cpu_start:6.2f} s")
    print(f"report {month}  all {len(marks)} notebooks       {end - t0:6.2f} s  CPU {cpu_end - cpu0:6.2f} s")


def main() -> None:
    """Run both sizes in subprocesses and print the figures and the 10y/1y ratio, then the report."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--years", type=int)
    parser.add_argument("--report", action="store_true", help="time one month's stats report only")
    args = parser.parse_args()
    if args.years:
        print(json.dumps(run_one(args.years)))
        return
    if args.report:
        run_report()
        return
    results = []
    for years in (1, 10):
        out = subprocess.run([sys.executable, __file__, "--years", str(years)], capture_output=True, text=True,
                             check=True).stdout
        results.append(json.loads(out.strip().splitlines()[-1]))
    for r in results:
        print(f"{r['years']:>2} y  {r['rows']:>8,} rows  KPIs+staffing {r['kpi_staffing_s']:6.2f} s "
              f"(CPU {r['kpi_staffing_cpu_s']:5.2f} s)  "
              f"unmet+workload {r['unmet_workload_s']:6.2f} s  synth {r['synth_s']:6.2f} s  "
              f"peak RSS {r['peak_rss_mb']:7.0f} MB")
    ratio = results[1]["kpi_staffing_s"] / results[0]["kpi_staffing_s"]
    print(f"10y/1y time ratio (KPIs+staffing): {ratio:.2f}  (rows ratio "
          f"{results[1]['rows'] / results[0]['rows']:.2f})")
    run_report()


if __name__ == "__main__":
    main()
