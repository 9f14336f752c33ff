from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from newsfold.errors import NotFoundError, StoreError, UnknownComponent
from newsfold.events import EventState
from newsfold.models import Article, Rejection
from newsfold.store import SQLiteStore, open_store
from newsfold.store.migrations import MIGRATIONS, UNDONE_TABLES


def _article(doc_id: str = "a.txt", text: str = "Body of the article.") -> Article:
    return Article(
        id=doc_id,
        path=doc_id,
        format="txt",
        raw=text,
        text=text,
        title="Title",
        url=None,
        source="Harbor Ledger",
        language="en",
        language_confidence=0.9,
        published=dt.date(2025, 3, 4),
        date_source="header",
        date_confidence=1.0,
        date_evidence="date 2025-03-04",
        event="ev-1",
    )


def test_migrations_are_recorded_once(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    SQLiteStore(db).close()
    SQLiteStore(db).close()
    conn = sqlite3.connect(db)
    names = [r[0] for r in conn.execute("SELECT name FROM _migrations")]
    assert names == [fn.__name__ for fn in MIGRATIONS]


def test_a_store_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    SQLiteStore(db).close()
    conn = sqlite3.connect(db)
    conn.execute("INSERT INTO _migrations VALUES ('m999_future', 'now')")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="newer newsfold"):
        SQLiteStore(db)


def test_not_a_database(tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="cannot open"):
        SQLiteStore(bad)


def test_open_store_factory_rejects_unknown_kinds(tmp_path: Path) -> None:
    assert isinstance(open_store(str(tmp_path / "a.db")), SQLiteStore)
    assert isinstance(open_store("sqlite:///:memory:"), SQLiteStore)
    with pytest.raises(UnknownComponent, match="postgres"):
        open_store("postgres://localhost/news")


def test_batch_rolls_back_everything_on_error(memory_store) -> None:
    with memory_store.batch():
        run = memory_store.start_run("test")
    with pytest.raises(RuntimeError), memory_store.batch():
        memory_store.add_article(_article(), 1, run, np.zeros(4), np.zeros(4, np.uint64))
        raise RuntimeError("crash in mid-batch")
    assert memory_store.counts()["articles"] == 0
    with memory_store.batch():
        memory_store.add_article(_article(), 1, run, np.zeros(4), np.zeros(4, np.uint64))
    assert memory_store.counts()["articles"] == 1
    assert memory_store.article_hashes(["a.txt", "zzz"]) == {"a.txt": _article().content_hash}


def test_generation_counts_commits(memory_store) -> None:
    g0 = memory_store.generation()
    with memory_store.batch():
        pass
    assert memory_store.generation() == g0 + 1


def test_rejections_are_idempotent(memory_store) -> None:
    with memory_store.batch():
        run = memory_store.start_run("t")
        memory_store.record_rejection(run, Rejection("f.jsonl", "broken JSON", 3))
        memory_store.record_rejection(run, Rejection("f.jsonl", "broken JSON", 3))
        memory_store.record_rejection(run, Rejection("bin.txt", "binary"))
    rows = memory_store.rejections()
    assert [(r["path"], r["line"], r["seen"]) for r in rows] == [
        ("bin.txt", None, 1),
        ("f.jsonl", 3, 2),
    ]


def test_unknown_ids_raise_not_found(memory_store) -> None:
    with pytest.raises(NotFoundError):
        memory_store.get_event("ev-nope")
    with pytest.raises(NotFoundError):
        memory_store.get_article("nope")


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no folder"):
        SQLiteStore(tmp_path / "absent" / "x.db")


def test_a_failed_migration_leaves_nothing_behind(monkeypatch: pytest.MonkeyPatch) -> None:
    from newsfold.store import migrations

    def m900_broken(conn: sqlite3.Connection) -> None:
        migrations.run_script(conn, "CREATE TABLE half (x INTEGER);\nCREATE TABLE oops (;\n")

    monkeypatch.setattr(migrations, "MIGRATIONS", [m900_broken])
    conn = sqlite3.connect(":memory:")
    with pytest.raises(sqlite3.OperationalError):
        migrations.migrate(conn)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "half" not in tables
    assert list(conn.execute("SELECT name FROM _migrations")) == []


