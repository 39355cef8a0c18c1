"""Running a pipeline's batches in worker processes, in order and with bounded memory.

Each worker process holds one :class:`~newsclean.pipeline.Pipeline`: on Linux the workers
are forked from a parent that has already loaded the model, so they share it and load
nothing; elsewhere the pipeline is pickled without its model, and each worker loads the
model once, on its first batch. Batches are handed out as workers free up, at most
:data:`BATCHES_IN_FLIGHT` per worker queued, so a stream of any
length is never read far ahead (:func:`read_ahead`), and results come back in input
order, each as soon as it and those before it are done.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import signal
import sys
import threading
import time
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.context import BaseContext
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Optional, Sequence, Union

from .errors import NewscleanError
from .result import Failure, Result

if TYPE_CHECKING:
    from .pipeline import Job, Pipeline

#: Batches queued per worker beyond the one it is working on.
BATCHES_IN_FLIGHT = 2
#: How often a worker checks that its parent process is still there.
PARENT_CHECK_SECONDS = 0.5
#: How long the parent waits for input before it looks for finished batches again.
POLL_SECONDS = 0.05

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
    pipeline: Pipeline, batches: Iterable[Sequence[Job]], processes: int, errors: str,
    batch_size: int,
) -> Iterator[Outcome]:
    """The outcomes of every batch, in order, from ``processes`` worker processes.

    An input shorter than one batch is done in this process: starting workers would cost
    more than it saves. The rest of the input is read by a thread of its own, so that a
    result is yielded as soon as it is done even while the input waits for more (a live
    feed). An exception a worker raises (``errors="raise"``), or the input raises, is
    raised here.
    """
    batches = iter(batches)
    first = next(batches, None)
    if first is None:
        return
    if len(first) < batch_size:  # the whole input
        yield from pipeline.run_batch(first, errors)
        return
    pipeline.prepare_for_workers()
    executor = ProcessPoolExecutor(processes, mp_context=_context(),
                                   initializer=_start_worker, initargs=(pipeline,))
    in_flight = _held_by_workers(processes)
    pending: deque[Future[list[Outcome]]] = deque()
    reader: Optional[_Reader] = None
    try:
        # the first submit starts the workers: before the reading thread exists
        pending.append(executor.submit(_run_batch, first, errors))
        reader = _Reader(batches, _ready(processes))
        while pending or not reader.finished:
            while pending and pending[0].done():
                yield from pending.popleft().result()
            if not reader.finished and len(pending) < in_flight:
                batch = reader.get(timeout=POLL_SECONDS if pending else None)
                if batch is not None:
                    pending.append(executor.submit(_run_batch, batch, errors))
            elif pending:
                wait([pending[0]])
    except BrokenProcessPool as exc:
        raise NewscleanError(f"a worker process died ({exc}); the output is incomplete:"
                             " try fewer processes or less memory per process") from exc
    finally:
        if reader is not None:
            reader.stop()
        executor.shutdown(wait=True, cancel_futures=True)


def read_ahead(processes: int) -> int:
    """The most batches :func:`run_batches` reads beyond the one whose results it yields:
    those the workers hold, those the reading thread has ready, and one it is reading."""
    return _held_by_workers(processes) + _ready(processes) + 1


def _held_by_workers(processes: int) -> int:
    """Batches handed to the workers at most: the one each works on and those queued."""
    return processes * (BATCHES_IN_FLIGHT + 1)


def _ready(processes: int) -> int:
    """Batches the reading thread holds ready at most."""
    return processes * BATCHES_IN_FLIGHT


class _Reader:
    """Reads batches in a thread into a bounded queue; the end, or an error, comes last."""

    _END = object()

    def __init__(self, batches: Iterator[Sequence[Job]], size: int) -> None:
        self.finished = False
        self._queue: queue.Queue[Any] = queue.Queue(maxsize=size)
        self._stopped = threading.Event()
        threading.Thread(target=self._read, args=(batches,), daemon=True,
                         name="newsclean-reader").start()

    def _read(self, batches: Iterator[Sequence[Job]]) -> None:
        item: Any = self._END
        try:
            for batch in batches:
                if not self._put(batch):
                    return
        except BaseException as exc:  # handed to the consumer, which raises it
            item = exc
        self._put(item)

    def _put(self, item: Any) -> bool:
        while not self._stopped.is_set():
            try:
                self._queue.put(item, timeout=POLL_SECONDS)
                return True
            except queue.Full:
                continue
        return False

    def get(self, timeout: Optional[float]) -> Optional[Sequence[Job]]:
        """The next batch; None if there is none yet, or no more (then ``finished``)."""
        try:
            item = self._queue.get(timeout=timeout)
        except queue.Empty:
            return None
        if item is self._END:
            self.finished = True
            return None
        if isinstance(item, BaseException):
            self.finished = True
            raise item
        batch: Sequence[Job] = item
        return batch

    def stop(self) -> None:
        self._stopped.set()


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
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True,
                     name="newsclean-parent-watch").start()


def _exit_with_parent(parent: int) -> None:
    """End this worker when its parent is gone (killed without a chance to stop it):
    an orphan would otherwise wait for work forever."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)


def _run_batch(batch: Sequence[Job], errors: str) -> list[Outcome]:
    assert _worker_pipeline is not None, "not in a worker process"
    return _worker_pipeline.run_batch(batch, errors)
