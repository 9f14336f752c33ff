"""Fast tests of the streaming event clusterer (events.py) and the BCubed scorer."""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

import numpy as np
import pytest

from newsfold.embed import HashingEmbedder, lead
from newsfold.evaluate import bcubed, pearson
from newsfold.events import (
    ClusterConfig,
    EventState,
    PairModel,
    Placement,
    StreamingClusterer,
    load_model,
    shipped_models,
)
from newsfold.features import DocFeatures, DocumentFrequencies, doc_features
from newsfold.index import CentroidIndex
from newsfold.models import short_id

STORIES = [
    # (id, date, title, text): three happenings, two of them in one place
    (
        "a1",
        "2025-03-04",
        "Floods kill 42 in Oska valley",
        "Floods in the Oska valley of Kalvaria killed 42 people, said Lena Okafor in Brenvik.",
    ),
    (
        "a2",
        "2025-03-04",
        "Oska valley floods: 42 dead",
        "Lena Okafor said 42 people died in the Oska valley floods near Brenvik, Kalvaria.",
    ),
    (
        "b1",
        "2025-03-05",
        "Corvane bids for Saltmere Harbour",
        "Corvane Logistics launched a hostile bid for Saltmere Harbour Holdings at 412 pence.",
    ),
    (
        "a3",
        "2025-03-05",
        "Oska valley death toll 42, Okafor says",
        "Brenvik mayor Lena Okafor said the Oska valley floods in Kalvaria killed 42.",
    ),
    (
        "b2",
        "2025-03-06",
        "Saltmere Harbour board rejects Corvane",
        "Saltmere Harbour Holdings rejected the Corvane Logistics bid of 412 pence a share.",
    ),
    (
        "c1",
        "2025-03-06",
        "Teleria mobilises reservists",
        "Teleria called up 12,000 reservists as Rasovian troops gathered near Halvern.",
    ),
    (
        "b3",
        "2025-03-07",
        "Corvane raises Saltmere offer",
        "Corvane Logistics told Saltmere Harbour Holdings investors its 412 pence bid stands.",
    ),
]


def make_docs(embedder: HashingEmbedder | None = None) -> list[DocFeatures]:
    embedder = embedder or HashingEmbedder(dim=256)
    vectors = embedder.embed([lead(t, x) for _, _, t, x in STORIES])
    return [
        doc_features(i, t, x, v, dt.date.fromisoformat(d), "en")
        for (i, d, t, x), v in zip(STORIES, vectors, strict=True)
    ]


def config() -> ClusterConfig:
    """A hand model, so that these tests do not move when the shipped model is retrained."""
    model = PairModel({"tfidf": 8.0, "names": 4.0, "embedding": 2.0}, bias=-4.0, threshold=0.5)
    return ClusterConfig(model=model, merge_threshold=2.0)


def run(docs: list[DocFeatures], cfg: ClusterConfig | None = None) -> dict[str, str]:
    clusterer = StreamingClusterer(cfg or config())
    return {doc.id: clusterer.add(doc)[0] for doc in docs}


def test_groups_the_three_happenings() -> None:
    got = run(make_docs())
    assert got["a1"] == got["a2"] == got["a3"]
    assert got["b1"] == got["b2"] == got["b3"]
    assert len({got["a1"], got["b1"], got["c1"]}) == 3


def test_event_ids_derive_from_the_founding_article() -> None:
    got = run(make_docs())
    assert got["a3"] == short_id("ev", "a1")
    assert got["b3"] == short_id("ev", "b1")
    assert got["c1"] == short_id("ev", "c1")


def test_state_evolves_per_article_not_per_batch() -> None:
    """Feeding the same articles with a save/load between any two of them changes nothing."""
    docs = make_docs()
    whole = run(docs)
    for cut in range(1, len(docs)):
        first = StreamingClusterer(config())
        got = {d.id: first.add(d)[0] for d in docs[:cut]}
        blobs = [e.to_blob() for e in first.touched()]
        df = DocumentFrequencies(df=first.df.df.copy(), n_docs=first.df.n_docs)
        second = StreamingClusterer(config())
        second.load([EventState.from_blob(b) for b in blobs], df)
        got.update({d.id: second.add(d)[0] for d in docs[cut:]})
        assert got == whole, f"cut after {cut}"


def test_pipeline_batches_of_1_3_and_all_give_the_same_events(tmp_path: Path) -> None:
    pytest.importorskip("newsfold.pipeline")
    from newsfold.pipeline import Pipeline, PipelineOptions
    from newsfold.store import open_store

    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        "".join(
            json.dumps({"id": i, "published": d, "title": t, "text": x, "language": "en"}) + "\n"
            for i, d, t, x in STORIES
        ),
        encoding="utf-8",
    )
    results = []
    for size in (1, 3, 100):
        store = open_store(str(tmp_path / f"b{size}.db"))
        options = PipelineOptions(batch_size=size, embedder="hashing", facts=False)
        Pipeline(store, options).run([str(feed)])
        results.append({row["id"]: row["event"] for row in store.iter_articles()})
        store.close()
    assert results[0] == results[1] == results[2]
    assert len(set(results[0].values())) >= 2


