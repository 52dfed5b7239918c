"""The fusion rules of `extractor.series` on small hand-written records, and the `rasd series` command."""

from __future__ import annotations

import csv
import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from extractor.cli import main
from extractor.errors import InputError
from extractor.model import ArticleRecord, Evidence, Fact, Period, RecordWarning
from extractor.series import fuse, read_records, value_interval, written_precision

Q3_2024 = ("2024-07", "2024-09")


def fact(value: int | float, text: str | None = None, *, metric: str = "content_removed", qualifier: str = "exact",
         org: str | None = None, scope: str = "period", period: tuple[str | None, str | None] = Q3_2024,
         platform: str | None = "telegram", unit: str = "count", sentence: str | None = None) -> dict[str, Any]:
    """A contract fact dict; `text` is the figure as the (hand-written) article writes it."""
    text = text if text is not None else f"{value:,}"
    return {"metric": metric, "value": value, "unit": unit, "qualifier": qualifier, "organization": org,
            "platform": platform, "scope": scope, "period": {"start": period[0], "end": period[1]},
            "evidence": {"start": 0, "end": len(text), "text": text,
                         "sentence": sentence or f"أعلن المركز إزالة {text} مادة متطرفة."}}


def record(rid: str, *facts: dict[str, Any], published: str | None = "2024-10-20", partners: tuple[str, ...] = (
        "etidal",), warnings: tuple[tuple[str, str], ...] = ()) -> dict[str, Any]:
    """A contract record dict holding `facts`."""
    return {"id": rid, "url": f"https://news.example/{rid}", "title": None, "published": published,
            "language": "ar", "is_removal_report": bool(facts), "partners": list(partners),
            "platforms": ["telegram"], "facts": list(facts),
            "warnings": [{"code": c, "message": m} for c, m in warnings], "extractor_version": "test"}


def only_row(records: list[dict[str, Any]]):
    series = fuse(records)
    assert len(series.rows) == 1, [(r.period, r.value) for r in series.rows]
    return series.rows[0]


# --- agreement ------------------------------------------------------------------------------------------------
def test_roundings_of_one_figure_fuse_into_the_exact_value():
    row = only_row([
        record("a", fact(28500000, "28.5 مليون"), published="2024-10-21"),
        record("b", fact(28495947, "28,495,947"), published="2024-10-22"),
        record("c", fact(28400000, "4ر28 مليون"), published="2024-10-20"),  # truncated, Egyptian wire style
        record("d", fact(28500000, "قرابة 28.5 مليون", qualifier="approx"), published=None),
    ])
    assert (row.value, row.qualifier) == (28495947, "exact")
    assert row.articles == 4 and row.article_ids == ("a", "b", "c", "d")
    assert row.first_published == "2024-10-20"
    assert not row.conflict


def test_a_hedge_agrees_with_the_exact_figure_it_rounds_down():
    q1 = ("2025-01", "2025-03")
    row = only_row([record("a", fact(16000000, "أكثر من 16 مليون", qualifier="more_than", period=q1)),
                    record("b", fact(16062667, period=q1))])
    assert (row.value, row.qualifier, row.articles) == (16062667, "exact", 2)
    assert not row.conflict


def test_hedged_statements_alone_keep_the_most_precise_one():
    row = only_row([record("a", fact(30000000, "أكثر من 30 مليون", qualifier="more_than")),
                    record("b", fact(30800000, "أكثر من 30.8 مليون", qualifier="more_than"))])
    assert (row.value, row.qualifier, row.articles) == (30800000, "more_than", 2)


def test_a_hedge_above_the_figure_is_a_conflict():
    row = only_row([record("a", fact(17000000, "أكثر من 17 مليون", qualifier="more_than")),
                    record("b", fact(16062667))])
    assert row.conflict
    assert {row.value, row.others[0].value} == {17000000, 16062667}


def test_a_rounding_that_misses_is_a_conflict_not_an_average():
    row = only_row([record("a", fact(28495947)), record("b", fact(28495947, "28.495.947")),
                    record("c", fact(28300000, "28.3 مليون"))])
    assert (row.value, row.articles) == (28495947, 2)
    assert [(o.value, o.article_ids) for o in row.others] == [(28300000, ("c",))]


def test_a_true_conflict_keeps_every_reading_with_its_sources():
    channels = {"metric": "channels_closed", "period": ("2022-01", "2022-12")}
    row = only_row([record("a", fact(6824, **channels)), record("b", fact(6824, **channels)),
                    record("c", fact(6824, "6 آلاف و824", **channels)), record("d", fact(3616, **channels))])
    assert (row.value, row.article_ids) == (6824, ("a", "b", "c"))
    assert [(o.value, o.article_ids) for o in row.others] == [(3616, ("d",))]
    assert row.others[0].statements[0].url == "https://news.example/d"


