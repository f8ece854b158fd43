"""Where a webhook may point: the server-side request forgery (SSRF) rules.

A webhook makes the server send requests to an address a user chose, from inside the
network the server sits in. So, at registration and again before every delivery:

- only http and https; no credentials in the URL (never sent, so never accepted), no
  fragment (never sent either);
- never the app itself: a host name the app answers to (ALLOWED_HOSTS, on any port), or
  the origin of the site URL (CLAIMDESK_SITE_URL) or of the request registering it, also
  when reached by another name that resolves to the same address and port;
- the host name is resolved and EVERY address it resolves to must be public: private,
  loopback, link-local, shared (CGNAT), multicast, reserved and unspecified addresses
  are refused. CLAIMDESK_WEBHOOK_ALLOW_PRIVATE lets all but the unspecified address
  through (a receiver on the same machine or network: development, tests); the app itself
  stays refused even then.

DNS rebinding (a name that resolves to a public address when checked and to a private one
when used) is defeated by connecting to the address that was checked: delivery resolves
and checks once per attempt, then opens the socket to that very address, with the host
name kept for the Host header and for TLS (SNI and certificate verification). Redirects
are never followed, so a public receiver cannot bounce a delivery inward either.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

from django.conf import settings

SCHEMES = {"http": 80, "https": 443}


class Refused(Exception):
    """The URL may not receive webhooks; the message says why, for the owner."""


@dataclass(frozen=True)
class Target:
    """A checked URL and the address to connect to."""

    scheme: str
    host: str  # as written (IPv6 without brackets), for Host and TLS
    port: int
    address: str  # the checked IP address delivery connects to
    path: str  # path and query, as sent in the request line


def _parts(url: str) -> SplitResult:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError for a port out of range)
    except ValueError:
        raise Refused("Is not a valid URL.") from None
    if parts.scheme.lower() not in SCHEMES:
        raise Refused("Only http and https URLs may receive webhooks.")
    if not parts.hostname:
        raise Refused("Names no host.")
    if parts.username is not None or parts.password is not None:
        raise Refused("May not carry credentials: authenticate with the signature instead.")
    if parts.fragment:
        raise Refused("May not have a fragment (#…): it would never be sent.")
    return parts


def _port(parts: SplitResult) -> int:
    return parts.port or SCHEMES[parts.scheme.lower()]


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _own_names() -> list[str]:
    """ALLOWED_HOSTS' names (not addresses, nor `localhost`: those are refused by address
    below, so that another port on the same machine stays usable where private addresses
    are allowed)."""
    names = []
    for pattern in settings.ALLOWED_HOSTS:
        name = pattern.lower().strip("[]")
        if name in {"*", "localhost"} or _is_ip(name):
            continue
        names.append(name)
    return names


def _matches_name(host: str, pattern: str) -> bool:
    if pattern.startswith("."):  # Django's "the domain and its subdomains"
        return host == pattern[1:] or host.endswith(pattern)
    return host == pattern


def _addresses(host: str, port: int) -> list[str]:
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise Refused(f"The host {host} cannot be resolved.") from None
    return list(dict.fromkeys(info[4][0] for info in found))


def _own_origins(request_host: str | None) -> list[tuple[str, int]]:
    """(host, port) the app is reached at: the site URL, and the request's Host."""
    site = urlsplit(settings.CLAIMDESK_SITE_URL)
    origins = [(site.hostname or "", _port(site))]
    if request_host:
        own = urlsplit(f"{site.scheme}://{request_host}")
        origins.append(((own.hostname or "").lower(), _port(own)))
    return origins


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])  # an IPv6 zone id is not the address
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast and not ip.is_reserved


def _is_unspecified(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_unspecified


def check(url: str, *, request_host: str | None = None) -> Target:
    """The URL's target, or Refused. `request_host` is the Host of the request that
    registers the URL (the app answers there too)."""
    parts = _parts(url)
    host, port = parts.hostname.lower(), _port(parts)
    if any(_matches_name(host, name) for name in _own_names()):
        raise Refused("Points at this app itself.")
    origins = _own_origins(request_host)
    if (host, port) in origins:
        raise Refused("Points at this app itself.")
    addresses = _addresses(host, port)
    own_addresses = {
        (address, own_port)
        for own_host, own_port in origins
        for address in _own_addresses(own_host, own_port)
    }
    for address in addresses:
        if (address, port) in own_addresses:
            raise Refused("Points at this app itself.")
        if _is_unspecified(address):
            raise Refused(f"Resolves to {address}, which is no address to send to.")
        if not settings.CLAIMDESK_WEBHOOK_ALLOW_PRIVATE and not _is_public(address):
            raise Refused(
                f"Resolves to {address}, a private, loopback, link-local or reserved address."
            )
    path = parts.path or "/"
    return Target(
        scheme=parts.scheme.lower(),
        host=host,
        port=port,
        address=addresses[0],
        path=f"{path}?{parts.query}" if parts.query else path,
    )


def _own_addresses(host: str, port: int) -> list[str]:
    try:
        return _addresses(host, port)
    except Refused:
        return []  # a site name that does not resolve here: matched by name above
