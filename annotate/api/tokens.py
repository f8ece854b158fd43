"""API tokens: one per user, shown and rotated on /account/token/ (or in the admin's
"Tokens"), issued from the shell with `manage.py issue_token USERNAME`."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from rest_framework.authtoken.models import Token


def token_for(user: AbstractBaseUser) -> Token:
    """The user's token, created on first use."""
    token, _ = Token.objects.get_or_create(user=user)
    return token


@transaction.atomic
def token_rotate(user: AbstractBaseUser) -> Token:
    """Replace the user's token: the old key stops working at once."""
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)


@require_http_methods(["GET", "POST"])
@never_cache  # the page shows a live credential: no browser or proxy may keep a copy
@login_required
def account_token(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        token_rotate(request.user)
        return redirect("account-token")
    return render(request, "account/token.html", {"token": token_for(request.user)})
