"""One self-contained HTML page about a set of records: a chart, the fused series, conflicts, flags and warnings.

The page needs no network: no script at all, inline CSS, the chart an inline SVG drawn by matplotlib (extra
`[report]`, Agg canvas, text drawn as paths so no font is fetched), and a Content-Security-Policy that forbids
loading anything. Everything that comes from the records is HTML-escaped; links are kept only for http(s) URLs.
Arabic text is marked `lang="ar" dir="rtl"`, numbers and periods inside it are isolated with `<bdi>`.

The page stays small on big runs (30,000 records of reprints made an 88 MB page): each series row shows a sample of
its sources with their evidence (`SAMPLE_PER_ROW`, the most precise statements of distinct articles first), the
`TOP_CONFLICTS` conflicts with the most articles show their evidence, the other conflicts a one-line summary, and
warnings and flags are capped; everything left out is counted and linked to the records file(s) the page was made
from. The chart's quarter axis is continuous: a quarter without figures keeps its place, shaded, so 2018 Q3 never
stands beside 2023 Q4.
"""

from __future__ import annotations

import html
import io
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from . import __version__
from .chars import ARABIC_DECIMAL_SEPARATOR, ARABIC_INDIC_DIGITS, ARABIC_THOUSANDS_SEPARATOR, PERSIAN_DIGITS
from .errors import MissingExtraError
from .model import ArticleRecord
from .series import Reading, Series, SeriesRow, Statement, fuse, month_span, row_status

_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_DIGIT = f"[0-9{ARABIC_INDIC_DIGITS}{PERSIAN_DIGITS}]"
# Dates and separated numbers (2024-12-31, 35,634,916) are isolated left-to-right inside right-to-left text.
_LTR_RUN = re.compile(f"{_DIGIT}+(?:[-/.,:{ARABIC_DECIMAL_SEPARATOR}{ARABIC_THOUSANDS_SEPARATOR}]{_DIGIT}+)+")
CHART_METRICS = (("content_removed", "Content removed"), ("channels_closed", "Channels closed"))
SAMPLE_PER_ROW = 3  # sources (distinct articles) shown with their evidence per row or conflicting reading
TOP_CONFLICTS = 25  # conflicts shown with their evidence; the others get a one-line summary
MAX_WARNINGS = 200  # record warnings listed one by one (after a count per code)
MAX_FLAGS = 500  # cross-period flags listed one by one
_LABEL_EVERY_QUARTER = 16  # up to this many quarters every tick is labelled "2024 Q3"; beyond, the years only
# Fixed colours per organisation so that the chart reads the same across reports (matplotlib's tab10).
_COLOURS = {None: "#1f77b4", "isis": "#ff7f0e", "hts": "#2ca02c", "al-qaeda": "#d62728"}
_MORE_COLOURS = ("#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf")

_CSS = """
body{font-family:system-ui,"Noto Sans","Noto Naskh Arabic","DejaVu Sans",sans-serif;margin:1.5rem;color:#222;
 line-height:1.45}
h1{font-size:1.5rem;margin:0 0 .3rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ccc}
.summary{color:#555}nav a{margin-right:1rem}
figure{margin:0}figure svg{width:100%;max-width:1100px;height:auto;display:block}
figcaption{color:#555;font-size:.9rem}
table{border-collapse:collapse;font-size:.9rem;margin:.5rem 0}
th,td{border:1px solid #ddd;padding:.25rem .45rem;vertical-align:top;text-align:start}
th{background:#f3f3f3}td.num{text-align:end;font-variant-numeric:tabular-nums;white-space:nowrap}
tr.conflict td{background:#fff3f0}tr.flagged td{background:#fffbe6}
.status{font-size:.8rem;font-weight:600;padding:0 .3rem;border-radius:.2rem}
.status.ok{color:#276227}.status.conflict{color:#a12a0c}.status.flagged{color:#7a5b00}
blockquote{margin:.2rem 0 .5rem;padding:.2rem .5rem;border-inline-start:3px solid #bbb;background:#fafafa}
mark{background:#ffe58a}a{color:#1a4f8b}.cut{color:#a12a0c;font-size:.8rem}.conf{color:#555;font-size:.8rem}
.reviewed{color:#1d5e2a;font-size:.8rem;font-weight:600}
details summary{cursor:pointer}ul.sources{margin:.2rem 0;padding-inline-start:1.2rem}.more{color:#555}
"""


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _mixed(text: str | None) -> str:
    """Escaped text with its dates and separated numbers wrapped in left-to-right `<bdi>`."""
    text = text or ""
    out, last = [], 0
    for m in _LTR_RUN.finditer(text):
        out.append(f'{_e(text[last:m.start()])}<bdi dir="ltr">{_e(m.group())}</bdi>')
        last = m.end()
    return "".join(out) + _e(text[last:])


