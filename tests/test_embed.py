"""Stage 6, embed: vectors that do not depend on the batch a text arrives in."""

from __future__ import annotations

import numpy as np
import pytest

from newsfold.embed import HashingEmbedder, lead, make_embedder
from newsfold.errors import UnknownComponent

TEXTS = [
    lead(
        "Quake hits coastal town",
        "A magnitude 6.1 earthquake struck the coast on Monday, "
        "killing at least 12 people and damaging the harbour.",
    ),
    lead(
        "Parliament passes budget",
        "Lawmakers approved the 2026 budget by 212 votes to 180 after a night of debate.",
    ),
    "Kurzmeldung: Der Hafen bleibt bis Freitag geschlossen.",
    lead("Incendie à Lyon", "Un incendie a détruit un entrepôt dans la nuit de mardi."),
    "Short note.",
    lead("Strike ends", "Dock workers returned to work after a 9-day strike over pay. " * 6),
]


def test_a_text_gets_the_same_vector_whatever_it_is_embedded_with() -> None:
    # The encoder's micro-batches hold a few texts; embedded with others, a text's
    # vector used to move in its last bits with their number and its position.
    embedder = make_embedder("use-m3")
    alone = np.vstack([embedder.embed([text]) for text in TEXTS])
    together = embedder.embed(TEXTS)
    reversed_rows = embedder.embed(TEXTS[::-1])[::-1]
    with_others = embedder.embed(TEXTS[:1] * 5 + TEXTS)[5:]
    for vectors in (together, reversed_rows, with_others):
        assert np.array_equal(vectors, alone)
    assert alone.dtype == np.float32
    assert np.allclose(np.linalg.norm(alone, axis=1), 1.0, atol=1e-6)


def test_empty_and_blank_texts_still_get_a_row() -> None:
    embedder = make_embedder("use-m3")
    assert embedder.embed([]).shape == (0, 512)
    vectors = embedder.embed(["", "   ", TEXTS[0]])
    assert vectors.shape == (3, 512)
    assert np.array_equal(vectors[0], vectors[1])


def test_hashing_vectors_are_deterministic_unit_rows() -> None:
    embedder = HashingEmbedder(dim=64)
    first = embedder.embed(TEXTS)
    assert np.array_equal(first, HashingEmbedder(dim=64).embed(TEXTS))
    assert np.allclose(np.linalg.norm(first, axis=1), 1.0, atol=1e-6)
    assert not np.any(embedder.embed([""]))


def test_an_unknown_embedder_is_an_error_naming_the_choices() -> None:
    with pytest.raises(UnknownComponent) as caught:
        make_embedder("bert")
    assert "use-m3" in str(caught.value) and "hashing" in str(caught.value)
