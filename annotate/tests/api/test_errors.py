"""Every failure under /api/ is JSON in one shape; none is an HTML page."""

from __future__ import annotations

import base64

import pytest
from django.db import IntegrityError, connection, transaction
from rest_framework.test import APIClient

from annotate import services
from annotate.api.errors import exception_handler
from annotate.models import Citation, Claim, Source
from annotate.tests.api.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/v1/claims/999999/", 404),
        ("/api/v1/claims/abc/", 404),
        ("/api/v1/articles/no-such-report/", 404),
        ("/api/v1/articles/no-such-report/export/csv/", 404),
        ("/api/v1/nothing-here/", 404),
        ("/api/v2/claims/", 404),
        ("/api/v1/claims/a%0Ab%0D%E2%80%A8c/", 404),  # line breaks in the path
        ("/api/v1/claims/?cursor=garbage", 404),
        ("/api/v1/claims/?updated_after=yesterday", 400),
        ("/api/v1/claims/?updated_after=9999-12-31T23:59:59-05:00", 400),  # year 10000 in UTC
        ("/api/v1/sources/?updated_after=0001-01-01T00:00:00%2B01:00", 400),  # year 0 in UTC
        ("/api/v1/claims/?paragraph=1.5", 400),
        ("/api/v1/claims/?verdict=true", 400),
        ("/api/v1/claims/99999999999999999999/", 404),  # past PostgreSQL's bigint
        ("/api/v1/claims/?q=%00", 400),  # PostgreSQL refuses NUL in text
    ],
)
def test_errors_are_json_with_status_code_and_detail(researcher, url, status):
    response = client_for(researcher).get(url)

    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    error = response.json()["error"]
    assert error["status"] == status
    assert error["code"]
    assert error["detail"]


def test_a_validation_error_lists_messages_per_field(claim, reviewer):
    response = client_for(reviewer).post("/api/v1/citations/", {"claim": claim.pk}, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "status": 400,
            "code": "invalid",
            "detail": "The request has invalid fields.",
            "fields": {
                "stance": ["This field is required."],
                "credibility": ["This field is required."],
            },
        }
    }


def test_a_refusal_says_why(claim, other_reviewer):
    response = client_for(other_reviewer).delete(f"/api/v1/claims/{claim.pk}/")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


def test_a_span_with_claims_cannot_be_deleted(claim, lead):
    response = client_for(lead).delete(f"/api/v1/spans/{claim.span_id}/")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"span": ["Still has claims; delete them first."]}


def test_malformed_json_is_a_400(reviewer):
    response = client_for(reviewer).post(
        "/api/v1/claims/", data="{not json", content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parse_error"


def test_an_unsupported_method_is_a_json_405(claim, reviewer):
    response = client_for(reviewer).put(f"/api/v1/spans/{claim.span_id}/", {})

    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_an_unknown_address_answers_json_even_to_a_write_without_csrf(reviewer):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(reviewer)

    response = client.delete("/api/v1/claims/%C2%84/")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_a_missing_slash_is_pointed_out(researcher):
    response = client_for(researcher).get("/api/v1/claims")

    assert response.status_code == 404
    assert response.json()["error"]["detail"] == (
        "No API endpoint at this address. Did you mean /api/v1/claims/ (with a slash)?"
    )


def test_a_browser_asking_for_html_still_gets_json(researcher):
    response = client_for(researcher).get(
        "/api/v1/claims/999999/", HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8"
    )

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_an_object_deleted_meanwhile_is_a_404(claim, reviewer):
    # A request read the source; another deleted it before the service locked its row.
    source = claim.citations.get()
    Citation.objects.filter(pk=source.pk).delete()

    with pytest.raises(Citation.DoesNotExist) as raised:
        services.citation_update(citation=source, user=reviewer, excerpt="Too late")
    response = exception_handler(raised.value, {})

    assert response.status_code == 404
    assert response.data["error"]["detail"] == "It was deleted meanwhile."


def insert_source_and_commit(*, claim_id: int, user) -> None:
    with transaction.atomic():  # a savepoint: the refused row goes with it
        Citation.objects.create(
            claim_id=claim_id, added_by=user, source=Source.objects.get(), stance="supports",
            credibility=2,
        )  # fmt: skip
        connection.check_constraints()  # what the commit would do


def test_a_source_for_a_claim_deleted_meanwhile_is_a_409(claim, reviewer):
    # The services validate first, so the database refuses a row only after a race: the
    # claim was deleted between the check and the commit. The same refusal, directly:
    Claim.objects.filter(pk=claim.pk).delete()
    with pytest.raises(IntegrityError) as raised:
        insert_source_and_commit(claim_id=claim.pk, user=reviewer)

    response = exception_handler(raised.value, {})

    assert response.status_code == 409
    assert response.data["error"]["code"] == "conflict"


@pytest.mark.parametrize(
    ("position", "status_on"),
    [
        ("99999-01-01T00:00:00Z", {"sqlite": 400, "postgresql": 400}),  # not a date at all
        # A real date whose offset PostgreSQL refuses; SQLite stores it as UTC text.
        ("0632-05-05T08:30:07%2B23:19", {"sqlite": 200, "postgresql": 400}),
    ],
)
def test_a_crafted_cursor_is_never_a_server_error(claim, researcher, position, status_on):
    cursor = base64.b64encode(f"p={position}".encode()).decode()

    response = client_for(researcher).get(
        "/api/v1/claims/", {"ordering": "updated_at", "cursor": cursor}
    )

    assert response.status_code == status_on[connection.vendor]
    assert response["Content-Type"] == "application/json"
