"""Writing a batch's records and errors: JSON Lines, a JSON array, CSV (one row per fact) or Parquet, atomically.

A run appends each record, as one JSON line, to a journal next to OUT (`OUT.partial`), flushed after every chunk.
At the end the journal becomes OUT in the asked format through a temporary file in OUT's folder and one rename, so
OUT is complete or untouched, never half-written. `--resume` reads the ids already in OUT and in a journal left by a
killed run (dropping a torn last line), skips those articles, and at the end writes old OUT + journal + new records
in one new OUT: a run killed with SIGKILL and resumed gives the same records as one uninterrupted run.

The CSV columns and the Parquet schema are derived from the dataclasses in `model.py` (as `rasd schema` is), so a
new model field shows up in every format without editing this file.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import tempfile
import types
import typing
from collections.abc import Iterable, Iterator
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import IO, Any

from .errors import InputError
from .model import ArticleRecord, Fact
from .readers import ArticleError, IdSet, require_extra

FORMATS = ("jsonl", "json", "csv", "parquet")
_EXT_FORMAT = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".csv": "csv", ".parquet": "parquet",
               ".pq": "parquet"}


def format_for(path: str | os.PathLike[str], fmt: str | None = None) -> str:
    """The output format: `fmt` when given, else from OUT's extension (`.jsonl`, `.json`, `.csv`, `.parquet`; no
    extension, or `-` for standard output: jsonl). Any other extension is bad usage: `-o out.xlsx` must not quietly
    get JSON Lines."""
    if fmt:
        if fmt not in FORMATS:
            raise InputError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})", "bad_usage")
        return fmt
    if str(path) == "-":
        return "jsonl"
    suffix = Path(path).suffix.lower()
    if suffix and suffix not in _EXT_FORMAT:
        raise InputError(f"{path}: rasd cannot write {suffix} files; name the output .jsonl, .json, .csv or .parquet, "
                         "or say what to write with --format", "bad_usage")
    return _EXT_FORMAT.get(suffix, "jsonl")


def normal_file_mode() -> int:
    """The permissions `open(path, "w")` would give a new file: 0666 minus the process's umask."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def journal_path(out: str | os.PathLike[str]) -> Path:
    """Where a run keeps the records written so far (JSON lines) until OUT is complete."""
    p = Path(out)
    return p.with_name(p.name + ".partial")


# --- flat and columnar views derived from the model ---------------------------------------------------------------


def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _scalar_or_dataclass(tp: Any) -> Any:
    """Strip `| None` from a type hint."""
    args = [a for a in typing.get_args(tp) if a is not type(None)]
    if typing.get_origin(tp) in (typing.Union, types.UnionType) and len(args) == 1:
        return args[0]
    return tp


def _flat_columns(cls: type, prefix: str = "") -> list[str]:
    """Column names of a dataclass with nested dataclasses flattened (`period.start` → `period_start`)."""
    cols: list[str] = []
    hints = _hints(cls)
    for f in fields(cls):
        tp = _scalar_or_dataclass(hints[f.name])
        if is_dataclass(tp):
            cols += _flat_columns(tp, f"{prefix}{f.name}_")  # type: ignore[arg-type]
        else:
            cols.append(prefix + f.name)
    return cols


def csv_columns() -> tuple[list[str], list[str]]:
    """(article columns, fact columns) of the CSV view: every record field but `facts`, then every fact field."""
    article = [c for c in _flat_columns(ArticleRecord) if c != "facts"]
    return article, _flat_columns(Fact)


def _flatten(d: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in d.items():
        if isinstance(v, dict):
            out.update(_flatten(v, f"{prefix}{k}_"))
        else:
            out[prefix + k] = v
    return out


def _cell(v: Any) -> Any:
    # Lists become one cell joined by ";": partners, platforms, a fact's doubts (codes never hold a ";"), and the
    # codes of the warnings (their messages are in the JSON formats).
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, list):
        return ";".join(x["code"] if isinstance(x, dict) and "code" in x else str(x) for x in v)
    return v


def csv_rows(record: dict[str, Any]) -> Iterator[list[Any]]:
    """One CSV row per fact of a record dict (article columns repeated); one row with empty fact columns if none."""
    article_cols, fact_cols = csv_columns()
    head = [_cell(record.get(c)) for c in article_cols]
    facts = record.get("facts") or []
    if not facts:
        yield head + [""] * len(fact_cols)
        return
    for fact in facts:
        flat = _flatten(fact)
        yield head + [_cell(flat.get(c)) for c in fact_cols]


