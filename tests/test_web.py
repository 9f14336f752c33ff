"""The web interface, called directly as a WSGI app (no server, no browser)."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import signal
import sqlite3
import threading
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from wsgiref.util import setup_testing_defaults

import pytest
from click.testing import CliRunner

from newsfold.cli import cli
from newsfold.store import SQLiteStore
from newsfold.web import ReadOnlyPool, file_version, make_app, make_server_for, read_only_factory
from newsfold.web.app import CSP, Response, ResponseCache, WebApp
from test_web_fixtures import (
    ARABIC,
    FORMULA,
    HOSTILE_URLS,
    IMG,
    LONG_TITLE,
    RLO,
    SCRIPT,
    SPOOF_TITLE,
    add_hostile_extras,
    build_store,
)

HOSTILE_RAW = (SCRIPT, IMG, "<svg onload=alert(1)>", "<b>bold</b>", "<i>us</i>")


class Answer:
    def __init__(self, status: str, headers: list[tuple[str, str]], body: bytes) -> None:
        self.status = int(status.split()[0])
        self.headers = {k.lower(): v for k, v in headers}
        self.body = body
        self.text = body.decode("utf-8")

    def json(self) -> Any:
        assert self.headers["content-type"].startswith("application/json")
        return json.loads(self.body)


def call(
    app: WebApp, path: str, query: str = "", method: str = "GET", host: str | None = None
) -> Answer:
    environ: dict[str, Any] = {}
    setup_testing_defaults(environ)
    # PEP 3333: PATH_INFO carries UTF-8 bytes decoded as latin-1
    environ["PATH_INFO"] = urllib.parse.unquote_to_bytes(path).decode("latin-1")
    environ["QUERY_STRING"] = query
    environ["REQUEST_METHOD"] = method
    if host is not None:
        environ["HTTP_HOST"] = host
    else:
        environ.pop("HTTP_HOST", None)
    seen: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        seen["status"], seen["headers"] = status, headers

    body = b"".join(app(environ, start_response))
    return Answer(seen["status"], seen["headers"], body)


@pytest.fixture(scope="module")
def fixture_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    path = tmp_path_factory.mktemp("web") / "web.db"
    ids = build_store(path)
    return path, ids


@pytest.fixture(scope="module")
def app(fixture_db: tuple[Path, dict[str, Any]]) -> WebApp:
    return make_app(read_only_factory(fixture_db[0]))


@pytest.fixture(scope="module")
def ids(fixture_db: tuple[Path, dict[str, Any]]) -> dict[str, Any]:
    return fixture_db[1]


def html_pages(ids: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        ("/", ""),
        ("/events", ""),
        ("/events", "q=oska&sort=size"),
        ("/events/" + ids["flood"], ""),
        ("/events/" + ids["hostile"], ""),
        ("/events/" + ids["undated"], ""),
        ("/storylines", ""),
        ("/storylines/" + ids["floods"], ""),
        ("/storylines/sl-hostile", ""),
        ("/articles/" + ids["wire_article"], ""),
        ("/articles/" + ids["hostile_article"], ""),
        ("/articles/evil/second.txt", ""),
        ("/search", "q=alert"),
        ("/search", ""),
        ("/facts", ""),
        ("/facts", "conflicts=1"),
    ]


def assert_secure_headers(answer: Answer) -> None:
    assert answer.headers["content-security-policy"] == CSP
    assert "script-src 'self'" in CSP and "unsafe-inline" not in CSP
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["x-frame-options"] == "DENY"
    assert answer.headers["referrer-policy"] == "no-referrer"


class TagAudit(HTMLParser):
    """Every start tag a browser would build from the page, with its attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def assert_no_raw_markup(text: str) -> None:
    for raw in HOSTILE_RAW:
        assert raw not in text, raw
    audit = TagAudit()
    audit.feed(text)
    for tag, attrs in audit.tags:
        # no event handler attributes (onerror=, onload=, ...), no inline styles
        assert not [a for a in attrs if a.startswith("on") or a == "style"], (tag, attrs)
        for name in ("href", "src", "action"):
            value = (attrs.get(name) or "").strip().lower()
            assert not value.startswith(("javascript:", "data:", "vbscript:")), (tag, attrs)
        if tag == "script":
            assert attrs.get("src") == "/static/app.js", attrs  # no inline script
        assert tag not in ("style", "iframe", "object", "embed", "img", "base"), tag


# ------------------------------------------------------------------ every page


def test_every_html_page_renders_safely(app: WebApp, ids: dict[str, Any]) -> None:
    for path, query in html_pages(ids):
        answer = call(app, path, query)
        assert answer.status == 200, (path, query, answer.text[:500])
        assert answer.headers["content-type"] == "text/html; charset=utf-8"
        assert_secure_headers(answer)
        assert_no_raw_markup(answer.text)
        assert answer.text.startswith("<!doctype html>")


def test_hostile_text_is_shown_escaped(app: WebApp, ids: dict[str, Any]) -> None:
    page = call(app, "/events/" + ids["hostile"]).text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    article = call(app, "/articles/" + ids["hostile_article"]).text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in article
    assert "javascript:alert(1)" in article  # shown as text...
    assert 'href="javascript' not in article  # ...never as a link
    listing = call(app, "/events").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in listing