def _dump(store: SQLiteStore) -> dict[str, list[tuple]]:
    """Every row of every table grouping writes (and of those triggers derive), in order."""
    tables = [t for t in (*UNDONE_TABLES, "facts", "fact_entities") if t != "claims"]
    out = {t: [tuple(r) for r in store.conn.execute(f"SELECT rowid, * FROM {t}")] for t in tables}
    out["claims"] = [tuple(r) for r in store.conn.execute("SELECT * FROM claims")]
    out["article_search"] = [
        tuple(r) for r in store.conn.execute("SELECT rowid, * FROM article_search ORDER BY rowid")
    ]
    out["meta"] = [r for r in out["meta"] if r[1] != "generation"]
    return out


def test_undo_takes_back_every_recorded_write(tmp_path: Path) -> None:
    """What a transaction writes while recording (as the end of a run does: articles,
    events merged away and created, corroboration with its claims, storylines, log,
    meta) is taken back exactly by :meth:`undo`, typed as stored (a REAL's last digits
    too), except that an article it stored stays stored, waiting (no event)."""
    from test_web_fixtures import FLOOD_1, FLOOD_2, build_store

    build_store(tmp_path / "s.db")
    store = SQLiteStore(tmp_path / "s.db")
    with store.batch():
        store.conn.execute("UPDATE articles SET date_confidence = 0.1 + 0.2")  # 17 digits
    before = _dump(store)
    record = json.loads(
        store.conn.execute("SELECT data FROM corroboration WHERE event = ?", (FLOOD_1,)).fetchone()[
            0
        ]
    )
    assert before["claims"] and store.event_articles(FLOOD_2)
    new = _article("new.txt")
    new.event = "ev-new"
    with store.batch():
        run = store.start_run("test")
    before = _dump(store)
    with store.batch():
        store.record_undo(7)
        store.add_article(new, store.next_seq(), run, np.ones(4, np.float32), np.ones(2, np.uint64))
        some = store.event_articles(FLOOD_1)[0]["id"]
        store.set_duplicate_of(some, "new.txt")
        store.conn.execute("UPDATE articles SET date_confidence = 0.5")
        store.merge_events(FLOOD_2, FLOOD_1)  # an event and its corroboration deleted
        record["claims"] = record["claims"][:1]
        store.save_corroboration(FLOOD_1, record)  # claims rewritten
        store.save_corroboration("ev-new", record)
        store.conn.execute("INSERT INTO events (id, state, articles) VALUES ('ev-new', x'00', 1)")
        store.conn.execute("UPDATE events SET title = 'moved' WHERE id = 'ev-new'")
        store.log(1, "create", "ev-new", article="new.txt")
        store.save_provisional({"journal": None, "gone": {"sl-x": ["ev-new"]}})
        for line in store.list_storylines()[:1]:
            store.delete_storyline(line["id"])
        store.record_rejection(1, Rejection("x.txt", "unreadable"))
        store.record_undo(None)
        store.log(1, "not recorded", "ev-new")
    assert _dump(store) != before
    assert store.undo_pending(8) and not store.undo_pending(7)
    with store.batch():
        store.conn.execute("DELETE FROM event_log WHERE action = 'not recorded'")
        assert store.undo().events == {"ev-new": "new.txt"}
    after = _dump(store)
    waiting = [r for r in after["articles"] if r[1] == "new.txt"]
    assert len(waiting) == 1 and waiting[0][-5] is None  # stored, no event: waiting
    # its grouping columns as it was stored (the update of every article taken back)
    row = store.get_article("new.txt", with_text=False)
    assert (row["published"], row["date_confidence"]) == ("2025-03-04", 1.0)
    assert [r["id"] for r in store.waiting_articles()] == ["new.txt"]
    after["articles"].remove(waiting[0])
    search = [r for r in after["article_search"] if r[1] == "new.txt"]
    after["article_search"] = [r for r in after["article_search"] if r[1] != "new.txt"]
    assert len(search) == 1
    assert after == before
    assert not store.undo_pending(8)


