"""The JSON reader of inputs and records (extractor.fast_json) gives exactly what the standard `json` gives: the same
values (big integers, floats, key order, repeated keys), the same errors with the same messages, for every text."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor import fast_json
from extractor.readers import ArticleError, InputOptions, parse_json_line


def _json_values() -> st.SearchStrategy[object]:
    scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text() | \
        st.integers(min_value=2**63 - 3, max_value=2**200)
    return st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                        | st.dictionaries(st.text(max_size=5), inner, max_size=4), max_leaves=20)


def _outcome(fn, data):
    try:
        return "value", repr(fn(data))  # repr: NaN equals NaN, 1 is not 1.0, -0.0 is not 0.0
    except (ValueError, RecursionError) as exc:
        return type(exc).__name__, str(exc)


@settings(max_examples=400, deadline=None)
@given(_json_values(), st.booleans())
def test_every_json_text_reads_as_the_standard_json_reads_it(value: object, ascii_only: bool) -> None:
    text = json.dumps(value, ensure_ascii=ascii_only)
    assert _outcome(fast_json.loads, text) == _outcome(json.loads, text)
    fast = fast_json.loads_fast(text.encode("utf-8", "surrogatepass"))
    assert fast is fast_json.NOT_READ or repr(fast) == repr(json.loads(text))


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from([*'{}[]":,0123456789.eE-+ truefalsn\\u', "ب", "\t", "\x00"]),
               max_size=40))
def test_broken_json_fails_with_the_standard_message(text: str) -> None:
    assert _outcome(fast_json.loads, text) == _outcome(json.loads, text)


@pytest.mark.parametrize("text", [
    '{"id": 123456789012345678901234567890, "text": "x"}',  # beyond 64 bits: exact, not a float
    '{"id": -9223372036854775809}', '{"a": 1e400}', '{"a": NaN}', '{"a": -Infinity}', '{"a": "\\ud800"}',
    '{"a": "\\udfff\\ud800"}', '{"a": 1, "a": 2}', '{"a": -0.0}', '{"a": 4.9e-324}', '{"a": 1.7976931348623159e308}',
    '\ufeff{"a": 1}', '{"a": "x\ty"}', '{"a": 1} x', '{"a": [1, 2,]}', "",
    '{"a": [[[[[[[["deeper than msgspec is asked to read"]]]]]]]]}',
])
def test_the_texts_where_json_readers_differ(text: str) -> None:
    assert _outcome(fast_json.loads, text) == _outcome(json.loads, text)


def test_records_and_articles_are_read_by_msgspec() -> None:
    # The speed is the point: an ordinary input line and a record must not fall back to json.
    line = '{"id": "a1", "text": "أزالت المنصة 5 ملايين منشور", "tags": ["x"], "published": null}'
    record = ('{"id": "a1", "facts": [{"metric": "content_removed", "value": 5000000, "period": {"start": null}, '
              '"evidence": {"start": 13, "end": 22, "text": "5 ملايين"}}], "warnings": []}')
    for text in (line, record):
        assert fast_json.loads_fast(text.encode()) == json.loads(text)
        assert fast_json.loads_fast(text) == json.loads(text)


def _nested(depth: int) -> str:
    return '{"text": "x", "a": ' + "[" * depth + "]" * depth + "}"


def _deepest_msgspec_only() -> str:
    """A text nested so deep that json stops at Python's recursion limit and msgspec does not (they count levels
    differently), found from where the test runs (the limit counts the frames already on the stack)."""
    msgspec = pytest.importorskip("msgspec")
    for depth in range(400, 3000):
        text = _nested(depth)
        if _outcome(json.loads, text)[0] == "RecursionError":
            text = _nested(depth + 1)  # one past: the callers below run a frame or two deeper
            break
    assert _outcome(msgspec.json.decode, text)[0] == "value", "msgspec stops as early as json: nothing to check"
    return text


def test_a_text_nested_past_the_standard_limit_fails_as_with_json(monkeypatch) -> None:
    text = _deepest_msgspec_only()
    assert _outcome(fast_json.loads, text) == _outcome(json.loads, text)
    fast, slow = _line_outcomes(text.encode(), InputOptions(), monkeypatch)
    assert isinstance(slow, ArticleError) and slow.code == "not_json"
    assert fast == slow


def _line_outcomes(raw: bytes, options: InputOptions, monkeypatch) -> tuple[object, object]:
    fast = parse_json_line(raw, "in.jsonl", 7, "in.jsonl", options)
    with monkeypatch.context() as m:
        m.setattr(fast_json, "_decoder", lambda: (None, ()))  # the standard path alone, as before msgspec
        slow = parse_json_line(raw, "in.jsonl", 7, "in.jsonl", options)
    return fast, slow


@pytest.mark.parametrize("raw", [
    '{"id": 7, "text": "أزالت المنصة 5 ملايين منشور", "published": "2024-05-01"}'.encode(),
    b'{"id": 123456789012345678901234567890, "text": "x"}',
    b'{"id": 1.5, "text": "x", "published": [2024, 123456789012345678901234567890]}',
    b'{"text": "x", "title": {"a": NaN}}',
    b'{"text": "\\ud800 lone"}',
    b'[1, 2]',
    b'{"text": "\xc7\xe1\xe3\xd5\xcf\xd1"}',  # Windows-1256, not UTF-8
    b'{"text": "x"',
])
def test_an_input_line_reads_as_before(raw: bytes, monkeypatch) -> None:
    for options in (InputOptions(), InputOptions(encoding="cp1256"), InputOptions(text_field="body")):
        fast, slow = _line_outcomes(raw, options, monkeypatch)
        assert fast == slow


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(["id", "text", "html", "url", "title", "published", "extra"]), _json_values(),
                       max_size=6), st.integers(min_value=0, max_value=60))
def test_generated_input_lines_read_as_before(obj: dict[str, object], cut: int) -> None:
    raw = json.dumps(obj, ensure_ascii=False).encode("utf-8", "surrogatepass")
    for line in (raw, raw[:cut]):
        with pytest.MonkeyPatch.context() as m:
            fast, slow = _line_outcomes(line, InputOptions(), m)
        assert fast == slow
