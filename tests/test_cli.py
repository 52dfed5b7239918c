"""The command line for one article and for mentions: `rasd extract`, `rasd numbers`, `rasd dates` (CONTRACT.md §4)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from extractor.cli import main

ARTICLE = (
    "أعلن مركز «اعتدال» أن الفرق المشتركة مع «تلغرام» أزالت خلال الربع الثالث من العام الحالي "
    "35 مليوناً و634 ألفاً و916 محتوى متطرفاً، وأغلقت 323 قناة."
)


def test_extract_reads_a_file_and_prints_its_record(tmp_path: Path, capsys) -> None:
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    assert main(["extract", str(path), "--published", "2024-10-20", "--url", "https://example.org/a"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["id"] == str(path) and record["url"] == "https://example.org/a"
    assert [(f["metric"], f["value"], f["period"]) for f in record["facts"]] == [
        ("content_removed", 35634916, {"start": "2024-07", "end": "2024-09"}),
        ("channels_closed", 323, {"start": "2024-07", "end": "2024-09"}),
    ]


def test_extract_reads_standard_input(monkeypatch, capsys) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(ARTICLE))
    assert main(["extract", "-", "--published", "2024-10-20", "--compact"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and json.loads(out)["is_removal_report"] is True


def test_extract_of_a_missing_file_is_a_usage_error(tmp_path: Path, capsys) -> None:
    assert main(["extract", str(tmp_path / "missing.txt")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_numbers_prints_json_lines_with_spans(capsys) -> None:
    text = "أزيل أكثر من 4ر28 مليون محتوى في 2024"
    assert main(["numbers", text, "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["value"], r["kind"], r["qualifier"]) for r in rows] == [(28400000, "number", "more_than"),
                                                                      (2024, "year", "exact")]
    assert all(text[r["start"]:r["end"]] == r["text"] for r in rows)


def test_dates_resolves_against_published(capsys) -> None:
    assert main(["dates", "خلال الربع الثالث من العام الحالي", "--published", "2024-10-20", "--json"]) == 0
    (row,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert row["kind"] == "quarter" and row["period"] == {"start": "2024-07", "end": "2024-09"}


@pytest.mark.slow
def test_the_installed_command_runs() -> None:
    out = subprocess.run([sys.executable, "-m", "extractor.cli", "numbers", "مليونان ونصف"], capture_output=True,
                         text=True, check=True).stdout
    assert "2500000" in out
