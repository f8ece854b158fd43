from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from annotate.roles import Role

DEMO_USERS = {
    "reviewer1": Role.REVIEWER,
    "reviewer2": Role.REVIEWER,
    "lead": Role.LEAD,
    "researcher": Role.RESEARCHER,
}


class Command(BaseCommand):
    help = "Create (or reset) the demo accounts, one per role. Refused unless DEBUG is on."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "Demo accounts share a published password; they are only created with DEBUG on."
            )
        password = settings.CLAIMDESK_DEMO_PASSWORD
        User = get_user_model()
        with transaction.atomic():
            for username, role in DEMO_USERS.items():
                user, _ = User.objects.get_or_create(username=username)
                user.set_password(password)
                user.is_active = True
                user.is_staff = role == Role.LEAD  # leads manage articles in the admin
                user.save()
                user.groups.set([Group.objects.get(name=role)])
        names = ", ".join(DEMO_USERS)
        self.stdout.write(self.style.SUCCESS(f"Demo accounts {names}; password: {password}"))
