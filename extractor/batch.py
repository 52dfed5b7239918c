"""Many articles in, one record (or one error) per article out, in parallel and in bounded memory (CONTRACT.md §5).

`process_article(article)` is the whole per-article step: check the input values, turn HTML into text (trafilatura,
no invented dates), check `published`, run the extractor under a time limit, attach input warnings. It is pure and
picklable, and returns an `ArticleRecord` or an `ArticleError`, never raises for a bad article.

`extract_many(articles, workers=…)` runs it over any iterable of dicts, strings or `Article`s in a pool of worker
processes. The parent reads input lazily and sends *chunks* of articles (not one at a time: IPC costs stay far below
the extraction itself); each worker has at most one chunk in flight, so memory stays flat however long the input is.
Results come back in input order (or as they finish, `ordered=False`). The parent builds the pattern set once before
it forks its workers, which start with it (where workers are spawned, each builds it before its first article).
A worker ends when its parent dies, even by `kill -9`. Time limits work at two levels: SIGALRM inside the worker
interrupts the extractor (regex checks signals), and the parent kills a worker that is still stuck well past the
limit, records `timeout` for the article it was on, starts a new worker and re-sends the rest of the chunk. A
crashed worker is handled the same way (`worker_died`), so the batch always finishes and every article ends in
exactly one place.

The extraction function is looked up at call time from `extractor` ("module:function", default
`extractor.facts:extract`), so tests and other pipelines can swap it without touching this module.

`convert(inputs, out, …)` is the whole `rasd batch`: readers → pool → writers, with the summary and the
conservation check (articles read = records + errors + skipped by --resume).

Distributed runs (e.g. Dask) reuse the same three pure, picklable pieces:

    from extractor.readers import list_partitions, read_partition
    from extractor.batch import process_article
    parts = list(list_partitions(inputs, split_bytes=64 << 20, zip_members=1000))   # on the client
    def convert_part(p):                                                             # on a worker
        return [process_article(a).to_dict() for a in read_partition(p)]            # records or error lines

Ids are unique within a partition's file; `readers.unique_ids` (or an equivalent pass on the client) makes them
unique across the run. Outside the main thread (Dask runs tasks in threads) the SIGALRM limit is off, so a
distributed runner must enforce its own time limit.
"""

from __future__ import annotations

import datetime as _dt
import importlib
import os
import queue
import re
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from .confidence import keep_confident
from .errors import RasdError
from .model import ArticleRecord, RecordWarning
from .readers import (
    DEFAULT_LIMITS,
    DEFAULT_OPTIONS,
    Article,
    ArticleError,
    InputOptions,
    Item,
    Limits,
    article_from_mapping,
    check_inputs,
    list_partitions,
    read_partition,
    require_extra,
    unique_ids,
)

if TYPE_CHECKING:  # multiprocessing is imported by the pool only: `rasd extract` needs none of it (~10 ms)
    import multiprocessing as mp
    from multiprocessing.connection import Connection

DEFAULT_EXTRACTOR = "extractor.facts:extract"

# Error codes process_article adds to the readers' ones (see readers.READ_ERROR_CODES).
PROCESS_ERROR_CODES = ("no_text", "text_not_string", "empty", "binary", "too_large", "no_body", "timeout",
                       "extract_failed", "worker_died", "missing_extra")

_extractors: dict[str, Callable[..., ArticleRecord]] = {}


def resolve_extractor(spec: str = DEFAULT_EXTRACTOR) -> Callable[..., ArticleRecord]:
    """The extraction function named by `module:function` (imported on first use, then cached per process)."""
    fn = _extractors.get(spec)
    if fn is None:
        module, _, name = spec.partition(":")
        fn = getattr(importlib.import_module(module), name)
        _extractors[spec] = fn
    return fn


# --- one article --------------------------------------------------------------------------------------------------


class ArticleTimeout(BaseException):
    """Raised inside a worker when an article runs past the time limit (BaseException: `except Exception` in the
    extractor must not swallow it)."""


