"""The workbench speaks Dutch: display names of the coded values, field names, and refusals.

The APIs keep their own language and shape (codes such as ``huiselijk_geweld``, reasons such as
"write the minutes"); the pages translate here. One table holds the display name of every code a
page shows; ``weigering`` turns a domain refusal (field, reason) into a Dutch message that the
page puts next to its field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from fastapi.exceptions import RequestValidationError
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape
from pydantic import ValidationError

WEERGAVE: dict[str, str] = {
    # doelgroep (and keten jeugd)
    "jeugd": "jeugd",
    "veelplegers": "veelplegers",
    "huiselijk_geweld": "huiselijk geweld",
    "ex_gedetineerden": "ex-gedetineerden",
    "multiproblematiek": "multiproblematiek",
    "verward_gedrag": "verward gedrag",
    "radicalisering": "radicalisering",
    "geprioriteerden": "geprioriteerden",
    "overig": "overig",
    # bron (herkomst)
    "partner": "partner",
    "politie": "politie",
    "dji": "DJI (Dienst Justitiële Inrichtingen)",
    "veilig_thuis": "Veilig Thuis",
    "zsm": "ZSM",
    "gemeente": "gemeente",
    # urgentie
    "normaal": "normaal",
    "hoog": "hoog",
    "code_rood": "code rood",
    # rol van een persoon in een melding
    "verdachte": "verdachte",
    "slachtoffer": "slachtoffer",
    "getuige": "getuige",
    "kind": "kind",
    "betrokkene": "betrokkene",
    "gedetineerde": "gedetineerde",
    # rol van een gebruiker
    "screener": "screener",
    "procesregisseur": "procesregisseur",
    "analist": "analist",
    "beheerder": "beheerder",
    "feedbeheerder": "feedbeheerder",
    "ordefunctionaris": "openbare-ordefunctionaris",
    # radicalisering: categorie en uitkomst
    "geweldsrisico": "risico op deelname aan gewelddadige criminaliteit",
    "uitreisvoornemen": "voornemen uit te reizen",
    "terugkeerder": "teruggekeerd uit radicale strijd",
    "aanzetter": "zet anderen aan tot radicale denkbeelden of handelingen",
    "terug_naar_inbrenger": "terug naar de inbrenger, met advies",
    "provinciaal_expertiseoverleg": "provinciaal expertiseoverleg radicalisering",
    "weegtafel": "weegtafel multi-problem",
    "regieteam": "regieteam",
    # Veilig Thuis: wat het huis mag delen
    "niet_bekend": "niet bekend bij het Veiligheidshuis",
    "bekend": "bekend; gedeeld wat mag",
    "bekend_niet_deelbaar": "bekend, geen grond om te delen",
    # route en soort (advies, besluit)
    "terugverwijzen": "terugverwijzen",
    "casusoverleg": "casusoverleg",
    "persoonsgerichte_aanpak": "persoonsgerichte aanpak",
    "justitieel_casusoverleg_jeugd": "justitieel casusoverleg jeugd",
    "justitieel_casusoverleg_huiselijk_geweld": "justitieel casusoverleg huiselijk geweld",
    "justitieel_casusoverleg_veelplegers": "justitieel casusoverleg veelplegers",
    "zorgcasusoverleg": "zorgcasusoverleg",
    "netwerkoverleg": "netwerkoverleg",
    "nazorgoverleg": "nazorgoverleg",
    "justitieel_casusoverleg_veelplegers_minderjarig":
        "justitieel casusoverleg minderjarige veelplegers",
    "justitieel_casusoverleg_veelplegers_meerderjarig":
        "justitieel casusoverleg meerderjarige veelplegers",
    "trajectberaad": "Trajectberaad (tot 18 jaar)",
    "jit_jeugdgroepen": "JIT en jeugdgroepen",
    "pga_overleg": "PGA-overleg",
    "routeringsoverleg": "routeringsoverleg",
    "verdiepingstafel_zsm": "verdiepingstafel ZSM+",
    "nazorgtafel": "nazorgtafel",
    "casusoverleg_radicalisering": "casusoverleg radicalisering",
    "integrale_aanpak": "integrale aanpak",
    "top_x": "Top X-aanpak",
    "plan_na_huisverbod": "plan na huisverbod",
    "justitieel_veelplegersplan": "justitieel veelplegersplan",
    "intensief_casemanagement": "intensief casemanagement",
    # screenings- en triageoverleg
    "screeningsoverleg": "screeningsoverleg",
    "triageoverleg": "triageoverleg",
    "ochtendoverleg": "dagelijks ochtendoverleg",
    "gepland": "gepland",
    "gehouden": "gehouden",
    # leefgebied
    "huisvesting": "huisvesting",
    "financien_en_schulden": "financiën en schulden",
    "inkomen_en_dagbesteding": "inkomen en dagbesteding",
    "onderwijs": "onderwijs",
    "gezondheid_en_ggz": "gezondheid en ggz",
    "verslaving": "verslaving",
    "gezin_en_opvoeding": "gezin en opvoeding",
    "sociaal_netwerk": "sociaal netwerk",
    "justitie": "justitie",
    "veiligheid": "veiligheid",
    "identiteitsbewijs": "identiteitsbewijs",
    # keten
    "straf": "strafrecht",
    "bestuur": "bestuursrecht",
    "zorg": "zorg",
    # traject, casusstatus, actiestatus
    "kort": "kort",
    "lang": "lang",
    "aangemeld": "aangemeld",
    "in_voorbereiding": "in voorbereiding",
    "plan_vastgesteld": "plan vastgesteld",
    "in_uitvoering": "in uitvoering",
    "afgeschaald": "afgeschaald",
    "afgesloten": "afgesloten",
    "open": "open",
    "gereed": "gereed",
    "vervallen": "vervallen",
    # huisverbod
    "opgelegd": "opgelegd",
    "verlengd": "verlengd",
    "ingetrokken": "ingetrokken",
    "afgelopen": "afgelopen",
    "niet_opgelegd": "niet opgelegd",
    "pleger": "pleger",
    "kinderen": "kinderen",
    # termijn van de triage, status van een screening
    "op_tijd": "op tijd",
    "bijna_verlopen": "bijna verlopen",
    "verlopen": "verlopen",
    "besloten": "besloten",
    "bij_nazorg": "bij nazorg",
    "in_screening": "in screening",
    "verouderd": "verouderd",
    "alle": "alle",
    # nazorg
    "inkomen_en_werk": "inkomen en werk",
    "schulden": "schulden",
    "onbekend": "onbekend",
    "in_behandeling": "in behandeling",
    "geregeld": "geregeld",
    "niet_nodig": "niet nodig",
    "in_detentie": "in detentie",
    "vrij": "vrij",
    "zorg_en_veiligheidshuis": "Zorg- en Veiligheidshuis",
    "raad_voor_de_kinderbescherming": "Raad voor de Kinderbescherming",
    "alarm": "alarm",
    "escalatie": "escalatie",
    "gesignaleerd": "gesignaleerd",
    "plan_compleet": "plan compleet",
    # consultfunctie
    "telefoon": "telefoon",
    "mail": "mail",
}
"""Dutch display name of every coded value a workbench page shows (enum values are unique
enough across the enums that one table serves them all: 'jeugd' is a target group and a chain)."""


def weergave(waarde: Any) -> str:
    """The Dutch display name of a code (an enum member or its value)."""
    if waarde is None:
        return "–"
    sleutel = str(getattr(waarde, "value", waarde))
    return WEERGAVE.get(sleutel, sleutel.replace("_", " "))


CRITERIA: dict[str, str] = {
    "landelijk.multiprobleem": "landelijk: problemen op meer leefgebieden die tot criminaliteit "
                               "of overlast leiden",
    "landelijk.meerdere_ketens": "landelijk: zowel zorg- als straf- of bestuursketen nodig",
    "landelijk.impact_op_systeem": "landelijk: impact op gezinssysteem of leefomgeving",
    "landelijk.gebiedsgebonden": "landelijk: gebiedsgebonden veiligheidsprobleem",
    "landelijk": "landelijke criteria voldaan",
    "stagnatie": "reguliere hulp vastgelopen",
    "top_x": "Top X-criteria",
    "code_rood": "code rood",
    "huisverbod": "huisverbod opgelegd",
}
"""Dutch names of the triage rules' criteria codes."""


