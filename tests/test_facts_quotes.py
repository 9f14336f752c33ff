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


# ------------------------------------------------------------------ issue 4: speakers


def test_quote_running_over_a_paragraph_break_is_one_quote() -> None:
    text = (
        "Kei Nishikori believes he can improve. "
        '"For several years I have been feeling that my tennis can improve more.\n\n'
        'I need a different perspective, that is why I added a coach," Nishikori claimed.'
    )
    got = direct(text, {"Kei Nishikori": ("PERSON", "Kei Nishikori"), "Nishikori": (
        "PERSON", "Kei Nishikori")})  # fmt: skip
    assert len(got) == 1
    assert got[0][0].startswith("For several years") and got[0][0].endswith("a coach,")
    assert got[0][1] == "Kei Nishikori"


def test_according_to_after_and_before_a_quote() -> None:
    names = {"Jane Doe": ("PERSON", "Jane Doe")}
    text = '"The strikes will go on until the end of the month," according to Jane Doe.'
    assert direct(text, names)[0][1] == "Jane Doe"
    text = 'According to Jane Doe, "the strikes will go on until the end of the month."'
    assert direct(text, names)[0][1] == "Jane Doe"


def test_told_reuters_and_said_name_the_spokesman() -> None:
    names = {"Jane Doe": ("PERSON", "Jane Doe"), "Reuters": ("ORG", "Reuters")}
    text = 'Jane Doe told Reuters: "We have no plans to raise the price this year."'
    assert direct(text, names)[0][1] == "Jane Doe"
    text = '"We have no plans to raise the price," said Jane Doe, the company spokesman.'
    assert direct(text, names)[0][1] == "Jane Doe"


def test_a_description_stands_for_the_name_written_before() -> None:
    text = (
        "Put on by the Tournament of Roses, the parade begins at 8 a.m. The theme is "
        '"The Power of Hope," which the tournament says "celebrates the influence of '
        'optimism and hope."'
    )
    assert direct(text, {}) == [
        ("celebrates the influence of optimism and hope.", "Tournament of Roses")
    ]
    text = (
        "Soldiers of the Indian Navy boarded the ship. "
        '"The pirates surrendered on boarding," the navy said.'
    )
    assert direct(text, {"Indian Navy": ("ORG", "Indian Navy")})[0][1] == "Indian Navy"


def test_one_word_speaker_takes_the_full_name() -> None:
    text = (
        "Kumud Mishra plays her father. Hinting at violence, Kumud adds, "
        '"We pretend that it is not happening."\n'
        "Constable Tim Fanning spoke. "
        '"Police locked down the neighbourhood at once," Fanning said.'
    )
    names = {"Kumud Mishra": ("PERSON", "Kumud Mishra"), "Kumud": ("ORG", "Kumud"),
             "Fanning": ("PERSON", "Fanning")}  # fmt: skip
    assert [s for _, s in direct(text, names)] == ["Kumud Mishra", "Tim Fanning"]


def test_the_subject_of_the_sentence_speaks() -> None:
    text = (
        "The film opens soon. Kumud Mishra, who plays the father of Taapsee, lauds the "
        'actress and tells the paper, "She is instinctive and a fantastic actress."'
    )
    names = {"Kumud Mishra": ("PERSON", "Kumud Mishra"), "Taapsee": ("PERSON", "Taapsee")}
    assert direct(text, names)[0][1] == "Kumud Mishra"
    text = (
        "It was a quiet day. Stephen King kicked off the year with a short rhyme, "
        'writing, "Of his lies we have had plenty."'
    )
    assert direct(text, {"Stephen King": ("PERSON", "Stephen King")})[0][1] == "Stephen King"


def test_names_and_titles_in_quote_marks() -> None:
    text = (
        'Katara will host the "It is our right to dream" exhibition. This year\'s theme: '
        '"Who is L.A. 2020?" The Globes, known as the "party of the year," go vegan. '
        'The theme is "The Power of Hope," they said.'
    )
    assert direct(text, {}) == []


def test_a_reporter_sentence_ends_the_speaker_of_a_paragraph() -> None:
    text = (
        '"It does feel like a death in the family," Russell said. "The flip side is, it '
        "will be liberating.\" The news first appeared in the paper's December edition, "
        'with a call for someone to take over. "At this writing, it appears the '
        'alternative will be to close up shop."'
    )
    got = direct(text, {"Russell": ("PERSON", "Don Russell")})
    assert [s for _, s in got] == ["Don Russell", "Don Russell", None]


