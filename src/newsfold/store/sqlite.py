"""The default store: one SQLite file (WAL mode), or ``:memory:`` for tests."""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
import time
import urllib.parse
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from newsfold.errors import MovedError, NotFoundError, PendingError, StoreError
from newsfold.events import EventState
from newsfold.features import DocumentFrequencies
from newsfold.models import Article, DateResult, Rejection
from newsfold.store import claims
from newsfold.store.base import Store, Undone
from newsfold.store.migrations import CLAIM_COLUMNS, UNDONE_TABLES, migrate, undo_columns
from newsfold.storylines import StorylineState

ARTICLE_COLUMNS = (
    "a.id, a.title, a.url, a.source, a.language, a.language_confidence, a.published, "
    "a.date_source, a.date_confidence, a.date_evidence, a.duplicate_of, a.event, "
    "e.storyline AS storyline, a.path, a.line, a.format, a.seq, a.content_hash"
)

CLAIM_INSERT = f"INSERT INTO claims ({CLAIM_COLUMNS}) VALUES ({', '.join('?' * 15)})"
# The order of the facts page: events in listing order, each event's claims in the
# order of its own claims table (conflicts first, most origins, thing).
CLAIM_ORDER = "COALESCE(e.last_date, '') DESC, e.articles DESC, e.id, c.position"


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class SQLiteStore(Store):
    def __init__(self, path: str | Path = "newsfold.db", timeout: float = 60.0) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            parent = Path(self.path).parent
            if not parent.exists():
                raise StoreError(f"cannot create the store {self.path}: no folder {parent}")
        try:
            self.conn = sqlite3.connect(self.path, timeout=timeout, isolation_level=None)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA foreign_keys = ON")
            if self.path != ":memory:":
                self._wal()
                self.conn.execute("PRAGMA synchronous = NORMAL")
            self._migrate()
            self._count_missing_borderline()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open the store {self.path}: {exc}") from exc
        self._in_batch = False

    def _wal(self) -> None:
        # Switching to WAL needs a lock SQLite does not wait for (no busy handler): while
        # another process migrates a new store it fails at once with "database is locked".
        # Try again for a while (bounded: about 30 s), as for the migrations below.
        for attempt in range(300):
            try:
                self.conn.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or attempt == 299:
                    raise
                time.sleep(0.1)

    def _migrate(self) -> None:
        # migrate() opens its own transactions; sqlite3 in autocommit mode here.
        self.conn.isolation_level = "DEFERRED"
        try:
            # Two processes opening a new store race to create it: the loser's migration
            # fails on "table ... already exists" (or, adding a column, "duplicate column
            # name") and rolls back; it then looks again at which migrations the winner
            # recorded (bounded: about 30 s).
            for attempt in range(300):
                try:
                    migrate(self.conn)
                    break
                except sqlite3.OperationalError as exc:
                    raced = "already exists" in str(exc) or "duplicate column" in str(exc)
                    if not raced or attempt == 299:
                        raise
                    if self.conn.in_transaction:
                        self.conn.rollback()
                    time.sleep(0.1)
        finally:
            self.conn.isolation_level = None

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def batch(self) -> Iterator[None]:
        if self._in_batch:
            yield
            return
        with self._transaction():
            self._in_batch = True
            try:
                yield
                self.conn.execute(
                    "INSERT INTO meta (key, value) VALUES ('generation', 1) "
                    "ON CONFLICT(key) DO UPDATE SET value = value + 1"
                )
            finally:
                self._in_batch = False

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """One write transaction: committed, or rolled back on any error. :meth:`batch`
        (a change of grouping: the generation moves) and the counts made on opening."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError(
                f"the store {self.path} is busy (another newsfold is writing): {exc}"
            ) from exc
        try:
            yield
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise

    def generation(self) -> int:
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        return int(row[0]) if row else 0

    def start_run(self, command: str) -> int:
        cur = self.conn.execute(
            "INSERT INTO runs (started, command) VALUES (?, ?)", (_now(), command)
        )
        return int(cur.lastrowid or 0)

    def finish_run(self, run_id: int, stats: dict[str, Any]) -> None:
        self.conn.execute(
            "UPDATE runs SET finished = ?, stats = ? WHERE id = ?",
            (_now(), json.dumps(stats), run_id),
        )

    # ---- pipeline writes -------------------------------------------------
    def _where_ids(self, query: str, ids: Iterable[str]) -> Iterator[sqlite3.Row]:
        """The rows of ``query`` (its ``{ids}`` the id list), asked 500 ids at a time."""
        ids = list(ids)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            yield from self.conn.execute(query.format(ids=",".join("?" * len(chunk))), chunk)

    def article_hashes(self, ids: Iterable[str]) -> dict[str, str]:
        query = "SELECT id, content_hash FROM articles WHERE id IN ({ids})"
        return {row[0]: row[1] for row in self._where_ids(query, ids)}

    def next_seq(self) -> int:
        # (waiting articles have negative seqs: see undo)
        row = self.conn.execute("SELECT MAX(COALESCE(MAX(seq), 0), 0) + 1 FROM articles").fetchone()
        return int(row[0])

    def add_article(
        self, article: Article, seq: int, run_id: int, embedding: np.ndarray, minhash: np.ndarray
    ) -> None:
        self.conn.execute(
            """INSERT INTO articles (id, seq, content_hash, path, line, format, title, raw, text,
                url, source, language, language_confidence, published, date_source,
                date_confidence, date_evidence, removed, duplicate_of, event, embedding, minhash,
                run_id, added)
               VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
               ON CONFLICT(id) DO UPDATE SET seq=excluded.seq,
                   published=excluded.published, date_source=excluded.date_source,
                   date_confidence=excluded.date_confidence,
                   date_evidence=excluded.date_evidence,
                   duplicate_of=excluded.duplicate_of, event=excluded.event,
                   embedding=excluded.embedding, minhash=excluded.minhash
               WHERE articles.event IS NULL""",
            (
                article.id,
                seq,
                article.content_hash,
                article.path,
                article.line,
                article.format,
                article.title,
                article.raw,
                article.text,
                article.url,
                article.source,
                article.language,
                article.language_confidence,
                article.published.isoformat() if article.published else None,
                article.date_source,
                article.date_confidence,
                article.date_evidence,
                json.dumps(article.removed_lines, ensure_ascii=False),
                article.duplicate_of,
                article.event,
                embedding.astype(np.float32).tobytes(),
                minhash.astype(np.uint64).tobytes(),
                run_id,
                _now(),
            ),
        )

    def set_duplicate_of(self, article_id: str, canonical: str | None) -> None:
        self.conn.execute(
            "UPDATE articles SET duplicate_of = ? WHERE id = ?", (canonical, article_id)
        )

    def set_date(self, article_id: str, date: DateResult) -> None:
        self.conn.execute(
            "UPDATE articles SET published = ?, date_source = ?, date_confidence = ?, "
            "date_evidence = ? WHERE id = ?",
            (
                date.date.isoformat() if date.date else None,
                date.source,
                date.confidence,
                date.evidence,
                article_id,
            ),
        )

    def dedupe_rows(self) -> Iterator[tuple[str, str, bytes, Any, int, str | None]]:
        for row in self.conn.execute(
            # the length the deduper ranks by is that of Article.full_text (title, blank
            # line, body): the same after a reload as in the run that added the article
            "SELECT id, content_hash, minhash, published, "
            "CASE WHEN title != '' THEN length(title) + 2 + length(text) ELSE length(text) END, "
            "duplicate_of FROM articles WHERE event IS NOT NULL ORDER BY seq"
        ):
            published = dt.date.fromisoformat(row[3]) if row[3] else None
            yield row[0], row[1], row[2], published, row[4], row[5]

    def waiting_articles(self, limit: int | None = None) -> list[dict[str, Any]]:
        return [
            dict(row)
            for row in self.conn.execute(
                "SELECT * FROM articles WHERE event IS NULL ORDER BY abs(seq) LIMIT ?",
                (-1 if limit is None else limit,),
            )
        ]

    def waiting_order(self) -> list[str]:
        query = "SELECT id FROM articles WHERE event IS NULL ORDER BY abs(seq)"
        return [row[0] for row in self.conn.execute(query)]

    def article_rows(self, ids: Iterable[str]) -> list[dict[str, Any]]:
        query = "SELECT * FROM articles WHERE id IN ({ids})"
        return [dict(row) for row in self._where_ids(query, ids)]

    def count_waiting(self) -> int:
        row = self.conn.execute("SELECT COUNT(*) FROM articles WHERE event IS NULL").fetchone()
        return int(row[0])

    def waiting_ids(self, ids: Iterable[str]) -> set[str]:
        query = "SELECT id FROM articles WHERE event IS NULL AND id IN ({ids})"
        return {row[0] for row in self._where_ids(query, ids)}

    # ---- the undo log of the end of a run (m005_undo) ----------------------
    def record_undo(self, run_id: int | None) -> None:
        if run_id is None:
            self.conn.execute("DELETE FROM undo_state")
        else:
            self.conn.execute(
                "INSERT INTO undo_state (id, run_id) VALUES (0, ?) "
                "ON CONFLICT(id) DO UPDATE SET run_id = excluded.run_id",
                (run_id,),
            )

    def undo_pending(self, run_id: int) -> bool:
        # each end of the undo_log_run index on its own (one query asking for both reads
        # the whole index): no scan of this run's own entries
        low, high = self.conn.execute(
            "SELECT (SELECT MIN(run_id) FROM undo_log), (SELECT MAX(run_id) FROM undo_log)"
        ).fetchone()
        return low is not None and (low != run_id or high != run_id)

    def undo(self) -> Undone:
        founders: dict[str, str | None] = {}
        for subject, article in self.conn.execute(
            "SELECT g.subject, g.article FROM undo__event_log AS g JOIN undo_log AS l "
            "ON l.id = g.log_id WHERE l.op = 'insert' AND g.action = 'create' ORDER BY l.id"
        ):
            founders.setdefault(str(subject), article)
        created = {
            str(row[0]): founders.get(str(row[0]))
            for row in self.conn.execute(
                "SELECT s.id FROM undo_log AS l JOIN undo__events AS s ON s.log_id = l.id "
                "WHERE l.op = 'insert'"
            )
        }
        # storylines created, with the events linked to them now (before the undo)
        lines = {
            str(row[0]): [
                str(e[0])
                for e in self.conn.execute(
                    "SELECT id FROM events WHERE storyline = ? ORDER BY rowid", (row[0],)
                )
            ]
            for row in self.conn.execute(
                "SELECT s.id FROM undo_log AS l JOIN undo__storylines AS s ON s.log_id = l.id "
                "WHERE l.op = 'insert'"
            )
        }
        columns = {table: undo_columns(self.conn, table) for table in UNDONE_TABLES}
        entries = self.conn.execute(
            "SELECT id, tbl, op, rid FROM undo_log ORDER BY id DESC"
        ).fetchall()
        # Newest first. A log entry per write (m005) steps each row back through its
        # images; a compact one (m006) holds a row's image from before its first update
        # or delete only, so a row may since have been deleted, or its rowid taken by a
        # row inserted later (undone before it, newest first): whole images are put back
        # with INSERT OR REPLACE, not UPDATE. Articles are never deleted while recording
        # and keep only their grouping columns in the log: those are updated in place.
        dated = ("published", "date_source", "date_confidence", "date_evidence", "minhash")
        stored: list[int] = []  # rowids of the articles the recording stored, newest first
        for log_id, table, op, rid in entries:
            cols = columns[table]
            names = ", ".join(cols)
            if table == "articles" and op == "insert":  # stays stored, waiting again
                # its grouping columns as stored (a re-dating since is taken back); its
                # seq once every older image is back (below)
                self.conn.execute(
                    f"UPDATE articles SET ({', '.join(dated)}) = (SELECT {', '.join(dated)} "
                    "FROM undo__articles WHERE log_id = ?), event = NULL, duplicate_of = NULL "
                    "WHERE rowid = ?",
                    (log_id, rid),
                )
                stored.append(rid)
            elif table == "articles":
                self.conn.execute(
                    f"UPDATE articles SET ({names}) = "
                    f"(SELECT {names} FROM undo__articles WHERE log_id = ?) WHERE rowid = ?",
                    (log_id, rid),
                )
            elif op == "insert" and table == "claims":
                self.conn.execute(
                    "DELETE FROM claims WHERE (event, position) = "
                    "(SELECT event, position FROM undo__claims WHERE log_id = ?)",
                    (log_id,),
                )
            elif op == "insert":
                self.conn.execute(f"DELETE FROM {table} WHERE rowid = ?", (rid,))
            else:  # update or delete: the row as it was
                rowid = "" if table == "claims" else "rowid, "
                self.conn.execute(
                    f"INSERT OR REPLACE INTO {table} ({rowid}{names}) "
                    f"SELECT {'?, ' if rowid else ''}{names} FROM undo__{table} WHERE log_id = ?",
                    (*((rid,) if rowid else ()), log_id),
                )
        # The articles stored wait with their seq negated: a waiting article keeps its
        # place among those waiting (see waiting_articles), and the next seqs follow the
        # last grouped one, as if it had not been stored yet. After every older image is
        # back (a waiting article grouped again gets its old negative seq back, which one
        # stored later may have had), and if another article holds that negative seq,
        # below every seq instead (still after it).
        for rid in stored:
            self.conn.execute(
                "UPDATE articles SET seq = CASE WHEN EXISTS (SELECT 1 FROM articles AS o "
                "WHERE o.seq = -abs(articles.seq)) "
                "THEN (SELECT MIN(MIN(seq), 0) FROM articles) - 1 ELSE -abs(seq) END "
                "WHERE rowid = ?",
                (rid,),
            )
        self.conn.execute("DELETE FROM undo_log")
        for table in UNDONE_TABLES:
            self.conn.execute(f"DELETE FROM undo__{table}")
        # an image taken before m008 brings back an event without its count: count it now,
        # before the end of this run records it again (else each run's undo restores it)
        self._count_null_borderline()
        return Undone(created, lines)

    def load_events(self) -> list[EventState]:
        return [
            EventState.from_blob(row[0])
            for row in self.conn.execute("SELECT state FROM events ORDER BY rowid")
        ]

    def save_events(self, events: Iterable[EventState], run_id: int, *, count: bool = True) -> None:
        for ev in events:
            # Dates and outlets from the stored articles: they include dates found after
            # grouping (re-dating), which the clusterer's own state leaves out on purpose.
            outlets, first, last = self.conn.execute(
                "SELECT COUNT(DISTINCT COALESCE(source, '?')), MIN(published), MAX(published) "
                "FROM articles WHERE event = ?",
                (ev.id,),
            ).fetchone()
            self.conn.execute(
                """INSERT INTO events (id, storyline, title, first_date, last_date, articles,
                       outlets, languages, state, created_run, updated_run)
                   VALUES (?,?,?,?,?,?,?,?,?,?,?)
                   ON CONFLICT(id) DO UPDATE SET storyline=excluded.storyline,
                       title=excluded.title, first_date=excluded.first_date,
                       last_date=excluded.last_date, articles=excluded.articles,
                       outlets=excluded.outlets, languages=excluded.languages,
                       state=excluded.state, updated_run=excluded.updated_run""",
                (
                    ev.id,
                    ev.storyline,
                    ev.title,
                    first,
                    last,
                    ev.size,
                    outlets,
                    ",".join(sorted(ev.languages)),
                    ev.to_blob(),
                    run_id,
                    run_id,
                ),
            )
            if count:  # (once its row is in: a merge chain may end here)
                self._count_borderline(ev.id)

    def _count_borderline(self, event_id: str) -> None:
        """Keep ``events.borderline`` (:meth:`count_borderline`) for ``event_id``."""
        rows = self.conn.execute(
            "SELECT id, duplicate_of FROM articles WHERE event = ? ORDER BY seq", (event_id,)
        ).fetchall()
        count = self.count_borderline(event_id, [dict(r) for r in rows])
        self.conn.execute("UPDATE events SET borderline = ? WHERE id = ?", (count, event_id))

    def _count_missing_borderline(self) -> None:
        """Count ``events.borderline`` where it is NULL, on opening: every event of a store
        m008 just upgraded (cheap when none: the column is indexed). Not a change of
        grouping: the generation stays."""
        if self.conn.execute("SELECT 1 FROM events WHERE borderline IS NULL LIMIT 1").fetchone():
            with self._transaction():
                self._count_null_borderline()

    def _count_null_borderline(self) -> None:
        """Count the events whose ``borderline`` is NULL (inside the caller's transaction)."""
        for (event_id,) in self.conn.execute(
            "SELECT id FROM events WHERE borderline IS NULL"
        ).fetchall():
            self._count_borderline(event_id)

    def save_event_states(self, events: Iterable[EventState]) -> None:
        self.conn.executemany(
            "UPDATE events SET state = ? WHERE id = ?", ((ev.to_blob(), ev.id) for ev in events)
        )

    def load_storylines(self) -> list[StorylineState]:
        return [
            StorylineState.from_blob(row[0])
            for row in self.conn.execute("SELECT state FROM storylines ORDER BY rowid")
        ]

    def save_storylines(self, storylines: Iterable[StorylineState], run_id: int) -> None:
        for sl in storylines:
            first, last = self.conn.execute(
                "SELECT MIN(first_date), MAX(last_date) FROM events WHERE storyline = ?", (sl.id,)
            ).fetchone()
            self.conn.execute(
                """INSERT INTO storylines (id, title, first_date, last_date, events, state,
                       created_run, updated_run)
                   VALUES (?,?,?,?,?,?,?,?)
                   ON CONFLICT(id) DO UPDATE SET title=excluded.title,
                       first_date=excluded.first_date, last_date=excluded.last_date,
                       events=excluded.events, state=excluded.state,
                       updated_run=excluded.updated_run""",
                (
                    sl.id,
                    sl.title,
                    first,
                    last,
                    len(sl.events),
                    sl.to_blob(),
                    run_id,
                    run_id,
                ),
            )

    def merge_events(self, absorbed: str, into: str) -> None:
        """``absorbed`` was merged into ``into`` by the clusterer: re-point its articles and
        drop its row, in the batch's transaction (else a reload would bring it back)."""
        self.conn.execute("UPDATE articles SET event = ? WHERE event = ?", (into, absorbed))
        self.conn.execute("DELETE FROM events WHERE id = ?", (absorbed,))
        self.conn.execute("DELETE FROM corroboration WHERE event = ?", (absorbed,))

    def delete_storyline(self, storyline_id: str) -> None:
        self.conn.execute("DELETE FROM storylines WHERE id = ?", (storyline_id,))

    def load_provisional(self) -> dict[str, Any] | None:
        row = self.conn.execute(
            "SELECT value FROM meta WHERE key = 'provisional_storylines'"
        ).fetchone()
        return json.loads(row[0]) if row else None

    def save_provisional(self, data: dict[str, Any] | None) -> None:
        if data is None:
            self.conn.execute("DELETE FROM meta WHERE key = 'provisional_storylines'")
            return
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES ('provisional_storylines', ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (json.dumps(data, ensure_ascii=False),),
        )

    def load_frequencies(self) -> DocumentFrequencies:
        row = self.conn.execute(
            "SELECT value FROM meta WHERE key = 'document_frequencies'"
        ).fetchone()
        if not row:
            return DocumentFrequencies()
        data = json.loads(row[0])
        return DocumentFrequencies(df=Counter(data["df"]), n_docs=int(data["n_docs"]))

    def save_frequencies(self, df: DocumentFrequencies) -> None:
        blob = json.dumps({"df": df.df, "n_docs": df.n_docs}, ensure_ascii=False)
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES ('document_frequencies', ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (blob,),
        )

    def log(
        self,
        run_id: int,
        action: str,
        subject: str,
        other: str | None = None,
        article: str | None = None,
        detail: str | None = None,
    ) -> None:
        self.conn.execute(
            "INSERT INTO event_log (run_id, at, action, subject, other, article, detail) "
            "VALUES (?,?,?,?,?,?,?)",
            (run_id, _now(), action, subject, other, article, detail),
        )

    def record_rejection(self, run_id: int, rejection: Rejection) -> None:
        self.conn.execute(
            """INSERT INTO rejections (path, line, reason, first_run, last_run, seen)
               VALUES (?,?,?,?,?,1)
               ON CONFLICT(path, line, reason) DO UPDATE SET last_run = excluded.last_run,
                   seen = seen + 1""",
            (rejection.path, rejection.line or 0, rejection.reason, run_id, run_id),
        )

    def save_facts(self, article_id: str, data: dict[str, Any]) -> None:
        self.conn.execute(
            "INSERT INTO facts (article, data) VALUES (?, ?) "
            "ON CONFLICT(article) DO UPDATE SET data = excluded.data",
            (article_id, json.dumps(data, ensure_ascii=False)),
        )

    def save_corroboration(self, event_id: str, data: dict[str, Any]) -> None:
        rows = claims.table_rows(event_id, data)
        # The record and its claims table rows land together (inside the batch's
        # transaction, or in one of their own when called outside a batch).
        self.conn.execute("SAVEPOINT save_corroboration")
        try:
            self.conn.execute(
                "INSERT INTO corroboration (event, data) VALUES (?, ?) "
                "ON CONFLICT(event) DO UPDATE SET data = excluded.data",
                (event_id, json.dumps(data, ensure_ascii=False)),
            )
            self.conn.execute("DELETE FROM claims WHERE event = ?", (event_id,))
            self.conn.executemany(CLAIM_INSERT, rows)
        except BaseException:
            self.conn.execute("ROLLBACK TO save_corroboration")
            self.conn.execute("RELEASE save_corroboration")
            raise
        self.conn.execute("RELEASE save_corroboration")

    # ---- reads -----------------------------------------------------------
    def counts(self) -> dict[str, int]:
        one = self.conn.execute
        return {
            "articles": one("SELECT COUNT(*) FROM articles").fetchone()[0],
            "duplicates": one(
                "SELECT COUNT(*) FROM articles WHERE duplicate_of IS NOT NULL"
            ).fetchone()[0],
            "events": one("SELECT COUNT(*) FROM events").fetchone()[0],
            "storylines": one("SELECT COUNT(*) FROM storylines").fetchone()[0],
            "rejected": one("SELECT COUNT(*) FROM rejections").fetchone()[0],
        }

    def _event_row(self, row: sqlite3.Row) -> dict[str, Any]:
        return {
            "id": row["id"],
            "title": row["title"],
            "first_date": row["first_date"],
            "last_date": row["last_date"],
            "articles": row["articles"],
            "outlets": row["outlets"],
            "languages": [x for x in (row["languages"] or "").split(",") if x],
            "storyline": row["storyline"],
            "borderline": row["borderline"],
        }

    def list_events(
        self,
        limit: int | None = None,
        offset: int = 0,
        storyline: str | None = None,
        order: str = "recent",
        *,
        date_from: str | None = None,
        date_to: str | None = None,
        language: str | None = None,
        outlet: str | None = None,
        entity: str | None = None,
        query: str | None = None,
        borderline: bool = False,
    ) -> list[dict[str, Any]]:
        orders = {
            "recent": "COALESCE(last_date, '') DESC, articles DESC, id",
            "size": "articles DESC, COALESCE(last_date, '') DESC, id",
            "oldest": "COALESCE(first_date, '9999') ASC, id",
            "borderline": "borderline DESC, articles DESC, id",  # (NULL: last)
        }
        if order not in orders:
            raise ValueError(f"unknown order {order!r}")
        where, params = self._event_filters(
            storyline, date_from, date_to, language, outlet, entity, query, borderline
        )
        sql = "SELECT * FROM events" + where
        sql += f" ORDER BY {orders[order]}"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params += [limit, offset]
        return [self._event_row(r) for r in self.conn.execute(sql, params)]

    def get_event(self, event_id: str) -> dict[str, Any]:
        row = self.conn.execute("SELECT * FROM events WHERE id = ?", (event_id,)).fetchone()
        if row is None:
            self._raise_moved("event", event_id)
            raise NotFoundError(f"no event {event_id!r} in the store")
        return self._event_row(row)

    def _raise_moved(self, kind: str, old_id: str) -> None:
        """Raise :class:`MovedError` if ``old_id`` (an event or storyline not in the store)
        was merged: the log's merges are followed to the id that is live now."""
        action, table = (
            ("merge", "events") if kind == "event" else ("merge-storyline", "storylines")
        )
        seen, current = {old_id}, old_id
        while True:
            row = self._last_merge(current, action)
            if row is None:
                self._raise_pending(kind, current, old_id)
                return  # never merged: plainly not found
            if row[0] is None or row[0] in seen:
                return  # a broken chain: plainly not found
            current = row[0]
            seen.add(current)
            live = self.conn.execute(f"SELECT 1 FROM {table} WHERE id = ?", (current,)).fetchone()
            if live:
                raise MovedError(kind, old_id, current)

    def _last_merge(self, subject: str, action: str) -> sqlite3.Row | None:
        """The last ``action`` (merge, merge-storyline) row logged for ``subject``: its
        ``other`` the id it went into (None: a broken record)."""
        row: sqlite3.Row | None = self.conn.execute(
            "SELECT other FROM event_log WHERE subject = ? AND action = ? ORDER BY id DESC LIMIT 1",
            (subject, action),
        ).fetchone()
        return row

    def merged_into(self, event_id: str) -> str | None:
        row = self._last_merge(event_id, "merge")
        return None if row is None or row[0] is None else str(row[0])

    def _raise_pending(self, kind: str, gone: str, old_id: str) -> None:
        """Raise :class:`PendingError` if ``gone`` (``old_id``, or where its merges led)
        is an event or storyline the undo of the last run's end took away and the
        pipeline has not grouped or linked again yet (kept in the ``provisional_storylines``
        meta row: see Pipeline._save_provisional)."""
        data = self.load_provisional() or {}
        if kind == "event" and gone in (data.get("gone_events") or {}):
            # (its first article: only when it is the id asked for, not one merged into it)
            raise PendingError(kind, old_id, data["gone_events"][gone] if gone == old_id else None)
        if kind == "storyline" and gone in (data.get("gone") or {}):
            raise PendingError(kind, old_id)

    def event_articles(self, event_id: str) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            f"SELECT {ARTICLE_COLUMNS} FROM articles a LEFT JOIN events e ON e.id = a.event "
            "WHERE a.event = ? ORDER BY COALESCE(a.published, '9999'), a.seq",
            (event_id,),
        )
        return [dict(r) for r in rows]

    def list_storylines(self) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT id, title, first_date, last_date, events FROM storylines "
            "ORDER BY COALESCE(last_date, '') DESC, events DESC, id"
        )
        return [dict(r) for r in rows]

    def get_article(self, article_id: str, with_text: bool = True) -> dict[str, Any]:
        extra = ", a.text, a.raw, a.removed" if with_text else ""
        row = self.conn.execute(
            f"SELECT {ARTICLE_COLUMNS}{extra} FROM articles a "
            "LEFT JOIN events e ON e.id = a.event WHERE a.id = ?",
            (article_id,),
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no article {article_id!r} in the store")
        out = dict(row)
        if with_text:
            out["removed"] = json.loads(out["removed"] or "[]")
        return out

    def iter_articles(self, with_text: bool = False) -> Iterator[dict[str, Any]]:
        extra = ", a.text" if with_text else ""
        cur = self.conn.execute(
            f"SELECT {ARTICLE_COLUMNS}{extra} FROM articles a "
            "LEFT JOIN events e ON e.id = a.event ORDER BY a.seq"
        )
        for row in cur:
            yield dict(row)

    def article_facts(self, article_id: str) -> dict[str, Any] | None:
        row = self.conn.execute(
            "SELECT data FROM facts WHERE article = ?", (article_id,)
        ).fetchone()
        return json.loads(row[0]) if row else None

    def event_corroboration(self, event_id: str) -> dict[str, Any] | None:
        row = self.conn.execute(
            "SELECT data FROM corroboration WHERE event = ?", (event_id,)
        ).fetchone()
        return json.loads(row[0]) if row else None

    def all_corroboration(self) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT c.data FROM corroboration c JOIN events e ON e.id = c.event "
            "ORDER BY COALESCE(e.last_date, '') DESC, e.articles DESC, e.id"
        )
        return [json.loads(r[0]) for r in rows]

    def rejections(self) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT path, NULLIF(line, 0) AS line, reason, seen FROM rejections ORDER BY path, line"
        )
        return [dict(r) for r in rows]

    def event_log(self, subject: str | None = None) -> list[dict[str, Any]]:
        sql = "SELECT run_id, at, action, subject, other, article, detail FROM event_log"
        params: tuple[Any, ...] = ()
        if subject:
            sql += " WHERE subject = ? OR other = ?"
            params = (subject, subject)
        return [dict(r) for r in self.conn.execute(sql + " ORDER BY id", params)]

    def placements(self, article_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        query = (
            "SELECT article, detail FROM event_log WHERE article IN ({ids}) "
            "AND action IN ('create', 'join') AND detail IS NOT NULL ORDER BY id"
        )
        out: dict[str, dict[str, Any]] = {}
        for article, detail in self._where_ids(query, article_ids):
            try:
                found = json.loads(detail)
            except ValueError:
                continue  # not a placement (no row of this version writes such a detail)
            if isinstance(found, dict):
                out[article] = found  # the latest row wins
        return out

    # ---- reads for the web interface -------------------------------------
    @classmethod
    def open_read_only(cls, path: str | Path, timeout: float = 10.0) -> SQLiteStore:
        """Open an existing store file for reading only (no migrations, no writes).

        Raises StoreError when the file is missing or its schema is not current
        (open it once read-write, e.g. with any ``newsfold`` command, to upgrade)."""
        from newsfold.store.migrations import MIGRATIONS

        self = cls.__new__(cls)
        self.path = str(path)
        self._in_batch = False
        if not Path(self.path).is_file():
            raise StoreError(f"no store at {self.path}; create it with `newsfold run`")
        uri = "file:" + urllib.parse.quote(str(Path(self.path).resolve())) + "?mode=ro"
        try:
            self.conn = sqlite3.connect(
                uri, uri=True, timeout=timeout, isolation_level=None, check_same_thread=False
            )
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA query_only = ON")
            done = {row[0] for row in self.conn.execute("SELECT name FROM _migrations")}
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open the store {self.path}: {exc}") from exc
        missing = [fn.__name__ for fn in MIGRATIONS if fn.__name__ not in done]
        if missing:
            self.conn.close()
            raise StoreError(
                f"the store {self.path} needs an upgrade ({', '.join(missing)}); "
                "open it once without read-only"
            )
        return self

    def _event_filters(
        self,
        storyline: str | None,
        date_from: str | None,
        date_to: str | None,
        language: str | None,
        outlet: str | None,
        entity: str | None,
        query: str | None,
        borderline: bool = False,
    ) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if storyline:
            clauses.append("storyline = ?")
            params.append(storyline)
        if date_from:
            clauses.append("COALESCE(last_date, first_date) >= ?")
            params.append(date_from)
        if date_to:
            clauses.append("first_date <= ?")
            params.append(date_to)
        if language:
            clauses.append("(',' || COALESCE(languages, '') || ',') LIKE ?")
            params.append("%," + language.replace("%", "").replace("_", "") + ",%")
        if outlet:
            clauses.append("id IN (SELECT event FROM articles WHERE source = ?)")
            params.append(outlet)
        if entity:
            clauses.append(
                "id IN (SELECT a.event FROM fact_entities AS fe "
                "JOIN articles AS a ON a.id = fe.article WHERE fe.entity = ?)"
            )
            params.append(entity.strip())
        if query is not None:
            clauses.append(
                "id IN (SELECT a.event FROM article_search AS s "
                "JOIN articles AS a ON a.seq = s.rowid WHERE article_search MATCH ?)"
            )
            params.append(fts_query(query))
        if borderline:
            clauses.append("borderline > 0")
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), params

    def count_events(
        self,
        storyline: str | None = None,
        *,
        date_from: str | None = None,
        date_to: str | None = None,
        language: str | None = None,
        outlet: str | None = None,
        entity: str | None = None,
        query: str | None = None,
        borderline: bool = False,
    ) -> int:
        where, params = self._event_filters(
            storyline, date_from, date_to, language, outlet, entity, query, borderline
        )
        return int(self.conn.execute("SELECT COUNT(*) FROM events" + where, params).fetchone()[0])

    def search(self, query: str, limit: int = 20, offset: int = 0) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT a.id, a.title, a.event, e.storyline AS storyline, a.published, a.source, "
            "a.language, a.duplicate_of, "
            "snippet(article_search, 2, char(2), char(3), '…', 24) AS snippet, "
            "snippet(article_search, 3, char(2), char(3), '…', 12) AS facts_snippet "
            "FROM article_search AS s JOIN articles AS a ON a.seq = s.rowid "
            "LEFT JOIN events AS e ON e.id = a.event "
            "WHERE article_search MATCH ? "
            "ORDER BY bm25(article_search, 0.0, 8.0, 1.0, 2.0), a.seq LIMIT ? OFFSET ?",
            (fts_query(query), limit, offset),
        )
        out = []
        for row in rows:
            item = dict(row)
            snippet, facts = item.pop("snippet") or "", item.pop("facts_snippet") or ""
            if "\x02" not in snippet and "\x02" in facts:  # matched in the facts only
                item["snippet"] = [{"text": "facts: ", "match": False}, *_snippet_pieces(facts)]
            else:
                item["snippet"] = _snippet_pieces(snippet)
            out.append(item)
        return out

    def count_search(self, query: str) -> int:
        return int(
            self.conn.execute(
                "SELECT COUNT(*) FROM article_search WHERE article_search MATCH ?",
                (fts_query(query),),
            ).fetchone()[0]
        )

    def get_storyline(self, storyline_id: str) -> dict[str, Any]:
        row = self.conn.execute(
            "SELECT id, title, first_date, last_date, events FROM storylines WHERE id = ?",
            (storyline_id,),
        ).fetchone()
        if row is None:
            self._raise_moved("storyline", storyline_id)
            raise NotFoundError(f"no storyline {storyline_id!r} in the store")
        return dict(row)

    def article_facets(self) -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = {}
        for key, column in (("outlets", "source"), ("languages", "language")):
            rows = self.conn.execute(
                f"SELECT {column} AS name, COUNT(*) AS articles FROM articles "
                f"WHERE {column} IS NOT NULL AND {column} != '' "
                f"GROUP BY {column} ORDER BY articles DESC, {column}"
            )
            out[key] = [dict(r) for r in rows]
        return out

    def entities(self, limit: int = 100, event: str | None = None) -> list[dict[str, Any]]:
        where, params = (" WHERE a.event = ?", [event]) if event else ("", [])
        join = "FROM fact_entities AS fe JOIN articles AS a ON a.id = fe.article" + where
        rows = [
            dict(r)
            for r in self.conn.execute(
                "SELECT fe.entity AS name, COUNT(DISTINCT fe.article) AS articles, "
                f"COUNT(DISTINCT a.event) AS events {join} "
                "GROUP BY fe.entity ORDER BY articles DESC, events DESC, name LIMIT ?",
                [*params, limit],
            )
        ]
        # the label most mentions of the name carry (NER may disagree between articles)
        labels: dict[str, tuple[int, str]] = {}
        for name, label, count in self.conn.execute(
            f"SELECT fe.entity, fe.label, COUNT(*) {join} GROUP BY fe.entity, fe.label", params
        ):
            key = name.casefold()
            if label and (key not in labels or count > labels[key][0]):
                labels[key] = (count, label)
        for row in rows:
            row["label"] = labels.get(row["name"].casefold(), (0, None))[1]
        return rows

    def _claim_filters(
        self, event: str | None, conflicts: bool, thing: str | None
    ) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if event is not None:
            clauses.append("c.event = ?")
            params.append(event)
        if conflicts:
            clauses.append("c.conflict IS NOT NULL")
        if thing:
            # the text inside the thing (any case), or the same thing in another
            # language or wording ("Tote", "dead" -> the "death" claims)
            clauses.append("(instr(c.thing_fold, ?) > 0 OR c.thing_key = ?)")
            params += [thing.casefold(), claims.thing_key(thing)]
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), params

    def list_claims(
        self,
        limit: int | None = None,
        offset: int = 0,
        *,
        event: str | None = None,
        conflicts: bool = False,
        thing: str | None = None,
    ) -> list[dict[str, Any]]:
        where, params = self._claim_filters(event, conflicts, thing)
        sql = (
            # events outside (CROSS JOIN keeps that order): read in the events_recent
            # index's order, each event's claims by key, a page stops the scan early
            f"SELECT c.* FROM events AS e CROSS JOIN claims AS c ON c.event = e.id{where} "
            f"ORDER BY {CLAIM_ORDER}"
        )
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params += [limit, offset]
        return [claims.from_table(r) for r in self.conn.execute(sql, params)]

    def count_claims(
        self, *, event: str | None = None, conflicts: bool = False, thing: str | None = None
    ) -> int:
        where, params = self._claim_filters(event, conflicts, thing)
        sql = f"SELECT COUNT(*) FROM claims AS c JOIN events AS e ON e.id = c.event{where}"
        return int(self.conn.execute(sql, params).fetchone()[0])

    def event_origin_counts(self, event_ids: Iterable[str]) -> dict[str, int]:
        query = (
            "SELECT c.event, COUNT(DISTINCT j.value) FROM corroboration AS c, "
            "json_each(CASE WHEN json_valid(c.data) THEN c.data ELSE '{{}}' END, '$.origins') "
            "AS j WHERE c.event IN ({ids}) GROUP BY c.event"
        )
        return {row[0]: int(row[1]) for row in self._where_ids(query, event_ids)}


def fts_query(text: str) -> str:
    """A user's search words as a safe FTS5 query: every word must occur.

    ``"two words"`` stays a phrase and ``word*`` a prefix; all other FTS5 syntax
    (operators, columns, parentheses) is read as plain words, so no input is an error.
    A query with no words matches nothing."""
    parts: list[str] = []
    for phrase, word, star in re.findall(r'"([^"]*)"|(\w+)(\*?)', text or ""):
        if phrase:
            words = re.findall(r"\w+", phrase)
            if words:
                parts.append('"' + " ".join(words) + '"')
        elif word:
            parts.append(f'"{word}"' + ("*" if star else ""))
    # A term no text can hold: no words, no matches (instead of a syntax error).
    return " ".join(parts) if parts else '"\u0001"'


def _snippet_pieces(snippet: str) -> list[dict[str, Any]]:
    """FTS5 snippet text with char(2)/char(3) around matches -> [{"text", "match"}]."""
    pieces: list[dict[str, Any]] = []
    for i, part in enumerate(re.split("[\x02\x03]", snippet)):
        if part:
            pieces.append({"text": part, "match": i % 2 == 1})
    return pieces
