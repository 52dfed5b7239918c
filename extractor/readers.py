"""Reading articles from everything a researcher has (CONTRACT.md §3), one article at a time.

Inputs: `.txt`; `.html`/`.htm` (main text, title and date are taken out later, in the worker, by trafilatura);
`.jsonl`/`.ndjson` (optionally `.gz`) and `.csv` with the keys/columns `text` or `html`, `id`, `url`, `title`,
`published`; folders (walked recursively in sorted order, hidden entries skipped); `.zip`, `.tar`, `.tar.gz`/`.tgz`
holding any of the above; `.warc`/`.warc.gz` (2xx response or resource records with an HTML or plain-text payload);
`-` for standard input (one article's text, or JSONL / CSV: `InputOptions.stdin_format`). `InputOptions` also say
the encoding (default `auto`: a BOM, else UTF-8, else Windows-1256 / ISO-8859-6 as charset-normalizer detects them,
with an `encoding_detected` warning on the article) and which JSONL keys / CSV columns hold the text, id and date.

Nothing is read whole: files are streamed, and a reader yields either an `Article` or an `ArticleError` (a bad line,
member or file, with a stable code), so every article read ends somewhere. Ids follow CONTRACT.md §1: the input's
own `id`, else the path inside the input (`sub/a.txt`, `export.zip/day1/a.txt`), plus `#N` inside a multi-article
file, where N is the line number (JSONL), the data row number (CSV, header not counted) or the record number (WARC).
`unique_ids` renames a repeated id to `id~2`, `id~3`, … with a `duplicate_id` warning.

For distributed runs (a Dask cluster) the work splits into `Partition`s: `list_partitions(inputs)` lists them
(files, groups of zip members, byte ranges of plain JSONL files), `read_partition(p)` reads one into articles, and
`extractor.batch.process_article` turns an article into a record; all three are pure and picklable.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import json
import os
import sys
import tarfile
import zipfile
import zlib
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from hashlib import blake2b
from pathlib import Path
from typing import IO, Any

from .errors import InputError, MissingExtraError
from .fast_json import loads_fast

# --- limits and the two things a reader yields --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds that keep a batch alive on hostile input; anything beyond them becomes an error line, not a crash."""

    max_article_bytes: int = 10_000_000  # one article's text or HTML (bigger → `too_large`)
    time_limit: float = 30.0  # seconds of extraction per article (longer → `timeout`); 0 = no limit
    max_members: int = 100_000  # members of one zip/tar (more → `archive_too_large`)
    max_archive_bytes: int = 4_000_000_000  # decompressed bytes of one zip/tar (more → `archive_too_large`)
    # Not a bound on input but a run setting every worker needs: facts below it become `below_confidence` warnings
    # of their record (rasd batch --min-confidence); None keeps every fact.
    min_confidence: float | None = None


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True, slots=True)
class InputOptions:
    """How to read the inputs: their encoding and which JSONL keys / CSV columns hold the text, id and date."""

    encoding: str = "auto"  # auto: BOM, else UTF-8, else Windows-1256 / ISO-8859-6 (detected; a warning says so)
    text_field: str = "text"
    id_field: str = "id"
    published_field: str = "published"
    stdin_format: str = "txt"  # what `-` holds: txt (one article), jsonl or csv


DEFAULT_OPTIONS = InputOptions()


@dataclass(slots=True)
class Article:
    """One input article before extraction; values are as the input gave them and are checked by the worker."""

    id: str
    source: str  # where it was read: path, `!member` inside an archive, `:N` line/row/record
    text: Any = None
    html: Any = None  # str or bytes (bytes keep the page's own charset for trafilatura)
    url: Any = None
    title: Any = None
    published: Any = None
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (code, message) found while reading


@dataclass(frozen=True, slots=True)
class ArticleError:
    """An article (or a whole file) that could not be converted: one line of the errors file."""

    id: str
    source: str
    code: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        """The errors-file line `{"id", "source", "error": {"code", "message"}}`."""
        return {"id": self.id, "source": self.source, "error": {"code": self.code, "message": self.message}}


Item = Article | ArticleError

# Error codes a reader produces (the worker adds too_large/empty/no_text/... for values, timeout, extract_failed).
READ_ERROR_CODES = (
    "unreadable", "unsupported_type", "invalid_utf8", "binary", "empty", "not_json", "not_an_object", "too_large",
    "bad_csv", "corrupt_gzip", "corrupt_archive", "encrypted_member", "unsafe_member", "nested_archive",
    "archive_too_large", "corrupt_warc", "no_articles", "invalid_encoding",
)


# --- kinds of input --------------------------------------------------------------------------------------------------

_SUFFIXES: tuple[tuple[str, str], ...] = (
    (".jsonl.gz", "jsonl"), (".ndjson.gz", "jsonl"), (".tar.gz", "tar"), (".tgz", "tar"), (".tar", "tar"),
    (".warc.gz", "warc"), (".warc", "warc"), (".zip", "zip"), (".jsonl", "jsonl"), (".ndjson", "jsonl"),
    (".csv", "csv"), (".html", "html"), (".htm", "html"), (".txt", "txt"),
)
ARCHIVE_KINDS = ("zip", "tar")


