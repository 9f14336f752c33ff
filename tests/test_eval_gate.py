"""Evaluation gate: the grouping must not get worse on the real benchmarks.

Runs the benchmark datasets through the normal code paths (``newsfold.evaluate``)
and pins floors just under the figures reached (about 0.01 of noise margin), in
the style of trafilatura's evaluation gate. Each data file is pinned by its
sha256 as well: a changed dataset fails loudly instead of moving the figures.

Slow tier: needs ``../shared`` and the USE model (about 2-3 minutes on 2 cores).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

from newsfold.evaluate import run_ecbplus, run_sample, run_seeds, run_semeval

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"

HASHES = {
    "bench/ecbplus/docs.jsonl": (
        "6a2b39c560bf76aeb8a92cadd670c295bcbabdd55cfacbfaae3be492af1e9a78"
    ),
    "bench/semeval2022t8/testing_set.csv": (
        "4e0f0882871e45c288976130e49036da564befc22a3376477f23ef031b1f8bc6"
    ),
    # the shipped models were trained on this one (benchmarks/train_pair_model.py)
    "bench/semeval2022t8/training_set.csv": (
        "24bcc7f1db6b17640c4a8c5312ff1e3bc2eebc96c8120701f39db40c02a9f138"
    ),
    "seeds/000_06c0b31f6a452949.txt": (
        "545ad88510b22890288f84fd424a8e4ef03e0a48c8abd80883959a246e5f6f20"
    ),
    "seeds/001_18c86529b649ed3a.txt": (
        "983b4af32109abc6747ef1629d56ddb6b68ad4c9ead09778a47cf187271f7fee"
    ),
    "seeds/002_821fe176ec5e8b3f.txt": (
        "c9534d5d872aee6dc366d67757d07a5e2bb3bd9eead23caafe1c0a6000bf55d6"
    ),
    "seeds/003_e841d6b9f0043300.txt": (
        "bc6591afcfc4dea45d0a628dbdb203da1645c9212b504b21b55a812c9a4058c0"
    ),
    "seeds/004_326f2c4b174388ce.txt": (
        "e81e01a309462d14ba0bcf7650e3074db89551d433e41fd625336f0fb19557e3"
    ),
}

# Floors: the figures reached (in parentheses) minus about 0.01 of noise margin.
ECBPLUS_TEST_F1 = 0.893  # (0.903; session 3: 0.888; session 2: 0.856)
# Lowered on purpose in session 3 (0.92 -> 0.905): merge checks at any date and both ways
# plus a retrained model traded precision 0.936 -> 0.918 for recall 0.788 -> 0.860 (F1 +0.03).
ECBPLUS_TEST_P = 0.915  # (0.926; session 3: 0.918)
ECBPLUS_TEST_R = 0.872  # (0.882; session 3: 0.860; session 2: 0.788)
SEMEVAL_TEST_ABS_R = 0.757  # (0.763; before the self_* pair features 0.758)
SAMPLE_EVENTS_F1 = 0.975  # (0.985: tv-1022, an undated machine translation, split; was 0.969)
SAMPLE_STORYLINES_F1 = 0.99  # (1.0)


@pytest.fixture(scope="module")
def shared() -> Path:
    if not (SHARED / "bench").is_dir() or not (SHARED / "seeds").is_dir():
        pytest.skip("../shared is not there")
    return SHARED


@pytest.fixture(scope="module")
def embedder() -> Any:
    from newsfold.embed import make_embedder

    return make_embedder("use-m3")  # loaded once for the whole gate


@pytest.mark.parametrize("name", sorted(HASHES))
def test_data_files_are_the_pinned_ones(shared: Path, name: str) -> None:
    digest = hashlib.sha256((shared / name).read_bytes()).hexdigest()
    assert digest == HASHES[name], f"{name} changed: re-measure and re-pin the gate"


def test_ecbplus_test_split(shared: Path, embedder: Any) -> None:
    row = run_ecbplus(shared, "test", embedder=embedder)
    assert row["docs"] == 210 and row["gold_events"] == 20
    assert row["F1"] >= ECBPLUS_TEST_F1, row
    assert row["P"] >= ECBPLUS_TEST_P, row
    assert row["R"] >= ECBPLUS_TEST_R, row


def test_semeval_test_pairs(shared: Path, embedder: Any) -> None:
    row = run_semeval(shared, "test", embedder=embedder)
    assert row["pairs"] == 1283
    assert row["r"] < 0  # Overall: 1 is very similar, so a good score correlates negatively
    assert row["abs_r"] >= SEMEVAL_TEST_ABS_R, row


def test_seeds_exact(shared: Path, embedder: Any) -> None:
    row = run_seeds(shared, embedder=embedder)
    assert row["docs"] == 5
    assert row["F1"] == 1.0, row  # events {000, 001, 002}, {003}, {004}
    assert row["storyline_F1"] == 1.0, row  # one storyline of all three


def test_sample_corpus(embedder: Any) -> None:
    if not (ROOT / "sample" / "gold.json").is_file():
        pytest.skip("sample/gold.json is not there")
    row = run_sample(ROOT, embedder=embedder)
    assert not row["missing"], row
    assert row["F1"] >= SAMPLE_EVENTS_F1, row
    assert row["storyline_F1"] >= SAMPLE_STORYLINES_F1, row
