"""Benchmark: `rasd batch` end to end (JSONL → JSONL) on a synthetic archive of 100,000 articles.

The corpus is generated here from our own sentence templates, seeded, in proportions like a keyword-filtered news
archive: 25 % removal reports in the style of the quarterly Etidal × Telegram statements (content removed, channels
closed, cumulative totals, peaks, shares, with hedges and organisations), 15 % other takedown news (other platforms,
account suspensions, some in English), 60 % distractors (sport, economy, culture; full of numbers that are not
removal figures: scores, budgets, percentages, years, phone numbers). Articles run 800–3,500 characters.

Times, in one run on the same corpus, interleaved (each round runs the three in another order), medians of 3 rounds:
`rasd batch` with 1 and with 2 workers, and the yardstick (`bench/yardstick.py`, the regex script a researcher writes
in an afternoon); prints articles/s, the ratios rasd 1 worker / yardstick (issue 23: ≥ 1.0×) and 2 workers / 1 worker
(≥ 1.8×), the CPU time of each run (the process and the workers it waited for: on a shared machine the ratio of
articles per CPU second is steadier than the wall-clock one), and the peak RSS (parent and workers together, sampled
from /proc every 0.1 s, plus the largest single process) and PSS (shared pages split between the processes). Every
run is a whole process: start-up included. On the synthetic corpus it then runs 2 workers over 100,000 articles, to
show the peak RSS flat from 10k to 100k (< 300 MB).

The timed corpus is the first 10,000 synthetic articles, or `--corpus FILE` (any JSONL input), or `--real N`: the
articles of ../shared/eval/dev and dev2 replicated N times with new ids (read at run time, never copied here).

usage: python bench/batch.py [--articles 100000] [--small 10000] [--rounds 3] [--dir DIR] [--extractor MOD:FUNC]
       python bench/batch.py --real 50 | --corpus FILE
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
from typing import Any

HERE = Path(__file__).resolve().parent
EVAL = HERE.parent.parent / "shared" / "eval"

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


def _tree_rss(pid: int) -> tuple[int, int, int]:
    """(sum, max) resident set size in bytes of `pid` and its children, and the sum of their proportional set sizes
    (PSS: a page shared by n processes counts 1/n in each; forked workers share their parent's compiled rules, which
    RSS counts once per process), from /proc."""
    total = largest = pss = 0
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
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    pss += int(line.split()[1]) * 1024
        except OSError:
            pass
    return total, largest, pss


def _timed(cmd: list[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run `cmd`; wall time, exit status, the last line of its standard error and the peak RSS of its process tree."""
    peak = {"sum": 0, "max": 0, "pss": 0}
    before = os.times()
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True, env=env)

    def sample() -> None:
        while proc.poll() is None:
            s, m, p = _tree_rss(proc.pid)
            peak["sum"] = max(peak["sum"], s)
            peak["max"] = max(peak["max"], m)
            peak["pss"] = max(peak["pss"], p)
            time.sleep(0.1)

    t = threading.Thread(target=sample, daemon=True)
    t.start()
    _, err = proc.communicate()
    elapsed = time.perf_counter() - started
    t.join()
    after = os.times()  # the CPU of the process and of the workers it waited for: less noisy than wall time
    cpu = after.children_user - before.children_user + after.children_system - before.children_system
    return {"seconds": elapsed, "cpu": cpu, "rss_sum": peak["sum"], "rss_max": peak["max"], "pss": peak["pss"],
            "status": proc.returncode,
            "summary": err.strip().splitlines()[-1] if err.strip() else ""}


def run_batch(src: Path, out: Path, workers: int, extractor: str) -> dict[str, Any]:
    """Run `rasd batch` as a subprocess; wall time, articles/s and peak RSS of its process tree."""
    cmd = [sys.executable, "-m", "extractor.cli", "batch", str(src), "-o", str(out), "--workers", str(workers),
           "--extractor", extractor]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")])}
    return _timed(cmd, env)


def run_yardstick(src: Path, out: Path) -> dict[str, Any]:
    """Run the one-afternoon regex script (`bench/yardstick.py`) on the same input."""
    return _timed([sys.executable, str(HERE / "yardstick.py"), str(src), str(out)])


# --- corpora ---------------------------------------------------------------------------------------------------------


def real_corpus(path: Path, copies: int) -> None:
    """The dev and dev2 articles of ../shared/eval, `copies` times over with new ids (read at run time, never kept in
    the repository): a corpus of real press text, every article a removal report or a near miss."""
    lines = []
    for name in ("dev", "dev2"):
        src = EVAL / name / "articles.jsonl"
        if not src.exists():
            sys.exit(f"--real needs {src} (the evaluation sets beside the checkout)")
        lines += [json.loads(line) for line in src.open(encoding="utf-8") if line.strip()]
    with path.open("w", encoding="utf-8") as f:
        for k in range(copies):
            for a in lines:
                f.write(json.dumps({**a, "id": f"{a['id']}~{k}"}, ensure_ascii=False) + "\n")


def _count(path: Path) -> int:
    with path.open("rb") as f:
        return sum(1 for line in f if line.strip())


