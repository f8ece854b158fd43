"""What an import writes reaches the changes feed like any other write, under the name of
the one who imported it."""

from __future__ import annotations

import pytest

from annotate.tests.api.conftest import client_for
from annotate.tests.imports.conftest import export, post_import

pytestmark = pytest.mark.django_db


def test_an_import_is_in_the_feed_with_the_importer_as_actor(annotated, copy_article, lead):
    client = client_for(lead)
    cursor = client.get("/api/v1/changes/", {"after": "latest"}).json()["cursor"]

    response = post_import(
        copy_article, lead, export(annotated, lead), query="?from_article=doha-strike-2025-09-09"
    )
    assert response.status_code == 201, response.content
    events = client.get("/api/v1/changes/", {"after": cursor, "limit": 1000}).json()["results"]

    created = [e for e in events if e["type"] == "claim.created"]
    assert len(created) == 2
    assert {e["article"] for e in created} == {copy_article.slug}
    assert {e["actor"] for e in events} == {lead.username}
    # reviewer1's claims, recorded under their name by the lead's import
    assert {e["data"]["created_by"] for e in created} == {"reviewer1"}
