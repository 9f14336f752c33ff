"""What the pages compute from store rows: origin groups, an extractive summary,
claim rows, highlights and the key numbers of a storyline.

Pure functions over plain dicts; facts and corroboration records are read with
``.get`` because their exact fields may grow or shift.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

# claim rows are built by the store (its claims table); re-exported for the pages
from newsfold.store.claims import claim_rows as claim_rows
from newsfold.store.claims import fmt_number as fmt_number
from newsfold.store.claims import json_key as json_key
from newsfold.store.claims import thing_key as thing_key

Row = dict[str, Any]

# ------------------------------------------------------------------ numbers


def fmt_compact(value: Any) -> str:
    """Short labels for charts: 2400000000 -> '2.4 bn', 1500000 -> '1.5 m'."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return fmt_number(value)
    for size, unit in ((1e9, " bn"), (1e6, " m")):
        if abs(value) >= size:
            return f"{value / size:.1f}".rstrip("0").rstrip(".") + unit
    return fmt_number(value)


def as_number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float) and math.isfinite(value):
        return float(value)
    if isinstance(value, list | tuple) and value:
        return as_number(value[0])
    return None


def span(first: str | None, last: str | None) -> str:
    if not first:
        return "undated"
    return first if first == last or not last else f"{first} – {last}"


# ------------------------------------------------------------------ origins


@dataclass
class OriginGroup:
    origin: str
    head: Row
    copies: list[Row] = field(default_factory=list)

    @property
    def size(self) -> int:
        return 1 + len(self.copies)


def origin_groups(
    articles: Sequence[Row], corroboration: Mapping[str, Any] | None
) -> list[OriginGroup]:
    """Articles grouped by independent origin, each under its original.

    Origins come from the corroboration record; without one, near-verbatim copies
    are folded under their canonical article. Groups are ordered by the date of
    their original (undated last), copies by date."""
    corr = corroboration or {}
    origins = corr.get("origins") or {}
    reasons = corr.get("origin_reasons") or {}
    by_id = {a["id"]: a for a in articles}
    members: dict[str, list[Row]] = defaultdict(list)
    for art in articles:
        origin = origins.get(art["id"]) if isinstance(origins, Mapping) else None
        if not isinstance(origin, str) or not origin:
            dup = art.get("duplicate_of")
            origin = dup if isinstance(dup, str) and dup in by_id else str(art["id"])
        members[origin].append(art)
    groups: list[OriginGroup] = []
    for origin, arts in members.items():
        arts = sorted(arts, key=_date_key)
        head = by_id[origin] if origin in by_id and by_id[origin] in arts else arts[0]
        copies = [dict(a) for a in arts if a is not head]
        for copy in copies:
            reason = reasons.get(copy["id"]) if isinstance(reasons, Mapping) else None
            if not reason:
                reason = (
                    "near-verbatim copy"
                    if copy.get("duplicate_of") == head["id"]
                    else "same origin"
                )
            copy["origin_reason"] = str(reason)
        groups.append(OriginGroup(origin, head, copies))
    groups.sort(key=lambda g: (_date_key(g.head), -g.size))
    return groups


def _date_key(row: Mapping[str, Any]) -> tuple[bool, str, int]:
    published = row.get("published")
    return (published is None, published or "", int(row.get("seq") or 0))


# ------------------------------------------------------------------ summary

