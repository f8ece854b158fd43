"""Webhooks deliver the changes feed to a real receiver on loopback: signed, in order, at
least once, through an outage, to each owner only what they may read."""

from __future__ import annotations

import json

import pytest
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from annotate import services
from annotate.models import Likelihood
from annotate.roles import Role
from annotate.tests.api.conftest import client_for
from annotate.tests.factories import make_claim, make_note
from annotate.tests.webhooks.worker import (
    deliver_until,
    register,
    run_worker,
    settled_feed,
    work_until,
)
from annotate.webhooks import delivery
from annotate.webhooks.models import WebhookDelivery, WebhookEndpoint
from annotate.webhooks.signing import new_secret
from articles.report_format import parse_report
from articles.services import article_import
from bench.webhook_receiver import Receiver
from conftest import SEED_FILE, _user_with_role

pytestmark = pytest.mark.django_db(transaction=True)

QUOTE = "the strike specifically targeted the negotiation team"
OTHER_QUOTE = "A Hamas source told Al Jazeera"


@pytest.fixture
def receiver():
    receiver = Receiver().start()
    yield receiver
    receiver.stop()


@pytest.fixture(autouse=True)
def _loopback_receivers(settings):
    # The receiver listens on 127.0.0.1; the app itself (CLAIMDESK_SITE_URL) stays refused.
    settings.CLAIMDESK_WEBHOOK_ALLOW_PRIVATE = True
    settings.CLAIMDESK_WEBHOOK_RETRY_DELAYS = [0.2]
    # Deliveries' URLs start as the test client's do, so they compare with the feed's.
    settings.CLAIMDESK_SITE_URL = "http://testserver"


@pytest.fixture
def world(role_groups):
    article = article_import(report=parse_report(SEED_FILE.read_bytes()))
    return {
        "paragraph": article.revisions.get().paragraphs.get(position=6),
        "reviewer": _user_with_role("reviewer1", Role.REVIEWER),
        "other": _user_with_role("reviewer2", Role.REVIEWER),
        "lead": _user_with_role("lead", Role.LEAD),
    }


def change_ids(requests) -> list[int]:
    return [json.loads(r.body)["id"] for r in requests]


def test_every_event_arrives_signed_and_as_the_feed_shows_it(world, receiver):
    reviewer = world["reviewer"]
    client = client_for(reviewer)
    _, start = settled_feed(client, reviewer)
    webhook = register(client, reviewer, receiver.url)

    claim = make_claim(paragraph=world["paragraph"], quote=QUOTE, user=reviewer)
    services.claim_update(claim=claim, user=reviewer, statement="Edited")
    feed, _ = settled_feed(client, reviewer, start)
    deliver_until(receiver, lambda got: len(got) >= len(feed))

    assert change_ids(receiver.requests) == [event["id"] for event in feed]
    for request, event in zip(receiver.requests, feed, strict=True):
        assert Webhook(webhook["secret"]).verify(request.body, request.headers) == event
        assert request.headers["webhook-id"] == f"msg_change_{event['id']}"
        assert request.headers["Content-Type"] == "application/json"
    assert receiver.requests[-1].path == "/hook"


def test_a_wrong_secret_fails_verification(world, receiver):
    reviewer = world["reviewer"]
    client = client_for(reviewer)
    register(client, reviewer, receiver.url)
    make_claim(paragraph=world["paragraph"], quote=QUOTE, user=reviewer)
    deliver_until(receiver, lambda got: len(got) >= 1)

    request = receiver.requests[0]
    with pytest.raises(WebhookVerificationError):
        Webhook(new_secret()).verify(request.body, request.headers)
    tampered = request.body.replace(b'"created"', b'"deleted"')
    with pytest.raises(WebhookVerificationError):
        Webhook(WebhookEndpoint.objects.get().secret).verify(tampered, request.headers)


def test_an_outage_loses_nothing_and_keeps_the_order(world, receiver, settings):
    settings.CLAIMDESK_WEBHOOK_MAX_FAILURES = 1000
    reviewer, lead = world["reviewer"], world["lead"]
    client = client_for(reviewer)
    _, start = settled_feed(client, reviewer)
    register(client, reviewer, receiver.url)
    claims = [
        make_claim(paragraph=world["paragraph"], quote=quote, user=reviewer)
        for quote in (QUOTE, OTHER_QUOTE, "negotiation team")
    ]  # six events: each claim's span and itself
    settled_feed(client, reviewer)

    receiver.stop_after = 3  # it goes down in the middle of the worker's run
    failed = WebhookDelivery.objects.filter(ok=False)
    work_until(failed.exists)
    receiver.stopping.join()
    assert len(receiver.requests) == 3
    assert not receiver.is_up()
    # More changes while it is down.
    services.claim_update(claim=claims[0], user=reviewer, statement="During the outage")
    services.claim_delete(claim=claims[1], user=lead)
    work_until(lambda: failed.count() >= 2)
    assert WebhookEndpoint.objects.get().failures >= 2

    receiver.start()  # back, on the same port
    services.claim_update(claim=claims[2], user=reviewer, statement="After it")
    feed, _ = settled_feed(client, reviewer, start)
    deliver_until(receiver, lambda got: len(set(change_ids(got))) >= len(feed))

    received = change_ids(receiver.requests)
    assert received == [event["id"] for event in feed]  # none lost, none out of order
    assert WebhookEndpoint.objects.get().failures == 0
    retried = WebhookDelivery.objects.filter(ok=True, attempt__gt=1)
    assert retried.count() == 1  # the event at the head of the outage got through on a retry
    assert retried.get().change_id == received[3]


