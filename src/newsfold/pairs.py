"""newsfold's same-event score of two articles, as SemEval-2022 Task 8 rates pairs.

The pairwise counterpart of the streaming clusterer (:mod:`newsfold.events`). Each
text is repaired (mojibake, :mod:`ftfy`), split into a headline, a lead and
sentences, and embedded with the multilingual encoder; two texts then give
language-neutral, symmetric pair features:

* the clusterer's own pair features (each article against the other as a
  one-article event, averaged both ways): ``embedding`` (lead cosine),
  ``covered``, ``numbers``... - the cross-language model of
  ``benchmarks/train_pair_model.py`` reads these, so they keep their meaning;
* cosines of the headlines, of the whole texts, headline against text;
* ``self_min``/``self_max``: each text's headline against its own text (the lower
  and the higher of the two): a text whose body is boilerplate, or another story,
  has a headline far from its own text, and the model learns to lean on the
  headlines then;
* sentence against sentence cosines (best match each way, the top ones, the
  share of sentences with a close match);
* shared numbers and years, shared Latin-script names (diacritics stripped, so
  "Müller" meets "Muller"), weighted by how rare they are among the texts scored;
* ``char4``: the TF-IDF cosine of the texts' character 4-grams (within words,
  diacritics stripped, case folded; document frequencies from the texts scored):
  inflected forms, compounds and names in any script meet without a word list;
  ``char4_head`` the same for the headlines;
* length ratio and the two languages.

They go through the shipped pair model, ``newsfold/data/pair_model.json``: the mean
of boosted regression trees (:func:`export_trees`) and of five small neural nets
(:func:`export_mlp`), fitted by ``benchmarks/train_semeval.py`` to the Overall rating
of SemEval's ``training_set.csv`` only (pairs also in the testing set left out).
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np

from newsfold.errors import NewsfoldError
from newsfold.events import similarity
from newsfold.features import STOPWORDS, DocFeatures, DocumentFrequencies
from newsfold.features import numbers as find_numbers

MODEL_RESOURCE = "data/pair_model.json"

# The clusterer's pair features kept in every pair's feature dict (the cross model
# of benchmarks/train_pair_model.py reads "embedding", "covered" and "numbers").
EVENT_PAIR_FEATURES = (
    "embedding",
    "tfidf",
    "names",
    "numbers",
    "title",
    "salient",
    "covered",
    "cross_language",
)
# Languages with an indicator feature each (how many of the two texts are in it).
LANGUAGES = ("ar", "de", "en", "es", "fr", "it", "pl", "ru", "tr", "zh")

PAIR_FEATURES = (
    *EVENT_PAIR_FEATURES,
    "cos_full",
    "cos_head",
    "cos_head_full",
    "cos_centroid",
    "self_min",
    "self_max",
    "sent_max",
    "sent_best",
    "sent_top3",
    "sent_close",
    "sent_mean",
    "num_shared",
    "num_weighted",
    "years_shared",
    "year_conflict",
    "latin_weighted",
    "latin_shared",
    "char4",
    "char4_head",
    "len_ratio",
    "same_language",
    *(f"lang_{x}" for x in LANGUAGES),
)

SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=\S)|(?<=[。！？；])|\n+")
MAX_SENTENCES = 16
MIN_SENTENCE_CHARS = 12
HEAD_CHARS = 200
LATIN_WORD = re.compile(r"\b[A-Za-z][A-Za-z'-]{2,}")
CLOSE = 0.6  # a sentence with a counterpart this close says the same thing
GRAM = 4  # characters in the n-grams of char4


class MissingPairModel(NewsfoldError):
    """The pair model file is not in the installed package."""

    def __init__(self) -> None:
        super().__init__(
            f"newsfold/{MODEL_RESOURCE} is missing: reinstall newsfold, or rebuild it with "
            "python -m benchmarks.train_semeval"
        )


def load_pair_model() -> dict[str, Any]:
    """The shipped pair model (``newsfold/data/pair_model.json``); :class:`MissingPairModel`
    when the file is absent (there is no silent fallback: scores would mean something else)."""
    try:
        text = resources.files("newsfold").joinpath(MODEL_RESOURCE).read_text("utf-8")
    except (FileNotFoundError, ModuleNotFoundError):
        raise MissingPairModel() from None
    model: dict[str, Any] = json.loads(text)
    return model


def split_text(text: str) -> tuple[str, str]:
    """Repaired (title, body); a title is split off at the first double space or line
    break when the part before it is short (the SemEval layout), else there is none."""
    import ftfy

    fixed = ftfy.fix_text(text).strip()
    match = re.search(r"\s{2,}|\n", fixed)
    if match:
        head, body = fixed[: match.start()].strip(), fixed[match.end() :].strip()
        if 0 < len(head) <= HEAD_CHARS and body:
            return head, " ".join(body.split())
    return "", " ".join(fixed.split())


def sentences(text: str) -> list[str]:
    """Sentences of at least a few characters, the first :data:`MAX_SENTENCES`."""
    out = [s.strip() for s in SENTENCE_END.split(text)]
    return [s for s in out if len(s) >= MIN_SENTENCE_CHARS][:MAX_SENTENCES]


def latin_names(text: str) -> frozenset[str]:
    """Capitalised Latin-script words (diacritics stripped, first 5 letters so that
    inflected forms meet): names that read the same across Latin-script languages
    and that other scripts often keep as written."""
    out = set()
    for match in LATIN_WORD.finditer(strip_marks(text)):
        word = match.group(0)
        if not word[0].isupper():
            continue
        key = word.casefold()
        if key in STOPWORDS:
            continue
        out.add(key[:5])
    return frozenset(out)


def strip_marks(text: str) -> str:
    """``text`` without diacritics ("Müller" gives "Muller")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def char_grams(text: str, n: int = GRAM) -> Counter[str]:
    """Character ``n``-grams inside words (each word padded with a space both sides, a
    word shorter than that gives itself), diacritics stripped, case folded: what
    scikit-learn's ``TfidfVectorizer(analyzer="char_wb")`` counts."""
    out: Counter[str] = Counter()
    for word in strip_marks(text).casefold().split():
        padded = f" {word} "
        if len(padded) <= n:
            out[padded] += 1
            continue
        out.update(padded[i : i + n] for i in range(len(padded) - n + 1))
    return out


