"""Claim groups as table rows: what a corroboration record's claims look like in a list.

Pure functions over the JSON records ``save_corroboration`` stores (read with
``.get``: their fields may grow or shift, and a record may be malformed). The
store keeps one ``claims`` row per claim group (migration ``m003_claims``), built
here, so the web pages and the API page through claims with SQL; the event page
builds the same rows from the record itself.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

Row = dict[str, Any]


def fmt_number(value: Any) -> str:
    """42 -> '42', 12000 -> '12,000', 17.2 -> '17.2'; anything else as text."""
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            return str(value)
        if float(value).is_integer():
            return f"{int(value):,}"
        return f"{value:,.3f}".rstrip("0").rstrip(".")
    if isinstance(value, list | tuple):
        return "–".join(fmt_number(v) for v in value)
    return str(value)


def claim_rows(corroboration: Mapping[str, Any] | None) -> list[Row]:
    """The claim groups of an event, ready for a table (conflicts first)."""
    corr = corroboration or {}
    claims = corr.get("claims") or []
    found = corr.get("origins")
    origins: Mapping[str, Any] = found if isinstance(found, Mapping) else {}
    rows: list[Row] = []
    for claim in claims:
        if not isinstance(claim, Mapping):
            continue
        values = claim.get("values") or []
        if not isinstance(values, list):
            values = [values]
        # one entry per member in some records: show each value once, in order
        values = list({json_key(v): v for v in values}.values())
        members = [m for m in claim.get("members") or [] if isinstance(m, Mapping)]
        articles = claim.get("articles") or sorted({str(m.get("article")) for m in members})
        rows.append(
            {
                "event": claim.get("event") or corr.get("event"),
                "thing": str(claim.get("thing") or "?"),
                "subject": claim.get("subject"),
                "values": values,
                "values_text": ", ".join(_value_text(v, members) for v in values),
                "modalities": sorted({str(m) for m in claim.get("modalities") or []}),
                "articles": list(articles),
                "origins": _count(claim.get("origins")),
                "first": claim.get("first"),
                "conflict": claim.get("conflict") or None,
                "members": members,
                "value_detail": _value_detail(values, members, origins),
            }
        )
    rows.sort(key=lambda r: (r["conflict"] is None, -(r["origins"] or 0), r["thing"]))
    return rows


def _count(value: Any) -> int | None:
    """A count that may come as a number or as the list of what was counted."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, list | tuple | set | dict):
        return len(value)
    return None


def json_key(value: Any) -> str:
    return repr(value) if not isinstance(value, int | float) else repr(float(value))


def _value_detail(
    values: Sequence[Any], members: Sequence[Mapping[str, Any]], origins: Mapping[str, Any]
) -> str:
    """'42 (bound): 2 article(s), 1 origin(s); 45 (fact): 1 article(s), 1 origin(s)'."""
    parts = []
    for value in values:
        same = [m for m in members if json_key(m.get("value")) == json_key(value)]
        if not same:
            continue
        arts = {str(m.get("article")) for m in same}
        kinds = "/".join(sorted({str(m.get("modality") or "fact") for m in same}))
        srcs = {str(origins.get(a, a)) for a in arts}
        parts.append(
            f"{_value_text(value, same)} ({kinds}): {len(arts)} article(s), {len(srcs)} origin(s)"
        )
    return "; ".join(parts)


def _value_text(value: Any, members: Sequence[Mapping[str, Any]]) -> str:
    for m in members:
        if m.get("value") == value and m.get("value_max") not in (None, value):
            return f"{fmt_number(value)}–{fmt_number(m.get('value_max'))}"
    return fmt_number(value)


@functools.lru_cache(maxsize=4096)  # a storyline page asks for the same few things often
def thing_key(thing: str) -> str:
    """The language-independent grouping key of a claim's thing ("morts", "Tote" and
    "deaths" -> "death"); the thing itself, case-folded, when it yields no key."""
    from newsfold.facts.things import thing_key as key_of  # lazily: facts loads its extractor

    try:
        key = key_of(thing)
    except Exception:  # a malformed thing must not break a page or a save
        key = ""
    return key or str(thing).casefold()


def table_rows(event: str, record: Any) -> list[tuple[Any, ...]]:
    """The ``claims`` table rows of one event's corroboration record, in page order:
    (event, position, thing, thing_fold, thing_key, subject, values, values_text,
    modalities, articles, origins, first, conflict, members, value_detail), lists as
    JSON text. ``event`` is the record's event, whatever its claims say."""
    if not isinstance(record, Mapping):
        return []
    out = []
    for position, row in enumerate(claim_rows(record)):
        subject = row["subject"]
        out.append(
            (
                event,
                position,
                row["thing"],
                row["thing"].casefold(),
                thing_key(row["thing"]),
                None if subject is None else str(subject),
                _json(row["values"]),
                row["values_text"],
                _json(row["modalities"]),
                _json(row["articles"]),
                row["origins"],
                None if row["first"] is None else str(row["first"]),
                None if row["conflict"] is None else str(row["conflict"]),
                _json(row["members"]),
                row["value_detail"],
            )
        )
    return out


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def from_table(row: Mapping[str, Any]) -> Row:
    """A ``claims`` table row (as selected by the store) back as a claim row."""
    return {
        "event": row["event"],
        "thing": row["thing"],
        "subject": row["subject"],
        "values": json.loads(row["vals"]),
        "values_text": row["values_text"],
        "modalities": json.loads(row["modalities"]),
        "articles": json.loads(row["articles"]),
        "origins": row["origins"],
        "first": row["first"],
        "conflict": row["conflict"],
        "members": json.loads(row["members"]),
        "value_detail": row["value_detail"],
    }
