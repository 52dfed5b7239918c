"""find_dateline: an article's own date from its dateline or byline, and the fact extractor's use of it."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from extractor import extract
from extractor.dates import find_dateline, published_from_dateline


@pytest.mark.parametrize(
    ("text", "day", "span_text"),
    [
        ("الأحد 14/مارس/2021 - 10:15 ص\nأعلنت الشركة حذف ألف حساب.", "2021-03-14", "الأحد 14/مارس/2021"),
        ("آخر تحديث: 12 / 03 / 2024م - 09:40 ص\n\nأعلنت الهيئة الحصيلة.", "2024-03-12", "12 / 03 / 2024م"),
        ("CAIRO, June 2, 2025 (Reuters) - The platform removed 3,000 accounts.", "2025-06-02", "June 2, 2025"),
        ("أعلنت المنصة الحصيلة.\n\nنُشِر بتاريخ: ٠٥/١١/٢٠٢٤", "2024-11-05", "٠٥/١١/٢٠٢٤"),
    ],
)
def test_dateline_date_and_its_exact_span(text: str, day: str, span_text: str) -> None:
    found = find_dateline(text)
    assert found is not None
    assert found[0] == dt.date.fromisoformat(day)
    s, e = found[1]
    assert text[s:e] == span_text


@pytest.mark.parametrize(
    "text",
    [
        "أعلنت الوزارة في 5 مارس 2024 حذف ألف حساب.",
        "The ministry said on 5 March 2024 that it had removed 1,000 accounts.",
        "قال المتحدث إن التقرير نشر في 5 مارس 2024 بعد مراجعته.",
        "",
    ],
)
def test_a_date_inside_the_story_is_never_the_articles_date(text: str) -> None:
    assert find_dateline(text) is None


def test_extract_resolves_relative_dates_against_the_dateline_and_says_so() -> None:
    text = (
        "آخر تحديث: 12 / 03 / 2024م\n\n"
        "أعلنت منصة تيليجرام أنها حذفت 5,000 قناة متطرفة خلال الشهر الماضي."
    )
    record = extract(text)
    assert record.published == "2024-03-12"
    (fact,) = record.facts
    assert (fact.period.start, fact.period.end) == ("2024-02", "2024-02")
    # آخر تحديث is an update stamp: the article's date when nothing better (a byline, the URL) says otherwise
    notes = [w for w in record.warnings if w.code == "published_from_updated"]
    assert len(notes) == 1 and "12 / 03 / 2024م" in notes[0].message


def test_a_byline_wins_over_a_date_line_at_the_top_of_the_page_and_the_url_over_an_update_stamp() -> None:
    page = ("الثلاثاء 18 مارس 2025 10:02 م القاهرة\n\nالمنصة تحذف قنوات\nنشر في: الأحد 21 يناير 2024 - 1:00 م\n\n"
            "وحذفت المنصة خلال العام الماضي 5,000 قناة متطرفة.")
    record = extract(page)
    assert record.published == "2024-01-21"
    assert [f.period.start for f in record.facts] == ["2023-01"]
    stamp = "آخر تحديث: 12 / 03 / 2024م\n\nأعلنت منصة تيليجرام أنها حذفت 5,000 قناة متطرفة خلال الشهر الماضي."
    record = extract(stamp, url="https://example.com/2024/03/05/telegram-channels/")
    assert record.published == "2024-03-05"
    assert [w.code for w in record.warnings if w.code.startswith("published_from")] == ["published_from_url"]


def test_a_given_published_date_wins_over_the_dateline() -> None:
    text = "آخر تحديث: 12 / 03 / 2024م\n\nأعلنت منصة تيليجرام أنها حذفت 5,000 قناة متطرفة خلال الشهر الماضي."
    record = extract(text, published="2024-05-02")
    assert record.published == "2024-05-02"
    assert record.facts[0].period.start == "2024-04"
    assert not [w for w in record.warnings if w.code == "published_from_dateline"]


def test_published_from_dateline_is_none_without_a_dateline() -> None:
    assert published_from_dateline("حذفت المنصة ألف قناة في 3 مارس 2024.") is None


def test_the_url_of_a_jsonl_article_and_of_rasd_extract_dates_an_undated_article(tmp_path, capsys) -> None:
    from extractor.cli import main

    text = "وأزالت المنصة خلال الربع الماضي 3.1 مليون محتوى متطرف."
    line = {"id": "u1", "url": "https://example.net/2023/07/04/telegram-report/", "text": text}
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    assert main(["batch", str(src), "-o", str(out), "--workers", "0"]) == 0
    record = json.loads(out.read_text(encoding="utf-8"))
    assert record["published"] == "2023-07-04"
    assert [(f["period"]["start"], f["period"]["end"]) for f in record["facts"]] == [("2023-04", "2023-06")]
    assert "published_from_url" in {w["code"] for w in record["warnings"]}
    page = tmp_path / "a.txt"
    page.write_text(text, encoding="utf-8")
    assert main(["extract", str(page), "--url", "https://example.net/news/20240110/x"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["published"] == "2024-01-10" and printed["facts"][0]["period"]["start"] == "2023-10"
