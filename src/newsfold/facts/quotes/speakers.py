"""From the words of an attribution to a speaker (:func:`_resolve`).

The nearest PERSON of the attribution, else an organisation or a place; "he"/"she" is
someone named before; titles are left out of names ("Police Constable Tim Fanning");
a description ("the NATO chief", "the tournament") is the person or body it stands for
when the text names one; an institution speaks for itself ("the defence ministry");
"they"/"we" name nobody (:data:`UNNAMED`).
"""

from __future__ import annotations

import re

from newsfold.facts.entities import clean_name
from newsfold.facts.model import Entity
from newsfold.facts.quotes.names import _NOT_FIRST_NAME, _Ents, _name_like
from newsfold.facts.text import words

# a speaker found but not named ("they said"): no speaker, and none taken from a quote before
UNNAMED = ""
_PRONOUNS = frozenset({"he", "she", "him", "her"})
_ROLE = re.compile(
    r"\b(?:chief|head|leader|president|minister|secretary|spokes(?:man|woman|person)|official"
    r"|general|commander|ambassador|director|envoy|premier|chancellor)\b",
    re.I,
)


_INSTITUTION = re.compile(
    r"\b(?i:ministry|ministries|government|council|company|army|military|police"
    r"|spokes(?:man|woman|person)|office|agency|committee|commission|court|board|union"
    r"|authorit(?:y|ies)|department|embassy|delegation|administration|prosecutors?)\b"
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
