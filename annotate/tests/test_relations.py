"""Relations between claims: the rules annotate.relations holds (same article, no self,
one per pair and type, symmetric types stored once), ownership, versions and history."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from annotate import history, relations, restore, services
from annotate.models import Claim, ClaimRelation, RelationType
from annotate.tests.factories import make_claim
from annotate.tests.relation_helpers import CONFLICTING, NOT_KILLED, UNKNOWN, seed_claims
from annotate.versioning import version_of
from articles.report_format import parse_report
from articles.services import article_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(seed_article, reviewer):
    return seed_claims(seed_article, reviewer, NOT_KILLED, CONFLICTING)


def _field(raised) -> list[str]:
    return list(raised.value.message_dict)


def test_a_reviewer_links_two_claims_and_both_versions_move(pair, reviewer):
    a, b = pair
    before = [version_of(a), version_of(b)]
    relation = relations.relation_create(
        from_claim=b,
        to_claim=a,
        type=RelationType.CONTRADICTS,
        rationale=" al-Hayya ",
        user=reviewer,
    )
    a.refresh_from_db()
    b.refresh_from_db()

    # Symmetric: stored with the lower id first, whichever way it was asked.
    assert (relation.from_claim_id, relation.to_claim_id) == (a.pk, b.pk)
    assert relation.rationale == "al-Hayya"
    assert version_of(a) != before[0]
    assert version_of(b) != before[1]


@pytest.mark.parametrize("kind", [RelationType.CONTRADICTS, RelationType.SAME_AS])
def test_a_symmetric_link_cannot_be_made_twice_either_way(pair, reviewer, other_reviewer, kind):
    a, b = pair
    relations.relation_create(from_claim=a, to_claim=b, type=kind, user=reviewer)
    with pytest.raises(ValidationError) as raised:
        relations.relation_create(from_claim=b, to_claim=a, type=kind, user=other_reviewer)
    assert _field(raised) == ["to_claim"]
    assert ClaimRelation.objects.count() == 1


def test_part_of_is_directional_and_not_both_ways(pair, reviewer):
    a, b = pair
    relations.relation_create(from_claim=b, to_claim=a, type=RelationType.PART_OF, user=reviewer)
    stored = ClaimRelation.objects.get()
    assert (stored.from_claim_id, stored.to_claim_id) == (b.pk, a.pk)
    with pytest.raises(ValidationError) as raised:
        relations.relation_create(
            from_claim=a, to_claim=b, type=RelationType.PART_OF, user=reviewer
        )
    assert _field(raised) == ["type"]
    # Another type between the same claims is another relation.
    relations.relation_create(
        from_claim=a, to_claim=b, type=RelationType.CORROBORATES, user=reviewer
    )
    assert ClaimRelation.objects.count() == 2


def test_no_claim_is_linked_to_itself(pair, reviewer):
    a, _ = pair
    with pytest.raises(ValidationError) as raised:
        relations.relation_create(from_claim=a, to_claim=a, type="contradicts", user=reviewer)
    assert _field(raised) == ["to_claim"]


def test_claims_of_another_article_are_refused_naming_the_field(pair, reviewer):
    other = article_import(
        report=parse_report(b"---\ntitle: Other\nslug: other\n---\nAnother text.\n")
    )
    foreign = make_claim(
        paragraph=other.revisions.get().paragraphs.get(), quote="Another text.", user=reviewer
    )
    with pytest.raises(ValidationError) as raised:
        relations.relation_create(
            from_claim=pair[0], to_claim=foreign, type="corroborates", user=reviewer
        )
    assert _field(raised) == ["to_claim"]
    assert not ClaimRelation.objects.exists()


def test_an_unknown_type_is_refused_naming_the_field(pair, reviewer):
    with pytest.raises(ValidationError) as raised:
        relations.relation_create(
            from_claim=pair[0], to_claim=pair[1], type="refutes", user=reviewer
        )
    assert _field(raised) == ["type"]


def test_the_database_holds_no_self_link_no_duplicate_and_the_canonical_order(pair, reviewer):
    a, b = pair
    rows = [
        {"from_claim": a, "to_claim": a, "type": "part_of"},
        {"from_claim": b, "to_claim": a, "type": "contradicts"},  # not canonical
    ]
    for row in rows:
        with pytest.raises(IntegrityError), transaction.atomic():
            ClaimRelation.objects.create(created_by=reviewer, **row)
    ClaimRelation.objects.create(created_by=reviewer, from_claim=a, to_claim=b, type="part_of")
    with pytest.raises(IntegrityError), transaction.atomic():
        ClaimRelation.objects.create(created_by=reviewer, from_claim=a, to_claim=b, type="part_of")


def test_reviewers_remove_their_own_links_and_leads_anyones(
    pair, reviewer, other_reviewer, lead, researcher
):
    a, b = pair
    with pytest.raises(PermissionDenied):
        relations.relation_create(from_claim=a, to_claim=b, type="contradicts", user=researcher)
    mine = relations.relation_create(from_claim=a, to_claim=b, type="contradicts", user=reviewer)
    with pytest.raises(PermissionDenied):
        relations.relation_delete(relation=mine, user=other_reviewer)
    with pytest.raises(PermissionDenied):
        relations.relation_update(relation=mine, rationale="mine now", user=other_reviewer)
    relations.relation_delete(relation=mine, user=lead)
    theirs = relations.relation_create(
        from_claim=a, to_claim=b, type="same_as", user=other_reviewer
    )
    relations.relation_delete(relation=theirs, user=other_reviewer)
    assert not ClaimRelation.objects.exists()


def test_a_link_is_in_both_claims_history_with_who_made_and_removed_it(pair, reviewer, lead):
    a, b = pair
    relation = relations.relation_create(
        from_claim=a, to_claim=b, type="contradicts", rationale="Conflicting reports", user=reviewer
    )
    relations.relation_delete(relation=relation, user=lead)

    for claim in (a, b):
        entries = [e for e in history.claim_timeline(claim, lead) if e.object_type == "relation"]
        assert [(e.action, e.who) for e in entries] == [
            ("deleted", "lead"),
            ("created", "reviewer1"),
        ]
        shown = {c.field: c.shown_new for c in entries[1].changes}
        assert shown["type"] == "Contradicts"
        assert shown["rationale"] == "Conflicting reports"
        assert {shown["from_claim_id"], shown["to_claim_id"]} == {a.statement, b.statement}


def test_a_deleted_claim_takes_its_links_and_a_restore_brings_them_back(
    seed_article, pair, reviewer, lead
):
    a, b = pair
    (c,) = seed_claims(seed_article, reviewer, UNKNOWN)
    relations.relation_create(from_claim=a, to_claim=b, type="contradicts", user=reviewer)
    relations.relation_create(from_claim=c, to_claim=a, type="part_of", user=reviewer)
    b_version = version_of(b)

    services.claim_delete(claim=a, user=reviewer)
    b.refresh_from_db()
    assert not ClaimRelation.objects.exists()
    assert version_of(b) != b_version  # b no longer shows the link
    deletions = ClaimRelation.history.filter(history_type="-")
    assert {d.history_user_id for d in deletions} == {reviewer.pk}

    # c goes too meanwhile: a's restore brings back only the link whose other end is there.
    services.claim_delete(claim=c, user=reviewer)
    restore.claim_restore(claim_id=a.pk, user=lead)
    assert list(ClaimRelation.objects.values_list("type", flat=True)) == ["contradicts"]
    restore.claim_restore(claim_id=c.pk, user=lead)
    assert sorted(ClaimRelation.objects.values_list("type", flat=True)) == [
        "contradicts",
        "part_of",
    ]


def test_a_link_removed_on_its_own_stays_removed_when_a_claim_is_restored(pair, reviewer, lead):
    a, b = pair
    relation = relations.relation_create(
        from_claim=a, to_claim=b, type="corroborates", user=reviewer
    )
    relations.relation_delete(relation=relation, user=reviewer)
    services.claim_delete(claim=a, user=reviewer)
    restore.claim_restore(claim_id=a.pk, user=lead)
    assert not ClaimRelation.objects.exists()


def test_a_claim_deleted_meanwhile_is_refused_naming_its_field(pair, reviewer):
    a, b = pair
    services.claim_delete(claim=Claim.objects.get(pk=b.pk), user=reviewer)
    with pytest.raises(ValidationError) as raised:
        relations.relation_create(from_claim=a, to_claim=b, type="contradicts", user=reviewer)
    assert _field(raised) == ["to_claim"]
    assert not ClaimRelation.objects.exists()
