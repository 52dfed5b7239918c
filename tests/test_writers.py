"""Writers: the four output formats carry the same records, OUT is written atomically, --resume, and `rasd schema`."""

from __future__ import annotations

import json
import sys
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest
from batch_support import DISTRACTOR, FAKE, REPORT, REPORT_2

from extractor import model
from extractor.cli import main
from extractor.errors import InputError, install_command
from extractor.model import ArticleRecord, Evidence, Fact, Period, RecordWarning
from extractor.schema import record_schema
from extractor.writers import (
    RecordOutput,
    csv_columns,
    csv_rows,
    format_for,
    iter_records,
    journal_path,
)

TWO_FACTS = REPORT + " " + REPORT_2


def corpus(tmp_path: Path) -> Path:
    path = tmp_path / "in.jsonl"
    rows = [{"id": "two", "text": TWO_FACTS, "published": "2024-10-20", "url": "https://example.org/2",
             "title": "تقرير"},
            {"id": "none", "text": DISTRACTOR},
            {"id": "bad", "text": 5},
            {"id": "one", "text": REPORT, "published": "not a date"}]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def run(*args: str) -> int:
    return main(["batch", *args, "--extractor", FAKE, "--quiet"])


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


# --- formats -------------------------------------------------------------------------------------------------------


def test_format_follows_the_flag_else_the_extension():
    assert [format_for(n) for n in ("a.jsonl", "a.json", "a.csv", "a.parquet", "records", "-")] == [
        "jsonl", "json", "csv", "parquet", "jsonl", "jsonl"]
    assert format_for("a.json", "jsonl") == "jsonl"
    with pytest.raises(InputError, match=r"cannot write \.xlsx.*--format"):
        format_for("a.xlsx")  # it used to get JSON Lines under an Excel name
    assert format_for("a.xlsx", "csv") == "csv"


def test_json_array_holds_the_same_records_as_jsonl(tmp_path):
    src = corpus(tmp_path)
    assert run(str(src), "-o", str(tmp_path / "r.jsonl"), "--workers", "0") == 1
    assert run(str(src), "-o", str(tmp_path / "r.json"), "--workers", "0") == 1
    records = read_jsonl(tmp_path / "r.jsonl")
    assert [r["id"] for r in records] == ["two", "none", "one"]
    assert json.loads((tmp_path / "r.json").read_text(encoding="utf-8")) == records
    assert list(iter_records(tmp_path / "r.json")) == records


def test_csv_has_one_row_per_fact_and_one_empty_fact_row_for_an_article_without_facts(tmp_path):
    src = corpus(tmp_path)
    assert run(str(src), "-o", str(tmp_path / "r.csv"), "--workers", "0") == 1
    run(str(src), "-o", str(tmp_path / "r.jsonl"), "--workers", "0")
    records = read_jsonl(tmp_path / "r.jsonl")
    rows = list(iter_records(tmp_path / "r.csv"))
    assert [r["id"] for r in rows] == ["two", "two", "none", "one"]
    two = [r for r in rows if r["id"] == "two"]
    assert {r["url"] for r in two} == {"https://example.org/2"} and {r["title"] for r in two} == {"تقرير"}
    assert [int(r["value"]) for r in two] == [f["value"] for f in records[0]["facts"]]
    assert [r["evidence_text"] for r in two] == [f["evidence"]["text"] for f in records[0]["facts"]]
    none = next(r for r in rows if r["id"] == "none")
    _, fact_cols = csv_columns()
    assert all(none[c] == "" for c in fact_cols) and none["is_removal_report"] == "false"
    assert next(r for r in rows if r["id"] == "one")["warnings"] == "bad_published"


def test_csv_columns_are_derived_from_the_model():
    article_cols, fact_cols = csv_columns()
    assert article_cols == [f.name for f in fields(ArticleRecord) if f.name != "facts"]
    expected: list[str] = []
    for f in fields(Fact):
        if f.name == "period":
            expected += [f"period_{g.name}" for g in fields(Period)]
        elif f.name == "evidence":
            expected += [f"evidence_{g.name}" for g in fields(Evidence)]
        else:
            expected.append(f.name)
    assert fact_cols == expected


def test_csv_rows_of_a_record_dict_flatten_nested_values():
    rec = ArticleRecord("r", facts=[Fact("channels_closed", 3, "count", "approx", "isis", "telegram", "peak",
                                         Period("2024-05-01", "2024-05-01"), 0.71, ("hedge_after_number",),
                                         Evidence(4, 9, "three", "s"))],
                        warnings=[RecordWarning("a", "m"), RecordWarning("b", "n")], partners=["etidal", "x"])
    [row] = list(csv_rows(rec.to_dict()))
    article_cols, fact_cols = csv_columns()
    cols = article_cols + fact_cols
    flat = dict(zip(cols, row, strict=True))
    assert flat["period_start"] == "2024-05-01" and flat["evidence_end"] == 9 and flat["partners"] == "etidal;x"
    assert flat["warnings"] == "a;b" and flat["organization"] == "isis"


