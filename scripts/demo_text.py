"""Invented Dutch interview material for the demo data set.

Every sentence here is made up for the demo. None is a quotation, and none
refers to a real person, municipality, party or incident. Fragments are
deliberately generic ("onze gemeente", "een collega", "de raad") so that no one
can be recognised.

A fragment is composed by ``generate_demo_data.Phrasebook`` from a pool per code:
``kern`` holds the statements (one is always said), ``vervolg`` the sentences a
respondent may add after it. ``{a|b}`` in a sentence offers interchangeable
wordings; every wording must fit the rest of the sentence. Sentences never
contain ". " inside them: the second coder's "first sentence only" cut relies on
it marking a sentence end.
"""

from __future__ import annotations

QUESTIONS = {
    "bekendheid": (
        "Kent u het Netwerk Weerbaar Bestuur, en hoe bent u ermee in aanraking gekomen?",
        "Wat weet u van het netwerk en van wat het aanbiedt?",
        "Hoe heeft u voor het eerst van het netwerk gehoord?",
        "Zegt het Netwerk Weerbaar Bestuur u iets?",
    ),
    "dreiging": (
        "Met welke vormen van intimidatie of agressie krijgt u in uw werk te maken?",
        "Welke dreiging ervaart u zelf of ziet u bij collega's?",
        "Kunt u iets vertellen over wat u zelf heeft meegemaakt?",
        "Waar loopt u in uw functie tegenaan als het gaat om agressie of druk?",
    ),
    "verandering": (
        "Is de dreiging de afgelopen jaren veranderd?",
        "Hoe ziet u de ontwikkeling sinds de start van het netwerk?",
        "Merkt u verschil met een paar jaar geleden?",
        "Waar komt die verandering volgens u vandaan?",
    ),
    "werklijn": (
        "Wat vindt u van wat het netwerk doet?",
        "Welke activiteiten van het netwerk kent u, en hoe beoordeelt u die?",
        "Met welke onderdelen van het netwerk heeft u zelf ervaring?",
        "Hoe kijkt u terug op wat het netwerk u heeft geboden?",
    ),
    "bescherming": (
        "Wat beschermt u het meest?",
        "Waar haalt u steun vandaan als het spannend wordt?",
        "Wat helpt u om dit werk vol te houden?",
        "Wat maakt dat u zich veiliger voelt?",
    ),
    "polariteit": (
        "Waar zou het netwerk zich de komende vijf jaar op moeten richten?",
        "Als u het netwerk één advies mocht geven voor de toekomst, wat zou dat zijn?",
        "Wat moet er volgens u anders aan het netwerk?",
        "Hoe ziet het netwerk er over een paar jaar idealiter uit?",
    ),
}

FILLERS = (
    "Dat is een goede vraag.",
    "Laat ik daar even over nadenken.",
    "Eerlijk gezegd heb ik daar wisselende gevoelens over.",
    "Dat hangt er een beetje van af.",
    "Ik kan alleen voor mezelf spreken.",
    "Misschien klinkt dit wat stellig.",
    "Hm, waar zal ik beginnen.",
    "Dat vind ik lastig om kort te zeggen.",
    "Ik moet daar wel even voor terug in de tijd.",
    "Ja, daar heb ik wel een mening over.",
    "Goed dat u dat vraagt.",
    "Ik probeer het een beetje op een rij te zetten.",
)

# Spoken openings put before a statement; the statement's first letter is then lowercased.
LEADS = ("Kijk, ", "Nou, ", "Ja, ", "Tja, ", "Weet je, ", "Nou ja, ", "Goed, ", "Ach, ")

BEKENDHEID = {
    "bekendheid.bekend": {
        "kern": (
            "Ik ken het netwerk al sinds de beginjaren, via de beroepsvereniging.",
            "Ik ben een keer op een bijeenkomst van het netwerk geweest en heb sindsdien de website {vaak|regelmatig} gebruikt.",
            "Via de griffie kwam ik het netwerk tegen, toen er een training werd georganiseerd.",
            "Het netwerk ken ik goed; we hebben er ook in ons college over gesproken.",
            "Mijn voorganger wees mij er {in mijn eerste week|bij de overdracht} al op.",
            "Ik kreeg de informatie {bij mijn installatie|in het introductieprogramma voor nieuwe raadsleden}, in een map met van alles en nog wat.",
            "Een collega uit een buurgemeente noemde het toen ik vertelde wat mij was overkomen.",
            "Ik ken het vooral van de nieuwsbrief, die lees ik {af en toe|meestal wel} door.",
            "Onze burgemeester heeft het netwerk een keer in de raad toegelicht.",
            "Ik heb het leren kennen via een regionale bijeenkomst van {bestuurders|wethouders} over veiligheid.",
            "Bij ons op het gemeentehuis hangt er een poster van, daar kom je niet omheen.",
            "Ik ben er eigenlijk pas goed mee in aanraking gekomen toen ik het zelf nodig had.",
        ),
        "vervolg": (
            "Sindsdien weet ik in elk geval waar ik moet zijn.",
            "Maar of ik er veel gebruik van maak, is een tweede.",
            "Ik heb het daarna ook aan nieuwe collega's doorgegeven.",
            "Het is fijn om te weten dat het er is, ook als je het niet gebruikt.",
            "Veel meer dan dat weet ik er eerlijk gezegd niet van.",
            "Ik heb toen meteen het telefoonnummer opgeslagen.",
            "Daarna ben ik het een tijd uit het oog verloren.",
        ),
    },
    "bekendheid.onbekend": {
        "kern": (
            "Eerlijk gezegd had ik tot deze uitnodiging nog nooit van het netwerk gehoord.",
            "Ik wist niet dat er zoiets bestond; niemand heeft mij er ooit op gewezen.",
            "Toen het bij mij misging, wist ik niet bij wie ik moest aankloppen.",
            "Van een landelijk netwerk had ik geen idee, ik dacht dat je het zelf moest uitzoeken.",
            "De naam komt me vaag bekend voor, maar wat ze precies doen zou ik niet weten.",
            "In onze fractie heeft niemand het er ooit over gehad.",
            "Ik denk dat ik er weleens een mail over heb gekregen, maar die is dan ondergesneeuwd.",
            "Nee, dat zegt me eerlijk gezegd niets.",
            "Ik heb het even opgezocht toen uw uitnodiging binnenkwam, daarvoor kende ik het niet.",
            "Bij ons in de gemeente wordt het volgens mij nergens genoemd.",
        ),
        "vervolg": (
            "Dat vind ik achteraf wel jammer.",
            "Als ik het had geweten, had ik er misschien wel gebruik van gemaakt.",
            "Ik ben vast niet de enige.",
            "Je zou denken dat je zoiets bij je start meekrijgt.",
            "Dat zegt misschien ook iets over hoe het netwerk zich laat zien.",
            "Voor een raadslid in een kleine gemeente is dat toch wel een gemis.",
        ),
    },
}

