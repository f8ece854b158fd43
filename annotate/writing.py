"""The steps every writer of annotations shares: the services, restore and re-anchoring.

Each of them names who acts for the history record, locks a claim before its sources and
notes (one lock order, so writers on the same claim queue instead of deadlocking), and
moves a claim's stamps when what it shows changes (annotate.versioning). They are written
once here so that no writer, today's or a new one, can do one of them its own way.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import NON_FIELD_ERRORS, FieldError, PermissionDenied, ValidationError
from django.db import connection, connections, router
from django.db.models import BooleanField, CheckConstraint, ForeignKey, Model, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.db.models.sql import Query
from django.utils import timezone

from annotate.changes import recording
from annotate.changes.models import Scope
from annotate.models import Citation, Claim
from articles.models import Article, Paragraph, Revision


def require(allowed: bool, message: str) -> None:
    """Refuse with PermissionDenied unless an access rule (annotate.access) allowed it."""
    if not allowed:
        raise PermissionDenied(message)


def acted_by(obj: Any, user: AbstractBaseUser, reason: str | None = None) -> Any:
    """Name who acts (and why) for the history record the next save or delete writes."""
    obj._history_user = user
    obj._change_reason = reason
    return obj


# A condition a writer checks with the constraints, in the same query: the field to name,
# the message, and a boolean expression that holds when all is well.
Condition = tuple[str, str, Any]


def full_clean(
    *objs: Model, conditions: tuple[Condition, ...] = (), validate_unique: bool = True
) -> None:
    """Model.full_clean of each object, the same rules and the same errors, in one query.

    Django asks the database once for each foreign key (does the row exist?) and once for
    each check constraint, in a savepoint of its own: 21 queries for a claim made with its
    span, most of a create's. Here a foreign key whose object is loaded (read or saved by
    this writer: the request's user, the paragraph the serializer read), or is one of
    `objs` (saved before it), is not asked again, as the database's own foreign key still
    holds at the insert; and every check constraint of every object, with `conditions`,
    is evaluated in one query, each exactly as Django's CheckConstraint.validate builds
    it, with its own message. Unique constraints are validated as Django does (a query
    each; Span and Claim have none), unless `validate_unique` is false: a writer that lets
    the database's unique index decide (and handles its IntegrityError) skips them. A
    failed condition is reported alone; otherwise the errors of the first object that has
    any, as if each were cleaned in turn.
    """
    using = router.db_for_write(type(objs[0]), instance=objs[0])
    errors: list[dict[str, Any]] = []
    groups: list[Group] = []
    for index, obj in enumerate(objs):
        found = _clean_in_python(obj, together=objs, validate_unique=validate_unique)
        errors.append(found)
        exclude = {name for name in found if name != NON_FIELD_ERRORS}
        for model, constraints in obj.get_constraints():
            checks = [c for c in constraints if isinstance(c, CheckConstraint)]
            against = obj._get_field_expression_map(meta=model._meta, exclude=exclude)
            group = _group(
                [(index, c) for c in checks], [Q(c.condition) for c in checks], against, using
            )
            if group is not None:
                groups.append(group)
            for constraint in constraints:
                if isinstance(constraint, CheckConstraint):
                    continue
                try:
                    constraint.validate(model, obj, exclude=exclude, using=using)
                except ValidationError as error:
                    fields = getattr(constraint, "fields", ())
                    if getattr(error, "code", None) == "unique" and len(fields) == 1:
                        found.setdefault(fields[0], []).append(error)
                    else:
                        errors[index] = error.update_error_dict(found)
    group = _group([(-1, c) for c in conditions], [Q(c[2]) for c in conditions], {}, using)
    if group is not None:
        groups.append(group)
    failed: dict[str, Any] = {}
    for index, check in _violated(groups, using):
        if index < 0:
            field, message, _ = check
            failed = ValidationError({field: message}).update_error_dict(failed)
        else:
            error = ValidationError(
                check.get_violation_error_message(), code=check.violation_error_code
            )
            errors[index] = error.update_error_dict(errors[index])
    if failed:
        raise ValidationError(failed)
    for found in errors:
        if found:
            raise ValidationError(found)


def _clean_in_python(
    obj: Model, *, together: tuple[Model, ...], validate_unique: bool = True
) -> dict[str, Any]:
    """Model.full_clean's steps before its constraints: fields (foreign keys of loaded
    objects skipped), clean(), uniqueness of the fields that passed. The errors found."""
    errors: dict[str, Any] = {}
    loaded = _loaded_relations(obj, together)
    for step in (lambda: obj.clean_fields(exclude=loaded), obj.clean):
        try:
            step()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
    if not validate_unique:
        return errors
    exclude = {name for name in errors if name != NON_FIELD_ERRORS}
    try:
        obj.validate_unique(exclude=exclude)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    return errors


def _loaded_relations(obj: Model, together: tuple[Model, ...]) -> list[str]:
    """Foreign keys of `obj` whose object it holds as read from the database (or saved),
    or as one of the objects validated and saved with it: there is nothing to ask."""
    loaded = []
    for field in obj._meta.concrete_fields:
        if not isinstance(field, ForeignKey) or field.get_limit_choices_to():
            continue
        related = obj._state.fields_cache.get(field.name)
        if related is None:
            continue
        if any(related is other for other in together) or (
            not related._state.adding
            and related.pk is not None
            and getattr(related, field.target_field.attname) == getattr(obj, field.attname)
        ):
            loaded.append(field.name)
    return loaded


# One query's worth of checks: its SQL and parameters, and what each of its columns checks
# (the index of the object checked, -1 for a writer's condition; the constraint or condition).
Group = tuple[str, tuple, list[tuple[int, Any]]]


def _group(
    checked: list[tuple[int, Any]], conditions: list[Q], against: dict[str, Any], using: str
) -> Group | None:
    """One row of booleans, a column per condition, on the values `against`: the condition
    as Django's Q.check asks it (a NULL holds, as in SQL's CHECK), once for all of an
    object's constraints instead of a query each. A condition naming a field that failed
    is left out, as Django's CheckConstraint.validate leaves it."""
    query = Query(None)
    for name, value in against.items():
        query.add_annotation(
            value if hasattr(value, "resolve_expression") else Value(value), name, select=False
        )
    kept = []
    for number, (check, condition) in enumerate(zip(checked, conditions, strict=True)):
        try:
            query.add_annotation(
                Coalesce(condition, True, output_field=BooleanField()), f"_check{number}"
            )
        except FieldError:
            continue
        kept.append(check)
    if not kept:
        return None
    sql, params = query.get_compiler(using=using).as_sql()
    return sql, params, kept


