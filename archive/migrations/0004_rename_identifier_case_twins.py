"""Before identifiers become unique ignoring case: give case-twins distinct identifiers.

An import used to create `mok-f-0001` beside `MOK-F-0001` instead of updating it. The
oldest item of each group keeps its identifier; each later twin is renamed to
`<identifier>-dup<n>` (its own case kept) and listed on the console, so an archivist can
compare the two and merge them by hand. Nothing is deleted.
"""

from django.db import migrations
from django.db.models import Count
from django.db.models.functions import Lower

MAX_LENGTH = 64


def rename_case_twins(apps, schema_editor):
    Item = apps.get_model("archive", "Item")
    taken = None
    doubled = (
        Item.objects.annotate(key=Lower("identifier"))
        .values("key")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list("key", flat=True)
    )
    for key in list(doubled):
        if taken is None:
            taken = {k.lower() for k in Item.objects.values_list("identifier", flat=True)}
        twins = list(
            Item.objects.annotate(key=Lower("identifier")).filter(key=key).order_by("created", "pk")
        )
        for twin in twins[1:]:
            n = 2
            while True:
                suffix = f"-dup{n}"
                renamed = twin.identifier[: MAX_LENGTH - len(suffix)] + suffix
                if renamed.lower() not in taken:
                    break
                n += 1
            taken.add(renamed.lower())
            print(
                f"\n  archive: {twin.identifier} (id {twin.pk}) is a case-twin of "
                f"{twins[0].identifier}; renamed to {renamed}. Merge them by hand if they "
                "are one item."
            )
            Item.objects.filter(pk=twin.pk).update(identifier=renamed)


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0003_harvest_and_filter_indexes"),
    ]

    operations = [
        migrations.RunPython(rename_case_twins, migrations.RunPython.noop, elidable=True),
    ]
