"""Invented Dutch interview material for the demo data set.

Every sentence here is made up for the demo. None is a quotation, and none
refers to a real person, municipality or incident. Fragments are deliberately
generic ("onze gemeente", "een collega") so that no one can be recognised.
"""

from __future__ import annotations

QUESTIONS = {
    "bekendheid": (
        "Kent u het Netwerk Weerbaar Bestuur, en hoe bent u ermee in aanraking gekomen?",
        "Wat weet u van het netwerk en van wat het aanbiedt?",
    ),
    "dreiging": (
        "Met welke vormen van intimidatie of agressie krijgt u in uw werk te maken?",
        "Welke dreiging ervaart u zelf of ziet u bij collega's?",
    ),
    "verandering": (
        "Is de dreiging de afgelopen jaren veranderd?",
        "Hoe ziet u de ontwikkeling sinds de start van het netwerk?",
    ),
    "werklijn": (
        "Wat vindt u van wat het netwerk doet?",
        "Welke activiteiten van het netwerk kent u, en hoe beoordeelt u die?",
    ),
    "bescherming": (
        "Wat beschermt u het meest?",
        "Waar haalt u steun vandaan als het spannend wordt?",
    ),
    "polariteit": (
        "Waar zou het netwerk zich de komende vijf jaar op moeten richten?",
        "Als u het netwerk één advies mocht geven voor de toekomst, wat zou dat zijn?",
    ),
}

FILLERS = (
    "Dat is een goede vraag.",
    "Laat ik daar even over nadenken.",
    "Eerlijk gezegd heb ik daar wisselende gevoelens over.",
    "Dat hangt er een beetje van af.",
    "Ik kan alleen voor mezelf spreken.",
    "Misschien klinkt dit wat stellig.",
)

BEKENDHEID = {
    "bekendheid.bekend": (
        "Ik ken het netwerk al sinds de beginjaren, via de beroepsvereniging.",
        "Ik ben een keer op een bijeenkomst van het netwerk geweest en heb sindsdien de website vaak gebruikt.",
        "Via de griffie kwam ik het netwerk tegen, toen er een training werd georganiseerd.",
        "Het netwerk ken ik goed; we hebben er ook in ons college over gesproken.",
    ),
    "bekendheid.onbekend": (
        "Eerlijk gezegd had ik tot deze uitnodiging nog nooit van het netwerk gehoord.",
        "Ik wist niet dat er zoiets bestond; niemand heeft mij er ooit op gewezen.",
        "Toen het bij mij misging, wist ik niet bij wie ik moest aankloppen.",
        "Van een landelijk netwerk had ik geen idee, ik dacht dat je het zelf moest uitzoeken.",
    ),
}

