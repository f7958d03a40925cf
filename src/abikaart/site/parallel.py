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
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
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
    return list(fork_imap(func, items, chunksize=1))


def fork_imap(func: Callable[[T], R], items: Sequence[T], chunksize: int) -> Iterator[R]:
    """`func(item)` for each item, in order, as the children finish them (`chunksize` items per hand-out), so
    that this process can use each result while the children work on the next."""
    global _work
    workers = min(os.cpu_count() or 1, len(items))
    if workers < 2 or not can_fork():
        yield from map(func, items)
        return
    # concurrent.futures, not multiprocessing.Pool: a child that dies (killed, out of memory, os._exit) breaks the
    # pool and the call raises BrokenProcessPool, where Pool would wait for its result for ever.
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))
    try:
        _work = (func, items)
        try:  # with fork, the children start at the first submit, which map makes for every chunk at once
            results = pool.map(_run, range(len(items)), chunksize=chunksize)
        finally:
            _work = None
        yield from results
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
