"""find_numbers / parse_number on press-style phrases (written for these tests), traps, kinds, hedges and spans."""

from __future__ import annotations

import pytest

from extractor.model import NumberMention
from extractor.normalise import normalise
from extractor.numbers import find_numbers, parse_number


def _only(text: str) -> NumberMention:
    found = find_numbers(text)
    assert len(found) == 1, [(m.text, m.value) for m in found]
    return found[0]


def test_the_contract_example() -> None:
    assert find_numbers("أزيل 35 مليوناً و634 ألفاً و916 محتوى") == [
        NumberMention(value=35634916, qualifier="exact", start=5, end=31, text="35 مليوناً و634 ألفاً و916")]
    assert parse_number("مليونان ونصف") == 2500000


@pytest.mark.parametrize(("phrase", "value"), [
    ("28,495,947", 28495947),
    ("28٬495٬947", 28495947),
    ("٢٨٬٤٩٥٬٩٤٧", 28495947),
    ("۲۸٬۴۹۵٬۹۴۷", 28495947),
    ("28\u202f495\u202f947", 28495947),
    ("28 495 947", 28495947),
    ("5.269.078", 5269078),
    ("14.857.909", 14857909),
    ("231.354", 231354),
    ("3521969", 3521969),
    ("12,345.67", 12345.67),
    ("12.345,67", 12345.67),
    ("12٫5", 12.5),
    ("16,5", 16.5),
    ("1.5", 1.5),
    ("4ر28 مليون", 28400000),
    ("25ر3 مليار", 3250000000),
    ("2,5 مليون", 2500000),
    ("3,7 مليون", 3700000),
    ("16.5 مليون", 16500000),
    ("28.5 مليون", 28500000),
    ("1.189 مليون", 1189000),
    ("850 ألف", 850000),
    ("207 ملايين", 207000000),
    ("129 مليونًا", 129000000),
    ("18 ألفا و 605", 18605),
    ("6 آلاف و824", 6824),
    ("20 مليونا و92 ألفا و547", 20092547),
    ("35 مليوناً و634 ألفاً و916", 35634916),
    ("مليوناً و283 ألفاً و141", 1283141),
    ("مليونان", 2000000),
    ("مليونين", 2000000),
    ("ملياران", 2000000000),
    ("بليون", 1000000000),
    ("تريليون", 1000000000000),
    ("ألف مليون", 1000000000),
    ("129,634,467 million", 129634467),
    ("1,283,141 مليون", 1283141),
    ("1,200 مليون", 1200000000),
    ("خمسة وثلاثون مليوناً وستمئة وأربعة وثلاثون ألفاً وتسعمائة وستة عشر", 35634916),
    ("ثلاثمئة", 300),
    ("ثلاث مئة", 300),
    ("مئتان", 200),
    ("مئتا", 200),
    ("ألفا", 2000),
    ("مليون ونصف", 1500000),
    ("ربع مليون", 250000),
    ("نصف مليار", 500000000),
    ("ثلاثة أرباع المليون", 750000),
    ("ثلاثة ملايين و200 ألف", 3200000),
    ("ثلاثـــة ملايـيـن", 3000000),
    ("خَمْسَةُ مَلَايِينَ", 5000000),
    ("أحد عشر", 11),
    ("إحدى عشرة", 11),
    ("اثنا عشر", 12),
    ("16 million", 16000000),
    ("1.2m", 1200000),
    ("5bn", 5000000000),
    ("7,207,810", 7207810),
    ("two million", 2000000),
    ("thirty-five thousand", 35000),
    ("one hundred and twenty", 120),
    ("two million three hundred thousand", 2300000),
    ("half a million", 500000),
])
def test_parse_number_reads_press_forms(phrase: str, value: int | float) -> None:
    got = parse_number(phrase)
    assert got == value
    assert type(got) is type(value)


@pytest.mark.parametrize(("text", "value"), [
    ("42%", 42),
    ("٪12", 12),
    ("12.82 %", 12.82),
    ("99.999%", 99.999),
    ("42 في المئة", 42),
    ("42 في المائة", 42),
    ("15 بالمئة", 15),
    ("50 percent", 50),
    ("7.5 per cent", 7.5),
])
def test_percents(text: str, value: int | float) -> None:
    m = _only(text)
    assert (m.kind, m.value, m.text) == ("percent", value, text)


@pytest.mark.parametrize(("text", "span"), [
    ("في عام 2024 أزيلت", "2024"),
    ("منذ 2024م", "2024م"),
    ("في 1445هـ", "1445هـ"),
    ("in 2023 the platform", "2023"),
])
def test_years_are_reported_as_years(text: str, span: str) -> None:
    m = _only(text)
    assert (m.kind, m.text) == ("year", span)


