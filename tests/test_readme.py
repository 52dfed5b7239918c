"""Every code block of the README works as written.

- Python blocks run as written, in a folder holding the files they open (`article.txt`, the dumps under `/data/` and
  `hdfs:///`, which are read as that folder); a line `expression  # literal` must give that literal. Spark is a
  stand-in (`sc.textFile(…).mapPartitions(f).saveAsTextFile(…)` over local files), so the function users map runs
  for real; dask.bag runs with its synchronous scheduler.
- `sh` blocks: every `rasd …` command line is parsed by rasd's own parser and run in one folder per block (in order:
  a later line reads what an earlier one wrote), with sample inputs of the kinds it names (folders, .txt, .html,
  .jsonl(.gz), .csv, .zip, .warc(.gz)) made from the project's samples; it must exit 0. Lines that need a running
  Dask scheduler (`tcp://…`) or that start a local cluster are parsed only (tests/test_dask.py runs `--dask local`).
  `make` lines must name a target of the Makefile (`make demo` runs in tests/test_packaging.py), `pip install`
  lines only extras that pyproject.toml declares; `dask scheduler`/`dask worker` start servers and are not run.
- `toml` blocks show a pattern file: the keys they use are those of the real file.
"""

from __future__ import annotations

import ast
import contextlib
import gzip
import io
import json
import os
import re
import shlex
import subprocess
import sys
import tomllib
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from extractor.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = [(m.group(1), m.group(2), README[:m.start()].count("\n") + 1)
          for m in re.finditer(r"^```(\w*)\n(.*?)^```", README, re.S | re.M)]
RASD = str(Path(sys.executable).with_name("rasd"))
SAMPLES = [json.loads(line) for line in (ROOT / "samples" / "articles.jsonl").read_text("utf-8").splitlines()]
REPORTS = [a for a in SAMPLES if "distractor" not in a["id"]]


def blocks(kind: str) -> list[Any]:
    return [pytest.param(code, id=f"line{line}") for k, code, line in BLOCKS if k == kind]


def test_every_block_is_of_a_kind_this_test_runs():
    assert BLOCKS
    assert {k for k, _, _ in BLOCKS} <= {"python", "sh", "toml"}, [(k, line) for k, _, line in BLOCKS]


# --- sample inputs ---------------------------------------------------------------------------------------------


def _html(a: dict[str, Any]) -> str:
    title, *paragraphs = a["text"].split("\n")
    body = "".join(f"<p>{p}</p>" for p in paragraphs if p.strip())
    return (f'<!DOCTYPE html><html lang="ar"><head><meta charset="utf-8"><title>{title}</title>'
            f'<meta property="article:published_time" content="{a["published"]}"></head><body><article>'
            f"<h1>{title}</h1>{body}</article></body></html>")


def _warc(articles: Iterable[dict[str, Any]], gz: bool) -> bytes:
    out = b""
    for n, a in enumerate(articles, 1):
        payload = _html(a).encode()
        http = (f"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {len(payload)}\r\n\r\n"
                ).encode() + payload
        head = (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://news.example/{a['id']}\r\n"
                f"WARC-Date: 2024-10-20T08:00:00Z\r\nWARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-{n:012d}>\r\n"
                f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(http)}\r\n\r\n").encode()
        record = head + http + b"\r\n\r\n"
        out += gzip.compress(record) if gz else record  # a .warc.gz is one gzip member per record
    return out


def _rows(fields: dict[str, str]) -> list[dict[str, Any]]:
    """The sample articles with the input keys renamed as the command's --text-field/--id-field/… say."""
    return [{fields.get(k, k): v for k, v in a.items()} for a in REPORTS[:4]]


