"""Benchmark: `find_dates` throughput on a generated corpus of ~3,000-character articles.

The corpus is generated here, seeded, from our own sentence templates: removal-report sentences carrying the time
expressions of the press (quarters with relative years, since/until ranges, days with weekdays, Hijri dates, numeric
dates, Levantine and Maghrebi month names, English quarters and ranges) mixed with distractor sentences full of
numbers, percentages and month-like words that are not dates (مارس the verb, أب, May the modal). About one sentence in
three holds a time expression, as in the quarterly reports.

Prints MB/s (UTF-8 input) and characters/s for `find_dates(text, published)` on strings and on texts already
normalised (as the fact extractor calls it), and microseconds per 3,000-character article: the best of the rounds in
CPU time of this process, so that other processes on a shared machine disturb the figure less.

Then accuracy: every example of the date pattern files (patterns/months.toml, periods.toml, dates_*.toml: our own
sentences, one family per file) is read by rasd and by dateparser (`search_dates`, Arabic and English, relative to
the example's `published`), and the share each gets right is printed per family, with dateparser's speed on the
same corpus. dateparser is a bench-only dependency: `pip install -e '.[bench]'`. What "right" means:
- rasd: the example holds (the pattern test's checker: every expected mention with its kind, bounds and text).
- dateparser: every expected period is matched by a date it returns at the period's precision (a day for a day, the
  month for a month; a span needs two dates, its start and its end, as dateparser has no periods); an unresolved or
  negative example is right when it returns no date; a dateline example when its first date is the article's date.

usage: python bench/dates.py [--articles 400] [--rounds 7] [--seed 7] [--no-accuracy] [--dateparser-articles 10]
"""

from __future__ import annotations

import argparse
import datetime
import itertools
import random
import time
import tomllib
from pathlib import Path

from extractor import patterns
from extractor.dates import check_example, find_dates
from extractor.normalise import normalise

DATED_AR = [
    "أعلن المركز أن الفريقين أزالا {n} مادة متطرفة خلال الربع {ord} من العام الحالي {y}م.",
    "وبلغ إجمالي المحتوى المحذوف منذ بدء الشراكة في فبراير 2022 وحتى نهاية الربع {ord} {y} نحو {n} مادة.",
    "وسجل التنظيم ذروة نشاطه يوم {wd} {d} {m} الماضي، الموافق {hd} ذي الحجة 1445هـ.",
    "وأغلقت المنصة {n} قناة خلال الفترة من {m} إلى {m2} {y}، مقارنة بالربع السابق.",
    "وتراجع النشاط في {lev} {y} قبل أن يرتفع مجدداً في {mag} من العام نفسه.",
    "ونشرت الهيئة بيانها بتاريخ {d}/{mi}/{y}م، بعد يوم من اجتماعها أمس الأول.",
    "وحذفت الشركة خلال الأشهر الستة الماضية {n} مقطع فيديو، أي منذ مطلع العام الجاري وحتى الآن.",
    "وكانت الحصيلة قد بلغت حتى نهاية {m} {y} نحو {n} مادة، وفق تقرير العام الماضي.",
]
DATED_EN = [
    "Etidal and Telegram removed {n} pieces of extremist content in Q{q} {y}, the center said.",
    "Activity peaked on {wde}, {me} {d} {y}, during the Hajj season.",
    "From February 2022 to the end of the {orde} quarter of {y} the partners removed {n} items.",
    "Between {me} and {me2} {y} the platform closed {n} channels, up from the previous quarter.",
]
PLAIN = [
    "وقال مدير المركز إن الفرق الفنية تعمل على مدار الساعة لرصد المحتوى المتطرف بأكثر من {n} لغة ولهجة.",
    "ويضم المركز {n} خبيراً في تحليل البيانات والذكاء الاصطناعي، ويبلغ عدد زواره {n} زائر سنوياً.",
    "مارس التنظيم ضغوطاً على أتباعه لنشر المواد، وقال أب أحد المجندين إن ابنه تغير.",
    "وارتفعت نسبة المشاركة إلى {p}% بعد أن كانت {p}% في الاستطلاع السابق، بحسب الأرقام الرسمية.",
    "وأشار إلى أن الرأي العام يدعم الجهود، وأن نصف المشاركين طالبوا بمزيد من الشفافية.",
    "The center said its teams may expand the work to {n} more languages, and supporters march on regardless.",
    "للتواصل: 920001234 أو عبر البريد الإلكتروني، وفاز الفريق بنتيجة 3-1 في المباراة.",
]
ORD_AR = ["الأول", "الثاني", "الثالث", "الأخير"]
ORD_EN = ["first", "second", "third", "fourth"]
MONTHS_AR = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر",
             "ديسمبر"]
