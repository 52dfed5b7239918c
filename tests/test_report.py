"""The HTML report: self-contained, escaped, right-to-left where Arabic shows, and drawn in a real browser.

The browser test opens report.html in headless Chromium twice: `--screenshot` (the PNG is read with Pillow, which
matplotlib brings, and the chart's bar colours are counted in the top of the page) and `--dump-dom` (the DOM the
browser built). Both runs log to stderr (`--enable-logging=stderr --v=0`), where Chromium writes every console
message of the page as a `CONSOLE` line; the page has no script, so any console line (an error, a refused load) fails
the test. A control page with a deliberate script error proves the method sees such lines in this browser.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from extractor.cli import main
from extractor.errors import MissingExtraError
from extractor.report import (
    SAMPLE_PER_ROW,
    TOP_CONFLICTS,
    chart_figure,
    quarter_axis,
    render_report,
    report_html,
    top_conflicts,
)
from extractor.series import fuse

HERE = Path(__file__).parent
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# matplotlib's tab10 colours the report gives the total and the three organisations.
BAR_COLOURS = {(0x1F, 0x77, 0xB4), (0xFF, 0x7F, 0x0E), (0x2C, 0xA0, 0x2C), (0xD6, 0x27, 0x28)}


def fact(value: int, metric: str, org: str | None, period: tuple[str, str], text: str, sentence: str,
         scope: str = "period", qualifier: str = "exact") -> dict[str, Any]:
    return {"metric": metric, "value": value, "unit": "count", "qualifier": qualifier, "organization": org,
            "platform": "telegram", "scope": scope, "period": {"start": period[0], "end": period[1]},
            "evidence": {"start": 0, "end": len(text), "text": text, "sentence": sentence}}


def quarter(rid: str, period: tuple[str, str], total: int, isis: int, hts: int, qaeda: int, channels: int,
            **extra: Any) -> dict[str, Any]:
    """A hand-written Arabic quarterly report record: totals and per-organisation figures."""
    s = f"وأوضح المركز أن الفريق أزال {total:,} محتوى متطرفاً وأغلق {channels:,} قناة خلال الربع."
    facts = [fact(total, "content_removed", None, period, f"{total:,}", s),
             fact(channels, "channels_closed", None, period, f"{channels:,}", s)]
    for org, v in (("isis", isis), ("hts", hts), ("al-qaeda", qaeda)):
        so = f"وتصدر تنظيم {org} القائمة بإزالة {v:,} مادة."
        facts += [fact(v, "content_removed", org, period, f"{v:,}", so),
                  fact(max(1, v // 40000), "channels_closed", org, period, f"{max(1, v // 40000):,}", so)]
    rec = {"id": rid, "url": f"https://news.example/{rid}", "title": "اعتدال وتلغرام: حصيلة الربع",
           "published": extra.get("published"), "language": "ar", "is_removal_report": True,
           "partners": ["etidal"], "platforms": ["telegram"], "facts": facts, "warnings": extra.get("warnings", []),
           "extractor_version": "test"}
    return rec


def sample_records() -> list[dict[str, Any]]:
    q2, q3, q4 = ("2024-04", "2024-06"), ("2024-07", "2024-09"), ("2024-10", "2024-12")
    conflicting = quarter("c", q3, 35634916, 34602606, 768821, 263489, 332)  # 332 channels: a conflict
    return [
        quarter("a", q2, 18611232, 14857909, 3521969, 231354, 660, published="2024-07-02"),
        quarter("b", q3, 35634916, 34602606, 768821, 263489, 323, published="2024-10-06"),
        conflicting,
        quarter("d", q4, 20092547, 14064489, 3781568, 2246490, 801, warnings=[
            {"code": "weekday_mismatch", "message": "الخميس لا يوافق 2024-12-31"}]),
        {"id": "evil", "url": "javascript:alert(1)", "title": "<script>alert('x')</script>", "published": None,
         "language": "en", "is_removal_report": True, "partners": ["etidal"], "platforms": ["telegram"],
         "facts": [fact(7, "accounts_suspended", None, q3, "<b>7</b>", "they banned <img src=x onerror=alert(1)> 7")],
         "warnings": [{"code": "<i>odd</i>", "message": "</td><script>alert(2)</script>"}],
         "extractor_version": "test"},
    ]


# --- the page -------------------------------------------------------------------------------------------------
def test_report_escapes_everything_from_the_input(tmp_path: Path):
    page = render_report(sample_records(), tmp_path / "report.html").read_text(encoding="utf-8")
    assert "<script" not in page and "<img" not in page and "<b>7" not in page and "<i>odd" not in page
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in page
    assert 'href="javascript' not in page
    assert 'href="https://news.example/b"' in page


def test_report_is_self_contained_with_an_inline_svg_chart(tmp_path: Path):
    page = render_report(sample_records(), tmp_path / "report.html").read_text(encoding="utf-8")
    assert page.count("<svg") == 1 and "<path" in page
    assert not re.search(r"<(link|script|iframe|object|embed|img|image)\b|@import|<[a-z][^>]*\ssrc=", page)
    assert not re.search(r"url\((?!#)", page)  # only the chart's own clip paths
    hrefs = set(re.findall(r'href="([^"#][^"]*)"', page))
    assert hrefs and all(h.startswith("https://news.example/") for h in hrefs), hrefs  # links to the articles only
    assert "default-src 'none'" in page  # the browser is told to load nothing


def test_report_marks_arabic_right_to_left_and_isolates_numbers():
    page = report_html(fuse(sample_records()))
    assert re.search(r'<blockquote lang="ar" dir="rtl">وأوضح المركز أن الفريق أزال <mark><bdi>35,634,916</bdi>', page)
    assert '<html lang="en" dir="ltr">' in page
    assert '<td class="num"><bdi dir="ltr">35,634,916</bdi></td>' in page
    assert '<bdi dir="ltr">2024-07 – 2024-09</bdi>' in page


def test_report_lists_conflicts_and_warnings():
    page = report_html(fuse(sample_records()))
    conflicts = page[page.index('id="conflicts"'):page.index('id="flags"')]
    assert "332" in conflicts and "323" in conflicts and 'href="https://news.example/c"' in conflicts
    warnings = page[page.index('id="warnings"'):]
    assert "weekday_mismatch" in warnings
    assert '<td lang="ar" dir="rtl">الخميس لا يوافق <bdi dir="ltr">2024-12-31</bdi></td>' in warnings


def test_report_without_matplotlib_names_the_extra(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(MissingExtraError) as err:
        render_report(sample_records(), tmp_path / "report.html")
    assert (err.value.extra, err.value.module) == ("report", "matplotlib")
    assert not (tmp_path / "report.html").exists()


def test_rasd_report_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    import json

    src = tmp_path / "records.json"
    src.write_text(json.dumps(sample_records(), ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "report.html"
    assert main(["report", str(src), "-o", str(out), "--title", "Etidal × Telegram"]) == 0
    assert "<title>Etidal × Telegram</title>" in out.read_text(encoding="utf-8")
    assert "conflicts" in capsys.readouterr().err


# --- at scale: a sample per row, the top conflicts, the rest linked; a continuous quarter axis --------------------
def reprints(n: int, start: int = 0) -> list[dict[str, Any]]:
    """`n` outlets reprinting the same quarterly release (every figure agrees), each with its own id and url."""
    q3 = ("2024-07", "2024-09")
    out = []
    for i in range(start, start + n):
        rec = quarter(f"p{i}", q3, 35634916, 34602606, 768821, 263489, 323, published="2024-10-06")
        rec["url"] = f"https://outlet{i}.example/etidal-q3"
        out.append(rec)
    return out


def test_page_size_does_not_grow_with_the_number_of_reprints(tmp_path: Path):
    records = tmp_path / "records.jsonl"
    small = render_report(reprints(30), tmp_path / "small.html", records_files=[str(records)])
    big = render_report(reprints(1500), tmp_path / "big.html", records_files=[str(records)])
    small_page, big_page = small.read_text(encoding="utf-8"), big.read_text(encoding="utf-8")
    rows = len(fuse(reprints(30)).rows)
    assert big_page.count('<tr id="row-') == rows  # every row is there…
    assert big_page.count("<blockquote") == rows * SAMPLE_PER_ROW  # …with a sample of its evidence
    assert abs(len(big_page) - len(small_page)) < 0.02 * len(small_page)  # 50× the records, the same page
    assert len(big_page.encode()) < 200_000
    # what is left out is counted and linked to the records file (a relative link, beside the page)
    assert big_page.count(f'+ {1500 - SAMPLE_PER_ROW:,} more articles in <a href="records.jsonl">records.jsonl</a>') \
        == rows


def test_the_records_link_is_relative_to_the_page(tmp_path: Path):
    (tmp_path / "out").mkdir()
    page = render_report(reprints(5), tmp_path / "out" / "r.html", records_files=[str(tmp_path / "my records.jsonl")])
    assert '<a href="../my%20records.jsonl">my records.jsonl</a>' in page.read_text(encoding="utf-8")


def test_only_the_top_conflicts_show_their_evidence(tmp_path: Path):
    records = []
    for k in range(TOP_CONFLICTS + 15):  # one conflict per month: two outlets disagree, 1 + k//5 articles a side
        period = (f"{2015 + k // 12}-{k % 12 + 1:02d}", f"{2015 + k // 12}-{k % 12 + 1:02d}")
        for j in range(1 + k // 5):
            for side, value in (("a", 1000 + k), ("b", 5000 + k)):
                s = f"أعلنت المنصة أنها أغلقت {value:,} قناة خلال الشهر."
                records.append({"id": f"m{k}{side}{j}", "url": f"https://x{j}.example/{k}{side}", "language": "ar",
                                "facts": [fact(value, "channels_closed", None, period, f"{value:,}", s)],
                                "warnings": [], "partners": ["etidal"], "platforms": ["telegram"]})
    series = fuse(records)
    assert len(series.conflicts) == TOP_CONFLICTS + 15
    top = top_conflicts(series)
    assert len(top) == TOP_CONFLICTS
    # the conflicts with the most articles come first: the 15 left out are those with the fewest
    left_out = [i for i, r in enumerate(series.rows) if r.conflict and i not in top]
    assert max(series.rows[i].articles for i in left_out) <= min(series.rows[i].articles for i in top)
    page = report_html(series, records_files=["records.jsonl"])
    conflicts = page[page.index('id="conflicts"'):page.index('id="flags"')]
    assert conflicts.count('<h3 id="conflict-') == TOP_CONFLICTS
    assert all(f'<h3 id="conflict-{i}">' in conflicts for i in top)
    assert all(f'<td><a href="#row-{i}">row {i}</a></td>' in conflicts for i in left_out)  # one line each
    assert f"{TOP_CONFLICTS + 15:,} conflicts; the {TOP_CONFLICTS} with the most articles" in conflicts


def test_quarter_axis_is_continuous():
    assert quarter_axis([(2024, 1), (2024, 4)]) == [(2024, 1), (2024, 2), (2024, 3), (2024, 4)]
    assert quarter_axis([(2023, 4), (2018, 3)])[:3] == [(2018, 3), (2018, 4), (2019, 1)]
    assert len(quarter_axis([(2023, 4), (2018, 3)])) == 22
    assert quarter_axis([]) == []


def test_chart_keeps_empty_quarters_in_place():
    q1, q4 = ("2024-01", "2024-03"), ("2024-10", "2024-12")
    series = fuse([quarter("a", q1, 18611232, 14857909, 3521969, 231354, 660),
                   quarter("b", q4, 20092547, 14064489, 3781568, 2246490, 801)])
    ax = chart_figure(series).axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2024 Q1", "2024 Q2", "2024 Q3", "2024 Q4"]
    shaded = [p for p in ax.patches if p.get_facecolor()[:3] == (0xEE / 255,) * 3]
    assert len(shaded) == 2  # Q2 and Q3: no figures, shaded
    bars = [p for p in ax.patches if p not in shaded]
    assert {round(b.get_x() + b.get_width() / 2) for b in bars} == {0, 3}  # the bars stand at Q1 and Q4


def test_chart_over_years_labels_years_and_keeps_every_quarter():
    old, new = ("2018-07", "2018-09"), ("2023-10", "2023-12")
    series = fuse([quarter("a", old, 9000000, 8000000, 500000, 100000, 100),
                   quarter("b", new, 20092547, 14064489, 3781568, 2246490, 801)])
    ax = chart_figure(series).axes[0]
    ticks = set(ax.get_xticks()) | set(ax.get_xticks(minor=True))  # (a minor tick under a major one is not drawn)
    assert sorted(ticks) == list(range(22))  # 2018 Q3 … 2023 Q4, one place each
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2018 Q3", "2019", "2020", "2021", "2022", "2023"]
    bars = [p for p in ax.patches if p.get_facecolor()[:3] != (0xEE / 255,) * 3]
    assert {round(b.get_x() + b.get_width() / 2) for b in bars} == {0, 21}


# --- in a real browser ----------------------------------------------------------------------------------------
def _browser() -> str | None:
    return next((p for p in map(shutil.which, BROWSERS) if p), None)


def _run_browser(browser: str, url: str, profile: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0", *extra, url]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)


def _console_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]


needs_browser = pytest.mark.skipif(_browser() is None, reason="no Chromium/Chrome browser installed "
                                   "(apt-get install chromium; .ci/run installs it)")


@pytest.mark.slow
@needs_browser
def test_console_errors_are_seen_by_the_method(tmp_path: Path):
    page = tmp_path / "broken.html"
    page.write_text("<!DOCTYPE html><html><body><script>notDefinedAnywhere();</script></body></html>")
    result = _run_browser(_browser(), page.as_uri(), tmp_path / "profile", "--dump-dom")  # type: ignore[arg-type]
    assert any("notDefinedAnywhere" in line for line in _console_lines(result.stderr)), result.stderr[-2000:]


@pytest.mark.slow
@needs_browser
def test_report_in_headless_chromium_draws_the_chart_without_console_errors(tmp_path: Path):
    from PIL import Image

    browser = _browser()
    assert browser is not None
    report = render_report(sample_records(), tmp_path / "report.html")
    png = tmp_path / "report.png"
    shot = _run_browser(browser, report.as_uri(), tmp_path / "profile1", f"--screenshot={png}",
                        "--window-size=1200,1600", "--hide-scrollbars")
    assert png.exists(), shot.stderr[-2000:]
    dom = _run_browser(browser, report.as_uri(), tmp_path / "profile2", "--dump-dom")
    assert _console_lines(shot.stderr + dom.stderr) == []

    # the DOM the browser built holds the chart and the whole table
    assert dom.stdout.count("<svg") == 1
    assert len(re.findall(r'<tr id="row-\d+"', dom.stdout)) == len(fuse(sample_records()).rows)

    # the chart is drawn: many pixels of the bar colours in the top part of the page, where the chart sits
    image = Image.open(png).convert("RGB")
    assert image.size == (1200, 1600)
    top = image.crop((0, 0, 1200, 1100))
    counts = {c: n for n, c in top.getcolors(maxcolors=1 << 20) if c in BAR_COLOURS}
    assert len(counts) == 4, counts  # total, isis, hts, al-qaeda all drawn
    assert sum(counts.values()) > 20000, counts
    non_white = sum(n for n, c in top.getcolors(maxcolors=1 << 20) if sum(c) < 720)
    assert non_white > 0.05 * top.width * top.height


def _bench_generator() -> Any:
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_report", HERE.parent / "bench" / "report.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_page_size_is_bounded_by_rows_not_records_on_an_archive_like_run(tmp_path: Path):
    # bench/report.py's records (reprints that round, hedge and mistype; one-off articles; warnings) at 1/30 scale,
    # every article reprinted by 3 and by 6 outlets: twice the records, the same rows, each with a full sample
    records = tmp_path / "records.jsonl"
    _bench_generator().make_records(1000, records)
    base = [json.loads(line) for line in records.read_text(encoding="utf-8").splitlines()]

    def reprinted(k: int) -> list[dict[str, Any]]:
        return [{**r, "id": f"{r['id']}-{j}", "url": f"{r['url']}?outlet={j}"} for j in range(k) for r in base]

    pages = {}
    for k in (3, 6):
        series = fuse(reprinted(k))
        page = render_report(series, tmp_path / f"x{k}.html", records_files=[str(records)])
        pages[k] = (series, page.read_text(encoding="utf-8"))
    (s3, p3), (s6, p6) = pages[3], pages[6]
    assert len(s3.rows) == len(s6.rows) and s6.records == 2 * s3.records == 6000
    assert len(p6.encode()) < 1.05 * len(p3.encode())  # twice the records, about the same page
    # per row: its markup and at most SAMPLE_PER_ROW evidence sentences (≤ 300 Arabic characters each)
    assert len(p6.encode()) < 300_000 + len(s6.rows) * (800 + SAMPLE_PER_ROW * 700)
    assert p6.count("<blockquote") <= SAMPLE_PER_ROW * (len(s6.rows) + 3 * TOP_CONFLICTS)
    assert p6.count('<h3 id="conflict-') == min(TOP_CONFLICTS, len(s6.conflicts))
    assert 'more articles in <a href="records.jsonl">records.jsonl</a>' in p6
