"""The store reads the web interface needs: the m002_search migration (FTS5 and
entity index, kept current by triggers), event filters, search and read-only opening."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from newsfold.errors import NotFoundError, StoreError
from newsfold.store import SQLiteStore, open_store
from newsfold.store.claims import claim_rows
from newsfold.store.sqlite import fts_query
from test_web_fixtures import build_store


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "store.db"
    build_store(path)
    return path


def test_migration_fills_the_index_from_existing_rows(db: Path) -> None:
    conn = sqlite3.connect(db)
    conn.executescript(
        """
        DROP TRIGGER article_search_ai; DROP TRIGGER article_search_au;
        DROP TRIGGER article_search_ad; DROP TRIGGER facts_search_ai;
        DROP TRIGGER facts_search_au; DROP TRIGGER facts_search_ad;
        DROP TABLE article_search; DROP TABLE fact_entities;
        DELETE FROM _migrations WHERE name = 'm002_search';
        """
    )
    conn.close()
    with pytest.raises(StoreError, match="needs an upgrade"):
        SQLiteStore.open_read_only(db)
    store = SQLiteStore(db)  # applies m002_search again, over the stored rows
    try:
        assert store.count_search("okafor") == 4
        assert store.count_search("homes_damaged") == 1  # a facts word
        assert {e["name"] for e in store.entities()} >= {"Lena Okafor", "Dunmere", "Teleria"}
        assert store.count_events(entity="DUNMERE") == 2
    finally:
        store.close()


def test_triggers_follow_new_and_changed_facts(db: Path) -> None:
    store = SQLiteStore(db)
    try:
        with store.batch():
            store.save_facts(
                "misc/undated.txt",
                {
                    "entities": [
                        {
                            "start": 0,
                            "end": 6,
                            "text": "Nobody",
                            "label": "PERSON",
                            "canonical": "Zorblax",
                        },
                        "not an object",
                        {"text": ""},
                    ]
                },
            )
        assert store.count_events(entity="zorblax") == 1
        assert store.count_search("zorblax") == 1
        with store.batch():
            store.save_facts(
                "misc/undated.txt",
                {"entities": [], "quotes": [{"text": "nobody", "speaker": "Quimby"}]},
            )
        assert store.count_events(entity="zorblax") == 0
        assert store.count_search("zorblax") == 0 and store.count_search("quimby") == 1
        with store.batch():
            store.save_facts("misc/undated.txt", "not json at all")  # type: ignore[arg-type]  # hostile record
        assert store.count_search("quimby") == 0
        assert store.count_search("nobody knows") == 1  # the text stays searchable
    finally:
        store.close()


def test_fresh_store_indexes_articles_as_they_arrive() -> None:
    store = open_store("sqlite:///:memory:")
    try:
        assert store.count_search("anything") == 0
        assert store.search("anything") == []
        assert store.entities() == [] and store.article_facets() == {"outlets": [], "languages": []}
        assert (
            store.count_events(
                query="x",
                entity="y",
                language="en",
                outlet="z",
                date_from="2025-01-01",
                date_to="2025-12-31",
            )
            == 0
        )
        assert store.event_origin_counts([]) == {}
        with pytest.raises(NotFoundError):
            store.get_storyline("sl-none")
    finally:
        store.close()


def test_event_filters_combine(db: Path) -> None:
    store = SQLiteStore.open_read_only(db)
    try:
        rows = store.list_events(order="oldest", date_from="2025-03-01", date_to="2025-03-31")
        assert [r["id"] for r in rows] == ["ev-flood1", "ev-flood2"]
        assert store.list_events(language="fr", outlet="Nordvik Courier") == []
        assert [r["id"] for r in store.list_events(language="fr", outlet="Meridian Wire")] == [
            "ev-flood2"
        ]  # each filter holds for some article of the event
        assert store.list_events(language="%") == []  # LIKE wildcards are not wildcards
        assert store.count_events(query="oska", storyline="sl-floods") == 2
        assert store.count_events(query="") == 0
        assert len(store.list_events(limit=5, offset=0)) == 5
        assert store.list_events(limit=5)[0]["id"] == "ev-hostile"
        assert store.event_origin_counts(["ev-flood1", "ev-undated"]) == {"ev-flood1": 2}
        facets = store.article_facets()
        assert facets["outlets"][0] == {"name": "Eastgate Times", "articles": 30}
        assert {"name": "fr", "articles": 1} in facets["languages"]
        assert store.entities(event="ev-troops1") == [
            {"name": "Teleria", "label": "GPE", "articles": 1, "events": 1}
        ]
    finally:
        store.close()


def test_search_ranks_and_snippets(db: Path) -> None:
    store = SQLiteStore.open_read_only(db)
    try:
        hits = store.search("okafor")
        assert len(hits) == store.count_search("okafor") == 4
        assert all(any(p["match"] for p in h["snippet"]) for h in hits)
        assert all(
            "\x02" not in p["text"] and "\x03" not in p["text"] for h in hits for p in h["snippet"]
        )
        assert {h["id"] for h in store.search('"never seen water"')} == {
            "wire/flood-1.txt",
            "ledger/flood-copy.txt",
        }
        assert store.search('"seen never water"') == []  # a phrase keeps its order
        assert store.count_search("flood*") >= 4
        facts_only = store.search("injured")  # a claim's thing, not a word of the text
        assert facts_only and facts_only[0]["snippet"][0] == {"text": "facts: ", "match": False}
        page = store.search("oska", limit=2, offset=2)
        assert len(page) == 2
        assert {h["id"] for h in store.search("dunmère")} == {
            h["id"] for h in store.search("dunmere")
        }  # accents folded
    finally:
        store.close()


@pytest.mark.parametrize(
    "text",
    [
        '"',
        '""',
        "AND",
        "a OR b",
        "NOT x",
        "title:x",
        "((x",
        "x*",
        "*",
        "-x",
        "^x",
        "NEAR(a b)",
        "x + y",
        "'",
        "\x00",
        "{a b}",
        ":",
        'a"b"c',
        "ünï",
        "💥",
        "",
    ],
)
def test_fts_query_never_fails(db: Path, text: str) -> None:
    store = SQLiteStore.open_read_only(db)
    try:
        store.count_search(text)
        store.search(text)
        store.count_events(query=text)
    finally:
        store.close()
    assert fts_query("a b") == '"a" "b"'
    assert fts_query('"a  b" c*') == '"a b" "c"*'


def test_read_only_store_cannot_write(db: Path, tmp_path: Path) -> None:
    store = SQLiteStore.open_read_only(db)
    try:
        with pytest.raises(sqlite3.OperationalError):
            store.conn.execute("DELETE FROM articles")
        assert store.counts()["articles"] > 0
    finally:
        store.close()
    with pytest.raises(StoreError, match="no store"):
        SQLiteStore.open_read_only(tmp_path / "missing.db")
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError):
        SQLiteStore.open_read_only(junk)


# ------------------------------------------------------------------ claims table (m003)


def _claims_from_records(store: SQLiteStore) -> list[dict[str, Any]]:
    """What the facts pages listed before m003: every record's claim rows, in order."""
    rows = []
    for (data,) in store.conn.execute(
        "SELECT c.data FROM corroboration c JOIN events e ON e.id = c.event "
        "ORDER BY COALESCE(e.last_date, '') DESC, e.articles DESC, e.id"
    ):
        if data.startswith("{"):
            record = json.loads(data)
            rows += [dict(row, event=record["event"]) for row in claim_rows(record)]
    return rows


