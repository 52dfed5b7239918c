"""rasd: structured records of online-extremism removal reports from Arabic and English press articles.

The public API (CONTRACT.md §5): `extract`, `extract_many`, `find_numbers`, `parse_number`, `find_dates`,
`normalise`. Submodules are imported on first use, so `import extractor` stays cheap.

`extractor.normalise` is both a submodule and the public function: the package attribute is always the function
(`from extractor import normalise; normalise(text)`), and `from extractor.normalise import …` reads the module.
"""

from __future__ import annotations

import sys
import types
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


class _Package(types.ModuleType):
    """The package module; importing the submodule `extractor.normalise` sets the package attribute of that name to
    the module (the import system does so), which would shadow the public function: keep the function instead."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "normalise" and isinstance(value, types.ModuleType):
            value = value.normalise
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
