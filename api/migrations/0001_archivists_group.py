"""The "archivists" group: members may change the catalogue through the API and the admin."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "archivists"
# app label -> models whose add/change/delete/view permissions archivists get.
EDITABLE = {
    "archive": ["item", "itemcreator", "subject", "place", "agent"],
    "media": ["mediafile"],
    "curation": ["collection", "collectionitem"],
}
VIEW_ONLY = {"archive": ["licence"]}


def create_group(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    wanted = []
    for app_label, models in EDITABLE.items():
        for model in models:
            for action in ("add", "change", "delete", "view"):
                wanted.append((app_label, f"{action}_{model}"))
    for app_label, models in VIEW_ONLY.items():
        wanted.extend((app_label, f"view_{model}") for model in models)
    for app_label, codename in wanted:
        permission = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if permission is not None:
            group.permissions.add(permission)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("archive", "0002_licences"),
        ("media", "0001_initial"),
        ("curation", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