def gebeurtenis(klasse: str) -> str:
    """An event's class name as words: ``ProcesregisseurToegewezen`` → "procesregisseur
    toegewezen"."""
    return " ".join(w.lower() for w in re.findall(r"[A-Z][a-z]*", klasse)) or klasse


def criterium(code: str) -> str:
    return CRITERIA.get(code, weergave(code))


TOELICHTINGEN: list[tuple[str, str]] = [
    (r"A restraining order was imposed: .*",
     "Er is een tijdelijk huisverbod opgelegd: een plan voor alle partijen volgt."),
    (r"Police-prioritised person: .*",
     "Door de politie geprioriteerde persoon: persoonsgerichte Top X-aanpak."),
    (r"National criteria met and regular help has stalled: .*",
     "Landelijke criteria voldaan en de reguliere hulp is vastgelopen: het huis voert regie "
     "over een integrale aanpak."),
    (r"Problems on two or more life domains in two or more chains, .*",
     "Problemen op twee of meer leefgebieden in twee of meer ketens, en de reguliere hulp is "
     "vastgelopen: Top X-aanpak."),
    (r"National criteria met: a short trajectory in a case consultation\.",
     "Landelijke criteria voldaan: een kort traject in een casusoverleg."),
    (r"Code rood: .*",
     "Code rood: acuut gevaar vraagt vandaag een overleg, ook al zijn de landelijke criteria "
     "(nog) niet voldaan."),
    (r"National criteria not met: one chain can handle this; refer back to (.*) with advice\.",
     "Landelijke criteria niet voldaan: één keten kan dit oppakken; terugverwijzen naar \\1 "
     "met advies."),
]
"""The advice's explanation as the rules give it (English, in the API) and in Dutch."""


