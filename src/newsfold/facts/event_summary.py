"""What the articles of one event say together: its entities with their name variants
merged across articles, and its quotations grouped by speaker and wording.

Read by ``newsfold show`` and the event page. Works on stored facts records (plain
dicts, read with ``.get``: a record written by an older version may lack fields), so it
needs no model and no store.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping
from typing import Any

from newsfold.facts.entities import merge_entities
from newsfold.facts.model import ArticleFacts, Entity

Row = dict[str, Any]
Facts = Mapping[str, Mapping[str, Any] | None]  # article id -> stored facts record


def _entities(record: Mapping[str, Any] | None) -> list[Entity]:
    out = []
    for item in (record or {}).get("entities") or []:
        if not isinstance(item, Mapping):
            continue
        text = str(item.get("text") or "").strip()
        if not text:
            continue
        out.append(
            Entity(
                start=int(item.get("start") or 0),
                end=int(item.get("end") or 0),
                text=text,
                label=str(item.get("label") or ""),
                canonical=str(item.get("canonical") or text),
            )
        )
    return out


def name_map(facts: Facts) -> dict[str, str]:
    """variant -> the event-wide name ("Stoltenberg" in one article and "Jens
    Stoltenberg" in another are one person)."""
    return merge_entities([ArticleFacts(entities=_entities(f)) for f in facts.values()])


def event_entities(facts: Facts, names: Mapping[str, str] | None = None) -> list[Row]:
    """One row per entity of the event, most widely named first: ``name``, ``label``
    (the label most of its mentions got), ``articles`` (how many name it),
    ``mentions``, ``variants`` (other spellings seen, e.g. a surname alone)."""
    names = name_map(facts) if names is None else names
    articles: dict[str, set[str]] = defaultdict(set)
    mentions: Counter[str] = Counter()
    labels: dict[str, Counter[str]] = defaultdict(Counter)
    variants: dict[str, set[str]] = defaultdict(set)
    shown: dict[str, str] = {}
    for art, record in facts.items():
        for e in _entities(record):
            name = names.get(e.canonical) or names.get(e.text) or e.canonical
            key = name.casefold()
            shown.setdefault(key, name)
            articles[key].add(art)
            mentions[key] += 1
            if e.label:
                labels[key][e.label] += 1
            for v in (e.text, e.canonical):
                if v.casefold() != key:
                    variants[key].add(v)
    rows: list[Row] = [
        {
            "name": shown[k],
            "label": labels[k].most_common(1)[0][0] if labels[k] else None,
            "articles": len(articles[k]),
            "mentions": mentions[k],
            "variants": sorted(variants[k], key=str.casefold),
        }
        for k in shown
    ]
    rows.sort(key=lambda r: (-r["articles"], -r["mentions"], r["name"].casefold()))
    return rows


def summarize(facts: Facts) -> dict[str, list[Row]]:
    """``entities`` (:func:`event_entities`) and ``quotes`` (:func:`event_quotes`) of an
    event, its name variants merged once for both; ``facts`` lists the articles in the
    event's order (earliest first: its first key is taken as the first reporter)."""
    names = name_map(facts)
    order = {art: n for n, art in enumerate(facts)}
    return {"entities": event_entities(facts, names), "quotes": event_quotes(facts, names, order)}


_WORD = re.compile(r"\w+")


def _wording(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))


def event_quotes(
    facts: Facts, names: Mapping[str, str] | None = None, order: Mapping[str, int] | None = None
) -> list[Row]:
    """The event's quotations, one row per speaker and wording: ``speaker`` (event-wide
    name, or None), ``text``, ``kind``, ``articles`` (ids quoting it, first reporter
    first when ``order`` ranks the articles), ``first``. Most widely quoted first.

    Rewrites trim and re-cut quotations; one speaker's quotations that mostly share
    their words (see ``SAME_WORDING``) are one row, shown by its longest wording."""
    names = name_map(facts) if names is None else names
    rank = order or {}
    groups: dict[tuple[str, str], Row] = {}
    for art, record in facts.items():
        for item in (record or {}).get("quotes") or []:
            if not isinstance(item, Mapping):
                continue
            text = str(item.get("text") or "").strip()
            wording = _wording(text)
            if not wording:
                continue
            raw = item.get("speaker")
            speaker = names.get(str(raw), str(raw)) if raw else None
            key = ((speaker or "").casefold(), wording)
            row = groups.setdefault(
                key,
                {"speaker": speaker, "text": text, "kind": item.get("kind"), "articles": []},
            )
            if art not in row["articles"]:
                row["articles"].append(art)
    rows = _merge_rewordings(list(groups.values()))
    for row in rows:
        row["articles"].sort(key=lambda a: (rank.get(a, len(rank)), a))
        row["first"] = row["articles"][0]
    rows.sort(key=lambda r: (-len(r["articles"]), rank.get(r["first"], len(rank)), r["text"]))
    return rows


SAME_WORDING = 0.6  # share of the shorter quotation's words found in the other
MIN_WORDS = 5  # shorter quotations are only grouped when worded alike


def _merge_rewordings(rows: list[Row]) -> list[Row]:
    """Greedy: each quotation joins the first earlier row of the same speaker it mostly
    shares its words with (longest wordings first). Candidates come from an index of the
    kept rows' words, so a big event costs about linear time, not quadratic."""
    out: list[Row] = []
    kept: dict[str, list[tuple[Row, set[str]]]] = defaultdict(list)
    postings: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for row in sorted(rows, key=lambda r: -len(r["text"])):  # longest wording leads
        words = set(_wording(row["text"]).split())
        speaker = (row["speaker"] or "").casefold()
        bucket, index = kept[speaker], postings[speaker]
        candidates: set[int] = set()
        for w in words:
            found = index.get(w)
            if found is not None and len(found) <= COMMON_WORD:
                candidates.update(found)
        for j in sorted(candidates):  # the earliest kept row first, as a full scan would
            other, other_words = bucket[j]
            small = min(len(words), len(other_words))
            if small >= MIN_WORDS and len(words & other_words) >= SAME_WORDING * small:
                other["articles"].extend(a for a in row["articles"] if a not in other["articles"])
                break
        else:
            for w in words:
                index[w].append(len(bucket))
            bucket.append((row, words))
            out.append(row)
    return out


COMMON_WORD = 200  # a word in more kept quotations of one speaker finds no candidates
