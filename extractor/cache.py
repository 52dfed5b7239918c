"""A small, safe on-disk cache of derived data, so that a process does not rebuild it at every start.

`cached(name, sources, build)` returns `build()`, kept on disk between processes. What may be kept: plain Python data
(dicts, lists, tuples, sets, strings, numbers), plus the classes a caller names; never compiled regexes (pickle
stores their pattern and compiles them again when loading: nothing gained).

- Where: `$RASD_CACHE_DIR`, else `$XDG_CACHE_HOME/rasd`, else `~/.cache/rasd`; inside it `<rasd version>/`, and one
  file per name: `<name>-<key>.pickle`, the key a hash of everything the data is derived from (`sources`: the bytes
  of the pattern files, the source of the code that builds it) and of the Python version. A new version of a
  pattern file or of the code is a new key; the file of the old key is removed when the new one is written.
- Safe: files are read with an unpickler that builds plain data and the named classes only (a file someone else
  put there cannot run code), and only when they belong to the user and nobody else may write them; every write is
  atomic (a temporary file renamed into place), so a reader never sees half a file. Any error, reading or writing
  (no home folder, a read-only disk, a corrupt or foreign file), falls back to `build()`.
- `RASD_NO_CACHE=1` turns the cache off (every start builds); `RASD_CACHE_DIR` moves it.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

Source = bytes | str | os.PathLike[str]


def cache_root() -> Path | None:
    """The folder of this version's cache files, or None when the cache is off (RASD_NO_CACHE=1)."""
    if os.environ.get("RASD_NO_CACHE", "").strip() not in ("", "0"):
        return None
    from . import __version__

    base = os.environ.get("RASD_CACHE_DIR")
    if base:
        root = Path(base)
    else:
        xdg = os.environ.get("XDG_CACHE_HOME")
        root = (Path(xdg) if xdg else Path.home() / ".cache") / "rasd"
    return root / __version__


def cache_key(name: str, sources: Iterable[Source]) -> str:
    """The hash of `name`, the Python version and every source (bytes, text, or a file's bytes)."""
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{name}\0{sys.version}\0{sys.implementation.cache_tag}\0".encode())
    for src in sources:
        data = src if isinstance(src, bytes) else src.encode() if isinstance(src, str) else Path(src).read_bytes()
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


class _PlainUnpickler(pickle.Unpickler):
    """Builds plain data (the pickle opcodes need no class for them) and the allowed classes; refuses any other."""

    def __init__(self, data: bytes, allowed: frozenset[tuple[str, str]]) -> None:
        super().__init__(io.BytesIO(data))
        self._allowed = allowed

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in self._allowed:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in rasd's cache")


def _plain_loads(data: bytes, allowed: frozenset[tuple[str, str]]) -> Any:
    return _PlainUnpickler(data, allowed).load()


def _trusted(path: Path) -> bool:
    """The file is ours and only we may write it (POSIX); elsewhere the user's own folder is trusted."""
    if not hasattr(os, "geteuid"):
        return True
    st = path.stat()
    return st.st_uid == os.geteuid() and not st.st_mode & 0o022


def cached(name: str, sources: Iterable[Source], build: Callable[[], T], *,
           allowed: Iterable[tuple[str, str]] = ()) -> T:
    """`build()`, read from the cache when an earlier process kept it under the same name and sources, else built
    and kept (plain data and the `allowed` (module, class) pairs only; anything else is simply not kept)."""
    if not name.replace("_", "").isalnum():
        raise ValueError(f"a cache name is letters, digits and _, not {name!r}")
    allow = frozenset(allowed)
    try:
        root = cache_root()
        path = root / f"{name}-{cache_key(name, sources)}.pickle" if root is not None else None
    except (OSError, RuntimeError):  # an unreadable source, no home folder
        root = path = None
    if path is not None:
        try:
            if _trusted(path):
                return _plain_loads(path.read_bytes(), allow)  # type: ignore[no-any-return]
        except FileNotFoundError:
            pass
        except Exception:  # corrupt, foreign, from another pickle protocol: build it again
            pass
    value = build()
    if path is not None:
        _write(path, value, allow)
    return value


def _write(path: Path, value: Any, allowed: frozenset[tuple[str, str]]) -> None:
    """Keep `value` at `path` atomically, if it is plain data; remove the files of older keys of the same name."""
    import tempfile  # only when writing: its import costs ~9 ms of every start

    tmp = None
    try:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        _plain_loads(data, allowed)  # what could not be read back safely is not kept
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
        tmp = None
        stem = path.name.rsplit("-", 1)[0]
        for old in path.parent.glob(f"{stem}-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except Exception:
        pass  # a read-only or full disk, a value that is not plain data: the next start builds it again
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
