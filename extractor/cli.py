"""The `rasd` command: a thin argparse layer over the library (CONTRACT.md §4).

Exit status: 0 everything converted; 1 some articles went to the errors file; 2 bad usage or unreadable input.
Each subcommand has a `_add_<name>` (its options) and a `_run_<name>` (calls the library, prints UTF-8).
"""

from __future__ import annotations

import argparse
import codecs
import datetime as _dt
import errno
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .errors import RasdError

if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any

    from .readers import InputOptions, Limits
    from .review import Corrections

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2


def _text_arg(text: str) -> str:
    """A TEXT argument: the text itself, or standard input for `-`."""
    return sys.stdin.read() if text == "-" else text


def _iso_date(value: str) -> str:
    """A user-typed date: YYYY-MM-DD only (a malformed --published is bad usage, not a silent 'unknown')."""
    try:
        if len(value.strip()) == 10:
            return _dt.date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        pass
    raise argparse.ArgumentTypeError(f"not a date: {value!r} (expected YYYY-MM-DD, e.g. 2024-10-20)")


def _encoding(value: str) -> str:
    """`auto` or a codec Python knows (cp1256, iso-8859-6, utf-16, …)."""
    if value.lower() == "auto":
        return "auto"
    try:
        return codecs.lookup(value).name
    except LookupError:
        raise argparse.ArgumentTypeError(f"unknown encoding {value!r} (auto, utf-8, cp1256, iso-8859-6, "
                                         "utf-16, …)") from None


def _add_input_options(p: argparse.ArgumentParser, *, fields: bool) -> None:
    g = p.add_argument_group("input")
    g.add_argument("--encoding", type=_encoding, default="auto",
                   help="encoding of text, JSONL and CSV inputs (default auto: a BOM, else UTF-8, else "
                        "Windows-1256 / ISO-8859-6 as detected, with an encoding_detected warning)")
    if fields:
        g.add_argument("--text-field", default="text", metavar="NAME",
                       help="the JSONL key / CSV column holding the text (default text)")
        g.add_argument("--id-field", default="id", metavar="NAME", help="… holding the id (default id)")
        g.add_argument("--published-field", default="published", metavar="NAME",
                       help="… holding the publication date (default published)")
        g.add_argument("--input-format", choices=("jsonl", "csv", "txt"), default="jsonl",
                       help="what - (standard input) holds: JSON Lines (default), CSV, or one article's text")


def _input_options(args: argparse.Namespace) -> InputOptions:
    from .readers import InputOptions

    return InputOptions(encoding=args.encoding, text_field=getattr(args, "text_field", "text"),
                        id_field=getattr(args, "id_field", "id"),
                        published_field=getattr(args, "published_field", "published"),
                        stdin_format=getattr(args, "input_format", "txt"))


# --- rasd numbers ---------------------------------------------------------------------------------------------
def _add_numbers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "numbers",
        help="list every number phrase in a text",
        description="Print every number phrase found in TEXT: value, kind, qualifier and span.",
        epilog='example: rasd numbers "أزيل أكثر من 35 مليوناً و634 ألفاً و916 محتوى"',
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("text", help="the text, or - to read standard input")
    p.add_argument("--json", action="store_true", help="one JSON object per line instead of a table")
    p.set_defaults(run=_run_numbers)


def _run_numbers(args: argparse.Namespace) -> int:
    from .numbers import find_numbers

    text = _text_arg(args.text)
    mentions = find_numbers(text)
    if args.json:
        for m in mentions:
            print(json.dumps({"value": m.value, "kind": m.kind, "qualifier": m.qualifier, "start": m.start,
                              "end": m.end, "text": m.text}, ensure_ascii=False))
    else:
        print(f"{'value':>16}  {'kind':8}  {'qualifier':10}  {'span':>11}  text")
        for m in mentions:
            print(f"{m.value!s:>16}  {m.kind:8}  {m.qualifier:10}  {m.start:>5}-{m.end:<5}  {m.text}")
    return EXIT_OK


