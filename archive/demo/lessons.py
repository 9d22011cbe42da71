"""Demo lesson packs and stories: plain data, in our own words, from the project's fact sheet.

Every item named here is a published demo item (archive.demo.items); the loader publishes
each lesson and story through `Narrative.publish()`, so the rule "a published narrative
shows only published items" is checked as for any curator's work. Curriculum references
describe the requirement in words: no numbering of the core curriculum is given where we
could not check it.
"""

from __future__ import annotations

LESSONS: list[dict] = [
    {
        "slug": "mszczonow-w-czasie-ii-wojny-swiatowej",
        "title": "Mszczonów w czasie II wojny światowej",
        "title_en": "Mszczonów during the Second World War",
        "summary": (
            "Wrzesień 1939 r. w małym mieście na drodze frontu: egzekucja jeńców, nocna "
            "Bitwa Mszczonowska, spalone miasto, a potem getto i zagłada żydowskich "
            "mieszkańców. Uczniowie pracują na obiektach z archiwum i pytają, jak miasto "
            "pamięta te wydarzenia dziś."
        ),
        "summary_en": (
            "September 1939 in a small town on the front line: the execution of prisoners, "
            "the night Battle of Mszczonów, the burnt town, then the ghetto and the murder of "
            "the Jewish inhabitants. Pupils work with archive items and ask how the town "
            "remembers these events today."
        ),
        "author": "Mszczonowski Ośrodek Kultury",
        "cover": "MOK-T-0002",
        "audiences": ["klasy-7-8"],
        "subjects": ["historia"],
        "duration_minutes": 90,
        "goals": (
            "- Uczeń umieszcza wydarzenia września 1939 r. w Mszczonowie w czasie i na mapie.\n"
            "- Uczeń wyjaśnia, czym była Bitwa Mszczonowska i dlaczego miasto ją upamiętnia.\n"
            "- Uczeń opisuje losy żydowskich mieszkańców Mszczonowa w latach 1940–1941.\n"
            "- Uczeń odróżnia źródło z epoki od upamiętnienia powstałego później."
        ),
        "goals_en": (
            "- The pupil places the events of September 1939 in Mszczonów in time and space.\n"
            "- The pupil explains the Battle of Mszczonów and why the town commemorates it.\n"
            "- The pupil describes the fate of the Jewish inhabitants in 1940–1941.\n"
            "- The pupil tells a period source from a later commemoration."
        ),
        "teacher_notes": (
            "Lekcja na dwie godziny (2 × 45 min); przy jednej godzinie wybierz kroki 1, 3, 5 "
            "i 6.\n\n"
            "Źródła nie zawsze się zgadzają: według części z nich Niemcy zajęli miasto 5, "
            "według innych 6 września; liczba rozstrzelanych 8 września różni się w "
            "opracowaniach. Warto pokazać uczniom, że historyk zapisuje takie rozbieżności, "
            "zamiast je ukrywać.\n\n"
            "Temat zagłady wymaga spokojnego tempa i czasu na pytania. Obrazy w archiwum to "
            "karty zastępcze z opisem — nie pokazują drastycznych scen."
        ),
        "teacher_notes_en": (
            "Two lessons (2 × 45 min); with one, choose steps 1, 3, 5 and 6. Sources disagree "
            "on some dates and numbers: show pupils that historians record such differences."
        ),
        "curriculum": [
            {
                "subject": "historia",
                "stage": "4-8",
                "text": (
                    "Polska w II wojnie światowej: wojna obronna 1939 r., okupacja niemiecka i "
                    "Zagłada Żydów — omówione na przykładzie własnej miejscowości."
                ),
            },
            {
                "subject": "historia",
                "stage": "4-8",
                "text": "Praca ze źródłem historycznym i rozpoznawanie form upamiętnienia.",
            },
        ],
        "steps": [
            {
                "heading": "Miasto na drodze frontu",
                "heading_en": "A town on the front line",
                "item": "MOK-M-0001",
                "text": (
                    "Mszczonów leży przy drodze z Warszawy na zachód. Na początku września 1939 r. "
                    "w domach przy ul. Warszawskiej stanął sztab Armii „Łódź” gen. Juliusza "
                    "Rómmla. Kilka dni później do miasta weszli Niemcy."
                ),
                "tasks": (
                    "Znajdź Mszczonów na mapie z 1937 r. Jakie drogi się w nim spotykają?\n"
                    "Dlaczego wojsko mogło chcieć utrzymać to miasto?"
                ),
            },
            {
                "heading": "8 września 1939: egzekucja",
                "heading_en": "8 September 1939: the execution",
                "item": "MOK-Z-0018",
                "text": (
                    "Po zajęciu miasta Niemcy rozstrzelali polskich jeńców wojennych i cywilów. "
                    "W miejscu egzekucji, w parku przy ul. Grójeckiej, stoi dziś pomnik."
                ),
                "tasks": (
                    "Kim byli ludzie, których upamiętnia pomnik?\n"
                    "Dlaczego pomnik stoi właśnie w tym miejscu?"
                ),
            },
            {
                "heading": "Nocna Bitwa Mszczonowska",
                "heading_en": "The night Battle of Mszczonów",
                "item": "MOK-A-0003",
                "text": (
                    "W nocy 11 września 1939 r. 31. Pułk Strzelców Kaniowskich pod dowództwem "
                    "ppłk. Wincentego Wnuka odbił miasto z rąk tylnych oddziałów niemieckich — "
                    "było to jedno z nielicznych polskich zwycięstw tamtego września. W odwecie "
                    "Niemcy rozstrzelali około dwudziestu mieszkańców, wśród nich burmistrza, "
                    "proboszcza i lekarza; spłonęła większość zabudowy miasta."
                ),
                "tasks": (
                    "Opisz pamiątki po płk. Wnuku. Co mówią o ich właścicielu?\n"
                    "Jaką cenę zapłacili mieszkańcy za zwycięstwo w bitwie?"
                ),
            },
            {
                "heading": "Płonące miasto",
                "heading_en": "The burning town",
                "item": "MOK-F-0006",
                "text": (
                    "W walkach i podpaleniach spłonęło około 80% budynków miasta. Fotografia "
                    "z września 1939 r. pokazuje płonący dom przy placu Piłsudskiego."
                ),
                "tasks": (
                    "Co widać na opisie zdjęcia? Kto mógł je zrobić i po co?\n"
                    "Jak wyglądało życie mieszkańców po pożarze? Zapisz dwa przypuszczenia."
                ),
            },
            {
                "heading": "Getto w Mszczonowie",
                "heading_en": "The Mszczonów ghetto",
                "item": "MOK-D-0009",
                "text": (
                    "Przed wojną prawie połowę mieszkańców Mszczonowa stanowili Żydzi. Pod "
                    "koniec 1940 r. Niemcy stłoczyli około 2000 osób w otwartym getcie. W lutym "
                    "1941 r. jego mieszkańców wywieziono przez Żyrardów do getta warszawskiego; "
                    "większość zginęła później w Treblince."
                ),
                "tasks": (
                    "Czym różniło się getto otwarte od zamkniętego?\n"
                    "Dokąd wywieziono mieszkańców getta? Zaznacz tę drogę na mapie."
                ),
            },
            {
                "heading": "Pomnik Strzelców Kaniowskich",
                "heading_en": "The Kaniów Riflemen monument",
                "item": "MOK-Z-0007",
                "text": (
                    "Pomnik odsłonięto w 2011 r. Przy nim co roku, 11 września, mieszkańcy "
                    "zapalają znicze, a harcerze wystawiają wartę."
                ),
                "tasks": "Kto i kiedy postawił pomnik? Co mówi to o pamięci miasta?",
            },
            {
                "heading": "Pamięć dzisiaj",
                "heading_en": "Remembrance today",
                "item": "MOK-N-0001",
                "text": (
                    "W 2010 r. grupy rekonstrukcyjne odtworzyły nocną bitwę. Rocznicę obchodzi "
                    "się mszą, zniczami przy pomnikach i inscenizacjami."
                ),
                "tasks": (
                    "Czy rekonstrukcja bitwy jest źródłem historycznym? Uzasadnij.\n"
                    "Zaprojektuj jeden sposób upamiętnienia żydowskich mieszkańców miasta."
                ),
            },
        ],
    },
    {
        "slug": "spolecznosc-zydowska-mszczonowa",
        "title": "Społeczność żydowska Mszczonowa",
        "title_en": "The Jewish community of Mszczonów",
        "summary": (
            "Od pierwszych osadników pod koniec XVII w., przez przywileje, układ z "
            "mieszczanami i rozkwit kultury, do Zagłady i opieki nad cmentarzem dziś. "
            "Lekcja o współistnieniu, prawach obywatelskich i pamięci."
        ),
        "summary_en": (
            "From the first settlers at the end of the 17th century, through privileges, the "
            "agreement with the burghers and a flourishing culture, to the Holocaust and the "
            "care of the cemetery today: coexistence, civic rights and memory."
        ),
        "author": "Mszczonowski Ośrodek Kultury",
        "cover": "MOK-Z-0002",
        "audiences": ["szkola-ponadpodstawowa"],
        "subjects": ["historia", "wiedza-o-spoleczenstwie"],
        "duration_minutes": 90,
        "goals": (
            "- Uczeń przedstawia dzieje społeczności żydowskiej Mszczonowa od XVII do XX w.\n"
            "- Uczeń analizuje dokument z 1778 r. jako przykład umowy o prawach i obowiązkach.\n"
            "- Uczeń rozpoznaje ślady żydowskiego dziedzictwa w przestrzeni miasta.\n"
            "- Uczeń formułuje własne zdanie o obowiązku pamięci i opieki nad zabytkami."
        ),
        "goals_en": (
            "- The pupil outlines the history of the Jewish community from the 17th to the "
            "20th century.\n"
            "- The pupil analyses the 1778 agreement as a contract of rights and duties.\n"
            "- The pupil finds traces of Jewish heritage in the town.\n"
            "- The pupil argues a view on remembrance and the care of heritage."
        ),
        "teacher_notes": (
            "Dwie godziny lekcyjne. Pierwsza: kroki 1–3 (prawa i współżycie — dobrze łączy się "
            "z wiedzą o społeczeństwie), druga: kroki 4–6.\n\n"
            "Dane o liczbie Żydów w Mszczonowie różnią się w źródłach (spis z 1921 r. podaje "
            "narodowość, inne źródła wyznanie). To dobry materiał do rozmowy o tym, co "
            "mierzą statystyki.\n\n"
            "Cmentarz jest ogrodzony i należy do Fundacji Ochrony Dziedzictwa Żydowskiego; "
            "wizytę z klasą warto uzgodnić wcześniej."
        ),
        "teacher_notes_en": (
            "Two lessons: steps 1–3 (rights and coexistence, good for civics), then 4–6. "
            "Population figures differ between sources: discuss what statistics measure."
        ),
        "curriculum": [
            {
                "subject": "historia",
                "stage": "secondary-basic",
                "text": (
                    "Społeczeństwo Rzeczypospolitej w XVIII w. i mniejszości narodowe w "
                    "XIX–XX w.; Zagłada Żydów w okupowanej Polsce."
                ),
            },
            {
                "subject": "wiedza-o-spoleczenstwie",
                "stage": "secondary-basic",
                "text": (
                    "Prawa i obowiązki obywatela, mniejszości narodowe i etniczne, dziedzictwo "
                    "kulturowe społeczności lokalnej."
                ),
            },
        ],
        "steps": [
            {
                "heading": "Cmentarz i synagoga: rok 1763",
                "heading_en": "A cemetery and a synagogue: 1763",
                "item": "MOK-D-0004",
                "text": (
                    "Pierwsi Żydzi, zapewne karczmarze, osiedlili się w Mszczonowie pod koniec "
                    "XVII w. W sierpniu 1763 r. pozwolono im założyć cmentarz za miastem, przy "
                    "drodze do Słabomierza, a starosta Aleksander Ossoliński zezwolił na "
                    "synagogę. Od tego roku liczy się dzieje kahału — gminy żydowskiej."
                ),
                "tasks": (
                    "Kto i na co wydał zezwolenie w 1763 r.?\n"
                    "Dlaczego gmina potrzebowała własnego cmentarza i bóżnicy?"
                ),
            },
            {
                "heading": "Układ z 14 grudnia 1778 r.",
                "heading_en": "The agreement of 14 December 1778",
                "item": "MOK-D-0006",
                "text": (
                    "Mieszczanie zawarli z Żydami układ: Żydzi zostali przyjęci do "
                    "obywatelstwa miejskiego, a w zamian mieli dzielić ciężary ponoszone przez "
                    "mieszczan. Zachowano jednak ograniczenia — w wyrobie alkoholu i w miejscu "
                    "zamieszkania."
                ),
                "tasks": (
                    "Wypisz prawa i obowiązki, które dawał układ.\n"
                    "Które ograniczenia byłyby dziś sprzeczne z zasadą równości wobec prawa?"
                ),
            },
            {
                "heading": "Połowa miasta",
                "heading_en": "Half of the town",
                "item": "MOK-Z-0004",
                "text": (
                    "W 1860 r. na 3469 mieszkańców Mszczonowa 1736 było Żydami. Przy cmentarzu "
                    "stały synagoga, mykwa i rzeźnia rytualna; z całego zespołu przetrwała "
                    "tylko mykwa — łaźnia rytualna."
                ),
                "tasks": (
                    "Oblicz, jaką część mieszkańców stanowili Żydzi w 1860 r.\n"
                    "Do czego służyła mykwa?"
                ),
            },
            {
                "heading": "Pisarz i malarz z Mszczonowa",
                "heading_en": "A writer and a painter from Mszczonów",
                "item": "MOK-P-0004",
                "text": (
                    "W Mszczonowie urodzili się pisarz Hirsz Dawid Nomberg (1876–1927), "
                    "współzałożyciel partii fołkistów i poseł na Sejm Ustawodawczy, oraz malarz "
                    "Maurycy Appelbaum (1887–1931), scenograf teatru jidysz w Warszawie."
                ),
                "tasks": (
                    "Czym zajmował się Nomberg poza pisaniem?\n"
                    "Dlaczego losy takich ludzi należą do historii miasta?"
                ),
            },
            {
                "heading": "Zagłada",
                "heading_en": "The Holocaust",
                "item": "MOK-D-0009",
                "text": (
                    "Kilka tygodni po zajęciu miasta Niemcy podpalili synagogę. Pod koniec 1940 r. "
                    "utworzyli getto dla około 2000 osób, a w lutym 1941 r. wywieźli jego "
                    "mieszkańców przez Żyrardów do getta warszawskiego. Większość zginęła w "
                    "Treblince. Niektórzy przeżyli dzięki sąsiadom z okolicznych wsi, którzy "
                    "ukrywali ich z narażeniem życia."
                ),
                "tasks": (
                    "Jakie etapy Zagłady widać w dziejach Mszczonowa?\n"
                    "Dowiedz się, kim są Sprawiedliwi wśród Narodów Świata."
                ),
            },
            {
                "heading": "Cmentarz dzisiaj",
                "heading_en": "The cemetery today",
                "item": "MOK-Z-0003",
                "text": (
                    "Cmentarz przy ul. Poniatowskiego zamknięto dla pochówków w 1964 r.; od "
                    "1992 r. jest w rejestrze zabytków. Zachowało się około stu macew, "
                    "najstarsza z 1772 r. W 2006 r. cmentarz otrzymał nowe ogrodzenie, a ohel "
                    "cadyka z Amszynowa odbudowano."
                ),
                "tasks": (
                    "Kto dziś opiekuje się cmentarzem?\n"
                    "Zaproponuj, jak szkoła mogłaby włączyć się w tę opiekę."
                ),
            },
        ],
    },
    {
        "slug": "tradycje-i-swieta-ziemi-mszczonowskiej",
        "title": "Tradycje i święta ziemi mszczonowskiej",
        "title_en": "Local traditions and festivities of Mszczonów",
        "summary": (
            "Urodziny miasta, jarmark, orkiestra strażacka, festiwal świętojański, kolęda "
            "Maklakiewicza i odpust w Lutkówce: kalendarz świąt, które mieszkańcy obchodzą "
            "razem — i muzyka, która im towarzyszy."
        ),
        "summary_en": (
            "The town's birthday, the fair, the fire brigade's band, the Midsummer festival, "
            "Maklakiewicz's carol and the feast at Lutkówka: the festivities residents share, "
            "and their music."
        ),
        "author": "Mszczonowski Ośrodek Kultury",
        "cover": "MOK-T-0006",
        "audiences": ["klasy-4-6"],
        "subjects": ["edukacja-regionalna", "muzyka"],
        "duration_minutes": 45,
        "goals": (
            "- Uczeń wymienia święta i wydarzenia obchodzone w gminie Mszczonów.\n"
            "- Uczeń wyjaśnia, skąd wzięły się urodziny miasta i jarmark.\n"
            "- Uczeń opowiada o orkiestrze dętej i kompozytorze z Mszczonowa.\n"
            "- Uczeń układa kalendarz lokalnych świąt."
        ),
        "goals_en": (
            "- The pupil names the festivities of the Mszczonów commune.\n"
            "- The pupil explains where the town's birthday and the fair come from.\n"
            "- The pupil talks about the brass band and a composer from Mszczonów.\n"
            "- The pupil builds a calendar of local festivities."
        ),
        "teacher_notes": (
            "Na koniec lekcji uczniowie mogą zrobić wspólny kalendarz świąt na tablicy. Jeśli "
            "jest czas, posłuchajcie nagrania orkiestry dętej lub kolęd.\n\n"
            "Rok pierwszego festiwalu świętojańskiego i pierwszego współczesnego jarmarku "
            "jest w źródłach przybliżony — nie trzeba go uczniom podawać."
        ),
        "teacher_notes_en": (
            "End with a shared calendar of festivities on the board; play a recording of the "
            "band or carols if there is time."
        ),
        "curriculum": [
            {
                "subject": "edukacja-regionalna",
                "stage": "4-8",
                "text": "Poznawanie tradycji, świąt i zwyczajów własnej miejscowości i regionu.",
            },
            {
                "subject": "muzyka",
                "stage": "4-8",
                "text": (
                    "Muzyka w życiu społeczności lokalnej: zespoły, twórcy i uroczystości z muzyką."
                ),
            },
        ],
        "steps": [
            {
                "heading": "Urodziny Mszczonowa",
                "heading_en": "The town's birthday",
                "item": "MOK-T-0005",
                "text": (
                    "W 1377 r. książę Siemowit III nadał Mszczonowowi prawa miejskie. Co roku w "
                    "marcu miasto obchodzi swoje urodziny: jest msza w kościele parafialnym i "
                    "inscenizacja historyczna."
                ),
                "tasks": (
                    "Ile lat skończy Mszczonów w tym roku?\n"
                    "Jak Ty świętował(a)byś urodziny swojego miasta?"
                ),
            },
            {
                "heading": "Jarmark",
                "heading_en": "The fair",
                "item": "MOK-T-0006",
                "text": (
                    "Już w 1776 r. król Stanisław August pozwolił miastu urządzać pięć jarmarków "
                    "w roku. Dziś Jarmark Mszczonowski odbywa się raz do roku, na początku "
                    "czerwca."
                ),
                "tasks": (
                    "Czym jarmark różni się od zwykłego sklepu?\n"
                    "Co chciał(a)byś sprzedać lub kupić na jarmarku?"
                ),
            },
            {
                "heading": "Orkiestra Dęta OSP",
                "heading_en": "The fire brigade's brass band",
                "item": "MOK-T-0001",
                "text": (
                    "Orkiestra powstała w 1890 r. przy straży pożarnej. Gra niemal na każdej "
                    "uroczystości w mieście — w 2010 r. świętowała 120-lecie razem z jarmarkiem."
                ),
                "tasks": (
                    "Wymień trzy instrumenty dęte.\n"
                    "Na jakich uroczystościach słyszałe(a)ś orkiestrę?"
                ),
            },
            {
                "heading": "Festiwal Świętojański",
                "heading_en": "The Midsummer festival",
                "item": "MOK-T-0007",
                "text": (
                    "Festiwal odbywa się w czerwcu w Izbie Pamięci Rodziny Maklakiewiczów. "
                    "Termin nie jest przypadkowy: założyciele tej muzykalnej rodziny nosili "
                    "imię Jan, a 24 czerwca to dzień św. Jana."
                ),
                "tasks": "Dlaczego festiwal odbywa się właśnie w czerwcu?",
            },
            {
                "heading": "Kolęda na pierwszą pasterkę",
                "heading_en": "A carol for the first Midnight Mass",
                "item": "MOK-T-0003",
                "text": (
                    "Na pasterkę w grudniu 1918 r., pierwszą w niepodległej Polsce, młody Jan "
                    "Adam Maklakiewicz napisał kolędę, którą zaśpiewano w mszczonowskim "
                    "kościele. Później został znanym kompozytorem."
                ),
                "tasks": (
                    "Dlaczego pasterka w 1918 r. była wyjątkowa?\n"
                    "Zaśpiewajcie w klasie swoją ulubioną kolędę."
                ),
            },
            {
                "heading": "Odpust św. Rocha w Lutkówce",
                "heading_en": "St Roch's feast at Lutkówka",
                "item": "MOK-T-0004",
                "text": (
                    "Na odpust ku czci św. Rocha do drewnianego kościoła w Lutkówce przychodzą "
                    "pielgrzymi, by modlić się o zdrowie. Po nabożeństwie jest festyn."
                ),
                "tasks": (
                    "Co to jest odpust?\n"
                    "Ułóż kalendarz świąt gminy: wpisz miesiąc przy każdym święcie z lekcji."
                ),
            },
        ],
    },
]

