"""Quote and speaker rules, with entities given by hand (no spaCy model)."""

from __future__ import annotations

import re

from newsfold.facts.model import Entity
from newsfold.facts.quotes import extract_quotes


def ents(text: str, names: dict[str, tuple[str, str]]) -> list[Entity]:
    """Entities for every occurrence of each name: name -> (label, canonical)."""
    out = []
    for name, (label, canonical) in names.items():
        for m in re.finditer(re.escape(name), text):
            out.append(Entity(m.start(), m.end(), name, label, canonical))
    return sorted(out, key=lambda e: e.start)


JS = ("PERSON", "Jens Stoltenberg")


def direct(text: str, names: dict[str, tuple[str, str]]) -> list[tuple[str, str | None]]:
    return [
        (q.text, q.speaker) for q in extract_quotes(text, ents(text, names)) if q.kind == "direct"
    ]


def test_attribution_after_with_title() -> None:
    text = (
        'Talks went on. "We have seen a big movement of forces into the region", '
        "NATO General Secretary Jens Stoltenberg told reporters."
    )
    names = {"Jens Stoltenberg": JS, "NATO": ("ORG", "NATO")}
    assert direct(text, names) == [
        ("We have seen a big movement of forces into the region", "Jens Stoltenberg")
    ]


def test_attribution_after_surname_and_curly_quotes() -> None:
    text = "Jens Stoltenberg spoke. “So we are talking about many capabilities,” Stoltenberg said."
    got = direct(text, {"Jens Stoltenberg": JS, "Stoltenberg": JS})
    assert got == [("So we are talking about many capabilities,", "Jens Stoltenberg")]


def test_verb_before_speaker() -> None:
    text = "“The result is the deployment of the regional grouping”, argued Revenko."
    got = direct(text, {"Revenko": ("PERSON", "Valeri Revenko")})
    assert got == [("The result is the deployment of the regional grouping", "Valeri Revenko")]


def test_attribution_before_with_colon() -> None:
    text = 'Stoltenberg said: "We are determined to find a political solution."'
    assert direct(text, {"Stoltenberg": JS}) == [
        ("We are determined to find a political solution.", "Jens Stoltenberg")
    ]


def test_pronoun_is_the_last_person() -> None:
    text = (
        "Jens Stoltenberg spoke in Washington on Friday. "
        "“What we have seen is a continued military buildup,” he said."
    )
    assert direct(text, {"Jens Stoltenberg": JS}) == [
        ("What we have seen is a continued military buildup,", "Jens Stoltenberg")
    ]


def test_continuation_in_same_paragraph_keeps_the_speaker() -> None:
    text = (
        "Erdogan spoke. “We are closely following the tensions,” he said. "
        "“We support the territorial integrity of Ukraine.”"
    )
    got = direct(text, {"Erdogan": ("PERSON", "Recep Tayyip Erdogan")})
    assert [s for _, s in got] == ["Recep Tayyip Erdogan", "Recep Tayyip Erdogan"]


def test_description_resolves_through_titles() -> None:
    text = (
        "NATO Secretary-General Jens Stoltenberg spoke. "
        '"We are committed to finding a political solution," the NATO chief remarked.'
    )
    got = direct(text, {"Jens Stoltenberg": JS, "NATO": ("ORG", "NATO")})
    assert got[0][1] == "Jens Stoltenberg"


def test_name_like_org_mislabel_beats_a_country() -> None:
    text = (
        '"We categorically reject these accusations," Oleg Nikolenko, '
        "Ukraine's foreign ministry spokesperson wrote on Twitter."
    )
    names = {"Oleg Nikolenko": ("ORG", "Oleg Nikolenko"), "Ukraine": ("GPE", "Ukraine")}
    assert direct(text, names)[0][1] == "Oleg Nikolenko"


def test_scare_quotes_are_skipped_unless_attributed() -> None:
    text = "Russia opposes the move and called it “destructive” in a statement nobody read."
    assert [q.text for q in extract_quotes(text, []) if q.kind == "direct"] in ([], ["destructive"])
    assert extract_quotes("It was “very big” indeed.", []) == []


def test_straight_open_curly_close() -> None:
    text = 'He spoke. "Over the last days, we have seen a movement”, Stoltenberg told reporters.'
    assert direct(text, {"Stoltenberg": JS})[0] == (
        "Over the last days, we have seen a movement",
        "Jens Stoltenberg",
    )


