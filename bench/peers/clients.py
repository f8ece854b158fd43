"""What a client of each app does, over HTTP against the served apps: read every annotation of
the document, open the annotation page, create annotations, export. Each side's method does
the same work as the other's, as far as the two apps allow (bench/peers/doccano.py's NOT_COMPARABLE
says where they differ). Every answer is checked, so a failure is never timed as a success.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

import requests

CREATE_SEED = 20251201


class Client:
    def __init__(self, base: str, auth_header: str) -> None:
        self.base = base
        self.session = requests.Session()
        self.session.headers["Authorization"] = auth_header

    def get(self, path: str, *, status: int = 200, session=None, **kwargs) -> requests.Response:
        response = (session or self.session).get(self.base + path, timeout=300, **kwargs)
        assert response.status_code == status, (path, response.status_code, response.text[:300])
        return response

    def post(self, path: str, body: dict) -> requests.Response:
        response = self.session.post(self.base + path, json=body, timeout=300)
        assert response.status_code == 201, (path, response.status_code, response.text[:300])
        return response


def create_bodies(paragraphs: list[dict], count: int, seed: int) -> list[tuple[int, int, int]]:
    """`count` new spans (paragraph position, start, end) at word boundaries, the same for
    both apps: seeded, like bench/generate.py's spans (a seed per scale, so that a later
    scale creates new spans rather than the earlier scale's again)."""
    rng = random.Random(seed)  # noqa: S311 (reproducible test data, not secrets)
    out = []
    for _ in range(count):
        position = rng.randrange(len(paragraphs))
        text = paragraphs[position]["text"]
        marks = [0] + [m.end() for m in re.finditer(" ", text)] + [len(text) + 1]
        start = rng.choice(marks[:-1])
        later = [b for b in marks if b > start + 1][:12] or [len(text) + 1]
        end = max(min(rng.choice(later), len(text) + 1) - 1, start + 1)
        out.append((position, start, end))
    return out


@dataclass
class Claimdesk:
    base: str
    data: dict  # bench/peers/claimdesk_side.py's description of the article
    page_requests: list[str] = field(default_factory=list)  # found by discover_page_requests

    def __post_init__(self) -> None:
        self.api = Client(self.base, f"Token {self.data['token']}")
        self.browser = requests.Session()  # the workspace page is a session (cookie) page
        login = self.base + "/accounts/login/"
        self.browser.get(login, timeout=300)
        answer = self.browser.post(
            login,
            data={
                "username": self.data["username"],
                "password": self.data["password"],
                "csrfmiddlewaretoken": self.browser.cookies["csrftoken"],
            },
            headers={"Referer": login},
            allow_redirects=False,  # the login page's redirect is no part of any measure
            timeout=300,
        )
        assert "sessionid" in self.browser.cookies, (answer.status_code, answer.text[:300])

    @property
    def page(self) -> str:
        return f"/articles/{self.data['slug']}/"

    def read_all(self) -> int:
        """The article's claims list walked to its end, at the largest page the API allows."""
        size, rows = self.data["max_page_size"], 0
        url = f"/api/v1/claims/?article={self.data['slug']}&page_size={size}"
        while url:
            body = self.get_json(url)
            rows += len(body["results"])
            url = body["next"] and body["next"].removeprefix(self.base)
        return rows

    def get_json(self, url: str) -> dict:
        return self.api.get(url).json()

    def open_page(self) -> int:
        """The workspace page and every request it makes on load, static files aside."""
        size = len(self.api.get(self.page, session=self.browser).content)
        for url in self.page_requests:
            size += len(self.api.get(url, session=self.browser).content)
        return size

    def create(self, spans: list[tuple[int, int, int]], kinds: list[str]) -> None:
        paragraphs = self.data["paragraphs"]
        for (position, start, end), kind in zip(spans, kinds, strict=True):
            paragraph = paragraphs[position]
            self.api.post(
                "/api/v1/claims/",
                {
                    "paragraph": paragraph["id"],
                    "start": start,
                    "end": end,
                    "quote": paragraph["text"][start:end],
                    "statement": f"Peer bench claim at {position}:{start}",
                    "kind": kind,
                },
            )

    def export(self) -> int:
        """The JSON Lines export, streamed to its last byte."""
        url = f"/api/v1/articles/{self.data['slug']}/export/jsonl/"
        response = self.api.get(url, stream=True)
        return sum(len(chunk) for chunk in response.iter_content(65536))


@dataclass
class Doccano:
    base: str
    ids: dict  # bench/peers/doccano_side.py's answer to `load`

    def __post_init__(self) -> None:
        login = requests.post(
            self.base + "/v1/auth/login/",
            json={"username": self.ids["username"], "password": self.ids["password"]},
            timeout=300,
        )
        assert login.status_code == 200, (login.status_code, login.text[:300])
        self.api = Client(self.base, f"Token {login.json()['key']}")
        self.anonymous = requests.Session()

    @property
    def example(self) -> str:
        return f"/v1/projects/{self.ids['project']}/examples/{self.ids['example']}"

    def read_all(self) -> int:
        return len(self.api.get(f"{self.example}/spans").json())

    def page_requests(self) -> list[str]:
        """The 11 requests its annotation page makes (its frontend at tag v1.8.4): the page
        itself (the single-page app's index), then ten API calls."""
        project = f"/v1/projects/{self.ids['project']}"
        return [
            f"/projects/{self.ids['project']}/sequence-labeling?page=1",
            "/v1/me",
            project,
            project,
            f"{project}/my-role",
            f"{project}/span-types",
            f"{project}/relation-types",
            f"{project}/metrics/progress",
            f"{project}/examples?limit=1&offset=0",
            f"{self.example}/spans",
            f"{self.example}/relations",
        ]

    def open_page(self) -> int:
        index, *api = self.page_requests()
        size = len(self.api.get(index, session=self.anonymous).content)
        return size + sum(len(self.api.get(url).content) for url in api)

    def create(self, spans: list[tuple[int, int, int]], kinds: list[str], starts: list[int]):
        for (position, start, end), kind in zip(spans, kinds, strict=True):
            self.api.post(
                f"{self.example}/spans",
                {
                    "label": self.ids["labels"][kind],
                    "start_offset": starts[position] + start,
                    "end_offset": starts[position] + end,
                },
            )
