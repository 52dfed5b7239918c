"""rasd: structured records of online-extremism removal reports from Arabic and English press articles.

The public API (CONTRACT.md §5): `extract`, `extract_many`, `find_numbers`, `parse_number`, `find_dates`,
`normalise`. Submodules are imported on first use, so `import extractor` stays cheap.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

__all__ = [
    "ArticleRecord",
    "DateMention",
    "Fact",
    "NumberMention",
    "__version__",
    "extract",
    "extract_many",
    "find_dates",
    "find_numbers",
    "normalise",
    "parse_number",
]

_LAZY = {
    "extract": "extractor.facts",
    "extract_many": "extractor.batch",
    "find_numbers": "extractor.numbers",
    "parse_number": "extractor.numbers",
    "find_dates": "extractor.dates",
    "normalise": "extractor.normalise",
    "ArticleRecord": "extractor.model",
    "DateMention": "extractor.model",
    "Fact": "extractor.model",
    "NumberMention": "extractor.model",
}


def __getattr__(name: str) -> Any:
    """Import public names lazily from their stage module."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'extractor' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