def test_api_routes_answer_json(app: WebApp, ids: dict[str, Any]) -> None:
    flood, article = ids["flood"], ids["wire_article"].replace("/", "%2F")
    for path, query in [
        ("/api/", ""),
        ("/api/stats", ""),
        ("/api/events", ""),
        ("/api/events/" + flood, ""),
        ("/api/storylines", ""),
        ("/api/storylines/" + ids["floods"], ""),
        ("/api/articles/" + ids["wire_article"], ""),
        ("/api/articles/" + article, ""),
        ("/api/facts", ""),
        ("/api/facts", f"event={flood}&conflicts=1"),
        ("/api/search", "q=okafor"),
        ("/api/entities", ""),
        ("/api/openapi.json", ""),
    ]:
        answer = call(app, path, query)
        assert answer.status == 200, (path, answer.text[:300])
        assert_secure_headers(answer)
        answer.json()


def test_api_event_detail(app: WebApp, ids: dict[str, Any]) -> None:
    data = call(app, "/api/events/" + ids["flood"]).json()
    assert data["articles"] == 3 and data["origins"] == 2
    assert {a["id"] for a in data["article_list"]} >= {"wire/flood-1.txt"}
    groups = {g["original"]: g["copies"] for g in data["origin_groups"]}
    assert groups["wire/flood-1.txt"] == ["ledger/flood-copy.txt"]
    assert data["summary"] and all(s["article"] for s in data["summary"])
    deaths = next(c for c in data["claims"] if c["thing"] == "deaths")
    assert deaths["conflict"] and deaths["origins"] == 2
    assert any(e["name"] == "Lena Okafor" for e in data["entities"])


def test_api_article_has_text_facts_origin_and_copies(app: WebApp, ids: dict[str, Any]) -> None:
    data = call(app, "/api/articles/" + ids["wire_article"]).json()
    assert data["text"].startswith("The River Oska")
    assert data["date_source"] == "header" and data["published"] == "2025-03-04"
    assert data["origin"] == ids["wire_article"]
    assert data["copies"] == ["ledger/flood-copy.txt"]
    assert data["facts"]["quotes"][0]["speaker"] == "Lena Okafor"
    assert data["same_origin"] == []  # its one copy is listed under copies
    copy = call(app, "/api/articles/" + urllib.parse.quote("ledger/flood-copy.txt", safe="")).json()
    assert copy["origin"] == ids["wire_article"] and copy["copies"] == []
    assert copy["same_origin"] == [ids["wire_article"]]  # as its page lists under "Same origin"


# ------------------------------------------------------------------ filters and search


def event_ids(app: WebApp, query: str) -> set[str]:
    return {e["id"] for e in call(app, "/api/events", query + "&limit=500").json()["items"]}


def test_event_filters(app: WebApp, ids: dict[str, Any]) -> None:
    assert event_ids(app, "q=oska") == {ids["flood"], ids["rise"]}
    assert event_ids(app, "lang=fr") == {ids["rise"]}
    assert event_ids(app, "outlet=Meridian+Wire") == {ids["flood"], ids["rise"], ids["troops"]}
    assert event_ids(app, "entity=lena+okafor") == {ids["flood"], ids["rise"]}
    assert event_ids(app, "from=2025-03-06&to=2025-04-05") == {ids["rise"], ids["troops"]}
    assert event_ids(app, "storyline=" + ids["border"]) == {ids["troops"], "ev-troops2"}
    assert event_ids(app, "q=oska&lang=fr") == {ids["rise"]}
    assert event_ids(app, "q=deaths") == {ids["flood"], ids["rise"]}  # a facts word
    page = call(app, "/events", "lang=fr").text
    assert "Oska flood toll rises to 61" in page and "River Oska floods Dunmere" not in page


def test_event_sort_orders(app: WebApp, ids: dict[str, Any]) -> None:
    recent = call(app, "/api/events", "limit=1").json()["items"][0]
    assert recent["id"] == ids["hostile"]  # newest
    biggest = call(app, "/api/events", "sort=size&limit=1").json()["items"][0]
    assert biggest["id"] == ids["flood"]
    assert call(app, "/api/events", "sort=sideways").status == 400


def test_search_pages_and_hostile_queries(app: WebApp) -> None:
    page = call(app, "/search", "q=okafor").text
    assert "<mark>Okafor</mark>" in page
    for query in (
        '"',
        "AND OR NOT",
        "title:x",
        "(((",
        "*",
        "NEAR(a b)",
        "'; DROP TABLE x;--",
        "<script>",
        "ünïcödé",
        "a" * 500,
    ):
        answer = call(app, "/search", "q=" + urllib.parse.quote(query))
        assert answer.status == 200, query
        assert call(app, "/api/search", "q=" + urllib.parse.quote(query)).status == 200
        assert call(app, "/events", "q=" + urllib.parse.quote(query)).status == 200
    data = call(app, "/api/search", "q=flood*").json()
    assert data["total"] >= 4 and data["items"][0]["snippet"]


def test_bad_parameters_are_400(app: WebApp) -> None:
    for path, query in [
        ("/events", "from=yesterday"),
        ("/events", "page=0"),
        ("/events", "page=x"),
        ("/api/events", "limit=0"),
        ("/api/events", "limit=100000"),
        ("/api/events", "offset=-1"),
        ("/api/facts", "limit=abc"),
        ("/api/events", "to=2025-13-01"),
    ]:
        answer = call(app, path, query)
        assert answer.status == 400, (path, query)
        assert_secure_headers(answer)
        if path.startswith("/api/"):
            assert answer.json()["status"] == 400
        else:
            assert "Bad request" in answer.text
    assert call(app, "/events", "q=" + "x" * 5000).status == 400


# ------------------------------------------------------------------ pagination


