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


def norm_parts(text: str) -> list[str]:
    from extractor.normalise import normalise

    n = normalise(text).text
    return [n[s:e] for s, e in split_sentences(n)]


def test_a_full_stop_glued_to_the_next_word_ends_a_sentence() -> None:
    assert parts("removed 2,100 posts.The center said.Its team closed 40 channels.") == [
        "removed 2,100 posts.", "The center said.", "Its team closed 40 channels."]
    assert parts("أغلقت 40 قناة.وحذفت 2,100 منشور") == ["أغلقت 40 قناة.", "وحذفت 2,100 منشور"]
    assert parts("three organizations.4,210 items were removed.") == [
        "three organizations.", "4,210 items were removed."]


def test_glued_dots_inside_figures_abbreviations_and_addresses_stay() -> None:
    for text in ["The U.N. team met Dr.Hale on 14.03.2024 and removed 5.269.078 items (2.5%).",
                 "Write to press@example.org or see https://example.org/a.b?id=3 for the 12.5 figure.",
                 "قال أ.د.سالم إن الفريق حذف 1.250.000 مادة"]:
        assert len(norm_parts(text)) == 1, norm_parts(text)


def test_a_hard_wrapped_paragraph_is_one_sentence() -> None:
    text = ("The platform said on Monday that its moderators had removed\n"
            "more than 4,120,550 posts and closed 1,200 channels linked to\n"
            "the three organisations during the first quarter of the year\n"
            "according to the quarterly report it published")
    assert len(norm_parts(text)) == 1


def test_line_breaks_after_punctuation_headings_and_before_list_items_stay() -> None:
    text = "حصيلة الربع الأول\nأزالت المنصة 4 ملايين مادة.\nوأغلقت 900 قناة:\n• 500 لداعش\n• 400 للقاعدة"
    assert norm_parts(text) == ["حصيله الربع الاول", "ازالت المنصه 4 ملايين ماده.", "واغلقت 900 قناه:",
                                "• 500 لداعش", "• 400 للقاعده"]


def test_a_headline_glued_to_its_lead_on_a_flattened_page_is_cut_off() -> None:
    assert norm_parts("المنصة تحذف 4 ملايين مادة أعلن المركز أن المنصة حذفت 4,120,550 مادة.") == [
        "المنصه تحذف 4 ملايين ماده", "اعلن المركز ان المنصه حذفت 4,120,550 ماده."]
    assert parts("Platform removes 4 million posts Updated 02 May 2025 Follow The platform removed 4,120,550 posts.") \
        == ["Platform removes 4 million posts", "Updated 02 May 2025", "Follow",
            "The platform removed 4,120,550 posts."]
    # A reporting verb after a complementiser belongs to its sentence.
    assert len(norm_parts("وذكر التقرير أن الفريق أزال 4 ملايين مادة")) == 1


def test_a_text_split_once_for_the_lexicon_reads_the_same_sentences_and_clause_breaks() -> None:
    from extractor.entities import split_words
    from extractor.normalise import normalise
    from extractor.patterns import load
    from extractor.sentences import clause_breaks_of

    texts = [x["text"] for x in load("boundaries")["examples"]]
    texts += ["أزالت المنصة 5 ملايين مادة متطرفة أعلن المركز ذلك، وأضاف أن الفريق - في بيان - أغلق القنوات: 900",
              "Telegram removes millions of extremist posts The, center said",  # an opener glued to a comma: none
              "منصة تلغرام تحذف ملايين المواد المتطرفة/أعلن المركز اليوم",  # nor a verb glued to a slash
              "منصة تلغرام تحذف ملايين المواد المتطرفة «أعلن» المركز اليوم"]  # nor one in quotes
    leads = 0
    for text in map(lambda t: normalise(t).text, texts):
        spans = split_sentences(text)
        assert split_sentences(text, split_words(text)) == spans  # the lead words read from the split
        assert clause_breaks_of(text, spans) == [clause_breaks(text, s, e) for s, e in spans]  # one pass, per sentence
        leads += len(spans) > 1
    assert leads > 10  # the examples cut headlines off their leads