def toelichting(tekst: str) -> str:
    for patroon, nl in TOELICHTINGEN:
        if re.fullmatch(patroon, tekst, flags=re.DOTALL):
            return re.sub(patroon, nl, tekst, count=1, flags=re.DOTALL)
    return tekst


VELDEN: dict[str, str] = {
    "partner": "Partner",
    "vraag": "Vraag",
    "antwoord": "Antwoord",
    "leefgebieden": "Leefgebieden",
    "leefgebied": "Leefgebied",
    "ketens": "Ketens",
    "doelgroep": "Doelgroep",
    "keuze": "Route",
    "soort": "Soort",
    "motivering": "Motivering",
    "terugverwijzen_naar": "Terugverwijzen naar",
    "feiten": "Feiten",
    "huis": "Huis",
    "rol": "Rol",
    "procesregisseur": "Procesregisseur",
    "datum": "Datum",
    "partners": "Partners",
    "overleg_id": "Overleg",
    "verslag": "Verslag",
    "omschrijving": "Omschrijving",
    "doel_id": "Doel",
    "gezinslid_id": "Voor gezinslid",
    "vorm": "Soort overleg",
    "voorzitter": "Voorzitter",
    "partijen": "Partijen",
    "voorzitter_organisatie": "Partner die voorzit",
    "stap": "Besluit",
    "notitie": "Notitie",
    "casus_id": "Casus",
    "deelbaar": "Wat het huis mag delen",
    "agenda": "Agenda",
    "aanwezig": "Aanwezig",
    "actie_id": "Actie",
    "deadline": "Deadline",
    "status": "Status",
    "plan": "Plan van aanpak",
    "naar": "Afschalen naar",
    "reden": "Reden",
    "gemeente": "Gemeente",
    "naar_gemeentecode": "Gemeente",
    "gemeentecode": "Gemeente",
    "melding_id": "Melding",
    "door": "Gebruiker",
    "uitkomst": "Uitkomst RIHG",
    "rihg": "RIHG",
    "opgelegd_op": "Opgelegd op",
    "eindigt_op": "Verlengen tot",
    "casemanager": "Casemanager",
    "aanbieder": "Aanbieder",
    "partij": "Partij",
    "toelichting": "Toelichting",
    "maatje": "Maatje",
    "motivatie": "Motivatie",
    "persoon_id": "Persoon",
    "bij_taak": "BIJ-taak",
    "categorie": "Categorie persoon",
    "overleg_datum": "Datum casusoverleg",
    "advies": "Advies",
    "dreiging": "Dreiging",
    "dossier": "Dossier",
    "formulier": "Formulier",
    "termijn_voor": "Termijn tot en met",
    "termijn_na": "Termijn vanaf",
    "wijk": "Wijk",
    "bron": "Herkomst",
    "referentie": "Referentie",
    "voornamen": "Voornaam",
    "achternaam": "Achternaam",
    "geboortedatum": "Geboortedatum",
    "cursor": "Pagina",
    "voor": "Pagina",
    "limit": "Aantal per pagina",
    # the lists' filters and searches
    "traject": "Traject",
    "deadline_tot": "Actie uiterlijk op",
    "beslissen_tot": "Besluit uiterlijk op",
    "voornaam": "Voornaam",
    "vanaf": "Vanaf",
    "tot": "Tot en met",
    "ontslag_tot": "Ontslag uiterlijk op",
    "voorwaarden_open": "Voorwaarden open",
    "zonder_gemeente": "Zonder gemeente",
    "fase": "Fase",
}
"""Dutch labels of the form fields a refusal can name."""

