"""The article's own date, before any fact is read: the given `published` wins; else its dateline or byline; else a
date in its URL; else an "updated" stamp; else none (and the text may still fix one: `years.py`'s "today").

Each source but the input's own leaves a warning saying where the date came from (`published_from_dateline`,
`published_from_url`, `published_from_updated`). A URL that holds only a year and month gives the article's month:
month-level relative expressions resolve against it, `published` stays null. No date after the extraction date is
ever the article's. The URL shapes are data in `patterns/dates_url.toml`; the dateline and byline cues in
`patterns/dates_dateline.toml`.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from urllib.parse import unquote

import regex

from ..model import RecordWarning
from ..normalise import Normalised, normalise
from ..patterns import compiled, load
from .dateline import find_dateline


@dataclass(frozen=True, slots=True)
class ArticleDate:
    """When the article was written, as far as the input and its page say."""

    published: str | None  # ISO day, or None
    month: _dt.date | None  # the first day of its month when only the month is known (a /2024/10/ URL)
    source: str  # given | dateline | url | updated | url_month | none
    warning: RecordWarning | None = None


@dataclass(frozen=True)
class _UrlRules:
    shapes: tuple[regex.Pattern[str], ...]
    earliest_year: int


@compiled
def _url_rules() -> _UrlRules:
    data = load("dates_url")
    return _UrlRules(tuple(regex.compile(s["pattern"]) for s in data["shape"]), int(data["url"]["earliest_year"]))


def url_date(url: str | None, today: _dt.date) -> tuple[_dt.date | None, _dt.date | None]:
    """The publication day a URL holds, or (None, the first day of its month) when it holds a year and month only,
    or (None, None)."""
    if not url or "/" not in url:
        return None, None
    rules = _url_rules()
    text = unquote(url)
    for shape in rules.shapes:
        for m in shape.finditer(text):
            y, mo = int(m["y"]), int(m["m"])
            d = m.groupdict().get("d")
            try:
                day = _dt.date(y, mo, int(d) if d else 1)
            except ValueError:
                continue
            if y < rules.earliest_year or day > today:
                continue
            return (day, None) if d else (None, day)
    return None, None


def article_date(text: str | Normalised, published: str | None, url: str | None, today: _dt.date) -> ArticleDate:
    """The article's date from the input (`published`, already validated ISO), its dateline or byline, its URL, or an
    "updated" stamp, in that order (see the module docstring). `text` may come normalised (read once)."""
    if published:
        return ArticleDate(published, None, "given")
    norm = text if isinstance(text, Normalised) else normalise(text)
    text = norm.original
    found = find_dateline(norm, updated=False)
    if found is not None and found[0] <= today:
        day, (s, e) = found
        return ArticleDate(day.isoformat(), None, "dateline", RecordWarning(
            "published_from_dateline",
            f"no publication date was given; {day.isoformat()} was read from the dateline {text[s:e]!r} (offset {s}) "
            "and relative dates were resolved against it"))
    day, month = url_date(url, today)
    if day is not None:
        return ArticleDate(day.isoformat(), None, "url", RecordWarning(
            "published_from_url",
            f"no publication date was given; {day.isoformat()} was read from the URL and relative dates were resolved "
            "against it"))
    found = find_dateline(norm, updated=True)
    if found is not None and found[0] <= today:
        upd, (s, e) = found
        return ArticleDate(upd.isoformat(), None, "updated", RecordWarning(
            "published_from_updated",
            f"no publication date was given; {upd.isoformat()} was read from the page's update stamp {text[s:e]!r} "
            f"(offset {s}) and relative dates were resolved against it"))
    if month is not None:
        return ArticleDate(None, month, "url_month", RecordWarning(
            "month_from_url",
            f"no publication date was given; the URL gives the month {month.isoformat()[:7]}, against which "
            "relative months, quarters and years were resolved"))
    return ArticleDate(None, None, "none")
