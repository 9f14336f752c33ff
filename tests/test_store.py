from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from newsfold.errors import NotFoundError, StoreError, UnknownComponent
from newsfold.models import Article, Rejection
from newsfold.store import SQLiteStore, open_store
from newsfold.store.migrations import MIGRATIONS


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
