"""An event or storyline id that was merged away still leads somewhere: the store raises
MovedError naming the live id, the CLI shows that one (saying so), the web answers 302."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from newsfold.cli import cli
from newsfold.errors import MovedError, NotFoundError
from newsfold.store import SQLiteStore
from newsfold.web import make_app, read_only_factory
from test_web import call
from test_web_fixtures import build_store


@pytest.fixture(scope="module")
def merged(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """The web fixture store plus a recorded history: ev-older went into ev-gone, which
    went into the live flood event; sl-gone went into the live floods storyline; ev-a and
    ev-b were merged into each other (a broken log) and neither is live."""
    path = tmp_path_factory.mktemp("merged") / "m.db"
    ids = build_store(path)
    store = SQLiteStore(path)
    with store.batch():
        run = store.start_run("test")
        store.log(run, "merge", "ev-older", other="ev-gone")
        store.log(run, "merge", "ev-gone", other=ids["flood"])
        store.log(run, "merge-storyline", "sl-gone", other=ids["floods"])
        store.log(run, "merge", "ev-a", other="ev-b")
        store.log(run, "merge", "ev-b", other="ev-a")
        store.log(run, "join", "ev-never", article="x.txt")
    store.close()
    return path, ids


def test_store_follows_merges_to_the_live_id(merged: tuple[Path, dict[str, Any]]) -> None:
    path, ids = merged
    store = SQLiteStore.open_read_only(path)
    with pytest.raises(MovedError) as found:
        store.get_event("ev-older")
    assert (found.value.old_id, found.value.new_id) == ("ev-older", ids["flood"])
    assert f"was merged into {ids['flood']!r}" in str(found.value)
    with pytest.raises(MovedError) as line:
        store.get_storyline("sl-gone")
    assert line.value.new_id == ids["floods"]
    for unknown in ("ev-a", "ev-never", "ev-nothing"):  # a loop, no merge, never seen
        with pytest.raises(NotFoundError) as plain:
            store.get_event(unknown)
        assert not isinstance(plain.value, MovedError)
    assert store.get_event(ids["flood"])["id"] == ids["flood"]  # live ids as before
    store.close()


def test_the_log_is_read_by_index(merged: tuple[Path, dict[str, Any]]) -> None:
    conn = sqlite3.connect(merged[0])
    plan = " ".join(
        str(row)
        for row in conn.execute(
            "EXPLAIN QUERY PLAN SELECT other FROM event_log WHERE subject = ? AND action = ?",
            ("ev-older", "merge"),
        )
    )
    assert "event_log_subject" in plan, plan
    conn.close()


def test_cli_shows_the_event_it_went_into(merged: tuple[Path, dict[str, Any]]) -> None:
    path, ids = merged
    runner = CliRunner()
    shown = runner.invoke(cli, ["show", "ev-older", "--db", str(path), "--json"])
    assert shown.exit_code == 0, shown.output
    assert f"'ev-older' was merged into '{ids['flood']}'; showing {ids['flood']}" in shown.stderr
    assert json.loads(shown.stdout)["id"] == ids["flood"]
    facts = runner.invoke(cli, ["facts", "ev-gone", "--db", str(path), "--json"])
    assert facts.exit_code == 0 and "merged into" in facts.stderr
    listed = runner.invoke(cli, ["events", "--storyline", "sl-gone", "--db", str(path), "--json"])
    assert listed.exit_code == 0, listed.output
    assert {e["storyline"] for e in json.loads(listed.stdout)} == {ids["floods"]}
    missing = runner.invoke(cli, ["show", "ev-nothing", "--db", str(path)])
    assert missing.exit_code == 1 and "no event 'ev-nothing'" in missing.stderr


def test_web_redirects_merged_ids(merged: tuple[Path, dict[str, Any]]) -> None:
    path, ids = merged
    app = make_app(read_only_factory(path))
    cases = [
        ("/events/ev-older", "", f"/events/{ids['flood']}"),
        ("/api/events/ev-gone", "", f"/api/events/{ids['flood']}"),
        ("/storylines/sl-gone", "", f"/storylines/{ids['floods']}"),
        ("/facts", "event=ev-older&conflicts=1", f"/facts?event={ids['flood']}&conflicts=1"),
        ("/api/events", "storyline=sl-gone", f"/api/events?storyline={ids['floods']}"),
        (
            "/api/export/events.csv",
            "storyline=sl-gone",
            f"/api/export/events.csv?storyline={ids['floods']}",
        ),
        ("/api/entities", "event=ev-older", f"/api/entities?event={ids['flood']}"),
    ]
    for path_, query, location in cases:
        answer = call(app, path_, query)
        assert answer.status == 302, (path_, answer.status)
        assert answer.headers["location"] == location
        assert "was merged into" in answer.body.decode("utf-8")
        again = call(app, path_, query)  # not cached as a page
        assert again.status == 302
    answer = call(app, "/api/events/ev-gone")
    assert answer.json()["status"] == 302
    assert call(app, "/events/ev-a").status == 404
    # filters by an id never in the store are 404s, not empty lists
    assert call(app, "/api/events", "storyline=sl-nothing").status == 404
    assert call(app, "/api/entities", "event=ev-nothing").status == 404
    assert call(app, "/api/events", f"storyline={ids['floods']}").status == 200


def test_no_redirect_to_the_same_address(merged: tuple[Path, dict[str, Any]]) -> None:
    """Query values are read stripped, so a padded merged id is replaced too, and a path
    id with a slash is replaced whole: either way no 302 to the same address (a loop)."""
    path, ids = merged
    store = SQLiteStore(path)
    with store.batch():
        store.log(store.start_run("test"), "merge", "ev-with/slash", other=ids["flood"])
    store.close()
    app = make_app(read_only_factory(path))
    padded = call(app, "/facts", "event=%20ev-older%20")
    assert padded.status == 302
    assert padded.headers["location"] == f"/facts?event={ids['flood']}"
    padded_line = call(app, "/", "storyline=sl-gone%20")
    assert padded_line.headers["location"] == f"/?storyline={ids['floods']}"
    slashed = call(app, "/events/ev-with/slash")  # ids may hold slashes ({id:path})
    assert slashed.status == 302
    assert slashed.headers["location"] == f"/events/{ids['flood']}"


def test_m004_lands_whole(tmp_path: Path) -> None:
    """A migration interrupted between its two indexes leaves neither (else every later
    open fails on "index ... already exists")."""
    from newsfold.store import migrations

    db = tmp_path / "old.db"
    SQLiteStore(db).close()
    conn = sqlite3.connect(db)  # as a store written before m004
    conn.execute("DROP INDEX event_log_subject")
    conn.execute("DROP INDEX event_log_other")
    conn.execute("DELETE FROM _migrations WHERE name = 'm004_event_log_ids'")
    conn.commit()
    conn.close()

    class Interrupted(sqlite3.Connection):
        def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:  # type: ignore[override]
            if "event_log_other" in sql:
                raise KeyboardInterrupt
            return super().execute(sql, *args)

    conn = sqlite3.connect(db, isolation_level="DEFERRED", factory=Interrupted)
    with pytest.raises(KeyboardInterrupt), conn:
        migrations.m004_event_log_ids(conn)
    conn.close()
    SQLiteStore(db).close()  # migrates cleanly
    conn = sqlite3.connect(db)
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    conn.close()
    assert {"event_log_subject", "event_log_other"} <= names


def test_a_merged_id_not_in_the_address_is_not_a_loop(
    merged: tuple[Path, dict[str, Any]],
) -> None:
    from newsfold.web.app import Route

    def stale(request: Any) -> Any:  # a page that met a merged id in the store's data
        raise MovedError("event", "ev-stale", "ev-live")

    app = make_app(read_only_factory(merged[0]))
    app.routes.insert(0, Route("/stale", stale))
    answer = call(app, "/stale", "page=2")
    assert answer.status == 404 and "location" not in answer.headers
