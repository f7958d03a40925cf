"""Use the machine's other cores for work the build would otherwise do on one.

Children are forked, so they inherit this process's memory (the loaded directory, the rendered shells) instead
of receiving it pickled; only the work's index goes to a child and only a small result comes back. Forking is
safe only in a process with no other thread (`mkdocs serve` runs a file watcher), so there, on a single core
and where fork does not exist, the work runs here, one item after another.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_work: tuple[Callable[[Any], Any], Sequence[Any]] | None = None
"""The function and items of the running `fork_map`, set just before the children are forked."""


def can_fork() -> bool:
    return threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods()


def _run(index: int) -> Any:
    assert _work is not None
    func, items = _work
    return func(items[index])


def fork_map(func: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """`[func(item) for item in items]`, spread over the cores; a child's exception is raised here."""
    global _work
    workers = min(os.cpu_count() or 1, len(items))
    if workers < 2 or not can_fork():
        return [func(item) for item in items]
    _work = (func, items)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            results: list[R] = pool.map(_run, range(len(items)), chunksize=1)
            return results
    finally:
        _work = None