def _lang_attrs(text: str | None) -> str:
    return ' lang="ar" dir="rtl"' if text and _ARABIC.search(text) else ' lang="en" dir="ltr"'


def _num(value: Any) -> str:
    text = f"{value:,}" if isinstance(value, int | float) and not isinstance(value, bool) else str(value)
    return f'<bdi dir="ltr">{_e(text)}</bdi>'


def _period(row_or_stmt: Any) -> str:
    p = row_or_stmt.period
    return f'<bdi dir="ltr">{_e(p.start or "…")} – {_e(p.end or "…")}</bdi>'


def _link(url: str | None, label: str) -> str:
    if url and re.match(r"https?://", url, re.IGNORECASE):
        return f'<a href="{_e(url)}" rel="noreferrer noopener">{label}</a>'
    return label


def _evidence(s: Statement) -> str:
    sentence, text = s.sentence or "", s.evidence_text or ""
    if not sentence and not text:
        return ""
    i = sentence.find(text) if text else -1
    if i >= 0:
        body = f"{_mixed(sentence[:i])}<mark><bdi>{_e(text)}</bdi></mark>{_mixed(sentence[i + len(text):])}"
    else:
        body = _mixed(sentence) + (f" <mark><bdi>{_e(text)}</bdi></mark>" if text else "")
    return f"<blockquote{_lang_attrs(sentence or text)}>{body}</blockquote>"


def _confidence(value: float | None) -> str:
    return "" if value is None else f'<bdi dir="ltr">{value:.2f}</bdi>'


def _source_item(s: Statement) -> str:
    title = f" — <bdi{_lang_attrs(s.title)}>{_mixed(s.title)}</bdi>" if s.title else ""
    cut = f' <span class="cut">cut off: {_e(s.cut_off)}</span>' if s.cut_off else ""
    sure = ""
    if s.confidence is not None:
        doubts = f" ({_e(', '.join(s.doubts))})" if s.doubts else ""
        sure = f' <span class="conf">confidence {_confidence(s.confidence)}{doubts}</span>'
    reviewed = f' <span class="reviewed">reviewed: {_e(s.reviewed)}</span>' if s.reviewed else ""
    return (f"<li>{_link(s.url, _e(s.record_id))} <small>{_e(s.published or 'date unknown')}</small>{title}: "
            f"{_num(s.value)} {_e(s.qualifier)}{cut}{sure}{reviewed}{_evidence(s)}</li>")


def sample(stmts: Sequence[Statement], k: int = SAMPLE_PER_ROW) -> list[Statement]:
    """Up to `k` statements of distinct articles: uncut, reviewed, most precise, exact, earliest published first."""
    chosen: list[Statement] = []
    seen: set[str] = set()
    for st in sorted(stmts, key=lambda x: (x.cut_off is not None, x.reviewed is None, x.precision,
                                           x.qualifier != "exact", x.published or "9999", x.record_id)):
        if st.record_id not in seen:
            seen.add(st.record_id)
            chosen.append(st)
            if len(chosen) == k:
                break
    return chosen


class _Context:
    """What every part of one page shares: where the records it was made from are (for the links to the rest)."""

    def __init__(self, records_files: Sequence[str], page: Path | None) -> None:
        self.links = []
        for f in records_files:
            if f == "-":
                continue
            target = os.path.relpath(os.path.abspath(f), os.path.abspath(page.parent)) if page else f
            self.links.append(f'<a href="{_e(quote(target.replace(os.sep, "/")))}">{_e(Path(f).name)}</a>')

    def rest(self, n: int, what: str) -> str:
        """`+ n more <what>` with the records file(s) holding them."""
        where = f" in {', '.join(self.links)}" if self.links else " in the records"
        return f'<p class="more">+ {n:,} more {what}{where}</p>'


