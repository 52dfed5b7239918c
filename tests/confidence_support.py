"""A copy of the pattern folder with chosen confidence weights, so that tests of what confidence does (thresholds,
review order) do not move when bench/confidence.py refits the shipped weights."""

from __future__ import annotations

import math
import re
import shutil
from pathlib import Path

from extractor import patterns

INTERCEPT = 2.0
WEIGHTS = {"published_unknown": -1.5, "published_from_text": -0.5, "period_missing": -0.8}


def expected(*doubts: str, intercept: float = INTERCEPT, weights: dict[str, float] | None = None) -> float:
    """The confidence the fixture weights give these doubts, computed here from the formula (rounded down to 2
    decimals, so that a threshold means what it says)."""
    w = WEIGHTS if weights is None else weights
    return math.floor(100 / (1 + math.exp(-(intercept + sum(w.get(d, 0.0) for d in set(doubts))))) + 1e-9) / 100


def pattern_folder(tmp_path: Path, intercept: float = INTERCEPT, weights: dict[str, float] | None = None) -> Path:
    """patterns/ copied under `tmp_path` with confidence.toml's intercept and the given weights (others 0)."""
    w = WEIGHTS if weights is None else weights
    target = tmp_path / "patterns"
    shutil.copytree(patterns._packaged_dir(), target)
    path = target / "confidence.toml"
    out, section = [], ""
    for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
        head = re.match(r"^\[\[?([\w.]+)\]\]?\s*$", line)
        if head:
            section = head.group(1)
        elif section == "model" and line.startswith("intercept ="):
            line = f"intercept = {intercept}\n"
        elif section.startswith("doubts.") and line.startswith("weight ="):
            line = f"weight = {w.get(section.removeprefix('doubts.'), 0.0)}\n"
        out.append(line)
    path.write_text("".join(out), encoding="utf-8")
    return target
