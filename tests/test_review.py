"""The review path end to end: batch → review → a reviewer edits rows → series and report apply them; and the clear
errors of a badly filled-in file."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from confidence_support import expected, pattern_folder

from extractor import patterns
from extractor.cli import main
from extractor.errors import InputError
from extractor.review import REVIEW_COLUMNS, apply_corrections, read_corrections
from extractor.series import fuse

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = {a["id"]: a for a in map(json.loads, (ROOT / "samples" / "articles.jsonl").read_text("utf-8").splitlines())}


@pytest.fixture
def weights(tmp_path: Path):
    """Fixed weights (tests/confidence_support.py): a dated fact 0.88, an undated one 0.62."""
    patterns.use_pattern_dir(pattern_folder(tmp_path))
    yield
    patterns.use_pattern_dir(None)


def _records(tmp_path: Path) -> Path:
    """Records of two reprints of one press release (rasd batch, real extractor): one dated, one given undated."""
    src = tmp_path / "articles.jsonl"
    q3, levant = SAMPLES["etidal_q3_2024"], dict(SAMPLES["levantine_months_q3"], published=None)
    src.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in (q3, levant)), encoding="utf-8")
    out = tmp_path / "records.jsonl"
    assert main(["batch", str(src), "-o", str(out), "--workers", "0", "--quiet"]) == 0
    return out


def _read_review(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a byte-order mark: spreadsheet programs open the Arabic as Arabic
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        assert tuple(reader.fieldnames or ()) == REVIEW_COLUMNS
        return list(reader)


def _write_review(path: Path, rows: list[dict[str, str]], delimiter: str = ",") -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), delimiter=delimiter)
        w.writeheader()
        w.writerows(rows)


def _row(rows: list[dict[str, str]], rid: str, text: str) -> dict[str, str]:
    (found,) = [r for r in rows if r["id"] == rid and r["evidence_text"] == text]
    return found


def _series(tmp_path: Path, records: Path, *extra: str) -> list[dict[str, Any]]:
    out = tmp_path / "series.jsonl"
    assert main(["series", str(records), "-o", str(out), *extra]) == 0
    return [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]


def test_review_lists_the_doubtful_facts_most_doubtful_first(tmp_path, weights, capsys):
    records = _records(tmp_path)
    assert main(["review", str(records), "-o", str(tmp_path / "review.csv")]) == 0
    rows = _read_review(tmp_path / "review.csv")
    facts = [f for line in records.read_text("utf-8").splitlines() for f in json.loads(line)["facts"]]
    assert len(rows) == len(facts) == 14  # 0.88 and 0.62 are both below the default 0.9
    keys = [(float(r["confidence"]), r["id"], int(r["evidence_start"])) for r in rows]
    assert keys == sorted(keys) and keys[0][:2] == (expected("published_unknown"), "levantine_months_q3")
    first = rows[0]
    assert first["doubts"] == "published_unknown" and first["url"] == SAMPLES["levantine_months_q3"]["url"]
    text = SAMPLES["levantine_months_q3"]["text"]
    assert text[int(first["evidence_start"]):int(first["evidence_end"])] == first["evidence_text"]
    assert first["evidence_text"] in first["evidence_sentence"]
    assert all(r["verdict"] == "" and all(r[f"correct_{c}"] == "" for c in ("metric", "value", "period_end"))
               for r in rows)
    assert "14 of 14 facts below 0.9" in capsys.readouterr().err
    assert main(["review", str(records), "-o", str(tmp_path / "few.csv"), "--below", "0.7"]) == 0
    assert {r["id"] for r in _read_review(tmp_path / "few.csv")} == {"levantine_months_q3"}


def test_batch_review_edit_two_rows_series_reflects_both(tmp_path, weights, capsys):
    records = _records(tmp_path)
    before = _series(tmp_path, records)
    channels = next(r for r in before if r["metric"] == "channels_closed" and r["period"]["start"] == "2024-07"
                    and r["organization"] is None)
    assert channels["article_ids"] == ["etidal_q3_2024", "levantine_months_q3"]
    assert channels["lowest_confidence"] == expected("published_unknown")
    assert any(r["organization"] == "isis" and r["scope"] == "peak" and r["period"]["start"] == "2024-09-13"
               for r in before)

    assert main(["review", str(records), "-o", str(tmp_path / "review.csv")]) == 0
    rows = _read_review(tmp_path / "review.csv")
    _row(rows, "levantine_months_q3", "323")["verdict"] = "wrong"
    peak = _row(rows, "etidal_q3_2024", "مليوناً و283 ألفاً و141")
    peak["correct_period_start"] = peak["correct_period_end"] = "2024-09-14"
    _write_review(tmp_path / "review.csv", rows)
    capsys.readouterr()

    after = _series(tmp_path, records, "--corrections", str(tmp_path / "review.csv"))
    channels = next(r for r in after if r["metric"] == "channels_closed" and r["period"]["start"] == "2024-07"
                    and r["organization"] is None)
    assert channels["article_ids"] == ["etidal_q3_2024"]  # the fact judged wrong is gone
    assert channels["lowest_confidence"] == expected()
    peaks = [r for r in after if r["organization"] == "isis" and r["scope"] == "peak"]
    assert [(r["period"], r["value"]) for r in peaks] == [({"start": "2024-09-14", "end": "2024-09-14"}, 1283141)]
    (source,) = peaks[0]["sources"]
    assert source["reviewed"] == "corrected: period_start, period_end" and peaks[0]["lowest_confidence"] == 1.0
    assert sum(len(r["sources"]) for r in after) == sum(len(r["sources"]) for r in before) - 1
    err = capsys.readouterr().err
    assert "2 reviewed rows, 1 facts dropped (wrong), 1 corrected, 0 confirmed right" in err
    assert "no fact of the records" not in err

    csv_out = tmp_path / "series.csv"
    assert main(["series", str(records), "-o", str(csv_out), "--corrections", str(tmp_path / "review.csv")]) == 0
    with csv_out.open(encoding="utf-8", newline="") as f:
        table = list(csv.DictReader(f))
    assert {r["lowest_confidence"] for r in table} == {"1.0", str(expected()), str(expected("published_unknown"))}

    pytest.importorskip("matplotlib")
    page = tmp_path / "report.html"
    assert main(["report", str(records), "-o", str(page), "--corrections", str(tmp_path / "review.csv")]) == 0
    html = page.read_text(encoding="utf-8")
    assert "reviewed: corrected: period_start, period_end" in html and ">1 corrected<" in html
    assert "<th>lowest confidence</th>" in html


def test_a_row_that_matches_no_fact_is_reported_not_ignored(tmp_path, weights, capsys):
    records = _records(tmp_path)
    main(["review", str(records), "-o", str(tmp_path / "review.csv")])
    rows = _read_review(tmp_path / "review.csv")
    rows[0]["verdict"] = "right"
    rows[1]["verdict"] = "wrong"
    rows[1]["evidence_start"] = str(int(rows[1]["evidence_start"]) + 1)  # a newer rasd read another span
    _write_review(tmp_path / "review.csv", rows)
    capsys.readouterr()
    _series(tmp_path, records, "--corrections", str(tmp_path / "review.csv"))
    err = capsys.readouterr().err
    assert (f"review.csv row 3: no fact of the records has id {rows[1]['id']!r} and evidence "
            f"{rows[1]['evidence_start']}-{rows[1]['evidence_end']}") in err
    assert "0 facts dropped (wrong), 0 corrected, 1 confirmed right" in err


def test_corrections_survive_a_rerun_that_changes_everything_but_the_span(tmp_path, weights):
    records = _records(tmp_path)
    main(["review", str(records), "-o", str(tmp_path / "review.csv")])
    rows = _read_review(tmp_path / "review.csv")
    row = _row(rows, "etidal_q3_2024", "323")
    row["correct_organization"] = "isis"
    _write_review(tmp_path / "review.csv", rows)
    corrections = read_corrections([tmp_path / "review.csv"])
    newer = []
    for line in records.read_text("utf-8").splitlines():
        rec = json.loads(line)  # a newer rasd: other confidences, doubts and metric, the same spans
        rec["facts"] = [{**f, "confidence": 0.5, "doubts": ["scope_default"]} for f in rec["facts"]]
        newer.append(rec)
    applied = [f for r in apply_corrections(newer, corrections) for f in r["facts"] if f["evidence"]["text"] == "323"
               and r["id"] == "etidal_q3_2024"]
    assert [(f["organization"], f["reviewed"]) for f in applied] == [("isis", "corrected: organization")]
    assert corrections.unmatched() == []


def test_a_file_saved_with_semicolons_is_read(tmp_path, weights):
    records = _records(tmp_path)
    main(["review", str(records), "-o", str(tmp_path / "review.csv")])
    rows = _read_review(tmp_path / "review.csv")
    _row(rows, "levantine_months_q3", "323")["verdict"] = "Wrong "
    _write_review(tmp_path / "review.csv", rows, delimiter=";")
    series = fuse(apply_corrections(map(json.loads, records.read_text("utf-8").splitlines()),
                                    read_corrections([tmp_path / "review.csv"])))
    assert all("levantine_months_q3" not in r.article_ids for r in series.rows if r.metric == "channels_closed")


@pytest.mark.parametrize(("edit", "message"), [
    ({"verdict": "maybe"}, "row 2: unknown verdict 'maybe' (right, wrong, corrected, or empty)"),
    ({"correct_value": "12x"}, "row 2: correct_value: '12x' is not a whole number (a count of content_removed)"),
    ({"correct_period_start": "2024-13"}, "row 2: correct_period_start: month must be in 1..12"),
    ({"correct_period_end": "Sep-24"}, "row 2: correct_period_end: 'Sep-24' is not a period bound"),
    ({"correct_scope": "total"}, "row 2: correct_scope: unknown scope 'total' (one of period, cumulative, peak)"),
    ({"correct_organization": "daesh"}, "row 2: correct_organization: unknown organisation 'daesh'"),
    ({"correct_metric": "posts_removed"}, "row 2: correct_metric: unknown metric 'posts_removed'"),
    ({"correct_qualifier": "around"}, "row 2: correct_qualifier: unknown qualifier 'around'"),
    ({"verdict": "right", "correct_value": "5"}, "row 2: verdict 'right' with corrected fields (value)"),
    ({"verdict": "corrected"}, "row 2: verdict 'corrected' but no correct_* column is filled in"),
    ({"verdict": "wrong", "evidence_start": "x"}, "row 2: evidence_start/evidence_end must be whole numbers"),
])
def test_a_badly_filled_in_file_is_a_clear_error_with_its_row(tmp_path, edit, message, capsys):
    row = {c: "" for c in REVIEW_COLUMNS}
    row.update({"id": "a", "metric": "content_removed", "evidence_start": "3", "evidence_end": "9",
                "evidence_text": "5 آلاف"})
    row.update(edit)
    other = {**row, "id": "b", "verdict": "maybe"} if edit.get("verdict") != "maybe" else {**row, "id": "b"}
    _write_review(tmp_path / "review.csv", [row, other])
    with pytest.raises(InputError) as err:
        read_corrections([tmp_path / "review.csv"])
    assert message in str(err.value) and err.value.code == "bad_corrections"
    assert "review.csv row 3" in str(err.value) or other["verdict"] != "maybe"  # every bad row at once
    records = tmp_path / "records.jsonl"
    records.write_text(json.dumps({"id": "a", "facts": []}) + "\n", encoding="utf-8")
    assert main(["series", str(records), "--corrections", str(tmp_path / "review.csv")]) == 2
    assert message in capsys.readouterr().err


def test_a_file_without_the_review_columns_is_refused(tmp_path):
    (tmp_path / "notes.csv").write_text("id,verdict\na,wrong\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"no column evidence_start, evidence_end, evidence_text, correct_metric"):
        read_corrections([tmp_path / "notes.csv"])


def test_two_rows_of_one_fact_must_agree(tmp_path):
    row = {c: "" for c in REVIEW_COLUMNS}
    row.update({"id": "a", "evidence_start": "3", "evidence_end": "9", "evidence_text": "5 آلاف", "verdict": "wrong"})
    _write_review(tmp_path / "review.csv", [row, {**row, "verdict": "right"}])
    with pytest.raises(InputError, match=r"review\.csv row 3: the same fact as review\.csv row 2"):
        read_corrections([tmp_path / "review.csv"])


def test_a_corrected_period_that_ends_before_it_starts_is_refused(tmp_path):
    row = {c: "" for c in REVIEW_COLUMNS}
    row.update({"id": "a", "evidence_start": "0", "evidence_end": "3", "evidence_text": "323",
                "correct_period_start": "2024-09"})
    _write_review(tmp_path / "review.csv", [row])
    rec = {"id": "a", "facts": [{"metric": "channels_closed", "value": 323, "unit": "count", "qualifier": "exact",
                                 "organization": None, "platform": None, "scope": "period",
                                 "period": {"start": "2024-07", "end": "2024-08"},
                                 "evidence": {"start": 0, "end": 3, "text": "323", "sentence": "323"}}]}
    with pytest.raises(InputError, match=r"row 2: the corrected period starts \(2024-09\) after it ends \(2024-08\)"):
        list(apply_corrections([rec], read_corrections([tmp_path / "review.csv"])))


def test_review_of_records_without_confidence_lists_them_first(tmp_path, capsys):
    rec = {"id": "old", "facts": [{"metric": "channels_closed", "value": 323, "unit": "count", "qualifier": "exact",
                                   "organization": None, "platform": None, "scope": "period",
                                   "period": {"start": "2024-07", "end": "2024-09"},
                                   "evidence": {"start": 0, "end": 3, "text": "323", "sentence": "323 قناة"}}]}
    path = tmp_path / "old.jsonl"
    path.write_text(json.dumps(rec, ensure_ascii=False) + "\n", encoding="utf-8")
    assert main(["review", str(path), "-o", str(tmp_path / "review.csv")]) == 0
    (row,) = _read_review(tmp_path / "review.csv")
    assert (row["id"], row["confidence"], row["doubts"]) == ("old", "", "")
    assert "1 of them carry no confidence" in capsys.readouterr().err
