"""The per-claim columns a Citation no longer holds (its Source does: 0010_shared_sources
moved them there, every old value kept in the source's history), and the Citation's own
rules. A transaction of its own: see 0010_shared_sources."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("annotate", "0010_shared_sources")]

    operations = [
        *[
            migrations.RemoveField(model_name=model, name=name)
            for model in ("citation", "historicalcitation")
            for name in ("url", "title", "publisher", "reliability")
        ],
        migrations.AlterField(
            model_name="citation",
            name="source",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="citations",
                to="annotate.source",
            ),
        ),
        migrations.AddIndex(
            model_name="citation",
            index=models.Index(fields=["updated_at"], name="citation_updated_idx"),
        ),
        migrations.AddConstraint(
            model_name="citation",
            constraint=models.CheckConstraint(
                condition=models.Q(("stance__in", ["supports", "refutes", "context"])),
                name="citation_stance_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="citation",
            constraint=models.CheckConstraint(
                condition=models.Q(("credibility__gte", 1), ("credibility__lte", 6)),
                name="citation_credibility_range",
            ),
        ),
    ]