def make_input(path: Path, fields: dict[str, str]) -> None:
    """A sample input of the kind `path` names, made from the project's own sample articles."""
    name = path.name.lower()
    if str(path).endswith("/") or "." not in name:
        path.mkdir(parents=True, exist_ok=True)
        for a in REPORTS[:3]:
            (path / f"{a['id']}.txt").write_text(a["text"], encoding="utf-8")
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in _rows(fields))
    if name.endswith((".jsonl.gz", ".ndjson.gz")):
        path.write_bytes(gzip.compress(lines.encode()))
    elif name.endswith((".jsonl", ".ndjson")):
        path.write_text(lines, encoding="utf-8")
    elif name.endswith(".csv"):
        import csv

        rows = _rows(fields)
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
        path.write_text(buf.getvalue(), encoding="utf-8")
    elif name.endswith(".zip"):
        with zipfile.ZipFile(path, "w") as zf:
            for a in REPORTS[4:6]:
                zf.writestr(f"pages/{a['id']}.txt", a["text"])
    elif name.endswith((".warc.gz", ".warc")):
        path.write_bytes(_warc(REPORTS[6:8], gz=name.endswith(".gz")))
    elif name.endswith((".html", ".htm")):
        path.write_text(_html(REPORTS[0]), encoding="utf-8")
    elif name.endswith(".txt"):
        path.write_text(REPORTS[0]["text"], encoding="utf-8")
    else:
        raise AssertionError(f"the README names an input this test cannot make: {path}")


# --- sh blocks ----------------------------------------------------------------------------------------------------

INPUT_SUFFIXES = (".txt", ".html", ".htm", ".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz", ".csv", ".zip", ".warc",
                  ".warc.gz", ".tar", ".tar.gz", ".tgz", ".json", ".parquet")
VALUE_OPTIONS = {"-o", "--output", "--errors", "--format", "--workers", "--published", "--url", "--title", "--dask",
                 "--partition-size", "--max-article-size", "--time-limit", "--max-members", "--max-archive-size",
                 "--extractor", "--encoding", "--input-format", "--text-field", "--id-field", "--published-field",
                 "--id", "--min-confidence", "--below", "--corrections"}


def pipelines(code: str) -> Iterator[list[list[str]]]:
    """The pipelines of an sh block, each a list of commands as tokens, comments dropped (`a | b` is one pipeline
    of two commands)."""
    for line in code.splitlines():
        tokens = shlex.split(line, comments=True)
        cmds: list[list[str]] = [[]]
        for t in tokens:
            if t == "|":
                cmds.append([])
            else:
                cmds[-1].append(t)
        cmds = [c for c in cmds if c]
        if cmds:
            yield cmds


def command_lines(code: str) -> Iterator[list[str]]:
    """The commands of an sh block, as tokens, comments dropped; `a | b` gives two commands."""
    for cmds in pipelines(code):
        yield from cmds


def _inputs_of(args: list[str]) -> tuple[list[str], list[str], dict[str, str]]:
    """(input paths, output paths, field renames) named by a rasd command line."""
    inputs, outputs, fields = [], [], {}
    i = 1
    while i < len(args):
        a = args[i]
        if a in VALUE_OPTIONS and i + 1 < len(args):
            if a in ("-o", "--output", "--errors"):
                outputs.append(args[i + 1])
            elif a in ("--text-field", "--id-field", "--published-field"):
                fields[a[2:-6]] = args[i + 1]
            i += 2
            continue
        if not a.startswith("-") and (a.endswith("/") or a.lower().endswith(INPUT_SUFFIXES)):
            inputs.append(a)
        i += 1
    return inputs, outputs, fields


