"""Test-session settings: a fixed extraction date, so that what rasd infers against "today" (the plausible years of
a weekday, a URL date after the extraction date) gives the same records on every day the suite runs."""

from __future__ import annotations

import os

os.environ.setdefault("RASD_TODAY", "2026-12-08")
