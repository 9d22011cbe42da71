"""Take `publish_lesson` and `publish_story` back from the cataloguers' group.

The first version of 0005 read "publish_lesson" as a default permission of the model
"lesson" and gave it to Katalogujący as well; 0005 is corrected, and this removes the two
permissions from databases that ran the first version. Editors and administrators keep
them. Frozen as migrations must be: the group name copied from archive/roles.py.
"""

from django.db import migrations

CATALOGUER = "Katalogujący"
PUBLISHING = ("publish_lesson", "publish_story")


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    cataloguer = Group.objects.filter(name=CATALOGUER).first()
    if cataloguer is None:
        return
    cataloguer.permissions.remove(
        *Permission.objects.filter(content_type__app_label="curation", codename__in=PUBLISHING)
    )


class Migration(migrations.Migration):
    dependencies = [("curation", "0005_lesson_data_and_roles")]

    operations = [migrations.RunPython(revoke, migrations.RunPython.noop)]
