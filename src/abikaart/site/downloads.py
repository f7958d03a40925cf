"""The open-data downloads, written by a second process while this one builds the pages.

The exports (JSON, CSV and HSDS in three languages) took an eighth of a 10k-service build, and the page build
keeps one core busy: a forked child inherits the loaded directory without copying or pickling it and writes the
files on the other core. Forking is only safe in a process with no other thread (`mkdocs serve` runs a watcher
thread), so there, and where fork does not exist, the files are written in place, as before.
"""

from __future__ import annotations

import multiprocessing
import threading
from multiprocessing.pool import AsyncResult, Pool
from pathlib import Path

from abikaart.directory import Directory
from abikaart.export import write_exports

_job: tuple[Directory, Path] | None = None
"""What the forked child writes: set just before the fork, so the child finds it without pickling."""


def _write_job() -> list[str]:
    assert _job is not None
    return [path.name for path in write_exports(*_job)]


class Downloads:
    """Writes the exports in the background (`start`) and waits for them (`finish`), or does both at `finish`."""

    def __init__(self) -> None:
        self._pool: Pool | None = None
        self._result: AsyncResult[list[str]] | None = None
        self._job: tuple[Directory, Path] | None = None

    def start(self, directory: Directory, out_dir: Path) -> None:
        global _job
        self.cancel()
        self._job = (directory, out_dir)
        if threading.active_count() > 1 or "fork" not in multiprocessing.get_all_start_methods():
            return
        _job = self._job
        try:
            self._pool = multiprocessing.get_context("fork").Pool(1)
            self._result = self._pool.apply_async(_write_job)
        finally:
            _job = None

    def finish(self) -> list[str]:
        """The names written; a failure in the child is raised here, so a broken export fails the build."""
        try:
            if self._result is not None:
                return self._result.get()
            if self._job is not None:
                return [path.name for path in write_exports(*self._job)]
            return []
        finally:
            self.cancel()

    def cancel(self) -> None:
        """Stop a child still writing (the build failed) and forget the job."""
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
        self._pool, self._result, self._job = None, None, None
