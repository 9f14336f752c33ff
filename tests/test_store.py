from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from newsfold.errors import NotFoundError, StoreError, UnknownComponent
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
        assert store.undo() == {"ev-new": "new.txt"}
    after = _dump(store)
    waiting = [r for r in after["articles"] if r[1] == "new.txt"]
    assert len(waiting) == 1 and waiting[0][-5] is None  # stored, no event: waiting
    assert [r["id"] for r in store.waiting_articles()] == ["new.txt"]
    after["articles"].remove(waiting[0])
    search = [r for r in after["article_search"] if r[1] == "new.txt"]
    after["article_search"] = [r for r in after["article_search"] if r[1] != "new.txt"]
    assert len(search) == 1
    assert after == before
    assert not store.undo_pending(8)


def test_an_article_cannot_be_deleted_while_recording(memory_store) -> None:
    with memory_store.batch():
        run = memory_store.start_run("test")
        memory_store.add_article(_article(), 1, run, np.ones(4, np.float32), np.ones(2, np.uint64))
    with pytest.raises(sqlite3.IntegrityError, match="cannot be deleted"), memory_store.batch():
        memory_store.record_undo(1)
        memory_store.conn.execute("DELETE FROM articles")
