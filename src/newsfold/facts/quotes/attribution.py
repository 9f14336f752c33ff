"""The attribution next to a quote: right after it ('"...," Stoltenberg said', '"...,"
according to X', a name with no verb) or before it ('Lukashenko said the goal was "..."',
'According to X, "..."', 'Tirupatanna said: "..."'), read into a speaker by
:func:`~newsfold.facts.quotes.speakers._resolve`.
"""

from __future__ import annotations

import re

from newsfold.facts.entities import clean_name
from newsfold.facts.quotes.names import _Ents
from newsfold.facts.quotes.speakers import _PRONOUNS, _pronoun_before, _resolve
from newsfold.facts.quotes.verbs import _ING_RE, _VERB_AFTER_RE, _VERB_BEFORE_RE, _VERB_RE, VERBS
from newsfold.facts.text import ABBREVIATIONS, words

_ABBREVIATED = ABBREVIATIONS | words("const cpl det insp supt")


def _after_attribution(text: str, b: int, limit: int, ents: _Ents) -> str | None:
    window = text[b:limit]
    off = 1 if window[:1] in '"”»’' else 0
    # 'Dwayne "The Rock" Johnson asked': a nickname's quote marks are no quote
    window = window[:off] + re.sub(
        r"[\"“]([A-Z][\w’'-]*(?: [A-Z][\w’'-]*){0,2})[\"”](?= [A-Z])",
        lambda m: f" {m.group(1)} ",
        window[off:],
    )
    next_quote = False  # the attribution runs into another quote
    for cut in re.finditer(r"[“\"«]|[.!?](?:\s|$)", window[off:]):
        word = re.search(r"([\w.]+)$", window[off : off + cut.start()])
        if cut.group()[0] == "." and word and word.group(1).lower() in _ABBREVIATED:
            continue  # "said Dr. Ilse Brandt", "police Const.\nTim Fanning"
        window = window[: off + cut.start()]
        next_quote = cut.group()[0] in '“"«'
        break
    m = re.match(r"^[\"”»’]?\s*[,.:;—–-]?\s*", window)
    s = m.end() if m else 0
    ended = re.search(r"[.!?…]\W*$", text[max(0, b - 3) : b]) is not None
    if ended and next_quote:
        # '"...with us." Play Video A WA Police spokeswoman told Community News "They've':
        # the words after a finished quote introduce the next one
        return None
    acc = re.match(r"according to\s+([^,;]+)", window[s:])
    if acc:
        return _resolve(b + s + acc.start(1), b + s + acc.end(1), text, ents, b + s)
    v = _VERB_AFTER_RE.search(window, s)
    if v is None:
        # '"...", Andrew Mwangura, head of the Seafarers Assistance Program': a name and
        # no verb (a cut or tokenised copy)
        first = ents.within(b + s, b + len(window))
        if (
            (re.search(r",\s*$", text[max(0, b - 3) : b]) or re.match(r".?\s*,", window))
            and first
            and first[0].start == b + s
            and first[0].label == "PERSON"
            and " " in (first[0].canonical or first[0].text)
            and re.match(r"\s*(?:,|$)", text[first[0].end : b + len(window)])
        ):
            return first[0].canonical or clean_name(first[0].text)
        return None
    before = window[s : v.start()]
    if re.match(r"\s*(?:which|that)\b", before):
        return None  # '"The Power of Hope," which the tournament says "...': not its speaker
    if (
        before.strip()
        and not re.match(r"\s*[,.:;!?—–-]", window[off:])
        and re.search(r"\w\s*$", text[max(0, b - 2) : b])
    ):
        # "Iraqis 'dancing in streets' over death of Soleimani, tweets Mike Pompeo": the
        # sentence goes on after the quote; its speaker may close it (', tweets X')
        late = re.search(rf",\s+(?:{VERBS}|tweets)\s+", window)
        if late is None:
            return None
        w = re.match(r"(?:[\w’'.-]+\s*,?\s*){1,8}", window[late.end() :])
        a2 = b + late.end()
        return _resolve(a2, a2 + (w.end() if w else 0), text, ents, b + late.start())
    if ended and before.strip() and len(window[v.end() :].split()) > 6:
        return None  # '...cabinets." She said thieves had taken a safe': reported speech
    if ended and "," in before and not ents.within(b + s, b + s + before.index(",")):
        # '..."new strategic weapon."Hours earlier, North Korean media reported': a new
        # sentence, not an attribution
        return None
    if before.strip() and len(before.split()) <= 12:
        return _resolve(b + s, b + v.start(), text, ents, b + v.start())
    if not before.strip():
        rest = window[v.end() :]
        w = re.match(r"\s+((?:[\w’'.-]+\s*,?\s*){1,8})", rest)
        if w:
            return _resolve(b + v.end(), b + v.end() + w.end(), text, ents, b + v.end())
    return None


