"""The demo catalogue of Mszczonów: plain data, written from the project's fact sheet.

Every text here is our own wording of facts from shared/data/mszczonow-facts.md; each item
names the sources it rests on (keys of SOURCES, from §8 of the fact sheet). Where sources
disagree the text says so and the EDTF date carries the uncertainty (`~`, `?`, `X`,
intervals). The archive holds no real photographs or recordings: such records describe a
photograph or an event, and the image shown with them is a placeholder card.
"""

from __future__ import annotations

MOK = "Mszczonowski Ośrodek Kultury (opis i karta zastępcza)"
UNKNOWN = "Nieustalony"

# key -> (title, address); only the sources the items below cite.
SOURCES: dict[str, tuple[str, str]] = {
    "S1": (
        "Izba Pamięci Ziemi Mszczonowskiej — „Mszczonów – historia i współczesność”",
        "https://www.izba.mszczonow.pl/1878,sala-ogolnomiejska?tresc=14740",
    ),
    "S2": (
        "Virtual Shtetl — Mszczonów, local history",
        "https://sztetl.org.pl/en/towns/m/585-mszczonow/96-local-history/69700-local-history",
    ),
    "S3": (
        "Towarzystwo Przyjaciół Mszczonowa — Historia miasta (w zarysie)",
        "http://tpmszczonow.republika.pl/historia.html",
    ),
    "S4": ("Wikipedia (EN) — Mszczonów", "https://en.wikipedia.org/wiki/Mszczon%C3%B3w"),
    "S5": (
        "PTTK Mazowsze — Mszczonów",
        "https://mazowsze.szlaki.pttk.pl/859-pttk-mazowsze-mszczonow",
    ),
    "S6": (
        "Izba Pamięci — „Urodziny Mszczonowa” (641., 2018)",
        "https://www.izba.mszczonow.pl/1753,aktualnosci-grh?tresc=18258",
    ),
    "S7": (
        "Izba Pamięci — „Opowieści o Ziemi Mszczonowskiej” (harcerze, zapałczarnia, Sokół, OSP)",
        "https://www.izba.mszczonow.pl/2253,opowiesci-o-ziemi-mszczonowskiej",
    ),
    "S8": (
        "Virtual Shtetl — history of the Jewish community",
        "https://sztetl.org.pl/en/towns/m/585-mszczonow/99-history/137712-history-of-community",
    ),
    "S9": (
        "IAJGS Cemetery Project — Mszczonów",
        "https://iajgscemetery.org/eastern-europe/poland/mszczonow/print ; "
        "http://www.iajgsjewishcemeteryproject.org/poland/mszczonow.html",
    ),
    "S10": (
        "„Kirkuty” — Mszczonów (J. Józefecki, „Rocznik Mazowiecki”; układ z 1778 r.; "
        "mapa WIG 1937)",
        "https://bloodandfrogs.com/wp-content/uploads/encyclopedia/poland/kirkuty/mszczonow.html",
    ),
    "S11": (
        "Po Mazowszu — „Żydowskim szlakiem przez Mszczonów”",
        "https://pomazowszu.pl/zydowskim-szlakiem-przez-mszczonow/",
    ),
    "S12": (
        "FODZ — new fence at the Mszczonów cemetery (2006)",
        "https://fodz.pl/?d=2&id=198&l=en",
    ),
    "S13": (
        "Szkoła Dialogu — Zespół Szkół w Mszczonowie",
        "http://dialog.org.pl/szkola-dialogu/pl/szkola/mszczonow/",
    ),
    "S14": (
        "Diecezja Łowicka — parafia św. Jana Chrzciciela w Mszczonowie",
        "https://diecezja.lowicz.pl/parafia/sw-jana-chrzciciela-w-mszczonowie/",
    ),
    "S15": (
        "Izba Pamięci — „Wydarzyło się to przed stu pięćdziesięciu laty…” (kamień węgielny 1862)",
        "https://www.izba.mszczonow.pl/1938,koscioly-i-cmentarze?tresc=15729",
    ),
    "S16": (
        "Program ochrony środowiska gminy Mszczonów (parki, pomniki przyrody), kopia absta.pl",
        "http://absta.pl/gminy-mszczonw.html?page=5",
    ),
    "S17": (
        "Nasze Miasto Warszawa — Deepspot w budowie (2019-08)",
        "https://warszawa.naszemiasto.pl/deepspot-mszczonow-tak-powstaje-najwiekszy-basen-nurkowy-na/ar/c1-7287351",
    ),
    "S18": (
        "Do Rzeczy — „Raj dla nurków” (2020)",
        "https://dorzeczy.pl/ekonomia/159154/raj-dla-nurkow.html",
    ),
    "S19": (
        "Noizz — „Nurkowałem w Deepspot” (2021-07)",
        "https://noizz.pl/podroze/nurkowalem-w-deepspot-czyli-najglebszym-basenie-swiata/rvdc1bd",
    ),
    "S20": (
        "Freedive Munich blog — „Tiefster Pool in Europa”",
        "https://www.freedivemunich.de/blog/138-tiefster-pool-in-europa",
    ),
    "S21": (
        "WP Turystyka — „Deepspot. Najgłębszy basen nurkowy w Europie”",
        "https://turystyka.wp.pl/deepspot-najglebszy-basen-nurkowy-w-europie-jest-w-polsce-6779376631823072a",
    ),
    "S22": (
        "Wprost — „W Mszczonowie powstanie najgłębszy basen” (2018-06)",
        "https://www.wprost.pl/kraj/10132326/mszczonow-powstanie-najglebszy-basen-na-swiecie.html",
    ),
    "S23": (
        "Pływalnie i Baseny — „Termy Mszczonów – zdrowie i rekreacja dla Mazowsza”",
        "https://plywalnieibaseny.pl/termy-mszczonow-zdrowie-i-rekreacja-dla-mazowsza/",
    ),
    "S25": ("Termy Mszczonów — „Woda termalna”", "http://termy-mszczonow.eu/woda_termalna.html"),
    "S26": (
        "Aktuálně.cz — „Polsko otevře nejhlubší bazén na světě” (2020-12)",
        "https://magazin.aktualne.cz/bydleni/architektura/polsko-otevre-nejhlubsi-bazen-na-svete-jeho-dno-s-jeskynemi/r~0be8fb1a361e11eba6f6ac1f6b220ee8/",
    ),
    "S27": ("MOK — „O nas”", "https://mok.mszczonow.pl/148,o-nas"),
    "S28": (
        "mszczonow.pl — „Mszczonów Culture Centre” (strona angielska)",
        "https://www.mszczonow.pl/530,mszczonow-culture-centre.html",
    ),
    "S30": (
        "mszczonow.pl — „Kalendarz głównych wydarzeń w gminie Mszczonów 2026”",
        "https://www.mszczonow.pl/2289,luty-2026?tresc=32964",
    ),
    "S31": (
        "mszczonow.pl — „Weekend w mszczonowskim amfiteatrze” (lipiec 2022)",
        "https://www.mszczonow.pl/redir,2188?tresc=29670",
    ),
    "S32": ("Wikipedia (PL) — Herb Mszczonowa", "http://pl.wikipedia.org/wiki/Herb_Mszczonowa"),
    "S33": (
        "Izba Pamięci — „Herb Mszczonowa – historia”",
        "https://www.izba.mszczonow.pl/2300,herb-mszczonowa-historia",
    ),
    "S34": (
        "Izba Pamięci — „Nowy herb Mszczonowa”",
        "https://www.izba.mszczonow.pl/2252,herb-mszczonowa-aktualny",
    ),
    "S37": (
        "mszczonow24h.pl — „Hołd oddany bohaterom Bitwy Mszczonowskiej '39”",
        "http://mszczonow24h.pl/aktualnosci/hold-oddany-bohaterom-bitwy-mszczonowskiej-39/",
    ),
    "S38": (
        "dobroni.pl — „Mszczonów 1939 – rekonstrukcja nocnych walk 31 p.s.K.”",
        "https://dobroni.pl/n/mszczonow-1939/5195",
    ),
    "S39": (
        "Izba Pamięci — „Eksponat tygodnia”: Wincenty Wnuk",
        "https://www.izba.mszczonow.pl/1869,aktualnosci-ipzm?tresc=20269",
    ),
    "S40": (
        "pancerni.com.pl — „1939 – Mszczonowski wrzesień” (12.09.2011)",
        "http://pancerni.com.pl/43-1939-mszczonowski-wrzesien-12-09-2011.html",
    ),
    "S41": (
        "mszczonow.pl — „Historyczne skarby gminy” (Osuchów, Piekary, św. Anna, Wręcza, "
        "Badowo-Dańki)",
        "https://www.mszczonow.pl/2066,historyczne-skarby-gminy?tresc=28041",
    ),
    "S42": (
        "„Pałac w Osuchowie” (na podstawie Wikipedii; nr rejestru, współrzędne)",
        "http://www.dioblina.eu/Palac_w_Osuchowie ; "
        "https://sagapedia.com/pl/Zesp%C3%B3%C5%82_pa%C5%82acowo-parkowy_w_Osuchowie",
    ),
    "S43": (
        "Diecezja Łowicka — parafia św. Stanisława w Osuchowie",
        "https://diecezja.lowicz.pl/parafia/sw-stanislawa-biskupa-w-osuchowie/0/",
    ),
    "S44": (
        "Wikipedia (PL, kopia) — Osuchów (powiat żyrardowski)",
        "https://plwiki.pl/Leksykon/Osuch%c3%b3w_(powiat_%c5%bcyrardowski)",
    ),
    "S45": (
        "wizytor.com — Holy Trinity parish in Lutkówka",
        "https://www.wizytor.com/en/poland/holy%20trinity%20parish%20in%20lutk%C3%B3wka",
    ),
    "S46": (
        "blog „Sad rzeczy” — „Kościół w Lutkówce” (2012)",
        "http://sadrzeczy.blogspot.com/2012/08/koscio-w-lutkowce.html",
    ),
    "S47": (
        "Gość Niedzielny — „Święty od bułeczek” (św. Roch, Lutkówka)",
        "https://gosc.pl/doc/1682276.Swiety-od-buleczek/2",
    ),
    "S48": (
        "GCI Mszczonów — „Treasures of West Mazowsze in Mszczonów”",
        "https://www.gci.mszczonow.pl/513,historical-monuments",
    ),
    "S49": (
        "Polski Słownik Judaistyczny (ŻIH) — Nomberg",
        "http://www.jhi.pl/psj/Nomberg_Hirsz_(Hersz)_Dawid",
    ),
    "S50": (
        "Wikipedia (PL, kopia) — Hirsz Dawid Nomberg",
        "https://plwiki.pl/Leksykon/Hirsz_Dawid_Nomberg",
    ),
    "S51": (
        "Wirtualny Sztetl — biogram Nomberga",
        "https://sztetl.org.pl/pl/biogramy/5321-nomberg-hirsz-hersz-dawid",
    ),
    "S52": (
        "Encyclopaedia Judaica (encyclopedia.com) — Appelbaum, Moshe",
        "https://www.encyclopedia.com/religion/encyclopedias-almanacs-transcripts-and-maps/appelbaum-appelboym-apfelboym-applebaum-moshe",
    ),
    "S53": (
        "Koneser Kraków — Maurycy Applebaum (Apfelbaum)",
        "https://koneser.krakow.pl/pl/artysci/941-maurycy-applebaum-apfelbaum",
    ),
    "S54": ("Wikipedia (DE) — Moshe Appelbaum", "http://de.wikipedia.org./wiki/Moshe_Appelbaum"),
    "S56": (
        "Izba Pamięci — „Historia kamienicy” (Dom Maklakiewiczów)",
        "https://www.izba.mszczonow.pl/2273,historia-kamienicy",
    ),
    "S57": (
        "Szkoła Podstawowa im. J. A. Maklakiewicza — „Patron szkoły”",
        "https://www.sp.mszczonow.pl/156,patron-szkoly",
    ),
    "S59": (
        "Wikipedia (PL, kopia) — Jan Adam Maklakiewicz",
        "https://backend.710302.xyz/https/pl.m.wikipedia.org/wiki/Jan_Adam_Maklakiewicz",
    ),
    "S65": ("mszczonow.pl — „Pałac we Wręczy”", "https://mszczonow.pl/redir,2066?tresc=28032"),
    "S66": (
        "FODZ — cmentarz żydowski, Mszczonów, ul. Poniatowskiego (K. Bielawski)",
        "https://fodz.pl/index.php?d=10&id=568&l=pl",
    ),
    "S67": (
        "Żyroskop — „Cmentarz żydowski w Mszczonowie i historia dawnych mieszkańców” (2021)",
        "http://zyroskop.info.pl/2021/04/cmentarz-zydowski-w-mszczonowie-i-historia-dawnych-mieszkancow/",
    ),
    "S68": ("timenote.info — Mszczonów, cmentarz żydowski", "https://timenote.info/pl/Mszczonow"),
    "S69": (
        "Wikipedia (DE, kopia) — Jüdischer Friedhof (Mszczonów) (współrzędne)",
        "https://de.zxc.wiki/wiki/J%C3%BCdischer_Friedhof_%28Mszczon%C3%B3w%29",
    ),
    "S70": (
        "Yad Vashem — Encyclopedia of the Ghettos, Mszczonów (hebr.)",
        "https://www.yadvashem.org/yv/he/research/ghettos_encyclopedia/ghetto_details.asp?cid=633",
    ),
    "S72": (
        "Chabad.org — wspomnienie o rabinie Yosefie Kalishu (Amszynów)",
        "https://www.chabad.org/library/article_cdo/aid/4785251/jewish/Rabbi-Yosef-Kalish-63-Brooklyn-NY.htm",
    ),
    "S73": (
        "The Foundation Stone — „Amshinov: Toledot”",
        "https://thefoundationstone.org/amshinov-toledot-powerful-prayers/",
    ),
    "S75": (
        "eGłos Żyrardów — „Pamiętali o powstańcach styczniowych”",
        "https://zyrardow.eglos.pl/aktualnosci/item/43168-pamietali-o-powstancach-styczniowych",
    ),
    "S76": (
        "Izba Pamięci — „Powrót Bohatera 1863” (2023)",
        "https://www.izba.mszczonow.pl/2336,aktualnosci-rok-2023?tresc=22458",
    ),
    "S77": (
        "eGłos Żyrardów — „Gloria Victis na 160 rocznicę”",
        "https://zyrardow.eglos.pl/aktualnosci/item/41249-gloria-victis-na-160-rocznice-wybuchu-powstania-styczniowego",
    ),
    "S78": (
        "mszczonow.pl — „Powrót bohatera 1863 – pomnik odsłonięty”",
        "https://www.mszczonow.pl/redir,index?tresc=30242",
    ),
    "S79": (
        "Merkuriusz Mszczonowski nr 10 (156), październik 2009 (kopia doczz)",
        "https://doczz.pl/doc/90640/str-02_do_23-v33_calosc",
    ),
    "S80": (
        "Merkuriusz Mszczonowski nr 6–7 (235–236), czerwiec–lipiec 2015 (kopia doczz)",
        "http://doczz.pl/doc/453559/mm_czerwiec_lipiec_2015",
    ),
    "S82": (
        "mszczonow.pl — Święto Niepodległości 2023",
        "https://www.mszczonow.pl/2221,listopad-2023?tresc=31067",
    ),
    "S88": (
        "Izba Pamięci — „Opowieści wojenne”",
        "https://www.izba.mszczonow.pl/2260,opowiesci-wojenne",
    ),
    "S90": (
        "mszczonow.pl — „Siedem czerwonych róż ponownie wybrzmiało” (2024)",
        "https://mszczonow.pl/redir,index?tresc=31720",
    ),
    "S91": (
        "eGłos Żyrardów — „Festiwal Świętojański już po raz ósmy” (2023)",
        "https://zyrardow.eglos.pl/aktualnosci/item/42230-festiwal-swietojanski-juz-po-raz-osmy",
    ),
    "S96": (
        "OSP Mszczonów — „Historia Orkiestry Dętej OSP Mszczonów”",
        "http://www.mszczonow.osp.org.pl/2010/02/17/historia-orkiestry-detej-osp-mszczonow/",
    ),
    "S97": (
        "Izba Pamięci — „130 lat historii Orkiestry Dętej OSP Mszczonów”",
        "https://www.izba.mszczonow.pl/1869,aktualnosci-ipzm?tresc=20237",
    ),
    "S98": (
        "OSP Mszczonów — „Podwójne święto naszych Strażaków” (2010)",
        "http://www.mszczonow.osp.org.pl/category/o-nas/",
    ),
    "S99": (
        "„Legendy, tajemnice, rzeczy dziwne i ciekawe” (broszura lokalna, kopia doczz)",
        "https://doczz.pl/doc/33820/legendy--tajemnice--rzeczy-dziwne-i-ciekawe",
    ),
    "S100": ("mszczonow.pl — „Dworek Gnojna”", "https://www.mszczonow.pl/603,dworek-gnojna"),
    "S101": (
        "Weekend z Termami — „Szlakiem Pisi Gągoliny”",
        "https://www.weekendztermami.eu/68,szlakiem-pisi-gagoliny.html",
    ),
    "S105": (
        "GCI — wystawa „Fotopodróż z Maklakiewiczami”; Towarzystwo Cyklistów Jaktorów, zlot 2022",
        "https://www.gci.mszczonow.pl/2335,aktualnosci-rok-2023?tresc=22718 ; "
        "http://tcj.jaktorow.mazowsze.pl/towarzystwo-cyklistow/wyprawy-tcj-mainmenu-7/195-xviii-zlot-rowerowy-mszczonow-2022",
    ),
    "S106": (
        "Termy Mszczonów — regulamin lodowiska (OSiR, ul. Warszawska 52)",
        "http://termy-mszczonow.eu/regulamin_rezerwacji_lodowiska_dla_grup_zorganizowanych.html",
    ),
    "S107": (
        "Życie Warszawy — Termy Mszczonów (2025-07)",
        "https://zyciewarszawy.pl/czas-wolny/art42731871-relaksujace-kapiele-w-termach-zaledwie-godzine-od-warszawy-pomoga-starszym-i-mlodszym",
    ),
    "S109": (
        "Polska Niezwykła/polaneis — „Zdrowie przy trasie – Termy Mszczonów” (2013)",
        "http://polaneis.pl/miejsca/zdrowie-przy-trasie-termy-mszczonow",
    ),
    "S111": (
        "Wikipedia (DE, kopia) — Hersh David Nomberg",
        "https://depl.qaz.wiki/wiki/Hersh_David_Nomberg",
    ),
    "S112": ("Jewiki — Moses Apfelbaum", "https://www.jewiki.net/wiki/Moses_Apfelbaum"),
}

