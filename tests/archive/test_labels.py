"""Codes, labels in both languages and common spellings of item types, statuses and
licences, read in one place (archive.models) by the import (issue 16, item 21)."""

import pytest

from archive.models import ItemType, Licence, Status
from tests.archive.test_import import run_import, write_csv

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("photograph", "photograph"),
        ("Photograph", "photograph"),
        ("fotografia", "photograph"),
        ("FOTOGRAFIA", "photograph"),
        ("zdjęcie", "photograph"),
        ("zdjecie", "photograph"),
        ("Zdjęcia", "photograph"),
        ("foto", "photograph"),
        ("dokument", "document"),
        ("zabytek", "monument"),
        ("przedmiot", "artifact"),
        ("artefakt", "artifact"),
        ("mapa", "map"),
        ("nagranie", "recording"),
        ("tradycja", "tradition"),
        ("publikacja", "publication"),
        ("dzieło sztuki", "artwork"),
        ("dzielo sztuki", "artwork"),
        ("Dzieło  sztuki", "artwork"),
        ("work of art", "artwork"),
        ("artwork", "artwork"),
        (" map ", "map"),
    ],
)
def test_item_type_spellings(written, code):
    assert ItemType.from_label(written) == code


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("draft", "draft"),
        ("DRAFT", "draft"),
        ("szkic", "draft"),
        ("Szkic", "draft"),
        ("wersja robocza", "draft"),
        ("nieopublikowany", "draft"),
        ("published", "published"),
        ("opublikowany", "published"),
        ("Opublikowany", "published"),
        ("opublikowane", "published"),
        ("OPUBLIKOWANA", "published"),
        ("publiczny", "published"),
    ],
)
def test_status_spellings(written, code):
    assert Status.from_label(written) == code


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("CC-BY-4.0", "CC-BY-4.0"),
        ("cc-by-4.0", "CC-BY-4.0"),
        ("CC BY 4.0", "CC-BY-4.0"),
        ("CC-BY 4.0", "CC-BY-4.0"),
        ("cc by", "CC-BY-4.0"),
        ("CC BY 4", "CC-BY-4.0"),
        ("CC_BY_4.0", "CC-BY-4.0"),
        ("Uznanie autorstwa 4.0", "CC-BY-4.0"),
        ("uznanie autorstwa", "CC-BY-4.0"),
        ("Creative Commons Uznanie autorstwa 4.0", "CC-BY-4.0"),
        ("Creative Commons Attribution 4.0", "CC-BY-4.0"),
        ("Attribution 4.0", "CC-BY-4.0"),
        ("CC BY-SA 4.0", "CC-BY-SA-4.0"),
        ("cc-by-sa", "CC-BY-SA-4.0"),
        ("Uznanie autorstwa – Na tych samych warunkach 4.0", "CC-BY-SA-4.0"),
        ("uznanie autorstwa - na tych samych warunkach", "CC-BY-SA-4.0"),
        ("Attribution-ShareAlike 4.0", "CC-BY-SA-4.0"),
        ("CC BY-NC 4.0", "CC-BY-NC-4.0"),
        ("Uznanie autorstwa – Użycie niekomercyjne 4.0", "CC-BY-NC-4.0"),
        ("uznanie autorstwa uzycie niekomercyjne", "CC-BY-NC-4.0"),
        ("Attribution-NonCommercial 4.0", "CC-BY-NC-4.0"),
        ("CC0", "CC0-1.0"),
        ("cc0 1.0", "CC0-1.0"),
        ("CC0-1.0", "CC0-1.0"),
        ("CC Zero", "CC0-1.0"),
        ("przekazanie do domeny publicznej", "CC0-1.0"),
        ("PDM", "PDM"),
        ("Public Domain Mark", "PDM"),
        ("Public Domain Mark 1.0", "PDM"),
        ("public domain", "PDM"),
        ("domena publiczna", "PDM"),
        ("Domena Publiczna", "PDM"),
        ("InC", "InC"),
        ("inc", "InC"),
        ("In Copyright", "InC"),
        ("prawa zastrzeżone", "InC"),
        ("Prawa zastrzezone", "InC"),
        ("Wszelkie prawa zastrzeżone", "InC"),
        ("All rights reserved", "InC"),
        ("Chronione prawem autorskim", "InC"),
    ],
)
def test_licence_spellings(written, code):
    assert Licence.objects.from_label(written).code == code


@pytest.mark.parametrize(
    "written",
    ["CC-BY-5.0", "CC BY 3.0", "CC BY-ND 4.0", "GPL", "domena", "", "—", "obraz", "tak"],
)
def test_unknown_or_wrong_version_is_no_match(written):
    assert Licence.objects.from_label(written) is None
    assert ItemType.from_label(written) is None
    assert Status.from_label(written) is None


def test_every_choice_reads_its_own_code_and_both_labels():
    from django.utils import translation

    for choices in (ItemType, Status):
        for value, label in choices.choices:
            for language in ("pl", "en"):
                with translation.override(language):
                    assert choices.from_label(str(label)) == value
            assert choices.from_label(value.upper()) == value


def test_import_accepts_the_labels_its_own_messages_show(tmp_path):
    from archive.models import Item

    rows = [
        ["MOK-F-1", "Rynek", "fotografia", "szkic", "CC BY 4.0"],
        ["MOK-D-2", "Akt", "Dokument", "opublikowany", "domena publiczna"],
        ["MOK-A-3", "Dzban", "przedmiot", "Opublikowany", "prawa zastrzeżone"],
        ["MOK-M-4", "Plan", "map", "published", "Uznanie autorstwa 4.0"],
    ]
    header = ["identifier", "title", "item_type", "status", "licence"]
    code, _out, err = run_import(write_csv(tmp_path / "k.csv", rows, header))
    assert code == 0, err
    assert list(
        Item.objects.order_by("identifier").values_list(
            "identifier", "item_type", "status", "licence__code"
        )
    ) == [
        ("MOK-A-3", "artifact", "published", "InC"),
        ("MOK-D-2", "document", "published", "PDM"),
        ("MOK-F-1", "photograph", "draft", "CC-BY-4.0"),
        ("MOK-M-4", "map", "published", "CC-BY-4.0"),
    ]


def test_import_still_names_the_codes_when_a_label_is_unknown(tmp_path):
    header = ["identifier", "title", "item_type", "status", "licence"]
    rows = [["MOK-F-1", "Rynek", "pocztówka", "gotowe", "CC BY 5.0"]]
    code, _out, err = run_import(write_csv(tmp_path / "k.csv", rows, header))
    assert code == 1
    lines = err.splitlines()
    for column, value in [
        ("item_type", "pocztówka"),
        ("status", "gotowe"),
        ("licence", "CC BY 5.0"),
    ]:
        assert any(column in line and value in line for line in lines), err
