"""rasd on a Dask cluster: `rasd batch INPUT... -o OUT --dask ADDRESS`, `extract_bag(bag)`, `records_to_dataframe()`.

rasd grows no cluster of its own; it reuses the batch pieces (readers → `process_article` → writers) and lets Dask
(extra `[dask]`) move the work:

- The client lists the inputs' `Partition`s (files, byte ranges of JSONL files, groups of zip members) with
  `readers.list_partitions`, groups small ones into *tasks* of about `partition_bytes` of input, and submits a bounded
  number of tasks at a time (2 per worker thread; in order, at most 8 per thread finished and waiting for a slow
  earlier one), so memory stays flat however big the archive is.
- A task reads its partitions on the worker and converts every article there: the inputs must be visible to the
  workers under the same path (a shared file system; relative paths are made absolute for a remote cluster).
- Results come back per task, as finished JSON lines; the client renames repeated ids in input order (exactly as a
  local run does, so records are byte-identical to a local run's), appends to OUT's journal and the errors file, and
  checks conservation (articles read = records + errors + skipped). Ordered runs write in input order; `ordered=False`
  writes tasks as they finish (then the `~2` suffix of a repeated id follows that order).
- A worker that dies mid-task loses nothing: nothing of a task is written before the task completes, and Dask runs it
  again elsewhere (`retries`, and the scheduler's `allowed-failures` for dead workers). A task that keeps killing its
  workers (an article that crashes the interpreter) is finally converted by the client itself in a local one-worker
  pool, which blames the one article (`worker_died`) and converts the rest: every article still ends in one place.
- Time limits: Dask runs tasks in threads, where SIGALRM cannot reach, so a watchdog thread raises `ArticleTimeout`
  inside the task's thread when an article runs past `--time-limit`, and ends the worker process (the nanny starts a
  new one, the task is retried, then converted by the client as above) if the article is stuck in C code that never
  returns to Python.

The real library is imported lazily as `dask`/`distributed` (absolute imports: this module is `extractor.dask`);
without it every entry point raises `MissingExtraError('dask', 'dask')` (exit 2 from the command line).
"""

from __future__ import annotations

import ctypes
import json
import os
import threading
import time
import uuid
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from .batch import (
    DEFAULT_EXTRACTOR,
    ArticleTimeout,
    BatchSummary,
    load_extractor,
    process_article,
    resolve_extractor,
    run_outputs,
    run_pool,
)
from .errors import RasdError
from .model import ArticleRecord
from .readers import (
    DEFAULT_LIMITS,
    Article,
    ArticleError,
    IdSet,
    Item,
    Limits,
    Partition,
    article_from_mapping,
    check_inputs,
    list_partitions,
    read_partition,
    require_extra,
    unique_ids,
)

DEFAULT_PARTITION_BYTES = 4_000_000  # input bytes per task: ~1,400 press articles, ~1.5 s of work (bench/dask.py)
MAX_PARTS_PER_TASK = 500  # many small files: at most this many in one task


def _require_dask() -> None:
    require_extra("dask", "dask")
    require_extra("dask", "distributed")


# --- time limit inside a worker thread ----------------------------------------------------------------------------


def _async_raise(thread_id: int, exc: type[BaseException] | None) -> None:
    """Raise `exc` in another thread at its next bytecode (None: cancel a pending one)."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id),
                                               ctypes.py_object(exc) if exc is not None else ctypes.c_void_p(None))


class _Watchdog:
    """One per process: interrupts an article past its time limit in whatever thread runs it, and ends the process
    (when `hard_exit` was asked, i.e. on a nanny-supervised Dask worker) if it is still stuck at 1.5 × limit + 2 s."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._armed: dict[int, list[Any]] = {}  # thread id → [deadline, hard deadline, fired, hard_exit]
        self._thread: threading.Thread | None = None

    def arm(self, limit: float, hard_exit: bool) -> None:
        """Start the clock for the calling thread's current article."""
        now = time.monotonic()
        with self._lock:
            self._armed[threading.get_ident()] = [now + limit, now + limit * 1.5 + 2, False, hard_exit]
            if self._thread is None:
                self._thread = threading.Thread(target=self._watch, daemon=True, name="rasd-watchdog")
                self._thread.start()

    def disarm(self) -> None:
        """Stop the clock; cancel a timeout fired but not yet raised (the article made it just in time)."""
        tid = threading.get_ident()
        with self._lock:
            entry = self._armed.pop(tid, None)
            if entry is not None and entry[2]:
                _async_raise(tid, None)

    def _watch(self) -> None:
        while True:
            time.sleep(0.05)
            now = time.monotonic()
            with self._lock:
                for tid, entry in self._armed.items():
                    if not entry[2] and now > entry[0]:
                        entry[2] = True
                        _async_raise(tid, ArticleTimeout)
                    elif entry[2] and entry[3] and now > entry[1]:
                        os._exit(70)  # stuck in C code: only a new process helps (Dask retries the task)


