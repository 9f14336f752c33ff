"""Spelled-out numbers ("twelve", "a hundred and two", "two thirds",
"three million, two hundred & forty") via text2num, and vague plurals
("thousands of", "several hundred"), which are lower bounds.

"one" alone is ``weak``: kept only when it counts something ("one person"),
never in "one of", "that one", "no one". In other languages the words for "one"
are also the indefinite article ("un", "une", "una", "ein", "eine"): they are
never read as numbers (and ``quantities`` keeps other spelled-out numbers of
those languages only when a counted noun follows: "douze ambulances").
"""

from __future__ import annotations

import re

from text_to_num import find_numbers as _t2n_find

from newsfold.facts.model import NumberMention
from newsfold.facts.text import words

T2N_LANGS = frozenset({"en", "fr", "es", "pt", "de", "it", "nl"})
_VAGUE = re.compile(
    # (the look-ahead for the words' first letters lets re skip other positions fast)
    r"(?=[thdsmba])"
    r"(?:\b(?:(?P<pre>tens|hundreds|dozens)\s+of\s+)?(?P<w>dozens|scores|hundreds|thousands|millions|billions)\b"
    r"|\b(?:several|a\s+few|a\s+couple\s+of|many)\s+(?P<w2>dozen|hundred|thousand|million|billion)\b(?!\s*s\b))",
    re.I,
)
_VAGUE_VALUES = {"dozens": 24.0, "scores": 40.0, "hundreds": 200.0, "thousands": 2000.0,
                 "millions": 2e6, "billions": 2e9, "dozen": 24.0, "hundred": 200.0,
                 "thousand": 2000.0, "million": 2e6, "billion": 2e9}  # fmt: skip
_PRE_MULT = {"tens": 10.0, "hundreds": 100.0, "dozens": 12.0}
_FRACTION_WORDS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4,
                   "fourth": 4, "fourths": 4, "fifth": 5, "fifths": 5, "sixth": 6, "sixths": 6,
                   "seventh": 7, "sevenths": 7, "eighth": 8, "eighths": 8, "ninth": 9,
                   "ninths": 9, "tenth": 10, "tenths": 10}  # fmt: skip
_NOT_NUMBER_PART = frozenset(
    {"hundreds", "thousands", "millions", "billions", "dozens", "second", "seconds"}
)
# "one" in other languages: the indefinite article, never a number
INDEFINITE = words(
    "un une uno una un' unos unas ein eine einen einem einer eines um uma uns umas een"
)
_ONE_BEFORE = words("the this that which any every each no some someone anyone no-one")
_ONE_AFTER = words("of another another's by after or and-a")


class _Tok:
    __slots__ = ("end", "start", "t")

    def __init__(self, t: str, start: int, end: int) -> None:
        self.t, self.start, self.end = t, start, end

    def text(self) -> str:
        return self.t

    def nt_separated(self, previous: object) -> bool:
        return False

    def not_a_number_part(self) -> bool:
        return self.t.lower() in _NOT_NUMBER_PART


_EN_NUMBER_WORD = re.compile(
    r"\b(?i:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\w+teen|twenty"
    r"|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|billion|trillion)\b"
)


def word_mentions(text: str, lang: str) -> list[NumberMention]:
    if lang != "en":
        return _word_mentions_in(text, lang, 0, len(text))
    # English: only look around number words (text2num over every token is slow)
    out: list[NumberMention] = []
    win: list[int] = []
    for m in _EN_NUMBER_WORD.finditer(text):
        a, b = max(0, m.start() - 40), min(len(text), m.end() + 40)
        if win and a <= win[1]:
            win[1] = b
        else:
            if win:
                out += _word_mentions_in(text, lang, win[0], win[1])
            win = [a, b]
    if win:
        out += _word_mentions_in(text, lang, win[0], win[1])
    return out


def _word_mentions_in(text: str, lang: str, lo: int, hi: int) -> list[NumberMention]:
    toks = [
        _Tok(m.group(), m.start(), m.end())
        for m in re.compile(r"[^\W\d_]+|[^\w\s-]|\d+").finditer(text, lo, hi)
    ]
    if lo > 0 and toks and text[lo - 1].isalnum():
        toks = toks[1:]  # a cut word
    if hi < len(text) and toks and text[hi].isalnum():
        toks = toks[:-1]
    try:
        occ = _t2n_find(toks, lang, 0.0)
    except ValueError:
        return []
    out: list[NumberMention] = []
    items = [(o.start, o.end, float(o.value), bool(o.is_ordinal)) for o in occ]
    i = 0
    while i < len(items):
        s, e, val, ordinal = items[i]
        i += 1
        if any(toks[k].t[0].isdigit() for k in range(s, e)):
            continue
        if ordinal:
            continue
        start, end = toks[s].start, toks[e - 1].end
        low = text[start:end].lower()
        # fraction: "two thirds", "one sixth", "three halves", "one-half"
        if e < len(toks) and toks[e].t.lower() in _FRACTION_WORDS and toks[e].start - end <= 1:
            val /= _FRACTION_WORDS[toks[e].t.lower()]
            end = toks[e].end
            if i < len(items) and items[i][0] == e:
                i += 1
        elif half := re.match(r"\s+and\s+a\s+half\b", text[end:], re.I):
            end += half.end()
            val += 0.5
        # "a hundred", "a thousand"
        if (
            s > 0
            and toks[s - 1].t.lower() in ("a", "an")
            and low.split()[0] in ("hundred", "thousand", "million", "billion", "dozen")
        ):
            start = toks[s - 1].start
        # "three million, two hundred & forty"
        while i < len(items) and not items[i][3]:
            s2, e2, v2, _ = items[i]
            gap = text[end : toks[s2].start]
            scale = (
                1e3
                if val % 1e3 == 0 and val >= 1e3
                else (1e2 if val % 100 == 0 and val >= 100 else 0)
            )
            if (
                scale
                and re.fullmatch(r"\s*(?:,|&|,?\s*and)\s*", gap)
                and v2 < scale
                and not any(toks[k].t[0].isdigit() for k in range(s2, e2))
            ):
                val += v2
                end = toks[e2 - 1].end
                i += 1
            else:
                break
        if (
            lang == "en"
            and e == s + 1
            and toks[s].t[:1].isupper()
            and s > 0
            and toks[s - 1].t[:1].isupper()
            and toks[s - 1].t.isalpha()
            and e < len(toks)
            and toks[e].t[:1].islower()
        ):
            continue  # part of a name or title: "Edens Zero and", "Formula One racing"
        weak = False
        if lang != "en" and low in INDEFINITE:
            continue
        if low == "one":
            prev = toks[s - 1].t.lower() if s > 0 else ""
            nxt = toks[e].t.lower() if e < len(toks) else ""
            if prev in _ONE_BEFORE or nxt in _ONE_AFTER or text[end : end + 2] in ("'s", "’s"):
                continue
            weak = True
        out.append(NumberMention(start=start, end=end, value=val, weak=weak, words=True))
    return out


def vague_mentions(text: str) -> list[NumberMention]:
    out = []
    for m in _VAGUE.finditer(text):
        w = (m.group("w") or m.group("w2")).lower()
        val = _VAGUE_VALUES[w]
        if m.group("pre"):
            val = _VAGUE_VALUES[w] / 2 * _PRE_MULT[m.group("pre").lower()] * 2
        out.append(NumberMention(start=m.start(), end=m.end(), value=val, vague=True, words=True))
    return out
