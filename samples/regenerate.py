"""Write samples/expected.jsonl from the current extractor; review `git diff samples/expected.jsonl` before a commit."""

from __future__ import annotations

import json
from pathlib import Path

from extractor import extract

HERE = Path(__file__).resolve().parent

with (HERE / "articles.jsonl").open(encoding="utf-8") as src, \
        (HERE / "expected.jsonl").open("w", encoding="utf-8") as out:
    for line in src:
        if line.strip():
            a = json.loads(line)
            record = extract(a["text"], published=a.get("published"), url=a.get("url"), id=a["id"])
            out.write(json.dumps(record.to_dict(), ensure_ascii=False) + "\n")
