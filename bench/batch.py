"""Benchmark: `rasd batch` end to end (JSONL → JSONL) on a synthetic archive of 100,000 articles.

The corpus is generated here from our own sentence templates, seeded, in proportions like a keyword-filtered news
archive: 25 % removal reports in the style of the quarterly Etidal × Telegram statements (content removed, channels
closed, cumulative totals, peaks, shares, with hedges and organisations), 15 % other takedown news (other platforms,
account suspensions, some in English), 60 % distractors (sport, economy, culture; full of numbers that are not
removal figures: scores, budgets, percentages, years, phone numbers). Articles run 800–3,500 characters.

Prints, in one run: articles/s with 1 and with 2 workers (first 10,000 articles), the 2-worker speed-up, and the peak
RSS (parent and workers together, sampled from /proc every 0.1 s, plus the largest single process) of 2-worker runs
over 10,000 and over 100,000 articles. Targets (issue 7): ≥ 1,000 articles/s per worker, speed-up ≥ 1.8×,
peak RSS < 300 MB and flat from 10k to 100k.

usage: python bench/batch.py [--articles 100000] [--small 10000] [--dir DIR] [--extractor MODULE:FUNCTION]
       python bench/batch.py --extractor batch:light_extract   # the batch machinery alone (reading, IPC, writing)
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

# --- the synthetic archive ----------------------------------------------------------------------------------------

ORGS = ["تنظيم داعش", "هيئة تحرير الشام", "تنظيم القاعدة", "التنظيمات الإرهابية الثلاثة"]
HEDGES = ["", "أكثر من ", "نحو ", "حوالي ", "ما يزيد على ", "قرابة ", "ما يقارب "]
MONTHS = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر",
          "ديسمبر"]
QUARTERS = ["الأول", "الثاني", "الثالث", "الرابع"]
PLATFORMS_OTHER = ["يوتيوب", "فيسبوك", "إكس", "تيك توك", "إنستغرام"]


def arabic_count(rng: random.Random, big: bool = True) -> str:
    """A count as the press writes it: digits, grouped digits, 'N مليون', or millions + thousands in words."""
    n = rng.randint(1_000_000, 60_000_000) if big else rng.randint(100, 40_000)
    form = rng.randrange(4)
    if form == 0:
        return str(n)
    if form == 1:
        return f"{n:,}"
    if form == 2 and n >= 1_000_000:
        return f"{n / 1_000_000:.1f} مليون"
    millions, rest = divmod(n, 1_000_000)
    thousands, units = divmod(rest, 1000)
    parts = ([f"{millions} مليوناً"] if millions else []) + ([f"{thousands} ألفاً"] if thousands else [])
    parts += [str(units)] if units else []
    return " و".join(parts) if parts else str(n)


def filler(rng: random.Random) -> str:
    """Context sentences without removal figures."""
    return rng.choice([
        "وأكد المسؤولون أن العمل يتواصل بوتيرة ثابتة لرصد الخطاب المتطرف والحد من انتشاره عبر الفضاء الرقمي.",
        "ويعتمد فريق الرصد على مزيج من الأدوات الآلية والمراجعة البشرية المتخصصة بعدة لغات.",
        "وأشار الخبراء إلى أن التنظيمات المتطرفة تغير أساليبها باستمرار للتحايل على أنظمة الرصد.",
        "ويأتي ذلك في إطار اتفاقية تعاون وقعها الطرفان لتبادل الخبرات وتطوير نماذج الكشف المبكر.",
        "ولفت التقرير إلى تنوع اللغات المستخدمة في المواد المرصودة وفي مقدمتها العربية والإنجليزية.",
        "وتعمل الفرق المشتركة على مدار الساعة طوال أيام الأسبوع بحسب ما ذكره البيان.",
        "ويرى متابعون أن هذه الشراكة نموذج للتعاون بين المؤسسات البحثية وشركات التقنية.",
    ])


def removal_report(rng: random.Random, year: int, q: int) -> str:
    """A quarterly removal statement with several figures."""
    hedge = rng.choice(HEDGES)
    months = MONTHS[(q - 1) * 3:(q - 1) * 3 + 3]
    s = [
        f"أعلن المركز العالمي لمكافحة الفكر المتطرف (اعتدال) ومنصة تلغرام إزالة {hedge}{arabic_count(rng)} "
        f"محتوى متطرف خلال الربع {QUARTERS[q - 1]} من عام {year}.",
        f"وأوضح البيان أن الفرق المشتركة أغلقت {arabic_count(rng, big=False)} قناة تابعة لـ{rng.choice(ORGS)}.",
        filler(rng),
        f"وبلغ إجمالي ما أزيل منذ انطلاق الشراكة في فبراير 2022 حتى نهاية {months[-1]} {year} "
        f"{rng.choice(HEDGES)}{arabic_count(rng)} مادة متطرفة.",
        f"وسجل يوم {rng.randint(1, 28)} {rng.choice(months)} ذروة النشاط بإزالة {arabic_count(rng, big=False)} "
        "محتوى في يوم واحد.",
        f"واستحوذ شهر {rng.choice(months)} على {rng.randint(10, 60)}.{rng.randint(0, 99)}% من إجمالي المحتوى المزال "
        "خلال الربع.",
        filler(rng),
    ]
    return "\n".join(s)


def other_takedown(rng: random.Random, year: int) -> str:
    """Takedown news about other platforms, or in English."""
    if rng.random() < 0.3:
        return (f"{rng.choice(['Meta', 'YouTube', 'TikTok'])} said on Tuesday it had removed more than "
                f"{rng.randint(2, 40)} million posts that broke its rules on violent extremism in the "
                f"{rng.choice(['first', 'second', 'third', 'fourth'])} quarter of {year}. The company also "
                f"suspended {rng.randint(1000, 90000):,} accounts linked to banned groups, according to its "
                "transparency report, which covers hate speech, spam and other violations as well.")
    platform = rng.choice(PLATFORMS_OTHER)
    return "\n".join([
        f"قالت منصة {platform} إنها علّقت {arabic_count(rng, big=False)} حساباً لارتباطها بجماعات متطرفة خلال "
        f"شهر {rng.choice(MONTHS)} {year}.",
        f"وأضافت الشركة في تقرير الشفافية أنها حذفت {rng.choice(HEDGES)}{arabic_count(rng)} منشور مخالف.",
        filler(rng), filler(rng),
    ])


def distractor(rng: random.Random, year: int) -> str:
    """News full of numbers that are not removal figures."""
    kind = rng.randrange(3)
    if kind == 0:
        return "\n".join([
            f"فاز الفريق المحلي على ضيفه بنتيجة {rng.randint(0, 5)}-{rng.randint(0, 5)} أمام {rng.randint(5, 60)} "
            f"ألف متفرج في المباراة التي أقيمت مساء الجمعة ضمن الجولة {rng.randint(1, 30)} من الدوري.",
            f"ورفع الفريق رصيده إلى {rng.randint(10, 80)} نقطة في صدارة الترتيب، بفارق {rng.randint(1, 9)} نقاط.",
            "وأشاد المدرب بأداء اللاعبين مؤكداً أن الموسم ما زال طويلاً وأن المنافسة ستشتد في الأسابيع المقبلة.",
        ])
    if kind == 1:
        return "\n".join([
            f"أعلنت وزارة المالية أن الميزانية العامة لعام {year} بلغت {rng.randint(200, 1200)} مليار ريال، "
            f"بنمو نسبته {rng.randint(1, 9)}.{rng.randint(0, 9)}% مقارنة بالعام السابق.",
            f"وتوقعت الوزارة أن يصل عدد المستفيدين من البرامج الجديدة إلى {rng.randint(1, 9)} ملايين مواطن.",
            f"وللاستفسار يمكن الاتصال على الرقم 9200{rng.randint(10000, 99999)}.",
            "وأكد المسؤولون أن الإنفاق سيتركز على التعليم والصحة والبنية التحتية خلال السنوات المقبلة.",
        ])
    return "\n".join([
        f"افتتح المهرجان الثقافي السنوي دورته الـ{rng.randint(5, 40)} بمشاركة {rng.randint(100, 900)} فنان من "
        f"{rng.randint(10, 60)} دولة، ويستمر حتى {rng.randint(1, 28)} {rng.choice(MONTHS)}.",
        f"ويضم المعرض المصاحب أكثر من {rng.randint(2, 30)} ألف عنوان، فيما تأسس المهرجان عام "
        f"{rng.randint(1970, 2010)}.",
        "وشهد حفل الافتتاح عروضاً موسيقية ومسرحية لاقت إقبالاً واسعاً من الجمهور.",
    ])


def article(i: int, rng: random.Random) -> dict[str, object]:
    """The i-th synthetic article as an input JSON object."""
    year = rng.choice([2022, 2023, 2024, 2025])
    q = rng.randint(1, 4)
    r = rng.random()
    if r < 0.25:
        text = removal_report(rng, year, q)
    elif r < 0.40:
        text = other_takedown(rng, year)
    else:
        text = distractor(rng, year)
    while len(text) < rng.randint(800, 3500):
        text += "\n" + filler(rng)
    month = min(12, q * 3 + 1)
    return {"id": f"syn-{i:06d}", "url": f"https://news.example/{year}/{i}", "title": text.split("\n", 1)[0][:80],
            "published": f"{year if month <= 12 else year + 1}-{month:02d}-{rng.randint(1, 28):02d}", "text": text}


def build_corpus(path: Path, n: int, seed: int = 7) -> None:
    """Write n synthetic articles as JSON Lines."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            f.write(json.dumps(article(i, rng), ensure_ascii=False) + "\n")