def kind_of(name: str) -> str | None:
    """The input kind a file name stands for (`txt`, `html`, `jsonl`, `csv`, `zip`, `tar`, `warc`), or None."""
    low = name.lower()
    for suffix, kind in _SUFFIXES:
        if low.endswith(suffix):
            return kind
    return None


def _hidden(rel: str) -> bool:
    return any((part.startswith(".") and part not in (".", "..")) or part == "__MACOSX" for part in rel.split("/"))


def require_extra(extra: str, module: str) -> None:
    """Raise MissingExtraError when the optional `module` (installed by `rasd[extra]`) cannot be imported."""
    if module in _extras_ok:
        return
    try:
        __import__(module)
    except Exception as exc:  # not installed, or installed and broken (a dependency of its own missing)
        raise MissingExtraError(extra, module, exc) from None
    _extras_ok.add(module)


def _extra_missing(extra: str, module: str, id_: str, source: str) -> ArticleError | None:
    """The `missing_extra` error line for an input that needs a missing extra (the rest of the batch goes on)."""
    try:
        require_extra(extra, module)
    except MissingExtraError as exc:
        return ArticleError(id_, source, exc.code, exc.message)
    return None


_extras_ok: set[str] = set()


# --- decoding -------------------------------------------------------------------------------------------------------

_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_CONTROL = bytes(c for c in range(32) if chr(c) not in "\t\n\r\f\v\x1b")