def test_copies_follow_the_forced_event() -> None:
    docs = make_docs()
    clusterer = StreamingClusterer(config())
    first, _ = clusterer.add(docs[0])
    got, created = clusterer.add(docs[5], force_event=first)
    assert got == first and not created


def test_each_placement_notes_its_score_and_the_best_other_event() -> None:
    docs = {d.id: d for d in make_docs()}
    cfg = config()
    cfg.min_similarity = -1.0  # every event a candidate, however far its hashing vector
    clusterer = StreamingClusterer(cfg)
    flood, _ = clusterer.add(docs["a1"])
    first = clusterer.placement
    assert first.score is None and first.runner_up is None and not first.copy
    bid, _ = clusterer.add(docs["b1"])
    founded = clusterer.placement  # founded: its best candidate scored under the threshold
    assert founded.score is None and founded.runner_up == flood
    assert founded.runner_up_score is not None and founded.runner_up_score < 0.5
    got, created = clusterer.add(docs["a2"])
    joined = clusterer.placement
    scored = {e.id: s for s, e, _ in clusterer.scored(docs["a2"])}  # (a2 is in flood now)
    assert got == flood and not created
    assert joined.score is not None and joined.score >= 0.5
    assert joined.runner_up == bid and joined.runner_up_score == pytest.approx(scored[bid])
    clusterer.add(docs["a3"], force_event=flood)
    assert clusterer.placement == Placement(copy=True)
    assert clusterer.placement.to_json() == {"copy": True}


def test_a_rival_merged_into_the_event_at_once_is_no_runner_up() -> None:
    docs = {d.id: d for d in make_docs()}
    cfg = config()
    cfg.merge_threshold = 0.4
    clusterer = StreamingClusterer(cfg)
    clusterer.place(docs["a1"], "ev-A")  # two events of one happening, opened unscored
    clusterer.place(docs["a2"], "ev-B")
    rivals = {e.id: s for s, e, _ in clusterer.scored(docs["a3"])}
    assert min(rivals["ev-A"], rivals["ev-B"]) >= 0.5  # a3 would join either
    clusterer._merges.append(("ev-B", "ev-Q"))  # not drained: an earlier add's merge
    got, _ = clusterer.add(docs["a3"])  # joins one, which then absorbs the other
    assert clusterer.merges()[1:] == [("ev-B", "ev-A")] and got == "ev-A"
    placed = clusterer.placement
    assert placed.score is not None and placed.joined in ("ev-A", "ev-B")
    assert placed.runner_up is None and not placed.borderline()
    # only this add's merges count: a rival that an earlier, undrained merge named stays
    cfg.merge_threshold = 0.999  # merge checks run, and find nothing to merge
    clusterer = StreamingClusterer(cfg)
    clusterer.place(docs["b1"], "ev-C")
    clusterer.place(docs["b2"], "ev-D")
    clusterer._merges.extend([("ev-C", "ev-Q"), ("ev-D", "ev-Q")])  # (not this add's)
    got, _ = clusterer.add(docs["b3"])
    assert clusterer.merges() == [("ev-C", "ev-Q"), ("ev-D", "ev-Q")]  # none of its own
    assert clusterer.placement.runner_up == ({"ev-C", "ev-D"} - {got}).pop()


def test_borderline_placements() -> None:
    assert Placement(0.55).borderline()  # joined just over the threshold
    assert Placement(0.79, "ev-x", 0.1).borderline()  # (the margin is 0.3)
    assert not Placement(0.85, "ev-x", 0.45).borderline()
    assert Placement(0.95, "ev-x", 0.6).borderline()  # another event passed too
    assert Placement(None, "ev-x", 0.22).borderline()  # founded, a near miss
    assert not Placement(None, "ev-x", 0.18).borderline()
    assert not Placement().borderline()  # founded, no candidate at all
    # judged on the scores as logged: read back, a placement keeps its flag
    boundary = ((Placement(0.79996, "ev-x", 0.1), False), (Placement(None, "ev-x", 0.19996), True))
    for placed, flagged in boundary:
        logged = placed.to_json()  # scores 0.8 and 0.2 as logged
        assert Placement.from_json(logged).to_json() == logged
        assert logged["borderline"] is flagged
    assert Placement(0.9, "ev-x", 0.12345).to_json() == {
        "score": 0.9,
        "runner_up": "ev-x",
        "runner_up_score": 0.123,
        "threshold": 0.5,
        "borderline": False,
    }


def test_dates_far_apart_open_a_new_event() -> None:
    docs = make_docs()
    late = docs[1]
    late.date = dt.date(2025, 9, 1)  # same words, six months later
    got = run([docs[0], late])
    assert got["a1"] != got["a2"]


def test_undated_articles_still_join() -> None:
    docs = make_docs()
    for doc in docs:
        doc.date = None
    got = run(docs)
    assert got["a1"] == got["a2"] == got["a3"]


