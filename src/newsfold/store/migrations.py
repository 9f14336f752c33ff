"""Schema migrations for the SQLite store: ordered functions, each applied once.

As in simonw/llm: a function per step, registered in order, recorded in
``_migrations`` by name. Never edit a released migration; add a new one.
"""

from __future__ import annotations

import datetime as dt
import json
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


def run_script(conn: sqlite3.Connection, script: str) -> None:
    """Execute ``script`` statement by statement inside the current transaction.

    ``executescript`` would COMMIT first and run each statement on its own, so a crash
    while a store is being created would leave half a schema behind.
    """
    if not conn.in_transaction:
        conn.execute("BEGIN")
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            conn.execute(pending)
            pending = ""
    if pending.strip():
        raise ValueError(f"incomplete SQL statement in a migration: {pending.strip()[:60]}")


@migration
def m001_initial(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
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
        """,
    )


# The searchable words a facts record adds to its article's text: canonical names,
# what numbers count (thing, subject) and who is quoted.
_FACTS_WORDS = (
    "SELECT COALESCE(group_concat(DISTINCT j.value), '') FROM json_tree("
    "CASE WHEN json_valid({data}) THEN {data} ELSE '{{}}' END) AS j "
    "WHERE j.type = 'text' AND j.key IN ('canonical', 'thing', 'subject', 'speaker')"
)
# The distinct entity names (canonical, else as written) of the facts records of ``{src}``.
_FACT_ENTITIES = (
    "INSERT INTO fact_entities (article, entity, label) "
    "SELECT DISTINCT {article}, trim(COALESCE(NULLIF(json_extract(j.value, '$.canonical'), ''), "
    "json_extract(j.value, '$.text'))) AS name, json_extract(j.value, '$.label') "
    "FROM {src}json_each(CASE WHEN json_valid({data}) THEN {data} ELSE '{{}}' END, "
    "'$.entities') AS j WHERE j.type = 'object' AND name IS NOT NULL AND name != ''"
)


@migration
def m002_search(conn: sqlite3.Connection) -> None:
    """Full-text search over articles and their facts (FTS5), and an entity index.

    ``article_search`` holds one row per article, its rowid the article's ``seq``:
    title, cleaned text and the searchable words of its facts. ``fact_entities``
    lists the entity names of each article's facts. Triggers keep both current as
    articles and facts are written, so the pipeline needs no change.
    """
    if not conn.in_transaction:
        conn.execute("BEGIN")  # DDL included: all of this migration lands, or none of it
    conn.execute(
        "CREATE VIRTUAL TABLE article_search USING fts5("
        "article UNINDEXED, title, text, facts, tokenize = 'unicode61 remove_diacritics 2')"
    )
    conn.execute(
        "CREATE TABLE fact_entities ("
        "article TEXT NOT NULL, entity TEXT NOT NULL COLLATE NOCASE, label TEXT)"
    )
    conn.execute("CREATE INDEX fact_entities_entity ON fact_entities(entity)")
    conn.execute("CREATE INDEX fact_entities_article ON fact_entities(article)")
    facts_of_new = (
        "COALESCE((SELECT (" + _FACTS_WORDS.format(data="f.data") + ") FROM facts AS f "
        "WHERE f.article = new.id), '')"
    )
    insert_row = (
        "INSERT INTO article_search (rowid, article, title, text, facts) "
        f"VALUES (new.seq, new.id, new.title, new.text, {facts_of_new});"
    )
    conn.execute(
        f"CREATE TRIGGER article_search_ai AFTER INSERT ON articles BEGIN {insert_row} END"
    )
    conn.execute(
        "CREATE TRIGGER article_search_au AFTER UPDATE OF id, seq, title, text ON articles BEGIN "
        f"DELETE FROM article_search WHERE rowid = old.seq; {insert_row} END"
    )
    conn.execute(
        "CREATE TRIGGER article_search_ad AFTER DELETE ON articles BEGIN "
        "DELETE FROM article_search WHERE rowid = old.seq; END"
    )
    set_facts = (
        "UPDATE article_search SET facts = (" + _FACTS_WORDS.format(data="new.data") + ") "
        "WHERE rowid = (SELECT seq FROM articles WHERE id = new.article);"
    )
    new_entities = _FACT_ENTITIES.format(article="new.article", src="", data="new.data") + ";"
    conn.execute(
        f"CREATE TRIGGER facts_search_ai AFTER INSERT ON facts BEGIN {set_facts} {new_entities} END"
    )
    conn.execute(
        "CREATE TRIGGER facts_search_au AFTER UPDATE ON facts BEGIN "
        f"DELETE FROM fact_entities WHERE article = old.article; {set_facts} {new_entities} END"
    )
    conn.execute(
        "CREATE TRIGGER facts_search_ad AFTER DELETE ON facts BEGIN "
        "DELETE FROM fact_entities WHERE article = old.article; "
        "UPDATE article_search SET facts = '' "
        "WHERE rowid = (SELECT seq FROM articles WHERE id = old.article); END"
    )
    # Rows written before this migration.
    conn.execute(
        "INSERT INTO article_search (rowid, article, title, text, facts) "
        "SELECT a.seq, a.id, a.title, a.text, COALESCE((SELECT ("
        + _FACTS_WORDS.format(data="f.data")
        + ") FROM facts AS f WHERE f.article = a.id), '') FROM articles AS a"
    )
    conn.execute(_FACT_ENTITIES.format(article="f.article", src="facts AS f, ", data="f.data"))


# The columns of the ``claims`` table, in the order of ``claims.table_rows``.
CLAIM_COLUMNS = (
    "event, position, thing, thing_fold, thing_key, subject, vals, values_text, modalities, "
    "articles, origins, first, conflict, members, value_detail"
)


@migration
def m003_claims(conn: sqlite3.Connection) -> None:
    """Claim groups as rows, so the facts page and ``/api/facts`` page with SQL.

    ``claims`` holds one row per claim group of each event's corroboration record, in
    the order the event's claims table shows them (``position``): thing (also
    case-folded, and its language-independent ``thing_key``), subject, values, how
    they were stated, articles, independent origins, the first reporter and the
    conflict, plus what the API shows of each (value text, members, detail). It is
    filled here from the stored records and rewritten by ``save_corroboration`` in the
    same transaction; deleting a record deletes its rows (trigger). An index on the
    events' listing order lets the claims of all events come out page by page.
    """
    from newsfold.store.claims import table_rows

    if not conn.in_transaction:
        conn.execute("BEGIN")  # DDL included: all of this migration lands, or none of it
    conn.execute(
        "CREATE TABLE claims ("
        "event TEXT NOT NULL, position INTEGER NOT NULL, thing TEXT NOT NULL, "
        "thing_fold TEXT NOT NULL, thing_key TEXT NOT NULL, subject TEXT, "
        "vals TEXT NOT NULL, values_text TEXT NOT NULL, modalities TEXT NOT NULL, "
        "articles TEXT NOT NULL, origins INTEGER, first TEXT, conflict TEXT, "
        "members TEXT NOT NULL, value_detail TEXT NOT NULL, "
        "PRIMARY KEY (event, position)) WITHOUT ROWID"
    )
    conn.execute("CREATE INDEX claims_thing_key ON claims(thing_key)")
    conn.execute("CREATE INDEX claims_conflict ON claims(event) WHERE conflict IS NOT NULL")
    conn.execute(
        "CREATE INDEX events_recent ON events(COALESCE(last_date, '') DESC, articles DESC, id)"
    )
    conn.execute(
        "CREATE TRIGGER corroboration_claims_ad AFTER DELETE ON corroboration BEGIN "
        "DELETE FROM claims WHERE event = old.event; END"
    )
    insert = f"INSERT INTO claims ({CLAIM_COLUMNS}) VALUES ({', '.join('?' * 15)})"
    for event, data in conn.execute("SELECT event, data FROM corroboration"):
        try:
            record = json.loads(data)
        except (TypeError, ValueError):
            continue  # a malformed record has no claims to show (its pages say so)
        conn.executemany(insert, table_rows(event, record))


@migration
def m004_event_log_ids(conn: sqlite3.Connection) -> None:
    """Indexes on ``event_log`` by id: an event page reads the history of one event (rows
    naming it as subject or other), and an id that was merged away is followed to the
    event or storyline it went into. Without them both read the whole log, one row per
    article joined."""
    if not conn.in_transaction:
        conn.execute("BEGIN")  # DDL included: both indexes and the record land, or none
    conn.execute("CREATE INDEX event_log_subject ON event_log(subject, action)")
    conn.execute("CREATE INDEX event_log_other ON event_log(other)")


# Tables whose changes the end of a run records so that the next run can undo them
# (m005_undo): everything grouping writes except ``facts`` (an article's facts do not
# depend on what it joined; a waiting article keeps them) and the tables triggers derive
# (``article_search``, ``fact_entities``). ``runs`` and the meta key ``generation`` are
# bookkeeping, never undone.
UNDONE_TABLES = (
    "articles",
    "events",
    "storylines",
    "event_log",
    "rejections",
    "corroboration",
    "claims",
    "meta",
)
# The columns of ``articles`` grouping writes (the rest is the stored input, the same
# whenever the article is grouped): only these are kept, not a copy of every text.
ARTICLE_GROUPING_COLUMNS = (
    "id",
    "seq",
    "published",
    "date_source",
    "date_confidence",
    "date_evidence",
    "duplicate_of",
    "event",
    "minhash",
)


def undo_columns(conn: sqlite3.Connection, table: str) -> list[str]:
    """The columns of ``table`` whose old values the undo log keeps."""
    if table == "articles":
        return list(ARTICLE_GROUPING_COLUMNS)
    return [str(row[1]) for row in conn.execute(f"PRAGMA table_info({table})")]


# The columns an inserted row's log entry keeps (its undo deletes the row, or makes an
# article wait again): its key, and what :meth:`SQLiteStore.undo` reads back (an
# inserted article's grouping columns, an event_log row's subject and founding article).
# Tables not named keep every column; the rest of these rows is NULL (m006: an event's
# state blob is not copied into the log when it is created).
INSERT_KEEPS = {
    "events": ("id",),
    "storylines": ("id",),
    "corroboration": ("event",),
    "claims": ("event", "position"),
    "meta": ("key",),
}


def install_undo_triggers(
    conn: sqlite3.Connection, *, compact: bool = True, tables: bool = True
) -> None:
    """(Re)create the triggers that record, while ``undo_state`` holds a row, every row
    of :data:`UNDONE_TABLES` the transaction inserts, updates or deletes: a row of
    ``undo_log`` (order, table, operation, rowid) and in ``undo__<table>`` the row's old
    values (an insert: its new values, for its key), typed as stored: no text round trip
    (a REAL restored through ``quote()`` may lose its last digits). An inserted article
    is undone by making it wait again (it stays stored), so deleting one while recording
    is refused.

    ``compact`` (m006): a row's old values are kept once, at its first update or delete
    since recording began (an undo restores that image, whatever came after), and an
    insert keeps only :data:`INSERT_KEEPS`. m005 installed the triggers without it (an
    entry per write, whole rows); :meth:`SQLiteStore.undo` replays either log. ``claims``
    rows (no rowid) keep an entry per write. ``tables``: (re)create the ``undo__`` tables
    too, dropping any log they hold.

    A later migration that adds a column to one of these tables must call this again."""
    for table in UNDONE_TABLES:
        cols = undo_columns(conn, table)
        if tables:
            conn.execute(f"DROP TABLE IF EXISTS undo__{table}")
            conn.execute(
                f"CREATE TABLE undo__{table} (log_id INTEGER PRIMARY KEY, {', '.join(cols)})"
            )
        rowid = "NULL" if table == "claims" else "{row}.rowid"
        skip = " AND {row}.key != 'generation'" if table == "meta" else ""
        for op, when, row in (
            ("insert", "INSERT", "new"),
            ("update", "UPDATE", "old"),
            ("delete", "DELETE", "old"),
        ):
            conn.execute(f"DROP TRIGGER IF EXISTS undo_{table}_{op}")
            once = ""
            if compact and op != "insert" and table != "claims":
                once = (
                    f" AND NOT EXISTS (SELECT 1 FROM undo_log WHERE tbl = '{table}' "
                    f"AND rid = {row}.rowid)"
                )
            head = (
                f"CREATE TRIGGER undo_{table}_{op} AFTER {when} ON {table} "
                f"WHEN EXISTS (SELECT 1 FROM undo_state){skip.format(row=row)}{once} BEGIN "
            )
            if table == "articles" and op == "delete":
                conn.execute(
                    head + "SELECT RAISE(ABORT, 'an article cannot be deleted while the end "
                    "of a run is recorded'); END"
                )
                continue
            keep = INSERT_KEEPS.get(table, cols) if compact and op == "insert" else cols
            values = ", ".join(f"{row}.{c}" if c in keep else "NULL" for c in cols)
            conn.execute(
                head + "INSERT INTO undo_log (run_id, tbl, op, rid) VALUES "
                f"((SELECT run_id FROM undo_state), '{table}', '{op}', {rowid.format(row=row)}); "
                f"INSERT INTO undo__{table} (log_id, {', '.join(cols)}) "
                f"VALUES (last_insert_rowid(), {values}); END"
            )


@migration
def m005_undo(conn: sqlite3.Connection) -> None:
    """An undo log for the end of a run. Undated reports wait for the end of their run;
    what grouping them there writes is recorded (:func:`install_undo_triggers`) and undone
    by the next run before it groups anything, which then groups them again after its
    own dated reports: so where runs are cut does not change what they join. An undone
    article stays stored, waiting (``event`` NULL), its facts kept."""
    if not conn.in_transaction:
        conn.execute("BEGIN")  # DDL included: all of this migration lands, or none of it
    conn.execute("CREATE TABLE undo_state (id INTEGER PRIMARY KEY CHECK (id = 0), run_id INTEGER)")
    conn.execute(
        "CREATE TABLE undo_log (id INTEGER PRIMARY KEY, run_id INTEGER, tbl TEXT NOT NULL, "
        "op TEXT NOT NULL, rid INTEGER)"
    )
    install_undo_triggers(conn, compact=False)


@migration
def m006_undo_compact(conn: sqlite3.Connection) -> None:
    """A smaller undo log, found by index. Each row's old values are kept once per
    recording (at its first update or delete), and an inserted row keeps its key only:
    the end of a run updates its events' state blobs batch after batch, and the m005 log
    held a copy of the blob per write (more bytes than the events table itself). Indexes
    let the triggers find a row's entry, and a run ask whose log it is, without a scan.
    A log m005 left pending stays (the undo replays both forms)."""
    if not conn.in_transaction:
        conn.execute("BEGIN")  # DDL included: all of this migration lands, or none of it
    conn.execute("CREATE INDEX undo_log_row ON undo_log(tbl, rid)")
    conn.execute("CREATE INDEX undo_log_run ON undo_log(run_id)")
    install_undo_triggers(conn, tables=False)


@migration
def m007_event_log_article(conn: sqlite3.Connection) -> None:
    """An index on ``event_log`` by article: an event's page and ``newsfold show`` read how
    each of its articles was placed (the ``create``/``join`` row's detail: its score and
    the best other event) for the articles shown, not by reading the whole log."""
    if not conn.in_transaction:
        conn.execute("BEGIN")  # DDL included: the index and the record land, or neither
    conn.execute("CREATE INDEX event_log_article ON event_log(article) WHERE article IS NOT NULL")


@migration
def m008_event_borderline(conn: sqlite3.Connection) -> None:
    """``events.borderline``: how many of an event's articles were placed close to the
    join threshold or with another event scoring as high (the "?" marks of its page),
    kept up to date whenever the event is saved, so that the list of events can show,
    filter and sort by it without reading every article's placement. NULL: not counted
    yet; :class:`~newsfold.store.sqlite.SQLiteStore` counts those events when it opens
    the store read-write (here: every event of an existing store)."""
    if not conn.in_transaction:
        conn.execute("BEGIN")  # DDL included: all of this migration lands, or none of it
    conn.execute("ALTER TABLE events ADD COLUMN borderline INTEGER")
    # the list's filter (borderline > 0) and its order, most borderline first
    conn.execute("CREATE INDEX events_borderline ON events(borderline DESC, articles DESC, id)")
    # the undo log keeps an event's old values, this column included; a log pending now
    # keeps its rows (an image without the count restores NULL: the undo counts it)
    conn.execute("ALTER TABLE undo__events ADD COLUMN borderline INTEGER")
    install_undo_triggers(conn, tables=False)
