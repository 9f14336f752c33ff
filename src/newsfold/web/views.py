"""HTML pages: events, one event, storylines, one storyline, articles, search, facts.

Server-rendered with jinja2 (autoescape on for every template); the pages work
without JavaScript. Filters and paging are plain query arguments, so every
view can be bookmarked.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import urllib.parse
from collections.abc import Mapping
from typing import Any

import jinja2
from markupsafe import Markup, escape

from newsfold.errors import NotFoundError
from newsfold.facts.event_summary import summarize
from newsfold.web import analysis, svg
from newsfold.web.app import HERE, HTTPError, Request, Response, Route, quote_id

PAGE_SIZE = 25
MAX_PAGE = 100_000
SORTS = ("recent", "size", "oldest", "borderline")
EVENT_FILTERS = ("q", "from", "to", "lang", "outlet", "entity", "storyline", "borderline", "sort")


# Bidirectional embeddings, overrides and isolates (LRE RLE PDF LRO RLO, LRI RLI FSI
# PDI): in article data they are a spoofing trick ("report\u202efdp.exe" reads
# "reportexe.pdf", and an unclosed override flips the rest of the line). Pages drop
# them; natural right-to-left text needs none of them and is isolated by the markup.
CLIP = 300  # characters of a title shown where titles are listed


class Exact(Markup):
    """Escaped text kept character for character: form values that must come back
    exactly as stored (an outlet name to filter by), never shown as text."""


_BIDI_CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069]")


def _finalize(value: Any) -> Any:
    """Applied to every ``{{ ... }}`` output of every template (before escaping)."""
    if not isinstance(value, str) or value.isascii() or isinstance(value, Exact):
        return value  # the common case, fast: no direction control is ASCII
    if not _BIDI_CONTROL.search(value):
        return value
    if isinstance(value, Markup):
        return Markup(_BIDI_CONTROL.sub("", str(value)))
    return _BIDI_CONTROL.sub("", value)


def clip(value: Any, width: int = CLIP) -> str:
    """A title cut to ``width`` characters (with "…") for lists; pages show it whole."""
    text = "" if value is None else str(value)
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


@functools.cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(HERE / "templates")),
        autoescape=True,  # every template, whatever its name
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_finalize,
    )
    env.filters["qid"] = quote_id
    env.filters["exact"] = lambda value: Exact(escape("" if value is None else str(value)))
    env.filters["clip"] = clip
    env.filters["num"] = analysis.fmt_number
    env.filters["span"] = lambda row: analysis.span(row.get("first_date"), row.get("last_date"))
    env.filters["thing"] = lambda t: str(t or "?").replace("_", " ")
    env.globals["safe_url"] = safe_url
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


def page(request: Request, template: str, **context: Any) -> Response:
    generation = request.generation
    counts = request.cached("counts", request.store.counts)
    html = render(
        template,
        request=request,
        generation=generation,
        counts=counts,
        path=request.path,
        **context,
    )
    return Response(html.encode("utf-8"), headers=[("Cache-Control", "no-cache")])


def safe_url(url: Any) -> str | None:
    """A link target only for http(s) addresses; anything else (javascript:, data:) is None."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    if any(ord(c) < 0x20 or c == "\x7f" for c in url):
        return None  # browsers drop control characters: the link would go elsewhere
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme in ("http", "https") and parts.netloc else None


def with_query(request: Request, **changes: Any) -> str:
    """The current URL's query with some arguments changed (None removes one)."""
    pairs = [(k, v) for k, vs in request.query.items() for v in vs[:1] if k not in changes]
    pairs += [(k, str(v)) for k, v in changes.items() if v not in (None, "")]
    return request.path + ("?" + urllib.parse.urlencode(pairs) if pairs else "")


