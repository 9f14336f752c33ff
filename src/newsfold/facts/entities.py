"""Named entities from spaCy NER, with name variants merged.

Within an article (``canonicalise``) and across the articles of an event
(``merge_entities``):
- titles are stripped ("NATO Secretary-General Jens Stoltenberg",
  "President Joe Biden" -> "Jens Stoltenberg", "Joe Biden");
- a surname alone becomes the full name when exactly one full name ends with
  it ("Stoltenberg" -> "Jens Stoltenberg"), whatever label NER gave the
  surname (NER sometimes calls a lone surname a GPE or ORG);
- two full names with the same surname whose first names share their first
  three letters are one person ("Alexander"/"Alexandr Lukashenko"): the more
  frequent spelling wins;
- an acronym becomes the long name it abbreviates when both occur
  ("AP" -> "Associated Press");
- a few country aliases are unified ("U.S.", "US", "America" -> "United
  States"; "Kiev" -> "Kyiv").
"""

from __future__ import annotations

import bisect
import functools
import re
from collections import Counter
from collections.abc import Iterable, Sequence

from newsfold.facts.model import ArticleFacts, Entity
from newsfold.facts.text import words
from newsfold.facts.things import DEMONYMS

KEEP_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT"})
_TITLE_WORDS = words(
    "president vice prime minister secretary secretary-general general deputy chief "
    "defense defence foreign interior finance foreign-minister chancellor king queen "
    "prince princess pope sen senator rep representative gov governor mayor mr mrs ms dr "
    "prof professor col colonel lt lieutenant gen sgt sergeant capt captain maj major adm "
    "admiral commander cmdr ambassador spokesman spokeswoman spokesperson judge justice "
    "sheikh emir sultan lord lady sir dame rev father saint st press former acting "
    "interim state"
)
_ALIASES = {
    "u.s.": "United States", "us": "United States", "u.s": "United States", "usa": "United States",
    "u.s.a.": "United States", "america": "United States", "the united states": "United States",
    "united states of america": "United States", "uk": "United Kingdom",
    "u.k.": "United Kingdom", "britain": "United Kingdom", "great britain": "United Kingdom",
    "kiev": "Kyiv", "the kremlin": "Kremlin", "un": "United Nations", "u.n.": "United Nations",
    "eu": "European Union", "e.u.": "European Union",
}  # fmt: skip
_SMALL = words("of the and for de la du der von van al el")
# Place names that are also surnames: never merged into a person.
_PLACE_SURNAMES = words(
    "washington jordan georgia chad victoria florence paris lincoln houston austin "
    "charlotte sydney israel kent chester york orlando santiago"
)


@functools.lru_cache(maxsize=8192)  # the same names recur in every article
def clean_name(text: str) -> str:
    """Entity text without leading "the", trailing possessive and punctuation."""
    t = re.sub(r"\s+", " ", text).strip(" \t\"'“”‘’,.;:()[]")
    t = re.sub(r"['’]s$", "", t)
    t = re.sub(r"^(?i:the)\s+", "", t)
    return t.strip()


def strip_title(name: str) -> str:
    words = name.split()
    while len(words) > 1 and (
        words[0].lower().rstrip(".") in _TITLE_WORDS
        or (words[0].isupper() and len(words) > 2 and words[0].isalpha())
    ):
        words = words[1:]
    return " ".join(words)


def _initials(name: str) -> str:
    return "".join(w[0] for w in re.split(r"[\s-]+", name) if w and w.lower() not in _SMALL).upper()