def years(found: frozenset[str]) -> frozenset[str]:
    return frozenset(n for n in found if len(n) == 4 and n.isdigit() and 1900 <= int(n) <= 2100)


@dataclass(slots=True)
class PairText:
    """One text as the pair features see it."""

    doc: DocFeatures  # the clusterer's features (lead vector)
    key: str
    language: str
    head_vector: np.ndarray
    full_vector: np.ndarray
    sentence_matrix: np.ndarray  # one unit row per sentence (at least one row)
    numbers: frozenset[str]
    years: frozenset[str]
    latin: frozenset[str]
    grams: Counter[str]  # char_grams of title and body
    head_grams: Counter[str]  # char_grams of the headline (title, else the first sentence)
    length: int


class PairScorer:
    """newsfold's same-event score of two articles (higher: more likely one event).

    The symmetric pair features go through the shipped pair model
    (:func:`load_pair_model`; a ``model`` passed in is used instead). The document
    frequencies come from the texts being compared, as a store would hold them.
    """

    def __init__(self, embedder: Any = None, model: Mapping[str, Any] | None = None) -> None:
        self.embedder = embedder
        self._model = dict(model) if model is not None else None

    @property
    def model(self) -> dict[str, Any]:
        if self._model is None:
            self._model = load_pair_model()
        return self._model

    @model.setter
    def model(self, value: Mapping[str, Any]) -> None:
        self._model = dict(value)

    def _embedder(self) -> Any:
        if self.embedder is None:
            from newsfold.embed import make_embedder

            self.embedder = make_embedder("use-m3")
        return self.embedder

    def prepare(self, texts: Sequence[tuple[str, str]]) -> list[PairText]:
        """(text, language) pairs to :class:`PairText`; every string is embedded once,
        in one batch."""
        from newsfold.embed import lead
        from newsfold.features import doc_features

        parts = [split_text(text) for text, _ in texts]
        plans = []
        wanted: dict[str, int] = {}
        for title, body in parts:
            sents = sentences(body) or [body or title or "(empty)"]
            head = title or sents[0][:HEAD_CHARS]
            full = f"{title}. {body}" if title else body
            plan = (lead(title, body), head, full, sents)
            for s in (plan[0], head, full, *sents):
                wanted.setdefault(s, len(wanted))
            plans.append(plan)
        vectors = self._embedder().embed(list(wanted))
        out = []
        for n, ((title, body), (_, language), plan) in enumerate(
            zip(parts, texts, plans, strict=True), start=0
        ):
            lead_text, head, full, sents = plan
            lang = language or "und"
            found = find_numbers(f"{title}\n{body}")
            out.append(
                PairText(
                    doc=doc_features(str(n), title, body, vectors[wanted[lead_text]], None, lang),
                    key=f"{title}\n{body}",
                    language=lang,
                    head_vector=vectors[wanted[head]],
                    full_vector=vectors[wanted[full]],
                    sentence_matrix=vectors[[wanted[s] for s in sents]],
                    numbers=found,
                    years=years(found),
                    latin=latin_names(f"{title}\n{body}"),
                    grams=char_grams(f"{title}\n{body}"),
                    head_grams=char_grams(head),
                    length=len(title) + len(body),
                )
            )
        return out

    def pair_features(
        self, left: Sequence[tuple[str, str]], right: Sequence[tuple[str, str]]
    ) -> list[dict[str, float]]:
        """Symmetric features of each (left[i], right[i]) pair (see the module docstring)."""
        texts = self.prepare([*left, *right])
        a_texts, b_texts = texts[: len(left)], texts[len(left) :]
        df = DocumentFrequencies()
        rare: Counter[str] = Counter()  # document frequencies of numbers and Latin names
        gram_df: Counter[str] = Counter()  # and of character n-grams
        head_df: Counter[str] = Counter()  # (of the headlines alone)
        seen: set[str] = set()
        for t in texts:
            if t.key not in seen:
                seen.add(t.key)
                df.add(t.doc.keys())
                rare.update({"#" + x for x in t.numbers} | {"@" + x for x in t.latin})
                gram_df.update(t.grams.keys())
                head_df.update(t.head_grams.keys())
        n_docs = len(seen)

        def idf(key: str) -> float:
            return math.log((1 + n_docs) / (1 + rare.get(key, 0))) + 1.0

        grams: dict[str, dict[str, float]] = {}
        head_grams: dict[str, dict[str, float]] = {}
        for t in texts:
            if t.key not in grams:
                grams[t.key] = _tfidf(t.grams, gram_df, n_docs)
                head_grams[t.key] = _tfidf(t.head_grams, head_df, n_docs)
        out = []
        for a, b in zip(a_texts, b_texts, strict=True):
            features = _pair(a, b, df, idf)
            features["char4"] = _dot(grams[a.key], grams[b.key])
            features["char4_head"] = _dot(head_grams[a.key], head_grams[b.key])
            out.append(features)
        return out

    def score_features(self, features: Mapping[str, float]) -> float:
        """Same-event score of one pair: 1 very similar .. 0 very dissimilar (may overshoot)."""
        model = self.model
        if not model:
            raise ValueError("PairScorer has an empty model: it can give features, not scores")
        return (4.0 - predict(model, features)) / 3.0

    def score_texts(
        self, left: Sequence[tuple[str, str]], right: Sequence[tuple[str, str]]
    ) -> list[float]:
        return [self.score_features(f) for f in self.pair_features(left, right)]


