"""Properties of the number engine on generated input: nothing raises, spans hold, written numbers read back."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.model import QUALIFIERS
from extractor.numbers import find_numbers, parse_number
from extractor.numbers.engine import _parse_general

KINDS = {"number", "percent", "year", "phone"}

# Pieces of number phrases, glued at random: composition, separators and hedges get exercised together.
_PIECES = ["3", "28", "495", "1,254", "4ر28", "12.82", "٢٨٬٤٩٥", "5.269.078", " ", " و", "و", "-", "/", "%", "٪",
           "مليون", "مليوناً", "ملايين", "مليوني", "ألف", "ألفا", "آلاف", "ثلاثة", "عشر", "وثلاثون", "مئة", "مئتان",
           "نصف", "ربع", "أرباع", "المليون", "في المئة", "أكثر من", "نحو", "بأكثر من", "تقريباً", "الـ", "ال",
           "million", "two", "hundred", "and", "over", "about", "percent", "م", "هـ", "+966", "0501234567", "\n",
           "\u064b", "\u0651", "\u0640", "\u200f", "قناة", "a"]


def _check(text: str) -> None:
    found = find_numbers(text)
    last_end = -1
    for m in found:
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start:m.end] == m.text
        assert m.start >= last_end, "mentions overlap or are out of order"
        last_end = m.end
        assert m.kind in KINDS
        assert m.qualifier in QUALIFIERS
        assert isinstance(m.value, int | float) and not isinstance(m.value, bool)
        assert (m.hedge is None) == (m.qualifier == "exact")


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=200))
def test_find_numbers_never_raises_and_spans_hold_on_any_text(text: str) -> None:
    _check(text)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=25).map("".join))
def test_find_numbers_holds_on_number_like_text(text: str) -> None:
    _check(text)


# Short texts and texts long enough for the one-pass reading (256 characters and more), with the hedge that ends
# with a separator and hedges whose later words open another hedge (كما يزيد على: يزيد على).
_LONG_PIECES = [*_PIECES, "approx.", "Approx.", "approx.5", "more than", "MORE THAN", "كما يزيد على", "يزيد على",
                "فما لا يقل عن", "«", "_", "(", ":", ".", ", "]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_LONG_PIECES), min_size=1, max_size=160).map("".join),
       st.sampled_from([None, "ar", "en"]))
def test_number_words_read_from_the_lexicon_split_are_those_the_pattern_finds(text: str, lang: str | None) -> None:
    from extractor.entities import split_words
    from extractor.normalise import normalise

    norm = normalise(text)
    assert find_numbers(norm, lang, words=split_words(norm)) == find_numbers(norm, lang)


_FILLER = "وقال المتحدث باسم المنصة في بيان صحفي إن الفريق يواصل عمله. " * 5


@pytest.mark.parametrize("text", [
    _FILLER + "أزالت المنصة كما يزيد على 5 ملايين محتوى",  # a hedge whose later words open another hedge
    "أزالت المنصة كما يزيد على 5 ملايين محتوى",  # the same in a short text
    "approx.5 million posts and approx. 200 channels",  # a short text: a word may follow the "." that ends one
    "أكثر من 30 مليون حساب " + _FILLER,  # a hedge at the text's start
    _FILLER + "The team removed approx.5 million posts and approx. 200 channels",  # a hedge that ends with "."
    _FILLER + "حذف نحو_ثلاثة آلاف وأغلق (ثلاثة ملايين) و«خمسين» قناة",  # separators a number word may or may not follow
])
def test_the_number_words_of_a_text_are_read_the_same_from_the_lexicon_split(text: str) -> None:
    from extractor.entities import split_words
    from extractor.normalise import normalise

    norm = normalise(text)
    found = find_numbers(norm)
    assert found and find_numbers(norm, words=split_words(norm)) == found


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=60), st.lists(st.sampled_from(_PIECES), max_size=12).map("".join)))
def test_parse_number_never_raises(text: str) -> None:
    value = parse_number(text)
    assert value is None or (isinstance(value, int | float) and not isinstance(value, bool))


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="0123456789.,", min_size=1, max_size=18).map(lambda s: f" {s} " if s[0] == "9" else s))
def test_the_digit_run_shortcut_agrees_with_the_general_path(text: str) -> None:
    assert parse_number(text) == _parse_general(text)


# Letters that spell no number word and no hedge in either language.
_NOT_NUMBERS = "جضطظغذصشqxzjvw .,;!?()\n"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_NOT_NUMBERS, max_size=40))
def test_parse_number_is_none_for_non_number_phrases(text: str) -> None:
    assert parse_number(text) is None


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**13))
def test_grouped_digits_read_back_in_every_script(n: int) -> None:
    grouped = f"{n:,}"
    assert parse_number(grouped) == n
    assert parse_number(grouped.replace(",", ".")) == n or n < 1000 or len(grouped.split(",")) == 2
    eastern = grouped.translate(str.maketrans("0123456789,", "٠١٢٣٤٥٦٧٨٩٬"))
    assert parse_number(eastern) == n


_AR_UNITS = ["", "واحد", "اثنان", "ثلاثة", "أربعة", "خمسة", "ستة", "سبعة", "ثمانية", "تسعة"]
_AR_TENS = ["", "عشرة", "عشرون", "ثلاثون", "أربعون", "خمسون", "ستون", "سبعون", "ثمانون", "تسعون"]
_AR_HUNDREDS = ["", "مئة", "مئتان", "ثلاثمئة", "أربعمائة", "خمسمئة", "ستمائة", "سبعمئة", "ثمانمئة", "تسعمئة"]
_AR_SCALES = [(10**9, "مليار", "ملياران", "مليارات"), (10**6, "مليون", "مليونان", "ملايين"),
              (10**3, "ألف", "ألفان", "آلاف")]


def _ar_below_1000(n: int) -> str:
    hundreds, rest = divmod(n, 100)
    parts = [_AR_HUNDREDS[hundreds]] if hundreds else []
    if rest == 11:
        parts.append("أحد عشر")
    elif rest == 12:
        parts.append("اثنا عشر")
    elif 13 <= rest <= 19:
        parts.append(f"{_AR_UNITS[rest - 10]} عشر")
    elif rest:
        tens, unit = divmod(rest, 10)
        parts.append(f"{_AR_UNITS[unit]} و{_AR_TENS[tens]}" if unit and tens > 1 else _AR_UNITS[unit] or _AR_TENS[tens])
    return " و".join(parts)


def arabic_words(n: int) -> str:
    """Standard Arabic number words for 1 ≤ n < 10**12 (an independent writer, to read back)."""
    parts = []
    for value, one, two, plural in _AR_SCALES:
        count, n = divmod(n, value)
        if count == 1:
            parts.append(one)
        elif count == 2:
            parts.append(two)
        elif 3 <= count <= 10:
            parts.append(f"{_ar_below_1000(count)} {plural}")
        elif count:
            parts.append(f"{_ar_below_1000(count)} {one}")
    if n:
        parts.append(_ar_below_1000(n))
    return " و".join(parts)


@settings(max_examples=400, deadline=None)
@given(st.integers(min_value=2, max_value=10**12 - 1))
def test_arabic_number_words_read_back(n: int) -> None:
    assert parse_number(arabic_words(n)) == n


_EN_UNITS = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
             "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_EN_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def _en_below_1000(n: int) -> str:
    hundreds, rest = divmod(n, 100)
    parts = [f"{_EN_UNITS[hundreds]} hundred"] if hundreds else []
    if rest:
        tens, unit = divmod(rest, 10)
        parts.append(_EN_UNITS[rest] if rest < 20 else _EN_TENS[tens] + (f"-{_EN_UNITS[unit]}" if unit else ""))
    return " and ".join(parts)


def english_words(n: int) -> str:
    """English number words for 1 ≤ n < 10**12."""
    parts = []
    for value, name in ((10**9, "billion"), (10**6, "million"), (10**3, "thousand")):
        count, n = divmod(n, value)
        if count:
            parts.append(f"{_en_below_1000(count)} {name}")
    if n:
        parts.append(_en_below_1000(n))
    return " ".join(parts)


@settings(max_examples=400, deadline=None)
@given(st.integers(min_value=2, max_value=10**12 - 1))
def test_english_number_words_read_back(n: int) -> None:
    assert parse_number(english_words(n)) == n
    assert parse_number(english_words(n).upper()) == n