def _event_rows(store: SQLiteStore) -> list[tuple]:
    return [tuple(r) for r in store.conn.execute("SELECT rowid, * FROM events ORDER BY rowid")]


def test_the_undo_log_keeps_a_row_once(tmp_path: Path) -> None:
    """(m006) An event updated batch after batch while recording is kept once, as it was
    before the first update; an event created keeps its id, not its state; the undo
    still restores every row, the one updated and then deleted included."""
    from test_web_fixtures import FLOOD_1, FLOOD_2, build_store

    build_store(tmp_path / "s.db")
    store = SQLiteStore(tmp_path / "s.db")
    before = _dump(store)
    with store.batch():
        store.record_undo(3)
        for n in range(5):
            store.conn.execute(
                "UPDATE events SET state = ?, title = ? WHERE id = ?",
                (bytes(1000 + n), f"title {n}", FLOOD_1),
            )
            store.conn.execute("UPDATE events SET title = ? WHERE id = ?", (f"t{n}", FLOOD_2))
        store.conn.execute("DELETE FROM events WHERE id = ?", (FLOOD_2,))
        store.conn.execute(
            "INSERT INTO events (id, state, articles) VALUES ('ev-new', ?, 1)", (bytes(5000),)
        )
        store.conn.execute("UPDATE events SET state = ? WHERE id = 'ev-new'", (bytes(6000),))
        store.record_undo(None)
    rows = store.conn.execute(
        "SELECT l.op, e.id, length(e.state) FROM undo_log AS l "
        "JOIN undo__events AS e ON e.log_id = l.id ORDER BY l.id"
    ).fetchall()
    assert [(r[0], r[1]) for r in rows] == [
        ("update", FLOOD_1),
        ("update", FLOOD_2),
        ("insert", "ev-new"),
    ]
    assert rows[2][2] is None  # the new event's state is not copied
    assert store.undo_pending(4) and not store.undo_pending(3)
    with store.batch():
        assert store.undo().events == {"ev-new": None}
    assert _dump(store) == before


def test_an_undo_restores_a_row_whose_rowid_a_later_insert_took(memory_store) -> None:
    """The last event deleted while recording, and a new one inserted (SQLite gives it
    the freed rowid): the undo deletes the new one and puts the old one back."""
    store = memory_store
    with store.batch():
        for name in ("ev-a", "ev-b"):  # (counted, as saved events are: an undo counts
            store.conn.execute(  # the events it brings back without a count)
                "INSERT INTO events (id, state, articles, borderline) VALUES (?, x'01', 1, 0)",
                (name,),
            )
    before = _event_rows(store)
    with store.batch():
        store.record_undo(1)
        store.conn.execute("UPDATE events SET articles = 9 WHERE id = 'ev-b'")
        store.conn.execute("DELETE FROM events WHERE id = 'ev-b'")
        store.conn.execute("INSERT INTO events (id, state, articles) VALUES ('ev-c', x'02', 1)")
        store.record_undo(None)
    assert [r[0] for r in _event_rows(store)] == [r[0] for r in before]  # the same rowids
    with store.batch():
        store.undo()
    assert _event_rows(store) == before


def test_an_undo_replays_a_log_written_before_m006(tmp_path: Path) -> None:
    """A store upgraded with an m005 log pending (an entry per write, whole rows) is
    undone exactly by the code that writes compact logs."""
    from newsfold.store.migrations import install_undo_triggers
    from test_web_fixtures import FLOOD_1, FLOOD_2, build_store

    build_store(tmp_path / "s.db")
    store = SQLiteStore(tmp_path / "s.db")
    with store.batch():
        install_undo_triggers(store.conn, compact=False, tables=False)  # as m005 left them
    before = _dump(store)
    with store.batch():
        store.record_undo(1)
        store.conn.execute("UPDATE events SET title = 'one' WHERE id = ?", (FLOOD_1,))
        store.conn.execute("UPDATE events SET title = 'two' WHERE id = ?", (FLOOD_1,))
        store.merge_events(FLOOD_2, FLOOD_1)
        store.conn.execute("INSERT INTO events (id, state, articles) VALUES ('ev-n', x'00', 1)")
        store.record_undo(None)
    assert store.conn.execute("SELECT COUNT(*) FROM undo__events").fetchone()[0] >= 4
    with store.batch():
        install_undo_triggers(store.conn, tables=False)  # m006 over the pending log
        store.undo()
    assert _dump(store) == before


