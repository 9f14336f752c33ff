"""The JSON API under /api/, its OpenAPI document, and CSV/JSON downloads.

Lists are paginated the same way everywhere: ``limit`` (1..500, default 50)
and ``offset``; answers are ``{"items", "total", "limit", "offset", "next"}``
where ``next`` is the URL of the following page or null.
"""

from __future__ import annotations

import csv
import io
import json
import urllib.parse
from collections.abc import Iterable, Sequence
from typing import Any

from newsfold import __version__
from newsfold.web import analysis, views
from newsfold.web.app import Request, Response, Route, json_response

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
MAX_OFFSET = 10_000_000


def _limits(request: Request) -> tuple[int, int]:
    return (
        request.int_arg("limit", DEFAULT_LIMIT, 1, MAX_LIMIT),
        request.int_arg("offset", 0, 0, MAX_OFFSET),
    )


def paginated(
    request: Request,
    items: list[Any],
    total: int | None,
    limit: int,
    offset: int,
    more: bool | None = None,
) -> Response:
    """The page answer; ``total`` None means not counted, then ``more`` says if a next
    page exists."""
    if more is None:
        more = total is not None and offset + limit < total
    nxt = None
    if more:
        pairs = [(k, v[0]) for k, v in request.query.items() if k != "offset"]
        nxt = request.path + "?" + urllib.parse.urlencode([*pairs, ("offset", offset + limit)])
    return json_response(
        {"items": items, "total": total, "limit": limit, "offset": offset, "next": nxt}
    )


def _event_items(request: Request, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    origins = request.store.event_origin_counts(r["id"] for r in rows)
    for row in rows:
        row["origins"] = origins.get(row["id"])
        row["url"] = "/events/" + urllib.parse.quote(row["id"], safe="")
    return rows


# ------------------------------------------------------------------ handlers


def api_index(request: Request) -> Response:
    return json_response(
        {
            "name": "newsfold",
            "version": __version__,
            "openapi": "/api/openapi.json",
            "endpoints": sorted(
                {r.openapi_path for r in request.app.routes if r.template.startswith("/api/")}
            ),
        }
    )


def api_stats(request: Request) -> Response:
    data: dict[str, Any] = dict(request.store.counts())
    data["generation"] = request.store.generation()
    return json_response(data, headers=[("Cache-Control", "no-store")])


def api_events(request: Request) -> Response:
    limit, offset = _limits(request)
    filters = views.event_filters(request)
    order = request.choice_arg("sort", views.SORTS, "recent")
    total = request.store.count_events(**filters)
    rows = request.store.list_events(limit=limit, offset=offset, order=order, **filters)
    return paginated(request, _event_items(request, rows), total, limit, offset)


def api_event(request: Request) -> Response:
    store = request.store
    event_id = request.params["id"]
    event, articles, corr, groups, heads = views.load_event(store, event_id)
    event["origins"] = len(groups)
    event["article_list"] = articles
    event["origin_groups"] = [
        {"origin": g.origin, "original": g.head["id"], "copies": [c["id"] for c in g.copies]}
        for g in groups
    ]
    event["summary"] = analysis.summarize(heads)
    event["claims"] = analysis.claim_rows(corr)
    event["entities"] = store.entities(limit=100, event=event_id)
    event["corroboration"] = corr
    return json_response(event)


def api_storylines(request: Request) -> Response:
    limit, offset = _limits(request)
    rows = request.cached("storylines", request.store.list_storylines)
    items = [dict(row) for row in rows[offset : offset + limit]]
    for row in items:
        row["event_ids"] = [
            e["id"] for e in request.store.list_events(storyline=row["id"], order="oldest")
        ]
    return paginated(request, items, len(rows), limit, offset)


def api_storyline(request: Request) -> Response:
    store = request.store
    line = store.get_storyline(request.params["id"])
    events = _event_items(request, store.list_events(storyline=line["id"], order="oldest"))
    corr = {e["id"]: store.event_corroboration(e["id"]) for e in events}
    line["event_list"] = events
    line["key_numbers"] = analysis.key_numbers(events, corr)
    return json_response(line)


def api_article(request: Request) -> Response:
    store = request.store
    article = store.get_article(request.params["id"])
    corr = store.event_corroboration(article["event"]) if article.get("event") else None
    origins = (corr or {}).get("origins") or {}
    article["origin"] = origins.get(article["id"])
    article["origin_reason"] = ((corr or {}).get("origin_reasons") or {}).get(article["id"])
    article["facts"] = store.article_facts(article["id"])
    siblings = store.event_articles(article["event"]) if article.get("event") else []
    article["copies"] = [a["id"] for a in siblings if a.get("duplicate_of") == article["id"]]
    # the other articles of its independent origin, as the article page lists them
    origin = article["origin"]
    article["same_origin"] = [
        a["id"]
        for a in siblings
        if origin
        and origins.get(a["id"]) == origin
        and a["id"] != article["id"]
        and a["id"] not in article["copies"]
    ]
    return json_response(article)


def api_facts(request: Request) -> Response:
    limit, offset = _limits(request)
    filters = views.claim_filters(request)
    total = request.store.count_claims(**filters)
    rows = request.store.list_claims(limit=limit, offset=offset, **filters)
    return paginated(request, rows, total, limit, offset)


def api_search(request: Request) -> Response:
    limit, offset = _limits(request)
    query = request.arg("q") or ""
    if not query:
        return paginated(request, [], 0, limit, offset)
    total = request.store.count_search(query)
    items = request.store.search(query, limit=limit, offset=offset)
    return paginated(request, items, total, limit, offset)


def api_entities(request: Request) -> Response:
    limit, offset = _limits(request)
    # entities() has no offset: fetch to the end of the page, plus one to see a next page
    event = request.arg("event")
    if event:
        request.store.get_event(event)  # 404 unknown, 302 merged
    rows = request.store.entities(limit=offset + limit + 1, event=event)
    more = len(rows) > offset + limit
    total = None if more else len(rows)  # counted only when this is the last page
    return paginated(request, rows[offset : offset + limit], total, limit, offset, more)


# ------------------------------------------------------------------ downloads

EVENT_COLUMNS = (
    "id",
    "title",
    "first_date",
    "last_date",
    "articles",
    "outlets",
    "origins",
    "languages",
    "borderline",
    "storyline",
)
FACT_COLUMNS = (
    "event",
    "thing",
    "subject",
    "values",
    "modalities",
    "articles",
    "origins",
    "first",
    "conflict",
)


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        value = "; ".join(_csv_cell(v) for v in value)
    text = str(value)
    # Spreadsheets run cells that start like a formula: article text is hostile input.
    if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not _is_number(text):
        text = "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _download(
    name: str, fmt: str, columns: Sequence[str], rows: Iterable[dict[str, Any]]
) -> Response:
    items = [{c: row.get(c) for c in columns} for row in rows]
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(columns)
        for item in items:
            writer.writerow([_csv_cell(item[c]) for c in columns])
        body = out.getvalue().encode("utf-8")
        content_type = "text/csv; charset=utf-8"
    else:
        body = json.dumps(items, ensure_ascii=False).encode("utf-8")  # C encoder: no indent
        content_type = "application/json; charset=utf-8"
    disposition = f'attachment; filename="newsfold-{name}.{fmt}"'
    return Response(body, 200, content_type, [("Content-Disposition", disposition)])


