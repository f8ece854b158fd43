"""Where a webhook may point (annotate.webhooks.addresses), and that delivery connects to
the address it checked."""

from __future__ import annotations

import pytest

from annotate.webhooks.addresses import Refused, Target, check
from annotate.webhooks.delivery import post
from bench.webhook_receiver import Receiver

PRIVATE = "a private, loopback, link-local or reserved address."


@pytest.mark.parametrize(
    "url",
    [
        "http://192.168.0.10/", "http://172.16.5.4/", "http://100.64.0.1/",  # CGNAT
        "http://[fd00::1]/", "http://[fe80::1]/", "http://[::1]:9000/",
        "http://224.0.0.1/", "http://240.0.0.1/", "http://198.18.0.1/",
        "http://localhost:9000/",
    ],
)  # fmt: skip
def test_private_and_reserved_addresses_are_refused_by_default(url):
    with pytest.raises(Refused, match=PRIVATE):
        check(url)


def test_the_unspecified_address_is_refused_even_where_private_ones_are_allowed(settings):
    settings.CLAIMDESK_WEBHOOK_ALLOW_PRIVATE = True

    with pytest.raises(Refused, match="no address to send to"):
        check("http://0.0.0.0:9000/")
    assert check("http://10.1.2.3:9000/x?y=1").path == "/x?y=1"


def test_the_apps_own_names_are_refused_on_any_port(settings):
    settings.ALLOWED_HOSTS = ["claimdesk.example.org", ".example.net"]
    settings.CLAIMDESK_WEBHOOK_ALLOW_PRIVATE = True

    for url in (
        "https://claimdesk.example.org/",
        "http://CLAIMDESK.example.org:8443/hook",
        "https://api.example.net/",
    ):
        with pytest.raises(Refused, match=r"Points at this app itself\."):
            check(url)


def test_a_public_address_is_its_own_target():
    target = check("https://93.184.215.14:8443/hooks?id=7")

    assert target == Target(
        scheme="https", host="93.184.215.14", port=8443, address="93.184.215.14",
        path="/hooks?id=7",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("https://93.184.215.14/#top", "May not have a fragment"),
        ("http://[::1/", "Is not a valid URL."),
        ("http://93.184.215.14:99999/", "Is not a valid URL."),
        ("https:///path", "Names no host."),
    ],
)
def test_malformed_urls_are_refused(url, says):
    with pytest.raises(Refused, match=says):
        check(url)


def test_delivery_connects_to_the_checked_address_whatever_the_name_resolves_to(settings):
    # DNS rebinding: the name was checked when it resolved to one address; the socket goes
    # to that address, with the name only in the Host header.
    receiver = Receiver().start()
    receiver.status = 200
    try:
        target = Target(
            scheme="http", host="rebinding.invalid", port=receiver.port, address="127.0.0.1",
            path="/hook",
        )  # fmt: skip
        answer = post(target, b"{}", {"webhook-id": "msg_1"})
    finally:
        receiver.stop()

    assert (answer.ok, answer.status, answer.response) == (True, 200, "ok")
    assert receiver.requests[0].headers["Host"] == f"rebinding.invalid:{receiver.port}"
