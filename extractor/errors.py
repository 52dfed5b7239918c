"""Typed errors, each with a stable `code` that batch error files and exit statuses rely on."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import sys
from pathlib import Path
from urllib.parse import unquote, urlparse


class RasdError(Exception):
    """Base of every error rasd raises on purpose; `code` is stable and machine-readable."""

    code = "error"

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code

    @property
    def message(self) -> str:
        """The human-readable message."""
        return str(self.args[0]) if self.args else ""


class PatternFileError(RasdError):
    """A pattern file is missing, unreadable or invalid; the message lists every problem with file and line."""

    code = "pattern_file"


class InputError(RasdError):
    """An input article or file cannot be read (bad encoding, bad JSON, missing text, …)."""

    code = "bad_input"


class MissingExtraError(RasdError):
    """An optional dependency is missing or broken; the message gives the real import error and the install command
    that fits how rasd itself was installed (see `install_command`)."""

    code = "missing_extra"

    def __init__(self, extra: str, module: str, cause: BaseException | None = None) -> None:
        # Raised inside `except ImportError:` the error being handled is the cause, so every call site reports it.
        cause = cause if cause is not None else sys.exc_info()[1]
        if cause is None:
            problem = f"{module!r} cannot be imported"
        elif isinstance(cause, ModuleNotFoundError) and cause.name == module:
            problem = f"{module!r} is not installed"
        else:
            said = " ".join(str(cause).split())  # one line, also in the errors file
            problem = f"{module!r} is installed but cannot be imported ({type(cause).__name__}: {said})"
        super().__init__(f"this needs the optional extra {extra!r}: {problem}; install it with: "
                         f"{install_command(extra)}", "missing_extra")
        self.extra = extra
        self.module = module
        self.cause = cause


def install_command(extra: str) -> str:
    """The shell command that adds `extra` to this rasd installation: `pip install 'rasd[html]'` for an ordinary
    install, `pip install -e '/path/to/rasd[html]'` for an editable one, `uv pip install …` when uv installed it, the
    checkout's path when rasd runs from a source folder, and the interpreter's own pip when `pip` is another one."""
    from importlib import metadata

    root = Path(__file__).resolve().parent.parent
    spec, editable, installer = f"rasd[{extra}]", False, "pip"
    try:
        dist = metadata.distribution("rasd")
    except metadata.PackageNotFoundError:
        dist = None
    if dist is not None and Path(str(dist.locate_file(""))).resolve() == root:
        dist = None  # the metadata of a build left in the checkout: rasd runs from the source folder
    if dist is None:  # imported from a source checkout (PYTHONPATH or the current folder), not installed
        if (root / "pyproject.toml").is_file():
            spec, editable = f"{_shown_path(root)}[{extra}]", True
    else:
        installer = (dist.read_text("INSTALLER") or "pip").strip() or "pip"
        try:
            direct = json.loads(dist.read_text("direct_url.json") or "{}")
        except ValueError:
            direct = {}
        url = direct.get("url", "")
        if url.startswith("file://") and "dir_info" in direct:  # pip install [-e] /path/to/checkout
            folder = Path(unquote(urlparse(url).path))
            if folder.is_dir():
                spec = f"{_shown_path(folder)}[{extra}]"
                editable = bool(direct["dir_info"].get("editable"))
    target = ("-e " if editable else "") + shlex.quote(spec)
    if installer == "uv":
        return f"uv pip install --python {shlex.quote(sys.executable)} {target}"
    if "/pipx/venvs/" in sys.prefix.replace(os.sep, "/"):
        return f"pipx install --force {target}"
    return f"{_pip()} install {target}"


def _shown_path(folder: Path) -> str:
    """`.` for the current folder, else the absolute path."""
    try:
        return "." if folder == Path.cwd().resolve() else str(folder)
    except OSError:
        return str(folder)


def _pip() -> str:
    """`pip` when the `pip` on PATH belongs to this interpreter, else `/path/to/python -m pip`."""
    found = shutil.which("pip")
    here = Path(sys.executable).parent
    if found and Path(found).parent in (here, here.resolve()):
        return "pip"
    return f"{shlex.quote(sys.executable)} -m pip"