def export_events(request: Request) -> Response:
    filters = views.event_filters(request)
    order = request.choice_arg("sort", views.SORTS, "recent")
    rows = _event_items(request, request.store.list_events(order=order, **filters))
    return _download("events", request.params["fmt"], EVENT_COLUMNS, rows)


def export_facts(request: Request) -> Response:
    rows = request.store.list_claims(**views.claim_filters(request))
    return _download("facts", request.params["fmt"], FACT_COLUMNS, rows)


def routes() -> list[Route]:
    return [
        Route("/api/", api_index, "api", "What the API offers"),
        Route("/api/openapi.json", openapi_route, "api", "This OpenAPI document"),
        Route("/api/stats", api_stats, "api", "Store counts and its change generation"),
        Route("/api/events", api_events, "api", "Events, filtered and paginated"),
        Route(
            "/api/events/{id:path}",
            api_event,
            "api",
            "One event: articles (each with its placement), origin groups, summary, claims, "
            "entities",
        ),
        Route("/api/storylines", api_storylines, "api", "Storylines with their event ids"),
        Route(
            "/api/storylines/{id:path}",
            api_storyline,
            "api",
            "One storyline: events and key numbers over time",
        ),
        Route(
            "/api/articles/{id:path}",
            api_article,
            "api",
            "One article: cleaned text, raw input, date provenance, facts, origin, copies, "
            "same_origin",
        ),
        Route("/api/facts", api_facts, "api", "Claim groups with corroboration and conflicts"),
        Route("/api/search", api_search, "api", "Full-text search over articles and facts"),
        Route("/api/entities", api_entities, "api", "Entity names, most articles first"),
        Route(
            "/api/export/events.{fmt:fmt}",
            export_events,
            "api",
            "Download events (all pages) as CSV or JSON",
        ),
        Route(
            "/api/export/facts.{fmt:fmt}",
            export_facts,
            "api",
            "Download claim groups (all pages) as CSV or JSON",
        ),
    ]


# ------------------------------------------------------------------ OpenAPI


def _param(name: str, where: str, kind: str, description: str, **extra: Any) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": kind}
    schema.update(extra)
    return {
        "name": name,
        "in": where,
        "required": where == "path",
        "schema": schema,
        "description": description,
    }