def test_an_undo_gives_waiting_articles_seqs_of_their_own(memory_store) -> None:
    """Waiting A (seq -2) and B (-3); a recorded end groups B again (seq 2) and stores C
    (3): the undo gives B back -3 before it gives C a negative seq (C, stored last, waits
    below them). Found by the session-10 review: C took -3 first and B's restore failed on
    the UNIQUE seq, then every later run."""
    store = memory_store

    def add(article_id: str) -> None:
        article = _article(article_id)
        article.event, article.published = "ev-1", None
        store.add_article(
            article, store.next_seq(), run, np.ones(4, np.float32), np.ones(2, np.uint64)
        )

    with store.batch():
        run = store.start_run("test")
        store.add_article(
            _article("old.txt"), 1, run, np.ones(4, np.float32), np.ones(2, np.uint64)
        )
    for recorded in (["A.txt", "B.txt"], ["B.txt", "C.txt"]):
        with store.batch():
            store.record_undo(run)
            for article_id in recorded:
                add(article_id)
            store.record_undo(None)
        with store.batch():
            store.undo()
    assert store.waiting_order() == ["A.txt", "B.txt", "C.txt"]
    seqs = dict(store.conn.execute("SELECT id, seq FROM articles").fetchall())
    assert seqs["A.txt"] == -2 and seqs["B.txt"] == -3 and seqs["C.txt"] < -3


def test_a_pending_message_names_the_first_article_of_the_id_asked_for(memory_store) -> None:
    from newsfold.errors import PendingError

    with memory_store.batch():
        memory_store.save_provisional({"gone_events": {"ev-x": None, "ev-y": "y.txt"}})
        memory_store.log(1, "merge", "ev-old", other="ev-y")
    messages = {}
    for event_id in ("ev-x", "ev-y", "ev-old"):
        with pytest.raises(PendingError) as caught:
            memory_store.get_event(event_id)
        messages[event_id] = (caught.value.first, str(caught.value))
    assert messages["ev-y"][0] == "y.txt" and "'y.txt' waits" in messages["ev-y"][1]
    for event_id in ("ev-x", "ev-old"):  # no first article known for the id asked for
        assert messages[event_id][0] is None and "None" not in messages[event_id][1]
        assert f"event {event_id!r} is being regrouped" in messages[event_id][1]


def test_a_storyline_the_undo_took_away_is_pending_and_odd_ids_are_not_found(
    memory_store,
) -> None:
    """A storyline listed as gone is pending; ids that only look like its key, or like a
    lookup path into the stored JSON, are plainly not found."""
    from newsfold.errors import NotFoundError, PendingError

    with memory_store.batch():
        memory_store.save_provisional({"gone": {"sl-a": ["ev-x"]}, "gone_events": {"ev-x": None}})
    with pytest.raises(PendingError, match="storyline 'sl-a' is being regrouped"):
        memory_store.get_storyline("sl-a")
    for odd in ('sl-a"', 'sl-a"[0]', 'sl-"a', "sl-a.b", "$", "ev-x' OR 1"):
        with pytest.raises(NotFoundError) as caught:
            memory_store.get_storyline(odd)
        assert not isinstance(caught.value, PendingError)
    with pytest.raises(PendingError):
        memory_store.get_event("ev-x")
    with pytest.raises(NotFoundError) as caught:
        memory_store.get_event("sl-a")  # a storyline's id asked for as an event
    assert not isinstance(caught.value, PendingError)


def test_an_article_cannot_be_deleted_while_recording(memory_store) -> None:
    with memory_store.batch():
        run = memory_store.start_run("test")
        memory_store.add_article(_article(), 1, run, np.ones(4, np.float32), np.ones(2, np.uint64))
    with pytest.raises(sqlite3.IntegrityError, match="cannot be deleted"), memory_store.batch():
        memory_store.record_undo(1)
        memory_store.conn.execute("DELETE FROM articles")