def _build_map(ents: Iterable[Entity]) -> dict[str, str]:
    """variant -> canonical for a set of entity mentions (one article or event)."""
    ents = list(ents)
    base: dict[str, str] = {}
    counts: Counter[str] = Counter()
    for e in ents:
        name = clean_name(e.canonical or e.text)
        if e.label == "PERSON":
            name = strip_title(name)
        name = _ALIASES.get(name.lower(), name)
        base[e.text] = name
        base[clean_name(e.text)] = name
        counts[name] += 1
    persons = {base[e.text] for e in ents if e.label == "PERSON" and " " in base[e.text]}
    # same surname, similar first name: the more frequent spelling
    by_last: dict[str, list[str]] = {}
    for p in sorted(persons):
        by_last.setdefault(p.split()[-1].lower(), []).append(p)
    merged: dict[str, str] = {}
    for names in by_last.values():
        for a in names:
            for b in names:
                if a != b and a.split()[0][:3].lower() == b.split()[0][:3].lower():
                    win = max((a, b), key=lambda n: (counts[n], len(n), n))
                    merged[a if win == b else b] = win
    surname: dict[str, set[str]] = {}
    for p in persons:
        final = merged.get(p, p)
        surname.setdefault(p.split()[-1].lower(), set()).add(final)
    orgs_long = [n for n in set(base.values()) if " " in n and len(_initials(n)) >= 2]
    out: dict[str, str] = {}
    person_words = {clean_name(e.text) for e in ents if e.label == "PERSON"}
    for variant, name in base.items():
        final = merged.get(name, name)
        words = final.split()
        if len(words) == 1:
            full = surname.get(final.lower())
            low = final.lower()
            placey = low in _PLACE_SURNAMES or low in _ALIASES
            if (
                full
                and len(full) == 1
                and low not in DEMONYMS
                and (final in person_words or not placey)
            ):
                final = next(iter(full))
            elif final.isupper() and 2 <= len(final) <= 6:
                longs = [o for o in orgs_long if _initials(o) == final]
                if len(longs) == 1:
                    final = longs[0]
        out[variant] = final
        out[name] = final
    return out


def canonicalise(ents: Sequence[Entity]) -> list[Entity]:
    """Set ``canonical`` on every entity of one article."""
    mapping = _build_map(ents)
    out = []
    for e in ents:
        can = mapping.get(e.text, e.text)
        label = e.label
        short = clean_name(e.text)
        if label != "PERSON" and can != short and " " in can and can.split()[-1] == short:
            label = "PERSON"  # a lone surname NER mislabelled
        out.append(Entity(e.start, e.end, e.text, label, can))
    return out


def entities_from_doc(doc: object, text: str, canonical: bool = True) -> list[Entity]:
    """Entities of a spaCy ``Doc`` of ``text`` (only the kept labels); with
    ``canonical`` their names are merged within the list."""
    out: list[Entity] = []
    for ent in getattr(doc, "ents", ()):
        if ent.label_ not in KEEP_LABELS:
            continue
        start, end = ent.start_char, ent.end_char
        m = re.match(r"(?i:the)\s+", text[start:end])
        if m:
            start += m.end()
        if re.search(r"['’]s$", text[start:end]):
            end -= 2
        while start < end and not text[start].isalnum():
            start += 1
        while end > start and not (text[end - 1].isalnum() or text[end - 1] == "."):
            end -= 1
        surface = text[start:end]
        if not surface.strip() or not any(c.isalpha() for c in surface):
            continue
        out.append(Entity(start, end, surface, ent.label_, clean_name(surface)))
    return canonicalise(out) if canonical else out


def merge_entities(facts: Sequence[ArticleFacts]) -> dict[str, str]:
    """variant -> canonical name across the articles of one event.

    Keys are every entity text and every per-article canonical name seen."""
    ents = [e for f in facts for e in f.entities]
    mapping = _build_map(ents)
    for e in ents:
        mapping.setdefault(e.canonical, mapping.get(e.text, e.canonical))
    return mapping


