"""Who may do what to an annotation: the one definition the pages, the API and the
admin all ask.

Model permissions say what a role may do at all (a researcher has no `add_claim`);
the functions here add the ownership rule on top: reviewers change and delete what they
made themselves, leads anything, and only leads set verdicts.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Exists, OuterRef, Q

from annotate.models import (
    Citation,
    Claim,
    ClaimRelation,
    ConfidenceNote,
    Scope,
    Source,
    Span,
)

# A shared Source follows the same rule as the rest: its creator, or a lead, edits it.
Annotation = Span | Claim | Source | Citation | ConfidenceNote | ClaimRelation
User = AbstractBaseUser | AnonymousUser


def author_id_of(obj: Annotation) -> int:
    if isinstance(obj, Citation):
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


def can_edit_article(user: User) -> bool:
    """An article's details, independent review among them (leads, in the admin)."""
    return user.is_active and user.has_perm("articles.change_article")


def can_restore(user: User) -> bool:
    """Deleted claims come back only through a lead, who sees everyone's deletions."""
    return is_lead(user)


def can_reanchor(user: User) -> bool:
    """Re-attaching an orphaned span and confirming a proposed placement decide where
    everyone's claims now sit: leads only."""
    return is_lead(user)


def may_import_as(importer: User, author: User | None, what: type[Annotation] | str) -> bool:
    """Whether a bulk import (annotate.imports) by `importer` may record `author` (the
    user an imported file names, None when no such user exists) as having made `what`:
    an annotation model, or "verdict".

    Anyone may import under their own name what their role lets them make. Naming
    someone else is a lead's decision (a lead edits anyone's work anyway), and only for
    what that user's role lets them make: a reviewer importing a colleague's file puts
    nothing in the colleague's name, since the colleague could not then edit it nor
    disown it. What may not be recorded under its author is recorded under the importer
    (a claim keeps the original name in `imported_creator`), except a confidence note: a
    note is a personal judgement, so one that cannot stand under its reviewer's name is
    refused, never recorded as the importer's own.
    """
    if author is None or not author.is_active:
        return False

    def may_make(user: User) -> bool:
        return can_adjudicate(user) if what == "verdict" else can_add(user, what)  # type: ignore[arg-type]

    if author.pk == importer.pk:
        return may_make(importer)
    return is_lead(importer) and may_make(author)


# Independent review. On an article with `independent_review` on, a reviewer judges a claim
# before seeing how others judged it: others' confidence notes on a claim, and the summary
# built from them (count, range, median, disputed), stay hidden from a reviewer until they
# have recorded their own note on that claim. Leads, and researchers (who read notes but
# cannot record them), see everything. Anyone else reads blind and has no note to record:
# an anonymous caller of the public read API (CLAIMDESK_PUBLIC_READ), or an account without
# a role, sees no notes and nothing derived from them while the review is on, or a
# reviewer could read the notes by dropping their token. The Q objects below are the SQL
# form of `judges_blind` and `sees_notes_of`; every page, API endpoint and export goes
# through one of them, and so do versions and timestamps (annotate.versioning).


def judges_blind(user: User) -> bool:
    """Whether independent review applies to the user: everyone but leads and those who
    read notes without recording any (researchers)."""
    if is_lead(user):
        return False
    reads_notes = user.is_active and user.has_perm("annotate.view_confidencenote")
    return can_add(user, ConfidenceNote) or not reads_notes


def sees_notes_of(user: User, claim: Claim, notes: list[ConfidenceNote]) -> bool:
    """Whether the user sees others' notes on the claim and its summary; `notes` are the
    claim's notes (as prefetched, to find the user's own) and `claim.span.paragraph.
    revision.article` its article."""
    if not judges_blind(user):
        return True
    if not claim.span.paragraph.revision.article.independent_review:
        return True
    return any(note.reviewer_id == user.pk for note in notes)


def _independent(prefix: str) -> Q:
    return Q(**{f"{prefix}span__paragraph__revision__article__independent_review": True})


def _sees_notes_q(user: User, *, independent: Q, claim: OuterRef, own: Q | None = None) -> Q:
    """The rule above for one kind of row: where the user sees the notes of the row's
    claim. `independent` says the row's article is under independent review, `claim` is
    the row's claim, `own` marks a row of the user's own note (seen whatever the rule)."""
    if not judges_blind(user):
        return Q()
    if user.pk is None:  # a public reader has no note of their own
        return ~independent
    has_noted = Exists(ConfidenceNote.objects.filter(claim=claim, reviewer_id=user.pk))
    seen = ~independent | has_noted
    return seen if own is None else own | seen


def claims_with_visible_notes_q(user: User) -> Q:
    """Claims whose others' notes and summary the user sees (for a Claim queryset)."""
    return _sees_notes_q(user, independent=_independent(""), claim=OuterRef("pk"))


def visible_notes_q(user: User) -> Q:
    """Notes the user sees (for a ConfidenceNote queryset): their own, and others' on
    claims they may see the notes of."""
    return _sees_notes_q(
        user,
        independent=_independent("claim__"),
        claim=OuterRef("claim"),
        own=Q(reviewer_id=user.pk),
    )


def may_see_agreement(user: User, article) -> bool:
    """The agreement page sums up everyone's notes, so it is for those who see them all:
    leads and researchers always, reviewers (and public readers) only when the article's
    independent review is off."""
    return not judges_blind(user) or not article.independent_review


# The changes feed (annotate.changes) tells each reader of changes to what they may read
# now: everything but others' confidence notes follows the read API (every reader sees
# every article, claim, source and link), and a change that reveals notes (a note's, or a
# claim's because of its notes) follows the notes' rule above: shown to a reader who sees
# that claim's notes when they read the feed, and always to the note's own reviewer.
# Changes addressed to one reader (what their own note revealed or hid) go to them alone.


def changes_visible_q(user: User) -> Q:
    """Changes the user is told of (for a Change queryset)."""
    sees_notes = _sees_notes_q(
        user,
        independent=Q(article__independent_review=True),
        claim=OuterRef("claim_id"),
        own=Q(owner_id=user.pk),
    )
    public = Q(audience__isnull=True) & (
        Q(scope=Scope.EVERYONE) | (Q(scope=Scope.NOTES) & sees_notes)
    )
    if user.pk is None:
        return public
    return public | Q(audience_id=user.pk)


# Webhooks (annotate.webhooks) post a reader's feed to a URL of theirs: whoever reads the
# API with an account (every role) may register them, and each reader's endpoints are
# theirs alone, leads' included: an endpoint holds its owner's secret and receives what
# its owner may read, so nobody else reads, changes or deletes it (404, as if absent).


def can_register_webhooks(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.has_perm("annotate.view_claim"))


def can_manage_webhook(user: User, endpoint) -> bool:
    """Read, change, delete an endpoint, read its log, ask for a redelivery."""
    return bool(user.is_active and user.pk is not None and endpoint.owner_id == user.pk)


def webhooks_managed_q(user: User) -> Q:
    """Endpoints the user sees and manages (for a WebhookEndpoint queryset)."""
    return Q(owner_id=user.pk)