def test_placements_read_the_latest_create_or_join_row_of_each_article(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "s.db")
    with store.batch():
        run = store.start_run("test")
        store.log(run, "create", "ev-1", article="a", detail=json.dumps({"threshold": 0.5}))
        store.log(run, "join", "ev-2", article="b", detail='{"score": 0.61}')
        store.log(run, "join", "ev-3", article="b", detail='{"score": 0.72}')  # regrouped later
        store.log(run, "move", "ev-3", other="sl-1", detail="from sl-0")  # not a placement
        store.log(run, "join", "ev-3", article="c", detail="not json")
        store.log(run, "join", "ev-3", article="d")  # grouped before placements were logged
    got = store.placements(["a", "b", "c", "d", "e"])
    assert got == {"a": {"threshold": 0.5}, "b": {"score": 0.72}}
    plan = " ".join(
        str(row[-1])
        for row in store.conn.execute(
            "EXPLAIN QUERY PLAN SELECT detail FROM event_log WHERE article IN ('a') "
            "AND action IN ('create', 'join') AND detail IS NOT NULL"
        )
    )
    assert "event_log_article" in plan  # found by index, not by reading the whole log
    store.close()


def test_event_placements_as_a_reader_sees_them(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "s.db")
    with store.batch():
        run = store.start_run("test")
        log = [
            # a group of copies repointed to its later, better text "b": the score logged
            # for "a" (the first of them) belongs on "b", and "a" reads as a copy
            ("create", "ev-1", "a", {"threshold": 0.5, "borderline": False}),
            ("join", "ev-1", "b", {"copy": True}),
            ("join", "ev-1", "c", {"copy": True}),  # another copy of b
            # a rival that later merged into this event is no rival
            ("join", "ev-1", "d", {"score": 0.9, "runner_up": "ev-2", "runner_up_score": 0.7,
                                   "threshold": 0.5, "borderline": True}),
            ("join", "ev-1", "e", {"score": 0.9, "runner_up": "ev-9", "runner_up_score": 0.7,
                                   "threshold": 0.5, "borderline": True}),
            # a flag logged under another margin is judged again
            ("join", "ev-1", "g", {"score": 0.95, "threshold": 0.5, "borderline": True}),
            # a runner-up that is this very event (a circular merge record) is no rival
            ("join", "ev-1", "h", {"score": 0.9, "runner_up": "ev-1", "runner_up_score": 0.6,
                                   "threshold": 0.5, "borderline": True}),
        ]  # fmt: skip
        for action, event, article, detail in log:
            store.log(run, action, event, article=article, detail=json.dumps(detail))
        store.save_events([EventState(id="ev-1", vector_sum=np.zeros(4, np.float32))], run)
        store.log(run, "merge", "ev-2", other="ev-3")  # ev-2 -> ev-3 -> ev-1
        store.log(run, "merge", "ev-3", other="ev-1")
        store.log(run, "merge", "ev-1", other="ev-3")  # a stale row: the walk stops at ev-1
    rows = [
        {"id": "a", "duplicate_of": "b"},
        {"id": "b", "duplicate_of": None},
        {"id": "c", "duplicate_of": "b"},
        {"id": "d", "duplicate_of": None},
        {"id": "e", "duplicate_of": None},
        {"id": "f", "duplicate_of": None},  # grouped before placements were logged
        {"id": "g", "duplicate_of": None},
        {"id": "h", "duplicate_of": None},
    ]
    got = store.event_placements("ev-1", rows)
    assert got["b"] == {"threshold": 0.5, "borderline": False}
    assert got["a"] == got["c"] == {"copy": True}
    assert got["d"] == {"score": 0.9, "threshold": 0.5, "borderline": False}
    assert got["e"]["runner_up"] == "ev-9" and got["e"]["borderline"] is True
    assert got["f"] is None
    assert got["g"] == {"score": 0.95, "threshold": 0.5, "borderline": False}
    assert got["h"] == {"score": 0.9, "threshold": 0.5, "borderline": False}
    store.close()