# Places: key -> (Polish name, English name, latitude, longitude). Coordinates only where a
# source gives them: town centre (PTTK [S5]), Osuchów village [S44], Osuchów palace [S42],
# Jewish cemetery [S69]; Warsaw, Żyrardów, Rawa (Mazowiecka) and Irkutsk from the public
# gazetteers (Wikipedia's infoboxes, WGS84 town centres). The villages Lutkówka,
# Ciemno-Gnojna, Wręcza and Piekary have no coordinates in a source we hold, and the commune
# is an area, not a point: the admin's map picker is there for an archivist to fill them.
PLACES: dict[str, tuple[str, str, float | None, float | None]] = {
    "mszczonow": ("Mszczonów", "Mszczonów", 51.978573, 20.526587),
    "mszczonow-cmentarz-zydowski": (
        "Mszczonów, cmentarz żydowski (ul. Poniatowskiego)",
        "Mszczonów, Jewish cemetery (Poniatowskiego St.)",
        51.981,
        20.511,
    ),
    "osuchow": ("Osuchów", "Osuchów", 51.897778, 20.587222),
    "osuchow-zespol-palacowo-parkowy": (
        "Osuchów, zespół pałacowo-parkowy",
        "Osuchów, palace and park",
        51.901667,
        20.589722,
    ),
    "lutkowka": ("Lutkówka", "Lutkówka", None, None),
    "ciemno-gnojna": ("Ciemno-Gnojna", "Ciemno-Gnojna", None, None),
    "wrecza": ("Wręcza", "Wręcza", None, None),
    "piekary": ("Piekary", "Piekary", None, None),
    "gmina-mszczonow": ("Gmina Mszczonów", "Mszczonów commune", None, None),
    "rawa": ("Rawa", "Rawa", 51.766667, 20.25),
    "warszawa": ("Warszawa", "Warsaw", 52.232222, 21.008333),
    "zyrardow": ("Żyrardów", "Żyrardów", 52.05, 20.433333),
    "irkuck": ("Irkuck", "Irkutsk", 52.283333, 104.3),
}

# Subjects: key -> (Polish name, English name).
SUBJECTS: dict[str, tuple[str, str]] = {
    "sredniowiecze": ("średniowiecze", "Middle Ages"),
    "ksiazeta-mazowieccy": ("książęta mazowieccy", "dukes of Masovia"),
    "prawa-miejskie": ("prawa miejskie", "town rights"),
    "przywileje": ("przywileje", "privileges"),
    "herb": ("herb i pieczęcie", "coat of arms and seals"),
    "handel": ("handel i jarmarki", "trade and fairs"),
    "zydzi": ("Żydzi mszczonowscy", "Jews of Mszczonów"),
    "chasydyzm": ("chasydyzm", "Hasidism"),
    "cmentarze": ("cmentarze", "cemeteries"),
    "zaglada": ("Zagłada", "the Holocaust"),
    "koscioly": ("kościoły i parafie", "churches and parishes"),
    "kapliczki": ("kapliczki i krzyże przydrożne", "wayside shrines and crosses"),
    "dwory-i-palace": ("dwory i pałace", "manors and palaces"),
    "pozary": ("pożary", "fires"),
    "powstanie-styczniowe": ("powstanie styczniowe", "January Uprising"),
    "wrzesien-1939": ("wrzesień 1939", "September 1939"),
    "ii-wojna-swiatowa": ("II wojna światowa", "Second World War"),
    "pomniki": ("pomniki i tablice", "monuments and plaques"),
    "straz-pozarna": ("straż pożarna", "fire brigade"),
    "muzyka": ("muzyka", "music"),
    "harcerstwo": ("harcerstwo", "scouting"),
    "przemysl": ("przemysł i rzemiosło", "industry and crafts"),
    "kultura": ("dom kultury i życie kulturalne", "culture centre and cultural life"),
    "swieta-i-obrzedy": ("święta i obrzędy", "feasts and customs"),
    "religijnosc-ludowa": ("religijność ludowa", "popular piety"),
    "legendy": ("legendy", "legends"),
    "prasa": ("prasa i wydawnictwa", "press and publications"),
    "literatura-jidysz": ("literatura jidysz", "Yiddish literature"),
    "malarstwo": ("malarstwo", "painting"),
    "sztuka-sakralna": ("sztuka sakralna", "religious art"),
    "kartografia": ("mapy i szlaki", "maps and trails"),
    "geotermia": ("geotermia i baseny", "geothermal water and pools"),
    "rekonstrukcje": ("rekonstrukcje historyczne", "historical re-enactment"),
    "samorzad": ("samorząd miasta", "town government"),
}

# Agents: key -> fields. Life dates only as the fact sheet gives them.
AGENTS: dict[str, dict] = {
    "konrad-i-mazowiecki": {
        "name": "Konrad I Mazowiecki",
        "name_en": "Konrad I of Masovia",
        "kind": "person",
        "dates": "",
        "biography": "Książę mazowiecki; w 1245 r. wystawił dokument w miejscowości "
        "„Mussonow”, najstarszy zapis o Mszczonowie.",
    },
    "siemowit-iii": {
        "name": "Siemowit III (Ziemowit III)",
        "name_en": "Siemowit III of Masovia",
        "kind": "person",
        "dates": "",
        "biography": "Książę mazowiecki, któremu przypisuje się nadanie Mszczonowowi praw "
        "miejskich w 1377 r.",
    },
    "siemowit-iv": {
        "name": "Siemowit IV (Ziemowit IV)",
        "name_en": "Siemowit IV of Masovia",
        "kind": "person",
        "dates": "",
        "biography": "Książę mazowiecki; potwierdził przywilej miejski Mszczonowa (1437).",
    },
    "stanislaw-august": {
        "name": "Stanisław August Poniatowski",
        "name_en": "King Stanisław August Poniatowski",
        "kind": "person",
        "dates": "",
        "biography": "Król Polski; w 1776 r. zezwolił Mszczonowowi na pięć jarmarków rocznie.",
    },
    "aleksander-ossolinski": {
        "name": "Aleksander Ossoliński",
        "name_en": "Aleksander Ossoliński",
        "kind": "person",
        "dates": "",
        "biography": "Starosta mszczonowski; w 1763 r. zezwolił Żydom na synagogę.",
    },
    "zygmunt-szczesny-felinski": {
        "name": "Zygmunt Szczęsny Feliński",
        "name_en": "Zygmunt Szczęsny Feliński",
        "kind": "person",
        "dates": "",
        "biography": "Arcybiskup warszawski, później ogłoszony świętym; w maju 1862 r. "
        "poświęcił kamień węgielny pod nowy kościół w Mszczonowie.",
    },
    "wladyslaw-polkowski": {
        "name": "ks. Władysław Polkowski",
        "name_en": "Fr. Władysław Polkowski",
        "kind": "person",
        "dates": "1820–1872",
        "biography": "Proboszcz mszczonowski, który rozpoczął budowę nowego kościoła (1862); w "
        "powstaniu styczniowym powstańczy naczelnik miasta; zmarł na zesłaniu, pochowany w "
        "Irkucku.",
    },
    "jan-nepomucen-maklakiewicz": {
        "name": "Jan Nepomucen Maklakiewicz",
        "name_en": "Jan Nepomucen Maklakiewicz",
        "kind": "person",
        "dates": "1874–1955",
        "biography": "Organista parafii mszczonowskiej od ok. 1905 r.; prowadził chóry i "
        "strażacką orkiestrę.",
    },
    "jan-adam-maklakiewicz": {
        "name": "Jan Adam Maklakiewicz",
        "name_en": "Jan Adam Maklakiewicz",
        "kind": "person",
        "dates": "1899–1954",
        "biography": "Kompozytor, dyrygent, pedagog i krytyk muzyczny; dorastał w Mszczonowie "
        "od 1905 r. Patron szkoły podstawowej (2018), pośmiertnie honorowy obywatel miasta "
        "(2022). Źródła podają różny dzień śmierci (7 lub 8 lutego 1954).",
    },
    "hirsz-dawid-nomberg": {
        "name": "Hirsz Dawid Nomberg",
        "name_en": "Hersh Dovid Nomberg",
        "kind": "person",
        "dates": "1876–1927",
        "biography": "Pisarz i publicysta piszący w jidysz i po hebrajsku, tłumacz; urodzony w "
        "Mszczonowie, zmarł w Otwocku. Współzałożyciel fołkistów, poseł na Sejm Ustawodawczy. "
        "Dokładne dni urodzin i śmierci różnią się w źródłach.",
    },
    "maurycy-appelbaum": {
        "name": "Maurycy (Mosze) Appelbaum",
        "name_en": "Maurycy (Moshe) Appelbaum",
        "kind": "person",
        "dates": "1887–1931",
        "biography": "Malarz, grafik i scenograf teatru jidysz, urodzony w Mszczonowie; związany "
        "z grupą Jung Idysz. Miejsce śmierci podawane rozbieżnie (Kraków lub Katowice).",
    },
    "jakub-dawid-kalisz": {
        "name": "Jakub Dawid Kalisz",
        "name_en": "Yaakov Dovid Kalish",
        "kind": "person",
        "dates": "zm. 1877 lub 1878",
        "biography": "Syn rabina Icchaka z Warki, pierwszy cadyk z Mszczonowa (Amszynowa), "
        "założyciel dynastii chasydzkiej; pochowany na cmentarzu żydowskim w Mszczonowie.",
    },
    "wincenty-wnuk": {
        "name": "Wincenty Wnuk",
        "name_en": "Wincenty Wnuk",
        "kind": "person",
        "dates": "1897–1987",
        "biography": "Dowódca 31 Pułku Strzelców Kaniowskich, który 11 września 1939 r. odbił "
        "Mszczonów z rąk Niemców; kawaler Virtuti Militari.",
    },
    "feliks-wolowski": {
        "name": "Feliks Wołowski",
        "name_en": "Feliks Wołowski",
        "kind": "person",
        "dates": "XIX w.",
        "biography": "Właściciel Osuchowa; zbudował tamtejszy pałac i ufundował kościół.",
    },
    "bronislaw-nuklanowicz": {
        "name": "Bronisław Nukłanowicz",
        "name_en": "Bronisław Nukłanowicz",
        "kind": "person",
        "dates": "",
        "biography": "Architekt kościoła św. Stanisława w Osuchowie.",
    },
    "abraham-van-den-blocke": {
        "name": "Abraham van den Blocke (pracownia)",
        "name_en": "Abraham van den Blocke (workshop)",
        "kind": "person",
        "dates": "",
        "biography": "Gdański warsztat, z którego pochodzi marmurowy ołtarz główny kościoła w "
        "Lutkówce.",
    },
    "rada-miejska-mszczonow": {
        "name": "Rada Miejska w Mszczonowie",
        "name_en": "Mszczonów Town Council",
        "kind": "organisation",
        "dates": "",
        "biography": "",
    },
    "izba-pamieci": {
        "name": "Izba Pamięci Ziemi Mszczonowskiej",
        "name_en": "Memorial Room of the Mszczonów Land",
        "kind": "organisation",
        "dates": "od 2010",
        "biography": "Lokalna izba pamięci gromadząca pamiątki przekazane przez mieszkańców; "
        "prowadzi m.in. cykl „Eksponat tygodnia”.",
    },
    "osp-mszczonow": {
        "name": "Ochotnicza Straż Pożarna w Mszczonowie",
        "name_en": "Mszczonów Volunteer Fire Brigade",
        "kind": "organisation",
        "dates": "od 1880",
        "biography": "",
    },
    "orkiestra-deta-osp": {
        "name": "Orkiestra Dęta OSP Mszczonów",
        "name_en": "Mszczonów Fire Brigade Brass Band",
        "kind": "organisation",
        "dates": "od 1890",
        "biography": "",
    },
    "grh-strzelcy": {
        "name": "GRH „Strzelcy” im. 31 pSK",
        "name_en": "“Strzelcy” re-enactment group (31st Kaniów Rifles)",
        "kind": "organisation",
        "dates": "",
        "biography": "",
    },
    "sokol-mszczonow": {
        "name": "Towarzystwo Gimnastyczne „Sokół” w Mszczonowie",
        "name_en": "“Sokół” Gymnastic Society, Mszczonów",
        "kind": "organisation",
        "dates": "od 1924",
        "biography": "",
    },
    "wig": {
        "name": "Wojskowy Instytut Geograficzny",
        "name_en": "Military Geographical Institute",
        "kind": "organisation",
        "dates": "",
        "biography": "",
    },
    "fodz": {
        "name": "Fundacja Ochrony Dziedzictwa Żydowskiego",
        "name_en": "Foundation for the Preservation of Jewish Heritage in Poland",
        "kind": "organisation",
        "dates": "",
        "biography": "",
    },
    "gazeta-polska": {
        "name": "„Gazeta Polska” (Warszawa)",
        "name_en": "Gazeta Polska (Warsaw)",
        "kind": "organisation",
        "dates": "",
        "biography": "",
    },
    "mok": {
        "name": "Mszczonowski Ośrodek Kultury",
        "name_en": "Mszczonów Culture Centre",
        "kind": "organisation",
        "dates": "",
        "biography": "Samorządowa instytucja kultury; od 2006 r. w przebudowanym budynku "
        "dawnej sali „Sokoła”.",
    },
    "gci-mszczonow": {
        "name": "Gminne Centrum Informacji w Mszczonowie",
        "name_en": "Mszczonów Commune Information Centre",
        "kind": "organisation",
        "dates": "",
        "biography": "Prowadzi izby pamięci, organizuje urodziny miasta i Festiwal Świętojański.",
    },
}