def test_parquet_holds_the_same_records_nested(tmp_path):
    pytest.importorskip("pyarrow")
    src = corpus(tmp_path)
    assert run(str(src), "-o", str(tmp_path / "r.parquet"), "--workers", "0") == 1
    run(str(src), "-o", str(tmp_path / "r.jsonl"), "--workers", "0")
    records = read_jsonl(tmp_path / "r.jsonl")
    rows = list(iter_records(tmp_path / "r.parquet"))
    assert rows == records  # ints read back as floats compare equal: 12000000.0 == 12000000


def test_missing_parquet_extra_is_one_clear_message_and_exit_2(tmp_path, monkeypatch, capsys):
    import extractor.readers as readers

    monkeypatch.setitem(sys.modules, "pyarrow", None)  # import pyarrow → ImportError
    monkeypatch.setattr(readers, "_extras_ok", set())
    status = run(str(corpus(tmp_path)), "-o", str(tmp_path / "r.parquet"))
    err = capsys.readouterr().err
    assert status == 2 and install_command("parquet") in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "r.parquet").exists()


# --- atomic writes and --resume ------------------------------------------------------------------------------------


def test_a_failed_run_leaves_the_previous_out_untouched(tmp_path, monkeypatch, capsys):
    import extractor.batch as batch
    from extractor.errors import InputError

    out = tmp_path / "r.jsonl"
    out.write_text('{"id": "old"}\n', encoding="utf-8")
    (tmp_path / "in").mkdir()
    for i in range(6):
        (tmp_path / "in" / f"{i}.txt").write_text(REPORT, encoding="utf-8")
    real_read_partition = batch.read_partition
    calls = []

    def read_then_fail(*args, **kwargs):  # the input becomes unreadable after five articles (one file each)
        calls.append(1)
        if len(calls) > 5:
            raise InputError("the disk went away", "unreadable")
        yield from real_read_partition(*args, **kwargs)

    monkeypatch.setattr(batch, "read_partition", read_then_fail)
    assert run(str(tmp_path / "in"), "-o", str(out), "--workers", "0") == 2
    assert out.read_text(encoding="utf-8") == '{"id": "old"}\n'
    assert [r["id"] for r in read_jsonl(journal_path(out))] == [f"{i}.txt" for i in range(5)]


def test_no_temporary_files_are_left_after_a_run(tmp_path):
    src = corpus(tmp_path)
    for fmt in ("jsonl", "json", "csv"):
        run(str(src), "-o", str(tmp_path / f"r.{fmt}"), "--workers", "0")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "in.jsonl", "r.csv", "r.csv.errors.jsonl", "r.json", "r.json.errors.jsonl", "r.jsonl", "r.jsonl.errors.jsonl"]


@pytest.mark.parametrize("fmt", ["jsonl", "json", "csv", "parquet"])
def test_resume_converts_only_new_articles_and_keeps_the_old_ones(tmp_path, fmt):
    if fmt == "parquet":
        pytest.importorskip("pyarrow")
    first = tmp_path / "first.jsonl"
    first.write_text("".join(json.dumps({"id": f"a{i}", "text": f"{REPORT} {i}"}, ensure_ascii=False) + "\n"
                             for i in range(6)), encoding="utf-8")
    second = tmp_path / "second.jsonl"
    second.write_text("".join(json.dumps({"id": f"b{i}", "text": f"{REPORT_2} {i}"}, ensure_ascii=False) + "\n"
                              for i in range(4)), encoding="utf-8")
    out = tmp_path / f"r.{fmt}"
    assert run(str(first), "-o", str(out), "--workers", "0") == 0
    assert run(str(first), str(second), "-o", str(out), "--workers", "0", "--resume") == 0
    whole = tmp_path / f"whole.{fmt}"
    assert run(str(first), str(second), "-o", str(whole), "--workers", "0") == 0
    assert list(iter_records(out)) == list(iter_records(whole))
    assert not journal_path(out).exists()


def test_resume_reports_what_it_skipped(tmp_path, capsys):
    src = corpus(tmp_path)
    out = tmp_path / "r.jsonl"
    run(str(src), "-o", str(out), "--workers", "0")
    main(["batch", str(src), "-o", str(out), "--workers", "0", "--resume", "--extractor", FAKE])
    summary = capsys.readouterr().err.strip().splitlines()[-1]
    assert "4 articles, 0 records" in summary and "3 already in OUT" in summary and "1 errors" in summary