def test_html_pagination(app: WebApp, ids: dict[str, Any]) -> None:
    first = call(app, "/events").text
    assert first.count('<td class="title">') == 25
    assert f"page 1 of 2 ({ids['events']})" in first
    assert 'href="/events?page=2"' in first
    second = call(app, "/events", "page=2").text
    assert second.count('<td class="title">') == ids["events"] - 25
    assert 'rel="prev"' in second and 'rel="next"' not in second
    beyond = call(app, "/events", "page=9")
    assert beyond.status == 200 and "No events" in beyond.text
    kept = call(app, "/events", "lang=en&sort=oldest").text
    assert "lang=en" in kept.split('rel="next"')[0].rsplit("href=", 1)[1]


def test_api_pagination(app: WebApp, ids: dict[str, Any]) -> None:
    data = call(app, "/api/events", "limit=10").json()
    assert len(data["items"]) == 10 and data["total"] == ids["events"]
    assert data["next"] == "/api/events?limit=10&offset=10"
    seen: list[str] = []
    url: str | None = "/api/events?limit=10"
    while url:
        path, _, query = url.partition("?")
        page = call(app, path, query).json()
        seen += [e["id"] for e in page["items"]]
        url = page["next"]
    assert len(seen) == len(set(seen)) == ids["events"]
    last = call(app, "/api/events", f"limit=10&offset={ids['events'] - 1}").json()
    assert len(last["items"]) == 1 and last["next"] is None
    lines = call(app, "/api/storylines", "limit=2").json()
    assert len(lines["items"]) == 2 and lines["items"][0]["event_ids"]
    names = call(app, "/api/entities", "limit=2").json()
    assert len(names["items"]) == 2 and names["total"] is None and names["next"]
    rest = call(app, "/api/entities", "limit=500&offset=2").json()
    assert rest["total"] == len(rest["items"]) + 2 and rest["next"] is None
    facts = call(app, "/api/facts", "limit=1").json()
    assert len(facts["items"]) == 1 and facts["total"] == 6 and facts["next"]


# ------------------------------------------------------------------ errors and methods


def test_not_found_pages_are_friendly(app: WebApp) -> None:
    for path in (
        "/events/ev-nope",
        "/articles/no/such.txt",
        "/storylines/sl-nope",
        "/nowhere",
        "/events/<script>alert(1)</script>",
    ):
        answer = call(app, path)
        assert answer.status == 404, path
        assert answer.headers["content-type"].startswith("text/html")
        assert "Not found" in answer.text and 'href="/events"' in answer.text
        assert_secure_headers(answer)
        assert_no_raw_markup(answer.text)
    for path in ("/api/events/ev-nope", "/api/articles/x", "/api/storylines/x", "/api/nope"):
        answer = call(app, path)
        assert answer.status == 404 and answer.json()["status"] == 404
    assert call(app, "/api/facts", "event=ev-nope").status == 404
    assert call(app, "/static/nope.css").status == 404
    assert call(app, "/static/../app.py").status == 404


def test_only_get_and_head(app: WebApp, ids: dict[str, Any]) -> None:
    for method in ("POST", "PUT", "DELETE", "PATCH", "OPTIONS"):
        for path in ("/events", "/api/events", "/events/" + ids["flood"], "/nowhere"):
            answer = call(app, path, method=method)
            assert answer.status == 405, (method, path)
            assert answer.headers["allow"] == "GET, HEAD"
            assert_secure_headers(answer)
    head = call(app, "/events", method="HEAD")
    get = call(app, "/events")
    assert head.status == 200 and head.body == b""
    assert head.headers["content-length"] == get.headers["content-length"]


def test_foreign_host_header_is_refused(app: WebApp) -> None:
    assert call(app, "/events", host="evil.example").status == 400
    assert call(app, "/events", host="127.0.0.1:8000").status == 200
    assert call(app, "/events", host="localhost:8000").status == 200
    assert call(app, "/events", host="[::1]:8000").status == 200


def test_static_files(app: WebApp) -> None:
    css = call(app, "/static/style.css")
    assert css.status == 200 and css.headers["content-type"].startswith("text/css")
    js = call(app, "/static/app.js")
    assert js.status == 200 and js.headers["content-type"].startswith("text/javascript")
    assert "fetch(" in js.text
    icon = call(app, "/favicon.ico")
    assert icon.status == 200 and icon.headers["content-type"] == "image/svg+xml"


def test_store_errors_are_503(tmp_path: Path) -> None:
    app = make_app(read_only_factory(tmp_path / "missing.db"))
    answer = call(app, "/events")
    assert answer.status == 503 and "no store" in answer.text
    assert call(app, "/api/events").json()["status"] == 503


# ------------------------------------------------------------------ page contents


def test_event_page_contents(app: WebApp, ids: dict[str, Any]) -> None:
    page = call(app, "/events/" + ids["flood"]).text
    # summary sentences, each citing its article at the sentence's offsets
    cites = re.findall(r'href="/articles/([^"?]+)\?cite=(\d+)-(\d+)#cited"', page)
    assert cites and all(c[0] in ("wire%2Fflood-1.txt", "courier%2Fflood-local.txt") for c in cites)
    # copies folded under their original
    assert "1 more from this origin" in page and "near-verbatim copy" in page
    # facts with corroboration counts and conflict badges
    assert 'class="badge conflict"' in page and "values differ: 42, 45" in page
    assert "homes damaged" in page
    # entities, and the outlet timeline as inline SVG with one dot per article
    assert "Lena Okafor" in page and "/events?entity=Lena%20Okafor" in page
    # who said what: speaker, the quotation, how many articles repeat it
    quotes = page[
        page.index('<ul class="quotes">') : page.index("</ul>", page.index("Who said what"))
    ]
    assert 'class="speaker">Lena Okafor<' in quotes
    assert "<q>We have never seen water like this</q>" in quotes
    assert '2 article(s), first <a href="/articles/wire%2Fflood-1.txt">' in quotes  # + its copy
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert svg.count("<circle") == 3 and 'class="dot copy"' in svg
    assert "Meridian Wire" in svg and "Nordvik Courier" in svg