THREATS = {
    "dreiging.verbaal": {
        "kern": (
            "Na raadsvergaderingen word ik {regelmatig|geregeld|af en toe} uitgescholden door mensen op de publieke tribune.",
            "Aan de telefoon krijg ik soms scheldpartijen over me heen over een besluit waar ik niet eens over ging.",
            "Op de markt werd ik aangesproken op een toon die ik niet eerder had meegemaakt.",
            "In de supermarkt sprak een man me {luid|hardop} aan over de parkeertarieven, met de ene verwensing na de andere.",
            "Tijdens een inspraakavond werd ik {voor leugenaar|voor zakkenvuller} uitgemaakt, met de hele zaal erbij.",
            "Mijn mailbox staat na een lastig besluit vol met berichten vol scheldwoorden.",
            "Bij het schoolplein werd ik door een ouder aangesproken over een besluit van de raad, en dat ging er niet zachtzinnig aan toe.",
            "Er wordt tegen mij geroepen als ik door het dorp fiets, dingen die ik hier niet ga herhalen.",
            "Een inwoner belde {wekenlang|maandenlang} bijna elke dag naar het gemeentehuis om mij uit te schelden.",
            "Bij een bewonersbijeenkomst over de herinrichting van een straat werd ik {luidkeels|de hele avond} uitgejouwd.",
            "Als wethouder krijg je aan de balie of bij de bakker gewoon de volle laag.",
            "Na een interview in de lokale krant kreeg ik {kaarten|brieven} thuis met beledigingen.",
        ),
        "vervolg": (
            "Je leert ermee leven, maar normaal is het niet.",
            "Het gaat vaak niet eens over mij, maar over wat ik vertegenwoordig.",
            "Mijn partner vindt het eerlijk gezegd erger dan ik.",
            "Ik probeer het van me af te laten glijden, maar dat lukt niet altijd.",
            "Het zijn woorden, zeggen mensen dan, maar het stapelt zich op.",
            "Daarna fiets je toch anders naar huis.",
            "Vroeger schrok ik ervan, nu haal ik mijn schouders op, en dat vind ik eigenlijk ook zorgelijk.",
        ),
    },
    "dreiging.bedreiging": {
        "kern": (
            "Er is een brief bij mij thuis bezorgd waarin stond dat men wist waar mijn kinderen naar school gaan.",
            "Een inwoner zei na een hoorzitting dat ik 'maar beter op moest passen' als ik zo doorging.",
            "Na het besluit over de opvanglocatie stonden er 's avonds mensen bij mijn huis te wachten.",
            "Ik kreeg een anoniem bericht dat ze me {wel zouden vinden|wel wisten te vinden}.",
            "Iemand heeft een keer een briefje onder mijn ruitenwisser gestopt met daarop mijn huisadres.",
            "Na een debat over een windpark werd er gedreigd dat mijn huis het volgende doelwit zou zijn.",
            "Een man die het niet eens was met een handhavingsbesluit zei dat hij me 'na werktijd wel eens zou spreken'.",
            "Ik heb een voicemail gekregen waarin iemand heel rustig vertelde wat hij met me van plan was.",
            "Er zijn {een paar keer|meerdere keren} mensen aan de deur geweest die zeiden dat ik spijt zou krijgen van mijn stem.",
            "Via een contactformulier kwam er een bericht binnen met een regelrechte doodsbedreiging.",
            "Bij een bijeenkomst in een dorpshuis zei iemand tegen me dat ik 'het niet zou navertellen' als het besluit doorging.",
        ),
        "vervolg": (
            "Daar heb ik aangifte van gedaan, maar ik heb er nooit meer iets van gehoord.",
            "Sindsdien doe ik 's avonds altijd de gordijnen dicht.",
            "Mijn kinderen mogen nu niet meer alleen naar huis lopen.",
            "Ik heb er een paar nachten slecht van geslapen.",
            "Op zo'n moment besef je ineens hoe kwetsbaar je bent.",
            "Ik heb er toen lang over getwijfeld of ik door wilde gaan.",
            "Je vraagt je af of het bij woorden blijft.",
        ),
    },
    "dreiging.fysiek": {
        "kern": (
            "Bij een bewonersavond is een collega geduwd en is er een stoel omgegooid.",
            "Mijn auto is bekrast en er is een ruit ingegooid, kort na een besluit over een bouwproject.",
            "Een keer werd ik na afloop van een bijeenkomst vastgepakt bij mijn arm.",
            "Er is {vuurwerk|een brandende fles} tegen onze voordeur gegooid.",
            "Bij een informatieavond kwam iemand zo dicht op me staan dat de beveiliging moest ingrijpen.",
            "Iemand heeft een keer een beker koffie naar me gegooid toen ik de zaal uit liep.",
            "Op een zaterdag in het centrum werd ik {opzij geduwd|tegen een muur gedrukt} door een man die boos was over een vergunning.",
            "Er is ingebroken in mijn schuur en de banden van mijn fiets waren lek gestoken, met een briefje erbij.",
        ),
        "vervolg": (
            "Dat is een grens die je niet vergeet.",
            "Ik was vooral geschrokken hoe snel het ging.",
            "De politie was er gelukkig snel bij.",
            "Daarna ben ik een tijd niet meer alleen naar bijeenkomsten gegaan.",
            "Het had veel erger kunnen aflopen, dat besef ik nu pas.",
        ),
    },
    "dreiging.online": {
        "kern": (
            "Op sociale media krijg ik na elk lastig besluit een stroom berichten die ver over de grens gaan.",
            "Er zijn foto's van mijn huis online gezet, met de straatnaam erbij.",
            "In besloten appgroepen wordt over mij gesproken op een manier die ik niet kan herhalen.",
            "Iemand heeft een nepaccount op mijn naam gemaakt en daar de gekste dingen mee rondgestuurd.",
            "Onder elk bericht van de gemeente verschijnen reacties over mij, en die worden steeds persoonlijker.",
            "Er ging een {bewerkte foto|gemonteerd filmpje} van mij rond die de suggestie wekte dat ik iets had beloofd wat ik nooit heb gezegd.",
            "Mijn privéberichten staan {vol met|regelmatig vol} beledigingen, vaak van mensen die niet eens in onze gemeente wonen.",
            "In een lokale groep op internet werd mijn telefoonnummer gedeeld, met de oproep om mij 'eens flink te bellen'.",
            "Na een filmpje van een raadsvergadering dat rondging, kreeg ik {honderden|tientallen} reacties, en lang niet allemaal vriendelijk.",
            "Online wordt er gespeculeerd over mijn gezin, over waar mijn partner werkt, dat soort dingen.",
            "Er wordt op fora over mij geschreven alsof ik persoonlijk verantwoordelijk ben voor alles wat er in de gemeente misgaat.",
            "Als ik iets op sociale media zet, weet ik vooraf al welke accounts eronder gaan reageren, en op welke toon.",
            "Mijn gezicht is een keer in een meme gebruikt die in allerlei groepen werd gedeeld.",
        ),
        "vervolg": (
            "Het gaat dag en nacht door, je kunt het niet uitzetten.",
            "Mijn kinderen zien dat ook, en dat vind ik het ergste.",
            "Ik lees het niet meer zelf, een medewerker kijkt het voor me door.",
            "Je weet nooit wie erachter zit, en dat maakt het onrustig.",
            "Het lijkt online allemaal {zo makkelijk|zo vrijblijvend}, maar het komt wel binnen.",
            "Ik heb mijn account een tijdje op slot gezet.",
            "Wat online begint, blijft daar niet altijd, dat is mijn zorg.",
        ),
    },
    "dreiging.ondermijning": {
        "kern": (
            "We zien in het buitengebied dingen die wijzen op criminele invloed, en dat maakt bestuurders voorzichtig.",
            "Een ondernemer liet doorschemeren dat hij mensen kende die een vergunning wel konden regelen.",
            "Bij een vastgoeddossier voelde ik druk van een kant waarvan ik niet precies wist wie erachter zat.",
            "Er kwamen {ineens|opvallend veel} aanvragen binnen voor panden waarvan niemand wist waar het geld vandaan kwam.",
            "Na een sluiting van een bedrijfspand stond er een auto met draaiende motor voor het gemeentehuis, {een avond lang|urenlang}.",
            "Je merkt dat sommige mensen heel goed weten hoe de besluitvorming loopt, beter dan je lief is.",
            "Bij een handhavingszaak werd duidelijk gemaakt dat ik er 'verstandig aan deed' die te laten rusten.",
            "Ik heb een keer een dossier overgedragen omdat ik me niet meer veilig voelde bij wie er aan de andere kant zat.",
            "Er wordt geprobeerd via familie en kennissen invloed uit te oefenen op wie er in de raad komt.",
        ),
        "vervolg": (
            "Daar praat je niet zo makkelijk over, ook niet met collega's.",
            "Het is allemaal net niet hard te maken, en dat is precies het probleem.",
            "Je gaat twee keer nadenken voordat je iets tekent.",
            "Ik heb dat toen wel bij de burgemeester neergelegd.",
            "Dat speelt volgens mij in veel meer gemeenten dan je denkt.",
        ),
    },
    "dreiging.binnen": {
        "kern": (
            "De hardste woorden hoor ik eerlijk gezegd niet van inwoners, maar van collega's in de raad.",
            "Een fractievoorzitter heeft mij na een debat in de wandelgang geïntimideerd.",
            "Binnen het college werd iemand stelselmatig kleingemaakt en niemand greep in.",
            "In de commissie werd ik {keer op keer|telkens weer} onderbroken en belachelijk gemaakt door een collega-raadslid.",
            "Een raadslid van een andere fractie stuurde me na een stemming een bericht dat ik als dreigend heb ervaren.",
            "Er werd over mij geroddeld in de fractie, en dat kwam via via weer bij mij terug.",
            "Een collega-wethouder maakte in het bijzijn van ambtenaren {denigrerende|kleinerende} opmerkingen over mijn werk.",
            "Na een kritische vraag van mij werd ik in de wandelgangen door de eigen partij onder druk gezet om die in te trekken.",
            "In het presidium werd {met stemverheffing|op hoge toon} duidelijk gemaakt dat ik me 'moest gedragen'.",
            "Het ergste was dat een collega mijn woorden uit een besloten overleg naar buiten bracht, verdraaid.",
        ),
        "vervolg": (
            "Van buiten verwacht je het misschien, maar dit komt veel harder aan.",
            "Daar is eigenlijk geen loket voor.",
            "Je moet daarna wel gewoon weer samen aan tafel.",
            "Ik heb het toen bij de griffier gemeld, maar die kon er weinig mee.",
            "Niemand zei er iets van, en dat deed misschien nog het meeste pijn.",
            "Het ondermijnt het vertrouwen in de hele raad.",
        ),
    },
    "dreiging.integriteit": {
        "kern": (
            "Er werd mij een keer een etentje aangeboden door iemand die belang had bij een aanbesteding.",
            "Je wordt als bestuurder voortdurend verleid om net iets voor iemand te regelen.",
            "Ik merkte dat een oude bekende mijn positie probeerde te gebruiken voor een eigen project.",
            "Een projectontwikkelaar bood aan {een lezing|een werkbezoek} voor mijn partij te betalen, net voor een belangrijk besluit.",
            "Iemand uit mijn sportvereniging verwachtte ineens dat ik iets zou regelen voor zijn bouwaanvraag.",
            "Er werd gesuggereerd dat er na mijn wethouderschap wel een mooie functie voor mij zou zijn.",
            "In een kleine gemeente kent iedereen elkaar, en dan is de grens tussen helpen en voortrekken snel bereikt.",
            "Een collega vroeg me om {een ogenblik|even} weg te kijken bij een subsidieaanvraag van een bevriende club.",
        ),
        "vervolg": (
            "Ik heb dat beleefd afgehouden, maar het bleef knagen.",
            "Op dat soort momenten voel je je best alleen.",
            "Het gaat vaak in kleine stapjes, dat maakt het verraderlijk.",
            "Ik heb het gemeld, en daarna werd ik wel met de nek aangekeken.",
            "Achteraf had ik er eerder iets van moeten zeggen.",
        ),
    },
    "dreiging.sociale_onveiligheid": {
        "kern": (
            "In onze raad durven nieuwe leden niet meer vrijuit te spreken.",
            "Er heerst een sfeer waarin je liever je mond houdt dan dat je de kritiek over je heen krijgt.",
            "Jonge raadsleden, en vrouwen in het bijzonder, worden vaker buitengesloten of belachelijk gemaakt.",
            "In de fractie wordt er niet naar je geluisterd als je een afwijkende mening hebt.",
            "Het klimaat op het gemeentehuis is {zo|dermate} gespannen dat ambtenaren liever niets meer op papier zetten.",
            "Er wordt veel gelachen om opmerkingen die eigenlijk niet kunnen, en wie er iets van zegt, ligt eruit.",
            "Ik heb collega's zien vertrekken omdat ze het gevoel hadden dat ze er niet bij hoorden.",
            "De omgang in de raad is {kil en wantrouwend|afstandelijk en wantrouwig} geworden, ook buiten de vergaderingen.",
            "Wie een keer een fout maakt, krijgt dat nog jaren voor de voeten geworpen.",
        ),
        "vervolg": (
            "Dat zie je niet van buiten, maar het vreet aan mensen.",
            "Ik merk dat ik mezelf ook inhoud.",
            "Er is niemand die daar echt verantwoordelijkheid voor neemt.",
            "Zo raak je goede mensen kwijt.",
            "Het gaat niet om één incident, het is de sfeer.",
        ),
    },
}