@pytest.mark.parametrize(("text", "kind"), [
    ("نشطت عبر 1958 حسابا", "number"),
    ("active via 1958 accounts", "number"),
    ("وفي 2024 أزالت المنصة", "year"),
    ("منذ 2022 حذف", "year"),
    ("تقرير 2024", "year"),
    ("the total for 2023.", "year"),
])
def test_a_year_like_integer_followed_by_a_word_needs_a_year_cue(text: str, kind: str) -> None:
    assert _only(text).kind == kind


def test_years_joined_by_a_conjunction_stay_years() -> None:
    assert [m.kind for m in find_numbers("خلال 2022 و2023 و 2024")] == ["year"] * 3


def test_a_hedged_four_digit_count_is_a_number_not_a_year() -> None:
    m = _only("أغلقت أكثر من 2000 قناة")
    assert (m.kind, m.value, m.qualifier) == ("number", 2000, "more_than")


@pytest.mark.parametrize("text", ["+966 11 234 5678", "0501234567", "055-123-4567"])
def test_phone_like_strings_are_phones(text: str) -> None:
    m = _only(f"للتواصل: {text} يوميا")
    assert (m.kind, m.text) == ("phone", text)
    assert parse_number(text) is None


@pytest.mark.parametrize(("text", "qualifier", "hedge", "span"), [
    ("أزيل أكثر من 160 مليون محتوى", "more_than", "أكثر من", "160 مليون"),
    ("قدر بأكثر من 30 مليون", "more_than", "أكثر من", "30 مليون"),
    ("بلغ ما يزيد على 4ر28 مليون", "more_than", "ما يزيد على", "4ر28 مليون"),
    ("بلغ ما يزيد عن 900 ألف", "more_than", "ما يزيد عن", "900 ألف"),
    ("أزيد من 500 قناة", "more_than", "أزيد من", "500"),
    ("ما يربو على 12 مليون", "more_than", "ما يربو على", "12 مليون"),
    ("فوق 200 ألف", "more_than", "فوق", "200 ألف"),
    ("نحو 177 مليون", "approx", "نحو", "177 مليون"),
    ("وبحوالي 850 ألف", "approx", "حوالي", "850 ألف"),
    ("حوالى 3 ملايين", "approx", "حوالى", "3 ملايين"),
    ("لنحو 20 ألفا", "approx", "نحو", "20 ألفا"),
    ("قرابة 1400 قناة", "approx", "قرابة", "1400"),
    ("زهاء مليون", "approx", "زهاء", "مليون"),
    ("ما يقارب 18 مليون", "approx", "ما يقارب", "18 مليون"),
    ("ما يقرب من 9 ملايين", "approx", "ما يقرب من", "9 ملايين"),
    ("ما يناهز 600 ألف", "approx", "ما يناهز", "600 ألف"),
    ("18 مليون تقريباً", "approx", "تقريباً", "18 مليون"),
    ("أقل من 100 قناة", "less_than", "أقل من", "100"),
    ("لا يقل عن 70 حسابا", "at_least", "لا يقل عن", "70"),
    ("over 16 million", "more_than", "over", "16 million"),
    ("nearly 98 million", "approx", "nearly", "98 million"),
    ("about 1.2 million", "approx", "about", "1.2 million"),
    ("at least 70 channels", "at_least", "at least", "70"),
])
def test_hedges_set_the_qualifier_and_stay_outside_the_span(text: str, qualifier: str, hedge: str,
                                                            span: str) -> None:
    m = _only(text)
    assert (m.qualifier, m.hedge, m.text) == (qualifier, hedge, span)
    assert parse_number(f"{m.hedge} {m.text}") == m.value


def test_a_hedge_not_next_to_the_number_does_not_count() -> None:
    assert _only("أكثر من ذلك، أزيل 300 حساب").qualifier == "exact"


@pytest.mark.parametrize("text", [
    "ألّف الكاتب كتابا",
    "المليونير الشاب",
    "مسيرة مليونية",
    "قال الفتياني",
    "آلاف الأشخاص",
    "عشرات المتطوعين",
    "مئات الملايين",
    "الفصل الثاني والثالث",
    "الموسم الـ25",
    "الموسم الـ 25",
    "يوم الأربعاء أو الخميس أو الاثنين",
    "الربع الثالث",
    "ربع الساعة ونصف الوقت",
    "جائحة كوفيد-19",
    "COVID-19 and F-16",
    "open 24/7",
    "on 17/6/2024 at 10:30",
    "on 2024-06-17",
    "one of the largest",
    "the G20 summit",
    "the 5th and 2nd rounds",
    "thousands of posts and millions of users",
    "واحد من أكبر",
])
def test_traps_are_not_numbers(text: str) -> None:
    assert find_numbers(text) == []


