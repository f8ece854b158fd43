"""Writes to relations between claims: the only way a ClaimRelation changes.

A relation shows on both of its claims (each claim's panel, its JSON, its history), so it
is part of what each claim shows: every write here locks both claims (lower id first, one
lock order for every writer) and moves both claims' versions (writing.touch_claim), so
ETags, `updated_after` and open pages see it.

Symmetric types (contradicts, corroborates, same claim as) are stored once per pair, in
canonical order (the lower claim id first; the database checks it): a caller may name the
claims either way round, and asking for B–A when A–B exists is refused as a duplicate.
"Part of" reads one way (from_claim is part of to_claim), and the reverse of an existing
"part of" is refused, since two claims cannot each be part of the other.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from annotate import access
from annotate.models import SYMMETRIC_RELATIONS, Claim, ClaimRelation, RelationType
from annotate.versioning import lock_current
from annotate.writing import acted_by, lock_claim, require, touch_claim


def _lock_both(first_id: int, second_id: int) -> None:
    for claim_id in sorted({first_id, second_id}):
        lock_claim(claim_id)


def _lock_current(
    relation: ClaimRelation, expected_version: str | frozenset[str] | None
) -> ClaimRelation:
    """Lock both claims, then the relation (claims before their children), and return its
    current state; StaleEdit if it changed since `expected_version`."""
    _lock_both(relation.from_claim_id, relation.to_claim_id)
    return lock_current(relation, expected_version)


def _touch_both(relation: ClaimRelation, user: AbstractBaseUser) -> None:
    touch_claim(relation.from_claim_id, user)
    touch_claim(relation.to_claim_id, user)


def check_relation(*, from_claim: Claim, to_claim: Claim, type: Any) -> tuple[Claim, Claim]:
    """The relation rules (each failure names its field), returning the two claims in the
    order they are stored."""
    if type not in RelationType.values:
        raise ValidationError({"type": f"Must be one of: {', '.join(RelationType.values)}."})
    if from_claim.pk == to_claim.pk:
        raise ValidationError({"to_claim": "Is this claim; relate it to another claim."})
    articles = dict(
        Claim.objects.filter(pk__in=[from_claim.pk, to_claim.pk]).values_list(
            "pk", "span__paragraph__revision__article_id"
        )
    )
    for name, claim in (("from_claim", from_claim), ("to_claim", to_claim)):
        if claim.pk not in articles:  # deleted while the caller was deciding
            raise ValidationError({name: "Was deleted meanwhile."})
    if articles[from_claim.pk] != articles[to_claim.pk]:
        raise ValidationError(
            {"to_claim": "Belongs to another article: relate claims of the same report."}
        )
    if type in SYMMETRIC_RELATIONS and from_claim.pk > to_claim.pk:
        from_claim, to_claim = to_claim, from_claim
    label = RelationType(type).label.lower()
    if ClaimRelation.objects.filter(from_claim=from_claim, to_claim=to_claim, type=type).exists():
        raise ValidationError({"to_claim": f"Is already linked to this claim as “{label}”."})
    reverse = ClaimRelation.objects.filter(
        from_claim=to_claim, to_claim=from_claim, type=RelationType.PART_OF
    )
    if type == RelationType.PART_OF and reverse.exists():
        raise ValidationError(
            {"type": "The other claim is already part of this one; one cannot be part of both."}
        )
    return from_claim, to_claim


@transaction.atomic
def relation_create(
    *,
    from_claim: Claim,
    to_claim: Claim,
    type: str,
    rationale: str = "",
    user: AbstractBaseUser,
) -> ClaimRelation:
    """Link two claims of one article: from_claim `type` to_claim."""
    require(access.can_add(user, ClaimRelation), "You may not link claims.")
    _lock_both(from_claim.pk, to_claim.pk)
    from_claim, to_claim = check_relation(from_claim=from_claim, to_claim=to_claim, type=type)
    relation = ClaimRelation(
        from_claim=from_claim,
        to_claim=to_claim,
        type=type,
        rationale=(rationale or "").strip(),
        created_by=user,
    )
    relation.full_clean()
    acted_by(relation, user).save()
    _touch_both(relation, user)
    return relation


@transaction.atomic
def relation_update(
    *,
    relation: ClaimRelation,
    rationale: str,
    user: AbstractBaseUser,
    expected_version: str | frozenset[str] | None = None,
) -> ClaimRelation:
    """Reword a relation's rationale; which claims it links, and how, are what it is: a
    different link is a new relation."""
    require(access.can_change(user, relation), "You may only edit links you made.")
    relation = _lock_current(relation, expected_version)
    relation.rationale = (rationale or "").strip()
    relation.full_clean()
    acted_by(relation, user).save()
    _touch_both(relation, user)
    return relation


@transaction.atomic
def relation_delete(
    *,
    relation: ClaimRelation,
    user: AbstractBaseUser,
    expected_version: str | frozenset[str] | None = None,
) -> None:
    require(access.can_delete(user, relation), "You may only remove links you made.")
    relation = _lock_current(relation, expected_version)
    acted_by(relation, user).delete()
    _touch_both(relation, user)
