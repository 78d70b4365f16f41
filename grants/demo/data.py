"""The demo data set, as plain data: four funders modelled on real Dutch programmes.

Everything here is fictional but well-formed: names of people and schools, BRIN
codes (two digits, two letters), IBANs (valid check digits, made-up accounts),
e-mail addresses on the non-routable ``.demo`` top-level domain. The programmes
follow public descriptions of real ones:

- 's-Hertogenbosch's Onderwijsinnovatiefonds: a ceiling of about € 195,000, 1:1
  co-funding by school boards and educational partners, three tracks, a pilot with
  eight primary schools, first come first served.
- Limburg's OnderwijsWerkplaats: teacher teams, a ranking round after the close
  date, 40 projects planned, a one-time extension on proven success.
- Overijssel's Invent2gether: culture education for special education (sbo, so,
  vso, pro) with cultural providers and four regional partners.
- Haarlem's culture-education programme pairing schools with cultural providers.

Dates are relative to the day the data set is first built (``days`` offsets).
Application ``path`` names the route through the workflow the builder takes; see
``grants.demo.builders.PATHS``.
"""

from dataclasses import dataclass, field
from decimal import Decimal

PASSWORD = "grantdesk-demo"  # noqa: S105 - the one documented demo password
SUPERUSER_EMAIL = "admin@grantdesk.demo"

# Staff per funder: (e-mail local part, role, first name, last name).
STAFF_ROLES = ("officer", "reviewer", "reviewer", "reviewer", "decider", "finance", "admin")


@dataclass(frozen=True)
class FunderData:
    key: str
    domain: str
    name: str
    kind: str
    governing_body: str
    street_address: str
    postal_code: str
    city: str
    phone: str
    iban: str
    bic: str
    objection_address: str
    signatory_job_title: str
    mandate_line: str
    # (first name, last name) for officer, reviewer1..3, decider, finance, admin.
    staff: tuple
    # Every demo funder's objection address names its advisory committee (Awb 7:13): twelve weeks to decide.
    objection_committee: bool = True


@dataclass(frozen=True)
class SchemeData:
    funder: str
    slug: str
    name: str
    reference_prefix: str
    legal_basis: str
    summary: str
    text: str
    opens_days: int
    closes_days: int
    budget_ceiling: Decimal
    max_per_application: Decimal
    cofunding_ratio: Decimal
    allocation_method: str
    eligible_school_types: tuple
    criteria: tuple  # (name, description, weight, max score)
    tracks: tuple = ()
    learning_areas: tuple = ()
    advance_percentage: Decimal = Decimal("80.00")
    min_reviews: int = 2
    max_project_months: int = 24
    max_extension_months: int = 0
    decision_term_weeks: int = 8
    interim_report_months: int | None = None


@dataclass(frozen=True)
class OrganisationData:
    name: str
    kind: str  # school_board, school, cultural_provider, partner, cofunder
    city: str
    brin: str = ""
    school_type: str = ""
    board: str = ""
    region: str = ""
    iban: str = ""


@dataclass(frozen=True)
class TeamData:
    name: str
    domain: str
    schools: tuple  # BRIN codes
    contact: tuple  # (first name, last name)
    members: tuple = ()


@dataclass(frozen=True)
class ApplicationData:
    scheme: str
    team: str
    title: str
    path: str
    amount: Decimal
    summary: str
    goals: str
    schools: tuple  # BRIN codes
    cofunders: tuple  # organisation names; the first pays the larger share
    partners: tuple = ()
    track: str = ""
    learning_area: str = ""
    start_days: int = 60
    months: int = 12
    quality: int = 7  # 1-10: how well reviewers score it
    cultural: bool = False  # budget leans on fees of cultural providers
    notes: dict = field(default_factory=dict)


def _eur(value: str) -> Decimal:
    return Decimal(value)


FUNDERS = (
    FunderData(
        key="shertogenbosch",
        domain="onderwijsfonds-shertogenbosch.demo",
        name="Gemeente 's-Hertogenbosch",
        kind="municipality",
        governing_body="het college van burgemeester en wethouders",
        street_address="Wolvenhoek 1",
        postal_code="5211 HH",
        city="'s-Hertogenbosch",
        phone="073 615 51 55",
        iban="NL38BNGH0285012345",
        bic="BNGHNL2G",
        objection_address=(
            "Het college van burgemeester en wethouders van 's-Hertogenbosch, "
            "t.a.v. de Commissie bezwaarschriften, Postbus 12345, 5200 GZ 's-Hertogenbosch"
        ),
        signatory_job_title="Afdelingshoofd Onderwijs en Jeugd",
        mandate_line="namens het college van burgemeester en wethouders van 's-Hertogenbosch",
        staff=(
            ("Sanne", "van der Heijden"),
            ("Joost", "Verhoeven"),
            ("Miriam", "Bakx"),
            ("Tom", "van Lieshout"),
            ("Ingrid", "Schellekens"),
            ("Peter", "de Wit"),
            ("Lotte", "Mutsaers"),
        ),
    ),
    FunderData(
        key="limburg",
        domain="onderwijswerkplaats-limburg.demo",
        name="Provincie Limburg",
        kind="province",
        governing_body="Gedeputeerde Staten",
        street_address="Limburglaan 10",
        postal_code="6229 GA",
        city="Maastricht",
        phone="043 389 99 99",
        iban="NL40BNGH0285067890",
        bic="BNGHNL2G",
        objection_address="Gedeputeerde Staten van Limburg, t.a.v. de Adviescommissie bezwaarschriften, "
        "Postbus 5700, 6202 MA Maastricht",
        signatory_job_title="Programmamanager Onderwijs en Arbeidsmarkt",
        mandate_line="namens Gedeputeerde Staten van Limburg",
        staff=(
            ("Roel", "Hermans"),
            ("Anouk", "Frissen"),
            ("Bart", "Lemmens"),
            ("Chantal", "Ramakers"),
            ("Huub", "Vaessen"),
            ("Ellen", "Janssen"),
            ("Ruud", "Smeets"),
        ),
    ),
    FunderData(
        key="overijssel",
        domain="invent2gether-overijssel.demo",
        name="Provincie Overijssel",
        kind="province",
        governing_body="Gedeputeerde Staten",
        street_address="Luttenbergstraat 2",
        postal_code="8012 EE",
        city="Zwolle",
        phone="038 499 88 99",
        iban="NL67BNGH0285099123",
        bic="BNGHNL2G",
        objection_address="Gedeputeerde Staten van Overijssel, t.a.v. de Commissie bezwaarschriften, "
        "Postbus 10078, 8000 GB Zwolle",
        signatory_job_title="Teamleider Cultuur en Onderwijs",
        mandate_line="namens Gedeputeerde Staten van Overijssel",
        staff=(
            ("Marloes", "ter Horst"),
            ("Gerrit", "Nijhuis"),
            ("Femke", "Oude Luttikhuis"),
            ("Wouter", "Kamphuis"),
            ("Hester", "Wolters"),
            ("Dennis", "Brinkman"),
            ("Ilse", "Lubbers"),
        ),
    ),
    FunderData(
        key="haarlem",
        domain="cultuureducatie-haarlem.demo",
        name="Gemeente Haarlem",
        kind="municipality",
        governing_body="het college van burgemeester en wethouders",
        street_address="Grote Markt 2",
        postal_code="2011 RD",
        city="Haarlem",
        phone="023 511 51 15",
        iban="NL13BNGH0285045678",
        bic="BNGHNL2G",
        objection_address="Het college van burgemeester en wethouders van Haarlem, t.a.v. de "
        "Bezwarencommissie, Postbus 511, 2003 PB Haarlem",
        signatory_job_title="Beleidsmanager Cultuur",
        mandate_line="namens het college van burgemeester en wethouders van Haarlem",
        staff=(
            ("Eva", "Kramer"),
            ("Niels", "Zonneveld"),
            ("Yasmina", "El Idrissi"),
            ("Frank", "Duivenvoorden"),
            ("Marjolein", "Brouwer"),
            ("Kees", "Hoogland"),
            ("Noor", "Visser"),
        ),
    ),
)

