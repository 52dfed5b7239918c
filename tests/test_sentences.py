"""Sentence splitting keeps numbers and abbreviations whole."""

from __future__ import annotations

from extractor.sentences import clause_breaks, split_sentences


def parts(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


def test_dot_thousands_and_decimals_do_not_end_a_sentence() -> None:
    assert parts("أزالت 18.611.232 محتوى و2.5 مليون مادة. ثم أغلقت 660 قناة.") == [
        "أزالت 18.611.232 محتوى و2.5 مليون مادة.", "ثم أغلقت 660 قناة."]


def test_line_breaks_end_a_headline() -> None:
    assert parts("عنوان الخبر\n\nنص الخبر الأول") == ["عنوان الخبر", "نص الخبر الأول"]


def test_month_abbreviations_keep_the_sentence() -> None:
    assert parts("It began on Feb. 21, 2022 in Riyadh. Then it grew.") == [
        "It began on Feb. 21, 2022 in Riyadh.", "Then it grew."]


def test_clauses_break_after_commas_but_not_inside_numbers() -> None:
    text = "removed 28,495,947 items, and closed 1,254 channels"
    assert [text[b:b + 3] for b in clause_breaks(text, 0, len(text))] == [" an"]
