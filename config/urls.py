from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from annotate.api.tokens import account_token
from annotate.linked_data.context import URL_NAME as JSONLD_CONTEXT
from annotate.linked_data.context import context_v1
from config.health import healthz

admin.site.site_header = "Claimdesk administration"
admin.site.site_title = "Claimdesk admin"

urlpatterns = [
    path("", include("annotate.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("api/", include("annotate.api.urls")),
    path("account/token/", account_token, name="account-token"),
    path("admin/", admin.site.urls),
    path("healthz/", healthz, name="healthz"),
    # The W3C export's own JSON-LD terms, public and versioned (annotate/linked_data).
    path("ns/claimdesk-v1.jsonld", context_v1, name=JSONLD_CONTEXT),
]

handler400 = "config.errors.bad_request"
handler500 = "config.errors.server_error"
