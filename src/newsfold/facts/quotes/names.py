"""Who a text names: its people and organisations, as the speaker rules ask for them.

:class:`_Ents` holds the entities of one text and its quote spans: whom "he"/"she"
stands for, the full name of a one-word speaker, the organisation last named. Also what
looks like a person's name ("Arreola said", not "La Habra Crab Shack" nor "New Year's
Day") and which capitalised words are titles rather than first names.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from newsfold.facts.entities import clean_name
from newsfold.facts.model import Entity
from newsfold.facts.text import sentence_spans, words

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


_ORG_WORDS = re.compile(
    r"\b(?:Ministry|Council|News|Agency|Press|House|Union|Party|Group|Company|Inc|Corp|Bank|Army"
    r"|Forces?|Office|Department|Committee|Commission|Organi[sz]ation|Association|University"
    r"|Institute|Times|Post|Service|Government|Parliament|Court|Police|Kremlin|Pentagon|NATO"
    r"|Church|Cathedral|Mosque|Temple|School|College|Hospital|Club|Airport|Station|Museum"
    r"|Cent(?:er|re)|Street|Avenue|Road|Square|Park|Bridge|High|Shack|Restaurant|Cafe|Bar)\b"
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
