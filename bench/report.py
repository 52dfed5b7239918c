"""Benchmark: `rasd report` on 30,000 records — page size, time to write it, and time to first paint in Chromium.

The records are generated here (seeded, our own sentence templates), shaped like a real archive after `rasd batch`:
quarterly press releases of four partner × platform pairs from 2018 to 2025 (with quarters that have no release, so
the chart has gaps), each reprinted by many outlets that round (`35.6 مليون`), hedge (`أكثر من 35 مليون`) or
mistype a figure (a conflict); running totals; a long tail of one-off articles (a platform's figure for one country
and day, each its own series row); warnings on some records. Evidence sentences run 150–300 characters.

Prints: records, facts, series rows, conflicts; the wall time of `rasd report`; the page size; and the time to first
paint in headless Chromium, read from the page's own Paint Timing entries (`first-paint`, `first-contentful-paint`)
in a copy of the page with a small script added (the report itself has no script and forbids them). Each browser
run gets a fresh profile; the figure is the median of `--runs` runs, with the browser's whole wall time beside it.

usage: python bench/report.py [--records 30000] [--dir DIR] [--runs 3] [--browser /usr/bin/chromium]
       python bench/report.py --rasd /path/to/other/checkout/.venv/bin/rasd   # measure another version's report
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ORGS = {"isis": "تنظيم داعش", "hts": "هيئة تحرير الشام", "al-qaeda": "تنظيم القاعدة"}
PAIRS = [(("etidal",), "telegram"), (("etidal",), "youtube"), ((), "tiktok"), ((), "x")]
PLATFORM_AR = {"telegram": "تلغرام", "youtube": "يوتيوب", "tiktok": "تيك توك", "x": "إكس"}
COUNTRIES = ["مصر", "السعودية", "المغرب", "العراق", "الأردن", "الجزائر", "تونس", "لبنان", "الكويت", "الإمارات"]
OPENINGS = ["وأوضح البيان الصادر اليوم أن", "وذكر المركز في تقريره الفصلي أن", "وأفادت مصادر مطلعة بأن",
            "وقال المتحدث باسم الشراكة إن", "وبحسب الأرقام المعلنة فإن"]
CLOSINGS = ["وذلك في إطار الجهود المشتركة لمكافحة الفكر المتطرف على الإنترنت وتجفيف منابع الدعاية الإرهابية.",
            "مؤكداً استمرار العمل على رصد المحتوى المخالف وإزالته فور نشره بالتعاون مع فرق المراجعة.",
            "مشيراً إلى أن فرق الرصد تعمل على مدار الساعة بعدة لغات لرصد الحسابات التي تعيد نشر المواد المحذوفة."]


def _period(y: int, q: int) -> dict[str, str]:
    return {"start": f"{y}-{3 * q - 2:02d}", "end": f"{y}-{3 * q:02d}"}


def _written(rng: random.Random, value: int) -> tuple[int, str, str]:
    """How an outlet writes a figure: (value as written, qualifier, evidence text)."""
    form = rng.random()
    if form < 0.45 or value < 100_000:
        return value, "exact", f"{value:,}"
    if form < 0.75:
        rounded = round(value / 100_000) * 100_000
        return rounded, "exact", f"{rounded / 1e6:.1f} مليون"
    floor = value // 1_000_000 * 1_000_000
    return floor, "more_than", f"أكثر من {floor // 1_000_000} مليون"


def _sentence(rng: random.Random, what: str) -> str:
    return f"{rng.choice(OPENINGS)} {what} {rng.choice(CLOSINGS)}"


def _fact(metric: str, value: int, qualifier: str, text: str, sentence: str, org: str | None, platform: str,
          scope: str, period: dict[str, str]) -> dict[str, Any]:
    start = sentence.find(text)
    return {"metric": metric, "value": value, "unit": "count", "qualifier": qualifier, "organization": org,
            "platform": platform, "scope": scope, "period": period,
            "evidence": {"start": start, "end": start + len(text), "text": text, "sentence": sentence}}


def releases(rng: random.Random) -> list[dict[str, Any]]:
    """The quarterly releases (true figures) of every pair; some quarters have none (gaps on the chart's axis)."""
    out = []
    for partners, platform in PAIRS:
        missing = {(2019, 2), (2019, 3), (2019, 4), (2020, 1), (2021, 3)} if platform == "telegram" else set()
        first = 2018 if platform in ("telegram", "tiktok") else 2021
        running = 0
        for y in range(first, 2026):
            for q in range(1, 5):
                if (y, q) in missing or rng.random() < 0.08:
                    continue
                total = rng.randint(2_000_000, 40_000_000)
                parts = sorted((rng.random() for _ in range(3)), reverse=True)
                by_org = {o: int(total * p / sum(parts) * 0.9) for o, p in zip(ORGS, parts, strict=True)}
                channels = rng.randint(100, 2_000)
                running += total
                out.append({"partners": partners, "platform": platform, "year": y, "quarter": q, "total": total,
                            "orgs": by_org, "channels": channels, "running": running, "since": first})
    return out


def reprint(rng: random.Random, rel: dict[str, Any], n: int) -> dict[str, Any]:
    """One outlet's article about a release: a subset of its figures, rounded, hedged or (rarely) mistyped."""
    platform, period = rel["platform"], _period(rel["year"], rel["quarter"])
    name = PLATFORM_AR[platform]
    facts = []

    def add(metric: str, value: int, org: str | None, scope: str = "period", per: dict[str, str] = period) -> None:
        if rng.random() < 0.004:  # a typo: a conflict in the series
            value = value + rng.choice([1, -1]) * 10 ** rng.randint(5, 6)
        written, qualifier, text = _written(rng, value)
        noun = "محتوى متطرف" if metric == "content_removed" else "قناة"
        who = f"لـ{ORGS[org]}" if org else ""
        sentence = _sentence(rng, f"منصة {name} أزالت {text} {noun} {who} خلال الربع {rel['quarter']} من عام "
                                  f"{rel['year']}،")
        facts.append(_fact(metric, written, qualifier, text, sentence, org, platform, scope, per))

    add("content_removed", rel["total"], None)
    if rng.random() < 0.7:
        add("channels_closed", rel["channels"], None)
    for org, v in rel["orgs"].items():
        if rng.random() < 0.6:
            add("content_removed", v, org)
    if rng.random() < 0.3:
        add("content_removed", rel["running"], None, "cumulative", {"start": str(rel["since"]), "end": period["end"]})
    published = f"{rel['year'] + (rel['quarter'] == 4)}-{(3 * rel['quarter']) % 12 + 1:02d}-{rng.randint(1, 28):02d}"
    warnings = []
    if rng.random() < 0.03:
        warnings.append({"code": "weekday_mismatch", "message": f"الخميس لا يوافق {published}"})
    return {"id": f"r{n}", "url": f"https://news{n % 97}.example/{n}", "title": f"{name}: حصيلة الربع",
            "published": published, "language": "ar", "is_removal_report": True, "partners": list(rel["partners"]),
            "platforms": [platform], "facts": facts, "warnings": warnings, "extractor_version": "bench"}


def one_off(rng: random.Random, n: int) -> dict[str, Any]:
    """A one-off article: one platform's figure for one country and day (its own series row)."""
    platform = rng.choice(["tiktok", "x", "youtube"])
    y, m, d = rng.randint(2019, 2025), rng.randint(1, 12), rng.randint(1, 28)
    value = rng.randint(1_000, 900_000)
    country = rng.choice(COUNTRIES)
    text = f"{value:,}"
    sentence = _sentence(rng, f"منصة {PLATFORM_AR[platform]} علقت {text} حساباً في {country} يوم {d}/{m}/{y}،")
    per = {"start": f"{y}-{m:02d}-{d:02d}", "end": f"{y}-{m:02d}-{d:02d}"}
    return {"id": f"o{n}", "url": f"https://local{n % 31}.example/{n}", "title": f"{country}: حسابات معلقة",
            "published": f"{y}-{m:02d}-28", "language": "ar", "is_removal_report": True, "partners": [],
            "platforms": [platform], "warnings": [], "extractor_version": "bench",
            "facts": [_fact("accounts_suspended", value, "exact", text, sentence, None, platform, "period", per)]}


def make_records(n: int, path: Path, seed: int = 17) -> None:
    """`n` records as JSONL: 85 % reprints of the releases (recent ones reprinted more), 15 % one-off articles."""
    rng = random.Random(seed)
    rels = releases(rng)
    weights = [1 + (r["year"] - 2017) ** 2 for r in rels]
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            rec = one_off(rng, i) if rng.random() < 0.15 else reprint(rng, rng.choices(rels, weights)[0], i)
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")


# --- the browser --------------------------------------------------------------------------------------------------

PROBE = """<script>
new PerformanceObserver(l => { for (const e of l.getEntries()) document.documentElement.dataset[e.name.replace(
  /-(.)/g, (_, c) => c.toUpperCase())] = e.startTime.toFixed(0); }).observe({type: "paint", buffered: true});
addEventListener("load", () => { document.documentElement.dataset.load = performance.now().toFixed(0); });
</script>"""


def probe_copy(page: Path, out: Path) -> None:
    """The page with the paint probe: its CSP relaxed for inline scripts only (still no network)."""
    html = page.read_text(encoding="utf-8")
    html = html.replace("default-src 'none'; style-src", "default-src 'none'; script-src 'unsafe-inline'; style-src", 1)
    out.write_text(html.replace("<head>", "<head>" + PROBE, 1), encoding="utf-8")


def first_paint(browser: str, page: Path, runs: int) -> dict[str, float]:
    """Median first paint, first contentful paint, load (ms, from the page's own timing) and browser wall time (s)."""
    got: dict[str, list[float]] = {"firstPaint": [], "firstContentfulPaint": [], "load": [], "wall": []}
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as profile:
            cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                   "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
                   "--window-size=1280,900", "--dump-dom", page.as_uri()]
            t0 = time.perf_counter()
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
            got["wall"].append(time.perf_counter() - t0)
        head = done.stdout[:4000]
        for key in ("firstPaint", "firstContentfulPaint", "load"):
            attr = re.sub("([A-Z])", lambda m: "-" + m.group(1).lower(), key)
            m = re.search(rf'data-{attr}="(\d+)"', head)
            if m:
                got[key].append(float(m.group(1)))
    return {k: sorted(v)[len(v) // 2] for k, v in got.items() if v}  # (no `statistics`: bench/numbers.py shadows
    # the standard library's `numbers` it imports)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--records", type=int, default=30_000)
    ap.add_argument("--dir", type=Path, default=None, help="keep the files here (default: a temporary folder)")
    ap.add_argument("--runs", type=int, default=3, help="browser runs (median)")
    ap.add_argument("--browser", default=shutil.which("chromium") or shutil.which("chromium-browser"))
    ap.add_argument("--rasd", default=str(Path(sys.executable).with_name("rasd")), help="the rasd command to time")
    args = ap.parse_args()
    work = args.dir or Path(tempfile.mkdtemp(prefix="rasd-bench-report-"))
    work.mkdir(parents=True, exist_ok=True)
    records = work / "records.jsonl"
    make_records(args.records, records)
    facts = sum(len(json.loads(line)["facts"]) for line in records.open(encoding="utf-8"))
    print(f"records: {args.records:,} ({records.stat().st_size / 1e6:.1f} MB, {facts:,} facts)")

    page = work / "report.html"
    t0 = time.perf_counter()
    done = subprocess.run([args.rasd, "report", str(records), "-o", str(page)], capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if done.returncode != 0:
        print(done.stderr, file=sys.stderr)
        return 1
    print(f"rasd report: {seconds:.1f} s ({done.stderr.strip()})")
    print(f"page: {page.stat().st_size / 1e6:.2f} MB")
    if not args.browser:
        print("first paint: no Chromium found (apt-get install chromium)")
        return 0
    probed = work / "report-probe.html"
    probe_copy(page, probed)
    t = first_paint(args.browser, probed, args.runs)
    print(f"Chromium (median of {args.runs}): first paint {t.get('firstPaint', float('nan')):.0f} ms, "
          f"first contentful paint {t.get('firstContentfulPaint', float('nan')):.0f} ms, "
          f"load {t.get('load', float('nan')):.0f} ms; browser wall time {t['wall']:.1f} s")
    print(f"files in {work}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