# --- a light extractor, to measure the batch machinery alone -------------------------------------------------------

_MILLION = None


def light_extract(text: str, published: str | None = None, url: str | None = None, id: str | None = None,
                  title: str | None = None) -> object:
    """A stand-in for extract(): one fact per 'N مليون' with its sentence, so records are realistic in size."""
    import re

    from extractor.model import ArticleRecord, Evidence, Fact, Period

    global _MILLION
    if _MILLION is None:
        _MILLION = re.compile("[0-9][0-9.,]* \u0645\u0644\u064a\u0648\u0646")
    facts = []
    for m in _MILLION.finditer(text):
        s = text.rfind("\n", 0, m.start()) + 1
        e = text.find("\n", m.end())
        facts.append(Fact("content_removed", 1, "count", "exact", None, None, "period", Period(None, None), 0.5, (),
                          Evidence(m.start(), m.end(), m.group(), text[s:e if e >= 0 else len(text)])))
    return ArticleRecord(id or "", url, title, published, "ar", bool(facts), [], [], facts, [], "light")


# --- measuring -------------------------------------------------------------------------------------------------------


def _tree_rss(pid: int) -> tuple[int, int]:
    """(sum, max) resident set size in bytes of `pid` and its children, from /proc."""
    total = largest = 0
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1]) * 1024
                    total += rss
                    largest = max(largest, rss)
        except OSError:
            pass
    return total, largest