LICENCE_OWN = "CC-BY-4.0"


def _paragraphs(text: str) -> str:
    """Markdown paragraphs, each on one line (the source wraps them for reading)."""
    return "\n\n".join(" ".join(part.split()) for part in text.strip().split("\n\n"))


def item(
    identifier: str,
    item_type: str,
    title: str,
    title_en: str,
    date: str,
    description: str,
    description_en: str,
    *,
    sources: list[str],
    subjects: list[str] = (),
    places: list[str] = ("mszczonow",),
    creators: list[tuple[str, str]] = (),
    related: list[str] = (),
    licence: str = LICENCE_OWN,
    rights_holder: str = MOK,
    image: bool = True,
) -> dict:
    """One item record; keeps the list below readable."""
    return {
        "identifier": identifier,
        "item_type": item_type,
        "title": title,
        "title_en": title_en,
        "date": date,
        "description": _paragraphs(description),
        "description_en": _paragraphs(description_en),
        "sources": list(sources),
        "subjects": list(subjects),
        "places": list(places),
        "creators": list(creators),
        "related": list(related),
        "licence": licence,
        "rights_holder": rights_holder,
        "image": image,
    }


PHOTO_NOTE = (
    "\n\nKronika nie przechowuje tej fotografii; rekord opisuje zdjęcie pokazywane przez Izbę "
    "Pamięci Ziemi Mszczonowskiej. Obraz przy rekordzie to karta zastępcza, nie reprodukcja."
)
PHOTO_NOTE_EN = (
    "\n\nKronika does not hold this photograph; the record describes a picture shown by the "
    "Memorial Room of the Mszczonów Land. The image with this record is a placeholder card, "
    "not a reproduction."
)
EVENT_NOTE = (
    "\n\nTo opis wydarzenia, nie nagranie: archiwum demonstracyjne nie ma pliku dźwiękowego "
    "ani filmu. Obraz przy rekordzie to karta zastępcza."
)
EVENT_NOTE_EN = (
    "\n\nThis describes an event; it is not a recording: the demo archive holds no audio or "
    "video file. The image with this record is a placeholder card."
)
ORIGINAL_NOTE = "\n\nMiejsce przechowywania oryginału nie zostało ustalone."
ORIGINAL_NOTE_EN = "\n\nWhere the original is kept has not been established."

