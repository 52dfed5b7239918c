"""Write samples/expected.jsonl from the current extractor; review `git diff samples/expected.jsonl` before a commit."""

from __future__ import annotations

import json
import os
from pathlib import Path

from extractor import extract

os.environ.setdefault("RASD_TODAY", "2026-12-08")  # the extraction date the tests fix (tests/conftest.py)

HERE = Path(__file__).resolve().parent

with (HERE / "articles.jsonl").open(encoding="utf-8") as src, \
        (HERE / "expected.jsonl").open("w", encoding="utf-8") as out:
    for line in src:
        if line.strip():
            a = json.loads(line)
            record = extract(a["text"], published=a.get("published"), url=a.get("url"), id=a["id"])
            out.write(json.dumps(record.to_dict(), ensure_ascii=False) + "\n")
