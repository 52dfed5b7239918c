"""Every fact's confidence and doubts: the model, the pattern file that holds the codes and weights, every output
format, reading old records without them, and `rasd batch --min-confidence`."""

from __future__ import annotations

import csv
import json
import math
import tomllib
from pathlib import Path
from typing import Any

import pytest
from confidence_support import expected, pattern_folder

from extractor import extract, patterns
from extractor.cli import main
from extractor.confidence import DOUBTS, check_example, confidence, keep_confident, model
from extractor.errors import PatternFileError
from extractor.model import ArticleRecord, Evidence, Fact, Period
from extractor.records_io import read_records
from extractor.schema import record_schema
from extractor.series import fuse
from extractor.writers import csv_columns, iter_records

ROOT = Path(__file__).resolve().parent.parent
# Our own sentences: a dated article with two figures, an undated one, and one whose dateline gives its date.
DATED = "أعلن الفريق أنه أزال 250 ألف مادة متطرفة من منصة تيليجرام خلال الربع الثالث من 2024، وأغلق 1,400 قناة."
UNDATED = "وقالت الشركة إنها حذفت 3.5 مليون منشور متطرف في أغسطس 2024 من منصة تيليجرام."
DATELINE = "الاثنين 3/مارس/2025 - 11:20 ص\nأزالت المنصة 40 ألف حساب متطرف خلال الشهر الماضي."
CONTRACT_FACT_KEYS = ["metric", "value", "unit", "qualifier", "organization", "platform", "scope", "period",
                      "confidence", "doubts", "evidence"]


@pytest.fixture
def weights(tmp_path: Path):
    """Fixed weights (tests/confidence_support.py) instead of the fitted ones, for the run of one test."""
    patterns.use_pattern_dir(pattern_folder(tmp_path))
    yield
    patterns.use_pattern_dir(None)


def _articles(tmp_path: Path) -> Path:
    path = tmp_path / "articles.jsonl"
    rows = [{"id": "dated", "text": DATED, "published": "2024-10-20", "url": "https://news.example/dated"},
            {"id": "undated", "text": UNDATED, "url": "https://news.example/undated"}]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def _batch(tmp_path: Path, out: str, *extra: str) -> int:
    return main(["batch", str(_articles(tmp_path)), "-o", str(tmp_path / out), "--workers", "0", "--quiet", *extra])


# --- the model ------------------------------------------------------------------------------------------------
def _fact(confidence: float = 0.8, doubts: tuple[str, ...] = ()) -> Fact:
    return Fact("content_removed", 250000, "count", "exact", None, "telegram", "period", Period("2024-07", "2024-09"),
                confidence, doubts, Evidence(20, 27, "250 ألف", "أزال 250 ألف مادة."))


def test_a_fact_has_confidence_and_doubts_between_period_and_evidence():
    d = _fact(0.62, ("period_inherited", "scope_default")).to_dict()
    assert list(d) == CONTRACT_FACT_KEYS
    assert d["confidence"] == 0.62 and d["doubts"] == ["period_inherited", "scope_default"]
    assert _fact().to_dict()["doubts"] == []


@pytest.mark.parametrize(("conf", "doubts"), [(0.5, ("scope_default", "period_inherited")),
                                              (0.5, ("year_inferred", "year_inferred")), (1.2, ()), (-0.1, ())])
def test_unsorted_or_repeated_doubts_and_a_confidence_outside_0_1_are_refused(conf, doubts):
    with pytest.raises(ValueError):
        _fact(conf, doubts)


def test_the_schema_bounds_confidence_and_makes_doubts_a_list_of_unique_codes():
    fact = record_schema()["$defs"]["Fact"]
    assert fact["required"] == CONTRACT_FACT_KEYS
    assert fact["properties"]["confidence"] == {"type": "number", "minimum": 0, "maximum": 1}
    doubts = fact["properties"]["doubts"]
    assert doubts["type"] == "array" and doubts["uniqueItems"] is True
    assert doubts["items"]["type"] == "string" and "pattern" in doubts["items"]


# --- the confidence model and its pattern file ------------------------------------------------------------------
def test_confidence_is_the_sigmoid_of_intercept_plus_weights_rounded_down(weights):
    assert confidence([]) == expected() == 0.88  # sigmoid(2.0) = 0.8808
    # sigmoid(2.0 - 1.5 - 0.8 + ...) : a fact whose computed chance is 0.8957 is not "at least 0.9"
    assert confidence(["published_from_text", "period_missing"]) == expected("published_from_text", "period_missing")
    assert expected(intercept=2.15) == 0.89 and round(1 / (1 + math.exp(-2.15)), 2) == 0.9
    assert confidence(["published_unknown"]) == expected("published_unknown") == 0.62
    assert confidence(["published_unknown", "period_missing"]) == expected("published_unknown", "period_missing")
    assert confidence(["period_inherited"]) == 0.88  # a weight of 0: no effect, but a known code


