"""The filter bar's state: read from the query string, written back into every link
so that a filtered view is shareable and survives opening a claim."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest

from annotate.claim_filters import ClaimFilters
from annotate.forms import FilterForm


class BadFilter(Exception):
    """A filter in the query string has a value the filter bar never sends."""


def rejects_bad_filters(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Answer a bad filter with a 400 that names it, rather than a server error."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except BadFilter as error:
            return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")

    return wrapper


@dataclass(frozen=True)
class FilterState:
    """What the query string asks the workspace for."""

    form: FilterForm  # the filter bar, as sent
    claims: ClaimFilters  # which claims to list (annotate.claim_filters)
    revision: int | None  # the revision read, None for the current one
    query: str  # the query string that asks for all this again, for every link

    @property
    def active(self) -> bool:
        return self.claims.active


def read_filters(request: HttpRequest) -> FilterState:
    """The filters in the query string (raises BadFilter naming the bad field)."""
    form = FilterForm(request.GET)
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        raise BadFilter(f"Filter {field!r}: {' '.join(errors)}")
    values = form.cleaned_data.items()
    query = urlencode({name: "on" if value is True else value for name, value in values if value})
    return FilterState(
        form=form,
        claims=form.claim_filters(),
        revision=form.cleaned_data["revision"],
        query=query,
    )
