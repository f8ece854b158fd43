from django.urls import path

from annotate.views import agreement, claims, evidence, live, pages, relations, restore

app_name = "annotate"

urlpatterns = [
    path("", pages.article_list, name="article_list"),
    path("articles/<slug:slug>/", pages.workspace, name="workspace"),
    path("articles/<slug:slug>/live/", live.live, name="live"),
    path("articles/<slug:slug>/agreement/", agreement.agreement, name="agreement"),
    path("articles/<slug:slug>/contradictions/", relations.contradictions, name="contradictions"),
    path("articles/<slug:slug>/claims/new/", claims.claim_new, name="claim_new"),
    path("articles/<slug:slug>/claims/list/", pages.claim_rows, name="claim_rows"),
    path("articles/<slug:slug>/claims/<int:pk>/", pages.claim_detail, name="claim"),
    path("articles/<slug:slug>/claims/<int:pk>/edit/", claims.claim_edit, name="claim_edit"),
    path("articles/<slug:slug>/claims/<int:pk>/delete/", claims.claim_delete, name="claim_delete"),
    path("articles/<slug:slug>/claims/<int:pk>/verdict/", claims.claim_verdict, name="verdict"),
    path(
        "articles/<slug:slug>/claims/<int:pk>/restore/", claims.claim_restore, name="claim_restore"
    ),
    path(
        "articles/<slug:slug>/claims/<int:pk>/placement/confirm/",
        claims.placement_confirm,
        name="placement_confirm",
    ),
    path(
        "articles/<slug:slug>/claims/<int:pk>/citations/",
        evidence.citation_new,
        name="citation_new",
    ),
    path("articles/<slug:slug>/sources/search/", evidence.source_search, name="source_search"),
    path(
        "articles/<slug:slug>/claims/<int:pk>/sources/<int:source_pk>/reliability/",
        evidence.source_reliability,
        name="source_reliability",
    ),
    path("articles/<slug:slug>/claims/<int:pk>/note/", evidence.note_save, name="note"),
    path(
        "articles/<slug:slug>/claims/<int:pk>/note/delete/",
        evidence.note_delete,
        name="note_delete",
    ),
    path("articles/<slug:slug>/claims/<int:pk>/links/", relations.link_new, name="link_new"),
    path(
        "articles/<slug:slug>/claims/<int:pk>/links/search/",
        relations.link_search,
        name="link_search",
    ),
    path("articles/<slug:slug>/links/<int:pk>/delete/", relations.link_delete, name="link_delete"),
    path(
        "articles/<slug:slug>/orphans/<int:pk>/reattach/",
        claims.orphan_reattach,
        name="orphan_reattach",
    ),
    path(
        "articles/<slug:slug>/citations/<int:pk>/edit/",
        evidence.citation_edit,
        name="citation_edit",
    ),
    path(
        "articles/<slug:slug>/citations/<int:pk>/delete/",
        evidence.citation_delete,
        name="citation_delete",
    ),
    path(
        "articles/<slug:slug>/citations/<int:pk>/restore/",
        restore.citation_restore,
        name="citation_restore",
    ),
    path("articles/<slug:slug>/notes/<int:pk>/restore/", restore.note_restore, name="note_restore"),
    path(
        "articles/<slug:slug>/at/<int:position>/<int:offset>/",
        pages.claims_here,
        name="claims_here",
    ),
]
