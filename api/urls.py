"""The API under /api/: v1 endpoints, the OpenAPI schema and its docs page.

Endpoints answer 401 rather than redirecting to the log-in page (login_not_required lets DRF
authenticate tokens itself); every one still requires a signed-in user or a token. The docs page
is a browser page, behind the usual log-in.
"""

from django.contrib.auth.decorators import login_not_required
from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from api import account, evaluations, market

app_name = "api"


def endpoint(view_class):
    return login_not_required(view_class.as_view())


urlpatterns = [
    path("schema/", endpoint(SpectacularAPIView), name="schema"),
    path("docs/", account.docs, name="docs"),
    path("v1/processes/", endpoint(market.ProcessList), name="processes"),
    path("v1/delivery-models/", endpoint(market.DeliveryModelList), name="delivery_models"),
    path("v1/certifications/", endpoint(market.CertificationList), name="certifications"),
    path("v1/vendors/", endpoint(market.VendorList), name="vendors"),
    path("v1/vendors/<int:pk>/", endpoint(market.VendorDetail), name="vendor"),
    path("v1/quotes/", endpoint(market.MarketQuoteList), name="quotes"),
    path("v1/exchange-rates/", endpoint(market.ExchangeRateList), name="exchange_rates"),
    path("v1/evaluations/", endpoint(evaluations.EvaluationList), name="evaluations"),
    path("v1/evaluations/<int:pk>/", endpoint(evaluations.EvaluationDetail), name="evaluation"),
    path(
        "v1/evaluations/<int:pk>/candidates/",
        endpoint(evaluations.CandidateList),
        name="candidates",
    ),
    path(
        "v1/evaluations/<int:pk>/quotes/",
        endpoint(evaluations.EvaluationQuoteList),
        name="evaluation_quotes",
    ),
    path(
        "v1/evaluations/<int:pk>/quotes/<int:vendor_pk>/",
        endpoint(evaluations.EvaluationQuote),
        name="evaluation_quote",
    ),
    path("v1/evaluations/<int:pk>/scores/", endpoint(evaluations.ScoreList), name="scores"),
    path("v1/evaluations/<int:pk>/weights/", endpoint(evaluations.Weights), name="weights"),
    path("v1/evaluations/<int:pk>/ranking/", endpoint(evaluations.Ranking), name="ranking"),
    path("v1/evaluations/<int:pk>/snapshot/", endpoint(evaluations.Snapshot), name="snapshot"),
    path("v1/evaluations/<int:pk>/report.pdf", endpoint(evaluations.ReportPdf), name="report"),
]
