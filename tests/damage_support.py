"""Scrape damage, for the invariance tests: the kinds of `shared/eval/perturb.py`, and more that real pages show.

The first five are the evaluation's `perturb.py` kinds, written again here so that the tests of the samples run on a
clone without `shared/` (same rules, same seeds). The others are damage met on real pages, each with an Arabic and
an English variant (the text you read below is ours, not the evaluation's):
  byline     an author line under the headline
  read_also  a "read also" block of unrelated headlines with figures after the first paragraph
  caption    an image caption with a photo credit after the headline
  share      share-button text under the headline
  bidi       direction marks and isolates around every figure (U+200F, U+200E, U+202B…U+202C, U+2066…U+2069)
  entities   HTML entities left by a bad scrape: &quot; &amp; &nbsp; and numeric &#1575; for some letters
A damaged copy must give the facts of the original, with evidence spans exact in the damaged text.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

Damage = Callable[[str, random.Random], str]


# --- the evaluation's kinds (shared/eval/perturb.py) -----------------------------------------------------------
def glue(text: str, rng: random.Random) -> str:
    """Nothing after a full stop, question or exclamation mark: paragraphs run together."""
    return re.sub(r"([.!?؟])\s+", r"\1", text)


def wrap(text: str, rng: random.Random) -> str:
    """A hard line break every ~70 characters, wherever it falls."""
    out, width = [], 0
    for word in text.split(" "):
        if width > 70:
            out.append("\n")
            width = 0
        out.append(word)
        width += len(word) + 1
    return " ".join(out).replace(" \n ", "\n")


def flat(text: str, rng: random.Random) -> str:
    """All white space, paragraph breaks included, as one space."""
    return re.sub(r"\s+", " ", text).strip()


def crlf(text: str, rng: random.Random) -> str:
    """Windows line ends, blank lines doubled."""
    return text.replace("\r\n", "\n").replace("\n\n", "\n\n\n").replace("\n", "\r\n")


def nbsp(text: str, rng: random.Random) -> str:
    """About every fifth space a no-break space."""
    return "".join("\u00a0" if c == " " and rng.random() < 0.2 else c for c in text)


# --- damage of our own ----------------------------------------------------------------------------------------
def _arabic(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return sum("\u0600" <= c <= "\u06ff" for c in letters) >= 0.3 * max(1, len(letters))


def _after_first_line(text: str, block: str) -> str:
    lead = len(text) - len(text.lstrip())
    cut = text.find("\n", lead)
    if cut == -1:
        return block.strip() + "\n" + text
    return text[:cut] + "\n" + block.strip("\n") + text[cut:]


def _after_first_paragraph(text: str, block: str) -> str:
    """After the first paragraph that ends with a full stop (a page cut off mid-sentence keeps its cut at the end)."""
    m = re.search(r"[.!?؟]\s*\n", text)
    if m is None:  # a page of one paragraph: the block comes above it
        return block.strip("\n") + "\n\n" + text
    return text[:m.end()] + "\n" + block.strip("\n") + "\n\n" + text[m.end():]


def byline(text: str, rng: random.Random) -> str:
    """An author line under the headline."""
    line = "كتب: سامر العتيبي - محرر الشؤون الرقمية" if _arabic(text) else "By Sami Al-Otaibi, Digital Affairs Editor"
    return _after_first_line(text, line)


def read_also(text: str, rng: random.Random) -> str:
    """A "read also" block of unrelated headlines with figures after the first paragraph."""
    if _arabic(text):
        block = ("اقرأ أيضاً:\nارتفاع أسعار الذهب 2% خلال أسبوع واحد\n"
                 "افتتاح 12 مدرسة جديدة في جدة بتكلفة 40 مليون ريال\nفوز المنتخب على ضيفه 3-1 في الجولة السابعة")
    else:
        block = ("Read also:\nGold prices rise 2% in a single week\n12 new schools open in Jeddah at a cost of "
                 "SR40 million\nNational team beats its guests 3-1 in round seven")
    return _after_first_paragraph(text, block)


def caption(text: str, rng: random.Random) -> str:
    """An image caption with a photo credit after the headline."""
    if _arabic(text):
        line = "صورة لمبنى المركز في العاصمة خلال افتتاحه قبل 8 سنوات (أرشيفية)"
    else:
        line = "The center's building in the capital, seen at its opening 8 years ago (AFP)"
    return _after_first_line(text, line)


def share(text: str, rng: random.Random) -> str:
    """Share-button text under the headline."""
    buttons = "شارك الخبر\nتابعنا\nطباعة" if _arabic(text) else "Share\nTweet\nPrint\nFollow"
    return _after_first_line(text, buttons)


_MARKS = [("\u200f", ""), ("\u200e", ""), ("\u202b", "\u202c"), ("\u2066", "\u2069"), ("\u2067", "\u2069")]


def bidi(text: str, rng: random.Random) -> str:
    """Direction marks, embeddings and isolates around every figure."""
    def mark(m: re.Match[str]) -> str:
        before, after = rng.choice(_MARKS)
        return before + m.group() + after
    return re.sub(r"[0-9\u0660-\u0669]+(?:[.,\u066b\u066c][0-9\u0660-\u0669]+)*", mark, text)


def entities(text: str, rng: random.Random) -> str:
    """HTML entities left by a bad scrape: quotes, ampersands, some spaces and some alefs."""
    out = []
    for c in text:
        if c in "\"\u201c\u201d":
            out.append("&quot;")
        elif c == "&":
            out.append("&amp;")
        elif c == " " and rng.random() < 0.1:
            out.append("&nbsp;")
        elif c == "\u0627" and rng.random() < 0.2:
            out.append("&#1575;")
        elif c == "\u00ab" and rng.random() < 0.5:
            out.append("&laquo;")
        else:
            out.append(c)
    return "".join(out)


KINDS: dict[str, Damage] = {
    "glue": glue, "wrap": wrap, "flat": flat, "crlf": crlf, "nbsp": nbsp,
    "byline": byline, "read_also": read_also, "caption": caption, "share": share, "bidi": bidi, "entities": entities,
}
# The evaluation's kinds, the combinations the issue asks for, our own kinds, and some of ours on damaged layout.
COMBINATIONS = ["glue", "wrap", "flat", "crlf", "nbsp", "glue+wrap", "flat+nbsp", "byline", "read_also", "caption",
                "share", "bidi", "entities", "byline+flat", "share+flat", "caption+glue", "bidi+glue", "wrap+entities"]


def damage(text: str, combination: str, seed: str) -> str:
    """`text` damaged by every kind of `combination` (`glue+wrap`), each with the evaluation's seed `id:kind`."""
    for kind in combination.split("+"):
        text = KINDS[kind](text, random.Random(f"{seed}:{kind}"))
    return text
