"""Organisation (stage 4): named before its figures, or after them with "belonging to"/"تابعة لـ"; a list of
several organisations is a total (no organisation); a connector such as "while"/"في حين" ends its reach."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from itertools import pairwise

import regex

from ..entities import Term
from ..model import NumberMention
from .document import _Candidate, _Doc, _gap, _numbers_in, _Sentence, _words

# --- step 4: organisation -------------------------------------------------------------------------------------
_LIST_GAP = regex.compile(r"^[\s\"'«»“”‘’()\[\]\-–—,،/]*(?:(?:و|and|or|&)\s*[\s\"'«»“”()\-]*)?$")
_ORG_FILLER = regex.compile(r"(?i)\b(?:the|terrorist|organi[sz]ations?|groups?)\b|تنظيم\p{L}*|ال[إا]رهابي\p{L}*")


@dataclass(frozen=True, slots=True)
class _Anchor:
    start: int
    end: int
    org: str | None  # None: a list of several organisations (their total)
    backwards: bool  # "… 74 قناة استخدمها تنظيم القاعدة": owns the figures before it
    reference: bool = False  # a word standing for an organisation named before ("التنظيم", "the group")


def _in_list(doc: _Doc, a: Term, b: Term) -> bool:
    """Whether two organisation names stand in one list ("داعش وهيئة تحرير الشام", "ISIS, HTS and al-Qaeda")."""
    gap = _gap(doc, a.end, b.start)
    return len(gap) < 40 and bool(_LIST_GAP.match(_ORG_FILLER.sub("", gap)))


def _anchors(doc: _Doc, sentence: _Sentence) -> list[_Anchor]:
    """Organisation mentions of a sentence; several in a row make one list anchor (a total over them). A word that
    refers back to an organisation ("التنظيم", "the group") stands for the one named last before it."""
    orgs = [t for t in sentence.terms if t.lexicon == "organisations" and t.kind != "reference"]
    refs = [t for t in sentence.terms if t.lexicon == "organisations" and t.kind == "reference"]
    if refs:
        index = doc.cache.get("named_organisations")
        if index is None:
            named = [t for t in doc.terms if t.lexicon == "organisations" and t.kind != "reference"]
            index = doc.cache["named_organisations"] = (named, [t.start for t in named])
        named, named_starts = index
        for r in refs:
            if any(o.start <= r.start < o.end or r.start <= o.start < r.end
                   or (o.start >= r.end and _words(_gap(doc, r.end, o.start)) <= 1) for o in orgs):
                continue  # "التنظيم الإرهابي «داعش»": the name itself follows
            # The last two names ending before the reference (only names starting before it can), found from the
            # reference backwards: a list of every earlier name per reference made a long article quadratic.
            before: list[Term] = []
            k = bisect_left(named_starts, r.start) - 1
            while k >= 0 and len(before) < 2:
                if named[k].end <= r.start:
                    before.insert(0, named[k])
                k -= 1
            # A singular reference after a list of organisations ("(ISIS, HTS and al-Qaeda) ... the terrorist
            # organisation") cannot say which one it means: it stays unresolved.
            if before and not (len(before) >= 2 and before[-2].id != before[-1].id and _in_list(doc, *before[-2:])):
                orgs.append(Term("organisations", before[-1].id, "reference", r.start, r.end))
        orgs.sort(key=lambda t: t.start)
    attach = [t for t in sentence.terms if t.lexicon == "cues" and t.id == "belongs_to"]
    anchors: list[_Anchor] = []
    i = 0
    while i < len(orgs):
        j = i
        while j + 1 < len(orgs) and _in_list(doc, orgs[j], orgs[j + 1]):
            j += 1
        ids = {o.id for o in orgs[i:j + 1]}
        start, end = orgs[i].start, orgs[j].end
        backwards = any(a.end <= start and len(g := _gap(doc, a.end, start)) <= 40 and _words(g) <= 4 for a in attach)
        anchors.append(_Anchor(start, end, ids.pop() if len(ids) == 1 else None, backwards,
                               all(o.kind == "reference" for o in orgs[i:j + 1])))
        i = j + 1
    return anchors


# A list item ends at a comma, semicolon or colon, at a connector, and before "and"/"و" that opens a new figure.
_ITEM_PUNCTUATION = regex.compile(r"[,\u060c;\u061b:]\s")
_AND_BEFORE = regex.compile(r"(?:\band|\u0648)[\s(\[«\"]*$")


def _item_bounds(doc: _Doc, sentence: _Sentence, n: NumberMention) -> tuple[int, int]:
    """The list item holding a figure: "2.7 million items on 477 HTS channels, 1.8 million on 1,040 ISIS channels
    and 1.4 million on 323 al-Qaeda channels" holds three items, each naming its organisation."""
    cuts = sentence.cache.get("item_cuts")
    if cuts is None:
        inside = _numbers_in(doc, sentence.start, sentence.end)
        cuts = [m.start() + 1 for m in _ITEM_PUNCTUATION.finditer(doc.text, sentence.start, sentence.end)
                if not any(x.start <= m.start() < x.end for x in inside)]
        cuts += [t.start for t in sentence.cues if t.kind == "connector"]
        cuts += [m.start for m in inside if m.start not in doc.duals  # "25 صفحة وحسابين": one noun phrase
                 and _AND_BEFORE.search(_gap(doc, max(sentence.start, m.start - 8), m.start))]
        cuts = sentence.cache["item_cuts"] = sorted(cuts)
    start, end = sentence.start, sentence.end
    for c in cuts:
        if c <= n.start:
            start = c
        else:
            end = c
            break
    return start, end


