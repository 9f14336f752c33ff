"""An event's entities and quotations over its articles, and how `newsfold show` and
`newsfold facts` print them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from newsfold.cli import cli
from newsfold.facts.event_summary import event_entities, event_quotes, name_map
from newsfold.report import claims_table

SEEDS = Path(__file__).parents[2] / "shared" / "seeds"


def ent(start: int, text: str, label: str, canonical: str | None = None) -> dict[str, Any]:
    return {
        "start": start,
        "end": start + len(text),
        "text": text,
        "label": label,
        "canonical": canonical or text,
    }


def quote(text: str, speaker: str | None, kind: str = "direct") -> dict[str, Any]:
    return {"start": 0, "end": len(text), "text": text, "speaker": speaker, "kind": kind}


FACTS: dict[str, Any] = {
    # each article alone knows only one spelling; the event knows both
    "a": {
        "entities": [ent(0, "Jens Stoltenberg", "PERSON"), ent(30, "NATO", "ORG")],
        "quotes": [
            quote(
                "We have seen a significant movement of Russian forces into Belarus",
                "Jens Stoltenberg",
            )
        ],
    },
    "b": {
        "entities": [ent(0, "Stoltenberg", "GPE"), ent(20, "NATO", "ORG")],
        "quotes": [
            quote("a significant movement of Russian forces into Belarus", "Stoltenberg"),
            quote("We will not accept this", None),
        ],
    },
    "c": {
        "entities": [ent(0, "Stoltenberg", "PERSON"), "junk", {"text": ""}],
        "quotes": [quote("Entirely different words spoken here by him today", "Stoltenberg")],
    },
    "d": None,  # facts not extracted
}


def test_name_variants_are_merged_across_the_articles_of_an_event() -> None:
    rows = event_entities(FACTS)
    (person,) = [r for r in rows if r["name"] == "Jens Stoltenberg"]
    assert person["articles"] == 3
    assert person["mentions"] == 3
    assert person["label"] == "PERSON"  # the label most mentions got, not NER's GPE slip
    assert person["variants"] == ["Stoltenberg"]
    assert rows[0] is person  # named by most articles first
    assert not any(r["name"] == "Stoltenberg" for r in rows)
    assert name_map(FACTS)["Stoltenberg"] == "Jens Stoltenberg"


def test_quotations_are_grouped_by_speaker_and_wording() -> None:
    rows = event_quotes(FACTS, order={"b": 0, "a": 1, "c": 2})
    first = rows[0]
    assert first["speaker"] == "Jens Stoltenberg"
    assert first["articles"] == ["b", "a"]  # a trimmed rewording joins; ranked by order
    assert first["first"] == "b"
    assert first["text"].startswith("We have seen")  # the longest wording is shown
    assert len(rows) == 3  # other words, and an unknown speaker, stay apart
    assert {r["speaker"] for r in rows[1:]} == {"Jens Stoltenberg", None}


def test_claims_table_prints_conflict_reasons_in_full() -> None:
    reason = "30,000 stated as forecast (000, 001) and as fact (000, 002) " + "x" * 200
    item = {
        "event": "ev-1",
        "thing": "troops",
        "values": [30000.0],
        "modalities": ["forecast", "fact"],
        "articles": ["000", "001", "002"],
        "origins": 1,
        "first": "000",
        "conflict": reason,
    }
    out = claims_table([item])
    assert "ev-1: troops (30,000): " + reason in out
    inner = claims_table([item], with_event=False)
    assert "ev-1" not in inner and "troops (30,000): " + reason in inner


@pytest.mark.slow
@pytest.mark.skipif(not (SEEDS / "EXPECTED.md").exists(), reason="shared/seeds not available")
def test_show_prints_what_an_event_says_together(tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    runner = CliRunner()
    assert runner.invoke(cli, ["run", str(SEEDS), "--db", db, "-q"]).exit_code == 0
    events = json.loads(runner.invoke(cli, ["events", "--db", db, "--json"]).output)
    (e1,) = [e for e in events if e["articles"] == 3]
    shown = runner.invoke(cli, ["show", e1["id"], "--db", db])
    assert shown.exit_code == 0, shown.output
    out = shown.output
    assert "independent origins: 1" in out
    assert "Conflicts:" in out and "30,000 stated as forecast" in out
    assert "Who and where" in out and "Quotations" in out
    data = json.loads(runner.invoke(cli, ["show", e1["id"], "--db", db, "--json"]).output)
    (person,) = [e for e in data["entities"] if e["name"] == "Jens Stoltenberg"]
    assert person["articles"] == 3 and "Stoltenberg" in person["variants"]
    widest = data["quotes"][0]
    assert widest["speaker"] == "Jens Stoltenberg" and len(widest["articles"]) == 3


def test_show_marks_how_each_article_was_placed(tmp_path: Path) -> None:
    from newsfold.report import placement_label
    from test_web_fixtures import build_store

    assert placement_label(None) == "" and placement_label({"copy": True}) == "same text"
    assert placement_label({"threshold": 0.5, "borderline": False}) == "founded"
    assert placement_label({"score": 0.553, "borderline": True}) == "joined 0.55 ?"
    db = tmp_path / "w.db"
    ids = build_store(db)
    shown = CliRunner().invoke(cli, ["show", ids["flood"], "--db", str(db)]).output
    assert "borderline placements: 1 (marked ?" in shown
    rows = {line.split()[0]: line for line in shown.splitlines() if "flood" in line[:30]}
    assert "founded" in rows["wire/flood-1.txt"]
    assert "same text" in rows["ledger/flood-copy.txt"]
    assert "joined 0.55 ?" in rows["courier/flood-local.txt"]
    # and a section naming the event that came close, by id and title
    section = shown[shown.index("Borderline placements") :]
    local = next(line for line in section.splitlines() if line.startswith("courier/"))
    assert "ev-flood2" in local and "0.41" in local and "Oska flood toll rises to 61" in local
    from newsfold.store import SQLiteStore

    store = SQLiteStore(db)
    assert store.event_title("ev-flood2") == ("ev-flood2", "Oska flood toll rises to 61")
    assert store.event_title("ev-nothing") is None
    with store.batch():  # an id merged away leads to the live event's title
        store.log(store.start_run("test"), "merge", "ev-old", other="ev-flood2")
    assert store.event_title("ev-old") == ("ev-flood2", "Oska flood toll rises to 61")
    store.close()


def test_events_lists_those_worth_a_check(tmp_path: Path) -> None:
    from newsfold.report import overview
    from newsfold.store import SQLiteStore
    from test_web_fixtures import build_store

    db = tmp_path / "w.db"
    ids = build_store(db)
    runner = CliRunner()
    listed = runner.invoke(cli, ["events", "--db", str(db), "--borderline"])
    assert listed.exit_code == 0, listed.output
    head, _, *rows = listed.output.splitlines()
    assert "borderline" in head.split()
    assert sorted(r.split()[0] for r in rows) == sorted([ids["flood"], ids["hostile"]])
    data = json.loads(
        runner.invoke(cli, ["events", "--db", str(db), "--json", "--sort", "borderline"]).output
    )
    assert [e["borderline"] for e in data[:3]] == [1, 1, 0]
    assert {e["id"] for e in data[:2]} == {ids["flood"], ids["hostile"]}
    store = SQLiteStore(db)
    assert overview(store).endswith(
        "2 event(s) hold borderline placements, worth a check: newsfold events --borderline"
    )
    store.close()
    assert "--borderline" in runner.invoke(cli, ["events", "--help"]).output
