"""The review path: the doubtful facts out to a spreadsheet, a reviewer's verdicts and corrections back in.

`write_review(records, path, below=0.9)` writes one CSV row per fact whose confidence is below `below` (most doubtful
first; ties by article id and evidence span), with the article, the figure, its doubts and its evidence sentence, then
an empty `verdict` and one empty `correct_<field>` column per field a reviewer may correct. The file is UTF-8 with a
byte-order mark, so spreadsheet programs open the Arabic text as Arabic (and keep it so when they save).

`read_corrections(paths)` reads filled-in files back and checks every row (all problems at once, each with its file
and row, counting the header as row 1): the verdict is empty, `right`, `wrong` or `corrected`; a corrected value is
what the contract allows (a known metric, qualifier, scope or organisation id, a number, an ISO period bound; `none`
sets an organisation or a bound to null). `apply_corrections(records, corrections)` then drops the facts judged
`wrong`, marks those judged `right`, and replaces the corrected fields, before `rasd series` or `rasd report` fuse
them. Rows are keyed on (article id, evidence start, evidence end, evidence text): what a re-run of a newer rasd
still finds in the same article, so a corrections file outlives the records it was made from. A row with a verdict
whose key matches no fact is reported (`Corrections.unmatched`), never silently ignored.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError
from .model import QUALIFIERS, SCOPES
from .patterns import load
from .series import REVIEW_KEY

DEFAULT_BELOW = 0.9
PERCENT_METRICS = ("activity_share", "activity_change")  # the metrics of percents (extractor/facts/candidates.py)
NULL = "none"  # in a correct_organization or correct_period_* cell: set it to null

FACT_COLUMNS = ("id", "url", "published", "metric", "value", "qualifier", "organization", "platform", "scope",
                "period_start", "period_end", "confidence", "doubts", "evidence_start", "evidence_end",
                "evidence_text", "evidence_sentence")
CORRECTABLE = ("metric", "value", "qualifier", "organization", "scope", "period_start", "period_end")
REVIEW_COLUMNS = (*FACT_COLUMNS, "verdict", *(f"correct_{f}" for f in CORRECTABLE))
VERDICTS = ("right", "wrong", "corrected")
KEY_COLUMNS = ("id", "evidence_start", "evidence_end", "evidence_text")

Key = tuple[str, int, int, str]


# --- writing the review file ----------------------------------------------------------------------------------
def _key_of(rid: str, fact: dict[str, Any]) -> Key | None:
    ev = fact.get("evidence")
    if not isinstance(ev, dict) or not isinstance(ev.get("start"), int) or not isinstance(ev.get("end"), int):
        return None
    return rid, ev["start"], ev["end"], str(ev.get("text") or "")


def _text(v: Any) -> Any:
    return "" if v is None else v


@dataclass(slots=True)
class ReviewSummary:
    """What `write_review` did: records and facts read, facts written, and how many of those carried no confidence."""

    records: int = 0
    facts: int = 0
    written: int = 0
    without_confidence: int = 0


def doubtful_rows(records: Iterable[dict[str, Any]], below: float = DEFAULT_BELOW,
                  summary: ReviewSummary | None = None) -> list[list[Any]]:
    """The review rows (REVIEW_COLUMNS) of the facts below `below`, most doubtful first; a fact without confidence (a
    record of a rasd before confidences) counts as the most doubtful; a fact read twice is listed once."""
    summary = summary if summary is not None else ReviewSummary()
    rows: list[tuple[tuple[Any, ...], list[Any]]] = []
    seen: set[Key] = set()
    for rec in records:
        summary.records += 1
        rid = str(rec.get("id"))
        for fact in rec.get("facts") or []:
            summary.facts += 1
            key = _key_of(rid, fact)
            conf = fact.get("confidence")
            if key is None or key in seen or (conf is not None and conf >= below):
                continue
            seen.add(key)
            summary.without_confidence += conf is None
            period = fact.get("period") or {}
            ev = fact["evidence"]
            row = [rid, _text(rec.get("url")), _text(rec.get("published")), fact.get("metric"), fact.get("value"),
                   fact.get("qualifier"), _text(fact.get("organization")), _text(fact.get("platform")),
                   fact.get("scope"), _text(period.get("start")), _text(period.get("end")), _text(conf),
                   ";".join(fact.get("doubts") or []), ev["start"], ev["end"], _text(ev.get("text")),
                   _text(ev.get("sentence"))]
            rows.append(((-1.0 if conf is None else conf, rid, ev["start"], ev["end"]), row + [""] * 8))
    rows.sort(key=lambda r: r[0])
    summary.written = len(rows)
    return [r for _, r in rows]


def write_review(records: Iterable[dict[str, Any]], path: str | os.PathLike[str],
                 below: float = DEFAULT_BELOW) -> ReviewSummary:
    """Write the review file of `records` (facts below `below`) to `path` atomically; `-` is standard output."""
    if not 0.0 <= below <= 1.0:
        raise InputError(f"--below must be between 0 and 1, not {below:g}", "bad_usage")
    summary = ReviewSummary()
    rows = doubtful_rows(records, below, summary)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")  # what spreadsheet programs write; csv readers take either
    w.writerow(REVIEW_COLUMNS)
    w.writerows(rows)
    if str(path) == "-":
        import sys

        sys.stdout.write(buf.getvalue())
        return summary
    target = Path(path)
    tmp = target.with_name(f".{target.name}.tmp{os.getpid()}")
    tmp.write_text(buf.getvalue(), encoding="utf-8-sig", newline="")
    os.replace(tmp, target)
    return summary


# --- reading a filled-in file ---------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Correction:
    """One reviewed row: its key, the verdict, and the corrected fields (field → new value, None for null)."""

    key: Key
    verdict: str  # right | wrong | corrected
    fields: dict[str, Any]
    where: str  # "review.csv row 7", for messages


@dataclass(slots=True)
class Corrections:
    """The reviewed rows of one or more files, by key; `used` collects the keys that matched a fact."""

    by_key: dict[Key, Correction] = field(default_factory=dict)
    used: set[Key] = field(default_factory=set)
    dropped: int = 0
    confirmed: int = 0
    corrected: int = 0

    def unmatched(self) -> list[Correction]:
        """The reviewed rows whose key matched no fact of the records they were applied to, in file order."""
        return [c for k, c in self.by_key.items() if k not in self.used]

    def __len__(self) -> int:
        return len(self.by_key)


def _organisation_ids() -> set[str]:
    return {e["id"] for e in load("organisations")["entry"] if e.get("kind") != "reference"}


def _metric_ids() -> set[str]:
    return {e["id"] for e in load("metrics")["entry"] if e.get("kind") != "other"} | set(PERCENT_METRICS)


_BOUND = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")
_GROUPED = re.compile(r"-?\d{1,3}(?:,\d{3})+")


def _bound(text: str) -> str | None:
    """An ISO period bound (YYYY, YYYY-MM or YYYY-MM-DD, a real date), or `none` for null; ValueError otherwise."""
    if text.lower() == NULL:
        return None
    if not _BOUND.fullmatch(text):
        raise ValueError(f"{text!r} is not a period bound (YYYY, YYYY-MM or YYYY-MM-DD, or {NULL})")
    parts = [int(x) for x in text.split("-")]
    _dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)  # a real month/day
    return text


def _value(text: str, metric: str) -> int | float:
    """A corrected value: an integer for counts (thousands may be grouped with commas), a number for percents."""
    plain = text.replace(",", "") if _GROUPED.fullmatch(text.split(".")[0]) else text
    if metric in PERCENT_METRICS:
        v = float(plain)
        if v != v or v in (float("inf"), float("-inf")):
            raise ValueError(f"{text!r} is not a number")
        return int(v) if v.is_integer() and "." not in plain else v
    if not re.fullmatch(r"\d+", plain):
        raise ValueError(f"{text!r} is not a whole number (a count of {metric})")
    return int(plain)


def _parse_row(row: dict[str, str], key_cells: dict[str, str], where: str, metrics: set[str], orgs: set[str]
               ) -> tuple[Correction | None, list[str]]:
    """A row → its Correction (None for a row nobody reviewed), and the problems found in it."""
    problems: list[str] = []
    verdict = (row.get("verdict") or "").strip().lower()
    given = {f: (row.get(f"correct_{f}") or "").strip() for f in CORRECTABLE}
    given = {f: v for f, v in given.items() if v}
    if not verdict and not given:
        return None, []
    if verdict and verdict not in VERDICTS:
        problems.append(f"{where}: unknown verdict {row.get('verdict')!r} (right, wrong, corrected, or empty)")
    if verdict in ("right", "wrong") and given:
        problems.append(f"{where}: verdict {verdict!r} with corrected fields ({', '.join(given)}): leave the verdict "
                        "empty or write 'corrected' to apply them")
    if verdict == "corrected" and not given:
        problems.append(f"{where}: verdict 'corrected' but no correct_* column is filled in")
    try:
        start, end = int(key_cells["evidence_start"]), int(key_cells["evidence_end"])
    except ValueError:
        problems.append(f"{where}: evidence_start/evidence_end must be whole numbers (they find the fact again), "
                        f"not {key_cells['evidence_start']!r}/{key_cells['evidence_end']!r}")
        start = end = -1
    if not key_cells["id"]:
        problems.append(f"{where}: the id is empty (it finds the fact again)")
    fields: dict[str, Any] = {}
    metric = given.get("metric") or (row.get("metric") or "").strip()
    for name, text in given.items():
        try:
            if name == "metric":
                if text not in metrics:
                    raise ValueError(f"unknown metric {text!r} (one of {', '.join(sorted(metrics))})")
                fields[name] = text
            elif name == "value":
                fields[name] = _value(text, metric)
            elif name == "qualifier":
                if text not in QUALIFIERS:
                    raise ValueError(f"unknown qualifier {text!r} (one of {', '.join(QUALIFIERS)})")
                fields[name] = text
            elif name == "scope":
                if text not in SCOPES:
                    raise ValueError(f"unknown scope {text!r} (one of {', '.join(SCOPES)})")
                fields[name] = text
            elif name == "organization":
                if text.lower() != NULL and text not in orgs:
                    raise ValueError(f"unknown organisation {text!r} (one of {', '.join(sorted(orgs))}, or {NULL} "
                                     "for a figure of all groups)")
                fields[name] = None if text.lower() == NULL else text
            else:
                fields[name] = _bound(text)
        except ValueError as exc:
            problems.append(f"{where}: correct_{name}: {exc}")
    if problems:
        return None, problems
    key = (key_cells["id"], start, end, key_cells["evidence_text"])
    return Correction(key, verdict or "corrected", fields, where), []


def _dialect(first_line: str) -> str:
    """The separator a spreadsheet program saved the file with (comma; semicolon or tab in some locales)."""
    counts = {sep: first_line.count(sep) for sep in (",", ";", "\t")}
    return max(counts, key=lambda s: counts[s]) if any(counts.values()) else ","


def read_corrections(paths: Sequence[str | os.PathLike[str]]) -> Corrections:
    """The reviewed rows of filled-in review files; every problem of every row raises one InputError listing them
    (file and row, the header being row 1)."""
    out = Corrections()
    problems: list[str] = []
    metrics, orgs = _metric_ids(), _organisation_ids()
    for path in paths:
        p = Path(path)
        try:
            text = p.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"{p}: cannot read the corrections file: {exc}", "bad_corrections") from None
        reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=_dialect(text.split("\n", 1)[0]))
        header = [h.strip() for h in reader.fieldnames or []]
        reader.fieldnames = header
        missing = [c for c in (*KEY_COLUMNS, "verdict", *(f"correct_{f}" for f in CORRECTABLE)) if c not in header]
        if missing:
            raise InputError(f"{p}: not a review file of rasd review: no column {', '.join(missing)} (row 1)",
                             "bad_corrections")
        for n, row in enumerate(reader, start=2):
            where = f"{p.name} row {n}"
            if None in row:
                problems.append(f"{where}: more cells than columns")
                continue
            key_cells = {c: (row.get(c) or "").strip() if c != "evidence_text" else row.get(c) or ""
                         for c in KEY_COLUMNS}
            correction, found = _parse_row(row, key_cells, where, metrics, orgs)
            problems.extend(found)
            if correction is None:
                continue
            earlier = out.by_key.get(correction.key)
            if earlier is not None and (earlier.verdict, earlier.fields) != (correction.verdict, correction.fields):
                problems.append(f"{where}: the same fact as {earlier.where}, with another verdict or correction")
                continue
            out.by_key.setdefault(correction.key, correction)
    if problems:
        shown = problems[:50]
        more = f"\n… and {len(problems) - 50} more" if len(problems) > 50 else ""
        raise InputError("bad corrections file:\n" + "\n".join(shown) + more, "bad_corrections")
    return out


# --- applying them --------------------------------------------------------------------------------------------
def _corrected(fact: dict[str, Any], c: Correction) -> dict[str, Any]:
    new = dict(fact)
    period = dict(fact.get("period") or {})
    for name, value in c.fields.items():
        if name in ("period_start", "period_end"):
            period[name.removeprefix("period_")] = value
        else:
            new[name] = value
    new["period"] = period
    if "metric" in c.fields:
        new["unit"] = "percent" if c.fields["metric"] in PERCENT_METRICS else "count"
    start, end = period.get("start"), period.get("end")
    if start and end and _padded(start, False) > _padded(end, True):
        raise InputError(f"{c.where}: the corrected period starts ({start}) after it ends ({end})",
                         "bad_corrections")
    new[REVIEW_KEY] = "corrected: " + ", ".join(c.fields)
    return new


def _padded(bound: str, end: bool) -> str:
    """A bound as a full day, for comparing bounds of different precision (an end year is its 31 December)."""
    parts = bound.split("-")
    return "-".join(parts + (["12", "31"] if end else ["01", "01"])[len(parts) - 1:])


def apply_corrections(records: Iterable[dict[str, Any]], corrections: Corrections) -> Iterator[dict[str, Any]]:
    """The records with the reviewed facts applied: `wrong` dropped, `right` marked, corrected fields replaced (and
    marked); keys that matched a fact are added to `corrections.used` as the records go by."""
    for rec in records:
        facts = rec.get("facts")
        if not corrections.by_key or not isinstance(facts, list):
            yield rec
            continue
        rid = str(rec.get("id"))
        out: list[Any] = []
        changed = False
        for fact in facts:
            key = _key_of(rid, fact) if isinstance(fact, dict) else None
            c = corrections.by_key.get(key) if key is not None else None
            if c is None:
                out.append(fact)
                continue
            corrections.used.add(c.key)
            changed = True
            if c.verdict == "wrong":
                corrections.dropped += 1
            elif c.verdict == "right":
                corrections.confirmed += 1
                out.append({**fact, REVIEW_KEY: "right"})
            else:
                corrections.corrected += 1
                out.append(_corrected(fact, c))
        yield {**rec, "facts": out, "is_removal_report": bool(out)} if changed else rec


def corrected_records(records: Iterable[dict[str, Any]], paths: Sequence[str | os.PathLike[str]],
                      done: Callable[[Corrections], None] | None = None) -> Iterator[dict[str, Any]]:
    """`records` with the review files at `paths` applied; the files are read and checked now (a bad file raises
    before any record is read), and `done(corrections)` is called once the records are all through."""
    corrections = read_corrections(paths)

    def run() -> Iterator[dict[str, Any]]:
        yield from apply_corrections(records, corrections)
        if done is not None:
            done(corrections)
    return run()


def corrections_report(c: Corrections) -> list[str]:
    """What applying the corrections did, one line, then one line per reviewed row that matched no fact."""
    return [f"corrections: {len(c)} reviewed rows, {c.dropped} facts dropped (wrong), {c.corrected} corrected, "
            f"{c.confirmed} confirmed right", *(unmatched_message(u) for u in c.unmatched())]


def unmatched_message(c: Correction) -> str:
    """One line about a reviewed row that matched no fact."""
    rid, start, end, text = c.key
    return (f"{c.where}: no fact of the records has id {rid!r} and evidence {start}-{end} {text!r} (a newer rasd "
            f"may read this figure differently): its verdict {c.verdict!r} was not applied")


__all__ = ["DEFAULT_BELOW", "REVIEW_COLUMNS", "Correction", "Corrections", "ReviewSummary", "apply_corrections",
           "corrected_records", "corrections_report", "doubtful_rows", "read_corrections", "unmatched_message",
           "write_review"]