def test_offsets_point_at_the_quote() -> None:
    text = "“We call on Minsk to refrain from playing along,” Nikolenko wrote."
    (q,) = [q for q in extract_quotes(text, []) if q.kind == "direct"]
    assert text[q.start : q.end] == q.text
    assert q.speaker == "Nikolenko"


def test_reported_speech() -> None:
    text = (
        "Jens Stoltenberg spoke. He said the number of Russian troops in Belarus is "
        "expected to rise to 30,000."
    )
    (q,) = [
        q
        for q in extract_quotes(text, ents(text, {"Jens Stoltenberg": JS}))
        if q.kind == "reported"
    ]
    assert q.speaker == "Jens Stoltenberg"
    assert q.text == "the number of Russian troops in Belarus is expected to rise to 30,000"
    assert text[q.start : q.end] == q.text


def test_reported_speech_with_that_and_adverbial() -> None:
    text = "Stoltenberg said on Friday that the Russians were increasing their presence."
    (q,) = [
        q for q in extract_quotes(text, ents(text, {"Stoltenberg": JS})) if q.kind == "reported"
    ]
    assert q.text.startswith("the Russians were increasing")


def test_reported_speech_needs_a_clause() -> None:
    text = "The Belarusian Defense Ministry reported Monday. He told reporters at the headquarters."
    assert [q for q in extract_quotes(text, []) if q.kind == "reported"] == []


def test_according_to() -> None:
    text = "The buildup is growing in both personnel and weaponry, according to NATO."
    (q,) = extract_quotes(text, ents(text, {"NATO": ("ORG", "NATO")}))
    assert (q.kind, q.speaker) == ("reported", "NATO")
    assert q.text.startswith("The buildup is growing")


def test_non_english_has_no_speakers() -> None:
    text = "„Das ist die größte Verlegung seit dem Kalten Krieg“, sagte Stoltenberg."
    (q,) = extract_quotes(text, [], english=False)
    assert q.text == "Das ist die größte Verlegung seit dem Kalten Krieg"
    assert q.speaker is None


def test_tokenised_quote_marks_with_spaces() -> None:
    # ECB+ copy: marks spaced on both sides; a quote may run on over a paragraph and take
    # the speaker of the attribution sentence closing the paragraph before it
    text = (
        "The boats were closing in, a Defence Ministry statement said.\n"
        '" On sighting the helicopter, the boats disengaged and attempted escape.\n'
        'Mysore closed the vessels and ordered them to stop. "\n'
        'They had " a large cache of weapons including rifles. "'
    )
    got = direct(text, {"Defence Ministry": ("ORG", "Defence Ministry")})
    assert [t[:24] for t, _ in got] == ["On sighting the helicopt", "a large cache of weapons"]
    assert (got[0][1] or "").startswith("Defence Ministry")
    # a spaced mark after a comma closes a quote: no quote opens at "a defence spokesperson"
    text2 = 'boarding was carried out on the other three, " a defence spokesperson said.'
    assert direct(text2, {}) == []


def test_paragraph_opening_quote_keeps_the_previous_speaker() -> None:
    text = '"We will win this," Smith said.\n"The team is ready for anything."'
    got = direct(text, {"Smith": ("PERSON", "John Smith")})
    assert [s for _, s in got] == ["John Smith", "John Smith"]


def test_quote_after_a_short_said_sentence() -> None:
    # the first quote lost its opening mark; "she said." still attributes the next one,
    # and "Arreola said" makes the full name the antecedent though NER missed the person
    text = (
        "Isabel Arreola, 38, said she sat near him. Holiday Sale! Get a subscription. "
        'They moved, Arreola said. Then the man got upThe church is my family," she said. '
        '"I pray to God that he watches over us.'
    )
    got = direct(text, {"Holiday Sale": ("ORG", "Holiday Sale"), "Arreola": ("ORG", "Arreola")})
    assert got == [("I pray to God that he watches over us.", "Isabel Arreola")]


def test_more_speech_verbs() -> None:
    text = 'Hiro Mashima stoked speculation in a post in which he teased "many surprising ideas".'
    got = direct(text, {"Hiro Mashima": ("PERSON", "Hiro Mashima")})
    assert got == [("many surprising ideas", "Hiro Mashima")]


def test_titles_in_quote_marks_are_not_quotes() -> None:
    text = 'Chile lies on the "Ring of Fire" zone. "We will rebuild our town," Mayor Ana Soto said.'
    got = direct(text, {"Ana Soto": ("PERSON", "Ana Soto")})
    assert got == [("We will rebuild our town,", "Ana Soto")]