PAGING = [
    _param(
        "limit",
        "query",
        "integer",
        "items per page",
        minimum=1,
        maximum=MAX_LIMIT,
        default=DEFAULT_LIMIT,
    ),
    _param("offset", "query", "integer", "items to skip", minimum=0, default=0),
]
EVENT_PARAMS = [
    _param("q", "query", "string", "full-text search: events with a matching article"),
    _param("from", "query", "string", "events reported on or after this date", format="date"),
    _param("to", "query", "string", "events reported on or before this date", format="date"),
    _param("lang", "query", "string", "events with an article in this language (ISO 639-1)"),
    _param("outlet", "query", "string", "events with an article from this outlet"),
    _param("entity", "query", "string", "events whose facts name this entity"),
    _param("storyline", "query", "string", "events of this storyline"),
    _param(
        "borderline",
        "query",
        "boolean",
        "only events holding a borderline placement (close to the join threshold, or "
        "another event scored as high): worth a check",
    ),
    _param(
        "sort",
        "query",
        "string",
        "order (borderline: the most borderline placements first)",
        enum=list(views.SORTS),
        default="recent",
    ),
]
FACT_PARAMS = [
    _param("event", "query", "string", "only this event's claims"),
    _param("conflicts", "query", "boolean", "only conflicting claims"),
    _param(
        "thing",
        "query",
        "string",
        "claims whose thing contains this text (any case), or counts the same thing in "
        "another language or wording (Tote, dead: deaths)",
    ),
]
FORMAT = _param("fmt", "path", "string", "file format", enum=["csv", "json"])
ID = _param("id", "path", "string", "the id, URL-encoded (article ids may hold slashes: %2F)")
PARAMS: dict[str, list[dict[str, Any]]] = {
    "/api/events": [*EVENT_PARAMS, *PAGING],
    "/api/events/{id}": [ID],
    "/api/storylines": PAGING,
    "/api/storylines/{id}": [ID],
    "/api/articles/{id}": [ID],
    "/api/facts": [*FACT_PARAMS, *PAGING],
    "/api/search": [_param("q", "query", "string", 'words, "a phrase" or prefix*'), *PAGING],
    "/api/entities": [_param("event", "query", "string", "only this event"), *PAGING],
    "/api/export/events.{fmt}": [FORMAT, *EVENT_PARAMS],
    "/api/export/facts.{fmt}": [FORMAT, *FACT_PARAMS],
}
PAGE_SCHEMA = {
    "type": "object",
    "required": ["items", "total", "limit", "offset", "next"],
    "properties": {
        "items": {"type": "array", "items": {"type": "object"}},
        "total": {"type": ["integer", "null"], "description": "null when not counted"},
        "limit": {"type": "integer"},
        "offset": {"type": "integer"},
        "next": {"type": ["string", "null"]},
    },
}


def openapi(app_routes: Sequence[Route]) -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for route in app_routes:
        if not route.template.startswith("/api/"):
            continue
        path = route.openapi_path
        params = PARAMS.get(path, [])
        paged = any(p["name"] == "limit" for p in params) and "export" not in path
        if "export" in path:
            content = {
                "text/csv": {"schema": {"type": "string"}},
                "application/json": {"schema": {"type": "array", "items": {"type": "object"}}},
            }
        else:
            content = {"application/json": {"schema": PAGE_SCHEMA if paged else {"type": "object"}}}
        responses: dict[str, Any] = {"200": {"description": "OK", "content": content}}
        filters_by_id = any(p["name"] in ("event", "storyline") for p in params)
        takes_id = filters_by_id or any(p["in"] == "path" for p in params)
        # only event and storyline ids are ever merged (articles and formats never move)
        moves = filters_by_id or path.startswith(("/api/events/", "/api/storylines/"))
        if moves:
            responses["302"] = {
                "description": "the event or storyline was merged into another: "
                "Location is this address with the id it went into",
                "headers": {"Location": {"schema": {"type": "string"}}},
            }
            responses["503"] = {
                "description": "a run is grouping this event or storyline again (the undo of "
                "the end of the last run took it away): the id is back, or merged, once "
                "that run ends; Retry-After says when to ask again",
                "headers": {"Retry-After": {"schema": {"type": "integer"}}},
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
            }
        if takes_id:
            responses["404"] = {
                "description": "no such id",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
            }
        if params:
            responses["400"] = {
                "description": "bad parameter",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
            }
        operation = {
            "summary": route.summary,
            "operationId": "get_" + "".join(c if c.isalnum() else "_" for c in path[5:]).strip("_")
            or "get_index",
            "parameters": params,
            "responses": responses,
        }
        paths[path] = {"get": operation}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "newsfold",
            "version": __version__,
            "description": "Read-only access to events, storylines, articles and facts. "
            "Lists are paginated with limit and offset.",
        },
        "paths": paths,
        "components": {
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error", "status"],
                    "properties": {"error": {"type": "string"}, "status": {"type": "integer"}},
                }
            }
        },
    }


def openapi_route(request: Request) -> Response:
    return json_response(openapi(request.app.routes))