def run_batch(src: Path, out: Path, workers: int, extractor: str) -> dict[str, float]:
    """Run `rasd batch` as a subprocess; wall time, articles/s and peak RSS of its process tree."""
    cmd = [sys.executable, "-m", "extractor.cli", "batch", str(src), "-o", str(out), "--workers", str(workers),
           "--extractor", extractor]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(__file__).resolve().parent),
                                                        os.environ.get("PYTHONPATH", "")])}
    peak = {"sum": 0, "max": 0}
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True, env=env)

    def sample() -> None:
        while proc.poll() is None:
            s, m = _tree_rss(proc.pid)
            peak["sum"] = max(peak["sum"], s)
            peak["max"] = max(peak["max"], m)
            time.sleep(0.1)

    t = threading.Thread(target=sample, daemon=True)
    t.start()
    _, err = proc.communicate()
    elapsed = time.perf_counter() - started
    t.join()
    summary = err.strip().splitlines()[-1] if err.strip() else ""
    n = sum(1 for _ in src.open(encoding="utf-8"))
    return {"articles": n, "seconds": elapsed, "rate": n / elapsed, "rss_sum": peak["sum"], "rss_max": peak["max"],
            "status": proc.returncode, "summary": summary}  # type: ignore[dict-item]


def main() -> None:
    """Build the corpus, run the four measurements, print the figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--small", type=int, default=10_000)
    ap.add_argument("--dir", type=Path, help="where to keep the corpus and outputs (default: a temporary folder)")
    ap.add_argument("--extractor", default="extractor.facts:extract",
                    help="extraction function; `batch:light_extract` (this file) measures the batch machinery alone")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="rasd-bench-") as tmp:
        d = args.dir or Path(tmp)
        d.mkdir(parents=True, exist_ok=True)
        big = d / f"corpus-{args.articles}.jsonl"
        small = d / f"corpus-{args.small}.jsonl"
        if not big.exists():
            t0 = time.perf_counter()
            build_corpus(big, args.articles)
            print(f"corpus: {args.articles:,} articles, {big.stat().st_size / 1e6:.0f} MB "
                  f"({time.perf_counter() - t0:.0f} s to build)", flush=True)
        if args.small >= args.articles:
            small = big  # the same file: writing the first lines of it to itself would empty it
        else:
            with big.open(encoding="utf-8") as f_in, small.open("w", encoding="utf-8") as f_out:
                for _, line in zip(range(args.small), f_in, strict=False):
                    f_out.write(line)
        results = {}
        for label, src, workers in (("1 worker", small, 1), ("2 workers", small, 2), ("2 workers", big, 2)):
            r = run_batch(src, d / "out.jsonl", workers, args.extractor)
            results[(label, src)] = r
            print(f"{label:9} {r['articles']:>7,} articles: {r['seconds']:7.1f} s, {r['rate']:7,.0f} articles/s, "
                  f"peak RSS {r['rss_sum'] / 1e6:5.0f} MB (largest process {r['rss_max'] / 1e6:.0f} MB), "
                  f"exit {r['status']}", flush=True)
            print(f"          {r['summary']}", flush=True)
        one, two = results[("1 worker", small)], results[("2 workers", small)]
        print(f"speed-up with 2 workers: {two['rate'] / one['rate']:.2f}x; "
              f"peak RSS {two['rss_sum'] / 1e6:.0f} MB at {args.small:,} vs "
              f"{results[('2 workers', big)]['rss_sum'] / 1e6:.0f} MB at {args.articles:,} articles; "
              f"{os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
