"""Lexicon matching: proclitics, stems, acronyms, and spans that map back to the original text."""

from __future__ import annotations

from extractor.entities import find_terms
from extractor.normalise import normalise


def ids(text: str, lexicon: str) -> list[str]:
    return [t.id for t in find_terms(text, (lexicon,))]


def test_arabic_aliases_match_with_proclitics_and_diacritics() -> None:
    assert ids("وتصدّر تنظيمُ «داعشَ» ولتنظيم القاعدة وبهيئة تحرير الشام", "organisations") == ["isis", "al-qaeda", "hts"]


def test_short_acronyms_are_case_sensitive() -> None:
    assert ids("content by IS fighters", "organisations") == ["isis"]
    assert ids("this is what it is", "organisations") == []


def test_stems_take_any_ending_but_not_other_words() -> None:
    assert ids("أزالت المنصة وأُزيلت القنوات", "cues").count("removal") == 2
    assert "removal" not in ids("مزاولة العمل", "cues")


def test_spans_map_back_to_the_original_text() -> None:
    text = "منصة «تِلِغْرام» الشهيرة"
    norm = normalise(text)
    (hit,) = find_terms(norm, ("platforms",))
    start, end = norm.span(hit.start, hit.end)
    assert text[start:end] == "تِلِغْرام"


def test_term_syntax_expands_alternatives_and_optional_words() -> None:
    from extractor.entities import expand_term

    assert expand_term("since [the] (start|beginning) of") == [
        "since the start of", "since the beginning of", "since start of", "since beginning of"]
    assert expand_term("(al-Qaeda|al Qaeda)") == ["al-Qaeda", "al Qaeda"]
    assert expand_term("/raw regex/") == ["/raw regex/"]


def test_a_restricted_lookup_finds_exactly_the_kept_entries_of_the_full_one() -> None:
    from extractor.entities import split_words

    text = normalise("أعلن المركز بالتعاون مع «تلغرام» أنه أزال 5 ملايين محتوى لتنظيم داعش وأغلق 900 قناة")
    words = split_words(text)
    full = find_terms(text)
    assert find_terms(text, words=words) == full  # a text split once reads the same as one split on each lookup

    def platforms_and_actions(lexicon: str, ident: str, kind: str) -> bool:
        return lexicon == "platforms" or (lexicon == "cues" and kind == "action")

    some = find_terms(text, keep=platforms_and_actions, words=words)
    assert some and {t.lexicon for t in some} == {"platforms", "cues"}
    assert all(t.kind == "action" for t in some if t.lexicon == "cues")
    assert [t for t in full if platforms_and_actions(t.lexicon, t.id, t.kind)] == some
    assert not find_terms(normalise("ارتفعت أسعار الذهب 2% خلال أسبوع"), keep=platforms_and_actions)
