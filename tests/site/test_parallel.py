"""fork_map spreads work over forked children when that is safe, and runs it here when it is not."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

from abikaart.site.parallel import fork_map

CHILD_PIDS = """
import os
from abikaart.site.parallel import fork_map
os.cpu_count = lambda: 2  # as on the machines this runs on; one core would run the work in this process
pids = fork_map(lambda item: (item * 2, os.getpid()), list(range(8)))
assert [value for value, _ in pids] == list(range(0, 16, 2)), pids
print(len({pid for _, pid in pids} - {os.getpid()}))
"""


def test_work_runs_in_forked_children_in_order() -> None:
    done = subprocess.run([sys.executable, "-c", CHILD_PIDS], capture_output=True, text=True, check=True)
    assert int(done.stdout) >= 1  # at least one child did some of the work, and the results kept their order


def test_a_failure_in_a_child_fails_the_call() -> None:
    script = "from abikaart.site.parallel import fork_map\nfork_map(lambda item: 1 // item, [1, 0, 2])"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert done.returncode == 1 and "ZeroDivisionError" in done.stderr


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