_watchdog = _Watchdog()
_warm: set[str] = set()


def _convert_one(item: Article | dict[str, Any] | str, limits: Limits, extractor: str,
                 hard_exit: bool = False) -> ArticleRecord | ArticleError:
    """process_article under the thread-safe time limit."""
    if extractor not in _warm:  # compile the pattern set before the clock starts
        _warm.add(extractor)
        try:
            resolve_extractor(extractor)("تجربة", published=None, url=None, id="warm-up", title=None)
        except Exception:
            pass
    art_id, source = (item.id, item.source) if isinstance(item, Article) else ("1", "#1")
    if limits.time_limit <= 0:
        return process_article(item, limits, extractor)
    try:
        _watchdog.arm(limits.time_limit, hard_exit)
        try:
            return process_article(item, limits, extractor)
        finally:
            _watchdog.disarm()
    except ArticleTimeout:
        _watchdog.disarm()
        return ArticleError(art_id, source, "timeout", f"extraction took longer than {limits.time_limit:g} s "
                                                       "(--time-limit)")


# --- one task on a worker ------------------------------------------------------------------------------------------

# What a task returns, one entry per article read, in input order:
#   ("r", id, number of input warnings, record JSON line, number of facts)   a record
#   ("e", ArticleError)                                                      an error line
#   ("s", Article)                                                           id already in OUT (--resume): not run
TaskResult = list[tuple[Any, ...]]


def _on_supervised_worker() -> bool:
    """True inside a Dask worker process that a nanny restarts when it ends."""
    try:
        from distributed import get_worker

        worker = get_worker()
    except (ImportError, ValueError):
        return False
    return bool(getattr(worker, "nanny", None))


def convert_task(parts: Sequence[Partition], limits: Limits = DEFAULT_LIMITS, extractor: str = DEFAULT_EXTRACTOR,
                 done: IdSet | None = None) -> TaskResult:
    """Read and convert the articles of some partitions (on a worker); ids are made unique later, on the client."""
    hard_exit = _on_supervised_worker()
    out: TaskResult = []
    for p in parts:
        for item in read_partition(p, limits):
            if isinstance(item, ArticleError):
                out.append(("e", item))
            elif done is not None and item.id in done:
                out.append(("s", item))
            else:
                n_warnings = len(item.warnings)
                result = _convert_one(item, limits, extractor, hard_exit)
                if isinstance(result, ArticleError):
                    out.append(("e", result))
                else:
                    out.append(("r", result.id, n_warnings, result.to_json(), len(result.facts)))
    return out


def _input_bytes(p: Partition) -> int:
    """A rough size of a partition's input, to group small ones into one task."""
    if p.kind == "zip" and p.end is not None:
        return DEFAULT_PARTITION_BYTES
    try:
        size = os.path.getsize(p.path)
    except OSError:
        return 0
    if p.kind == "jsonl" and not p.path.lower().endswith(".gz"):
        return (p.end if p.end is not None else size) - p.start
    return size


def partition_tasks(parts: Iterable[Partition], partition_bytes: int = DEFAULT_PARTITION_BYTES
                    ) -> Iterator[list[Partition]]:
    """Consecutive partitions grouped into tasks of about `partition_bytes` of input (standard input: its own)."""
    group: list[Partition] = []
    size = 0
    for p in parts:
        if p.kind == "stdin":
            if group:
                yield group
                group, size = [], 0
            yield [p]
            continue
        group.append(p)
        size += _input_bytes(p)
        if size >= partition_bytes or len(group) >= MAX_PARTS_PER_TASK:
            yield group
            group, size = [], 0
    if group:
        yield group


