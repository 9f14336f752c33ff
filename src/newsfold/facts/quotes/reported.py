"""Reported speech, without quote marks: "<speaker> said/told reporters that/claimed ...
<clause>" and "<clause>, according to <speaker>"; the quote text is the clause.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from newsfold.facts.model import Quote
from newsfold.facts.quotes.names import _Ents
from newsfold.facts.quotes.speakers import _pronoun_before, _resolve
from newsfold.facts.quotes.verbs import _VERB_RE
from newsfold.facts.text import sentence_spans

_CLAUSE_START = re.compile(
    r"(?:the|a|an|he|she|it|they|we|i|you|there|this|these|those|his|her|its|their|our|no|some"
    r"|all|most|many|more|any|every|each|one|both)\b|[A-Z0-9]",
)
_ADVERBIAL = re.compile(
    r"^\s+(?:(?:on|in|at|during|after|before|earlier|later|last|this|late|early|yesterday|today"
    r"|publicly|previously|also|again)\b[^,;\"“”]{0,40}?(?=,?\s+that\b))"
)
_ACCORDING = re.compile(
    r"^(?P<cl>.{12,}?),?\s+according to (?P<sp>[^,.;]+)[.!?]?$"
    r"|^According to (?P<sp2>[^,]+),\s*(?P<cl2>.{12,})$"
)


def _reported(
    text: str,
    quotes: list[tuple[int, int]],
    ents: _Ents,
    sentences: Sequence[tuple[int, int]] | None = None,
) -> list[Quote]:
    out: list[Quote] = []
    for s, e in sentence_spans(text) if sentences is None else sentences:
        sent = text[s:e]
        m = _ACCORDING.match(sent)
        if m:
            sp_g = "sp" if m.group("sp") else "sp2"
            cl_g = "cl" if m.group("cl") else "cl2"
            sp = _resolve(s + m.start(sp_g), s + m.end(sp_g), text, ents, s + m.start(sp_g))
            a, b = s + m.start(cl_g), s + m.end(cl_g)
            out.append(Quote(a, b, text[a:b].strip(), sp, "reported"))
            continue
        for v in _VERB_RE.finditer(sent):
            vabs = s + v.start()
            if any(x - 1 <= vabs < y + 4 for x, y in quotes):
                continue  # in a quote, or its attribution ('," said Michael Sachs, the...')
            rest = sent[v.end() :]
            adv = _ADVERBIAL.match(rest)
            pos = adv.end() if adv else 0
            if v.group() in ("told", "tells"):
                t = re.match(r"\s+(?:[\w’'.-]+\s+){1,5}?that\s+", rest[pos:])
                if not t:
                    continue
                pos += t.end()
            else:
                t = re.match(r",?\s+that\s+|\s+", rest[pos:])
                if not t:
                    continue
                has_that = "that" in t.group()
                pos += t.end()
                if not has_that and not _CLAUSE_START.match(rest[pos:]):
                    continue
                if not has_that and re.match(
                    r"(?:on|in|at|to|with|for|of|by|from|after|before|during|it\b|this\b)",
                    rest[pos:],
                ):
                    continue
            clause = rest[pos:].rstrip(" .")
            if len(clause.split()) < 4 or re.match(r"[\"“‘:]|[^\"“‘]{0,60}?[,:]\s*[\"“‘]", clause):
                continue  # 'tells Ahmedabad Mirror, "She is...': a direct quote follows
            sp_lo = max(s, vabs - 90)
            head = text[sp_lo:vabs]
            cut = max(head.rfind("."), head.rfind(";"), head.rfind('"'), head.rfind("”"))
            sp_lo += cut + 1
            is_pro, person = _pronoun_before(text, vabs, ents)
            speaker = person if is_pro else _resolve(sp_lo, vabs, text, ents, vabs)
            a = s + v.end() + pos
            out.append(Quote(a, a + len(clause), clause, speaker, "reported"))
            break
    return out