def _placed(store: SQLiteStore, run: int, event: str, article: str, **detail: object) -> None:
    """Store ``article`` in ``event`` with its create/join row (``detail``: a placement)."""
    art = _article(article, text=f"Body of {article}.")
    art.event = event
    seq = store.next_seq()
    store.add_article(art, seq, run, np.ones(4, np.float32), np.ones(2, np.uint64))
    action = "join" if detail.get("score") is not None or detail.get("copy") else "create"
    store.log(run, action, event, article=article, detail=json.dumps({"threshold": 0.5, **detail}))


def test_events_keep_their_borderline_count_as_their_page_shows_it(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "s.db")
    ev1 = EventState(id="ev-1", vector_sum=np.zeros(4, np.float32), size=4)
    ev2 = EventState(id="ev-2", vector_sum=np.zeros(4, np.float32), size=1)
    ev3 = EventState(id="ev-3", vector_sum=np.zeros(4, np.float32), size=2)
    with store.batch():
        run = store.start_run("test")
        _placed(store, run, "ev-1", "a")
        _placed(store, run, "ev-1", "b", score=0.6)  # under threshold + margin: borderline
        _placed(store, run, "ev-1", "c", score=0.95, runner_up="ev-2", runner_up_score=0.7)
        _placed(store, run, "ev-1", "d", score=0.95, runner_up="ev-3", runner_up_score=0.1)
        _placed(store, run, "ev-2", "e")
        _placed(store, run, "ev-3", "f", runner_up="ev-1", runner_up_score=0.3)  # founded, close
        _placed(store, run, "ev-3", "g", copy=True)
        store.save_events([ev1, ev2, ev3], run)
    counts = {e["id"]: e["borderline"] for e in store.list_events()}
    assert counts == {"ev-1": 2, "ev-2": 0, "ev-3": 1}
    for event_id, count in counts.items():  # the same count as the event's page gives
        rows = store.event_articles(event_id)
        shown = store.event_placements(event_id, rows).values()
        assert sum(bool(p and p.get("borderline")) for p in shown) == count
    assert [e["id"] for e in store.list_events(order="borderline")] == ["ev-1", "ev-3", "ev-2"]
    assert [e["id"] for e in store.list_events(borderline=True, order="oldest")] == [
        "ev-1",
        "ev-3",
    ]
    assert store.count_events(borderline=True) == 2
    # the runner-up of "c" merges into ev-1: no rival any more, and ev-1 is saved again
    with store.batch():
        run = store.start_run("test")
        store.conn.execute("UPDATE articles SET event = 'ev-1' WHERE event = 'ev-2'")
        store.merge_events("ev-2", "ev-1")
        store.log(run, "merge", "ev-2", other="ev-1")
        store.save_events([ev1], run)
    assert {e["id"]: e["borderline"] for e in store.list_events()} == {"ev-1": 1, "ev-3": 1}
    plan = " ".join(
        str(row[-1])
        for row in store.conn.execute(
            "EXPLAIN QUERY PLAN SELECT * FROM events WHERE borderline > 0 "
            "ORDER BY borderline DESC, articles DESC, id"
        )
    )
    assert "events_borderline" in plan and "TEMP B-TREE" not in plan  # by index, no sort
    store.close()


def test_an_upgraded_store_counts_its_events_borderline_placements(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    store = SQLiteStore(db)
    with store.batch():
        run = store.start_run("test")
        _placed(store, run, "ev-1", "a")
        _placed(store, run, "ev-1", "b", score=0.6)
        store.save_events([EventState(id="ev-1", vector_sum=np.zeros(4, np.float32))], run)
    # as m008 leaves a store written before it (and as an undo may restore an image
    # taken before it): not counted
    store.conn.execute("UPDATE events SET borderline = NULL")
    generation = store.generation()
    assert store.list_events()[0]["borderline"] is None
    store.close()
    store = SQLiteStore(db)  # opened read-write: counted
    assert store.list_events()[0]["borderline"] == 1
    assert store.generation() == generation  # not a change of grouping
    store.close()
