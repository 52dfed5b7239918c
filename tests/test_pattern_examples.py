"""Every pattern file carries positive and negative examples, and every example holds (Duckling's corpus test)."""

from __future__ import annotations

import pytest

from extractor import patterns

FILES = patterns.pattern_files()


def test_pattern_folder_is_not_empty() -> None:
    assert FILES, f"no pattern files in {patterns.pattern_dir()}"


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_pattern_file_examples_hold(path) -> None:
    data = patterns.load(path.stem)
    check = patterns.checker_of(data)
    failures = []
    for i, example in enumerate(data["examples"]):
        error = check(path.stem, data, example)
        if error:
            failures.append(f"example {i + 1} {example['text']!r}: {error}")
    assert not failures, f"{path.name}:\n" + "\n".join(failures)


def test_validate_all_reports_nothing() -> None:
    assert patterns.validate_all() == []


def test_a_file_without_negative_examples_is_rejected(tmp_path) -> None:
    bad = tmp_path / "broken.toml"
    bad.write_text('[meta]\ndescription = "x"\nchecker = "m:f"\n[[examples]]\ntext = "a"\n', encoding="utf-8")
    patterns.use_pattern_dir(tmp_path)
    try:
        assert patterns.validate_all() == ["broken.toml: no negative example"]
    finally:
        patterns.use_pattern_dir(None)