def _before_attribution(text: str, a: int, para_start: int, ents: _Ents) -> str | None:
    lo = max(para_start, a - 160)
    prefix = text[lo:a]
    punct_cut = max(
        (m.end() for m in re.finditer(r"[.!?][\"”’]?\s+(?=[A-Z“\"]|$)", prefix)), default=0
    )
    quote_cut = max(prefix.rfind("”"), prefix.rfind('"'), prefix.rfind("“")) + 1
    sent_cut = max(punct_cut, quote_cut)
    # where the sentence starts, quote marks aside ('Joe made his "exciting announcement"
    # and said that ...': Joe is its subject)
    sent_lo = lo + punct_cut if (punct_cut > 0 or lo == para_start) else -1
    prefix = prefix[sent_cut:]
    lo += sent_cut
    verbs = list(_VERB_BEFORE_RE.finditer(prefix))
    if not verbs:
        acc = re.search(r"\b[Aa]ccording to\s+([^,;:]+)(?:,|\s*$)", prefix)
        if acc:  # 'According to the ministry, "..."'
            return _resolve(lo + acc.start(1), lo + acc.end(1), text, ents, lo + acc.start(1))
        return None
    v = verbs[-1]
    mid = prefix[v.end() :]
    if re.search(r"[\"“”]", mid):
        return None
    if len(mid.split()) > (25 if re.match(r"\s+that\b", mid) else 12):
        # 'Joe said that with all schools closed he would become the "nation's PE
        # teacher"': a reported clause may be longer
        acc = re.search(r"\b[Aa]ccording to\s+([^,;:]+),", prefix)
        if acc:  # 'According to Deadline, the series "had wrapped filming'
            return _resolve(lo + acc.start(1), lo + acc.end(1), text, ents, lo + acc.start(1))
        return None
    is_pro, person = _pronoun_before(text, lo + v.start(), ents)
    if is_pro:
        return person
    before = prefix[: v.start()]
    if sent_lo >= 0 and (_ING_RE.match(v.group()) or re.search(r"\b(?:and|but)\s*$", before)):
        # 'Stephen King kicked off the year with a rhyme, writing, "..."', 'Kumud Mishra,
        # who plays her father, lauds the actress and tells the paper, "..."': the subject
        # of the sentence speaks
        subject = _sentence_subject(text, sent_lo, lo + v.start(), ents)
        if subject:
            return subject
    words_start = lo + max(0, len(before) - len(" ".join(before.split()[-10:])) - 1)
    clause = max(before.rfind(","), before.rfind(";"))
    if clause >= 0 and clause > len(before) - 40:
        # "Speaking about the drills, Lukashenko said" -- keep the clause after the comma,
        # unless it is an appositive ("Oleg Nikolenko, Ukraine's spokesman, said")
        tail = before[clause + 1 :]
        if ents.within(lo + clause + 1, lo + v.start()) or tail.strip().lower() in _PRONOUNS:
            words_start = lo + clause + 1
        elif sent_lo >= 0 and re.fullmatch(r"\s*(?:[a-z]+ly|later|also|then|again|now)?\s*", tail):
            # 'A WHO spokesman, asked about infections in Germany, recently said': the
            # subject opens the sentence
            first = text.find(",", sent_lo, lo + v.start())
            if 0 < first - sent_lo < 80:
                return _resolve(sent_lo, first, text, ents, first)
    return _resolve(words_start, lo + v.start(), text, ents, lo + v.start())


def _sentence_subject(text: str, a: int, b: int, ents: _Ents) -> str | None:
    """The person or organisation named at the start of the sentence text[a:b] (within
    its first six words)."""
    head = text[a:b]
    lead = re.match(r"\s*(?:\S+\s+){0,5}", head)
    limit = a + (lead.end() if lead else 0)
    for e in ents.within(a, b):
        if e.start > limit:
            break
        if e.label in ("PERSON", "ORG") and not ents._quoted(e.start):
            return e.canonical or clean_name(e.text)
    return None


_SAID_END = re.compile(rf"\b(?:{VERBS})\b(?:\s+[\w’'-]+){{0,4}}\s*[.:]\s*$")


def _said_just_before(text: str, a: int, para_start: int, ents: _Ents) -> str | None:
    """Speaker of a quote opened right after a short attribution sentence in its
    paragraph: '"...," she said. "I pray..."', 'Tirupatanna said: "..."'."""
    lo = max(para_start, a - 80)
    gap = text[lo:a]
    cut = max(gap.rfind('"'), gap.rfind("”"), gap.rfind("“"))
    if cut < 0 and lo > para_start:
        return None
    gap_a = lo + cut + 1
    gap = text[gap_a:a]
    if not gap.strip() or len(gap.split()) > 8 or not _SAID_END.search(gap):
        return None
    v = list(_VERB_RE.finditer(gap))[-1]
    if gap[: v.start()].strip(" ,"):
        return _resolve(gap_a, gap_a + v.start(), text, ents, gap_a + v.start())
    return _resolve(gap_a + v.end(), a, text, ents, gap_a + v.end())