COVERAGE = {
    "dekking.binnen_bereik": {
        "kern": (
            "Daarvoor kon ik goed terecht bij het ondersteuningsteam.",
            "Voor dit soort situaties weet het netwerk de weg, dat heb ik zelf ervaren.",
            "Daar heeft het netwerk handvatten voor, zoals de beveiligingsregeling en de trainingen.",
            "Op dat vlak is de hulp goed geregeld, ook met de politie erbij.",
            "Het netwerk had {binnen een dag|dezelfde dag nog} iemand voor me die meedacht.",
            "Dat is precies waar het netwerk voor bedoeld is, en zo voelde het ook.",
            "Via het netwerk kreeg ik snel duidelijkheid over wat ik kon doen.",
            "Er was een draaiboek voor, en dat werkte gewoon.",
            "Daarin voelde ik me door het netwerk goed bijgestaan.",
            "Daar hebben ze bij het netwerk {veel ervaring mee|hun handen vol aan}, en dat merk je.",
            "Het netwerk hielp me om dat goed vast te leggen en de juiste mensen in te schakelen.",
            "Voor zulke gevallen is er bij het netwerk een duidelijke route.",
            "Ik werd via het netwerk {doorverbonden met|in contact gebracht met} iemand die precies wist wat er moest gebeuren.",
            "Het netwerk heeft toen ook de contacten met de politie en het OM gelegd.",
            "In zo'n geval weet ik dat ik het netwerk kan bellen, en dat geeft rust.",
            "De beveiligingsregeling van het netwerk is daarvoor echt bruikbaar gebleken.",
                ),
    },
    "dekking.buiten_bereik": {
        "kern": (
            "Daar heeft het netwerk eigenlijk geen antwoord op.",
            "Voor dit soort dingen kun je bij het netwerk niet echt terecht.",
            "Dat valt buiten wat het netwerk doet, en volgens mij weten ze daar ook niet goed raad mee.",
            "Daarmee sta je als bestuurder nog steeds grotendeels alleen.",
            "Toen ik het netwerk daarover belde, {verwezen ze me door|kreeg ik vooral begrip}, maar geen hulp.",
            "Daar is het netwerk niet op ingericht, denk ik.",
            "Het aanbod van het netwerk gaat over iets anders, dit past er niet in.",
            "Ik zou niet weten wie ik daarvoor bij het netwerk zou moeten bellen.",
            "Bij dit soort dingen zie ik het netwerk {nergens|eigenlijk nergens}.",
            "Voor zoiets bestaat er geen regeling, ook niet bij het netwerk.",
            "Dat moet je als raad of als college toch zelf oplossen, het netwerk doet daar weinig mee.",
            "Het netwerk richt zich op agressie van buiten, dit soort dingen vallen ertussendoor.",
            "Ik heb het aangekaart, maar het netwerk zag het niet als zijn taak.",
            "Hulp daarbij heb ik nergens gevonden, ook niet via het netwerk.",
            "Het netwerk is er {denk ik|volgens mij} niet voor bedoeld, maar dan weet ik niet wie wel.",
            "Wat dat betreft heb ik van het netwerk niets gemerkt.",
            "Dat is een blinde vlek van het netwerk, als je het mij vraagt.",
            "Eerlijk gezegd heb ik het netwerk daar niet eens voor gebeld, omdat ik wist dat het geen zin had.",
            "Daar biedt het netwerk {geen|nauwelijks} ondersteuning bij, terwijl het wel aan je knaagt.",
            "Zulke dingen passen niet in de regelingen, dus dan houdt het op.",
            "Het netwerk luisterde wel, maar kon er verder niets mee.",
            "Daarvoor moest ik echt bij anderen aankloppen dan het netwerk.",
            "Voor dit soort zaken hebben ze bij het netwerk geen {aanbod|instrumenten}, dat is mijn ervaring.",
            "In de folders van het netwerk kom je dit soort situaties niet tegen.",
        ),
    },
}

