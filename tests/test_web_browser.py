"""The main flows of the web interface in real headless Chromium.

Needs Debian's ``chromium`` at /usr/bin/chromium and the ``playwright`` Python
package (the browser is never downloaded: ``playwright install`` is not used).
Screenshots go to ``screenshots/`` (git-ignored); with
``NEWSFOLD_DOCS_SCREENSHOT=1`` the event page is also saved as
``docs/screenshot-event.png`` for the README.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsfold.store import SQLiteStore
from newsfold.web import make_server_for
from test_web_fixtures import HOSTILE_URLS, add_hostile_extras, build_store

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "screenshots"
DOCS_SHOT = ROOT / "docs" / "screenshot-event.png"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

if not CHROMIUM.exists():
    pytest.skip(
        "browser tests need Debian's chromium at /usr/bin/chromium (apt-get install -y chromium)",
        allow_module_level=True,
    )
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="browser tests need the playwright package (pip, dev extra)"
)
expect = sync_api.expect


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    db = tmp_path_factory.mktemp("browser") / "web.db"
    ids = build_store(db)
    server = make_server_for(db, "127.0.0.1", 0, access_log=False)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield {"base": f"http://127.0.0.1:{server.server_address[1]}", "db": db, **ids}
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser_context(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    profile = tmp_path_factory.mktemp("chromium-profile")  # a fresh user-data-dir
    with sync_api.sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 900},
        )
        try:
            yield context
        finally:
            context.close()


class Watch:
    """What a page did that it should not: script errors, CSP refusals, dialogs,
    requests leaving the local server."""

    def __init__(self, page: Any, base: str) -> None:
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.foreign: list[str] = []
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        page.on("console", self._console)
        page.on("dialog", self._dialog)
        page.on(
            "request",
            lambda req: None if req.url.startswith(base) else self.foreign.append(req.url),
        )

    def _console(self, message: Any) -> None:
        if message.type == "error" and "404" not in message.text:
            self.errors.append(message.text)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def clean(self) -> None:
        assert self.errors == [], self.errors  # includes "Refused to ... Content Security Policy"
        assert self.dialogs == [], self.dialogs  # hostile input never ran
        assert self.foreign == [], self.foreign  # no CDN, nothing leaves 127.0.0.1


@pytest.fixture
def page(browser_context: Any, site: dict[str, Any]) -> Iterator[tuple[Any, Watch]]:
    tab = browser_context.new_page()
    watch = Watch(tab, site["base"])
    try:
        yield tab, watch
        watch.clean()
    finally:
        tab.close()


def shot(tab: Any, name: str) -> Path:
    SHOTS.mkdir(exist_ok=True)
    path = SHOTS / name
    tab.screenshot(path=str(path), full_page=True)
    return path


def test_events_list_and_filters(page: tuple[Any, Watch], site: dict[str, Any]) -> None:
    tab, _ = page
    response = tab.goto(site["base"] + "/events")
    assert response.status == 200
    assert "default-src 'none'" in response.headers["content-security-policy"]
    expect(tab.locator("table.events tbody tr")).to_have_count(25)
    expect(tab.locator("h1")).to_have_text("Events")
    shot(tab, "01-events.png")
    # a select applies itself (app.js): French articles only
    tab.select_option("select[name=lang]", "fr")
    tab.wait_for_url(re.compile(r"lang=fr"))
    expect(tab.locator("table.events tbody tr")).to_have_count(1)
    expect(tab.locator("table.events")).to_contain_text("Oska flood toll rises to 61")
    # and a date range on top of it, through the form
    tab.fill("input[name=from]", "2025-04-01")
    tab.click("form.filters button[type=submit]")
    tab.wait_for_url(re.compile(r"from=2025-04-01"))
    expect(tab.locator("p.empty")).to_contain_text("No events match")
    tab.click("text=clear filters")
    tab.fill("input[name=entity]", "Teleria")
    tab.press("input[name=entity]", "Enter")
    tab.wait_for_url(re.compile(r"entity=Teleria"))
    expect(tab.locator("table.events tbody tr")).to_have_count(2)
    shot(tab, "02-events-filtered.png")


def test_events_worth_a_check(page: tuple[Any, Watch], site: dict[str, Any]) -> None:
    tab, _ = page
    tab.goto(site["base"] + "/events")
    # the checkbox applies itself (app.js): only the events holding a borderline placement
    tab.check("input[name=borderline]")
    tab.wait_for_url(re.compile(r"borderline=1"))
    rows = tab.locator("table.events tbody tr")
    expect(rows).to_have_count(2)
    expect(tab.locator("table.events a.borderline")).to_have_count(2)
    expect(tab.locator("p.summary-line")).to_contain_text("2 event(s) match")
    # the box sits next to its words (a text input's minimum width pushed it away)
    box = tab.locator("label.check input").bounding_box()
    words = tab.locator("label.check").bounding_box()
    assert box["width"] < 40 and words["width"] < box["width"] + 200
    shot(tab, "02b-events-worth-a-check.png")
    # its count opens the event at its articles, where the "?" is
    tab.locator(f'a.borderline[href="/events/{site["flood"]}#articles"]').click()
    tab.wait_for_url(re.compile(r"/events/" + site["flood"] + "#articles"))
    expect(tab.locator("#articles")).to_be_in_viewport()
    expect(tab.locator(".origins-list .borderline")).to_have_count(1)


def test_search_from_the_keyboard(page: tuple[Any, Watch], site: dict[str, Any]) -> None:
    tab, _ = page
    tab.goto(site["base"] + "/events")
    tab.keyboard.press("/")  # app.js focuses the search box
    expect(tab.locator("#global-search")).to_be_focused()
    tab.keyboard.type("Okafor")
    tab.keyboard.press("Enter")
    tab.wait_for_url(re.compile(r"/search\?q=Okafor"))
    expect(tab.locator("ol.results > li")).to_have_count(4)
    expect(tab.locator("ol.results mark").first).to_have_text("Okafor")
    shot(tab, "03-search.png")
    tab.click("text=Show the events instead")
    expect(tab.locator("table.events tbody tr")).to_have_count(2)
    expect(tab.locator("aside.hits")).to_contain_text("Matching articles")


def test_event_page(page: tuple[Any, Watch], site: dict[str, Any]) -> None:
    tab, _ = page
    tab.goto(site["base"] + "/events?sort=size")
    tab.click("text=River Oska floods Dunmere, 42 dead")
    tab.wait_for_url(re.compile(r"/events/" + site["flood"]))
    expect(tab.locator("h1")).to_have_text("River Oska floods Dunmere, 42 dead")
    timeline = tab.locator("svg.timeline")
    expect(timeline).to_be_visible()
    expect(timeline.locator("circle")).to_have_count(3)
    expect(timeline.locator("circle.copy")).to_have_count(1)
    expect(tab.locator(".summary a.cite").first).to_be_visible()
    expect(tab.locator("table.claims .badge.conflict")).to_have_count(1)
    expect(tab.locator("ul.entities")).to_contain_text("Lena Okafor")
    # how sure each placement was: the local report joined close to the threshold
    expect(tab.locator(".facts-line strong.borderline")).to_have_text("1")
    expect(tab.locator(".origins-list .placement")).to_have_count(2)
    expect(tab.locator(".origins-list .borderline")).to_have_count(1)
    expect(tab.locator("a.runner-up")).to_have_text("vs Oska flood toll rises to 61 0.41")
    copy = tab.locator("details.copies li")
    expect(copy).to_be_hidden()
    tab.click("details.copies summary")
    expect(copy).to_be_visible()
    expect(copy).to_contain_text("near-verbatim copy")
    path = shot(tab, "04-event.png")
    if os.environ.get("NEWSFOLD_DOCS_SCREENSHOT") == "1":
        DOCS_SHOT.parent.mkdir(exist_ok=True)
        shutil.copyfile(path, DOCS_SHOT)
    # a summary citation opens the article at the cited sentence
    tab.locator(".summary a.cite").first.click()
    tab.wait_for_url(re.compile(r"/articles/.*cite=\d+-\d+#cited"))
    cited = tab.locator("#cited")
    expect(cited).to_be_visible()
    expect(cited).to_be_in_viewport()


def test_article_page_highlights(page: tuple[Any, Watch], site: dict[str, Any]) -> None:
    tab, _ = page
    tab.goto(site["base"] + "/events/" + site["flood"])
    tab.click("ol.origins-list >> text=River Oska floods Dunmere, 42 dead")
    tab.wait_for_url(re.compile(r"/articles/wire"))
    text = tab.locator("#article-text")
    expect(text.locator("mark.hl-entity").first).to_be_visible()
    expect(text.locator("mark.hl-quantity")).to_have_text(["At least 42 people"])
    expect(text.locator("mark.hl-quote").first).to_be_visible()
    expect(text.locator("mark.hl-date")).to_have_text(["Tuesday"])
    expect(tab.locator(".meta-column")).to_contain_text("header")
    expect(tab.locator(".meta-column")).to_contain_text("this article is the original")
    shot(tab, "05-article.png")
    tab.uncheck("input[data-toggle-kind=entity]")
    expect(text).to_have_class(re.compile(r"\bhide-entity\b"))
    tab.check("input[data-toggle-kind=entity]")
    expect(text).not_to_have_class(re.compile(r"\bhide-entity\b"))
    tab.click(".meta-column >> text=Deadly floods in Kalvaria")
    expect(tab.locator(".meta-column")).to_contain_text("wire/flood-1.txt")


def test_storyline_chart(page: tuple[Any, Watch], site: dict[str, Any]) -> None:
    tab, _ = page
    tab.goto(site["base"] + "/storylines")
    tab.click("text=Rasovia-Teleria border crisis")
    tab.wait_for_url(re.compile(r"/storylines/" + site["border"]))
    chart = tab.locator("svg.storyline")
    expect(chart).to_be_visible()
    expect(chart.locator("circle.event")).to_have_count(2)
    expect(chart.locator("polyline.series")).to_have_count(1)
    expect(chart.locator("text.value")).to_have_text(["3,000", "12,000"])
    box = chart.bounding_box()
    assert box and box["width"] > 500 and box["height"] > 100
    shot(tab, "06-storyline.png")
    chart.locator("a").first.click()
    tab.wait_for_url(re.compile(r"/events/" + site["troops"]))


def test_hostile_input_never_runs(page: tuple[Any, Watch], site: dict[str, Any]) -> None:
    tab, watch = page
    for path in (
        "/events/" + site["hostile"],
        "/articles/evil%2F%3Cscript%3E.txt",
        "/search?q=alert",
        "/facts?conflicts=1",
        "/storylines/sl-hostile",
        "/events/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    ):
        tab.goto(site["base"] + path)
        tab.wait_for_load_state("load")
    tab.goto(site["base"] + "/events/" + site["hostile"])
    expect(tab.locator("h1")).to_have_text("<script>alert(1)</script>")
    expect(tab.locator("a.runner-up")).to_have_text("vs <script>alert(1)</script> 0.45")
    assert tab.evaluate("document.querySelectorAll('img, iframe, [onerror], [onload]').length") == 0
    shot(tab, "07-hostile.png")
    assert watch.dialogs == []


def test_not_found_page(page: tuple[Any, Watch], site: dict[str, Any]) -> None:
    tab, watch = page
    response = tab.goto(site["base"] + "/events/ev-nothing")
    assert response.status == 404
    expect(tab.locator("h1")).to_contain_text("Not found")
    shot(tab, "08-not-found.png")
    tab.click("main >> text=Back to the events")
    expect(tab.locator("h1")).to_have_text("Events")
    watch.errors.clear()  # the 404 itself is logged by the browser


def test_a_merged_event_id_leads_to_the_event_it_went_into(
    page: tuple[Any, Watch], site: dict[str, Any]
) -> None:
    tab, _ = page
    store = SQLiteStore(site["db"])
    try:
        with store.batch():  # a later run merged ev-bookmarked into the flood event
            store.log(store.start_run("test"), "merge", "ev-bookmarked", other=site["flood"])
    finally:
        store.close()
    response = tab.goto(site["base"] + "/events/ev-bookmarked")
    assert response.status == 200  # the browser followed the 302
    assert tab.url == site["base"] + "/events/" + site["flood"]
    expect(tab.locator("h1")).to_contain_text("flood", ignore_case=True)


def test_banner_when_the_store_changes(page: tuple[Any, Watch], site: dict[str, Any]) -> None:
    tab, _ = page
    tab.goto(site["base"] + "/storylines")
    expect(tab.locator("#stale")).to_be_hidden()
    store = SQLiteStore(site["db"])
    try:
        with store.batch():  # another newsfold run commits a batch
            pass
    finally:
        store.close()
    tab.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    expect(tab.locator("#stale")).to_be_visible()
    expect(tab.locator("#stale")).to_contain_text("Reload")


@pytest.fixture(scope="module")
def extras_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    db = tmp_path_factory.mktemp("browser-extras") / "web.db"
    ids = build_store(db)
    ids.update(add_hostile_extras(db))
    server = make_server_for(db, "127.0.0.1", 0, access_log=False)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield {"base": f"http://127.0.0.1:{server.server_address[1]}", "db": db, **ids}
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def test_long_and_right_to_left_titles_keep_the_layout(
    browser_context: Any, extras_site: dict[str, Any]
) -> None:
    tab = browser_context.new_page()
    watch = Watch(tab, extras_site["base"])
    try:
        for path in (
            "/events",
            "/events/" + extras_site["long"],
            "/events/" + extras_site["rtl"],
            "/articles/evil%2Flong.txt",
            "/articles/evil%2Frtl.txt",
            "/storylines/" + extras_site["line"],
            "/search?q=officials",
            "/facts",
        ):
            tab.goto(extras_site["base"] + path)
            tab.wait_for_load_state("load")
            # nothing widens the page: a 4,800-character word wraps
            wide = tab.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert wide <= 0, (path, wide)
        shot(tab, "09-long-titles-facts.png")
        # the date after an Arabic outlet name stays on its right (an isolated name)
        tab.goto(extras_site["base"] + "/articles/evil%2Farabic.txt")
        source = tab.locator("p.facts-line bdi.src").bounding_box()
        date = tab.locator("p.facts-line .dates").bounding_box()
        assert source and date and date["x"] >= source["x"] + source["width"] - 1
        # a title opening with RIGHT-TO-LEFT OVERRIDE neither flips itself nor what follows
        tab.goto(extras_site["base"] + "/search?q=harmless")
        hit = tab.locator("ol.results li").first
        expect(hit.locator("a").first).to_have_text("fdp.exe harmless report")
        link = hit.locator("a").first.bounding_box()
        meta = hit.locator("span.muted").first.bounding_box()
        assert link and meta and meta["x"] >= link["x"] + link["width"] - 1
        shot(tab, "10-rtl-search.png")
        # javascript:, data: and friends never become links
        for i in range(len(HOSTILE_URLS)):
            tab.goto(extras_site["base"] + f"/articles/evil%2Furl-{i}.txt")
            assert tab.locator("text=original page").count() == 0, HOSTILE_URLS[i]
        watch.clean()
    finally:
        tab.close()