def _pair(
    a: PairText, b: PairText, df: DocumentFrequencies, idf: Callable[[str], float]
) -> dict[str, float]:
    f, g = similarity(a.doc, b.doc, df), similarity(b.doc, a.doc, df)
    out = {k: (f[k] + g[k]) / 2 for k in EVENT_PAIR_FEATURES}
    sims = a.sentence_matrix @ b.sentence_matrix.T
    best_a, best_b = sims.max(axis=1), sims.max(axis=0)
    top = np.sort(sims, axis=None)[::-1][:3]
    ca, cb = a.sentence_matrix.mean(axis=0), b.sentence_matrix.mean(axis=0)
    out["cos_full"] = float(a.full_vector @ b.full_vector)
    out["cos_head"] = float(a.head_vector @ b.head_vector)
    out["cos_head_full"] = float(a.head_vector @ b.full_vector + b.head_vector @ a.full_vector) / 2
    out["cos_centroid"] = float(ca @ cb / (np.linalg.norm(ca) * np.linalg.norm(cb) or 1.0))
    # how well each text's headline sums up its own text: low when the body is
    # boilerplate or another story, so the headline features should count more
    own = sorted((float(a.head_vector @ a.full_vector), float(b.head_vector @ b.full_vector)))
    out["self_min"], out["self_max"] = own
    out["sent_max"] = float(sims.max())
    out["sent_best"] = float(best_a.mean() + best_b.mean()) / 2
    out["sent_top3"] = float(top.mean())
    out["sent_close"] = float((best_a >= CLOSE).mean() + (best_b >= CLOSE).mean()) / 2
    out["sent_mean"] = float(sims.mean())
    shared_numbers = a.numbers & b.numbers
    out["num_shared"] = math.log1p(len(shared_numbers))
    out["num_weighted"] = _weighted(a.numbers, b.numbers, "#", idf)
    out["years_shared"] = 1.0 if a.years & b.years else 0.0
    out["year_conflict"] = 1.0 if a.years and b.years and not a.years & b.years else 0.0
    out["latin_weighted"] = _weighted(a.latin, b.latin, "@", idf)
    out["latin_shared"] = math.log1p(len(a.latin & b.latin))
    out["len_ratio"] = min(a.length, b.length) / max(a.length, b.length, 1)
    out["same_language"] = 1.0 if a.language == b.language else 0.0
    for lang in LANGUAGES:
        out[f"lang_{lang}"] = float((a.language == lang) + (b.language == lang))
    return out