THREATS = {
    "dreiging.verbaal": (
        "Na raadsvergaderingen word ik regelmatig uitgescholden door mensen op de publieke tribune.",
        "Aan de telefoon krijg ik soms scheldpartijen over me heen over een besluit waar ik niet eens over ging.",
        "Op de markt werd ik aangesproken op een toon die ik niet eerder had meegemaakt.",
    ),
    "dreiging.bedreiging": (
        "Er is een brief bij mij thuis bezorgd waarin stond dat men wist waar mijn kinderen naar school gaan.",
        "Een inwoner zei na een hoorzitting dat ik 'maar beter op moest passen' als ik zo doorging.",
        "Na het besluit over de opvanglocatie stonden er 's avonds mensen bij mijn huis te wachten.",
    ),
    "dreiging.fysiek": (
        "Bij een bewonersavond is een collega geduwd en is er een stoel omgegooid.",
        "Mijn auto is bekrast en er is een ruit ingegooid, kort na een besluit over een bouwproject.",
        "Een keer werd ik na afloop van een bijeenkomst vastgepakt bij mijn arm.",
    ),
    "dreiging.online": (
        "Op sociale media krijg ik na elk lastig besluit een stroom berichten die ver over de grens gaan.",
        "Er zijn foto's van mijn huis online gezet, met de straatnaam erbij.",
        "In besloten appgroepen wordt over mij gesproken op een manier die ik niet kan herhalen.",
    ),
    "dreiging.ondermijning": (
        "We zien in het buitengebied dingen die wijzen op criminele invloed, en dat maakt bestuurders voorzichtig.",
        "Een ondernemer liet doorschemeren dat hij mensen kende die een vergunning wel konden regelen.",
        "Bij een vastgoeddossier voelde ik druk van een kant waarvan ik niet precies wist wie erachter zat.",
    ),
    "dreiging.binnen": (
        "De hardste woorden hoor ik eerlijk gezegd niet van inwoners, maar van collega's in de raad.",
        "Een fractievoorzitter heeft mij na een debat in de wandelgang geïntimideerd.",
        "Binnen het college werd iemand stelselmatig kleingemaakt en niemand greep in.",
    ),
    "dreiging.integriteit": (
        "Er werd mij een keer een etentje aangeboden door iemand die belang had bij een aanbesteding.",
        "Je wordt als bestuurder voortdurend verleid om net iets voor iemand te regelen.",
        "Ik merkte dat een oude bekende mijn positie probeerde te gebruiken voor een eigen project.",
    ),
    "dreiging.sociale_onveiligheid": (
        "In onze raad durven nieuwe leden niet meer vrijuit te spreken.",
        "Er heerst een sfeer waarin je liever je mond houdt dan dat je de kritiek over je heen krijgt.",
        "Jonge raadsleden, en vrouwen in het bijzonder, worden vaker buitengesloten of belachelijk gemaakt.",
    ),
}

COVERAGE = {
    "dekking.binnen_bereik": (
        "Daarvoor kon ik goed terecht bij het ondersteuningsteam.",
        "Voor dit soort situaties weet het netwerk de weg, dat heb ik zelf ervaren.",
        "Daar heeft het netwerk handvatten voor, zoals de beveiligingsregeling en de trainingen.",
        "Op dat vlak is de hulp goed geregeld, ook met de politie erbij.",
    ),
    "dekking.buiten_bereik": (
        "Daar heeft het netwerk eigenlijk geen antwoord op.",
        "Voor dit soort dingen kun je bij het netwerk niet echt terecht.",
        "Dat valt buiten wat het netwerk doet, en volgens mij weten ze daar ook niet goed raad mee.",
        "Daarmee sta je als bestuurder nog steeds grotendeels alleen.",
    ),
}

VERANDERING = {
    "verandering.van_buiten": (
        "De toon in de samenleving is harder geworden, vooral sinds de coronaperiode.",
        "Door sociale media gaat alles sneller en wordt het persoonlijker.",
        "Polarisatie rond thema's als opvang en energie heeft het klimaat echt veranderd.",
    ),
    "verandering.van_binnen": (
        "Ook in de raad zelf zijn de omgangsvormen verruwd.",
        "Partijen gebruiken elkaars fouten steeds vaker om te scoren, en dat straalt af naar buiten.",
        "Sommige nieuwe fracties zetten bewust in op confrontatie met het college.",
    ),
}

WERKLIJNEN = {
    "werklijn.bewustwording": (
        "Het netwerk heeft ervoor gezorgd dat we in het college überhaupt over dit onderwerp praten.",
        "De campagnes om het gesprek over agressie op gang te brengen heb ik wel gezien.",
    ),
    "werklijn.voorlichting": (
        "De website met informatie over wat je kunt doen heb ik een paar keer geraadpleegd.",
        "Er was een bijeenkomst van het netwerk voor de hele raad over weerbaarheid.",
    ),
    "werklijn.ondersteuning": (
        "Toen het speelde, heb ik contact gehad met het ondersteuningsteam.",
        "Via het netwerk kreeg ik snel iemand aan de lijn die wist hoe het zat met beveiliging.",
    ),
    "werklijn.nazorg": (
        "Na het incident is er een paar keer gebeld om te vragen hoe het met me ging.",
        "Voor de periode na afloop is er psychosociale hulp aangeboden.",
    ),
    "werklijn.voorzorg": (
        "We hebben een woningscan laten doen en een weerbaarheidstraining gevolgd.",
        "Het netwerk drukt ons op het hart om vooraf afspraken te maken in de organisatie.",
    ),
}