def test_merges_are_recorded_and_keep_the_older_id() -> None:
    def doc(i: str, text: str, vec: list[float]) -> DocFeatures:
        v = np.asarray(vec, dtype=np.float32)
        return doc_features(i, "", text, v / np.linalg.norm(v), None, "en")

    docs = [
        doc("x1", "alpha beta gamma delta", [1, 0, 0]),
        doc("x2", "omega sigma kappa lambda", [0, 1, 0]),
        doc("x3", "alpha beta gamma delta omega sigma kappa lambda", [1, 1, 0]),
        doc("x4", "alpha beta gamma delta omega sigma kappa lambda", [1, 1, 0]),
        doc("x5", "alpha beta gamma delta omega sigma kappa lambda", [1, 1, 0]),
    ]
    model = PairModel({"tfidf": 10.0}, bias=-5.0, threshold=0.5)
    clusterer = StreamingClusterer(ClusterConfig(model=model, merge_threshold=0.5))
    for d in docs:
        clusterer.add(d)
    merges = clusterer.merges()
    assert merges == [(short_id("ev", "x2"), short_id("ev", "x1"))]
    assert list(clusterer.events) == [short_id("ev", "x1")]
    assert sorted(clusterer.events[short_id("ev", "x1")].members) == [d.id for d in docs]
    assert clusterer.merges() == []  # reported once


def test_merges_look_past_the_join_window() -> None:
    """A report dated from a date its text quotes (years off) founds its own event; when
    the real one grows, overwhelming word evidence merges them (the time prior is capped:
    words here give +10, over even ``cap_sure``)."""
    text = "alpha beta gamma delta epsilon"
    vec = np.asarray([1.0, 0.0, 0.0], dtype=np.float32)
    days = ["2025-03-01", "1999-05-07", "2025-03-02"]

    def merges(sure: list[bool], window: float = 60) -> list[tuple[str, str]]:
        docs = [
            doc_features(f"y{n}", "", text, vec, dt.date.fromisoformat(day), "en", date_sure=s)
            for n, (day, s) in enumerate(zip(days, sure, strict=True))
        ]
        model = PairModel({"tfidf": 15.0}, bias=-5.0, threshold=0.5)
        config = ClusterConfig(model=model, merge_threshold=0.5, merge_window_days=window)
        clusterer = StreamingClusterer(config)
        got = [clusterer.add(d)[0] for d in docs]
        assert got[1] != got[0]  # outside the join window
        return clusterer.merges()

    merged = [(short_id("ev", "y1"), short_id("ev", "y0"))]
    assert merges([False, False, False]) == merged  # all read from the text: any date
    assert merges([True, False, True]) == merged  # the misdated one from its text
    # metadata dates 26 years apart are two happenings: not even looked at...
    assert merges([True, True, True]) == []
    assert merges([True, True, True], window=math.inf) == merged  # ...unless asked to


def test_text_dated_events_are_merge_checked_at_any_date_after_a_reload() -> None:
    """A text-dated event (years off) is seen by a metadata-dated event's merge check
    after the state is reloaded from blobs; and a text-dated event that grows looks at
    any date itself, and finds a metadata-dated one far away."""
    text = "alpha beta gamma delta epsilon"
    vec = np.asarray([1.0, 0.0, 0.0], dtype=np.float32)
    model = PairModel({"tfidf": 10.0}, bias=-5.0, threshold=0.5)

    def doc(n: str, day: str, sure: bool) -> DocFeatures:
        return doc_features(n, "", text, vec, dt.date.fromisoformat(day), "en", date_sure=sure)

    def clusterer() -> StreamingClusterer:
        return StreamingClusterer(ClusterConfig(model=model, merge_threshold=0.5))

    first = clusterer()
    first.add(doc("y0", "2025-03-01", True))
    first.add(doc("y1", "1999-05-07", False))
    again = clusterer()
    again.load([EventState.from_blob(e.to_blob()) for e in first.events.values()], first.df)
    again.add(doc("y2", "2025-03-02", True))  # y0's event grows: a merge check
    assert again.merges() == [(short_id("ev", "y1"), short_id("ev", "y0"))]
    grows = clusterer()
    grows.add(doc("z0", "2025-03-01", True))
    grows.add(doc("z1", "1999-05-07", False))
    grows.config.window_days = 0  # z2 joins z1's event only (a text-dated one), which grows
    grows.add(doc("z2", "1999-05-07", False))
    assert grows.merges() == [(short_id("ev", "z1"), short_id("ev", "z0"))]


def test_a_merge_window_counts_from_every_day_of_the_event() -> None:
    """A long-running event (dated from metadata) sees a neighbour within the merge window
    of its first day, not only of its last."""
    vec = np.asarray([1.0, 0.0, 0.0], dtype=np.float32)
    text = "alpha beta gamma delta epsilon"
    days = ["2025-01-01", "2025-03-20", "2024-12-10", "2025-03-21"]
    docs = [
        doc_features(f"z{n}", "", text, vec, dt.date.fromisoformat(d), "en", date_sure=True)
        for n, d in enumerate(days)
    ]
    model = PairModel({"tfidf": 10.0}, bias=-5.0, threshold=0.5)
    # joins are not capped by the time prior here: z1 and z3 join z0 (window 120 days);
    # z2 is 22 days before z0 but 100 days before the event's last date
    config = ClusterConfig(model=model, merge_threshold=0.5, window_days=120)
    config.time_prior = {**config.time_prior, "days": 0.0, "days_over": 0.0}
    clusterer = StreamingClusterer(config)
    clusterer.add(docs[0])
    clusterer.add(docs[1])
    config.window_days = 5  # z2 founds its own event
    clusterer.add(docs[2])
    config.window_days, config.merge_window_days = 120, 60
    clusterer.add(docs[3])  # z0's event grows to 3: a merge check
    assert clusterer.merges() == [(short_id("ev", "z2"), short_id("ev", "z0"))]


