"""Quotations: direct quotes between quote marks and reported speech.

Quote marks: straight or curly double quotes (mixed pairs such as a straight
opening and a curly closing mark are accepted), « », „ “, and curly single
quotes ‘ ’ (an apostrophe between letters never closes a quote). Quotes are
paired inside a paragraph; a quote left open at the end of a paragraph runs
to the paragraph end. Quotes under three words ("scare quotes") are kept
only when attributed; titles and names in quote marks ("Ring of Fire") are not
quotes. Tokenised copy with marks spaced on both sides ('" On sighting ... "') is
read too.

Speaker: the attribution right after the quote ('"...," Stoltenberg said',
'"...", NATO General Secretary Jens Stoltenberg told reporters', '"...,"
argued Revenko') or before it ('Lukashenko said the goal was "..."'); the
nearest PERSON (else ORG, else place) of the attribution is the speaker.
"he"/"she" is the last person named before the quote; a description such as
"the NATO chief" is the last person whose title mentions NATO. An
unattributed quote in the same paragraph as an attributed one has the same
speaker; so does one right after a short '"...," she said.' sentence. An
unattributed quote that makes a whole paragraph takes the speaker of the paragraph
before (its last quote's, or that of its closing "..., a ministry statement said.").
A lone surname before a speech verb ("Arreola said") stands for the full name
written before, whatever NER tagged it.

"he"/"she" is resolved within the paragraph first: the last person named there
(a full name tagged PERSON, a name NER missed, or someone described: "A younger
crane operator, who asked not to be named, said"), else the last person named
before. An institution speaks for itself: "the defence ministry in Vostrad
said", "a spokesman for the transport ministry said".

Other languages (no NER): the speaker is a name of two or more capitalised words
next to a speech verb right after the quote ("», a déclaré la ministre, Lena
Okafor,", "“, sagte sie"), or before a quote opened by a colon; a pronoun or a
verb without subject points at the last name before the quote.

Reported speech: "<speaker> said/told reporters that/claimed ... <clause>"
without quote marks, and "<clause>, according to <speaker>". The quote text
is the reported clause.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

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
_VERB_RE = re.compile(rf"\b(?:{VERBS})\b")
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
        self, ents: Sequence[Entity], text: str = "", quotes: Sequence[tuple[int, int]] = ()
    ) -> None:
        self.ents = sorted(ents, key=lambda e: e.start)
        self.ends = [e.end for e in self.ents]
        self.names = {clean_name(e.text): e.canonical for e in self.ents if e.canonical}
        self.text = text
        self.quotes = list(quotes)

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
            others = [e for e in self.within(m.start(), m.end()) if e.label != "PERSON"]
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
                return b[1]
        p = self.last_person_before(pos)
        return (p.canonical or p.text) if p else None

    def canonical(self, name: str) -> str:
        return self.names.get(name, name)

    def within(self, a: int, b: int) -> list[Entity]:
        return [e for e in self.ents if a <= e.start and e.end <= b]

    def last_person_before(self, pos: int) -> Entity | None:
        i = bisect.bisect_right(self.ends, pos)
        for e in reversed(self.ents[:i]):
            if e.label == "PERSON" and " " in (e.canonical or e.text):
                return e
        for e in reversed(self.ents[:i]):
            if e.label == "PERSON":
                return e
        return None


_TITLE_SMALL = words("a an the of and or in on at to for from by with as de la le du des")


def _title_like(content: str) -> bool:
    """Whether a quote's words look like a title or a name (every word capitalised but
    small words, up to eight words, no sentence punctuation): "Ring of Fire"."""
    ws = content.split()
    if not 2 <= len(ws) <= 8 or re.search(r"[.!?,;:]\W*$|[.!?;:]\s", content):
        return False
    caps = [w for w in ws if w[:1].isupper()]
    return len(caps) >= 2 and all(w[:1].isupper() or w.lower() in _TITLE_SMALL for w in ws)


def _spaced_open(para: str, i: int) -> bool:
    """Whether a straight quote mark with spaces on both sides (tokenised copy such as
    ECB+: '" On sighting ... escape. "') opens a quote: at the start of a paragraph (a
    quote that may run on), or after a word when the paragraph closes it later; never
    after a comma or a full stop, where it closes one."""
    before = para[:i].rstrip()
    if not para[i + 1 :].strip():
        return False
    if not before:
        return True
    return before[-1] not in ",.;!?" and para.count('"', i + 1) % 2 == 1


def pair_quotes(text: str) -> list[tuple[int, int]]:
    """(content start, content end) of every quotation."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for para in text.split("\n"):
        base = pos
        pos += len(para) + 1
        open_at: int | None = None
        for m in re.finditer(r"[\"“”„«»]", para):
            i, ch = m.start(), m.group()
            prev = para[i - 1] if i else " "
            nxt = para[i + 1] if i + 1 < len(para) else " "
            is_open = ch in "“„«" or (
                ch == '"' and (prev.isspace() or prev in "([—–-:") and not nxt.isspace()
            )
            if ch == "“" and open_at is not None and text[base + open_at - 1] == "„":
                is_open = False  # German „...“
            if open_at is None:
                if is_open or (ch == '"' and not nxt.isspace()):
                    open_at = i + 1
                elif ch == '"' and _spaced_open(para, i):
                    open_at = i + 1  # tokenised copy: '" On sighting the helicopter ... "'
            elif not is_open or ch == '"':
                spans.append((base + open_at, base + i))
                open_at = None
            else:
                open_at = i + 1
        if open_at is not None and len(para[open_at:].split()) >= 8:
            spans.append((base + open_at, base + len(para.rstrip())))
        for m in re.finditer(
            r"(?:(?<=^)|(?<=[\s(—–]))‘(?=\w)(?P<c>[^‘’]*?(?:\w’\w[^‘’]*?)*)’(?!\w)", para
        ):
            a, b = base + m.start("c"), base + m.end("c")
            if not any(x <= a < y for x, y in spans):
                spans.append((a, b))
    return sorted(spans)


