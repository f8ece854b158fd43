"""Drive two Claimdesk instances (A and B, one database) as one browser would, and check
that they behave as one app: sessions, writes, the login guard and the API's write budget
are shared. Used by .ci/scale-out, which starts the instances; exits non-zero naming the
first check that failed.

    scale_out_driver.py --a http://127.0.0.1:PORT_A --b http://127.0.0.1:PORT_B \\
        --username U --password P --login-limit 3 --write-limit 4
"""

from __future__ import annotations

import argparse
import http.client
import json
import re
from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlencode, urlsplit

ARTICLE = "doha-strike-2025-09-09"
QUOTE = "the strike specifically targeted the negotiation team"


class Failed(Exception):
    pass


def check(condition: bool, message: str) -> None:
    if not condition:
        raise Failed(message)


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class Browser:
    """One browser's cookies, sent to whichever instance it talks to (cookies ignore the
    port), so a session made on A is presented to B as a user's browser would."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def request(self, base: str, method: str, path: str, **kwargs: Any) -> Answer:
        host = urlsplit(base)
        connection = http.client.HTTPConnection(host.hostname, host.port, timeout=15)
        headers = {"Host": host.netloc, **kwargs.get("headers", {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = kwargs.get("body")
        if "form" in kwargs:
            body = urlencode(kwargs["form"])
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif "json" in kwargs:
            body = json.dumps(kwargs["json"])
            headers["Content-Type"] = "application/json"
        if method != "GET" and "csrftoken" in self.cookies:
            headers["X-CSRFToken"] = self.cookies["csrftoken"]
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            answer = Answer(response.status, response.headers, response.read())
        finally:
            connection.close()
        for header in answer.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel.value:
                    self.cookies[name] = morsel.value
                else:  # deleted (logout)
                    self.cookies.pop(name, None)
        return answer

    def login(self, base: str, username: str, password: str) -> Answer:
        page = self.request(base, "GET", "/accounts/login/").body.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        check(token is not None, f"no CSRF token on {base}/accounts/login/")
        assert token is not None
        form = {"csrfmiddlewaretoken": token[1], "username": username, "password": password}
        return self.request(base, "POST", "/accounts/login/", form=form)


def sessions_are_shared(a: str, b: str, username: str, password: str) -> Browser:
    browser = Browser()
    check(browser.login(a, username, password).status == 302, "login on A did not redirect")
    page = browser.request(b, "GET", "/")
    check(page.status == 200, f"the session made on A got {page.status} on B, not 200")
    check(username.encode() in page.body, "B's page does not name the user logged in on A")
    print(f"scale-out: logged in on A; B serves the same session ({page.status})")
    return browser


def writes_are_shared(browser: Browser, a: str, b: str) -> int:
    article = browser.request(a, "GET", f"/api/v1/articles/{ARTICLE}/").json()
    paragraph = next(p for p in article["paragraphs"] if QUOTE in p["text"])
    start = paragraph["text"].index(QUOTE)
    claim = {
        "paragraph": paragraph["id"],
        "start": start,
        "end": start + len(QUOTE),
        "quote": QUOTE,
        "statement": "Written on A",
    }
    created = browser.request(a, "POST", "/api/v1/claims/", json=claim)
    check(created.status == 201, f"creating a claim on A: {created.status} {created.body[:200]!r}")
    claim_id = created.json()["id"]
    read = browser.request(b, "GET", f"/api/v1/claims/{claim_id}/")
    check(read.status == 200, f"reading claim {claim_id} on B: {read.status}")
    check(read.json()["statement"] == "Written on A", "B reads another statement than A wrote")
    print(f"scale-out: claim {claim_id} written through the API on A reads the same on B")
    return claim_id


def write_budget_is_shared(browser: Browser, a: str, b: str, claim_id: int, limit: int) -> None:
    # The claim's creation was the first write; the rest alternate between B and A.
    statuses = [
        browser.request(
            (b, a)[n % 2], "PATCH", f"/api/v1/claims/{claim_id}/", json={"attributed_to": str(n)}
        ).status
        for n in range(limit + 1)
    ]
    expected = [200] * (limit - 1) + [429, 429]
    check(statuses == expected, f"writes alternating B, A: {statuses}, expected {expected}")
    print(f"scale-out: write budget of {limit} spent across A and B, then 429 on both")


def sessions_end_everywhere(browser: Browser, a: str, b: str) -> None:
    session = dict(browser.cookies)
    page = browser.request(b, "GET", "/").body.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    form = {"csrfmiddlewaretoken": token[1]} if token else {}
    logout = browser.request(b, "POST", "/accounts/logout/", form=form)
    check(logout.status == 302, f"logout on B: {logout.status}")
    stale = Browser()
    stale.cookies = session  # the cookie as it was before logout, replayed on A
    page_a = stale.request(a, "GET", "/")
    check(page_a.status == 302, f"the session ended on B still works on A ({page_a.status})")
    check("/accounts/login/" in page_a.headers["Location"], "A does not send to the login page")
    print("scale-out: logged out on B; the same session cookie is refused on A (302 to login)")


def login_guard_is_shared(a: str, b: str, username: str, password: str, limit: int) -> None:
    guesser = Browser()
    failures = [guesser.login((a, b)[n % 2], username, "wrong").status for n in range(limit)]
    check(failures == [200] * limit, f"failed logins alternating A, B: {failures}")
    refused = [guesser.login(base, username, password).status for base in (b, a)]
    check(refused == [429, 429], f"the right password after {limit} failures: {refused}")
    print(f"scale-out: {limit} failed logins across A and B lock the account on both (429)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--a", required=True)
    parser.add_argument("--b", required=True)
    parser.add_argument("--username", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--login-limit", type=int, required=True)
    parser.add_argument("--write-limit", type=int, required=True)
    args = parser.parse_args()
    a, b = args.a, args.b
    try:
        browser = sessions_are_shared(a, b, args.username, args.password)
        claim_id = writes_are_shared(browser, a, b)
        write_budget_is_shared(browser, a, b, claim_id, args.write_limit)
        sessions_end_everywhere(browser, a, b)
        login_guard_is_shared(a, b, args.username, args.password, args.login_limit)
    except Failed as failure:
        raise SystemExit(f"scale-out: FAILED: {failure}") from None


if __name__ == "__main__":
    main()
