"""Schema migrations for the SQLite store: ordered functions, each applied once.

As in simonw/llm: a function per step, registered in order, recorded in
``_migrations`` by name. Never edit a released migration; add a new one.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable

Migration = Callable[[sqlite3.Connection], None]
MIGRATIONS: list[Migration] = []


def migration(fn: Migration) -> Migration:
    MIGRATIONS.append(fn)
    return fn


def migrate(conn: sqlite3.Connection) -> list[str]:
    """Apply the migrations not yet recorded; returns the names applied."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
    )
    done = {row[0] for row in conn.execute("SELECT name FROM _migrations")}
    known = {fn.__name__ for fn in MIGRATIONS}
    unknown = done - known
    if unknown:
        from newsfold.errors import StoreError

        raise StoreError(
            "this store was written by a newer newsfold (unknown migrations: "
            + ", ".join(sorted(unknown))
            + "); upgrade newsfold"
        )
    applied = []
    for fn in MIGRATIONS:
        if fn.__name__ in done:
            continue
        with conn:
            fn(conn)
            conn.execute(
                "INSERT INTO _migrations (name, applied_at) VALUES (?, ?)",
                (fn.__name__, dt.datetime.now(dt.UTC).isoformat(timespec="seconds")),
            )
        applied.append(fn.__name__)
    return applied


@migration
def m001_initial(conn: sqlite3.Connection) -> None:
    conn.executescript(
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB);
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            started TEXT NOT NULL,
            finished TEXT,
            command TEXT,
            stats TEXT
        );
        CREATE TABLE articles (
            id TEXT PRIMARY KEY,
            seq INTEGER NOT NULL UNIQUE,
            content_hash TEXT NOT NULL,
            path TEXT,
            line INTEGER,
            format TEXT NOT NULL,
            title TEXT NOT NULL,
            raw TEXT NOT NULL,
            text TEXT NOT NULL,
            url TEXT,
            source TEXT,
            language TEXT,
            language_confidence REAL,
            published TEXT,
            date_source TEXT NOT NULL,
            date_confidence REAL NOT NULL,
            date_evidence TEXT,
            removed TEXT,
            duplicate_of TEXT REFERENCES articles(id),
            event TEXT,
            embedding BLOB,
            minhash BLOB,
            run_id INTEGER REFERENCES runs(id),
            added TEXT NOT NULL
        );
        CREATE INDEX articles_hash ON articles(content_hash);
        CREATE INDEX articles_event ON articles(event);
        CREATE INDEX articles_duplicate_of ON articles(duplicate_of);
        CREATE TABLE events (
            id TEXT PRIMARY KEY,
            storyline TEXT,
            title TEXT,
            first_date TEXT,
            last_date TEXT,
            articles INTEGER NOT NULL DEFAULT 0,
            outlets INTEGER NOT NULL DEFAULT 0,
            languages TEXT,
            state BLOB NOT NULL,
            created_run INTEGER,
            updated_run INTEGER
        );
        CREATE INDEX events_storyline ON events(storyline);
        CREATE TABLE storylines (
            id TEXT PRIMARY KEY,
            title TEXT,
            first_date TEXT,
            last_date TEXT,
            events INTEGER NOT NULL DEFAULT 0,
            state BLOB NOT NULL,
            created_run INTEGER,
            updated_run INTEGER
        );
        CREATE TABLE event_log (
            id INTEGER PRIMARY KEY,
            run_id INTEGER,
            at TEXT NOT NULL,
            action TEXT NOT NULL,
            subject TEXT NOT NULL,
            other TEXT,
            article TEXT,
            detail TEXT
        );
        CREATE TABLE rejections (
            path TEXT NOT NULL,
            line INTEGER NOT NULL DEFAULT 0,
            reason TEXT NOT NULL,
            first_run INTEGER,
            last_run INTEGER,
            seen INTEGER NOT NULL DEFAULT 1,
            PRIMARY KEY (path, line, reason)
        );
        CREATE TABLE facts (
            article TEXT PRIMARY KEY REFERENCES articles(id),
            data TEXT NOT NULL
        );
        CREATE TABLE corroboration (
            event TEXT PRIMARY KEY,
            data TEXT NOT NULL
        );
        """
    )
