"""Stage 3, dating: when was an article published, how sure are we, and why.

:func:`resolve_date` reads the evidence in this order and stops at the first
that yields a date:

============  ==========  ===================================================
source        confidence  evidence
============  ==========  ===================================================
``given``     1.0         ``doc.published`` (JSON field): ISO dates/datetimes,
                          RFC 2822, "3 February 2022", "Feb 3, 2022", ...
``header``    1.0         ``doc.header_date`` (``date YYYY-MM-DD`` line)
``html``      0.9         ``doc.html_date`` (page metadata)
``url``       0.8 / 0.7   ``/2022/02/03/``, ``2022-02-03``; ``/20220203/`` (0.7)
``dateline``  0.8 - 0.9   a full date (year written) in a wire dateline or a
                          masthead / "Published" line in the first 400
                          characters of the text: the report's own date
``text``      0.3 - 0.9   other dates in the title and the first ~1500
                          characters
``none``      0.0         nothing found
============  ==========  ===================================================

Text dates: full dates (``Monday (10/17/2022)``, ``3 February 2022``, ``Montag,
10. März 2025``, ``2022-02-03``), datelines (``NORDVIK, March 4 (Meridian Wire) -``)
and "Published ..." lines. A weekday next to the date is checked (and chooses
between month/day and day/month readings of ``3/4/2025``). A date without a
year (``Thursday (February 3)``) takes its year from the other dates and years in
the text, keeping only years where the weekday fits; failing that, the weekday
alone picks the most recent fitting year among the last ten (lower confidence).
Without weekday or year clue it stays unresolved. Confidence: full date with a
matching weekday 0.8, full date 0.7 (0.6 further down the text), year-less date
with its year from the text 0.6 with a weekday / 0.5 without (0.4 from a bare
year), year from the weekday alone 0.4 (0.3 when two of the ten years fit); a
weekday that contradicts the date -0.3; a dateline or "Published" line +0.1 (at
most 0.9). A birth date ("born on April 22, 1923") is left out when it is more than
a year old or the text names a later year. The best-scored candidate wins, the
earliest on a tie. Month names in other languages go to ``dateparser.search_dates``,
on the short candidate only.

:func:`anchor_on_related` is the second pass for an article still undated: it
places the weekdays the article mentions ("said on Friday") against dated
articles of the same storyline. See its docstring for the rule.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from collections.abc import Iterable
from typing import Any

from newsfold.models import DateResult, RawDocument

__all__ = [
    "anchor_on_related",
    "in_dateline",
    "parse_date_string",
    "resolve_date",
    "weekday_mentions",
]

HEAD_CHARS = 1500  # how far into the text dates are looked for
_WEEKDAY_NAMES = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

# Month names (English, French, German, Spanish, Italian, Portuguese, Dutch) -> number.
_MONTH_WORDS = {
    1: "january jan janvier januar jänner enero gennaio janeiro januari",
    2: "february feb febr février fevrier februar febrero febbraio fevereiro februari",
    3: "march mar mars märz maerz marzo março maart",
    4: "april apr avril abril aprile",
    5: "may mai mayo maggio maio mei",
    6: "june jun juin juni junio giugno junho",
    7: "july jul juillet juli julio luglio julho",
    8: "august aug août aout agosto augustus",
    9: "september sep sept septembre septiembre setiembre settembre setembro",
    10: "october oct octobre oktober octubre ottobre outubro",
    11: "november nov novembre noviembre novembro",
    12: "december dec décembre decembre dezember diciembre dicembre dezembro",
}
MONTHS = {w: m for m, words in _MONTH_WORDS.items() for w in words.split()}
# Weekday names -> 0 (Monday) .. 6 (Sunday).
_WEEKDAY_WORDS = {
    0: "monday mon lundi montag lunes lunedì lunedi segunda-feira maandag",
    1: "tuesday tue tues mardi dienstag martes martedì martedi terça-feira dinsdag",
    2: "wednesday wed mercredi mittwoch miércoles miercoles mercoledì mercoledi "
    "quarta-feira woensdag",
    3: "thursday thu thur thurs jeudi donnerstag jueves giovedì giovedi quinta-feira donderdag",
    4: "friday fri vendredi freitag viernes venerdì venerdi sexta-feira vrijdag",
    5: "saturday sat samedi samstag sonnabend sábado sabado zaterdag",
    6: "sunday sun dimanche sonntag domingo domenica zondag",
}
WEEKDAYS = {w: d for d, words in _WEEKDAY_WORDS.items() for w in words.split()}


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


# Every written date holds a number: candidates are found from their digits (a
# cheap scan), then the words around them are read with small anchored patterns.
_DIGITS = re.compile(r"\d+")
_ISO_AT = re.compile(r"(?P<iso>(?:19|20)\d{2})[-/.](?P<im>\d{1,2})[-/.](?P<id>\d{1,2})(?!\d)")
_NUMERIC_AT = re.compile(
    r"(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})(?P=sep)"
    r"(?P<year>(?:19|20)\d{2})(?!\d)"
)
_DAY_FIRST_AT = re.compile(
    r"(?P<day>\d{1,2})(?:st|nd|rd|th|er|º)?\.?\s+(?:de\s+|of\s+)?"
    r"(?P<mon>[^\W\d_]{3,10})\.?(?:,?\s+(?:de\s+)?(?P<year>(?:19|20)\d{2})"
    r"(?!\d))?(?![^\W\d_])"
)
_MONTH_BEFORE = re.compile(r"(?<![^\W\d_])(?P<mon>[^\W\d_]{3,10})\.?\s+$")
_DAY_AFTER = re.compile(
    r"(?P<day>\d{1,2})(?:st|nd|rd|th)?(?!\d|,\d{3}|\s*(?:-|–|to|and|bis|au|"
    r"al)\s*\d)(?:,?\s+(?P<year>(?:19|20)\d{2})(?!\d))?"
)
_WEEKDAY_BEFORE = re.compile(
    rf"(?<![^\W\d_])(?P<wd>{_alternation(WEEKDAYS)})\.?,?\s*"
    r"(?:\(|the\s+|le\s+|den\s+|el\s+)?$",
    re.I,
)
# A date with a month word newsfold does not know ("3 февраля 2022"): for dateparser.
_FOREIGN = re.compile(
    r"(?<!\d)\d{1,2}\.?\s+(?P<w>[^\W\d_]{3,12})\.?,?\s+(?:de\s+)?(?:19|20)\d{2}"
    r"(?!\d)|(?P<w2>[^\W\d_]{3,12})\.?\s+\d{1,2},?\s+(?:19|20)\d{2}(?!\d)"
)
_PUBLISHED_LINE = re.compile(
    r"^(?:published|posted|updated|publi[ée]|ver[öo]ffentlicht|publicado|"
    r"pubblicato)\b|\s[|·•]\s",
    re.I,
)
_DATELINE = re.compile(r"^[A-ZÀ-Þ][\w .'’-]{1,40}(?:, [\w .'’-]{2,40}){0,2},\s+$")
_YEARS = re.compile(r"(?:19|20)\d{2}(?![\d,]|\.\d)")
_IN_DATE = re.compile(
    r"(?:\d{1,2}[/.-]\d{1,2}[/.-]|(?P<mon>[^\W\d_]{3,10})\.?\s+\d{1,2}(?:st|nd|"
    r"rd|th)?,?\s+|\d{1,2}\.?\s+(?:de\s+)?(?P<mon2>[^\W\d_]{3,10})\.?,?\s+(?:de\s+)?)$"
)
# A birth date ("was born on April 22, 1923", "née le 3 mars 1950") is not the day of the
# report (an obituary's or a profile's lead date otherwise): left out when it is more than a
# year before today or the text names a later year (a report of the birth itself does not).
# Not "birth" or "birthday": "gave birth on", "her 90th birthday on" name the day reported.
_BIRTH = re.compile(r"(?<![^\W\d_])(?:born|née?|geboren|nacid[oa])(?![^\W\d_])[^.!?\n]*$", re.I)
_STRONG_YEAR = re.compile(r"(?:©|\(c\)|copyright)\s*((?:19|20)\d{2})", re.I)
_URL_PATTERNS = [
    (re.compile(r"/((?:19|20)\d{2})/(0?[1-9]|1[0-2])/(0?[1-9]|[12]\d|3[01])(?:/|$|[-_.])"), 0.8),
    (re.compile(r"(?<!\d)((?:19|20)\d{2})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?!\d)"), 0.8),
    (re.compile(r"[/_-]((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?:/|$|[-_.])"), 0.7),
]
_URL_YEAR = re.compile(r"/((?:19|20)\d{2})/(?:0?[1-9]|1[0-2])/")


def resolve_date(
    doc: RawDocument, text: str, title: str, today: dt.date | None = None
) -> DateResult:
    """Publication date of ``doc`` from its fields, URL or text (see the module doc).

    ``text`` and ``title`` are the cleaned body and title; the first
    ``HEAD_CHARS`` of ``doc.text`` are read too, for dates the cleaning removed
    with the page header ("Published ...", "Montag, 10. März 2025"). ``today``
    bounds the dates accepted (default: the current date). Never raises.
    """
    today = today or dt.date.today()
    try:
        for value, source, confidence in (
            (doc.published, "given", 1.0),
            (doc.header_date, "header", 1.0),
            (doc.html_date, "html", 0.9),
        ):
            if value and (date := parse_date_string(str(value))):
                return DateResult(date, source, confidence, f"{source}: {value}")
        if doc.url:
            for pattern, confidence in _URL_PATTERNS:
                match = pattern.search(doc.url)
                if match and (date := _make_date(*map(int, match.groups()))):
                    return DateResult(date, "url", confidence, f"url: {match.group(0)}")
        found = _text_date(doc, text or "", title or "", today)
        if found:
            return found
    except Exception:  # dating must never stop the pipeline, whatever the input
        pass
    return DateResult(None, "none", 0.0)


# Sources read from metadata rather than from the text: the clusterer trusts these dates
# enough to bound its merge checks in time and to hold a report a week or more from an
# event's days out of it (the time prior's cap_sure); text dates can be years off (a date
# the report quotes). A ``dateline`` date is the report's own too, but trusting it as much
# is an option (``PipelineOptions.trust_datelines``, off by default): see README.
METADATA_SOURCES = frozenset({"given", "header", "html", "url"})
DATELINE_CHARS = 400  # how near the top of the text a date must stand to be a dateline's


def parse_date_string(value: str) -> dt.date | None:
    """A date from a metadata value: ISO date or datetime (date as written, in its
    own time zone), RFC 2822, epoch seconds, or a written date; None if unreadable."""
    value = value.strip()
    if not value or len(value) > 100:
        return None
    try:
        return _plausible(dt.datetime.fromisoformat(value).date())
    except ValueError:
        pass
    match = re.match(r"((?:19|20)\d{2})-(\d{1,2})-(\d{1,2})(?:[T ]|$)", value)
    if match:
        return _make_date(*map(int, match.groups()))
    if re.fullmatch(r"\d{9,10}(?:\.\d+)?", value):
        return _plausible(dt.datetime.fromtimestamp(float(value), dt.UTC).date())
    try:
        return _plausible(email.utils.parsedate_to_datetime(value).date())
    except (TypeError, ValueError, IndexError):
        pass
    for cand in _find_candidates(value, english=True):
        if cand["date"] is not None:
            return _plausible(cand["date"])
    parsed = _dateparser_parse(value, None)
    return _plausible(parsed) if parsed else None


def weekday_mentions(text: str) -> list[str]:
    """English names of the weekdays ``text`` mentions, in order of first mention.

    ``"said on Friday"`` -> ``["friday"]``. Other languages map to English names
    ("am Donnerstagabend" -> "thursday"). Leaves out plurals ("on Fridays"),
    named days ("Black Friday", "Super Tuesday", "Easter Sunday"), newspaper
    names ("Sunday Times") and days that are not behind the writer ("next Friday",
    "every Monday", "from Monday", "until Tuesday").
    """
    found: list[str] = []
    for match in _WEEKDAY_MENTION.finditer(text or ""):
        word = match.group("wd")
        before = text[max(0, match.start() - 12) : match.start()].lower()
        if before.endswith(_NOT_A_PAST_DAY) or (word == "Domingo"):
            continue  # "next Friday", "from Monday", "Black Friday"; "Domingo" is a name
        name = _WEEKDAY_NAMES[WEEKDAYS[word.lower()]]
        if name not in found:
            found.append(name)
    return found


# Words before a weekday that make it a future, repeated or named day.
_NOT_A_PAST_DAY = tuple(
    f"{w} "
    for w in [
        "next",
        "every",
        "coming",
        "from",
        "until",
        "till",
        "by",
        "black",
        "good",
        "super",
        "cyber",
        "ash",
        "palm",
        "easter",
        "bloody",
        "holy",
        "maundy",
        "shrove",
    ]
)
_FULL_WEEKDAYS = [w for w in WEEKDAYS if len(w) > 4]
_WEEKDAY_MENTION = re.compile(
    rf"(?<![\w-])(?P<wd>(?i:{_alternation(_FULL_WEEKDAYS)}))(?:abend|morgen|nachmittag|"
    r"vormittag|nacht|mittag)?(?![\w-])(?!s\b)(?! (?:Times|Telegraph|Express|Mirror|Post|Herald|"
    r"Independent|World|Mail)\b)"
)


def anchor_on_related(text: str, related: list[tuple[dt.date, str]]) -> DateResult | None:
    """Date an undated article from the weekdays it mentions and dated related articles.

    Rule: the *nearest* related article is the dated one whose vocabulary is most
    like this article's (Jaccard similarity of content words); its date is the
    anchor (related articles sharing that date are read together).

    * If this article LACKS the distinctive facts of the anchor articles (their
      numbers such as 30,000 / 2,000 / 1,000 and capitalised names: under half
      of them, weighted 0.6 numbers / 0.4 names, appear here, and not all the
      numbers of their first line or sentence, their headline figure), it most
      likely PRECEDES them: every weekday it mentions is placed on the latest
      such weekday strictly before the anchor date.
    * If it CONTAINS them, it reports the same news: every weekday is placed on
      the occurrence nearest the anchor date (a tie goes to the later one), so
      "Thursday" with a Thursday anchor is the anchor date itself.

    The article is taken to be published on the latest of the placed weekdays
    (news copy names the day of publication or days just before it). Source
    "context", confidence 0.3, evidence such as "on Friday, before 2022-02-03
    (related article)". None when no weekday is mentioned or nothing is dated.
    """
    try:
        mentions = weekday_mentions(text)
        dated = [(_as_date(d), t or "") for d, t in related or [] if _as_date(d)]
        if not mentions or not dated:
            return None
        words = _content_words(text)
        best = max(dated, key=lambda r: (_jaccard(words, _content_words(r[1])), r[0]))
        anchor = best[0]
        assert anchor is not None
        shares = any(_shares_facts(t, text) for d, t in dated if d == anchor)
        placed: list[tuple[dt.date, str]] = []
        for name in mentions:
            day = _WEEKDAY_NAMES.index(name)
            if shares:
                after = anchor + dt.timedelta(days=(day - anchor.weekday()) % 7)
                before = after - dt.timedelta(days=7)
                placed.append((before if anchor - before < after - anchor else after, name))
            else:
                back = (anchor.weekday() - day) % 7 or 7
                placed.append((anchor - dt.timedelta(days=back), name))
        date, name = max(placed)
        phrase = _mention_phrase(text, name)
        how = f"nearest {anchor}, shares its facts" if shares else f"before {anchor}"
        return DateResult(date, "context", 0.3, f"{phrase}, {how} (related article)")
    except Exception:  # a second-pass guess must never stop the pipeline
        return None


# --------------------------------------------------------------------------- text dates


def _text_date(doc: RawDocument, text: str, title: str, today: dt.date) -> DateResult | None:
    raw_head = (doc.text or "")[:HEAD_CHARS]
    head = text[:HEAD_CHARS]
    english = _looks_english(head or raw_head)
    clues = _year_clues(" ".join((title, text, doc.text or "", doc.url or "")), today)
    best: tuple[float, int, dt.date, str, bool] | None = None
    for offset, chunk in ((0, title), (1000, raw_head), (1000, head)):
        for cand in _find_candidates(chunk, english, today):
            scored = _score(cand, chunk, clues, today)
            if scored is None:
                continue
            conf, date, evidence, sure = scored
            key = (conf, -(offset + cand["pos"]), date, evidence, sure)
            if best is None or key[:2] > best[:2]:
                best = key
    if best is None:
        return None
    return DateResult(best[2], "dateline" if best[4] else "text", round(best[0], 2), best[3])


def _find_candidates(
    chunk: str, english: bool, base: dt.date | None = None
) -> list[dict[str, Any]]:
    """Dates written in ``chunk``: position, text, weekday, date (None when the
    year is missing), and month/day for year-less ones."""
    out: list[dict[str, Any]] = []
    taken = -1  # end of the last date found: dates do not overlap
    for digits in _DIGITS.finditer(chunk):
        i = digits.start()
        if i < taken or (i and chunk[i - 1].isdigit()):
            continue
        found = _date_at(chunk, i, english)
        if found is None:
            continue
        start, end, readings = found
        wd_match = _WEEKDAY_BEFORE.search(chunk, max(0, start - 30), start)
        wd = WEEKDAYS[wd_match.group("wd").lower()] if wd_match else None
        cand = _reading(readings, wd)
        if cand is None:
            continue
        if wd_match:
            start = wd_match.start()
        shown = chunk[start:end].strip(" ,")
        if "(" in shown and chunk[end : end + 1] == ")":
            shown += ")"
        cand.update(pos=start, text=shown, wd=wd)
        out.append(cand)
        taken = end
    if len(out) < 3:
        for m in _FOREIGN.finditer(chunk):
            word = (m.group("w") or m.group("w2")).lower()
            if word in MONTHS or any(c["pos"] <= m.start() < c["pos"] + 40 for c in out):
                continue
            parsed = _dateparser_parse(m.group(0), base)
            if parsed:
                out.append(
                    {
                        "date": parsed,
                        "pos": m.start(),
                        "text": m.group(0),
                        "wd": None,
                        "md": (parsed.month, parsed.day),
                    }
                )
            if len(out) >= 3:
                break
    return out


def _date_at(
    chunk: str, i: int, english: bool
) -> tuple[int, int, list[tuple[int, int, int]]] | None:
    """The date whose first number starts at ``chunk[i]``: (start, end, readings as
    (year, month, day); year 0 when not written). Tried in turn: 2022-02-03,
    10/17/2022 (month first in English, day first otherwise or with dots),
    3 February 2022, February 3, 2022."""
    if m := _ISO_AT.match(chunk, i):
        return i, m.end(), [(int(m["iso"]), int(m["im"]), int(m["id"]))]
    if (m := _NUMERIC_AT.match(chunk, i)) and chunk[i - 1 : i] not in ("/", "."):
        a, b, year = int(m["a"]), int(m["b"]), int(m["year"])
        us = [(year, a, b), (year, b, a)]
        return i, m.end(), us if english and m["sep"] == "/" else us[::-1]
    if (m := _DAY_FIRST_AT.match(chunk, i)) and (month := _month(m["mon"])):
        return i, m.end(), [(int(m["year"] or 0), month, int(m["day"]))]
    before = _MONTH_BEFORE.search(chunk, max(0, i - 16), i)
    if before and (month := _month(before["mon"])) and (m := _DAY_AFTER.match(chunk, i)):
        return before.start(), m.end(), [(int(m["year"] or 0), month, int(m["day"]))]
    return None


def _month(word: str) -> int | None:
    """Month number of a month name; "may" only capitalised (not the verb)."""
    if word == "may" or word == "mar":
        return None
    return MONTHS.get(word.lower())


def _reading(readings: list[tuple[int, int, int]], wd: int | None) -> dict[str, Any] | None:
    """The first valid reading, preferring one whose weekday fits."""
    valid: list[dict[str, Any]] = []
    for year, month, day in readings:
        if year == 0:
            if _make_date(2000, month, day):  # 2000 is a leap year: Feb 29 is possible
                valid.append({"date": None, "md": (month, day)})
        elif date := _make_date(year, month, day):
            valid.append({"date": date, "md": (month, day)})
    if wd is not None:
        for cand in valid:
            if cand["date"] is not None and cand["date"].weekday() == wd:
                return cand
    return valid[0] if valid else None


def in_dateline(text: str, pos: int) -> bool:
    """Does a date at ``pos`` of ``text`` stand in a dateline ("NORDVIK, 4 March 2025
    (Meridian Wire) -": after a place at the start of its line) or in a masthead or
    "Published" line ("Kronauer Tagblatt | Ausland | Freitag, 6. Juni 2025")?"""
    line_start = text.rfind("\n", 0, pos) + 1
    line_end = text.find("\n", pos)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    return bool(_PUBLISHED_LINE.search(line) or _DATELINE.match(text[line_start:pos]))


def _score(
    cand: dict[str, Any], chunk: str, clues: dict[int, bool], today: dt.date
) -> tuple[float, dt.date, str, bool] | None:
    """(confidence, date, evidence, from a dateline) of a candidate, None to drop it.

    "From a dateline": a full date (its year written beside it) in a wire dateline or a
    masthead / "Published" line near the top of the text: the report's own date (source
    ``dateline``), unlike a date further down, which may be one the report quotes.
    """
    line_start = chunk.rfind("\n", 0, cand["pos"]) + 1
    dateline = in_dateline(chunk, cand["pos"])
    wd = cand["wd"]
    date = cand["date"]
    sure = dateline and date is not None and cand["pos"] < DATELINE_CHARS
    evidence = cand["text"]
    if _BIRTH.search(chunk, max(line_start, cand["pos"] - 60), cand["pos"]) and (
        date is None
        or date < today - dt.timedelta(days=366)
        or any(int(y) > date.year for y in _YEARS.findall(chunk))
    ):
        return None  # "she was born on April 22, 1923" in an obituary or a profile
    if date is not None:
        conf = 0.7 if cand["pos"] < 400 or dateline else 0.6
        if wd is not None:
            conf = 0.8 if date.weekday() == wd else conf - 0.3
    else:
        month, day = cand["md"]
        years = sorted((y for y in clues if y <= today.year), reverse=True)
        if wd is not None:
            fitting = [y for y in years if (d := _make_date(y, month, day)) and d.weekday() == wd]
            if fitting:
                date, conf = _make_date(fitting[0], month, day), 0.6
                evidence += f" (year {fitting[0]} from the text)"
            else:
                # No year in the text fits the weekday (seed 000 only names 2014,
                # when Feb 3 was a Monday): let the weekday pick the most recent
                # fitting year among the last ten, not after today.
                recent = [
                    y
                    for y in range(today.year, today.year - 11, -1)
                    if (d := _make_date(y, month, day)) and d.weekday() == wd and d <= today
                ]
                if not recent:
                    return None
                date = _make_date(recent[0], month, day)
                conf = 0.4 if len(recent) == 1 else 0.3
                evidence += f" (year {recent[0]} from the weekday; no fitting year in the text)"
        elif years:
            strong = [y for y in years if clues[y]]
            year = (strong or years)[0]
            date, conf = _make_date(year, month, day), (0.5 if strong else 0.4)
            evidence += f" (year {year} from the text)"
        else:
            return None  # no year anywhere: leave it unresolved
    if date is None or date > today + dt.timedelta(days=1):
        return None
    if dateline:
        conf = min(0.9, conf + 0.1)
    return conf, date, evidence, sure


def _year_clues(text: str, today: dt.date) -> dict[int, bool]:
    """Years named in the text -> True when strong (closing a written date, in a
    copyright line or in the URL), False for a bare year ("as it did in 2014")."""
    clues: dict[int, bool] = {}
    for match in _YEARS.finditer(text):
        start = match.start()
        if start and (text[start - 1].isdigit() or text[start - 1] in ".,"):
            continue
        year = int(match.group(0))
        context = _IN_DATE.search(text, max(0, start - 20), start)
        word = (context["mon"] or context["mon2"]) if context else None
        clues[year] = clues.get(year, False) or bool(context and (word is None or _month(word)))
    for match in _STRONG_YEAR.finditer(text):
        clues[int(match.group(1))] = True
    for match in _URL_YEAR.finditer(text):
        clues[int(match.group(1))] = True
    return {y: s for y, s in clues.items() if 1990 <= y <= today.year + 1}


def _looks_english(text: str) -> bool:
    words = re.findall(r"[a-z]+", text[:600].lower())
    english = sum(w in ("the", "and", "of", "to", "in", "said", "on", "was") for w in words)
    return english * 12 >= len(words) if words else True


def _dateparser_parse(value: str, base: dt.date | None) -> dt.date | None:
    """dateparser on one short string (it is slow: never on a whole text)."""
    try:
        from dateparser.search import search_dates

        settings: dict[str, Any] = {"PREFER_DATES_FROM": "past", "STRICT_PARSING": True}
        if base:
            settings["RELATIVE_BASE"] = dt.datetime(base.year, base.month, base.day)
        found = search_dates(value[:100], settings=settings)
    except Exception:  # dateparser raises many kinds of error on odd input
        return None
    return _plausible(found[0][1].date()) if found else None


def _make_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return _plausible(dt.date(year, month, day))
    except (ValueError, TypeError, OverflowError):
        return None


def _plausible(date: dt.date | None) -> dt.date | None:
    if date is None or not 1900 <= date.year <= dt.date.today().year + 1:
        return None
    return date


def _as_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


# --------------------------------------------------------------------------- related


_STOP = frozenset(
    [
        "that",
        "this",
        "with",
        "from",
        "have",
        "has",
        "had",
        "were",
        "was",
        "will",
        "would",
        "said",
        "says",
        "their",
        "there",
        "they",
        "them",
        "than",
        "then",
        "also",
        "more",
        "most",
        "some",
        "such",
        "into",
        "over",
        "after",
        "before",
        "about",
        "which",
        "while",
        "when",
        "what",
        "been",
        "being",
        "other",
        "these",
        "those",
        "very",
        "just",
        "only",
        "could",
        "should",
        "where",
        "because",
        "between",
        "the",
        "and",
        "but",
        "for",
        "his",
        "her",
        "its",
        "our",
        "she",
        "yet",
        "all",
        "any",
        "both",
    ]
)
_NUMBER = re.compile(r"(?<![\w.,])\d{1,3}(?:[,.\u202f ]\d{3})+(?![\d])|(?<![\w.,])\d+(?!\d|,\d)")
_NAME = re.compile(r"\b[A-ZÀ-Þ][\w'’-]{2,}")


def _content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[^\W\d_]{4,}", text.casefold()) if w not in _STOP}


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _facts(text: str) -> tuple[set[int], set[str]]:
    """Numbers of 100 and more (30,000 -> 30000) and capitalised names (not at
    a sentence start, not months or weekdays)."""
    numbers = set()
    for match in _NUMBER.finditer(text):
        digits = re.sub(r"\D", "", match.group(0))
        if digits and int(digits) >= 100:
            numbers.add(int(digits))
    names = set()
    for m in _NAME.finditer(text):
        opening = text[: m.start()].rstrip(" \"“‘'(")
        if opening and not opening.endswith((".", "!", "?", "\n", ":")):
            name = re.sub(r"['’]s$", "", m.group(0).casefold())
            if name not in MONTHS and name not in WEEKDAYS and name not in _STOP:
                names.add(name)
    return numbers, names


def _shares_facts(dated_text: str, text: str) -> bool:
    """Does ``text`` hold the dated article's facts: half of them by weight, or
    every number (not a year) of its first line or sentence (its lead figure)?"""
    if _fact_share(dated_text, text) >= 0.5:
        return True
    end = re.search(r"[.!?][\"”’]?\s|\n", dated_text[40:300])
    opening = dated_text[: 40 + end.start() + 1] if end else dated_text[:300]
    lead = {n for n in _facts(opening)[0] if not 1900 <= n <= 2100}
    return bool(lead) and lead <= _facts(text)[0]


def _fact_share(dated_text: str, text: str) -> float:
    """Share of the dated article's facts that ``text`` contains (0..1)."""
    numbers, names = _facts(dated_text)
    own_numbers, own_names = _facts(text)
    name_share = len(names & own_names) / len(names) if names else 0.0
    if not numbers:
        return name_share
    return 0.6 * len(numbers & own_numbers) / len(numbers) + 0.4 * name_share


def _mention_phrase(text: str, name: str) -> str:
    for match in _WEEKDAY_MENTION.finditer(text):
        if WEEKDAYS.get(match.group("wd").lower()) == _WEEKDAY_NAMES.index(name):
            start = match.start()
            prep = re.search(r"(?:\b(?:on|last|am|le|el|il)\s+)$", text[max(0, start - 6) : start])
            return (prep.group(0) if prep else "") + match.group(0)
    return name.capitalize()