def test_the_shipped_weights_give_what_the_formula_gives():
    data = tomllib.loads((ROOT / "patterns" / "confidence.toml").read_text(encoding="utf-8"))
    w = {c: d["weight"] for c, d in data["doubts"].items()}
    for codes in ([], ["published_unknown"], ["period_inherited", "year_inferred"], sorted(w)):
        assert confidence(codes) == expected(*codes, intercept=data["model"]["intercept"], weights=w)


def test_an_unknown_code_is_a_clear_error_never_weightless():
    with pytest.raises(PatternFileError, match=r"'period_guessed' not in .*confidence\.toml"):
        confidence(["period_inherited", "period_guessed"])


def test_the_registry_holds_every_code_with_a_description_an_example_and_no_positive_weight():
    assert len(DOUBTS) >= 22
    for code in ("published_unknown", "published_from_text", "period_inherited", "year_inferred",
                 "organisation_by_reference", "scope_default", "metric_from_distant_noun", "hedge_after_number",
                 "figure_near_truncation", "conflicts_with_total", "weekday_mismatch", "peak_without_day"):
        d = DOUBTS[code]
        assert d.code == code and d.description and d.example and d.weight <= 0
    assert sorted(DOUBTS) == list(DOUBTS)


def test_the_registry_follows_the_pattern_folder(tmp_path):
    folder = pattern_folder(tmp_path)
    path = folder / "confidence.toml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "[doubts.year_inferred]", '[doubts.value_rounded]\ndescription = "a rounded figure"\n'
        'example = "نحو مليون مادة"\nweight = -0.3\nfacts = 0\n\n[doubts.year_inferred]'), encoding="utf-8")
    patterns.use_pattern_dir(folder)
    try:
        assert "value_rounded" in DOUBTS and confidence(["value_rounded"]) == 0.84 == expected("value_rounded",
            weights={"value_rounded": -0.3})
    finally:
        patterns.use_pattern_dir(None)
    assert "value_rounded" not in DOUBTS


def test_a_broken_confidence_file_reports_every_problem_with_its_line(tmp_path):
    folder = pattern_folder(tmp_path)
    path = folder / "confidence.toml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("[doubts.year_inferred]\ndescription", "[doubts.year_inferred]\nwieght = 1\ndescription")
    text = text.replace('[doubts.scope_default]\ndescription = "No scope', '[doubts.scope_default]\ndescription = "')
    text = text.replace("[doubts.hedge_after_number]\n", "[doubts.hedge_after_number]\n# raised by hand\n", 1)
    start = text.index("[doubts.hedge_after_number]")
    text = text[:start] + text[start:].replace("weight = 0.0", "weight = 0.4", 1)
    path.write_text(text, encoding="utf-8")
    patterns.use_pattern_dir(folder)
    try:
        with pytest.raises(PatternFileError) as err:
            model()
    finally:
        patterns.use_pattern_dir(None)
    lines = str(err.value).splitlines()
    line_of = {code: text[:text.index(f"[doubts.{code}]")].count("\n") + 1
               for code in ("year_inferred", "hedge_after_number")}
    assert any(f"confidence.toml:{line_of['year_inferred']}: doubt 'year_inferred': unknown keys ['wieght']" in x
               for x in lines), lines
    assert any(f"confidence.toml:{line_of['hedge_after_number']}:" in x and "above 0" in x for x in lines), lines
    assert len(lines) == 2  # a description that is merely short is still one line: no false alarm


def test_the_examples_checker_refuses_unknown_codes_and_wrong_expectations():
    data = patterns.load("confidence")
    good = next(e for e in data["examples"] if not e.get("negative"))
    assert check_example("confidence", data, good) is None
    assert "expected" in check_example("confidence", data, {**good, "confidence": 0.01})
    assert check_example("confidence", data, {"text": "x", "negative": True, "doubts": ["nope"]}) is None
    assert "accepted" in check_example("confidence", data, {"text": "x", "negative": True,
                                                            "doubts": ["period_inherited"]})
    assert "not in" in check_example("confidence", data, {"text": "x", "doubts": ["nope"], "confidence": 0.5})