SCHEMES = (
    SchemeData(
        funder="shertogenbosch",
        slug="onderwijsinnovatiefonds-2026",
        name="Onderwijsinnovatiefonds 's-Hertogenbosch 2026",
        reference_prefix="OIF",
        legal_basis="Subsidieregeling Onderwijsinnovatiefonds 's-Hertogenbosch 2026",
        summary="Vernieuwing in het primair onderwijs, samen met schoolbesturen en onderwijspartners: "
        "een pilot met acht basisscholen.",
        text="Het fonds ondersteunt lerarenteams die hun onderwijs vernieuwen. Schoolbesturen en "
        "onderwijspartners brengen samen minstens evenveel in als het fonds bijdraagt (1:1). "
        "Aanvragen worden behandeld in volgorde van binnenkomst, zolang het subsidieplafond dat toelaat.",
        opens_days=-45,
        closes_days=120,
        budget_ceiling=_eur("194950.00"),
        max_per_application=_eur("25000.00"),
        cofunding_ratio=_eur("1.00"),
        allocation_method="first_come",
        eligible_school_types=("bo",),
        tracks=("co-creatie", "samenwerking op leergebied", "helikopterview"),
        learning_areas=("taal en lezen", "rekenen-wiskunde", "wetenschap en technologie", "burgerschap"),
        criteria=(
            ("Innovatief karakter", "Is de aanpak nieuw voor de scholen en het leergebied?", "2.00", 10),
            ("Samenwerking", "Werken scholen, bestuur en onderwijspartners echt samen?", "1.50", 10),
            ("Opbrengst voor leerlingen", "Wat merken leerlingen ervan, en hoe wordt dat zichtbaar?", "2.00", 10),
            ("Borging en verspreiding", "Blijft het na de subsidie, en leren andere scholen ervan?", "1.00", 10),
            ("Haalbaarheid en begroting", "Zijn planning en begroting realistisch?", "1.00", 10),
        ),
        max_project_months=18,
        max_extension_months=6,
    ),
    SchemeData(
        funder="limburg",
        slug="onderwijswerkplaats-2025",
        name="OnderwijsWerkplaats Limburg 2025",
        reference_prefix="OWP25",
        legal_basis="Subsidieregeling OnderwijsWerkplaats Limburg 2025",
        summary="Lerarenteams onderzoeken en verbeteren hun eigen onderwijspraktijk. Afgeronde ronde.",
        text="Rangschikkingsronde: na de sluitingsdatum worden de aanvragen gerangschikt op hun "
        "beoordeling en toegekend tot het subsidieplafond is bereikt. Eenmalige verlenging mogelijk bij "
        "aantoonbaar succes.",
        opens_days=-420,
        closes_days=-330,
        budget_ceiling=_eur("1000000.00"),
        max_per_application=_eur("25000.00"),
        cofunding_ratio=_eur("0.25"),
        allocation_method="ranking",
        eligible_school_types=("bo", "so", "vo", "mbo"),
        learning_areas=("taal", "rekenen", "burgerschap", "digitale geletterdheid", "techniek"),
        criteria=(
            ("Leervraag van het team", "Is de vraag helder en van het hele team?", "2.00", 10),
            ("Onderzoeksmatige aanpak", "Verzamelt het team gegevens en leert het ervan?", "2.00", 10),
            ("Betrokkenheid schoolleiding", "Steunt de schoolleiding het team in tijd en middelen?", "1.00", 10),
            ("Deelbaarheid", "Kunnen andere Limburgse teams de opbrengsten gebruiken?", "1.50", 10),
            ("Planning en begroting", "Realistisch en passend bij de leervraag?", "1.00", 10),
        ),
        max_extension_months=12,
        interim_report_months=6,
    ),
    SchemeData(
        funder="limburg",
        slug="onderwijswerkplaats-2026",
        name="OnderwijsWerkplaats Limburg 2026",
        reference_prefix="OWP26",
        legal_basis="Subsidieregeling OnderwijsWerkplaats Limburg 2026",
        summary="Veertig lerarenteams krijgen ruimte om hun onderwijs te onderzoeken en te verbeteren. "
        "Aanvragen gesloten; de rangschikking volgt.",
        text="Rangschikkingsronde voor veertig projecten van maximaal € 25.000. Na de sluitingsdatum "
        "worden de beoordeelde aanvragen gerangschikt en toegekend tot het plafond is bereikt; de overige "
        "worden afgewezen wegens het bereiken van het subsidieplafond (Awb 4:25). Eenmalige verlenging "
        "van maximaal twaalf maanden bij aantoonbaar succes.",
        opens_days=-90,
        closes_days=-3,
        budget_ceiling=_eur("1000000.00"),
        max_per_application=_eur("25000.00"),
        cofunding_ratio=_eur("0.25"),
        allocation_method="ranking",
        eligible_school_types=("bo", "so", "vo", "mbo"),
        learning_areas=("taal", "rekenen", "burgerschap", "digitale geletterdheid", "techniek"),
        criteria=(
            ("Leervraag van het team", "Is de vraag helder en van het hele team?", "2.00", 10),
            ("Onderzoeksmatige aanpak", "Verzamelt het team gegevens en leert het ervan?", "2.00", 10),
            ("Betrokkenheid schoolleiding", "Steunt de schoolleiding het team in tijd en middelen?", "1.00", 10),
            ("Deelbaarheid", "Kunnen andere Limburgse teams de opbrengsten gebruiken?", "1.50", 10),
            ("Planning en begroting", "Realistisch en passend bij de leervraag?", "1.00", 10),
        ),
        max_extension_months=12,
        interim_report_months=6,
    ),
    SchemeData(
        funder="overijssel",
        slug="invent2gether-2026",
        name="Invent2gether Overijssel 2026",
        reference_prefix="I2G",
        legal_basis="Uitvoeringsregeling Cultuureducatie Speciaal Onderwijs Overijssel 2026",
        summary="Cultuureducatie op maat voor sbo, so, vso en praktijkonderwijs, samen met culturele "
        "aanbieders en de vier regionale cultuurnetwerken.",
        text="Scholen voor speciaal (basis)onderwijs en praktijkonderwijs ontwikkelen samen met een "
        "culturele aanbieder lessen die passen bij hun leerlingen. Een van de vier regionale partners "
        "begeleidt elk project. Het schoolbestuur of de aanbieder financiert de helft van de bijdrage mee.",
        opens_days=-30,
        closes_days=150,
        budget_ceiling=_eur("240000.00"),
        max_per_application=_eur("15000.00"),
        cofunding_ratio=_eur("0.50"),
        allocation_method="first_come",
        eligible_school_types=("sbo", "so", "vso", "pro"),
        learning_areas=("beeldend", "muziek", "dans", "drama", "erfgoed", "media"),
        criteria=(
            ("Aansluiting bij de leerlingen", "Past het aanbod bij wat deze leerlingen nodig hebben?", "2.00", 5),
            ("Co-creatie met de aanbieder", "Ontwerpen leerkrachten en aanbieder samen?", "2.00", 5),
            ("Regionale verankering", "Speelt de regionale partner een rol?", "1.00", 5),
            ("Duurzaamheid", "Kan de school ermee verder na het project?", "1.00", 5),
        ),
        max_project_months=12,
        max_extension_months=6,
    ),
    SchemeData(
        funder="haarlem",
        slug="cultuureducatie-2026",
        name="Cultuureducatie met Kwaliteit Haarlem 2026",
        reference_prefix="CEH",
        legal_basis="Subsidieregeling Cultuureducatie Haarlem 2026",
        summary="Haarlemse scholen en culturele aanbieders werken samen aan een doorlopende leerlijn cultuureducatie.",
        text="Elke aanvraag koppelt een school aan minstens één Haarlemse culturele aanbieder. Het fonds "
        "draagt bij aan de honoraria van de aanbieders en de ontwikkeltijd van leerkrachten.",
        opens_days=-60,
        closes_days=90,
        budget_ceiling=_eur("150000.00"),
        max_per_application=_eur("12500.00"),
        cofunding_ratio=_eur("0.20"),
        allocation_method="first_come",
        eligible_school_types=("bo", "sbo", "so"),
        learning_areas=("muziek", "theater", "dans", "beeldend", "erfgoed"),
        criteria=(
            ("Kwaliteit van de koppeling", "Versterken school en aanbieder elkaar?", "2.00", 10),
            ("Doorlopende leerlijn", "Bouwt het voort op wat leerlingen al leerden?", "1.50", 10),
            ("Bereik", "Hoeveel leerlingen doen mee, en hoe vaak?", "1.00", 10),
            ("Haalbaarheid", "Planning, begroting en rolverdeling", "1.00", 10),
        ),
        min_reviews=2,
        max_project_months=12,
    ),
)