VERANDERING = {
    "verandering.van_buiten": {
        "kern": (
            "De toon in de samenleving is harder geworden, vooral {sinds de pandemie|de laatste paar jaar}.",
            "Door sociale media gaat alles sneller en wordt het persoonlijker.",
            "Polarisatie rond thema's als opvang en energie heeft het klimaat echt veranderd.",
            "Mensen hebben minder geduld en meer wantrouwen richting de overheid dan toen ik begon.",
            "Vroeger schreef iemand een boze brief, nu staat hij met een telefoon voor je neus te filmen.",
            "Het respect voor het ambt is {flink|echt} afgenomen, dat merk ik aan alles.",
            "Landelijke discussies komen nu rechtstreeks op ons bordje terecht, tot in het dorpshuis aan toe.",
            "Er is een groep inwoners die de overheid überhaupt niet meer vertrouwt, en die groep is gegroeid.",
            "De drempel om iemand persoonlijk aan te vallen ligt veel lager dan tien jaar geleden.",
            "Het is grimmiger geworden, vooral bij onderwerpen als woningbouw en opvang.",
            "Ik merk dat boosheid over landelijk beleid {steeds vaker|tegenwoordig} bij de lokale bestuurder wordt afgereageerd.",
        ),
        "vervolg": (
            "Wij zijn het dichtstbijzijnde gezicht van de overheid.",
            "Dat gaat ook niet vanzelf weer over.",
            "Ik zie het bij collega's in andere gemeenten net zo.",
            "Soms denk ik dat we er te veel aan gewend raken.",
            "En het gaat allemaal zo snel.",
            "Het is niet meer een enkeling, het is breder.",
        ),
    },
    "verandering.van_binnen": {
        "kern": (
            "Ook in de raad zelf zijn de omgangsvormen verruwd.",
            "Partijen gebruiken elkaars fouten steeds vaker om te scoren, en dat straalt af naar buiten.",
            "Sommige nieuwe fracties zetten bewust in op confrontatie met het college.",
            "De debatten in de raad worden {feller|scherper} gevoerd, en niet altijd over de inhoud.",
            "Er wordt in de raad meer voor de camera gesproken dan met elkaar.",
            "Ik zie dat raadsleden elkaar online aanvallen, en dan verbaas je je dat inwoners dat ook doen.",
            "Vroeger dronken we na afloop samen nog wat, dat gebeurt nu {nauwelijks|bijna nooit} meer.",
            "Als wij elkaar in de raad al uitmaken voor van alles, waarom zou een inwoner zich dan inhouden?",
            "Er komen mensen in de raad die de instituties zelf wantrouwen, en dat verandert het gesprek.",
            "Het onderlinge vertrouwen tussen college en raad is {behoorlijk|flink} geslonken.",
        ),
        "vervolg": (
            "Daar hebben we als politiek ook zelf een rol in.",
            "Dat geeft een slecht voorbeeld.",
            "We zouden daar veel eerder iets van moeten zeggen.",
            "Dat zie je terug in hoe inwoners met ons omgaan.",
            "Ik betrap mezelf er soms ook op.",
        ),
    },
}

