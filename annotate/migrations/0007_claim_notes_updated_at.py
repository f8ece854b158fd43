"""A claim's notes get their own stamp, so that a change to notes someone may not see
(independent review) does not move the version they see: see Claim.notes_updated_at."""

import django.utils.timezone
from django.conf import settings
from django.db import migrations, models
from django.db.models import F


def from_updated_at(apps, schema_editor):
    # Until now updated_at moved with notes too; it is the best stamp there is for them,
    # and no one's version changes with the migration.
    apps.get_model("annotate", "Claim").objects.update(notes_updated_at=F("updated_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("annotate", "0006_span_anchor_history"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="claim",
            name="notes_updated_at",
            field=models.DateTimeField(default=django.utils.timezone.now, editable=False),
        ),
        migrations.RunPython(from_updated_at, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(fields=["notes_updated_at"], name="claim_notes_updated_idx"),
        ),
    ]