def test_event_page_shows_how_each_article_was_placed(app: WebApp, ids: dict[str, Any]) -> None:
    page = call(app, "/events/" + ids["flood"]).text
    assert "1</strong> borderline placement(s)" in page
    assert '<span class="placement" title="founded this event (join threshold 0.5)">founded' in page
    local = page[page.index("same-event score when it joined: 0.55") :]
    assert local.index('class="borderline"') < local.index("</li>")
    # the event that came close, by its title (its id on hover)
    assert 'href="/events/ev-flood2" title="ev-flood2">vs Oska flood toll rises to 61 0.41' in local
    # a copy carries no placement of its own (it followed its text)
    copies = page[page.index('<details class="copies">') : page.index("</details>")]
    assert 'class="placement"' not in copies
    # a hostile runner-up id is text, and its link is quoted
    hostile = call(app, "/events/" + ids["hostile"]).text
    assert_no_raw_markup(hostile)
    assert "vs &lt;script&gt;" in hostile
    api = call(app, "/api/events/" + ids["flood"]).json()
    placed = {a["id"]: a["placement"] for a in api["article_list"]}
    assert placed["courier/flood-local.txt"]["runner_up"] == "ev-flood2"
    assert placed["courier/flood-local.txt"]["runner_up_title"] == "Oska flood toll rises to 61"
    assert placed["ledger/flood-copy.txt"] == {"copy": True}


def test_a_borderline_copy_is_in_sight(tmp_path: Path) -> None:
    """A borderline article among an origin's copies opens their list: the "?" the header
    counts is not hidden in a closed <details>."""
    path = tmp_path / "w.db"
    ids = build_store(path)
    closed = call(make_app(read_only_factory(path)), "/events/" + ids["flood"]).text
    assert '<details class="copies">' in closed
    store = SQLiteStore(path)
    with store.batch():
        run = store.start_run("test")
        detail = {"score": 0.52, "threshold": 0.5, "borderline": True, "runner_up": "ev-x"}
        copy = "ledger/flood-copy.txt"
        store.log(run, "join", ids["flood"], article=copy, detail=json.dumps(detail))
    store.close()
    page = call(make_app(read_only_factory(path)), "/events/" + ids["flood"]).text
    opened = page[page.index('<details class="copies"') :]
    assert opened.startswith('<details class="copies" open>')
    assert opened.index('class="borderline"') < opened.index("</details>")


def test_events_worth_a_check(app: WebApp, ids: dict[str, Any]) -> None:
    """The events holding borderline placements: listed with their count, filtered,
    sorted first, in the API and the downloads; the count is the event page's."""
    api = call(app, "/api/events", "limit=100").json()
    counts = {e["id"]: e["borderline"] for e in api["items"]}
    flagged = {ids["flood"]: 1, ids["hostile"]: 1}
    assert {k: v for k, v in counts.items() if v} == flagged
    assert set(counts.values()) == {0, 1}  # every event counted
    for event_id in flagged:
        page = call(app, "/events/" + event_id).text
        assert re.search(r'<strong class="borderline">1</strong> borderline placement', page)
    only = call(app, "/api/events", "borderline=1").json()
    assert only["total"] == 2 and {e["id"] for e in only["items"]} == set(flagged)
    first = call(app, "/api/events", "sort=borderline&limit=2").json()["items"]
    assert {e["id"] for e in first} == set(flagged)
    page = call(app, "/events", "borderline=1&sort=borderline").text
    rows = page[page.index('<table class="events"') : page.index("</table>")]
    assert rows.count("<tr>") == 3  # the head and the two events
    link = f'<a class="borderline" href="/events/{ids["flood"]}#articles"'
    assert link in rows
    assert re.search(r'name="borderline" value="1" checked', page)
    assert '<option value="borderline" selected>most borderline first</option>' in page
    assert 'id="articles"' in call(app, "/events/" + ids["flood"]).text  # the link's anchor
    line = call(app, "/storylines/" + ids["floods"]).text  # a storyline's events: the same
    events = line[line.rindex('<table class="events"') :]
    assert link in events and events.count('class="borderline"') == 1
    for query in ("", "borderline=0", "borderline=no"):  # not checked, not a filter
        unfiltered = call(app, "/events", query).text
        assert re.search(r'name="borderline" value="1" data-autosubmit', unfiltered), query
        assert "clear filters" not in unfiltered and f"{ids['events']} event(s)." in unfiltered
    csv_rows = csv.DictReader(io.StringIO(call(app, "/api/export/events.csv", "borderline=1").text))
    assert {r["id"]: r["borderline"] for r in csv_rows} == {k: "1" for k in flagged}


def test_undated_event_page(app: WebApp, ids: dict[str, Any]) -> None:
    page = call(app, "/events/" + ids["undated"]).text
    assert "No article of this event is dated" in page and "<svg" not in page


