"""Two clients citing the same new address at once: both citations cite one source.

Found by .ci/load-and-faults under heavy load: a citation whose `new_source` names an
address another request recorded a moment earlier got a 400 ("Source with this Url already
exists") instead of citing that source. The other request's commit fell between the
service's look-up of the address and model validation's own uniqueness check.
"""

from __future__ import annotations

from django.db import connection, connections

from annotate.models import Citation, Source
from annotate.tests.api.conftest import client_for
from annotate.tests.at_once import ACROSS_CONNECTIONS
from annotate.tests.factories import make_claim

pytestmark = ACROSS_CONNECTIONS

LINK = "https://example.org/recorded-meanwhile"
# The service's look-up of a source by its address (annotate.services.source_find_or_create).
LOOK_UP = ('SELECT "annotate_source"."id"', 'WHERE "annotate_source"."url" = %s')


def _committing_the_same_address_first(other, lead):
    """An execute wrapper (Django's hook for watching queries) that, just after the
    service's look-up found no source at LINK, lets another client commit one there: the
    interleaving the load test met, made certain instead of likely."""
    done = []

    def wrapper(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if not done and sql.startswith(LOOK_UP[0]) and LOOK_UP[1] in sql:
            done.append(True)
            with other.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO annotate_source (url, title, publisher, archive_url,"
                    " reliability, created_by_id, reliability_set_by_id, reliability_set_at,"
                    " created_at, updated_at) VALUES (%s, 'Theirs', '', '', 'A', %s, %s,"
                    " now(), now(), now())",
                    [LINK, lead.pk, lead.pk],
                )
        return result

    return wrapper, done


def test_a_source_recorded_meanwhile_is_cited_not_refused(seed_article, reviewer, lead):
    paragraph = seed_article.revisions.get().paragraphs.get(position=6)
    claim = make_claim(paragraph=paragraph, quote="the strike", user=reviewer)
    other = connections.create_connection("default")
    other.set_autocommit(True)
    wrapper, done = _committing_the_same_address_first(other, lead)
    try:
        with connection.execute_wrapper(wrapper):
            answer = client_for(reviewer).post(
                "/api/v1/citations/",
                {"claim": claim.pk, "stance": "supports", "credibility": 3,
                 "new_source": {"link": LINK, "title": "Mine", "reliability": "B"}},
            )  # fmt: skip
    finally:
        other.close()

    assert done, "the look-up this test interleaves with was not made"
    assert answer.status_code == 201, answer.content
    theirs = Source.objects.get(url=LINK)
    assert theirs.title == "Theirs"  # the source recorded first stands, as for any address
    assert Citation.objects.get(pk=answer.json()["id"]).source_id == theirs.pk
