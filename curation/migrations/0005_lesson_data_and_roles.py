"""Audiences and school subjects for lessons (data, editable in the admin), and the new
models' permissions in the staff roles of archive/0013_roles:

- Katalogujący: add, change, delete and view lessons, their steps and curriculum
  references, stories and their blocks; view audiences, school subjects and history. Not
  `publish_lesson` / `publish_story`.
- Redaktor: all of that, the publishing permissions, and editing audiences and subjects.
- Administrator: every permission there is.

Frozen as migrations must be: names copied from archive/roles.py.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CATALOGUER = "Katalogujący"
EDITOR = "Redaktor"
ADMINISTRATOR = "Administrator"

NEW_MODELS = (
    "lesson",
    "lessonstep",
    "curriculumreference",
    "story",
    "storyblock",
    "storyblockitem",
    "audience",
    "schoolsubject",
    "historicallesson",
    "historicalstory",
)
# Settings-like lists: cataloguers read them, editors change them.
VIEW_ONLY_FOR_CATALOGUERS = {"audience", "schoolsubject"}

# (code, name, English name) in the order a teacher reads them.
AUDIENCES = [
    ("klasy-1-3", "klasy 1–3", "grades 1–3"),
    ("klasy-4-6", "klasy 4–6", "grades 4–6"),
    ("klasy-7-8", "klasy 7–8", "grades 7–8"),
    ("szkola-ponadpodstawowa", "szkoła ponadpodstawowa", "secondary school"),
]
SCHOOL_SUBJECTS = [
    ("historia", "historia", "history"),
    ("wiedza-o-spoleczenstwie", "wiedza o społeczeństwie", "civics"),
    ("jezyk-polski", "język polski", "Polish"),
    ("edukacja-regionalna", "edukacja regionalna", "regional education"),
    ("plastyka", "plastyka", "art"),
    ("muzyka", "muzyka", "music"),
    ("geografia", "geografia", "geography"),
    ("przyroda", "przyroda", "natural science"),
    ("edukacja-wczesnoszkolna", "edukacja wczesnoszkolna", "early education"),
    ("historia-i-terazniejszosc", "historia i teraźniejszość", "history and the present"),
    ("religia-etyka", "religia / etyka", "religion / ethics"),
]


def seed(apps, schema_editor):
    for model_name, rows in (("Audience", AUDIENCES), ("SchoolSubject", SCHOOL_SUBJECTS)):
        model = apps.get_model("curation", model_name)
        for order, (code, name, name_en) in enumerate(rows):
            model.objects.get_or_create(
                code=code, defaults={"name": name, "name_en": name_en, "order": order}
            )


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="curation", content_type__model__in=NEW_MODELS
    ).select_related("content_type")
    cataloguer = Group.objects.filter(name=CATALOGUER).first()
    editor = Group.objects.filter(name=EDITOR).first()
    administrator = Group.objects.filter(name=ADMINISTRATOR).first()
    for permission in permissions:
        model = permission.content_type.model
        action = permission.codename.split("_", 1)[0]
        # ("publish_lesson" has the shape "<action>_<model>" too: name the defaults.)
        default = action in ("add", "change", "delete", "view")
        if administrator is not None:
            administrator.permissions.add(permission)
        if editor is not None and (action == "view" or not model.startswith("historical")):
            editor.permissions.add(permission)
        if cataloguer is None or not default:
            continue  # publish_lesson, publish_story: editors only
        if model.startswith("historical") or model in VIEW_ONLY_FOR_CATALOGUERS:
            if action == "view":
                cataloguer.permissions.add(permission)
        else:
            cataloguer.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("curation", "0004_lessons_and_stories"),
        ("archive", "0013_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
