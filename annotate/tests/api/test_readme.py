"""The README's "For researchers" Python example, run as written, fetches every claim of
the seed report. requests talks to the app through Django's test client (an adapter in
place of its HTTP transport), so the test runs inside the test's transaction."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.test import Client

from annotate.api.tokens import token_for
from annotate.tests.factories import make_claim

requests = pytest.importorskip("requests")  # the researcher's dependency, not the project's

README = Path(__file__).resolve().parents[3] / "README.md"


def readme_python_example() -> str:
    section = README.read_text().split("## For researchers", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.DOTALL).group(1)


class DjangoClientAdapter(requests.adapters.BaseAdapter):
    """Sends requests' requests to the app in this process instead of over the network."""

    def __init__(self) -> None:
        super().__init__()
        self.client = Client()

    def send(self, request, **kwargs):
        url = urlsplit(request.url)
        answer = self.client.generic(
            request.method,
            f"{url.path}?{url.query}",
            data=request.body or b"",
            HTTP_AUTHORIZATION=request.headers.get("Authorization", ""),
        )
        response = requests.Response()
        response.status_code = answer.status_code
        response.headers = requests.structures.CaseInsensitiveDict(answer.headers)
        body = b"".join(answer.streaming_content) if answer.streaming else answer.content
        response.raw = io.BytesIO(body)
        response.url, response.request, response.encoding = request.url, request, "utf-8"
        return response

    def close(self) -> None:
        pass


@pytest.mark.django_db
def test_the_readme_example_fetches_every_claim(
    seed_article, reviewer, researcher, monkeypatch, tmp_path, capsys, settings
):
    settings.CLAIMDESK_API_PAGE_SIZE = 2  # so that the example follows `next` links
    paragraph = seed_article.revisions.get().paragraphs.get(position=5)
    quotes = ["The number of casualties is currently unknown", "Saudi Arabian media", "Iran"]
    for quote in quotes:
        make_claim(paragraph=paragraph, quote=quote, user=reviewer)
    adapter = DjangoClientAdapter()
    monkeypatch.setattr(requests.Session, "get_adapter", lambda session, url: adapter)
    monkeypatch.setenv("CLAIMDESK", "http://testserver")
    monkeypatch.setenv("TOKEN", token_for(researcher).key)
    monkeypatch.chdir(tmp_path)

    namespace: dict = {}
    exec(compile(readme_python_example(), "README.md", "exec"), namespace)  # noqa: S102

    assert sorted(claim["span"]["quote"] for claim in namespace["claims"]) == sorted(quotes)
    assert capsys.readouterr().out == "3 claims\n"
    rows = list(csv.DictReader((tmp_path / "doha-claims.csv").open(encoding="utf-8")))
    assert len(rows) == 3
    text = namespace["text"]
    assert all(text[int(r["text_start"]) : int(r["text_end"])] == r["quote"] for r in rows)
