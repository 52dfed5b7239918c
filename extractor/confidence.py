"""How sure rasd is of a fact: its doubts (stable codes) and the confidence they give (CONTRACT.md §2).

The fact extractor notes, for each fact, what made it uncertain (`period_inherited`, `year_inferred`, …); this module
turns those codes into one number with a logistic model whose weights live in patterns/confidence.toml:

    confidence = sigmoid(intercept + sum of the weights of the doubts), rounded DOWN to 2 decimals (so that a
    threshold means what it says: a fact at 0.895 is not "at least 0.9")

The weights are fitted on annotated articles by bench/confidence.py (`--write` puts them into the pattern file), so
the number means what it says: of the facts at 0.9, about nine in ten are right in every field. A doubt never
raises confidence (every weight is ≤ 0). An unknown code is an error, never silently weightless.

To add a code: a `[doubts.<code>]` table in patterns/confidence.toml (description, example, weight, facts), set it in
extractor/facts/, refit. `keep_confident` applies `rasd batch --min-confidence`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from .errors import PatternFileError
from .model import ArticleRecord, Fact, RecordWarning
from .patterns import compiled, load, pattern_dir

PATTERN_FILE = "confidence"
CODE = re.compile(r"[a-z][a-z_]*[a-z]")
_DOUBT_KEYS = {"description", "example", "weight", "facts"}


@dataclass(frozen=True, slots=True)
class Doubt:
    """One doubt code of patterns/confidence.toml: what it means, an example, its fitted weight."""

    code: str
    description: str
    example: str
    weight: float
    facts: int = 0  # how many facts of the fit's data carried it (0: never seen, so its weight is 0)


@dataclass(frozen=True, slots=True)
class ConfidenceModel:
    """The intercept and the weights of the doubts: doubts → confidence."""

    intercept: float
    doubts: Mapping[str, Doubt]
    fitted: str = ""
    _memo: dict[tuple[str, ...], float] = field(default_factory=dict, repr=False, compare=False)

    def confidence(self, doubts: Iterable[str]) -> float:
        """sigmoid(intercept + the weights of `doubts`), rounded down to 2 decimals; an unknown code raises."""
        # A fact's doubts arrive as a sorted tuple: looked up as they are, without sorting them again.
        key = doubts if isinstance(doubts, tuple) else tuple(sorted(set(doubts)))
        found = self._memo.get(key)
        if found is None:
            key = tuple(sorted(set(key)))
            unknown = [c for c in key if c not in self.doubts]
            if unknown:
                raise PatternFileError(
                    f"doubt code{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))} not in "
                    f"{pattern_dir() / (PATTERN_FILE + '.toml')}: add {'them' if len(unknown) > 1 else 'it'} there "
                    "with a description, an example and a weight (then refit: python bench/confidence.py --write)")
            z = self.intercept + sum(self.doubts[c].weight for c in key)
            found = self._memo[key] = floor_2(1.0 / (1.0 + math.exp(-z)))
            if isinstance(doubts, tuple):
                self._memo[doubts] = found
        return found


def _line_of(text: str, needle: str) -> int:
    i = text.find(needle)
    return text.count("\n", 0, i) + 1 if i >= 0 else 0


def _number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


def model_problems(data: dict[str, Any], source: str = "") -> list[str]:
    """Everything wrong with the model part of a parsed confidence.toml (`[model]`, `[doubts.*]`), as
    `confidence.toml:LINE: message` lines (all at once)."""
    name = f"{PATTERN_FILE}.toml"
    out: list[str] = []
    model = data.get("model")
    if not isinstance(model, dict) or not _number(model.get("intercept")):
        out.append(f"{name}:{_line_of(source, '[model]')}: [model] needs a number `intercept`")
    elif not isinstance(model.get("fitted", ""), str):
        out.append(f"{name}:{_line_of(source, 'fitted')}: [model] fitted must be text (what the fit saw)")
    doubts = data.get("doubts")
    if not isinstance(doubts, dict) or not doubts:
        return [*out, f"{name}: no [doubts.<code>] tables"]
    for code, d in doubts.items():
        where = f"{name}:{_line_of(source, f'[doubts.{code}]')}: doubt {code!r}"
        if not CODE.fullmatch(code):
            out.append(f"{where}: a code is lower-case letters and underscores")
        if not isinstance(d, dict):
            out.append(f"{where}: must be a table")
            continue
        extra = sorted(set(d) - _DOUBT_KEYS)
        if extra:
            out.append(f"{where}: unknown keys {extra} (known: {sorted(_DOUBT_KEYS)})")
        for key in ("description", "example"):
            if not isinstance(d.get(key), str) or not d[key].strip():
                out.append(f"{where}: needs a one-line `{key}`")
        w = d.get("weight")
        if not _number(w):
            out.append(f"{where}: needs a number `weight`")
        elif w > 0:
            out.append(f"{where}: weight {w} is above 0; a doubt never raises confidence")
        n = d.get("facts", 0)
        if not isinstance(n, int) or isinstance(n, bool) or n < 0:
            out.append(f"{where}: `facts` must be a count (0 or more)")
    return out


@compiled
def model() -> ConfidenceModel:
    """The confidence model of the current pattern folder (read and checked once per process and folder)."""
    data = load(PATTERN_FILE)
    path = pattern_dir() / f"{PATTERN_FILE}.toml"
    found = model_problems(data, path.read_text(encoding="utf-8"))
    if found:
        raise PatternFileError("\n".join(found))
    doubts = {code: Doubt(code, d["description"].strip(), d["example"].strip(), float(d["weight"]),
                          int(d.get("facts", 0)))
              for code, d in sorted(data["doubts"].items())}
    return ConfidenceModel(float(data["model"]["intercept"]), doubts, data["model"].get("fitted", ""))


def confidence(doubts: Iterable[str]) -> float:
    """The confidence of a fact with these doubts (a number in [0, 1], 2 decimals); an unknown code raises
    PatternFileError."""
    return model().confidence(doubts)


def floor_2(p: float) -> float:
    """`p` rounded down to 2 decimals (1e-9 of slack for a product that is a hair under its decimal)."""
    return math.floor(p * 100 + 1e-9) / 100


class _Registry(Mapping[str, Doubt]):
    """The doubt codes of the current pattern folder, by code (read-only; follows `use_pattern_dir`)."""

    def __getitem__(self, code: str) -> Doubt:
        return model().doubts[code]

    def __iter__(self) -> Iterator[str]:
        return iter(model().doubts)

    def __len__(self) -> int:
        return len(model().doubts)

    def __repr__(self) -> str:
        return f"DOUBTS({', '.join(self)})"


DOUBTS: Mapping[str, Doubt] = _Registry()


# --- rasd batch --min-confidence ------------------------------------------------------------------------------
def below_confidence_message(fact: Fact, threshold: float) -> str:
    """The `below_confidence` warning for a fact left out: enough to find it again (metric, value, span, doubts)."""
    e = fact.evidence
    doubts = ", ".join(fact.doubts) or "none"
    return (f"{fact.metric} {fact.value} (evidence {e.start}-{e.end} {e.text!r}): confidence {fact.confidence:.2f} "
            f"is below {threshold:g}; doubts: {doubts}")


def keep_confident(record: ArticleRecord, threshold: float | None) -> ArticleRecord:
    """The record with only the facts at or above `threshold`; each one left out becomes one `below_confidence`
    warning, so nothing is lost. `is_removal_report` follows the facts kept. None: the record unchanged."""
    if threshold is None:
        return record
    kept = [f for f in record.facts if f.confidence >= threshold]
    if len(kept) == len(record.facts):
        return record
    dropped = [RecordWarning("below_confidence", below_confidence_message(f, threshold))
               for f in record.facts if f.confidence < threshold]
    return replace(record, facts=kept, is_removal_report=bool(kept), warnings=[*record.warnings, *dropped])


# --- the pattern file's examples ------------------------------------------------------------------------------
def check_example(file_stem: str, data: dict[str, Any], example: dict[str, Any]) -> str | None:
    """Run one example: positive ones give `doubts` and the `confidence` they must yield; negative ones list doubts
    that must be refused (a code not in the registry)."""
    found = model_problems(data)
    if found:
        return "; ".join(found)
    doubts = example.get("doubts")
    if not isinstance(doubts, list) or not all(isinstance(c, str) for c in doubts):
        return "needs `doubts`, a list of codes"
    weights = {code: float(d["weight"]) for code, d in data["doubts"].items()}
    m = ConfidenceModel(float(data["model"]["intercept"]),
                        {c: Doubt(c, "", "", w) for c, w in weights.items()})
    try:
        got = m.confidence(doubts)
    except PatternFileError as exc:
        return None if example.get("negative") else str(exc)
    if example.get("negative"):
        return f"accepted, with confidence {got}"
    if not _number(example.get("confidence")):
        return "needs the expected `confidence`"
    return None if got == example["confidence"] else f"confidence {got}, expected {example['confidence']}"


__all__ = ["DOUBTS", "ConfidenceModel", "Doubt", "check_example", "confidence", "keep_confident", "model"]
