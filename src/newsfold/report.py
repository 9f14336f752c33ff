"""Plain-text renderings of what is in a store (the CLI's tables and overview)."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator, Sequence
from typing import Any

from newsfold.facts.event_summary import summarize
from newsfold.models import RunStats
from newsfold.store import Store


def _width() -> int:
    """The terminal's width; 200 when the output goes to a file or pipe (nothing to fit)."""
    if not sys.stdout.isatty() and "COLUMNS" not in os.environ:
        return PIPE_WIDTH
    return max(60, min(140, shutil.get_terminal_size((100, 20)).columns))


PIPE_WIDTH = 200


def cut(text: str | None, width: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


def span(first: str | None, last: str | None) -> str:
    if not first:
        return "undated"
    return first if first == last or not last else f"{first} .. {last}"


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]], flex: int = -1) -> str:
    """A left-aligned text table; column ``flex`` is cut to fit the terminal."""
    cells = [[str(c) if c is not None else "" for c in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    flex = flex % len(headers)
    others = sum(w + 2 for i, w in enumerate(widths) if i != flex)
    widths[flex] = max(12, min(widths[flex], _width() - others))
    lines = ["  ".join(h.ljust(widths[i]) for i, h in enumerate(headers)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in cells:
        lines.append(
            "  ".join(cut(c, widths[i]).ljust(widths[i]) for i, c in enumerate(row)).rstrip()
        )
    return "\n".join(lines)


def summary(stats: RunStats, db: str) -> str:
    lines = [
        f"read {stats.read}, new {stats.new}, unchanged {stats.unchanged}, "
        f"duplicates {stats.duplicates}, rejected {stats.rejected}; "
        f"events {stats.events} ({stats.new_events} new), storylines {stats.storylines}; "
        f"{stats.seconds:.1f} s -> {db}"
    ]
    for rej in stats.rejections:
        lines.append(f"  rejected {rej.where()}: {rej.reason}")
    return "\n".join(lines)


def overview(store: Store, max_events: int = 12) -> str:
    """Storylines, each with its events, newest first: what a reader wants first."""
    out: list[str] = []
    for line in store.list_storylines():
        events = store.list_events(storyline=line["id"], order="oldest")
        out.append(
            f"Storyline {line['id']}  {span(line['first_date'], line['last_date'])}  "
            f"{len(events)} event(s): {cut(line['title'], 70)}"
        )
        for ev in events[:max_events]:
            out.append(
                f"  {ev['id']}  {span(ev['first_date'], ev['last_date']):24}  "
                f"{ev['articles']:3} art. {ev['outlets']:2} outlets  {cut(ev['title'], 60)}"
            )
        if len(events) > max_events:
            out.append(f"  … and {len(events) - max_events} more")
        out.append("")
    if not out:
        return "The store holds no events yet."
    flagged = store.count_events(borderline=True)
    if flagged:
        out.append(
            f"{flagged} event(s) hold borderline placements, worth a check: "
            "newsfold events --borderline"
        )
    return "\n".join(out).rstrip()


def events_table(rows: list[dict[str, Any]]) -> str:
    return table(
        ["event", "dates", "articles", "outlets", "borderline", "storyline", "title"],
        [
            [
                r["id"],
                span(r["first_date"], r["last_date"]),
                r["articles"],
                r["outlets"],
                r.get("borderline") or "",  # borderline placements ("": none, or not counted)
                r["storyline"] or "-",  # not linked yet: a run links at each new week and its end
                r["title"],
            ]
            for r in rows
        ],
    )


def event_detail(store: Store, event_id: str) -> Iterator[str]:
    """An event for a reader: its articles and origins, then what they say together
    (claims, who and where, quotations) when facts were extracted."""
    ev = store.get_event(event_id)
    yield f"Event {ev['id']}: {ev['title']}"
    yield f"  dates: {span(ev['first_date'], ev['last_date'])}"
    line = ev["storyline"] or "- (linked at the next new week or the end of the run)"
    yield f"  storyline: {line}"
    yield f"  articles: {ev['articles']} from {ev['outlets']} outlet(s); languages: " + (
        ", ".join(ev["languages"]) or "?"
    )
    corr = store.event_corroboration(event_id) or {}
    origins = corr.get("origins", {})
    rows = store.event_articles(event_id)
    titles: dict[str, tuple[str, str] | None] = {}  # runner-up -> (live id, title)
    placed = {k: v for k, v in store.event_placements(event_id, rows, titles).items() if v}
    if origins:
        yield f"  independent origins: {len(set(origins.values()))}"
    borderline = sum(bool(p.get("borderline")) for p in placed.values())
    if borderline:
        yield (
            f"  borderline placements: {borderline} (marked ?: close to the join threshold, "
            "or another event scored as high; listed below with the event that came close)"
        )
    yield ""
    yield table(
        ["article", "published", "from", "lang", "source", "origin", "copy of", "placed", "title"],
        [
            [
                r["id"],
                r["published"] or "?",
                r["date_source"],
                r["language"],
                r["source"] or "",
                origins.get(r["id"], ""),
                r["duplicate_of"] or "",
                placement_label(placed.get(r["id"])),
                r["title"],
            ]
            for r in rows
        ],
    )
    flagged = [(r, placed[r["id"]]) for r in rows if placed.get(r["id"], {}).get("borderline")]
    if flagged:
        yield ""
        yield "Borderline placements (worth a check: the closest other event and its score)"
        found: list[list[str]] = []
        for r, p in flagged:
            other, title = p.get("runner_up"), ""
            if other:
                live = titles[other]
                title = "(not found now)" if live is None else live[1]
                if live is not None and live[0] != other:
                    title += f" (now in {live[0]})"
            score = p.get("runner_up_score")
            found.append(
                [
                    r["id"],
                    placement_label(p),
                    other or "-",
                    "" if score is None else f"{score:.2f}",
                    title,
                ]
            )
        yield table(["article", "placed", "closest other", "score", "its title"], found)
    facts = {r["id"]: store.article_facts(r["id"]) for r in rows}
    if any(facts.values()):
        yield from event_facts(corr.get("claims") or [], facts)


def placement_label(placement: dict[str, Any] | None) -> str:
    """How an article was grouped, in a few characters: "joined 0.62" (its same-event
    score), "founded", "same text" (a copy, placed with its text without scoring); "?"
    after a borderline one; "" when not logged."""
    if not placement:
        return ""
    if placement.get("copy"):
        return "same text"
    score = placement.get("score")
    label = "founded" if score is None else f"joined {score:.2f}"
    return label + (" ?" if placement.get("borderline") else "")


ENTITY_ROWS = 15  # rows of the entity table of ``newsfold show``
QUOTE_ROWS = 10  # rows of its quotation table


def event_facts(claims: list[dict[str, Any]], facts: dict[str, Any]) -> Iterator[str]:
    """What an event's articles say together: claim groups, entities with their name
    variants merged across the articles, and quotations grouped by speaker (``facts``
    in the event's article order)."""
    together = summarize(facts)
    if claims:
        yield ""
        yield "Claims"
        yield claims_table(claims, with_event=False)
    ents = together["entities"]
    if ents:
        yield ""
        yield f"Who and where ({len(ents)} names, the most widely named first)"
        yield table(
            ["name", "kind", "articles", "mentions", "also written"],
            [
                [
                    e["name"],
                    e["label"] or "",
                    e["articles"],
                    e["mentions"],
                    ", ".join(e["variants"]),
                ]
                for e in ents[:ENTITY_ROWS]
            ],
        )
    quotes = together["quotes"]
    if quotes:
        yield ""
        yield f"Quotations ({len(quotes)}, the most widely repeated first)"
        yield table(
            ["speaker", "kind", "articles", "first", "text"],
            [
                [q["speaker"] or "?", q["kind"] or "", len(q["articles"]), q["first"], q["text"]]
                for q in quotes[:QUOTE_ROWS]
            ],
        )


def claims_table(items: list[dict[str, Any]], with_event: bool = True) -> str:
    """Claim groups as a table; the reasons of conflicts follow it in full (a table
    cell would cut them)."""
    if not items:
        return "No claims stored (run with facts enabled first)."

    def values(c: dict[str, Any]) -> str:
        return ", ".join(f"{v:,.0f}" if float(v).is_integer() else f"{v:,}" for v in c["values"])

    headers = ["event", "thing", "values", "stated as", "articles", "origins", "first", "conflict"]
    rows = [
        [
            c["event"],
            c["thing"],
            values(c),
            "/".join(sorted(set(c["modalities"]))),
            len(c["articles"]),
            c["origins"],
            c["first"] or "",
            "yes" if c["conflict"] else "",
        ]
        for c in items
    ]
    if not with_event:
        headers, rows = headers[1:], [r[1:] for r in rows]
    out = table(headers, rows, flex=1 if with_event else 0)  # the thing
    conflicts = [c for c in items if c["conflict"]]
    if conflicts:
        out += "\n\nConflicts:"
        for c in conflicts:
            where = f"{c['event']}: " if with_event else ""
            out += f"\n  {where}{c['thing']} ({values(c)}): {c['conflict']}"
    return out
