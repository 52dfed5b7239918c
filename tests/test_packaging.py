"""The wheel ships the pattern files (rules are data, so a wheel without them is an empty engine)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_contains_every_pattern_file(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    for folder in ("extractor", "patterns"):
        shutil.copytree(ROOT / folder, src / folder, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    dist = tmp_path / "dist"
    done = subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(src)],
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    wheels = list(dist.glob("rasd-*.whl"))
    assert len(wheels) == 1
    with zipfile.ZipFile(wheels[0]) as wheel:
        names = set(wheel.namelist())
        sources = sorted((ROOT / "patterns").glob("*.toml"))
        assert sources
        for path in sources:
            packed = f"extractor/pattern_files/{path.name}"
            assert packed in names
            assert tomllib.loads(wheel.read(packed).decode("utf-8")) == tomllib.loads(path.read_text("utf-8"))
    assert {"extractor/numbers/engine.py", "extractor/numbers/lexicon.py", "extractor/py.typed"} <= names
