"""Small text helpers shared by the extractors: sentence spans, word spans."""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata


def words(s: str) -> frozenset[str]:
    """A set of the white-space separated words of ``s``."""
    return frozenset(s.split())


# Words ending in "." that do not end a sentence.
ABBREVIATIONS = words(
    "mr mrs ms dr prof gen col lt sgt capt maj cmdr adm st sen rep gov pres rev jan feb "
    "mar apr jun jul aug sep sept oct nov dec no nos vs etc inc corp ltd co jr sr u.s u.k "
    "u.n e.u a.m p.m approx ca e.g i.e fig dept est mt ft"
)

_SENT_END = re.compile(r"[.!?]+[\"'”’»)\]]*(?=\s+[\"'“‘«(\[]?[A-Z0-9])|[.!?]+[\"'”’»)\]]*\s*$")
_LAST_WORD = re.compile(r"([\w.]+)[.!?]*$")
_WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*", re.UNICODE)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Split ``text`` into sentences; returns (start, end) character spans.

    Lines are never joined (every line break ends a sentence); inside a line a
    sentence ends at ., ! or ? followed by a capital letter or a digit, unless
    the word before the period is a known abbreviation or a single letter.
    (Cached: the extractor, quotes and corroboration split the same texts.)
    """
    return list(_sentence_spans(text))


@functools.lru_cache(maxsize=64)
def _sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        lstart = pos
        pos += len(line) + 1
        cur = 0
        for m in _SENT_END.finditer(line):
            word = _LAST_WORD.search(line, cur, m.start() + 1)
            if m.group().startswith(".") and word:
                w = word.group(1).rstrip(".").lower()
                if w in ABBREVIATIONS or (len(w) == 1 and w.isalpha()):
                    continue
            _add(spans, line, lstart, cur, m.end())
            cur = m.end()
        _add(spans, line, lstart, cur, len(line))
    return tuple(spans)


def _add(spans: list[tuple[int, int]], line: str, base: int, a: int, b: int) -> None:
    seg = line[a:b]
    stripped = seg.strip()
    if not stripped:
        return
    lead = len(seg) - len(seg.lstrip())
    spans.append((base + a + lead, base + a + lead + len(stripped)))


def word_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _WORD.finditer(text)]


def fold(s: str) -> str:
    """Lower-case, strip accents, unify quote marks and dashes."""
    if s.isascii():
        return s.lower()
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    s = s.replace("–", "-").replace("—", "-").replace("−", "-")
    return s.lower()


def norm_words(s: str) -> list[str]:
    """Folded word tokens without punctuation: the unit for n-gram comparison."""
    return re.findall(r"[a-z0-9]+(?:'[a-z]+)?", fold(s))


def in_spans(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    """Whether [start, end) overlaps any of ``spans``."""
    return any(a < end and start < b for a, b in spans)


class SpanSet:
    """Spans merged into disjoint sorted intervals, for fast overlap tests."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        merged: list[list[int]] = []
        for a, b in sorted(spans):
            if merged and a <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], b)
            else:
                merged.append([a, b])
        self.starts = [a for a, _ in merged]
        self.ends = [b for _, b in merged]

    def overlaps(self, start: int, end: int) -> bool:
        """Whether [start, end) overlaps any span (empty spans overlap nothing)."""
        i = bisect.bisect_left(self.starts, end) - 1
        return i >= 0 and self.ends[i] > start and self.starts[i] < end
