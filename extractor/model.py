"""The records rasd produces: frozen dataclasses shared by every stage (CONTRACT.md §1–2, §5)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

QUALIFIERS = ("exact", "more_than", "approx", "less_than", "at_least")
SCOPES = ("period", "cumulative", "peak")
UNITS = ("count", "percent")


@dataclass(frozen=True, slots=True)
class NumberMention:
    """One number phrase found in a text; offsets index the ORIGINAL text."""

    value: int | float
    qualifier: str
    start: int
    end: int
    text: str
    kind: str = "number"  # number | percent | year | phone
    hedge: str | None = None  # the hedge as written (e.g. "أكثر من"), None when unhedged


@dataclass(frozen=True, slots=True)
class Period:
    """A time span with ISO bounds `YYYY[-MM[-DD]]`; either bound may be unknown (None)."""

    start: str | None = None
    end: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        """The contract's `{"start", "end"}` object."""
        return {"start": self.start, "end": self.end}


@dataclass(frozen=True, slots=True)
class DateMention:
    """One time expression found in a text, resolved to a period where possible."""

    start: int
    end: int
    text: str
    kind: str  # day | month | quarter | half | year | range | relative
    period: Period
    unresolved: str | None = None  # why `period` is incomplete, or None
    weekday: int | None = None  # weekday named in the text (Monday=0), None when none is named
    weekday_matches: bool | None = None  # None when no weekday was named or the day is unresolved
    inferred: str | None = None  # how a year the text does not write was fixed (weekday, hijri_pair), else None


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a fact was read: the number phrase's span in the original text and its sentence."""

    start: int
    end: int
    text: str
    sentence: str


@dataclass(frozen=True, slots=True)
class Fact:
    """One reported removal figure (CONTRACT.md §2)."""

    metric: str
    value: int | float
    unit: str
    qualifier: str
    organization: str | None
    platform: str | None
    scope: str
    period: Period
    # How likely the fact is right in every field, from its doubts (extractor/confidence.py, fitted on annotated
    # articles); the schema's bounds travel with the field.
    confidence: float = field(metadata={"schema": {"minimum": 0, "maximum": 1}})
    # What made it uncertain: stable codes of patterns/confidence.toml, sorted, each once; () when none.
    doubts: tuple[str, ...] = field(metadata={"schema": {"uniqueItems": True,
                                                         "items": {"pattern": "^[a-z][a-z_]*[a-z]$"}}})
    evidence: Evidence

    def __post_init__(self) -> None:
        # The contract promises a sorted list without repeats in [0, 1]; a builder that breaks it fails here, not in
        # a user's script.
        if self.doubts and list(self.doubts) != sorted(set(self.doubts)):
            raise ValueError(f"doubts must be sorted and unique: {self.doubts!r}")
        if not 0.0 <= self.confidence <= 1.0:
            raise ValueError(f"confidence must be in [0, 1]: {self.confidence!r}")

    def to_dict(self) -> dict[str, Any]:
        """The contract's fact object."""
        # Built by hand: dataclasses.asdict deep-copies every value and cost ~60 µs a fact in batch runs.
        e = self.evidence
        return {
            "metric": self.metric, "value": self.value, "unit": self.unit, "qualifier": self.qualifier,
            "organization": self.organization, "platform": self.platform, "scope": self.scope,
            "period": self.period.to_dict(), "confidence": self.confidence, "doubts": list(self.doubts),
            "evidence": {"start": e.start, "end": e.end, "text": e.text, "sentence": e.sentence},
        }


@dataclass(frozen=True, slots=True)
class RecordWarning:
    """A consistency or input warning attached to a record; never a silent correction."""

    code: str
    message: str

    def to_dict(self) -> dict[str, str]:
        """The contract's warning object."""
        return {"code": self.code, "message": self.message}


@dataclass(frozen=True, slots=True)
class ArticleRecord:
    """Everything rasd read from one article (CONTRACT.md §1)."""

    id: str
    url: str | None = None
    title: str | None = None
    published: str | None = None
    language: str | None = None
    is_removal_report: bool = False
    partners: list[str] = field(default_factory=list)
    platforms: list[str] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    warnings: list[RecordWarning] = field(default_factory=list)
    extractor_version: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The contract's record object, every key present."""
        return {
            "id": self.id,
            "url": self.url,
            "title": self.title,
            "published": self.published,
            "language": self.language,
            "is_removal_report": self.is_removal_report,
            "partners": list(self.partners),
            "platforms": list(self.platforms),
            "facts": [f.to_dict() for f in self.facts],
            "warnings": [w.to_dict() for w in self.warnings],
            "extractor_version": self.extractor_version,
        }

    def to_json(self, indent: int | None = None) -> str:
        """The record as UTF-8-ready JSON text (Arabic kept as is)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)