ORGANISATIONS = (
    # 's-Hertogenbosch: two boards, eight pilot primary schools, two educational partners.
    OrganisationData("Stichting Onderwijsgroep De Meierij", "school_board", "'s-Hertogenbosch"),
    OrganisationData("Stichting Katholiek Primair Onderwijs Den Bosch", "school_board", "'s-Hertogenbosch"),
    OrganisationData(
        "Basisschool De Poolster", "school", "'s-Hertogenbosch", "12QP", "bo", "Stichting Onderwijsgroep De Meierij"
    ),
    OrganisationData(
        "Basisschool Het Palet", "school", "'s-Hertogenbosch", "14KX", "bo", "Stichting Onderwijsgroep De Meierij"
    ),
    OrganisationData(
        "Kindcentrum De Vlindertuin", "school", "Rosmalen", "17BR", "bo", "Stichting Onderwijsgroep De Meierij"
    ),
    OrganisationData(
        "Basisschool De Kruiskamp", "school", "'s-Hertogenbosch", "25TK", "bo", "Stichting Onderwijsgroep De Meierij"
    ),
    OrganisationData(
        "Basisschool Sint-Jan",
        "school",
        "'s-Hertogenbosch",
        "19MJ",
        "bo",
        "Stichting Katholiek Primair Onderwijs Den Bosch",
    ),
    OrganisationData(
        "Basisschool De Schakel", "school", "Empel", "21NW", "bo", "Stichting Katholiek Primair Onderwijs Den Bosch"
    ),
    OrganisationData(
        "Montessorischool De Zandberg",
        "school",
        "'s-Hertogenbosch",
        "23HZ",
        "bo",
        "Stichting Katholiek Primair Onderwijs Den Bosch",
    ),
    OrganisationData(
        "Jenaplanschool De Boemerang",
        "school",
        "'s-Hertogenbosch",
        "27VD",
        "bo",
        "Stichting Katholiek Primair Onderwijs Den Bosch",
    ),
    OrganisationData("Pabo Den Bosch (opleidingsschool)", "partner", "'s-Hertogenbosch"),
    OrganisationData("Kenniscentrum Jong Leren Brabant", "partner", "'s-Hertogenbosch"),
    # Limburg: teacher teams in bo, so and vo.
    OrganisationData("Stichting Heuvelland Onderwijs", "school_board", "Heerlen"),
    OrganisationData("Stichting Voortgezet Onderwijs Maas en Roer", "school_board", "Roermond"),
    OrganisationData("Basisschool De Griffel", "school", "Heerlen", "31GR", "bo", "Stichting Heuvelland Onderwijs"),
    OrganisationData(
        "Basisschool Sint-Servaas", "school", "Maastricht", "33SV", "bo", "Stichting Heuvelland Onderwijs"
    ),
    OrganisationData("Kindcentrum De Maasparel", "school", "Venlo", "35MP", "bo", "Stichting Heuvelland Onderwijs"),
    OrganisationData("SO De Wingerd", "school", "Sittard", "41WG", "so", "Stichting Heuvelland Onderwijs"),
    OrganisationData(
        "Scholengemeenschap Maas en Roer",
        "school",
        "Roermond",
        "37SM",
        "vo",
        "Stichting Voortgezet Onderwijs Maas en Roer",
    ),
    OrganisationData(
        "Heuvellandcollege",
        "school",
        "Valkenburg aan de Geul",
        "39HC",
        "vo",
        "Stichting Voortgezet Onderwijs Maas en Roer",
    ),
    OrganisationData("Kenniswerkplaats Onderwijsonderzoek Limburg", "partner", "Maastricht"),
    # Overijssel: special education, cultural providers, four regional partners.
    OrganisationData("Stichting Speciaal Onderwijs Twente", "school_board", "Enschede"),
    OrganisationData("Stichting Passend Onderwijs IJsselland", "school_board", "Zwolle"),
    OrganisationData("SBO De Wissel", "school", "Enschede", "43WS", "sbo", "Stichting Speciaal Onderwijs Twente"),
    OrganisationData("SO De Twentse Zon", "school", "Hengelo", "47TZ", "so", "Stichting Speciaal Onderwijs Twente"),
    OrganisationData(
        "Praktijkschool De Vaart", "school", "Almelo", "51PV", "pro", "Stichting Speciaal Onderwijs Twente"
    ),
    OrganisationData("SBO Het Kompas", "school", "Zwolle", "45KP", "sbo", "Stichting Passend Onderwijs IJsselland"),
    OrganisationData("VSO Het Veldwerk", "school", "Deventer", "49VW", "vso", "Stichting Passend Onderwijs IJsselland"),
    OrganisationData("VSO De Berkenhorst", "school", "Kampen", "53BH", "vso", "Stichting Passend Onderwijs IJsselland"),
    OrganisationData("Theaterwerkplaats Twente", "cultural_provider", "Enschede", iban="NL97RABO0156789012"),
    OrganisationData("Kunstenlab Deventer", "cultural_provider", "Deventer"),
    OrganisationData("Muziekschool Vechtdal", "cultural_provider", "Hardenberg"),
    OrganisationData("Erfgoedwerkplaats Zwolle", "cultural_provider", "Zwolle"),
    OrganisationData("Cultuurnetwerk Twente", "partner", "Hengelo", region="Twente"),
    OrganisationData("Cultuurnetwerk Salland", "partner", "Deventer", region="Salland"),
    OrganisationData("Cultuurnetwerk IJssel-Vecht", "partner", "Zwolle", region="IJssel-Vecht"),
    OrganisationData("Cultuurnetwerk Noordwest-Overijssel", "partner", "Steenwijk", region="Noordwest-Overijssel"),
    # Haarlem: schools paired with cultural providers.
    OrganisationData("Stichting Spaarnescholen", "school_board", "Haarlem"),
    OrganisationData("Basisschool De Dolfijn", "school", "Haarlem", "55DF", "bo", "Stichting Spaarnescholen"),
    OrganisationData("Montessorischool Spaarnestad", "school", "Haarlem", "57HM", "bo", "Stichting Spaarnescholen"),
    OrganisationData("Kindcentrum Het Spaarnepad", "school", "Haarlem", "59SP", "bo", "Stichting Spaarnescholen"),
    OrganisationData("SBO De Sterrenwachter", "school", "Haarlem", "61SW", "sbo", "Stichting Spaarnescholen"),
    OrganisationData("Muziekcentrum Kennemerland", "cultural_provider", "Haarlem", iban="NL73INGB0004567891"),
    OrganisationData("Theaterschool Haarlem-Noord", "cultural_provider", "Haarlem"),
    OrganisationData("Museumlab Spaarnestad", "cultural_provider", "Haarlem"),
    OrganisationData("Dansplaats Haarlem", "cultural_provider", "Haarlem"),
)

