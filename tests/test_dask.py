"""rasd on a real Dask LocalCluster (2 worker processes): `--dask` gives the records and errors of a local run,
repeated ids are renamed as a local run does, --resume works, a killed worker loses and doubles nothing, an article
that always kills its worker or never ends becomes one error line; `extract_bag` and `records_to_dataframe`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from batch_support import DISTRACTOR, FAKE, REPORT, REPORT_2, fake_extract

pytest.importorskip("distributed", reason="the [dask] extra (dask[distributed]) is not installed")

from extractor.batch import convert
from extractor.cli import main
from extractor.dask import convert_on_dask, extract_bag, partition_tasks, records_to_dataframe
from extractor.readers import Limits, list_partitions
from extractor.writers import csv_columns, iter_records

TESTS = Path(__file__).resolve().parent
SMALL_TASKS = 6_000  # bytes of input per task: the test inputs split into many tasks and JSONL byte ranges


@pytest.fixture(scope="module")
def client():
    import logging

    from distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                           silence_logs=logging.ERROR)
    c = Client(cluster)
    yield c
    c.close()
    cluster.close()


def crash_once_extract(text: str, published: str | None = None, url: str | None = None, id: str | None = None,
                       title: str | None = None):
    """fake_extract, except that the first article holding `CRASH_ONCE:<flag file>` kills its process (once)."""
    if "CRASH_ONCE:" in text:
        flag = Path(text.split("CRASH_ONCE:", 1)[1].split()[0])
        try:
            fd = os.open(flag, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            pass
        else:
            os.write(fd, str(os.getpid()).encode())
            os.close(fd)
            os._exit(9)
    return fake_extract(text, published=published, url=url, id=id, title=title)


def article_text(i: int) -> str:
    if i % 4 == 0:
        return f"{DISTRACTOR} ({i})"
    body = REPORT if i % 2 else REPORT_2
    return body.replace("12 مليون", f"{i + 1} مليون").replace("7 مليون", f"{i + 3} مليون")


def make_inputs(root: Path, n_jsonl: int = 160, extra_lines: list[str] | None = None) -> list[str]:
    """A folder of .txt files, two JSONL files (ids repeated within and across them, bad lines), and a zip."""
    texts = root / "scraped"
    texts.mkdir(parents=True)
    for i in range(25):
        (texts / f"page-{i:02d}.txt").write_text(article_text(i), encoding="utf-8")
    (texts / "empty.txt").write_bytes(b"")
    lines = []
    for i in range(n_jsonl):
        obj: dict[str, object] = {"text": article_text(i), "published": "2024-10-20"}
        if i % 7:
            obj["id"] = f"a-{i}" if i % 23 else "dup"
        if i == 40:
            obj["published"] = "last Tuesday"
        lines.append(json.dumps(obj, ensure_ascii=False))
    lines[50] = "{not json"
    lines[51] = "[1, 2]"
    lines[52] = json.dumps({"id": "no-text", "title": "t"})
    lines += extra_lines or []
    (root / "a.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    more = [json.dumps({"id": "dup" if i % 10 == 0 else f"b-{i}", "text": article_text(i + 1000)},
                       ensure_ascii=False) for i in range(60)]
    (root / "b.jsonl").write_text("\n".join(more) + "\n", encoding="utf-8")
    with zipfile.ZipFile(root / "export.zip", "w") as zf:
        for i in range(30):
            zf.writestr(f"day{i % 3}/item-{i:02d}.txt", article_text(i + 2000))
    return [str(texts), str(root / "a.jsonl"), str(root / "b.jsonl"), str(root / "export.zip")]


def lines_of(path: Path) -> list[str]:
    return sorted(path.read_text(encoding="utf-8").splitlines())


def test_partition_tasks_group_small_partitions_and_split_jsonl(tmp_path):
    inputs = make_inputs(tmp_path)
    parts = list(list_partitions(inputs, split_bytes=SMALL_TASKS, zip_members=10))
    tasks = list(partition_tasks(parts, SMALL_TASKS))
    assert [p for t in tasks for p in t] == parts  # every partition once, in order
    assert any(len(t) > 1 for t in tasks)  # small .txt files share a task
    assert sum(1 for p in parts if p.path.endswith("a.jsonl")) > 3  # a.jsonl is read in byte ranges
    assert sum(1 for p in parts if p.kind == "zip") == 3


def test_dask_run_gives_the_records_and_errors_of_a_local_run(tmp_path, client):
    inputs = make_inputs(tmp_path / "in")
    local = convert(inputs, tmp_path / "local.jsonl", workers=2)
    dist = convert_on_dask(inputs, tmp_path / "dask.jsonl", address=client, partition_bytes=SMALL_TASKS)
    assert dist.conserved and local.conserved
    assert (dist.articles, dist.records, dist.facts, dist.errors) == (local.articles, local.records, local.facts,
                                                                      local.errors)
    assert dist.errors >= 4 and dist.facts > 100
    # ordered: the very same bytes, not only the same records
    assert (tmp_path / "dask.jsonl").read_bytes() == (tmp_path / "local.jsonl").read_bytes()
    assert lines_of(tmp_path / "dask.jsonl.errors.jsonl") == lines_of(tmp_path / "local.jsonl.errors.jsonl")
    ids = [r["id"] for r in iter_records(tmp_path / "dask.jsonl")]
    assert len(ids) == len(set(ids)) and {"dup", "dup~2", "dup~3"} <= set(ids)
    renamed = next(r for r in iter_records(tmp_path / "dask.jsonl") if r["id"] == "dup~2")
    assert [w["code"] for w in renamed["warnings"]][:1] == ["duplicate_id"]


def test_unordered_dask_run_through_the_command_line_writes_the_same_records(tmp_path, client):
    inputs = make_inputs(tmp_path / "in")
    assert main(["batch", *inputs, "-o", str(tmp_path / "local.csv"), "--workers", "0", "--quiet"]) == 1
    status = main(["batch", *inputs, "-o", str(tmp_path / "dask.csv"), "--dask", client.scheduler.address,
                   "--unordered", "--partition-size", "5k", "--quiet"])
    assert status == 1  # some articles in the errors file
    # unordered: the `~N` suffixes of a repeated id follow the order tasks finish in; every other row is the same
    local, dist = lines_of(tmp_path / "local.csv"), lines_of(tmp_path / "dask.csv")
    assert [x for x in dist if not x.startswith("dup")] == [x for x in local if not x.startswith("dup")]
    assert sum(x.startswith("dup") for x in dist) == sum(x.startswith("dup") for x in local) > 3
    assert lines_of(tmp_path / "dask.csv.errors.jsonl") == lines_of(tmp_path / "local.csv.errors.jsonl")


def test_resume_on_dask_converts_only_the_missing_articles(tmp_path, client):
    inputs = make_inputs(tmp_path / "in")
    full = convert(inputs, tmp_path / "full.jsonl", workers=0, extractor=FAKE)
    out = tmp_path / "resumed.jsonl"
    first = convert(inputs[1:2], out, workers=0, extractor=FAKE)  # a.jsonl only: its "dup" is done already
    again = convert_on_dask(inputs, out, address=client, resume=True, partition_bytes=SMALL_TASKS, extractor=FAKE)
    assert again.conserved and again.skipped == first.records  # a.jsonl's error lines are tried again
    assert lines_of(out) == lines_of(tmp_path / "full.jsonl")
    assert again.articles == full.articles


def test_a_worker_killed_mid_task_loses_and_doubles_nothing(tmp_path, client):
    flag = tmp_path / "crashed.flag"
    inputs = make_inputs(tmp_path / "in", extra_lines=[json.dumps({"id": "boom", "text": f"{REPORT} CRASH_ONCE:{flag}"},
                                                                  ensure_ascii=False)])
    workers_before = set(client.scheduler_info()["workers"])
    reference = convert(inputs, tmp_path / "local.jsonl", workers=0, extractor=FAKE)
    assert not flag.exists()  # the local reference run used the plain stand-in
    summary = convert_on_dask(inputs, tmp_path / "dask.jsonl", address=client, partition_bytes=SMALL_TASKS,
                              extractor="test_dask:crash_once_extract")
    assert flag.exists()  # a worker process really died in the middle of a task
    assert summary.conserved and (summary.records, summary.errors) == (reference.records, reference.errors)
    assert lines_of(tmp_path / "dask.jsonl") == lines_of(tmp_path / "local.jsonl")
    assert lines_of(tmp_path / "dask.jsonl.errors.jsonl") == lines_of(tmp_path / "local.jsonl.errors.jsonl")
    client.wait_for_workers(2, timeout=60)
    assert set(client.scheduler_info()["workers"]) != workers_before  # the nanny started a new worker


def test_an_article_that_always_kills_its_worker_or_never_ends_becomes_one_error(tmp_path, client):
    src = tmp_path / "in.jsonl"
    rows = [{"id": f"n-{i}", "text": article_text(i)} for i in range(40)]
    rows[7] = {"id": "crasher", "text": f"{REPORT} RASD_TEST_CRASH"}
    rows[23] = {"id": "spinner", "text": f"{REPORT} RASD_TEST_SPIN"}
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    limits = Limits(time_limit=0.5)
    local = convert([str(src)], tmp_path / "local.jsonl", workers=1, extractor=FAKE, limits=limits)
    summary = convert_on_dask([str(src)], tmp_path / "dask.jsonl", address=client, partition_bytes=2_000,
                              extractor=FAKE, limits=limits, retries=0)
    client.wait_for_workers(2, timeout=60)
    assert summary.conserved and summary.error_codes == {"worker_died": 1, "timeout": 1} == local.error_codes
    assert (tmp_path / "dask.jsonl").read_bytes() == (tmp_path / "local.jsonl").read_bytes()
    errors = [json.loads(x) for x in lines_of(tmp_path / "dask.jsonl.errors.jsonl")]
    assert {e["id"]: e["error"]["code"] for e in errors} == {"crasher": "worker_died", "spinner": "timeout"}


def test_extract_bag_and_records_to_dataframe(client):
    from dask import bag as db

    items = [article_text(i) for i in range(6)] + [{"id": "x-1", "text": article_text(9), "published": "2024-01-02"},
                                                    {"id": "x-1", "text": REPORT_2}, {"id": "empty", "text": "  "}]
    bag = db.from_sequence(items, npartitions=3)
    out = extract_bag(bag, extractor=FAKE).compute()
    assert len(out) == len(items)
    errors = [r for r in out if "error" in r]
    assert [(e["id"], e["error"]["code"]) for e in errors] == [("empty", "empty")]
    records = [r for r in out if "error" not in r]
    ids = [r["id"] for r in records]
    assert ids[:6] == ["0:1", "0:2", "0:3", "1:1", "1:2", "1:3"] and ids[6:] == ["x-1", "x-1~2"]
    for rec, text in zip(records[:6], items[:6], strict=True):
        assert [f["value"] for f in rec["facts"]] == [f.value for f in fake_extract(text).facts]
        for f in rec["facts"]:
            assert text[f["evidence"]["start"]:f["evidence"]["end"]] == f["evidence"]["text"]
    assert records[6]["published"] == "2024-01-02"

    frame = records_to_dataframe(extract_bag(bag, extractor=FAKE)).compute()
    article_cols, fact_cols = csv_columns()
    assert list(frame.columns) == article_cols + fact_cols
    assert len(frame) == sum(max(1, len(r["facts"])) for r in records)  # one row per fact, one for a factless one
    with_facts = frame[frame["metric"].notna()]
    assert (with_facts["value"] >= 1_000_000).all() and set(with_facts["unit"]) == {"count"}
    assert set(frame.loc[frame["id"] == "x-1~2", "warnings"]) == {"duplicate_id"}
    same = records_to_dataframe(records).compute()
    assert same.reset_index(drop=True).equals(frame.reset_index(drop=True))


def test_without_dask_the_command_names_the_extra(tmp_path):
    (tmp_path / "a.txt").write_text(REPORT, encoding="utf-8")
    code = ("import sys; sys.modules['dask'] = None\n"  # `import dask` fails as if it were not installed
            "from extractor.cli import main\n"
            "from extractor.dask import extract_bag\n"
            "from extractor.errors import MissingExtraError\n"
            "try:\n    extract_bag([])\nexcept MissingExtraError as exc:\n    print(exc.message)\n"
            f"sys.exit(main(['batch', {str(tmp_path / 'a.txt')!r}, '-o', {str(tmp_path / 'o.jsonl')!r}, "
            "'--dask', 'local']))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    from extractor.errors import install_command

    assert install_command("dask") in proc.stdout and install_command("dask") in proc.stderr
