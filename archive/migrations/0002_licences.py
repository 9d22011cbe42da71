"""The six licences named in the import format, with plain-language explanations."""

from django.db import migrations

LICENCES = [
    {
        "code": "CC0-1.0",
        "name": "CC0 1.0 – przekazanie do domeny publicznej",
        "name_en": "CC0 1.0 Public Domain Dedication",
        "url": "https://creativecommons.org/publicdomain/zero/1.0/deed.pl",
        "explanation": "Możesz kopiować, zmieniać i wykorzystywać ten materiał w dowolnym celu, także komercyjnym, bez pytania o zgodę i bez podawania autora.",
        "explanation_en": "You may copy, change and use this material for any purpose, including commercial use, without asking and without giving credit.",
        "allows_download": True,
    },
    {
        "code": "CC-BY-4.0",
        "name": "Creative Commons Uznanie autorstwa 4.0",
        "name_en": "Creative Commons Attribution 4.0",
        "url": "https://creativecommons.org/licenses/by/4.0/deed.pl",
        "explanation": "Możesz kopiować, zmieniać i wykorzystywać ten materiał w dowolnym celu, jeśli podasz autora, źródło i licencję.",
        "explanation_en": "You may copy, change and use this material for any purpose if you credit the author and source and name the licence.",
        "allows_download": True,
    },
    {
        "code": "CC-BY-SA-4.0",
        "name": "Creative Commons Uznanie autorstwa – Na tych samych warunkach 4.0",
        "name_en": "Creative Commons Attribution-ShareAlike 4.0",
        "url": "https://creativecommons.org/licenses/by-sa/4.0/deed.pl",
        "explanation": "Możesz kopiować i zmieniać ten materiał w dowolnym celu, jeśli podasz autora i źródło, a swoje zmiany udostępnisz na tej samej licencji.",
        "explanation_en": "You may copy and change this material for any purpose if you credit the author and source and share your changes under the same licence.",
        "allows_download": True,
    },
    {
        "code": "CC-BY-NC-4.0",
        "name": "Creative Commons Uznanie autorstwa – Użycie niekomercyjne 4.0",
        "name_en": "Creative Commons Attribution-NonCommercial 4.0",
        "url": "https://creativecommons.org/licenses/by-nc/4.0/deed.pl",
        "explanation": "Możesz kopiować i zmieniać ten materiał w celach niekomercyjnych, na przykład na lekcji, jeśli podasz autora i źródło.",
        "explanation_en": "You may copy and change this material for non-commercial purposes, for example in a lesson, if you credit the author and source.",
        "allows_download": True,
    },
    {
        "code": "PDM",
        "name": "Domena publiczna (Public Domain Mark 1.0)",
        "name_en": "Public Domain Mark 1.0",
        "url": "https://creativecommons.org/publicdomain/mark/1.0/deed.pl",
        "explanation": "Ten materiał nie jest już chroniony prawem autorskim. Możesz go swobodnie wykorzystywać; dobrym zwyczajem jest podanie źródła.",
        "explanation_en": "This material is no longer protected by copyright. You may use it freely; citing the source is good practice.",
        "allows_download": True,
    },
    {
        "code": "InC",
        "name": "Chronione prawem autorskim (In Copyright)",
        "name_en": "In Copyright",
        "url": "https://rightsstatements.org/vocab/InC/1.0/",
        "explanation": "Ten materiał jest chroniony prawem autorskim. Możesz go oglądać i cytować w granicach dozwolonego użytku, na przykład na lekcji; na inne wykorzystanie potrzebna jest zgoda właściciela praw.",
        "explanation_en": "This material is protected by copyright. You may view it and quote it within fair use, for example in a lesson; other uses need the rights holder's permission.",
        "allows_download": False,
    },
]


def add_licences(apps, schema_editor):
    Licence = apps.get_model("archive", "Licence")
    for data in LICENCES:
        Licence.objects.update_or_create(code=data["code"], defaults=data)


class Migration(migrations.Migration):
    dependencies = [("archive", "0001_initial")]

    operations = [migrations.RunPython(add_licences, migrations.RunPython.noop)]
