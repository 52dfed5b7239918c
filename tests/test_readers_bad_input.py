"""The bad-input corpus: every kind of broken input a researcher's archive holds, each with its expected outcome.

Each case writes its inputs into a temporary folder (nothing big is committed), runs `rasd batch` on them and checks
that every article ended in exactly one place: a record in OUT (`record`, or `record+<warning code>`) or one line in
the errors file with the expected stable code. A bad article never stops the run; the exit status says whether
anything failed. Most cases use the stand-in extractor (tests/batch_support.py); the ones about the text itself
(mojibake, RTL marks, a megabyte of digits) run the real one.
"""

from __future__ import annotations

import gzip
import io
import json
import tarfile
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from batch_support import FAKE, REPORT, REPORT_2, write_warc

from extractor.cli import main

REAL = "extractor.facts:extract"


def jl(*rows: object) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in rows)


def tar_with(path: Path, members: list[tarfile.TarInfo], data: dict[str, bytes]) -> None:
    with tarfile.open(path, "w:gz" if path.name.endswith(".gz") else "w") as tf:
        for info in members:
            body = data.get(info.name)
            if body is not None:
                info.size = len(body)
            tf.addfile(info, io.BytesIO(body) if body is not None else None)


def regular(name: str) -> tarfile.TarInfo:
    return tarfile.TarInfo(name)


def special(name: str, kind: bytes, target: str = "") -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = target
    return info


@dataclass
class Case:
    build: Callable[[Path], list[str]]  # writes inputs into the folder, returns the input arguments
    expect: list[str]  # one outcome per article: "record", "record+<warning>", or an error code
    args: list[str] = field(default_factory=list)
    extractor: str = FAKE
    exit_status: int | None = None  # default: 1 when an error is expected, else 0


def _write(name: str, content: str | bytes) -> Callable[[Path], list[str]]:
    def build(d: Path) -> list[str]:
        p = d / name
        p.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return [str(p)]

    return build