def decode_text(data: bytes) -> str:
    """Bytes of a text file → str: a BOM picks UTF-8/16/32, else strict UTF-8; InputError(binary|invalid_utf8)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(f"not valid {encoding.upper()} after its byte-order mark: {exc.reason} "
                                 f"at byte {exc.start}", "invalid_utf8") from None
    head = data[:8192]
    if b"\x00" in head or (head and len(head) - len(head.translate(None, _CONTROL)) > len(head) // 100 + 4):
        raise InputError("binary data, not text", "binary")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"not valid UTF-8: {exc.reason} at byte {exc.start}", "invalid_utf8") from None


_LEGACY_ARABIC = ("cp1256", "iso8859_6")


def detect_legacy_arabic(data: bytes) -> str | None:
    """The legacy Arabic code page (`cp1256` or `iso8859_6`) that bytes which are not UTF-8 read best in, by
    charset-normalizer; None when neither fits."""
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=list(_LEGACY_ARABIC)).best()
    return best.encoding if best is not None and best.encoding in _LEGACY_ARABIC else None


def _legacy_note(encoding: str) -> tuple[str, str]:
    name = {"cp1256": "Windows-1256", "iso8859_6": "ISO-8859-6"}.get(encoding, encoding)
    return ("encoding_detected", f"not UTF-8: decoded as {name} (detected; say --encoding to choose)")


def decode_bytes(data: bytes, encoding: str = "auto") -> tuple[str, tuple[str, str] | None]:
    """Bytes of a text → (str, warning or None). `auto`: a BOM picks UTF-8/16/32, else strict UTF-8, else the legacy
    Arabic code page charset-normalizer finds (the warning names it); any other value is a codec name, strict.
    Raises InputError(binary | invalid_utf8 | invalid_encoding)."""
    if encoding.lower().replace("_", "-") in ("auto", "utf-8", "utf8"):
        try:
            return decode_text(data), None
        except InputError as exc:
            if exc.code != "invalid_utf8" or encoding != "auto" or data.startswith(tuple(b for b, _ in _BOMS)):
                raise
            legacy = detect_legacy_arabic(data)
            if legacy is None:
                raise InputError(f"{exc.message}, nor Windows-1256 or ISO-8859-6 (say --encoding)",
                                 "invalid_utf8") from None
            return data.decode(legacy), _legacy_note(legacy)
    head = data[:8192]
    if b"\x00" in head and not encoding.lower().startswith(("utf-16", "utf16", "utf-32", "utf32")):
        raise InputError("binary data, not text", "binary")
    try:
        return data.decode(encoding), None
    except UnicodeDecodeError as exc:
        raise InputError(f"not valid {encoding}: {exc.reason} at byte {exc.start}", "invalid_encoding") from None


def _check_html_bytes(data: bytes) -> None:
    if b"\x00" in data[:8192] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError("binary data, not HTML", "binary")


# --- partitions ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Partition:
    """A piece of input that can be read on its own (a file, some members of a zip, a byte range of a JSONL file)."""

    path: str  # the file on disk ("-" for standard input)
    kind: str  # txt | html | jsonl | csv | zip | tar | warc | stdin | unsupported
    id_base: str  # the file's path inside the input, the base of its articles' ids
    start: int = 0  # JSONL: first byte; zip: first member index
    end: int | None = None  # JSONL: byte after the last; zip: member index after the last; None = to the end
    first_line: int = 1  # JSONL: the line number of the byte at `start`
    error: str | None = None  # a problem found while listing (code:message), read as one ArticleError


def _walk(root: Path, rel: str = "") -> Iterator[tuple[Path, str]]:
    """Files under `root` with their path relative to it, in sorted path order (a folder's entries sorted by name,
    sub-folders walked where they sort), hidden entries skipped, symlinked folders not followed."""
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        if _hidden(entry.name):
            continue
        sub = f"{rel}{entry.name}"
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(Path(entry.path), sub + "/")
        elif entry.is_file():
            yield Path(entry.path), sub


def check_inputs(inputs: Sequence[str]) -> None:
    """Raise InputError(`not_found`/`unsupported_type`) for an input that cannot be read as a whole (exit status 2)."""
    for name in inputs:
        if name == "-":
            continue
        p = Path(name)
        if not p.exists():
            raise InputError(f"{name}: no such file or folder", "not_found")
        if p.is_file() and kind_of(p.name) is None:
            raise InputError(f"{name}: unsupported input type (expected .txt, .html, .jsonl, .ndjson, .csv, .zip, "
                             ".tar, .tar.gz, .warc, .warc.gz or a folder)", "unsupported_type")
        if not p.is_file() and not p.is_dir():
            raise InputError(f"{name}: not a regular file or folder", "unsupported_type")


def list_partitions(inputs: Sequence[str], *, split_bytes: int | None = None, zip_members: int | None = None,
                    limits: Limits = DEFAULT_LIMITS, exclude: Iterable[str] = (),
                    options: InputOptions = DEFAULT_OPTIONS) -> Iterator[Partition]:
    """Every readable piece of `inputs` in order; `split_bytes` splits plain JSONL files, `zip_members` zips;
    files in `exclude` (the run's own outputs, when they sit inside an input folder) are skipped; `-` is standard
    input holding `options.stdin_format` (txt: one article; jsonl; csv)."""
    skip = {os.path.realpath(x) for x in exclude}
    for name in inputs:
        if name == "-":
            fmt = options.stdin_format
            yield Partition("-", "stdin" if fmt == "txt" else f"stdin-{fmt}", "stdin")
            continue
        p = Path(name)
        if p.is_dir():
            files: Iterable[tuple[Path, str]] = _walk(p)
        else:
            files = [(p, p.name)]
        for path, rel in files:
            if skip and os.path.realpath(path) in skip:
                continue
            yield from _partitions_of_file(path, rel, split_bytes, zip_members, limits)


def _partitions_of_file(path: Path, rel: str, split_bytes: int | None, zip_members: int | None,
                        limits: Limits) -> Iterator[Partition]:
    kind = kind_of(path.name) or "unsupported"
    spath = str(path)
    if kind == "jsonl" and split_bytes and not path.name.lower().endswith(".gz"):
        yield from _jsonl_ranges(spath, rel, split_bytes)
    elif kind == "zip" and zip_members:
        try:
            with zipfile.ZipFile(spath) as zf:
                n = len(zf.infolist())
        except (zipfile.BadZipFile, OSError, EOFError, ValueError):
            yield Partition(spath, kind, rel)  # reading it reports the problem
            return
        if n > limits.max_members:
            yield Partition(spath, kind, rel)
            return
        for i in range(0, max(n, 1), zip_members):
            yield Partition(spath, kind, rel, start=i, end=min(i + zip_members, n))
    else:
        yield Partition(spath, kind, rel)


def _jsonl_ranges(path: str, rel: str, split_bytes: int) -> Iterator[Partition]:
    """Byte ranges of about `split_bytes` that start and end on line boundaries, with their first line numbers."""
    try:
        size = os.path.getsize(path)
    except OSError:
        yield Partition(path, "jsonl", rel)
        return
    start, line = 0, 1
    with open(path, "rb") as f:
        while size - start > split_bytes:
            f.seek(start + split_bytes - 1)
            end = start + split_bytes - 1 + len(f.readline())  # run on to the end of the line holding the target
            f.seek(start)
            newlines, left = 0, end - start
            while left > 0:
                block = f.read(min(left, 1 << 20))
                newlines += block.count(b"\n")
                left -= len(block)
            yield Partition(path, "jsonl", rel, start=start, end=end, first_line=line)
            start, line = end, line + newlines
        if start < size or start == 0:
            yield Partition(path, "jsonl", rel, start=start, end=None, first_line=line)


def read_partition(p: Partition, limits: Limits = DEFAULT_LIMITS, options: InputOptions = DEFAULT_OPTIONS
                   ) -> Iterator[Item]:
    """The articles (and per-article errors) of one partition, streamed."""
    if p.error:
        code, _, message = p.error.partition(":")
        yield ArticleError(p.id_base, p.path, code, message)
        return
    if p.kind == "stdin":
        data = sys.stdin.buffer.read(limits.max_article_bytes + 1)
        yield _single_text(data, "stdin", "-", limits, options)
        return
    if p.kind == "stdin-jsonl":
        yield from read_jsonl_stream(sys.stdin.buffer, "stdin", "-", limits, options=options)
        return
    if p.kind == "stdin-csv":
        yield from _read_csv(sys.stdin.buffer, "stdin", "-", limits, options)
        return
    if p.kind == "unsupported":
        yield ArticleError(p.id_base, p.path, "unsupported_type",
                           f"not an input type rasd reads: {Path(p.path).name}")
        return
    # An input that needs a missing extra is an error line, not the end of the batch (HTML: in the worker).
    if p.kind == "warc" and (missing := _extra_missing("warc", "warcio", p.id_base, p.path)):
        yield missing
        return
    try:
        if p.kind in ("txt", "html"):
            try:
                size = os.path.getsize(p.path)
            except OSError as exc:
                yield ArticleError(p.id_base, p.path, "unreadable", str(exc))
                return
            if size > limits.max_article_bytes:
                yield _too_large(p.id_base, p.path, size, limits)
                return
            with open(p.path, "rb") as f:
                data = f.read(limits.max_article_bytes + 1)
            yield (_single_text if p.kind == "txt" else _single_html)(data, p.id_base, p.path, limits, options)
        elif p.kind == "jsonl":
            yield from _read_jsonl_file(p, limits, options)
        elif p.kind == "csv":
            with open(p.path, "rb") as f:
                yield from _read_csv(f, p.id_base, p.path, limits, options)
        elif p.kind == "zip":
            yield from _read_zip(p, limits, options)
        elif p.kind == "tar":
            yield from _read_tar(p, limits, options)
        elif p.kind == "warc":
            with open(p.path, "rb") as f:
                yield from _read_warc(f, p.id_base, p.path, limits, options)
    except PermissionError as exc:
        yield ArticleError(p.id_base, p.path, "unreadable", str(exc))
    except IsADirectoryError as exc:
        yield ArticleError(p.id_base, p.path, "unreadable", str(exc))


def read_article_file(path: str, limits: Limits = DEFAULT_LIMITS, options: InputOptions = DEFAULT_OPTIONS) -> Item:
    """One article's text file (or `-`: standard input) within the size limit, decoded as `options` says."""
    if path == "-":
        stdin = getattr(sys.stdin, "buffer", None)  # a text-only stand-in (tests, notebooks) has no bytes layer
        data = stdin.read(limits.max_article_bytes + 1) if stdin is not None else \
            sys.stdin.read(limits.max_article_bytes + 1).encode("utf-8", "surrogatepass")
        return _single_text(data, "stdin", "-", limits, options)
    try:
        size = os.path.getsize(path)
        if size > limits.max_article_bytes:
            return _too_large(path, path, size, limits)
        with open(path, "rb") as f:
            data = f.read(limits.max_article_bytes + 1)
    except OSError as exc:
        return ArticleError(path, path, "unreadable", exc.strerror or str(exc))
    return _single_text(data, path, path, limits, options)


def read_inputs(inputs: Sequence[str], limits: Limits = DEFAULT_LIMITS, *, exclude: Iterable[str] = (),
                options: InputOptions = DEFAULT_OPTIONS) -> Iterator[Item]:
    """Every article of `inputs` in order, streamed, with ids made unique (CONTRACT.md §1)."""
    check_inputs(inputs)
    parts = list_partitions(inputs, limits=limits, exclude=exclude, options=options)
    items = (item for p in parts for item in read_partition(p, limits, options))
    return unique_ids(items)


class IdSet:
    """A set of ids in 8 bytes each (64-bit BLAKE2b fingerprints in an open-addressing table), so that remembering
    every id of a run keeps memory flat: 100,000 ids take ~2 MB instead of ~10 MB of strings. Two different ids
    collide with probability ~n²/2⁶⁵ (3·10⁻¹⁰ for 100,000 ids)."""

    __slots__ = ("_mask", "_n", "_table")

    def __init__(self, ids: Iterable[str] = ()) -> None:
        self._table = array("Q", bytes(8 * 1024))
        self._mask = 1023
        self._n = 0
        for i in ids:
            self.add(i)

    @staticmethod
    def _key(ident: str) -> int:
        h = int.from_bytes(blake2b(ident.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little")
        return h or 1  # 0 marks an empty slot

    def _slot(self, key: int) -> int:
        table, mask = self._table, self._mask
        i = key & mask
        while True:
            v = table[i]
            if v == 0 or v == key:
                return i
            i = (i + 1) & mask

    def __contains__(self, ident: object) -> bool:
        if not isinstance(ident, str):
            return False
        key = self._key(ident)
        return self._table[self._slot(key)] == key

    def add(self, ident: str) -> None:
        """Remember one id."""
        self._add_key(self._key(ident))

    def update(self, other: IdSet) -> None:
        """Remember every id of another IdSet."""
        for key in other._table:
            if key:
                self._add_key(key)

    def _add_key(self, key: int) -> None:
        i = self._slot(key)
        if self._table[i] == key:
            return
        self._table[i] = key
        self._n += 1
        if self._n * 2 > self._mask:
            old = self._table
            self._table = array("Q", bytes(8 * 2 * len(old)))
            self._mask = 2 * len(old) - 1
            for v in old:
                if v:
                    self._table[self._slot(v)] = v

    def __len__(self) -> int:
        return self._n


def unique_ids(items: Iterable[Item]) -> Iterator[Item]:
    """Pass items through, renaming an id already seen to `id~2`, `id~3`, … with a `duplicate_id` warning."""
    seen = IdSet()
    for item in items:
        if item.id in seen:
            k = 2
            while f"{item.id}~{k}" in seen:
                k += 1
            new = f"{item.id}~{k}"
            if isinstance(item, Article):
                item.warnings.append(("duplicate_id", f"id {item.id!r} was already used in this run; "
                                                      f"this article is {new!r}"))
                item.id = new
            else:
                item = ArticleError(new, item.source, item.code, item.message)
        seen.add(item.id)
        yield item


# --- single-article files ------------------------------------------------------------------------------------------


def _too_large(id_: str, source: str, size: int | None, limits: Limits) -> ArticleError:
    what = f"{size:,} bytes" if size is not None else "more bytes"
    return ArticleError(id_, source, "too_large",
                        f"article of {what} exceeds the limit of {limits.max_article_bytes:,} bytes "
                        "(--max-article-size)")


def _single_text(data: bytes, id_: str, source: str, limits: Limits, options: InputOptions = DEFAULT_OPTIONS
                 ) -> Item:
    if len(data) > limits.max_article_bytes:
        return _too_large(id_, source, None, limits)
    if not data.strip():
        return ArticleError(id_, source, "empty", "empty file")
    try:
        text, note = decode_bytes(data, options.encoding)
    except InputError as exc:
        return ArticleError(id_, source, exc.code, exc.message)
    return Article(id_, source, text=text, warnings=[note] if note else [])


def _single_html(data: bytes, id_: str, source: str, limits: Limits, options: InputOptions = DEFAULT_OPTIONS
                 ) -> Item:
    if len(data) > limits.max_article_bytes:
        return _too_large(id_, source, None, limits)
    if not data.strip():
        return ArticleError(id_, source, "empty", "empty file")
    try:
        _check_html_bytes(data)
    except InputError as exc:
        return ArticleError(id_, source, exc.code, exc.message)
    return Article(id_, source, html=data)


# --- JSON Lines ------------------------------------------------------------------------------------------------------


def _own_id(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def article_from_mapping(obj: dict[str, Any], default_id: str, source: str,
                         options: InputOptions = DEFAULT_OPTIONS) -> Article:
    """An Article from a JSON object or CSV row with the input keys (`text`/`html`, `id`, `url`, `title`, …); the
    text, id and date are read from the keys `options` names (--text-field, --id-field, --published-field)."""
    raw_id = obj.get(options.id_field)
    own = _own_id(raw_id)
    art = Article(own or default_id, source, text=obj.get(options.text_field), html=obj.get("html"),
                  url=obj.get("url"), title=obj.get("title"), published=obj.get(options.published_field))
    if own is None and raw_id not in (None, ""):
        art.warnings.append(("bad_id", f"the input's id {raw_id!r} is not a string or integer; "
                                       f"using {default_id!r}"))
    return art


def parse_json_line(raw: bytes, id_base: str, line_no: int, source: str, options: InputOptions = DEFAULT_OPTIONS
                    ) -> Item:
    """One JSONL line (bytes, newline stripped) → Article, or ArticleError(invalid_utf8|not_json|not_an_object)."""
    default_id = f"{id_base}#{line_no}"
    src = f"{source}:{line_no}"
    obj = loads_fast(raw)  # the values json.loads gives, when the line is UTF-8 JSON that msgspec reads
    if type(obj) is dict:
        return article_from_mapping(obj, default_id, src, options)
    # Everything else takes the standard path, which decides as before: invalid UTF-8 (a legacy encoding?), not
    # JSON (or JSON only the standard reader takes: NaN, lone surrogates), not an object.
    note = None
    try:
        s = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        if options.encoding.lower().replace("_", "-") in ("utf-8", "utf8"):
            return ArticleError(default_id, src, "invalid_utf8", f"line is not valid UTF-8: {exc.reason} at byte "
                                                                 f"{exc.start}")
        try:
            s, note = decode_bytes(raw, options.encoding)
        except InputError as err:
            return ArticleError(default_id, src, err.code, f"line {err.message}")
    try:
        obj = json.loads(s)
    except (ValueError, RecursionError) as exc:
        return ArticleError(default_id, src, "not_json", f"line is not JSON: {str(exc)[:200]}")
    if not isinstance(obj, dict):
        return ArticleError(default_id, src, "not_an_object",
                            f"line is a JSON {type(obj).__name__.replace('dict', 'object')}, not an object")
    art = article_from_mapping(obj, default_id, src, options)
    if note:
        art.warnings.append(note)
    return art


def _read_jsonl_file(p: Partition, limits: Limits, options: InputOptions = DEFAULT_OPTIONS) -> Iterator[Item]:
    if p.path.lower().endswith(".gz"):
        with open(p.path, "rb") as raw:
            yield from read_jsonl_stream(gzip.GzipFile(fileobj=raw, mode="rb"), p.id_base, p.path, limits,
                                         options=options)
        return
    with open(p.path, "rb") as f:
        f.seek(p.start)
        yield from read_jsonl_stream(f, p.id_base, p.path, limits, first_line=p.first_line,
                                     length=None if p.end is None else p.end - p.start, options=options)


def read_jsonl_stream(f: IO[bytes], id_base: str, source: str, limits: Limits, *, first_line: int = 1,
                      length: int | None = None, options: InputOptions = DEFAULT_OPTIONS) -> Iterator[Item]:
    """Articles of a JSONL byte stream; long lines are skipped without being held (`too_large`)."""
    line_no = first_line - 1
    left = length
    seen_any = False
    cap = limits.max_article_bytes * 2 + 4096  # JSON escapes may double a text; the text itself is checked later
    while left is None or left > 0:
        line_no += 1
        try:
            raw = f.readline(cap + 1 if left is None else min(cap + 1, left))
        except (EOFError, OSError, zlib.error) as exc:
            yield ArticleError(f"{id_base}#{line_no}", f"{source}:{line_no}", "corrupt_gzip",
                               f"compressed stream is truncated or corrupt from line {line_no} on: {exc}")
            return
        if not raw:
            break
        if left is not None:
            left -= len(raw)
        if len(raw) > cap and not raw.endswith(b"\n"):
            skipped = len(raw)
            try:
                while True:
                    chunk = f.readline(1 << 20 if left is None else min(1 << 20, left))
                    if not chunk:
                        break
                    skipped += len(chunk)
                    if left is not None:
                        left -= len(chunk)
                    if chunk.endswith(b"\n"):
                        break
            except (EOFError, OSError, zlib.error):
                pass
            seen_any = True
            yield _too_large(f"{id_base}#{line_no}", f"{source}:{line_no}", skipped, limits)
            continue
        if line_no == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[3:]
        raw = raw.strip()
        if not raw:
            continue
        seen_any = True
        yield parse_json_line(raw, id_base, line_no, source, options)
    if not seen_any and first_line == 1:
        yield ArticleError(id_base, source, "empty", "no article in this file (empty or only blank lines)")


# --- CSV -------------------------------------------------------------------------------------------------------------

def _has_surrogates(s: str) -> bool:
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _redecode_row(row: list[str], encoding: str) -> tuple[list[str], tuple[str, str] | None]:
    """A CSV row read as UTF-8 with undecodable bytes kept as surrogates → the row in `encoding` (auto: the legacy
    Arabic code page detected on the row's bytes); InputError when it cannot be decoded."""
    raw = [cell.encode("utf-8", "surrogateescape") for cell in row]
    note = None
    if encoding == "auto":
        legacy = detect_legacy_arabic(b" ".join(raw))
        if legacy is None:
            raise InputError("not valid UTF-8, nor Windows-1256 or ISO-8859-6 (say --encoding)", "invalid_utf8")
        encoding, note = legacy, _legacy_note(legacy)
    try:
        return [cell.decode(encoding) for cell in raw], note
    except UnicodeDecodeError as exc:
        raise InputError(f"not valid {encoding}: {exc.reason}", "invalid_encoding") from None


def _csv_header(row: list[str], options: InputOptions) -> list[str]:
    """Column names as rasd's input keys: the columns --text-field, --id-field, --published-field name become
    `text`, `id`, `published` (a column already called so, when another one is named, is ignored)."""
    rename = {options.text_field.strip().lower(): "text", options.id_field.strip().lower(): "id",
              options.published_field.strip().lower(): "published"}
    out = []
    for h in row:
        h = h.strip().lower()
        out.append(rename[h] if h in rename else f"_{h}" if h in ("text", "id", "published") else h)
    return out


def _read_csv(f: IO[bytes], id_base: str, source: str, limits: Limits, options: InputOptions = DEFAULT_OPTIONS
              ) -> Iterator[Item]:
    """Articles of a CSV byte stream with a header row naming the input columns."""
    if csv.field_size_limit() < limits.max_article_bytes + 1:
        csv.field_size_limit(limits.max_article_bytes + 1)
    utf8 = options.encoding.lower().replace("_", "-") in ("auto", "utf-8", "utf8")
    # UTF-8 (and auto) read undecodable bytes as surrogates, so that a row in another encoding can be re-read exactly.
    text = io.TextIOWrapper(f, encoding="utf-8-sig" if utf8 else options.encoding, errors="surrogateescape",
                            newline="")
    reader = csv.reader(text, strict=True)
    header: list[str] | None = None
    row_no = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            if header is None:
                yield ArticleError(id_base, source, "bad_csv", f"header row cannot be read: {exc}")
                return
            row_no += 1
            code = "too_large" if "field larger" in str(exc) else "bad_csv"
            yield ArticleError(f"{id_base}#{row_no}", f"{source}:{row_no}", code,
                               f"data row {row_no} (ending on line {reader.line_num}) is not valid CSV: {exc}")
            continue
        except (EOFError, OSError, zlib.error) as exc:
            yield ArticleError(f"{id_base}#{row_no + 1}", f"{source}:{row_no + 1}", "corrupt_archive",
                               f"stream ends early: {exc}")
            return
        if header is None:
            if _has_surrogates("".join(row)):
                try:
                    if options.encoding != "auto":
                        raise InputError("undecodable")
                    row, _ = _redecode_row(row, "auto")
                except InputError:
                    yield ArticleError(id_base, source, "invalid_utf8" if utf8 else "invalid_encoding",
                                       f"header row is not valid {'UTF-8' if utf8 else options.encoding}")
                    return
            header = _csv_header(row, options)
            if "text" not in header and "html" not in header:
                yield ArticleError(id_base, source, "no_text",
                                   f"CSV header has no {options.text_field!r} or 'html' column: "
                                   f"{', '.join(h.strip() for h in row)[:200]} (say --text-field)")
                return
            continue
        if not any(cell.strip() for cell in row):
            continue
        row_no += 1
        default_id = f"{id_base}#{row_no}"
        src = f"{source}:{row_no}"
        note = None
        if any(_has_surrogates(cell) for cell in row):
            if options.encoding != "auto":
                yield ArticleError(default_id, src, "invalid_utf8" if utf8 else "invalid_encoding",
                                   f"data row {row_no} is not valid {'UTF-8' if utf8 else options.encoding}")
                continue
            try:
                row, note = _redecode_row(row, "auto")
            except InputError as exc:
                yield ArticleError(default_id, src, exc.code, f"data row {row_no} is {exc.message}")
                continue
        obj = {k: (v if v != "" else None) for k, v in zip(header, row, strict=False)}
        art = article_from_mapping(obj, default_id, src)
        if note:
            art.warnings.append(note)
        yield art
    if header is None:
        yield ArticleError(id_base, source, "empty", "empty CSV file")
    elif row_no == 0:
        yield ArticleError(id_base, source, "no_articles", "CSV file has a header but no data rows")


# --- archives ---------------------------------------------------------------------------------------------------------


def _unsafe_name(name: str) -> bool:
    return name.startswith(("/", "\\")) or ".." in name.replace("\\", "/").split("/") or (
        len(name) > 1 and name[1] == ":")


class _Budget:
    """Counts decompressed bytes of one archive against `max_archive_bytes`."""

    def __init__(self, limit: int) -> None:
        self.left = limit

    def take(self, n: int) -> bool:
        self.left -= n
        return self.left >= 0


def _read_member(kind: str, stream: IO[bytes], size: int | None, id_base: str, source: str,
                 limits: Limits, options: InputOptions = DEFAULT_OPTIONS) -> Iterator[Item]:
    """Articles of one archive member, given its kind and a binary stream of its content."""
    if kind in ("txt", "html"):
        if size is not None and size > limits.max_article_bytes:
            yield _too_large(id_base, source, size, limits)
            return
        data = stream.read(limits.max_article_bytes + 1)
        yield (_single_text if kind == "txt" else _single_html)(data, id_base, source, limits, options)
    elif kind == "jsonl":
        if source.lower().endswith(".gz"):
            stream = gzip.GzipFile(fileobj=stream, mode="rb")  # type: ignore[assignment]
        yield from read_jsonl_stream(stream, id_base, source, limits, options=options)
    elif kind == "csv":
        yield from _read_csv(stream, id_base, source, limits, options)
    elif kind == "warc":
        missing = _extra_missing("warc", "warcio", id_base, source)
        yield from [missing] if missing else _read_warc(stream, id_base, source, limits, options)
    elif kind in ARCHIVE_KINDS:
        yield ArticleError(id_base, source, "nested_archive",
                           "an archive inside an archive is not read; unpack the outer one first")
    else:
        yield ArticleError(id_base, source, "unsupported_type", "not an input type rasd reads")


def _read_zip(p: Partition, limits: Limits, options: InputOptions = DEFAULT_OPTIONS) -> Iterator[Item]:
    try:
        zf = zipfile.ZipFile(p.path)
    except (zipfile.BadZipFile, EOFError, ValueError, OSError) as exc:
        if isinstance(exc, PermissionError):
            raise
        yield ArticleError(p.id_base, p.path, "corrupt_archive", f"not a readable zip file: {exc}")
        return
    with zf:
        infos = zf.infolist()
        if len(infos) > limits.max_members:
            yield ArticleError(p.id_base, p.path, "archive_too_large",
                               f"{len(infos):,} members exceed the limit of {limits.max_members:,} (--max-members)")
            return
        total = sum(i.file_size for i in infos)
        if total > limits.max_archive_bytes:
            yield ArticleError(p.id_base, p.path, "archive_too_large",
                               f"{total:,} decompressed bytes exceed the limit of {limits.max_archive_bytes:,} "
                               "(--max-archive-size)")
            return
        selected = infos[p.start:p.end]
        yielded = False
        for info in selected:
            name = info.filename
            if info.is_dir() or _hidden(name):
                continue
            member_id = f"{p.id_base}/{name}"
            source = f"{p.path}!{name}"
            yielded = True
            if _unsafe_name(name):
                yield ArticleError(member_id, source, "unsafe_member", f"member name {name!r} leaves the archive")
                continue
            mode = (info.external_attr >> 16) & 0o170000
            if mode and mode not in (0o100000,):
                yield ArticleError(member_id, source, "unsafe_member",
                                   f"member {name!r} is not a regular file (symlink or device)")
                continue
            kind = kind_of(name) or "unsupported"
            try:
                with zf.open(info) as stream:
                    yield from _read_member(kind, stream, info.file_size, member_id, source, limits, options)
            except RuntimeError as exc:  # encrypted
                yield ArticleError(member_id, source, "encrypted_member", str(exc))
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as exc:
                yield ArticleError(member_id, source, "corrupt_archive", f"member cannot be decompressed: {exc}")
        if not yielded and p.start == 0:
            yield ArticleError(p.id_base, p.path, "no_articles", "zip file holds no files")


def _read_tar(p: Partition, limits: Limits, options: InputOptions = DEFAULT_OPTIONS) -> Iterator[Item]:
    budget = _Budget(limits.max_archive_bytes)
    members = 0
    yielded = False
    last = p.id_base
    raw = open(p.path, "rb")
    # GzipFile, not tarfile's own gzip reader: a truncated .tar.gz must raise, not look like the end of the archive.
    gz = gzip.GzipFile(fileobj=raw, mode="rb") if raw.read(2) == b"\x1f\x8b" else None
    raw.seek(0)
    try:
        with tarfile.open(fileobj=gz or raw, mode="r|") as tf:
            for info in tf:
                members += 1
                if members > limits.max_members:
                    yield ArticleError(f"{p.id_base}/{info.name}", f"{p.path}!{info.name}", "archive_too_large",
                                       f"more than {limits.max_members:,} members (--max-members); "
                                       "the rest of the archive is not read")
                    return
                if info.isdir() or _hidden(info.name):
                    continue
                name = info.name
                member_id = f"{p.id_base}/{name}"
                source = f"{p.path}!{name}"
                last = member_id
                yielded = True
                if not info.isfile():
                    what = "symlink" if info.issym() else "hard link" if info.islnk() else "device or special file"
                    yield ArticleError(member_id, source, "unsafe_member", f"member {name!r} is a {what}")
                    continue
                if _unsafe_name(name):
                    yield ArticleError(member_id, source, "unsafe_member", f"member name {name!r} leaves the archive")
                    continue
                if not budget.take(info.size):
                    yield ArticleError(member_id, source, "archive_too_large",
                                       f"decompressed size exceeds {limits.max_archive_bytes:,} bytes "
                                       "(--max-archive-size); the rest of the archive is not read")
                    return
                stream = tf.extractfile(info)
                if stream is None:
                    continue
                yield from _read_member(kind_of(name) or "unsupported", stream, info.size, member_id, source, limits,
                                        options)
        if gz is not None:
            while gz.read(1 << 16):  # the padding after the end marker: a truncated stream raises here
                pass
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        if isinstance(exc, PermissionError):
            raise
        where = "" if not yielded else f" after {last!r}"
        yield ArticleError(p.id_base, p.path, "corrupt_archive",
                           f"tar archive is truncated or corrupt{where}: {exc}")
        return
    finally:
        raw.close()
    if not yielded:
        yield ArticleError(p.id_base, p.path, "no_articles", "tar archive holds no files")


# --- web archives ---------------------------------------------------------------------------------------------------


def _read_warc(f: IO[bytes], id_base: str, source: str, limits: Limits, options: InputOptions = DEFAULT_OPTIONS
               ) -> Iterator[Item]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    n = 0
    found = 0
    try:
        for record in ArchiveIterator(f):
            n += 1
            if record.rec_type not in ("response", "resource"):
                continue
            if record.rec_type == "response":
                http = record.http_headers
                if http is None:
                    continue
                status = http.get_statuscode() or ""
                if not status.startswith("2"):
                    continue
                ctype = (http.get_header("Content-Type") or "").lower()
            else:
                ctype = (record.rec_headers.get_header("Content-Type") or "").lower()
            is_html = "html" in ctype
            if not is_html and not ctype.startswith("text/plain"):
                continue
            found += 1
            art_id = f"{id_base}#{n}"
            src = f"{source}:{n}"
            data = record.content_stream().read(limits.max_article_bytes + 1)
            url = record.rec_headers.get_header("WARC-Target-URI")
            item = (_single_html if is_html else _single_text)(data, art_id, src, limits, options)
            if isinstance(item, Article):
                item.url = url
            yield item
    except (ArchiveLoadFailed, EOFError, zlib.error, OSError, ValueError) as exc:
        if isinstance(exc, PermissionError):
            raise
        yield ArticleError(f"{id_base}#{n + 1}", f"{source}:{n + 1}", "corrupt_warc",
                           f"web archive is truncated or corrupt at record {n + 1}: {str(exc)[:200]}")
        return
    if found == 0:
        yield ArticleError(id_base, source, "no_articles",
                           f"web archive has no HTML or text response records ({n} records read)")
