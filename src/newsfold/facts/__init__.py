"""Facts from articles: entities, quantities, quotes and event dates.

Modules: ``model`` (dataclasses, JSON), ``numbers`` (numbers in text), ``spelled`` (number words),
``quantities`` (what a number counts, modality), ``things`` (counted-noun
keys, subject names), ``entities`` (NER and name merging), ``quotes``,
``dates``, ``extractor`` (``FactExtractor``), ``evaluate`` (scorers).
"""

from __future__ import annotations

from newsfold.facts.entities import merge_entities
from newsfold.facts.extractor import FactExtractor
from newsfold.facts.model import ArticleFacts, Entity, EventDate, Quantity, Quote
from newsfold.facts.things import normalise_subject, thing_key

__all__ = [
    "ArticleFacts",
    "Entity",
    "EventDate",
    "FactExtractor",
    "Quantity",
    "Quote",
    "merge_entities",
    "normalise_subject",
    "thing_key",
]