WERKLIJNEN = {
    "werklijn.bewustwording": {
        "kern": (
            "Het netwerk heeft ervoor gezorgd dat we in het college überhaupt over dit onderwerp praten.",
            "De campagnes om het gesprek over agressie op gang te brengen heb ik wel gezien.",
            "Door het netwerk is het normaler geworden om te zeggen dat je bent bedreigd.",
            "Er is een {landelijke campagne|reeks filmpjes} geweest waarin bestuurders vertelden wat ze meemaken.",
            "Het netwerk heeft het onderwerp op de agenda gezet, ook bij de ambtenaren.",
            "Dankzij het netwerk weten collega's beter dat dit geen persoonlijk falen is.",
            "Wij hebben in de raad een avond gehad over wat agressie met mensen doet, {aangezwengeld door|naar aanleiding van een oproep van} het netwerk.",
            "Het netwerk heeft een paar keer de media gehaald, en dat zette het onderwerp wel neer.",
            "Ik merk dat er sinds een paar jaar openlijker over wordt gesproken, en het netwerk heeft daaraan bijgedragen.",
        ),
    },
    "werklijn.voorlichting": {
        "kern": (
            "De website met informatie over wat je kunt doen heb ik een paar keer geraadpleegd.",
            "Er was een bijeenkomst van het netwerk voor de hele raad over weerbaarheid.",
            "Ik heb de handreiking over {aangifte doen|het veilig gebruiken van sociale media} doorgelezen.",
            "Er kwam een keer iemand van het netwerk uitleggen wat je kunt doen als het misgaat.",
            "In de nieuwsbrief staan tips, die stuur ik soms door naar de fractie.",
            "Bij de installatie van de nieuwe raad hebben we een voorlichting gekregen over veiligheid.",
            "Er is een webinar geweest over online haat, dat heb ik {half|grotendeels} gevolgd.",
            "We kregen een boekje met wat je moet doen als je wordt bedreigd, dat ligt nog in mijn la.",
            "Ik heb een keer een factsheet gekregen over hoe je je adresgegevens kunt afschermen.",
        ),
    },
    "werklijn.ondersteuning": {
        "kern": (
            "Toen het speelde, heb ik contact gehad met het ondersteuningsteam.",
            "Via het netwerk kreeg ik snel iemand aan de lijn die wist hoe het zat met beveiliging.",
            "Het netwerk heeft geholpen om met de politie afspraken te maken over extra surveillance.",
            "Er was iemand van het netwerk die met mij het gesprek met de officier van justitie voorbereidde.",
            "Ik heb een keer 's avonds laat gebeld, en er nam {gewoon iemand|meteen iemand} op.",
            "Het netwerk heeft meegedacht over hoe ik mijn gezin kon beschermen.",
            "Bij de aangifte heeft het netwerk me geholpen met de juiste formulering.",
            "Er werd via het netwerk een adviseur ingeschakeld die mijn situatie in kaart bracht.",
            "Toen het online uit de hand liep, hielp het netwerk om berichten te laten verwijderen.",
        ),
    },
    "werklijn.nazorg": {
        "kern": (
            "Na het incident is er een paar keer gebeld om te vragen hoe het met me ging.",
            "Voor de periode na afloop is er psychosociale hulp aangeboden.",
            "Na een paar weken kwam er een {belletje|mailtje} om te horen hoe het ging.",
            "Ik kreeg het aanbod om met een vertrouwenspersoon te praten, buiten de gemeente om.",
            "Er is na afloop een gesprek geweest met de burgemeester en iemand van het netwerk over wat er beter kon.",
            "Het netwerk heeft me doorverwezen naar een psycholoog die ervaring had met bestuurders.",
            "Na de zaak belde iemand om te vragen of ik nog iets nodig had voor de rechtszitting.",
            "Ook maanden later werd er nog eens gevraagd hoe het thuis ging.",
            "Het netwerk bood aan om samen terug te kijken, toen het ergste voorbij was.",
        ),
    },
    "werklijn.voorzorg": {
        "kern": (
            "We hebben een woningscan laten doen en een weerbaarheidstraining gevolgd.",
            "Het netwerk drukt ons op het hart om vooraf afspraken te maken in de organisatie.",
            "Ik heb een training gevolgd over hoe je een gesprek de-escaleert.",
            "We hebben in het college een {draaiboek|protocol} opgesteld met behulp van het netwerk.",
            "Er is een veiligheidsscan van het gemeentehuis gedaan, met adviezen voor de raadzaal.",
            "Bij de start van de nieuwe periode kregen we een training over online weerbaarheid.",
            "Het netwerk heeft ons geholpen om een vast aanspreekpunt bij de politie te regelen.",
            "Ik heb samen met mijn gezin een gesprek gehad over wat we doen als er iets gebeurt.",
            "Onze griffie heeft met het netwerk een oefening gedaan voor als een vergadering uit de hand loopt.",
        ),
    },
}