def arrow_schema() -> Any:
    """The Parquet (Arrow) schema of a record, one row per article with facts as a list of structs."""
    require_extra("parquet", "pyarrow")
    import pyarrow as pa

    def arrow_type(tp: Any) -> Any:
        tp = _scalar_or_dataclass(tp)
        origin = typing.get_origin(tp)
        if is_dataclass(tp):
            hints = _hints(tp)  # type: ignore[arg-type]
            return pa.struct([pa.field(f.name, arrow_type(hints[f.name])) for f in fields(tp)])  # type: ignore[arg-type]
        if origin is list or origin is tuple:  # list[X], tuple[X, ...] (a fact's doubts)
            return pa.list_(arrow_type(typing.get_args(tp)[0]))
        if tp is bool:
            return pa.bool_()
        if tp is int:
            return pa.int64()
        if tp is str:
            return pa.string()
        return pa.float64()  # float, and `int | float` (a value may be a count or a percent)

    hints = _hints(ArticleRecord)
    return pa.schema([pa.field(f.name, arrow_type(hints[f.name])) for f in fields(ArticleRecord)])


# --- reading an OUT back (for --resume and for tests) ----------------------------------------------------------------


def iter_records(path: str | os.PathLike[str], fmt: str | None = None) -> Iterator[dict[str, Any]]:
    """The records of an OUT file written by rasd, as dicts (CSV: one dict per row, values as text)."""
    fmt = format_for(path, fmt)
    p = Path(path)
    if fmt == "jsonl":
        with p.open(encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    yield json.loads(line)
    elif fmt == "json":
        with p.open(encoding="utf-8") as f:
            first = f.readline()
            if first.strip() == "[":  # rasd's own layout: one record per line
                for line in f:
                    s = line.strip().rstrip(",")
                    if s and s != "]":
                        yield json.loads(s)
                return
            f.seek(0)
            data = json.load(f)
        if not isinstance(data, list):
            raise ValueError("not a JSON array")
        yield from data
    elif fmt == "csv":
        with p.open(encoding="utf-8", newline="") as f:
            yield from csv.DictReader(f)
    else:
        require_extra("parquet", "pyarrow")
        import pyarrow.parquet as pq

        for batch in pq.ParquetFile(str(p)).iter_batches(batch_size=2000):
            yield from batch.to_pylist()


def _ids_in(path: Path, fmt: str) -> IdSet:
    try:
        if fmt == "parquet":
            require_extra("parquet", "pyarrow")
            import pyarrow.parquet as pq

            return IdSet(pq.read_table(str(path), columns=["id"]).column("id").to_pylist())
        return IdSet(str(r["id"]) for r in iter_records(path, fmt))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InputError(f"cannot resume: {path} is not a readable {fmt} file written by rasd ({exc})",
                         "bad_output") from None


def _check_layout(path: Path, fmt: str) -> None:
    """Refuse to resume into a CSV or Parquet OUT whose columns are not this rasd's (written by another version): its
    rows would be copied under a header they do not fit."""
    if fmt == "csv":
        with path.open(encoding="utf-8", newline="") as f:
            header = next(csv.reader(f), None)
        article_cols, fact_cols = csv_columns()
        found, wanted = header or [], article_cols + fact_cols
    elif fmt == "parquet":
        import pyarrow.parquet as pq

        try:
            found, wanted = pq.read_schema(str(path)), arrow_schema()
        except Exception as exc:  # pyarrow's errors for a file that is not Parquet
            raise InputError(f"cannot resume: {path} is not a readable parquet file written by rasd ({exc})",
                             "bad_output") from None
    else:
        return
    if found != wanted:
        raise InputError(f"cannot resume: {path} has other columns than this rasd writes (written by another "
                         "version?); write a new OUT, or convert OUT to JSON Lines first", "bad_output")


# --- the output of one run ------------------------------------------------------------------------------------------


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _make_parent(path: Path) -> None:
    """Create the folder of an output file; OUT being a folder, or an uncreatable folder, is bad usage."""
    if path.is_dir():
        raise InputError(f"{path}: is a folder, not an output file", "bad_output")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{path.parent}: cannot create the output folder: {exc.strerror}", "bad_output") from None


def output_files(out: str | os.PathLike[str], errors: str | os.PathLike[str]) -> list[str]:
    """Every file a run writes (OUT, its journal, the errors file and its partial), to keep them out of the inputs."""
    return [str(out), str(journal_path(out)), str(errors), str(errors) + ".partial"]


class RecordOutput:
    """The records of one run: journaled as JSON lines, turned into OUT atomically by `finish()`."""

    def __init__(self, out: str | os.PathLike[str], fmt: str | None = None, *, resume: bool = False) -> None:
        self.out = Path(out)
        self.fmt = format_for(out, fmt)
        if self.fmt == "parquet":
            require_extra("parquet", "pyarrow")
        self.journal = journal_path(out)
        _make_parent(self.out)
        self.old_ids = IdSet()
        journal_ids = IdSet()
        if resume and self.out.exists():
            _check_layout(self.out, self.fmt)
            self.old_ids = _ids_in(self.out, self.fmt)
        if resume and self.journal.exists():
            journal_ids = self._recover_journal()
            self._file: IO[str] = self.journal.open("a", encoding="utf-8")
        else:
            self._file = self.journal.open("w", encoding="utf-8")
        self.done_ids = IdSet()  # old OUT + journal: everything a resumed run skips
        self.done_ids.update(self.old_ids)
        self.done_ids.update(journal_ids)
        self.resumed = resume
        self.written = 0

    def _recover_journal(self) -> IdSet:
        """Ids of the complete lines of a journal left by a killed run; a torn last line is cut off."""
        ids = IdSet()
        good = 0
        with self.journal.open("rb") as f:
            for raw in f:
                if not raw.endswith(b"\n"):
                    break
                try:
                    ids.add(str(json.loads(raw)["id"]))
                except (ValueError, KeyError, TypeError):
                    break
                good += len(raw)
        with self.journal.open("r+b") as f:
            f.truncate(good)
        return ids

    def add(self, json_line: str) -> None:
        """Append one record (its JSON text, no newline)."""
        self._file.write(json_line)
        self._file.write("\n")
        self.written += 1

    def flush(self) -> None:
        """Push written records to the OS, so a killed run keeps them for --resume."""
        self._file.flush()

    def close(self) -> None:
        """Stop writing without producing OUT (the journal stays for --resume)."""
        if not self._file.closed:
            self._file.close()

    def _journal_records(self) -> Iterator[str]:
        with self.journal.open(encoding="utf-8") as f:
            for line in f:
                line = line.rstrip("\n")
                if not line:
                    continue
                if self.old_ids:
                    rid = str(json.loads(line)["id"])
                    if rid in self.old_ids:
                        continue  # killed after OUT was renamed but before the journal was removed
                yield line

    def finish(self) -> None:
        """Write OUT atomically from the old OUT (when resuming) and the journal, then remove the journal."""
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        has_old = self.resumed and self.out.exists()
        if self.fmt == "jsonl" and not has_old:
            os.replace(self.journal, self.out)
            _fsync_dir(self.out.parent)
            return
        fd, tmp_name = tempfile.mkstemp(dir=self.out.parent, prefix=f".{self.out.name}.", suffix=".tmp")
        tmp = Path(tmp_name)
        try:
            os.fchmod(fd, normal_file_mode())  # mkstemp makes 0600; OUT is a normal file others may read
            with os.fdopen(fd, "wb") as raw:
                self._write_final(raw, tmp, has_old)
                raw.flush()
                os.fsync(raw.fileno())
            os.replace(tmp, self.out)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        _fsync_dir(self.out.parent)
        self.journal.unlink(missing_ok=True)

    def _write_final(self, raw: IO[bytes], tmp: Path, has_old: bool) -> None:
        if self.fmt == "jsonl":
            with self.out.open("rb") as old:
                last = b"\n"
                for line in old:
                    raw.write(line)
                    last = line[-1:]
                if last != b"\n":
                    raw.write(b"\n")
            for line in self._journal_records():
                raw.write(line.encode("utf-8") + b"\n")
        elif self.fmt == "json":
            raw.write(b"[\n")
            first = True
            old = (json.dumps(r, ensure_ascii=False) for r in iter_records(self.out, "json")) if has_old else ()
            for line in _chain(old, self._journal_records()):
                raw.write((b"" if first else b",\n") + line.encode("utf-8"))
                first = False
            raw.write(b"\n]\n" if not first else b"]\n")
        elif self.fmt == "csv":
            text = _TextOut(raw)
            writer = csv.writer(text, lineterminator="\n")
            article_cols, fact_cols = csv_columns()
            writer.writerow(article_cols + fact_cols)
            if has_old:
                with self.out.open(encoding="utf-8", newline="") as f:
                    reader = csv.reader(f)
                    next(reader, None)
                    writer.writerows(reader)
            for line in self._journal_records():
                writer.writerows(csv_rows(json.loads(line)))
        else:
            self._write_parquet(raw, has_old)

    def _write_parquet(self, raw: IO[bytes], has_old: bool) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        schema = arrow_schema()
        with pq.ParquetWriter(raw, schema) as writer:
            if has_old:
                for batch in pq.ParquetFile(str(self.out)).iter_batches(batch_size=2000):
                    writer.write_table(pa.Table.from_batches([batch]).cast(schema))
            rows: list[dict[str, Any]] = []
            for line in self._journal_records():
                rows.append(json.loads(line))
                if len(rows) >= 2000:
                    writer.write_table(pa.Table.from_pylist(rows, schema=schema))
                    rows = []
            if rows:
                writer.write_table(pa.Table.from_pylist(rows, schema=schema))


class StreamOutput:
    """The records of one run written as they come to a text stream (`-o -`: standard output), JSON Lines or CSV;
    nothing to resume and nothing to rename, so `finish()` only flushes."""

    def __init__(self, stream: IO[str], fmt: str | None = None) -> None:
        self.fmt = fmt or "jsonl"
        if self.fmt not in ("jsonl", "csv"):
            raise InputError(f"-o - writes jsonl or csv to standard output, not {self.fmt}; "
                             "write a file for json or parquet", "bad_usage")
        self.stream = stream
        self.done_ids = IdSet()
        self.written = 0
        self._csv = None
        if self.fmt == "csv":
            self._csv = csv.writer(stream, lineterminator="\n")
            article_cols, fact_cols = csv_columns()
            self._csv.writerow(article_cols + fact_cols)

    def add(self, json_line: str) -> None:
        """Write one record (its JSON text, no newline)."""
        if self._csv is not None:
            self._csv.writerows(csv_rows(json.loads(json_line)))
        else:
            self.stream.write(json_line + "\n")
        self.written += 1

    def flush(self) -> None:
        """Push written records to the reader of the stream."""
        self.stream.flush()

    close = flush
    finish = flush


class StreamErrorOutput:
    """Error lines written as they come to a text stream (standard error when the records go to standard output)."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.count = 0
        self.by_code: dict[str, int] = {}

    def add(self, error: ArticleError) -> None:
        """Record one failed article."""
        self.stream.write(json.dumps(error.to_dict(), ensure_ascii=False) + "\n")
        self.count += 1
        self.by_code[error.code] = self.by_code.get(error.code, 0) + 1

    def flush(self) -> None:
        """Push written lines to the stream."""
        self.stream.flush()

    close = flush
    finish = flush


def _chain(*its: Iterable[str]) -> Iterator[str]:
    for it in its:
        yield from it


class _TextOut:
    """A minimal text sink over a binary file for csv.writer (UTF-8)."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw

    def write(self, s: str) -> int:
        self.raw.write(s.encode("utf-8"))
        return len(s)


class ErrorOutput:
    """The errors file of one run (`{"id", "source", "error": {"code", "message"}}` per line), written atomically."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        _make_parent(self.path)
        self.partial = self.path.with_name(self.path.name + ".partial")
        self._file = self.partial.open("w", encoding="utf-8")
        self.count = 0
        self.by_code: dict[str, int] = {}

    def add(self, error: ArticleError) -> None:
        """Record one failed article."""
        self._file.write(json.dumps(error.to_dict(), ensure_ascii=False))
        self._file.write("\n")
        self.count += 1
        self.by_code[error.code] = self.by_code.get(error.code, 0) + 1

    def flush(self) -> None:
        """Push written lines to the OS."""
        self._file.flush()

    def finish(self) -> None:
        """Publish the errors file (an empty file when nothing failed)."""
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        os.replace(self.partial, self.path)

    def close(self) -> None:
        """Stop without publishing."""
        if not self._file.closed:
            self._file.close()
