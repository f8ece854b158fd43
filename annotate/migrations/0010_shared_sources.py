"""Sources become shared records: today's per-claim Source rows become Citations of one
Source per normalised URL (see annotate.sources and README "Evidence").

Schema first (the old table is renamed, with its ids and history, to Citation; the new
Source table is made), then the merge, in this migration's transaction; the old columns
go in 0011_shared_sources_finish, in a transaction of its own (PostgreSQL will not alter a
table with pending deferred checks from the rows written here).

Nothing is lost. Each new Source's history starts with one record per old row merged into
it, holding that row's own URL, title, publisher and reliability, by its author at its
time; the last record holds the merged values, and where the rows disagreed on
reliability its change reason names the letters and the one kept (the worst judged: see
annotate.sources.worst_reliability, copied here as migrations must not change with code).
Old history records of citations get their source too, so the claim timeline and restore
keep working; a URL known only from a deleted row gets its Source from its last record.
Migrated citations' credibility is 6 (cannot be judged): nobody rated it then.
"""

from collections import defaultdict
from urllib.parse import urlsplit, urlunsplit

import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models
from url_normalize import url_normalize

RELIABILITY = [
    ("A", "A — Completely reliable"),
    ("B", "B — Usually reliable"),
    ("C", "C — Fairly reliable"),
    ("D", "D — Not usually reliable"),
    ("E", "E — Unreliable"),
    ("F", "F — Reliability cannot be judged"),
]
CREDIBILITY = [
    (1, "1 — Confirmed by other sources"),
    (2, "2 — Probably true"),
    (3, "3 — Possibly true"),
    (4, "4 — Doubtful"),
    (5, "5 — Improbable"),
    (6, "6 — Truth cannot be judged"),
]
WORST_FIRST = "EDCBA"
# Roles (as in 0002_roles, whose table the old per-claim source had): the same rights on
# citations, and on the shared sources (the ownership rule of annotate.access narrows
# them, and a cited source is never deleted).
CRUD = ("view", "add", "change", "delete")
ROLE_ACTIONS = {"researcher": ("view",), "reviewer": CRUD, "lead": CRUD}
ROLE_PERMISSIONS = {
    name: [
        ("annotate", f"{action}_{model}") for model in ("citation", "source") for action in actions
    ]
    for name, actions in ROLE_ACTIONS.items()
}


def normalise(url):
    normal = url_normalize(url.strip()) or ""
    return urlunsplit(urlsplit(normal)._replace(fragment=""))


def worst(letters):
    return next((letter for letter in WORST_FIRST if letter in letters), "F")


def _permissions(apps):
    """Roles keep their rights on what was the per-claim source, now Citation, and get them
    on the new shared Source. On a database made before this code, the renamed model kept
    its content type (renamed too) and its permissions, whose codenames still say
    `source`: they are renamed. (On a new database, 0002 made both models' permissions, as
    create_permissions reads the current models.)"""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    citation_type = ContentType.objects.filter(app_label="annotate", model="citation").first()
    if citation_type is not None:
        for perm in Permission.objects.filter(
            content_type=citation_type, codename__endswith="_source"
        ):
            codename = perm.codename.replace("_source", "_citation")
            if not Permission.objects.filter(
                content_type=citation_type, codename=codename
            ).exists():
                perm.codename, perm.name = codename, perm.name.replace("source", "citation")
                perm.save()
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    for name, perms in ROLE_PERMISSIONS.items():
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        for app_label, codename in perms:
            model = codename.split("_", 1)[1]
            group.permissions.add(
                Permission.objects.get(
                    content_type__app_label=app_label,
                    content_type__model=model,
                    codename=codename,
                )
            )