def _violated(groups: list[Group], using: str) -> list[tuple[int, Any]]:
    """Ask every group in one query (each is one row: joined, one row of all the columns);
    the checks whose column is false."""
    if not groups:
        return []
    sources = ", ".join(f"({sql}) AS checks{n}" for n, (sql, _, _) in enumerate(groups))
    params = [param for _, group_params, _ in groups for param in group_params]
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT * FROM {sources}", params)  # noqa: S608 (our own SQL)
        row = cursor.fetchone()
    checks = [check for _, _, kept in groups for check in kept]
    return [check for check, held in zip(checks, row, strict=True) if not held]


def hold_text_still(paragraph_id: int) -> None:
    """Share-lock the article of the paragraph before adding or removing a span on it.

    A revision import locks the article exclusively while it anchors every span into the
    new text (annotate.reanchoring.revision_import). Holding the article's share lock, a
    writer of spans waits for an import under way (and then finds its paragraph is no
    longer current), and an import waits for writers already under way (and then anchors
    the span just made, and not the one just deleted). Writers of spans don't wait for
    each other. SQLite's writers take turns anyway. Taken first, before any row lock of
    the writer (claim_delete's span, claim, children), so that locks are always taken in
    one order.
    """
    if connection.vendor != "postgresql":
        return
    article, revision, paragraph = (
        model._meta.db_table for model in (Article, Revision, Paragraph)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {article} a JOIN {revision} r ON r.article_id = a.id"  # noqa: S608 (table names)
            f" JOIN {paragraph} p ON p.revision_id = r.id WHERE p.id = %s FOR SHARE OF a",
            [paragraph_id],
        )


def lock_claim(claim_id: int) -> None:
    """Lock the claim before its sources or notes, as claim_delete does (claim first,
    then its children): one lock order for every writer, so writers on the same claim
    queue instead of deadlocking."""
    Claim.objects.select_for_update().filter(pk=claim_id).values_list("pk").first()


def touch_claims(claims: QuerySet[Claim], user: AbstractBaseUser | None) -> None:
    """Claims show their citations, links and placement: move their versions when those
    change, and tell the changes feed (annotate.changes) that they look different now."""
    recording.record_claims(claims, user)
    claims.update(updated_at=timezone.now())


def touch_claim(claim_id: int, user: AbstractBaseUser | None) -> None:
    """A claim's version covers its citations: move it when they change."""
    touch_claims(Claim.objects.filter(pk=claim_id), user)


def touch_citing_claims(source_id: int, user: AbstractBaseUser | None) -> None:
    """Every claim shows the sources it cites (reliability included): move their versions
    when a source changes."""
    citing = Citation.objects.filter(source_id=source_id).values("claim_id")
    touch_claims(Claim.objects.filter(pk__in=citing), user)


def touch_claim_notes(claim_id: int, user: AbstractBaseUser | None) -> None:
    """Its notes move their own stamp: under independent review not everyone sees them,
    and who doesn't must not see the claim change (annotate.versioning), in the feed
    neither (Scope.NOTES)."""
    claims = Claim.objects.filter(pk=claim_id)
    recording.record_claims(claims, user, scope=Scope.NOTES)
    claims.update(notes_updated_at=timezone.now())
