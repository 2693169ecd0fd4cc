"""Table definitions shared by validation and the data dictionary.

Each table is described once, here, as a :class:`TableSpec`. ``validate`` turns a
spec into a pandera schema; ``datapackage`` turns the same spec into the
frictionless field descriptions of ``data/datapackage.json``. The rules the
loader enforces and the rules the dictionary publishes therefore cannot drift.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "Field",
    "TableSpec",
    "GROUPS",
    "FUNCTIONS",
    "TIERS",
    "SURVEY_FUNCTIONS",
    "TREND_GROUPS",
    "BINARY_LABELS",
    "SURVEY_VARIABLES",
    "SurveyVariable",
    "CODEBOOK",
    "REGISTER",
    "SEGMENTS",
    "SURVEY",
    "TREND",
    "TABLES",
]

GROUPS = ("actieve deelnemer", "critical friend", "criticaster", "onbekend met het netwerk")
FUNCTIONS = (
    "burgemeester",
    "wethouder",
    "raadslid",
    "griffier",
    "gemeentesecretaris",
    "ambtenaar",
    "partnerorganisatie",
)
TIERS = ("gemeente", "provincie", "waterschap", "landelijk")
SURVEY_FUNCTIONS = ("burgemeester", "wethouder", "raadslid")
TREND_GROUPS = ("burgemeesters", "wethouders", "raadsleden", "alle decentrale ambtsdragers")
BINARY_LABELS = {0: "nee", 1: "ja"}

# Patterns match the whole value, as frictionless patterns do (validate applies them with re.fullmatch
# semantics): "R03\n" is no pseudonym. Digits are ASCII: Python's \d would also take Arabic-Indic digits.
CODE_PATTERN = r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*"
RESPONDENT_PATTERN = r"R[0-9]{2,}"


@dataclass(frozen=True)
class Field:
    """One column: its type, its allowed values and what it means."""

    name: str
    type: str  # frictionless type: string, integer, number, boolean
    description: str
    required: bool = True
    categories: tuple[str, ...] | None = None
    pattern: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    value_labels: dict[int, str] | None = None
    #: Holds what identifies a person (a real name, a place). The column may be absent; the loader uses it
    #: only to check that no publishable quote contains its values, and never passes it on to the chapters.
    identifying: bool = False


@dataclass(frozen=True)
class TableSpec:
    """A table: the file it usually comes from, its fields and its key."""

    name: str
    title: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...] = ()

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


@dataclass(frozen=True)
class SurveyVariable:
    """A 0/1 survey variable; ``asked_of`` names the filter question, if any."""

    name: str
    question: str
    asked_of: str | None = None


SURVEY_VARIABLES: tuple[SurveyVariable, ...] = (
    SurveyVariable("agressie", "Heeft in de afgelopen twaalf maanden agressie of geweld meegemaakt (enige vorm)."),
    SurveyVariable("verbaal", "Heeft verbale agressie meegemaakt (fysiek, telefonisch of online)."),
    SurveyVariable("verbaal_online", "Heeft verbale agressie via internet of sociale media meegemaakt."),
    SurveyVariable("bedreiging", "Is bedreigd of geïntimideerd."),
    SurveyVariable("fysiek", "Heeft fysiek geweld meegemaakt."),
    SurveyVariable("aangifte", "Heeft van het (ernstigste) incident aangifte gedaan bij de politie.", asked_of="agressie"),
    SurveyVariable("gevolgen", "Ondervond negatieve gevolgen van het incident.", asked_of="agressie"),
    SurveyVariable("sociale_media_aangepast", "Heeft het eigen gebruik van sociale media aangepast uit voorzorg."),
    SurveyVariable("besluitvorming_beinvloed", "Denkt dat het risico op agressie de besluitvorming beïnvloedt."),
    SurveyVariable("eigen_keuzes_beinvloed", "Zegt dat agressie de eigen bestuurlijke keuzes beïnvloedt."),
    SurveyVariable("overweegt_stoppen", "Overweegt te stoppen vanwege agressie of bedreiging."),
)

CODEBOOK = TableSpec(
    name="codebook",
    title="Codeboek",
    description="Hiërarchische codes waarmee de interviews zijn gecodeerd; id's zijn paden met punten.",
    fields=(
        Field("code", "string", "Id van de code; een kind begint met het id van zijn ouder en een punt.", pattern=CODE_PATTERN),
        Field("parent", "string", "Id van de oudercode; leeg voor een hoofdcode.", required=False),
        Field("name", "string", "Korte naam van de code."),
        Field("description", "string", "Omschrijving: wanneer de code wordt toegekend."),
        Field("level", "integer", "Diepte in de boom; 1 voor een hoofdcode.", minimum=1),
    ),
    primary_key=("code",),
)

REGISTER = TableSpec(
    name="register",
    title="Respondentenregister",
    description="Eén regel per geïnterviewde, onder pseudoniem.",
    fields=(
        Field("respondent", "string", "Pseudoniem van de respondent (R01, R02, ...).", pattern=RESPONDENT_PATTERN),
        Field("group", "string", "Soort respondent ten opzichte van het netwerk.", categories=GROUPS),
        Field("function", "string", "Functie van de respondent.", categories=FUNCTIONS),
        Field("tier", "string", "Bestuurslaag waarin de respondent werkt.", categories=TIERS),
        Field(
            "consent_quote",
            "boolean",
            "Heeft toestemming gegeven om geciteerd te worden (true/false). Wie de toestemming intrekt, krijgt false; "
            "een citaat uit een gesprek verschijnt alleen als iedereen die aan dat gesprek deelnam toestemming geeft.",
        ),
        Field(
            "name",
            "string",
            "Echte naam van de respondent; meer schrijfwijzen gescheiden door ';'. Wordt nooit gepubliceerd: "
            "dient alleen om te controleren dat geen citaat de naam bevat. De kolom mag ontbreken.",
            required=False,
            identifying=True,
        ),
        Field(
            "place",
            "string",
            "Gemeente, plaats of organisatie van de respondent; meer waarden gescheiden door ';'. Wordt nooit "
            "gepubliceerd: dient alleen om te controleren dat geen citaat ze bevat. De kolom mag ontbreken.",
            required=False,
            identifying=True,
        ),
    ),
    primary_key=("respondent",),
)

SEGMENTS = TableSpec(
    name="segments",
    title="Gecodeerde fragmenten",
    description=(
        "Eén regel per code op een fragment. Een fragment met meer codes staat op meer regels met hetzelfde "
        "segment-id. Start en eind tellen Unicode-codepunten in het transcript (eind exclusief)."
    ),
    fields=(
        Field("segment", "string", "Id van het fragment (één selectie van één codeur)."),
        Field("respondent", "string", "Pseudoniem van de respondent; staat in het register.", pattern=RESPONDENT_PATTERN),
        Field("interview", "string", "Id van het interview; het transcript heet transcripts/<interview>.txt."),
        Field("code", "string", "Toegekende code; staat in het codeboek.", pattern=CODE_PATTERN),
        Field("coder", "string", "Pseudoniem van de codeur."),
        Field("start", "integer", "Beginpositie in het transcript, in codepunten vanaf 0.", minimum=0),
        Field("end", "integer", "Eindpositie in het transcript, in codepunten, exclusief.", minimum=1),
        Field("text", "string", "Tekst van het fragment; gelijk aan het transcript van start tot eind."),
    ),
    primary_key=("segment", "code"),
)

SURVEY = TableSpec(
    name="survey",
    title="Enquête decentrale ambtsdragers (microdata)",
    description=(
        "Eén regel per respondent van de enquête. Variabelen zijn 0 (nee) of 1 (ja); aangifte en gevolgen "
        "zijn alleen gevraagd aan wie agressie meemaakte en zijn anders leeg."
    ),
    fields=(
        Field("id", "string", "Volgnummer van de respondent in de enquête."),
        Field("function", "string", "Functie van de respondent.", categories=SURVEY_FUNCTIONS),
        Field("weight", "number", "Weegfactor naar de omvang van de functiegroep in de populatie.", minimum=0),
        *(
            Field(v.name, "integer", v.question, required=v.asked_of is None, value_labels=BINARY_LABELS)
            for v in SURVEY_VARIABLES
        ),
    ),
    primary_key=("id",),
)

TREND = TableSpec(
    name="trend",
    title="Trend agressie tegen decentrale ambtsdragers",
    description="Gepubliceerde aandelen ambtsdragers dat agressie meemaakte, per monitorjaar, met bron.",
    fields=(
        Field("year", "integer", "Jaar van de monitor (veldwerk over de twaalf maanden ervoor).", minimum=2000, maximum=2100),
        Field("group", "string", "Groep ambtsdragers.", categories=TREND_GROUPS),
        Field("share", "number", "Aandeel dat agressie meemaakte (0-1).", minimum=0, maximum=1),
        Field("approximate", "boolean", "True als de bron een afgerond of benaderd cijfer geeft (bijvoorbeeld 'ongeveer een op de drie')."),
        Field("source", "string", "Publieke bron van het cijfer."),
    ),
    primary_key=("year", "group"),
)

TABLES: dict[str, TableSpec] = {t.name: t for t in (CODEBOOK, REGISTER, SEGMENTS, SURVEY, TREND)}

MONITOR_2022 = TableSpec(
    name="monitor_2022",
    title="Kerncijfers Monitor Integriteit en Veiligheid 2022",
    description="Gepubliceerde aandelen uit de monitor van 2022 waarop de demo-enquête is gekalibreerd.",
    fields=(
        Field("indicator", "string", "Naam van de enquêtevariabele waar het cijfer bij hoort."),
        Field("share", "number", "Gepubliceerd aandeel (0-1).", minimum=0, maximum=1),
        Field("base", "string", "Over wie het aandeel gaat.", categories=("alle ambtsdragers", "ambtsdragers met agressie", "ambtsdragers met verbale agressie")),
        Field("approximate", "boolean", "True als de bron een benadering geeft (bijvoorbeeld 'bijna de helft')."),
        Field("source", "string", "Publieke bron van het cijfer."),
    ),
    primary_key=("indicator",),
)

TABLES[MONITOR_2022.name] = MONITOR_2022