def test_two_full_figures_one_apart_disagree():
    row = only_row([record("a", fact(1254, metric="channels_closed")),
                    record("b", fact(1255, metric="channels_closed"))])
    assert row.conflict


def test_percent_rounding_agrees_and_a_different_percent_conflicts():
    share = {"metric": "activity_share", "unit": "percent"}
    exact = record("a", fact(12.82, "12.82%", **share))
    assert not only_row([exact, record("b", fact(12.8, "12.8%", **share))]).conflict
    assert only_row([exact, record("b", fact(12.9, "12.9%", **share))]).conflict


# --- cut-off figures ------------------------------------------------------------------------------------------
def test_a_cut_off_figure_never_wins_even_when_reprinted_more():
    cut = ("truncated_number", "number cut off at the end of the text: 14.")
    row = only_row([
        record("full", fact(14064489, org="isis")),
        record("cut1", fact(14, "14.", org="isis"), warnings=(cut,)),
        record("cut2", fact(14, "14.", org="isis"), warnings=(cut,)),
    ])
    assert (row.value, row.article_ids) == (14064489, ("full",))
    assert row.others[0].value == 14 and row.others[0].cut_off


def test_a_cut_off_warning_marks_only_the_figure_it_quotes():
    warning = ("truncated_number", "'14' at offset 1153 is cut off by the end of the text")
    series = fuse([record("a", fact(11, "11", org="hts"), fact(14, "14", org="isis"), warnings=(warning,))])
    assert [(r.organization, r.reading.cut_off) for r in series.rows] == [("hts", False), ("isis", True)]


def test_a_partial_figure_is_recognised_without_a_warning():
    row = only_row([record("a", fact(129634, "129,634", scope="cumulative", period=("2022-02", "2024-09"))),
                    record("b", fact(129634, "129,634", scope="cumulative", period=("2022-02", "2024-09"))),
                    record("c", fact(129634467, scope="cumulative", period=("2022-02", "2024-09")))])
    assert row.value == 129634467
    assert row.others[0].cut_off and "129634467" in row.others[0].statements[0].cut_off


def test_a_row_resting_only_on_a_cut_off_figure_is_flagged():
    series = fuse([record("cut", fact(35, "35", org="hts"), warnings=(("truncated_number", "cut off: 35"),))])
    assert [f.code for f in series.flags] == ["cut_off_only"]


# --- reprints and periods -------------------------------------------------------------------------------------
def reprint(rid: str, published: str | None = None) -> dict[str, Any]:
    """One outlet's copy of a quarterly release: total, per organisation, channels, running total."""
    return record(rid, fact(35634916), fact(34602606, org="isis"), fact(768821, org="hts"),
                  fact(323, metric="channels_closed"),
                  fact(129634467, scope="cumulative", period=("2022-02", "2024-09")), published=published)


def test_duplicate_reprints_give_one_row_per_series_and_period():
    series = fuse([reprint("a", "2024-10-06"), reprint("b", "2024-10-07"), reprint("c"), reprint("a", "2024-10-06")])
    keys = [(r.metric, r.organization, r.scope, r.period) for r in series.rows]
    assert len(keys) == len(set(keys)) == 5
    assert all(r.article_ids == ("a", "b", "c") and r.first_published == "2024-10-06" for r in series.rows)
    assert series.records == 3  # the record read twice counts once


def test_periods_that_differ_only_by_precision_group_together():
    cum = {"scope": "cumulative", "metric": "channels_closed"}
    series = fuse([
        record("a", fact(14516, period=("2022-02", "2024-09"), **cum)),
        record("b", fact(14516, period=("2022", "2024-09"), **cum)),        # since 2022
        record("c", fact(14516, period=(None, "2024-09"), **cum)),          # no start stated
        record("d", fact(6264, metric="channels_closed", period=("2023", "2023"))),
        record("e", fact(6264, metric="channels_closed", period=("2023-01", "2023-12"))),
        record("f", fact(2000000, "مليوني", qualifier="more_than", scope="peak", period=("2024-06", "2024-06"))),
        record("g", fact(2000000, "2 million", qualifier="more_than", scope="peak", period=("2024-06-17",) * 2)),
    ])
    got = sorted((r.metric, r.scope, r.period.start, r.period.end, r.article_ids) for r in series.rows)
    assert got == [
        ("channels_closed", "cumulative", "2022-02", "2024-09", ("a", "b", "c")),
        ("channels_closed", "period", "2023-01", "2023-12", ("d", "e")),
        ("content_removed", "peak", "2024-06-17", "2024-06-17", ("f", "g")),
    ]


