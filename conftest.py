"""Fixtures shared by every app's tests: users per role and the seed report."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import Group

from annotate.roles import Role
from annotate.tests.factories import TEST_PASSWORD, UserFactory
from articles.models import Article
from articles.report_format import parse_report
from articles.services import article_import

SEED_FILE = Path(__file__).resolve().parent / "fixtures" / "seed-report.txt"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Most tests make a user or four; PBKDF2's deliberate slowness would dominate the run
    # (minutes across the suite). Autouse fixtures run before the user fixtures, so every
    # user gets the fast hasher. Tests of the production hasher set their own.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _user_with_role(username: str, role: Role):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def reviewer(db):
    return _user_with_role("reviewer1", Role.REVIEWER)


@pytest.fixture
def other_reviewer(db):
    return _user_with_role("reviewer2", Role.REVIEWER)


@pytest.fixture
def lead(db):
    return _user_with_role("lead", Role.LEAD)


@pytest.fixture
def researcher(db):
    return _user_with_role("researcher", Role.RESEARCHER)


@pytest.fixture
def seed_article(db) -> Article:
    return article_import(report=parse_report(SEED_FILE.read_bytes()))


@pytest.fixture
def lead_client(client, lead):
    """A browser logged in as a lead with admin access (staff)."""
    lead.is_staff = True
    lead.save()
    client.login(username=lead.username, password=TEST_PASSWORD)
    return client


@pytest.fixture
def role_groups(transactional_db) -> None:
    """The role groups again, after an earlier transactional test's flush emptied them."""
    from annotate.tests.role_groups import restore_role_groups

    restore_role_groups()
