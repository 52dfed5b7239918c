"""JSON read as the standard `json` reads it, about twice as fast: msgspec decodes, `json` has the last word.

msgspec (C) reads a JSON text into the same Python values as `json.loads`: integers of any size, floats rounded the
same way, keys in their order, the last of repeated keys. What it refuses and `json` reads (NaN and Infinity, numbers
beyond a float, lone surrogate escapes such as "\\ud800"), and what both refuse (invalid JSON, invalid UTF-8), goes
to `json`, so every input gives the value, or the error and its message, that `json` alone gives
(tests/test_fast_json.py checks it on generated JSON). Nesting is the one place where they would differ: msgspec
goes a few levels deeper than `json` before Python's recursion limit stops it. So msgspec reads texts nested at most
`_DEPTH` levels (a type of that depth, checked as it decodes: a record is 4 levels deep, an article 1 or 2) and
leaves deeper ones to `json`. orjson, as fast here, turns integers beyond 64 bits into floats without a word: an id
such as 123456789012345678901234567890 would change.

Without msgspec installed, `json` reads everything.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any, Union

_DEPTH = 6  # container levels msgspec reads; building the type costs ~4x per 2 levels more (0.5 ms at 6)

NOT_READ: Any = object()  # what `loads_fast` returns for a text it leaves to the caller's `json` path


@lru_cache(maxsize=1)
def _decoder() -> tuple[Any, tuple[type[BaseException], ...]]:
    """msgspec's decode for JSON nested at most _DEPTH levels, and the exceptions that mean "ask json"."""
    try:
        import msgspec
    except ImportError:  # msgspec is a dependency; a broken install still reads JSON, with `json` alone
        return None, ()
    scalar = Union[str, int, float, bool, None]  # noqa: UP007 - a runtime type for msgspec, not an annotation
    value: Any = scalar
    for _ in range(_DEPTH):
        value = Union[scalar, list[value], dict[str, value]]  # noqa: UP007
    # ValidationError (too deep, a number beyond a float) is a DecodeError; RecursionError: a caller's stack
    # already near Python's limit.
    return msgspec.json.Decoder(value).decode, (msgspec.DecodeError, RecursionError)


def loads_fast(data: str | bytes) -> Any:
    """The value of a JSON text (str, or UTF-8 bytes) when msgspec reads it, else `NOT_READ`: the caller's own
    `json` path then decides (an error and its message, another encoding, NaN, deep nesting...)."""
    decode, refused = _decoder()
    if decode is None:
        return NOT_READ
    try:
        return decode(data)
    except refused:
        return NOT_READ


def loads(data: str) -> Any:
    """`json.loads(data)`: the same value, or the same exception with the same message."""
    value = loads_fast(data)
    return json.loads(data) if value is NOT_READ else value