ITEMS: list[dict] = [
    # ---- documents ------------------------------------------------------------------------
    item(
        "MOK-D-0001",
        "document",
        "Dokument księcia Konrada I wystawiony w „Mussonow”",
        "Duke Konrad I's charter issued at “Mussonow”",
        "1245",
        """
Najstarszy zapis nazwy miejscowości: w 1245 r. książę mazowiecki Konrad I wystawił dokument w
„Mussonow”. Sam dokument nie dotyczy miasta — ważne jest miejsce jego wystawienia. Przyjmuje
się, że stał tu wtedy książęcy dwór, wykorzystywany podczas polowań.
"""
        + ORIGINAL_NOTE,
        """
The oldest written mention of the place: in 1245 Duke Konrad I of Masovia issued a charter at
“Mussonow”. The charter itself is not about the town — what matters is where it was issued. A
ducal manor used for hunting is thought to have stood here at the time.
"""
        + ORIGINAL_NOTE_EN,
        sources=["S1", "S3", "S4", "S5"],
        subjects=["sredniowiecze", "ksiazeta-mazowieccy"],
        creators=[("konrad-i-mazowiecki", "creator")],
        related=["MOK-D-0002"],
        licence="PDM",
        rights_holder="",
    ),
    item(
        "MOK-D-0002",
        "document",
        "Nadanie praw miejskich przez księcia Siemowita III",
        "Town rights granted by Duke Siemowit III",
        "1377",
        """
Za datę lokacji Mszczonowa przyjmuje się rok 1377, kiedy prawa miejskie nadał mu książę Siemowit
(Ziemowit) III; według Wirtualnego Sztetla — na prawie chełmińskim. Angielska Wikipedia
ostrożniej pisze „w 1377 r. lub wcześniej”. Przywilej potwierdzali później Siemowit IV, Zygmunt
Stary, Zygmunt August i Jan III Sobieski; miasto nigdy nie utraciło praw.

Rocznicę nadania praw miasto świętuje w marcu jako „urodziny Mszczonowa”; dokładny dzień
wystawienia przywileju nie jest znany.
"""
        + ORIGINAL_NOTE,
        """
Mszczonów's charter is conventionally dated 1377, when Duke Siemowit (Ziemowit) III granted it
town rights — under Chełmno law, according to Virtual Shtetl. English Wikipedia is more careful:
“in 1377 or earlier”. The privilege was later confirmed by Siemowit IV, Sigismund I, Sigismund
Augustus and John III Sobieski; the town never lost its rights.

The town celebrates the anniversary in March as “Mszczonów's birthday”; the exact day of the
charter is not known.
"""
        + ORIGINAL_NOTE_EN,
        sources=["S1", "S2", "S4", "S6", "S30"],
        subjects=["prawa-miejskie", "przywileje", "ksiazeta-mazowieccy", "sredniowiecze"],
        creators=[("siemowit-iii", "creator")],
        related=["MOK-D-0003", "MOK-T-0005"],
        licence="PDM",
        rights_holder="",
    ),
    item(
        "MOK-D-0003",
        "document",
        "Potwierdzenie przywileju miejskiego przez Siemowita IV (Rawa)",
        "Siemowit IV's confirmation of the town privilege (Rawa)",
        "1437",
        """
Około sześćdziesięciu lat po lokacji książę Siemowit IV odnowił przywilej miejski Mszczonowa.
Izba Pamięci datuje potwierdzenie na 1437 r.; według PTTK dokument wystawiono w Rawie, a miasto
pozostało przy prawie chełmińskim.
"""
        + ORIGINAL_NOTE,
        """
About sixty years after the charter, Duke Siemowit IV renewed Mszczonów's town privilege. The
Memorial Room dates the confirmation to 1437; according to PTTK it was issued at Rawa, and the
town kept Chełmno law.
"""
        + ORIGINAL_NOTE_EN,
        sources=["S1", "S5"],
        subjects=["prawa-miejskie", "przywileje", "ksiazeta-mazowieccy"],
        places=["mszczonow", "rawa"],
        creators=[("siemowit-iv", "creator")],
        related=["MOK-D-0002"],
        licence="PDM",
        rights_holder="",
    ),
    item(
        "MOK-D-0004",
        "document",
        "Zezwolenie na cmentarz żydowski i synagogę",
        "Permit for a Jewish cemetery and a synagogue",
        "1763-08",
        """
W sierpniu 1763 r. Żydzi mszczonowscy otrzymali zgodę na założenie cmentarza poza miastem, przy
drodze do Słabomierza, na placu 70 na 70 łokci. Starosta Aleksander Ossoliński zezwolił też na
synagogę w domu zmarłego kupca Daniela; drewniany dom modlitwy (bet midrasz) już wtedy istniał.
Od tego roku zwykle liczy się dzieje gminy żydowskiej (kahału) w Mszczonowie.
"""
        + ORIGINAL_NOTE,
        """
In August 1763 the Jews of Mszczonów were allowed to lay out a cemetery outside the town, by the
road to Słabomierz, on a plot of 70 by 70 ells. Starost Aleksander Ossoliński also permitted a
synagogue in the house of the late merchant Daniel; a wooden house of study (beth midrash)
already existed. The Jewish community (kahal) of Mszczonów is usually dated from this year.
"""
        + ORIGINAL_NOTE_EN,
        sources=["S8"],
        subjects=["zydzi", "cmentarze", "przywileje"],
        creators=[("aleksander-ossolinski", "creator")],
        related=["MOK-Z-0002", "MOK-D-0006"],
        licence="PDM",
        rights_holder="",
    ),
    item(
        "MOK-D-0005",
        "document",
        "Lustracja Mszczonowa z 1765 roku (fragment)",
        "Royal survey of Mszczonów, 1765 (fragment)",
        "1765",
        """
Lustracja, czyli urzędowy spis dochodów i stanu królewszczyzny, opisała Mszczonów w 1765 r.
Dokument jest przechowywany w Archiwum Głównym Akt Dawnych (Archiwum Skarbu Koronnego), a jego
fragment ilustruje historię miasta na stronie Izby Pamięci. Mszczonów był wtedy starostwem
niegrodowym; w różnych okresach trzymali je m.in. Radziejowscy, Prażmowscy, Ossolińscy i
Łuszczewscy.
""",
        """
A royal survey (lustracja) — an official inventory of crown property and its income — described
Mszczonów in 1765. The document is kept in the Central Archives of Historical Records (AGAD,
Crown Treasury Archive); a fragment illustrates the town history page of the Memorial Room. At
the time Mszczonów was a non-castle starostwo, held over the years by the Radziejowski,
Prażmowski, Ossoliński and Łuszczewski families, among others.
""",
        sources=["S1", "S14"],
        subjects=["przywileje", "samorzad"],
        licence="PDM",
        rights_holder="",
    ),
    item(
        "MOK-D-0006",
        "document",
        "Układ mieszczan mszczonowskich z Żydami, 14 grudnia 1778",
        "Agreement between the burghers and the Jews of Mszczonów, 14 December 1778",
        "1778-12-14",
        """
Porozumienie zawarte 14 grudnia 1778 r. przyjmowało Żydów do obywatelstwa miejskiego w zamian za
udział w ciężarach ponoszonych przez mieszczan. Zachowano jednak ograniczenia: wyznaczony obszar
zamieszkania oraz zakaz wyrobu alkoholu i dzierżawienia propinacji. Tekst układu przechowuje
AGAD; cytował go J. Józefecki w „Roczniku Mazowieckim”.
""",
        """
The agreement of 14 December 1778 admitted Jews to town citizenship in return for sharing the
burdens carried by the burghers. Restrictions remained: a designated living area and a ban on
making alcohol and leasing the propination rights. The text is kept in AGAD and was quoted by J.
Józefecki in “Rocznik Mazowiecki”.
""",
        sources=["S8", "S9", "S10"],
        subjects=["zydzi", "prawa-miejskie", "samorzad"],
        related=["MOK-D-0004"],
        licence="PDM",
        rights_holder="",
    ),
    item(
        "MOK-D-0007",
        "document",
        "Przywilej króla Stanisława Augusta na pięć jarmarków",
        "King Stanisław August's privilege for five fairs",
        "1776",
        """
W 1776 r. król Stanisław August Poniatowski zezwolił Mszczonowowi na organizowanie pięciu
jarmarków w roku. Tradycję handlu jarmarcznego przypomina dziś coroczny Jarmark Mszczonowski,
odbywający się na początku czerwca.
"""
        + ORIGINAL_NOTE,
        """
In 1776 King Stanisław August Poniatowski allowed Mszczonów to hold five fairs a year. The
tradition lives on in today's annual Mszczonów Fair, held in early June.
"""
        + ORIGINAL_NOTE_EN,
        sources=["S5", "S98"],
        subjects=["handel", "przywileje"],
        creators=[("stanislaw-august", "creator")],
        related=["MOK-T-0006"],
        licence="PDM",
        rights_holder="",
    ),
    item(
        "MOK-D-0008",
        "document",
        "Uchwała Rady Miejskiej o herbie Mszczonowa",
        "Town council resolution adopting the Mszczonów coat of arms",
        "2020-06-24",
        """
Uchwałą z 24 czerwca 2020 r. Rada Miejska przyjęła nowy herb miasta; według gminy obowiązuje on
od 15 lipca 2020 r., razem z nowym statutem. Komisja Heraldyczna zaleciła powrót do wizerunku z
XVI-wiecznej pieczęci — najstarszej czytelnej. Nowy herb zastąpił czerwoną basztę z napisem
MSZCZONÓW i rokiem 1377.
""",
        """
By a resolution of 24 June 2020 the town council adopted new arms for the town; the municipality
says they have applied since 15 July 2020, together with a new statute. The Heraldic Commission
advised returning to the image on the sixteenth-century seal, the oldest legible one. The new
arms replaced a red tower with the inscription MSZCZONÓW and the year 1377.
""",
        sources=["S32", "S34"],
        subjects=["herb", "samorzad"],
        creators=[("rada-miejska-mszczonow", "creator")],
        related=["MOK-S-0005", "MOK-A-0001"],
        licence="PDM",
        rights_holder="",
    ),
    item(
        "MOK-D-0009",
        "document",
        "Getto w Mszczonowie 1940–1941 — nota historyczna",
        "The Mszczonów ghetto, 1940–1941 — a historical note",
        "1940/1941",
        """
Pod koniec 1940 r. Niemcy utworzyli w Mszczonowie getto otwarte, w którym skupiono około 2000
Żydów. W lutym 1941 r. jego mieszkańców wysiedlono do Żyrardowa, a stamtąd do getta
warszawskiego; według Szkoły Dialogu część trafiła później także do Płaszowa, a w lipcu 1942 r.
odszedł kolejny transport. Większość zginęła w Treblince. Hasło o getcie w Mszczonowie zawiera
encyklopedia gett Yad Vashem.

Nota jest opracowaniem archiwum, nie dokumentem z epoki.
""",
        """
Late in 1940 the Germans set up an open ghetto in Mszczonów, where about 2,000 Jews were
concentrated. In February 1941 its inhabitants were deported to Żyrardów and from there to the
Warsaw ghetto; according to the School of Dialogue some were later sent to Płaszów as well, and
a further transport left in July 1942. Most were murdered at Treblinka. Yad Vashem's
encyclopedia of the ghettos has an entry on Mszczonów.

This note was written by the archive; it is not a document of the period.
""",
        sources=["S4", "S11", "S13", "S70"],
        subjects=["zydzi", "zaglada", "ii-wojna-swiatowa"],
        places=["mszczonow", "zyrardow", "warszawa"],
        related=["MOK-Z-0002", "MOK-Z-0004"],
    ),
    # ---- photographs (records of photographs we do not hold) -------------------------------
    item(
        "MOK-F-0001",
        "photograph",
        "Kościół we Mszczonowie w latach 20. XX wieku",
        "The Mszczonów church in the 1920s",
        "192X",
        """
Zdjęcie kościoła parafialnego św. Jana Chrzciciela, podpisane „Kościół we Mszczonowie w latach
20tych XX w.”. Autor i dokładny rok wykonania nie są znane. Gmina opisuje świątynię jako
XIX-wieczną, utrzymaną w „stylu toskańskim”.
"""
        + PHOTO_NOTE,
        """
A photograph of the parish church of St John the Baptist, captioned “The church in Mszczonów in
the 1920s”. The photographer and the exact year are unknown. The municipality describes the
church as nineteenth-century, in a “Tuscan style”.
"""
        + PHOTO_NOTE_EN,
        sources=["S15", "S48"],
        subjects=["koscioly"],
        related=["MOK-Z-0001"],
        licence="InC",
        rights_holder=UNKNOWN,
    ),
    item(
        "MOK-F-0002",
        "photograph",
        "Zapałczarnia w Mszczonowie w latach 20. XX wieku",
        "The Mszczonów match factory in the 1920s",
        "192X",
        """
Fotografia mszczonowskiej fabryki zapałek z lat dwudziestych. Zakład oficjalnie datuje się na
lata 1879–1933, ale już raport z 1874 r. wymienia zapałczarnię zatrudniającą 15 robotników.
Fabryka zapałek figuruje też w spisie miejscowego przemysłu z 1872 r., obok browarów, gorzelni i
garbarni.
"""
        + PHOTO_NOTE,
        """
A photograph of the Mszczonów match factory in the 1920s. The works is officially dated
1879–1933, but a report of 1874 already lists a match factory with 15 workers. A match factory
also appears in the list of local industry of 1872, beside breweries, a distillery and
tanneries.
"""
        + PHOTO_NOTE_EN,
        sources=["S2", "S7"],
        subjects=["przemysl"],
        related=["MOK-F-0003"],
        licence="InC",
        rights_holder=UNKNOWN,
    ),
    item(
        "MOK-F-0003",
        "photograph",
        "Żeńska drużyna harcerska przy kantorze zapałczarni",
        "Girl scouts by the match-factory office",
        "193X",
        """
Zdjęcie z lat trzydziestych przedstawiające żeńską drużynę harcerską przed kantorem fabryki
zapałek. Harcerstwo w Mszczonowie ma niemal stuletnią tradycję.
"""
        + PHOTO_NOTE,
        """
A photograph from the 1930s of a girl scout troop in front of the match-factory office. Scouting
in Mszczonów has a tradition of almost a hundred years.
"""
        + PHOTO_NOTE_EN,
        sources=["S7"],
        subjects=["harcerstwo", "przemysl"],
        related=["MOK-F-0002"],
        licence="InC",
        rights_holder=UNKNOWN,
    ),
    item(
        "MOK-F-0004",
        "photograph",
        "Zarząd Towarzystwa Gimnastycznego „Sokół”",
        "The board of the “Sokół” gymnastic society",
        "1928~/1931~",
        """
Grupowe zdjęcie zarządu mszczonowskiego „Sokoła”, datowane w podpisie na przełom lat 20. i 30.
Towarzystwo powstało w 1924 r.; wśród założycieli byli m.in. Czesław Kacznorowski, Jan Gajewski
i Alfons Grudzień. W 1925 r. „Sokół” zbudował salę, w której dziś działa ośrodek kultury.
"""
        + PHOTO_NOTE,
        """
A group photograph of the board of the Mszczonów “Sokół” society, dated in its caption to the
turn of the 1920s and 1930s. The society was founded in 1924; its founders included Czesław
Kacznorowski, Jan Gajewski and Alfons Grudzień. In 1925 “Sokół” built the hall that now houses
the culture centre.
"""
        + PHOTO_NOTE_EN,
        sources=["S7", "S27"],
        subjects=["kultura"],
        creators=[("sokol-mszczonow", "depicted")],
        related=["MOK-Z-0006"],
        licence="InC",
        rights_holder=UNKNOWN,
    ),
    item(
        "MOK-F-0005",
        "photograph",
        "Dom Strażaka OSP Mszczonów w 1960 roku",
        "The Mszczonów fire station in 1960",
        "1960",
        """
Fotografia Domu Strażaka z 1960 r., pokazywana w opowieści Izby Pamięci o mszczonowskiej straży
pożarnej. Spod Domu Strażaka wyrusza co roku 11 listopada przemarsz straży i pocztów
sztandarowych na plac Piłsudskiego.
"""
        + PHOTO_NOTE,
        """
A 1960 photograph of the fire station (Dom Strażaka), shown in the Memorial Room's story of the
Mszczonów fire brigade. Every 11 November the parade of fire brigades and banners sets off from
the fire station to Piłsudski Square.
"""
        + PHOTO_NOTE_EN,
        sources=["S7", "S82"],
        subjects=["straz-pozarna"],
        creators=[("osp-mszczonow", "depicted")],
        related=["MOK-T-0001"],
        licence="InC",
        rights_holder=UNKNOWN,
    ),
    item(
        "MOK-F-0006",
        "photograph",
        "Płonący budynek na placu Piłsudskiego, 1939",
        "A burning building on Piłsudski Square, 1939",
        "1939-09?",
        """
Zdjęcie podpisane „Pl. Piłsudskiego – płonący budynek, 1939 rok” z cyklu „Opowieści wojenne”
Izby Pamięci. Miesiąc (wrzesień) jest wnioskiem z przebiegu walk, nie z podpisu — stąd znak
zapytania w dacie. We wrześniu 1939 r. spłonęło około 80% zabudowy miasta.
"""
        + PHOTO_NOTE,
        """
A photograph captioned “Piłsudski Square – a burning building, 1939” from the Memorial Room's
“War stories”. The month (September) is inferred from the course of the fighting, not taken from
the caption — hence the question mark in the date. About 80% of the town's buildings burned in
September 1939.
"""
        + PHOTO_NOTE_EN,
        sources=["S5", "S48", "S88"],
        subjects=["wrzesien-1939", "pozary", "ii-wojna-swiatowa"],
        related=["MOK-T-0002"],
        licence="InC",
        rights_holder=UNKNOWN,
    ),
    # ---- monuments and sites ----------------------------------------------------------------
    item(
        "MOK-Z-0001",
        "monument",
        "Kościół parafialny św. Jana Chrzciciela w Mszczonowie",
        "Parish church of St John the Baptist, Mszczonów",
        "1862/",
        """
Parafia mszczonowska istniała już przed 1324 r. Poprzedni kościół spłonął w 1800 r. Obecny
zaczęto budować w 1862 r. z inicjatywy proboszcza ks. Władysława Polkowskiego; kamień węgielny
poświęcił w maju 1862 r. abp Zygmunt Szczęsny Feliński. Budowę dokończył kuzyn proboszcza, ks.
Marcin Polkowski. Rok ukończenia i architekt nie są znani, stąd otwarty koniec daty.

Na placu kościelnym są grób zakładników rozstrzelanych we wrześniu 1939 r. i kolumna „Gloria
Victis”; na ścianie wisi tablica upamiętniająca zakładników, a w kościele — tablica ks.
Polkowskiego (2013). Organistami parafii byli Maklakiewiczowie. Współrzędne świątyni nie zostały
ustalone; miejsce oznaczono punktem centrum miasta.
""",
        """
The Mszczonów parish existed before 1324. The previous church burned in 1800. The present one
was begun in 1862 on the initiative of the parish priest, Fr. Władysław Polkowski; Archbishop
Zygmunt Szczęsny Feliński blessed the cornerstone in May 1862. The priest's cousin, Fr. Marcin
Polkowski, completed it. The year of completion and the architect are unknown, hence the open
end of the date.

The church square holds the grave of the hostages shot in September 1939 and the “Gloria Victis”
column; a plaque to the hostages is on the wall, and in the church there is a plaque to Fr.
Polkowski (2013). The Maklakiewicz family served as the parish organists. The church's own
coordinates have not been established; the place is marked by the town centre point.
""",
        sources=["S14", "S15", "S2", "S5", "S37", "S48", "S57", "S75", "S77", "S88"],
        subjects=["koscioly", "powstanie-styczniowe"],
        creators=[("wladyslaw-polkowski", "creator")],
        related=["MOK-F-0001", "MOK-P-0001", "MOK-Z-0008"],
    ),
    item(
        "MOK-Z-0002",
        "monument",
        "Cmentarz żydowski w Mszczonowie",
        "The Jewish cemetery of Mszczonów",
        "1763/1964",
        """
Kirkut przy ul. Księcia Józefa Poniatowskiego, ok. 700 m na północ od Nowego Rynku, założono w
1763 r.; pochówków zaprzestano w 1964 r. Cmentarz był dewastowany, w latach 80. urządzono na nim
nielegalne boisko, a część terenu zabudowano. W 2006 r. Fundacja Ochrony Dziedzictwa Żydowskiego
wraz z warszawską gminą żydowską ogrodziła go i uporządkowała. Od 20 marca 1992 r. jest w
rejestrze zabytków (nr 877 A).

Źródła różnią się co do liczby zachowanych macew (od „mniej niż stu” przez ok. 100 do 150–200) i
powierzchni (0,7 ha lub 1,2774 ha).
""",
        """
The cemetery on Księcia Józefa Poniatowskiego Street, about 700 m north of the New Market, was
founded in 1763; burials ended in 1964. It was devastated, used as an illegal football pitch in
the 1980s and partly built over. In 2006 the Foundation for the Preservation of Jewish Heritage,
with the Warsaw Jewish community, fenced and tidied it. It has been in the register of monuments
since 20 March 1992 (no. 877 A).

Sources disagree on the number of surviving matzevot (from “fewer than a hundred” through about
100 to 150–200) and on the area (0.7 ha or 1.2774 ha).
""",
        sources=["S12", "S66", "S67", "S68", "S69"],
        subjects=["zydzi", "cmentarze"],
        places=["mszczonow", "mszczonow-cmentarz-zydowski"],
        creators=[("fodz", "creator")],
        related=["MOK-Z-0003", "MOK-A-0005", "MOK-D-0004"],
    ),
    item(
        "MOK-Z-0003",
        "monument",
        "Ohel cadyka z Amszynowa na cmentarzu żydowskim",
        "The ohel of the Amshinover tzaddik at the Jewish cemetery",
        "2006",
        """
Ohel, czyli budynek nad grobem, kryje groby cadyka Jakowa Dawida, syna Israela Icchaka z Warki
(na ohelu podano datę śmierci 10 listopada 1877 r.; inne źródła — 1878), oraz Aharona ha-Kohena,
dajana z Nadarzyna (zm. 25 sierpnia 1873). Jakub Dawid Kalisz założył w Mszczonowie (w jidysz:
Amszynów) dynastię chasydzką, która trwa w Jerozolimie i Nowym Jorku. Ohel odbudowano w 2006 r.
dzięki Renacie Singer, rabinowi Josephowi Singerowi, rodzinie Boim i FODŻ.
""",
        """
The ohel — a small building over graves — covers the graves of the tzaddik Yaakov Dovid, son of
Israel Yitzchak of Warka (the ohel gives his death as 10 November 1877; other sources say 1878),
and of Aharon ha-Kohen, dayan of Nadarzyn (d. 25 August 1873). Yaakov Dovid Kalish founded the
Hasidic dynasty of Amshinov (the Yiddish name of Mszczonów), which continues in Jerusalem and
New York. The ohel was rebuilt in 2006 with funds from Renata Singer, Rabbi Joseph Singer, the
Boim family and FODZ.
""",
        sources=["S66", "S72", "S73", "S9"],
        subjects=["zydzi", "chasydyzm", "cmentarze"],
        places=["mszczonow-cmentarz-zydowski"],
        creators=[("jakub-dawid-kalisz", "depicted"), ("fodz", "creator")],
        related=["MOK-Z-0002"],
    ),
    item(
        "MOK-Z-0004",
        "monument",
        "Dawna mykwa",
        "The former mikvah",
        "../1939",
        """
Mykwa (żydowska łaźnia rytualna) to jedyny zachowany budynek dawnego zespołu synagogalnego.
Synagoga, mykwa i rzeźnia rytualna stały w pobliżu cmentarza, naprzeciw ul. Poniatowskiego;
synagogę Niemcy spalili w 1939 r. Data budowy mykwy, jej adres i obecne przeznaczenie nie są w
źródłach podane — data rekordu mówi tylko, że budynek istniał przed wojną.
""",
        """
The mikvah (Jewish ritual bath) is the only surviving building of the former synagogue complex.
The synagogue, the mikvah and the ritual slaughterhouse stood near the cemetery, across from
Poniatowskiego Street; the Germans burned the synagogue in 1939. The sources give neither the
building date, the address nor the present use of the mikvah — the record's date says only that
it stood before the war.
""",
        sources=["S9", "S11", "S70"],
        subjects=["zydzi"],
        related=["MOK-Z-0002", "MOK-D-0009"],
    ),
    item(
        "MOK-Z-0005",
        "monument",
        "Dom Maklakiewiczów, ul. Kościuszki 1",
        "The Maklakiewicz family house, 1 Kościuszki St.",
        "1905~/..",
        """
Około 1905 r. organista Jan Nepomucen Maklakiewicz kupił działkę przy dzisiejszej ul. Kościuszki
1, na której stał częściowo drewniany parterowy dom. Odbywały się tu próby chórów parafialnych i
strażackiej orkiestry, przedstawienia teatru ludowego i coroczne jasełka. W latach 1915–1917 Jan
Adam Maklakiewicz prowadził tu orkiestrę typu „Odeon”, a w latach 1920–1921 napisał tu pieśni
„Różaniec” i „Moja piosenka”.

To jeden z nielicznych budynków, które przetrwały pożogę lat 1939–1945. Gmina odkupiła go od
rodziny i wyremontowała; dziś działa tu Izba Pamięci Rodziny Maklakiewiczów z zajęciami
muzycznymi dla dzieci.
""",
        """
Around 1905 the organist Jan Nepomucen Maklakiewicz bought the plot at today's 1 Kościuszki
Street, with a partly wooden single-storey house on it. Parish choirs and the fire brigade band
rehearsed here, folk theatre was staged and nativity plays were held every year. In 1915–1917
Jan Adam Maklakiewicz ran an “Odeon”-type orchestra here, and in 1920–1921 he wrote the songs
“Różaniec” and “Moja piosenka” here.

It is one of the few buildings that survived the destruction of 1939–1945. The municipality
bought it back from the family and renovated it; it now houses the Maklakiewicz Family Memorial
Room, with music classes for children.
""",
        sources=["S56", "S90", "S105"],
        subjects=["muzyka", "kultura"],
        creators=[
            ("jan-nepomucen-maklakiewicz", "depicted"),
            ("jan-adam-maklakiewicz", "depicted"),
        ],
        related=["MOK-T-0003", "MOK-N-0003", "MOK-T-0007"],
    ),
    item(
        "MOK-Z-0006",
        "monument",
        "Sala „Sokoła” — dziś Mszczonowski Ośrodek Kultury",
        "The “Sokół” hall — today the Mszczonów Culture Centre",
        "1925",
        """
Salę zbudowało w 1925 r. Towarzystwo Gimnastyczne „Sokół”. Po wojnie działało w niej kino
„Pokój”, później Gminny Ośrodek Kultury, przemianowany na Mszczonowski Ośrodek Kultury. W latach
2004–2006 budynek przebudowano i rozbudowano, zachowując dawną salę jako salę teatralno-kinową;
od stycznia 2006 r. mieści też małą galerię, klub młodzieżowy i pracownie.
""",
        """
The hall was built in 1925 by the “Sokół” gymnastic society. After the war it housed the “Pokój”
cinema, later a commune culture centre, renamed the Mszczonów Culture Centre. In 2004–2006 the
building was rebuilt and extended, keeping the old hall as a theatre and cinema; since January
2006 it has also had a small gallery, a youth club and studios.
""",
        sources=["S27", "S28"],
        subjects=["kultura"],
        creators=[("sokol-mszczonow", "creator"), ("mok", "depicted")],
        related=["MOK-F-0004"],
    ),
    item(
        "MOK-Z-0007",
        "monument",
        "Pomnik Strzelców Kaniowskich",
        "Monument to the Kaniów Riflemen",
        "2011-09",
        """
Pomnik upamiętnia żołnierzy 31 Pułku Strzelców Kaniowskich, którzy nocnym atakiem 11 września
1939 r. odbili Mszczonów. Odsłonięto go podczas obchodów we wrześniu 2011 r. w miejscu
przedwojennego placu Piłsudskiego (później opisywanym jako plac Papieski). Inicjatorem był
harcmistrz Zbigniew Grabek, a tablicę ufundowali miejscowi harcerze. Co roku 11 września zapala
się tu znicze.
""",
        """
The monument commemorates the soldiers of the 31st Kaniów Rifles Regiment who retook Mszczonów
in the night of 11 September 1939. It was unveiled at the commemorations of September 2011 where
the pre-war Piłsudski Square lay (later described as Papal Square). It was initiated by
scoutmaster Zbigniew Grabek, and local scouts funded the plaque. Candles are lit here every 11
September.
""",
        sources=["S37", "S40"],
        subjects=["pomniki", "wrzesien-1939", "harcerstwo"],
        related=["MOK-T-0002", "MOK-A-0003"],
    ),
    item(
        "MOK-Z-0008",
        "monument",
        "Kolumna „Gloria Victis” dla powstańców 1863 roku",
        "“Gloria Victis” column to the insurgents of 1863",
        "2022-12-29",
        """
Pomnik mszczonowskich powstańców styczniowych i ks. Władysława Polkowskiego odsłonięto 29
grudnia 2022 r. przy kościele parafialnym, w pobliżu grobu zakładników z 1939 r. W kolumnie
umieszczono urnę z ziemią z dawnego cmentarza w Irkucku oraz z Tunki, gdzie ks. Polkowski był
zesłany. 21 stycznia 2023 r. odbył się tu symboliczny pochówek i rozpoczęły się państwowe
obchody 160. rocznicy powstania styczniowego.
""",
        """
The monument to Mszczonów's insurgents of the January Uprising and to Fr. Władysław Polkowski
was unveiled on 29 December 2022 by the parish church, near the grave of the 1939 hostages. The
column holds an urn with soil from the old cemetery in Irkutsk and from Tunka, where Fr.
Polkowski was exiled. On 21 January 2023 a symbolic burial took place here and the state
commemorations of the 160th anniversary of the January Uprising began.
""",
        sources=["S76", "S77", "S78"],
        subjects=["powstanie-styczniowe", "pomniki"],
        creators=[("wladyslaw-polkowski", "depicted")],
        related=["MOK-A-0004", "MOK-Z-0001"],
    ),
    item(
        "MOK-Z-0009",
        "monument",
        "Zespół pałacowo-parkowy w Osuchowie",
        "Osuchów palace and park",
        "18XX",
        """
Pałac zbudował w XIX w. Feliks Wołowski w miejscu drewnianego dworu Radziejowskich; źródła
datują go na połowę lub drugą połowę stulecia i różnie określają styl (neorenesans albo
neoklasycyzm). Później należał do Jadwigi Aleksandry Jasieńskiej, a ok. 1899 r. kupił go Michał
Tyszkiewicz jako posag córki Joanny, żony Edwarda Broel-Platera. W latach 1918–1927 dobudowano
skrzydła i portyk z tarasem. Ostatnią prywatną właścicielką (1928–1944) była Izabela Platerówna.

Po 1944 r. mieściły się tu szkoła, poczta i mieszkania; w 1982 r. obiekt przejął ZUS, który
prowadzi w nim ośrodek szkoleniowy, niedostępny do zwiedzania. Park ma ok. 20 ha, stawy, pomniki
przyrody i chronioną aleję lipową. Rejestr zabytków: nr 1030 z 6 czerwca 1973 r.
""",
        """
The palace was built in the 19th century by Feliks Wołowski on the site of the Radziejowski
family's wooden manor; sources date it to the middle or the second half of the century and
disagree on its style (neo-Renaissance or neo-classical). It later belonged to Jadwiga
Aleksandra Jasieńska, and around 1899 Michał Tyszkiewicz bought it as a dowry for his daughter
Joanna, wife of Edward Broel-Plater. Wings and a portico with a terrace were added in 1918–1927.
The last private owner (1928–1944) was Izabela Platerówna.

After 1944 it housed a school, a post office and flats; in 1982 it passed to ZUS, the social
insurance institution, which runs a training centre here, closed to visitors. The park of about
20 ha has ponds, monumental trees and a protected lime avenue. Register of monuments: no. 1030
of 6 June 1973.
""",
        sources=["S41", "S42", "S44"],
        subjects=["dwory-i-palace"],
        places=["osuchow", "osuchow-zespol-palacowo-parkowy"],
        creators=[("feliks-wolowski", "creator")],
        related=["MOK-Z-0010"],
    ),
    item(
        "MOK-Z-0010",
        "monument",
        "Kościół św. Stanisława Biskupa w Osuchowie",
        "Church of St Stanislaus, Osuchów",
        "1875/1889",
        """
Parafia w Osuchowie, założona przez ród Osuchowskich, jest poświadczona od 1445 r. Obecny
kościół ufundował Feliks Wołowski, a zaprojektował architekt Bronisław Nukłanowicz. Według
diecezji zbudowano go w latach 1875–1882 i poświęcono w 1883 r.; polska Wikipedia podaje
natomiast rok 1889 i styl neogotycki — przedział dat w rekordzie obejmuje obie wersje. Obok
stoją XVIII-wieczna drewniana dzwonnica i grobowiec rodzin Skulskich i Wołowskich.
""",
        """
The Osuchów parish, founded by the Osuchowski family, is recorded from 1445. The present church
was funded by Feliks Wołowski and designed by the architect Bronisław Nukłanowicz. According to
the diocese it was built in 1875–1882 and blessed in 1883; Polish Wikipedia gives 1889 and a
neo-Gothic style instead — the record's date range covers both. Beside it stand an
eighteenth-century wooden belfry and the tomb of the Skulski and Wołowski families.
""",
        sources=["S43", "S44"],
        subjects=["koscioly"],
        places=["osuchow"],
        creators=[("bronislaw-nuklanowicz", "architect"), ("feliks-wolowski", "creator")],
        related=["MOK-Z-0009"],
    ),
    item(
        "MOK-Z-0011",
        "monument",
        "Drewniany kościół Trójcy Świętej w Lutkówce",
        "Wooden church of the Holy Trinity, Lutkówka",
        "1744?",
        """
Modrzewiowy kościół, w którym na kropielnicy przy głównym wejściu wyryto rok 1744; czy to data
budowy — nie jest pewne, stąd znak zapytania. Przybudówki przy prezbiterium dodano na początku
XX w.; całość jest oszalowana deskami i ma niewielką wieżyczkę na sygnaturkę. Parafia jest
poświadczona od 1445 r., księgi chrztów prowadzi od 1802 r. W ołtarzach m.in. marmurowe
przedstawienie Trójcy Świętej z gdańskiej pracowni Abrahama van den Blocke i ołtarz boczny św.
Rocha.
""",
        """
A larch-wood church with the year 1744 carved into the holy-water stoup at the main entrance;
whether that is the year it was built is uncertain, hence the question mark. Annexes by the
chancel were added in the early 20th century; the whole is clad in boards and has a small bell
turret. The parish is recorded from 1445 and its baptism registers begin in 1802. The altars
include a marble Holy Trinity from Abraham van den Blocke's Gdańsk workshop and a side altar of
St Roch.
""",
        sources=["S45", "S46"],
        subjects=["koscioly", "sztuka-sakralna"],
        places=["lutkowka"],
        related=["MOK-S-0003", "MOK-T-0004"],
    ),
    item(
        "MOK-Z-0012",
        "monument",
        "Kapliczka św. Onufrego w Ciemno-Gnojnej",
        "Shrine of St Onuphrius, Ciemno-Gnojna",
        "1733?",
        """
Kapliczka na granicy Gnojnej i Ciemnego nosi uszkodzony napis „Św. Onufry módl się za nami
ludopachołkami” i datę zaczynającą się od „17…”, odczytywaną najpewniej jako 1733 — rok
podwójnej elekcji. Kapliczka leży przy żółtym szlaku „Pisi Gągoliny”.
""",
        """
The shrine on the border of Gnojna and Ciemne bears a damaged inscription, “Św. Onufry módl się
za nami ludopachołkami” (a prayer to St Onuphrius), and a date beginning “17…”, most probably
read as 1733 — the year of the double royal election. It lies on the yellow “Pisia Gągolina”
trail.
""",
        sources=["S100", "S101"],
        subjects=["kapliczki", "religijnosc-ludowa"],
        places=["ciemno-gnojna"],
        related=["MOK-M-0002"],
    ),
    item(
        "MOK-Z-0013",
        "monument",
        "Ruiny pałacu we Wręczy",
        "The ruined palace at Wręcza",
        "1850~",
        """
Wieś wzięła nazwę od rodu Wręckich (Andrzej Wręcki płacił tu podatek w 1579 r.). Pałac w stylu
„romantycznego gotyku” zbudowano około połowy XIX w. dla Kossakowskich w miejscu drewnianego
dworu. Od 1881 r. należał do Chrapowickich i do 1939 r. służył jako letnia rezydencja; w latach
1919–1923 część pomieszczeń zajmowała szkoła. Dziś to ruina w starym parku.
""",
        """
The village is named after the Wręcki family (Andrzej Wręcki paid tax here in 1579). The palace,
in a “romantic Gothic” style, was built about the middle of the 19th century for the Kossakowski
family on the site of a wooden manor. From 1881 it belonged to the Chrapowicki family and was a
summer residence until 1939; in 1919–1923 a school used some of its rooms. Today it is a ruin in
an old park.
""",
        sources=["S65"],
        subjects=["dwory-i-palace"],
        places=["wrecza"],
    ),
    item(
        "MOK-Z-0014",
        "monument",
        "Dwór w Piekarach",
        "The manor at Piekary",
        "1700/1850",
        """
Klasycystyczny, murowany i tynkowany dwór na planie prostokąta, o dziewięciu osiach. Gmina
podaje, że powstał w pierwszej połowie XIX w., a program ochrony środowiska datuje zespół
dworski na XVIII w. — rekord obejmuje oba okresy. Dwór wyremontowano w 1908 r.; w 1968 r. kupili
go od Symforiana Woyszwiłły Marczewscy. Otacza go park o powierzchni 6,8 ha z pomnikowymi
drzewami.
""",
        """
A classical-style manor, brick and plastered, rectangular, nine bays wide. The municipality says
it was built in the first half of the 19th century, while the environmental programme dates the
manor complex to the 18th century — the record covers both. It was renovated in 1908 and bought
in 1968 by the Marczewski family from Symforian Woyszwiłło. It stands in a park of 6.8 ha with
monumental trees.
""",
        sources=["S41", "S16"],
        subjects=["dwory-i-palace"],
        places=["piekary"],
    ),
    item(
        "MOK-Z-0015",
        "monument",
        "Termy Mszczonów",
        "Mszczonów thermal baths",
        "2008-06-28",
        """
Kąpielisko geotermalne otwarte 28 czerwca 2008 r., zbudowane przy wsparciu funduszy unijnych
według projektu pracowni Wojciecha Kornatowskiego. Woda pochodzi z odwiertu Mszczonów IG-1 o
głębokości 1602,5 m (jeden z portali podaje 1714 m), ma na wypływie ok. 42°C, jest
brunatnozielona i mętna od żelaza i nie jest filtrowana. Są tu basen kryty i odkryty (32–34°C),
kryte lodowisko i trawiasta plaża; obiekt prowadzi OSiR przy ul. Warszawskiej 52.
""",
        """
A geothermal bathing complex opened on 28 June 2008, built with EU support to a design by
Wojciech Kornatowski's studio. The water comes from the Mszczonów IG-1 well, 1,602.5 m deep (one
portal says 1,714 m); it reaches the surface at about 42°C, is brownish-green and cloudy from
iron, and is not filtered. There are an indoor and an outdoor pool (32–34°C), a covered ice rink
and a grass beach; the complex is run by the sports centre OSiR at 52 Warszawska Street.
""",
        sources=["S23", "S25", "S106", "S107", "S109"],
        subjects=["geotermia"],
        related=["MOK-Z-0016"],
    ),
    item(
        "MOK-Z-0016",
        "monument",
        "Deepspot — głęboki basen nurkowy",
        "Deepspot — a deep diving pool",
        "2020-10/2020-12",
        """
Basen przy ul. Warszawskiej budowano od lipca 2018 r. Termin otwarcia źródła podają różnie
(październik, listopad lub grudzień 2020 r.), dlatego data jest przedziałem. Ma około 45 m
głębokości i ok. 8000 m³ wody o temperaturze 32–34°C; są w nim sztuczne jaskinie, wrak i szklany
tunel dla widzów. W chwili otwarcia był najgłębszym basenem na świecie — do lipca 2021 r., gdy
tytuł przejął Deep Dive Dubai.
""",
        """
The pool on Warszawska Street was under construction from July 2018. Sources give different
opening months (October, November or December 2020), so the date is a range. It is about 45 m
deep and holds about 8,000 m³ of water at 32–34°C, with artificial caves, a wreck and a glass
tunnel for spectators. When it opened it was the deepest pool in the world — until July 2021,
when Deep Dive Dubai took the title.
""",
        sources=["S17", "S18", "S19", "S20", "S21", "S22", "S26"],
        subjects=["geotermia"],
        related=["MOK-Z-0015"],
    ),
    item(
        "MOK-Z-0017",
        "monument",
        "„Szpitalik” — najstarszy budynek miejski",
        "The “Szpitalik” — the oldest town building",
        "17XX",
        """
XVIII-wieczny budynek, uważany za najstarszy zachowany budynek miejski Mszczonowa. Po trzecim
rozbiorze Prusacy urządzili w nim szpital wojskowy — stąd nazwa. Adres nie został w źródłach
podany.
""",
        """
An eighteenth-century building, said to be the oldest surviving town building of Mszczonów.
After the Third Partition the Prussians used it as a military hospital — hence its name (“the
little hospital”). The sources do not give its address.
""",
        sources=["S48"],
        subjects=["samorzad"],
    ),
    item(
        "MOK-Z-0018",
        "monument",
        "Pomnik w miejscu egzekucji z 8 września 1939",
        "Monument at the execution site of 8 September 1939",
        "",
        """
Po zajęciu miasta 8 września 1939 r. Niemcy rozstrzelali tu polskich jeńców wojennych (według
Wikipedii 11) i cywilów. Pomnik stoi w parku przy ul. Grójeckiej. Data jego wzniesienia nie jest
znana.
""",
        """
After taking the town on 8 September 1939 the Germans shot Polish prisoners of war (11,
according to Wikipedia) and civilians here. The monument stands in the park on Grójecka Street.
The year it was put up is not known.
""",
        sources=["S4", "S37"],
        subjects=["pomniki", "wrzesien-1939", "ii-wojna-swiatowa"],
        related=["MOK-T-0002"],
    ),
    # ---- artifacts --------------------------------------------------------------------------
    item(
        "MOK-A-0001",
        "artifact",
        "Pieczęć miejska Mszczonowa z XVI wieku",
        "Sixteenth-century seal of Mszczonów",
        "15XX",
        """
Najstarsza czytelna pieczęć miasta przedstawia basztę ze spiczastym dachem; tego wizerunku
używano jeszcze w XVIII w., a w 2020 r. posłużył za wzór nowego herbu. Starszą, gotycką pieczęć
z basztą z XV w. opisał „Miesięcznik Heraldyczny” w 1937 r.
"""
        + ORIGINAL_NOTE,
        """
The oldest legible seal of the town shows a tower with a pointed roof; the image was still in
use in the 18th century and in 2020 became the model for the new arms. An older, Gothic
fifteenth-century seal with a tower was described by “Miesięcznik Heraldyczny” in 1937.
"""
        + ORIGINAL_NOTE_EN,
        sources=["S32", "S33", "S34"],
        subjects=["herb"],
        related=["MOK-S-0005", "MOK-A-0002"],
        licence="PDM",
        rights_holder="",
    ),
    item(
        "MOK-A-0002",
        "artifact",
        "Plomba zbożowa z wizerunkiem baszty",
        "Grain seal with the image of a tower",
        "16XX",
        """
XVII-wieczna plomba zbożowa — znak używany w handlu zbożem — pokazuje dwukondygnacyjną basztę,
kolejną odmianę godła miasta. W 1923 r. magistrat oświadczył, że nie zna ani herbu, ani dawnych
pieczęci Mszczonowa.
"""
        + ORIGINAL_NOTE,
        """
A seventeenth-century grain seal (plomba zbożowa, a tag used in the grain trade) shows a
two-storey tower, another version of the town emblem. In 1923 the town magistrate stated that it
knew of no arms or old seals of Mszczonów.
"""
        + ORIGINAL_NOTE_EN,
        sources=["S33"],
        subjects=["herb", "handel"],
        related=["MOK-A-0001"],
        licence="PDM",
        rights_holder="",
    ),
    item(
        "MOK-A-0003",
        "artifact",
        "Pamiątki po płk. Wincentym Wnuku",
        "Objects recalling Col. Wincenty Wnuk",
        "1926/2010",
        """
Zestaw pokazany w cyklu „Eksponat tygodnia” Izby Pamięci Ziemi Mszczonowskiej: hełm Adrian wz.
26, jakiego używał 3 Pułk Grenadierów dowodzony przez Wnuka we Francji, repliki odznak 31 Pułku
Strzelców Kaniowskich oraz nawiązanie do Krzyża Komandorskiego Orderu Odrodzenia Polski,
nadanego Wnukowi pośmiertnie przez prezydenta Lecha Kaczyńskiego. Przedział dat sięga od wzoru
hełmu (1926) do końca tej prezydentury; rok odznaczenia nie jest podany.
""",
        """
A set shown in the “Exhibit of the week” series of the Memorial Room of the Mszczonów Land: an
Adrian helmet model 1926, as used by the 3rd Grenadiers Regiment that Wnuk commanded in France,
replica badges of the 31st Kaniów Rifles Regiment, and a reference to the Commander's Cross of
the Order of Polonia Restituta awarded to Wnuk posthumously by President Lech Kaczyński. The
date range runs from the helmet model (1926) to the end of that presidency; the year of the
award is not given.
""",
        sources=["S39"],
        subjects=["wrzesien-1939", "ii-wojna-swiatowa"],
        creators=[("wincenty-wnuk", "depicted"), ("izba-pamieci", "publisher")],
        related=["MOK-T-0002", "MOK-Z-0007"],
        rights_holder="Izba Pamięci Ziemi Mszczonowskiej (obiekty); MOK (opis)",
    ),
    item(
        "MOK-A-0004",
        "artifact",
        "Urny z ziemią z Irkucka i Tunki",
        "Urns with soil from Irkutsk and Tunka",
        "2022-12-29",
        """
Podczas uroczystości „Powrót Bohatera” 29 grudnia 2022 r. przywieziono do kościoła w Mszczonowie
urny z ziemią z Irkucka i Tunki — miejsc zesłania i pochówku ks. Władysława Polkowskiego,
powstańczego naczelnika miasta w 1863 r. Ziemię złożono w kolumnie „Gloria Victis”; symboliczny
pochówek odbył się 21 stycznia 2023 r.
""",
        """
During the “Return of the Hero” ceremony on 29 December 2022, urns with soil from Irkutsk and
Tunka — where Fr. Władysław Polkowski, the insurgents' head of the town in 1863, was exiled and
buried — were brought to the Mszczonów church. The soil was placed in the “Gloria Victis”
column; the symbolic burial took place on 21 January 2023.
""",
        sources=["S76", "S77", "S78"],
        subjects=["powstanie-styczniowe"],
        places=["mszczonow", "irkuck"],
        creators=[("wladyslaw-polkowski", "depicted")],
        related=["MOK-Z-0008"],
    ),
    item(
        "MOK-A-0005",
        "artifact",
        "Najstarsze macewy cmentarza żydowskiego",
        "The oldest matzevot of the Jewish cemetery",
        "1772/1791",
        """
Spośród zachowanych nagrobków (macew) najstarsze noszą daty 1772, 1778, 1784, 1788 i 1791.
Według opisu z 2021 r. macewy zwrócone są na wschód i mają rzeźbione symbole. Ile nagrobków
przetrwało, źródła podają różnie.
""",
        """
Of the surviving gravestones (matzevot), the oldest are dated 1772, 1778, 1784, 1788 and 1791. A
2021 description says the matzevot face east and bear carved symbols. Sources differ on how many
gravestones survive.
""",
        sources=["S66", "S67", "S12"],
        subjects=["zydzi", "cmentarze"],
        places=["mszczonow-cmentarz-zydowski"],
        related=["MOK-Z-0002"],
    ),
    # ---- maps -------------------------------------------------------------------------------
    item(
        "MOK-M-0001",
        "map",
        "Mapa okolic Mszczonowa z 1937 roku (WIG)",
        "Map of the Mszczonów area, 1937 (WIG)",
        "1937",
        """
Przedwojenna mapa topograficzna okolic Mszczonowa, przypisywana archiwum map Wojskowego
Instytutu Geograficznego. Kronika nie przechowuje skanu tej mapy; obraz przy rekordzie to karta
zastępcza.
""",
        """
A pre-war topographic map of the Mszczonów area, credited to the map archive of the Military
Geographical Institute (WIG). Kronika does not hold a scan of this map; the image with this
record is a placeholder card.
""",
        sources=["S10"],
        subjects=["kartografia"],
        places=["mszczonow", "gmina-mszczonow"],
        creators=[("wig", "publisher")],
        licence="InC",
        rights_holder=UNKNOWN,
    ),
    item(
        "MOK-M-0002",
        "map",
        "Szlak „Pisi Gągoliny” — przebieg trasy",
        "The “Pisia Gągolina” trail — route",
        "",
        """
Żółty szlak turystyczny o długości 46 km prowadzi pętlą z Mszczonowa przez Radziejowice i
Żyrardów z powrotem do Mszczonowa; po drodze mija m.in. kapliczkę św. Onufrego w Ciemno-Gnojnej,
w której okolicy leży rezerwat „Stawy Gnojna”. Rekord opisuje przebieg szlaku; mapa nie jest w
archiwum przechowywana, a obraz to karta zastępcza.
""",
        """
A yellow hiking trail, 46 km long, loops from Mszczonów through Radziejowice and Żyrardów back
to Mszczonów; on the way it passes the St Onuphrius shrine at Ciemno-Gnojna, near which lies the
“Stawy Gnojna” nature reserve. The record describes the route; no map is held in the archive,
and the image is a placeholder card.
""",
        sources=["S101", "S100"],
        subjects=["kartografia"],
        places=["gmina-mszczonow", "ciemno-gnojna", "zyrardow"],
        related=["MOK-Z-0012"],
    ),
    # ---- recordings (events described; no audio or video held) -----------------------------
    item(
        "MOK-N-0001",
        "recording",
        "Rekonstrukcja nocnej bitwy o Mszczonów, 10 września 2010",
        "Re-enactment of the night battle for Mszczonów, 10 September 2010",
        "2010-09-10",
        """
Wieczorem 10 września 2010 r., od godz. 19.30, blisko 80 rekonstruktorów z pojazdami i bronią z
epoki odtworzyło nocne walki 31 Pułku Strzelców Kaniowskich z 1939 r. Zapowiadano je jako drugą
po Łowiczu rekonstrukcję bitwy nocnej.
"""
        + EVENT_NOTE,
        """
On the evening of 10 September 2010, from 7.30 pm, nearly 80 re-enactors with period vehicles
and weapons restaged the night fighting of the 31st Kaniów Rifles Regiment in 1939. It was
announced as the second night-battle re-enactment after Łowicz.
"""
        + EVENT_NOTE_EN,
        sources=["S38"],
        subjects=["rekonstrukcje", "wrzesien-1939"],
        creators=[("grh-strzelcy", "performer")],
        related=["MOK-T-0002"],
    ),
    item(
        "MOK-N-0002",
        "recording",
        "Jarmark Mszczonowski i jubileusz straży, 6 czerwca 2010",
        "The Mszczonów Fair and the fire brigade jubilee, 6 June 2010",
        "2010-06-06",
        """
Drugi dzień Jarmarku Mszczonowskiego 2010 połączono z jubileuszem 130-lecia Ochotniczej Straży
Pożarnej i 120-lecia jej orkiestry dętej.
"""
        + EVENT_NOTE,
        """
The second day of the 2010 Mszczonów Fair was combined with the 130th anniversary of the
volunteer fire brigade and the 120th of its brass band.
"""
        + EVENT_NOTE_EN,
        sources=["S98"],
        subjects=["straz-pozarna", "muzyka", "handel"],
        creators=[("orkiestra-deta-osp", "performer"), ("osp-mszczonow", "creator")],
        related=["MOK-T-0001", "MOK-T-0006"],
    ),
    item(
        "MOK-N-0003",
        "recording",
        "„Ścieżkami Jana Adama Maklakiewicza”, 1 września 2024",
        "“In the footsteps of Jan Adam Maklakiewicz”, 1 September 2024",
        "2024-09-01",
        """
Plenerowe wydarzenie w parku miejskim w 70. rocznicę śmierci kompozytora. Wystąpili m.in. zespół
ludowy Guzowianki, chór Senior+ i Kabaret Ławeczka.
"""
        + EVENT_NOTE,
        """
An open-air event in the town park on the 70th anniversary of the composer's death. Performers
included the folk group Guzowianki, the Senior+ choir and Kabaret Ławeczka.
"""
        + EVENT_NOTE_EN,
        sources=["S90"],
        subjects=["muzyka", "kultura"],
        creators=[("jan-adam-maklakiewicz", "depicted")],
        related=["MOK-Z-0005"],
    ),
    # ---- traditions -------------------------------------------------------------------------
    item(
        "MOK-T-0001",
        "tradition",
        "Orkiestra Dęta OSP Mszczonów",
        "The Mszczonów fire brigade brass band",
        "1890/..",
        """
Orkiestra powstała formalnie w 1890 r. przy straży pożarnej (założonej w 1880 r.); pierwszym
kapelmistrzem był Aleksander Kuźniecow. Strona OSP przypisuje jej założenie hrabiemu
Kazimierzowi Krasińskiemu i — powołując się na Polski Związek Chórów i Orkiestr — nazywa ją
najstarszą działającą orkiestrą dętą w Polsce. Od 1936 r. ćwiczy w nowej remizie. Gra niemal na
każdej uroczystości miejskiej i parafialnej.
""",
        """
The band was formally founded in 1890 within the fire brigade (founded in 1880); its first
bandmaster was Aleksander Kuźniecow. The fire brigade's website credits Count Kazimierz
Krasiński with creating it and — citing the Polish Union of Choirs and Orchestras — calls it the
oldest functioning brass band in Poland. Since 1936 it has rehearsed in the new fire station. It
plays at almost every town and parish celebration.
""",
        sources=["S96", "S97", "S98"],
        subjects=["straz-pozarna", "muzyka"],
        creators=[("orkiestra-deta-osp", "performer"), ("osp-mszczonow", "creator")],
        related=["MOK-N-0002", "MOK-F-0005"],
    ),
    item(
        "MOK-T-0002",
        "tradition",
        "Rocznica Bitwy Mszczonowskiej — 11 września",
        "Anniversary of the Battle of Mszczonów — 11 September",
        "1939-09-11",
        """
Nocnym atakiem 11 września 1939 r. 31 Pułk Strzelców Kaniowskich ppłk. Wincentego Wnuka odbił
Mszczonów z rąk tylnych oddziałów niemieckiego XVI Korpusu Pancernego — było to jedno z
nielicznych polskich zwycięstw tamtego września. W odwecie Niemcy rozstrzelali około 20
mieszkańców, w tym burmistrza Aleksandra Tańskiego, proboszcza ks. Józefa Wierzejskiego i
lekarza Stanisława Zarachowicza; wikariusza ks. Władysława Gołędowskiego zastrzelono, gdy
opatrywał rannego. Spłonęło ok. 80% zabudowy.

Co roku 11 września miasto wspomina bitwę wieczorną mszą, zniczami pod pomnikami, a czasem
rekonstrukcją. (Źródła różnią się co do dnia zajęcia miasta przez Niemców: 5 lub 8 września.)
""",
        """
In the night of 11 September 1939 the 31st Kaniów Rifles Regiment under Lt-Col. Wincenty Wnuk
retook Mszczonów from rear units of the German XVI Panzer Corps — one of the few Polish
victories of that September. In reprisal the Germans shot about 20 inhabitants, among them mayor
Aleksander Tański, parish priest Fr. Józef Wierzejski and doctor Stanisław Zarachowicz; the
vicar, Fr. Władysław Gołędowski, was shot while dressing a wounded man. About 80% of the
buildings burned.

Every 11 September the town remembers the battle with an evening Mass, candles at the monuments
and sometimes a re-enactment. (Sources differ on the day the Germans first took the town: 5 or 8
September.)
""",
        sources=["S4", "S37", "S38", "S39", "S70"],
        subjects=["wrzesien-1939", "ii-wojna-swiatowa", "swieta-i-obrzedy"],
        creators=[("wincenty-wnuk", "depicted")],
        related=["MOK-Z-0007", "MOK-N-0001", "MOK-A-0003", "MOK-F-0006", "MOK-Z-0018"],
    ),
    item(
        "MOK-T-0003",
        "tradition",
        "Kolęda Jana Adama Maklakiewicza na pasterkę 1918 roku",
        "Jan Adam Maklakiewicz's carol for the 1918 Midnight Mass",
        "1918-12",
        """
Na pierwszą pasterkę w niepodległej Polsce, w grudniu 1918 r., młody Jan Adam Maklakiewicz
napisał kolędę, którą zaśpiewano w kościele w Mszczonowie. Wikipedia nazywa ją jego pierwszym
publicznie wykonanym utworem. Tytuł, nuty ani nagranie nie są w źródłach wskazane.
""",
        """
For the first Christmas Midnight Mass in independent Poland, in December 1918, the young Jan
Adam Maklakiewicz wrote a carol that was sung in the Mszczonów church. Wikipedia calls it his
first publicly performed work. The sources name no title, score or recording.
""",
        sources=["S57", "S59"],
        subjects=["muzyka", "swieta-i-obrzedy", "koscioly"],
        creators=[("jan-adam-maklakiewicz", "creator")],
        related=["MOK-Z-0005", "MOK-Z-0001"],
        image=False,
    ),
    item(
        "MOK-T-0004",
        "tradition",
        "Odpust św. Rocha w Lutkówce",
        "St Roch's feast at Lutkówka",
        "",
        """
Na doroczny odpust ku czci św. Rocha do kościoła w Lutkówce przybywają pielgrzymi, by modlić się
o zdrowie; uroczystościom towarzyszy festyn. Gmina wymienia odpust wśród wydarzeń
współorganizowanych z Mszczonowskim Ośrodkiem Kultury.
""",
        """
Pilgrims come to the Lutkówka church every year for the feast of St Roch to pray for health; the
feast comes with a fair. The municipality lists it among the events run with the Mszczonów
Culture Centre.
""",
        sources=["S28", "S47"],
        subjects=["swieta-i-obrzedy", "religijnosc-ludowa"],
        places=["lutkowka"],
        related=["MOK-Z-0011"],
    ),
    item(
        "MOK-T-0005",
        "tradition",
        "Urodziny Mszczonowa",
        "Mszczonów's birthday",
        "",
        """
W marcu miasto obchodzi rocznicę nadania praw miejskich (1377): mszą w kościele parafialnym i
widowiskiem historycznym — w 2018 r., na 641. urodziny, odegrano pożegnanie oddziału
powstańczego z 1863 r. W 2026 r. przypada 649. rocznica. Latem mieszkańcy świętują też w
amfiteatrze w parku miejskim.
""",
        """
In March the town celebrates the anniversary of its charter (1377) with a Mass in the parish
church and a historical staging — for the 641st birthday in 2018 it was the farewell of an
insurgent unit of 1863. 2026 marks the 649th anniversary. In summer residents also celebrate in
the amphitheatre of the town park.
""",
        sources=["S6", "S30", "S31"],
        subjects=["swieta-i-obrzedy", "prawa-miejskie"],
        creators=[("gci-mszczonow", "creator")],
        related=["MOK-D-0002"],
    ),
    item(
        "MOK-T-0006",
        "tradition",
        "Jarmark Mszczonowski",
        "The Mszczonów Fair",
        "1997~/..",
        """
Coroczny jarmark na początku czerwca. W 2015 r. odbył się po raz dziewiętnasty — stąd wniosek,
że pierwszy zorganizowano około 1997 r. (data przybliżona, wyliczona, nie poświadczona wprost).
Historycznym poprzednikiem są jarmarki nadane miastu przez Stanisława Augusta w 1776 r.
""",
        """
An annual fair in early June. The 2015 fair was the nineteenth — from which we infer that the
first was held around 1997 (an approximate date, calculated, not stated in a source). Its
historical precedent is the fairs granted to the town by King Stanisław August in 1776.
""",
        sources=["S80", "S98", "S5"],
        subjects=["handel", "swieta-i-obrzedy"],
        creators=[("mok", "creator")],
        related=["MOK-D-0007", "MOK-N-0002"],
    ),
    item(
        "MOK-T-0007",
        "tradition",
        "Festiwal Świętojański",
        "The Midsummer (St John's) Festival",
        "2016~/..",
        """
Festiwal wymyślił Piotr Dymecki, by ożywić Izbę Pamięci Rodziny Maklakiewiczów; odbywa się w
czerwcu, bo założyciele rodu nosili imię Jan. Ósma edycja odbyła się 17 czerwca 2023 r., co
wskazywałoby na początek ok. 2016 r.; festiwal wspomniano jednak już w 2015 r. — stąd data
przybliżona.
""",
        """
The festival was devised by Piotr Dymecki to bring life to the Maklakiewicz Family Memorial
Room; it is held in June because the family's founders were called Jan (John). The eighth
edition took place on 17 June 2023, which would point to a start around 2016; yet the festival
was mentioned as early as 2015 — hence the approximate date.
""",
        sources=["S91", "S80"],
        subjects=["swieta-i-obrzedy", "muzyka", "kultura"],
        creators=[("gci-mszczonow", "creator")],
        related=["MOK-Z-0005"],
    ),
    item(
        "MOK-T-0008",
        "tradition",
        "Legenda o odnowionym obrazie Matki Boskiej",
        "The legend of the self-renewed image of the Virgin",
        "1956",
        """
Według lokalnej broszury z legendami wyblakły obraz Matki Boskiej Częstochowskiej na krzyżu u
zbiegu ulic Tarczyńskiej i Dworcowej miał w 1956 r. — w roku odnowienia Ślubów Jasnogórskich —
„sam się odnowić”. To opowieść ludowa, nie fakt historyczny. Nieopodal, przy rondzie, stoi
kapliczka, najpierw drewniana, później przebudowana z czerwonej cegły.
""",
        """
According to a local booklet of legends, a faded image of Our Lady of Częstochowa on the cross
at the corner of Tarczyńska and Dworcowa Streets “renewed itself” in 1956 — the year the Jasna
Góra vows were renewed. It is a folk tale, not a historical fact. Nearby, by the roundabout,
stands a shrine, first wooden and later rebuilt in red brick.
""",
        sources=["S99"],
        subjects=["legendy", "kapliczki", "religijnosc-ludowa"],
        image=False,
    ),
    # ---- publications -----------------------------------------------------------------------
    item(
        "MOK-P-0001",
        "publication",
        "„Gazeta Polska” o poświęceniu kamienia węgielnego, 13 maja 1862",
        "Gazeta Polska on the blessing of the cornerstone, 13 May 1862",
        "1862-05-13",
        """
Notka w rubryce „Kronika” warszawskiej „Gazety Polskiej” (1862, nr 108, 13 maja) opisuje
poświęcenie kamienia węgielnego pod nowy kościół w Mszczonowie przez abp. Zygmunta Szczęsnego
Felińskiego — pierwszą taką uroczystość w jego biskupiej posłudze.
""",
        """
A note in the “Kronika” column of the Warsaw daily “Gazeta Polska” (1862, no. 108, 13 May)
describes the blessing of the cornerstone of the new church in Mszczonów by Archbishop Zygmunt
Szczęsny Feliński — his first such ceremony as a bishop.
""",
        sources=["S15"],
        subjects=["prasa", "koscioly"],
        places=["mszczonow", "warszawa"],
        creators=[("gazeta-polska", "publisher"), ("zygmunt-szczesny-felinski", "depicted")],
        related=["MOK-P-0002", "MOK-Z-0001"],
        licence="PDM",
        rights_holder="",
    ),
    item(
        "MOK-P-0002",
        "publication",
        "„Pamiętnik Religijno-Moralny” o kościele w Mszczonowie, czerwiec 1862",
        "Pamiętnik Religijno-Moralny on the Mszczonów church, June 1862",
        "1862-06",
        """
Drugie współczesne sprawozdanie z majowej uroczystości poświęcenia kamienia węgielnego przez
abp. Felińskiego ukazało się w czerwcowym numerze „Pamiętnika Religijno-Moralnego” z 1862 r.
""",
        """
A second contemporary report of the May ceremony at which Archbishop Feliński blessed the
cornerstone appeared in the June 1862 issue of “Pamiętnik Religijno-Moralny”.
""",
        sources=["S15"],
        subjects=["prasa", "koscioly"],
        creators=[("zygmunt-szczesny-felinski", "depicted")],
        related=["MOK-P-0001"],
        licence="PDM",
        rights_holder="",
    ),
    item(
        "MOK-P-0003",
        "publication",
        "Wielki pożar Mszczonowa 1862 w Encyklopedii Orgelbranda",
        "The great fire of 1862 in Orgelbrand's encyclopedia",
        "1865",
        """
9 października 1862 r. miasto strawił największy w jego dziejach pożar: spłonęły niemal
wszystkie domy, ocalały tylko dom gminny, rzeźnia, około 30 domów i szopa na narzędzia. Dla
porównania w 1860 r. liczono tu 203 domy, w tym 21 murowanych. Pożar opisała encyklopedia
Orgelbranda w 1865 r.
""",
        """
On 9 October 1862 the worst fire in the town's history burned almost every house; only the
community house, the slaughterhouse, about 30 houses and a tool shed survived. For comparison,
203 houses, 21 of them brick, were counted in 1860. Orgelbrand's encyclopedia described the fire
in 1865.
""",
        sources=["S7", "S5", "S2"],
        subjects=["pozary", "prasa"],
        licence="PDM",
        rights_holder="",
    ),
    item(
        "MOK-P-0004",
        "publication",
        "Hirsz Dawid Nomberg — twórczość pisarza urodzonego w Mszczonowie",
        "Hersh Dovid Nomberg — the writings of an author born in Mszczonów",
        "1876/1927",
        """
Rekord zbiorczy dla dorobku Hirsza Dawida Nomberga (1876–1927), prozaika, publicysty i tłumacza
piszącego w jidysz i po hebrajsku, urodzonego w Mszczonowie, zmarłego w Otwocku. Był
współzałożycielem fołkistów, posłem na Sejm Ustawodawczy (1919–1920) oraz współzałożycielem i w
latach 1925–1927 przewodniczącym Związku Literatów i Dziennikarzy Żydowskich. Przedział dat
obejmuje jego życie. Dzień urodzin źródła podają różnie (4, 7 lub 14 kwietnia).
""",
        """
A collective record for the work of Hersh Dovid Nomberg (1876–1927), a prose writer, journalist
and translator writing in Yiddish and Hebrew, born in Mszczonów and died in Otwock. He
co-founded the Folkists, sat in the Legislative Sejm (1919–1920) and co-founded, and in
1925–1927 chaired, the Union of Jewish Writers and Journalists. The date range spans his life.
Sources differ on his birthday (4, 7 or 14 April).
""",
        sources=["S49", "S50", "S51", "S111"],
        subjects=["literatura-jidysz", "zydzi", "prasa"],
        places=["mszczonow", "warszawa"],
        creators=[("hirsz-dawid-nomberg", "author")],
        licence="PDM",
        rights_holder="",
    ),
    item(
        "MOK-P-0005",
        "publication",
        "„Merkuriusz Mszczonowski” nr 10 (156), październik 2009",
        "Merkuriusz Mszczonowski no. 10 (156), October 2009",
        "2009-10",
        """
Numer gminnego biuletynu informacyjnego (ISSN 1730-8186). Pisze m.in. o dożynkach gminnych w
Osuchowie 13 września 2009 r. („już po raz dziewiąty”), o dziesięcioleciu OSiR i o piątym
wyróżnieniu gminy w rankingu „Złota Setka” (2001, 2002, 2003, 2005, 2009).
""",
        """
An issue of the commune's information bulletin (ISSN 1730-8186). It covers, among other things,
the commune harvest festival in Osuchów on 13 September 2009 (“for the ninth time”), the tenth
anniversary of the sports centre OSiR and the commune's fifth listing in the “Golden Hundred”
ranking (2001, 2002, 2003, 2005, 2009).
""",
        sources=["S79"],
        subjects=["prasa", "swieta-i-obrzedy", "samorzad"],
        places=["gmina-mszczonow", "osuchow"],
        licence="InC",
        rights_holder="Wydawca „Merkuriusza Mszczonowskiego”",
    ),
    # ---- artworks ---------------------------------------------------------------------------
    item(
        "MOK-S-0001",
        "artwork",
        "Maurycy Appelbaum, „Kapela żydowska”",
        "Maurycy Appelbaum, “Jewish Band”",
        "1887/1931",
        """
Obraz rodzajowy malarza urodzonego w Mszczonowie, wymieniany wśród jego prac przez Szkołę
Dialogu. Appelbaum (1887–1931) studiował w Wiedniu, Liverpoolu i Londynie, był scenografem
teatru jidysz w Warszawie i członkiem grupy Jung Idysz. Data powstania obrazu nie jest znana —
przedział obejmuje życie artysty; nie wiadomo też, gdzie obraz się znajduje.
""",
        """
A genre painting by a painter born in Mszczonów, named among his works by the School of
Dialogue. Appelbaum (1887–1931) studied in Vienna, Liverpool and London, designed sets for the
Yiddish theatre in Warsaw and belonged to the Jung Idysz group. When the painting was made is
unknown — the range spans the artist's life; where it is now is not known either.
""",
        sources=["S13", "S52", "S53", "S54", "S112"],
        subjects=["malarstwo", "zydzi", "muzyka"],
        creators=[("maurycy-appelbaum", "artist")],
        related=["MOK-S-0002"],
        licence="PDM",
        rights_holder="",
    ),
    item(
        "MOK-S-0002",
        "artwork",
        "Maurycy Appelbaum, „Wesele”",
        "Maurycy Appelbaum, “Wedding”",
        "1887/1931",
        """
Drugi z obrazów rodzajowych Appelbauma wymienianych przez Szkołę Dialogu. Artysta malował też
polichromie synagog w Będzinie i Łomży, które nie przetrwały. Zmarł w 1931 r. — według jednych
źródeł w Krakowie, według innych w Katowicach. Data powstania i miejsce przechowywania obrazu
nie są znane.
""",
        """
The second of Appelbaum's genre paintings named by the School of Dialogue. The artist also
painted synagogue interiors in Będzin and Łomża, which have not survived. He died in 1931 — in
Kraków according to some sources, in Katowice according to others. When the painting was made
and where it is kept are not known.
""",
        sources=["S13", "S52", "S54", "S112"],
        subjects=["malarstwo", "zydzi", "swieta-i-obrzedy"],
        creators=[("maurycy-appelbaum", "artist")],
        related=["MOK-S-0001"],
        licence="PDM",
        rights_holder="",
    ),
    item(
        "MOK-S-0003",
        "artwork",
        "Ołtarz główny z przedstawieniem Trójcy Świętej w Lutkówce",
        "High altar with the Holy Trinity, Lutkówka",
        "1620~/1630~",
        """
Marmurowy ołtarz główny drewnianego kościoła w Lutkówce, z przedstawieniem Trójcy Świętej,
pochodzi z gdańskiej pracowni Abrahama van den Blocke i jest datowany na ok. 1620–1630 r.
(manieryzm niderlandzko-gdański). Informacja pochodzi z katalogu parafii w serwisie internetowym
i warto ją zweryfikować.
""",
        """
The marble high altar of the wooden church at Lutkówka, with the Holy Trinity, comes from
Abraham van den Blocke's workshop in Gdańsk and is dated to about 1620–1630 (Dutch–Gdańsk
Mannerism). The information comes from an online parish directory and is worth verifying.
""",
        sources=["S45"],
        subjects=["sztuka-sakralna", "koscioly"],
        places=["lutkowka"],
        creators=[("abraham-van-den-blocke", "artist")],
        related=["MOK-Z-0011"],
        licence="PDM",
        rights_holder="",
    ),
    item(
        "MOK-S-0004",
        "artwork",
        "Figura św. Anny nad stawem",
        "Figure of St Anne above the pond",
        "",
        """
Figura św. Anny stoi nad większym z dwóch Stawów Świętej Anny, ok. 4 km od miasta. Nie wiadomo,
kto i dlaczego ją postawił; jedna z hipotez wiąże ją z bitwą konfederatów barskich (1768–1772)
pod wodzą „generała Sawy” z wojskami rosyjskimi. Data powstania nie jest znana.
""",
        """
The figure of St Anne stands above the larger of the two St Anne's ponds, about 4 km from the
town. Who put it up and why is unknown; one theory links it to a battle of the Bar Confederation
(1768–1772) between Polish troops under “General Sawa” and Russian forces. Its date is unknown.
""",
        sources=["S41"],
        subjects=["kapliczki", "religijnosc-ludowa", "legendy"],
        places=["gmina-mszczonow"],
        image=False,
    ),
    item(
        "MOK-S-0005",
        "artwork",
        "Herb Mszczonowa (wzór z 2020 roku)",
        "The coat of arms of Mszczonów (2020 design)",
        "2020-06-24",
        """
Na białym (srebrnym) polu czerwona blankowana baszta między dwoma wykuszami; wszystkie mają
spiczaste czerwone dachy zwieńczone trójkątnymi proporczykami, zwróconymi na zewnątrz. W
wykuszach po jednej czarnej strzelnicy, w baszcie dwie strzelnice nad czarną bramą. Wzór
nawiązuje do XVI-wiecznej pieczęci miejskiej; herb przyjęła Rada Miejska 24 czerwca 2020 r.
""",
        """
On a white (silver) field a red crenellated tower between two oriels; all have pointed red roofs
topped with small triangular pennants turned outwards. Each oriel has one black loophole, and
the tower two loopholes above a black gateway. The design follows the sixteenth-century town
seal; the town council adopted the arms on 24 June 2020.
""",
        sources=["S32", "S34"],
        subjects=["herb"],
        creators=[("rada-miejska-mszczonow", "creator")],
        related=["MOK-D-0008", "MOK-A-0001"],
        licence="PDM",
        rights_holder="",
    ),
]

