"""Typed errors, each with a stable `code` that batch error files and exit statuses rely on."""

from __future__ import annotations


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
    """An optional dependency is needed for this input or output; the message names the pip command."""

    code = "missing_extra"

    def __init__(self, extra: str, module: str) -> None:
        super().__init__(
            f"this needs the optional dependency {module!r}: pip install 'rasd[{extra}]'", "missing_extra"
        )
        self.extra = extra
        self.module = module