# --- the client side ------------------------------------------------------------------------------------------------


class _IdRenamer:
    """`readers.unique_ids` fed one item at a time, so ids are made unique on the client in input order."""

    def __init__(self) -> None:
        self._box: deque[Item] = deque()
        self._gen = unique_ids(self._feed())

    def _feed(self) -> Iterator[Item]:
        while True:
            yield self._box.popleft()

    def __call__(self, item: Item) -> Item:
        self._box.append(item)
        return next(self._gen)


@dataclass
class _Failed:
    """A task Dask gave up on (its workers kept dying, or it kept raising)."""

    parts: list[Partition]
    exception: BaseException | None


class _Sink:
    """OUT, the errors file and the summary of one run, fed with task results in the order they are written."""

    def __init__(self, output: Any, err_out: Any, summary: BatchSummary, done: IdSet, limits: Limits,
                 extractor: str, bar: Any) -> None:
        self.output, self.err_out, self.summary, self.done = output, err_out, summary, done
        self.limits, self.extractor, self.bar = limits, extractor, bar
        self.rename = _IdRenamer()
        self.last_flush = time.monotonic()

    def _record(self, line: str, nfacts: int) -> None:
        self.output.add(line)
        self.summary.records += 1
        self.summary.facts += nfacts

    def add_task(self, result: TaskResult) -> None:
        """Write the results of one task (ids renamed, --resume skips applied)."""
        s = self.summary
        for entry in result:
            s.articles += 1
            kind = entry[0]
            if kind == "r":
                _, rid, n_warnings, line, nfacts = entry
                stub = self.rename(Article(rid, ""))
                if stub.id in self.done:
                    s.skipped += 1
                    continue
                if stub.id != rid:  # a repeated id: as a local run, rename it and say so after the input warnings
                    record = json.loads(line)
                    record["id"] = stub.id
                    code, message = stub.warnings[-1]
                    record["warnings"].insert(n_warnings, {"code": code, "message": message})
                    line = json.dumps(record, ensure_ascii=False)
                self._record(line, nfacts)
            elif kind == "e":
                err = self.rename(entry[1])
                if err.id in self.done:
                    s.skipped += 1
                else:
                    self.err_out.add(err)
            else:
                art = self.rename(entry[1])
                if art.id in self.done:
                    s.skipped += 1
                else:  # a repeated id that a killed run had not reached yet: convert it here
                    self._write(_convert_one(art, self.limits, self.extractor))
        self._tick(len(result))

    def _write(self, result: Any) -> None:
        if isinstance(result, ArticleError):
            self.err_out.add(result)
        elif isinstance(result, ArticleRecord):
            self._record(result.to_json(), len(result.facts))
        else:
            _, line, nfacts = result
            self._record(line, nfacts)

    def add_here(self, parts: Sequence[Partition]) -> None:
        """Convert some partitions in this process's own one-worker pool (standard input, or a task Dask gave up
        on: the pool blames the one article that kills its worker and converts the rest)."""
        count = 0

        def items() -> Iterator[Item]:
            nonlocal count
            for p in parts:
                for item in read_partition(p, self.limits):
                    item = self.rename(item)
                    self.summary.articles += 1
                    count += 1
                    if item.id in self.done:
                        self.summary.skipped += 1
                        continue
                    yield item

        for result in run_pool(items(), workers=1, limits=self.limits, extractor=self.extractor, mode="json"):
            self._write(result)
        self._tick(count)

    def _tick(self, n: int) -> None:
        if self.bar is not None:
            self.bar.update(n)
        now = time.monotonic()
        if now - self.last_flush > 0.5:
            self.output.flush()
            self.err_out.flush()
            self.last_flush = now


