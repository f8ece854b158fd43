"""Who may do what to an annotation: the one definition the pages, the API and the
admin all ask.

Model permissions say what a role may do at all (a researcher has no `add_claim`);
the functions here add the ownership rule on top: reviewers change and delete what they
made themselves, leads anything, and only leads set verdicts.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from annotate.models import Claim, ConfidenceNote, Source, Span

Annotation = Span | Claim | Source | ConfidenceNote
User = AbstractBaseUser | AnonymousUser


def author_id_of(obj: Annotation) -> int:
    if isinstance(obj, Source):
        return obj.added_by_id
    if isinstance(obj, ConfidenceNote):
        return obj.reviewer_id
    return obj.created_by_id


def _codename(action: str, obj_or_model: Annotation | type[Annotation]) -> str:
    return f"annotate.{action}_{obj_or_model._meta.model_name}"


def is_lead(user: User) -> bool:
    return user.is_active and user.has_perm("annotate.adjudicate_claim")


def can_add(user: User, model: type[Annotation]) -> bool:
    return user.is_active and user.has_perm(_codename("add", model))


def can_change(user: User, obj: Annotation) -> bool:
    """Leads change anything; others only what they made, and never someone's note."""
    if not (user.is_active and user.has_perm(_codename("change", obj))):
        return False
    if isinstance(obj, ConfidenceNote):
        # A confidence note is a personal judgement: not even a lead rewrites it.
        return obj.reviewer_id == user.pk
    return is_lead(user) or author_id_of(obj) == user.pk


def can_delete(user: User, obj: Annotation) -> bool:
    if not (user.is_active and user.has_perm(_codename("delete", obj))):
        return False
    return is_lead(user) or author_id_of(obj) == user.pk


def can_adjudicate(user: User) -> bool:
    return is_lead(user)


def can_restore(user: User) -> bool:
    """Deleted claims come back only through a lead, who sees everyone's deletions."""
    return is_lead(user)