APPRAISAL = {
    "waardering.positief": {
        "kern": (
            "Dat heeft mij echt geholpen.",
            "Daar ben ik erg positief over.",
            "Dat werkt goed, vind ik.",
            "Dat was precies wat ik op dat moment nodig had.",
            "Ik was er {eerlijk gezegd|oprecht} blij mee.",
            "Dat hebben ze goed gedaan, moet ik zeggen.",
            "Het was praktisch en zonder gedoe.",
            "Dat zou ik iedere collega aanraden.",
            "Daar heb ik nog steeds {veel|echt} profijt van.",
            "Het voelde alsof er iemand naast me stond.",
            "Dat was professioneel en menselijk tegelijk.",
            "Daar is echt over nagedacht, dat merk je.",
            "Het scheelde me veel zoekwerk.",
            "Ik heb er {veel meer aan gehad|meer aan gehad} dan ik vooraf dacht.",
            "Dat gaf me het gevoel dat ik er niet alleen voor stond.",
            "Zo hoort het te gaan, wat mij betreft.",
            "Het was helder en ze namen me serieus.",
            "Daar pluk ik nog steeds de vruchten van.",
        ),
    },
    "waardering.negatief": {
        "kern": (
            "Maar dat bleef te vrijblijvend.",
            "Alleen kwam het te laat en was het te algemeen.",
            "Ik vond dat eerlijk gezegd teleurstellend.",
            "Maar ik had er in de praktijk weinig aan.",
            "Het was {goed bedoeld|vast goed bedoeld}, maar het sloot niet aan bij mijn situatie.",
            "Alleen voelde het meer als een folder dan als hulp.",
            "Daarna hoorde ik er niets meer van.",
            "Het was mij allemaal te afstandelijk.",
            "Maar het was {vooral|toch vooral} gericht op burgemeesters, niet op raadsleden.",
            "Ik miste de vertaling naar wat je er morgen mee doet.",
            "Het duurde te lang voordat er iets gebeurde.",
            "Ik heb het gevoel dat het vooral voor de bühne was.",
            "Daar schoot ik op dat moment weinig mee op.",
            "Het bleef bij {mooie woorden|goede bedoelingen}, eerlijk gezegd.",
            "Voor mijn situatie was het te standaard.",
            "Achteraf heeft het me weinig opgeleverd.",
            "Ik had meer verwacht, moet ik zeggen.",
        ),
    },
}