TEAMS = (
    # 's-Hertogenbosch pilot: eight primary schools in four teams (and one team per track).
    TeamData(
        "Lerarenteam Poolster & Palet",
        "poolster-palet.demo",
        ("12QP", "14KX"),
        ("Marieke", "van den Broek"),
        (("Hasan", "Yilmaz"), ("Judith", "Verbeek")),
    ),
    TeamData(
        "Lerarenteam Sint-Jan & De Schakel",
        "sintjan-schakel.demo",
        ("19MJ", "21NW"),
        ("Koen", "van Rooij"),
        (("Esther", "Pijnenburg"),),
    ),
    TeamData(
        "Lerarenteam Zandberg & Boemerang",
        "zandberg-boemerang.demo",
        ("23HZ", "27VD"),
        ("Linda", "Smulders"),
        (("Ahmed", "El Amrani"),),
    ),
    TeamData(
        "Lerarenteam Vlindertuin & Kruiskamp",
        "vlindertuin-kruiskamp.demo",
        ("17BR", "25TK"),
        ("Bas", "van Dijk"),
        (("Fleur", "Timmermans"),),
    ),
    # Limburg
    TeamData("Onderzoeksteam De Griffel", "griffel.demo", ("31GR",), ("Nicole", "Houben"), (("Maurice", "Dassen"),)),
    TeamData("Lerarenteam Sint-Servaas", "sintservaas.demo", ("33SV",), ("Jos", "Wetzels"), (("Ellen", "Coenen"),)),
    TeamData("Werkplaats De Maasparel", "maasparel.demo", ("35MP",), ("Karin", "Peeters"), (("Stijn", "Geurts"),)),
    TeamData("Sectieteam Maas en Roer", "maasenroer.demo", ("37SM",), ("Rob", "Kusters"), (("Jessica", "Beckers"),)),
    TeamData(
        "Docententeam Heuvellandcollege",
        "heuvellandcollege.demo",
        ("39HC",),
        ("Yvonne", "Pluijmen"),
        (("Tim", "Ubachs"),),
    ),
    TeamData("Team SO De Wingerd", "wingerd.demo", ("41WG",), ("Mariska", "Schoonbrood"), ()),
    # Overijssel
    TeamData("Team SBO De Wissel", "wissel.demo", ("43WS",), ("Annemiek", "Oosterhof"), (("Ruben", "Wessels"),)),
    TeamData("Team SO De Twentse Zon", "twentsezon.demo", ("47TZ",), ("Gerda", "Huisman"), (("Jeroen", "Lansink"),)),
    TeamData("Team Praktijkschool De Vaart", "devaart.demo", ("51PV",), ("Mohamed", "Bouzid"), ()),
    TeamData("Team SBO Het Kompas", "kompas.demo", ("45KP",), ("Iris", "Veldman"), (("Sander", "Mulder"),)),
    TeamData("Team VSO Het Veldwerk", "veldwerk.demo", ("49VW",), ("Thijs", "Koster"), ()),
    TeamData("Team VSO De Berkenhorst", "berkenhorst.demo", ("53BH",), ("Wilma", "Dekker"), ()),
    # Haarlem
    TeamData("Cultuurteam De Dolfijn", "dolfijn.demo", ("55DF",), ("Sophie", "de Graaf"), (("Daan", "Meijer"),)),
    TeamData("Cultuurteam Montessori Spaarnestad", "montessori-spaarnestad.demo", ("57HM",), ("Merel", "Bosman"), ()),
    TeamData(
        "Cultuurteam Het Spaarnepad", "spaarnepad.demo", ("59SP",), ("Jasper", "Hendriks"), (("Nadia", "Amrani"),)
    ),
    TeamData("Cultuurteam De Sterrenwachter", "sterrenwachter.demo", ("61SW",), ("Ria", "Vos"), ()),
)