def test_a_month_total_does_not_disappear_into_a_day_inside_it():
    series = fuse([record("a", fact(18000000, "18 مليون", period=("2024-06", "2024-06"))),
                   record("b", fact(2000000, "مليوني", period=("2024-06-17", "2024-06-17")))])
    assert sorted((r.period.start, r.value) for r in series.rows) == [("2024-06", 18000000), ("2024-06-17", 2000000)]
    assert not any(r.conflict for r in series.rows)


def test_year_only_bounds_share_the_row_of_their_months_even_in_conflict():
    row = only_row([record("a", fact(6264, metric="channels_closed", period=("2023", "2023"))),
                    record("b", fact(6246, metric="channels_closed", period=("2023-01", "2023-12")))])
    assert (row.period, row.conflict) == (Period("2023-01", "2023-12"), True)


def test_an_open_period_joins_only_the_group_its_figure_agrees_with():
    cum = {"scope": "cumulative"}
    series = fuse([
        record("a", fact(93999551, period=("2022-02", "2024-06"), **cum)),
        record("b", fact(129634467, period=("2022-02", "2024-09"), **cum)),
        record("c", fact(93900000, "93.9 million", period=("2022-02", None), **cum)),  # end not stated
        record("d", fact(58891704, period=("2022-02", None), **cum)),                  # agrees with none
    ])
    got = {(r.period.start, r.period.end): r.article_ids for r in series.rows}
    assert got == {("2022-02", "2024-06"): ("a", "c"), ("2022-02", "2024-09"): ("b",), ("2022-02", None): ("d",)}
    lone = fuse([record("a", fact(14193, metric="channels_closed", period=("2022-02", "2024-06"), **cum)),
                 record("b", fact(13088, metric="channels_closed", period=("2022-02", None), **cum))])
    assert len(lone.rows) == 2 and not any(r.conflict for r in lone.rows)


def test_a_record_without_partner_joins_the_series_of_its_reprints():
    series = fuse([record("a", fact(323, metric="channels_closed")),
                   record("b", fact(323, metric="channels_closed"), partners=())])
    assert [(r.partners, r.article_ids) for r in series.rows] == [(("etidal",), ("a", "b"))]


def test_article_records_and_dicts_are_both_accepted():
    ev = Evidence(0, 10, "35,634,916", "أزيل 35,634,916 محتوى.")
    rec = ArticleRecord(id="obj", partners=["etidal"], platforms=["telegram"], facts=[
        Fact("content_removed", 35634916, "count", "exact", None, "telegram", "period", Period(*Q3_2024), 0.97, (),
             ev)],
        warnings=[RecordWarning("weekday_mismatch", "الخميس is not 2024-10-20")])
    series = fuse([rec, record("dict", fact(35600000, "35.6 مليون"))])
    assert series.rows[0].article_ids == ("dict", "obj")
    assert [(w.record_id, w.code) for w in series.warnings] == [("obj", "weekday_mismatch")]


# --- cross-period checks --------------------------------------------------------------------------------------
QUARTERS = [("2023-01", "2023-03"), ("2023-04", "2023-06"), ("2023-07", "2023-09"), ("2023-10", "2023-12")]


def year_and_quarters(total: int, quarters: list[int]) -> list[dict[str, Any]]:
    return [record("y", fact(total, period=("2023-01", "2023-12")))] + [
        record(f"q{i}", fact(v, period=p)) for i, (v, p) in enumerate(zip(quarters, QUARTERS, strict=True))]


def test_quarters_that_add_up_to_the_year_are_not_flagged():
    assert fuse(year_and_quarters(100, [10, 20, 30, 40])).flags == ()


def test_quarters_that_do_not_add_up_to_the_year_are_flagged():
    series = fuse(year_and_quarters(100, [10, 20, 30, 41]))
    assert [f.code for f in series.flags] == ["parts_sum_mismatch"]
    flagged = {series.rows[i].period.start for i in series.flags[0].rows}
    assert flagged == {"2023-01", "2023-04", "2023-07", "2023-10"}
    assert "101" in series.flags[0].message


def test_rounded_quarters_within_their_precision_are_not_flagged():
    records = [record("y", fact(43869753, period=("2023-01", "2023-12")))] + [
        record(f"q{i}", fact(v, t, period=p)) for i, (v, t, p) in enumerate(
            [(10000000, "10 ملايين", QUARTERS[0]), (7000000, "7 ملايين", QUARTERS[1]),
             (6777206, None, QUARTERS[2]), (20092547, None, QUARTERS[3])])]
    assert fuse(records).flags == ()


