"""Reading rasd's records back, in every format `rasd batch` writes, for `rasd series` and `rasd report`.

`read_records(paths)` yields one record dict per article from `.jsonl`/`.ndjson` (optionally `.gz`), `.json` (an
array, or one object), `.csv` (one row per fact, article columns repeated: rows of one id become one record again)
and `.parquet`. Anything that is not rasd's records (articles given instead of records, another program's JSON) is
refused with an InputError naming the file and the item (`not_records`, exit 2 on the command line), so a wrong
input never reads as "0 facts".
"""

from __future__ import annotations

import csv
import gzip
import json
import os
import types
import typing
from collections.abc import Iterable, Iterator
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any

from . import fast_json
from .errors import InputError, RasdError
from .model import ArticleRecord, Fact

RECORD_KEYS = ("id", "facts")  # every record has them (CONTRACT.md §1); an article has `text` or `html` instead


def _check(item: Any, where: str) -> dict[str, Any]:
    """`item` if it is a record, else InputError(not_records) saying what it looks like."""
    if not isinstance(item, dict):
        raise InputError(f"{where}: a record must be a JSON object, not {type(item).__name__}", "not_records")
    missing = [k for k in RECORD_KEYS if k not in item]
    if missing or not isinstance(item.get("facts"), list):
        hint = ("; it looks like an input article: convert the articles first with rasd batch"
                if "text" in item or "html" in item else "")
        raise InputError(f"{where}: not a rasd record (no {' or '.join(repr(k) for k in missing) or 'list of facts'})"
                         f"{hint}", "not_records")
    return item


def _read_json_lines(p: Path, f: Iterable[str]) -> Iterator[dict[str, Any]]:
    for lineno, line in enumerate(f, 1):
        if not line.strip():
            continue
        try:
            item = fast_json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{p}:{lineno}: not valid JSON: {exc.msg}", "not_records") from None
        yield _check(item, f"{p}:{lineno}")


def _read_json(p: Path, f: Any) -> Iterator[dict[str, Any]]:
    try:
        data = json.load(f)  # one text with every record: too many brackets for fast_json's depth guard
    except json.JSONDecodeError as exc:
        raise InputError(f"{p}:{exc.lineno}: not valid JSON: {exc.msg}", "not_records") from None
    items = data if isinstance(data, list) else [data]
    for i, item in enumerate(items):
        yield _check(item, f"{p}: item {i}")


# --- CSV: one row per fact back into records ------------------------------------------------------------------
def _scalar(tp: Any) -> Any:
    """A type hint without its `| None`."""
    if typing.get_origin(tp) not in (typing.Union, types.UnionType):
        return tp
    args = [a for a in typing.get_args(tp) if a is not type(None)]
    return args[0] if len(args) == 1 else tp


def _cell(text: str, tp: Any) -> Any:
    """A CSV cell (as rasd's writers wrote it) → the model's value: '' is None, ints, floats, booleans, lists."""
    tp = _scalar(tp)
    if text == "":  # also a column an older rasd did not write (a fact's confidence and doubts)
        return [] if typing.get_origin(tp) in (list, tuple) else None
    if tp is bool:
        return text == "true"
    if tp is int:
        return int(text)
    if tp is float:
        return float(text)
    if typing.get_origin(tp) in (list, tuple):  # partners, platforms, warning codes, a fact's doubts
        return text.split(";")
    if tp is str:
        return text
    try:  # `int | float`: a count or a percent
        return int(text)
    except ValueError:
        return float(text)


def _unflatten(row: dict[str, str], cls: type, prefix: str = "") -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    out: dict[str, Any] = {}
    for f in fields(cls):  # type: ignore[arg-type]
        tp = _scalar(hints[f.name])
        if f.name == "facts":
            continue
        if is_dataclass(tp):
            out[f.name] = _unflatten(row, tp, f"{prefix}{f.name}_")  # type: ignore[arg-type]
        else:
            out[f.name] = _cell(row.get(prefix + f.name, ""), hints[f.name])
    return out


def _read_csv(p: Path, f: Iterable[str]) -> Iterator[dict[str, Any]]:
    reader = csv.DictReader(f)
    header = reader.fieldnames or []
    if "id" not in header or "metric" not in header:
        hint = "; it looks like an input article file: convert it first with rasd batch" if "text" in header else ""
        raise InputError(f"{p}: not a rasd records CSV (its header has no 'id' and 'metric' columns){hint}",
                         "not_records")
    record: dict[str, Any] | None = None
    for row in reader:
        if record is None or row.get("id") != record["id"]:
            if record is not None:
                yield record
            record = _unflatten(row, ArticleRecord)
            # The CSV keeps warning codes only (the messages are in the JSON formats).
            record["warnings"] = [{"code": c, "message": ""} for c in record.get("warnings") or []]
            record["facts"] = []
        if row.get("metric"):
            record["facts"].append(_unflatten(row, Fact))
    if record is not None:
        yield record


def read_records(paths: Iterable[str | os.PathLike[str]]) -> Iterator[dict[str, Any]]:
    """Records from files in any format `rasd batch` writes (by extension; anything else is read as JSON Lines)."""
    for path in paths:
        p = Path(path)
        name = p.name.lower()
        try:
            if name.endswith((".parquet", ".pq")):
                from .writers import iter_records

                for i, item in enumerate(iter_records(p, "parquet")):
                    yield _check(item, f"{p}: row {i}")
                continue
            opener: Any = gzip.open if name.endswith(".gz") else open
            with opener(p, "rt", encoding="utf-8-sig", newline="") as f:
                base = name.removesuffix(".gz")
                if base.endswith(".json"):
                    yield from _read_json(p, f)
                elif base.endswith(".csv"):
                    yield from _read_csv(p, f)
                else:
                    yield from _read_json_lines(p, f)
        except UnicodeDecodeError as exc:
            raise InputError(f"{p}: not rasd records (not UTF-8 text: {exc.reason})", "not_records") from None
        except (OSError, EOFError, gzip.BadGzipFile) as exc:
            raise InputError(f"{p}: cannot read records: {exc}", "unreadable") from None
        except Exception as exc:  # pyarrow's errors for a file that is not Parquet
            if isinstance(exc, RasdError):
                raise
            raise InputError(f"{p}: cannot read records: {type(exc).__name__}: {exc}", "not_records") from None
