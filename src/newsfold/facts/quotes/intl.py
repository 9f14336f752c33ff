"""Speakers of quotes in other languages: rules only, as there is no NER outside English.

Speakers are names written as two or more capitalised words ("Lena Okafor"; German
"Innenministerin Lena Okafor" gives its last two words) next to a speech verb right
after the quote ("», a déclaré la ministre, Lena Okafor,", "“, sagte sie"), or before
a quote opened by a colon ("Il sindaco Giulia Ferrante ha promesso chiarezza: «...").
A pronoun or a verb without a subject ("», ha detto.") points at the last name before
the quote.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from newsfold.facts.text import words

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