_DM = "Stichting Onderwijsgroep De Meierij"
_KPO = "Stichting Katholiek Primair Onderwijs Den Bosch"
_PABO = "Pabo Den Bosch (opleidingsschool)"
_KJL = "Kenniscentrum Jong Leren Brabant"
_HO = "Stichting Heuvelland Onderwijs"
_MR = "Stichting Voortgezet Onderwijs Maas en Roer"
_SOT = "Stichting Speciaal Onderwijs Twente"
_POI = "Stichting Passend Onderwijs IJsselland"
_SPS = "Stichting Spaarnescholen"

# The bank accounts of the school boards, who receive the grants (payees). Teams enter
# them and officers confirm them through the workflow, so they are not set on the rows.
BOARD_BANK_ACCOUNTS = {
    _DM: "NL55RABO0312457890",
    _KPO: "NL38RABO0147258369",
    _HO: "NL36INGB0007654321",
    _MR: "NL05ABNA0419283746",
    _SOT: "NL30ABNA0512345678",
    _POI: "NL18INGB0006543219",
    _SPS: "NL18TRIO0391234567",
}

# Payout batches built after the applications, per funder: exported and paid by the bank,
# exported and waiting for the bank, or none yet (approved payments wait for a batch).
PAYOUT_BATCHES = {"limburg": "paid", "shertogenbosch": "exported"}

_OIF = "onderwijsinnovatiefonds-2026"
_OWP25 = "onderwijswerkplaats-2025"
_OWP26 = "onderwijswerkplaats-2026"
_I2G = "invent2gether-2026"
_CEH = "cultuureducatie-2026"