def test_they_is_nobody_named() -> None:
    text = (
        'Researchers at the Yale Institute studied the bills. "We were surprised," one '
        'of them said. They concluded: "This research adds to our understanding."'
    )
    got = direct(text, {"Yale Institute": ("ORG", "Yale Institute")})
    assert got[-1] == ("This research adds to our understanding.", None)


def test_straight_single_quotes() -> None:
    text = (
        "When asked what made him say 'yes' to the film, Kumud Mishra said 'the brilliant script'."
    )
    got = direct(text, {"Kumud Mishra": ("PERSON", "Kumud Mishra")})
    assert got == [("the brilliant script", "Kumud Mishra")]
    assert direct("The players' union met in the '90s and the fans' club agreed.", {}) == []


def test_a_new_sentence_after_a_quote_is_no_attribution() -> None:
    text = (
        'Kim Jong-un threatened to show off a "new strategic weapon."Hours earlier, '
        "North Korean media reported that Kim saw no reason to continue."
    )
    names = {"Kim Jong-un": ("PERSON", "Kim Jong-un"), "North Korean": ("NORP", "North Korean")}
    assert direct(text, names)[0][1] != "North Korean"


def test_a_name_without_a_verb_after_the_quote() -> None:
    text = (
        '" She is limping to safe waters and three crew members died, " Andrew Mwangura, '
        "head of the Seafarers Assistance Program in Mombasa"
    )
    got = direct(text, {"Andrew Mwangura": ("PERSON", "Andrew Mwangura")})
    assert got[0][1] == "Andrew Mwangura"


def test_reported_speech_is_not_a_direct_quote_that_follows() -> None:
    text = 'Kumud Mishra tells Ahmedabad Mirror, "She is instinctive and she is great."'
    assert [q.kind for q in extract_quotes(text, [])] == ["direct"]
    text = 'He said the plan was "dead" and would not be revived soon.'
    assert [q.kind for q in extract_quotes(text, [])] == ["reported"]


def test_tokenised_quote_over_lines_and_a_title_cut_by_a_line_break() -> None:
    text = (
        'The man " had a firearm with him.\n'
        'He shot one man fatally right away, " said Vancouver police spokesperson Tim '
        "Fanning.\n"
        '" A man who had been let go came in and shot another man, " Vancouver police Const.\n'
        "Tim Fanning told a news conference."
    )
    got = direct(text, {"Tim Fanning": ("PERSON", "Tim Fanning")})
    assert [t[:22] for t, _ in got] == ["had a firearm with him", "A man who had been let"]
    assert [s for _, s in got] == ["Tim Fanning", "Tim Fanning"]


def test_he_is_the_subject_of_the_sentence_before() -> None:
    text = (
        "Hugh Jackman will host the show.\n"
        "Jackman sings ballads at home and makes pancakes for his wife Deborra-Lee Furness.\n"
        '" Deb and my kids have been the best things that ever happened to me, " he said.'
    )
    names = {"Hugh Jackman": ("PERSON", "Hugh Jackman"), "Jackman": ("PERSON", "Hugh Jackman"),
             "Deborra-Lee Furness": ("PERSON", "Deborra-Lee Furness")}  # fmt: skip
    assert direct(text, names)[0][1] == "Hugh Jackman"


def test_a_quote_after_a_sentence_of_reported_speech() -> None:
    text = (
        "Speaking at a party meeting, Kim said the North was no longer bound by the "
        'moratorium. "Under such talks we will not wait any longer for the United States."'
    )
    names = {"Kim": ("PERSON", "Kim Jong-un")}
    assert direct(text, names)[0][1] == "Kim Jong-un"


def test_two_speakers_and_the_body_closest_to_the_verb() -> None:
    names = {"Zadan": ("PERSON", "Zadan"), "Meron": ("PERSON", "Meron")}
    text = '"We are thrilled to have her host the show," said Zadan and Meron jointly.'
    assert direct(text, names)[0][1] == "Zadan and Meron"
    text = (
        'Video A WA Police spokeswoman told Community News at the time "They have '
        'smashed through our roller shutters and our stock."'
    )
    assert direct(text, {})[0][1] == "WA Police spokeswoman"


def test_a_new_sentence_of_reported_speech_after_a_quote_is_no_attribution() -> None:
    text = (
        'Ray Pigdon spoke. "They have smashed through our roller shutters and stock." '
        "She said thieves had taken a safe containing cash, scratchies and stamps."
    )
    got = direct(text, {"Ray Pigdon": ("PERSON", "Ray Pigdon")})
    assert got[0][1] is None


def test_slogans_and_chants_are_not_quotes() -> None:
    text = (
        'Slogans like "kagaz nahin dikhayenge" and "tanashahi nahin chalegi" echoed. '
        'Their chants included, "Ten! Nine! Liberate Hong Kong, revolution now!"'
    )
    assert direct(text, {}) == []


