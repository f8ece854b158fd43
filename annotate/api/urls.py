"""/api/: the versioned data API (v1), its OpenAPI schema and Swagger UI. Anything else
under /api/ answers a JSON 404."""

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from annotate.api import (
    agreement_views,
    article_views,
    changes_views,
    export_views,
    import_views,
    views,
    webhook_views,
)
from annotate.api.errors import api_not_found

router = SimpleRouter()
router.register("articles", article_views.ArticleViewSet, basename="api-article")
router.register("spans", views.SpanViewSet, basename="api-span")
router.register("claims", views.ClaimViewSet, basename="api-claim")
router.register("sources", views.SourceViewSet, basename="api-source")
router.register("citations", views.CitationViewSet, basename="api-citation")
router.register("confidence-notes", views.ConfidenceNoteViewSet, basename="api-confidencenote")
router.register("relations", views.RelationViewSet, basename="api-relation")
router.register("webhooks", webhook_views.WebhookViewSet, basename="api-webhook")

EXPORT = "articles/<slug:slug>/export"

v1 = [
    path(f"{EXPORT}/w3c/", export_views.W3CExportView.as_view(), name="api-export-w3c"),
    path(
        f"{EXPORT}/claimreview/",
        export_views.ClaimReviewExportView.as_view(),
        name="api-export-claimreview",
    ),
    path(f"{EXPORT}/csv/", export_views.CsvExportView.as_view(), name="api-export-csv"),
    path(f"{EXPORT}/jsonl/", export_views.JsonLinesExportView.as_view(), name="api-export-jsonl"),
    path("articles/<slug:slug>/import/", import_views.ImportView.as_view(), name="api-import"),
    path(
        f"{EXPORT}/datapackage/",
        export_views.DataPackageExportView.as_view(),
        name="api-export-datapackage",
    ),
    path(
        "articles/<slug:slug>/agreement/",
        agreement_views.AgreementView.as_view(),
        name="api-agreement",
    ),
    path("changes/", changes_views.ChangesView.as_view(), name="api-changes"),
    *router.urls,
]

urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI's page carries one fixed inline <style>: allowed there alone (its script is
    # a file, the split view's), every other page keeps style-src 'self'.
    path(
        "docs/",
        csp_update({"style-src": [UNSAFE_INLINE]})(
            SpectacularSwaggerSplitView.as_view(url_name="api-schema")
        ),
        name="api-docs",
    ),
    re_path(r"^[\s\S]*$", api_not_found),  # any path, line breaks included
]
