"""Benchmark: `rasd batch --dask` on a 2-worker LocalCluster against the local process pool (2 workers), one run.

The corpus is the batch bench's synthetic archive (`bench/batch.py`, imported: dev-set-like removal reports, other
takedowns and distractors, 800–3,500 characters), JSONL → JSONL. Both runs go through the library entry points
behind `rasd batch` (`batch.convert` and `dask.convert_on_dask`) in this process, the cluster started before the
Dask run and timed apart. Prints both throughputs and their ratio (target, issue 8: Dask ≥ 0.8× the local pool),
checks that both OUT files hold the same bytes, and says where the Dask overhead goes:

- worker busy time (sum of task compute times from the task stream) against 2 × wall time: the rest is idle workers
  (scheduler round trips, waiting for the client, the last tasks' tail);
- the client's own work (renaming ids, writing OUT, fetching results) and the size of the results it receives
  (serialisation: pickled JSON lines, bytes per article);
- the partition size: tasks, articles per task, seconds per task.

usage: python bench/dask.py [--articles 100000] [--partition-size 4000000] [--dir DIR] [--extractor MODULE:FUNCTION]
"""

from __future__ import annotations

import argparse
import logging
import os
import pickle
import sys
import tempfile
import time
from pathlib import Path

# This file is named like the library it measures: its folder must not be on sys.path, or `import dask` finds it.
BENCH = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != BENCH]
# bench/batch.py (the batch bench's corpus generator, and its `light_extract`) through a folder holding only it, so
# that it imports as `batch` here and in the Dask workers (PYTHONPATH is inherited) without shadowing `dask`.
_ONLY_BATCH = Path(tempfile.mkdtemp(prefix="rasd-bench-path-"))
(_ONLY_BATCH / "batch.py").symlink_to(BENCH / "batch.py")
sys.path.insert(0, str(_ONLY_BATCH))
os.environ["PYTHONPATH"] = os.pathsep.join([str(_ONLY_BATCH), os.environ.get("PYTHONPATH", "")])

from batch import build_corpus  # noqa: E402

from extractor import dask as rasd_dask  # noqa: E402
from extractor.batch import convert  # noqa: E402
from extractor.readers import list_partitions  # noqa: E402


def _load_extractor(spec: str) -> None:
    """Import the extractor and compile its pattern set (every engine, on a text that reaches them all)."""
    from extractor.batch import resolve_extractor

    resolve_extractor(spec)("أعلنت المنصة إزالة 12 مليون محتوى متطرف وإغلاق 3500 قناة خلال الربع الثالث من عام 2024.",
                            published="2024-10-20", url=None, id="warm-up", title=None)


def main() -> None:
    """Build the corpus, time the local pool and the Dask cluster on it, print the figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--partition-size", type=int, default=rasd_dask.DEFAULT_PARTITION_BYTES)
    ap.add_argument("--dir", type=Path, help="where to keep the corpus and outputs (default: a temporary folder)")
    ap.add_argument("--extractor", default="extractor.facts:extract",
                    help="extraction function; `batch:light_extract` (bench/batch.py) measures the machinery alone")
    args = ap.parse_args()
    from distributed import Client, LocalCluster, get_task_stream

    with tempfile.TemporaryDirectory(prefix="rasd-bench-dask-") as tmp:
        d = args.dir or Path(tmp)
        d.mkdir(parents=True, exist_ok=True)
        src = d / f"corpus-{args.articles}.jsonl"
        if not src.exists():
            t0 = time.perf_counter()
            build_corpus(src, args.articles)
            print(f"corpus: {args.articles:,} articles, {src.stat().st_size / 1e6:.0f} MB "
                  f"({time.perf_counter() - t0:.0f} s to build); {os.cpu_count()} CPUs", flush=True)

        # Cluster first, and the extractor loaded in its workers and in this process (whose pool workers are forked
        # from it) at the same moment: both runs then use the same code even if the working tree changes meanwhile.
        t0 = time.perf_counter()
        cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=None,
                               silence_logs=logging.ERROR)
        client = Client(cluster)
        startup = time.perf_counter() - t0
        client.run(_load_extractor, args.extractor)
        _load_extractor(args.extractor)

        local = convert([str(src)], d / "local.jsonl", workers=args.workers, extractor=args.extractor)
        print(f"local pool, {args.workers} workers: {local.seconds:7.1f} s, "
              f"{local.articles / local.seconds:7,.0f} articles/s   ({local.line()})", flush=True)

        client_busy = [0.0]
        received = [0, 0]  # pickled bytes, articles
        add_task = rasd_dask._Sink.add_task

        def timed_add_task(self, result):  # the client's share: ids, journal, errors file
            t = time.perf_counter()
            add_task(self, result)
            client_busy[0] += time.perf_counter() - t
            if received[1] < 20_000:  # sample the serialised size of the first results
                received[0] += len(pickle.dumps(result, protocol=5))
                received[1] += len(result)

        rasd_dask._Sink.add_task = timed_add_task
        with get_task_stream(client) as stream:
            dist = rasd_dask.convert_on_dask([str(src)], d / "dask.jsonl", address=client,
                                             partition_bytes=args.partition_size, extractor=args.extractor)
        rasd_dask._Sink.add_task = add_task
        tasks = [t for t in stream.data if str(t.get("key", "")).startswith("rasd-")]
        busy = sum(s["stop"] - s["start"] for t in tasks for s in t["startstops"] if s["action"] == "compute")
        moved = sum(s["stop"] - s["start"] for t in tasks for s in t["startstops"] if s["action"] != "compute")
        client.close()
        cluster.close()

        rate_local = local.articles / local.seconds
        rate_dask = dist.articles / dist.seconds
        print(f"dask, {args.workers} workers:       {dist.seconds:7.1f} s, {rate_dask:7,.0f} articles/s   "
              f"({dist.line()}); cluster start-up {startup:.1f} s more "
              f"({dist.articles / (dist.seconds + startup):,.0f} articles/s with it)", flush=True)
        same = (d / "dask.jsonl").read_bytes() == (d / "local.jsonl").read_bytes()
        print(f"ratio dask / local pool: {rate_dask / rate_local:.2f}x (target >= 0.8x); "
              f"OUT files identical: {same}"
              + ("" if same else " (did the extractor's code change on disk during the run?)"))
        n_parts = len(list(list_partitions([str(src)], split_bytes=args.partition_size)))
        per_task = dist.articles / max(len(tasks), 1)
        print("where the Dask overhead goes:")
        print(f"  partitions: {n_parts} byte ranges of {args.partition_size / 1e6:.1f} MB = {len(tasks)} tasks, "
              f"{per_task:,.0f} articles and {busy / max(len(tasks), 1):.2f} s of work each")
        print(f"  workers busy {busy:.1f} s of {args.workers} x {dist.seconds:.1f} s = "
              f"{busy / (args.workers * dist.seconds):.0%} (the rest: scheduler round trips, waiting for the "
              f"client, the tail of the last tasks); transfers/other task phases {moved:.1f} s")
        if received[1]:
            print(f"  results: {received[0] / received[1]:,.0f} pickled bytes per article "
                  f"(~{received[0] / received[1] * dist.articles / 1e6:,.0f} MB in all); client work (ids, "
                  f"journal, errors) {client_busy[0]:.1f} s = {client_busy[0] / dist.seconds:.0%} of the wall time, "
                  "on the same 2 cores as the workers")


if __name__ == "__main__":
    main()