def test_blob_round_trip_keeps_everything() -> None:
    docs = make_docs()
    clusterer = StreamingClusterer(config())
    for d in docs:
        clusterer.add(d)
    for event in clusterer.touched():
        event.years(), event.core_names()  # cached summaries travel too
        back = EventState.from_blob(event.to_blob())
        assert back.sticky == event.sticky
        assert back.members == event.members
        assert back.names == event.names and back.salient == event.salient
        assert back.seq == event.seq and back.first == event.first
        assert np.allclose(back.vector_sum, event.vector_sum)
        assert len(back.exemplars) == len(event.exemplars)


def test_an_event_read_back_from_its_blob_scores_exactly_as_in_memory() -> None:
    """Every pair feature of an event read back from the store equals the live event's: a
    run that reloads the store decides as one long run. Exemplars were kept as float32 in
    memory and stored as float16, so ``embedding_max`` moved by up to 1e-4 after a reload
    (a join scored 0.5000189 live and 0.4999974 reloaded, threshold 0.5)."""
    from newsfold.events import doc_weights, pair_features

    docs = make_docs()
    clusterer = StreamingClusterer(config())
    for d in docs:
        clusterer.add(d)
    for event in clusterer.events.values():
        back = EventState.from_blob(event.to_blob())
        for doc in docs:
            weights = doc_weights(doc, clusterer.df)
            live = pair_features(doc, event, clusterer.df, weights, competing=2)
            assert pair_features(doc, back, clusterer.df, weights, competing=2) == live


def test_the_count_of_text_dated_members_travels_with_the_event() -> None:
    """Merge checks trust an event's dates only while none of its members was dated from
    its text: the count survives a reload and a merge, and a blob from before the count
    is taken as text-dated (looked at whatever its dates, as all events were)."""
    vec = np.asarray([1.0, 0.0], dtype=np.float32)
    day = dt.date(2025, 3, 1)
    event = EventState(id="e", vector_sum=np.zeros(2, np.float32))
    event.add(doc_features("a", "", "x", vec, day, "en", date_sure=True))
    event.add(doc_features("b", "", "x", vec, day, "en"))  # read from the text
    event.add(doc_features("c", "", "x", vec, None, "en", date_sure=True))  # undated
    assert (event.text_dated, event.sure_dated) == (1, 1)
    back = EventState.from_blob(event.to_blob())
    assert (back.text_dated, back.sure_dated) == (1, 1)
    other = EventState(id="o", vector_sum=np.zeros(2, np.float32))
    other.add(doc_features("d", "", "x", vec, day, "en"))
    event.absorb(other)
    assert (event.text_dated, event.sure_dated) == (2, 1)
    old = json.loads(event.to_blob())
    del old["text_dated"], old["sure_dated"]
    # as before the counts: merge-checked at any date (loose), and the cap of 4
    back = EventState.from_blob(json.dumps(old).encode())
    assert back.text_dated == back.sure_dated == event.size
    old["first"] = old["last"] = None
    back = EventState.from_blob(json.dumps(old).encode())
    assert back.text_dated == back.sure_dated == 0


def test_centroid_index_top_k_window_and_drop() -> None:
    index = CentroidIndex()
    for n in range(100):  # grows past its first capacity
        v = np.zeros(8, dtype=np.float32)
        v[n % 8] = 1.0
        day = dt.date(2025, 1, 1) + dt.timedelta(days=n)
        index.put(f"e{n}", v, day, day)
    probe = np.zeros(8, dtype=np.float32)
    probe[3] = 1.0
    got = index.nearest(probe, 3)
    assert got == ["e3", "e11", "e19"]  # ties go to the older row
    near = index.nearest(probe, 3, dt.date(2025, 1, 1) + dt.timedelta(days=51), window=10)
    assert near == ["e43", "e51", "e59"]
    index.drop("e3")
    assert index.nearest(probe, 1) == ["e11"]
    assert len(index) == 99


def test_shipped_model_loads() -> None:
    model = load_model("event")
    assert 0.0 < model.threshold < 1.0
    if shipped_models():
        assert set(shipped_models()) >= {"event", "cross", "time_prior"}


