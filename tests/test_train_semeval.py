"""The group folds of benchmarks/train_semeval.py: no article on both sides of a fold."""

from __future__ import annotations

import numpy as np
from benchmarks.train_semeval import article_groups, folds


def _row(pair_id: str, text1: str, text2: str) -> dict[str, str]:
    return {"pair_id": pair_id, "text1": text1, "text2": text2}


def test_pairs_sharing_an_article_share_a_group() -> None:
    rows = [
        _row("1_2", "alpha", "beta"),
        _row("2_3", "beta", "gamma"),  # article 2 again
        _row("4_5", "delta", "epsilon"),
        _row("5it_6", "epsilon (it)", "zeta"),  # article 5 with a language suffix
        _row("7_8", "eta", "Sorry,   we  blocked  you"),
        _row("9_10", "Sorry, we blocked you", "theta"),  # the same page under another id
        _row("11_12", "iota", "kappa"),
    ]
    groups = article_groups(rows)
    assert groups[0] == groups[1]
    assert groups[2] == groups[3]
    assert groups[4] == groups[5]
    assert len({groups[0], groups[2], groups[4], groups[6]}) == 4


def test_group_folds_keep_groups_whole() -> None:
    groups = np.repeat(np.arange(20), 3)
    for train, held in folds(len(groups), 0, groups):
        assert not set(groups[train]) & set(groups[held])
    assert sorted(np.concatenate([h for _, h in folds(len(groups), 0, groups)])) == list(
        range(len(groups))
    )
