"""Take the publishing permissions for lessons and stories back from cataloguers.

`0005_lesson_data_and_roles` meant to keep `publish_lesson` / `publish_story` for editors,
but its test for "a default permission" (`codename == f"{action}_{model}"`) also holds for
`publish_lesson` (action "publish", model "lesson"), so the Katalogujący group got both.
Publishing a lesson or story is an editor's decision, as publishing an item is.
"""

from django.db import migrations

CATALOGUER = "Katalogujący"
CODENAMES = ("publish_lesson", "publish_story")


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    cataloguer = Group.objects.filter(name=CATALOGUER).first()
    if cataloguer is None:
        return
    cataloguer.permissions.remove(
        *Permission.objects.filter(content_type__app_label="curation", codename__in=CODENAMES)
    )


class Migration(migrations.Migration):
    dependencies = [("curation", "0005_lesson_data_and_roles")]

    operations = [migrations.RunPython(revoke, migrations.RunPython.noop)]
