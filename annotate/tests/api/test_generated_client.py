"""A client generated from /api/schema/ (openapi-python-client) works against a running
server: it pages through every claim with the cursor, creates a claim with its span, and
downloads the data package. The client is generated once per module.

The tour is a list of steps run in order on one server and one client, each a function of
the Tour; a new capability of the API (reading the changes feed, say) is one more step
appended to STEPS."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from django.db import transaction
from django.test import Client

from annotate.api.tokens import token_for
from annotate.models import Claim
from annotate.tests.api.generated_client import forget, generate
from annotate.tests.factories import make_claim

CLAIMS_ON_SEED = ["Israel struck", "Loud explosions", "The strike came", "Doha", "Qatar"]


@pytest.fixture(scope="module")
def client_package(tmp_path_factory, django_db_setup, django_db_blocker) -> Iterator[ModuleType]:
    # The schema view's throttle counts the request in the cache table: undo that write,
    # as this fixture is outside any test's transaction.
    with django_db_blocker.unblock(), transaction.atomic():
        schema = Client().get("/api/schema/")
        transaction.set_rollback(True)
    assert schema.status_code == 200
    directory = tmp_path_factory.mktemp("generated")
    yield generate(schema.content, directory)
    forget(directory)


@dataclass
class Tour:
    package: ModuleType
    client: Any  # the generated AuthenticatedClient, with a reviewer's token
    article_slug: str
    paragraph: Any
    claim_ids: set[int] = field(default_factory=set)

    def api(self, module: str) -> ModuleType:
        """An operation module of the generated client, e.g. "claims.claims_list"."""
        return __import__(f"{self.package.__name__}.api.{module}", fromlist=["_"])

    @property
    def models(self) -> ModuleType:
        return self.package.models


def lists_every_claim_page_by_page(tour: Tour) -> None:
    claims_list = tour.api("claims.claims_list")
    seen, cursor, pages = [], None, 0
    while True:
        page = claims_list.sync(
            client=tour.client,
            article=tour.article_slug,
            page_size=2,
            **({"cursor": cursor} if cursor else {}),
        )
        assert isinstance(page, tour.models.PaginatedClaimList), page
        seen += [claim.id for claim in page.results]
        pages += 1
        if not page.next_:
            break
        cursor = parse_qs(urlsplit(page.next_).query)["cursor"][0]
    assert sorted(seen) == sorted(tour.claim_ids)  # each once, none missed
    assert pages == -(-len(tour.claim_ids) // 2)


def creates_a_claim_with_its_span(tour: Tour) -> None:
    quote = "Israel took responsibility for the strikes"
    start = tour.paragraph.text.index(quote)
    body = tour.models.ClaimCreateRequest(
        statement="Israel claimed the strike",
        kind=tour.models.KindEnum.ATTRIBUTION,
        attributed_to="Israel",
        paragraph=tour.paragraph.pk,
        start=start,
        end=start + len(quote),
        quote=quote,
    )

    claim = tour.api("claims.claims_create").sync(client=tour.client, body=body)

    assert isinstance(claim, tour.models.Claim), claim
    assert claim.span.quote == quote
    assert Claim.objects.get(pk=claim.id).span.start == start
    tour.claim_ids.add(claim.id)


def refuses_a_claim_whose_quote_is_not_the_text(tour: Tour) -> None:
    body = tour.models.ClaimCreateRequest(
        statement="Wrong", paragraph=tour.paragraph.pk, start=0, end=5, quote="Nope!"
    )

    answer = tour.api("claims.claims_create").sync_detailed(client=tour.client, body=body)

    assert answer.status_code == 400
    assert "quote" in answer.parsed.error.fields.to_dict()


def downloads_the_data_package(tour: Tour) -> None:
    export = tour.api("exports.articles_export_datapackage")
    answer = export.sync_detailed(tour.article_slug, client=tour.client)

    assert answer.status_code == 200
    package = zipfile.ZipFile(io.BytesIO(answer.content))
    lines = package.read("claims.csv").decode().splitlines()
    assert len(lines) == 1 + len(tour.claim_ids)


def reads_the_changes_feed_to_its_end(tour: Tour) -> None:
    changes_list = tour.api("changes.changes_retrieve")
    claims, after = set(), None
    while True:
        page = changes_list.sync(client=tour.client, limit=3, **({"after": after} if after else {}))
        assert isinstance(page, tour.models.ChangePage), page
        claims |= {e.object_id for e in page.results if e.resource.value == "claim"}
        after = page.cursor
        if not page.has_more:
            break
    assert claims == tour.claim_ids  # every claim made, through the API or not, is there
    again = changes_list.sync(client=tour.client, after=after)
    assert (again.results, again.cursor) == ([], after)  # nothing new since


STEPS: list[Callable[[Tour], None]] = [
    lists_every_claim_page_by_page,
    creates_a_claim_with_its_span,
    refuses_a_claim_whose_quote_is_not_the_text,
    lists_every_claim_page_by_page,  # again, with the new claim
    downloads_the_data_package,
    reads_the_changes_feed_to_its_end,
]


def test_a_generated_client_works_against_a_live_server(
    role_groups, client_package, live_server, seed_article, reviewer
):
    paragraphs = {p.position: p for p in seed_article.revisions.get().paragraphs.all()}
    for position, quote in zip([2, 3, 1, 2, 1], CLAIMS_ON_SEED, strict=True):
        make_claim(paragraph=paragraphs[position], quote=quote, user=reviewer)
    client = client_package.AuthenticatedClient(
        base_url=live_server.url, token=token_for(reviewer).key, prefix="Token"
    )
    tour = Tour(
        package=client_package,
        client=client,
        article_slug=seed_article.slug,
        paragraph=paragraphs[3],
        claim_ids=set(Claim.objects.values_list("pk", flat=True)),
    )

    with client:
        for step in STEPS:
            step(tour)


def test_the_generator_is_told_of_every_media_type_the_schema_uses(client_package):
    """docs/openapi-python-client.yaml maps each non-JSON media type the generator cannot
    read itself; the generation above raised on any warning, so it used every response."""
    assert Path(client_package.__file__).parent.joinpath("api", "exports").is_dir()


@pytest.mark.django_db
def test_every_parameter_has_a_type_a_generated_client_can_send(client):
    """An untyped parameter becomes `Any` in a generated client, and an id typed `number`
    a float, which it would send as `1.0`."""
    schema = yaml.safe_load(client.get("/api/schema/").content)

    loose = [
        (path, method, parameter["name"])
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        for parameter in operation.get("parameters", [])
        if not {"type", "enum", "$ref"} & parameter["schema"].keys()
        or parameter["schema"].get("type") == "number"
    ]
    assert loose == []
