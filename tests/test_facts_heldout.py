"""Held-out check of fact extraction: 40 real English news articles (SemEval-2022 Task 8
and ECB+ test texts from ../shared/bench), hand-labelled in benchmarks/heldout_facts.json.

The floors below are MEASURED figures on held-out data, each set just under what
``python -m benchmarks.heldout_facts`` printed when the labels were made (2026-11-21):
a drop means a rule change hurt real news. They are not targets: the rules were never
tuned on these articles, and must not be tuned on them (use the sample corpus or new
articles for that, or the figures stop being a held-out check)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # benchmarks/ is a folder beside src/, not installed
    sys.path.insert(0, str(ROOT))

from benchmarks import heldout_facts  # noqa: E402  # needs the path set just above

SHARED = ROOT.parent / "shared"
NEEDED = (
    SHARED / "bench" / "semeval2022t8" / "testing_set.csv",
    SHARED / "bench" / "ecbplus" / "docs.jsonl",
)

# Measured 2026-11-21 (P / R / F1), when the labels were made:
#   claims           0.641 / 0.659 / 0.650
#   claims+modality  0.588 / 0.611 / 0.599
#   quotes           0.821 / 0.885 / 0.852
#   quotes+speaker   0.429 / 0.462 / 0.444
# and after the rule changes guided by the dev set (benchmarks/dev_facts.json), one run:
#   claims           0.700 / 0.714 / 0.707
#   claims+modality  0.654 / 0.675 / 0.664
#   quotes           0.962 / 0.962 / 0.962
#   quotes+speaker   0.500 / 0.500 / 0.500
# session 3, after speaker rules guided by 353 dev quotes (one run; claims unchanged):
#   quotes+speaker   0.538 / 0.538 / 0.538
FLOORS = {
    "claims": {"precision": 0.69, "recall": 0.70},
    "claims_modality": {"precision": 0.64, "recall": 0.66},
    "quotes": {"precision": 0.95, "recall": 0.95},
    "quotes_speaker": {"precision": 0.52, "recall": 0.52},
}

# The dev set (benchmarks/dev_facts.json) is where the rules are tuned: its floors guard
# against regressions, not quality on unseen text. Measured 2026-11-21 (P / R / F1):
#   claims 0.930 / 0.901 / 0.915 (71 gold), quotes+speaker 0.853 / 0.856 / 0.854 (353
#   gold; three texts that are also SemEval test texts were dropped from the dev set)
DEV_FLOORS = {
    "claims": {"precision": 0.92, "recall": 0.89},
    "claims_modality": {"precision": 0.89, "recall": 0.89},
    "quotes": {"precision": 0.97, "recall": 0.97},
    "quotes_speaker": {"precision": 0.84, "recall": 0.84},
}


@pytest.mark.slow
@pytest.mark.skipif(
    not all(p.exists() for p in NEEDED), reason="../shared/bench (SemEval, ECB+) not available"
)
def test_heldout_facts_floors() -> None:
    r = heldout_facts.score(SHARED)
    assert r["articles"] == 40
    assert r["claims"]["gold"] == 126 and r["quotes"]["gold"] == 26
    for key, floors in FLOORS.items():
        for measure, floor in floors.items():
            assert r[key][measure] >= floor, (key, measure, r[key], r["errors"])


@pytest.mark.slow
@pytest.mark.skipif(
    not all(p.exists() for p in NEEDED), reason="../shared/bench (SemEval, ECB+) not available"
)
def test_dev_facts_floors() -> None:
    r = heldout_facts.score(SHARED, heldout_facts.DEV_LABELS, which="dev")
    assert r["claims"]["gold"] == 71 and r["quotes"]["gold"] == 353
    for key, floors in DEV_FLOORS.items():
        for measure, floor in floors.items():
            assert r[key][measure] >= floor, (key, measure, r[key])


def test_locator_matching() -> None:
    # no data needed: the quote locator rule
    assert heldout_facts.locator_matches(
        "We're still extremely poor", "We’re still extremely poor,"
    )
    assert heldout_facts.locator_matches("I am at peace", " I am at peace, ")
    assert not heldout_facts.locator_matches("I am at peace", "and then he said I am at peace")
    assert heldout_facts.british("kilometer") == "kilometre"