_DATUM = r"(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})[^ ]*"

REDENEN: list[tuple[str, str]] = [
    (r"write the advice for the partner that brought it in",
     "schrijf het advies voor de partner die het signaal inbracht"),
    (r"the case meeting cannot lie in the future", "het casusoverleg kan niet in de toekomst "
                                                   "liggen"),
    (r"give the date of the case meeting as YYYY-MM-DD", "vul de datum van het casusoverleg in"),
    (r"say whether there is a threat", "geef aan of er sprake is van een dreiging"),
    (r"name the partner organisation you ask", "noem de partnerorganisatie die u bevraagt"),
    (r"write down what you ask", "schrijf op wat u wilt weten"),
    (r"write down the partner's answer", "schrijf het antwoord van de partner op"),
    (r"choose a route", "kies een route"),
    (r"'?(.*?)'? is no option; choose one of.*", "‘\\1’ is geen keuzemogelijkheid; kies een "
                                                 "van de opties"),
    (r"record the facts first.*", "leg eerst de feiten vast: het besluit wordt gewogen tegen "
                                  "het advies"),
    (r"a casusoverleg needs its kind.*", "kies het soort casusoverleg"),
    (r"a persoonsgerichte aanpak needs its kind.*", "kies het soort persoonsgerichte aanpak"),
    (r"a referral back to a partner has no kind", "terugverwijzen kent geen soort"),
    (r"name the partner the melding goes back to",
     "noem de partner naar wie de melding teruggaat"),
    (r"required when the decision differs from the advice.*",
     "verplicht wanneer het besluit afwijkt van het advies"),
    (r"give a date \(YYYY-MM-DD\)", "vul een datum in"),
    (r"search by name with first name, surname and birth date together",
     "zoek op naam met voornaam, achternaam en geboortedatum samen"),
    (r"give at least (\d+) letters", "vul ten minste \\1 letters in"),
    (r"a wijk is a CBS wijk code.*", "een wijk is een CBS-wijkcode: WK en zes cijfers"),
    (r"at most (\d+) characters", "ten hoogste \\1 tekens"),
    (r"give a number from 1 to (\d+)", "vul een getal van 1 tot en met \\1 in"),
    (r"not a valid cursor.*", "deze pagina bestaat niet (meer); begin bij de eerste pagina"),
    (r"give either cursor .* or voor .*", "kies de volgende of de vorige pagina, niet beide"),
    (r"give a date and time", "vul een datum en tijd in"),
    (r"not a valid id", "geen geldige verwijzing; open de pagina opnieuw"),
    (r"choose a life domain", "kies een leefgebied"),
    (r"choose one of .*", "kies een van de opties"),
    (r"say who does this", "zeg wie dit doet"),
    (r"name the process director", "noem de procesregisseur"),
    (r"name who chairs the meeting", "noem de voorzitter van het overleg"),
    (r"put at least one melding on the agenda", "zet ten minste één melding op de agenda"),
    (r"melding .* is not in this house's screening", "deze melding is niet in screening bij "
                                                      "dit huis"),
    (r"melding .* is not in screening", "deze melding is niet in screening"),
    (r"melding .* was decided already", "over deze melding is al besloten"),
    (r"melding .* is not on this meeting's agenda", "deze melding staat niet op de agenda van "
                                                    "dit overleg"),
    (r"the minutes of this meeting were recorded.*",
     "het verslag van dit overleg is al vastgelegd: het overleg is gesloten"),
    (r"name the parties present", "noem de aanwezige partijen"),
    (r"this house does not let a partner organisation chair its case meetings",
     "in dit huis zit geen partnerorganisatie een casusoverleg voor"),
    (r"put at least one case on the agenda", "zet ten minste één casus op de agenda"),
    (r"case .* is not this house's", "deze casus is niet van dit huis"),
    (r"case .* is not known to regie", "deze casus is niet bekend"),
    (r"case .* is (\S+): no longer discussed", r"deze casus is \1: die wordt niet meer "
                                                 r"besproken"),
    (r"case .* is not on this meeting's agenda", "deze casus staat niet op de agenda van dit "
                                                 "overleg"),
    (r"this item was decided already.*", "over dit agendapunt is al besloten"),
    (r"give the action's deadline \(YYYY-MM-DD\)", "vul de deadline van de actie in"),
    (r"choose the action to escalate", "kies de actie die wordt opgeschaald"),
    (r"write what was discussed", "schrijf op wat er is besproken"),
    (r"choose the kind of meeting", "kies de soort overleg"),
    (r"choose what the meeting decides", "kies wat het overleg besluit"),
    (r"the action is .*: nothing to escalate", "deze actie is niet meer open: er valt niets op "
                                               "te schalen"),
    (r"the action is at the steering group already", "deze actie ligt al bij de stuurgroep"),
    (r"person .* is not a member of this case's household",
     "deze persoon hoort niet bij het gezin van deze casus"),
    (r"invite at least one partner organisation", "nodig ten minste één partnerorganisatie uit"),
    (r"no consultation .* in this case", "dit overleg hoort niet bij deze casus"),
    (r"write the minutes", "schrijf het verslag van het overleg"),
    (r"describe the goal", "beschrijf het doel"),
    (r"no goal .* in this case", "dit doel hoort niet bij deze casus"),
    (r"describe the action", "beschrijf de actie"),
    (r"every action is owned by a partner organisation",
     "elke actie heeft een partnerorganisatie als eigenaar"),
    (r"no action .* in this case", "deze actie hoort niet bij deze casus"),
    (r"assign a process director first", "wijs eerst een procesregisseur toe"),
    (r"a plan of approach needs at least one goal and one action",
     "een plan van aanpak heeft ten minste één doel en één actie nodig"),
    (r"name the regular or local chain that takes over",
     "noem de reguliere of lokale keten die het overneemt"),
    (r"say why the case is closed", "zeg waarom de casus wordt afgesloten"),
    (r"'?(.*?)'? is not a municipality of .*", "\\1 is geen gemeente in Limburg"),
    (r".* belongs to this house.*", "deze gemeente hoort bij dit huis zelf; kies een gemeente "
                                    "van een ander huis"),
    (r"record why the case is handed over", "leg vast waarom de casus wordt overgedragen"),
    # the lists' filters and searches (shared/kit/lijstfilters.py)
    (r"must be one of .*", "kies een van de opties"),
    (r"not a date \(YYYY-MM-DD\)", "vul een datum in (dag-maand-jaar)"),
    (r"not a known CBS municipality code.*", "geen gemeente in Limburg"),
    (r"not a CBS wijk code.*", "geen wijkcode (WK en zes cijfers, bijvoorbeeld WK093501)"),
    (r"a reference is .*", "een referentie is 4 tot 32 tekens (0-9, a-f) van het kenmerk"),
    (r"required to search by person.*", "vul voornaam, achternaam en geboortedatum samen in "
                                        "om op een persoon te zoeken"),
    (r"first name and surname need at least .*", "voornaam en achternaam hebben elk ten "
                                                 "minste twee letters nodig om te zoeken"),
    (r"not a cursor of this list", "deze verwijzing hoort niet bij deze lijst; begin opnieuw"),
    (r"must be between 1 and (\d+)", "kies een aantal van 1 tot en met \\1"),
    (r"at most (\d+) characters", "ten hoogste \\1 tekens"),
    (r"before vanaf", "ligt vóór de begindatum"),
    (r"not a whole number", "vul een getal in"),
    (r"must be one of true, false", "kies ja of nee"),
    (r"not an id \(UUID\)", "geen geldige verwijzing"),
    (r"melding .* is not known to regie.*", "deze melding is nog niet bij de procesregie "
                                            "bekend; probeer het over enkele ogenblikken opnieuw"),
    (r"record the outcome of the risk assessment", "leg de uitkomst van het RIHG vast"),
    (r"fill in the risk assessment \(RIHG\) before imposing",
     "vul eerst het risicotaxatie-instrument (RIHG) in"),
    (r"the moment of imposing lies in the future", "het moment van opleggen ligt in de toekomst"),
    (r"say why the order is not imposed", "zeg waarom het huisverbod niet wordt opgelegd"),
    (r"an extension ends after the current end.*",
     "een verlenging eindigt na het huidige einde"),
    (r"at most (\S+) days after imposing.*", "ten hoogste \\1 dagen na het opleggen"),
    (r"say why the order is withdrawn", "zeg waarom het huisverbod wordt ingetrokken"),
    (r"name the case manager", "noem de casemanager"),
    (r"name the organisation that offers help", "noem de organisatie die hulp biedt"),
    (r"person .* was erased.*", "deze persoon is gewist"),
    (r"(\S+) is no municipality of .*", "\\1 is geen gemeente van dit huis"),
    (r"the person is registered in .*", "de persoon staat elders ingeschreven; alleen die "
                                        "gemeente kan worden toegewezen"),
    (r"only a dossier with a serious offence has a BIJ task",
     "alleen een dossier met een zwaar delict heeft een BIJ-taak"),
    (r"already referred to triage on (.*)", "al naar de triage verwezen op \\1"),
    (r"the case is (\w+): .* is no longer possible", "de casus is \\1: dit kan niet meer"),
    (r"the minutes of this consultation were recorded already",
     "het verslag van dit overleg is al vastgelegd"),
    (r"the action is (\w+) already", "de actie is al \\1"),
    (r"a plan is set while preparing; the case is (\w+)",
     "het plan wordt vastgesteld tijdens de voorbereiding; de casus is \\1"),
    (r"execution starts after the plan is set; the case is (\w+)",
     "de uitvoering begint nadat het plan is vastgesteld; de casus is \\1"),
    (r"scaling down follows a plan; the case is (\w+)",
     "afschalen volgt op een plan; de casus is \\1"),
    (r"the case is closed already", "de casus is al afgesloten"),
    (r"the RIHG precedes imposing; the order is (\w+)",
     "de RIHG gaat aan het opleggen vooraf; het huisverbod is \\1"),
    (r"the order is (\w+) already", "het huisverbod is al \\1"),
    (r"only an imposed order within its first ten days can be extended; it is (\w+)",
     "alleen een opgelegd huisverbod kan binnen de eerste tien dagen worden verlengd; het is "
     "\\1"),
    (r"only a running order can be withdrawn; it is (\w+)",
     "alleen een lopend huisverbod kan worden ingetrokken; het is \\1"),
]
"""English refusals of the domain, as the API gives them, and their Dutch wording."""