BESCHERMING = {
    "bescherming.individueel": {
        "kern": (
            "Ik heb geleerd mijn grenzen beter aan te geven en niet op alles te reageren.",
            "Zelf let ik nu beter op wat ik deel over mijn privéleven.",
            "Ik reageer niet meer 's avonds op berichten, dat heb ik mezelf aangeleerd.",
            "Ik zet mijn mening nog wel neer, maar ik kies {mijn woorden|mijn momenten} zorgvuldiger.",
            "Wat mij helpt, is dat ik het werk en mijn thuis strikter gescheiden houd.",
            "Ik ga niet meer in discussie op straat, ik verwijs mensen naar het spreekuur.",
            "Ik heb mijn adres laten afschermen en fiets nu een andere route naar huis.",
            "Sporten en af en toe echt offline zijn, dat houdt me op de been.",
            "Ik houd een logboek bij van alles wat er binnenkomt, dat geeft me grip.",
        ),
    },
    "bescherming.organisatorisch": {
        "kern": (
            "Wat helpt is dat de gemeente nu een vast aanspreekpunt en een protocol heeft.",
            "Er zijn duidelijke afspraken over wie wat doet bij een incident.",
            "De griffie filtert nu de mail, zodat de ergste berichten niet meer direct bij mij terechtkomen.",
            "We hebben een {beveiliger|bode} bij de raadsvergaderingen, en dat maakt echt verschil.",
            "Onze gemeentesecretaris pakt het meteen op als er iets gebeurt, dat is goud waard.",
            "Er is een vaste lijn met de wijkagent, die weet wie ik ben en wat er speelt.",
            "Incidenten worden nu centraal geregistreerd, zodat we patronen zien.",
            "Bij ons mag een medewerker meelezen met sociale media en signaleren als het te ver gaat.",
        ),
    },
    "bescherming.collectief": {
        "kern": (
            "De steun van collega's uit andere gemeenten is voor mij het belangrijkst.",
            "Samen als raad uitspreken dat dit niet kan, maakt echt verschil.",
            "In ons college spreken we elkaar na een lastige avond {altijd|meteen} even.",
            "Het helpt enorm als de hele raad achter je gaat staan, ook de oppositie.",
            "Een appgroep met een paar wethouders uit de regio is voor mij een soort vangnet.",
            "Ik merk dat het scheelt als je niet de enige bent die het meemaakt en daarover kunt praten.",
            "Toen de fractievoorzitters samen een verklaring uitspraken, voelde ik me gesteund.",
            "Met een paar burgemeesters uit de regio bellen we elkaar als er iets speelt.",
            "De collega's in de fractie vangen me op, dat is het belangrijkste.",
        ),
    },
    "bescherming.fysiek": {
        "kern": (
            "Er zijn camera's en beter hang- en sluitwerk bij mijn huis gekomen.",
            "Bij spannende bijeenkomsten is er nu beveiliging aanwezig.",
            "Ik heb een alarmknop gekregen die direct met de meldkamer is verbonden.",
            "Onze raadzaal is {anders ingericht|opnieuw ingericht}, met meer afstand tot de tribune.",
            "De politie rijdt op spannende avonden een extra rondje langs mijn huis.",
            "Na een advies van de politie hebben we thuis extra verlichting en een camera bij de deur laten plaatsen.",
        ),
    },
    "bescherming.psychosociaal": {
        "kern": (
            "Een paar gesprekken met een psycholoog hebben me erdoor gesleept.",
            "Het was goed dat er iemand was bij wie ik mijn verhaal kwijt kon.",
            "Een vertrouwenspersoon buiten de gemeente hielp me om het te ordenen.",
            "Ik heb gesprekken gehad met een coach, en dat heeft me {echt|enorm} geholpen.",
            "Dat iemand gewoon vroeg hoe het met me ging, deed meer dan ik had verwacht.",
            "De intervisie met andere bestuurders geeft me lucht.",
            "Mijn huisarts verwees me door naar iemand die ervaring had met dit soort spanning.",
        ),
    },
    "bescherming.juridisch": {
        "kern": (
            "De hulp bij het doen van aangifte was onmisbaar.",
            "Juridisch advies over wat ik wel en niet kon doen gaf me rust.",
            "Dat de gemeente de aangifte namens mij deed, scheelde enorm.",
            "Een advocaat heeft met me meegekeken of ik iets kon doen tegen de berichten.",
            "Het hielp dat de zaak {echt|daadwerkelijk} voor de rechter is gekomen.",
            "Er is een contactverbod opgelegd, en dat gaf me weer ruimte.",
        ),
    },
    "bescherming.normatief": {
        "kern": (
            "Uiteindelijk beschermt het ons het meest als iedereen weet waar de grens ligt.",
            "We moeten met elkaar vaststellen wat we als bestuurders accepteren en wat niet.",
            "Een duidelijke gedragscode in de raad, waar we elkaar ook echt op aanspreken, helpt meer dan je denkt.",
            "Het begint ermee dat we {intimidatie|dit soort gedrag} niet langer normaal vinden.",
            "Als de hele gemeente uitdraagt dat je met je handen van bestuurders afblijft, dan doet dat iets.",
            "Wat helpt is dat er nu hardop wordt gezegd dat dit niet bij het ambt hoort.",
            "We hebben als raad afgesproken dat we elkaar niet persoonlijk aanvallen, en daar houden we ons ook aan.",
        ),
    },
}

