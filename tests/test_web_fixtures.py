"""A small store for the web tests, written through the Store interface only.

It holds two storylines of real-looking events (a flood whose death toll rises,
a border build-up whose troop count grows), an undated event, enough filler
events to paginate, and hostile input everywhere a page shows article data:
titles with ``<script>``, attributes with ``onerror``, ``javascript:`` URLs and
markup in facts.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

from newsfold.events import EventState
from newsfold.models import Article
from newsfold.store import SQLiteStore
from newsfold.storylines import StorylineState

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
FORMULA = '=HYPERLINK("http://evil.example")'  # spreadsheet formula injection
HOSTILE_EVENT = "ev-hostile"
FLOOD_1 = "ev-flood1"
FLOOD_2 = "ev-flood2"
TROOPS_1 = "ev-troops1"
TROOPS_2 = "ev-troops2"
UNDATED = "ev-undated"
FLOODS = "sl-floods"
BORDER = "sl-border"
FILLER_EVENTS = 30

FLOOD_TEXT = (
    "The River Oska burst its banks on Tuesday, flooding Dunmere and Brannock. "
    "At least 42 people died, Meridian Wire reported. "
    '"We have never seen water like this," said Governor Lena Okafor. '
    "Rescue teams searched the valley through the night."
)
FLOOD_COPY = FLOOD_TEXT.replace("through the night", "until dawn")
FLOOD_LOCAL = (
    "Floods in the Oska valley killed 45 people, the regional governor said on Wednesday. "
    "Governor Lena Okafor asked for army help in Brannock. "
    "Some 2,000 homes were damaged."
)
FLOOD_RISE = (
    "The death toll from the Oska floods rose to 61 on Sunday, with nine people missing. "
    "Lena Okafor said the search would go on in Dunmere."
)
FLOOD_RISE_2 = (
    "Officials in Dunmere said 61 people are now known to have died in the Oska floods. "
    "Volunteers cleared mud from the streets of Brannock."
)
TROOPS_TEXT = (
    "Satellite images show some 3,000 Rasovian troops near the border with Teleria. "
    "Analysts said the build-up could reach 10,000 troops by May."
)
TROOPS_TEXT_2 = (
    "Rasovia has massed around 12,000 troops at the Telerian border. "
    "Teleria called up 8,000 reservists on Wednesday."
)
HOSTILE_TEXT = (
    f"Body with markup {SCRIPT} and {IMG} inside. "
    "Officials said 7 people were hurt in Ville <b>bold</b>. "
    '"Trust <i>us</i>" said the mayor.'
)


def _span(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def _entity(text: str, needle: str, label: str, canonical: str | None = None) -> dict[str, Any]:
    start, end = _span(text, needle)
    return {
        "start": start,
        "end": end,
        "text": needle,
        "label": label,
        "canonical": canonical or needle,
    }


def _quantity(
    text: str, surface: str, value: float, thing: str, modality: str = "fact"
) -> dict[str, Any]:
    start, end = _span(text, surface)
    return {
        "start": start,
        "end": end,
        "surface": surface,
        "value": value,
        "value_max": None,
        "thing": thing,
        "subject": None,
        "modality": modality,
        "bound": None,
        "negated": False,
        "sentence": 0,
    }


def _quote(text: str, quoted: str, speaker: str) -> dict[str, Any]:
    start, end = _span(text, quoted)
    return {"start": start, "end": end, "text": quoted, "speaker": speaker, "kind": "direct"}


def _date(text: str, surface: str, iso: str) -> dict[str, Any]:
    start, end = _span(text, surface)
    return {"start": start, "end": end, "surface": surface, "date": iso, "date_end": None}


def _claim(
    event: str,
    thing: str,
    members: list[tuple[str, float, str, str]],
    origins: dict[str, str],
    conflict: str | None = None,
) -> dict[str, Any]:
    arts = [m[0] for m in members]
    return {
        "event": event,
        "thing": thing,
        "subject": None,
        "values": sorted({m[1] for m in members}),
        "modalities": sorted({m[2] for m in members}),
        "articles": arts,
        "origins": len({origins[a] for a in arts}),
        "first": arts[0],
        "conflict": conflict,
        "members": [
            {
                "article": a,
                "value": v,
                "value_max": None,
                "modality": mod,
                "surface": s,
                "start": 0,
                "end": len(s),
            }
            for a, v, mod, s in members
        ],
    }


def build_store(path: Path) -> dict[str, Any]:
    """Write the fixture store to ``path``; returns the ids the tests look for."""
    store = SQLiteStore(path)
    articles: list[tuple[Article, dict[str, Any] | None]] = []

    def art(
        aid: str,
        title: str,
        text: str,
        source: str | None,
        day: str | None,
        event: str,
        language: str = "en",
        duplicate_of: str | None = None,
        url: str | None = None,
        facts: dict[str, Any] | None = None,
    ) -> None:
        published = dt.date.fromisoformat(day) if day else None
        articles.append(
            (
                Article(
                    id=aid,
                    path=f"sample/{aid}",
                    format="txt",
                    raw=f"date {day}\n{title}\n\n{text}",
                    text=text,
                    title=title,
                    url=url,
                    source=source,
                    language=language,
                    language_confidence=0.99,
                    published=published,
                    date_source="header" if day else "none",
                    date_confidence=1.0 if day else 0.0,
                    date_evidence=f"date {day}" if day else "",
                    duplicate_of=duplicate_of,
                    event=event,
                ),
                facts,
            )
        )

    flood_facts = {
        "entities": [
            _entity(FLOOD_TEXT, "Dunmere", "GPE"),
            _entity(FLOOD_TEXT, "Brannock", "GPE"),
            _entity(FLOOD_TEXT, "Lena Okafor", "PERSON"),
            _entity(FLOOD_TEXT, "Meridian Wire", "ORG"),
        ],
        "quantities": [_quantity(FLOOD_TEXT, "At least 42 people", 42, "deaths", "bound")],
        "quotes": [_quote(FLOOD_TEXT, "We have never seen water like this", "Lena Okafor")],
        "dates": [_date(FLOOD_TEXT, "Tuesday", "2025-03-04")],
    }
    art(
        "wire/flood-1.txt",
        "River Oska floods Dunmere, 42 dead",
        FLOOD_TEXT,
        "Meridian Wire",
        "2025-03-04",
        FLOOD_1,
        facts=flood_facts,
        url="https://wire.example/flood-1",
    )
    art(
        "ledger/flood-copy.txt",
        "Deadly floods in Kalvaria",
        FLOOD_COPY,
        "Harbor Ledger",
        "2025-03-05",
        FLOOD_1,
        duplicate_of="wire/flood-1.txt",
        facts=flood_facts,
    )
    art(
        "courier/flood-local.txt",
        "Governor: 45 killed in Oska valley",
        FLOOD_LOCAL,
        "Nordvik Courier",
        "2025-03-05",
        FLOOD_1,
        facts={
            "entities": [
                _entity(FLOOD_LOCAL, "Lena Okafor", "PERSON"),
                _entity(FLOOD_LOCAL, "Brannock", "GPE"),
            ],
            "quantities": [
                _quantity(FLOOD_LOCAL, "45 people", 45, "deaths"),
                _quantity(FLOOD_LOCAL, "Some 2,000 homes", 2000, "homes_damaged", "approximate"),
            ],
            "quotes": [],
            "dates": [],
        },
    )
    art(
        "wire/flood-2.txt",
        "Oska flood toll rises to 61",
        FLOOD_RISE,
        "Meridian Wire",
        "2025-03-09",
        FLOOD_2,
        facts={
            "entities": [
                _entity(FLOOD_RISE, "Lena Okafor", "PERSON"),
                _entity(FLOOD_RISE, "Dunmere", "GPE"),
            ],
            "quantities": [
                _quantity(FLOOD_RISE, "61", 61, "deaths"),
                _quantity(FLOOD_RISE, "nine people missing", 9, "missing"),
            ],
            "quotes": [],
            "dates": [_date(FLOOD_RISE, "Sunday", "2025-03-09")],
        },
    )
    art(
        "veilleur/flood-2-fr.txt",
        "Inondations : 61 morts",
        FLOOD_RISE_2,
        "Le Veilleur du Nord",
        "2025-03-10",
        FLOOD_2,
        language="fr",
        facts={
            "entities": [_entity(FLOOD_RISE_2, "Dunmere", "GPE")],
            "quantities": [_quantity(FLOOD_RISE_2, "61 people", 61, "deaths")],
            "quotes": [],
            "dates": [],
        },
    )
    art(
        "wire/troops-1.txt",
        "Satellite images show 3,000 troops",
        TROOPS_TEXT,
        "Meridian Wire",
        "2025-04-02",
        TROOPS_1,
        facts={
            "entities": [_entity(TROOPS_TEXT, "Teleria", "GPE")],
            "quantities": [
                _quantity(TROOPS_TEXT, "some 3,000 Rasovian troops", 3000, "troops", "approximate"),
                _quantity(TROOPS_TEXT, "10,000 troops", 10000, "troops", "forecast"),
            ],
            "quotes": [],
            "dates": [],
        },
    )
    art(
        "standard/troops-2.txt",
        "Rasovia masses 12,000 troops",
        TROOPS_TEXT_2,
        "The Ostrel Standard",
        "2025-04-23",
        TROOPS_2,
        facts={
            "entities": [_entity(TROOPS_TEXT_2, "Teleria", "GPE")],
            "quantities": [
                _quantity(TROOPS_TEXT_2, "around 12,000 troops", 12000, "troops", "approximate"),
                _quantity(TROOPS_TEXT_2, "8,000 reservists", 8000, "reservists"),
            ],
            "quotes": [],
            "dates": [],
        },
    )
    hostile_facts = {
        "entities": [_entity(HOSTILE_TEXT, "Ville <b>bold</b>", "GPE")],
        "quantities": [_quantity(HOSTILE_TEXT, "7 people", 7, "injured")],
        "quotes": [_quote(HOSTILE_TEXT, "Trust <i>us</i>", IMG)],
        "dates": [],
    }
    art(
        "evil/<script>.txt",
        SCRIPT,
        HOSTILE_TEXT,
        IMG,
        "2025-05-01",
        HOSTILE_EVENT,
        language="xx",
        url="javascript:alert(1)",
        facts=hostile_facts,
    )
    art(
        "evil/second.txt",
        IMG + " second",
        HOSTILE_TEXT + " More.",
        '"><svg onload=alert(1)>',
        "2025-05-02",
        HOSTILE_EVENT,
        language="xx",
    )
    art(
        "misc/undated.txt",
        FORMULA + " an undated report",
        "Nobody knows when this was written.",
        "Pinecrest Daily News",
        None,
        UNDATED,
    )
    for i in range(FILLER_EVENTS):
        art(
            f"filler/{i:02d}.txt",
            f"Filler event number {i:02d}",
            f"Filler text {i} about harbour cranes.",
            "Eastgate Times",
            (dt.date(2024, 1, 1) + dt.timedelta(days=i)).isoformat(),
            f"ev-filler{i:02d}",
        )

    with store.batch():
        run_id = store.start_run("fixture")
        events: dict[str, EventState] = {}
        for seq, (article, facts) in enumerate(articles, start=1):
            store.add_article(article, seq, run_id, np.zeros(4, np.float32), np.zeros(4, np.uint64))
            if facts is not None:
                store.save_facts(article.id, facts)
            ev = events.setdefault(
                article.event or "",
                EventState(
                    id=article.event or "", vector_sum=np.zeros(4, np.float32), title=article.title
                ),
            )
            ev.size += 1
            ev.members.append(article.id)
            ev.languages[article.language] += 1
        lines = {
            FLOODS: (FLOOD_1, FLOOD_2),
            BORDER: (TROOPS_1, TROOPS_2),
            "sl-hostile": (HOSTILE_EVENT,),
            "sl-undated": (UNDATED,),
        }
        for line_id, ids in lines.items():
            for eid in ids:
                events[eid].storyline = line_id
        for eid, ev in events.items():
            if ev.storyline is None:
                ev.storyline = "sl-" + eid
                lines[ev.storyline] = (eid,)
        # how the pipeline logs each placement (Placement.to_json): the flood's local
        # report joined close to the threshold, another event close behind (borderline);
        # the hostile event's second report names a hostile runner-up id
        placements = {
            "wire/flood-1.txt": ("create", {"threshold": 0.5, "borderline": False}),
            "ledger/flood-copy.txt": ("join", {"copy": True}),
            "courier/flood-local.txt": (
                "join",
                {
                    "score": 0.553,
                    "runner_up": FLOOD_2,
                    "runner_up_score": 0.412,
                    "threshold": 0.5,
                    "borderline": True,
                },
            ),
            "evil/second.txt": (
                "create",
                {
                    "runner_up": SCRIPT,
                    "runner_up_score": 0.45,
                    "threshold": 0.5,
                    "borderline": True,
                },
            ),
        }
        for aid, (action, detail) in placements.items():
            event = next(a.event or "" for a, _ in articles if a.id == aid)
            store.log(run_id, action, event, article=aid, detail=json.dumps(detail))
        store.save_events(events.values(), run_id)  # (after the log: it counts "?" marks)
        titles = {
            FLOODS: "Oska valley floods",
            BORDER: "Rasovia-Teleria border crisis",
            "sl-hostile": SCRIPT,
        }
        store.save_storylines(
            [
                StorylineState(
                    id=line_id,
                    vector_sum=np.zeros(4, np.float32),
                    events=list(ids),
                    title=titles.get(line_id, events[ids[0]].title),
                    names=Counter(),
                )
                for line_id, ids in lines.items()
            ],
            run_id,
        )
        flood_origins = {
            "wire/flood-1.txt": "wire/flood-1.txt",
            "ledger/flood-copy.txt": "wire/flood-1.txt",
            "courier/flood-local.txt": "courier/flood-local.txt",
        }
        store.save_corroboration(
            FLOOD_1,
            {
                "event": FLOOD_1,
                "origins": flood_origins,
                "origin_reasons": {"ledger/flood-copy.txt": "near-verbatim copy"},
                "claims": [
                    _claim(
                        FLOOD_1,
                        "deaths",
                        [
                            ("wire/flood-1.txt", 42, "bound", "At least 42 people"),
                            ("ledger/flood-copy.txt", 42, "bound", "At least 42 people"),
                            ("courier/flood-local.txt", 45, "fact", "45 people"),
                        ],
                        flood_origins,
                        conflict="values differ: 42, 45",
                    ),
                    _claim(
                        FLOOD_1,
                        "homes_damaged",
                        [("courier/flood-local.txt", 2000, "approximate", "Some 2,000 homes")],
                        flood_origins,
                    ),
                ],
            },
        )
        rise_origins = {
            "wire/flood-2.txt": "wire/flood-2.txt",
            "veilleur/flood-2-fr.txt": "veilleur/flood-2-fr.txt",
        }
        store.save_corroboration(
            FLOOD_2,
            {
                "event": FLOOD_2,
                "origins": rise_origins,
                "origin_reasons": {},
                "claims": [
                    _claim(
                        FLOOD_2,
                        "deaths",
                        [
                            ("wire/flood-2.txt", 61, "fact", "61"),
                            ("veilleur/flood-2-fr.txt", 61, "fact", "61 people"),
                        ],
                        rise_origins,
                    )
                ],
            },
        )
        t1 = {"wire/troops-1.txt": "wire/troops-1.txt"}
        store.save_corroboration(
            TROOPS_1,
            {
                "event": TROOPS_1,
                "origins": t1,
                "origin_reasons": {},
                "claims": [
                    _claim(
                        TROOPS_1,
                        "troops",
                        [
                            (
                                "wire/troops-1.txt",
                                3000,
                                "approximate",
                                "some 3,000 Rasovian troops",
                            ),
                            ("wire/troops-1.txt", 10000, "forecast", "10,000 troops"),
                        ],
                        t1,
                        conflict="forecast and fact",
                    )
                ],
            },
        )
        t2 = {"standard/troops-2.txt": "standard/troops-2.txt"}
        store.save_corroboration(
            TROOPS_2,
            {
                "event": TROOPS_2,
                "origins": t2,
                "origin_reasons": {},
                "claims": [
                    _claim(
                        TROOPS_2,
                        "troops",
                        [("standard/troops-2.txt", 12000, "approximate", "around 12,000 troops")],
                        t2,
                    )
                ],
            },
        )
        hostile_origins = {
            "evil/<script>.txt": "evil/<script>.txt",
            "evil/second.txt": "evil/<script>.txt",
        }
        store.save_corroboration(
            HOSTILE_EVENT,
            {
                "event": HOSTILE_EVENT,
                "origins": hostile_origins,
                "origin_reasons": {"evil/second.txt": IMG},
                "claims": [
                    _claim(
                        HOSTILE_EVENT,
                        SCRIPT,
                        [("evil/<script>.txt", 7, "fact", IMG)],
                        hostile_origins,
                        conflict=SCRIPT,
                    )
                ],
            },
        )
    store.close()
    return {
        "flood": FLOOD_1,
        "rise": FLOOD_2,
        "troops": TROOPS_1,
        "hostile": HOSTILE_EVENT,
        "undated": UNDATED,
        "floods": FLOODS,
        "border": BORDER,
        "events": len(events),
        "storylines": len(lines),
        "wire_article": "wire/flood-1.txt",
        "hostile_article": "evil/<script>.txt",
    }


def test_fixture_store_builds(tmp_path: Path) -> None:
    ids = build_store(tmp_path / "fixture.db")
    store = SQLiteStore.open_read_only(tmp_path / "fixture.db")
    try:
        assert store.counts()["events"] == ids["events"]
        assert store.get_event(ids["flood"])["articles"] == 3
        assert store.get_storyline(ids["floods"])["events"] == 2
    finally:
        store.close()


# ------------------------------------------------------------------ more hostile input

LONG_TITLE = "Floodwarning" * 400  # 4,800 characters, no space to wrap at
RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: would flip what follows it on the line
SPOOF_TITLE = RLO + "fdp.exe harmless report"
ARABIC = "فيضانات في دنمير"
HOSTILE_URLS = (
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "//evil.example/x",
    "https:javascript:alert(1)",
    "\x01https://evil.example/",
)


def add_hostile_extras(path: Path) -> dict[str, Any]:
    """Add events whose titles are very long, right-to-left or spoofing (U+202E), and
    articles whose URLs are all kinds of non-web addresses, to a built fixture store."""
    store = SQLiteStore(path)
    try:
        with store.batch():
            run_id = store.start_run("extras")
            seq = store.next_seq()
            events: dict[str, EventState] = {}
            rows = [
                ("evil/long.txt", LONG_TITLE, "ev-long", LONG_TITLE, None),
                ("evil/rtl.txt", SPOOF_TITLE, "ev-rtl", RLO + "Wire " + ARABIC, None),
                ("evil/arabic.txt", ARABIC, "ev-rtl", ARABIC, None),
            ]
            rows += [
                (f"evil/url-{i}.txt", f"Link {i}", "ev-urls", "Linker", url)
                for i, url in enumerate(HOSTILE_URLS)
            ]
            for i, (aid, title, event, source, url) in enumerate(rows):
                text = f"{title} body. Officials said 3 people were hurt. " + "x" * 3000
                store.add_article(
                    Article(
                        id=aid, path=aid, format="txt", raw=text, text=text, title=title,
                        url=url, source=source, language="ar" if title == ARABIC else "en",
                        language_confidence=0.9, published=dt.date(2025, 6, 1 + i % 3),
                        date_source="header", date_confidence=1.0, date_evidence="",
                        event=event,
                    ),
                    seq + i, run_id, np.zeros(4, np.float32), np.zeros(4, np.uint64),
                )  # fmt: skip
                ev = events.setdefault(
                    event, EventState(id=event, vector_sum=np.zeros(4, np.float32), title=title)
                )
                ev.size += 1
                ev.members.append(aid)
                ev.languages["en"] += 1
                ev.storyline = "sl-extras"
            store.save_events(events.values(), run_id)
            store.save_storylines(
                [
                    StorylineState(
                        id="sl-extras",
                        vector_sum=np.zeros(4, np.float32),
                        events=list(events),
                        title=SPOOF_TITLE,
                        names=Counter(),
                    )
                ],
                run_id,
            )
            for event, ev in events.items():
                origins = {a: a for a in ev.members}
                store.save_corroboration(
                    event,
                    {
                        "event": event,
                        "origins": origins,
                        "origin_reasons": {},
                        "claims": [
                            _claim(event, LONG_TITLE, [(ev.members[0], 3, "fact", "3 people")],
                                   origins, conflict=SPOOF_TITLE)
                        ],
                    },
                )  # fmt: skip
    finally:
        store.close()
    return {"long": "ev-long", "rtl": "ev-rtl", "urls": "ev-urls", "line": "sl-extras"}
