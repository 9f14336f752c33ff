"""English speech verbs: the cues the attribution and reported-speech rules look for.

:data:`VERBS` (an alternation, also read by the extractor's NER view) and the regexes
built on it: verbs before a quote (participles too: 'writing, "..."'), after a quote
(any verb of saying: 'she gushed'), and in reported speech.
"""

from __future__ import annotations

import re

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
_VERB_RE = re.compile(rf"\b(?:{VERBS}|wished|tweets)\b")
# right after a quote ('"...," she gushed'), any verb of saying will do
_VERB_AFTER_RE = re.compile(
    rf"\b(?:{VERBS}|wished|tweets|asks|gushed|exclaimed|shouted|screamed|yelled|whispered"
    r"|sighed|laughed|mused|offered|suggested|agreed|observed|countered|retorted|answered"
    r"|captioned|read|texted|emailed|went on|put it|pleaded|begged|cried|sang|chanted"
    r"|recounted|recalls|explains|insists|warns|urges|admits|concedes|notes|observes)\b"
)