def _median(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[len(xs) // 2] if len(xs) % 2 else (xs[len(xs) // 2 - 1] + xs[len(xs) // 2]) / 2


def _show(label: str, n: int, r: dict[str, Any]) -> None:
    print(f"  {label:11} {r['seconds']:7.1f} s, {n / r['seconds']:7,.0f} articles/s, CPU {r['cpu']:6.1f} s, peak RSS "
          f"{r['rss_sum'] / 1e6:5.0f} MB (largest process {r['rss_max'] / 1e6:.0f} MB, PSS {r['pss'] / 1e6:.0f} MB), "
          f"exit {r['status']}", flush=True)


def main() -> None:
    """Build (or read) the corpus, time rasd and the yardstick interleaved, print the figures and the ratios."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=100_000,
                    help="synthetic articles of the memory run with 2 workers (0: no memory run)")
    ap.add_argument("--small", type=int, default=10_000, help="synthetic articles of the timed runs")
    ap.add_argument("--corpus", type=Path, help="time these articles (any JSONL input) instead of the synthetic ones")
    ap.add_argument("--real", type=int, metavar="N",
                    help="time the ../shared/eval dev+dev2 articles replicated N times (N=50: 5,200 articles)")
    ap.add_argument("--rounds", type=int, default=3, help="interleaved rounds; the figures are their medians")
    ap.add_argument("--dir", type=Path, help="where to keep the corpus and outputs (default: a temporary folder)")
    ap.add_argument("--extractor", default="extractor.facts:extract",
                    help="extraction function; `batch:light_extract` (this file) measures the batch machinery alone")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="rasd-bench-") as tmp:
        d = args.dir or Path(tmp)
        d.mkdir(parents=True, exist_ok=True)
        big = d / f"corpus-{args.articles}.jsonl"
        if args.corpus:
            timed = args.corpus
        elif args.real:
            timed = d / f"real-{args.real}.jsonl"
            real_corpus(timed, args.real)
        else:
            timed = d / f"corpus-{args.small}.jsonl"
            if not timed.exists():
                build_corpus(timed, args.small)
        n = _count(timed)
        print(f"corpus: {timed.name}, {n:,} articles, {timed.stat().st_size / 1e6:.1f} MB; {os.cpu_count()} CPUs",
              flush=True)
        runs: dict[str, list[dict[str, Any]]] = {"yardstick": [], "1 worker": [], "2 workers": []}
        order = list(runs)
        for r in range(args.rounds):
            print(f"round {r + 1}", flush=True)
            for label in order[r % 3:] + order[:r % 3]:  # each round starts with another one: drift hits all three
                if label == "yardstick":
                    res = run_yardstick(timed, d / "yardstick.jsonl")
                else:
                    res = run_batch(timed, d / "out.jsonl", 1 if label == "1 worker" else 2, args.extractor)
                runs[label].append(res)
                _show(label, n, res)
        rate = {label: n / _median([x["seconds"] for x in rs]) for label, rs in runs.items()}
        rss = {label: max(x["rss_sum"] for x in rs) for label, rs in runs.items()}
        pss = {label: max(x["pss"] for x in rs) for label, rs in runs.items()}
        print(f"medians of {args.rounds}: yardstick {rate['yardstick']:,.0f} articles/s, rasd 1 worker "
              f"{rate['1 worker']:,.0f}, 2 workers {rate['2 workers']:,.0f}; peak RSS {rss['yardstick'] / 1e6:.0f} / "
              f"{rss['1 worker'] / 1e6:.0f} / {rss['2 workers'] / 1e6:.0f} MB, PSS {pss['yardstick'] / 1e6:.0f} / "
              f"{pss['1 worker'] / 1e6:.0f} / {pss['2 workers'] / 1e6:.0f} MB")
        cpu = {label: _median([x["cpu"] for x in rs]) for label, rs in runs.items()}
        print(f"rasd 1 worker / yardstick: {rate['1 worker'] / rate['yardstick']:.2f}x; "
              f"2 workers / 1 worker: {rate['2 workers'] / rate['1 worker']:.2f}x", flush=True)
        print(f"by CPU time (median CPU seconds: yardstick {cpu['yardstick']:.1f}, rasd 1 worker "
              f"{cpu['1 worker']:.1f}, 2 workers {cpu['2 workers']:.1f}): rasd / yardstick "
              f"{cpu['yardstick'] / cpu['1 worker']:.2f}x articles per CPU second", flush=True)
        if args.articles and not (args.corpus or args.real):
            if not big.exists():
                t0 = time.perf_counter()
                build_corpus(big, args.articles)
                print(f"corpus: {args.articles:,} articles, {big.stat().st_size / 1e6:.0f} MB "
                      f"({time.perf_counter() - t0:.0f} s to build)", flush=True)
            res = run_batch(big, d / "out.jsonl", 2, args.extractor)
            _show("2 workers", args.articles, res)
            print(f"          {res['summary']}")
            print(f"peak RSS with 2 workers: {rss['2 workers'] / 1e6:.0f} MB at {n:,} vs {res['rss_sum'] / 1e6:.0f} MB "
                  f"at {args.articles:,} articles")


if __name__ == "__main__":
    main()
