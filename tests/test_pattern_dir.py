"""Adding an alias, a spelling or a cue is a data edit: a copied pattern folder with one more term is used at once."""

from __future__ import annotations

import shutil
from pathlib import Path

from extractor import extract, patterns

TEXT = "أزالت منصة «تيليكرام» 500 ألف محتوى متطرف لتنظيم «الدولة المزعومة» خلال الربع الأول من 2025."


def _copy_patterns(tmp_path: Path) -> Path:
    target = tmp_path / "patterns"
    shutil.copytree(patterns.pattern_dir(), target)
    return target


def test_new_alias_and_spelling_in_a_pattern_folder_are_used(tmp_path: Path) -> None:
    before = extract(TEXT)
    assert [(f.organization, f.platform) for f in before.facts] == [(None, None)]
    folder = _copy_patterns(tmp_path)
    orgs = folder / "organisations.toml"
    orgs.write_text(orgs.read_text(encoding="utf-8").replace('terms = ["داعش",', 'terms = ["الدولة المزعومة", "داعش",'),
                    encoding="utf-8")
    plats = folder / "platforms.toml"
    plats.write_text(plats.read_text(encoding="utf-8").replace('terms = ["تلغرام",', 'terms = ["تيليكرام", "تلغرام",'),
                     encoding="utf-8")
    patterns.use_pattern_dir(folder)
    try:
        after = extract(TEXT)
        assert [(f.organization, f.platform) for f in after.facts] == [("isis", "telegram")]
        assert after.platforms == ["telegram"]
    finally:
        patterns.use_pattern_dir(None)
    assert [(f.organization, f.platform) for f in extract(TEXT).facts] == [(None, None)]
