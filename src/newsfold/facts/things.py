"""What a number counts: normalising counted nouns and subjects.

``thing_key`` turns a counted noun phrase into a grouping key:
- the head noun (last word) of each conjoined part, singular, accents folded,
  British/American spelling unified: "armored combat vehicles" -> "vehicle";
- generic heads keep their modifier: "artillery pieces" -> "artillery piece";
- conjoined parts are joined with "+": "artillery pieces and mortars" ->
  "artillery piece+mortar";
- synonyms share a key. Soldiers, troops, servicemen, service members and
  *military* personnel are all "troop"; bare "personnel" stays "personnel"
  (it may be civilian staff). Deaths, dead, fatalities, "death toll" ->
  "death"; wounded, injured, injuries -> "injury"; people, persons -> "person";
  "%", percent, per cent -> "percent".

Counted nouns of French, Spanish, Italian and German news map to the English
key ("morts", "Tote", "muertos" -> "death"; "soldats", "Soldaten" -> "troop"), so
claims group across languages; the qualifiers of ``Quantity.state`` make keys
of their own ("people killed" -> "death", "people missing" -> "missing").

``normalise_subject`` maps demonyms and aliases to one name: "Russian" ->
"Russia", "U.S."/"American"/"United States" -> "US".
"""

from __future__ import annotations

import functools
import re
import unicodedata

from newsfold.facts.text import words

# Adjectives and determiners that are not part of what is counted.
DROP_WORDS = words(
    "more additional other extra new further fresh another some about around nearly "
    "almost roughly approximately estimated total overall least most several many few "
    "only just over up to than as the a an its their his her our your my this that these "
    "those all both each every such same whole entire respective reported alleged "
    "so-called said own at per nearly"
)
# Heads too vague to group on alone: keep the word before them.
GENERIC_HEADS = words("piece unit member item type kind system case set pair round")
TIME_UNITS = words(
    "second minute hour day week month year decade century millennium night weekend "
    "sec secs min mins hr hrs yr yrs"  # abbreviations, as thing_key leaves them
)
_SYNONYMS = {
    "soldier": "troop", "troop": "troop", "serviceman": "troop", "servicemen": "troop",
    "service member": "troop", "servicemember": "troop", "military personnel": "troop",
    "military servicemen": "troop", "armed personnel": "troop", "army personnel": "troop",
    "death": "death", "dead": "death", "fatality": "death", "death toll": "death", "life": "death",
    "killed": "death", "toll": "death", "wounded": "injury", "injured": "injury",
    "injury": "injury", "people": "person", "person": "person", "individual": "person",
    "%": "percent", "percent": "percent", "per cent": "percent", "percentage": "percent",
    "usd": "dollar", "buck": "dollar", "euro": "euro", "pound": "pound",
    "evacuated": "evacuee", "evacuee": "evacuee", "rescued": "rescued",
    "missing": "missing", "injured people": "injury", "wounded people": "injury",
    "km": "kilometre", "mm": "millimetre", "cm": "centimetre", "kg": "kilogram",
}  # fmt: skip
_SPELLING = {"armored": "armoured", "armor": "armour", "defense": "defence", "center": "centre",
             "harbor": "harbour", "kilometer": "kilometre", "meter": "metre", "liter": "litre",
             "theater": "theatre"}  # fmt: skip
_IRREGULAR = {"people": "people", "men": "man", "women": "woman", "children": "child",
              "feet": "foot", "teeth": "tooth", "mice": "mouse", "geese": "goose", "lives": "life",
              "halves": "half", "wolves": "wolf", "knives": "knife", "wives": "wife",
              "series": "series", "species": "species", "news": "news", "aircraft": "aircraft",
              "personnel": "personnel", "data": "data", "criteria": "criterion",
              "police": "police", "servicemen": "serviceman", "crises": "crisis",
              "analyses": "analysis", "bases": "base", "headquarters": "headquarters",
              "means": "means", "dies": "die", "gas": "gas", "bus": "bus", "status": "status",
              "campus": "campus", "virus": "virus", "census": "census", "chassis": "chassis",
              "corps": "corps", "arms": "arms", "forces": "force", "mortars": "mortar",
              "attaches": "attache", "caches": "cache", "niches": "niche", "cliches": "cliche",
              "headaches": "headache", "avalanches": "avalanche", "heroes": "hero",
              "vetoes": "veto", "tomatoes": "tomato", "potatoes": "potato",
              "buses": "bus"}  # fmt: skip


def singular(word: str) -> str:
    """A plural-insensitive form of one lower-case English word."""
    w = word.lower()
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    if len(w) <= 3 or w.endswith(("ss", "us", "is", "ous")):
        return w
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("ches", "shes", "xes", "zes", "sses")):
        return w[:-2]
    if w.endswith("s"):
        return w[:-1]
    return w


def plural(word: str) -> str:
    w = word.lower()
    if w.endswith("s"):
        return w
    if w.endswith("y") and len(w) > 2 and w[-2] not in "aeiou":
        return w[:-1] + "ies"
    if w.endswith(("ch", "sh", "x", "z")):
        return w + "es"
    return w + "s"