def test_two_quarters_already_above_the_year_are_flagged():
    series = fuse([record("y", fact(100, period=("2023-01", "2023-12"))),
                   record("q1", fact(60, period=QUARTERS[0])), record("q2", fact(50, period=QUARTERS[1]))])
    assert [f.code for f in series.flags] == ["parts_exceed_total"]


def cumulative_chain(new_total: int) -> list[dict[str, Any]]:
    cum = {"scope": "cumulative"}
    return [record("june", fact(93999551, period=("2022-02", "2024-06"), **cum)),
            record("q3", fact(35634916)),
            record("sept", fact(new_total, period=("2022-02", "2024-09"), **cum))]


def test_a_cumulative_total_equal_to_previous_plus_quarter_is_not_flagged():
    assert fuse(cumulative_chain(129634467)).flags == ()


def test_a_cumulative_total_that_is_not_previous_plus_quarter_is_flagged():
    series = fuse(cumulative_chain(129634567))
    assert [f.code for f in series.flags] == ["cumulative_mismatch"]
    assert {series.rows[i].scope for i in series.flags[0].rows} == {"cumulative", "period"}


def test_an_organisation_above_the_total_is_flagged():
    series = fuse([record("a", fact(768821), fact(34602606, org="isis"))])
    assert [f.code for f in series.flags] == ["organization_above_total"]


def test_organisations_together_above_the_total_are_flagged():
    series = fuse([record("a", fact(1000), fact(600, org="isis"), fact(500, org="hts"))])
    assert [f.code for f in series.flags] == ["organizations_exceed_total"]
    assert fuse([record("a", fact(1000), fact(600, org="isis"), fact(300, org="hts"))]).flags == ()


# --- precision ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("value", "qualifier", "text", "precision"), [
    (28495947, "exact", "28,495,947", 1),
    (28500000, "exact", "28.5 مليون", 100000),
    (28400000, "exact", "4ر28 مليون", 100000),
    (30000000, "exact", "30 million", 1000000),
    (15021000, "exact", "15 مليوناً و21 ألفاً", 1000),
    (2000000, "more_than", "مليوني", 1000000),
    (1200, "more_than", "1,200", 100),
    (1200, "exact", "1,200", 1),
    (2999268, "more_than", "2,999,268", 1),
])
def test_written_precision(value, qualifier, text, precision):
    assert written_precision(value, qualifier, text) == precision


def test_value_intervals_of_each_qualifier():
    p = Fraction(100000)
    assert value_interval(28500000, "exact", p) == (28450000, 28599999)
    assert value_interval(16000000, "more_than", Fraction(1000000)) == (16000000, 17000000)
    assert value_interval(28500000, "approx", p) == (28400000, 28600000)
    assert value_interval(16062667, "exact", Fraction(1)) == (16062667, 16062667)


# --- reading records and the command --------------------------------------------------------------------------
def test_read_records_names_the_file_and_line_of_a_bad_line(tmp_path: Path):
    bad = tmp_path / "records.jsonl"
    bad.write_text(json.dumps(reprint("a")) + "\n\n{not json\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"records\.jsonl:3: not valid JSON"):
        list(read_records([bad]))
    arr = tmp_path / "records.json"
    arr.write_text(json.dumps([reprint("a"), reprint("b")]), encoding="utf-8")
    assert [r["id"] for r in read_records([arr])] == ["a", "b"]


def test_rasd_series_writes_csv_and_jsonl(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    src = tmp_path / "records.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in
                           [reprint("a"), reprint("b"), record("c", fact(3616, metric="channels_closed"))]),
                   encoding="utf-8")
    out = tmp_path / "series.csv"
    assert main(["series", str(src), "-o", str(out)]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == 5
    channels = next(r for r in rows if r["metric"] == "channels_closed")
    assert (channels["value"], channels["status"], channels["article_ids"]) == ("323", "conflict", "a b")
    assert "3616" in channels["conflicts"]
    assert main(["series", str(src), "-o", str(tmp_path / "s.jsonl")]) == 0
    lines = [json.loads(x) for x in (tmp_path / "s.jsonl").read_text(encoding="utf-8").splitlines()]
    assert lines[0]["sources"][0]["sentence"].startswith("أعلن")
    assert "5 rows" in capsys.readouterr().err


def test_rasd_series_bad_input_exits_2_with_file_and_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "facts": []}\n[1, 2]\n', encoding="utf-8")
    assert main(["series", str(bad), "-o", str(tmp_path / "s.csv")]) == 2
    assert "bad.jsonl:2" in capsys.readouterr().err
    assert not (tmp_path / "s.csv").exists()
    assert main(["series", str(tmp_path / "missing.jsonl")]) == 2