# One application per line of the lifecycle; between them every state occurs.
APPLICATIONS = (
    # --- 's-Hertogenbosch: Onderwijsinnovatiefonds, first come first served ---------------
    ApplicationData(
        _OIF,
        "Lerarenteam Poolster & Palet",
        "Samen schrijven: co-creatie van een schrijfleerlijn groep 3-8",
        "awarded",
        _eur("18500.00"),
        "Leerkrachten van twee scholen ontwerpen samen met de pabo een schrijfleerlijn waarin leerlingen voor "
        "echte lezers schrijven.",
        "Elke groep schrijft vier keer per jaar voor een echt publiek; de leerlijn staat in een gedeeld "
        "ontwerpdocument dat de andere pilotscholen gebruiken.",
        ("12QP", "14KX"),
        (_DM, _PABO),
        partners=(_PABO,),
        track="co-creatie",
        learning_area="taal en lezen",
        quality=9,
    ),
    ApplicationData(
        _OIF,
        "Lerarenteam Sint-Jan & De Schakel",
        "Rekenen in de wijk: samenwerking op leergebied rekenen-wiskunde",
        "active",
        _eur("15000.00"),
        "Twee scholen ontwikkelen rekenlessen rond meten en meetkunde in de eigen wijk, met studenten van de pabo.",
        "Tien rekenlessen per leerjaar buiten het lokaal; leerkrachten observeren elkaars lessen.",
        ("19MJ", "21NW"),
        (_KPO, _KJL),
        partners=(_KJL,),
        track="samenwerking op leergebied",
        learning_area="rekenen-wiskunde",
        start_days=-30,
        quality=8,
    ),
    ApplicationData(
        _OIF,
        "Lerarenteam Zandberg & Boemerang",
        "Helikopterview: één visie op burgerschap voor twee scholen",
        "extension_requested",
        _eur("12000.00"),
        "Een montessori- en een jenaplanschool brengen hun burgerschapsonderwijs in kaart en kiezen samen "
        "doelen per bouw.",
        "Een gedeelde burgerschapskaart voor groep 1-8 en drie gezamenlijke studiedagen.",
        ("23HZ", "27VD"),
        (_KPO, _PABO),
        partners=(_PABO,),
        track="helikopterview",
        learning_area="burgerschap",
        start_days=-150,
        months=9,
        quality=8,
    ),
    ApplicationData(
        _OIF,
        "Lerarenteam Vlindertuin & Kruiskamp",
        "Onderzoekend leren met de techniekkist",
        "cofunding_check",
        _eur("14000.00"),
        "Kleuterleerkrachten en bovenbouwleerkrachten ontwikkelen samen onderzoeksopdrachten met een "
        "gedeelde techniekkist.",
        "Twaalf onderzoeksopdrachten, getest in zes groepen, met een handleiding voor collega's.",
        ("17BR", "25TK"),
        (_DM, _KJL),
        partners=(_KJL,),
        track="co-creatie",
        learning_area="wetenschap en technologie",
        quality=7,
        notes={"withdraw_partner_pledge": True},
    ),
    ApplicationData(
        _OIF,
        "Lerarenteam Poolster & Palet",
        "Lezen voor plezier: leesteams in de bovenbouw",
        "in_review",
        _eur("9500.00"),
        "Leesteams van leerlingen kiezen, bespreken en presenteren boeken, begeleid door de bibliotheekcoach.",
        "Elke bovenbouwgroep heeft drie leesteams; het leesplezier wordt twee keer gemeten.",
        ("12QP",),
        (_DM,),
        track="samenwerking op leergebied",
        learning_area="taal en lezen",
        quality=6,
    ),
    ApplicationData(
        _OIF,
        "Lerarenteam Sint-Jan & De Schakel",
        "Ouders als partner bij begrijpend lezen",
        "reviewed",
        _eur("8000.00"),
        "Ouders leren thuis samen met hun kind teksten te bespreken; leerkrachten ontwikkelen de materialen.",
        "Vier ouderavonden en een set van twintig gesprekskaarten.",
        ("19MJ",),
        (_KPO,),
        track="co-creatie",
        learning_area="taal en lezen",
        quality=7,
    ),
    ApplicationData(
        _OIF,
        "Lerarenteam Zandberg & Boemerang",
        "Filosoferen met kinderen in alle groepen",
        "info_requested",
        _eur("6500.00"),
        "Leerkrachten leren filosofische gesprekken te voeren en maken er een vast onderdeel van de week van.",
        "Elke groep voert wekelijks een filosofisch gesprek; leerkrachten volgen een training van vier dagdelen.",
        ("23HZ",),
        (_KPO,),
        track="helikopterview",
        learning_area="burgerschap",
        quality=6,
    ),
    ApplicationData(
        _OIF,
        "Lerarenteam Vlindertuin & Kruiskamp",
        "Programmeren met robots in groep 5 en 6",
        "submitted",
        _eur("7200.00"),
        "Leerlingen leren stap voor stap programmeren met eenvoudige robots; leerkrachten volgen samen een scholing.",
        "Acht lessen per groep, twee scholingsbijeenkomsten en een uitleenregeling voor de robots.",
        ("25TK",),
        (_DM,),
        track="samenwerking op leergebied",
        learning_area="wetenschap en technologie",
    ),
    ApplicationData(
        _OIF,
        "Lerarenteam Poolster & Palet",
        "Meertaligheid als kracht in de klas",
        "draft",
        _eur("9000.00"),
        "Leerkrachten zetten de thuistalen van leerlingen in bij woordenschatonderwijs.",
        "Een set meertalige woordenschatlessen voor groep 1 tot en met 4.",
        ("14KX",),
        (_DM,),
        track="co-creatie",
        learning_area="taal en lezen",
    ),
    ApplicationData(
        _OIF,
        "Lerarenteam Sint-Jan & De Schakel",
        "Buitenlessen in het Bossche Broek",
        "withdrawn",
        _eur("5000.00"),
        "Lessen natuur en techniek in het natuurgebied naast de school.",
        "Zes buitenlessen per groep per jaar.",
        ("21NW",),
        (_KPO,),
        track="samenwerking op leergebied",
        learning_area="wetenschap en technologie",
    ),
    ApplicationData(
        _OIF,
        "Lerarenteam Zandberg & Boemerang",
        "Portfolio's voor eigenaarschap",
        "not_considered",
        _eur("4800.00"),
        "Leerlingen houden een digitaal portfolio bij waarin ze hun eigen leerdoelen stellen.",
        "Alle leerlingen van groep 6 tot en met 8 werken met een portfolio.",
        ("27VD",),
        (_KPO,),
        track="helikopterview",
        learning_area="burgerschap",
    ),
    # --- Limburg: OnderwijsWerkplaats 2025, ranked, the projects run -------------------------
    ApplicationData(
        _OWP25,
        "Onderzoeksteam De Griffel",
        "Feedback die werkt: formatief handelen in groep 6-8",
        "closed",
        _eur("22000.00"),
        "Het team onderzoekt welke vormen van feedback leerlingen helpen hun rekenwerk te verbeteren.",
        "Een beproefde feedbackaanpak, beschreven in een praktijkkaart voor andere Limburgse scholen.",
        ("31GR",),
        (_HO,),
        partners=("Kenniswerkplaats Onderwijsonderzoek Limburg",),
        learning_area="rekenen",
        start_days=-330,
        months=10,
        quality=9,
    ),
    ApplicationData(
        _OWP25,
        "Lerarenteam Sint-Servaas",
        "Woordenschat in het Limburgs en het Nederlands",
        "settled",
        _eur("18000.00"),
        "Leerkrachten onderzoeken hoe de streektaal helpt bij woordenschatonderwijs.",
        "Een leerlijn woordenschat die de streektaal benut, getest in vier groepen.",
        ("33SV",),
        (_HO,),
        learning_area="taal",
        start_days=-320,
        months=9,
        quality=8,
    ),
    ApplicationData(
        _OWP25,
        "Werkplaats De Maasparel",
        "Digitale geletterdheid in de onderbouw",
        "final_report_submitted",
        _eur("16500.00"),
        "Het team ontwerpt en onderzoekt lessen mediawijsheid voor groep 1-4.",
        "Acht lessen, een observatie-instrument en een verslag van de opbrengsten.",
        ("35MP",),
        (_HO,),
        learning_area="digitale geletterdheid",
        start_days=-300,
        months=9,
        quality=8,
    ),
    ApplicationData(
        _OWP25,
        "Sectieteam Maas en Roer",
        "Techniek als keuzevak in de onderbouw vo",
        "active_extended",
        _eur("24500.00"),
        "Een sectie ontwikkelt met een regionaal bedrijf een techniekmodule voor klas 2.",
        "Een module van twaalf weken, tweemaal gegeven en geëvalueerd met leerlingen.",
        ("37SM",),
        (_MR,),
        learning_area="techniek",
        start_days=-300,
        months=12,
        quality=9,
    ),
    ApplicationData(
        _OWP25,
        "Docententeam Heuvellandcollege",
        "Burgerschap in het mentoruur",
        "revoked",
        _eur("12000.00"),
        "Mentoren ontwikkelen gespreksvormen over actualiteit voor het mentoruur.",
        "Een map met twintig gespreksvormen en een training voor alle mentoren.",
        ("39HC",),
        (_MR,),
        learning_area="burgerschap",
        start_days=-280,
        months=12,
        quality=7,
    ),
    # --- Limburg: OnderwijsWerkplaats 2026, closed; reviewed, co-funding confirmed: ready to rank -----
    ApplicationData(
        _OWP26,
        "Onderzoeksteam De Griffel",
        "Begrijpend lezen met rijke teksten",
        "cofunding_check",
        _eur("21000.00"),
        "Het team vervangt de leesmethode door rijke teksten en onderzoekt het effect.",
        "Alle groepen 4-8 lezen rijke teksten; het team meet leesbegrip en motivatie.",
        ("31GR",),
        (_HO,),
        learning_area="taal",
        quality=8,
    ),
    ApplicationData(
        _OWP26,
        "Lerarenteam Sint-Servaas",
        "Rekengesprekken in de middenbouw",
        "cofunding_check",
        _eur("15500.00"),
        "Leerkrachten onderzoeken hoe korte rekengesprekken misconcepties blootleggen.",
        "Een gespreksleidraad en een analyse van veertig rekengesprekken.",
        ("33SV",),
        (_HO,),
        learning_area="rekenen",
        quality=7,
    ),
    ApplicationData(
        _OWP26,
        "Team SO De Wingerd",
        "Zelfregulatie bij leerlingen met een ontwikkelingsachterstand",
        "cofunding_check",
        _eur("19800.00"),
        "Het team onderzoekt visuele ondersteuning bij het plannen van schoolwerk.",
        "Een set visuele planners en een casusbeschrijving per leerling.",
        ("41WG",),
        (_HO,),
        learning_area="burgerschap",
        quality=9,
    ),
    ApplicationData(
        _OWP26,
        "Werkplaats De Maasparel",
        "Leren programmeren zonder computer",
        "cofunding_check",
        _eur("9800.00"),
        "Unplugged programmeeropdrachten voor groep 3-5, onderzocht op begrip van algoritmen.",
        "Tien opdrachten en een toets voor algoritmisch denken.",
        ("35MP",),
        (_HO,),
        learning_area="digitale geletterdheid",
        quality=6,
    ),
    ApplicationData(
        _OWP26,
        "Sectieteam Maas en Roer",
        "Praktijkgericht Duits in de grensregio",
        "cofunding_check",
        _eur("23500.00"),
        "De sectie Duits ontwikkelt opdrachten met bedrijven over de grens.",
        "Vijf praktijkopdrachten voor havo-3 en vmbo-3.",
        ("37SM",),
        (_MR,),
        learning_area="taal",
        quality=6,
    ),
    # --- Overijssel: Invent2gether, culture education for special education -----------------------
    ApplicationData(
        _I2G,
        "Team SBO De Wissel",
        "Theater maken over de eigen buurt",
        "active",
        _eur("12000.00"),
        "Leerlingen van het sbo maken met Theaterwerkplaats Twente een voorstelling over hun buurt.",
        "Twaalf lessen, een voorstelling voor ouders en een lessenreeks die de school zelf kan herhalen.",
        ("43WS",),
        (_SOT, "Theaterwerkplaats Twente"),
        partners=("Theaterwerkplaats Twente", "Cultuurnetwerk Twente"),
        learning_area="drama",
        start_days=-20,
        quality=8,
        cultural=True,
    ),
    ApplicationData(
        _I2G,
        "Team SO De Twentse Zon",
        "Muziek voelen: muziekles voor leerlingen met een meervoudige beperking",
        "awarded",
        _eur("9500.00"),
        "Met een muziekdocent ontwikkelt het team muzieklessen die leerlingen met het hele lichaam ervaren.",
        "Twintig muzieklessen, een training voor het team en een instrumentarium voor de school.",
        ("47TZ",),
        (_SOT,),
        partners=("Muziekschool Vechtdal", "Cultuurnetwerk Twente"),
        learning_area="muziek",
        quality=9,
        cultural=True,
    ),
    ApplicationData(
        _I2G,
        "Team Praktijkschool De Vaart",
        "Erfgoed op de werkvloer: vakmanschap van vroeger",
        "objection",
        _eur("8000.00"),
        "Leerlingen van het praktijkonderwijs onderzoeken oude ambachten met een erfgoedinstelling.",
        "Zes werkplaatsbezoeken en een tentoonstelling in de school.",
        ("51PV",),
        (_SOT,),
        partners=("Erfgoedwerkplaats Zwolle", "Cultuurnetwerk Twente"),
        learning_area="erfgoed",
        quality=4,
        cultural=True,
    ),
    ApplicationData(
        _I2G,
        "Team SBO Het Kompas",
        "Beeldend werken met natuurmaterialen",
        "reviewed",
        _eur("7500.00"),
        "Een beeldend kunstenaar werkt een schooljaar lang met de groepen in de schooltuin.",
        "Tien ateliermiddagen en een expositie.",
        ("45KP",),
        (_POI,),
        partners=("Kunstenlab Deventer", "Cultuurnetwerk IJssel-Vecht"),
        learning_area="beeldend",
        quality=7,
        cultural=True,
    ),
    ApplicationData(
        _I2G,
        "Team VSO Het Veldwerk",
        "Vloggen over later: media en loopbaan",
        "in_review",
        _eur("6000.00"),
        "Leerlingen maken vlogs over stageplekken met een mediamaker.",
        "Iedere leerling maakt twee vlogs; de beste worden getoond op de open dag.",
        ("49VW",),
        (_POI,),
        partners=("Kunstenlab Deventer", "Cultuurnetwerk Salland"),
        learning_area="media",
        quality=6,
        cultural=True,
    ),
    ApplicationData(
        _I2G,
        "Team VSO De Berkenhorst",
        "Dansen met de Hanzestad",
        "submitted",
        _eur("5500.00"),
        "Een danslerares maakt met leerlingen een choreografie op de historische kade.",
        "Acht danslessen en een optreden tijdens de Hanzefeesten.",
        ("53BH",),
        (_POI,),
        partners=("Cultuurnetwerk Noordwest-Overijssel",),
        learning_area="dans",
        cultural=True,
    ),
    ApplicationData(
        _I2G,
        "Team SBO Het Kompas",
        "Verhalen vertellen met beeld en geluid",
        "draft",
        _eur("4000.00"),
        "Leerlingen maken luisterverhalen over hun familie.",
        "Elke leerling maakt een luisterverhaal van drie minuten.",
        ("45KP",),
        (_POI,),
        partners=("Cultuurnetwerk IJssel-Vecht",),
        learning_area="media",
        cultural=True,
    ),
    # --- Haarlem: schools paired with cultural providers -----------------------------------------
    ApplicationData(
        _CEH,
        "Cultuurteam De Dolfijn",
        "Elke groep een instrument",
        "active",
        _eur("11000.00"),
        "Met Muziekcentrum Kennemerland krijgt elke groep een jaar les op één instrument.",
        "Wekelijkse muziekles van een vakdocent en een slotconcert in de Philharmonie.",
        ("55DF",),
        (_SPS, "Muziekcentrum Kennemerland"),
        partners=("Muziekcentrum Kennemerland",),
        learning_area="muziek",
        start_days=-45,
        quality=8,
        cultural=True,
    ),
    ApplicationData(
        _CEH,
        "Cultuurteam Montessori Spaarnestad",
        "Museumlab: kinderen als conservator",
        "cofunding_check",
        _eur("7800.00"),
        "Leerlingen stellen met Museumlab Spaarnestad een eigen tentoonstelling samen.",
        "Een tentoonstelling in het museum, gemaakt door groep 7 en 8.",
        ("57HM",),
        (_SPS,),
        partners=("Museumlab Spaarnestad",),
        learning_area="erfgoed",
        quality=7,
        cultural=True,
    ),
    ApplicationData(
        _CEH,
        "Cultuurteam Het Spaarnepad",
        "Theater in de klas",
        "rejected",
        _eur("9500.00"),
        "Een theatermaker geeft drama-lessen en maakt met elke groep een korte voorstelling.",
        "Zes dramalessen per groep.",
        ("59SP",),
        (_SPS,),
        partners=("Theaterschool Haarlem-Noord",),
        learning_area="theater",
        quality=4,
        cultural=True,
    ),
    ApplicationData(
        _CEH,
        "Cultuurteam De Sterrenwachter",
        "Dansen op de speelplaats",
        "rejected_ineligible",
        _eur("3500.00"),
        "Dansplaats Haarlem verzorgt dansworkshops in de pauze.",
        "Een workshop per week gedurende het schooljaar.",
        ("61SW",),
        (_SPS,),
        partners=("Dansplaats Haarlem",),
        learning_area="dans",
        cultural=True,
    ),
    ApplicationData(
        _CEH,
        "Cultuurteam De Dolfijn",
        "Beeldende kunst in de kleuterbouw",
        "awarded",
        _eur("6200.00"),
        "Kleuters werken met een beeldend kunstenaar aan ruimtelijk werk.",
        "Acht ateliermiddagen en een kunstroute door de school.",
        ("55DF",),
        (_SPS,),
        partners=("Museumlab Spaarnestad",),
        learning_area="beeldend",
        quality=8,
        cultural=True,
    ),
    ApplicationData(
        _CEH,
        "Cultuurteam Het Spaarnepad",
        "Erfgoedwandelingen door Haarlem",
        "withdrawn",
        _eur("3000.00"),
        "Groep 6 loopt met een verteller langs de hofjes.",
        "Vier wandelingen en een boekje.",
        ("59SP",),
        (_SPS,),
        partners=("Museumlab Spaarnestad",),
        learning_area="erfgoed",
        cultural=True,
    ),
)