# --- the extractor sets the article's doubts ------------------------------------------------------------------------
def test_the_facts_of_an_undated_article_doubt_its_date(weights):
    undated = extract(UNDATED).facts
    assert undated and all("published_unknown" in f.doubts for f in undated)
    assert all(f.confidence == confidence(f.doubts) for f in undated)
    dated = extract(UNDATED, published="2024-10-20").facts
    assert [f.value for f in dated] == [f.value for f in undated]
    assert all("published_unknown" not in f.doubts for f in dated)
    assert all(a.confidence < b.confidence for a, b in zip(undated, dated, strict=True))


def test_a_date_read_from_the_dateline_is_a_doubt_not_an_unknown_date(weights):
    record = extract(DATELINE)
    assert record.published == "2025-03-03"
    (fact,) = record.facts
    assert "published_from_text" in fact.doubts and "published_unknown" not in fact.doubts
    assert fact.confidence == expected(*fact.doubts)


# --- every output format -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("out", ["r.jsonl", "r.json"])
def test_json_formats_carry_both_keys_in_the_contract_order(tmp_path, weights, out):
    assert _batch(tmp_path, out) == 0
    records = {r["id"]: r for r in iter_records(tmp_path / out)}
    for r in records.values():
        for f in r["facts"]:
            assert list(f) == CONTRACT_FACT_KEYS
    assert [(f["confidence"], f["doubts"]) for f in records["dated"]["facts"]] == [(0.88, []), (0.88, [])]
    assert [(f["confidence"], f["doubts"]) for f in records["undated"]["facts"]] == [(0.62, ["published_unknown"])]


def test_csv_has_a_confidence_column_and_the_doubts_joined_by_semicolons(tmp_path, weights):
    _, fact_cols = csv_columns()
    assert fact_cols[fact_cols.index("period_end") + 1:fact_cols.index("evidence_start")] == ["confidence", "doubts"]
    assert _batch(tmp_path, "r.csv") == 0
    with (tmp_path / "r.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [(r["id"], r["confidence"], r["doubts"]) for r in rows] == [
        ("dated", "0.88", ""), ("dated", "0.88", ""), ("undated", "0.62", "published_unknown")]
    from extractor.writers import csv_rows

    record = ArticleRecord("r", facts=[_fact(0.41, ("period_inherited", "year_inferred")), _fact(0.9)])
    cols = [*csv_columns()[0], *fact_cols]  # two codes: joined by ";"; none: an empty cell
    cells = [dict(zip(cols, row, strict=True)) for row in csv_rows(record.to_dict())]
    assert [(c["confidence"], c["doubts"]) for c in cells] == [(0.41, "period_inherited;year_inferred"), (0.9, "")]
    back = list(read_records([tmp_path / "r.csv"]))
    assert [(f["confidence"], f["doubts"]) for f in back[1]["facts"]] == [(0.62, ["published_unknown"])]
    assert [(f["confidence"], f["doubts"]) for f in back[0]["facts"]] == [(0.88, []), (0.88, [])]


def test_parquet_has_a_float_confidence_and_a_list_of_strings(tmp_path, weights):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    assert _batch(tmp_path, "r.parquet") == 0
    fact_type = pq.read_schema(str(tmp_path / "r.parquet")).field("facts").type.value_type
    assert fact_type.field("confidence").type == pa.float64()
    assert fact_type.field("doubts").type == pa.list_(pa.string())
    assert [n.name for n in fact_type] == CONTRACT_FACT_KEYS
    rows = {r["id"]: r for r in iter_records(tmp_path / "r.parquet")}
    assert [(f["confidence"], f["doubts"]) for f in rows["undated"]["facts"]] == [(0.62, ["published_unknown"])]
    assert [f["doubts"] for f in rows["dated"]["facts"]] == [[], []]


def test_the_dask_frame_has_the_csv_columns(weights):
    pytest.importorskip("dask.dataframe")
    from extractor.dask import records_to_dataframe

    records = [extract(DATED, published="2024-10-20", id="dated"), extract(UNDATED, id="undated")]
    frame = records_to_dataframe(records).compute()
    assert str(frame["confidence"].dtype) == "Float64"
    assert list(zip(frame["id"], frame["confidence"], frame["doubts"], strict=True)) == [
        ("dated", 0.88, ""), ("dated", 0.88, ""), ("undated", 0.62, "published_unknown")]


# --- records of an older rasd ----------------------------------------------------------------------------------------
def _old(record: dict[str, Any]) -> dict[str, Any]:
    return {**record, "facts": [{k: v for k, v in f.items() if k not in ("confidence", "doubts")}
                                for f in record["facts"]]}


