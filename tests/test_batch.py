"""extract_many and `rasd batch`: order, ids, conservation, time limits, crashed workers, bounded memory, exit codes,
and a run killed with SIGKILL then resumed giving the same records as an uninterrupted one."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from batch_support import DISTRACTOR, FAKE, REPORT, REPORT_2, html_page

import extractor
from extractor.batch import check_published, extract_many, process_article, run_pool
from extractor.cli import main
from extractor.model import ArticleRecord
from extractor.readers import Article, ArticleError, Limits

TESTS = Path(__file__).resolve().parent
FAST = Limits(time_limit=0.5)


def texts(n: int) -> list[str]:
    return [f"{REPORT} ({i})" if i % 3 else f"{DISTRACTOR} {i}" for i in range(n)]


# --- process_article -----------------------------------------------------------------------------------------------


def test_process_article_returns_a_record_with_the_article_id_and_input_warnings():
    art = Article("a-1", "src", text=REPORT, url="https://example.org/x", title="t", published="2024-10-20T08:00:00Z")
    art.warnings.append(("duplicate_id", "renamed"))
    rec = process_article(art, extractor=FAKE)
    assert isinstance(rec, ArticleRecord)
    assert (rec.id, rec.url, rec.title, rec.published) == ("a-1", "https://example.org/x", "t", "2024-10-20")
    assert [w.code for w in rec.warnings] == ["duplicate_id"] and len(rec.facts) == 1


@pytest.mark.parametrize("value,expected,warned", [
    ("2024-10-20", "2024-10-20", False), ("2024-10-20T23:59:00+03:00", "2024-10-20", False),
    ("2024-10-20 10:00", "2024-10-20", False), (None, None, False), ("", None, False),
    ("20/10/2024", None, True), ("2024-13-01", None, True), ("2024-10", None, True), (20241020, None, True),
    ("٢٠٢٤-١٠-٢٠", None, True),
])
def test_check_published_accepts_iso_dates_only(value, expected, warned):
    got, problem = check_published(value)
    assert got == expected and (problem is not None) == warned


def test_process_article_reads_html_without_inventing_a_date():
    page = html_page("تقرير الربع", [REPORT, REPORT_2])
    rec = process_article(Article("p", "src", html=page.encode()), extractor=FAKE)
    assert isinstance(rec, ArticleRecord) and rec.published is None and rec.title
    assert len(rec.facts) == 2
    dated = process_article(Article("p", "src", html=html_page("x", [REPORT, REPORT_2], date="2024-10-20")),
                            extractor=FAKE)
    assert isinstance(dated, ArticleRecord) and dated.published == "2024-10-20"
    given = process_article(Article("p", "src", html=html_page("x", [REPORT, REPORT_2], date="2024-10-20"),
                                    published="2024-11-01"), extractor=FAKE)
    assert isinstance(given, ArticleRecord) and given.published == "2024-11-01"  # the input's own date wins


@pytest.mark.parametrize("article,code", [
    (Article("x", "s"), "no_text"),
    (Article("x", "s", text=3.5), "text_not_string"),
    (Article("x", "s", text=" \u200f\n"), "empty"),
    (Article("x", "s", text="a\x00b"), "binary"),
    (Article("x", "s", text="ب" * 101), "too_large"),
    (Article("x", "s", text="RASD_TEST_RAISE"), "extract_failed"),
    (Article("x", "s", text="RASD_TEST_SPIN"), "timeout"),
])
def test_process_article_turns_bad_articles_into_coded_errors(article, code):
    err = process_article(article, Limits(max_article_bytes=100, time_limit=0.3), extractor=FAKE)
    assert isinstance(err, ArticleError) and (err.id, err.source, err.code) == ("x", "s", code)


def test_the_extractor_is_looked_up_when_called():
    rec = process_article("نص", extractor="batch_support:fake_extract")
    assert isinstance(rec, ArticleRecord) and rec.extractor_version == "test"
    err = process_article("نص", extractor="extractor.no_such_module:extract")
    assert isinstance(err, ArticleError) and err.code == "extract_failed"


# --- extract_many --------------------------------------------------------------------------------------------------


def test_extract_many_is_the_public_api():
    assert extractor.extract_many is extract_many


@pytest.mark.parametrize("workers", [0, 1, 2])
def test_extract_many_keeps_input_order_and_default_ids(workers):
    items = texts(150)
    out = list(extract_many(items, workers=workers, extractor=FAKE, chunk_size=8))
    assert [r.id for r in out] == [str(i) for i in range(1, 151)]
    assert [len(r.facts) for r in out] == [1 if i % 3 else 0 for i in range(150)]


def test_extract_many_unordered_yields_the_same_records():
    items = [{"id": f"d{i}", "text": t} for i, t in enumerate(texts(120))]
    ordered = list(extract_many(items, workers=2, extractor=FAKE, chunk_size=5))
    unordered = list(extract_many(items, workers=2, extractor=FAKE, chunk_size=5, ordered=False))
    assert sorted(r.to_json() for r in unordered) == sorted(r.to_json() for r in ordered)


def test_extract_many_yields_errors_in_place_and_goes_on():
    items = [REPORT, {"text": 7}, "RASD_TEST_RAISE", {"id": "k", "text": REPORT_2, "published": "soon"}, "   "]
    out = list(extract_many(items, workers=2, extractor=FAKE, chunk_size=2))
    assert [type(r).__name__ for r in out] == ["ArticleRecord", "ArticleError", "ArticleError", "ArticleRecord",
                                               "ArticleError"]
    assert [getattr(r, "code", None) for r in out] == [None, "text_not_string", "extract_failed", None, "empty"]
    assert [w.code for w in out[3].warnings] == ["bad_published"] and out[3].id == "k"


def test_extract_many_makes_repeated_ids_unique():
    out = list(extract_many([{"id": "a", "text": REPORT}, {"id": "a", "text": REPORT_2}, {"text": "x", "id": "2"}],
                            workers=0, extractor=FAKE))
    assert [r.id for r in out] == ["a", "a~2", "2"]


def test_a_pathological_article_times_out_and_the_batch_goes_on():
    items = [REPORT, "RASD_TEST_SPIN", REPORT_2, "RASD_TEST_SPIN", DISTRACTOR]
    started = time.monotonic()
    out = list(extract_many(items, workers=2, limits=FAST, extractor=FAKE, chunk_size=1))
    assert [getattr(r, "code", "record") for r in out] == ["record", "timeout", "record", "timeout", "record"]
    assert time.monotonic() - started < 10


def test_a_worker_stuck_where_the_alarm_cannot_reach_is_stopped_by_the_parent():
    items = [REPORT, "RASD_TEST_STUCK", REPORT_2, DISTRACTOR]
    started = time.monotonic()
    out = list(extract_many(items, workers=1, limits=FAST, extractor=FAKE, chunk_size=4))
    assert [getattr(r, "code", "record") for r in out] == ["record", "timeout", "record", "record"]
    assert "stopped" in out[1].message and time.monotonic() - started < 15


def test_a_crashed_worker_costs_one_article_not_the_batch():
    items = [REPORT, REPORT_2, "RASD_TEST_CRASH", DISTRACTOR, "RASD_TEST_CRASH", REPORT]
    out = list(extract_many(items, workers=2, extractor=FAKE, chunk_size=3))
    assert [getattr(r, "code", "record") for r in out] == ["record", "record", "worker_died", "record",
                                                           "worker_died", "record"]
    assert [r.id for r in out] == [str(i) for i in range(1, 7)]


def test_input_is_pulled_lazily_so_memory_stays_bounded():
    pulled = 0

    def endless():
        nonlocal pulled
        while True:
            pulled += 1
            yield REPORT

    it = run_pool(endless(), workers=2, extractor=FAKE, chunk_size=10)
    first = [next(it) for _ in range(5)]
    it.close()  # stops the workers
    assert len(first) == 5
    # Bounded by design: chunks in flight (workers × 2), finished chunks waiting to be emitted in order (at most
    # 8 × workers) and the chunk being built; an endless input is never read ahead further than that.
    workers, chunk, in_flight, waiting = 2, 10, 2, 8 * 2
    assert pulled <= (workers * in_flight + waiting + 1) * chunk + 1


def test_one_slow_article_does_not_let_finished_chunks_pile_up(monkeypatch):
    import extractor.batch as batch

    peak = 0
    real_chunks = batch._chunks

    def counting_chunks(*args, **kwargs):
        nonlocal peak
        for n, chunk in enumerate(real_chunks(*args, **kwargs)):
            peak = max(peak, n)
            yield chunk

    monkeypatch.setattr(batch, "_chunks", counting_chunks)
    items = ["RASD_TEST_SPIN"] + [REPORT] * 2000
    it = run_pool(items, workers=2, limits=Limits(time_limit=1.5), extractor=FAKE, chunk_size=5)
    first = next(it)  # the spinning article: everything after it waits in order
    started_chunks = peak
    rest = list(it)
    assert isinstance(first, ArticleError) and first.code == "timeout" and len(rest) == 2000
    assert started_chunks <= 8 * 2 + 2 * 2 + 1  # waiting chunks + chunks in flight, not all 400


# --- rasd batch ----------------------------------------------------------------------------------------------------


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def test_batch_exit_status_and_summary(tmp_path, capsys):
    good = write_jsonl(tmp_path / "good.jsonl", [{"text": t} for t in texts(20)])
    assert main(["batch", str(good), "-o", str(tmp_path / "a.jsonl"), "--extractor", FAKE, "--workers", "2"]) == 0
    summary = capsys.readouterr().err.strip().splitlines()
    assert len(summary) == 1
    assert summary[0].startswith("rasd batch: 20 articles, 20 records, 13 facts, 0 errors, ")
    assert summary[0].endswith(" articles/s")
    assert (tmp_path / "a.jsonl.errors.jsonl").read_text() == ""
    bad = write_jsonl(tmp_path / "bad.jsonl", [{"text": REPORT}, {"txt": REPORT}])
    assert main(["batch", str(bad), "-o", str(tmp_path / "b.jsonl"), "--extractor", FAKE, "--quiet"]) == 1
    assert capsys.readouterr().err == ""
    assert main(["batch", str(bad), "-o", str(tmp_path / "new" / "dir" / "d.jsonl"), "--extractor", FAKE,
                 "--quiet"]) == 1  # missing output folders are created
    assert main(["batch", str(bad), "-o", str(tmp_path), "--extractor", FAKE]) == 2  # OUT is a folder
    assert main(["batch", str(bad), "-o", str(tmp_path / "c.jsonl"), "--workers", "-1"]) == 2
    capsys.readouterr()
    assert main(["batch", str(bad), "-o", str(tmp_path / "d.jsonl"), "--extractor", "no_such_module:f"]) == 2
    assert "extractor_unavailable" in capsys.readouterr().err and not (tmp_path / "d.jsonl").exists()


def test_outputs_inside_an_input_folder_are_not_read_back(tmp_path, capsys):
    data = tmp_path / "data"
    data.mkdir()
    write_jsonl(data / "in.jsonl", [{"text": REPORT}, {"txt": "no text"}])
    for _ in range(2):  # the second run finds out.jsonl and its errors file inside data/
        assert main(["batch", str(data), "-o", str(data / "out.jsonl"), "--extractor", FAKE]) == 1
        assert "2 articles, 1 records" in capsys.readouterr().err


def test_html_pages_and_web_archives_become_records_with_their_metadata(tmp_path, capsys):
    from batch_support import write_warc

    site = tmp_path / "site"
    (site / "2024").mkdir(parents=True)
    (site / "2024" / "q3.html").write_text(html_page("بيان الربع الثالث", [REPORT, REPORT_2], date="2024-10-20"),
                                           encoding="utf-8")
    (site / "2024" / "undated.htm").write_text(html_page("بلا تاريخ", [REPORT_2, DISTRACTOR]), encoding="utf-8")
    write_warc(site / "crawl.warc.gz", [("response", "https://news.example/q4", html_page(
        "بيان الربع الرابع", [REPORT, DISTRACTOR], date="2025-01-15").encode(), "text/html; charset=utf-8")])
    assert main(["batch", str(site), "-o", str(tmp_path / "o.jsonl"), "--extractor", FAKE, "--workers", "2"]) == 0
    recs = {r["id"]: r for r in map(json.loads, (tmp_path / "o.jsonl").read_text(encoding="utf-8").splitlines())}
    assert list(recs) == ["2024/q3.html", "2024/undated.htm", "crawl.warc.gz#1"]
    assert recs["2024/q3.html"]["published"] == "2024-10-20" and recs["2024/undated.htm"]["published"] is None
    assert recs["crawl.warc.gz#1"]["url"] == "https://news.example/q4"
    assert recs["crawl.warc.gz#1"]["published"] == "2025-01-15"
    assert [len(r["facts"]) for r in recs.values()] == [2, 1, 1]
    assert all(r["title"] for r in recs.values())


def test_unordered_output_holds_the_same_records(tmp_path, capsys):
    src = write_jsonl(tmp_path / "in.jsonl", [{"id": f"u{i}", "text": t} for i, t in enumerate(texts(300))])
    main(["batch", str(src), "-o", str(tmp_path / "a.jsonl"), "--extractor", FAKE, "--workers", "2",
          "--chunk-size", "4"])
    main(["batch", str(src), "-o", str(tmp_path / "b.jsonl"), "--extractor", FAKE, "--workers", "2",
          "--chunk-size", "4", "--unordered"])
    a = (tmp_path / "a.jsonl").read_text(encoding="utf-8").splitlines()
    b = (tmp_path / "b.jsonl").read_text(encoding="utf-8").splitlines()
    assert sorted(a) == sorted(b) and len(a) == 300


def test_batch_reads_one_text_from_standard_input_with_input_format_txt(tmp_path):
    out = tmp_path / "o.jsonl"
    proc = subprocess.run([sys.executable, "-m", "extractor.cli", "batch", "-", "-o", str(out), "--extractor", FAKE,
                           "--input-format", "txt"],
                          input=REPORT.encode(), capture_output=True, env=_env(), timeout=60)
    assert proc.returncode == 0, proc.stderr.decode()
    [rec] = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert rec["id"] == "stdin" and len(rec["facts"]) == 1


def test_errors_file_location_can_be_chosen(tmp_path):
    bad = write_jsonl(tmp_path / "bad.jsonl", [{"txt": REPORT}])
    main(["batch", str(bad), "-o", str(tmp_path / "o.jsonl"), "--errors", str(tmp_path / "e.jsonl"),
          "--extractor", FAKE, "--quiet"])
    [line] = (tmp_path / "e.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(line) == {"id": "bad.jsonl#1", "source": f"{bad}:1",
                                "error": {"code": "no_text", "message": "the article has no 'text' (or 'html')"}}


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")])}


def test_a_run_killed_with_sigkill_and_resumed_gives_the_same_records(tmp_path):
    rows = []
    for i in range(3000):
        marker = " RASD_TEST_SLOW" if i % 2 else ""
        rows.append({"id": f"n{i:05d}", "text": f"{REPORT if i % 3 else DISTRACTOR} {i}{marker}"})
    rows[1500] = {"id": "broken", "text": None}
    src = write_jsonl(tmp_path / "in.jsonl", rows)
    cmd = [sys.executable, "-m", "extractor.cli", "batch", str(src), "--extractor", FAKE, "--workers", "2",
           "--chunk-size", "16", "--quiet"]
    whole = tmp_path / "whole.jsonl"
    subprocess.run([*cmd, "-o", str(whole)], env=_env(), check=False, timeout=300)
    out = tmp_path / "out.jsonl"
    journal = tmp_path / "out.jsonl.partial"
    proc = subprocess.Popen([*cmd, "-o", str(out)], env=_env(), start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and (not journal.exists() or journal.stat().st_size < 200_000):
            time.sleep(0.02)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # the workers of the killed run, if still alive
        except ProcessLookupError:
            pass
    assert proc.returncode == -signal.SIGKILL
    assert not out.exists() and journal.exists()
    kept = journal.read_bytes().count(b"\n")
    assert 0 < kept < 2999
    status = subprocess.run([*cmd, "-o", str(out), "--resume"], env=_env(), timeout=300).returncode
    assert status == 1  # the one broken article
    assert out.read_bytes() == whole.read_bytes()
    assert not journal.exists()
    errors = (tmp_path / "out.jsonl.errors.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(e)["id"] for e in errors] == ["broken"]


# --- with the real extractor ---------------------------------------------------------------------------------------


def test_batch_records_equal_direct_extraction(tmp_path):
    from extractor.facts import extract

    rows = [
        {"id": "q3", "text": "أعلنت منصة تيليجرام بالتعاون مع مركز اعتدال إزالة أكثر من 25 مليون محتوى متطرف خلال "
                             "الربع الثالث من العام الحالي، كما أغلقت 4 آلاف قناة.", "published": "2024-10-20"},
        {"id": "total", "text": "وبلغ إجمالي المحتوى المحذوف منذ انطلاق الشراكة في فبراير 2022 نحو 140 مليون "
                                "مادة دعائية.", "published": "2024-12-02"},
        {"id": "none", "text": DISTRACTOR},
    ]
    src = write_jsonl(tmp_path / "in.jsonl", rows)
    assert main(["batch", str(src), "-o", str(tmp_path / "o.jsonl"), "--workers", "2", "--quiet"]) == 0
    got = [json.loads(x) for x in (tmp_path / "o.jsonl").read_text(encoding="utf-8").splitlines()]
    direct = [extract(r["text"], published=r.get("published"), id=r["id"]).to_dict() for r in rows]
    assert got == direct
    assert sum(len(r["facts"]) for r in got) > 0  # facts flow through the pool into OUT
    for r, row in zip(got, rows, strict=True):
        for f in r["facts"]:
            assert row["text"][f["evidence"]["start"]:f["evidence"]["end"]] == f["evidence"]["text"]
