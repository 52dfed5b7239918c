"""The `rasd` command: a thin argparse layer over the library (CONTRACT.md §4).

Exit status: 0 everything converted; 1 some articles went to the errors file; 2 bad usage or unreadable input.
Each subcommand has a `_add_<name>` (its options) and a `_run_<name>` (calls the library, prints UTF-8).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from . import __version__
from .errors import RasdError

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2


def _read_text_arg(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    with open(path, encoding="utf-8-sig") as f:
        return f.read()


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

    text = sys.stdin.read() if args.text == "-" else args.text
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
    p.add_argument("--published", help="publication date (YYYY-MM-DD) that relative expressions resolve against")
    p.add_argument("--json", action="store_true", help="one JSON object per line instead of a table")
    p.set_defaults(run=_run_dates)


def _run_dates(args: argparse.Namespace) -> int:
    from .dates import find_dates

    text = sys.stdin.read() if args.text == "-" else args.text
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
        epilog="example: rasd extract samples/articles/etidal_q3_2024.txt --published 2024-10-20",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("file", nargs="?", default="-", help="the article's text file, or - (default) for standard input")
    p.add_argument("--published", help="publication date (YYYY-MM-DD)")
    p.add_argument("--url", help="the article's URL")
    p.add_argument("--id", help="the record id (default: the file name)")
    p.add_argument("--compact", action="store_true", help="one line of JSON instead of indented JSON")
    p.set_defaults(run=_run_extract)


def _run_extract(args: argparse.Namespace) -> int:
    from .facts import extract

    try:
        text = _read_text_arg(args.file)
    except (OSError, UnicodeDecodeError) as exc:
        print(f"rasd extract: cannot read {args.file}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    record = extract(text, published=args.published, url=args.url, id=args.id or args.file)
    print(record.to_json(indent=None if args.compact else 2))
    return EXIT_OK


# --- the command ----------------------------------------------------------------------------------------------
_SUBCOMMANDS = [_add_extract, _add_numbers, _add_dates]


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
        return int(args.run(args))
    except RasdError as exc:
        print(f"rasd {args.command}: {exc.code}: {exc.message}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