def test_bcubed_and_pearson() -> None:
    gold = {"a": "1", "b": "1", "c": "2", "d": "2"}
    assert bcubed(gold, gold) == (1.0, 1.0, 1.0)
    p, r, f = bcubed(gold, {"a": "x", "b": "x", "c": "x", "d": "x"})
    assert (p, r) == (0.5, 1.0) and f == pytest.approx(2 / 3)
    p, r, _ = bcubed(gold, {})  # missing items are singletons
    assert (p, r) == (1.0, 0.5)
    assert pearson([1, 2, 3], [2, 4, 6]) == pytest.approx(1.0)
    assert pearson([1, 2, 3], [3, 2, 1]) == pytest.approx(-1.0)
    assert pearson([1, 1, 1], [1, 2, 3]) == 0.0


@pytest.mark.slow
def test_translated_report_joins_its_event_with_the_real_embedder() -> None:
    """A French and a German report of one happening join the English ones (USE vectors)."""
    from newsfold.embed import make_embedder

    stories = [
        (
            "en1",
            "en",
            "Floods kill 42 in Kalvaria's Oska valley",
            "Floods in the Oska valley in northern Kalvaria have killed 42 people and forced "
            "10,000 from their homes, interior minister Lena Okafor said in Ostrel on Tuesday.",
        ),
        (
            "en2",
            "en",
            "Oska valley floods: 42 dead, 17 missing",
            "At least 42 people died and 17 are missing after the Oska river burst its banks "
            "in Kalvaria, minister Lena Okafor told reporters in Ostrel.",
        ),
        (
            "en3",
            "en",
            "Saltmere Harbour rejects Corvane bid",
            "The board of Saltmere Harbour Holdings rejected a hostile takeover bid from "
            "Corvane Logistics worth 412 pence a share on Tuesday.",
        ),
        (
            "fr1",
            "fr",
            "Inondations en Kalvarie : 42 morts dans la vallée de l'Oska",
            "Les inondations dans la vallée de l'Oska, au nord de la Kalvarie, ont fait 42 "
            "morts et 10 000 déplacés, a annoncé mardi à Ostrel la ministre Lena Okafor.",
        ),
        (
            "de1",
            "de",
            "Hochwasser in Kalvarien: 42 Tote im Oska-Tal",
            "Bei den Überschwemmungen im Oska-Tal im Norden Kalvariens sind 42 Menschen ums "
            "Leben gekommen, sagte Innenministerin Lena Okafor am Dienstag in Ostrel.",
        ),
    ]
    vectors = make_embedder("use-m3").embed([lead(t, x) for _, _, t, x in stories])
    day = dt.date(2025, 3, 4)
    clusterer = StreamingClusterer()  # the shipped models
    got = {
        i: clusterer.add(doc_features(i, t, x, v, day, lang))[0]
        for (i, lang, t, x), v in zip(stories, vectors, strict=True)
    }
    assert got["en1"] == got["en2"] == got["fr1"] == got["de1"]
    assert got["en3"] != got["en1"]


def test_an_event_mostly_in_other_languages_is_read_across_languages() -> None:
    """A German report against an event of English reports with one German one: the
    cross-language model scores it (few of the event's words can match), and only the
    days it would add to the event count against it."""
    from newsfold.events import CROSS_SHARE, TIME_PRIOR, pair_features, time_logit

    vec = np.ones(4, dtype=np.float32) / 2
    day = dt.date(2025, 3, 4)
    event = EventState(id="e", vector_sum=np.zeros(4, dtype=np.float32))
    for k in range(3):
        event.add(doc_features(f"en{k}", "Floods in Oska", "Lena Okafor spoke.", vec, day, "en"))
    event.add(doc_features("de0", "Hochwasser in Oska", "Lena Okafor sprach.", vec, day, "de"))
    late = doc_features("de1", "Hochwasser", "Lena Okafor sprach.", vec, day, "de")
    df = DocumentFrequencies()
    from newsfold.events import doc_weights

    feats = pair_features(late, event, df, doc_weights(late, df), competing=1)
    assert feats["language_share"] == 0.25 < CROSS_SHARE and feats["cross_language"] == 0.0
    cross = PairModel({"embedding": 1.0}, bias=7.0)
    cfg = ClusterConfig(model=PairModel({"embedding": 1.0}, bias=-7.0), cross_model=cross)
    assert StreamingClusterer(cfg).logit(feats) > 0  # the cross model decided
    # an event already spanning 10 days: inside it, a cross-language article pays nothing
    # for the span; a same-language one pays for all of it (up to the cap)
    wide = {"days": 0.0, "span": 10.0, "undated": 0.0, "sure_dates": 1.0}
    assert time_logit(wide, TIME_PRIOR, cross=True) == 0.0
    over = TIME_PRIOR["days_over"] * (10.0 - TIME_PRIOR["grace"])
    assert time_logit(wide, TIME_PRIOR) == max(over, -TIME_PRIOR["cap_sure"]) < -TIME_PRIOR["cap"]
    # ...and what it adds over the event's span counts as before
    stretch = {"days": 3.0, "span": 13.0, "undated": 0.0}
    assert time_logit(stretch, TIME_PRIOR, cross=True) < time_logit(wide, TIME_PRIOR, cross=True)


