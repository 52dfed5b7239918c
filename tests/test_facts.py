"""The fact extractor on hand-written articles in the styles of real reprints (fixed publication dates)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor import extract

PUBLISHED = "2024-10-20"

Q3_REPORT = (
    "أعلن مركز «اعتدال» أن الجهود المشتركة مع منصة «تلغرام» أسفرت منذ فبراير 2022 حتى نهاية الربع الثالث من "
    "العام الحالي عن إزالة 129 مليوناً و634 ألفاً و467 محتوى متطرفاً، وإغلاق 14 ألفاً و516 قناة.\n"
    "وخلال الربع الثالث من العام الحالي أزالت الفرق 35 مليوناً و634 ألفاً و916 محتوى متطرفاً لثلاثة تنظيمات هي "
    "«داعش» و«هيئة تحرير الشام» و«القاعدة»، وأغلقت 323 قناة، وتصدّر تنظيم «داعش» بـ34 مليوناً و602 ألف و606 "
    "محتويات و189 قناة مغلقة، تلاه تنظيم «هيئة تحرير الشام» بإزالة 768 ألفاً و821 محتوى وإغلاق 87 قناة، فيما جاء "
    "تنظيم «القاعدة» أخيراً بـ263 ألفاً و489 محتوى و47 قناة أُغلقت.\n"
    "وبلغت ذروة نشاط «داعش» يوم الجمعة 13 سبتمبر الماضي، حين بث التنظيم مليوناً و283 ألفاً و141 محتوى متطرفاً."
)


def facts_of(text: str, published: str | None = PUBLISHED) -> set[tuple]:
    record = extract(text, published=published, id="t")
    return {
        (f.metric, f.value, f.qualifier, f.organization, f.scope, f.period.start, f.period.end) for f in record.facts
    }


def test_quarterly_report_gives_totals_organisations_cumulative_and_peak() -> None:
    assert facts_of(Q3_REPORT) == {
        ("content_removed", 129634467, "exact", None, "cumulative", "2022-02", "2024-09"),
        ("channels_closed", 14516, "exact", None, "cumulative", "2022-02", "2024-09"),
        ("content_removed", 35634916, "exact", None, "period", "2024-07", "2024-09"),
        ("channels_closed", 323, "exact", None, "period", "2024-07", "2024-09"),
        ("content_removed", 34602606, "exact", "isis", "period", "2024-07", "2024-09"),
        ("channels_closed", 189, "exact", "isis", "period", "2024-07", "2024-09"),
        ("content_removed", 768821, "exact", "hts", "period", "2024-07", "2024-09"),
        ("channels_closed", 87, "exact", "hts", "period", "2024-07", "2024-09"),
        ("content_removed", 263489, "exact", "al-qaeda", "period", "2024-07", "2024-09"),
        ("channels_closed", 47, "exact", "al-qaeda", "period", "2024-07", "2024-09"),
        ("content_removed", 1283141, "exact", "isis", "peak", "2024-09-13", "2024-09-13"),
    }


def test_every_evidence_span_is_the_original_text() -> None:
    record = extract(Q3_REPORT, published=PUBLISHED)
    assert record.facts
    for f in record.facts:
        assert Q3_REPORT[f.evidence.start:f.evidence.end] == f.evidence.text
        assert f.evidence.text in f.evidence.sentence


def test_record_carries_partner_platform_language_and_version() -> None:
    record = extract(Q3_REPORT, published=PUBLISHED, url="https://example.org/a", id="a1")
    d = record.to_dict()
    assert d["id"] == "a1" and d["url"] == "https://example.org/a" and d["published"] == PUBLISHED
    assert d["partners"] == ["etidal"] and d["platforms"] == ["telegram"] and d["language"] == "ar"
    assert d["is_removal_report"] is True and d["extractor_version"]
    assert json.loads(record.to_json())["facts"][0]["evidence"]["text"]


def test_rounded_headline_and_exact_body_are_one_fact() -> None:
    text = (
        "إزالة أكثر من 18 مليون محتوى متطرف خلال الربع الثاني من 2024\n"
        "أزالت المنصة 18.611.232 محتوى متطرفاً خلال الربع الثاني من العام الحالي 2024م."
    )
    expected = {("content_removed", 18611232, "exact", None, "period", "2024-04", "2024-06")}
    assert facts_of(text, "2024-07-02") == expected


def test_hedged_figure_keeps_its_qualifier() -> None:
    text = "وأزالت المنصة أكثر من 16 مليون مادة متطرفة في الربع الأول من عام 2025، ونحو 1400 قناة."
    assert facts_of(text, None) == {
        ("content_removed", 16000000, "more_than", None, "period", "2025-01", "2025-03"),
        ("channels_closed", 1400, "approx", None, "period", "2025-01", "2025-03"),
    }


def test_organisation_named_after_its_figures_owns_them() -> None:
    text = (
        "During 2022, 5,458,027 extremist items were removed and 4,359 channels were closed belonging to ISIS, "
        "while 1,918,274 items and 789 channels were removed belonging to Al-Qaeda."
    )
    got = {(m, v, o) for m, v, _q, o, _s, _ps, _pe in facts_of(text, None)}
    assert got == {
        ("content_removed", 5458027, "isis"), ("channels_closed", 4359, "isis"),
        ("content_removed", 1918274, "al-qaeda"), ("channels_closed", 789, "al-qaeda"),
    }


def test_user_counts_percentages_and_populations_are_not_facts() -> None:
    text = (
        "قال مؤسس «تلغرام» إن 99.999% من مستخدمي المنصة البالغ عددهم نحو مليار مستخدم لا علاقة لهم بالجرائم.\n"
        "وبلغ عدد سكان المملكة 35,300,280 نسمة وفق إحصاءات عام 2024، واستقبلت 1,845,045 حاجاً."
    )
    record = extract(text, published="2024-09-07")
    assert record.facts == [] and record.is_removal_report is False


def test_monitored_accounts_are_not_suspended_accounts() -> None:
    text = "رصد المركز نشاط 4 تنظيمات إرهابية عبر 1958 حساباً على إحدى منصات التواصل، منها 782 حساباً أساسياً."
    assert facts_of(text, None) == set()


def test_activity_change_percent_in_a_removal_report() -> None:
    text = (
        "أزالت المنصة 18.611.232 محتوى متطرفاً خلال الربع الثاني من 2024.\n"
        "وارتفع النشاط الدعائي بنسبة 12.82% مقارنة بالربع الأول من 2024."
    )
    assert ("activity_change", 12.82, "exact", None, "period", "2024-04", "2024-06") in facts_of(text, None)


def test_truncated_figure_is_dropped_with_a_warning() -> None:
    text = "أزالت المنصة 18.611.232 محتوى متطرفاً خلال الربع الثاني من 2024، وتمت إزالة 14."
    record = extract(text)
    assert [f.value for f in record.facts] == [18611232]
    assert any(w.code == "truncated_number" for w in record.warnings)


def test_organisation_figures_that_do_not_add_up_give_a_warning() -> None:
    text = (
        "وخلال الربع الثالث من 2024 أزالت الفرق 1,000,000 محتوى متطرف لتنظيمات «داعش» و«القاعدة»، "
        "وتصدّر تنظيم «داعش» بإزالة 700,000 محتوى، فيما جاء تنظيم «القاعدة» بإزالة 200,000 محتوى."
    )
    record = extract(text)
    assert len(record.facts) == 3
    assert [w.code for w in record.warnings] == ["organisations_do_not_add_up"]


def test_bad_published_is_a_warning_not_an_error() -> None:
    record = extract("نص بلا أرقام", published="yesterday")
    assert record.published is None
    assert [w.code for w in record.warnings] == ["bad_published"]


@pytest.mark.parametrize("text", ["", "   ", "\u200f\u200e", "1234567890" * 10, "ـــــ"])
def test_degenerate_texts_give_empty_records(text: str) -> None:
    record = extract(text)
    assert (record.facts == [] and record.warnings == []) or all(w.code for w in record.warnings)


def test_counted_noun_named_before_the_figure() -> None:
    text = ("وبلغ عدد القنوات المغلقة خلال الربع الأول من 2025 نحو 1408، فيما ارتفع عدد المحتويات المزالة إلى "
            "16,062,667.")
    assert facts_of(text, None) == {
        ("channels_closed", 1408, "approx", None, "period", "2025-01", "2025-03"),
        ("content_removed", 16062667, "exact", None, "period", "2025-01", "2025-03"),
    }


def test_a_noun_across_a_comma_is_not_the_figure_s_noun() -> None:
    text = "وقالت المنصة إن عدد مستخدميها بلغ 950 مليوناً، وإن المحتوى المحذوف بلغ 12 مليوناً خلال 2024."
    assert facts_of(text, None) == {("content_removed", 12000000, "exact", None, "period", "2024-01", "2024-12")}


def test_a_full_figure_at_the_end_of_an_article_is_not_cut_off() -> None:
    record = extract("أزالت المنصة خلال عام 2024 ما مجموعه 16,062,667.")
    assert [f.value for f in record.facts] == [16062667] and record.warnings == []


_ALPHABET = ("أزالت المنصة مليون ألف و قناة محتوى داعش خلال الربع الثالث 2024 منذ فبراير أكثر من نحو % . ، \n"
             "0123456789٠١٢٣٤٥٦٧٨٩٬٫ًٌٍَُِّْـ\u200f removed channels ISIS since Q3 over")


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=300))
def test_extract_never_raises_and_spans_stay_exact(text: str) -> None:
    record = extract(text, published="2024-10-20")
    for f in record.facts:
        assert text[f.evidence.start:f.evidence.end] == f.evidence.text
        assert f.evidence.sentence in text


def test_banned_users_are_suspended_accounts_but_user_counts_are_not() -> None:
    assert facts_of("حظرت المنصة 3 آلاف مستخدم خلال 2024 بسبب الترويج للإرهاب.", None) == {
        ("accounts_suspended", 3000, "exact", None, "period", "2024-01", "2024-12")}
    assert facts_of("يقترب عدد مستخدمي المنصة من مليار مستخدم.", None) == set()


def test_since_a_bare_year_starts_an_open_running_total() -> None:
    assert facts_of("وأزالت المنصة منذ 2022 أكثر من 207 ملايين محتوى.", None) == {
        ("content_removed", 207000000, "more_than", None, "cumulative", "2022", None)}


def test_a_weekday_that_does_not_match_its_date_is_a_warning_not_a_correction() -> None:
    record = extract("وبلغت ذروة النشاط يوم الخميس 13 سبتمبر 2024، حين أزيل مليون و283 ألفاً و141 محتوى متطرفاً.")
    assert [(f.scope, f.period.start) for f in record.facts] == [("peak", "2024-09-13")]
    assert [w.code for w in record.warnings] == ["weekday_mismatch"]


def test_cumulative_totals_that_do_not_add_up_give_a_warning() -> None:
    text = ("أزالت المنصة منذ فبراير 2022 حتى نهاية يونيو 2024 ما مجموعه 93,999,551 محتوى. "
            "وخلال الربع الثالث من 2024 أزالت 35,634,916 محتوى. "
            "وبذلك يصل إجمالي ما أزيل منذ فبراير 2022 حتى نهاية سبتمبر 2024 إلى {} محتوى.")
    consistent = extract(text.format("129,634,467"))
    assert len(consistent.facts) == 3 and consistent.warnings == []
    wrong = extract(text.format("129,634,400"))
    assert [w.code for w in wrong.warnings] == ["cumulative_does_not_add_up"]


def test_monthly_shares_and_a_decline_in_activity() -> None:
    text = ("أزالت الفرق 9 ملايين محتوى خلال الربع الأول من 2024، ورصد المركز انخفاضاً في النشاط الدعائي بنسبة 18% "
            "مقارنة بالربع السابق.\nوأوضح المركز أن شهر يناير استحوذ على 38% من إجمالي النشاط، يليه فبراير بنسبة 33%.")
    assert facts_of(text, "2024-04-20") == {
        ("content_removed", 9000000, "exact", None, "period", "2024-01", "2024-03"),
        ("activity_change", -18, "exact", None, "period", "2024-01", "2024-03"),  # انخفاض: a fall is negative
        ("activity_share", 38, "exact", None, "period", "2024-01", "2024-01"),
        ("activity_share", 33, "exact", None, "period", "2024-02", "2024-02"),
    }


def test_an_organisation_named_in_the_sentence_before_owns_the_figures_that_follow_it() -> None:
    text = ("خلال الربع الثالث من 2024 أزالت الفرق 35 مليون محتوى. وجاء تنظيم «هيئة تحرير الشام» في المرتبة الثانية.\n"
            "بينما أزيل 768 ألفاً و821 محتوى وأغلقت 87 قناة.")
    got = {(m, v, o) for m, v, _q, o, _s, _ps, _pe in facts_of(text, None)}
    assert got == {("content_removed", 35000000, None), ("content_removed", 768821, "hts"),
                   ("channels_closed", 87, "hts")}


def test_a_relative_date_in_an_undated_article_is_flagged() -> None:
    text = "أزالت الفرق خلال الربع الثالث من العام الحالي 35 مليون محتوى، منذ فبراير 2022."
    undated = extract(text)
    assert [w.code for w in undated.warnings] == ["relative_date_without_published"]
    assert extract(text, published="2024-10-20").warnings == []