def _tfidf(counts: Mapping[str, int], df: Mapping[str, int], n_docs: int) -> dict[str, float]:
    """Unit TF-IDF vector: sublinear tf (1 + ln count) times the smoothed idf
    ln((1 + n) / (1 + df)) + 1, as scikit-learn's TfidfVectorizer(sublinear_tf=True)."""
    weights = {
        k: (1.0 + math.log(c)) * (math.log((1 + n_docs) / (1 + df.get(k, 0))) + 1.0)
        for k, c in counts.items()
    }
    norm = math.sqrt(sum(w * w for w in weights.values()))
    return {k: w / norm for k, w in weights.items()} if norm else {}


def _dot(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(b) < len(a):
        a, b = b, a
    return sum(w * b.get(k, 0.0) for k, w in a.items())


def _weighted(
    a: frozenset[str], b: frozenset[str], prefix: str, idf: Callable[[str], float]
) -> float:
    """IDF-weighted Jaccard overlap of two sets (0 when both are empty)."""
    union = a | b
    if not union:
        return 0.0
    total = sum(idf(prefix + x) for x in union)
    return sum(idf(prefix + x) for x in a & b) / total


def predict(model: Mapping[str, Any], features: Mapping[str, float]) -> float:
    """The Overall rating (1 very similar .. 4 not) a model predicts: ``kind`` "trees"
    (:func:`export_trees`), "mlp" (:func:`export_mlp`), "blend" (a weighted mean of
    ``parts``) or a linear model (``bias`` and ``weights``)."""
    kind = model.get("kind")
    if kind == "blend":
        return sum(
            float(w) * predict(part, features)
            for w, part in zip(model["weights"], model["parts"], strict=True)
        )
    if kind == "trees":
        return predict_trees(model, features)
    if kind == "mlp":
        return predict_mlp(model, features)
    return float(model["bias"]) + sum(
        float(w) * features.get(k, 0.0) for k, w in model["weights"].items()
    )


def export_mlp(scaler: Any, nets: Sequence[Any], names: Sequence[str]) -> dict[str, Any]:
    """Fitted sklearn MLPRegressors (ReLU, one output) over features standardised by
    ``scaler`` (a fitted StandardScaler), as JSON-able lists; they predict their mean."""

    def rounded(a: np.ndarray) -> list[Any]:
        return np.round(np.asarray(a, dtype=np.float64), 6).tolist()

    for net in nets:
        if net.activation != "relu" or net.out_activation_ != "identity":
            raise ValueError("export_mlp writes ReLU regressors only")
    return {
        "kind": "mlp",
        "features": list(names),
        "mean": rounded(scaler.mean_),
        "scale": rounded(scaler.scale_),
        "nets": [
            [[rounded(w), rounded(b)] for w, b in zip(net.coefs_, net.intercepts_, strict=True)]
            for net in nets
        ],
    }


def predict_mlp(model: Mapping[str, Any], features: Mapping[str, float]) -> float:
    """Evaluate a model written by :func:`export_mlp`."""
    x = np.array([features.get(k, 0.0) for k in model["features"]], dtype=np.float64)
    x = (x - np.asarray(model["mean"])) / np.asarray(model["scale"])
    total = 0.0
    for layers in model["nets"]:
        h = x
        for n, (w, b) in enumerate(layers):
            h = h @ np.asarray(w) + np.asarray(b)
            if n < len(layers) - 1:
                h = np.maximum(h, 0.0)
        total += float(h[0])
    return total / len(model["nets"])


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