# --- rasd dates -----------------------------------------------------------------------------------------------
def _add_dates(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "dates",
        help="list every date or period expression in a text",
        description="Print every time expression found in TEXT with its resolved period.",
        epilog='example: rasd dates "خلال الربع الثالث من العام الحالي" --published 2024-10-20',
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("text", help="the text, or - to read standard input")
    p.add_argument("--published", type=_iso_date,
                   help="publication date (YYYY-MM-DD) that relative expressions resolve against")
    p.add_argument("--json", action="store_true", help="one JSON object per line instead of a table")
    p.set_defaults(run=_run_dates)


def _run_dates(args: argparse.Namespace) -> int:
    from .dates import find_dates

    text = _text_arg(args.text)
    for d in find_dates(text, published=args.published):
        row = {"kind": d.kind, "start": d.start, "end": d.end, "text": d.text, "period": d.period.to_dict(),
               "unresolved": d.unresolved}
        if args.json:
            print(json.dumps(row, ensure_ascii=False))
        else:
            print(f"{d.kind:9}  {d.period.start or '-':>10} .. {d.period.end or '-':<10}  {d.start:>5}-{d.end:<5}  "
                  f"{d.text}{'  (' + d.unresolved + ')' if d.unresolved else ''}")
    return EXIT_OK


# --- rasd extract ---------------------------------------------------------------------------------------------
def _add_extract(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "extract",
        help="one article in, its record out as JSON",
        description="Read one article (a text file, or - for standard input) and print its record as JSON.",
        epilog="example: rasd extract article.txt --published 2024-10-20 --url https://example.org/a",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("file", nargs="?", default="-", help="the article's text file, or - (default) for standard input")
    p.add_argument("--published", type=_iso_date, help="publication date (YYYY-MM-DD)")
    p.add_argument("--url", help="the article's URL")
    p.add_argument("--id", help="the record id (default: the file name)")
    p.add_argument("--compact", action="store_true", help="one line of JSON instead of indented JSON")
    _add_input_options(p, fields=False)
    _add_limit_options(p)
    p.set_defaults(run=_run_extract)


# Errors of reading the article itself: the input as a whole is unusable (exit 2); the others (too_large, timeout,
# extract_failed) are what `batch` would put in its errors file (exit 1).
_UNREADABLE = ("unreadable", "invalid_utf8", "invalid_encoding", "binary", "empty")


def _run_extract(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from .batch import process_article
    from .readers import ArticleError, read_article_file

    limits = _limits(args)
    item = read_article_file(args.file, limits, _input_options(args))
    if not isinstance(item, ArticleError):
        item = replace(item, id=args.id or args.file, url=args.url, published=args.published)
        item = process_article(item, limits)  # type: ignore[assignment]
    if isinstance(item, ArticleError):
        print(f"rasd extract: {'cannot read ' + args.file + ': ' if item.code in _UNREADABLE else ''}"
              f"{item.code}: {item.message}", file=sys.stderr)
        return EXIT_USAGE if item.code in _UNREADABLE else EXIT_SOME_FAILED
    print(item.to_json(indent=None if args.compact else 2))
    return EXIT_OK


# --- rasd batch -----------------------------------------------------------------------------------------------
_SIZE_UNITS = {"k": 10**3, "m": 10**6, "g": 10**9}


def _size(value: str) -> int:
    """A byte count like 10000000, 10M, 500k or 4G."""
    v = value.strip().lower().rstrip("b")
    mult = _SIZE_UNITS.get(v[-1:], 1)
    try:
        n = float(v[:-1] if mult != 1 else v) * mult
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a size: {value!r} (e.g. 10M, 500k)") from None
    if n <= 0:
        raise argparse.ArgumentTypeError("a size must be positive")
    return int(n)


def _add_limit_options(p: argparse.ArgumentParser, *, archives: bool = False) -> None:
    from .readers import DEFAULT_LIMITS as L

    lim = p.add_argument_group("limits (bigger or slower articles become error lines, not crashes)")
    lim.add_argument("--max-article-size", type=_size, default=L.max_article_bytes, metavar="BYTES",
                     help=f"largest article text or HTML (default {L.max_article_bytes:,}; error too_large)")
    lim.add_argument("--time-limit", type=float, default=L.time_limit, metavar="SECONDS",
                     help=f"extraction time per article (default {L.time_limit:g}; 0: none; error timeout)")
    if archives:
        lim.add_argument("--max-members", type=int, default=L.max_members, metavar="N",
                         help=f"members of one zip/tar (default {L.max_members:,}; error archive_too_large)")
        lim.add_argument("--max-archive-size", type=_size, default=L.max_archive_bytes, metavar="BYTES",
                         help=f"decompressed bytes of one zip/tar (default {L.max_archive_bytes:,}; "
                              "error archive_too_large)")


def _limits(args: argparse.Namespace) -> Limits:
    from .readers import DEFAULT_LIMITS as L
    from .readers import Limits

    return Limits(max_article_bytes=args.max_article_size, time_limit=max(args.time_limit, 0.0),
                  max_members=getattr(args, "max_members", L.max_members),
                  max_archive_bytes=getattr(args, "max_archive_size", L.max_archive_bytes),
                  min_confidence=getattr(args, "min_confidence", None))


def _confidence(value: str) -> float:
    """A confidence threshold: a number from 0 to 1."""
    try:
        x = float(value)
    except ValueError:
        x = -1.0
    if not 0.0 <= x <= 1.0:
        raise argparse.ArgumentTypeError(f"not a confidence: {value!r} (a number from 0 to 1, e.g. 0.9)")
    return x


def _add_batch(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]

    p = sub.add_parser(
        "batch",
        help="convert many articles (folders, JSONL/CSV, zip/tar, WARC) into one records file",
        description="Convert every article of INPUT... into one record each, in OUT. Articles that cannot be\n"
                    "converted go to the errors file, one line each with a stable code; nothing is dropped.\n\n"
                    "Inputs: .txt, .html/.htm, .jsonl/.ndjson(.gz), .csv (columns text or html, id, url, title,\n"
                    "published), folders (recursive), .zip, .tar, .tar.gz, .warc(.gz), - (standard input).",
        epilog="examples:\n"
               "  rasd batch scraped/ -o records.jsonl\n"
               "  rasd batch dump.jsonl.gz export.zip -o records.csv --workers 4\n"
               "  rasd batch crawl.warc.gz -o records.parquet --resume\n"
               "  rasd batch scraped/ -o sure.jsonl --min-confidence 0.9\n"
               "  rasd batch /data/archive/ -o /data/records.jsonl --dask tcp://scheduler:8786\n"
               "exit status: 0 all converted, 1 some articles in the errors file, 2 bad usage or unreadable input",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="files, folders, archives, or - for standard input")
    out = p.add_argument_group("output")
    out.add_argument("-o", "--output", required=True, metavar="OUT",
                     help="the records file (written atomically), or - for standard output (jsonl or csv; errors "
                          "then go to standard error unless --errors names a file)")
    out.add_argument("--format", choices=["jsonl", "json", "csv", "parquet"],
                     help="jsonl (default), json (one array), csv (one row per fact), parquet (extra [parquet]); "
                          "default: from OUT's extension, else jsonl")
    out.add_argument("--errors", metavar="FILE", help="errors file (default: OUT.errors.jsonl)")
    out.add_argument("--resume", action="store_true",
                     help="keep the records already in OUT (or left by a killed run) and convert only the rest")
    out.add_argument("--min-confidence", type=_confidence, metavar="X",
                     help="keep only the facts whose confidence is X or more (0 to 1, e.g. 0.9); each fact left out "
                          "becomes one below_confidence warning of its record")
    run = p.add_argument_group("run")
    run.add_argument("--workers", type=int, metavar="N", help="worker processes (default: the machine's cores; "
                                                               "0: in this process)")
    run.add_argument("--unordered", action="store_true", help="write records as they finish, not in input order")
    run.add_argument("--chunk-size", type=int, default=64, metavar="N", help="articles sent to a worker at once")
    run.add_argument("--quiet", "-q", action="store_true", help="no progress bar and no summary line")
    run.add_argument("--extractor", default="extractor.facts:extract", metavar="MODULE:FUNCTION",
                     help="the extraction function, called as f(text, published=, url=, id=, title=) → ArticleRecord "
                          "(default extractor.facts:extract)")
    run.add_argument("--dask", metavar="ADDRESS",
                     help="run on a Dask cluster (extra [dask]): a scheduler address such as tcp://host:8786, or "
                          "'local' for a cluster of --workers processes on this machine; inputs must be readable "
                          "by the workers at the same path")
    run.add_argument("--partition-size", type=_size, metavar="BYTES",
                     help="with --dask: input bytes per task (default 4M)")
    _add_input_options(p, fields=True)
    _add_limit_options(p, archives=True)
    p.set_defaults(run=_run_batch)


def _run_batch(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from .batch import convert
    from .readers import InputOptions
    from .writers import journal_path

    if args.workers is not None and args.workers < 0:
        print("rasd batch: --workers must be 0 or more", file=sys.stderr)
        return EXIT_USAGE
    if args.chunk_size < 1:
        print("rasd batch: --chunk-size must be 1 or more", file=sys.stderr)
        return EXIT_USAGE
    limits = _limits(args)
    options = _input_options(args)
    if args.dask and ("-" in args.inputs or replace(options, stdin_format="txt") != InputOptions()):
        print("rasd batch: with --dask the inputs must be files the workers can read, in the default encoding and "
              "fields (no -, --encoding, --text-field, --id-field, --published-field)", file=sys.stderr)
        return EXIT_USAGE
    try:
        if args.dask:
            from .dask import DEFAULT_PARTITION_BYTES, convert_on_dask

            summary = convert_on_dask(args.inputs, args.output, address=args.dask, fmt=args.format,
                                      errors=args.errors, workers=args.workers, resume=args.resume,
                                      ordered=not args.unordered, limits=limits, extractor=args.extractor,
                                      progress=not args.quiet and sys.stderr.isatty(),
                                      partition_bytes=args.partition_size or DEFAULT_PARTITION_BYTES)
        else:
            summary = convert(args.inputs, args.output, fmt=args.format, errors=args.errors, workers=args.workers,
                              resume=args.resume, ordered=not args.unordered, limits=limits,
                              progress=not args.quiet and sys.stderr.isatty(), chunk_size=args.chunk_size,
                              extractor=args.extractor, options=options)
    except KeyboardInterrupt:
        if args.output == "-":
            print("rasd batch: interrupted", file=sys.stderr)
        else:
            print(f"rasd batch: interrupted; records so far are kept in {journal_path(args.output)}; "
                  "run the same command with --resume to finish", file=sys.stderr)
        return 130
    if not args.quiet:
        print(f"rasd batch: {summary.line()}", file=sys.stderr)
    if summary.articles == 0:
        print(f"rasd batch: warning: no article found in {' '.join(args.inputs)} (an empty or mistyped folder? "
              "inputs are .txt, .html, .jsonl, .csv, .zip, .tar, .warc files or folders of them)", file=sys.stderr)
        return EXIT_SOME_FAILED
    if not summary.conserved:
        print(f"rasd batch: internal error: {summary.articles} articles read but {summary.records} records + "
              f"{summary.errors} errors + {summary.skipped} skipped", file=sys.stderr)
        return EXIT_SOME_FAILED
    return EXIT_SOME_FAILED if summary.errors else EXIT_OK


# --- rasd schema ----------------------------------------------------------------------------------------------
def _add_schema(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "schema",
        help="print the JSON Schema of a record",
        description="Print the JSON Schema (draft 2020-12) of one article record, generated from the data model.",
        epilog="example: rasd schema > record.schema.json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.set_defaults(run=_run_schema)


def _run_schema(args: argparse.Namespace) -> int:
    from .schema import record_schema

    print(json.dumps(record_schema(), ensure_ascii=False, indent=2))
    return EXIT_OK


# --- rasd series ----------------------------------------------------------------------------------------------
def _add_series(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "series",
        help="fuse the facts of many records into one time series",
        description="Fuse the facts of many records (reprints rounded or hedged differently) into one row per "
                    "partners, platform, metric, organisation, scope and period; disagreements are kept as "
                    "conflicts and inconsistent sums across periods are flagged.",
        epilog="examples:\n  rasd series records.jsonl -o series.csv\n"
               "  rasd series part1.jsonl part2.json -o series.jsonl --format jsonl",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("records", nargs="+", metavar="RECORDS",
                   help="record files as rasd batch writes them: .jsonl, .json, .csv or .parquet")
    p.add_argument("-o", "--output", default="-", help="output file (default: standard output)")
    p.add_argument("--format", choices=("csv", "jsonl"), help="csv (one row per series row) or jsonl with sources, "
                                                                "conflicts and flags (default: from -o, else csv)")
    _add_corrections_option(p)
    p.set_defaults(run=_run_series)


def _run_series(args: argparse.Namespace) -> int:
    from .records_io import read_records
    from .series import fuse, write_series

    fmt = args.format
    if fmt is None:
        suffix = Path(args.output).suffix.lower() if args.output != "-" else ""
        if suffix not in ("", ".csv", ".jsonl", ".ndjson"):
            print(f"rasd series: {args.output}: rasd cannot write {suffix} files; name it .csv or .jsonl, or say "
                  "--format", file=sys.stderr)
            return EXIT_USAGE
        fmt = "jsonl" if suffix in (".jsonl", ".ndjson") else "csv"
    series = fuse(_corrected_records("series", args, read_records(args.records)))
    if args.output == "-":
        (series.write_csv if fmt == "csv" else series.write_jsonl)(sys.stdout)
    else:
        _make_output_folder(args.output)
        write_series(series, args.output, fmt)
    print(f"rasd series: {series.records} records, {series.facts} facts -> {len(series.rows)} rows, "
          f"{len(series.conflicts)} conflicts, {len(series.flags)} flags", file=sys.stderr)
    return _no_records_warning("series", args.records) if series.records == 0 else EXIT_OK


# --- rasd report ----------------------------------------------------------------------------------------------
def _add_report(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "report",
        help="one self-contained HTML page: chart, series, conflicts, warnings",
        description="Fuse the records and write one HTML page that needs no network: a chart of removed content "
                    "and closed channels per quarter and organisation, the series table, conflicts, flags and the "
                    "records' warnings, with links to the articles and their evidence sentences. "
                    "Needs the extra: pip install 'rasd[report]'.",
        epilog="example: rasd report records.jsonl -o report.html",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("records", nargs="+", metavar="RECORDS",
                   help="record files as rasd batch writes them: .jsonl, .json, .csv or .parquet")
    p.add_argument("-o", "--output", required=True, help="the HTML file to write")
    p.add_argument("--title", default="rasd report", help="the page title")
    _add_corrections_option(p)
    p.set_defaults(run=_run_report)


def _run_report(args: argparse.Namespace) -> int:
    from .records_io import read_records
    from .report import render_report
    from .series import fuse

    series = fuse(_corrected_records("report", args, read_records(args.records)))
    _make_output_folder(args.output)
    render_report(series, args.output, title=args.title, records_files=args.records)
    print(f"rasd report: {args.output}: {len(series.rows)} rows, {len(series.conflicts)} conflicts, "
          f"{len(series.flags)} flags", file=sys.stderr)
    return _no_records_warning("report", args.records) if series.records == 0 else EXIT_OK


def _add_corrections_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--corrections", action="append", metavar="REVIEW.csv",
                   help="a review file of rasd review with verdicts filled in (repeatable): facts judged wrong are "
                        "dropped, corrected fields replace rasd's, before fusing")


def _corrected_records(command: str, args: argparse.Namespace,
                       records: Iterable[dict[str, Any]]) -> Iterable[dict[str, Any]]:
    """`records`, with the --corrections files applied when there are any; once all are read, what the corrections
    did (and every reviewed row that matched no fact) is printed on standard error."""
    if not args.corrections:
        return records
    from .review import corrected_records, corrections_report

    def done(corrections: Corrections) -> None:
        for line in corrections_report(corrections):
            print(f"rasd {command}: {line}", file=sys.stderr)

    return corrected_records(records, args.corrections, done)


# --- rasd review ----------------------------------------------------------------------------------------------
def _add_review(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "review",
        help="write the doubtful facts to a CSV file for a person to check",
        description="Write one row per fact whose confidence is below --below (most doubtful first): the article, "
                    "the figure, its doubts and its evidence sentence, then an empty verdict column (right, wrong) "
                    "and correct_* columns. Give the filled-in file to rasd series or rasd report with "
                    "--corrections; its rows are keyed on the article id and the evidence span, so it still applies "
                    "to the records of a newer rasd.",
        epilog="examples:\n  rasd review records.jsonl -o review.csv\n"
               "  rasd review records.jsonl -o review.csv --below 0.8\n"
               "  rasd series records.jsonl --corrections review.csv -o series.csv",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("records", nargs="+", metavar="RECORDS",
                   help="record files as rasd batch writes them: .jsonl, .json, .csv or .parquet")
    p.add_argument("-o", "--output", required=True, help="the review file to write (.csv), or - for standard output")
    p.add_argument("--below", type=_confidence, default=0.9, metavar="X",
                   help="list the facts whose confidence is below X (default 0.9)")
    p.set_defaults(run=_run_review)


def _run_review(args: argparse.Namespace) -> int:
    from .records_io import read_records
    from .review import write_review

    if args.output != "-":
        _make_output_folder(args.output)
    summary = write_review(read_records(args.records), args.output, args.below)
    old = (f"; {summary.without_confidence} of them carry no confidence (records of an older rasd) and come first"
           if summary.without_confidence else "")
    print(f"rasd review: {summary.written} of {summary.facts} facts below {args.below:g} -> {args.output}{old}",
          file=sys.stderr)
    return _no_records_warning("review", args.records) if summary.records == 0 else EXIT_OK


def _no_records_warning(command: str, paths: list[str]) -> int:
    print(f"rasd {command}: warning: no record in {' '.join(paths)} (empty files?)", file=sys.stderr)
    return EXIT_SOME_FAILED


def _make_output_folder(path: str) -> None:
    """Create the folder of an output file, as `batch` does (an uncreatable one is bad usage)."""
    try:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RasdError(f"{Path(path).parent}: cannot create the output folder: {exc.strerror}", "bad_output") from None


# --- the command ----------------------------------------------------------------------------------------------
_SUBCOMMANDS = [_add_extract, _add_numbers, _add_dates, _add_batch, _add_schema, _add_series, _add_report,
                _add_review]


def build_parser() -> argparse.ArgumentParser:
    """The full `rasd` argument parser."""
    parser = argparse.ArgumentParser(
        prog="rasd",
        description="rasd (رصد): structured records of online-extremism removal reports from press articles.",
    )
    parser.add_argument("--version", action="version", version=f"rasd {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for add in _SUBCOMMANDS:
        add(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `rasd` command; returns the exit status."""
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        status = int(args.run(args))
        sys.stdout.flush()  # a full disk or a closed pipe shows here, not in a traceback at exit
        return status
    except RasdError as exc:
        print(f"rasd {args.command}: {exc.code}: {exc.message}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        _quiet_stdout()
        print(f"rasd {args.command}: interrupted", file=sys.stderr)
        return 130
    except OSError as exc:
        # No traceback for what the user's system did: a closed pipe (`rasd … | head`), a full disk (`> /dev/full`),
        # a file that cannot be written. One line, exit 1.
        _quiet_stdout()
        if exc.errno == errno.EPIPE:
            what = "the output was closed before everything was written (broken pipe)"
        else:
            what = f"{exc.strerror or exc}" + (f": {exc.filename}" if exc.filename else "")
        try:
            print(f"rasd {args.command}: {what}", file=sys.stderr)
        except OSError:
            pass
        return EXIT_SOME_FAILED


def _quiet_stdout() -> None:
    """Point standard output at /dev/null so that the interpreter's final flush cannot fail a second time."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


if __name__ == "__main__":
    sys.exit(main())
