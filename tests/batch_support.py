"""Helpers shared by the batch, reader and writer tests: a stand-in extractor and small input builders.

`fake_extract` has the signature of `extractor.facts.extract` and builds real `ArticleRecord`s (one `content_removed`
fact per "<digits> مليون" phrase, with true offsets), so the batch machinery can be tested on its own. Marker words
make it misbehave on purpose: RASD_TEST_SPIN loops in Python (SIGALRM stops it), RASD_TEST_STUCK loops with SIGALRM
blocked (only the parent's watchdog can stop it), RASD_TEST_CRASH kills its process, RASD_TEST_RAISE raises,
RASD_TEST_SLOW sleeps 2 ms.
"""

from __future__ import annotations

import os
import re
import signal
import time

from extractor.confidence import confidence
from extractor.model import ArticleRecord, Evidence, Fact, Period

FAKE = "batch_support:fake_extract"
_MILLIONS = re.compile(r"(\d+) \u0645\u0644\u064a\u0648\u0646")


def _sentence(text: str, start: int, end: int) -> str:
    left = max(text.rfind(".", 0, start), text.rfind("\u060c", 0, start)) + 1
    stops = [i for i in (text.find(".", end), text.find("\u060c", end)) if i >= 0]
    return text[left:min(stops) + 1 if stops else len(text)].strip()


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
    if "RASD_TEST_SLOW" in text:
        time.sleep(0.002)
    if "RASD_TEST_RAISE" in text:
        raise ValueError("the stand-in extractor failed on purpose")
    facts = [
        Fact(metric="content_removed", value=int(m.group(1)) * 1_000_000, unit="count", qualifier="exact",
             organization=None, platform=None, scope="period", period=Period(None, None),
             confidence=confidence(["period_missing"]), doubts=("period_missing",),
             evidence=Evidence(m.start(), m.end(), m.group(0), _sentence(text, m.start(), m.end())))
        for m in _MILLIONS.finditer(text)
    ]
    return ArticleRecord(id=id or "", url=url, title=title, published=published, language="ar",
                         is_removal_report=bool(facts), facts=facts, extractor_version="test")


# --- input builders -------------------------------------------------------------------------------------------------

REPORT = ("أعلنت المنصة في بيانها الفصلي أنها أزالت 12 مليون مادة متطرفة خلال الربع الأخير، "
          "وقالت إن فرق المراجعة عملت على مدار الساعة.")
REPORT_2 = ("وذكر التقرير أن الشراكة حذفت 7 مليون منشور دعائي منذ انطلاقها، "
            "مشيراً إلى أن النشاط تراجع في الأشهر الأخيرة.")
DISTRACTOR = "افتتح المهرجان الثقافي أبوابه أمس بمشاركة واسعة من الفنانين والزوار من مختلف المدن."


def html_page(title: str, paragraphs: list[str], date: str | None = None) -> str:
    """A small news page; `date` goes into the article:published_time meta tag when given."""
    meta = f'<meta property="article:published_time" content="{date}">' if date else ""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f'<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>{title}</title>{meta}'
            f"</head><body><nav><a href='/'>الرئيسية</a></nav><article><h1>{title}</h1>{body}</article>"
            "<footer>جميع الحقوق محفوظة</footer></body></html>")


def write_warc(path, records: list[tuple[str, str, bytes, str]]) -> None:
    """A gzipped WARC; each record is (kind, url, payload, content type), kind `response` or `request`."""
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=str(path).endswith(".gz"))
        for kind, url, payload, ctype in records:
            if kind == "response":
                headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            else:
                headers = StatusAndHeaders("GET / HTTP/1.1", [("Host", "example.org")], is_http_request=True)
            writer.write_record(writer.create_warc_record(url, kind, payload=io.BytesIO(payload),
                                                          http_headers=headers))
