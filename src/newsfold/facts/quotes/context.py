"""Speakers of quotes with no attribution of their own, from their context: the quote
before in the paragraph (when nothing but attribution stands between them), a sentence
of reported speech or attribution right before, the paragraph before, or the same words
quoted elsewhere in the article (a headline and the body).
"""

from __future__ import annotations

import bisect
import re

from newsfold.facts.model import Quote
from newsfold.facts.quotes.attribution import _SAID_END, _before_attribution
from newsfold.facts.quotes.names import _Ents
from newsfold.facts.quotes.speakers import _pronoun_before, _resolve
from newsfold.facts.quotes.verbs import _VERB_BEFORE_RE, _VERB_RE


def _key(quote: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", quote.lower()).split())


def _shared(q: Quote, said: dict[str, str]) -> Quote:
    """``q`` with the speaker of a quote holding the same words (a headline quoting the
    body: 'I've had a great run' in "It's time to go. I've had a great run for 44 years")."""
    k = _key(q.text)
    speaker = said.get(k)
    if speaker is None and len(k.split()) >= 3:
        speaker = next((sp for other, sp in said.items() if f" {k} " in f" {other} "), None)
    return Quote(q.start, q.end, q.text, speaker, q.kind) if speaker else q


def _same_voice(text: str, prev_end: int, a: int) -> bool:
    """Whether a quote after an attributed one in its paragraph goes on in the same voice:
    nothing but attribution between them ('"...," Russell said. "The flip side..."'), not
    a sentence of the reporter's own ('The news first appeared in the paper. "At this')."""
    gap = re.sub(r"[\"“”«»]", " ", text[prev_end:a])
    if len(gap.split()) <= 12:
        return True
    for sent in re.split(r"(?<=[.!?])\s+", gap):
        if len(sent.split()) >= 4 and not _VERB_BEFORE_RE.search(sent):
            return False
    return True


def _said_in_sentence_before(text: str, a: int, para_start: int, ents: _Ents) -> str | None:
    """Speaker of a quote opening a sentence right after a sentence of reported speech or
    attribution in its paragraph: 'Kim said North was no longer bound by the moratorium.
    "Under such talks...', '..., company spokesman Calvin McDonald said. "Pawternity
    leave...' -- the one who said it."""
    k = bisect.bisect_right(ents.sent_ends, a) - 1
    if k < 0:
        return None
    s0, e0 = ents.sents[k]
    if s0 < para_start or text[e0:a].strip() or text[e0 - 1 : e0] not in (".", "!", "?"):
        return None
    return _speaker_of_sentence(text, s0, e0, ents)


def _speaker_of_sentence(text: str, s0: int, e0: int, ents: _Ents) -> str | None:
    """Who speaks in the sentence text[s0:e0] when it attributes ('..., X said.') or
    reports speech ('X said (that) ...')."""
    sent = text[s0:e0]
    if re.search(r"[\"“”]\s*$", sent.rstrip(".!? ")):
        return None
    if _SAID_END.search(sent):
        return _before_attribution(text, e0, s0, ents)
    v = _VERB_RE.search(sent)
    if v is None or len(sent[: v.start()].split()) > 12 or re.search(r"[\"“”]", sent[: v.start()]):
        return None
    if not re.match(r"\s+(?:that\s+)?[\w“\"]", sent[v.end() :]):
        return None
    is_pro, person = _pronoun_before(text, s0 + v.start(), ents)
    if is_pro:
        return person
    head = sent[: v.start()]
    cut = head.rfind(",")
    start = s0 + (cut + 1 if cut >= 0 and ents.within(s0 + cut + 1, s0 + v.start()) else 0)
    return _resolve(start, s0 + v.start(), text, ents, s0 + v.start())


def _previous_paragraph(
    text: str, para_start: int, prev_end: int, prev_speaker: str | None, ents: _Ents
) -> str | None:
    """Speaker of an unattributed quote that opens a paragraph: the one of the quotes of
    the paragraph just before (a quote running on), or the speaker of that paragraph's
    closing attribution sentence ('..., a Defence Ministry statement said.')."""
    end = para_start - 1
    while end > 0 and text[end - 1] == "\n":
        end -= 1
    start = text.rfind("\n", 0, end) + 1
    if end <= 0 or start == para_start:
        return None
    if prev_end >= start and prev_speaker is not None:
        return prev_speaker  # the quote before ends in the paragraph before
    if _SAID_END.search(text[start:end]):
        return _before_attribution(text, end, start, ents)
    # 'Afieq said he wanted to succeed purely on his talent.' then a quote paragraph
    k0 = bisect.bisect_left(ents.sent_starts, start)
    sents = [(a, b) for a, b in ents.sents[k0 : k0 + 2] if b <= end]
    if len(sents) == 1 and text[end - 1 : end] in (".", "!", "?"):
        return _speaker_of_sentence(text, start, end, ents)
    return None