def _fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c)).lower()


# Counted nouns of French, Spanish, Italian and German news (accents folded,
# singular and plural) -> the English noun, so that "42 morts", "42 Tote" and "42
# dead" share a key. Words that are also common English counted nouns with another
# meaning are left out (Italian "case" = houses, "ore" = hours).
_FOREIGN_LINES = """
dead: morts mort deces tues tue muertos muerto fallecidos fallecido muertes morti morto
  deceduti deceduto tote toten todesopfer
victim: victimes victime victimas victima vittime vittima opfer
person: personnes personne gens personas persona persone menschen mensch personen
injured: blesses blesse heridos herido feriti ferito verletzte verletzten verwundete
missing: disparus disparues desaparecidos desaparecidas dispersi vermisste vermissten
resident: habitants habitant residents vecinos vecino habitantes residentes abitanti
  residenti einwohner bewohner anwohner
evacuee: evacues evacuees evacuados evacuadas evacuati sfollati evakuierte evakuierten
displaced: deplaces sinistres desplazados damnificados senzatetto obdachlose
family: familles famille familias familia famiglie famiglia familien familie
child: enfants enfant ninos nino bambini bambino kinder kind
man: hommes homme hombres hombre uomini uomo manner mann
woman: femmes femme mujeres mujer donne donna frauen frau
body: corps cadaveres cadaver cadaveri leichen leiche
worker: travailleurs ouvriers trabajadores obreros lavoratori operai arbeiter
employee: salaries employes empleados dipendenti impiegati beschaftigte mitarbeiter angestellte
job: emplois empleos arbeitsplatze
refugee: refugies refugiados rifugiati profughi fluchtlinge
migrant: migrants migrantes migranti migranten
prisoner: prisonniers prisioneros prigionieri gefangene
detainee: detenus detenidos detenuti haftlinge
arrest: arrestations detenciones arresti festnahmen
passenger: passagers pasajeros passeggeri passagiere fahrgaste
firefighter: pompiers bomberos pompieri feuerwehrleute
rescuer: secouristes socorristas rescatistas soccorritori rettungskrafte
police officer: policiers gendarmes policias poliziotti carabinieri polizisten
volunteer: benevoles volontaires voluntarios volontari freiwillige
doctor: medecins medicos medici arzte
student: eleves etudiants estudiantes alumnos studenti schuler studenten
tourist: touristes turistas turisti touristen
vote: voix votos voti stimmen
lawmaker: deputes diputados deputati abgeordnete
soldier: soldats soldat militaires troupes soldados soldado militares tropas efectivos soldati
  soldato militari truppe soldaten truppen
reservist: reservistes reservistas riservisti reservisten
tank: chars blindes tanques carri panzer
vehicle: vehicules vehicule vehiculos vehiculo veicoli veicolo fahrzeuge fahrzeugen
aircraft: avions avion aviones aerei aereo flugzeuge
helicopter: helicopteres helicopteros elicotteri hubschrauber
drone: droni drohnen
missile: misiles missili raketen
rocket: roquettes cohetes razzi
ship: navires buques navi schiffe
boat: bateaux barcos barche boote
weapon: armes armas armi waffen
unit: unites unidades unita einheiten
hospital: hopitaux hopital hospitales ospedali ospedale krankenhauser lazarette
camp: campamentos campi
home: logements habitations domiciles viviendas hogares casas abitazioni hauser wohnungen
building: batiments immeubles edificios edifici gebaude
bridge: ponts puentes ponti brucken
road: routes carreteras strade straßen
school: ecoles escuelas scuole schulen
shop: commerces magasins boutiques tiendas comercios negozi geschafte laden
company: entreprises empresas imprese aziende unternehmen firmen
village: pueblos villaggi dorfer
municipality: communes municipios comuni gemeinden
city: villes ciudades citta stadte
country: pays paises lander
region: regions regiones regioni regionen
train: trenes treni zuge
car: voitures coches automoviles autos
flight: vols vuelos voli fluge
tonne: tonnes toneladas tonnellate tonnen
kilometre: kilometres kilometros chilometri kilometer km
metre: metres metros metri meter
millimetre: millimetres milimetros millimetri millimeter mm
centimetre: centimetres centimetros centimetri zentimeter cm
hectare: hectares hectareas ettari hektar
litre: litres litros litri liter
kilogram: kilos kilogrammes kilogramos chili kilogramm kg
euro: euros euro
dollar: dollars dolares dollari dollar
pound: livres libras sterline pfund
crown: couronnes coronas corone kronen
franc: francs francos franchi franken
ruble: roubles rublos rubli rubel
percent: prozent pourcent
second: secondes segundos secondi sekunden
minute: minutos minuti minuten
hour: heures horas stunden
day: jours journees dias giorni tage tagen
week: semaines semanas settimane wochen
month: mois meses mesi monate monaten
year: ans annees anos anni jahre jahren
decade: decennies decadas decenni jahrzehnte
century: siecles siglos secoli jahrhunderte
night: nuits noches notti nachte
"""
FOREIGN_NOUNS = {
    w: english.strip()
    for line in re.sub(r"\n\s+", " ", _FOREIGN_LINES).strip().splitlines()
    for english, _, foreign in [line.partition(":")]
    for w in foreign.split()
}