def test_any_verb_of_saying_right_after_a_quote_and_nicknames() -> None:
    names = {"Raina Huang": ("PERSON", "Raina Huang"), "Johnson": ("PERSON", "Dwayne Johnson")}
    text = 'Raina Huang sat down. "Oh my God, the garlic, it is so yummy," she gushed, on cue.'
    assert direct(text, names)[0][1] == "Raina Huang"
    text = '"Where are you," Dwayne "The Rock" Johnson asked the American leadership.'
    assert direct(text, names)[0][1] == "Dwayne Johnson"


def test_a_headline_quote_takes_the_speaker_of_the_body() -> None:
    text = (
        "Nurse retires: 'I've had a great run' Shelly Ehbrecht spent her last day at work. "
        "\"It's time to go. I've had a great run for 44 years,\" she said."
    )
    got = direct(text, {"Shelly Ehbrecht": ("PERSON", "Shelly Ehbrecht")})
    assert [s for _, s in got] == ["Shelly Ehbrecht", "Shelly Ehbrecht"]


def test_an_abbreviated_title_matches_a_description() -> None:
    text = (
        "Gov. Kay Ivey spoke on Wednesday. Lawmakers disagreed. "
        '"We have got to have the facts to make a decision," the governor said.'
    )
    assert direct(text, {"Kay Ivey": ("PERSON", "Kay Ivey")})[0][1] == "Kay Ivey"


def test_a_description_is_not_the_person_it_talks_to() -> None:
    text = (
        "Raj Chohan was hit, police told 1010 WINS’ Glenn Schuck.\n"
        "“ Oh man, she was bad, ” one man told Schuck."
    )
    names = {"Glenn Schuck": ("PERSON", "Glenn Schuck"), "Schuck": ("PERSON", "Glenn Schuck")}
    assert direct(text, names)[0][1] is None


def test_attribution_sentence_before_a_quote_and_reported_paragraph() -> None:
    text = (
        "The scheme is open to staff at the brewery, company spokesman Calvin McDonald "
        'said. "Pawternity leave is a great benefit for our employees worldwide."\n\n'
        "Afieq Shazwan released a single.\n\n"
        "Afieq said he wanted to succeed purely on his talent.\n\n"
        '"Peers used to bully me, making fun of my physical appearance."'
    )
    names = {"Calvin McDonald": ("PERSON", "Calvin McDonald"),
             "Afieq Shazwan": ("PERSON", "Afieq Shazwan")}  # fmt: skip
    assert [s for _, s in direct(text, names)] == ["Calvin McDonald", "Afieq Shazwan"]


def test_dash_attribution_after_an_exclamation() -> None:
    text = (
        '"I wish everyone a lot of smiles today!" - wrote Krzysztof Smiszek on Twitter on '
        "Wednesday, adding the hashtag."
    )
    names = {"Krzysztof Smiszek": ("PERSON", "Krzysztof Smiszek")}
    assert direct(text, names)[0][1] == "Krzysztof Smiszek"


def test_spaced_marks_after_a_comma_open_when_closed_later() -> None:
    text = 'A man screamed, " No, no, no! " and tried to stop the car.'
    assert [t for t, _ in direct(text, {})] == ["No, no, no!"]


def test_a_public_role_stands_for_the_person_named_before() -> None:
    text = (
        "Kevin Bacon has paid tribute to a murdered man who shares his name.\n\n"
        '"For obvious reasons I am thinking about his family," the Footloose star wrote.'
    )
    assert direct(text, {"Kevin Bacon": ("PERSON", "Kevin Bacon")})[0][1] == "Kevin Bacon"
    text = (
        "Raj Chohan was hit by a car. The victim's nephew said the car \"came out of "
        'nowhere". "Her forehead hit the back of the headlight," the store manager said.'
    )
    got = direct(text, {"Raj Chohan": ("PERSON", "Raj Chohan")})
    assert [s for _, s in got] == [None, None]


def test_the_city_and_a_subject_before_an_aside() -> None:
    text = (
        "Ottawa lifted its ban on street parking. "
        '"Please be patient behind working snow plows," the city said in a release.'
    )
    assert direct(text, {"Ottawa": ("GPE", "Ottawa")})[0][1] == "Ottawa"
    text = (
        "A WHO spokesman, asked about infections in Singapore, France and Germany, "
        'recently said, "We do not have enough evidence to confirm a case."'
    )
    names = {"WHO": ("ORG", "WHO"), "Germany": ("GPE", "Germany"), "France": ("GPE", "France")}
    assert direct(text, names)[0][1] == "WHO spokesman"
