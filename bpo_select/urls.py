"""Top-level URLconf: each app owns its URLs under a namespace."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from bpo_select.health import healthz
from scoring.views import evaluations as scoring_views

handler404 = "api.errors.not_found"

urlpatterns = [
    path("", scoring_views.dashboard, name="dashboard"),
    path(
        "login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("vendors/", include("vendors.urls")),
    path("evaluations/", include("scoring.urls")),
    path("contracts/", include("contracts.urls")),
    path("tasks/", include("background.urls")),
    path("api/", include("api.urls")),
    path("account/", include("api.account_urls")),
    path("", include("sourcing.urls")),
    # Answered by HealthCheckMiddleware first; listed here so it is reversible and in the URL map.
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
