"""The public names of `extractor` are what the README imports: functions, even where a submodule has the same name."""

from __future__ import annotations

import subprocess
import sys
import types

import extractor


def _run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_normalise_is_the_function_after_the_readme_import_line():
    # in a fresh interpreter: `extract` loads the submodule extractor.normalise first, which used to shadow the function
    out = _run("from extractor import extract, extract_many, find_numbers, parse_number, find_dates, normalise\n"
               "n = normalise('أزيلَ ١٢ مليوناً')\n"
               "print(type(normalise).__name__, n.text, n.original[slice(*n.span(0, len(n.text)))])")
    assert out.split() == ["function", "ازيل", "12", "مليونا", "أزيلَ", "١٢", "مليوناً"]


def test_the_submodule_stays_importable_beside_the_function():
    out = _run("import extractor.normalise\n"
               "from extractor.normalise import normalise as f, Normalised\n"
               "from extractor import normalise\n"
               "import extractor, sys\n"
               "print(normalise is f, extractor.normalise is f, type(sys.modules['extractor.normalise']).__name__,"
               " Normalised.__name__)")
    assert out.split() == ["True", "True", "module", "Normalised"]


def test_every_public_name_is_what_it_says():
    for name in extractor.__all__:
        value = getattr(extractor, name)
        assert not isinstance(value, types.ModuleType), name
    assert callable(extractor.normalise) and extractor.normalise.__module__ == "extractor.normalise"
