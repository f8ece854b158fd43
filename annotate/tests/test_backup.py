"""Backup: a workspace exported, emptied and imported again is the same, row for row."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from annotate import relations, restore, services
from annotate.backup.export import EXCLUDED, workspace_export, workspace_models
from annotate.backup.load import workspace_flush, workspace_import
from annotate.models import Claim, Likelihood, SpanAnchor, Stance, Verdict
from annotate.reanchoring.reanchor import span_anchor_confirm
from annotate.tests.factories import make_citation, make_claim, make_note
from annotate.tests.revised_seed import claims_across_a_revision
from articles.models import Article

# Emoji (outside the BMP), right-to-left, combining marks, markup, quotes and backslashes.
TRICKY = 'Qatar 🇶🇦 said «الدوحة آمنة» — e\u0301te\u0301 <b>&amp;</b> "\\n" \u200f'
EXACT = datetime.datetime(2025, 9, 9, 12, 30, 1, 123457, tzinfo=datetime.UTC)


def rich_workspace(article: Article, reviewer, other_reviewer, lead, researcher) -> dict:
    """Two revisions with anchors and a report, claims by several users with citations, notes
    and verdicts, a deleted and restored claim with a link, users with names, roles and
    permissions."""
    reviewer.first_name, reviewer.last_name, reviewer.email = "Zoë", "ابن رشد", "z@example.org"
    reviewer.last_login = EXACT
    reviewer.save()
    lead.is_staff = True
    lead.save()
    lead.user_permissions.add(Permission.objects.get(codename="view_logentry"))
    researcher.is_active = False
    researcher.save()
    claims = claims_across_a_revision(article, reviewer)
    span_anchor_confirm(anchor=SpanAnchor.objects.get(span=claims["fuzzy"].span), user=lead)
    paragraph = article.revisions.get(number=2).paragraphs.get(position=3)
    tricky = make_claim(paragraph=paragraph, quote=paragraph.text[:24], user=other_reviewer)
    services.claim_update(claim=tricky, user=other_reviewer, statement=TRICKY)
    make_citation(claim=tricky, user=other_reviewer, excerpt=TRICKY, stance=Stance.REFUTES)
    gone = make_citation(
        claim=tricky, user=other_reviewer, url="https://example.org/gone", title="Withdrawn"
    )
    services.citation_delete(citation=gone, user=other_reviewer)
    for user, likelihood in [(reviewer, 2), (other_reviewer, 6), (lead, 4)]:
        make_note(claim=tricky, likelihood=Likelihood(likelihood), rationale=TRICKY, user=user)
    services.claim_set_verdict(claim=tricky, verdict=Verdict.MIXED, rationale="Both", user=lead)
    services.claim_set_verdict(claim=tricky, verdict=Verdict.SUPPORTED, rationale="Yes", user=lead)
    deleted = claims["moved"]
    make_citation(claim=deleted, user=reviewer)
    make_note(claim=deleted, likelihood=Likelihood.LIKELY, user=reviewer)
    # A link, deleted with the claim and restored with it.
    relations.relation_create(
        from_claim=deleted, to_claim=tricky, type="contradicts", rationale=TRICKY, user=reviewer
    )
    services.claim_delete(claim=deleted, user=reviewer)
    restore.claim_restore(claim_id=deleted.pk, user=lead)
    Claim.objects.filter(pk=tricky.pk).update(updated_at=EXACT)
    Claim.history.filter(id=tricky.pk).update(history_date=EXACT)
    LogEntry.objects.create(
        user=lead,
        content_type=ContentType.objects.get_for_model(Article),
        object_id=str(article.pk),
        object_repr=article.title,
        action_flag=CHANGE,
        change_message='[{"changed": {"fields": ["Title"]}}]',
    )
    return {"tricky": tricky, "restored": deleted}


@pytest.fixture
def workspace(seed_article, reviewer, other_reviewer, lead, researcher):
    return rich_workspace(seed_article, reviewer, other_reviewer, lead, researcher)


def every_row() -> dict[str, list]:
    """Every column of every row a backup holds; groups by name (their ids are per database)."""
    rows: dict[str, list] = {}
    for model in workspace_models():
        label = model._meta.label_lower
        if label == "auth.group":
            rows[label] = [
                (g.name, sorted(p.natural_key() for p in g.permissions.all()))
                for g in Group.objects.order_by("name")
            ]
        else:
            columns = [f.attname for f in model._meta.concrete_fields]
            rows[label] = list(model._base_manager.order_by("pk").values_list(*columns))
    user = get_user_model()
    memberships = user.groups.through.objects.values_list("user", "group__name")
    grants = user.user_permissions.through.objects.values_list("user", "permission__codename")
    rows["auth.user_groups"] = sorted(memberships)
    rows["auth.user_user_permissions"] = sorted(grants)
    return rows


def held() -> dict[str, int]:
    """Rows per model a backup holds, groups aside (migrations make the role groups)."""
    return {
        m._meta.label_lower: m._base_manager.count()
        for m in workspace_models()
        if m._meta.label_lower != "auth.group"
    }


@pytest.mark.parametrize("name", ["workspace.jsonl", "workspace.jsonl.gz"])
def test_it_restores_every_row_of_every_table_into_an_emptied_database(
    workspace, tmp_path: Path, name: str
):
    before = every_row()
    assert [label for label, rows in before.items() if not rows] == []

    counts = workspace_export(tmp_path / name)
    workspace_flush()
    assert set(held().values()) == {0}
    assert workspace_import(tmp_path / name) == counts

    assert every_row() == before
    assert counts["annotate.historicalclaim"] == Claim.history.count()
    kinds = set(Claim.history.values_list("history_type", "history_change_reason"))
    assert {kind for kind, _ in kinds} == {"+", "-", "~"}
    assert ("+", "restored") in kinds


def test_it_keeps_text_and_microseconds_exactly(workspace, tmp_path: Path):
    workspace_export(tmp_path / "w.jsonl")
    workspace_flush()
    workspace_import(tmp_path / "w.jsonl")

    claim = Claim.objects.get(pk=workspace["tricky"].pk)
    assert (claim.statement, claim.updated_at) == (TRICKY, EXACT)
    assert claim.notes.get(likelihood=6).rationale == TRICKY
    assert claim.history.order_by("history_id").first().history_date == EXACT
    assert get_user_model().objects.get(username="reviewer1").last_login == EXACT


def test_new_rows_after_an_import_get_ids_after_the_imported_ones(
    workspace, tmp_path: Path, reviewer
):
    last_claim, last_history = Claim.objects.latest("pk").pk, Claim.history.latest("pk").pk
    workspace_export(tmp_path / "w.jsonl")
    workspace_flush()
    workspace_import(tmp_path / "w.jsonl")

    paragraph = workspace["tricky"].span.paragraph
    claim = make_claim(paragraph=paragraph, quote=paragraph.text[:10], user=reviewer)
    assert claim.pk > last_claim
    assert Claim.history.latest("pk").pk > last_history


def test_replace_swaps_the_databases_workspace_for_the_files(workspace, tmp_path: Path, lead):
    workspace_export(tmp_path / "w.jsonl")
    before = every_row()
    services.claim_delete(claim=workspace["tricky"], user=lead)
    Group.objects.create(name="visitors")

    workspace_import(tmp_path / "w.jsonl", replace=True)

    assert every_row() == before


def test_every_model_is_backed_up_or_left_out_on_purpose():
    backed_up = {m._meta.label_lower for m in workspace_models()}
    concrete = {m._meta.label_lower for m in apps.get_models() if not m._meta.proxy}
    assert concrete - backed_up == set(EXCLUDED)
    assert backed_up & set(EXCLUDED) == set()


def test_the_commands_export_and_import_and_print_what_they_did(workspace, tmp_path: Path):
    out = tmp_path / "w.jsonl.gz"
    call_command("export_workspace", str(out), stdout=(exported := _Text()))
    workspace_flush()
    call_command("import_workspace", str(out), stdout=(imported := _Text()))

    total = sum(held().values()) + Group.objects.count()
    assert f"Exported {total} rows to {out}" in exported.text
    assert f"Imported {total} rows from {out}" in imported.text
    assert f"  annotate.claim: {Claim.objects.count()}\n" in imported.text


class _Text:
    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> None:
        self.text += text
