"""Readers: every input kind of CONTRACT.md §3 yields its articles, with the ids of §1, streamed and partitionable."""

from __future__ import annotations

import gzip
import io
import json
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
from batch_support import DISTRACTOR, REPORT, REPORT_2, html_page, write_warc

from extractor.errors import InputError
from extractor.readers import (
    DEFAULT_LIMITS,
    Article,
    ArticleError,
    IdSet,
    Limits,
    Partition,
    check_inputs,
    decode_text,
    kind_of,
    list_partitions,
    read_inputs,
    read_partition,
    unique_ids,
)


def items_of(*inputs: str | Path, limits: Limits = DEFAULT_LIMITS) -> list[Article | ArticleError]:
    return list(read_inputs([str(i) for i in inputs], limits))


def ids(items: list[Article | ArticleError]) -> list[str]:
    return [i.id for i in items]


def write_jsonl(path: Path, rows: list[object]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


# --- kinds ---------------------------------------------------------------------------------------------------------


def test_kind_of_knows_every_contract_suffix():
    assert [kind_of(n) for n in ("a.txt", "b.HTML", "c.htm", "d.jsonl", "e.ndjson.gz", "f.csv", "g.zip", "h.tar",
                                 "i.tar.gz", "j.tgz", "k.warc", "l.warc.gz", "m.pdf")] == [
        "txt", "html", "html", "jsonl", "jsonl", "csv", "zip", "tar", "tar", "tar", "warc", "warc", None]


def test_text_file_is_one_article_named_after_the_file(tmp_path):
    (tmp_path / "report.txt").write_text(REPORT, encoding="utf-8")
    [art] = items_of(tmp_path / "report.txt")
    assert isinstance(art, Article)
    assert (art.id, art.text, art.published) == ("report.txt", REPORT, None)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-be", "utf-32"])
def test_text_with_a_byte_order_mark_is_decoded_by_it(tmp_path, encoding):
    data = REPORT.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    (tmp_path / "a.txt").write_bytes(data)
    [art] = items_of(tmp_path / "a.txt")
    assert isinstance(art, Article) and art.text == REPORT


def test_decode_text_rejects_binary_and_bad_utf8_with_codes():
    with pytest.raises(InputError) as bad:
        decode_text("نص".encode() + b"\xc3\x28")
    assert bad.value.code == "invalid_utf8"
    with pytest.raises(InputError) as binary:
        decode_text(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert binary.value.code == "binary"


def test_html_file_keeps_its_bytes_for_the_worker(tmp_path):
    page = html_page("تقرير", [REPORT], date="2024-10-20")
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    [art] = items_of(tmp_path / "page.html")
    assert isinstance(art, Article) and art.text is None and art.html == page.encode()


def test_jsonl_ids_are_own_id_else_file_and_line_number(tmp_path):
    path = tmp_path / "dump.jsonl"
    path.write_text(
        json.dumps({"id": "q3-2024", "text": REPORT, "url": "https://example.org/a", "published": "2024-10-20"},
                   ensure_ascii=False) + "\n\n"  # a blank line is not an article but still a line
        + json.dumps({"text": REPORT_2, "title": "عنوان"}, ensure_ascii=False) + "\n"
        + json.dumps({"id": 17, "text": DISTRACTOR}, ensure_ascii=False) + "\n",
        encoding="utf-8")
    arts = items_of(path)
    assert ids(arts) == ["q3-2024", "dump.jsonl#3", "17"]
    assert arts[0].url == "https://example.org/a" and arts[0].published == "2024-10-20"
    assert arts[1].title == "عنوان" and arts[1].source == f"{path}:3"


def test_gzipped_jsonl_reads_like_the_plain_file(tmp_path):
    rows = [{"text": t} for t in (REPORT, REPORT_2, DISTRACTOR)]
    plain = write_jsonl(tmp_path / "a.jsonl", rows)
    with gzip.open(tmp_path / "b.ndjson.gz", "wb") as f:
        f.write(plain.read_bytes())
    a, b = items_of(plain), items_of(tmp_path / "b.ndjson.gz")
    assert [x.text for x in a] == [x.text for x in b] == [REPORT, REPORT_2, DISTRACTOR]
    assert ids(b) == ["b.ndjson.gz#1", "b.ndjson.gz#2", "b.ndjson.gz#3"]


def test_csv_reads_the_same_columns_and_large_fields(tmp_path):
    long_text = (REPORT + " ") * 2000  # ~300 kB, past csv's default field limit of 128 kB
    buf = io.StringIO()
    import csv

    w = csv.writer(buf)
    w.writerow(["ID", "Text", "published", "url"])
    w.writerow(["a1", long_text, "2024-10-20", "https://example.org/1"])
    w.writerow(["", 'نص فيه "اقتباس" وفاصلة، ومليون', "", ""])
    (tmp_path / "t.csv").write_text(buf.getvalue(), encoding="utf-8")
    arts = items_of(tmp_path / "t.csv")
    assert ids(arts) == ["a1", "t.csv#2"]
    assert arts[0].text == long_text and arts[0].published == "2024-10-20"
    assert arts[1].text == 'نص فيه "اقتباس" وفاصلة، ومليون' and arts[1].published is None


def test_folder_is_walked_recursively_in_sorted_order_with_relative_ids(tmp_path):
    root = tmp_path / "scraped"
    (root / "b" / "deep").mkdir(parents=True)
    (root / "a").mkdir()
    (root / "a" / "2.txt").write_text(REPORT, encoding="utf-8")
    (root / "a" / "10.txt").write_text(REPORT_2, encoding="utf-8")
    (root / "b" / "deep" / "x.jsonl").write_text(json.dumps({"text": DISTRACTOR}) + "\n", encoding="utf-8")
    (root / "0.txt").write_text(DISTRACTOR, encoding="utf-8")
    (root / ".DS_Store").write_bytes(b"\x00\x01")
    (root / ".git").mkdir()
    (root / ".git" / "HEAD").write_text("ref", encoding="utf-8")
    assert ids(items_of(root)) == ["0.txt", "a/10.txt", "a/2.txt", "b/deep/x.jsonl#1"]


def test_zip_members_of_every_kind_get_ids_inside_the_archive(tmp_path):
    with zipfile.ZipFile(tmp_path / "export.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("day1/a.txt", REPORT)
        zf.writestr("day1/feed.jsonl", json.dumps({"text": REPORT_2}) + "\n" + json.dumps({"id": "own", "text": "x"}))
        zf.writestr("day2/", "")
        zf.writestr("__MACOSX/day1/._a.txt", b"\x00\x05")
    arts = items_of(tmp_path / "export.zip")
    assert ids(arts) == ["export.zip/day1/a.txt", "export.zip/day1/feed.jsonl#1", "own"]
    assert arts[0].source == f"{tmp_path / 'export.zip'}!day1/a.txt"


@pytest.mark.parametrize("mode,name", [("w", "export.tar"), ("w:gz", "export.tar.gz")])
def test_tar_members_are_streamed(tmp_path, mode, name):
    with tarfile.open(tmp_path / name, mode) as tf:
        for member, text in (("b.txt", REPORT), ("a/c.txt", REPORT_2)):
            data = text.encode()
            info = tarfile.TarInfo(member)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    arts = items_of(tmp_path / name)
    assert ids(arts) == [f"{name}/b.txt", f"{name}/a/c.txt"]  # archive order, as written
    assert [a.text for a in arts] == [REPORT, REPORT_2]


def test_warc_reads_html_responses_with_their_url_and_skips_the_rest(tmp_path):
    page = html_page("بيان", [REPORT, REPORT_2]).encode()
    write_warc(tmp_path / "crawl.warc.gz", [
        ("request", "https://news.example/a", b"", ""),
        ("response", "https://news.example/a", page, "text/html; charset=utf-8"),
        ("response", "https://news.example/logo.png", b"\x89PNG\r\n", "image/png"),
        ("response", "https://news.example/b.txt", DISTRACTOR.encode(), "text/plain"),
    ])
    arts = items_of(tmp_path / "crawl.warc.gz")
    assert ids(arts) == ["crawl.warc.gz#2", "crawl.warc.gz#4"]
    assert arts[0].url == "https://news.example/a" and arts[0].html == page
    assert arts[1].text == DISTRACTOR


def test_dash_reads_one_article_from_standard_input(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(REPORT.encode()), encoding="utf-8"))
    [art] = items_of("-")
    assert isinstance(art, Article) and (art.id, art.text) == ("stdin", REPORT)


# --- ids -----------------------------------------------------------------------------------------------------------


def test_duplicate_ids_are_made_unique_with_a_warning(tmp_path):
    path = write_jsonl(tmp_path / "d.jsonl", [{"id": "x", "text": REPORT}, {"id": "x", "text": REPORT_2},
                                              {"id": "x~2", "text": DISTRACTOR}, {"id": "x", "text": "y"}])
    arts = items_of(path)
    assert ids(arts) == ["x", "x~2", "x~2~2", "x~3"]
    assert [w[0] for w in arts[1].warnings] == ["duplicate_id"] and arts[0].warnings == []


def test_id_set_remembers_many_ids_compactly():
    ids_ = IdSet(f"doc-{i}" for i in range(50_000))
    assert len(ids_) == 50_000 and "doc-0" in ids_ and "doc-49999" in ids_ and "doc-50000" not in ids_
    ids_.add("doc-0")
    assert len(ids_) == 50_000
    other = IdSet(["x", "doc-1"])
    other.update(ids_)
    assert len(other) == 50_001 and "x" in other
    assert len(ids_._table) * 8 <= 1_100_000  # 8 bytes a slot, at most half full


def test_unique_ids_also_renames_errors():
    out = list(unique_ids([ArticleError("a", "s", "empty", "m"), ArticleError("a", "s", "empty", "m")]))
    assert ids(out) == ["a", "a~2"]


def test_same_file_name_in_two_inputs_stays_unique(tmp_path):
    for d in ("one", "two"):
        (tmp_path / d).mkdir()
        (tmp_path / d / "a.txt").write_text(REPORT, encoding="utf-8")
    assert ids(items_of(tmp_path / "one" / "a.txt", tmp_path / "two" / "a.txt")) == ["a.txt", "a.txt~2"]


# --- whole inputs --------------------------------------------------------------------------------------------------


def test_missing_or_unknown_inputs_are_refused_before_anything_is_read(tmp_path):
    with pytest.raises(InputError) as missing:
        check_inputs([str(tmp_path / "nope.jsonl")])
    assert missing.value.code == "not_found"
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.4")
    with pytest.raises(InputError) as unknown:
        check_inputs([str(tmp_path / "a.pdf")])
    assert unknown.value.code == "unsupported_type"


def test_reading_streams_instead_of_loading_the_file(tmp_path):
    import tracemalloc

    path = tmp_path / "big.jsonl"
    line = json.dumps({"text": REPORT * 20}, ensure_ascii=False) + "\n"
    with path.open("w", encoding="utf-8") as f:
        for _ in range(20_000_000 // len(line.encode())):
            f.write(line)
    tracemalloc.start()
    try:
        count = 0
        for item in read_inputs([str(path)]):
            count += 1
            assert isinstance(item, Article)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count > 1000
    assert peak < 8_000_000  # ids seen so far, not the 20 MB of text


# --- partitions (for distributed runs) -----------------------------------------------------------------------------


@pytest.mark.parametrize("split", [1, 50, 333, 10_000_000])
def test_jsonl_byte_ranges_read_the_same_articles_as_the_whole_file(tmp_path, split):
    rows = [{"text": f"{REPORT} {i}"} if i % 7 else "not an object" for i in range(40)]
    path = write_jsonl(tmp_path / "big.jsonl", rows)
    with path.open("a", encoding="utf-8") as f:
        f.write("\n\n" + json.dumps({"text": "آخر سطر"}))  # blank lines, no final newline
    parts = list(list_partitions([str(path)], split_bytes=split))
    assert len(parts) > 1 or split > path.stat().st_size
    assert all(p.kind == "jsonl" for p in parts)
    pieces = [(i.id, getattr(i, "text", None), i.source) for p in parts for i in read_partition(p)]
    whole = [(i.id, getattr(i, "text", None), i.source) for i in read_partition(Partition(str(path), "jsonl",
                                                                                          "big.jsonl"))]
    assert pieces == whole and len(whole) == 41


def test_zip_member_groups_read_the_same_articles_as_the_whole_zip(tmp_path):
    with zipfile.ZipFile(tmp_path / "z.zip", "w") as zf:
        for i in range(7):
            zf.writestr(f"m{i}.txt", f"{REPORT} {i}")
    parts = list(list_partitions([str(tmp_path / "z.zip")], zip_members=3))
    assert [(p.start, p.end) for p in parts] == [(0, 3), (3, 6), (6, 7)]
    assert [i.id for p in parts for i in read_partition(p)] == ids(items_of(tmp_path / "z.zip"))


def test_partitions_of_a_folder_list_every_file(tmp_path):
    (tmp_path / "in").mkdir()
    for name in ("b.txt", "a.jsonl", "c.csv", "d.zip", "e.warc.gz", "f.html", "g.tar.gz", "h.bin"):
        (tmp_path / "in" / name).write_bytes(b"x")
    parts = list(list_partitions([str(tmp_path / "in")]))
    assert [(p.id_base, p.kind) for p in parts] == [
        ("a.jsonl", "jsonl"), ("b.txt", "txt"), ("c.csv", "csv"), ("d.zip", "zip"), ("e.warc.gz", "warc"),
        ("f.html", "html"), ("g.tar.gz", "tar"), ("h.bin", "unsupported")]
