from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_it_creates_one_account_per_role_and_prints_the_password(settings):
    settings.DEBUG = True
    settings.CLAIMDESK_DEMO_PASSWORD = "demo-pass-123"
    out = StringIO()

    call_command("create_demo_users", stdout=out)
    call_command("create_demo_users", stdout=out)  # idempotent

    users = get_user_model().objects.order_by("username")
    assert [(u.username, [g.name for g in u.groups.all()], u.is_staff) for u in users] == [
        ("lead", ["lead"], True),
        ("researcher", ["researcher"], False),
        ("reviewer1", ["reviewer"], False),
        ("reviewer2", ["reviewer"], False),
    ]
    assert authenticate(username="reviewer2", password="demo-pass-123") is not None
    assert "password: demo-pass-123" in out.getvalue()


def test_it_refuses_with_debug_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="only created with DEBUG on"):
        call_command("create_demo_users")
    assert not get_user_model().objects.exists()
