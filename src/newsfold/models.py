"""Plain data passed between the pipeline stages.

Every stage takes and returns these dataclasses; none of them knows about the
store or the command line.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class RawDocument:
    """One article as read from the input, before any cleaning.

    ``id`` is the input's own id: the ``id`` field of a JSON line, or for a
    file its path relative to the folder named on the command line (the file
    name when the file itself was named).
    """

    id: str
    path: str  # the file it came from, as the user named it
    format: str  # "txt", "html" or "jsonl"
    raw: str  # decoded input: the file's text, the page's HTML, or the JSON line
    text: str  # article body as extracted (still with boilerplate)
    line: int | None = None  # 1-based line number inside a JSONL file
    title: str | None = None
    url: str | None = None
    source: str | None = None  # outlet name when the input states it
    language: str | None = None  # language when the input states it
    published: str | None = None  # date given by the input (JSON field)
    header_date: str | None = None  # "date YYYY-MM-DD" first line of a .txt
    html_date: str | None = None  # date found in HTML metadata


@dataclass(slots=True)
class Rejection:
    """An input that could not be read, with the reason in words."""

    path: str
    reason: str
    line: int | None = None

    def where(self) -> str:
        return f"{self.path}:{self.line}" if self.line is not None else self.path


@dataclass(slots=True)
class DateResult:
    """A publication date with where it came from and how sure we are."""

    date: dt.date | None
    source: str  # given | header | html | url | dateline | text | context | none
    confidence: float  # 0..1
    evidence: str = ""  # the words or field the date was read from


@dataclass(slots=True)
class Article:
    """A cleaned, dated article, ready for grouping."""

    id: str
    path: str
    format: str
    raw: str
    text: str  # cleaned body
    title: str
    url: str | None
    source: str | None
    language: str
    language_confidence: float
    published: dt.date | None
    date_source: str
    date_confidence: float
    date_evidence: str
    line: int | None = None
    removed_lines: list[str] = field(default_factory=list)
    duplicate_of: str | None = None
    event: str | None = None
    content_hash: str = ""

    def __post_init__(self) -> None:
        if not self.content_hash:
            self.content_hash = content_hash(self.title, self.text)

    @property
    def full_text(self) -> str:
        """Title and body as one text, the way the grouping stages read it."""
        return f"{self.title}\n\n{self.text}" if self.title else self.text


def content_hash(title: str, text: str) -> str:
    """Hash of what an article says, ignoring white space differences."""
    norm = " ".join((title + "\n" + text).split()).casefold()
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()


def short_id(prefix: str, seed: str, length: int = 10) -> str:
    """A stable, readable id derived from ``seed``: ``ev-3f2a9c01bd``."""
    return f"{prefix}-{hashlib.sha256(seed.encode('utf-8')).hexdigest()[:length]}"


@dataclass(slots=True)
class RunStats:
    """What one ``newsfold run`` did, for the summary line and the store."""

    read: int = 0
    new: int = 0  # articles this run stored (not those an undo made wait: stored before)
    unchanged: int = 0
    duplicates: int = 0  # of the new articles, those stored as copies of another
    rejected: int = 0
    events: int = 0
    storylines: int = 0
    # event ids this run created (not one the undo of the last run's end removed and the
    # same article founded again: see Pipeline._group_held)
    new_events: int = 0
    seconds: float = 0.0
    rejections: list[Rejection] = field(default_factory=list)
    stage_seconds: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "read": self.read,
            "new": self.new,
            "unchanged": self.unchanged,
            "duplicates": self.duplicates,
            "rejected": self.rejected,
            "events": self.events,
            "storylines": self.storylines,
            "new_events": self.new_events,
            "seconds": round(self.seconds, 3),
            "stage_seconds": {k: round(v, 3) for k, v in self.stage_seconds.items()},
            "rejections": [
                {"path": r.path, "line": r.line, "reason": r.reason} for r in self.rejections
            ],
        }