def _sources(stmts: Sequence[Statement], label: str, ctx: _Context, *, open_: bool = False) -> str:
    shown = sample(stmts)
    items = "".join(_source_item(s) for s in shown)
    left = len({s.record_id for s in stmts}) - len(shown)
    more = ctx.rest(left, "article" + ("" if left == 1 else "s")) if left > 0 else ""
    return (f'<details{" open" if open_ else ""}><summary>{label}</summary><ul class="sources">{items}</ul>{more}'
            "</details>")


def _articles(n: int) -> str:
    return f"{n} article" + ("" if n == 1 else "s")


def _org(row: SeriesRow) -> str:
    return _e(row.organization or "all groups")


# --- chart ----------------------------------------------------------------------------------------------------
def _quarter_of(row: SeriesRow) -> tuple[int, int] | None:
    span = month_span(row.period, row.scope)
    if row.scope != "period" or span is None or span[1] - span[0] != 2 or span[0] % 3:
        return None
    return span[0] // 12, span[0] % 12 // 3 + 1


def quarter_axis(quarters: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Every calendar quarter from the first to the last of `quarters`, gaps included, as (year, quarter)."""
    present = sorted(set(quarters))
    if not present:
        return []
    (y0, q0), (y1, q1) = present[0], present[-1]
    return [(i // 4, i % 4 + 1) for i in range(y0 * 4 + q0 - 1, y1 * 4 + q1)]


def chart_figure(series: Series) -> Any:
    """The matplotlib Figure of the chart (two panels, one continuous quarter axis each)."""
    try:
        import matplotlib
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except Exception as exc:  # not installed, or installed and broken
        raise MissingExtraError("report", "matplotlib", exc) from None
    data: dict[str, dict[tuple[Any, ...], dict[tuple[int, int], SeriesRow]]] = {m: {} for m, _ in CHART_METRICS}
    for r in series.rows:
        q = _quarter_of(r)
        if q is None or r.metric not in data or r.unit != "count":
            continue
        data[r.metric].setdefault((r.partners, r.platform, r.organization), {})[q] = r
    labels = sorted({k for d in data.values() for k in d}, key=lambda k: (k[0], k[1] or "", k[2] or ""))
    many_platforms = len({k[1] for k in labels}) > 1
    many_partners = len({k[0] for k in labels}) > 1
    colours: dict[tuple[Any, ...], str] = {}
    spare = iter(_MORE_COLOURS * 10)
    rows_of = {k: sum(len(d.get(k, {})) for d in data.values()) for k in labels}
    for k in sorted(labels, key=lambda k: -rows_of[k]):  # the biggest series keep the organisations' colours
        colour = _COLOURS.get(k[2])
        colours[k] = next(spare) if colour is None or colour in colours.values() else colour

    def name(k: tuple[Any, ...]) -> str:
        parts = ([" + ".join(k[0]) or "no partner"] if many_partners else []) + (
            [k[1] or "no platform"] if many_platforms else []) + [k[2] or "all groups"]
        return " · ".join(parts)

    with matplotlib.rc_context({"svg.fonttype": "path", "svg.hashsalt": "rasd", "font.size": 9}):
        fig = Figure(figsize=(11, 7.2), layout="constrained")
        FigureCanvasAgg(fig)
        axes = fig.subplots(2, 1)
        for ax, (metric, title) in zip(axes, CHART_METRICS, strict=True):
            by_label = data[metric]
            quarters = quarter_axis(q for d in by_label.values() for q in d)
            ax.set_title(f"{title} per quarter", loc="left", fontsize=11)
            if not quarters:
                ax.text(0.5, 0.5, "no quarterly figures in these records", ha="center", va="center",
                        transform=ax.transAxes, color="#555")
                ax.set_xticks([])
                ax.set_yticks([])
                continue
            present = [k for k in labels if k in by_label]
            width = 0.8 / len(present)
            scale, unit = (1e6, " (millions)") if metric == "content_removed" else (1, "")
            for j, k in enumerate(present):
                xs, ys, hatches = [], [], []
                for x, q in enumerate(quarters):
                    row = by_label[k].get(q)
                    if row is not None:
                        xs.append(x - 0.4 + width * (j + 0.5))
                        ys.append(row.value / scale)
                        hatches.append("//" if row.conflict else "")
                bars = ax.bar(xs, ys, width=width * 0.95, color=colours[k], label=name(k))
                for bar, hatch in zip(bars, hatches, strict=True):
                    if hatch:
                        bar.set_hatch(hatch)
                        bar.set_edgecolor("#333")
            empty = [x for x, q in enumerate(quarters) if not any(q in d for d in by_label.values())]
            for x in empty:  # a quarter without figures keeps its place on the axis, shaded
                ax.axvspan(x - 0.5, x + 0.5, color="#eeeeee", zorder=0, linewidth=0)
            if len(quarters) <= _LABEL_EVERY_QUARTER:
                ax.set_xticks(range(len(quarters)), [f"{y} Q{n}" for y, n in quarters])
            else:
                labelled = [(x, y, n) for x, (y, n) in enumerate(quarters) if n == 1 or x == 0]
                ax.set_xticks([x for x, _, _ in labelled], [str(y) if n == 1 else f"{y} Q{n}" for _, y, n in labelled])
                ax.set_xticks(range(len(quarters)), minor=True)
            ax.set_xlim(-0.6, len(quarters) - 0.4)
            if empty:
                ax.text(1, 1.01, f"shaded: {len(empty)} quarter{'' if len(empty) == 1 else 's'} without figures",
                        transform=ax.transAxes, ha="right", va="bottom", fontsize=8, color="#555")
            ax.set_ylabel(f"{title.lower()}{unit}")
            ax.grid(axis="y", color="#ddd", linewidth=0.6)
            ax.set_axisbelow(True)
            ax.legend(loc="upper left", fontsize=8, frameon=False)
            for side in ("top", "right"):
                ax.spines[side].set_visible(False)
    return fig


def chart_svg(series: Series) -> str:
    """The chart of removed content and closed channels per quarter and organisation, as an inline SVG element."""
    fig = chart_figure(series)  # raises MissingExtraError without matplotlib
    import matplotlib

    with matplotlib.rc_context({"svg.fonttype": "path", "svg.hashsalt": "rasd", "font.size": 9}):
        buf = io.StringIO()
        fig.savefig(buf, format="svg", metadata={"Date": None})
    svg = buf.getvalue()
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else svg


# --- page -----------------------------------------------------------------------------------------------------
def _series_table(series: Series, ctx: _Context) -> str:
    head = ("<tr><th>#</th><th>status</th><th>partners</th><th>platform</th><th>metric</th><th>organisation</th>"
            "<th>scope</th><th>period</th><th>value</th><th>qualifier</th><th>articles</th><th>first published</th>"
            "<th>lowest confidence</th></tr>")
    body = []
    for i, r in enumerate(series.rows):
        status = row_status(r, series.flags_of(i))
        body.append(
            f'<tr id="row-{i}" class="{status}"><td class="num">{i}</td>'
            f'<td><span class="status {status}">{status}</span></td><td>{_e(" ".join(r.partners))}</td>'
            f"<td>{_e(r.platform)}</td><td>{_e(r.metric)}</td><td>{_org(r)}</td><td>{_e(r.scope)}</td>"
            f'<td>{_period(r)}</td><td class="num">{_num(r.value)}</td><td>{_e(r.qualifier)}</td>'
            f"<td>{_sources(r.sources, _articles(r.articles), ctx)}</td>"
            f'<td>{_e(r.first_published)}</td><td class="num">{_confidence(r.lowest_confidence)}'
            f"{_reviewed_note(r.sources)}</td></tr>")
    return f"<table><thead>{head}</thead><tbody>{''.join(body)}</tbody></table>"


def _reviewed_note(stmts: Sequence[Statement]) -> str:
    """`2 corrected, 1 right` when a reviewer judged some of the row's facts (--corrections)."""
    corrected = sum(1 for s in stmts if s.reviewed and s.reviewed.startswith("corrected"))
    right = sum(1 for s in stmts if s.reviewed == "right")
    parts = [f"{corrected} corrected"] * bool(corrected) + [f"{right} right"] * bool(right)
    return f'<br><span class="reviewed">{", ".join(parts)}</span>' if parts else ""


def _reading_row(label: str, rd: Reading, ctx: _Context) -> str:
    cut = ' <span class="cut">cut-off figure: cannot win</span>' if rd.cut_off else ""
    return (f'<tr><td>{label}</td><td class="num">{_num(rd.value)}</td><td>{_e(rd.qualifier)}{cut}</td>'
            f"<td>{_sources(rd.statements, _articles(rd.articles), ctx, open_=True)}</td></tr>")


def top_conflicts(series: Series, n: int = TOP_CONFLICTS) -> list[int]:
    """Indexes of the `n` conflicts shown with evidence: most articles involved first, then the widest gap."""
    def weight(i: int) -> tuple[Any, ...]:
        r = series.rows[i]
        values = [abs(x.value) for x in (r.reading, *r.others)]
        gap = (max(values) - min(values)) / max(max(values), 1)
        return (-sum(x.articles for x in (r.reading, *r.others)), -gap, i)
    return sorted(sorted((i for i, r in enumerate(series.rows) if r.conflict), key=weight)[:n])


def _conflicts(series: Series, ctx: _Context) -> str:
    if not series.conflicts:
        return "<p>No conflicts: every figure agrees with the others of its row (equal, rounded or hedged).</p>"
    top = set(top_conflicts(series))
    out, brief = [], []
    total = len(series.conflicts)
    if total > len(top):
        out.append(f"<p>{total:,} conflicts; the {len(top)} with the most articles are shown with their evidence, "
                   "the others in the table after them.</p>")
    for i, r in enumerate(series.rows):
        if not r.conflict:
            continue
        if i not in top:
            values = "; ".join(f"{_num(x.value)} {_e(x.qualifier)} ({_articles(x.articles)})"
                               for x in (r.reading, *r.others))
            brief.append(f'<tr><td><a href="#row-{i}">row {i}</a></td><td>{_e(r.metric)}</td><td>{_org(r)}</td>'
                         f"<td>{_e(r.scope)}</td><td>{_period(r)}</td><td>{values}</td></tr>")
            continue
        readings = _reading_row("kept", r.reading, ctx) + "".join(_reading_row("other", o, ctx) for o in r.others)
        out.append(
            f'<h3 id="conflict-{i}"><a href="#row-{i}">row {i}</a>: {_e(r.metric)}, {_org(r)}, {_e(r.scope)}, '
            f"{_period(r)}</h3><table><thead><tr><th></th><th>value</th><th>qualifier</th><th>sources</th></tr>"
            f"</thead><tbody>{readings}</tbody></table>")
    if brief:
        out.append("<h3>Other conflicts</h3><table><thead><tr><th>row</th><th>metric</th><th>organisation</th>"
                   "<th>scope</th><th>period</th><th>kept value; other values</th></tr></thead>"
                   f"<tbody>{''.join(brief)}</tbody></table>")
    return "".join(out)


def _row_links(rows: Iterable[int]) -> str:
    return " ".join(f'<a href="#row-{i}">row {i}</a>' for i in rows)


def _flags(series: Series, ctx: _Context) -> str:
    if not series.flags:
        return "<p>No flags: the stated parts, totals and running totals are consistent where they meet.</p>"
    rows = "".join(
        f"<tr><td>{_e(f.code)}</td><td>{_e(f.message)}</td>"
        f"<td>{_row_links(f.rows)}</td></tr>" for f in series.flags[:MAX_FLAGS])
    left = len(series.flags) - MAX_FLAGS
    more = f'<p class="more">+ {left:,} more flags: rasd series writes them all</p>' if left > 0 else ""
    return (f"<table><thead><tr><th>check</th><th>finding</th><th>rows</th></tr></thead><tbody>{rows}</tbody>"
            f"</table>{more}")


def _warnings(series: Series, ctx: _Context) -> str:
    if not series.warnings:
        return "<p>The records carry no warnings.</p>"
    counts: dict[str, int] = {}
    for w in series.warnings:
        counts[w.code] = counts.get(w.code, 0) + 1
    head = ""
    if len(series.warnings) > MAX_WARNINGS:
        per_code = "".join(f'<tr><td>{_e(c)}</td><td class="num">{n:,}</td></tr>'
                           for c, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
        head = (f"<table><thead><tr><th>code</th><th>warnings</th></tr></thead><tbody>{per_code}</tbody></table>"
                f"<p>The first {MAX_WARNINGS} warnings:</p>")
    rows = "".join(
        f"<tr><td>{_link(w.url, _e(w.record_id))}</td><td>{_e(w.code)}</td>"
        f"<td{_lang_attrs(w.message)}>{_mixed(w.message)}</td></tr>" for w in series.warnings[:MAX_WARNINGS])
    left = len(series.warnings) - MAX_WARNINGS
    return (f"{head}<table><thead><tr><th>record</th><th>code</th><th>message</th></tr></thead><tbody>{rows}</tbody>"
            f"</table>{ctx.rest(left, 'warnings') if left > 0 else ''}")


def report_html(series: Series, title: str = "rasd report", *, records_files: Sequence[str] = (),
                page: str | os.PathLike[str] | None = None) -> str:
    """The whole report page as a string; `records_files` (linked relative to `page`) hold what is left out."""
    ctx = _Context(records_files, Path(page) if page is not None else None)
    chart = chart_svg(series)
    drawn = sum(1 for r in series.rows if _quarter_of(r) and r.metric in dict(CHART_METRICS))
    counts = ((series.records, "record"), (series.facts, "fact"), (len(series.rows), "series row"),
              (len(series.conflicts), "conflict"), (len(series.flags), "flag"), (len(series.warnings), "warning"))
    summary = ", ".join(f"{n} {w}{'' if n == 1 else 's'}" for n, w in counts) + "."
    return f"""<!DOCTYPE html>
<html lang="en" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="rasd {_e(__version__)}">
<title>{_e(title)}</title>
<style>{_CSS}</style>
</head>
<body>
<header>
<h1>{_e(title)} <span lang="ar" dir="rtl">رصد</span></h1>
<p class="summary">{_e(summary)}</p>
<nav><a href="#series">series</a><a href="#conflicts">conflicts</a><a href="#flags">flags</a>
<a href="#warnings">warnings</a></nav>
</header>
<section id="chart">
<h2>Removed content and closed channels per quarter</h2>
<figure>{chart}
<figcaption>Calendar-quarter rows only ({drawn} drawn); hatched bars rest on conflicting sources. Every other
period (years, months, running totals, peaks) is in the table below.</figcaption></figure>
</section>
<section id="series"><h2>Series</h2>
<p>One row per partners, platform, metric, organisation, scope and period: the best-supported value (the exact
figure whenever a source has it), with its articles and the evidence sentences of up to {SAMPLE_PER_ROW} of them.
The lowest confidence among a row's supporting facts says which rows to check first (a fact a reviewer judged counts
1.00; nothing is weighted by confidence).</p>
{_series_table(series, ctx)}</section>
<section id="conflicts"><h2>Conflicts</h2>{_conflicts(series, ctx)}</section>
<section id="flags"><h2>Flags</h2>{_flags(series, ctx)}</section>
<section id="warnings"><h2>Warnings of the records</h2>{_warnings(series, ctx)}</section>
</body>
</html>
"""


def render_report(records: Iterable[ArticleRecord | dict[str, Any]] | Series, path: str | os.PathLike[str],
                  *, title: str = "rasd report", records_files: Sequence[str] = ()) -> Path:
    """Fuse `records` (or take a fused `Series`) and write the self-contained HTML report to `path`; the page links
    to `records_files` (the files the records came from) for the sources and warnings it leaves out."""
    series = records if isinstance(records, Series) else fuse(records)
    page = report_html(series, title, records_files=records_files, page=path)
    target = Path(path)
    tmp = target.with_name(f".{target.name}.tmp{os.getpid()}")
    tmp.write_text(page, encoding="utf-8")
    os.replace(tmp, target)
    return target


__all__ = ["chart_figure", "chart_svg", "quarter_axis", "render_report", "report_html", "sample", "top_conflicts"]
