"""Quotations: direct quotes between quote marks and reported speech.

Quote marks are paired into spans (:func:`pair_quotes`); a span is a quotation unless it
is under three words or a name or title in quote marks. Its speaker is read from the
attribution right after or before it (the nearest PERSON, else ORG, else place; "he"/"she"
and descriptions resolved to someone named), else carried over from the quote, sentence
or paragraph before. Other languages (no NER) read names next to speech verbs. Reported
speech: "<speaker> said that <clause>", "<clause>, according to <speaker>".

The rules in full, with the round-by-round tuning log: docs/quotes-rules.md.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from typing import Any

from newsfold.facts.entities import clean_name
from newsfold.facts.model import Entity, Quote
from newsfold.facts.text import ABBREVIATIONS, sentence_spans, words

VERBS = (
    r"said|says|say|told|tells|added|adds|remarked|argued|argues|tweeted|wrote|writes|claimed"
    r"|claims|stated|states|noted|notes|explained|insisted|warned|asked|replied|responded"
    r"|declared|announced|announces|reported|reports|continued|posted|stressed|reiterated|urged"
    r"|confirmed|admitted|acknowledged|maintained|maintains|assured|assures|concluded"
    r"|commented|predicted|recalled|emphasi[sz]ed|called|repeated|hailed"
    r"|vowed|pledged|promised|joked|quipped|teased|cautioned|conceded|boasted|complained"
)
# participles opening a quote: 'Stephen King kicked off the year with a rhyme, writing, "..."'
_ING = r"saying|writing|adding|telling|noting|warning|tweeting|declaring|explaining|stressing"
_VERB_BEFORE_RE = re.compile(rf"\b(?:{VERBS}|wished|tweets|asks|put it|{_ING})\b")
_ING_RE = re.compile(rf"(?:{_ING})$")
# a speaker found but not named ("they said"): no speaker, and none taken from a quote before
UNNAMED = ""
_VERB_RE = re.compile(rf"\b(?:{VERBS}|wished|tweets)\b")
# right after a quote ('"...," she gushed'), any verb of saying will do
_VERB_AFTER_RE = re.compile(
    rf"\b(?:{VERBS}|wished|tweets|asks|gushed|exclaimed|shouted|screamed|yelled|whispered"
    r"|sighed|laughed|mused|offered|suggested|agreed|observed|countered|retorted|answered"
    r"|captioned|read|texted|emailed|went on|put it|pleaded|begged|cried|sang|chanted"
    r"|recounted|recalls|explains|insists|warns|urges|admits|concedes|notes|observes)\b"
)
_PRONOUNS = frozenset({"he", "she", "him", "her"})
_ROLE = re.compile(
    r"\b(?:chief|head|leader|president|minister|secretary|spokes(?:man|woman|person)|official"
    r"|general|commander|ambassador|director|envoy|premier|chancellor)\b",
    re.I,
)
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


# "A young father, who did not want to give his name, said": someone described, not named
_DESCRIPTION = re.compile(
    r"(?:^|(?<=[.!?]\s)|(?<=[.!?][\"”]\s))(?:A|An)\s+(?P<d>(?:[\w'’-]+\s+){0,3}?[a-z][\w'’-]*)"
    r"(?=\s*,|\s+(?:who|said|says|told|speaking)\b)",
    re.M,
)


class _Ents:
    def __init__(
        self,
        ents: Sequence[Entity],
        text: str = "",
        quotes: Sequence[tuple[int, int]] = (),
        sentences: Sequence[tuple[int, int]] | None = None,
    ) -> None:
        self.sents = list(sentence_spans(text) if sentences is None else sentences)
        self.sent_starts = [a for a, _ in self.sents]
        self.sent_ends = [b for _, b in self.sents]
        self.ents = sorted(ents, key=lambda e: e.start)
        self.ends = [e.end for e in self.ents]
        self.names = {clean_name(e.text): e.canonical for e in self.ents if e.canonical}
        self.text = text
        self.quotes = list(quotes)
        # first or last word of a person named in two or more words -> (start, name), in
        # text order; and the fallback search per speaker: full_name is asked per quote
        self._full: dict[str, list[tuple[int, str]]] = {}
        for e in self.ents:
            if e.label != "PERSON":
                continue
            name = e.canonical or clean_name(e.text)
            parts = name.split()
            if len(parts) >= 2:
                for part in {parts[0], parts[-1]}:
                    self._full.setdefault(part, []).append((e.start, name))
        self._written: dict[str, str | None] = {}

    def _quoted(self, pos: int) -> bool:
        return any(a <= pos < b for a, b in self.quotes)

    def antecedent(self, pos: int) -> str | None:
        """Who "he"/"she" at ``pos`` stands for: the person last named (or described:
        "a younger crane operator") before ``pos`` in its paragraph, outside quotes;
        else the last person named before."""
        text = self.text
        p0 = text.rfind("\n", 0, pos) + 1
        # tiers, most trusted first: full names tagged PERSON, descriptions and untagged
        # names; names NER tagged as something else ("Agnes Varga" as ORG); lone words
        # tagged PERSON (often a place: "Dunmere", "Vostrad")
        best: list[tuple[int, str] | None] = [None, None, None]

        def offer(tier: int, at: int, name: str) -> None:
            b = best[tier]
            if not self._quoted(at) and (b is None or at > b[0]):
                best[tier] = (at, name)

        for e in self.ents:
            if p0 <= e.start and e.end <= pos and e.label == "PERSON":
                name = e.canonical or e.text
                # a lone surname of someone named in full before ("Arreola" after
                # "Isabel Arreola") is as good as the full name
                full = " " in clean_name(e.text) or " " in (e.canonical or "")
                offer(0 if full else 2, e.start, name)
        for m in _NAME.finditer(text, p0, pos):
            others = [
                e
                for e in self.ents
                if e.start < m.end() and m.start() < e.end and e.label != "PERSON"
            ]  # "La Habra Crab" of "La Habra Crab Shack" (a place)
            if _name_like(m.group()):
                offer(1 if others else 0, m.start(), self.canonical(m.group()))
        for m in _DESCRIPTION.finditer(text, p0, pos):
            offer(0, m.start(), m.group("d"))
        for m in _SURNAME_SAID.finditer(text, p0, pos):
            # ", Arreola said": someone named in full before ("Isabel Arreola"), whatever
            # NER made of the name
            named = re.search(rf"\b[A-Z][a-z’'-]+\s+{re.escape(m.group(1))}\b", text[:pos])
            if named and _name_like(named.group()):
                offer(0, m.start(), self.canonical(named.group()))
        for b in best:
            if b is not None:
                return self._subject(b[0], pos) or b[1]
        p = self.last_person_before(pos)
        said = None  # "Afieq said he wanted...": a name NER missed, written in full before
        for m in _SURNAME_SAID.finditer(text, 0, pos):
            if not self._quoted(m.start()) and " " in self.full_name(m.group(1), m.start()):
                said = m
        if said is not None and (p is None or said.start() > p.end):
            return self.full_name(said.group(1), said.start())
        if p is not None:
            return self._subject(p.start, pos) or p.canonical or p.text
        for e in self.ents:  # '"We have plenty of men," she said. ... Lagae stressed'
            if pos < e.start < pos + 400 and e.label == "PERSON" and not self._quoted(e.start):
                return e.canonical or e.text
        return None

    def _subject(self, at: int, pos: int) -> str | None:
        """The person named first in the sentence holding ``at`` when named at its start
        (the subject, the likelier antecedent: "Jackman makes pancakes for his wife
        Deborra-Lee Furness." -- "he" is Jackman)."""
        k = bisect.bisect_right(self.sent_starts, at) - 1
        if k < 0:
            return None
        s0 = self.sents[k][0]
        lead = re.match(r"\s*(?:\S+\s+){0,3}", self.text[s0:at])
        limit = s0 + (lead.end() if lead else 0)
        for e in self.within(s0, at):
            if e.start > limit:
                break
            name = self.full_name(e.canonical or clean_name(e.text), e.start)
            if e.label == "PERSON" and " " in name and not self._quoted(e.start):
                return name
        return None

    def canonical(self, name: str) -> str:
        return self.names.get(name, name)

    def within(self, a: int, b: int) -> list[Entity]:
        return [e for e in self.ents if a <= e.start and e.end <= b]

    def last_org_before(self, pos: int) -> str | None:
        """The organisation last named within 400 characters before ``pos`` ("it said")."""
        i = bisect.bisect_right(self.ends, pos)
        for e in reversed(self.ents[:i]):
            if e.end < pos - 400:
                break
            if e.label == "ORG" and not self._quoted(e.start):
                return e.canonical or clean_name(e.text)
        return None

    def full_name(self, speaker: str, pos: int) -> str:
        """A one-word speaker ("Kumud", "Fanning") as the full name written in the
        article: the person named in two or more words of which it is the first or the
        last word, the one named last before ``pos`` (else the first one after)."""
        if " " in speaker or not speaker[:1].isupper():
            return speaker
        named = self._full.get(speaker)
        if named:
            i = bisect.bisect_left(named, pos, key=lambda x: x[0])  # the last one before pos
            return named[i - 1][1] if i else named[0][1]
        if speaker not in self._written:
            self._written[speaker] = None
            for m in re.finditer(rf"\b([A-Z][a-z’'-]+)\s+{re.escape(speaker)}\b", self.text):
                if m.group(1).lower() not in _NOT_FIRST_NAME and _name_like(m.group()):
                    self._written[speaker] = m.group()
                    break
        return self._written[speaker] or speaker

    def last_person_before(self, pos: int) -> Entity | None:
        i = bisect.bisect_right(self.ends, pos)
        for e in reversed(self.ents[:i]):
            # a full name, or a name written in full elsewhere ("Afieq" -> Afieq Shazwan)
            if e.label == "PERSON" and " " in self.full_name(e.canonical or e.text, e.start):
                return e
        for e in reversed(self.ents[:i]):
            if e.label == "PERSON":
                return e
        return None


# capitalised words before a surname that are not a first name ("Constable Tim Fanning")
_NOT_FIRST_NAME = words(
    "mr mrs ms dr prof president minister secretary general constable officer sergeant "
    "captain chief director judge senator governor mayor coach actor actress author star "
    "spokesman spokeswoman sheriff lieutenant colonel commander inspector detective "
    "premier chancellor ambassador king queen prince princess pope father sister brother "
    "saint st lord lady sir madam const constable cpl corporal sgt det insp supt "
    "officer lt col gen maj capt pvt adm brig cmdr gov sen rep"
)
_TITLE_SMALL = words("a an the of and or in on at to for from by with as de la le du des")


def _title_like(content: str) -> bool:
    """Whether a quote's words look like a title or a name (every word capitalised but
    small words, up to eight words, no sentence punctuation): "Ring of Fire"."""
    ws = content.split()
    if not 2 <= len(ws) <= 12 or re.search(r"[!?,;:]\W*$|[.!?;]\s", content):
        return False
    caps = [w for w in ws if w[:1].isupper()]
    return len(caps) >= 2 and all(w[:1].isupper() or w.lower() in _TITLE_SMALL for w in ws)


def _spaced_open(para: str, i: int) -> bool:
    """Whether a straight quote mark with spaces on both sides (tokenised copy such as
    ECB+: '" On sighting ... escape. "') opens a quote: at the start of a paragraph (a
    quote that may run on), or after a word when the paragraph closes it later; never
    after a comma or a full stop, where it closes one."""
    before = para[:i].rstrip()
    if not para[i + 1 :].strip() or (i and not para[i - 1].isspace()):
        return False  # 'the "heartbeat" bill': a closing mark glued to its word
    if not before:
        return True
    # after a comma or a full stop it closes a quote, unless another mark closes it in
    # the paragraph (' screamed, " No, no, no! " and tried')
    return para.count('"', i + 1) % 2 == 1 and (
        before[-1] not in ",.;!?" or para.count('"', i + 1) == 1
    )


_CURLY_SINGLE = re.compile(r"(?:(?<=^)|(?<=[\s(—–]))‘(?=\w)(?P<c>[^‘’]*?(?:\w’\w[^‘’]*?)*)’(?!\w)")
# 'the brilliant script': opened after a space before a letter, closed after a letter or
# punctuation before a space or punctuation; an apostrophe between letters ("isn't")
# does not close, and three words at least ("the '90s", "the players' union" are not)
_STRAIGHT_SINGLE = re.compile(
    r"(?:(?<=^)|(?<=[\s(—–]))'(?=[A-Za-z])"
    r"(?P<c>(?:[^'\n]|(?<=\w)'(?=\w))+?[\w.,!?])'(?=[\s.,;:!?)—–]|$)"
)


def pair_quotes(text: str) -> list[tuple[int, int]]:
    """(content start, content end) of every quotation."""
    spans: list[tuple[int, int]] = []
    pos = 0
    # a quote left open at the end of a paragraph: [start, end, tentative, paragraphs
    # without quote marks it ran over]; it runs on to a closing mark that opens a later
    # paragraph (over at most two paragraphs without marks: ECB+ copy has a line a
    # sentence). A tentative one (a spaced mark in mid-line, '" had a firearm') is a
    # quote only when closed so.
    carry: list[Any] | None = None
    for para in text.split("\n"):
        base = pos
        pos += len(para) + 1
        open_at: int | None = None
        tentative = False
        first = True
        for m in re.finditer(r"[\"“”„«»]", para):
            i, ch = m.start(), m.group()
            prev = para[i - 1] if i else " "
            nxt = para[i + 1] if i + 1 < len(para) else " "
            is_open = ch in "“„«" or (
                ch == '"' and (prev.isspace() or prev in "([—–-:") and not nxt.isspace()
            )
            if ch == "“" and open_at is not None and text[base + open_at - 1] == "„":
                is_open = False  # German „...“
            if first and carry is not None:
                first = False
                if not is_open and ch in '"”»' and not _spaced_open(para, i):
                    # the quote of the paragraph before runs on to this closing mark
                    spans.append((carry[0], base + i))
                    carry = None
                    continue
            first = False
            if open_at is None:
                tentative = False
                if is_open or (ch == '"' and not nxt.isspace()):
                    open_at = i + 1
                elif ch == '"' and _spaced_open(para, i):
                    open_at = i + 1  # tokenised copy: '" On sighting the helicopter ... "'
                elif (
                    ch == '"'
                    and prev.isspace()
                    and para[i + 1 :].strip()
                    and para[:i].rstrip()[-1:] not in ".;!?"
                    and '"' not in para[i + 1 :]
                ):
                    open_at, tentative = i + 1, True  # 'The man " had a firearm with him.'
            elif ch == '"' and is_open and re.search(r"[.!?]\s+$", para[open_at:i]):
                # 'Newspaper,. Adams' family has subscribed since 1970. "It has': a quote
                # opening after a sentence while one is open -- the first one never closed
                spans.append((base + open_at, base + len(para[:i].rstrip())))
                open_at = i + 1
            elif not is_open or ch == '"':
                spans.append((base + open_at, base + i))
                open_at = None
            else:
                open_at = i + 1
        for rx in (_CURLY_SINGLE, _STRAIGHT_SINGLE):
            for m in rx.finditer(para):
                a, b = base + m.start("c"), base + m.end("c")
                inside_open = open_at is not None and base + open_at <= a
                if not inside_open and not any(x <= a < y or a <= x < b for x, y in spans):
                    spans.append((a, b))
        if carry is not None:
            if not para.strip():
                continue  # a blank line: the open quote may still close after it
            if first and carry[3] < 2:
                carry[1], carry[3] = base + len(para.rstrip()), carry[3] + 1
                continue  # a line without quote marks: the quote may run on
            if not carry[2] and len(text[carry[0] : carry[1]].split()) >= 8:
                spans.append((carry[0], carry[1]))
        carry = None
        if open_at is not None:
            carry = [base + open_at, base + len(para.rstrip()), tentative, 0]
    if carry is not None and not carry[2] and len(text[carry[0] : carry[1]].split()) >= 8:
        spans.append((carry[0], carry[1]))
    return sorted(spans)


_ORG_WORDS = re.compile(
    r"\b(?:Ministry|Council|News|Agency|Press|House|Union|Party|Group|Company|Inc|Corp|Bank|Army"
    r"|Forces?|Office|Department|Committee|Commission|Organi[sz]ation|Association|University"
    r"|Institute|Times|Post|Service|Government|Parliament|Court|Police|Kremlin|Pentagon|NATO"
    r"|Church|Cathedral|Mosque|Temple|School|College|Hospital|Club|Airport|Station|Museum"
    r"|Cent(?:er|re)|Street|Avenue|Road|Square|Park|Bridge|High|Shack|Restaurant|Cafe|Bar)\b"
)
_INSTITUTION = re.compile(
    r"\b(?i:ministry|ministries|government|council|company|army|military|police"
    r"|spokes(?:man|woman|person)|office|agency|committee|commission|court|board|union"
    r"|authorit(?:y|ies)|department|embassy|delegation|administration|prosecutors?)\b"
)
_NAME = re.compile(r"\b[A-Z][a-z’'-]+(?:\s+[A-Z][a-z’'-]+){1,2}\b")
_SURNAME_SAID = re.compile(r"(?<![A-Z][a-z’'-] )\b([A-Z][a-z’'-]+)\s+(?:said|says|told|added)\b")


_NOT_NAME_START = words(
    "on in at the a an last this that these those but and after before when while "
    "meanwhile however also speaking according monday tuesday wednesday thursday friday "
    "saturday sunday january february march april may june july august september october "
    "november december"
)


def _name_like(s: str) -> bool:
    s = s.strip()
    return (
        bool(_NAME.fullmatch(s))
        and not re.search(r"\b(?:Day|Year|Year's|Years|Eve|Christmas|Easter|Week|Weekend)\b", s)
        and not _ORG_WORDS.search(s)
        and not any(w.lower() in _NOT_NAME_START for w in s.split())
    )


def _pronoun_before(text: str, verb_at: int, ents: _Ents) -> tuple[bool, str | None]:
    """(the word right before the verb is he/she, the person it stands for)."""
    m = re.search(
        r"\b(\w+)\s+(?:(?:also|then|later|again|has|had|have|reportedly)\s+)*$",
        text[max(0, verb_at - 40) : verb_at],
    )
    if m and m.group(1).lower() in _PRONOUNS:
        return True, ents.antecedent(verb_at - len(m.group(0)))
    return False, None


_THE_NOUN = re.compile(r"(?:^|\s)the\s+(?:[a-z][\w-]*\s+){0,2}?([a-z]{4,})$")


def _named_description(phrase: str, text: str, phrase_a: int) -> str | None:
    """The name written before ``phrase_a`` that a definite description stands for: "the
    tournament" -> "Tournament of Roses", "the ministry" -> "Defence Ministry", "the
    navy" -> "Indian Navy" (a role such as "the president" is left to the titles)."""
    m = _THE_NOUN.search(phrase)
    if not m or _ROLE.search(m.group(1)) or m.group(1) in _NOT_DESCRIBED:
        return None
    noun = m.group(1).capitalize()
    if noun not in text:
        return None
    found = None
    for n in re.compile(
        rf"\b(?:[A-Z][\w'’.-]*\s+){{0,3}}{noun}\b(?:\s+(?:of|for)\s+(?:the\s+)?"
        rf"[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)?"
    ).finditer(text, 0, phrase_a):
        found = n.group()
    if found is None:
        return None
    found = re.sub(r"^(?:The|A|An)\s+", "", found)
    return found if " " in found else None


_NOT_DESCRIBED = words("statement report reports news story letter post video")


def _description(phrase: str) -> str:
    """An institution or someone described, from its last determiner before the first
    institution word: "Video A WA Police spokeswoman" -> "WA Police spokeswoman"."""
    phrase = " ".join(phrase.split())
    inst = _INSTITUTION.search(phrase)
    if inst:
        dets = list(re.finditer(r"\b(?i:the|a|an|its|their)\s+", phrase[: inst.start()]))
        if dets:
            phrase = phrase[dets[-1].start() :]
    return re.sub(r"^(?i:the|a|an|its|their)\s+", "", phrase).strip(" ,")


def _resolve(phrase_a: int, phrase_b: int, text: str, ents: _Ents, verb_at: int) -> str | None:
    """Speaker named in text[phrase_a:phrase_b] (the attribution words)."""
    inside = ents.within(phrase_a, phrase_b)

    def nearest(cands: list[Entity]) -> str:
        best = min(cands, key=lambda e: min(abs(e.end - verb_at), abs(e.start - verb_at)))
        return best.canonical or clean_name(best.text)

    persons = [e for e in inside if e.label == "PERSON"]
    if len(persons) > 1:
        # "SPCA North Peace branch manager Candace Buchamer": not a name before a noun
        persons = [e for e in persons if not _BEFORE_NOUN.match(text, e.end)] or persons
    phrase = text[phrase_a:phrase_b].strip(" ,.;:")
    inst = _INSTITUTION.search(phrase)
    if (
        persons
        and inst
        and all(" " not in clean_name(e.text) for e in persons)
        and phrase_a + inst.start() < min(e.start for e in persons)
        and len(phrase.split()) <= 8
    ):
        # "the defence ministry in Vostrad": the ministry speaks, not a lone name
        return _description(phrase)
    if persons:
        best = min(persons, key=lambda e: min(abs(e.end - verb_at), abs(e.start - verb_at)))
        name = best.canonical or clean_name(best.text)
        for o in persons:  # "Zadan and Meron said": both speak
            if o.start > best.end and re.fullmatch(r"\s+and\s+", text[best.end : o.start]):
                return f"{name} and {o.canonical or clean_name(o.text)}"
            if o.end < best.start and re.fullmatch(r"\s+and\s+", text[o.end : best.start]):
                return f"{o.canonical or clean_name(o.text)} and {name}"
        return name
    named = [e for e in inside if e.label == "ORG" and _name_like(e.text)]
    if named:
        return nearest(named)
    words = phrase.lower().split()
    if words and words[-1] in _PRONOUNS:
        return ents.antecedent(phrase_a)
    if words and words[-1] in ("they", "we"):
        return UNNAMED  # a group the text does not name here
    if words and words[-1] == "it":
        org = ents.last_org_before(phrase_a)
        return org if org else UNNAMED
    described = _described_person(phrase, phrase_a, text, ents)
    if described is not None:
        return described
    names = _names_in(phrase)
    if names and phrase_b >= verb_at - 1:
        names.reverse()  # before the verb: the name closest to it
    last_inst = None
    for m in _INSTITUTION.finditer(phrase):
        last_inst = m
    if (
        names
        and last_inst
        and phrase_b >= verb_at - 1
        and (not names or last_inst.start() > max(n.end() for n in names))
        and len(phrase[: last_inst.end()].split()) <= 10
    ):
        # "Play Video A WA Police spokeswoman told": the body closest to the verb speaks
        lead = re.search(
            r"(?:(?:^|\b(?:the|a|an|The|A|An)\s+)(?:[A-Z][\w.’'-]*\s+){0,3}|(?:[\w.’'-]+\s+){0,2})$",
            phrase[: last_inst.start()],
        )
        k = lead.start() if lead else last_inst.start()
        if not names or k >= max(n.end() for n in names):
            return _description(phrase[k : last_inst.end()])
    if names:
        return ents.canonical(names[0].group())
    place = re.fullmatch(
        r"(?i:the)\s+(?:city|town|country|state|province|region|village|county|capital"
        r"|municipality|council)",
        phrase,
    )
    if place:  # "the city said in a release": the place named last (Ottawa)
        for e in reversed(ents.ents):
            if e.end <= phrase_a and e.label == "GPE" and not ents._quoted(e.start):
                return e.canonical or clean_name(e.text)
    named_as = _named_description(phrase, text, phrase_a)
    if named_as:
        return named_as
    tail = phrase.rsplit(",", 1)[-1]
    if _INSTITUTION.search(tail) and len(tail.split()) <= 8:
        # "a spokesman for the transport ministry", "In a statement, the ministry"
        return _description(tail)
    for label in ("ORG", "GPE", "NORP", "LOC"):
        cands = [e for e in inside if e.label == label]
        if cands:
            return nearest(cands)
    caps = re.findall(r"\b[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)*", phrase)
    caps = [c for c in caps if c.lower() not in _NOT_A_SPEAKER]
    if caps:
        return ents.canonical(clean_name(caps[-1]))
    return None


class _Name:
    def __init__(self, start: int, end: int, name: str) -> None:
        self.s, self.e, self.name = start, end, name

    def start(self) -> int:
        return self.s

    def end(self) -> int:
        return self.e

    def group(self) -> str:
        return self.name


def _names_in(phrase: str) -> list[_Name]:
    """Names of people in an attribution phrase, titles left out: "Police Constable Tim
    Fanning" -> "Tim Fanning"; not titles ("the Bavarian First Minister") nor names
    before a noun ("SPCA North Peace branch manager")."""
    out: list[_Name] = []
    for m in re.finditer(r"(?=\b([A-Z][a-z’'-]+(?:\s+[A-Z][a-z’'-]+){1,2})\b)", phrase):
        a, n = m.start(1), m.group(1)
        if out and a < out[-1].end():
            continue
        parts = n.split()
        if len(parts) == 3 and re.search(r"\bof\s*$", phrase[:a]):
            parts[0] = "of"  # "Secretary of State Mike Pompeo"
        while parts and (
            parts[0].lower() in _NOT_FIRST_NAME or _ROLE.fullmatch(parts[0]) or parts[0] == "of"
        ):
            a += len(parts[0]) + (len(n) - len(n.lstrip()))
            a = phrase.index(parts[1], a) if len(parts) > 1 else a
            parts = parts[1:]
        if len(parts) < 2:
            continue
        name = " ".join(parts)
        end = a + len(phrase[a:].split(parts[-1], 1)[0]) + len(parts[-1])
        if _name_like(name) and not _ROLE.search(name) and not _BEFORE_NOUN.match(phrase, end):
            out.append(_Name(a, end, name))
    return out


_NOT_A_SPEAKER = words(
    "the he she it they we i another one others some many both all this that these those "
    "in on at but and when as after before while meanwhile however also then"
)
_BEFORE_NOUN = re.compile(
    r"\s+(?:branch|office|unit|division|department|team|group|chapter|club|campaign"
    r"|committee|council|police|ministry|agency|manager|spokes\w+|official|officials"
    r"|director|chief|head|president|leader|member|members|supporters|fans|staff)\b"
)
# public roles: "the <role>" stands for the person named before
_PUBLIC_ROLES = words(
    "star actor actress singer rapper president minister leader coach player politician "
    "chairman chairwoman governor mayor senator host author theologian pontiff premier "
    "chancellor prime"
)
# who a description such as "the Ghanaian theologian" or "GOP consultant" can stand for
_PERSON_NOUNS = words(
    "theologian consultant strategist analyst expert lawyer attorney author actor actress "
    "singer star player coach manager owner founder chairman chairwoman ceo economist "
    "scientist researcher professor doctor priest pastor apostle bishop cleric teacher "
    "politician lawmaker senator governor mayor judge witness resident victim survivor "
    "father mother husband wife son daughter man woman boy girl producer host nephew niece "
    "pontiff rapper"
)


_TITLE_WORDS = {
    "gov": "governor", "sen": "senator", "rep": "representative", "gen": "general",
    "sgt": "sergeant", "const": "constable", "lt": "lieutenant", "col": "colonel",
    "capt": "captain", "dr": "doctor", "prof": "professor",
}  # fmt: skip


def _described_person(phrase: str, phrase_a: int, text: str, ents: _Ents) -> str | None:
    """The person a description stands for: "the NATO chief", "the Bavarian First
    Minister", "GOP consultant" -- the person named in full whose title (the 60
    characters before the name) holds the description's noun or all its capitalised
    words, last before (else first after); a description naming nobody ("the store
    manager", "the Ghanaian theologian") is unnamed."""
    ws = phrase.split()
    if not ws or len(ws) > 6:
        return None
    head = ws[-1].lower().strip("'’")
    if not (_ROLE.fullmatch(head) or head in _PERSON_NOUNS):
        return None
    caps = [w for w in re.findall(r"\b[A-Z][\w.-]+", phrase) if w.lower() not in ("the", "a", "an")]
    before: list[tuple[int, int, str]] = []  # (score, position, name)
    after: list[tuple[int, int, str]] = []
    for e in ents.ents:
        if e.label != "PERSON" or ents._quoted(e.start):
            continue
        name = e.canonical or clean_name(e.text)
        if " " not in name or phrase_a <= e.start < phrase_a + len(phrase) + 2:
            continue
        ctx = re.split(
            r"[,;:!?\"“”()]|(?<!\b[A-Z][a-z])(?<!\b[A-Z][a-z]{2})\.\s",
            text[max(0, e.start - 60) : e.start],
        )[-1]
        ctx = " ".join(ctx.split()[-5:])  # the title right before the name
        ctx = re.sub(
            r"\b(?:Gov|Sen|Rep|Gen|Sgt|Const|Lt|Col|Capt|Dr|Prof)\b\.?",
            lambda m: _TITLE_WORDS[m.group().rstrip(".").lower()],
            ctx,
        )
        hits = sum(c in ctx for c in caps)
        # the noun right before the name: "First Minister Markus Söder"
        score = hits + (2 if re.search(rf"\b{re.escape(head)}\s*$", ctx, re.I) else 0)
        if score >= 2 or (caps and hits == len(caps)):
            (before if e.start < phrase_a else after).append((score, e.start, name))
    if before:
        return max(before)[2]  # the best title, the last one named among equals
    if after:
        return max(after, key=lambda c: (c[0], -c[1]))[2]
    adjectives = {w for e in ents.within(phrase_a, phrase_a + len(phrase) + 2)
                  if e.label in ("NORP", "GPE") for w in e.text.split()}  # fmt: skip
    if ws[0].lower() == "the" and head in _PUBLIC_ROLES and "'" not in phrase and "’" not in phrase:
        # "the Footloose star", "the Ghanaian theologian": someone named before (not "the
        # store manager", "the victim's nephew": someone new)
        return ents.antecedent(phrase_a) or UNNAMED
    if all(c in adjectives for c in caps):
        return UNNAMED  # "the store manager": nobody named here
    return None


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


_TITLE_NOUNS = words(
    "exhibition exhibit campaign bill song album film movie show series book novel play "
    "event festival slogan initiative programme program project operation tour award "
    "motto hashtag brand label law act policy doctrine plan strategy movement concert "
    "reaction"
)
_NAMED_BEFORE = re.compile(
    r"(?:\btheme(?:\s+is)?|\btitled|\bentitled|\bdubbed|\bnicknamed|\bso-called|\bknown\s+as"
    r"|\bslogans?(?:\s+like)?|\bmotto|\bhashtag|\bbanner|\bsigns?\s+reading|\bthe\s+phrase"
    r"|\btranslates?\s+(?:as|to)|\bmeaning|\bchants?(?:\s+(?:of|like|included))?)(?:\s+(?:the|a|of))?\s*[,:]?\s*[\"“«]?$",
    re.I,
)


def _named_thing(text: str, a: int, b: int, content: str) -> bool:
    """Whether a short quote names something rather than quoting someone: a name before
    a noun ('"It is our right to dream" exhibition'), or after a label ('the theme:
    "Who is L.A. 2020?"', 'known as the "party of the year"')."""
    if len(content.split()) > 8:
        return False
    after = re.match(r"[\"”»’]?\s+([a-z]+)", text[b : b + 30])
    if after and after.group(1) in _TITLE_NOUNS and not re.search(r"[.!?,;:]$", content):
        return True
    return bool(_NAMED_BEFORE.search(text[max(0, a - 40) : a]))


_ABBREVIATED = ABBREVIATIONS | words("const cpl det insp supt")
_TITLE_AT_END = re.compile(
    r"\b(?i:const|cpl|sgt|det|insp|supt|lt|col|gen|capt|maj|cmdr|adm|dr|mr|mrs|ms|prof|sen"
    r"|rep|gov|rev|st)\.$"
)


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


# ------------------------------------------------------------------ other languages
# No NER outside English: speakers are names written as two or more capitalised
# words ("Lena Okafor"; German "Innenministerin Lena Okafor" gives its last two words)
# next to a speech verb right after the quote ("», a déclaré la ministre, Lena
# Okafor,", "“, sagte sie"), or before a quote opened by a colon ("Il sindaco Giulia
# Ferrante ha promesso chiarezza: «..."). A pronoun or a verb without a subject
# ("», ha detto.") points at the last name before the quote.
INTL_VERBS = (
    r"(?:a|ont)(?:-t-(?:il|elle|ils|elles))?\s+(?:d[ée]clar[ée]|dit|affirm[ée]|ajout[ée]|expliqu[ée]"
    r"|indiqu[ée]|pr[ée]cis[ée]|assur[ée]|soulign[ée]|estim[ée]|lanc[ée]|confi[ée]|pr[ée]venu"
    r"|averti|martel[ée]|r[ée]agi|racont[ée]|t[ée]moign[ée]|insist[ée]|reconnu|conclu)"
    r"|d[ée]clare|dit|affirme|ajoute|explique|indique|pr[ée]cise|assure|souligne|estime|lance"
    r"|confie|raconte|d[ée]plore|r[ée]sume"
    r"|dijo|declar[óo]|afirm[óo]|a[ñn]adi[óo]|explic[óo]|indic[óo]|se[ñn]al[óo]|asegur[óo]"
    r"|subray[óo]|relat[óo]|cont[óo]|advirti[óo]|manifest[óo]|expres[óo]|sostuvo|agreg[óo]"
    r"|coment[óo]|lament[óo]|insisti[óo]|dice|afirma|asegura|explica|se[ñn]ala"
    r"|ha\s+(?:dicho|declarado|afirmado|explicado|se[ñn]alado|asegurado|detto|dichiarato"
    r"|affermato|aggiunto|spiegato|sottolineato|raccontato|assicurato|precisato|commentato"
    r"|ribadito|avvertito|concluso|osservato)"
    r"|dice|afferma|spiega|racconta|aggiunge|sottolinea|osserva"
    r"|sagte|sagt|erkl[äa]rte|erkl[äa]rt|betonte|betont|meinte|warnte|berichtete|versicherte"
    r"|kritisierte|forderte|f[üu]gte|[äa]u[ßs]erte|so"
)
_INTL_VERB_RE = re.compile(rf"^\s*[,.:;—–-]?\s*(?:{INTL_VERBS})\b", re.I)
_INTL_PRONOUNS = words("il elle ils elles er sie él ella ellos lui lei loro")
_CAP = r"[A-ZÀ-ÖØ-Þ][\w'’-]+"
_INTL_NAME = re.compile(rf"{_CAP}(?:\s+{_CAP})+")
_INTL_NOT_NAME = words(
    "le la les un une des el los las uno una il lo gli i der die das ein eine den dem "
    "selon según secondo laut au en dans in im am dieser diese dieses jener jene"
)


def _intl_names(
    text: str, a: int, b: int, spans: Sequence[tuple[int, int]]
) -> list[tuple[int, str]]:
    """(position, name) of the names in text[a:b], outside quotes."""
    out = []
    for m in _INTL_NAME.finditer(text, a, b):
        if any(x <= m.start() < y for x, y in spans):
            continue
        parts = [w for w in m.group().split() if w.lower() not in _INTL_NOT_NAME]
        if len(parts) >= 2:
            out.append((m.start(), " ".join(parts[-2:])))
    return out


def _intl_speaker(
    text: str, a: int, b: int, para_start: int, para_end: int, spans: Sequence[tuple[int, int]]
) -> str | None:
    close = b + 1 if b < len(text) and text[b] in '"”»“’' else b
    sent_end = re.search(r"[.!?](?:\s|$)|[«„“\"]", text[close:para_end])
    after = text[close : close + (sent_end.start() if sent_end else para_end - close)]
    v = _INTL_VERB_RE.match(after)
    if v:
        rest = after[v.end() :]
        pron = re.match(r"\s*(\w+)", rest)
        if not (pron and pron.group(1).lower() in _INTL_PRONOUNS):
            names = _intl_names(text, close + v.end(), close + len(after), spans)
            if names:
                return names[0][1]
        before = _intl_names(text, max(0, a - 600), a, spans)
        return before[-1][1] if before else None
    lo = max(para_start, a - 200)
    opening = text[lo:a].rstrip(' «„“"')
    if opening.endswith(":"):
        sent = re.split(r"[.!?]\s", opening)[-1]
        names = _intl_names(text, lo + len(opening) - len(sent), lo + len(opening), spans)
        return names[-1][1] if names else None
    return None