STORIES: list[dict] = [
    {
        "slug": "prawa-miejskie-i-herb-mszczonowa",
        "title": "Prawa miejskie i herb Mszczonowa",
        "title_en": "The town charter and coat of arms of Mszczonów",
        "summary": (
            "Jak osada „Mussonow” została miastem i dlaczego na herbie Mszczonowa stoi "
            "baszta — od dokumentu z 1245 r. do uchwały rady miejskiej z 2020 r."
        ),
        "summary_en": (
            "How the settlement of “Mussonow” became a town and why a tower stands on its "
            "coat of arms — from a charter of 1245 to the council's resolution of 2020."
        ),
        "author": "Mszczonowski Ośrodek Kultury",
        "cover": "MOK-S-0005",
        "blocks": [
            {
                "kind": "text",
                "heading": "Osada przy książęcym dworze",
                "heading_en": "A settlement by a ducal manor",
                "text": (
                    "W 1996 r. przy ul. Cmentarnej odkryto grób z połowy XII w. — ludzie "
                    "mieszkali tu więc na długo przed pierwszym zapisem. Ten pochodzi z 1245 r.: "
                    "dokument księcia Konrada I Mazowieckiego wystawiono w miejscu nazwanym "
                    "„Mussonow”."
                ),
                "text_en": (
                    "A 12th-century grave found in 1996 shows people lived here long before the "
                    "first written record, a charter of Duke Konrad I issued at “Mussonow” in "
                    "1245."
                ),
            },
            {
                "kind": "item",
                "entries": [
                    {
                        "item": "MOK-D-0001",
                        "caption": "Pierwsza wzmianka o Mszczonowie, 1245 r.",
                        "caption_en": "The first record of Mszczonów, 1245",
                    }
                ],
            },
            {
                "kind": "quote",
                "text": "Mussonow",
                "source": "Dokument księcia Konrada I Mazowieckiego, 1245 — zapis nazwy miejsca",
            },
            {
                "kind": "text",
                "heading": "Miasto od 1377 roku",
                "heading_en": "A town since 1377",
                "text": (
                    "Za datę nadania praw miejskich przyjmuje się rok 1377 i księcia Siemowita "
                    "III. Przywilej potwierdzali kolejni władcy: Siemowit IV w 1437 r., a potem "
                    "królowie Zygmunt Stary, Zygmunt August i Jan III Sobieski. Miasto nigdy "
                    "nie utraciło praw; rocznicę obchodzi w marcu."
                ),
                "text_en": (
                    "Town rights are dated to 1377 and Duke Siemowit III; later rulers confirmed "
                    "them and the town never lost them. The anniversary is kept in March."
                ),
            },
            {
                "kind": "pair",
                "heading": "Przywilej i jego potwierdzenie",
                "heading_en": "The charter and its confirmation",
                "entries": [
                    {"item": "MOK-D-0002", "caption": "Siemowit III, 1377"},
                    {"item": "MOK-D-0003", "caption": "Siemowit IV, Rawa 1437"},
                ],
            },
            {
                "kind": "text",
                "heading": "Baszta na pieczęci",
                "heading_en": "A tower on the seal",
                "text": (
                    "Basztę widać już na gotyckiej pieczęci z XV w.; na pieczęci z XVI w. "
                    "dostała spiczasty dach, a na XVII-wiecznej plombie zbożowej ma dwie "
                    "kondygnacje. W 1923 r. magistrat oświadczył, że nie zna ani herbu, ani "
                    "dawnych pieczęci miasta."
                ),
                "text_en": (
                    "A tower appears on a 15th-century seal, gains a pointed roof in the 16th "
                    "century and two storeys on a 17th-century grain seal."
                ),
            },
            {
                "kind": "gallery",
                "heading": "Od pieczęci do herbu",
                "heading_en": "From seal to coat of arms",
                "entries": [
                    {"item": "MOK-A-0001", "caption": "Pieczęć miejska, XVI w."},
                    {"item": "MOK-A-0002", "caption": "Plomba zbożowa, XVII w."},
                    {"item": "MOK-D-0008", "caption": "Uchwała rady miejskiej, 2020 r."},
                    {"item": "MOK-S-0005", "caption": "Herb miasta od 2020 r."},
                ],
            },
            {
                "kind": "text",
                "heading": "Herb z 2020 roku",
                "heading_en": "The arms of 2020",
                "text": (
                    "Do 2020 r. herbem była czerwona baszta z napisem MSZCZONÓW i rokiem 1377. "
                    "Komisja Heraldyczna poradziła wrócić do wizerunku z XVI-wiecznej pieczęci "
                    "i 24 czerwca 2020 r. rada miejska przyjęła nowy herb: na białym polu "
                    "czerwona baszta z bramą, między dwoma wykuszami, pod spiczastymi dachami "
                    "z chorągiewkami."
                ),
                "text_en": (
                    "In 2020 the council went back to the 16th-century seal: a red tower with a "
                    "gateway between two oriels, on a white field."
                ),
            },
        ],
    },
    {
        "slug": "zabytki-gminy-mszczonow",
        "title": "Zabytki gminy Mszczonów",
        "title_en": "Monuments of the Mszczonów commune",
        "summary": (
            "Spacer po zabytkach miasta i okolicznych wsi: kościoły w Mszczonowie i "
            "Lutkówce, pałace i dwory, przydrożna kapliczka i najstarszy budynek miasta."
        ),
        "summary_en": (
            "A walk among the monuments of the town and its villages: churches, palaces and "
            "manors, a wayside shrine and the oldest town building."
        ),
        "author": "Mszczonowski Ośrodek Kultury",
        "cover": "MOK-Z-0001",
        "blocks": [
            {
                "kind": "text",
                "text": (
                    "Pożary, wojny i przebudowy sprawiły, że w Mszczonowie niewiele jest bardzo "
                    "starych budowli. Tym cenniejsze jest to, co przetrwało — w mieście i we "
                    "wsiach gminy."
                ),
                "text_en": (
                    "Fires, wars and rebuilding left few very old buildings: what survives, in "
                    "the town and its villages, is all the more precious."
                ),
            },
            {
                "kind": "item",
                "heading": "Kościół św. Jana Chrzciciela",
                "heading_en": "St John the Baptist's church",
                "entries": [
                    {
                        "item": "MOK-Z-0001",
                        "caption": "Budowę zaczęto w 1862 r., po pożarze dawnego kościoła.",
                        "caption_en": "Building began in 1862, after the old church burned.",
                    }
                ],
            },
            {
                "kind": "quote",
                "text": "Wydarzyło się to przed stu pięćdziesięciu laty…",
                "source": (
                    "Izba Pamięci Ziemi Mszczonowskiej, tytuł wspomnienia o poświęceniu "
                    "kamienia węgielnego kościoła w maju 1862 r."
                ),
            },
            {
                "kind": "pair",
                "heading": "Drewniany kościół w Lutkówce",
                "heading_en": "The wooden church at Lutkówka",
                "entries": [
                    {
                        "item": "MOK-Z-0011",
                        "caption": "Modrzewiowy kościół, na kropielnicy rok 1744",
                    },
                    {"item": "MOK-S-0003", "caption": "Marmurowy ołtarz z Trójcą Świętą"},
                ],
            },
            {
                "kind": "gallery",
                "heading": "Pałace i dwory",
                "heading_en": "Palaces and manors",
                "text": (
                    "Pałac w Osuchowie, romantyczna ruina we Wręczy i klasycystyczny dwór w "
                    "Piekarach pokazują, jak mieszkały rodziny ziemiańskie."
                ),
                "entries": [
                    {"item": "MOK-Z-0009", "caption": "Osuchów"},
                    {"item": "MOK-Z-0013", "caption": "Wręcza"},
                    {"item": "MOK-Z-0014", "caption": "Piekary"},
                ],
            },
            {
                "kind": "item",
                "heading": "Kapliczka przy szlaku",
                "heading_en": "A shrine by the trail",
                "entries": [
                    {
                        "item": "MOK-Z-0012",
                        "caption": "Kapliczka św. Onufrego przy szlaku „Pisi Gągoliny”",
                    }
                ],
            },
            {
                "kind": "item",
                "heading": "„Szpitalik”",
                "heading_en": "The “Szpitalik”",
                "text": (
                    "Najstarszy zachowany budynek miejski pochodzi z XVIII w. Nazwę zawdzięcza "
                    "pruskiemu szpitalowi wojskowemu urządzonemu w nim po trzecim rozbiorze."
                ),
                "entries": [{"item": "MOK-Z-0017", "caption": "Budynek z XVIII w."}],
            },
        ],
    },
]
