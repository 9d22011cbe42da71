"""Contributions' permissions in the staff roles of archive/0013_roles:

- Katalogujący: view, change (edit before approving, reject) and delete contributions;
  not `moderate_contribution` (approving makes a text public).
- Redaktor and Administrator: all of them.

Frozen as migrations must be: names copied from archive/roles.py.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CATALOGUER = "Katalogujący"
EDITOR = "Redaktor"
ADMINISTRATOR = "Administrator"


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = list(Permission.objects.filter(content_type__app_label="contributions"))
    for name in (EDITOR, ADMINISTRATOR):
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.add(*permissions)
    cataloguer = Group.objects.filter(name=CATALOGUER).first()
    if cataloguer is not None:
        cataloguer.permissions.add(
            *[p for p in permissions if p.codename != "moderate_contribution"]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("contributions", "0001_initial"),
        ("archive", "0013_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