MONTHS_LEV = ["كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول", "تشرين الأول"]
MONTHS_MAG = ["جانفي", "فيفري", "أفريل", "جوان", "جويلية", "أوت", "شتنبر", "نونبر", "دجنبر"]
MONTHS_EN = ["January", "February", "April", "June", "July", "September", "October", "December"]
WEEKDAYS_AR = ["الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"]
WEEKDAYS_EN = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def sentence(rng: random.Random) -> str:
    """One sentence: a dated one a third of the time (Arabic three times in four), else a distractor."""
    if rng.random() < 1 / 3:
        template = rng.choice(DATED_AR if rng.random() < 0.75 else DATED_EN)
    else:
        template = rng.choice(PLAIN)
    return template.format(
        n=f"{rng.randint(1_000, 60_000_000):,}", p=rng.randint(1, 99), y=rng.randint(2018, 2026),
        q=rng.randint(1, 4), d=rng.randint(1, 28), hd=rng.randint(1, 29), mi=rng.randint(1, 12),
        ord=rng.choice(ORD_AR), orde=rng.choice(ORD_EN), m=rng.choice(MONTHS_AR), m2=rng.choice(MONTHS_AR),
        lev=rng.choice(MONTHS_LEV), mag=rng.choice(MONTHS_MAG), me=rng.choice(MONTHS_EN), me2=rng.choice(MONTHS_EN),
        wd=rng.choice(WEEKDAYS_AR), wde=rng.choice(WEEKDAYS_EN),
    )


def corpus(articles: int, seed: int) -> list[tuple[str, str]]:
    """`articles` texts of 2,800-3,200 characters with a publication date each."""
    rng = random.Random(seed)
    out = []
    for _ in range(articles):
        parts: list[str] = []
        target = rng.randint(2_800, 3_200)
        while sum(len(p) + 1 for p in parts) < target:
            parts.append(sentence(rng))
        published = f"{rng.randint(2019, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        out.append((" ".join(parts)[:target], published))
    return out


def best_of(rounds: int, run) -> float:
    """The fastest of `rounds` runs of `run()`, in seconds of this process's CPU time."""
    best = float("inf")
    for _ in range(rounds):
        t0 = time.process_time()
        run()
        best = min(best, time.process_time() - t0)
    return best


def date_examples() -> list[tuple[str, dict]]:
    """(family, example) for every example of the pattern files that find_dates checks."""
    out = []
    for path in patterns.pattern_files():
        data = patterns.load(path.stem)
        if data["meta"].get("checker") == "extractor.dates:check_example":
            out.extend((path.stem, ex) for ex in data["examples"])
    return out


HELDOUT = Path(__file__).with_name("dates_heldout.toml")


def heldout_examples() -> list[dict]:
    """bench/dates_heldout.toml: sentences written after the rules and never used to tune them."""
    with HELDOUT.open("rb") as f:
        return tomllib.load(f)["examples"]


def _load_dateparser():
    try:
        from dateparser.search import search_dates
    except ImportError:
        return None
    return search_dates


def dateparser_dates(search_dates, text: str, published: str | None) -> list[datetime.datetime]:
    """The dates dateparser finds in `text`, relative to `published` (its `RELATIVE_BASE`)."""
    settings = {"PREFER_DATES_FROM": "past"}
    if published:
        settings["RELATIVE_BASE"] = datetime.datetime.fromisoformat(published)
    found = search_dates(text, languages=["ar", "en"], settings=settings) or []
    return [d for _, d in found]


def dateparser_right(example: dict, found: list[datetime.datetime]) -> bool:
    """Whether dateparser's dates answer the example (see the module docstring)."""
    if "dateline" in example:
        want = example["dateline"]
        return (found[0].date().isoformat() == want) if found else want == ""
    if example.get("negative"):
        return not found
    expect = example["expect"]
    wanted = expect if isinstance(expect, list) else [expect]
    iso = [d.date().isoformat() for d in found]
    for w in wanted:
        s, e = w.get("start", ""), w.get("end", "")
        if not s and not e:
            if found:
                return False
            continue
        if s == e or not e or not s:
            one = s or e
            if not any(x[:len(one)] == one for x in iso):
                return False
            continue
        if not any(a[:len(s)] == s and b[:len(e)] == e for a, b in itertools.pairwise(iso)):
            return False
    return True