def pager(request: Request, total: int, size: int = PAGE_SIZE) -> dict[str, Any]:
    number = request.int_arg("page", 1, 1, MAX_PAGE)
    pages = max(1, -(-total // size))
    return {
        "number": number,
        "pages": pages,
        "total": total,
        "offset": (number - 1) * size,
        "size": size,
        "prev": with_query(request, page=number - 1 if number > 2 else None)
        if number > 1
        else None,
        "next": with_query(request, page=number + 1) if number < pages else None,
    }


def date_arg(request: Request, name: str) -> str | None:
    value = request.arg(name)
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise HTTPError(400, f"{name} must be a date like 2025-03-04") from None


def event_filters(request: Request) -> dict[str, Any]:
    """Store keyword filters from the query: q, from, to, lang, outlet, entity, storyline,
    borderline (a flag); 404 for an unknown storyline (302 for a merged one, see
    WebApp.moved)."""
    storyline = request.arg("storyline")
    if storyline:
        request.store.get_storyline(storyline)
    return {
        "storyline": storyline,
        "date_from": date_arg(request, "from"),
        "date_to": date_arg(request, "to"),
        "language": request.arg("lang"),
        "outlet": request.arg("outlet"),
        "entity": request.arg("entity"),
        "query": request.arg("q"),
        "borderline": request.bool_arg("borderline"),
    }


def storyline_titles(request: Request) -> dict[str, str]:
    return request.cached(
        "storyline_titles", lambda: {s["id"]: s["title"] for s in request.store.list_storylines()}
    )


# ------------------------------------------------------------------ pages


def events_page(request: Request) -> Response:
    store = request.store
    filters = event_filters(request)
    order = request.choice_arg("sort", SORTS, "recent")
    total = store.count_events(**filters)
    pg = pager(request, total)
    rows = store.list_events(limit=pg["size"], offset=pg["offset"], order=order, **filters)
    origins = store.event_origin_counts(r["id"] for r in rows)
    lines = storyline_titles(request)
    for row in rows:
        row["origins"] = origins.get(row["id"])
        row["storyline_title"] = lines.get(row["storyline"] or "")
    hits: list[dict[str, Any]] = []
    hit_total = 0
    if filters["query"]:
        hits = store.search(filters["query"], limit=5)
        hit_total = store.count_search(filters["query"])
    active = {k: request.arg(k) for k in EVENT_FILTERS if request.arg(k)}
    if not filters["borderline"]:
        active.pop("borderline", None)  # "0", "no": not a filter
    return page(
        request,
        "events.html",
        title="Events",
        events=rows,
        pager=pg,
        facets=request.cached("facets", store.article_facets),
        entities=request.cached("entities", lambda: store.entities(limit=100)),
        filters=active,
        order=order,
        sorts=SORTS,
        hits=hits,
        hit_total=hit_total,
        storyline=store.get_storyline(filters["storyline"]) if filters["storyline"] else None,
        clear=with_query(request, **dict.fromkeys(request.query)),
    )


def load_event(
    store: Any, event_id: str
) -> tuple[
    dict[str, Any], list[dict[str, Any]], dict[str, Any] | None, list[Any], list[dict[str, Any]]
]:
    """An event with what its page and its API answer both show: (event, articles,
    corroboration, origin groups, the group heads with their text for the summary)."""
    event = store.get_event(event_id)
    articles = store.event_articles(event_id)
    titles: dict[str, tuple[str, str] | None] = {}  # runner-up -> (live id, title)
    placed = store.event_placements(event_id, articles, titles)
    for a in articles:  # how sure its grouping was (None: grouped before this was logged)
        found = placed.get(a["id"])
        if found and found.get("borderline") and found.get("runner_up"):
            # what the event that came close is about (its live id, if merged since)
            live = titles[found["runner_up"]]
            found = dict(found, runner_up_title=live[1] if live else None)
        a["placement"] = found
    corr = store.event_corroboration(event_id)
    groups = analysis.origin_groups(articles, corr)
    heads = [dict(g.head, text=store.get_article(g.head["id"])["text"]) for g in groups[:40]]
    return event, articles, corr, groups, heads


def event_page(request: Request) -> Response:
    store = request.store
    event_id = request.params["id"]
    event, articles, corr, groups, heads = load_event(store, event_id)
    facts = {a["id"]: store.article_facts(a["id"]) for a in articles}
    together = summarize(facts)  # entities and quotations over the event's articles
    summary = analysis.summarize(heads)
    number = {a["id"]: i for i, a in enumerate((g.head for g in groups), start=1)}
    for sentence in summary:
        sentence["cite"] = number.get(sentence["article"])
    storyline = None
    if event.get("storyline"):
        try:
            storyline = store.get_storyline(event["storyline"])
        except NotFoundError:
            storyline = None
    return page(
        request,
        "event.html",
        title=event.get("title") or event_id,
        event=event,
        articles=articles,
        groups=groups,
        origins=len(groups),
        summary=summary,
        claims=analysis.claim_rows(corr),
        entities=together["entities"],
        quotes=together["quotes"],
        timeline=svg.outlet_timeline(articles),
        storyline=storyline,
        has_corroboration=corr is not None,
        has_facts=any(f is not None for f in facts.values()),
        history=store.event_log(event_id)[-50:],
        borderline=sum(bool((a["placement"] or {}).get("borderline")) for a in articles),
        # origin groups opened on the page: a copy in them is borderline ("?" in sight)
        flagged={
            g.origin
            for g in groups
            if any((c.get("placement") or {}).get("borderline") for c in g.copies)
        },
        titles={a["id"]: a.get("title") for a in articles},
    )


def storylines_page(request: Request) -> Response:
    rows = request.cached("storylines", request.store.list_storylines)
    pg = pager(request, len(rows))
    return page(
        request,
        "storylines.html",
        title="Storylines",
        storylines=rows[pg["offset"] : pg["offset"] + pg["size"]],
        pager=pg,
    )


def storyline_page(request: Request) -> Response:
    store = request.store
    line = store.get_storyline(request.params["id"])
    events = store.list_events(storyline=line["id"], order="oldest")
    corr = {e["id"]: store.event_corroboration(e["id"]) for e in events}
    series = analysis.key_numbers(events, corr)
    origins = store.event_origin_counts(e["id"] for e in events)
    for ev in events:
        ev["origins"] = origins.get(ev["id"])
    return page(
        request,
        "storyline.html",
        title=line.get("title") or line["id"],
        storyline=line,
        events=events,
        series=series,
        chart=svg.storyline_chart(events, series),
    )


def article_page(request: Request) -> Response:
    store = request.store
    article = store.get_article(request.params["id"])
    text = article.get("text") or ""
    facts = store.article_facts(article["id"])
    marks = analysis.fact_marks(text, facts)
    cited = _cited_span(request, len(text))
    if cited:
        marks.append(analysis.Mark(cited[0], cited[1], "cited", "cited in the event summary"))
    corr = store.event_corroboration(article["event"]) if article.get("event") else None
    origins: Mapping[str, Any] = (corr or {}).get("origins") or {}
    reasons: Mapping[str, Any] = (corr or {}).get("origin_reasons") or {}
    siblings = store.event_articles(article["event"]) if article.get("event") else []
    origin = origins.get(article["id"])
    copies = [a for a in siblings if a.get("duplicate_of") == article["id"]]
    same_origin = [
        a
        for a in siblings
        if origin
        and origins.get(a["id"]) == origin
        and a["id"] != article["id"]
        and a not in copies
    ]
    event = None
    if article.get("event"):
        try:
            event = store.get_event(article["event"])
        except NotFoundError:
            event = None
    return page(
        request,
        "article.html",
        title=article.get("title") or article["id"],
        article=article,
        segments=analysis.segments(text, marks),
        facts=facts or {},
        kinds=sorted({m.kind for m in marks} - {"cited"}, key=analysis.KIND_ORDER.index),
        event=event,
        origin=origin,
        origin_reason=reasons.get(article["id"]),
        copies=copies,
        same_origin=same_origin,
        link=safe_url(article.get("url")),
        cited=cited,
    )


def _cited_span(request: Request, length: int) -> tuple[int, int] | None:
    value = request.arg("cite")
    if not value:
        return None
    start, _, end = value.partition("-")
    try:
        a, b = int(start), int(end)
    except ValueError:
        return None
    return (a, b) if 0 <= a < b <= length else None


def search_page(request: Request) -> Response:
    query = request.arg("q")
    hits: list[dict[str, Any]] = []
    pg = pager(request, 0)
    if query:
        total = request.store.count_search(query)
        pg = pager(request, total)
        hits = request.store.search(query, limit=pg["size"], offset=pg["offset"])
    return page(request, "search.html", title="Search", query=query or "", hits=hits, pager=pg)


def facts_page(request: Request) -> Response:
    store = request.store
    filters = claim_filters(request)
    pg = pager(request, store.count_claims(**filters))
    rows = store.list_claims(limit=pg["size"], offset=pg["offset"], **filters)
    titles: dict[str, Any] = {}
    for row in rows:
        if row["event"] not in titles:
            titles[row["event"]] = store.get_event(row["event"])["title"]
    return page(
        request,
        "facts.html",
        title="Facts",
        claims=rows,
        pager=pg,
        conflicts=filters["conflicts"],
        thing=filters["thing"] or "",
        titles=titles,
    )


def claim_filters(request: Request) -> dict[str, Any]:
    """Store keyword filters of claims from the query: event, conflicts, thing; 404 for
    an unknown event."""
    event = request.arg("event")
    if event:
        request.store.get_event(event)
    return {
        "event": event,
        "conflicts": request.bool_arg("conflicts"),
        "thing": request.arg("thing"),
    }


def routes() -> list[Route]:
    return [
        Route("/", events_page, summary="Events, newest first, with filters and search"),
        Route("/events", events_page, summary="Events"),
        Route("/events/{id:path}", event_page, summary="One event"),
        Route("/storylines", storylines_page, summary="Storylines"),
        Route("/storylines/{id:path}", storyline_page, summary="One storyline"),
        Route("/articles/{id:path}", article_page, summary="One article"),
        Route("/search", search_page, summary="Full-text search"),
        Route("/facts", facts_page, summary="Claim groups"),
    ]
