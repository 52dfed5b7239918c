"""Workers never outlive their batch (issue 23): after `kill -9` of `rasd batch` (or of a script in the middle of
`extract_many`) every worker process ends within a few seconds, instead of waiting forever on a pipe."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from batch_support import DISTRACTOR, REPORT, REPORT_2

pytestmark = pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads process trees from /proc")

TESTS = Path(__file__).resolve().parent


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")])}


def _long_input(path: Path, n: int = 30_000) -> Path:
    texts = [REPORT, DISTRACTOR, REPORT_2 + " " + DISTRACTOR]
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            f.write(json.dumps({"id": f"a{i}", "text": texts[i % 3]}, ensure_ascii=False) + "\n")
    return path


def _children(pid: int) -> list[int]:
    """The child processes of `pid`, started by any of its threads."""
    out: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            out += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return out


def _start_time(pid: int) -> str | None:
    """The process's start time (field 22 of /proc/PID/stat), None when it is gone or a zombie: dead either way
    (who reaps an orphan is up to the init process of the machine or container)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2:].split()
    return None if fields[0] in ("Z", "X") else fields[19]


def _workers_of(proc: subprocess.Popen[bytes], n: int) -> dict[int, str]:
    """Wait until `proc` has started `n` worker processes and they are extracting; their pids and start times."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else "exited"
        kids = _children(proc.pid)
        if len(kids) >= n:
            time.sleep(1.0)  # past the workers' start-up: they are reading chunks off their pipes
            starts = {k: _start_time(k) for k in _children(proc.pid)}
            return {k: s for k, s in starts.items() if s is not None}
        time.sleep(0.05)
    raise AssertionError(f"no {n} workers after 60 s")


def _kill_and_watch(proc: subprocess.Popen[bytes], workers: dict[int, str], within: float = 5.0) -> list[int]:
    """kill -9 the parent; the workers still alive (same pid, same start time) after `within` seconds."""
    assert proc.poll() is None, "the batch finished before it could be killed: make the input longer"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    deadline = time.monotonic() + within
    alive = list(workers)
    while alive and time.monotonic() < deadline:
        time.sleep(0.1)
        alive = [w for w in alive if _start_time(w) == workers[w]]
    for w in alive:  # do not leave them behind for the rest of the suite
        os.kill(w, signal.SIGKILL)
    return alive


def test_kill_9_of_rasd_batch_ends_every_worker_within_seconds(tmp_path: Path) -> None:
    src = _long_input(tmp_path / "in.jsonl")
    out = tmp_path / "out.jsonl"
    cmd = [sys.executable, "-m", "extractor.cli", "batch", str(src), "-o", str(out), "--workers", "2", "-q"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=_env())
    workers = _workers_of(proc, 2)
    assert len(workers) == 2
    assert _kill_and_watch(proc, workers) == []


def test_kill_9_of_a_script_using_extract_many_from_a_thread_ends_its_workers(tmp_path: Path) -> None:
    # Started from a thread that is not the main one, the pool cannot use the kernel's parent-death signal (Linux
    # ties it to the starting thread): the workers' own watch of their parent must end them.
    src = _long_input(tmp_path / "in.jsonl")
    script = textwrap.dedent(f"""
        import json, threading
        from extractor import extract_many
        def run():
            arts = (json.loads(line) for line in open({str(src)!r}, encoding="utf-8"))
            for _ in extract_many(arts, workers=2):
                pass
        t = threading.Thread(target=run)
        t.start()
        t.join()
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env=_env())
    workers = _workers_of(proc, 2)
    assert len(workers) == 2
    assert _kill_and_watch(proc, workers) == []


def test_a_worker_whose_parent_is_already_gone_ends_at_once(tmp_path: Path) -> None:
    # The race the check after prctl closes: the parent died between the fork and the worker's first line.
    script = textwrap.dedent("""
        import os, sys, time
        from extractor.batch import _die_with_parent
        _die_with_parent(os.getppid() + 1_000_000, kernel_signal=True)  # not our parent: as if it had died
        time.sleep(30)
        sys.exit(0)
    """)
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-c", script], env=_env(), timeout=60)
    assert proc.returncode == 1 and time.monotonic() - started < 20


def recording_extract(text: str, **kw: object) -> object:
    """fake_extract that notes which process ran it on which text (RASD_TEST_CALLS names the file)."""
    from batch_support import fake_extract

    with open(os.environ["RASD_TEST_CALLS"], "a", encoding="utf-8") as f:
        f.write(f"{os.getpid()}\t{text[:20]}\n")
    return fake_extract(text, **kw)  # type: ignore[arg-type]


def test_the_parent_builds_the_rules_before_it_forks_its_workers(tmp_path: Path, monkeypatch) -> None:
    import multiprocessing as mp

    from extractor.batch import _WARM_UP_TEXTS, extract_many

    if "fork" not in mp.get_all_start_methods():
        pytest.skip("workers are spawned here: each builds its own rules")
    calls = tmp_path / "calls.tsv"
    monkeypatch.setenv("RASD_TEST_CALLS", str(calls))
    records = list(extract_many([REPORT, REPORT_2, DISTRACTOR], workers=2,
                                extractor="test_batch_workers:recording_extract"))
    assert [len(r.facts) for r in records] == [1, 1, 0]
    seen = [line.split("\t") for line in calls.read_text(encoding="utf-8").splitlines()]
    in_parent = [text for pid, text in seen if int(pid) == os.getpid()]
    assert in_parent == [t[:20] for t in _WARM_UP_TEXTS]  # the warm-up only: the articles went to the workers
    assert {text for pid, text in seen if int(pid) != os.getpid()} >= {REPORT[:20], REPORT_2[:20], DISTRACTOR[:20]}
