"""newsfold's same-event score of two articles, as SemEval-2022 Task 8 rates pairs.

The pairwise counterpart of the streaming clusterer (:mod:`newsfold.events`): two
single articles, each seen as a one-article event, give symmetric pair features
that go through the shipped ``pair`` model (boosted trees exported to JSON).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from newsfold.events import shipped_models, similarity
from newsfold.features import DocFeatures, DocumentFrequencies

# ---------------------------------------------------------------------------- pairs
PAIR_FEATURES = (
    "embedding",
    "tfidf",
    "names",
    "numbers",
    "title",
    "salient",
    "covered",
    "cross_language",
)


class PairScorer:
    """newsfold's same-event score of two articles (higher: more likely one event).

    The symmetric pair features (each article against the other as a one-article
    event, averaged both ways) go through the shipped ``pair`` model, a linear
    model fitted to the SemEval-2022 Task 8 training pairs. Texts are repaired
    (mojibake) and embedded the way the pipeline embeds articles; the document
    frequencies come from the texts being compared, as a store would hold them.
    """

    def __init__(self, embedder: Any = None, model: Mapping[str, Any] | None = None) -> None:
        self.embedder = embedder
        self.model = dict(model) if model is not None else shipped_models().get("pair")

    def _embedder(self) -> Any:
        if self.embedder is None:
            from newsfold.embed import make_embedder

            self.embedder = make_embedder("use-m3")
        return self.embedder

    def prepare(self, texts: Sequence[tuple[str, str]]) -> list[DocFeatures]:
        """(text, language) pairs to features; a title is split off at the first
        double space when the part before it is short (the SemEval layout)."""
        import ftfy

        from newsfold.embed import lead
        from newsfold.features import doc_features

        parts = []
        for text, _ in texts:
            fixed = ftfy.fix_text(text)
            head, sep, body = fixed.partition("  ")
            if sep and 0 < len(head.strip()) <= 200 and body.strip():
                parts.append((head.strip(), " ".join(body.split())))
            else:
                parts.append(("", " ".join(fixed.split())))
        unique = {p: n for n, p in enumerate(dict.fromkeys(parts))}
        order = list(unique)
        vectors = self._embedder().embed([lead(t, b) for t, b in order])
        by_part = {p: vectors[unique[p]] for p in order}
        return [
            doc_features(str(n), t, b, by_part[(t, b)], None, lang or "und")
            for n, ((t, b), (_, lang)) in enumerate(zip(parts, texts, strict=True))
        ]

    def pair_features(
        self, left: Sequence[tuple[str, str]], right: Sequence[tuple[str, str]]
    ) -> list[dict[str, float]]:
        docs = self.prepare([*left, *right])
        a_docs, b_docs = docs[: len(left)], docs[len(left) :]
        df = DocumentFrequencies()
        seen: set[str] = set()
        for doc, (text, _) in zip(docs, [*left, *right], strict=True):
            if text not in seen:
                seen.add(text)
                df.add(doc.keys())
        out = []
        for a, b in zip(a_docs, b_docs, strict=True):
            f, g = similarity(a, b, df), similarity(b, a, df)
            out.append({k: (f[k] + g[k]) / 2 for k in f})
        return out

    def score_features(self, features: Mapping[str, float]) -> float:
        """Same-event score of one pair: 1 very similar .. 0 very dissimilar (may overshoot)."""
        if not self.model:
            return float(features.get("embedding", 0.0))
        if self.model.get("kind") == "trees":
            overall = predict_trees(self.model, features)
        else:
            overall = float(self.model["bias"]) + sum(
                float(w) * features.get(k, 0.0) for k, w in self.model["weights"].items()
            )
        return (4.0 - overall) / 3.0

    def score_texts(
        self, left: Sequence[tuple[str, str]], right: Sequence[tuple[str, str]]
    ) -> list[float]:
        return [self.score_features(f) for f in self.pair_features(left, right)]

    def fit(
        self, features: Sequence[Mapping[str, float]], overall: np.ndarray
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """Fit the pair model to gold Overall ratings (1 similar .. 4 not): 100 boosted
        trees of depth 2 (a few kilobytes of JSON), checked by 5-fold CV on the same data."""
        from sklearn.ensemble import HistGradientBoostingRegressor
        from sklearn.model_selection import cross_val_predict

        x = np.array([[f[k] for k in PAIR_FEATURES] for f in features])

        def make() -> Any:
            return HistGradientBoostingRegressor(
                max_iter=100, max_depth=2, learning_rate=0.1, random_state=0
            )

        cv = cross_val_predict(make(), x, overall, cv=5)
        fit = make().fit(x, overall)
        model = export_trees(fit, PAIR_FEATURES)
        self.model = model
        train = [predict_trees(model, f) for f in features]
        return model, {
            "pairs": len(x),
            "train_r": round(float(np.corrcoef(train, overall)[0, 1]), 4),
            "cv5_r": round(float(np.corrcoef(cv, overall)[0, 1]), 4),
        }


def export_trees(fit: Any, names: Sequence[str]) -> dict[str, Any]:
    """A fitted sklearn HistGradientBoostingRegressor as plain JSON-able lists.

    Each node is ``[feature, threshold, left, right, value]``; a leaf has feature -1.
    """
    trees = []
    for (predictor,) in fit._predictors:  # one tree per iteration (regression)
        nodes = []
        for node in predictor.nodes:
            if node["is_leaf"]:
                nodes.append([-1, 0.0, 0, 0, round(float(node["value"]), 6)])
            else:
                nodes.append(
                    [
                        int(node["feature_idx"]),
                        float(node["num_threshold"]),
                        int(node["left"]),
                        int(node["right"]),
                        0.0,
                    ]
                )
        trees.append(nodes)
    return {
        "kind": "trees",
        "features": list(names),
        "base": float(np.ravel(fit._baseline_prediction)[0]),
        "trees": trees,
    }


def predict_trees(model: Mapping[str, Any], features: Mapping[str, float]) -> float:
    """Evaluate a model written by :func:`export_trees` (x <= threshold goes left)."""
    x = [features.get(k, 0.0) for k in model["features"]]
    total = float(model["base"])
    for nodes in model["trees"]:
        i = 0
        while nodes[i][0] >= 0:
            feature, threshold, left, right, _ = nodes[i]
            i = left if x[feature] <= threshold else right
        total += nodes[i][4]
    return total
