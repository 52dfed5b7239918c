"""find_dates: time expressions found in real-looking report text, resolved against a fixed publication date."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.dates import find_dates, parse_published
from extractor.model import DateMention, Period
from extractor.normalise import normalise

PUBLISHED = "2024-10-20"

REPORT_AR = (
    "الرياض - أعلن المركز العالمي لمكافحة الفكر المتطرف «اعتدال» ومنصة تيليجرام، أمس الأحد، أنهما أزالا "
    "35,634,916 مادة متطرفة خلال الربع الثالث من العام الحالي 2024م. وسجّل تنظيم داعش ذروة نشاطه يوم الجمعة "
    "13 سبتمبر الماضي. وبلغ إجمالي المحتوى المحذوف منذ بدء الشراكة في فبراير 2022 وحتى نهاية الربع الثالث "
    "129,634,467 مادة، فيما أُغلقت 14,516 قناة."
)

REPORT_EN = (
    "RIYADH — Etidal and Telegram removed 18.6 million pieces of content in Q2 2024, up 12.82% on the first "
    "quarter. Activity peaked on Monday, June 17 2024 (11 Dhu al-Hijjah 1445 AH). From February 2022 to the end "
    "of June 2024 the partners removed 93.9 million items."
)


def spans(mentions: list[DateMention]) -> list[tuple[str, str, str | None, str | None]]:
    return [(m.text, m.kind, m.period.start, m.period.end) for m in mentions]


def test_arabic_report_reads_every_period_in_order() -> None:
    found = find_dates(REPORT_AR, PUBLISHED)
    assert spans(found) == [
        ("أمس", "day", "2024-10-19", "2024-10-19"),
        ("الربع الثالث من العام الحالي 2024م", "quarter", "2024-07", "2024-09"),
        ("الجمعة 13 سبتمبر الماضي", "day", "2024-09-13", "2024-09-13"),
        ("منذ بدء الشراكة في فبراير 2022 وحتى نهاية الربع الثالث", "range", "2022-02", "2024-09"),
    ]
    assert found[2].weekday == 4 and found[2].weekday_matches is True


def test_english_report_reads_quarters_days_hijri_and_ranges() -> None:
    found = find_dates(REPORT_EN)
    assert spans(found) == [
        ("Q2 2024", "quarter", "2024-04", "2024-06"),
        ("the first quarter", "quarter", "2024-01", "2024-03"),
        ("Monday, June 17 2024", "day", "2024-06-17", "2024-06-17"),
        ("11 Dhu al-Hijjah 1445 AH", "day", "2024-06-17", "2024-06-17"),
        ("From February 2022 to the end of June 2024", "range", "2022-02", "2024-06"),
    ]


def test_offsets_index_the_original_text_through_diacritics_tatweel_and_indic_digits() -> None:
    text = "وأُزيلت المواد خلال الرُّبـع الثالث من عام ٢٠٢٥م، ثم في ١٥ يناير ٢٠٢٦."
    found = find_dates(text)
    assert [m.text for m in found] == ["الرُّبـع الثالث من عام ٢٠٢٥م", "١٥ يناير ٢٠٢٦"]
    for m in found:
        assert text[m.start:m.end] == m.text
    assert found[0].period == Period("2025-07", "2025-09")
    assert found[1].period == Period("2026-01-15", "2026-01-15")


def test_a_normalised_text_gives_the_same_mentions_as_the_string() -> None:
    assert find_dates(normalise(REPORT_AR), PUBLISHED) == find_dates(REPORT_AR, PUBLISHED)


def test_mentions_are_sorted_and_never_overlap() -> None:
    found = find_dates(REPORT_AR + "\n" + REPORT_EN, PUBLISHED)
    assert len(found) == 9
    for a, b in itertools.pairwise(found):
        assert a.end <= b.start


@pytest.mark.parametrize(
    ("text", "published", "period"),
    [
        ("خلال الربع الأخير", "2025-01-10", ("2024-10", "2024-12")),  # the latest Q4 that began before publication
        ("خلال الربع الأخير", "2024-12-20", ("2024-10", "2024-12")),
        ("في 13 سبتمبر الماضي", "2024-10-20", ("2024-09-13", "2024-09-13")),
        ("في 13 سبتمبر الماضي", "2024-09-10", ("2023-09-13", "2023-09-13")),  # "last September" before the 13th
        ("خلال النصف الثاني", "2024-03-01", ("2023-07", "2023-12")),
        ("خلال العام الماضي", "2024-01-21", ("2023-01", "2023-12")),
        ("الشهر الماضي", "2024-01-21", ("2023-12", "2023-12")),
        ("in the previous quarter", "2024-02-02", ("2023-10", "2023-12")),
        ("this year", dt.date(2022, 7, 22), ("2022-01", "2022-12")),
    ],
)
def test_relative_and_yearless_expressions_resolve_against_publication(text, published, period) -> None:
    (m,) = find_dates(text, published)
    assert (m.period.start, m.period.end) == period
    assert m.unresolved is None


@pytest.mark.parametrize("published", [None, "", "not a date", "2024-13-45", "20/10/2024", 20241020])
def test_relative_expressions_without_a_usable_publication_date_stay_unresolved(published) -> None:
    (m,) = find_dates("وأغلقت القنوات خلال الربع الماضي", published)
    assert m.kind == "quarter"
    assert m.period == Period(None, None)
    assert m.unresolved and "publication" in m.unresolved


def test_published_accepts_a_timestamp_and_a_datetime() -> None:
    assert parse_published("2024-10-20T08:15:00Z") == dt.date(2024, 10, 20)
    assert parse_published(dt.datetime(2024, 10, 20, 8, 15)) == dt.date(2024, 10, 20)


def test_a_yearless_quarter_takes_the_year_of_the_same_quarter_named_elsewhere() -> None:
    text = ("حذفت المنصة 30 مليون مادة خلال الربع الثاني من عام 2025. وكانت الشراكة قد بدأت في فبراير 2022، "
            "ومع إزالة هذه المواد خلال الربع الثاني وحده ارتفع الإجمالي.")
    found = find_dates(text)
    assert spans(found)[-1] == ("الربع الثاني", "quarter", "2025-04", "2025-06")


def test_the_previous_quarter_counts_back_from_the_quarter_just_named() -> None:
    found = find_dates("ارتفع عدد الفيديوهات المحذوفة في الربع الثاني من 2025 بنسبة 93% مقارنة بالربع السابق.")
    assert spans(found) == [("الربع الثاني من 2025", "quarter", "2025-04", "2025-06"),
                            ("الربع السابق", "quarter", "2025-01", "2025-03")]


def test_a_range_bound_without_year_takes_its_partners_year() -> None:
    found = find_dates("وتابع المركز خلال الفترة من (نوفمبر) حتى (فبراير) 2025 نشاط الحسابات.")
    assert spans(found) == [("الفترة من (نوفمبر) حتى (فبراير) 2025", "range", "2024-11", "2025-02")]


def test_the_start_of_a_running_total_does_not_give_its_year_to_the_quarter_beside_it() -> None:
    text = "وقال المركز إنه منذ بدء الشراكة في فبراير 2022 أزيل 200 مليون مادة، منها 30 مليونا خلال الربع الثاني."
    assert spans(find_dates(text, "2025-07-24"))[-1] == ("الربع الثاني", "quarter", "2025-04", "2025-06")


def test_since_and_until_give_open_bounds() -> None:
    found = find_dates("منذ فبراير 2022 أزيل 200 مليون مادة، وحتى نهاية سبتمبر 2025 أغلقت 20 ألف قناة.")
    assert [m.period for m in found] == [Period("2022-02", None), Period(None, "2025-09")]
    found = find_dates("وبلغ الإجمالي منذ عام 2022 نحو 200 مليون.")
    assert found[0].period == Period("2022", None)


def test_a_weekday_that_contradicts_the_date_is_reported_not_corrected() -> None:
    (m,) = find_dates("وسُجّلت الذروة يوم السبت 13 سبتمبر 2024.")
    assert m.period == Period("2024-09-13", "2024-09-13")
    assert m.weekday == 5 and m.weekday_matches is False


@pytest.mark.parametrize(
    "text", ["في 31 فبراير 2024", "بتاريخ 2025/13/07", "في 31 ذي الحجة 1445هـ", "في 29 فبراير 2023"]
)
def test_impossible_dates_are_unresolved_not_crashed_on(text) -> None:
    (m,) = find_dates(text)
    assert m.period == Period(None, None)
    assert m.unresolved


def test_hijri_dates_convert_with_umm_al_qura() -> None:
    found = find_dates("صدر القرار في 1444/9/11 هـ، ووافق 11 ذي الحجة 1445هـ يوم الاثنين.")
    assert [m.period.start for m in found] == ["2023-04-02", "2024-06-17"]
    (m,) = find_dates("وتكثف النشاط ليلة 27 رمضان", "2025-04-10")
    assert m.period == Period("2025-03-27", "2025-03-27")


@pytest.mark.parametrize(
    "text",
    [
        "مارس التنظيم الضغط على أتباعه لنشر المواد.",
        "قال الأب إن ابنه تعرّض للتجنيد عبر الإنترنت.",
        "ظهر المايسترو في الحفل وارتدى المايوه.",
        "أغلقت المنصة 2024 قناة وحذفت 1999 حساباً.",
        "They may remove more posts as supporters march on.",
        "ويرى الرأي العام أن المدعي العام محق في نصف القضايا.",
    ],
)
def test_look_alikes_are_not_dates(text) -> None:
    assert find_dates(text) == []


ARABIC = st.characters(min_codepoint=0x0600, max_codepoint=0x06FF)
PIECES = st.sampled_from(["2024", "13", "/", "-", " ", "الربع", "سبتمبر", "منذ", "حتى", "نهاية", "Q3", "of",
                          "March", "هـ", "م", "(", ")", "الماضي", "العام", "الأول", "the past", "months", "\u064f",
                          "\u0640", "\ufefb", "١٥", "ذي الحجة"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(PIECES, st.text(ARABIC, max_size=4), st.text(max_size=3)), max_size=25),
       st.sampled_from([None, "2024-10-20", "garbage", "1900-01-01", "2100-12-31"]))
def test_any_text_gives_sorted_disjoint_spans_of_the_original(pieces, published) -> None:
    text = " ".join(pieces)
    found = find_dates(text, published)
    last_end = 0
    for m in found:
        assert text[m.start:m.end] == m.text
        assert m.start >= last_end
        last_end = m.end
        assert m.kind in ("day", "month", "quarter", "half", "year", "range", "relative")
        for bound in (m.period.start, m.period.end):
            assert bound is None or len(bound) in (4, 7, 10)


def test_undated_month_of_last_year_takes_the_texts_current_year_not_a_founding_year() -> None:
    text = ("جاءت ذروة النشاط في 13 سبتمبر الماضي. والخدمة التي أُسست في عام 2013 أزالت منذ فبراير 2022 حتى نهاية "
            "الربع الثالث من العام الحالي 2024 نحو 129 مليون محتوى.")
    day = find_dates(text)[0]
    assert (day.kind, day.period.start) == ("day", "2024-09-13")


def test_an_undated_weekday_and_day_pin_the_current_year() -> None:
    # 13 September fell on a Friday in 2024, not in 2022 or 2023: the text's "current year" is 2024.
    text = ("أزالت الفرق منذ فبراير 2022 حتى نهاية الربع الثالث من العام الحالي 129 مليون محتوى، "
            "وجاءت الذروة يوم الجمعة 13 سبتمبر الماضي.")
    got = {(d.kind, d.period.start, d.period.end) for d in find_dates(text)}
    assert ("range", "2022-02", "2024-09") in got and ("day", "2024-09-13", "2024-09-13") in got
