"""The synthetic corpus generator: deterministic by seed, labelled, realistic in its mix."""

from __future__ import annotations

import hashlib
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from newsfold.ingest import iter_inputs
from newsfold.models import RawDocument

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # benchmarks/ is a folder beside src/, not installed
    sys.path.insert(0, str(ROOT))

from benchmarks import synth  # noqa: E402  # needs the path set just above
from benchmarks.throughput import pair_scores  # noqa: E402  # same

Corpus = tuple[Path, dict[str, Any], dict[str, Any]]


def _digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            h.update(path.relative_to(folder).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    out = tmp_path_factory.mktemp("synth")
    summary = synth.generate(600, out, seed=11)
    return out, summary, json.loads((out / "labels.json").read_text())


def test_same_seed_same_corpus_other_seed_other_corpus(corpus: Corpus, tmp_path: Path) -> None:
    out, _, _ = corpus
    again = tmp_path / "again"
    synth.generate(600, again, seed=11)
    assert _digest(again) == _digest(out)
    other = tmp_path / "other"
    synth.generate(600, other, seed=12)
    assert _digest(other) != _digest(out)


def test_every_input_is_labelled_and_readable(corpus: Corpus) -> None:
    out, summary, labels = corpus
    docs = list(iter_inputs([str(out / "articles")]))
    ids = [d.id for d in docs if isinstance(d, RawDocument)]
    assert len(ids) == len(docs), "the corpus holds no bad input"
    assert sorted(ids) == sorted(labels["articles"]) and len(docs) == 600
    assert summary["articles"] == 600


def test_the_mix_looks_like_a_crawl(corpus: Corpus) -> None:
    _, summary, labels = corpus
    arts = labels["articles"]
    roles = Counter(a["role"] for a in arts.values())
    assert {"wire", "copy", "rewrite", "independent"} <= set(roles)
    assert set(summary["language"]) == {"en", "fr", "de", "es", "it"}
    assert summary["language"]["en"] > 0.6 * 600
    assert set(summary["format"]) == {"jsonl", "txt", "html"}
    dates = sorted(a["published"] for a in arts.values() if a["published"])
    assert (
        synth.dt.date.fromisoformat(dates[-1]) - synth.dt.date.fromisoformat(dates[0])
    ).days > 90, "dates spread over months"
    assert any(a["published"] is None for a in arts.values()), "some articles are undated"
    assert any(a["conflicting_number"] for a in arts.values())
    sizes = Counter(a["event"] for a in arts.values())
    assert max(sizes.values()) >= 8, "some events are reported by many outlets"
    lines = Counter(e["storyline"] for e in labels["events"].values())
    assert max(lines.values()) >= 2, "some storylines hold several events"


def test_labels_are_consistent(corpus: Corpus) -> None:
    _, _, labels = corpus
    arts = labels["articles"]
    for doc_id, art in arts.items():
        assert labels["events"][art["event"]]["storyline"] == art["storyline"]
        if art["role"] == "copy":
            wire = arts[art["duplicate_of"]]
            assert wire["role"] == "wire" and wire["event"] == art["event"]
            assert wire["origin"] == art["origin"]
        else:
            assert art["duplicate_of"] is None, doc_id
        assert [c[0] for c in art["claims"]] and all(len(c) == 3 for c in art["claims"])


def test_copies_are_near_verbatim_and_rewrites_are_not(corpus: Corpus) -> None:
    from newsfold.dedupe import MinHasher, jaccard_estimate

    out, _, labels = corpus
    arts = labels["articles"]
    text = {
        d.id: d.text for d in iter_inputs([str(out / "articles")]) if isinstance(d, RawDocument)
    }
    hasher = MinHasher()
    copies = [(i, a["duplicate_of"]) for i, a in arts.items() if a["role"] == "copy"]
    same = [
        jaccard_estimate(hasher.signature(text[c]), hasher.signature(text[w]))
        for c, w in copies[:40]
    ]
    assert sum(s >= 0.5 for s in same) >= 0.9 * len(same)


def test_pair_scores() -> None:
    gold = {"a": 1, "b": 1, "c": 2, "d": 2}
    assert pair_scores(gold, gold)["pair_F1"] == 1.0
    lumped = pair_scores({k: 0 for k in gold}, gold)
    assert lumped["pair_R"] == 1.0 and lumped["pair_P"] == pytest.approx(2 / 6, abs=1e-3)