def test_a_report_weeks_after_its_event_is_a_follow_up_when_dates_are_sure() -> None:
    """The same words 12 days later (a logit of +6 on words alone, above ``cap`` and under
    ``cap_sure``): with both dates from metadata it is a later event of the storyline; a
    date read from a text costs at most ``cap_text`` and the words join them; 3 days later
    the time term is under either cap and the words join them too."""
    from newsfold.events import TIME_PRIOR

    assert TIME_PRIOR["cap"] < 6.0 < TIME_PRIOR["cap_sure"]
    vec = np.ones(4, dtype=np.float32) / 2
    text = "Lena Okafor opened the Brarn dam in Saltmere."
    model = PairModel({"tfidf": 10.0}, bias=-4.0, threshold=0.5)
    start = dt.date(2025, 1, 1)
    for gap, sure, joined in ((12, True, False), (12, False, True), (3, True, True)):
        first = doc_features("d0", "", text, vec, start, "en", date_sure=True)
        later = doc_features(
            "d1", "", text, vec, start + dt.timedelta(days=gap), "en", date_sure=sure
        )
        clusterer = StreamingClusterer(
            ClusterConfig(model=model, cross_model=None, time_prior=dict(TIME_PRIOR))
        )
        got = [clusterer.add(first)[0], clusterer.add(later)[0]]
        assert (got[0] == got[1]) is joined, (gap, sure)


def test_a_quoted_date_in_an_event_does_not_make_its_later_reports_pay_cap_sure() -> None:
    """A report dated from a date its text quotes (40 days early) joins its event on its
    words (cap_text); the event's days now span 40 days, so a same-day report dated from
    metadata, with the same words, must not pay cap_sure for that span (found by review:
    it founded an event of its own)."""
    from newsfold.events import TIME_PRIOR

    vec = np.ones(4, dtype=np.float32) / 2
    text = "Lena Okafor opened the Brarn dam in Saltmere."
    model = PairModel({"tfidf": 10.0}, bias=-4.0, threshold=0.5)
    clusterer = StreamingClusterer(
        ClusterConfig(model=model, cross_model=None, time_prior=dict(TIME_PRIOR))
    )
    clusterer.config.window_days = 400
    day, quoted = dt.date(2025, 3, 1), dt.date(2025, 1, 20)
    got = [
        clusterer.add(doc_features("d0", "", text, vec, day, "en", date_sure=True))[0],
        clusterer.add(doc_features("d1", "", text, vec, quoted, "en"))[0],  # from its text
        clusterer.add(doc_features("d2", "", text, vec, day, "en", date_sure=True))[0],
    ]
    assert len(set(got)) == 1, got


def test_a_date_read_from_a_text_weighs_less_against_a_join() -> None:
    """Two reports with the same words 200 days apart: with dates from metadata the time
    prior keeps them apart (capped at ``cap_sure``); when either date was read from the text
    (a date it quotes, at times) it costs at most ``cap_text``, and the words join them."""
    from newsfold.events import TIME_PRIOR, doc_weights, event_as_doc, pair_features, time_logit

    assert TIME_PRIOR["cap_text"] < TIME_PRIOR["cap"]
    vec = np.ones(4, dtype=np.float32) / 2
    text = "Lena Okafor opened the Brarn dam in Saltmere."
    days = (dt.date(2025, 1, 1), dt.date(2025, 7, 20))
    df = DocumentFrequencies()
    # bias and weight: a logit of +3 with full word overlap, between the two caps
    model = PairModel({"tfidf": 10.0}, bias=-7.0, threshold=0.5)
    for sure, joined in (((True, True), False), ((False, True), True), ((True, False), True)):
        first, later = (
            doc_features(f"d{n}", "", text, vec, day, "en", date_sure=s)
            for n, (day, s) in enumerate(zip(days, sure, strict=True))
        )
        event = EventState(id="e", vector_sum=np.zeros(4, dtype=np.float32))
        event.add(first)
        feats = pair_features(later, event, df, doc_weights(later, df), competing=1)
        assert feats["text_dated"] == float(not all(sure))
        cap = TIME_PRIOR["cap_sure"] if all(sure) else TIME_PRIOR["cap_text"]
        assert time_logit(feats, TIME_PRIOR) == -cap
        clusterer = StreamingClusterer(
            ClusterConfig(model=model, cross_model=None, time_prior=dict(TIME_PRIOR))
        )
        clusterer.config.window_days = 400  # a candidate whatever the dates
        got = [clusterer.add(first)[0], clusterer.add(later)[0]]
        assert (got[0] == got[1]) is joined, sure
    # one report of an event dated from its text does not make the event's metadata
    # dates less sure: an article dated from metadata 20 days on pays the full cap (not
    # cap_sure: that quoted date may be what widens the event's days)
    event = EventState(id="m", vector_sum=np.zeros(4, dtype=np.float32))
    for n, sure in enumerate((True, True, False)):
        event.add(doc_features(f"m{n}", "", text, vec, days[0], "en", date_sure=sure))
    later = doc_features("m9", "", text, vec, dt.date(2025, 1, 21), "en", date_sure=True)
    feats = pair_features(later, event, df, doc_weights(later, df), competing=1)
    assert feats["text_dated"] == 0.0 and feats["sure_dates"] == 0.0
    assert time_logit(feats, TIME_PRIOR) == -TIME_PRIOR["cap"]
    later = doc_features("m9", "", text, vec, dt.date(2025, 1, 21), "en")  # from its text
    feats = pair_features(later, event, df, doc_weights(later, df), competing=1)
    assert time_logit(feats, TIME_PRIOR) == -TIME_PRIOR["cap_text"]
    # an event compared as one article (merge checks) is text-dated when all its dates are
    assert event_as_doc(event).date_sure
    only_text = EventState(id="t", vector_sum=np.zeros(4, dtype=np.float32))
    only_text.add(doc_features("t0", "", text, vec, days[0], "en"))
    assert not event_as_doc(only_text).date_sure
    # within a week a text date is as good as any (a dateline): an update six days on
    # pays at least the capped penalty however it was dated (more when both dates are
    # from metadata: cap_sure)
    update = {"days": 6.0, "span": 7.0, "undated": 0.0, "sure_dates": 1.0}
    assert -TIME_PRIOR["cap_sure"] < time_logit(update, TIME_PRIOR) < -TIME_PRIOR["cap"]
    text_update = {**update, "text_dated": 1.0, "sure_dates": 0.0}
    assert time_logit(text_update, TIME_PRIOR) == -TIME_PRIOR["cap"]
    assert time_logit({**text_update, "days": 7.0}, TIME_PRIOR) == -TIME_PRIOR["cap_text"]