def test_claims_migration_fills_rows_from_stored_records(db: Path) -> None:
    conn = sqlite3.connect(db)
    conn.executescript(
        """
        DROP TRIGGER corroboration_claims_ad; DROP TABLE claims; DROP INDEX events_recent;
        DELETE FROM _migrations WHERE name = 'm003_claims';
        INSERT INTO corroboration (event, data) VALUES ('ev-filler00', 'not json');
        INSERT INTO corroboration (event, data) VALUES ('ev-filler01', '[1, 2]');
        """
    )
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="m003_claims"):
        SQLiteStore.open_read_only(db)
    SQLiteStore(db).close()  # an old store upgrades: m003 reads its records
    store = SQLiteStore.open_read_only(db)
    try:
        expected = _claims_from_records(store)
        assert len(expected) == 6
        assert store.list_claims() == expected
        assert store.count_claims() == 6
        assert store.list_claims(limit=2, offset=1) == expected[1:3]
        assert store.count_claims(conflicts=True) == 3
        assert [r["thing"] for r in store.list_claims(event="ev-flood1")] == [
            "deaths",
            "homes_damaged",
        ]
        assert store.list_claims(event="ev-filler00") == []
    finally:
        store.close()


def test_claims_follow_saved_corroboration(db: Path) -> None:
    store = SQLiteStore(db)
    try:
        record = store.event_corroboration("ev-flood1")
        assert record is not None
        with store.batch():
            record["claims"] = record["claims"][1:]  # the deaths claim is gone
            store.save_corroboration("ev-flood1", record)
        assert [r["thing"] for r in store.list_claims(event="ev-flood1")] == ["homes_damaged"]
        assert store.list_claims() == _claims_from_records(store)
        with store.batch():
            store.merge_events("ev-flood1", "ev-flood2")  # drops the absorbed record
        assert store.count_claims(event="ev-flood1") == 0
        assert (
            store.conn.execute("SELECT COUNT(*) FROM claims WHERE event = 'ev-flood1'").fetchone()[
                0
            ]
            == 0
        )
        # outside a batch the record and its rows still land together, or neither
        store.conn.execute("DROP INDEX claims_thing_key")
        store.conn.execute("ALTER TABLE claims RENAME TO claims_gone")
        before = store.event_corroboration("ev-flood2")
        with pytest.raises(sqlite3.OperationalError):
            store.save_corroboration("ev-flood2", {"event": "ev-flood2", "claims": []})
        assert store.event_corroboration("ev-flood2") == before
        assert not store.conn.in_transaction
    finally:
        store.close()


def test_claim_filters(db: Path) -> None:
    store = SQLiteStore.open_read_only(db)
    try:
        deaths = [r["event"] for r in store.list_claims(thing="DEATH")]
        assert deaths == ["ev-flood2", "ev-flood1"]  # text inside the thing, any case
        for other_words in ("Tote", "morts", "dead", "fatalities"):  # the same thing
            assert [r["event"] for r in store.list_claims(thing=other_words)] == deaths
        assert store.count_claims(thing="Tote", conflicts=True) == 1
        assert store.count_claims(thing="%") == 0  # no LIKE wildcards
        assert store.count_claims(thing="<script>") == 1
        assert store.count_claims(event="ev-nope") == 0
    finally:
        store.close()
