"""The command line used with Unix habits (issue 17, points 3–11): `-` for standard input and output, validated
options, normal file permissions, one line instead of a traceback, records read back in every format, empty inputs,
legacy encodings and field names, limits for `extract`, progress with a total."""

from __future__ import annotations

import io
import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from batch_support import DISTRACTOR, FAKE, REPORT, REPORT_2

from extractor.cli import main

TESTS = Path(__file__).resolve().parent
ARTICLE = ("أعلن مركز «اعتدال» أن الفرق المشتركة مع «تلغرام» أزالت خلال الربع الثالث من العام الحالي "
           "35 مليوناً و634 ألفاً و916 محتوى متطرفاً، وأغلقت 323 قناة.")


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")])}


def _rasd(*args: str, stdin: bytes | None = None, **kw) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "extractor.cli", *args], input=stdin, capture_output=True,
                          env=_env(), timeout=120, **kw)


class _Stdin(io.TextIOWrapper):
    """Standard input with a bytes layer, as a real one has."""


def _stdin(monkeypatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", _Stdin(io.BytesIO(data), encoding="utf-8"))


def _jsonl(rows: list[dict]) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode("utf-8")


# --- 3. `-` is standard input and output -----------------------------------------------------------------------
def test_batch_dash_reads_json_lines_from_standard_input(monkeypatch, tmp_path: Path) -> None:
    _stdin(monkeypatch, _jsonl([{"id": "a", "text": REPORT}, {"id": "b", "text": REPORT_2},
                                {"id": "c", "text": DISTRACTOR}]))
    out = tmp_path / "o.jsonl"
    assert main(["batch", "-", "-o", str(out), "--extractor", FAKE, "--workers", "0", "-q"]) == 0
    assert [json.loads(x)["id"] for x in out.read_text(encoding="utf-8").splitlines()] == ["a", "b", "c"]


def test_batch_dash_reads_csv_with_input_format(monkeypatch, tmp_path: Path) -> None:
    _stdin(monkeypatch, ("id,text\nx1,\"" + REPORT + "\"\nx2,\"" + REPORT_2 + "\"\n").encode("utf-8"))
    out = tmp_path / "o.jsonl"
    assert main(["batch", "-", "--input-format", "csv", "-o", str(out), "--extractor", FAKE, "--workers", "0",
                 "-q"]) == 0
    assert [json.loads(x)["id"] for x in out.read_text(encoding="utf-8").splitlines()] == ["x1", "x2"]


def test_output_dash_writes_json_lines_or_csv_to_standard_output(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_bytes(_jsonl([{"id": "a", "text": REPORT}, {"id": "b", "text": DISTRACTOR}]))
    proc = _rasd("batch", str(src), "-o", "-", "--extractor", FAKE, "--workers", "0")
    assert proc.returncode == 0, proc.stderr.decode()
    assert [json.loads(x)["id"] for x in proc.stdout.decode().splitlines()] == ["a", "b"]
    assert not (tmp_path / "-").exists() and not Path("-").exists()
    proc = _rasd("batch", str(src), "-o", "-", "--format", "csv", "--extractor", FAKE, "--workers", "0")
    lines = proc.stdout.decode().splitlines()
    assert proc.returncode == 0 and lines[0].startswith("id,url,title") and len(lines) == 3


def test_output_dash_sends_error_lines_to_standard_error(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_bytes(_jsonl([{"id": "a", "text": REPORT}]) + b'{"id": "b"}\n')
    proc = _rasd("batch", str(src), "-o", "-", "--extractor", FAKE, "--workers", "0", "-q")
    assert proc.returncode == 1
    assert [json.loads(x)["id"] for x in proc.stdout.decode().splitlines()] == ["a"]
    [err] = [json.loads(x) for x in proc.stderr.decode().splitlines() if x.startswith("{")]
    assert err["id"] == "b" and err["error"]["code"] == "no_text"


def test_an_output_extension_rasd_cannot_write_is_a_usage_error(tmp_path: Path, capsys) -> None:
    src = tmp_path / "in.jsonl"
    src.write_bytes(_jsonl([{"id": "a", "text": REPORT}]))
    assert main(["batch", str(src), "-o", str(tmp_path / "out.xlsx"), "--extractor", FAKE, "--workers", "0"]) == 2
    assert ".xlsx" in capsys.readouterr().err and not (tmp_path / "out.xlsx").exists()
    assert main(["batch", str(src), "-o", str(tmp_path / "out.xlsx"), "--format", "csv", "--extractor", FAKE,
                 "--workers", "0", "-q"]) == 0
    assert (tmp_path / "out.xlsx").read_text(encoding="utf-8").startswith("id,url,title")


# --- 4. user-typed options are validated --------------------------------------------------------------------------
@pytest.mark.parametrize("bad", ["20/10/2024", "2024-10", "Oct 20 2024", "2024-13-01"])
@pytest.mark.parametrize("command", ["extract", "dates"])
def test_a_malformed_published_is_a_usage_error_naming_the_form(bad: str, command: str, capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main([command, "نص", "--published", bad] if command == "dates" else [command, "-", "--published", bad])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "YYYY-MM-DD" in err and bad in err


def test_a_date_from_the_data_stays_a_warning(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_bytes(_jsonl([{"id": "a", "text": REPORT, "published": "20/10/2024"}]))
    out = tmp_path / "o.jsonl"
    assert main(["batch", str(src), "-o", str(out), "--extractor", FAKE, "--workers", "0", "-q"]) == 0
    [rec] = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [w["code"] for w in rec["warnings"]] == ["bad_published"]


# --- 5. outputs get a normal file's permissions -----------------------------------------------------------------
@pytest.mark.parametrize("name", ["o.jsonl", "o.json", "o.csv", "o.parquet"])
def test_outputs_respect_the_umask(tmp_path: Path, name: str) -> None:
    pytest.importorskip("pyarrow")
    src = tmp_path / "in.jsonl"
    src.write_bytes(_jsonl([{"id": "a", "text": REPORT}]))
    old = os.umask(0o022)
    try:
        assert main(["batch", str(src), "-o", str(tmp_path / name), "--extractor", FAKE, "--workers", "0",
                     "-q"]) == 0
    finally:
        os.umask(old)
    for path in (tmp_path / name, tmp_path / f"{name}.errors.jsonl"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o644, path


# --- 6. no tracebacks for what users do ---------------------------------------------------------------------------
def _records(tmp_path: Path) -> Path:
    src = tmp_path / "in.jsonl"
    src.write_bytes(_jsonl([{"id": "a", "text": ARTICLE, "published": "2024-10-20"}]))
    out = tmp_path / "records.jsonl"
    assert main(["batch", str(src), "-o", str(out), "--workers", "0", "-q"]) == 0
    return out


def test_series_and_report_create_their_output_folder(tmp_path: Path) -> None:
    records = _records(tmp_path)
    assert main(["series", str(records), "-o", str(tmp_path / "new" / "deeper" / "s.csv")]) == 0
    assert (tmp_path / "new" / "deeper" / "s.csv").read_text(encoding="utf-8").startswith("row,status,")
    pytest.importorskip("matplotlib")
    assert main(["report", str(records), "-o", str(tmp_path / "other" / "r.html")]) == 0
    assert (tmp_path / "other" / "r.html").stat().st_size > 0


def test_ctrl_c_exits_130_with_one_line(monkeypatch, capsys, tmp_path: Path) -> None:
    import extractor.series

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(extractor.series, "fuse", interrupted)
    assert main(["series", str(_records(tmp_path))]) == 130
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["rasd series: interrupted"]


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a running process, from /proc."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def test_ctrl_c_during_a_real_extraction_exits_130_with_one_line() -> None:
    # The signal must reach rasd inside the extraction of the text, whatever this machine's speed: not during
    # start-up (the imports and the rule compilation, which happen after the input is read), nor after the end.
    # So the start-up's CPU time is measured first on a one-line article, and the long article (~8 MB, tens of
    # seconds of CPU today, seconds even at ten times the speed) is signalled once rasd has used well more than that.
    if not Path("/proc/self/stat").exists():
        pytest.skip("reads CPU time from /proc")
    cmd = [sys.executable, "-m", "extractor.cli", "extract", "-", "--time-limit", "0"]
    before = os.times()
    subprocess.run(cmd, input=ARTICLE.encode("utf-8"), stdout=subprocess.DEVNULL, env=_env(), timeout=120, check=True)
    after = os.times()
    start_up = after.children_user - before.children_user + after.children_system - before.children_system
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env())
    assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
    proc.stdin.write(" ".join([ARTICLE] * 25000).encode("utf-8"))
    proc.stdin.close()
    deadline = time.monotonic() + 120
    while _cpu_seconds(proc.pid) < 1.5 * start_up + 0.2 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert proc.poll() is None, "rasd finished before the signal: make the article longer"
    proc.send_signal(signal.SIGINT)
    out, err = proc.stdout.read(), proc.stderr.read()  # both tiny when interrupted (stdin is closed already)
    proc.wait(timeout=120)
    assert (proc.returncode, err.decode(), out) == (130, "rasd extract: interrupted\n", b"")


def test_series_of_empty_record_files_is_a_warning_and_exit_1(tmp_path: Path, capsys) -> None:
    (tmp_path / "records.jsonl").write_text("", encoding="utf-8")
    assert main(["series", str(tmp_path / "records.jsonl")]) == 1
    assert "warning: no record" in capsys.readouterr().err


def test_a_full_disk_is_one_line_and_exit_1(tmp_path: Path) -> None:
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    src = tmp_path / "a.txt"
    src.write_text(ARTICLE, encoding="utf-8")
    with open("/dev/full", "wb") as full:
        proc = subprocess.run([sys.executable, "-m", "extractor.cli", "extract", str(src)], stdout=full,
                              stderr=subprocess.PIPE, env=_env(), timeout=120)
    err = proc.stderr.decode()
    assert proc.returncode == 1 and "Traceback" not in err
    assert err.strip().splitlines() == ["rasd extract: No space left on device"]


def test_a_closed_pipe_is_one_line_and_exit_1(tmp_path: Path) -> None:
    text = "، ".join(f"أزيل {n} محتوى" for n in range(1000, 40000))
    proc = subprocess.run(["bash", "-c", f"{sys.executable} -m extractor.cli numbers - --json | head -n 1 "
                                         ">/dev/null; echo ${PIPESTATUS[0]} >&2"],
                          input=text.encode(), capture_output=True, env=_env(), timeout=120)
    err = proc.stderr.decode().strip().splitlines()
    assert err == ["rasd numbers: the output was closed before everything was written (broken pipe)", "1"]


# --- 7. series and report read every format rasd writes, and refuse what is not records ------------------------
def test_series_reads_records_in_every_format_rasd_writes(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    src = tmp_path / "in.jsonl"
    second = ARTICLE.replace("35 مليوناً و634 ألفاً و916", "35.6 مليون")
    src.write_bytes(_jsonl([{"id": "a", "text": ARTICLE, "published": "2024-10-20"},
                            {"id": "b", "text": second, "published": "2024-10-21"},
                            {"id": "c", "text": "لا أرقام هنا.", "published": "2024-10-21"}]))
    outputs = {}
    for ext in ("jsonl", "json", "csv", "parquet"):
        out = tmp_path / f"records.{ext}"
        assert main(["batch", str(src), "-o", str(out), "--workers", "0", "-q"]) == 0
        assert main(["series", str(out), "-o", str(tmp_path / f"series-{ext}.csv")]) == 0
        outputs[ext] = (tmp_path / f"series-{ext}.csv").read_text(encoding="utf-8")
    assert outputs["jsonl"].count("\n") == 3  # header, content removed, channels closed
    assert outputs["json"] == outputs["jsonl"] == outputs["csv"] == outputs["parquet"]


@pytest.mark.parametrize("command", ["series", "report"])
def test_articles_given_instead_of_records_are_refused(tmp_path: Path, command: str, capsys) -> None:
    src = tmp_path / "articles.jsonl"
    src.write_bytes(_jsonl([{"id": "a", "text": ARTICLE}]))
    args = [command, str(src)] + (["-o", str(tmp_path / "r.html")] if command == "report" else [])
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "not a rasd record" in err and "rasd batch" in err and "0 facts" not in err


def test_an_article_csv_given_to_series_is_refused(tmp_path: Path, capsys) -> None:
    src = tmp_path / "articles.csv"
    src.write_text("id,text\n1,نص\n", encoding="utf-8")
    assert main(["series", str(src)]) == 2
    assert "not a rasd records CSV" in capsys.readouterr().err


# --- 8. an input without any article --------------------------------------------------------------------------
def test_an_empty_folder_is_a_warning_and_exit_1(tmp_path: Path, capsys) -> None:
    (tmp_path / "empty").mkdir()
    assert main(["batch", str(tmp_path / "empty"), "-o", str(tmp_path / "o.jsonl"), "--extractor", FAKE]) == 1
    err = capsys.readouterr().err
    assert "warning: no article found" in err and str(tmp_path / "empty") in err


# --- 9. legacy encodings and field names ----------------------------------------------------------------------
def test_a_windows_1256_text_file_is_decoded_with_a_warning(tmp_path: Path, capsys) -> None:
    path = tmp_path / "old.txt"
    path.write_bytes(ARTICLE.encode("cp1256"))
    assert main(["extract", str(path), "--published", "2024-10-20", "--compact"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert [f["value"] for f in record["facts"]] == [35634916, 323]
    assert any(w["code"] == "encoding_detected" and "Windows-1256" in w["message"] for w in record["warnings"])
    # Saying the encoding reads it without a guess; saying UTF-8 refuses it.
    assert main(["extract", str(path), "--encoding", "cp1256", "--compact"]) == 0
    assert not [w for w in json.loads(capsys.readouterr().out)["warnings"] if w["code"] == "encoding_detected"]
    assert main(["extract", str(path), "--encoding", "utf-8"]) == 2
    assert "invalid_utf8" in capsys.readouterr().err


def test_iso_8859_6_json_lines_and_csv_in_batch(tmp_path: Path) -> None:
    data = tmp_path / "in"
    data.mkdir()
    plain = ARTICLE.replace("«", "").replace("»", "")  # ISO-8859-6 has no guillemets
    (data / "a.jsonl").write_bytes(json.dumps({"id": "j", "text": plain}, ensure_ascii=False).encode("iso8859_6")
                                   + b"\n")
    (data / "b.csv").write_bytes(f'id,text\nc,"{ARTICLE}"\n'.encode("cp1256"))
    out = tmp_path / "o.jsonl"
    assert main(["batch", str(data), "-o", str(out), "--workers", "0", "-q"]) == 0
    recs = {r["id"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert sorted(recs) == ["c", "j"]
    for r in recs.values():
        assert len(r["facts"]) == 2 and "encoding_detected" in [w["code"] for w in r["warnings"]]


def test_field_options_name_the_text_id_and_date_columns(tmp_path: Path) -> None:
    csv_in = tmp_path / "export.csv"
    csv_in.write_text(f'uid,body,date,text\nk1,"{ARTICLE}",2024-10-20,not the article\n', encoding="utf-8")
    jsonl_in = tmp_path / "export.jsonl"
    jsonl_in.write_bytes(_jsonl([{"uid": "k2", "body": ARTICLE, "date": "2024-10-20"}]))
    out = tmp_path / "o.jsonl"
    assert main(["batch", str(csv_in), str(jsonl_in), "-o", str(out), "--text-field", "body", "--id-field", "uid",
                 "--published-field", "date", "--workers", "0", "-q"]) == 0
    recs = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in recs] == ["k1", "k2"]
    for r in recs:
        assert r["published"] == "2024-10-20"
        assert [(f["value"], f["period"]["start"]) for f in r["facts"]] == [(35634916, "2024-07"), (323, "2024-07")]


def test_a_csv_without_the_text_column_says_text_field(tmp_path: Path) -> None:
    src = tmp_path / "export.csv"
    src.write_text("id,body\n1,نص\n", encoding="utf-8")
    assert main(["batch", str(src), "-o", str(tmp_path / "o.jsonl"), "--workers", "0", "-q"]) == 1
    [err] = [json.loads(x) for x in (tmp_path / "o.jsonl.errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert err["error"]["code"] == "no_text" and "--text-field" in err["error"]["message"]


# --- 10. extract has batch's limits ---------------------------------------------------------------------------
def test_extract_refuses_an_article_above_the_size_limit(tmp_path: Path, capsys) -> None:
    path = tmp_path / "big.txt"
    path.write_text(ARTICLE * 20, encoding="utf-8")
    assert main(["extract", str(path), "--max-article-size", "2k"]) == 1
    err = capsys.readouterr().err
    assert "too_large" in err and "--max-article-size" in err
    path.write_bytes(b" " * 10_000_001)  # the default limit is batch's: 10,000,000 bytes
    assert main(["extract", str(path)]) == 1
    assert "too_large" in capsys.readouterr().err


def test_extract_has_a_time_limit(monkeypatch, tmp_path: Path, capsys) -> None:
    import extractor.batch

    def spin(*args, **kwargs):
        while True:
            pass

    monkeypatch.setitem(extractor.batch._extractors, extractor.batch.DEFAULT_EXTRACTOR, spin)
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    assert main(["extract", str(path), "--time-limit", "0.3"]) == 1
    assert "timeout" in capsys.readouterr().err


# --- 11. progress with a total and an ETA -----------------------------------------------------------------------
def test_progress_counts_bytes_of_known_inputs_with_a_total(tmp_path: Path, capsys) -> None:
    from extractor.batch import convert, input_bytes

    data = tmp_path / "in"
    data.mkdir()
    for i in range(5):
        (data / f"{i}.txt").write_text(f"{REPORT} {i}", encoding="utf-8")
    total = sum(p.stat().st_size for p in data.iterdir())
    assert input_bytes([str(data)]) == total and input_bytes(["-"]) is None
    convert([str(data)], tmp_path / "o.jsonl", workers=0, extractor=FAKE, progress=True)
    bar = capsys.readouterr().err.replace("\r", "\n").strip().splitlines()[-1]
    assert f"{total / 1000:.2f}k/{total / 1000:.2f}k" in bar and "100%" in bar and "<00:00" in bar
