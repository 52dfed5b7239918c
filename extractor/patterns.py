"""Loading the pattern files: rasd's language knowledge, kept as TOML data in `patterns/`.

Each file has a `[meta]` table (`description`, and `checker`: the `module:function` that runs its examples) and a list
of `[[examples]]`: positive ones (`text` plus what is expected, in the checker's terms) and negative ones
(`negative = true`: the text must yield nothing). One generic test (tests/test_pattern_examples.py) discovers every
file and runs every example through its checker, as Duckling runs its corpora.

Engines read their tables with `load(name)` and build their compiled matchers in functions decorated with
`@compiled`, so that pointing rasd at another pattern folder (`use_pattern_dir`, or the `RASD_PATTERNS` environment
variable) rebuilds them. Adding a spelling, an alias or a hedge is a data edit plus two example lines.
"""

from __future__ import annotations

import importlib
import os
import tomllib
from collections.abc import Callable
from functools import lru_cache, wraps
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from .errors import PatternFileError

T = TypeVar("T")

_override: Path | None = None
_cache: dict[tuple[str, str], dict[str, Any]] = {}
_compiled: dict[tuple[str, str], Any] = {}

Checker = Callable[[str, dict[str, Any], dict[str, Any]], "str | None"]


def pattern_dir() -> Path:
    """The folder pattern files are read from: `use_pattern_dir()`, else `$RASD_PATTERNS`, else the packaged one."""
    if _override is not None:
        return _override
    env = os.environ.get("RASD_PATTERNS")
    if env:
        return Path(env)
    return _packaged_dir()


def _folder_key() -> str:
    """`str(pattern_dir())` without building a Path: the compiled rules' cache key, asked several times per text."""
    if _override is not None:
        return str(_override)
    env = os.environ.get("RASD_PATTERNS")
    if env:
        key = _ENV_KEYS.get(env)
        if key is None:
            key = _ENV_KEYS[env] = str(Path(env))
        return key
    return _packaged_key()


_ENV_KEYS: dict[str, str] = {}


@lru_cache(maxsize=1)
def _packaged_key() -> str:
    return str(_packaged_dir())


@lru_cache(maxsize=1)
def _packaged_dir() -> Path:
    # importlib.resources costs ~10 µs a call; engines ask for their compiled rules once per text.
    return Path(str(resources.files("extractor.pattern_files")))


def use_pattern_dir(path: str | os.PathLike[str] | None) -> None:
    """Read pattern files from `path` from now on (None: back to the default); compiled rules are rebuilt."""
    global _override
    _override = None if path is None else Path(path)
    _cache.clear()
    _bundles.clear()
    _compiled.clear()


def pattern_files() -> list[Path]:
    """Every pattern file in the current pattern folder, sorted by name."""
    return sorted(pattern_dir().glob("*.toml"))


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except FileNotFoundError:
        raise PatternFileError(f"{path}: pattern file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise PatternFileError(f"{path}: {exc}") from None


def problems(path: Path, data: dict[str, Any]) -> list[str]:
    """Everything wrong with one parsed pattern file's structure (meta and examples), as `file: message` lines."""
    out: list[str] = []
    meta = data.get("meta")
    if not isinstance(meta, dict):
        return [f"{path.name}: missing [meta] table"]
    if not isinstance(meta.get("checker"), str) or ":" not in meta["checker"]:
        out.append(f"{path.name}: [meta] checker must be 'module:function'")
    examples = data.get("examples")
    if not isinstance(examples, list) or not examples:
        out.append(f"{path.name}: no [[examples]]")
        return out
    for i, ex in enumerate(examples):
        if not isinstance(ex, dict) or not isinstance(ex.get("text"), str):
            out.append(f"{path.name}: example {i + 1} has no text")
    if not any(isinstance(ex, dict) and not ex.get("negative") for ex in examples):
        out.append(f"{path.name}: no positive example")
    if not any(isinstance(ex, dict) and ex.get("negative") for ex in examples):
        out.append(f"{path.name}: no negative example")
    return out


def _valid_files(folder: Path) -> dict[str, dict[str, Any]]:
    """Every valid pattern file of `folder`, parsed and checked (an invalid one is left out: `load` reads it again and
    says what is wrong)."""
    out = {}
    for path in sorted(folder.glob("*.toml")):
        try:
            data = _read(path)
        except PatternFileError:
            continue
        if not problems(path, data):
            out[path.stem] = data
    return out


_bundles: dict[str, dict[str, dict[str, Any]]] = {}


def _bundle(folder: Path) -> dict[str, dict[str, Any]]:
    """The valid files of a folder, parsed once per installation: kept in rasd's cache (`extractor.cache`) under the
    hash of the files' names and bytes, so a start reads one pickle instead of parsing every TOML file (~18 ms)."""
    key = str(folder)
    bundle = _bundles.get(key)
    if bundle is None:
        from .cache import cached

        files = sorted(folder.glob("*.toml"))
        sources = [Path(__file__), *(s for p in files for s in (p.name, p))]  # this code checks them: a source
        try:
            bundle = cached("patterns", sources, lambda: _valid_files(folder))
        except OSError:  # a file went away while it was read: the per-file path says so
            bundle = {}
        _bundles[key] = bundle
    return bundle


def load(name: str) -> dict[str, Any]:
    """The parsed pattern file `name` (no `.toml`) from the current folder; an invalid file raises PatternFileError."""
    key = (str(pattern_dir()), name)
    data = _cache.get(key)
    if data is None:
        data = _bundle(pattern_dir()).get(name)
        if data is not None:
            _cache[key] = data
            return data
        path = pattern_dir() / f"{name}.toml"
        data = _read(path)
        found = problems(path, data)
        if found:
            raise PatternFileError("\n".join(found))
        _cache[key] = data
    return data


def compiled(builder: Callable[[], T]) -> Callable[[], T]:
    """Cache a zero-argument rule builder per pattern folder (compile once per process, rebuild on a folder change)."""
    name = f"{builder.__module__}.{builder.__qualname__}"

    @wraps(builder)
    def wrapper() -> T:
        key = (_folder_key(), name)
        try:
            return _compiled[key]  # type: ignore[no-any-return]
        except KeyError:
            value = builder()
            _compiled[key] = value
            return value

    return wrapper


def checker_of(data: dict[str, Any]) -> Checker:
    """The example checker named in a pattern file's `[meta] checker`."""
    module, _, func = data["meta"]["checker"].partition(":")
    return getattr(importlib.import_module(module), func)  # type: ignore[no-any-return]


def validate_all() -> list[str]:
    """Check every pattern file (structure and examples); all problems at once, each with its file."""
    out: list[str] = []
    for path in pattern_files():
        try:
            data = _read(path)
        except PatternFileError as exc:
            out.append(str(exc))
            continue
        found = problems(path, data)
        if found:
            out.extend(found)
            continue
        try:
            check = checker_of(data)
        except (ImportError, AttributeError) as exc:
            out.append(f"{path.name}: checker {data['meta']['checker']!r} cannot be loaded: {exc}")
            continue
        for i, ex in enumerate(data["examples"]):
            err = check(path.stem, data, ex)
            if err:
                out.append(f"{path.name}: example {i + 1} {ex['text']!r}: {err}")
    return out
