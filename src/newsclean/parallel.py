"""Running a pipeline's batches in worker processes, in order and with bounded memory.

Each worker process holds one :class:`~newsclean.pipeline.Pipeline`: on Linux the workers
are forked from a parent that has already loaded the model, so they share it and load
nothing; elsewhere the pipeline is pickled without its model, and each worker loads the
model once, on its first batch. Batches are handed out as workers free up, at most
:data:`BATCHES_IN_FLIGHT` per worker ahead of the one being yielded, so a stream of any
length is never read far ahead, and results come back in input order.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.context import BaseContext
from typing import TYPE_CHECKING, Iterable, Iterator, Optional, Sequence, Union

from .errors import NewscleanError
from .result import Failure, Result

if TYPE_CHECKING:
    from .pipeline import Job, Pipeline

#: Batches queued per worker beyond the one it is working on.
BATCHES_IN_FLIGHT = 2

Outcome = Union[Result, Failure]

# The pipeline of this worker process; set once by _start_worker, in workers only.
_worker_pipeline: Optional[Pipeline] = None


def usable_cores() -> int:
    """The number of cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def worker_count(n_process: int) -> int:
    """``n_process`` as a number of processes: -1 means one per usable core.

    >>> worker_count(3)
    3
    >>> worker_count(-1) == usable_cores()
    True
    """
    if n_process == -1:
        return usable_cores()
    if not isinstance(n_process, int) or n_process < 1:
        raise ValueError(f"n_process must be a positive number or -1, not {n_process!r}")
    return n_process


def run_batches(
    pipeline: Pipeline, batches: Iterable[Sequence[Job]], processes: int, errors: str
) -> Iterator[Outcome]:
    """The outcomes of every batch, in order, from ``processes`` worker processes.

    An input of one batch or less is done in this process: starting workers would cost
    more than it saves. An exception a worker raises (``errors="raise"``) is raised here.
    """
    batches = iter(batches)
    first = next(batches, None)
    if first is None:
        return
    second = next(batches, None)
    if second is None:
        yield from pipeline.run_batch(first, errors)
        return
    pipeline.prepare_for_workers()
    executor = ProcessPoolExecutor(processes, mp_context=_context(),
                                   initializer=_start_worker, initargs=(pipeline,))
    pending: deque[Future[list[Outcome]]] = deque()
    try:
        for batch in _chain(first, second, batches):
            pending.append(executor.submit(_run_batch, batch, errors))
            if len(pending) > processes * BATCHES_IN_FLIGHT:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    except BrokenProcessPool as exc:
        raise NewscleanError(f"a worker process died ({exc}); the output is incomplete:"
                             " try fewer processes or less memory per process") from exc
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def _chain(first: Sequence[Job], second: Sequence[Job], rest: Iterator[Sequence[Job]]
           ) -> Iterator[Sequence[Job]]:
    yield first
    yield second
    yield from rest


def _context() -> BaseContext:
    """Fork where it is safe (Linux), so workers share the parent's loaded model."""
    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def _start_worker(pipeline: Pipeline) -> None:
    global _worker_pipeline
    # Ctrl-C goes to the whole process group: let the parent stop the workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker_pipeline = pipeline


def _run_batch(batch: Sequence[Job], errors: str) -> list[Outcome]:
    assert _worker_pipeline is not None, "not in a worker process"
    return _worker_pipeline.run_batch(batch, errors)