_COUNTRIES = [
    "Afghanistan",
    "Albania",
    "Algeria",
    "Angola",
    "Argentina",
    "Armenia",
    "Australia",
    "Austria",
    "Azerbaijan",
    "Bahrain",
    "Bangladesh",
    "Belarus",
    "Belgium",
    "Bolivia",
    "Bosnia",
    "Brazil",
    "Bulgaria",
    "Cambodia",
    "Cameroon",
    "Canada",
    "Chile",
    "China",
    "Colombia",
    "Congo",
    "Croatia",
    "Cuba",
    "Cyprus",
    "Denmark",
    "Ecuador",
    "Egypt",
    "Estonia",
    "Ethiopia",
    "Finland",
    "France",
    "Germany",
    "Ghana",
    "Greece",
    "Guatemala",
    "Haiti",
    "Honduras",
    "Hungary",
    "Iceland",
    "India",
    "Indonesia",
    "Iran",
    "Iraq",
    "Ireland",
    "Israel",
    "Italy",
    "Japan",
    "Kazakhstan",
    "Kenya",
    "Kosovo",
    "Kuwait",
    "Kyrgyzstan",
    "Latvia",
    "Lebanon",
    "Libya",
    "Lithuania",
    "Luxembourg",
    "Malaysia",
    "Mali",
    "Mexico",
    "Moldova",
    "Mongolia",
    "Montenegro",
    "Morocco",
    "Mozambique",
    "Myanmar",
    "Nepal",
    "Netherlands",
    "Nicaragua",
    "Niger",
    "Nigeria",
    "Norway",
    "Oman",
    "Pakistan",
    "Panama",
    "Paraguay",
    "Peru",
    "Philippines",
    "Poland",
    "Portugal",
    "Qatar",
    "Romania",
    "Russia",
    "Rwanda",
    "Senegal",
    "Serbia",
    "Singapore",
    "Slovakia",
    "Slovenia",
    "Somalia",
    "Spain",
    "Sudan",
    "Sweden",
    "Switzerland",
    "Syria",
    "Taiwan",
    "Tajikistan",
    "Tanzania",
    "Thailand",
    "Tunisia",
    "Turkey",
    "Turkmenistan",
    "Uganda",
    "Ukraine",
    "Uruguay",
    "Uzbekistan",
    "Venezuela",
    "Vietnam",
    "Yemen",
    "Zambia",
    "Zimbabwe",
    "Britain",
    "Kyiv",
    "Moscow",
    "Beijing",
    "London",
    "Paris",
    "Berlin",
    "Brussels",
    "Minsk",
    "Warsaw",
]
_GPE_MULTI = ["United States", "United Kingdom", "Great Britain", "Saudi Arabia",
              "South Korea", "North Korea", "South Africa", "New Zealand", "Czech Republic",
              "U.S.", "U.K.", "USA", "UK", "EU", "UAE"]  # fmt: skip
# Country names, capitals and demonyms need no NER ("Poland", "Russian", "U.S.").
GAZETTEER: dict[str, str] = {
    **{n: "GPE" for n in _COUNTRIES + _GPE_MULTI},
    **{
        k.title(): "NORP"
        for k, v in DEMONYMS.items()
        if k.title() not in _COUNTRIES
        and "." not in k
        and " " not in k
        and k.lower() != v.lower()
        and k.endswith(("an", "ans", "ish", "ese", "i", "is", "ic", "ch", "ine", "ern"))
    },
}
GAZETTEER["EU"] = "ORG"


_WORD = re.compile(r"[\w'’&-]+(?:\.[\w'’&-]+)*\.?")
_GAZETTEER_WORDS = max(len(n.split()) for n in GAZETTEER)


def propagate(text: str, ents: Sequence[Entity], known: Sequence[Entity] = ()) -> list[Entity]:
    """``ents`` (found by NER in parts of ``text``) plus every other occurrence of
    their names in ``text``, with the label the name got most often; a person's
    surname alone ("Stoltenberg") is a person too, unless it is also a place name.
    Country names, capitals and demonyms (:data:`GAZETTEER`) are found without NER.
    ``known``: names found elsewhere (the body, for a headline), looked up too."""
    labels: dict[str, Counter[str]] = {}
    for e in [*ents, *known]:
        labels.setdefault(e.text, Counter())[e.label] += 1
        parts = e.text.split()
        if e.label == "PERSON" and len(parts) > 1:
            last = parts[-1]
            if len(last) >= 4 and last[0].isupper() and last.lower() not in _PLACE_SURNAMES:
                labels.setdefault(last, Counter())
    longest = max([_GAZETTEER_WORDS, *(len(n.split()) for n in labels)])
    taken = sorted((e.start, e.end) for e in ents)
    starts = [a for a, _ in taken]
    out = list(ents)
    spans = [m.span() for m in _WORD.finditer(text)]
    i = 0
    while i < len(spans):
        a = spans[i][0]
        if not text[a].isupper():
            i += 1
            continue
        for n in range(min(longest, len(spans) - i), 0, -1):
            b = spans[i + n - 1][1]
            name = text[a:b]
            if name not in labels and name not in GAZETTEER and name.endswith("."):
                b -= 1
                name = name[:-1]
            label = _label_of(name, labels)
            if label is None:
                continue
            k = bisect.bisect_right(starts, a) - 1
            free = not (k >= 0 and taken[k][1] > a) and not (
                k + 1 < len(taken) and taken[k + 1][0] < b
            )
            if free:
                out.append(Entity(a, b, name, label, clean_name(name)))
            i += n - 1
            break
        i += 1
    out.sort(key=lambda e: e.start)
    return out


def _label_of(name: str, labels: dict[str, Counter[str]]) -> str | None:
    c = labels.get(name)
    if c is not None:
        return c.most_common(1)[0][0] if sum(c.values()) else "PERSON"
    return GAZETTEER.get(name)
