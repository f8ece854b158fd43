"""A write that PostgreSQL aborts as a deadlock victim runs again; a stubborn one is a 503.
The note service says itself whether it created the note (test_concurrent_notes.py)."""

from __future__ import annotations

import pytest
from django.db import OperationalError
from psycopg.errors import DeadlockDetected, UniqueViolation

from annotate import services
from annotate.api.concurrency import Busy, retrying
from annotate.models import ConfidenceNote, Likelihood

# No database in these three: retrying() only looks at the connection's state (no outer
# transaction, as in a request), and the services here are stand-ins that fail as
# PostgreSQL does.


def deadlocking(times: int):
    calls: list[int] = []

    def service(value: str) -> str:
        calls.append(1)
        if len(calls) <= times:
            raise OperationalError("deadlock detected") from DeadlockDetected()
        return value

    return service, calls


def test_a_deadlock_victim_runs_again():
    service, calls = deadlocking(times=1)

    assert retrying(service)("saved") == "saved"
    assert len(calls) == 2


def test_a_write_deadlocked_every_time_answers_busy():
    service, calls = deadlocking(times=10)

    with pytest.raises(Busy) as raised:
        retrying(service)("never")

    assert len(calls) == 3
    assert raised.value.status_code == 503
    assert raised.value.wait == 1


def test_other_database_errors_are_not_retried():
    calls: list[int] = []

    def service() -> None:
        calls.append(1)
        raise OperationalError("constraint") from UniqueViolation()

    with pytest.raises(OperationalError):
        retrying(service)()
    assert len(calls) == 1


@pytest.mark.django_db
def test_the_service_says_whether_it_created_the_note(claim, other_reviewer):
    first, created = services.confidence_note_record(
        claim=claim,
        likelihood=Likelihood.UNLIKELY,
        analytic_confidence="moderate",
        user=other_reviewer,
    )
    again, created_again = services.confidence_note_record(
        claim=claim,
        likelihood=Likelihood.LIKELY,
        analytic_confidence="moderate",
        user=other_reviewer,
    )

    assert (created, created_again) == (True, False)
    assert first.pk == again.pk
    assert ConfidenceNote.objects.get(pk=first.pk).likelihood == Likelihood.LIKELY