# Collections, parents before children; items in the order they are shown.
COLLECTIONS: list[dict] = [
    {
        "slug": "historia-miasta",
        "title": "Historia miasta",
        "title_en": "Town history",
        "description": "Od pierwszej wzmianki z 1245 r. przez lokację, pożary XIX wieku i "
        "wrzesień 1939 po czasy współczesne.",
        "description_en": "From the first mention in 1245 through the town charter, the fires "
        "of the 19th century and September 1939 to the present day.",
        "parent": None,
        "order": 1,
        "cover": "MOK-D-0002",
        "items": [
            "MOK-D-0001",
            "MOK-D-0002",
            "MOK-D-0003",
            "MOK-D-0005",
            "MOK-D-0007",
            "MOK-Z-0017",
            "MOK-P-0003",
            "MOK-F-0002",
            "MOK-Z-0016",
        ],
    },
    {
        "slug": "przywileje-i-herb",
        "title": "Przywileje, pieczęcie i herb",
        "title_en": "Privileges, seals and arms",
        "description": "Dokumenty, na których opierały się prawa miasta, i znaki, którymi się "
        "posługiwało — od pieczęci z XVI wieku po herb z 2020 r.",
        "description_en": "The documents the town's rights rested on and the emblems it used — "
        "from the sixteenth-century seal to the arms of 2020.",
        "parent": "historia-miasta",
        "order": 1,
        "cover": "MOK-S-0005",
        "items": [
            "MOK-D-0002",
            "MOK-D-0003",
            "MOK-D-0007",
            "MOK-A-0001",
            "MOK-A-0002",
            "MOK-D-0008",
            "MOK-S-0005",
        ],
    },
    {
        "slug": "wrzesien-1939",
        "title": "Wrzesień 1939 i okupacja",
        "title_en": "September 1939 and the occupation",
        "description": "Bitwa Mszczonowska, represje, zniszczenie miasta i pamięć o tych "
        "wydarzeniach.",
        "description_en": "The Battle of Mszczonów, the reprisals, the destruction of the town "
        "and how these events are remembered.",
        "parent": "historia-miasta",
        "order": 2,
        "cover": "MOK-T-0002",
        "items": [
            "MOK-T-0002",
            "MOK-F-0006",
            "MOK-Z-0018",
            "MOK-Z-0007",
            "MOK-A-0003",
            "MOK-N-0001",
            "MOK-D-0009",
        ],
    },
    {
        "slug": "zabytki",
        "title": "Zabytki gminy Mszczonów",
        "title_en": "Monuments of the Mszczonów commune",
        "description": "Kościoły, dwory, pałace i kapliczki miasta i okolicznych wsi.",
        "description_en": "Churches, manors, palaces and shrines of the town and the "
        "surrounding villages.",
        "parent": None,
        "order": 2,
        "cover": "MOK-Z-0009",
        "items": [
            "MOK-Z-0001",
            "MOK-Z-0009",
            "MOK-Z-0010",
            "MOK-Z-0011",
            "MOK-S-0003",
            "MOK-Z-0012",
            "MOK-Z-0013",
            "MOK-Z-0014",
            "MOK-Z-0017",
            "MOK-Z-0005",
            "MOK-Z-0006",
            "MOK-Z-0002",
        ],
    },
    {
        "slug": "dziedzictwo-zydowskie",
        "title": "Dziedzictwo żydowskie",
        "title_en": "Jewish heritage",
        "description": "Ślady gminy żydowskiej Mszczonowa (Amszynowa): cmentarz, mykwa, "
        "dokumenty, ludzie i pamięć o Zagładzie.",
        "description_en": "Traces of the Jewish community of Mszczonów (Amshinov): the "
        "cemetery, the mikvah, documents, people and the memory of the Holocaust.",
        "parent": None,
        "order": 3,
        "cover": "MOK-Z-0002",
        "items": [
            "MOK-Z-0002",
            "MOK-Z-0003",
            "MOK-A-0005",
            "MOK-Z-0004",
            "MOK-D-0004",
            "MOK-D-0006",
            "MOK-P-0004",
            "MOK-S-0001",
            "MOK-S-0002",
            "MOK-D-0009",
        ],
    },
    {
        "slug": "tradycje-i-swieta",
        "title": "Tradycje i święta",
        "title_en": "Traditions and feasts",
        "description": "Święta, odpusty, jarmarki, rocznice i legendy, którymi żyje gmina.",
        "description_en": "The feasts, church fairs, markets, anniversaries and legends of the "
        "commune.",
        "parent": None,
        "order": 4,
        "cover": "MOK-T-0001",
        "items": [
            "MOK-T-0005",
            "MOK-T-0006",
            "MOK-T-0007",
            "MOK-T-0004",
            "MOK-T-0001",
            "MOK-T-0002",
            "MOK-T-0003",
            "MOK-T-0008",
            "MOK-N-0002",
            "MOK-M-0002",
        ],
    },
    {
        "slug": "ludzie-mszczonowa",
        "title": "Ludzie Mszczonowa",
        "title_en": "People of Mszczonów",
        "description": "Kompozytorzy, pisarze, malarze, duchowni i żołnierze związani z miastem.",
        "description_en": "Composers, writers, painters, clergy and soldiers connected with the "
        "town.",
        "parent": None,
        "order": 5,
        "cover": "MOK-Z-0005",
        "items": [
            "MOK-Z-0005",
            "MOK-N-0003",
            "MOK-P-0004",
            "MOK-S-0001",
            "MOK-Z-0008",
            "MOK-A-0004",
            "MOK-A-0003",
            "MOK-Z-0003",
        ],
    },
]