def run_rasd_line(args: list[str], work: Path, stdin_files: Sequence[str] = ()) -> None:
    """Run one README command line of rasd in `work`, making the inputs it names; `stdin_files` are what a
    `cat FILE… |` before it sends to its standard input, as `< FILE` does; `> FILE` takes its standard output."""
    redirected_out = None
    if "<" in args or ">" in args:
        plain: list[str] = []
        it = iter(args)
        for a in it:
            if a == "<":
                stdin_files = [*stdin_files, next(it)]
            elif a == ">":
                redirected_out = next(it)
            else:
                plain.append(a)
        args = plain
    parser = build_parser()
    try:
        parser.parse_args(args[1:])
    except SystemExit as exc:
        raise AssertionError(f"rasd cannot parse the README's line: {shlex.join(args)}") from exc
    if any(a.startswith("tcp://") for a in args) or "--dask" in args:
        return  # needs a scheduler, or starts a cluster of several processes: parsed only (test_dask runs it)
    inputs, outputs, fields = _inputs_of(args)
    for name in stdin_files:
        if not (work / name).exists():
            make_input(work / name, fields)
    stdin = b"".join((work / name).read_bytes() for name in stdin_files)
    for name in inputs:
        path = work / name
        if (path.exists() or (name.endswith("/") and path.is_dir())) and not fields:  # renamed columns: made anew
            continue
        if args[1] in ("series", "report"):  # records: what `rasd batch` writes
            make_input(work / "for-records/", {})
            done = subprocess.run([RASD, "batch", "for-records", "-o", str(path), "-q"], cwd=work,
                                  capture_output=True, text=True, timeout=600)
            assert done.returncode == 0, done.stderr
        else:
            make_input(path if not name.endswith("/") else Path(str(path) + "/"), fields)
    done = subprocess.run([RASD, *args[1:]], cwd=work, capture_output=True, timeout=600, input=stdin)
    done = subprocess.CompletedProcess(done.args, done.returncode, done.stdout.decode("utf-8"),
                                       done.stderr.decode("utf-8"))
    assert done.returncode == 0, f"{shlex.join(args)}\n{done.stderr[-3000:]}"
    if redirected_out is not None:
        assert done.stdout.strip(), f"{shlex.join(args)} > {redirected_out}: nothing on standard output"
        (work / redirected_out).write_text(done.stdout, encoding="utf-8")
    for out in outputs:
        if out != "-":
            assert (work / out).stat().st_size > 0, out
    if args[1] == "extract" and "-o" not in args:
        assert json.loads(done.stdout)["facts"], done.stdout[:500]


def check_make_line(args: list[str]) -> None:
    targets = set(re.findall(r"^([\w-]+):", (ROOT / "Makefile").read_text("utf-8"), re.M))
    assert set(args[1:]) <= targets, args


def check_pip_line(args: list[str]) -> None:
    declared = set(tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["optional-dependencies"])
    named = {x.strip() for a in args for group in re.findall(r"\[([^\]]+)\]", a) for x in group.split(",")}
    assert named <= declared, (named - declared, args)


@pytest.mark.parametrize("code", blocks("sh"))
def test_sh_block(code: str, tmp_path: Path) -> None:
    checks: dict[str, Callable[[list[str]], None]] = {"make": check_make_line, "pip": check_pip_line}
    for cmds in pipelines(code):
        for k, args in enumerate(cmds):
            if args[0] == "rasd":
                before = cmds[k - 1] if k else []
                run_rasd_line(args, tmp_path, before[1:] if before[:1] == ["cat"] else ())
            elif args[0] in checks:
                checks[args[0]](args)
            elif args[0] == "dask":
                assert args[1] in ("scheduler", "worker"), args  # servers: not started here
            elif args[0] == "cat":  # `cat FILE | rasd …`: run_rasd_line makes the file and pipes it in
                assert k + 1 < len(cmds), args
            elif args[0] in ("jq", "head") and k > 0:
                pass  # a reader of rasd's standard output
            else:
                raise AssertionError(f"a command this test does not know: {shlex.join(args)}")


def test_sh_blocks_run_rasd_lines():
    lines = [a for kind, code, _ in BLOCKS if kind == "sh" for a in command_lines(code) if a[0] == "rasd"]
    assert len(lines) >= 8 and {a[1] for a in lines} >= {"extract", "numbers", "dates", "batch", "series", "report"}


# --- python blocks ------------------------------------------------------------------------------------------------


