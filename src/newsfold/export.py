"""The export contract: one JSON object per article, read by outside evaluations.

Keys (always present; null when unknown):

- ``id``: the input's id (JSONL ``id``; for files the path relative to the
  folder named on the command line, or the file name when named directly)
- ``event``, ``storyline``: ids, stable across runs
- ``duplicate_of``: id of the canonical article when this is a near-verbatim copy
- ``origin``: id of the earliest article of its independent origin (corroboration)
- ``published`` (YYYY-MM-DD), ``date_source`` (given, header, html, url, dateline,
  text, context, none), ``date_confidence`` (0..1)
- ``language``, ``title``, ``source`` (outlet), ``url``
- ``facts``: the article's extracted quantities, quotes, entities and dates
  (as in ``newsfold facts``), or null when facts were not extracted

New keys may be added; existing keys keep their meaning.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from newsfold.store import Store

CONTRACT_KEYS = (
    "id",
    "event",
    "storyline",
    "duplicate_of",
    "origin",
    "published",
    "date_source",
    "date_confidence",
    "language",
    "title",
    "source",
    "url",
    "facts",
)


def export_rows(store: Store, with_facts: bool = True) -> Iterator[dict[str, Any]]:
    origins: dict[str, dict[str, str]] = {}
    for row in store.iter_articles():
        event = row["event"]
        if event and event not in origins:
            corr = store.event_corroboration(event) or {}
            origins[event] = corr.get("origins", {})
        yield {
            "id": row["id"],
            "event": event,
            "storyline": row["storyline"],
            "duplicate_of": row["duplicate_of"],
            "origin": origins.get(event, {}).get(row["id"]) if event else None,
            "published": row["published"],
            "date_source": row["date_source"],
            "date_confidence": row["date_confidence"],
            "language": row["language"],
            "title": row["title"],
            "source": row["source"],
            "url": row["url"],
            "facts": store.article_facts(row["id"]) if with_facts else None,
        }