APPRAISAL = {
    "waardering.positief": (
        "Dat heeft mij echt geholpen.",
        "Daar ben ik erg positief over.",
        "Dat werkt goed, vind ik.",
    ),
    "waardering.negatief": (
        "Maar dat bleef te vrijblijvend.",
        "Alleen kwam het te laat en was het te algemeen.",
        "Ik vond dat eerlijk gezegd teleurstellend.",
    ),
}

BESCHERMING = {
    "bescherming.individueel": (
        "Ik heb geleerd mijn grenzen beter aan te geven en niet op alles te reageren.",
        "Zelf let ik nu beter op wat ik deel over mijn privéleven.",
    ),
    "bescherming.organisatorisch": (
        "Wat helpt is dat de gemeente nu een vast aanspreekpunt en een protocol heeft.",
        "Er zijn duidelijke afspraken over wie wat doet bij een incident.",
    ),
    "bescherming.collectief": (
        "De steun van collega's uit andere gemeenten is voor mij het belangrijkst.",
        "Samen als raad uitspreken dat dit niet kan, maakt echt verschil.",
    ),
    "bescherming.fysiek": (
        "Er zijn camera's en beter hang- en sluitwerk bij mijn huis gekomen.",
        "Bij spannende bijeenkomsten is er nu beveiliging aanwezig.",
    ),
    "bescherming.psychosociaal": (
        "Een paar gesprekken met een psycholoog hebben me erdoor gesleept.",
        "Het was goed dat er iemand was bij wie ik mijn verhaal kwijt kon.",
    ),
    "bescherming.juridisch": (
        "De hulp bij het doen van aangifte was onmisbaar.",
        "Juridisch advies over wat ik wel en niet kon doen gaf me rust.",
    ),
    "bescherming.normatief": (
        "Uiteindelijk beschermt het ons het meest als iedereen weet waar de grens ligt.",
        "We moeten met elkaar vaststellen wat we als bestuurders accepteren en wat niet.",
    ),
}

POLARITEIT = {
    "polariteit.inzoomen": (
        "Het netwerk moet vooral doen waar het goed in is: agressie en bedreiging aanpakken.",
        "Ik zou het niet te breed maken; focus op intimidatie en geweld.",
    ),
    "polariteit.uitzoomen": (
        "Het netwerk zou breder moeten kijken, ook naar integriteit en ongewenst gedrag.",
        "Sociale onveiligheid hoort er net zo goed bij als agressie van buiten.",
    ),
    "polariteit.buiten": (
        "De grootste dreiging komt nog steeds van buiten, daar moet de bescherming op gericht zijn.",
        "Bescherming tegen boze inwoners blijft wat mij betreft de kern.",
    ),
    "polariteit.binnen": (
        "Het netwerk moet ook durven kijken naar wat er binnen de raad en het college gebeurt.",
        "Intimidatie door collega's is net zo schadelijk en daar is nu niemand voor.",
    ),
    "polariteit.instrumenten": (
        "Geef ons vooral praktische dingen: een draaiboek, een telefoonnummer, een training.",
        "Concrete instrumenten helpen meer dan mooie verklaringen.",
    ),
    "polariteit.normen": (
        "Er is een fundamenteler gesprek nodig over wat we van bestuurders mogen verwachten.",
        "We moeten als beroepsgroep normen stellen over hoe we met elkaar en met inwoners omgaan.",
    ),
}
