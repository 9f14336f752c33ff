"""Fast, hermetic tests of the SemEval-style pair scorer (pairs.py): no shared data,
the hashing embedder instead of the multilingual encoder."""

from __future__ import annotations

import math
from importlib import resources

import numpy as np
import pytest

from newsfold import pairs
from newsfold.embed import HashingEmbedder
from newsfold.pairs import (
    PAIR_FEATURES,
    MissingPairModel,
    PairScorer,
    char_grams,
    export_mlp,
    export_trees,
    latin_names,
    load_pair_model,
    predict,
    predict_trees,
    sentences,
    split_text,
    strip_marks,
)

FLOOD_EN = (
    "Floods kill 42 in Oska valley  Floods in the Oska valley of Kalvaria killed 42 people "
    "on Tuesday, said Lena Okafor in Brenvik. Rescue teams searched for 17 missing in 2025.",
    "en",
)
FLOOD_DE = (
    "Hochwasser im Oska-Tal: 42 Tote  Das Hochwasser im Oska-Tal in Kalvaria hat 42 Menschen "
    "getötet, sagte Lena Okafor in Brenvik. Rettungskräfte suchen 17 Vermisste.",
    "de",
)
ELECTION_EN = (
    "Müller wins Brenvik mayoral vote  Anna Müller won the mayoral election in Brenvik "
    "with 61 percent of the vote, the election office said on Sunday in 2024.",
    "en",
)


def test_tree_export_round_trip() -> None:
    from sklearn.ensemble import HistGradientBoostingRegressor

    rng = np.random.default_rng(0)
    x = rng.random((300, 3))
    y = 2 * x[:, 0] - x[:, 1] * x[:, 2] + rng.normal(0, 0.05, 300)
    fit = HistGradientBoostingRegressor(max_iter=30, max_depth=3, random_state=0).fit(x, y)
    model = export_trees(fit, ["a", "b", "c"])
    got = [predict_trees(model, dict(zip("abc", row, strict=True))) for row in x[:50]]
    assert np.allclose(got, fit.predict(x[:50]), atol=1e-4)


def test_mlp_export_round_trip_and_blend() -> None:
    from sklearn.neural_network import MLPRegressor
    from sklearn.preprocessing import StandardScaler

    rng = np.random.default_rng(1)
    x = rng.random((200, 3)) * [1.0, 10.0, 0.1]
    y = x[:, 0] + x[:, 1] / 10 - 5 * x[:, 2]
    scaler = StandardScaler().fit(x)
    nets = [
        MLPRegressor(hidden_layer_sizes=(8,), max_iter=2000, random_state=s).fit(
            scaler.transform(x), y
        )
        for s in (0, 1)
    ]
    model = export_mlp(scaler, nets, ["a", "b", "c"])
    want = np.mean([n.predict(scaler.transform(x[:20])) for n in nets], axis=0)
    rows = [dict(zip("abc", row, strict=True)) for row in x[:20]]
    assert np.allclose([predict(model, f) for f in rows], want, atol=1e-4)
    blend = {
        "kind": "blend",
        "weights": [0.25, 0.75],
        "parts": [model, {"bias": 2.0, "weights": {}}],
    }
    assert predict(blend, rows[0]) == pytest.approx(0.25 * want[0] + 1.5, abs=1e-4)


def test_pair_features_symmetric_and_complete() -> None:
    scorer = PairScorer(embedder=HashingEmbedder(), model={})
    texts = [FLOOD_EN, FLOOD_DE, ELECTION_EN]
    forward = scorer.pair_features(texts, texts[1:] + texts[:1])
    backward = scorer.pair_features(texts[1:] + texts[:1], texts)
    for f, g in zip(forward, backward, strict=True):
        assert set(f) >= set(PAIR_FEATURES)
        assert set(f) >= {"embedding", "covered", "numbers"}  # the cross model reads these
        for key in PAIR_FEATURES:
            assert math.isfinite(f[key]), key
            assert f[key] == pytest.approx(g[key], abs=1e-6), key


def test_same_event_shares_more_than_different_event() -> None:
    scorer = PairScorer(embedder=HashingEmbedder(), model={})
    same, other = scorer.pair_features([FLOOD_EN, FLOOD_EN], [FLOOD_DE, ELECTION_EN])
    assert same["latin_weighted"] > other["latin_weighted"]
    assert same["num_shared"] > other["num_shared"]
    assert same["lang_en"] == 1.0 and same["lang_de"] == 1.0 and same["same_language"] == 0.0
    assert other["lang_en"] == 2.0 and other["same_language"] == 1.0


