"""/api/v1/webhooks/: registering, changing and deleting one's own endpoints; refusals
name the field; nobody sees or changes another's endpoint."""

from __future__ import annotations

import pytest

from annotate.tests.api.conftest import client_for
from annotate.webhooks.models import WebhookEndpoint
from annotate.webhooks.signing import is_secret

pytestmark = pytest.mark.django_db

WEBHOOKS = "/api/v1/webhooks/"
PUBLIC = "https://93.184.215.14/hooks/claimdesk"  # a public address: no DNS needed
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


def _refused(response) -> dict[str, list[str]]:
    assert response.status_code == 400, response.content
    return response.json()["error"]["fields"]


def test_a_new_endpoint_gets_a_secret_and_starts_where_the_feed_is(seed_article, reviewer):
    client = client_for(reviewer)
    feed_now = client.get("/api/v1/changes/", {"after": "latest"}).json()["cursor"]
    response = client.post(WEBHOOKS, {"link": PUBLIC}, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["link"] == PUBLIC
    assert is_secret(body["secret"])
    assert body["event_types"] == ["*"]
    assert body["active"] is True
    assert body["article"] is None
    assert body["cursor"] == feed_now  # the feed's own cursor, as after=latest gives it
    assert body["url"].endswith(f"/api/v1/webhooks/{body['id']}/")
    assert body["deliveries_url"].endswith(f"/api/v1/webhooks/{body['id']}/deliveries/")
    assert response["ETag"] == f'"{body["version"]}"'


def test_its_owner_may_bring_a_secret_an_article_and_event_types(seed_article, researcher):
    response = client_for(researcher).post(
        WEBHOOKS,
        {
            "link": PUBLIC,
            "secret": SECRET,
            "article": seed_article.slug,
            "event_types": ["claim.*", "*.deleted", "confidence-note.revealed"],
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    endpoint = WebhookEndpoint.objects.get()
    assert (endpoint.secret, endpoint.article, endpoint.owner) == (SECRET, seed_article, researcher)
    assert endpoint.event_types == ["claim.*", "*.deleted", "confidence-note.revealed"]


@pytest.mark.parametrize(
    ("event_types", "says"),
    [
        (["claim.archived"], "Item 0: `archived` is no action"),
        (["*", "comment.created"], "Item 1: `comment` is no resource"),
        (["claim"], "Item 0: `claim` is not `resource.action`"),
        ([3], "Item 0: Must be a string."),
        ([], 'A non-empty list of patterns; ["*"] for all.'),
    ],
)
def test_an_unknown_event_type_is_refused_naming_the_field(reviewer, event_types, says):
    response = client_for(reviewer).post(
        WEBHOOKS, {"link": PUBLIC, "event_types": event_types}, format="json"
    )

    assert _refused(response)["event_types"][0].startswith(says)
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize(
    ("link", "says"),
    [
        ("ftp://93.184.215.14/x", "Only http and https URLs may receive webhooks."),
        ("file:///etc/passwd", "Only http and https URLs may receive webhooks."),
        ("javascript:alert(1)", "Only http and https URLs may receive webhooks."),
        ("http://testserver/api/v1/claims/", "Points at this app itself."),
        ("http://127.0.0.1:8000/hook", "Points at this app itself."),
        ("http://10.0.0.7/hook", "Resolves to 10.0.0.7, a private"),
        ("http://127.0.0.1:9999/hook", "Resolves to 127.0.0.1, a private"),
        ("http://169.254.169.254/latest/meta-data/", "Resolves to 169.254.169.254, a private"),
        ("http://[::ffff:192.168.1.1]/hook", "Resolves to ::ffff:192.168.1.1, a private"),
        ("http://user:pw@93.184.215.14/hook", "May not carry credentials"),
    ],
)
def test_a_link_that_may_not_receive_webhooks_is_refused_naming_it(reviewer, link, says):
    response = client_for(reviewer).post(WEBHOOKS, {"link": link}, format="json")

    assert _refused(response)["link"][0].startswith(says)
    assert not WebhookEndpoint.objects.exists()


def test_the_app_itself_stays_refused_when_private_addresses_are_allowed(reviewer, settings):
    settings.CLAIMDESK_WEBHOOK_ALLOW_PRIVATE = True
    client = client_for(reviewer)

    for itself in ("http://127.0.0.1:8000/x", "http://localhost:8000/x", "http://testserver/"):
        assert _refused(client.post(WEBHOOKS, {"link": itself}, format="json"))["link"] == [
            "Points at this app itself."
        ]
    other_port = client.post(WEBHOOKS, {"link": "http://127.0.0.1:9999/x"}, format="json")
    assert other_port.status_code == 201


def test_unknown_and_read_only_fields_are_refused(reviewer):
    response = client_for(reviewer).post(
        WEBHOOKS, {"link": PUBLIC, "url": PUBLIC, "failures": 0, "evnt_types": []}, format="json"
    )

    fields = _refused(response)
    assert fields["url"] == [
        "Read-only: the webhook's address in this API; where events go is `link`."
    ]
    assert fields["failures"] == ["Read-only: the server sets it."]
    assert fields["evnt_types"][0].startswith("Unknown field")


def test_its_owner_pauses_and_edits_it_with_if_match(reviewer):
    client = client_for(reviewer)
    created = client.post(WEBHOOKS, {"link": PUBLIC}, format="json")
    url, etag = created.json()["url"], created["ETag"]

    paused = client.patch(url, {"active": False}, format="json", HTTP_IF_MATCH=etag)
    stale = client.patch(url, {"event_types": ["claim.*"]}, format="json", HTTP_IF_MATCH=etag)

    assert paused.status_code == 200
    assert paused.json()["active"] is False
    assert stale.status_code == 412
    assert WebhookEndpoint.objects.get().event_types == ["*"]
    assert client.delete(url, HTTP_IF_MATCH=paused["ETag"]).status_code == 204
    assert not WebhookEndpoint.objects.exists()


def test_a_blank_secret_asks_for_a_new_one(reviewer):
    client = client_for(reviewer)
    created = client.post(WEBHOOKS, {"link": PUBLIC, "secret": SECRET}, format="json").json()

    changed = client.patch(created["url"], {"secret": ""}, format="json").json()

    assert changed["secret"] != SECRET
    assert is_secret(changed["secret"])


def test_nobody_sees_or_changes_anothers_endpoint(reviewer, other_reviewer, lead):
    created = client_for(reviewer).post(WEBHOOKS, {"link": PUBLIC}, format="json").json()

    for user in (other_reviewer, lead):
        client = client_for(user)
        assert client.get(WEBHOOKS).json()["results"] == []
        assert client.get(created["url"]).status_code == 404
        assert client.patch(created["url"], {"active": False}, format="json").status_code == 404
        assert client.delete(created["url"]).status_code == 404
        assert client.get(created["deliveries_url"]).status_code == 404
    assert WebhookEndpoint.objects.get().active is True
    mine = client_for(reviewer).get(WEBHOOKS).json()["results"]
    assert [w["id"] for w in mine] == [created["id"]]


def test_anonymous_callers_are_asked_for_a_token(anonymous, settings):
    settings.CLAIMDESK_PUBLIC_READ = True

    response = anonymous.get(WEBHOOKS)

    assert response.status_code == 401