def test_storyline_page_has_chart_with_key_numbers(app: WebApp, ids: dict[str, Any]) -> None:
    page = call(app, "/storylines/" + ids["border"]).text
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert 'class="chart storyline"' in svg and "<polyline" in svg
    assert ">3,000<" in svg and ">12,000<" in svg and ">troops<" in svg
    assert 'href="/events/' + ids["troops"] + '"' in svg
    flood = call(app, "/storylines/" + ids["floods"]).text
    assert ">45<" in flood and ">61<" in flood


def test_article_page_highlights_and_provenance(app: WebApp, ids: dict[str, Any]) -> None:
    page = call(app, "/articles/" + ids["wire_article"], "cite=0-20").text
    assert '<mark class="hl-cited' in page and 'id="cited"' in page
    assert 'class="hl-entity"' in page and "GPE: Dunmere" in page
    assert 'class="hl-quantity"' in page and "deaths = 42 (bound)" in page
    assert "hl-quote" in page and "quote by Lena Okafor" in page
    assert 'class="hl-date"' in page and "date: 2025-03-04" in page
    assert "found in" in page and ">header<" in page and "date 2025-03-04" in page
    assert "this article is the original" in page
    assert "Deadly floods in Kalvaria" in page  # its copy
    assert 'href="https://wire.example/flood-1"' in page
    assert "Raw input" in page
    copy = call(app, "/articles/ledger/flood-copy.txt").text
    assert 'href="/articles/wire%2Fflood-1.txt"' in copy
    # the text comes back whole, whatever the marks
    text = re.sub(r"<[^>]+>", "", page.split('id="article-text">')[1].split("</div>")[0])
    assert text.replace("&#34;", '"').startswith("The River Oska burst its banks")


def test_facts_page_and_downloads(app: WebApp, ids: dict[str, Any]) -> None:
    page = call(app, "/facts", "conflicts=1").text
    assert page.count('class="has-conflict"') == 3
    answer = call(app, "/api/export/events.csv")
    assert answer.status == 200 and answer.headers["content-type"].startswith("text/csv")
    assert answer.headers["content-disposition"].startswith("attachment;")
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert len(rows) == ids["events"]
    undated = next(r for r in rows if r["id"] == ids["undated"])
    assert undated["title"] == "'" + FORMULA + " an undated report"  # defused formula
    flood = next(r for r in rows if r["id"] == ids["flood"])
    assert flood["origins"] == "2" and flood["articles"] == "3"
    filtered = list(
        csv.DictReader(io.StringIO(call(app, "/api/export/events.csv", "lang=fr").text))
    )
    assert [r["id"] for r in filtered] == [ids["rise"]]
    events_json = call(app, "/api/export/events.json").json()
    assert len(events_json) == ids["events"]
    facts = list(csv.DictReader(io.StringIO(call(app, "/api/export/facts.csv").text)))
    assert len(facts) == 6 and {"event", "thing", "values", "origins", "conflict"} <= set(facts[0])
    one = call(app, "/api/export/facts.json", "event=" + ids["flood"]).json()
    assert {f["thing"] for f in one} == {"deaths", "homes_damaged"}
    assert call(app, "/api/export/events.xml").status == 404


def test_stats_show_the_generation(app: WebApp, ids: dict[str, Any]) -> None:
    data = call(app, "/api/stats").json()
    assert data["events"] == ids["events"] and data["generation"] >= 1
    assert f'data-generation="{data["generation"]}"' in call(app, "/events").text


# ------------------------------------------------------------------ OpenAPI


def test_openapi_document_lists_every_api_route(app: WebApp) -> None:
    doc = call(app, "/api/openapi.json").json()
    assert doc["openapi"].startswith("3.1")
    assert doc["info"]["title"] == "newsfold" and doc["info"]["version"]
    api_routes = {r.openapi_path for r in app.routes if r.template.startswith("/api/")}
    assert set(doc["paths"]) == api_routes
    for required in (
        "/api/events",
        "/api/events/{id}",
        "/api/storylines",
        "/api/articles/{id}",
        "/api/facts",
        "/api/openapi.json",
    ):
        assert required in doc["paths"]
    operation_ids = []
    for path, item in doc["paths"].items():
        assert set(item) == {"get"}, path
        op = item["get"]
        operation_ids.append(op["operationId"])
        assert op["summary"] and "200" in op["responses"]
        for name in re.findall(r"\{(\w+)\}", path):
            assert any(
                p["name"] == name and p["in"] == "path" and p["required"] for p in op["parameters"]
            ), (path, name)
        for param in op["parameters"]:
            assert param["in"] in ("path", "query") and "type" in param["schema"]
        for response in op["responses"].values():
            for media in response.get("content", {}).values():
                ref = media["schema"].get("$ref")
                if ref:
                    assert ref.split("/")[-1] in doc["components"]["schemas"]
    assert len(operation_ids) == len(set(operation_ids))
    # a 302 only where a merged event or storyline id can be asked for
    moving = {p for p, item in doc["paths"].items() if "302" in item["get"]["responses"]}
    assert moving == {
        "/api/events",
        "/api/events/{id}",
        "/api/storylines/{id}",
        "/api/facts",
        "/api/entities",
        "/api/export/events.{fmt}",
        "/api/export/facts.{fmt}",
    }
    assert "404" in doc["paths"]["/api/articles/{id}"]["get"]["responses"]
    paged = doc["paths"]["/api/events"]["get"]
    assert {p["name"] for p in paged["parameters"]} >= {
        "limit",
        "offset",
        "q",
        "from",
        "to",
        "lang",
        "outlet",
        "entity",
    }


# ------------------------------------------------------------------ command and server