_ORG_WORDS = re.compile(
    r"\b(?:Ministry|Council|News|Agency|Press|House|Union|Party|Group|Company|Inc|Corp|Bank|Army"
    r"|Forces?|Office|Department|Committee|Commission|Organi[sz]ation|Association|University"
    r"|Institute|Times|Post|Service|Government|Parliament|Court|Police|Kremlin|Pentagon|NATO"
    r"|Church|Cathedral|Mosque|Temple|School|College|Hospital|Club|Airport|Station|Museum"
    r"|Cent(?:er|re)|Street|Avenue|Road|Square|Park|Bridge)\b"
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


def _description(phrase: str) -> str:
    return re.sub(r"^(?i:the|a|an|its|their)\s+", "", " ".join(phrase.split())).strip(" ,")


def _resolve(phrase_a: int, phrase_b: int, text: str, ents: _Ents, verb_at: int) -> str | None:
    """Speaker named in text[phrase_a:phrase_b] (the attribution words)."""
    inside = ents.within(phrase_a, phrase_b)

    def nearest(cands: list[Entity]) -> str:
        best = min(cands, key=lambda e: min(abs(e.end - verb_at), abs(e.start - verb_at)))
        return best.canonical or clean_name(best.text)

    persons = [e for e in inside if e.label == "PERSON"]
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
        return nearest(persons)
    named = [e for e in inside if e.label == "ORG" and _name_like(e.text)]
    if named:
        return nearest(named)
    words = phrase.lower().split()
    if words and words[-1] in _PRONOUNS:
        return ents.antecedent(phrase_a)
    if _ROLE.search(phrase):
        orgs = [w for w in re.findall(r"\b[A-Z][\w.-]+", phrase) if w.lower() != "the"]
        for e in reversed(ents.ents):
            if e.end > phrase_a or e.label != "PERSON":
                continue
            ctx = text[max(0, e.start - 60) : e.start]
            if orgs and all(o in ctx for o in orgs):
                return e.canonical or e.text
    names = [n for n in _NAME.findall(phrase) if _name_like(n)]
    if names:
        return ents.canonical(names[0])
    tail = phrase.rsplit(",", 1)[-1]
    if _INSTITUTION.search(tail) and len(tail.split()) <= 8:
        # "a spokesman for the transport ministry", "In a statement, the ministry"
        return _description(tail)
    for label in ("ORG", "GPE", "NORP", "LOC"):
        cands = [e for e in inside if e.label == label]
        if cands:
            return nearest(cands)
    caps = re.findall(r"\b[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)*", phrase)
    caps = [c for c in caps if c.lower() not in ("the", "he", "she", "it", "they", "we", "i")]
    if caps:
        return ents.canonical(clean_name(caps[-1]))
    return None


def _after_attribution(text: str, b: int, limit: int, ents: _Ents) -> str | None:
    window = text[b:limit]
    off = 1 if window[:1] in '"”»’' else 0
    for cut in re.finditer(r"[“\"«]|[.!?](?:\s|$)", window[off:]):
        word = re.search(r"([\w.]+)$", window[off : off + cut.start()])
        if cut.group()[0] == "." and word and word.group(1).lower() in ABBREVIATIONS:
            continue  # "said Dr. Ilse Brandt"
        window = window[: off + cut.start()]
        break
    m = re.match(r"^[\"”»’]?\s*[,.:;—–-]?\s*", window)
    s = m.end() if m else 0
    v = _VERB_RE.search(window, s)
    if v is None:
        return None
    before = window[s : v.start()]
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
    sent_cut = max(
        (m.end() for m in re.finditer(r"[.!?][\"”’]?\s+(?=[A-Z“\"]|$)", prefix)), default=0
    )
    sent_cut = max(sent_cut, max(prefix.rfind("”"), prefix.rfind('"'), prefix.rfind("“")) + 1)
    prefix = prefix[sent_cut:]
    lo += sent_cut
    verbs = list(_VERB_RE.finditer(prefix))
    if not verbs:
        return None
    v = verbs[-1]
    mid = prefix[v.end() :]
    if len(mid.split()) > 12 or re.search(r"[\"“”]", mid):
        return None
    is_pro, person = _pronoun_before(text, lo + v.start(), ents)
    if is_pro:
        return person
    before = prefix[: v.start()]
    words_start = lo + max(0, len(before) - len(" ".join(before.split()[-10:])) - 1)
    clause = max(before.rfind(","), before.rfind(";"))
    if clause >= 0 and clause > len(before) - 40:
        # "Speaking about the drills, Lukashenko said" -- keep the clause after the comma,
        # unless it is an appositive ("Oleg Nikolenko, Ukraine's spokesman, said")
        tail = before[clause + 1 :]
        if ents.within(lo + clause + 1, lo + v.start()) or tail.strip().lower() in _PRONOUNS:
            words_start = lo + clause + 1
    return _resolve(words_start, lo + v.start(), text, ents, lo + v.start())


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


def _previous_paragraph(
    text: str, para_start: int, prev_para: int, prev_speaker: str | None, ents: _Ents
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
    if prev_para == start and prev_speaker is not None:
        return prev_speaker
    if not _SAID_END.search(text[start:end]):
        return None
    return _before_attribution(text, end, start, ents)


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
            if any(x - 1 <= vabs < y + 1 for x, y in quotes):
                continue
            rest = sent[v.end() :]
            adv = _ADVERBIAL.match(rest)
            pos = adv.end() if adv else 0
            if v.group() == "told":
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
            if len(clause.split()) < 4 or clause[:1] in '"“‘:':
                continue
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
    ents = _Ents(entities, text, spans)
    out: list[Quote] = []
    prev_para, prev_speaker = -1, None
    for a, b in spans:
        raw = text[a:b]
        content = raw.strip()
        if not content:
            continue
        a2 = a + (len(raw) - len(raw.lstrip()))
        para_start = text.rfind("\n", 0, a) + 1
        para_end = text.find("\n", b)
        para_end = len(text) if para_end < 0 else para_end
        speaker = None
        if english:
            speaker = _after_attribution(text, b, min(para_end, b + 160), ents)
            if speaker is None:
                speaker = _before_attribution(text, a - 1, para_start, ents)
        else:
            speaker = _intl_speaker(text, a, b, para_start, para_end, spans)
        if speaker is None and english:
            speaker = _said_just_before(text, a - 1, para_start, ents)
        if speaker is None and para_start == prev_para:
            speaker = prev_speaker
        if (
            speaker is None
            and english
            and not text[para_start : a - 1].strip()
            and not text[b:para_end].strip(' \t"”’.,;:!?…')
        ):
            speaker = _previous_paragraph(text, para_start, prev_para, prev_speaker, ents)
        if len(content.split()) < 3 and speaker is None:
            continue
        if english and _title_like(content):
            continue  # a name or title in quote marks: "Ring of Fire", "Weekend Report"
        if len(content.split()) < 3 and not english:
            continue
        out.append(Quote(a2, a2 + len(content), content, speaker, "direct"))
        if speaker is not None:
            prev_para, prev_speaker = para_start, speaker
    if english:
        out.extend(_reported(text, spans, ents, sentences))
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
