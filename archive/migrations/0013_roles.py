"""The staff roles: Katalogujący (cataloguer), Redaktor (editor), Administrator.

- Katalogujący: add, change, delete and view every record of the catalogue apps (items,
  creators, vocabularies, media, collections, and whatever else those apps hold), view
  licences; history records (models named Historical…) only viewed. Not
  `archive.publish_item`: the publishing rule (archive/roles.py) then keeps them from
  publishing, unpublishing and deleting published items on every channel.
- Redaktor: the same plus every other permission of the catalogue apps, above all
  `archive.publish_item` (publish, unpublish, delete published items, undo imports).
- Administrator: every permission there is (users, groups, tokens, two-factor devices,
  login lockouts, licences, and the catalogue: whoever manages accounts could give
  themselves any role anyway).

The group `archivists` (api/0001) could write everything, publishing included: its members
become editors and the group is removed. Reversing puts the editors back into a
re-created `archivists` group and removes the three roles.

Frozen here as migrations must be: a model added later gets its permissions in a role by a
later migration. The names are archive/roles.py's constants, copied.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CATALOGUER = "Katalogujący"
EDITOR = "Redaktor"
ADMINISTRATOR = "Administrator"
OLD_GROUP = "archivists"

CATALOGUE_APPS = ("archive", "media", "curation")
# Settings, not catalogue records: read by cataloguers and editors, changed by administrators.
VIEW_ONLY_MODELS = {("archive", "licence")}
DEFAULT_ACTIONS = ("add", "change", "delete", "view")

# What api/0001 gave `archivists`, for the reverse.
ARCHIVISTS_EDITABLE = {
    "archive": ["item", "itemcreator", "subject", "place", "agent"],
    "media": ["mediafile"],
    "curation": ["collection", "collectionitem"],
}


def ensure_permissions(apps):
    # Permissions are normally created after all migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def catalogue_permissions(apps, *, editor: bool):
    """The catalogue apps' permissions for a cataloguer (editor=False) or an editor."""
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    chosen = []
    for label in CATALOGUE_APPS:
        for model in apps.get_app_config(label).get_models():
            opts = model._meta
            content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
            permissions = Permission.objects.filter(content_type=content_type)
            view_only = (label, opts.model_name) in VIEW_ONLY_MODELS or opts.model_name.startswith(
                "historical"
            )
            for permission in permissions:
                action = permission.codename.split("_", 1)[0]
                default = permission.codename in {f"{a}_{opts.model_name}" for a in DEFAULT_ACTIONS}
                if view_only:
                    wanted = action == "view" and default
                elif default:
                    wanted = True
                else:
                    wanted = editor  # custom permissions, publish_item among them
                if wanted:
                    chosen.append(permission)
    return chosen


def create_roles(apps, schema_editor):
    ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    cataloguer, _ = Group.objects.get_or_create(name=CATALOGUER)
    cataloguer.permissions.set(catalogue_permissions(apps, editor=False))
    editor, _ = Group.objects.get_or_create(name=EDITOR)
    editor.permissions.set(catalogue_permissions(apps, editor=True))
    administrator, _ = Group.objects.get_or_create(name=ADMINISTRATOR)
    administrator.permissions.set(Permission.objects.all())
    old = Group.objects.filter(name=OLD_GROUP).first()
    if old is not None:
        User = apps.get_model("auth", "User")
        editor.user_set.add(*User.objects.filter(groups=old))
        old.delete()


def remove_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    User = apps.get_model("auth", "User")
    archivists, _ = Group.objects.get_or_create(name=OLD_GROUP)
    wanted = [
        (app_label, f"{action}_{model}")
        for app_label, models in ARCHIVISTS_EDITABLE.items()
        for model in models
        for action in DEFAULT_ACTIONS
    ]
    wanted.append(("archive", "view_licence"))
    for app_label, codename in wanted:
        permission = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if permission is not None:
            archivists.permissions.add(permission)
    archivists.user_set.add(*User.objects.filter(groups__name=EDITOR))
    Group.objects.filter(name__in=[CATALOGUER, EDITOR, ADMINISTRATOR]).delete()


class Migration(migrations.Migration):
    # The latest migration of every app whose permissions a role gets (the administrator
    # gets them all).
    dependencies = [
        ("archive", "0012_history_of_named_periods"),
        ("media", "0003_history"),
        ("curation", "0003_history"),
        ("interop", "0001_deleted_records"),
        ("search", "0091_sqlite_speed"),
        ("api", "0001_archivists_group"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("sessions", "0001_initial"),
        ("authtoken", "0004_alter_tokenproxy_options"),
        ("axes", "0010_accessattemptexpiration"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
