""":func:`extract_quotes`: the direct quotes of a text with their speakers, and (English)
its reported speech.

A quote span is dropped when under three words or (English) a name or title in quote
marks. Its speaker, in English: the attribution after it, else before it, else a short
attribution sentence just before, else the quote before in its paragraph (in the same
voice), else a sentence of reported speech before, else the paragraph before; a quote
said twice shares its speaker. Other languages: :mod:`~newsfold.facts.quotes.intl`, else
the quote before in its paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from newsfold.facts.model import Entity, Quote
from newsfold.facts.quotes.attribution import (
    _after_attribution,
    _before_attribution,
    _said_just_before,
)
from newsfold.facts.quotes.context import (
    _key,
    _previous_paragraph,
    _said_in_sentence_before,
    _same_voice,
    _shared,
)
from newsfold.facts.quotes.intl import _intl_speaker
from newsfold.facts.quotes.marks import _named_thing, _title_like, pair_quotes
from newsfold.facts.quotes.names import _Ents
from newsfold.facts.quotes.reported import _reported

_TITLE_AT_END = re.compile(
    r"\b(?i:const|cpl|sgt|det|insp|supt|lt|col|gen|capt|maj|cmdr|adm|dr|mr|mrs|ms|prof|sen"
    r"|rep|gov|rev|st)\.$"
)


def extract_quotes(
    text: str,
    entities: Sequence[Entity] = (),
    english: bool = True,
    lang: str | None = None,
    sentences: Sequence[tuple[int, int]] | None = None,
) -> list[Quote]:
    """Direct and reported quotes of ``text``. ``sentences``: its
    :func:`~newsfold.facts.text.sentence_spans` when the caller has them."""
    spans = pair_quotes(text)
    ents = _Ents(entities, text, spans, sentences)
    out: list[Quote] = []
    prev_para, prev_end, prev_speaker = -1, -1, None
    named_end = -1  # the end of the last name in quote marks
    for a, b in spans:
        raw = text[a:b]
        content = raw.strip()
        if len(content.split()) < 3:
            continue  # scare quotes: "heartbeat", "mother ship"
        if english and (
            _title_like(content.rstrip(",."))
            or _named_thing(text, a, b, content)
            or (
                len(content.split()) <= 8 and re.fullmatch(r".\s+(?:and|or)\s+.", text[named_end:a])
            )
        ):
            # a name or title in quote marks: "Ring of Fire", "Weekend Report"; another
            # one right after it ('slogans like "kagaz nahin" and "tanashahi nahin"')
            named_end = b
            continue
        a2 = a + (len(raw) - len(raw.lstrip()))
        para_start = text.rfind("\n", 0, a) + 1
        para_end = text.find("\n", b)
        para_end = len(text) if para_end < 0 else para_end
        if _TITLE_AT_END.search(text, max(0, para_end - 12), para_end):
            # 'another man, " Vancouver police Const.\nTim Fanning told': a line cut
            # after an abbreviated title (ECB+ copy) goes on
            nxt = text.find("\n", para_end + 1)
            para_end = len(text) if nxt < 0 else nxt
        speaker = None
        if english:
            speaker = _after_attribution(text, b, min(para_end, b + 160), ents)
            if speaker is None:
                speaker = _before_attribution(text, a - 1, para_start, ents)
        else:
            speaker = _intl_speaker(text, a, b, para_start, para_end, spans)
        if speaker is None and english:
            speaker = _said_just_before(text, a - 1, para_start, ents)
        if speaker is None and para_start == prev_para and _same_voice(text, prev_end, a):
            speaker = prev_speaker
        if speaker is None and english:
            speaker = _said_in_sentence_before(text, a - 1, para_start, ents)
        if (
            speaker is None
            and english
            and not text[para_start : a - 1].strip()
            and not text[b:para_end].strip(' \t"”’.,;:!?…')
        ):
            speaker = _previous_paragraph(text, para_start, prev_end, prev_speaker, ents)
        if speaker:
            speaker = ents.full_name(speaker, a)
        out.append(Quote(a2, a2 + len(content), content, speaker or None, "direct"))
        if speaker is not None:
            prev_para, prev_end, prev_speaker = para_start, b, speaker or None
    if english:
        # a quote said twice (a headline and the body) has the speaker of either
        said: dict[str, str] = {_key(q.text): q.speaker for q in out if q.speaker}
        if said:
            out = [q if q.speaker else _shared(q, said) for q in out]
        out.extend(_reported(text, spans, ents, ents.sents))
    out.sort(key=lambda q: q.start)
    return out
