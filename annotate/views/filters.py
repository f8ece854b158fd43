"""The filter bar's state: read from the query string, written back into every link
so that a filtered view is shareable and survives opening a claim."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest

from annotate.forms import FilterForm
from annotate.selectors import ClaimFilters


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


def read_filters(request: HttpRequest) -> tuple[FilterForm, ClaimFilters]:
    """The filters in the query string (raises BadFilter naming the bad field)."""
    form = FilterForm(request.GET)
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        raise BadFilter(f"Filter {field!r}: {' '.join(errors)}")
    data = {name: value for name, value in form.cleaned_data.items() if value}
    return form, ClaimFilters(**data)


def filter_query(filters: ClaimFilters) -> str:
    params = {
        name: ("on" if value is True else value) for name, value in vars(filters).items() if value
    }
    return urlencode(params)