POLARITEIT = {
    "polariteit.inzoomen": {
        "kern": (
            "Het netwerk moet vooral doen waar het goed in is: agressie en bedreiging aanpakken.",
            "Ik zou het niet te breed maken; focus op intimidatie en geweld.",
            "Blijf bij de kern, de mensen die bedreigd worden moeten geholpen worden.",
            "Als je alles wilt doen, doe je niets goed, dus houd het bij agressie tegen bestuurders.",
            "Ik zou {de energie|het geld} steken in de acute hulp, daar is het netwerk sterk in.",
            "Maak het niet ingewikkelder dan het is: bescherming tegen bedreiging, daar gaat het om.",
            "Een smalle opdracht maakt het netwerk herkenbaar, dat zou ik zo houden.",
            "Zorg eerst dat de basis overal op orde is voordat je er van alles bij pakt.",
        ),
    },
    "polariteit.uitzoomen": {
        "kern": (
            "Het netwerk zou breder moeten kijken, ook naar integriteit en ongewenst gedrag.",
            "Sociale onveiligheid hoort er net zo goed bij als agressie van buiten.",
            "Je kunt bedreiging niet los zien van de hele sfeer rond het openbaar bestuur.",
            "Ik zou het netwerk {breder willen zien|breder trekken}, richting een gezonde bestuurscultuur.",
            "Het gaat om weerbaar bestuur in brede zin, niet alleen om de boze burger.",
            "Ook druk van belangengroepen en ondermijning zouden erbij moeten horen.",
            "Als je alleen naar incidenten kijkt, mis je waar het eigenlijk begint.",
            "Ik zou willen dat het netwerk ook iets doet aan de werkdruk en de eenzaamheid van het ambt.",
        ),
    },
    "polariteit.buiten": {
        "kern": (
            "De grootste dreiging komt nog steeds van buiten, daar moet de bescherming op gericht zijn.",
            "Bescherming tegen boze inwoners blijft wat mij betreft de kern.",
            "Wat er in de raad gebeurt, moeten we zelf oplossen; het netwerk is er voor dreiging van buitenaf.",
            "Ik zou het netwerk {niet belasten|niet opzadelen} met onderlinge ruzies, dat is een ander vak.",
            "Het gevaar zit op straat en online, niet in de raadzaal.",
            "Laat het netwerk zich richten op inwoners en groepen die bestuurders onder druk zetten.",
            "De politie en het netwerk samen moeten vooral de dreiging van buiten aanpakken.",
        ),
    },
    "polariteit.binnen": {
        "kern": (
            "Het netwerk moet ook durven kijken naar wat er binnen de raad en het college gebeurt.",
            "Intimidatie door collega's is net zo schadelijk en daar is nu niemand voor.",
            "Er zou een plek moeten zijn waar je terechtkunt als het in je eigen fractie misgaat.",
            "Ik mis aandacht voor de {onderlinge omgang|omgangsvormen} in de raad, daar begint veel.",
            "Het netwerk kan een onafhankelijke rol spelen als het binnen de gemeente schuurt.",
            "Kijk ook naar hoe bestuurders met elkaar omgaan, dat is minstens zo belangrijk.",
            "Als het van binnen niet veilig is, helpt geen enkele beveiliging van buiten.",
        ),
    },
    "polariteit.instrumenten": {
        "kern": (
            "Geef ons vooral praktische dingen: een draaiboek, een telefoonnummer, een training.",
            "Concrete instrumenten helpen meer dan mooie verklaringen.",
            "Ik heb meer aan een goede checklist dan aan een congres.",
            "Zorg dat er {één nummer|één loket} is dat je altijd kunt bellen, dat is het belangrijkste.",
            "Maak de hulp zo praktisch mogelijk, met vaste contactpersonen per regio.",
            "Een training voor nieuwe raadsleden zou standaard moeten zijn, overal.",
            "Investeer in de dingen die je morgen al kunt gebruiken.",
            "Wat ik zou willen, is een vast budget voor beveiliging dat je zonder gedoe kunt inzetten.",
            "Geef griffies een {handzame|eenvoudige} toolkit, daar is echt behoefte aan.",
            "Minder rapporten, meer mensen die je komen helpen als het nodig is.",
        ),
    },
    "polariteit.normen": {
        "kern": (
            "Er is een fundamenteler gesprek nodig over wat we van bestuurders mogen verwachten.",
            "We moeten als beroepsgroep normen stellen over hoe we met elkaar en met inwoners omgaan.",
            "Het netwerk zou het gesprek moeten voeren over wat we in de democratie normaal vinden.",
            "Het gaat uiteindelijk om {de cultuur|de houding}, niet om nog een protocol.",
            "Er moet een duidelijke norm komen, die ook landelijk wordt uitgedragen.",
            "Ik zou willen dat het netwerk de discussie aanjaagt over de grenzen van kritiek.",
            "We hebben een gedeeld verhaal nodig over waarom het ambt bescherming verdient.",
            "Instrumenten zijn mooi, maar zonder gedeelde waarden helpen ze weinig.",
            "Het netwerk kan een moreel kompas bieden, en dat mis ik nu.",
        ),
    },
}

# Sentences a respondent may add after any statement of the family; a code's own ``vervolg`` comes first.
_SHARED_FOLLOW_UPS = {
    "bescherming": (
        "Dat klinkt misschien klein, maar het maakt voor mij het verschil.",
        "Zonder dat had ik het denk ik niet volgehouden.",
        "Dat heb ik overigens wel zelf moeten regelen.",
        "Het heeft even geduurd voordat ik dat doorhad.",
        "Ik hoop dat nieuwe collega's dat eerder ontdekken dan ik.",
        "Het neemt de dreiging niet weg, maar je staat steviger.",
        "Daar ben ik pas na een paar jaar achter gekomen.",
        "Mijn gezin merkt dat ook.",
        "Dat zou je eigenlijk iedereen willen meegeven.",
        "Het kost wel energie om dat vol te houden.",
        "En dat was niet altijd zo, kan ik u zeggen.",
        "Dat heb ik van een collega geleerd.",
    ),
    "polariteit": (
        "Dat zou ik ze echt willen meegeven.",
        "Anders blijft het bij goede bedoelingen.",
        "Daar heb je als bestuurder in de praktijk het meeste aan.",
        "Dat is mijn oproep, zeg maar.",
        "Ik weet dat niet iedereen dat met me eens is.",
        "Dan wordt het netwerk ook voor mensen zoals ik interessant.",
        "Dat lijkt me de belangrijkste les van de afgelopen jaren.",
        "Ik heb dat in de raad ook al eens gezegd.",
        "Anders verliest het netwerk zijn geloofwaardigheid.",
        "Daar zou ik echt op inzetten.",
    ),
}
for _family, _pools in (("bescherming", BESCHERMING), ("polariteit", POLARITEIT)):
    for _pool in _pools.values():
        _pool["vervolg"] = _pool.get("vervolg", ()) + _SHARED_FOLLOW_UPS[_family]