def test_a_different_counted_noun_splits_the_phrase() -> None:
    found = find_numbers("حشد 40 ألف جندي و300 دبابة")
    assert [(m.text, m.value) for m in found] == [("40 ألف", 40000), ("300", 300)]


def test_a_part_not_lower_than_the_last_scale_ends_the_phrase() -> None:
    found = find_numbers("بلغ 3 آلاف و2024 كان عاما")
    assert [(m.text, m.value) for m in found] == [("3 آلاف", 3000), ("2024", 2024)]


def test_a_number_list_is_several_numbers() -> None:
    found = find_numbers("الأعوام 2022 و2023 و2024")
    assert [m.value for m in found] == [2022, 2023, 2024]


def test_spans_index_the_original_text() -> None:
    text = "\u200fحُذِفَ أَكْثَرُ مِنْ ٣٥ مَلَايِينَ وَ٦٣٤ أَلْفًا، وأُغلقت ١٬٢٥٤ قناة بنسبة ٪١٢"
    found = find_numbers(text)
    assert [m.text for m in found] == ["٣٥ مَلَايِينَ وَ٦٣٤ أَلْفًا", "١٬٢٥٤", "٪١٢"]
    assert [m.value for m in found] == [35634000, 1254, 12]
    assert found[0].qualifier == "more_than" and found[0].hedge == "أَكْثَرُ مِنْ"
    for m in found:
        assert text[m.start:m.end] == m.text


def test_a_normalised_text_is_accepted_as_is() -> None:
    text = "أزالت المنصة 30.8 مليون مادة و1,254 قناة"
    assert find_numbers(normalise(text)) == find_numbers(text)


def test_lang_selects_the_word_rules() -> None:
    text = "two million و ثلاثة ملايين، 42"
    assert [m.value for m in find_numbers(text, lang="en")] == [2000000, 42]
    assert [m.value for m in find_numbers(text, lang="ar")] == [3000000, 42]
    assert [m.value for m in find_numbers(text)] == [2000000, 3000000, 42]


@pytest.mark.parametrize("phrase", ["", "   ", "مليون مادة", "قناة", "أكثر من", "30 مليون و20 قناة", "ربع", "آلاف",
                                    "1,2,3", "17.06.2024", "كوفيد-19", "one", "42 and 43"])
def test_parse_number_is_none_for_anything_but_one_number_phrase(phrase: str) -> None:
    assert parse_number(phrase) is None


def test_parse_number_allows_a_hedge_and_surrounding_spaces() -> None:
    assert parse_number("  أكثر من 30.8 مليون ") == 30800000
    assert parse_number("بـ25 مليون") == 25000000


def test_very_long_digit_runs_are_not_numbers_and_do_not_raise() -> None:
    assert find_numbers("9" * 5000 + " و 12")[-1].value == 12
    assert parse_number("9" * 5000) is None


@pytest.mark.parametrize("phrase", ["30.8 مليون", "207 ملايين", "1 ملايين", "4ر28 مليون", "1,283,141 million",
                                    "231.354 ألف", "16 million", "2,5 مليار", "18 ألفا", "12 مليون تقريبا"])
def test_the_digits_and_scale_shortcut_agrees_with_the_general_loop(phrase: str) -> None:
    from extractor.numbers import engine
    from extractor.numbers.lexicon import lexicon

    lex = lexicon()
    norm = normalise(phrase)
    toks = engine.tokens(norm, lex, None)

    def gap(k: int) -> str | None:
        return engine._gap(norm.text, toks[k - 1].ne, toks[k], lex)

    fast = engine._digits_and_scale(toks, 0, gap, lex)
    assert fast is None or fast == engine._compose(toks, 0, gap, lex, norm)
    assert fast is not None or phrase == "1 ملايين"


# --- figures broken by white space ------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "value"), [
    ("أزالت الفرق 4,302, 118 مادة", 4302118),
    ("removed 12,050, 600 posts", 12050600),
    ("أغلقت 2 480 قناة", 2480),
    ("أغلقت 2\u00a0480 قناة", 2480),
    ("أغلقت 2\u2009480 قناة", 2480),
    ("حذفت 31 453 210 مادة.", 31453210),
    ("حذفت 31,453, 210.", 31453210),
])
def test_a_figure_broken_by_white_space_is_one_figure(text: str, value: int) -> None:
    (m,) = find_numbers(text)
    assert m.value == value
    assert text[m.start:m.end] == m.text


@pytest.mark.parametrize(("text", "values"), [
    ("خلال 2024 3,120 قناة", [2024, 3120]),
    ("المراتب 3, 8, 11", [3, 8, 11]),
    ("بين 140, 250 و390 حسابا", [140, 250, 390]),
])
def test_figures_side_by_side_stay_apart(text: str, values: list[int]) -> None:
    assert [m.value for m in find_numbers(text)] == values