def merge(apps, schema_editor):
    _permissions(apps)
    Citation = apps.get_model("annotate", "Citation")
    HistoricalCitation = apps.get_model("annotate", "HistoricalCitation")
    Source = apps.get_model("annotate", "Source")
    HistoricalSource = apps.get_model("annotate", "HistoricalSource")
    now = django.utils.timezone.now()

    groups = defaultdict(list)
    for row in Citation.objects.order_by("created_at", "id"):
        groups[normalise(row.url)].append(row)
    # Deleted rows: their URL gets a Source (a restored citation needs one), from the
    # last record, unless a live row has the URL.
    deleted_only = {}
    for record in HistoricalCitation.objects.order_by("-history_date", "-history_id"):
        key = normalise(record.url)
        if key not in groups:
            deleted_only.setdefault(key, record)

    source_of = {}
    for key, rows in groups.items():
        letters = [row.reliability for row in rows]
        kept = worst(letters)
        setter = next(row for row in rows if row.reliability == kept)
        first = rows[0]
        source = Source.objects.create(
            url=key,
            title=first.title,
            publisher=first.publisher,
            reliability=kept,
            reliability_set_by_id=setter.added_by_id,
            reliability_set_at=setter.updated_at,
            created_by_id=first.added_by_id,
        )
        Source.objects.filter(pk=source.pk).update(created_at=first.created_at)
        Citation.objects.filter(pk__in=[row.pk for row in rows]).update(source=source)
        source_of[key] = source.pk
        for n, row in enumerate(rows):
            HistoricalSource.objects.create(
                id=source.pk,
                url=row.url,
                title=row.title,
                publisher=row.publisher,
                reliability=row.reliability,
                reliability_set_by_id=row.added_by_id,
                reliability_set_at=row.updated_at,
                created_by_id=first.added_by_id,
                created_at=first.created_at,
                updated_at=row.updated_at,
                history_date=row.created_at,
                history_type="~" if n else "+",
                history_user_id=row.added_by_id,
                history_change_reason=f"as cited by claim {row.claim_id}",
            )
        distinct = sorted(set(letters))
        reason = f"merged {len(rows)} per-claim records by URL"
        if len(distinct) > 1:
            reason = f"reliability disagreed: {', '.join(distinct)}; kept {kept}"
        HistoricalSource.objects.create(
            id=source.pk,
            url=key,
            title=first.title,
            publisher=first.publisher,
            reliability=kept,
            reliability_set_by_id=setter.added_by_id,
            reliability_set_at=setter.updated_at,
            created_by_id=first.added_by_id,
            created_at=first.created_at,
            updated_at=now,
            history_date=now,
            history_type="~",
            history_change_reason=reason[:100],
        )
    for key, record in deleted_only.items():
        source = Source.objects.create(
            url=key,
            title=record.title,
            publisher=record.publisher,
            reliability=record.reliability,
            reliability_set_by_id=record.added_by_id,
            reliability_set_at=record.updated_at,
            created_by_id=record.added_by_id,
        )
        source_of[key] = source.pk
        HistoricalSource.objects.create(
            id=source.pk,
            url=record.url,
            title=record.title,
            publisher=record.publisher,
            reliability=record.reliability,
            reliability_set_by_id=record.added_by_id,
            reliability_set_at=record.updated_at,
            created_by_id=record.added_by_id,
            created_at=record.created_at,
            updated_at=record.updated_at,
            history_date=record.created_at,
            history_type="+",
            history_user_id=record.added_by_id,
            history_change_reason=f"as cited by claim {record.claim_id} (deleted)",
        )
    by_source = defaultdict(list)
    for record in HistoricalCitation.objects.only("history_id", "url"):
        by_source[source_of[normalise(record.url)]].append(record.history_id)
    for source_id, ids in by_source.items():
        HistoricalCitation.objects.filter(history_id__in=ids).update(source_id=source_id)


def unmerge(apps, schema_editor):
    """Back to per-claim rows: each citation (and record) takes its source's values."""
    Citation = apps.get_model("annotate", "Citation")
    HistoricalCitation = apps.get_model("annotate", "HistoricalCitation")
    Source = apps.get_model("annotate", "Source")
    for source in Source.objects.all():
        values = {
            "url": source.url,
            "title": source.title,
            "publisher": source.publisher,
            "reliability": source.reliability,
        }
        Citation.objects.filter(source_id=source.pk).update(**values)
        HistoricalCitation.objects.filter(source_id=source.pk).update(**values)
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(
        content_type__app_label="annotate", codename__endswith="_source"
    ).delete()
    for perm in Permission.objects.filter(
        content_type__app_label="annotate", codename__endswith="_citation"
    ):
        perm.codename = perm.codename.replace("_citation", "_source")
        perm.name = perm.name.replace("citation", "source")
        perm.save()


def _user(**extra):
    return models.ForeignKey(
        on_delete=django.db.models.deletion.PROTECT, to=settings.AUTH_USER_MODEL, **extra
    )


def _history_link(to):
    return models.ForeignKey(
        blank=True,
        db_constraint=False,
        null=True,
        on_delete=django.db.models.deletion.DO_NOTHING,
        related_name="+",
        to=to,
    )


