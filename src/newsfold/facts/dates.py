"""Event dates: absolute and relative date expressions, resolved against the
publication date.

Absolute dates with a year resolve without a publication date. Everything
relative ("on Wednesday", "last month", "February 10-20" without a year) needs
``published``; when it is None those expressions give nothing (but their spans
are still reported by :func:`date_spans`, so numbers inside them are never
read as quantities).

Weekdays: "on Wednesday" is the latest Wednesday on or before publication
(news reports the past), unless the clause is about the future ("will",
"scheduled", "next") -- then the next one. A weekday directly followed by an
explicit date ("Thursday (February 3)") is covered by that date.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass

from newsfold.facts.model import EventDate

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11,
    "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

_MON = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_FULLMON = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
)
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\d,.]\d)"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_SEP = r"\s*(?:-|–|—|to|through|until|and)\s*"
_WD = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"

# Each pattern starts with a look-ahead for the characters its match can start with
# (or with that character, looking behind from it): re then tries only those positions,
# not every one (the look-behinds and \b at the start cost more than the scan). _CI: the
# non-ASCII letters that match "i" and "s" when case is ignored.
_CI = "\u0130\u0131\u017f"
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"(?P<y>\d(?<![\d-]\d)\d{3})-(?P<mo>\d{1,2})-(?P<d>\d{1,2})(?![\d-])")),
    ("slash", re.compile(r"(?P<a>\d(?<![\d/]\d)\d?)/(?P<b>\d{1,2})/(?P<y>\d{4}|\d{2})(?![\d/])")),
    ("dots", re.compile(r"(?P<d>\d(?<![\d.]\d)\d?)\.(?P<mo>\d{1,2})\.(?P<y>\d{4})(?![\d.])")),
    (
        "mdy",
        re.compile(
            rf"(?=[JFMASOND])\b(?P<m1>{_MON})\s*(?P<d1>{_DAY})"
            rf"(?:{_SEP}(?:(?P<m2>{_MON})\s*)?(?P<d2>{_DAY}))?"
            rf"(?:,?\s+(?P<y>{_YEAR})\b)?"
        ),
    ),
    (
        "dmy",
        re.compile(
            rf"(?=\d)(?<![\d,.])(?P<d1>{_DAY})(?:{_SEP}(?P<d2>{_DAY}))?\s+(?:of\s+)?(?P<m1>{_MON})"
            rf"(?:,?\s+(?P<y>{_YEAR})\b)?"
        ),
    ),
    ("my", re.compile(rf"(?=[JFMASOND])\b(?P<m1>{_MON})\s+(?P<y>{_YEAR})\b")),
    (
        "month",
        re.compile(
            rf"(?=[{_CI}isdublntemoISDUBLNTEMO])"
            rf"\b(?P<rel>(?i:in|since|during|until|by|last|this|next|early|late|mid-?|of))\s+"
            rf"(?:(?:early|late|mid-?)\s*)?(?P<m1>{_FULLMON})\b(?!\s*\d)"
        ),
    ),
    (
        "weekday",
        re.compile(
            rf"(?=[lntcpoLNTCPOMWFS])\b(?:(?P<rel>(?i:last|next|this|coming|past|on))\s+)?"
            rf"(?P<wd>{_WD})\b"
        ),
    ),
    ("day", re.compile(r"(?=[ty])\b(?P<rel>today|yesterday|tomorrow|tonight)\b", re.I)),
    (
        "period",
        re.compile(
            r"(?=[eltnp\s])\b(?P<pre>earlier|later)?\s*\b(?P<rel>last|this|next|past)\s+"
            r"(?P<unit>week|weekend|month|year)\b",
            re.I,
        ),
    ),
    (
        "ago",
        re.compile(
            r"(?=[\daotfsen])\b(?P<n>\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten)\s+"
            r"(?P<unit>day|week|month|year)s?\s+ago\b",
            re.I,
        ),
    ),
    (
        "yrange",
        re.compile(rf"(?=[12])(?<![\d,.$])(?P<y>{_YEAR})\s*[-–/]\s*(?P<y2>\d\d|{_YEAR})(?![\d,])"),
    ),
    ("decade", re.compile(r"(?=[m12])(?<![\d,.])(?:mid-)?(?P<y>1[89]\d0|20\d0)['’]?s\b")),
    (
        "year",
        re.compile(
            rf"(?=[{_CI}isdutbofaelmcISDUTBOFAELMC])"
            rf"\b(?P<rel>(?i:in|since|during|until|till|by|of|from|before|after|early|late|mid-?|"
            rf"throughout|around|circa))\s+(?:early\s+|late\s+)?(?P<y>{_YEAR})\b(?![,.]\d)"
        ),
    ),
]
_FUTURE = re.compile(
    r"\b(?:will|'ll|shall|to be held|scheduled|set to|due to|plans? to|planned|next|upcoming"
    r"|expected to|going to|slated)\b",
    re.I,
)
_WORDNUM = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
            "seven": 7, "eight": 8, "nine": 9, "ten": 10}  # fmt: skip


@dataclass(slots=True)
class _Match:
    kind: str
    start: int
    end: int
    m: re.Match[str]


@functools.lru_cache(maxsize=16)  # date_spans and extract_dates read the same text
def _matches(text: str) -> tuple[_Match, ...]:
    found: list[_Match] = []
    for kind, pat in _PATTERNS:
        for m in pat.finditer(text):
            start = m.start("m1") if kind == "month" else m.start()
            if kind == "year":
                start = m.start("y")
            if kind == "period" and m.group("pre") is None:
                start = m.start("rel")
            found.append(_Match(kind, start, m.end(), m))
    # Longest first, then earliest; drop anything overlapping a kept match.
    found.sort(key=lambda x: (-(x.end - x.start), x.start))
    starts: list[int] = []  # kept spans, sorted and disjoint
    kept: list[_Match] = []
    for f in found:
        i = bisect.bisect_left(starts, f.start)
        if (i < len(kept) and kept[i].start < f.end) or (i > 0 and kept[i - 1].end > f.start):
            continue
        starts.insert(i, f.start)
        kept.insert(i, f)
    return tuple(kept)


def date_spans(text: str) -> list[tuple[int, int]]:
    """Spans of every date-like expression, resolvable or not (numbers inside
    them are not quantities)."""
    return [
        (k.start, k.end) for k in _matches(text) if any(c.isdigit() for c in text[k.start : k.end])
    ]


def _safe_date(y: int, mo: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, mo, d)
    except ValueError:
        return None


def _month_end(y: int, mo: int) -> dt.date:
    return dt.date(y, mo, calendar.monthrange(y, mo)[1])


def _add_months(d: dt.date, n: int) -> dt.date:
    y, mo = divmod(d.month - 1 + n, 12)
    y += d.year
    return dt.date(y, mo + 1, min(d.day, calendar.monthrange(y, mo + 1)[1]))


def _closest_year(mo: int, d: int, published: dt.date) -> int:
    years = (published.year - 1, published.year, published.year + 1)
    return min(years, key=lambda y: abs(((_safe_date(y, mo, d) or published) - published).days))


def _is_future(text: str, start: int) -> bool:
    lo = max(0, start - 60)
    lo = max(text.rfind(".", lo, start), text.rfind("\n", lo, start), lo)
    return bool(_FUTURE.search(text[lo:start]))


def _resolve(
    k: _Match, text: str, published: dt.date | None, lang: str
) -> tuple[dt.date, dt.date | None] | None:
    m, kind = k.m, k.kind
    g = m.groupdict()
    if kind == "iso":
        d = _safe_date(int(g["y"]), int(g["mo"]), int(g["d"]))
        return (d, None) if d else None
    if kind in ("slash", "dots"):
        y = int(g["y"])
        y = y + 2000 if y < 100 else y
        if kind == "dots":
            mo, day = int(g["mo"]), int(g["d"])
        else:
            a, b = int(g["a"]), int(g["b"])
            # US order for English unless impossible; day first elsewhere.
            mo, day = (a, b) if (lang.startswith("en") and a <= 12) or b > 12 else (b, a)
        d = _safe_date(y, mo, day)
        return (d, None) if d else None
    if kind in ("mdy", "dmy", "my", "month"):
        mo = MONTHS[g["m1"].rstrip(".").lower()]
        year = int(g["y"]) if g.get("y") else None
        if kind in ("my", "month"):
            if year is None:
                if published is None:
                    return None
                rel = (g.get("rel") or "").lower()
                year = published.year
                if rel == "next" or (rel not in ("last", "since") and _is_future(text, k.start)):
                    year += mo < published.month
                elif mo > published.month:
                    year -= 1
            return dt.date(year, mo, 1), _month_end(year, mo)
        d1 = int(re.sub(r"\D", "", g["d1"]))
        if year is None:
            if published is None:
                return None
            year = _closest_year(mo, d1, published)
        first = _safe_date(year, mo, d1)
        if first is None:
            return None
        if g.get("d2"):
            mo2 = MONTHS[g["m2"].rstrip(".").lower()] if g.get("m2") else mo
            d2 = int(re.sub(r"\D", "", g["d2"]))
            last = _safe_date(year + (mo2 < mo), mo2, d2)
            if last is None or last <= first:
                return (first, None)
            return first, last
        return first, None
    if kind == "yrange":
        y1 = int(g["y"])
        y2 = int(g["y2"]) if len(g["y2"]) == 4 else (y1 // 100) * 100 + int(g["y2"])
        return (dt.date(y1, 1, 1), dt.date(y2, 12, 31)) if y2 > y1 else None
    if kind == "decade":
        y = int(g["y"])
        return dt.date(y, 1, 1), dt.date(y + 9, 12, 31)
    if kind == "year":
        y = int(g["y"])
        return dt.date(y, 1, 1), dt.date(y, 12, 31)
    if published is None:
        return None
    if kind == "weekday":
        target = WEEKDAYS.index(g["wd"].lower())
        rel = (g.get("rel") or "").lower()
        back = (published.weekday() - target) % 7
        fwd = (target - published.weekday()) % 7
        if rel == "last" or rel == "past":
            return published - dt.timedelta(days=back or 7), None
        if rel in ("next", "coming") or _is_future(text, k.start):
            return published + dt.timedelta(days=fwd or 7 if rel else fwd), None
        return published - dt.timedelta(days=back), None
    if kind == "day":
        off = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[g["rel"].lower()]
        return published + dt.timedelta(days=off), None
    if kind == "period":
        rel, unit, pre = g["rel"].lower(), g["unit"].lower(), (g.get("pre") or "").lower()
        if rel == "past":
            days = {"week": 7, "weekend": 3, "month": 30, "year": 365}[unit]
            return published - dt.timedelta(days=days), published
        step = {"last": -1, "this": 0, "next": 1}[rel]
        if unit in ("week", "weekend"):
            monday = published - dt.timedelta(days=published.weekday()) + dt.timedelta(weeks=step)
            lo = monday + dt.timedelta(days=5 if unit == "weekend" else 0)
            hi = monday + dt.timedelta(days=6)
        elif unit == "month":
            lo = _add_months(published.replace(day=1), step)
            hi = _month_end(lo.year, lo.month)
        else:
            lo, hi = dt.date(published.year + step, 1, 1), dt.date(published.year + step, 12, 31)
        if step == 0 and pre == "earlier":
            hi = published
        elif step == 0 and pre == "later":
            lo = published
        return lo, hi
    if kind == "ago":
        n_txt = g["n"].lower()
        n = int(n_txt) if n_txt.isdigit() else _WORDNUM.get(n_txt, 1)
        unit = g["unit"].lower()
        if unit == "day":
            return published - dt.timedelta(days=n), None
        if unit == "week":
            return published - dt.timedelta(weeks=n), None
        if unit == "month":
            return _add_months(published, -n), None
        return _add_months(published, -12 * n), None
    return None


def extract_dates(text: str, published: dt.date | None, lang: str = "en") -> list[EventDate]:
    """Event dates in ``text`` resolved against ``published``."""
    english = lang.startswith("en")
    matches = _matches(text)
    out: list[EventDate] = []
    for i, k in enumerate(matches):
        if not english and k.kind not in ("iso", "slash", "dots"):
            continue
        if k.kind == "weekday" and i + 1 < len(matches):
            gap = text[k.end : matches[i + 1].start]
            if (
                len(gap) <= 3
                and re.fullmatch(r"[\s,(]*", gap)
                and matches[i + 1].kind not in ("weekday", "day", "period")
            ):
                continue
        res = _resolve(k, text, published, lang)
        if res is None:
            continue
        out.append(EventDate(k.start, k.end, text[k.start : k.end], res[0], res[1]))
    return out
