"""Issue 17, point 10: one long article costs time in proportion to its length. Timings live in
bench/long_article.py (speed is measured by bench scripts, not timed tests); these tests pin the lookups that
replaced per-item scans to the exact answers of the scans they replaced."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from extractor.dates.resolution import _nearest
from extractor.normalise import normalise


@dataclass(eq=False)
class _At:
    s: int


@given(st.lists(st.integers(0, 60), max_size=25), st.integers(0, 60), st.booleans())
def test_nearest_is_the_first_minimum_of_a_scan(positions: list[int], at: int, member: bool) -> None:
    group = [_At(s) for s in sorted(positions)]
    a = group[len(group) // 2] if member and group else _At(at)
    others = [b for b in group if b is not a]
    expected = min(others, key=lambda b: abs(b.s - a.s)) if others else None
    assert _nearest(group, [b.s for b in group], a) is expected  # type: ignore[arg-type]


@given(st.text(alphabet="ab\u064e\u0640 .", max_size=60), st.data())
def test_spans_of_late_pairs_equal_span_by_span(text: str, data: st.DataObject) -> None:
    norm = normalise(text)
    n = len(norm.text)
    if n == 0:
        return
    starts = sorted(data.draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=5)))
    pairs = [(s, min(n, s + data.draw(st.integers(0, 4)))) for s in starts]
    assert norm.spans(pairs) == [norm.span(s, e) for s, e in pairs]