def _on_alarm(signum: int, frame: Any) -> None:
    raise ArticleTimeout()


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the body with ArticleTimeout after `seconds` (main thread of a POSIX process only; else no limit)."""
    if seconds <= 0 or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return
    old = None if _in_worker else signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        if old is not None:
            signal.signal(signal.SIGALRM, old)


_in_worker = False  # a worker process installs the alarm handler once and keeps it


def check_published(value: Any) -> tuple[str | None, str | None]:
    """An input `published` → (ISO date or None, warning message or None); datetimes keep their date part."""
    if value is None or value == "":
        return None, None
    if isinstance(value, _dt.datetime):
        return value.date().isoformat(), None
    if isinstance(value, _dt.date):
        return value.isoformat(), None
    if isinstance(value, str):
        s = value.strip()
        head, rest = s[:10], s[10:]
        if len(s) >= 10 and (not rest or rest[0] in "T "):
            try:
                return _dt.date.fromisoformat(head).isoformat(), None
            except ValueError:
                pass
    return None, f"published {str(value)[:80]!r} is not a date (YYYY-MM-DD); treated as unknown"


def html_to_text(html: str | bytes, url: str | None = None) -> tuple[str | None, str | None, str | None]:
    """Main text, title and publication date of a page via trafilatura, with no date guessed from the text."""
    require_extra("html", "trafilatura")
    import logging

    import trafilatura

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    logging.getLogger("htmldate").setLevel(logging.CRITICAL)
    doc = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if doc is None:
        return None, None, None
    get = doc.get if isinstance(doc, dict) else (lambda k: getattr(doc, k, None))
    text, title, date = get("text"), get("title"), get("date")
    return (text if isinstance(text, str) else None, title if isinstance(title, str) else None,
            date if isinstance(date, str) else None)


# A visible character: not a space and not an invisible format mark (bidi marks, zero-width joiners, BOM).
_VISIBLE = re.compile("[^\\s\u061c\u200b-\u200f\u2060\ufeff\u202a-\u202e\u2066-\u2069]")


def _blank(text: str) -> bool:
    return _VISIBLE.search(text) is None


def _clean_str(art: Article, key: str, warnings: list[RecordWarning]) -> str | None:
    value = getattr(art, key)
    if value is None or isinstance(value, str):
        return value or None
    warnings.append(RecordWarning("bad_field", f"{key} is a {type(value).__name__}, not a string; ignored"))
    return None


def process_article(article: Article | dict[str, Any] | str | ArticleError, limits: Limits = DEFAULT_LIMITS,
                    extractor: str = DEFAULT_EXTRACTOR) -> ArticleRecord | ArticleError:
    """One article → its record, or an ArticleError with a stable code; never raises for a bad article."""
    if isinstance(article, ArticleError):
        return article
    if isinstance(article, str):
        article = Article("1", "#1", text=article)
    elif isinstance(article, dict):
        article = article_from_mapping(article, "1", "#1")
    art = article
    fail = lambda code, msg: ArticleError(art.id, art.source, code, msg)  # noqa: E731
    warnings = [RecordWarning(code, msg) for code, msg in art.warnings]
    text, html = art.text, art.html
    url = _clean_str(art, "url", warnings)
    title = _clean_str(art, "title", warnings)
    published_in = art.published
    try:
        with _time_limit(limits.time_limit):
            if text is None and html is None:
                return fail("no_text", "the article has no 'text' (or 'html')")
            if text is not None and not isinstance(text, str):
                return fail("text_not_string", f"'text' is a JSON {type(text).__name__}, not a string")
            if text is None:
                if not isinstance(html, (str, bytes)):
                    return fail("text_not_string", f"'html' is a JSON {type(html).__name__}, not a string")
                if len(html) > limits.max_article_bytes:
                    return fail("too_large", f"HTML of {len(html):,} characters exceeds the limit of "
                                             f"{limits.max_article_bytes:,} (--max-article-size)")
                if not html.strip():
                    return fail("empty", "'html' is empty")
                text, html_title, html_date = html_to_text(html, url)
                if not text or _blank(text):
                    return fail("no_body", "no main text found in the HTML (no body, or only boilerplate)")
                title = title or html_title
                if published_in is None and html_date is not None:
                    published_in = html_date
            if len(text) > limits.max_article_bytes:
                return fail("too_large", f"text of {len(text):,} characters exceeds the limit of "
                                         f"{limits.max_article_bytes:,} (--max-article-size)")
            if _blank(text):
                return fail("empty", "'text' is empty (or only spaces and invisible marks)")
            if "\x00" in text:
                return fail("binary", "text holds NUL characters (binary data)")
            published, problem = check_published(published_in)
            if problem:
                warnings.append(RecordWarning("bad_published", problem))
            record = resolve_extractor(extractor)(text, published=published, url=url, id=art.id, title=title)
    except ArticleTimeout:
        return fail("timeout", f"extraction took longer than {limits.time_limit:g} s (--time-limit)")
    except RasdError as exc:
        return fail(exc.code if exc.code != "bad_input" else "extract_failed", exc.message)
    except RecursionError as exc:
        return fail("extract_failed", f"RecursionError: {exc}")
    except Exception as exc:
        return fail("extract_failed", f"{type(exc).__name__}: {str(exc)[:300]}")
    changes: dict[str, Any] = {}
    if record.id != art.id:
        changes["id"] = art.id
    if warnings:
        changes["warnings"] = warnings + list(record.warnings)
    if title and not record.title:
        changes["title"] = title
    if published and not record.published:
        changes["published"] = published
    record = replace(record, **changes) if changes else record
    return keep_confident(record, limits.min_confidence)


# --- output of a worker ---------------------------------------------------------------------------------------------

# mode "record": ArticleRecord | ArticleError objects; mode "json": (id, json line, number of facts) | ArticleError.
Output = ArticleRecord | ArticleError | tuple[str, str, int]


def _process_for_output(item: Item, limits: Limits, extractor: str, mode: str) -> Output:
    result = process_article(item, limits, extractor)
    if mode == "json" and isinstance(result, ArticleRecord):
        return (result.id, result.to_json(), len(result.facts))
    return result


# Rules are compiled on first use, per engine, language, family and text length: texts that meet them all (Arabic and
# English figures, number words, hedges, dates, a partner, a platform, a cumulative total; a long text and a short
# one) build them before the first article, not during it.
_WARM_UP_TEXTS = (
    "أزالت منصة يوتيوب 1.2 مليون مقطع في عام 2023.",
    "أعلن مركز اعتدال ومنصة تلغرام في 3 مارس 2024 إزالة أكثر من 5 ملايين محتوى متطرف خلال الربع الأول، "
    "وإغلاق ثلاثمئة وعشرين قناة منذ فبراير 2022.\n"
    "YouTube said on 12 January 2023 it had removed about 1.2 million videos and suspended twenty thousand accounts "
    "since 2019.",
)


def _warm_up(extractor: str) -> None:
    """Compile the pattern set once, before the first real article (errors surface later, per article)."""
    for text in _WARM_UP_TEXTS:
        try:
            resolve_extractor(extractor)(text, published=None, url=None, id="warm-up", title=None)
        except Exception:
            pass


_PR_SET_PDEATHSIG = 1  # linux/prctl.h
_PARENT_POLL = 1.0  # seconds between two looks at the parent, where the kernel cannot be asked to tell


def _die_with_parent(parent: int, kernel_signal: bool) -> None:
    """End this worker when its parent process dies, even by `kill -9` (it cannot stop its workers then, and a
    worker blocked on a pipe that an inherited descriptor keeps open would wait forever).

    On Linux the kernel sends SIGKILL at the parent's death (`PR_SET_PDEATHSIG`; the worker has nothing to flush:
    the parent writes every output). The kernel ties that signal to the parent's *thread* that started the worker,
    so it is asked for only when that thread is the main one (`kernel_signal`). A parent that died before the call
    is seen right after it (our parent is no longer the expected one). A daemon thread watches `os.getppid()` as
    well, everywhere: the portable way, and the fallback where prctl is unavailable."""
    if kernel_signal and sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        except (OSError, AttributeError):
            pass  # no libc prctl (another C library, a sandbox): the watch below still ends the worker
    if os.getppid() != parent:
        os._exit(1)

    def watch() -> None:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM, signal.SIGINT})
        while os.getppid() == parent:
            time.sleep(_PARENT_POLL)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="rasd-worker-parent-watch").start()


def _worker_main(tasks: Connection, results: Connection, progress: Any, limits: Limits, extractor: str,
                 mode: str, parent: int | None = None, kernel_signal: bool = False) -> None:
    """A worker: a reader thread takes chunks off the pipe (so the parent never waits to hand over the next one)
    while the main thread extracts and sends results; `progress` = [chunk seq, index in chunk, start time].
    `parent` is the pid of the process that started it: the worker ends when that one dies."""
    global _in_worker
    if parent is not None:
        _die_with_parent(parent, kernel_signal)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops the workers
    signal.signal(signal.SIGALRM, _on_alarm)
    _in_worker = True
    inbox: queue.SimpleQueue[Any] = queue.SimpleQueue()

    def read_tasks() -> None:
        # SIGALRM must reach the main thread (the one running the extractor), never this one.
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM, signal.SIGINT})
        while True:
            try:
                msg = tasks.recv()
            except (EOFError, OSError):
                msg = None
            inbox.put(msg)
            if msg is None:
                return

    threading.Thread(target=read_tasks, daemon=True, name="rasd-worker-inbox").start()
    _warm_up(extractor)
    while True:
        msg = inbox.get()
        if msg is None:
            return
        seq, items = msg
        progress[0] = seq
        out = []
        for i, item in enumerate(items):
            progress[1] = i
            progress[2] = time.monotonic()
            out.append(_process_for_output(item, limits, extractor, mode))
        progress[2] = 0.0
        try:
            results.send((seq, out))
        except (BrokenPipeError, OSError):
            return


# --- the pool --------------------------------------------------------------------------------------------------------

_IN_FLIGHT = 2  # chunks per worker: one being extracted, one waiting, so a worker never idles on the parent


def _default_context() -> mp.context.BaseContext:
    # fork: workers start in milliseconds and need no `if __name__ == "__main__"` guard in user scripts.
    import multiprocessing as mp

    methods = mp.get_all_start_methods()
    return mp.get_context("fork" if "fork" in methods else "spawn")


Task = tuple[int, list[Item]]


class _Slot:
    """One worker process, its two one-way pipes and the chunks it holds."""

    __slots__ = ("inflight", "process", "progress", "results", "tasks")

    def __init__(self, ctx: mp.context.BaseContext, limits: Limits, extractor: str, mode: str) -> None:
        task_recv, task_send = ctx.Pipe(duplex=False)
        result_recv, result_send = ctx.Pipe(duplex=False)
        self.progress = ctx.RawArray("d", 3)
        kernel_signal = threading.current_thread() is threading.main_thread()
        self.process = ctx.Process(target=_worker_main,
                                   args=(task_recv, result_send, self.progress, limits, extractor, mode,
                                         os.getpid(), kernel_signal),
                                   daemon=True, name="rasd-worker")
        self.process.start()
        task_recv.close()
        result_send.close()
        self.tasks = task_send
        self.results = result_recv
        self.inflight: deque[Task] = deque()

    def send(self, task: Task) -> None:
        self.inflight.append(task)
        try:
            self.tasks.send(task)
        except (BrokenPipeError, OSError):
            pass  # the worker died: the loop sees it and re-sends everything in `inflight` to a new one

    def stop(self, hard: bool = False) -> None:
        if not hard:
            try:
                self.tasks.send(None)
            except (BrokenPipeError, OSError):
                pass
            self.process.join(timeout=2)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(timeout=5)
        self.tasks.close()
        self.results.close()


def _chunks(items: Iterable[Item], size: int, max_bytes: int) -> Iterator[list[Item]]:
    chunk: list[Item] = []
    nbytes = 0
    for item in items:
        chunk.append(item)
        if isinstance(item, Article):
            body = item.text if item.text is not None else item.html
            if isinstance(body, (str, bytes)):
                nbytes += len(body)
        if len(chunk) >= size or nbytes >= max_bytes:
            yield chunk
            chunk, nbytes = [], 0
    if chunk:
        yield chunk


def run_pool(items: Iterable[Item], *, workers: int, limits: Limits = DEFAULT_LIMITS,
             extractor: str = DEFAULT_EXTRACTOR, mode: str = "record", ordered: bool = True, chunk_size: int = 64,
             chunk_bytes: int = 2_000_000, context: mp.context.BaseContext | None = None) -> Iterator[Output]:
    """Process `items` in `workers` processes (0: in this process); one output per item, in order if `ordered`."""
    if workers <= 0:
        for item in items:
            yield _process_for_output(item, limits, extractor, mode)
        return
    from multiprocessing.connection import wait as wait_ready

    ctx = context or _default_context()
    if ctx.get_start_method() == "fork":
        # Build every rule set here, once: forked workers start with them (in milliseconds, sharing the memory)
        # instead of each building its own (~0.3 s a worker, and again for a worker replaced after a timeout).
        _warm_up(extractor)
    hard_limit = limits.time_limit * 1.5 + 2 if limits.time_limit > 0 else None
    chunks = _chunks(items, chunk_size, chunk_bytes)
    slots = [_Slot(ctx, limits, extractor, mode) for _ in range(workers)]
    retry: deque[Task] = deque()
    done: dict[int, list[Output]] = {}
    next_seq = next_emit = 0
    exhausted = False

    # In order, finished chunks wait for a slow earlier one; past this many, no new chunk is started (bounded memory).
    max_waiting = 8 * workers

    def feed(slot: _Slot) -> None:
        nonlocal next_seq, exhausted
        while len(slot.inflight) < _IN_FLIGHT:
            if retry:
                slot.send(retry.popleft())
                continue
            if exhausted or len(done) >= max_waiting:
                return
            chunk = next(chunks, None)
            if chunk is None:
                exhausted = True
                return
            slot.send((next_seq, chunk))
            next_seq += 1

    def replace_worker(i: int, code: str, message: str) -> None:
        """Stop worker i, blame the article it was on, and re-send all its chunks (in order) to the others."""
        slot = slots[i]
        current_seq, index = int(slot.progress[0]), int(slot.progress[1])
        slot.stop(hard=True)
        slots[i] = _Slot(ctx, limits, extractor, mode)
        resend = list(slot.inflight)
        for k, (seq, task_items) in enumerate(resend):
            if seq == current_seq or (k == 0 and all(s != current_seq for s, _ in resend)):
                at = min(max(index if seq == current_seq else 0, 0), len(task_items) - 1)
                bad = task_items[at]
                if not isinstance(bad, ArticleError):
                    task_items = list(task_items)
                    task_items[at] = ArticleError(bad.id, bad.source, code, message)
                    resend[k] = (seq, task_items)
                break
        retry.extendleft(reversed(resend))

    def died(slot: _Slot) -> str:
        return f"the worker process died (exit code {slot.process.exitcode}) while extracting this article"

    clean = False
    try:
        for slot in slots:
            feed(slot)
        while True:
            busy = [s for s in slots if s.inflight]
            if not busy and not retry and exhausted:
                break
            ready = wait_ready([s.results for s in busy], timeout=0.5) if busy else []
            for conn in ready:
                i = next(k for k, s in enumerate(slots) if s.results is conn)
                slot = slots[i]
                try:
                    seq, out = slot.results.recv()
                except (EOFError, OSError):
                    slot.process.join(timeout=1)
                    replace_worker(i, "worker_died", died(slot))
                    continue
                slot.inflight = deque(t for t in slot.inflight if t[0] != seq)
                done[seq] = out
                feed(slot)
            now = time.monotonic()
            for i, slot in enumerate(slots):
                if not slot.inflight:
                    continue
                started = slot.progress[2]
                if hard_limit is not None and started > 0 and now - started > hard_limit:
                    replace_worker(i, "timeout", f"extraction took longer than {limits.time_limit:g} s "
                                                 "(--time-limit); the worker was stopped")
                elif not slot.process.is_alive() and not slot.results.poll():
                    replace_worker(i, "worker_died", died(slot))
            for slot in slots:
                feed(slot)
            if ordered:
                while next_emit in done:
                    yield from done.pop(next_emit)
                    next_emit += 1
            else:
                for seq in list(done):
                    yield from done.pop(seq)
        clean = True
    finally:
        for slot in slots:
            slot.stop(hard=not clean)


# --- the public entry point ----------------------------------------------------------------------------------------


def as_articles(articles: Iterable[str | dict[str, Any] | Article]) -> Iterator[Item]:
    """Library inputs (strings, dicts with the input keys, Articles) → Articles; ids default to the 1-based position."""
    for n, item in enumerate(articles, 1):
        if isinstance(item, (Article, ArticleError)):
            yield item
        elif isinstance(item, str):
            yield Article(str(n), f"#{n}", text=item)
        elif isinstance(item, dict):
            yield article_from_mapping(item, str(n), f"#{n}")  # HTML without trafilatura: a missing_extra error
        else:
            yield ArticleError(str(n), f"#{n}", "not_an_object",
                               f"an article must be a string or a dict, not a {type(item).__name__}")


def extract_many(articles: Iterable[str | dict[str, Any] | Article], workers: int | None = None, *,
                 ordered: bool = True, limits: Limits = DEFAULT_LIMITS, extractor: str = DEFAULT_EXTRACTOR,
                 chunk_size: int = 64) -> Iterator[ArticleRecord | ArticleError]:
    """One ArticleRecord (or ArticleError, with `.code`) per input article, from `workers` processes (0: in-process).

    Items are strings (the text) or dicts with the input keys `text`/`html`, `id`, `url`, `title`, `published`.
    Ids default to the 1-based position; repeated ids become `id~2`, … with a `duplicate_id` warning.
    """
    resolve_extractor(extractor)  # fail now, not once per article, when the extractor cannot be imported
    n = (os.cpu_count() or 1) if workers is None else workers
    items = unique_ids(as_articles(articles))
    yield from run_pool(items, workers=n, limits=limits, extractor=extractor, mode="record",  # type: ignore[misc]
                        ordered=ordered, chunk_size=chunk_size)


# --- a whole batch: inputs → OUT + errors file ------------------------------------------------------------------------


@dataclass
class BatchSummary:
    """What one `rasd batch` run did; `articles == skipped + records + errors` always (conservation)."""

    articles: int = 0
    records: int = 0
    facts: int = 0
    errors: int = 0
    skipped: int = 0  # already in OUT (--resume)
    seconds: float = 0.0
    out: str = ""
    errors_path: str = ""
    error_codes: dict[str, int] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)  # message → error code: what to install (missing_extra)

    @property
    def conserved(self) -> bool:
        """Every article read ended in OUT (now or in an earlier run) or in the errors file."""
        return self.articles == self.skipped + self.records + self.errors

    def line(self) -> str:
        """The one-line summary printed at the end of a run."""
        rate = (self.articles - self.skipped) / self.seconds if self.seconds > 0 else 0.0
        parts = [f"{self.articles} articles", f"{self.records} records", f"{self.facts} facts",
                 f"{self.errors} errors", f"{self.seconds:.1f} s", f"{rate:,.0f} articles/s"]
        if self.skipped:
            parts.insert(4, f"{self.skipped} already in OUT")
        tail = ""
        if self.errors:
            codes = ", ".join(f"{c} {n}" for c, n in sorted(self.error_codes.items(), key=lambda kv: -kv[1]))
            tail = f" (errors in {self.errors_path}: {codes})"
        notes = "".join(f"\n{code}: {message}" for message, code in self.notes.items())
        return ", ".join(parts) + tail + notes


def load_extractor(extractor: str) -> None:
    """Import the extraction function before a run: a broken or misnamed extractor is bad usage (exit 2), not one
    identical error line per article."""
    try:
        resolve_extractor(extractor)
    except Exception as exc:
        raise RasdError(f"cannot load the extractor {extractor!r}: {type(exc).__name__}: {exc}",
                        "extractor_unavailable") from None


@contextmanager
def run_outputs(out: str | os.PathLike[str], fmt: str | None, errors: str | os.PathLike[str] | None, *,
                resume: bool, progress: bool, started: float, total_bytes: int | None = None
                ) -> Iterator[tuple[Any, Any, BatchSummary, Any]]:
    """OUT, the errors file, the summary and the progress bar of one run (local or on Dask): on success both files
    are finished (atomic rename) and the summary completed; on failure what was written stays in the journal.
    With `total_bytes` (the inputs' size, when known) the bar counts bytes read and shows a total and an ETA."""
    from .writers import ErrorOutput, RecordOutput, StreamErrorOutput, StreamOutput

    to_stdout = str(out) == "-"
    if to_stdout and resume:
        raise RasdError("--resume needs an output file, not - (standard output)", "bad_usage")
    output: Any = StreamOutput(sys.stdout, fmt) if to_stdout else RecordOutput(out, fmt, resume=resume)
    errors_to_stderr = str(errors) == "-" or (to_stdout and errors is None)
    summary = BatchSummary(out="standard output" if to_stdout else str(out),
                           errors_path="standard error" if errors_to_stderr else str(errors or f"{out}.errors.jsonl"))
    try:
        err_out: Any = StreamErrorOutput(sys.stderr) if errors_to_stderr else ErrorOutput(summary.errors_path)
    except BaseException:
        output.close()
        raise
    bar = None
    if progress:
        import tqdm

        tqdm.tqdm.monitor_interval = 0  # no monitor thread: workers are forked
        if total_bytes:
            bar = tqdm.tqdm(total=total_bytes, unit="B", unit_scale=True, unit_divisor=1000, file=sys.stderr,
                            mininterval=0.5, dynamic_ncols=True)
        else:
            bar = tqdm.tqdm(unit=" articles", file=sys.stderr, mininterval=0.5, dynamic_ncols=True)
    try:
        yield output, err_out, summary, bar
    except BaseException:
        output.flush()
        output.close()
        err_out.close()
        raise
    finally:
        if bar is not None:
            bar.close()
    output.finish()
    err_out.finish()
    summary.errors = err_out.count
    summary.error_codes = dict(err_out.by_code)
    summary.seconds = time.perf_counter() - started


def _size_of(path: str) -> int:
    try:
        return os.path.getsize(path) if path != "-" else 0
    except OSError:
        return 0


def input_bytes(inputs: Sequence[str]) -> int | None:
    """The total size of the input files (folders walked), or None when it is not known (standard input)."""
    if "-" in inputs:
        return None
    return sum(_size_of(p.path) for p in list_partitions(inputs))


def convert(inputs: Sequence[str], out: str | os.PathLike[str], *, fmt: str | None = None,
            errors: str | os.PathLike[str] | None = None, workers: int | None = None, resume: bool = False,
            ordered: bool = True, limits: Limits = DEFAULT_LIMITS, extractor: str = DEFAULT_EXTRACTOR,
            progress: bool = False, chunk_size: int = 64, options: InputOptions = DEFAULT_OPTIONS) -> BatchSummary:
    """Convert every article of `inputs` into OUT (+ an errors file): the library behind `rasd batch`. OUT `-` is
    standard output (JSON Lines or CSV; errors then go to standard error unless `errors` names a file); `options`
    say how to read the inputs (encoding, the text/id/date fields, what `-` holds)."""
    from .writers import output_files

    started = time.perf_counter()
    check_inputs(inputs)
    load_extractor(extractor)
    total = input_bytes(inputs) if progress else None
    with run_outputs(out, fmt, errors, resume=resume, progress=progress, started=started, total_bytes=total) as (
            output, err_out, summary, bar):
        done = output.done_ids
        exclude = output_files(out, summary.errors_path)
        by_bytes = bar is not None and bool(total)

        def read() -> Iterator[Item]:
            """The inputs' articles; with a bytes bar, each file's bytes are counted as its articles are read (the
            text's size within the file, the file's exact size once it is done)."""
            parts = list_partitions(inputs, limits=limits, exclude=exclude, options=options)
            for p in parts:
                size = _size_of(p.path) if by_bytes else 0
                seen = 0
                for item in read_partition(p, limits, options):
                    if by_bytes and isinstance(item, Article):
                        body = item.text if item.text is not None else item.html
                        n = len(body.encode("utf-8", "surrogatepass")) if isinstance(body, str) else \
                            len(body) if isinstance(body, bytes) else 0
                        step = min(n, size - seen)
                        if step > 0:
                            seen += step
                            bar.update(step)
                    yield item
                if by_bytes and size > seen:
                    bar.update(size - seen)

        def source() -> Iterator[Item]:
            for item in unique_ids(read()):
                summary.articles += 1
                if item.id in done:
                    summary.skipped += 1
                    continue
                yield item  # an article needing a missing extra becomes a missing_extra error line

        n = (os.cpu_count() or 1) if workers is None else workers
        last_flush = time.monotonic()
        for result in run_pool(source(), workers=n, limits=limits, extractor=extractor, mode="json",
                               ordered=ordered, chunk_size=chunk_size):
            if isinstance(result, ArticleError):
                err_out.add(result)
                if result.code == "missing_extra" and len(summary.notes) < 5:
                    summary.notes.setdefault(result.message, result.code)
            else:
                _, line, nfacts = result  # type: ignore[misc]
                output.add(line)
                summary.records += 1
                summary.facts += nfacts
            if bar is not None and not by_bytes:
                bar.update(1)
            now = time.monotonic()
            if by_bytes and now - last_flush > 0.5:
                bar.set_postfix_str(f"{summary.records + err_out.count:,} articles", refresh=False)
            if now - last_flush > 0.5:
                output.flush()
                err_out.flush()
                last_flush = now
    return summary