def _singular_any(word: str) -> str:
    return FOREIGN_NOUNS.get(word) or singular(word)


def _part_key(part: str) -> str:
    words = [_SPELLING.get(w, w) for w in re.findall(r"[\w%$€£]+(?:[-'][\w]+)*", _fold(part))]
    if not words:
        return ""
    sing = [_singular_any(w) for w in words]
    for n in (2, 1):
        if len(sing) >= n:
            phrase = " ".join(sing[-n:])
            raw = " ".join(words[-n:])
            if phrase in _SYNONYMS:
                return _SYNONYMS[phrase]
            if raw in _SYNONYMS:
                return _SYNONYMS[raw]
    head = sing[-1]
    if head in GENERIC_HEADS and len(sing) > 1:
        return f"{sing[-2]} {head}"
    return head


@functools.lru_cache(maxsize=8192)  # a few hundred distinct things recur in every batch
def thing_key(thing: str) -> str:
    """Grouping key for a counted noun phrase (see module docstring)."""
    if not thing:
        return ""
    parts = [p for p in re.split(r"\s+(?:and|&|or)\s+|\s*,\s*", thing) if p.strip()]
    keys = [k for k in (_part_key(p) for p in parts) if k]
    return "+".join(dict.fromkeys(keys))


def is_time_unit(thing: str) -> bool:
    return thing_key(thing) in TIME_UNITS


DEMONYMS = {
    "russian": "Russia", "russians": "Russia", "russia": "Russia", "ukrainian": "Ukraine",
    "ukrainians": "Ukraine", "ukraine": "Ukraine", "belarusian": "Belarus",
    "belarussian": "Belarus", "belarusians": "Belarus", "belarus": "Belarus",
    "american": "US", "americans": "US", "u.s.": "US", "us": "US", "u.s": "US", "usa": "US",
    "u.s.a.": "US", "united states": "US", "the united states": "US", "america": "US",
    "united states-based": "US", "us-based": "US", "u.s.-based": "US",
    "british": "UK", "uk": "UK", "u.k.": "UK", "britain": "UK", "great britain": "UK",
    "united kingdom": "UK", "german": "Germany", "germany": "Germany", "french": "France",
    "france": "France", "chinese": "China", "china": "China", "polish": "Poland",
    "poland": "Poland", "turkish": "Turkey", "turkey": "Turkey", "türkiye": "Turkey",
    "israeli": "Israel", "israelis": "Israel", "israel": "Israel", "palestinian": "Palestine",
    "palestinians": "Palestine", "iranian": "Iran", "iran": "Iran", "syrian": "Syria",
    "syria": "Syria", "iraqi": "Iraq", "iraq": "Iraq", "afghan": "Afghanistan",
    "indian": "India", "india": "India", "pakistani": "Pakistan", "japanese": "Japan",
    "japan": "Japan", "north korean": "North Korea", "south korean": "South Korea",
    "canadian": "Canada", "australian": "Australia", "mexican": "Mexico", "italian": "Italy",
    "spanish": "Spain", "dutch": "Netherlands", "swedish": "Sweden", "finnish": "Finland",
    "norwegian": "Norway", "danish": "Denmark", "estonian": "Estonia", "latvian": "Latvia",
    "lithuanian": "Lithuania", "romanian": "Romania", "bulgarian": "Bulgaria",
    "hungarian": "Hungary", "czech": "Czech Republic", "slovak": "Slovakia",
    "georgian": "Georgia", "armenian": "Armenia", "azerbaijani": "Azerbaijan",
    "saudi": "Saudi Arabia", "egyptian": "Egypt", "lebanese": "Lebanon", "yemeni": "Yemen",
    "libyan": "Libya", "sudanese": "Sudan", "ethiopian": "Ethiopia", "nigerian": "Nigeria",
    "kenyan": "Kenya", "brazilian": "Brazil", "argentine": "Argentina",
    "argentinian": "Argentina", "venezuelan": "Venezuela", "colombian": "Colombia",
    "cuban": "Cuba", "taiwanese": "Taiwan", "vietnamese": "Vietnam", "thai": "Thailand",
    "filipino": "Philippines", "indonesian": "Indonesia", "european": "EU",
    "soviet": "Soviet Union", "kiev": "Kyiv", "kyiv": "Kyiv",
}  # fmt: skip


def normalise_subject(name: str | None) -> str | None:
    """One name for a country, people or organisation ("Russian" -> "Russia")."""
    if not name:
        return None
    n = re.sub(r"['’]s$", "", name.strip()).strip(" ,.;:")
    n = re.sub(r"^(?i:the)\s+", "", n)
    key = n.lower()
    if key in DEMONYMS:
        return DEMONYMS[key]
    if key.endswith("-based") and key[:-6] in DEMONYMS:
        return DEMONYMS[key[:-6]]
    return n or None