def _start_client(address: Any, workers: int | None) -> tuple[Any, list[Any]]:
    """(client, what to close at the end) for `address`: "local", a scheduler address, or a Client."""
    import logging

    from distributed import Client, LocalCluster

    if not isinstance(address, str):
        return address, []
    if address == "local":
        n = workers if workers and workers > 0 else (os.cpu_count() or 1)
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None,
                               silence_logs=logging.ERROR)
        client = Client(cluster)
        return client, [client, cluster]
    try:
        client = Client(address, timeout=30)
    except OSError as exc:
        raise RasdError(f"cannot reach the Dask scheduler at {address}: {exc}", "dask_unreachable") from None
    return client, [client]


def convert_on_dask(inputs: Sequence[str], out: str | os.PathLike[str], *, address: Any = "local",
                    fmt: str | None = None, errors: str | os.PathLike[str] | None = None, workers: int | None = None,
                    resume: bool = False, ordered: bool = True, limits: Limits = DEFAULT_LIMITS,
                    extractor: str = DEFAULT_EXTRACTOR, progress: bool = False,
                    partition_bytes: int = DEFAULT_PARTITION_BYTES, retries: int = 2) -> BatchSummary:
    """`rasd batch … --dask ADDRESS`: the same OUT, errors file and summary as `batch.convert`, computed on Dask.

    `address`: "local" (a LocalCluster of `workers` processes on this machine), a scheduler address such as
    "tcp://host:8786", or a `distributed.Client`.
    """
    from .writers import output_files

    _require_dask()
    from distributed import as_completed

    started = time.perf_counter()
    check_inputs(inputs)
    load_extractor(extractor)
    if address != "local" and isinstance(address, str):  # workers elsewhere do not share our working folder
        inputs = [x if x == "-" else os.path.abspath(x) for x in inputs]
    with run_outputs(out, fmt, errors, resume=resume, progress=progress, started=started) as (
            output, err_out, summary, bar):
        sink = _Sink(output, err_out, summary, output.done_ids, limits, extractor, bar)
        owned: list[Any] = []
        try:
            parts = list_partitions(inputs, split_bytes=partition_bytes, zip_members=1000, limits=limits,
                                    exclude=output_files(out, summary.errors_path))
            tasks = enumerate(partition_tasks(parts, partition_bytes))
            client, owned = _start_client(address, workers)
            nthreads = sum(client.nthreads().values()) or 1
            window = max(2, 2 * nthreads)  # tasks running or queued: one running and one waiting per worker thread
            max_waiting = 8 * nthreads  # finished tasks waiting for a slow earlier one (in order): then no new task
            done_ids = client.scatter(output.done_ids, broadcast=True) if len(output.done_ids) else None
            run = uuid.uuid4().hex[:8]
            pending: dict[str, tuple[int, list[Partition]]] = {}
            finished: dict[int, Any] = {}
            next_emit = 0
            exhausted = False
            completed = as_completed()

            def submit_more() -> None:
                nonlocal exhausted
                while not exhausted and len(pending) < window and len(finished) < max_waiting:
                    nxt = next(tasks, None)
                    if nxt is None:
                        exhausted = True
                        return
                    seq, group = nxt
                    if group[0].kind == "stdin":
                        finished[seq] = _Failed(group, None)
                        continue
                    fut = client.submit(convert_task, group, limits, extractor, done_ids, key=f"rasd-{run}-{seq}",
                                        retries=retries, pure=False)
                    pending[fut.key] = (seq, group)
                    completed.add(fut)

            def emit(value: Any) -> None:
                if isinstance(value, _Failed):
                    if isinstance(value.exception, RasdError):
                        raise value.exception
                    sink.add_here(value.parts)
                else:
                    sink.add_task(value)

            def drain() -> None:
                nonlocal next_emit
                if ordered:
                    while next_emit in finished:
                        emit(finished.pop(next_emit))
                        next_emit += 1
                else:
                    for seq in list(finished):
                        emit(finished.pop(seq))

            submit_more()
            drain()
            while pending or finished:
                if pending:
                    fut = next(completed)
                    seq, group = pending.pop(fut.key)
                    if fut.status == "finished":
                        finished[seq] = fut.result()
                    else:
                        finished[seq] = _Failed(group, fut.exception())
                    fut.release()
                drain()
                submit_more()
                drain()
        finally:
            for thing in owned:
                thing.close()
    return summary


# --- the library route: bags and dataframes --------------------------------------------------------------------------


