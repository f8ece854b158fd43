"""Create the reviewer, lead and researcher groups with their permissions.

Permissions are normally created after all migrations run (post_migrate), so this
migration creates them first; it uses the historical apps, and the role table is copied
here rather than imported so that later edits to annotate.roles don't rewrite history.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ANNOTATION_MODELS = ("span", "claim", "source", "confidencenote")
ARTICLE_MODELS = ("article", "revision", "paragraph")
CRUD = ("view", "add", "change", "delete")

ROLE_PERMISSIONS = {
    "researcher": [("annotate", f"view_{m}") for m in ANNOTATION_MODELS]
    + [("articles", f"view_{m}") for m in ARTICLE_MODELS],
    "reviewer": [("annotate", f"{a}_{m}") for m in ANNOTATION_MODELS for a in CRUD]
    + [("articles", f"view_{m}") for m in ARTICLE_MODELS],
    "lead": [("annotate", f"{a}_{m}") for m in ANNOTATION_MODELS for a in CRUD]
    + [("annotate", "adjudicate_claim")]
    + [("articles", f"{a}_{m}") for m in ARTICLE_MODELS for a in CRUD],
}


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in perms:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("annotate", "0001_initial"),
        ("articles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