_GZIP_DATA = gzip.compress(jl(*({"text": f"{REPORT} {i}"} for i in range(400))).encode(), mtime=0)
_GZIP_CUT = _GZIP_DATA[: len(_GZIP_DATA) // 2]
# the lines a reader can still get out of the cut stream: complete lines in what decompresses
_GZIP_LINES_LEFT = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(_GZIP_CUT).count(b"\n")


def _truncated_gzip(d: Path) -> list[str]:
    (d / "cut.jsonl.gz").write_bytes(_GZIP_CUT)
    return [str(d / "cut.jsonl.gz")]


def _corrupt_zip(d: Path) -> list[str]:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("a.txt", REPORT)
    (d / "broken.zip").write_bytes(b"PK\x03\x04" + buf.getvalue()[4:40])
    return [str(d / "broken.zip")]


def _corrupt_zip_member(d: Path) -> list[str]:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a.txt", REPORT * 50)
        zf.writestr("b.txt", REPORT_2)
    data = bytearray(buf.getvalue())
    data[60:90] = b"\xff" * 30  # inside a.txt's compressed bytes
    (d / "damaged.zip").write_bytes(bytes(data))
    return [str(d / "damaged.zip")]


def _tar_symlink(d: Path) -> list[str]:
    tar_with(d / "links.tar", [regular("ok.txt"), special("evil.txt", tarfile.SYMTYPE, "/etc/passwd")],
             {"ok.txt": REPORT.encode()})
    return [str(d / "links.tar")]


def _tar_device(d: Path) -> list[str]:
    tar_with(d / "dev.tar.gz", [special("dev/zero", tarfile.CHRTYPE), special("fifo", tarfile.FIFOTYPE),
                                regular("ok.txt")], {"ok.txt": REPORT_2.encode()})
    return [str(d / "dev.tar.gz")]


def _tar_truncated(d: Path) -> list[str]:
    tar_with(d / "full.tar.gz", [regular(f"m{i}.txt") for i in range(30)],
             {f"m{i}.txt": (REPORT * 30 + str(i)).encode() for i in range(30)})
    data = (d / "full.tar.gz").read_bytes()
    (d / "full.tar.gz").unlink()
    (d / "half.tar.gz").write_bytes(data[: len(data) // 2])
    return [str(d / "half.tar.gz")]


def _zip_slip(d: Path) -> list[str]:
    with zipfile.ZipFile(d / "slip.zip", "w") as zf:
        zf.writestr("../../outside.txt", REPORT)
        zf.writestr("inside.txt", REPORT_2)
    return [str(d / "slip.zip")]


def _zip_bomb(d: Path) -> list[str]:
    with zipfile.ZipFile(d / "bomb.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a.txt", "0" * 30_000_000)  # 30 MB of zeros, ~30 kB compressed
    assert (d / "bomb.zip").stat().st_size < 200_000
    return [str(d / "bomb.zip")]


def _zip_many(d: Path) -> list[str]:
    with zipfile.ZipFile(d / "many.zip", "w") as zf:
        for i in range(60):
            zf.writestr(f"m{i}.txt", REPORT)
    return [str(d / "many.zip")]


def _nested_zip(d: Path) -> list[str]:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as zf:
        zf.writestr("a.txt", REPORT)
    with zipfile.ZipFile(d / "outer.zip", "w") as zf:
        zf.writestr("inner.zip", inner.getvalue())
        zf.writestr("b.txt", REPORT_2)
    return [str(d / "outer.zip")]


def _broken_csv(d: Path) -> list[str]:
    (d / "q.csv").write_text('id,text\n1,"a clean row with 3 مليون"\n2,"a quote"that breaks\n3,another row\n'
                             '4,"never closed\n', encoding="utf-8")
    return [str(d / "q.csv")]


def _csv_no_text_column(d: Path) -> list[str]:
    (d / "cols.csv").write_text("id,body\n1,hello\n", encoding="utf-8")
    return [str(d / "cols.csv")]


def _csv_bad_utf8_row(d: Path) -> list[str]:
    (d / "enc.csv").write_bytes(b"id,text\n1," + REPORT.encode() + b"\n2,caf\xe9 latin-1\n")
    return [str(d / "enc.csv")]


def _warc_requests_only(d: Path) -> list[str]:
    write_warc(d / "req.warc.gz", [("request", "https://news.example/a", b"", ""),
                                   ("request", "https://news.example/b", b"", "")])
    return [str(d / "req.warc.gz")]


def _warc_garbage(d: Path) -> list[str]:
    (d / "junk.warc.gz").write_bytes(gzip.compress(b"this is not a web archive\r\n" * 20))
    return [str(d / "junk.warc.gz")]


def _folder_with_other_files(d: Path) -> list[str]:
    (d / "in").mkdir()
    (d / "in" / "a.txt").write_text(REPORT, encoding="utf-8")
    (d / "in" / "scan.pdf").write_bytes(b"%PDF-1.7\n")
    return [str(d / "in")]


def _duplicate_ids(d: Path) -> list[str]:
    (d / "dup.jsonl").write_text(jl({"id": "a", "text": REPORT}, {"id": "a", "text": REPORT_2}), encoding="utf-8")
    return [str(d / "dup.jsonl")]


def _deep_json(d: Path) -> list[str]:
    (d / "deep.jsonl").write_text("[" * 200_000 + "]" * 200_000 + "\n" + jl({"text": REPORT}), encoding="utf-8")
    return [str(d / "deep.jsonl")]


def _long_line(d: Path) -> list[str]:
    (d / "long.jsonl").write_text(jl({"text": "ب" * 3_000_000}, {"text": REPORT}), encoding="utf-8")
    return [str(d / "long.jsonl")]


RTL_MARKS = "".join(ch + "\u200f" + ("\u200e" if i % 3 == 0 else "") for i, ch in enumerate(REPORT + REPORT_2))
MOJIBAKE = (REPORT + REPORT_2).encode("utf-8").decode("latin-1")

CASES: dict[str, Case] = {
    "invalid_utf8": Case(_write("bad.txt", "نص سليم ".encode() + b"\xc3\x28 \xff"), ["invalid_utf8"]),
    "utf16_with_bom": Case(_write("u16.txt", REPORT.encode("utf-16")), ["record"]),
    "binary_file": Case(_write("img.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4),
                        ["binary"]),
    "empty_file": Case(_write("empty.txt", b""), ["empty"]),
    "empty_jsonl_file": Case(_write("empty.jsonl", "\n\n"), ["empty"]),
    "empty_text": Case(_write("e.jsonl", jl({"text": ""}, {"text": "  \n\t "})), ["empty", "empty"]),
    "not_json": Case(_write("nj.jsonl", jl("{'single': 'quotes'}", "{\"text\": \"cut", {"text": REPORT})),
                     ["not_json", "not_json", "record"]),
    "json_array_line": Case(_write("arr.jsonl", jl([REPORT], "42", '"just a string"')),
                            ["not_an_object"] * 3),
    "text_is_a_number": Case(_write("num.jsonl", jl({"text": 12345}, {"text": ["a"]}, {"html": 3})),
                             ["text_not_string"] * 3),
    "no_text_key": Case(_write("nt.jsonl", jl({"id": "x", "body": REPORT})), ["no_text"]),
    "published_not_a_date": Case(
        _write("pub.jsonl", jl(*({"text": REPORT, "published": p} for p in ("last Tuesday", 2024, "2024-02-30",
                                                                            "2024-10-20")))),
        ["record+bad_published"] * 3 + ["record"]),
    "bad_field_types": Case(_write("ft.jsonl", jl({"id": {"x": 1}, "text": REPORT, "url": 7})),
                            ["record+bad_id+bad_field"]),
    "truncated_gzip": Case(_truncated_gzip, ["record"] * _GZIP_LINES_LEFT + ["corrupt_gzip"]),
    "corrupt_zip": Case(_corrupt_zip, ["corrupt_archive"]),
    "corrupt_zip_member": Case(_corrupt_zip_member, ["corrupt_archive", "record"]),
    "tar_with_symlink": Case(_tar_symlink, ["record", "unsafe_member"]),
    "tar_with_device_files": Case(_tar_device, ["unsafe_member", "unsafe_member", "record"]),
    "truncated_tar_gz": Case(_tar_truncated, ["record"] * 12 + ["corrupt_archive"]),
    "zip_member_leaving_the_archive": Case(_zip_slip, ["unsafe_member", "record"]),
    "zip_bomb": Case(_zip_bomb, ["archive_too_large"], args=["--max-archive-size", "20M"]),
    "zip_too_many_members": Case(_zip_many, ["archive_too_large"], args=["--max-members", "50"]),
    "zip_inside_zip": Case(_nested_zip, ["nested_archive", "record"]),
    "csv_broken_quote": Case(_broken_csv, ["record", "bad_csv", "record", "bad_csv"]),
    "csv_without_text_column": Case(_csv_no_text_column, ["no_text"]),
    "csv_row_not_utf8": Case(_csv_bad_utf8_row, ["record", "invalid_utf8"], args=["--encoding", "utf-8"]),
    "csv_row_in_a_legacy_code_page": Case(_csv_bad_utf8_row, ["record", "record+encoding_detected"]),
    "html_without_body": Case(_write("nobody.html", "<html><head><title>عنوان فقط</title></head></html>"),
                              ["no_body"]),
    "warc_with_only_requests": Case(_warc_requests_only, ["no_articles"]),
    "warc_garbage": Case(_warc_garbage, ["corrupt_warc"]),
    "article_of_50_mb": Case(_write("huge.txt", b"a" * 50_000_000), ["too_large"]),
    "jsonl_line_past_the_limit": Case(_long_line, ["too_large", "record"], args=["--max-article-size", "1M"]),
    "deeply_nested_json": Case(_deep_json, ["not_json", "record"]),
    "unsupported_file_in_folder": Case(_folder_with_other_files, ["record", "unsupported_type"]),
    "duplicate_ids": Case(_duplicate_ids, ["record", "record+duplicate_id"]),
    "extractor_raises": Case(_write("r.jsonl", jl({"text": "RASD_TEST_RAISE"}, {"text": REPORT})),
                             ["extract_failed", "record"]),
    "pathological_article_times_out": Case(_write("t.jsonl", jl({"text": "RASD_TEST_SPIN"}, {"text": REPORT})),
                                           ["timeout", "record"], args=["--time-limit", "0.3"]),
    "worker_stuck_past_the_alarm": Case(_write("s.jsonl", jl({"text": "RASD_TEST_STUCK"}, {"text": REPORT})),
                                        ["timeout", "record"], args=["--time-limit", "0.3", "--workers", "1"]),
    "worker_crashes": Case(_write("c.jsonl", jl({"text": REPORT}, {"text": "RASD_TEST_CRASH"}, {"text": REPORT_2})),
                           ["record", "worker_died", "record"], args=["--workers", "1"]),
    # the text itself is hostile: the real extractor must not crash on it
    "mojibake": Case(_write("moji.txt", MOJIBAKE), ["record"], extractor=REAL),
    # (undated: "خلال الربع الأخير" cannot be resolved, so the record says so: issue 15)
    "rtl_marks_everywhere": Case(_write("rtl.txt", RTL_MARKS), ["record+unresolved_date"], extractor=REAL),
    "megabyte_of_digits": Case(_write("digits.txt", "7" * 1_000_000), ["record"], extractor=REAL,
                               args=["--time-limit", "60"]),
}


def outcomes(out: Path, errors: Path) -> tuple[list[dict], list[dict], Counter[str]]:
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()] if out.exists() else []
    errs = [json.loads(line) for line in errors.read_text(encoding="utf-8").splitlines()]
    got: Counter[str] = Counter()
    for r in records:
        got["+".join(["record"] + [w["code"] for w in r["warnings"]])] += 1
    for e in errs:
        got[e["error"]["code"]] += 1
    return records, errs, got


def test_the_corpus_covers_at_least_25_kinds_of_bad_input():
    error_codes = {code for case in CASES.values() for code in case.expect if not code.startswith("record")}
    assert len(CASES) >= 25 and len(error_codes) >= 20


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_ends_in_exactly_one_place(tmp_path, capsys, name):
    case = CASES[name]
    data = tmp_path / "in"
    data.mkdir()
    inputs = case.build(data)
    out, errors = tmp_path / "out.jsonl", tmp_path / "errors.jsonl"
    args = ["batch", *inputs, "-o", str(out), "--errors", str(errors), "--extractor", case.extractor]
    if "--workers" not in case.args:
        args += ["--workers", "0"]
    status = main([*args, *case.args])
    records, errs, got = outcomes(out, errors)
    assert got == Counter(case.expect), f"{name}: {dict(got)}"
    expected_status = case.exit_status
    if expected_status is None:
        expected_status = 1 if any(not c.startswith("record") for c in case.expect) else 0
    assert status == expected_status
    summary = capsys.readouterr().err.strip().splitlines()[-1]
    assert f"{len(case.expect)} articles, {len(records)} records" in summary and f"{len(errs)} errors" in summary
    assert len({r["id"] for r in records} | {e["id"] for e in errs}) == len(case.expect)  # ids unique
    for e in errs:
        assert set(e) == {"id", "source", "error"} and set(e["error"]) == {"code", "message"} and e["id"]
        assert e["error"]["message"]
    for r in records:
        assert r["id"]
        for fact in r["facts"]:  # whatever the text, evidence offsets point into the original
            ev = fact["evidence"]
            assert 0 <= ev["start"] < ev["end"]


def test_utf16_text_is_read_as_text_not_bytes(tmp_path, capsys):
    (tmp_path / "u16.txt").write_bytes(REPORT.encode("utf-16"))
    main(["batch", str(tmp_path / "u16.txt"), "-o", str(tmp_path / "o.jsonl"), "--workers", "0",
          "--extractor", FAKE])
    [rec] = [json.loads(x) for x in (tmp_path / "o.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [f["evidence"]["text"] for f in rec["facts"]] == ["12 مليون"]


def test_bad_published_keeps_the_record_with_published_null(tmp_path, capsys):
    (tmp_path / "p.jsonl").write_text(jl({"id": "p", "text": REPORT, "published": "قبل أسبوعين"}), encoding="utf-8")
    assert main(["batch", str(tmp_path / "p.jsonl"), "-o", str(tmp_path / "o.jsonl"), "--workers", "0",
                 "--extractor", FAKE]) == 0
    [rec] = [json.loads(x) for x in (tmp_path / "o.jsonl").read_text(encoding="utf-8").splitlines()]
    assert rec["published"] is None and [w["code"] for w in rec["warnings"]] == ["bad_published"]


def test_a_path_that_does_not_exist_is_exit_2_and_writes_nothing(tmp_path, capsys):
    (tmp_path / "a.txt").write_text(REPORT, encoding="utf-8")
    status = main(["batch", str(tmp_path / "a.txt"), str(tmp_path / "missing"), "-o", str(tmp_path / "o.jsonl"),
                   "--extractor", FAKE])
    assert status == 2
    assert "missing" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


def test_an_unsupported_input_file_is_exit_2(tmp_path, capsys):
    (tmp_path / "a.docx").write_bytes(b"PK\x03\x04")
    assert main(["batch", str(tmp_path / "a.docx"), "-o", str(tmp_path / "o.jsonl")]) == 2
    assert "unsupported" in capsys.readouterr().err


def test_all_cases_in_one_run_conserve_every_article(tmp_path, capsys):
    inputs: list[str] = []
    expected: Counter[str] = Counter()
    for name, case in CASES.items():
        if case.extractor != FAKE or case.args:
            continue
        d = tmp_path / name
        d.mkdir()
        inputs += case.build(d)
        expected.update(case.expect)
    out, errors = tmp_path / "all.jsonl", tmp_path / "all.errors.jsonl"
    status = main(["batch", *inputs, "-o", str(out), "--errors", str(errors), "--workers", "2",
                   "--extractor", FAKE, "--chunk-size", "7"])
    _, _, got = outcomes(out, errors)
    # duplicate ids across cases get renamed, so compare without the duplicate_id warnings
    strip = Counter()
    for k, v in got.items():
        strip[k.replace("+duplicate_id", "")] += v
    want = Counter()
    for k, v in expected.items():
        want[k.replace("+duplicate_id", "")] += v
    assert status == 1 and strip == want
