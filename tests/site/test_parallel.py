"""fork_map spreads work over forked children when that is safe, and runs it here when it is not; whatever goes
wrong in a child reaches the parent, which never waits for a child that is gone.

Each case runs in a fresh interpreter with `os.cpu_count` set to 2, so that the work really is forked (one core
would run it in the parent, and a failure there would prove nothing about children)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading

from abikaart.site.parallel import fork_map

FORKED = """
import json, os, sys
os.cpu_count = lambda: 2
from abikaart.site.parallel import fork_imap, fork_map
PARENT = os.getpid()
"""


def _run(body: str) -> subprocess.CompletedProcess[str]:
    """Run `body` after FORKED in a new interpreter; a hang fails the test instead of stalling the suite."""
    return subprocess.run([sys.executable, "-c", FORKED + body], capture_output=True, text=True, timeout=60,
                          check=False)


def test_work_runs_in_forked_children_in_order() -> None:
    done = _run("""
results = fork_map(lambda item: (item * 2, os.getpid()), list(range(8)))
print(json.dumps({"values": [v for v, _ in results], "pids": sorted({p for _, p in results}), "parent": PARENT}))
""")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["values"] == list(range(0, 16, 2))  # every result, in the order of the items
    assert report["parent"] not in report["pids"]  # none of the work ran in the parent
    assert 1 <= len(report["pids"]) <= 2  # no more children than cores


def test_a_childs_exception_reaches_the_parent() -> None:
    """The exception raised in a child (its message names the child's pid) is raised again in the parent."""
    done = _run("""
def work(item):
    if item == 5:
        raise ZeroDivisionError(f"raised in {os.getpid()}")
    return item
try:
    fork_map(work, list(range(8)))
except ZeroDivisionError as error:
    print(json.dumps({"raised_in": int(str(error).split()[-1]), "parent": PARENT}))
""")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["raised_in"] != report["parent"]


def test_an_uncaught_child_exception_fails_the_program() -> None:
    done = _run("fork_map(lambda item: 1 // item, [1, 0, 2])")
    assert done.returncode == 1
    assert "ZeroDivisionError" in done.stderr


def test_a_child_that_dies_fails_the_call_instead_of_hanging() -> None:
    """A child killed (out of memory, a signal, os._exit) must not leave the build waiting for ever."""
    done = _run("""
from concurrent.futures.process import BrokenProcessPool
def work(item):
    if item == 3:
        os._exit(9)
    return item
try:
    list(fork_imap(work, list(range(8)), chunksize=1))
except BrokenProcessPool:
    print("broken")
""")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "broken"


def test_a_child_that_exits_fails_the_program_with_its_code() -> None:
    done = _run("fork_map(lambda item: sys.exit(3) if item == 2 else item, list(range(6)))\nprint('finished')")
    assert done.returncode == 3
    assert "finished" not in done.stdout


def test_with_another_thread_alive_the_work_stays_in_this_process() -> None:
    stop = threading.Event()
    watcher = threading.Thread(target=stop.wait)  # as `mkdocs serve`'s file watcher
    watcher.start()
    try:
        assert fork_map(lambda item: (item, os.getpid()), [1, 2, 3]) == [(1, os.getpid()), (2, os.getpid()),
                                                                         (3, os.getpid())]
    finally:
        stop.set()
        watcher.join()