def test_records_without_confidence_are_still_read_by_series(tmp_path):
    new = extract(DATED, published="2024-10-20", id="a").to_dict()
    old = _old(extract(DATED, published="2024-10-20", id="b").to_dict())
    path = tmp_path / "mixed.jsonl"
    path.write_text(json.dumps(old, ensure_ascii=False) + "\n", encoding="utf-8")
    series = fuse(read_records([path]))
    assert [r.lowest_confidence for r in series.rows] == [None, None]
    both = fuse([old, new])
    assert [r.article_ids for r in both.rows] == [("a", "b"), ("a", "b")]
    assert [r.lowest_confidence for r in both.rows] == [new["facts"][1]["confidence"], new["facts"][0]["confidence"]]


def test_an_old_csv_without_the_columns_is_read_with_no_confidence(tmp_path):
    old = _old(extract(DATED, published="2024-10-20", id="old").to_dict())
    article_cols, fact_cols = csv_columns()
    fact_cols = [c for c in fact_cols if c not in ("confidence", "doubts")]
    from extractor.writers import _cell, _flatten

    path = tmp_path / "old.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(article_cols + fact_cols)
        for fact in old["facts"]:
            flat = _flatten(fact)
            w.writerow([_cell(old.get(c)) for c in article_cols] + [_cell(flat.get(c)) for c in fact_cols])
    (back,) = read_records([path])
    assert [(f["value"], f["confidence"], f["doubts"]) for f in back["facts"]] == [(250000, None, []),
                                                                               (1400, None, [])]


def test_resume_refuses_a_csv_out_with_other_columns(tmp_path, capsys):
    out = tmp_path / "r.csv"
    out.write_text("id,url,metric,value\nx,,content_removed,5\n", encoding="utf-8")
    assert _batch(tmp_path, "r.csv", "--resume") == 2
    assert "has other columns than this rasd writes" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "id,url,metric,value\nx,,content_removed,5\n"


# --- rasd batch --min-confidence ------------------------------------------------------------------------------------
def test_min_confidence_keeps_the_sure_facts_and_turns_the_others_into_warnings(tmp_path, weights, capsys):
    assert _batch(tmp_path, "r.jsonl", "--min-confidence", "0.7") == 0
    records = {r["id"]: r for r in iter_records(tmp_path / "r.jsonl")}
    assert [f["value"] for f in records["dated"]["facts"]] == [250000, 1400]
    assert not [w for w in records["dated"]["warnings"] if w["code"] == "below_confidence"]
    undated = records["undated"]
    assert undated["facts"] == [] and undated["is_removal_report"] is False
    (w,) = [w for w in undated["warnings"] if w["code"] == "below_confidence"]
    start = UNDATED.index("3.5 مليون")
    assert w["message"] == (f"content_removed 3500000 (evidence {start}-{start + 9} '3.5 مليون'): confidence 0.62 "
                            "is below 0.7; doubts: published_unknown")
    main(["batch", str(tmp_path / "articles.jsonl"), "-o", str(tmp_path / "all.jsonl"), "--workers", "0"])
    assert "3 facts" in capsys.readouterr().err
    main(["batch", str(tmp_path / "articles.jsonl"), "-o", str(tmp_path / "s.jsonl"), "--workers", "0",
          "--min-confidence", "0.62"])
    assert "3 facts" in capsys.readouterr().err  # at the threshold is kept
    kept = {r["id"]: len(r["facts"]) for r in iter_records(tmp_path / "s.jsonl")}
    assert kept == {"dated": 2, "undated": 1}


def test_min_confidence_in_worker_processes_too(tmp_path, weights):
    path = _articles(tmp_path)
    assert main(["batch", str(path), "-o", str(tmp_path / "w.jsonl"), "--workers", "2", "--quiet",
                 "--min-confidence", "0.7"]) == 0
    assert {r["id"]: len(r["facts"]) for r in iter_records(tmp_path / "w.jsonl")} == {"dated": 2, "undated": 0}


@pytest.mark.parametrize("bad", ["1.5", "-0.1", "high"])
def test_min_confidence_outside_0_1_is_bad_usage(tmp_path, bad, capsys):
    with pytest.raises(SystemExit) as exc:
        _batch(tmp_path, "r.jsonl", "--min-confidence", bad)
    assert exc.value.code == 2 and "not a confidence" in capsys.readouterr().err


def test_keep_confident_without_a_threshold_changes_nothing():
    record = extract(UNDATED)
    assert keep_confident(record, None) is record
    assert keep_confident(record, 0.0) is record


def test_the_readme_shows_every_doubt_code_with_its_example():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for code, d in DOUBTS.items():
        assert f"| `{code}` | {d.description} | {d.example} |" in readme, code
