"""rasd's on-disk cache of derived data (extractor.cache): built once, read back by the next process, rebuilt when what
it is derived from changes, never trusted blindly, and never in the way (any error: the data is built)."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from extractor import cache, patterns
from extractor.cache import cached
from extractor.errors import PatternFileError


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("RASD_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("RASD_NO_CACHE", raising=False)
    return tmp_path / "cache"


class _Builder:
    def __init__(self, value: object) -> None:
        self.value = value
        self.calls = 0

    def __call__(self) -> object:
        self.calls += 1
        return self.value


def test_a_value_is_built_once_and_read_back(cache_dir: Path) -> None:
    build = _Builder({"مليون": (1_000_000, "scale"), "words": frozenset({"ألف", "million"})})
    first = cached("lexicon", [b"numbers_ar.toml bytes"], build)
    second = cached("lexicon", [b"numbers_ar.toml bytes"], build)
    assert first == second == build.value and build.calls == 1
    files = list((cache_dir / "0.1.0").glob("lexicon-*.pickle"))
    assert len(files) == 1 and oct(files[0].stat().st_mode & 0o777) == "0o600"


def test_a_changed_source_is_a_new_key_and_the_old_file_goes(cache_dir: Path, tmp_path: Path) -> None:
    src = tmp_path / "hedges.toml"
    src.write_text("before = ['نحو']\n", encoding="utf-8")
    build = _Builder(["نحو"])
    cached("hedges", [src], build)
    src.write_text("before = ['نحو', 'قرابة']\n", encoding="utf-8")
    build.value = ["نحو", "قرابة"]
    assert cached("hedges", [src], build) == ["نحو", "قرابة"] and build.calls == 2
    assert len(list((cache_dir / "0.1.0").glob("hedges-*.pickle"))) == 1


def test_rasd_no_cache_builds_every_time_and_writes_nothing(cache_dir: Path, monkeypatch) -> None:
    monkeypatch.setenv("RASD_NO_CACHE", "1")
    build = _Builder([1, 2, 3])
    cached("table", [b"x"], build)
    cached("table", [b"x"], build)
    assert build.calls == 2 and not cache_dir.exists()


def test_a_corrupt_file_is_rebuilt(cache_dir: Path) -> None:
    build = _Builder({"a": 1})
    cached("table", [b"x"], build)
    (path,) = (cache_dir / "0.1.0").glob("table-*.pickle")
    path.write_bytes(b"\x80\x05not a pickle")
    assert cached("table", [b"x"], build) == {"a": 1} and build.calls == 2
    assert cached("table", [b"x"], build) == {"a": 1} and build.calls == 2  # written again, whole


def test_a_file_that_would_run_code_is_refused(cache_dir: Path, tmp_path: Path) -> None:
    build = _Builder("plain")
    cached("table", [b"x"], build)
    (path,) = (cache_dir / "0.1.0").glob("table-*.pickle")
    marker = tmp_path / "ran"
    path.write_bytes(pickle.dumps(_Evil(str(marker))))
    assert cached("table", [b"x"], build) == "plain" and build.calls == 2
    assert not marker.exists()


class _Evil:
    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self):
        return (os.mkdir, (self.path,))


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX file modes")
def test_a_file_others_may_write_is_not_read(cache_dir: Path) -> None:
    build = _Builder(["x"])
    cached("table", [b"x"], build)
    (path,) = (cache_dir / "0.1.0").glob("table-*.pickle")
    path.chmod(0o666)
    cached("table", [b"x"], build)
    assert build.calls == 2


def test_what_is_not_plain_data_is_not_kept(cache_dir: Path) -> None:
    build = _Builder(Path("/tmp"))  # a class the caller did not allow
    assert cached("table", [b"x"], build) == Path("/tmp")
    assert cached("table", [b"x"], build) == Path("/tmp") and build.calls == 2
    assert not list((cache_dir / "0.1.0").glob("table-*.pickle"))
    allowed = _Builder(Path("/tmp"))
    cached("paths", [b"x"], allowed, allowed=[(Path("/tmp").__class__.__module__, Path("/tmp").__class__.__name__)])
    cached("paths", [b"x"], allowed, allowed=[(Path("/tmp").__class__.__module__, Path("/tmp").__class__.__name__)])
    assert allowed.calls == 1


def test_an_unwritable_cache_folder_only_costs_the_build(tmp_path: Path, monkeypatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("RASD_CACHE_DIR", str(blocker / "cache"))
    monkeypatch.delenv("RASD_NO_CACHE", raising=False)
    build = _Builder({"a": 1})
    assert cached("table", [b"x"], build) == {"a": 1}
    assert cached("table", [b"x"], build) == {"a": 1} and build.calls == 2
    assert list(tmp_path.iterdir()) == [blocker]


def test_the_default_folder_is_xdg_or_home(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.delenv("RASD_CACHE_DIR", raising=False)
    monkeypatch.delenv("RASD_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_root() == tmp_path / "xdg" / "rasd" / "0.1.0"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.cache_root() == tmp_path / "home" / ".cache" / "rasd" / "0.1.0"


def test_pattern_files_come_back_from_the_cache_as_parsed(cache_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "patterns"
    folder.mkdir()
    for p in patterns.pattern_files():
        (folder / p.name).write_bytes(p.read_bytes())
    try:
        patterns.use_pattern_dir(folder)
        parsed = {p.stem: patterns.load(p.stem) for p in patterns.pattern_files()}
        assert list((cache_dir / "0.1.0").glob("patterns-*.pickle"))
        patterns.use_pattern_dir(folder)  # a new process's view: nothing in memory, the file on disk
        assert {name: patterns.load(name) for name in parsed} == parsed
        # An edited file is a new key: its new content is read, not the cached one.
        hedges = folder / "hedges.toml"
        old = parsed["hedges"]["meta"]["description"]
        hedges.write_text(hedges.read_text(encoding="utf-8").replace(old, "edited", 1), encoding="utf-8")
        patterns.use_pattern_dir(folder)
        assert patterns.load("hedges")["meta"]["description"] == "edited"
        assert len(list((cache_dir / "0.1.0").glob("patterns-*.pickle"))) == 1
        # An invalid file is still reported, with its own message.
        (folder / "hedges.toml").write_text("[meta]\ndescription = 'no checker, no examples'\n", encoding="utf-8")
        patterns.use_pattern_dir(folder)
        with pytest.raises(PatternFileError, match=r"hedges\.toml"):
            patterns.load("hedges")
    finally:
        patterns.use_pattern_dir(None)


def test_extract_gives_the_same_record_with_a_cold_a_warm_and_no_cache(tmp_path: Path) -> None:
    text = tmp_path / "a.txt"
    text.write_text("أعلن مركز اعتدال ومنصة تلغرام إزالة أكثر من 5 ملايين محتوى متطرف منذ فبراير 2022، "
                    "وأغلقت 323 قناة.", encoding="utf-8")
    outs = []
    for extra in ({}, {}, {"RASD_NO_CACHE": "1"}):
        env = {**os.environ, "RASD_CACHE_DIR": str(tmp_path / "cache"), "RASD_TODAY": "2026-12-08", **extra}
        proc = subprocess.run([sys.executable, "-m", "extractor.cli", "extract", str(text), "--compact"],
                              capture_output=True, env=env, timeout=120)
        assert proc.returncode == 0, proc.stderr
        outs.append(proc.stdout)
    assert outs[0] == outs[1] == outs[2] and b"5000000" in outs[0]
    assert sorted(p.name.split("-")[0] for p in (tmp_path / "cache" / "0.1.0").iterdir()) == ["fold_table", "patterns"]
