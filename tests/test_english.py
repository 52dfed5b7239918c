"""English reprints go through the same engine with the English terms of the same pattern files."""

from __future__ import annotations

import pytest

from extractor import extract

REPORT = (
    "Etidal and Telegram remove over 35 million extremist items in Q3 2024\n"
    "The Global Center for Combating Extremist Ideology (Etidal) and Telegram removed 35,634,916 pieces of extremist "
    "content and shut down 323 channels in the third quarter of 2024. ISIS accounted for 34,602,606 items and 189 "
    "channels, followed by Hayat Tahrir al-Sham with 768,821 items and 87 channels, while al-Qaeda had 263,489 items "
    "and 47 channels taken down.\n"
    "The highest activity was recorded on September 13, 2024, when 1,283,141 items were removed.\n"
    "Since February 2022 the partners have removed 129,634,467 items and closed 14,516 channels."
)


def facts(text: str, published: str | None = "2024-10-06") -> set[tuple]:
    record = extract(text, published=published)
    assert record.language == "en" or not record.facts
    return {(f.metric, f.value, f.qualifier, f.organization, f.scope, f.period.start, f.period.end)
            for f in record.facts}


def test_english_report_reads_like_the_arabic_one() -> None:
    assert facts(REPORT) == {
        ("content_removed", 35634916, "exact", None, "period", "2024-07", "2024-09"),
        ("channels_closed", 323, "exact", None, "period", "2024-07", "2024-09"),
        ("content_removed", 34602606, "exact", "isis", "period", "2024-07", "2024-09"),
        ("channels_closed", 189, "exact", "isis", "period", "2024-07", "2024-09"),
        ("content_removed", 768821, "exact", "hts", "period", "2024-07", "2024-09"),
        ("channels_closed", 87, "exact", "hts", "period", "2024-07", "2024-09"),
        ("content_removed", 263489, "exact", "al-qaeda", "period", "2024-07", "2024-09"),
        ("channels_closed", 47, "exact", "al-qaeda", "period", "2024-07", "2024-09"),
        ("content_removed", 1283141, "exact", None, "peak", "2024-09-13", "2024-09-13"),
        ("content_removed", 129634467, "exact", None, "cumulative", "2022-02", None),
        ("channels_closed", 14516, "exact", None, "cumulative", "2022-02", None),
    }


@pytest.mark.parametrize(("hedge", "qualifier"), [
    ("over", "more_than"), ("more than", "more_than"), ("nearly", "approx"), ("about", "approx"),
    ("some", "approx"), ("around", "approx"), ("almost", "approx"),
])
def test_english_hedges(hedge: str, qualifier: str) -> None:
    text = f"Telegram removed {hedge} 16 million extremist posts in the first quarter of 2025."
    assert facts(text, None) == {("content_removed", 16000000, qualifier, None, "period", "2025-01", "2025-03")}


@pytest.mark.parametrize("text", [
    "Telegram said in 2024 that it now has 1 billion users worldwide.",
    "Durov said 99.999% of users are law-abiding and moderators work 24/7.",
    "The firm is not on the Fortune 500 list and employs about 50 people.",
])
def test_english_traps_give_no_facts(text: str) -> None:
    assert extract(text, published="2024-09-06").facts == []


def test_bilingual_page_gives_each_figure_once() -> None:
    text = (
        "أزالت المنصة 18,611,232 محتوى متطرفاً خلال الربع الثاني من 2024.\n"
        "Telegram removed 18,611,232 pieces of extremist content in the second quarter of 2024."
    )
    record = extract(text, published="2024-07-02")
    assert [(f.metric, f.value) for f in record.facts] == [("content_removed", 18611232)]


def test_the_running_total_a_quarter_brings_shares_its_metric() -> None:
    text = ("Etidal and Telegram removed more than 31 million pieces of extremist content in Q4 2024, bringing the "
            "total since February 2022 to over 160 million.")
    assert facts(text, "2025-01-12") == {
        ("content_removed", 31000000, "more_than", None, "period", "2024-10", "2024-12"),
        ("content_removed", 160000000, "more_than", None, "cumulative", "2022-02", None),
    }