def test_serve_command_help_and_missing_store(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0 and "--port" in result.output and "--host" in result.output
    assert "--workers" in result.output and "--cache-mb" in result.output
    result = runner.invoke(cli, ["serve", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1 and "no store at" in result.output
    assert not (tmp_path / "none.db").exists()


def test_real_server_answers_and_stops(fixture_db: tuple[Path, dict[str, Any]]) -> None:
    server = make_server_for(fixture_db[0], "127.0.0.1", 0, access_log=False)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        with urllib.request.urlopen(base + "/api/stats", timeout=10) as reply:
            assert reply.status == 200 and json.load(reply)["events"] == fixture_db[1]["events"]
            assert reply.headers["Content-Security-Policy"] == CSP
        with urllib.request.urlopen(base + "/articles/wire%2Fflood-1.txt", timeout=10) as reply:
            assert b"River Oska floods Dunmere" in reply.read()
        request = urllib.request.Request(base + "/api/events", data=b"x", method="POST")
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(request, timeout=10)
        assert err.value.code == 405
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def test_pooled_connections_are_reused_and_see_new_batches(tmp_path: Path) -> None:
    db = tmp_path / "pool.db"
    build_store(db)
    pool = ReadOnlyPool(db, keep=2)
    app = make_app(pool.acquire, release=pool.release)
    try:
        first = call(app, "/api/stats").json()["generation"]
        kept = list(pool._idle)
        assert len(kept) == 1
        writer = SQLiteStore(db)
        with writer.batch():
            pass
        writer.close()
        assert call(app, "/api/stats").json()["generation"] == first + 1
        assert pool._idle == kept  # the same connection served, and saw the batch
        assert call(app, "/events/ev-nope").status == 404
        assert pool._idle == kept
    finally:
        pool.close()
    assert pool._idle == []


# ------------------------------------------------------------------ claims paged by SQL

CLAIM_KEYS = {
    "event",
    "thing",
    "subject",
    "values",
    "values_text",
    "modalities",
    "articles",
    "origins",
    "first",
    "conflict",
    "members",
    "value_detail",
}


def test_facts_are_paged_in_sql_without_reading_every_record(
    fixture_db: tuple[Path, dict[str, Any]],
) -> None:
    statements: list[str] = []

    def traced() -> SQLiteStore:
        store = SQLiteStore.open_read_only(fixture_db[0])
        store.conn.set_trace_callback(statements.append)
        return store

    app = make_app(traced)
    every = call(app, "/api/facts", "limit=500").json()["items"]
    assert len(every) == 6 and all(set(item) == CLAIM_KEYS for item in every)
    conflicts_first = [
        item["conflict"] is not None for item in every if item["event"] == "ev-flood1"
    ]
    assert conflicts_first == [True, False]
    seen = []
    url: str | None = "/api/facts?limit=4"
    while url:
        statements.clear()
        path, _, query = url.partition("?")
        page = call(app, path, query).json()
        assert page["total"] == 6
        seen += page["items"]
        url = page["next"]
        # one page is one LIMIT query over the claims table, never the records
        assert not [s for s in statements if "corroboration" in s], statements
        assert any("FROM events AS e CROSS JOIN claims" in s and "LIMIT" in s for s in statements)
    assert seen == every
    statements.clear()
    assert call(app, "/facts", "page=1").status == 200
    assert not [s for s in statements if "corroboration" in s]
    assert call(app, "/api/facts", "event=ev-flood1&conflicts=1").json()["total"] == 1
    assert call(app, "/api/facts", "event=ev-flood1&thing=homes").json()["total"] == 1


def test_facts_thing_filter_crosses_languages(app: WebApp, ids: dict[str, Any]) -> None:
    english = call(app, "/api/facts", "thing=deaths").json()
    assert english["total"] == 2
    for words in ("Tote", "morts", "muertos", "dead"):
        found = call(app, "/api/facts", "thing=" + words).json()
        assert (found["total"], found["items"]) == (2, english["items"]), words
    page = call(app, "/facts", "thing=Tote").text
    assert page.count('href="/events/ev-flood') >= 2 and 'value="Tote"' in page
    rows = list(csv.DictReader(io.StringIO(call(app, "/api/export/facts.csv", "thing=morts").text)))
    assert {r["event"] for r in rows} == {ids["flood"], ids["rise"]}
    conflicts = call(app, "/api/export/facts.json", f"event={ids['flood']}&conflicts=1").json()
    assert [c["thing"] for c in conflicts] == ["deaths"]


def test_key_numbers_group_things_across_languages(tmp_path: Path) -> None:
    db = tmp_path / "lang.db"
    ids = build_store(db)
    store = SQLiteStore(db)
    try:
        record = store.event_corroboration(ids["rise"])
        assert record is not None
        record["claims"][0]["thing"] = "morts"  # the same toll, worded in French
        with store.batch():
            store.save_corroboration(ids["rise"], record)
    finally:
        store.close()
    app = make_app(read_only_factory(db))
    line = call(app, "/api/storylines/" + ids["floods"]).json()
    (deaths,) = [s for s in line["key_numbers"] if s["key"] == "death"]
    assert [p["value"] for p in deaths["points"]] == [45, 61]
    assert [p["thing"] for p in deaths["points"]] == ["deaths", "morts"]
    assert not [s for s in line["key_numbers"] if s["thing"] == "morts"]
    page = call(app, "/storylines/" + ids["floods"]).text
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert svg.count('class="series"') == 1 and ">45<" in svg and ">61<" in svg
    assert call(app, "/api/facts", "thing=morts").json()["total"] == 2


# ------------------------------------------------------------------ capacity: cache and workers


def test_answers_are_cached_until_the_store_changes(tmp_path: Path) -> None:
    db = tmp_path / "cache.db"
    build_store(db)
    statements: list[str] = []

    def traced() -> SQLiteStore:
        store = SQLiteStore.open_read_only(db)
        store.conn.set_trace_callback(statements.append)
        return store

    app = make_app(traced, cache_bytes=8 << 20, data_version=file_version(db))
    first = call(app, "/events", "sort=size")
    assert first.status == 200 and app.responses is not None
    statements.clear()
    again = call(app, "/events", "sort=size")
    assert again.body == first.body and again.headers == first.headers
    # a cached answer costs one read of the generation, not the page's queries
    assert statements == ["SELECT value FROM meta WHERE key = 'generation'"]
    assert call(app, "/events", "sort=recent").body != first.body  # another URL
    before = call(app, "/api/facts", "thing=missing").json()["total"]
    writer = SQLiteStore(db)
    try:
        record = writer.event_corroboration("ev-flood2")
        assert record is not None
        record["claims"].append({"thing": "missing", "values": [9], "conflict": None})
        with writer.batch():
            writer.save_corroboration("ev-flood2", record)
    finally:
        writer.close()
    assert call(app, "/api/facts", "thing=missing").json()["total"] == before + 1
    # a write that does not bump the generation still changes the files' version
    raw = sqlite3.connect(db)
    raw.execute("UPDATE events SET title = 'Retitled' WHERE id = 'ev-flood1'")
    raw.commit()
    raw.close()
    assert "Retitled" in call(app, "/events/ev-flood1").text
    # errors are not kept; static files have their own
    assert call(app, "/events/ev-nope").status == 404
    statements.clear()
    assert call(app, "/events/ev-nope").status == 404 and len(statements) > 1


def test_response_cache_is_bounded() -> None:
    cache = ResponseCache(max_bytes=8000)
    for i in range(50):
        cache.put(f"/p{i}", 1, Response(b"x" * 500))
    assert len(cache) < 50 and cache.get("/p49", 1) is not None and cache.get("/p0", 1) is None
    assert cache.get("/p49", 2) is None  # another data version: a miss
    cache.put("/big", 1, Response(b"x" * 2000))  # over an eighth of the budget: not kept
    assert cache.get("/big", 1) is None


def _children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.add(int(stat.parent.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_serve_workers_share_one_socket(fixture_db: tuple[Path, dict[str, Any]]) -> None:
    import subprocess
    import sys
    import time

    db = str(fixture_db[0])
    command = [sys.executable, "-m", "newsfold", "serve", "--db", db, "--port", "0"]
    proc = subprocess.Popen([*command, "--workers", "3"], stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stderr is not None
        line = proc.stderr.readline()
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert found and "3 worker processes" in line, line
        base = f"http://127.0.0.1:{found.group(1)}"

        def get(path: str) -> bytes:
            with urllib.request.urlopen(base + path, timeout=10) as reply:
                assert reply.headers["Content-Security-Policy"] == CSP
                return bytes(reply.read())

        for _ in range(30):
            assert json.loads(get("/api/stats"))["events"] == fixture_db[1]["events"]
        workers = _children(proc.pid)
        assert len(workers) == 3
        os.kill(min(workers), signal.SIGKILL)  # a worker dies: another takes its place
        seen: list[set[int]] = []

        def replaced() -> bool:
            now = _children(proc.pid)
            if not seen or seen[-1] != now:
                seen.append(now)
            return len(now) == 3 and min(workers) not in now

        deadline = time.monotonic() + 30  # generous: a busy CI machine respawns slowly
        # replaced, and still so a moment later: /proc is read while processes come and go
        while time.monotonic() < deadline and not (
            replaced() and time.sleep(0.3) is None and replaced()
        ):
            time.sleep(0.05)
        if not replaced():
            proc.kill()  # not replaced: show what the server said and what was seen
            _, said = proc.communicate(timeout=15)
            raise AssertionError(f"worker not replaced: seen {seen}; stderr: {said}")
        assert b"River Oska" in get("/articles/wire%2Fflood-1.txt")
        request = urllib.request.Request(base + "/api/events", data=b"x", method="POST")
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(request, timeout=10)
        assert err.value.code == 405  # still read-only
        workers = _children(proc.pid)
        proc.terminate()
        assert proc.wait(timeout=15) == 0
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(Path(f"/proc/{w}").exists() for w in workers):
            time.sleep(0.05)
        assert not any(Path(f"/proc/{w}").exists() for w in workers)  # no worker left behind
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


# ------------------------------------------------------------------ hostile input, again


@pytest.fixture(scope="module")
def extras(tmp_path_factory: pytest.TempPathFactory) -> tuple[WebApp, dict[str, Any]]:
    path = tmp_path_factory.mktemp("extras") / "web.db"
    ids = build_store(path)
    ids.update(add_hostile_extras(path))
    return make_app(read_only_factory(path)), ids


def extras_pages(ids: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        ("/events", ""),
        ("/events/" + ids["long"], ""),
        ("/events/" + ids["rtl"], ""),
        ("/events/" + ids["urls"], ""),
        ("/storylines", ""),
        ("/storylines/" + ids["line"], ""),
        ("/articles/evil/long.txt", ""),
        ("/articles/evil/rtl.txt", ""),
        ("/articles/evil/arabic.txt", ""),
        ("/search", "q=officials"),
        ("/events", "q=officials"),
        ("/facts", ""),
    ] + [(f"/articles/evil/url-{i}.txt", "") for i in range(len(HOSTILE_URLS))]


class TextAudit(HTMLParser):
    """The text a browser would show, and every attribute (name, value)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.attributes: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.attributes += [(k, v or "") for k, v in attrs]

    def handle_data(self, data: str) -> None:
        self.texts.append(data)


def test_outlet_filter_keeps_names_with_direction_marks(
    extras: tuple[WebApp, dict[str, Any]],
) -> None:
    app, ids = extras
    outlet = RLO + "Wire " + ARABIC
    page = call(app, "/events").text
    assert f'<option value="{outlet}">Wire {ARABIC} (1)</option>' in page
    assert event_ids(app, "outlet=" + urllib.parse.quote(outlet)) == {ids["rtl"]}


def test_hostile_urls_never_become_links(extras: tuple[WebApp, dict[str, Any]]) -> None:
    app, _ = extras
    for i, url in enumerate(HOSTILE_URLS):
        page = call(app, f"/articles/evil/url-{i}.txt").text
        assert "original page" not in page, url
        assert "address (not a web link)" in page
        assert_no_raw_markup(page)


def test_bidi_controls_never_reach_a_page(extras: tuple[WebApp, dict[str, Any]]) -> None:
    app, ids = extras
    for path, query in extras_pages(ids):
        answer = call(app, path, query)
        assert answer.status == 200, (path, answer.text[:300])
        assert_no_raw_markup(answer.text)
        # an override would reverse the rest of its line: "fdp.exe" reads as "exe.pdf";
        # only form values keep it (an outlet to filter by must match as stored)
        shown = TextAudit()
        shown.feed(answer.text)
        assert not [t for t in shown.texts if RLO in t], path
        assert not [a for a in shown.attributes if RLO in a[1] and a[0] != "value"], path
    assert "fdp.exe harmless report" in call(app, "/articles/evil/rtl.txt").text
    # the API gives the data as stored
    assert call(app, "/api/articles/evil/rtl.txt").json()["title"] == SPOOF_TITLE
    page = call(app, "/articles/evil/rtl.txt").text
    assert f'<bdi class="src">Wire {ARABIC}</bdi>' in page  # outlet names are isolated


def test_long_titles_are_shortened_where_they_are_listed(
    extras: tuple[WebApp, dict[str, Any]],
) -> None:
    app, ids = extras
    listing = call(app, "/events").text
    shown = TextAudit()
    shown.feed(listing)
    assert not [t for t in shown.texts if LONG_TITLE in t] and LONG_TITLE[:200] in listing
    assert LONG_TITLE in call(app, "/events/" + ids["long"]).text  # the event's own page
    assert LONG_TITLE not in call(app, "/facts").text


def test_access_log_cannot_drive_the_terminal(
    fixture_db: tuple[Path, dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    app = make_app(read_only_factory(fixture_db[0]), access_log=True)
    path = "/events/%1B%5B2J%1B%5D0%3Bowned%07%E2%80%AEgnp.exe%0Aforged%20200"
    assert call(app, path).status == 404
    logged = capsys.readouterr().err
    assert logged.count("\n") == 1  # one line, however many newlines the path holds
    assert "\x1b" not in logged and "\x07" not in logged and RLO not in logged
    assert "\\x1b[2J" in logged and "\\u202e" in logged and "\\nforged 200" in logged


def test_permissions_policy_and_trusted_types(app: WebApp) -> None:
    answer = call(app, "/events")
    assert "camera=()" in answer.headers["permissions-policy"]
    assert "require-trusted-types-for 'script'" in answer.headers["content-security-policy"]
    assert (
        call(app, "/api/events").headers["permissions-policy"]
        == answer.headers["permissions-policy"]
    )


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
@pytest.mark.parametrize("how", ["ctrl-c at once", "ctrl-c", "parent killed"])
def test_serve_workers_never_outlive_the_server(
    fixture_db: tuple[Path, dict[str, Any]], how: str, tmp_path: Path
) -> None:
    import shutil
    import subprocess
    import sys
    import time

    db = str(tmp_path / "own.db")  # a path only this server's processes name
    shutil.copy(fixture_db[0], db)

    def serving() -> list[int]:
        found = []
        for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
            try:
                if db.encode() in cmdline.read_bytes():
                    found.append(int(cmdline.parent.name))
            except OSError:
                continue
        return found

    command = [sys.executable, "-m", "newsfold", "serve", "--db", db, "--port", "0"]
    proc = subprocess.Popen(
        [*command, "--workers", "2"], stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        assert proc.stderr is not None
        assert "2 worker processes" in proc.stderr.readline()
        if how == "ctrl-c at once":  # while the workers are being forked
            os.killpg(proc.pid, signal.SIGINT)
            assert proc.wait(timeout=15) == 0
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and serving():
                time.sleep(0.05)
            assert serving() == []
            return
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and len(_children(proc.pid)) < 2:
            time.sleep(0.05)
        workers = _children(proc.pid)
        assert len(workers) == 2
        if how == "ctrl-c":
            os.killpg(proc.pid, signal.SIGINT)  # the terminal signals the whole group
            assert proc.wait(timeout=15) == 0
            assert "stopped" in proc.stderr.read()
        else:
            proc.kill()
            proc.wait(timeout=15)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(Path(f"/proc/{w}").exists() for w in workers):
            time.sleep(0.05)
        assert not any(Path(f"/proc/{w}").exists() for w in workers)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