def test_self_features_flag_a_body_that_is_not_its_headlines_story() -> None:
    # the headline of FLOOD_EN over a body of registration and cookie text
    junk = (
        "Floods kill 42 in Oska valley  Please register for free to read our archive. "
        "Accept all cookies to continue reading. Subscribe to our newsletter today.",
        "en",
    )
    scorer = PairScorer(embedder=HashingEmbedder(), model={})
    clean, boiler = scorer.pair_features([FLOOD_EN, junk], [FLOOD_DE, FLOOD_DE])
    for f in (clean, boiler):
        assert -1.0 <= f["self_min"] <= f["self_max"] <= 1.0
    assert boiler["self_max"] == pytest.approx(clean["self_max"])  # FLOOD_DE's own
    assert boiler["self_min"] < clean["self_min"] - 0.1
    assert clean["cos_head"] == pytest.approx(boiler["cos_head"])  # same headline


def test_shipped_model_loads_and_scores() -> None:
    path = resources.files("newsfold").joinpath(pairs.MODEL_RESOURCE)
    assert len(path.read_bytes()) < 1_000_000
    model = load_pair_model()
    assert model["kind"] == "blend"
    assert [p["kind"] for p in model["parts"]] == ["trees", "mlp"]
    assert all(tuple(p["features"]) == PAIR_FEATURES for p in model["parts"])
    scorer = PairScorer(embedder=HashingEmbedder())
    scores = scorer.score_texts([FLOOD_EN, FLOOD_EN], [FLOOD_EN, ELECTION_EN])
    assert all(math.isfinite(s) for s in scores)
    assert scores[0] > scores[1]  # the same text is more alike than another story


def test_missing_model_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pairs, "MODEL_RESOURCE", "data/no_such_model.json")
    with pytest.raises(MissingPairModel, match="train_semeval"):
        load_pair_model()
    scorer = PairScorer(embedder=HashingEmbedder())  # construction does not need the file
    with pytest.raises(MissingPairModel):
        scorer.score_texts([FLOOD_EN], [FLOOD_DE])


def test_empty_model_gives_features_not_scores() -> None:
    scorer = PairScorer(embedder=HashingEmbedder(), model={})
    with pytest.raises(ValueError, match="empty model"):
        scorer.score_texts([FLOOD_EN], [FLOOD_DE])


def test_text_parts() -> None:
    title, body = split_text("Sch\u00c3\u00b6ne Gr\u00c3\u00bc\u00c3\u009fe  Ein  Text.\nZwei.")
    assert title == "Schöne Grüße" and body == "Ein Text. Zwei."
    assert split_text("no title here. just text.") == ("", "no title here. just text.")
    assert sentences(
        "First sentence here. Second one is here too!\n"
        "第一句话在这里说了很多事情。第二句话也在这里说了一些。短句。"
    ) == [
        "First sentence here.",
        "Second one is here too!",
        "第一句话在这里说了很多事情。",
        "第二句话也在这里说了一些。",  # "短句。" is too short to count
    ]
    # diacritics stripped, first 5 letters: "Müller" meets "Muller", "Brenviks" meets "Brenvik"
    assert latin_names("Anna Müller in Brenviks") == latin_names("Anna Muller in Brenvik")
    assert {"anna", "mulle", "brenv"} <= latin_names("Anna Müller in Brenvik")


def test_char4_is_sklearn_char_wb_tfidf_cosine() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    assert char_grams("Über ab") == {" ube": 1, "uber": 1, "ber ": 1, " ab ": 1}
    texts = [FLOOD_EN, FLOOD_DE, ELECTION_EN]
    scorer = PairScorer(embedder=HashingEmbedder(), model={})
    got = [f["char4"] for f in scorer.pair_features(texts, texts[1:] + texts[:1])]
    keys = ["\n".join(split_text(t)) for t, _ in texts]
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(4, 4), sublinear_tf=True)
    m = vectorizer.fit_transform([strip_marks(k).casefold() for k in keys])
    want = [float(m[i].multiply(m[(i + 1) % 3]).sum()) for i in range(3)]
    assert np.allclose(got, want, atol=1e-9)
    assert got[0] > got[1]  # the German flood report shares more with the English one
    same = scorer.pair_features([FLOOD_EN], [FLOOD_EN])[0]
    assert same["char4"] == pytest.approx(1.0) and same["char4_head"] == pytest.approx(1.0)