def _dated(doc_id: str, day: str, text: str, vec: np.ndarray) -> DocFeatures:
    return doc_features(doc_id, "", text, vec, dt.date.fromisoformat(day), "en")


def test_competing_counts_live_events_first_dated_within_a_week() -> None:
    from newsfold.events import DENSITY_DAYS

    clusterer = StreamingClusterer(ClusterConfig(merge_threshold=2.0))
    rng = np.random.default_rng(3)
    days = ["2025-05-01", "2025-05-03", "2025-05-09", "2025-06-20"]
    for n, day in enumerate(days):  # orthogonal-ish random vectors: each opens its own event
        v = rng.normal(size=64).astype(np.float32)
        clusterer.add(_dated(f"d{n}", day, f"Word{n} happening number {n}.", v / np.linalg.norm(v)))
    assert len(clusterer.events) == 4
    assert DENSITY_DAYS == 7
    assert clusterer.competing(dt.date(2025, 5, 2)) == 3  # 1, 3 and 9 May
    assert clusterer.competing(dt.date(2025, 5, 17)) == 0  # 9 May is 8 days before
    assert clusterer.competing(dt.date(2025, 6, 14)) == 1
    assert clusterer.competing(None) == 0
    # an event is counted under its first date, once, and no more once merged away
    first, second = (clusterer.events[short_id("ev", f"d{n}")] for n in (0, 1))
    first.absorb(second)
    del clusterer.events[second.id]
    clusterer.track(second)
    clusterer.track(first)
    assert clusterer.competing(dt.date(2025, 5, 2)) == 2
    # reloading rebuilds the same counts
    again = StreamingClusterer(ClusterConfig(merge_threshold=2.0))
    again.load(clusterer.events.values(), clusterer.df)
    assert again.competing(dt.date(2025, 5, 2)) == 2 and again.competing(dt.date(2025, 6, 20)) == 1


def test_dated_evidence_weakens_with_competing_events_and_ends_after_a_week() -> None:
    from newsfold.events import doc_weights, pair_features

    vec = np.ones(8, dtype=np.float32) / np.sqrt(8)
    event = EventState(id="e", vector_sum=np.zeros(8, dtype=np.float32))
    event.add(_dated("a", "2025-05-01", "Fire at the Brarn Foods plant in Brenrford.", vec))
    df = DocumentFrequencies()
    near = _dated("b", "2025-05-02", "Fire at the Brarn Foods plant in Brenrford.", vec)
    far = _dated("c", "2025-05-20", "Fire at the Brarn Foods plant in Brenrford.", vec)
    undated = doc_features("u", "", "Fire at the Brarn Foods plant in Brenrford.", vec, None, "en")
    w = doc_weights(near, df)
    assert pair_features(near, event, df, w, competing=1)["dated"] == 1.0
    assert pair_features(near, event, df, w, competing=4)["dated"] == 0.25
    assert pair_features(far, event, df, doc_weights(far, df), competing=1)["dated"] == 0.0
    assert pair_features(undated, event, df, doc_weights(undated, df), competing=0)["dated"] == 0.0


