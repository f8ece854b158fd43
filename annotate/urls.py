from django.urls import path

from annotate import views

app_name = "annotate"

urlpatterns = [
    path("", views.article_list, name="article_list"),
    path("articles/<slug:slug>/", views.workspace, name="workspace"),
]
