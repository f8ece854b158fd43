"""Cursor pagination: a researcher walks 100,000 claims page by page without offsets, and
a page never shifts when someone adds a claim meanwhile."""

from __future__ import annotations

import contextlib

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from rest_framework.pagination import CursorPagination, _positive_int
from rest_framework.request import Request
from rest_framework.views import APIView


class IdCursorPagination(CursorPagination):
    """Ordered by id unless `?ordering=` picks another field; `page_size` is capped."""

    ordering = "id"
    page_size_query_param = "page_size"

    @property
    def page_size_query_description(self) -> str:  # the schema states the server's limits
        return (
            f"Results per page: {settings.CLAIMDESK_API_PAGE_SIZE} by default, at most "
            f"{settings.CLAIMDESK_API_MAX_PAGE_SIZE} (a larger value gets that many)."
        )

    def get_page_size(self, request: Request) -> int:
        self.max_page_size = settings.CLAIMDESK_API_MAX_PAGE_SIZE
        with contextlib.suppress(KeyError, ValueError):
            return _positive_int(
                request.query_params[self.page_size_query_param],
                strict=True,
                cutoff=self.max_page_size,
            )
        return settings.CLAIMDESK_API_PAGE_SIZE

    def paginate_queryset(
        self, queryset: QuerySet, request: Request, view: APIView | None = None
    ) -> list | None:
        # A crafted cursor may hold a value the database refuses (PostgreSQL: an offset
        # out of its range), a 400 (annotate.api.errors). In a savepoint, that refusal
        # leaves an enclosing transaction usable for what still follows it.
        with transaction.atomic():
            return super().paginate_queryset(queryset, request, view)


class SlugCursorPagination(IdCursorPagination):
    ordering = "slug"