def _history_fields(indexed):
    user = {"null": True, "on_delete": django.db.models.deletion.SET_NULL, "related_name": "+"}
    return {
        "id": models.BigIntegerField(
            auto_created=True, blank=True, db_index=indexed, verbose_name="ID"
        ),
        "history_date": models.DateTimeField(db_index=indexed),
        "history_user": models.ForeignKey(
            to=settings.AUTH_USER_MODEL, db_index=indexed, db_constraint=indexed, **user
        ),
    }


def _remade_history_indexes():
    return [
        migrations.AlterField(model_name="historicalcitation", name=name, field=field)
        for indexed in (False, True)
        for name, field in _history_fields(indexed).items()
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("annotate", "0009_claim_relations"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(model_name="source", name="source_updated_idx"),
        migrations.RemoveConstraint(model_name="source", name="source_url_title_set"),
        migrations.RemoveConstraint(model_name="source", name="source_stance_valid"),
        migrations.RemoveConstraint(model_name="source", name="source_reliability_valid"),
        migrations.RenameModel("Source", "Citation"),
        migrations.RenameModel("HistoricalSource", "HistoricalCitation"),
        migrations.AlterModelOptions(
            name="historicalcitation",
            options={
                "get_latest_by": ("history_date", "history_id"),
                "ordering": ("-history_date", "-history_id"),
                "verbose_name": "historical citation",
                "verbose_name_plural": "historical citations",
            },
        ),
        # The renamed history table keeps index and constraint names made from its old
        # name, which the new historical sources' table would make again: drop and remake
        # them under the new name.
        *_remade_history_indexes(),
        migrations.AlterField(
            model_name="citation",
            name="claim",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="citations",
                to="annotate.claim",
            ),
        ),
        migrations.AlterField(
            model_name="citation", name="added_by", field=_user(related_name="citations")
        ),
        migrations.CreateModel(
            name="Source",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("url", models.URLField(max_length=2000, unique=True)),
                ("title", models.CharField(max_length=500)),
                ("publisher", models.CharField(blank=True, max_length=200)),
                ("published_on", models.DateField(blank=True, null=True)),
                (
                    "archive_url",
                    models.URLField(
                        blank=True,
                        help_text="An archived copy (e.g. the Wayback Machine).",
                        max_length=2000,
                    ),
                ),
                ("reliability", models.CharField(choices=RELIABILITY, max_length=1)),
                ("reliability_set_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("created_by", _user(related_name="sources")),
                ("reliability_set_by", _user(related_name="+")),
            ],
            options={
                "ordering": ["title", "id"],
                "indexes": [models.Index(fields=["updated_at"], name="source_updated_idx")],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("url", ""), _negated=True)
                        & models.Q(("title", ""), _negated=True),
                        name="source_url_title_set",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("reliability__in", ["A", "B", "C", "D", "E", "F"])),
                        name="source_reliability_valid",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="HistoricalSource",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("url", models.URLField(db_index=True, max_length=2000)),
                ("title", models.CharField(max_length=500)),
                ("publisher", models.CharField(blank=True, max_length=200)),
                ("published_on", models.DateField(blank=True, null=True)),
                (
                    "archive_url",
                    models.URLField(
                        blank=True,
                        help_text="An archived copy (e.g. the Wayback Machine).",
                        max_length=2000,
                    ),
                ),
                ("reliability", models.CharField(choices=RELIABILITY, max_length=1)),
                ("reliability_set_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("created_at", models.DateTimeField(blank=True, editable=False)),
                ("updated_at", models.DateTimeField(blank=True, editable=False)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                ("created_by", _history_link(settings.AUTH_USER_MODEL)),
                ("reliability_set_by", _history_link(settings.AUTH_USER_MODEL)),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical source",
                "verbose_name_plural": "historical sources",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddField(
            model_name="citation",
            name="source",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="citations",
                to="annotate.source",
            ),
        ),
        migrations.AddField(
            model_name="historicalcitation", name="source", field=_history_link("annotate.source")
        ),
        migrations.AddField(
            model_name="citation",
            name="credibility",
            field=models.PositiveSmallIntegerField(choices=CREDIBILITY, default=6),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="historicalcitation",
            name="credibility",
            field=models.PositiveSmallIntegerField(choices=CREDIBILITY, default=6),
            preserve_default=False,
        ),
        migrations.RunPython(merge, unmerge),
    ]