def test_an_endpoint_failing_too_often_is_disabled_and_resumes_when_re_enabled(
    world, receiver, settings
):
    settings.CLAIMDESK_WEBHOOK_MAX_FAILURES = 3
    reviewer = world["reviewer"]
    client = client_for(reviewer)
    webhook = register(client, reviewer, receiver.url)
    receiver.status = 500
    make_claim(paragraph=world["paragraph"], quote=QUOTE, user=reviewer)

    deliver_until(receiver, lambda got: not WebhookEndpoint.objects.get().active)

    endpoint = WebhookEndpoint.objects.get()
    log = client.get(webhook["deliveries_url"]).json()["results"]
    assert [(d["attempt"], d["status"], d["ok"]) for d in log] == [
        (3, 500, False), (2, 500, False), (1, 500, False),
    ]  # fmt: skip
    assert endpoint.disabled_reason.startswith("Disabled after 3 failed attempts in a row")
    assert "HTTP 500" in endpoint.disabled_reason
    assert client.get(webhook["url"]).json()["active"] is False

    receiver.status = 204
    response = client.patch(webhook["url"], {"active": True}, format="json")
    assert response.status_code == 200
    assert response.json()["disabled_reason"] == ""
    deliver_until(receiver, lambda got: len(got) >= 2)

    assert [json.loads(r.body)["type"] for r in receiver.requests] == [
        "span.created", "claim.created",
    ]  # fmt: skip
    assert WebhookEndpoint.objects.get().failures == 0


def test_a_blind_reviewers_webhook_gets_others_notes_only_after_their_own(world, receiver):
    reviewer, other = world["reviewer"], world["other"]
    article = world["paragraph"].revision.article
    article.independent_review = True
    article.save()
    client = client_for(reviewer)
    _, start = settled_feed(client, reviewer)
    register(client, reviewer, receiver.url)

    claim = make_claim(paragraph=world["paragraph"], quote=QUOTE, user=other)
    theirs = make_note(claim=claim, likelihood=Likelihood.LIKELY, user=other)
    feed, cursor = settled_feed(client, reviewer, start)
    deliver_until(receiver, lambda got: len(got) >= len(feed))
    run_worker()  # nothing more is on its way

    assert change_ids(receiver.requests) == [event["id"] for event in feed]
    bodies = [json.loads(r.body) for r in receiver.requests]
    assert not [b for b in bodies if b["resource"] == "confidence-note"]
    assert all(b["data"]["notes"] == [] for b in bodies if b["resource"] == "claim")

    make_note(claim=claim, likelihood=Likelihood.UNLIKELY, user=reviewer)
    after, _ = settled_feed(client, reviewer, cursor)
    deliver_until(receiver, lambda got: len(got) >= len(feed) + len(after))

    revealed = [json.loads(r.body) for r in receiver.requests[len(feed) :]]
    assert [b["id"] for b in revealed] == [event["id"] for event in after]
    assert any(
        b["type"] == "confidence-note.revealed" and b["object_id"] == theirs.pk for b in revealed
    )


def test_only_the_event_types_asked_for_are_sent(world, receiver):
    reviewer = world["reviewer"]
    client = client_for(reviewer)
    register(client, reviewer, receiver.url, event_types=["claim.updated", "*.deleted"])
    claim = make_claim(paragraph=world["paragraph"], quote=QUOTE, user=reviewer)
    services.claim_update(claim=claim, user=reviewer, statement="Edited")
    services.claim_delete(claim=claim, user=reviewer)

    deliver_until(receiver, lambda got: len(got) >= 3)
    run_worker()

    types = [json.loads(r.body)["type"] for r in receiver.requests]
    assert types == ["claim.updated", "claim.deleted", "span.deleted"]


def test_a_logged_event_can_be_delivered_again(world, receiver):
    reviewer = world["reviewer"]
    client = client_for(reviewer)
    webhook = register(client, reviewer, receiver.url)
    make_claim(paragraph=world["paragraph"], quote=QUOTE, user=reviewer)
    deliver_until(receiver, lambda got: len(got) >= 2)
    first = client.get(webhook["deliveries_url"]).json()["results"][-1]

    response = client.post(first["redeliver_url"])
    assert response.status_code == 202
    deliver_until(receiver, lambda got: len(got) >= 3)

    again = receiver.requests[-1]
    assert again.headers["webhook-id"] == receiver.requests[0].headers["webhook-id"]
    assert Webhook(webhook["secret"]).verify(again.body, again.headers)["id"] == first["change_id"]
    newest = client.get(webhook["deliveries_url"]).json()["results"][0]
    assert (newest["change_id"], newest["redelivery"], newest["attempt"]) == (
        first["change_id"], True, 2,
    )  # fmt: skip


def test_a_second_run_sends_nothing_while_another_holds_the_endpoint(world, receiver):
    reviewer = world["reviewer"]
    register(client_for(reviewer), reviewer, receiver.url)
    make_claim(paragraph=world["paragraph"], quote=QUOTE, user=reviewer)
    endpoint = WebhookEndpoint.objects.get()
    other_run = delivery._take_lease(endpoint.pk)  # another worker, in the middle of a run

    assert delivery.deliver_pending(endpoint.pk) == "busy"
    assert receiver.requests == []

    delivery._release(endpoint.pk, other_run)
    deliver_until(receiver, lambda got: len(got) >= 2)
    assert [json.loads(r.body)["type"] for r in receiver.requests] == [
        "span.created", "claim.created",
    ]  # fmt: skip
