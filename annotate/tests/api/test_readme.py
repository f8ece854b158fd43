"""The README's "For researchers" Python example, run as written against a live server,
fetches every claim of the seed report."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from annotate.api.tokens import token_for
from annotate.tests.factories import make_claim

README = Path(__file__).resolve().parents[3] / "README.md"


def readme_python_example() -> str:
    section = README.read_text().split("## For researchers", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.DOTALL).group(1)


@pytest.mark.django_db(transaction=True)
def test_the_readme_example_fetches_every_claim(
    live_server, seed_article, reviewer, researcher, monkeypatch, tmp_path, capsys, settings
):
    pytest.importorskip("requests")  # the researcher's own dependency, not the project's
    settings.CLAIMDESK_API_PAGE_SIZE = 2
    paragraph = seed_article.revisions.get().paragraphs.get(position=5)
    quotes = ["The number of casualties is currently unknown", "Saudi Arabian media", "Iran"]
    for quote in quotes:
        make_claim(paragraph=paragraph, quote=quote, user=reviewer)
    monkeypatch.setenv("CLAIMDESK", live_server.url)
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