def _organisation(doc: _Doc, n: NumberMention, sentence: _Sentence) -> tuple[str | None, str | None]:
    """The organisation a figure belongs to (None for a total over all of them), and how it was read: `item` (named
    in the figure's own list item), `after` (named after the figures it owns, "تابعة لداعش"), `before` (named
    before its figures), `reference` (through "التنظيم", "the group"), `carried` (from the sentence before)."""
    anchors = sentence.cache.get("anchors")
    if anchors is None:
        anchors = sentence.cache["anchors"] = _anchors(doc, sentence)
    # The organisation named inside the figure's own list item owns it ("1,040 ISIS channels", "477 channels
    # belonging to HTS", "فيما كان لتنظيم القاعدة 1.4 مليون"); a list of organisations there makes it a total.
    if len(anchors) >= 1:
        i0, i1 = _item_bounds(doc, sentence, n)
        here = [a for a in anchors if a.start < i1 and a.end > i0]
        if here:
            if all(i0 <= a.start and a.end <= i1 for a in here) and len({a.org for a in here}) == 1:
                return here[0].org, "reference" if here[0].reference else "item"
    connectors = [t.start for t in sentence.cues if t.kind == "connector"]
    # An anchor after the figure that attaches backwards owns it, unless another anchor or a connector
    # ("while", "في حين") stands between them.
    for a in anchors:
        if a.start >= n.end:
            # ... nor across a colon or an inclusion cue that opens the parts of a total ("12 million items:
            # 11.2 million of them from ISIS", "6 ملايين محتوى، منها 5.7 مليون لداعش").
            if a.backwards and not any(n.end <= c < a.start for c in connectors) \
                    and ":" not in _gap(doc, n.end, a.start) \
                    and not any(t.id == "inclusion" and n.end <= t.start < a.start for t in sentence.cues):
                return a.org, "reference" if a.reference else "after"
            break
    owner: _Anchor | None = None
    for a in anchors:
        if a.end <= n.start:
            owner = a
    if owner is not None:
        # A connector after the owner opens a new subject: the figure is no longer the owner's.
        if any(owner.end <= c < n.start for c in connectors):
            return None, None
        # "… 120 قناة لداعش، وبلغ إجمالي القنوات 900 قناة": a total named after the owner is over every group
        if any(t.id == "total" and owner.end <= t.start and t.end <= n.start for t in sentence.cues):
            return None, None
        return owner.org, "reference" if owner.reference else "before"
    if not anchors:
        carried = _carried_over(doc, sentence)
        return carried, "carried" if carried else None
    return None, None


def _carried_over(doc: _Doc, sentence: _Sentence) -> str | None:
    """An organisation named last in the sentence before, owning no figure there, owns the figures of a sentence that
    names none and opens with a connector ("وجاء تنظيم «هيئة تحرير الشام» ثانياً. بينما أزيل 768 ألفاً …")."""
    i = sentence.index
    opens_with_connector = any(t.kind == "connector" and t.start - sentence.start <= 2 for t in sentence.cues)
    if i == 0 or not opens_with_connector:
        return None
    before = doc.sentences[i - 1]
    anchors = before.cache.get("anchors")
    if anchors is None:
        anchors = before.cache["anchors"] = _anchors(doc, before)
    if not anchors or anchors[-1].org is None or anchors[-1].backwards:
        return None
    last = anchors[-1]
    if any(m.kind in ("number", "percent") for m in _numbers_in(doc, last.end, before.end)):
        return None
    return last.org




def _listed_groups(doc: _Doc) -> list[frozenset[str]]:
    """The lists of several organisations the article names ("ثلاثة تنظيمات (داعش – هيئة تحرير الشام – القاعدة)")."""
    named = [t for t in doc.terms if t.lexicon == "organisations" and t.kind != "reference"]
    lists: list[frozenset[str]] = []
    run = named[:1]
    for a, b in pairwise(named):
        if _in_list(doc, a, b):
            run.append(b)
            continue
        if len({t.id for t in run}) >= 2:
            lists.append(frozenset(t.id for t in run))
        run = [b]
    if len({t.id for t in run}) >= 2:
        lists.append(frozenset(t.id for t in run))
    return lists


_BREAKDOWN_REACH = 8  # figures of one metric after a total that may break it down


def _by_elimination(doc: _Doc, candidates: list[_Candidate]) -> None:
    """A per-organisation breakdown of a total over a list of named organisations, in which every group but one is
    named and one figure's group is not ("… the terrorist organisation", a page cut before its name): when the
    named parts and that figure add up to the total (within 2 %), the figure is the remaining group's."""
    lists = [g for g in _listed_groups(doc) if len(g) >= 2]
    if not lists:
        return
    counts = [c for c in candidates if c.unit == "count"]
    for metric in {c.metric for c in counts}:
        same = [c for c in counts if c.metric == metric]
        for i, t in enumerate(same):
            if t.organization is not None:
                continue
            # (a breakdown follows its total closely: the next few figures of the metric, so a long text stays linear)
            after = [c for c in same[i + 1:i + 1 + _BREAKDOWN_REACH] if c.number.value < t.number.value]
            named = [c for c in after if c.organization is not None]
            unknown = [c for c in after if c.organization is None]
            for groups in lists:
                parts = [c for c in named if c.organization in groups]
                orgs = {c.organization for c in parts}
                if len(parts) != len(groups) - 1 or len(orgs) != len(parts):
                    continue
                rest = int(t.number.value) - sum(int(c.number.value) for c in parts)
                fits = [c for c in unknown if rest > 0 and abs(int(c.number.value) - rest) <= 0.02 * t.number.value]
                if len(fits) == 1:
                    fits[0].organization, fits[0].org_how = next(iter(groups - orgs)), "eliminated"
                    break