def test_name_miss_is_high_when_who_and_where_disagree() -> None:
    from newsfold.events import doc_weights, pair_features

    vec = np.ones(8, dtype=np.float32) / np.sqrt(8)
    event = EventState(id="e", vector_sum=np.zeros(8, dtype=np.float32))
    text = "Fire at the Brarn Foods plant in Brenrford kills 16."
    event.add(_dated("a", "2025-05-01", text, vec))
    df = DocumentFrequencies()
    other = _dated("b", "2025-05-01", "Fire at the Graik Energy plant in Kreistava kills 5.", vec)
    same = _dated("c", "2025-05-01", "A fire at Brarn Foods in Brenrford killed 16 workers.", vec)
    miss = pair_features(other, event, df, doc_weights(other, df), competing=1)["name_miss"]
    hit = pair_features(same, event, df, doc_weights(same, df), competing=1)["name_miss"]
    assert miss == 1.0 and hit == 0.0
    nameless = _dated("d", "2025-05-01", "a fire killed sixteen workers at a plant.", vec)
    nameless_w = doc_weights(nameless, df)
    assert pair_features(nameless, event, df, nameless_w, competing=1)["name_miss"] == 0.0
    # who and where disagreeing, being dated the same day is no evidence at all
    assert pair_features(other, event, df, doc_weights(other, df), competing=1)["dated"] == 0.0
    assert pair_features(same, event, df, doc_weights(same, df), competing=1)["dated"] == 1.0


@pytest.mark.parametrize("others", [0, 6])
def test_same_day_events_with_one_template_and_different_names_stay_apart(others: int) -> None:
    """Two fires told with the same words but other names, alone in a new store (few
    events compete for the week: being dated together weighs most) or on a busier day;
    being dated the same day must not join them."""
    embedder = HashingEmbedder(dim=256)
    rows = [(f"o{n}", f"Story {n} of the week", f"Quite another thing number {n} happened.")
            for n in range(others)] + [
        ("f1", "Fire at Brarn Foods plant in Brenrford kills 16",
         "A fire at the Brarn Foods plant in Brenrford killed 16 workers, said Hana Mialson."),
        ("f2", "Fire at Graik Energy plant in Kreistava kills 5",
         "A fire at the Graik Energy plant in Kreistava killed 5 workers, said Ines Hiakic."),
        ("f3", "Brenrford fire: 16 dead at Brarn Foods",
         "Hana Mialson said 16 workers died in the fire at Brarn Foods in Brenrford."),
        ("f4", "Kreistava fire at Graik Energy kills 5",
         "Ines Hiakic said the fire at the Graik Energy plant in Kreistava killed 5."),
    ]  # fmt: skip
    vectors = embedder.embed([lead(t, x) for _, t, x in rows])
    clusterer = StreamingClusterer()
    got = {
        i: clusterer.add(doc_features(i, t, x, v, dt.date(2025, 1, 7), "en"))[0]
        for (i, t, x), v in zip(rows, vectors, strict=True)
    }
    assert got["f1"] != got["f2"]
    assert got["f1"] == got["f3"] and got["f2"] == got["f4"]


def test_same_day_events_told_in_one_template_merge_only_where_names_agree() -> None:
    """Two derailments reported the same day in one template differ only in where and who:
    their words alike, they do not merge (the leading names disagree both ways); two
    pieces of one derailment do."""

    def derailment(n: str, place: str, region: str, person: str) -> DocFeatures:
        title = f"Train derails near {place}, 3 killed"
        body = (
            f"A passenger train derailed near {place} in {region} on Monday, killing three"
            f" people, said {person}, who heads the rail authority. Rescue teams worked"
            " overnight."
        )
        vec = np.asarray([1.0, 0.0, 0.0], dtype=np.float32)
        return doc_features(n, title, body, vec, dt.date(2025, 7, 28), "en", date_sure=True)

    here = ("Troulria", "North Sareinovo", "Karl Noriver")
    for there, merged in [(here, True), (("Velunino", "Sukstad Valley", "Sofia Noruova"), False)]:
        model = PairModel({"tfidf": 10.0}, bias=-5.0, threshold=0.5)
        clusterer = StreamingClusterer(ClusterConfig(model=model, merge_threshold=0.5))
        clusterer.place(derailment("b1", *there), short_id("ev", "b1"))  # events of their own
        clusterer.place(derailment("a1", *here), short_id("ev", "a1"))
        clusterer.add(derailment("a2", *here), force_event=short_id("ev", "a1"))  # grows: check
        assert clusterer.merges() == (
            [(short_id("ev", "a1"), short_id("ev", "b1"))] if merged else []
        )


def test_placement_calibration_counts_wrong_joins_and_split_off_foundings() -> None:
    from benchmarks.placement_calibration import tally

    gold = {"a": "G1", "b": "G1", "c": "G2", "d": "G1", "e": "G1"}
    events = {"a": "E1", "b": "E1", "c": "E1", "d": "E2", "e": "E1"}
    placed = {
        "a": {"threshold": 0.5, "borderline": False},  # founded the main piece of G1
        "b": {"score": 0.9, "borderline": False},  # right
        "c": {"score": 0.55, "borderline": True},  # G2 put with G1: a wrong join
        "d": {"runner_up": "E1", "runner_up_score": 0.3, "borderline": True},  # split off
        "e": {"copy": True},
    }
    got = tally(gold, events, placed)
    assert got["found"] == {"all": 1, "wrong": 0} and got["join"] == {"all": 1, "wrong": 0}
    assert got["join ?"] == {"all": 1, "wrong": 1} and got["found ?"] == {"all": 1, "wrong": 1}
    assert got["copy"] == {"all": 1, "wrong": 0}