_STOPWORDS = """
    the and for that with this from have has had was were are been will would could should
    said says say about after before into over under than then them they their there these
    those what when where which while who whom why how its also but not can may more most
    other some such only own same very just one two three his her him she our out off per
    les des une que qui dans pour par sur est sont avec der die das und den dem ein eine
    von mit sich nicht del las los por con para una che per della delle nel sono
"""
STOPWORDS = frozenset(_STOPWORDS.split())
SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’»)\]]*\s+(?=[\"“‘«(\[]?[A-ZÀ-ÖØ-Þ0-9])")
WORD = re.compile(r"[^\W_]+", re.UNICODE)


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of ``text`` (paragraphs split first)."""
    out: list[tuple[int, int]] = []
    for para in re.finditer(r"[^\n]+", text):
        start = para.start()
        chunk = para.group()
        pos = 0
        for cut in SENTENCE_END.finditer(chunk):
            out.append(_trimmed(text, start + pos, start + cut.start()))
            pos = cut.end()
        out.append(_trimmed(text, start + pos, start + len(chunk)))
    return [(s, e) for s, e in out if e > s]


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    # keep a closing quote that belongs to the sentence
    if end < len(text) and text[end : end + 1] in '"”’»' and end > start:
        end += 1
    return start, end


def terms(text: str) -> set[str]:
    return {
        w
        for w in (m.group().casefold() for m in WORD.finditer(text))
        if len(w) > 2 and w not in STOPWORDS
    }


def summarize(docs: Sequence[Row], max_sentences: int = 3) -> list[Row]:
    """A short extractive summary: sentences the independent reports agree on.

    ``docs`` are one article per origin, each with ``text``. A sentence scores by
    how many other reports share its words, with a lead bonus; near-repeats are
    skipped and at most two sentences come from one article. Every sentence
    carries its article (``article``, ``title``, ``source``, ``published``) and
    its offsets, so the page can cite it."""
    docs = [d for d in docs if (d.get("text") or "").strip()]
    if not docs:
        return []
    languages = Counter(d.get("language") or "und" for d in docs)
    main_language = languages.most_common(1)[0][0]
    pool = [d for d in docs if (d.get("language") or "und") == main_language] or list(docs)
    candidates: list[tuple[float, int, int, int, int, set[str]]] = []
    doc_terms = [terms(d["text"]) for d in pool]
    df: Counter[str] = Counter(t for ts in doc_terms for t in ts)
    many = len(pool) > 1
    for di, doc in enumerate(pool):
        text = doc["text"]
        for si, (start, end) in enumerate(sentences(text)):
            sentence = text[start:end]
            words = len(sentence.split())
            if words < 6 or words > 60:
                continue
            ts = terms(sentence)
            if not ts:
                continue
            shared = sum(df[t] - 1 for t in ts) / math.sqrt(len(ts)) if many else 0.0
            lead = 1.5 / (1 + si)
            candidates.append((shared + lead, di, si, start, end, ts))
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    chosen: list[tuple[float, int, int, int, int, set[str]]] = []
    per_doc: Counter[int] = Counter()
    for cand in candidates:
        if len(chosen) >= max_sentences:
            break
        _, di, _, _, _, ts = cand
        if per_doc[di] >= 2:
            continue
        if any(len(ts & c[5]) / min(len(ts), len(c[5])) > 0.5 for c in chosen):
            continue
        chosen.append(cand)
        per_doc[di] += 1
    chosen.sort(key=lambda c: (_date_key(pool[c[1]]), c[1], c[2]))
    out = []
    for _, di, _, start, end, _ in chosen:
        doc = pool[di]
        out.append(
            {
                "text": doc["text"][start:end],
                "article": doc["id"],
                "title": doc.get("title"),
                "source": doc.get("source"),
                "published": doc.get("published"),
                "start": start,
                "end": end,
            }
        )
    return out


# ------------------------------------------------------------------ claims


def key_numbers(
    events: Sequence[Row], corroboration: Mapping[str, Mapping[str, Any] | None], limit: int = 6
) -> list[Row]:
    """Numbers that change over a storyline: one series per counted thing.

    Claims group by the language-independent key of their thing (``thing_key``:
    "deaths", "dead", "morts" and "Tote" are one series); a series is named by the
    wording most of its points use (``thing``) and carries its ``key``. Each point is
    an event (at its first date) with the value most independent origins state
    (facts before forecasts, then the larger), and the claim's own ``thing``. Things
    reported in more events come first."""
    series: dict[str, list[Row]] = defaultdict(list)
    for ev in events:
        if not ev.get("first_date"):
            continue
        corr = corroboration.get(ev["id"]) or {}
        origins = corr.get("origins") or {}
        best: dict[str, Row] = {}
        for claim in claim_rows(corr):
            point = _claim_point(claim, origins)
            if point is None:
                continue
            point["thing"] = claim["thing"]
            key = thing_key(claim["thing"])
            current = best.get(key)
            if current is None or (point["origins"], point["value"]) > (
                current["origins"],
                current["value"],
            ):
                best[key] = point
        for key, point in best.items():
            point.update(event=ev["id"], date=ev["first_date"], title=ev.get("title"))
            series[key].append(point)
    ranked = sorted(series.items(), key=lambda kv: (-len(kv[1]), -_spread(kv[1]), kv[0]))
    return [
        {"thing": _series_name(points), "key": key, "points": points}
        for key, points in ranked[:limit]
    ]


def _series_name(points: Sequence[Row]) -> str:
    """The wording most points of a series use (the earliest on a tie)."""
    counts = Counter(p["thing"] for p in points)
    return max(counts, key=lambda t: (counts[t], -[p["thing"] for p in points].index(t)))


def _claim_point(claim: Row, origins: Mapping[str, Any]) -> Row | None:
    support: dict[float, set[str]] = defaultdict(set)
    modality: dict[float, str] = {}
    for m in claim["members"]:
        value = as_number(m.get("value"))
        if value is None:
            continue
        art = str(m.get("article"))
        support[value].add(str(origins.get(art, art)))
        if modality.get(value) in (None, "forecast"):
            modality[value] = str(m.get("modality") or "fact")
    if not support:
        for v in claim["values"]:
            value = as_number(v)
            if value is not None:
                support[value].add("?")
                modality[value] = (claim["modalities"] or ["fact"])[0]
    if not support:
        return None
    value = max(support, key=lambda v: (modality[v] != "forecast", len(support[v]), v))
    return {
        "value": value,
        "label": fmt_compact(value),
        "origins": len(support[value]),
        "modality": modality[value],
        "conflict": claim["conflict"],
        "values": sorted(support),
    }


def _spread(points: Sequence[Row]) -> float:
    values = [p["value"] for p in points]
    return max(values) - min(values) if values else 0.0


# ------------------------------------------------------------------ highlights

KIND_ORDER = ("cited", "quote", "entity", "quantity", "date")


@dataclass
class Mark:
    start: int
    end: int
    kind: str
    label: str


def fact_marks(text: str, facts: Mapping[str, Any] | None) -> list[Mark]:
    """The spans of an article's facts, checked against the text's length."""
    marks: list[Mark] = []
    if not facts:
        return marks
    for key, kind in (
        ("entities", "entity"),
        ("quantities", "quantity"),
        ("quotes", "quote"),
        ("dates", "date"),
    ):
        for item in facts.get(key) or []:
            if not isinstance(item, Mapping) or item.get("in_title"):
                continue  # a headline's claim: its offsets point into the title, not the text
            start, end = item.get("start"), item.get("end")
            if not isinstance(start, int) or not isinstance(end, int):
                continue
            if not 0 <= start < end <= len(text):
                continue
            marks.append(Mark(start, end, kind, _mark_label(kind, item)))
    return marks


def _mark_label(kind: str, item: Mapping[str, Any]) -> str:
    if kind == "entity":
        name = item.get("canonical") or item.get("text") or ""
        return f"{item.get('label') or 'entity'}: {name}"
    if kind == "quantity":
        value = fmt_number(item.get("value"))
        if item.get("value_max") not in (None, item.get("value")):
            value += "–" + fmt_number(item.get("value_max"))
        extra = [str(item.get("modality") or "fact")]
        if item.get("negated"):
            extra.append("negated")
        if item.get("subject"):
            extra.append(f"of {item.get('subject')}")
        if item.get("place"):
            extra.append(f"in {item.get('place')}")
        return f"{item.get('thing') or 'quantity'} = {value} ({', '.join(extra)})"
    if kind == "quote":
        what = "reported speech" if item.get("kind") == "reported" else "quote"
        return f"{what} by {item.get('speaker') or 'unknown speaker'}"
    date = str(item.get("date") or "?")
    if item.get("date_end"):
        date += f" to {item.get('date_end')}"
    return f"date: {date}"


def segments(text: str, marks: Iterable[Mark]) -> list[Row]:
    """Split ``text`` at every mark boundary: [{"text", "kinds", "title", "cited"}].

    Overlapping and nested marks are fine: each piece lists all kinds covering it,
    and its title the labels of those marks, innermost first."""
    marks = list(marks)
    cuts = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    out: list[Row] = []
    for start, end in itertools.pairwise(cuts):
        covering = sorted(
            (m for m in marks if m.start <= start and end <= m.end),
            key=lambda m: m.end - m.start,
        )
        kinds = sorted({m.kind for m in covering}, key=KIND_ORDER.index)
        labels = list(dict.fromkeys(m.label for m in covering if m.label))
        out.append(
            {
                "text": text[start:end],
                "kinds": " ".join("hl-" + k for k in kinds),
                "title": " · ".join(labels),
                "cited": any(m.kind == "cited" and m.start == start for m in covering),
            }
        )
    return out