def _extract_partition(items: Iterable[Any], index: int, limits: Limits, extractor: str) -> list[dict[str, Any]]:
    """Record dicts (or error-line dicts) of one bag partition; ids default to `P:N` (partition, 1-based item)."""
    out: list[dict[str, Any]] = []
    arts: list[Item] = []
    for n, item in enumerate(items, 1):
        default_id = f"{index}:{n}"
        if isinstance(item, (Article, ArticleError)):
            arts.append(item)
        elif isinstance(item, str):
            arts.append(Article(default_id, default_id, text=item))
        elif isinstance(item, dict):
            arts.append(article_from_mapping(item, default_id, default_id))
        else:
            arts.append(ArticleError(default_id, default_id, "not_an_object",
                                     f"an article must be a string or a dict, not a {type(item).__name__}"))
    hard_exit = _on_supervised_worker()
    for art in unique_ids(arts):
        result = art if isinstance(art, ArticleError) else _convert_one(art, limits, extractor, hard_exit)
        out.append(result.to_dict())
    return out


def extract_bag(bag: Any, *, limits: Limits = DEFAULT_LIMITS, extractor: str = DEFAULT_EXTRACTOR) -> Any:
    """A Dask bag of articles (strings, or dicts with the input keys) → a bag of record dicts, one per article.

    An article that cannot be converted gives its errors-file line instead (`{"id", "source", "error": {…}}`), so
    `bag.filter(lambda r: "error" not in r)` keeps the records. Ids: the input's own `id`, else `P:N` (the N-th item
    of bag partition P); repeated ids are renamed within a partition only (use `rasd batch --dask` for whole-run
    uniqueness).
    """
    _require_dask()
    import dask
    from dask import bag as db

    parts = [dask.delayed(_extract_partition, pure=True)(d, i, limits, extractor)
             for i, d in enumerate(bag.to_delayed())]
    return db.from_delayed(parts)


def _frame_columns() -> tuple[list[str], list[str], dict[str, str]]:
    from .writers import csv_columns

    article, fact = csv_columns()
    dtypes = {c: "string" for c in article + fact}
    dtypes["is_removal_report"] = "boolean"
    dtypes["value"] = dtypes["confidence"] = "Float64"
    dtypes["evidence_start"] = dtypes["evidence_end"] = "Int64"
    return article, fact, dtypes


def _records_frame(records: Iterable[Any]) -> Any:
    """One pandas DataFrame row per fact (article columns repeated; an article with no facts: one row), as the CSV."""
    import pandas as pd

    from .writers import _flatten

    article_cols, fact_cols, dtypes = _frame_columns()
    rows: list[list[Any]] = []
    for rec in records:
        if isinstance(rec, ArticleRecord):
            rec = rec.to_dict()
        if not isinstance(rec, dict) or "error" in rec:
            continue
        head = [_list_cell(rec.get(c)) for c in article_cols]
        facts = rec.get("facts") or []
        if not facts:
            rows.append(head + [None] * len(fact_cols))
        for fact in facts:
            flat = _flatten(fact)
            rows.append(head + [_list_cell(flat.get(c)) for c in fact_cols])  # doubts joined by ";" as in the CSV
    frame = pd.DataFrame(rows, columns=article_cols + fact_cols)
    return frame.astype(dtypes)


def _list_cell(v: Any) -> Any:
    if isinstance(v, list):  # as in the CSV: partners/platforms/doubts joined by ";", warnings by their codes
        return ";".join(x["code"] if isinstance(x, dict) and "code" in x else str(x) for x in v)
    return v


def records_to_dataframe(bag_or_records: Any) -> Any:
    """Records (a bag from `extract_bag`, or any iterable of record dicts/ArticleRecords) → a dask DataFrame with
    one row per fact and the article columns repeated, like the CSV output; error lines are left out."""
    _require_dask()
    import dask
    from dask import bag as db
    from dask import dataframe as dd

    meta = _records_frame([])
    if isinstance(bag_or_records, db.Bag):
        frames = [dask.delayed(_records_frame, pure=True)(d) for d in bag_or_records.to_delayed()]
        return dd.from_delayed(frames, meta=meta, verify_meta=False)
    return dd.from_pandas(_records_frame(bag_or_records), npartitions=1)
