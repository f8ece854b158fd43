"""Confidence notes record ICD 203's analytic confidence (low, moderate, high) beside
likelihood. Notes recorded before keep NULL, "not recorded": nobody judged it then, and
no value is made up for them (see ConfidenceNote)."""

from django.conf import settings
from django.db import migrations, models


def analytic_confidence() -> models.CharField:
    """The column, on the notes and on their history alike."""
    return models.CharField(
        choices=[("low", "Low"), ("moderate", "Moderate"), ("high", "High")],
        error_messages={"blank": "Say how confident the analysis is: low, moderate or high."},
        max_length=8,
        null=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("annotate", "0007_claim_notes_updated_at"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="confidencenote",
            name="analytic_confidence",
            field=analytic_confidence(),
        ),
        migrations.AddField(
            model_name="historicalconfidencenote",
            name="analytic_confidence",
            field=analytic_confidence(),
        ),
        migrations.AddConstraint(
            model_name="confidencenote",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("analytic_confidence__isnull", True),
                    ("analytic_confidence__in", ["low", "moderate", "high"]),
                    _connector="OR",
                ),
                name="confidence_note_analytic_confidence_valid",
            ),
        ),
    ]