def test_a_torn_journal_line_is_dropped_on_resume(tmp_path):
    out = tmp_path / "r.jsonl"
    j = journal_path(out)
    good = ArticleRecord("a1", facts=[]).to_json()
    j.write_text(good + "\n" + good.replace("a1", "a2")[:25], encoding="utf-8")  # killed mid-line
    o = RecordOutput(out, resume=True)
    assert "a1" in o.done_ids and "a2" not in o.done_ids and len(o.done_ids) == 1
    o.add(ArticleRecord("a3").to_json())
    o.finish()
    assert [r["id"] for r in read_jsonl(out)] == ["a1", "a3"]


def test_resume_after_a_kill_between_rename_and_cleanup_writes_no_duplicates(tmp_path):
    out = tmp_path / "r.jsonl"
    out.write_text(ArticleRecord("a1").to_json() + "\n", encoding="utf-8")
    journal_path(out).write_text(ArticleRecord("a1").to_json() + "\n", encoding="utf-8")
    o = RecordOutput(out, resume=True)
    o.add(ArticleRecord("a2").to_json())
    o.finish()
    assert [r["id"] for r in read_jsonl(out)] == ["a1", "a2"]


# --- rasd schema ---------------------------------------------------------------------------------------------------


def _validate(value: Any, schema: dict[str, Any], root: dict[str, Any], path: str = "$") -> list[str]:
    """A small JSON Schema checker for the keywords record_schema() uses."""
    if "$ref" in schema:
        return _validate(value, root["$defs"][schema["$ref"].rsplit("/", 1)[1]], root, path)
    if "anyOf" in schema:
        if all(_validate(value, s, root, path) for s in schema["anyOf"]):
            return [f"{path}: matches no alternative"]
        return []
    problems: list[str] = []
    types = schema.get("type")
    if types is not None:
        types = [types] if isinstance(types, str) else types
        ok = {"string": isinstance(value, str), "null": value is None, "boolean": isinstance(value, bool),
              "integer": isinstance(value, int) and not isinstance(value, bool),
              "number": isinstance(value, (int, float)) and not isinstance(value, bool),
              "array": isinstance(value, list), "object": isinstance(value, dict)}
        if not any(ok[t] for t in types):
            return [f"{path}: {value!r} is not {types}"]
    if "enum" in schema and value not in schema["enum"]:
        problems.append(f"{path}: {value!r} not in {schema['enum']}")
    if isinstance(value, dict):
        props = schema.get("properties", {})
        problems += [f"{path}: missing {k}" for k in schema.get("required", []) if k not in value]
        if schema.get("additionalProperties") is False:
            problems += [f"{path}: unexpected {k}" for k in value if k not in props]
        for k, v in value.items():
            if k in props:
                problems += _validate(v, props[k], root, f"{path}.{k}")
    if isinstance(value, list) and "items" in schema:
        for i, v in enumerate(value):
            problems += _validate(v, schema["items"], root, f"{path}[{i}]")
    return problems


def test_schema_describes_every_field_of_every_model_dataclass():
    schema = record_schema()
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert list(schema["properties"]) == [f.name for f in fields(ArticleRecord)] == schema["required"]
    for cls in (Fact, Period, Evidence, RecordWarning):
        d = schema["$defs"][cls.__name__]
        assert list(d["properties"]) == [f.name for f in fields(cls)] == d["required"]
        assert d["additionalProperties"] is False
    fact = schema["$defs"]["Fact"]["properties"]
    assert fact["qualifier"]["enum"] == list(model.QUALIFIERS) and fact["scope"]["enum"] == list(model.SCOPES)
    assert fact["value"] == {"type": "number"} and fact["organization"]["type"] == ["string", "null"]


def test_records_written_by_batch_validate_against_the_schema(tmp_path):
    src = corpus(tmp_path)
    run(str(src), "-o", str(tmp_path / "r.jsonl"), "--workers", "0")
    schema = record_schema()
    records = read_jsonl(tmp_path / "r.jsonl")
    assert records and all(_validate(r, schema, schema) == [] for r in records)
    broken = dict(records[0], facts=[dict(records[0]["facts"][0], qualifier="roughly")])
    assert _validate(broken, schema, schema) != []
    assert _validate({k: v for k, v in records[0].items() if k != "url"}, schema, schema) == ["$: missing url"]


def test_rasd_schema_prints_the_generated_schema(capsys):
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out) == record_schema()
