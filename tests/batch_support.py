"""Helpers shared by the batch, reader and writer tests: a stand-in extractor and small input builders.

`fake_extract` has the signature of `extractor.facts.extract` and builds real `ArticleRecord`s (one `content_removed`
fact per "<digits> مليون" phrase, with true offsets), so the batch machinery can be tested on its own. Marker words
make it misbehave on purpose: RASD_TEST_SPIN loops in Python (SIGALRM stops it), RASD_TEST_STUCK loops with SIGALRM
blocked (only the parent's watchdog can stop it), RASD_TEST_CRASH kills its process, RASD_TEST_RAISE raises.
"""

from __future__ import annotations

import os
import re
import signal

from extractor.model import ArticleRecord, Evidence, Fact, Period

FAKE = "batch_support:fake_extract"
_MILLIONS = re.compile(r"(\d+) \u0645\u0644\u064a\u0648\u0646")


def fake_extract(text: str, published: str | None = None, url: str | None = None, id: str | None = None,
                 title: str | None = None) -> ArticleRecord:
    """A stand-in for extractor.facts.extract with the same signature and a real record structure."""
    if "RASD_TEST_SPIN" in text:
        while True:
            pass
    if "RASD_TEST_STUCK" in text:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        while True:
            pass
    if "RASD_TEST_CRASH" in text:
        os._exit(3)
    if "RASD_TEST_RAISE" in text:
        raise ValueError("the stand-in extractor failed on purpose")
    facts = [
        Fact(metric="content_removed", value=int(m.group(1)) * 1_000_000, unit="count", qualifier="exact",
             organization=None, platform=None, scope="period", period=Period(None, None),
             evidence=Evidence(m.start(), m.end(), m.group(0), text))
        for m in _MILLIONS.finditer(text)
    ]
    return ArticleRecord(id=id or "", url=url, title=title, published=published, language="ar",
                         is_removal_report=bool(facts), facts=facts, extractor_version="test")
