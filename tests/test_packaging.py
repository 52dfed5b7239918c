"""The wheel as users get it: it ships the pattern files (rules are data, so a wheel without them is an empty engine),
and every optional extra works installed ALONE into a fresh virtual environment with the pip that `python -m venv`
ships (no pip upgrade: that older pip is what a new user has, and it resolves extras differently).

One wheel is built per module; the venvs are made three at a time with pip's cache, so the whole module takes
2-3 minutes on a loaded 2-core machine. It needs the package index (PyPI), nothing else.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXTRAS = ("html", "warc", "parquet", "dask", "report")  # every extra a user may install (not `test`, not `all`)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """rasd's wheel, built once from a clean copy of the sources (no stale build/ or egg-info of the checkout)."""
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    for folder in ("extractor", "patterns"):
        shutil.copytree(ROOT / folder, src / folder, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    dist = tmp / "dist"
    done = subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(src)],
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    wheels = list(dist.glob("rasd-*.whl"))
    assert len(wheels) == 1
    return wheels[0]


@pytest.mark.slow
def test_wheel_contains_every_pattern_file(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as whl:
        names = set(whl.namelist())
        sources = sorted((ROOT / "patterns").glob("*.toml"))
        assert sources
        for path in sources:
            packed = f"extractor/pattern_files/{path.name}"
            assert packed in names
            assert tomllib.loads(whl.read(packed).decode("utf-8")) == tomllib.loads(path.read_text("utf-8"))
    assert {"extractor/numbers/engine.py", "extractor/numbers/lexicon.py", "extractor/py.typed"} <= names


# --- every extra installed alone -----------------------------------------------------------------------------------


def _article() -> dict[str, str]:
    """The first sample article (text written for the project), a quarterly removal report with many facts."""
    with (ROOT / "samples" / "articles.jsonl").open(encoding="utf-8") as f:
        return json.loads(f.readline())


def _html(article: dict[str, str]) -> str:
    title, *paragraphs = article["text"].split("\n")
    body = "".join(f"<p>{p}</p>" for p in paragraphs if p.strip())
    return (f'<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>{title}</title>'
            f'<meta property="article:published_time" content="{article["published"]}"></head><body>'
            f"<nav><a href='/'>الرئيسية</a></nav><article><h1>{title}</h1>{body}</article>"
            "<footer>جميع الحقوق محفوظة</footer></body></html>")


def _warc_response(uri: str, ctype: str, payload: bytes, n: int) -> bytes:
    http = f"HTTP/1.1 200 OK\r\nContent-Type: {ctype}\r\nContent-Length: {len(payload)}\r\n\r\n".encode() + payload
    head = (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2024-10-20T08:00:00Z\r\n"
            f"WARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-{n:012d}>\r\n"
            f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(http)}\r\n\r\n").encode()
    return head + http + b"\r\n\r\n"


def _env(venv: Path) -> dict[str, str]:
    """The environment of a user who activated `venv` (pip's own configuration and cache kept)."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env["VIRTUAL_ENV"] = str(venv)
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def _make_venv(base: Path, wheel: Path, extra: str) -> tuple[Path, str]:
    venv = base / f"venv-{extra}"
    log = []
    for cmd in ([sys.executable, "-m", "venv", str(venv)],
                # --no-compile: no .pyc for every file of pandas & co. up front (a third of the time); resolution
                # and the installed files are the same
                [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--no-compile",
                 f"{wheel}[{extra}]"]):
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=1200, env=_env(venv), cwd=base)
        log.append(f"$ {' '.join(cmd)}\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
        if done.returncode != 0:
            return venv, "\n".join(log)
    return venv, ""


@pytest.fixture(scope="module")
def venvs(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, tuple[Path, str]]]:
    """One fresh venv per extra, made three at a time; removed afterwards (~1 GB)."""
    base = tmp_path_factory.mktemp("venvs")
    names = EXTRAS
    with ThreadPoolExecutor(max_workers=3) as pool:
        made = dict(zip(names, pool.map(lambda x: _make_venv(base, wheel, x), names), strict=True))
    yield made
    for venv, _ in made.values():
        shutil.rmtree(venv, ignore_errors=True)


def _rasd(venv: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(venv / "bin" / "rasd"), *args], capture_output=True, text=True, timeout=600,
                          env=_env(venv), cwd=cwd)


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def test_every_extra_is_tested_alone():
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["optional-dependencies"]
    # `test` and `bench` are the developers' own extras (pytest, dateparser for bench/dates.py), not rasd features.
    assert set(declared) - {"test", "bench", "all"} == set(EXTRAS)
    assert declared["all"] == [f"rasd[{','.join(EXTRAS)}]"]


@pytest.mark.slow
@pytest.mark.parametrize("extra", EXTRAS)
def test_extra_installed_alone_converts_its_kind_of_input(extra: str, venvs: dict[str, tuple[Path, str]],
                                                          tmp_path: Path) -> None:
    venv, failure = venvs[extra]
    assert not failure, failure
    article = _article()
    work = tmp_path
    (work / "in").mkdir()
    (work / "in" / "a.txt").write_text(article["text"], encoding="utf-8")
    (work / "a.jsonl").write_text(json.dumps(article, ensure_ascii=False) + "\n", encoding="utf-8")
    out = work / "out" / "records.jsonl"
    errors = Path(f"{out}.errors.jsonl")

    if extra == "html":  # a folder of text files with one HTML page
        (work / "in" / "b.html").write_text(_html(article), encoding="utf-8")
        run = _rasd(venv, work, "batch", "in", "-o", str(out), "--workers", "1")
        assert run.returncode == 0, run.stderr
        records = {r["id"]: r for r in _lines(out)}
        assert records["a.txt"]["facts"], run.stderr
        assert len(records["b.html"]["facts"]) == len(records["a.txt"]["facts"])
        assert records["b.html"]["published"] == article["published"]
    elif extra == "warc":  # a web archive and a folder: plain text converts; HTML, needing [html], is an error line
        (work / "in" / "b.html").write_text(_html(article), encoding="utf-8")
        (work / "crawl.warc").write_bytes(
            _warc_response("https://news.example/a", "text/plain; charset=utf-8", article["text"].encode(), 1)
            + _warc_response("https://news.example/b", "text/html; charset=utf-8", _html(article).encode(), 2))
        run = _rasd(venv, work, "batch", "in", "crawl.warc", "-o", str(out), "--workers", "1")
        assert run.returncode == 1, run.stderr
        records = {r["id"]: r for r in _lines(out)}
        assert list(records) == ["a.txt", "crawl.warc#1"] and all(r["facts"] for r in records.values())
        assert records["crawl.warc#1"]["url"] == "https://news.example/a"
        failed = _lines(errors)
        assert [(e["id"], e["error"]["code"]) for e in failed] == [("b.html", "missing_extra"),
                                                                   ("crawl.warc#2", "missing_extra")]
        # the command that adds the extra to this installation (from a wheel file, in an activated venv)
        assert all(e["error"]["message"].endswith("install it with: pip install 'rasd[html]'") for e in failed)
        assert "pip install 'rasd[html]'" in run.stderr
    elif extra == "parquet":
        pq = work / "out" / "records.parquet"
        run = _rasd(venv, work, "batch", "a.jsonl", "-o", str(pq), "--workers", "1")
        assert run.returncode == 0, run.stderr
        check = subprocess.run([str(venv / "bin" / "python"), "-c",
                                "import sys, pyarrow.parquet as pq; t = pq.read_table(sys.argv[1]).to_pylist(); "
                                "print(len(t), t[0]['id'], len(t[0]['facts']))", str(pq)],
                               capture_output=True, text=True, timeout=120, env=_env(venv))
        n, rid, nfacts = check.stdout.split()
        assert (n, rid) == ("1", article["id"]) and int(nfacts) > 0, check.stderr
    elif extra == "dask":
        run = _rasd(venv, work, "batch", "a.jsonl", "-o", str(out), "--dask", "local", "--workers", "1")
        assert run.returncode == 0, run.stderr
        [record] = _lines(out)
        assert record["id"] == article["id"] and record["facts"]
    elif extra == "report":
        run = _rasd(venv, work, "batch", "a.jsonl", "-o", str(out), "--workers", "1")
        assert run.returncode == 0, run.stderr
        page = work / "out" / "report.html"
        run = _rasd(venv, work, "report", str(out), "-o", str(page))
        assert run.returncode == 0, run.stderr
        html = page.read_text(encoding="utf-8")
        assert html.count("<svg") == 1 and "<path" in html


# --- the project metadata in today's form, and a quiet `make demo` ---------------------------------------------------


def test_license_is_an_spdx_expression_without_a_classifier():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    assert project["license"] == "GPL-3.0-or-later"  # PEP 639; a table ({text = …}) is deprecated by setuptools
    assert not [c for c in project.get("classifiers", []) if c.startswith("License ::")]


@pytest.mark.slow
def test_make_demo_in_a_fresh_clone_prints_only_what_the_demo_says(tmp_path: Path):
    if shutil.which("make") is None or shutil.which("git") is None:
        pytest.skip("make and git are needed")
    clone = tmp_path / "rasd"
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True, check=True)
    for name in filter(None, files.stdout.split("\0")):
        if (ROOT / name).is_file():
            (clone / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, clone / name)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "MAKEFLAGS", "MAKELEVEL")}
    done = subprocess.run(["make", "demo", f"PY={sys.executable}"], cwd=clone, capture_output=True, text=True,
                          timeout=1200, env=env)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    # this machine's pip configuration names local index folders that lack some projects; pip says so, not rasd
    machine = re.compile(r"^WARNING: Location 'file://.*' is ignored: it is neither a file nor a directory\.$")
    said = [line for line in done.stderr.splitlines() if not machine.match(line)]
    assert len(said) == 1 and re.match(r"rasd batch: 13 articles, 13 records, \d+ facts, 0 errors", said[0]), said
    shown = done.stdout.splitlines()
    commands = [line for line in shown if line.startswith((".venv/bin/", f"{sys.executable} -m venv", "PYTHONWARN"))]
    facts = [line for line in shown if line not in commands]
    assert len(commands) == 5 and facts and not [x for x in facts if re.search("warning|deprecat|!!", x, re.I)]