_PYDANTIC: dict[str, str] = {
    "missing": "vul dit in",
    "string_too_short": "vul dit in",
    "string_too_long": "te lang",
    "enum": "kies een van de opties",
    "literal_error": "kies een van de opties",
    "date_from_datetime_parsing": "vul een datum in",
    "date_parsing": "vul een datum in",
    "datetime_parsing": "vul een datum en tijd in",
    "datetime_from_date_parsing": "vul een datum en tijd in",
    "uuid_parsing": "geen geldige verwijzing; open de pagina opnieuw",
    "int_parsing": "vul een getal in",
    "bool_parsing": "kies ja of nee",
    "string_pattern_mismatch": "heeft niet de goede vorm",
}


def veldnaam(veld: str) -> str:
    return VELDEN.get(veld, veld.replace("_", " ").capitalize())


def vertaal(reden: str) -> str:
    """The Dutch wording of an English refusal; an unknown one in general terms, never English."""
    for patroon, nl in REDENEN:
        if re.fullmatch(patroon, reden, flags=re.DOTALL):
            tekst = re.sub(patroon, nl, reden, count=1, flags=re.DOTALL)
            # a status code in the reason ("in_voorbereiding") by its display name
            return re.sub(r"\b[a-z]+(?:_[a-z]+)+\b", lambda m: weergave(m.group(0)), tekst)
    return "deze waarde wordt niet aanvaard"


