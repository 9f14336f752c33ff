"""Fast tests of storyline linking (storylines.py)."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter

import numpy as np

from newsfold.embed import HashingEmbedder
from newsfold.events import EventState
from newsfold.features import DocumentFrequencies, doc_features
from newsfold.models import short_id
from newsfold.storylines import StorylineLinker, StorylineState

EMBED = HashingEmbedder(dim=256)


def event(eid: str, day: str, *texts: str) -> EventState:
    vectors = EMBED.embed(list(texts))
    state = EventState(id=eid, vector_sum=np.zeros(EMBED.dim, dtype=np.float32))
    for n, (text, vec) in enumerate(zip(texts, vectors, strict=True)):
        state.add(doc_features(f"{eid}-{n}", "", text, vec, dt.date.fromisoformat(day), "en"))
    return state


FLOOD_1 = event(
    "ev-flood1",
    "2025-03-04",
    "Floods in the Oska valley of Kalvaria killed 42 people, Brenvik mayor Lena Okafor said.",
    "The Oska river flooded Brenvik in Kalvaria; Lena Okafor ordered evacuations.",
)
FLOOD_2 = event(
    "ev-flood2",
    "2025-03-09",
    "The Oska valley flood death toll in Kalvaria rose to 61, Brenvik mayor Lena Okafor said.",
    "Search teams in Brenvik found more victims of the Oska floods, Kalvaria said.",
)
OTHER_FLOOD = event(
    "ev-flood3",
    "2025-03-10",
    "Flash floods in Sarrella, Vellanza, killed 11 people, said governor Marco Vitti.",
    "Vellanza sent rescuers to Sarrella after the flash floods, Marco Vitti said.",
)
FAR_LATER = event(
    "ev-flood4",
    "2027-06-01",
    "Two years on, Brenvik in Kalvaria rebuilt its Oska valley flood walls, Lena Okafor said.",
)


def frequencies(*events: EventState) -> DocumentFrequencies:
    df = DocumentFrequencies()
    for state in events:
        for _ in range(state.size):
            df.add(set(state.terms) | {"@" + n for n in state.names})
    return df


def test_follow_up_joins_and_another_place_does_not() -> None:
    df = frequencies(FLOOD_1, FLOOD_2, OTHER_FLOOD)
    events = {e.id: e for e in (FLOOD_1, FLOOD_2, OTHER_FLOOD)}
    linker = StorylineLinker()
    first, _ = linker.link(FLOOD_1, df, events)
    assert first == short_id("sl", FLOOD_1.id)
    second, moved = linker.link(FLOOD_2, df, events)
    assert second == first and moved is None
    third, _ = linker.link(OTHER_FLOOD, df, events)
    assert third != first  # same kind of happening, other place and people
    assert linker.storylines[first].events == [FLOOD_1.id, FLOOD_2.id]
    assert {s.id for s in linker.touched()} == {first, third}


def test_window_keeps_far_events_apart() -> None:
    df = frequencies(FLOOD_1, FAR_LATER)
    events = {e.id: e for e in (FLOOD_1, FAR_LATER)}
    linker = StorylineLinker()
    a, _ = linker.link(FLOOD_1, df, events)
    b, _ = linker.link(FAR_LATER, df, events)
    assert a != b


def test_single_event_storyline_moves_and_is_retired() -> None:
    df = frequencies(FLOOD_1, FLOOD_2)
    linker = StorylineLinker()
    thin = EventState(id="ev-thin", vector_sum=np.zeros(EMBED.dim, dtype=np.float32))
    events = {FLOOD_1.id: FLOOD_1, "ev-thin": thin}
    a, _ = linker.link(FLOOD_1, df, events)
    b, _ = linker.link(thin, df, events)  # nothing to go on yet: its own storyline
    assert a != b
    # the thin event grows into a copy of the second flood event
    for name in ("vector_sum", "terms", "names", "numbers", "first", "last", "size", "salient"):
        setattr(thin, name, getattr(FLOOD_2, name))
    c, moved = linker.link(thin, df, events)
    assert c == a and moved == b
    assert linker.retired() == [(b, a)]
    assert linker.retired() == []


def test_forget_merged_event_retires_empty_storyline() -> None:
    df = frequencies(FLOOD_1, OTHER_FLOOD)
    events = {e.id: e for e in (FLOOD_1, OTHER_FLOOD)}
    linker = StorylineLinker()
    a, _ = linker.link(FLOOD_1, df, events)
    b, _ = linker.link(OTHER_FLOOD, df, events)
    del events[OTHER_FLOOD.id]  # merged into FLOOD_1
    linker.forget(OTHER_FLOOD.id, FLOOD_1.id, events)
    assert b not in linker.storylines
    assert linker.retired() == [(b, a)]


def test_storyline_blob_round_trip() -> None:
    df = frequencies(FLOOD_1, FLOOD_2)
    events = {e.id: e for e in (FLOOD_1, FLOOD_2)}
    linker = StorylineLinker()
    linker.link(FLOOD_1, df, events)
    linker.link(FLOOD_2, df, events)
    (line,) = linker.touched()
    back = StorylineState.from_blob(line.to_blob())
    assert back.events == line.events and back.first == line.first
    reloaded = StorylineLinker()
    reloaded.load([back])
    assert reloaded.candidates(FLOOD_2)[0].id == line.id


def test_a_storyline_norm_is_that_of_the_frequencies_as_they_are() -> None:
    """The storyline's TF-IDF norm (the tfidf feature's denominator) is exact for the
    stream as it is now. Cached until the stream grew 25%, it made links depend on when it
    was last taken: a run resumed from the store, its caches empty, linked otherwise than
    one long run."""
    df = frequencies(FLOOD_1, FLOOD_2)
    line = StorylineState(id="sl-x", vector_sum=FLOOD_1.vector_sum, terms=Counter(FLOOD_1.terms))
    first = line.weighted_norm(df)
    assert first == df.norm(line.terms)
    df.add({"unrelated"})  # one more document: every term's idf moves
    assert line.weighted_norm(df) == df.norm(line.terms) != first


def test_a_journal_that_kept_cached_norms_still_loads() -> None:
    """A storyline's state before the end of a run was once journalled as [blob, cached
    norm]; such a journal (in a store written then) still loads, as the blob."""
    from newsfold.storylines import Provisional

    line = StorylineState(id="sl-x", vector_sum=FLOOD_1.vector_sum, events=["ev-flood1"])
    blob = line.to_blob()
    journal = Provisional(lines={"sl-x": blob, "sl-new": None}, events={"ev-flood1": None})
    assert Provisional.from_json(json.loads(json.dumps(journal.to_json()))) == journal
    old = journal.to_json()
    old["lines"]["sl-x"] = [old["lines"]["sl-x"], [12, 3.5]]
    assert Provisional.from_json(old).lines == {"sl-x": blob, "sl-new": None}


def test_topic_and_common_names_alone_do_not_link() -> None:
    """Same kind of happening, same outlet, weekday and official, one shared surname: the
    names every event carries are no evidence, and one rare name may be chance."""
    fillers = [
        event(
            f"ev-fill{n}",
            "2025-03-03",
            f"Storms hit {place} on Monday, Meridian Wire reported, citing the Interior Ministry.",
        )
        for n, place in enumerate(("Ardel", "Bexmoor", "Cindra", "Dovrin", "Elsworth"))
    ]
    first = event(
        "ev-tarvik",
        "2025-03-04",
        "Floods in Tarvik killed 12 people on Monday, Meridian Wire reported, "
        "citing the Interior Ministry and mayor Jonas Hale.",
    )
    second = event(
        "ev-sorrel",
        "2025-03-05",
        "Floods in Sorrel killed 9 people on Monday, Meridian Wire reported, "
        "citing the Interior Ministry and mayor Petra Hale.",
    )
    df = frequencies(*fillers, first, second)
    events = {e.id: e for e in (*fillers, first, second)}
    linker = StorylineLinker()
    for e in fillers:
        linker.link(e, df, events)
    a, _ = linker.link(first, df, events)
    b, _ = linker.link(second, df, events)
    assert a != b
    assert linker.rare_names(second, linker.storylines[a]) == 1  # "hale"; the rest is common


def test_in_a_young_store_names_a_few_other_events_hold_are_not_rare() -> None:
    """While the stream holds few events, "at most 3 events outside the storyline" is no
    rarity: a weekday and a district two of five other events name would link two
    unrelated reports. The same names are rare once the stream holds many events."""

    def linked(fillers: int) -> int:
        common = [
            event(f"ev-c{n}", "2025-03-03", f"Officials from {w} met on Wednesday in Ardmoor.")
            for n, w in enumerate(("Tamsin", "Orlov"))
        ]
        others = [
            event(f"ev-o{n}", "2025-03-02", f"Rain fell on {_place(n)} and {_place(n + 1)}.")
            for n in range(fillers)
        ]
        first = event("ev-a", "2025-03-04", "A fire hit the Korvel plant on Wednesday in Ardmoor.")
        second = event(
            "ev-b", "2025-03-05", "Dockers at Dunmar went on strike on Wednesday in Ardmoor."
        )
        everything = [*others, *common, first, second]
        df = frequencies(*everything)
        events = {e.id: e for e in everything}
        linker = StorylineLinker()
        for e in everything[:-1]:
            linker.link(e, df, events)
        return linker.rare_names(second, linker.storylines[first.storyline or ""])

    assert linked(fillers=3) == 0  # 7 events: "wednesday" and "ardmoor" are common here
    assert linked(fillers=80) == 2  # 84 events: two of them outside is rare


def _place(n: int) -> str:
    return "Val" + "".join("aeiou"[int(d) % 5] + "rnst"[int(d) % 4] for d in str(n))