def accuracy(dateparser_articles: int, seed: int) -> None:
    """Print rasd's and dateparser's accuracy on the date examples, per family, and dateparser's speed."""
    examples = date_examples()
    search_dates = _load_dateparser()
    if search_dates is None:
        print("\ndateparser is not installed: pip install -e '.[bench]' to compare with it (rasd only below).")
    rows: dict[str, list[int]] = {}
    t_rasd = t_dp = 0.0
    for family, ex in examples:
        row = rows.setdefault(family, [0, 0, 0])
        t0 = time.process_time()
        ok = check_example(family, patterns.load(family), ex) is None
        t_rasd += time.process_time() - t0
        row[0] += 1
        row[1] += ok
        if search_dates is not None:
            t0 = time.process_time()
            found = dateparser_dates(search_dates, ex["text"], ex.get("published"))
            t_dp += time.process_time() - t0
            row[2] += dateparser_right(ex, found)
    print(f"\naccuracy on {len(examples)} date examples of our own (patterns/, one file per family):")
    print(f"{'family':22s} {'examples':>8s} {'rasd':>7s} {'dateparser':>11s}")
    total = [0, 0, 0]
    for family, (n, r, d) in sorted(rows.items()):
        total = [total[0] + n, total[1] + r, total[2] + d]
        dp = f"{d / n:10.0%}" if search_dates is not None else "         -"
        print(f"{family:22s} {n:8d} {r / n:7.0%} {dp}")
    n, r, d = total
    dp = f"{d / n:10.0%}" if search_dates is not None else "         -"
    print(f"{'all':22s} {n:8d} {r / n:7.0%} {dp}")
    held = heldout_examples()
    ok_r = sum(check_example("heldout", {}, ex) is None for ex in held)
    misses = [ex["text"] for ex in held if check_example("heldout", {}, ex) is not None]
    ok_d = (sum(dateparser_right(ex, dateparser_dates(search_dates, ex["text"], ex.get("published"))) for ex in held)
            if search_dates is not None else None)
    dp = f"{ok_d / len(held):10.0%}" if ok_d is not None else "         -"
    print(f"{'held-out (bench/)':22s} {len(held):8d} {ok_r / len(held):7.0%} {dp}   <- written after the rules")
    for text in misses:
        print(f"  rasd misses: {text}")
    if search_dates is None:
        return
    chars = sum(len(ex["text"]) for _, ex in examples)
    print(f"on these examples ({chars:,} characters): rasd {t_rasd * 1e3 / len(examples):.2f} ms, dateparser "
          f"{t_dp * 1e3 / len(examples):.2f} ms per example (CPU)")
    texts = corpus(dateparser_articles, seed)
    mb = sum(len(t.encode("utf-8")) for t, _ in texts) / 1e6
    t0 = time.process_time()
    for t, p in texts:
        dateparser_dates(search_dates, t, p)
    secs = time.process_time() - t0
    t0 = time.process_time()
    for t, p in texts:
        find_dates(t, p)
    ours = time.process_time() - t0
    print(f"on {dateparser_articles} generated articles ({mb:.3f} MB): dateparser {mb / secs:.4f} MB/s, "
          f"find_dates {mb / ours:.2f} MB/s (one round, CPU)")


def main() -> None:
    """Generate the corpus, warm up, time find_dates on strings and on normalised texts, print the figures."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=400)
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--no-accuracy", action="store_true", help="only the speed of find_dates")
    ap.add_argument("--dateparser-articles", type=int, default=10, help="articles for dateparser's speed (it is slow)")
    args = ap.parse_args()

    texts = corpus(args.articles, args.seed)
    normalised = [(normalise(t), p) for t, p in texts]
    chars = sum(len(t) for t, _ in texts)
    mb = sum(len(t.encode("utf-8")) for t, _ in texts) / 1e6
    mentions = sum(len(find_dates(t, p)) for t, p in texts)  # warm-up: compiles the rules

    on_str = best_of(args.rounds, lambda: [find_dates(t, p) for t, p in texts])
    on_norm = best_of(args.rounds, lambda: [find_dates(n, p) for n, p in normalised])
    norm_only = best_of(args.rounds, lambda: [normalise(t) for t, _ in texts])

    print(f"corpus: {args.articles} articles, {chars:,} characters ({mb:.2f} MB UTF-8), {mentions:,} mentions")
    rows = (("find_dates(str)", on_str), ("find_dates(Normalised)", on_norm), ("normalise alone", norm_only))
    for name, secs in rows:
        per = secs / chars * 3000 * 1e6
        print(f"{name:24s} {mb / secs:6.2f} MB/s  {chars / secs / 1e6:5.2f} M chars/s  {per:6.0f} µs per 3,000 chars")
    if not args.no_accuracy:
        accuracy(args.dateparser_articles, args.seed)


if __name__ == "__main__":
    main()