class _FakeSpark:
    """`sc.textFile(glob).mapPartitions(f).saveAsTextFile(folder)` over local files, one partition per file."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _local(self, uri: str) -> Path:
        return self.root / re.sub(r"^hdfs:///", "", uri)

    def textFile(self, uri: str) -> Any:
        files = sorted(self._local(uri).parent.glob(self._local(uri).name))
        spark = self

        class Rdd:
            def mapPartitions(self, f: Callable[[Iterator[str]], Iterable[str]]) -> Any:
                parts = [list(f(iter(p.read_text("utf-8").splitlines()))) for p in files]

                class Out:
                    def saveAsTextFile(self, target: str) -> None:
                        folder = spark._local(target)
                        folder.mkdir(parents=True)
                        for i, lines in enumerate(parts):
                            (folder / f"part-{i:05d}").write_text("".join(x + "\n" for x in lines), "utf-8")
                return Out()
        return Rdd()


def _with_literal_checks(code: str) -> str:
    """`expr  # literal` lines become asserts that the expression gives the literal."""
    out = []
    for line in code.splitlines():
        m = re.match(r"^(\S.*?)\s+#\s*(.+)$", line)
        if m:
            expr, comment = m.groups()
            literal = re.sub(r"\s*\(.*\)$", "", comment)  # "'abc' (a note)" → "'abc'"
            try:
                value = ast.literal_eval(literal)
                ast.parse(expr, mode="eval")
            except (ValueError, SyntaxError):
                out.append(line)
                continue
            out.append(f"assert ({expr}) == {value!r}, ({expr!r}, {expr})")
            continue
        out.append(line)
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("code", blocks("python"))
def test_python_block(code: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                      capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "article.txt").write_text(REPORTS[0]["text"], encoding="utf-8")
    (tmp_path / "archive").mkdir()
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in REPORTS[:4])
    (tmp_path / "archive" / "dump-1.jsonl").write_text(lines, encoding="utf-8")
    (tmp_path / "dump-1.jsonl").write_text(lines, encoding="utf-8")
    source = _with_literal_checks(code).replace("/data/", f"{tmp_path}/")
    namespace: dict[str, Any] = {"__name__": "__readme__"}
    if "sc." in source:
        namespace["sc"] = _FakeSpark(tmp_path)
    scheduler: Any = contextlib.nullcontext()
    if "dask" in source:
        dask = pytest.importorskip("dask")
        scheduler = dask.config.set(scheduler="synchronous")
    with scheduler:
        exec(compile(source, "README.md", "exec"), namespace)
    printed = capsys.readouterr().out
    if "extract(" in source:
        assert re.search(r"^content_removed \d+ ", printed, re.M), printed  # the facts of the sample article
    if "sc." in source:
        out = [json.loads(x) for x in (tmp_path / "records" / "part-00000").read_text("utf-8").splitlines()]
        assert [r["id"] for r in out] == [r["id"] for r in REPORTS[:4]] and out[0]["facts"]
    if "to_textfiles" in source:
        written = sorted(tmp_path.glob("records-*.jsonl"))
        assert written and sum(len(p.read_text("utf-8").splitlines()) for p in written) == 4


# --- toml blocks --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", blocks("toml"))
def test_toml_block_uses_the_keys_of_the_real_file(code: str) -> None:
    m = re.match(r"# (patterns/\S+\.toml)", code)
    assert m, code[:80]
    real = tomllib.loads((ROOT / m.group(1)).read_text("utf-8"))
    for table in re.findall(r"^\[\[(\w+)\]\]", code, re.M):
        assert real.get(table), table
        keys = set(re.findall(r"^(\w+) =", code.split(f"[[{table}]]", 1)[1].split("[[")[0], re.M))
        assert keys <= set().union(*(set(e) for e in real[table])), (table, keys)
    ids = re.findall(r'^id = "(\w+)"', code, re.M)
    assert all(any(e.get("id") == i for e in real["entry"]) for i in ids)


def test_the_import_line_gives_functions():
    m = re.search(r"^from extractor import (.+)$", README, re.M)
    assert m
    names = [n.strip() for n in m.group(1).split(",")]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run([sys.executable, "-c", f"{m.group(0)}\nprint(all(callable(x) and type(x).__name__ == "
                                                 f"'function' for x in ({', '.join(names)},)))"],
                          capture_output=True, text=True, timeout=120, env=env, cwd=ROOT)
    assert done.stdout.strip() == "True", done.stderr