@dataclass(frozen=True)
class Veldfout:
    """A refusal in Dutch, tied to its field (and to the form, when a page has several)."""

    veld: str
    tekst: str
    formulier: str | None = None

    @property
    def id(self) -> str:
        return f"fout-{self.formulier or 'pagina'}-{self.veld}"

    def __str__(self) -> str:
        return f"{veldnaam(self.veld)}: {self.tekst}"

    def geldt(self, veld: str, formulier: str | None = None) -> bool:
        return veld == self.veld and (formulier is None or self.formulier in (None, formulier))


def weigering(veld: str, reden: str, formulier: str | None = None) -> Veldfout:
    """A domain refusal (``veld``, English ``reden``) as the page shows it."""
    return Veldfout(veld, vertaal(reden), formulier)


def formulier_van(pad: str) -> str:
    """The form a post came from: the last part of its address (``.../doel``, ``.../feiten``)."""
    return pad.rstrip("/").rsplit("/", 1)[-1]


def validatiefout(fout: ValidationError | RequestValidationError,
                  formulier: str | None = None) -> Veldfout:
    """The first field error of a validation, in Dutch (a form shows one refusal at a time)."""
    e = fout.errors()[0]
    veld = str(e["loc"][-1]) if e["loc"] else "formulier"
    tekst = _PYDANTIC.get(e["type"], "deze waarde wordt niet aanvaard")
    if e["type"] == "string_too_long" and "max_length" in (e.get("ctx") or {}):
        tekst = f"te lang: ten hoogste {e['ctx']['max_length']} tekens"
    return Veldfout(veld, tekst, formulier)


@pass_context
def veld_aria(context: Context, veld: str, formulier: str | None = None) -> Markup:
    """``aria-invalid`` and ``aria-describedby`` on the field the refusal names."""
    fout = context.get("melding_fout")
    if isinstance(fout, Veldfout) and fout.geldt(veld, formulier):
        return Markup(f' aria-invalid="true" aria-describedby="{escape(fout.id)}"')
    return Markup("")


@pass_context
def veld_fout(context: Context, veld: str, formulier: str | None = None) -> Markup:
    """The refusal next to its field."""
    fout = context.get("melding_fout")
    if isinstance(fout, Veldfout) and fout.geldt(veld, formulier):
        return Markup(f'<span class="veldfout" id="{escape(fout.id)}">'
                      f'{escape(fout.tekst)}</span>')
    return Markup("")
