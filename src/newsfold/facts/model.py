"""The facts found in one article: plain dataclasses that round-trip to JSON.

All offsets are character offsets into ``Article.text`` (the cleaned body), except
those of a quantity read in the headline (``Quantity.in_title``): they are offsets
into ``Article.title``. The store keeps ``ArticleFacts.to_json()``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

FACTS_VERSION = 1


@dataclass(slots=True)
class Entity:
    """A named entity mention. ``canonical`` is the merged name variant
    ("Stoltenberg" and "NATO Secretary-General Jens Stoltenberg" both become
    "Jens Stoltenberg"; "U.S." becomes "United States")."""

    start: int
    end: int
    text: str
    label: str  # PERSON | ORG | GPE | LOC | NORP | FAC | EVENT
    canonical: str


@dataclass(slots=True)
class Quantity:
    """A number with what it counts.

    ``value``/``value_max``: a range ("between 40 and 50") has both; otherwise
    ``value_max`` is None. ``thing`` is the counted noun phrase, lower-cased
    ("troops", "armored combat vehicles", "artillery pieces and mortars",
    "percent", "dollars"); empty when nothing is counted ("the answer is 42").
    Group with :func:`newsfold.facts.things.thing_key`, not with ``thing``.
    ``subject`` is whose the things are, normalised to a country or
    organisation name ("Russia" for "Russian troops", "US" for "U.S. troops"),
    or else where they are; ``place`` is where they are ("Belarus").
    ``modality``: "fact", "approximate" ("some", "about"), "bound" ("up to",
    "more than", a range "between 40 and 50"; see ``bound``) or "forecast" (a
    predicted value: "likely to climb to", "forecasters predict up to", "could
    reach"; a plan stated with "will" is not a forecast). When several cues apply,
    forecast beats bound beats approximate. ``bound``: "upper", "lower" or "range".
    ``vague``: a vague plural ("thousands of"), never a claim. ``state``: what
    happened to the people counted ("killed", "missing", "injured", "evacuated",
    "rescued", "displaced", "stranded"), read from the verb ("killing 42 people",
    "17 people are missing"). ``in_title``: read in the headline; ``start``/``end``
    are then offsets into ``Article.title`` and ``sentence`` is the headline.
    """

    start: int
    end: int
    surface: str
    value: float
    value_max: float | None
    thing: str
    subject: str | None
    modality: str  # fact | approximate | bound | forecast
    bound: str | None  # upper | lower | range (only when modality == "bound")
    negated: bool
    sentence: str
    place: str | None = None
    vague: bool = False  # "thousands of": a lower bound, not a figure anyone stated
    state: str | None = None  # people counted as: killed | missing | injured | evacuated ...
    in_title: bool = False  # offsets are into Article.title, not Article.text


@dataclass(slots=True)
class Quote:
    """A direct quotation (``text`` is what is inside the quote marks) or
    reported speech (``text`` is the reported clause)."""

    start: int
    end: int
    text: str
    speaker: str | None  # canonical entity name when resolved
    kind: str  # direct | reported


@dataclass(slots=True)
class EventDate:
    """A date the article talks about, resolved against the publication date.
    ``date_end`` is set for ranges ("February 10-20", "last month")."""

    start: int
    end: int
    surface: str
    date: dt.date
    date_end: dt.date | None


@dataclass(slots=True)
class NumberMention:
    """A number found in text, before we know what it counts (internal:
    ``numbers`` and ``spelled`` find these, ``quantities`` reads them)."""

    start: int  # span start, including "between" and a currency sign
    end: int  # span end, including multiplier, "%" and currency sign
    value: float
    value_max: float | None = None
    num_start: int = -1  # the last numeric core (where the parse head is)
    num_end: int = -1
    currency: str | None = None  # "dollars", "euros"... (a thing name)
    percent: bool = False
    vague: bool = False  # a vague plural: lower bound
    weak: bool = False  # "one": only kept when it counts something
    words: bool = False  # spelled out
    plain_int: bool = False  # digits only, no separators: could be a year

    def __post_init__(self) -> None:
        if self.num_start < 0:
            self.num_start, self.num_end = self.start, self.end


@dataclass(slots=True)
class ArticleFacts:
    entities: list[Entity] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    dates: list[EventDate] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "version": FACTS_VERSION,
            "entities": [asdict(e) for e in self.entities],
            "quantities": [asdict(q) for q in self.quantities],
            "quotes": [asdict(q) for q in self.quotes],
            "dates": [
                {
                    "start": d.start,
                    "end": d.end,
                    "surface": d.surface,
                    "date": d.date.isoformat(),
                    "date_end": d.date_end.isoformat() if d.date_end else None,
                }
                for d in self.dates
            ],
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> ArticleFacts:
        return cls(
            entities=[Entity(**e) for e in d.get("entities", [])],
            quantities=[Quantity(**q) for q in d.get("quantities", [])],
            quotes=[Quote(**q) for q in d.get("quotes", [])],
            dates=[
                EventDate(
                    start=x["start"],
                    end=x["end"],
                    surface=x["surface"],
                    date=dt.date.fromisoformat(x["date"]),
                    date_end=dt.date.fromisoformat(x["date_end"]) if x.get("date_end") else None,
                )
                for x in d.get("dates", [])
            ],
        )
