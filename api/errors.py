"""Domain errors as HTTP answers: a broken business rule is 400 with the service's message, a
stale version 409 with the current one; everything else as DRF answers it."""

from django.http import JsonResponse
from django.views.defaults import page_not_found
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from api.tokens import TokenError
from bpo_select.middleware import log_denied
from scoring.services import ScoreError, SetupError, StaleEdit, TeamError
from vendors.importing import ImportRefused

DOMAIN_ERRORS = (SetupError, ScoreError, TeamError, TokenError, ImportRefused)


def exception_handler(exc, context):
    response = _answer(exc, context)
    if response is not None and response.status_code in (401, 403, 404):
        # As DeniedRequestLogMiddleware logs the pages' refusals (DRF handles these itself).
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else ""
        log_denied(context["request"]._request, response.status_code, str(detail))
    return response


def _answer(exc, context):
    if isinstance(exc, StaleEdit):
        return Response(
            {"detail": str(exc), "current_version": exc.current_version},
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, DOMAIN_ERRORS):
        body = {"detail": str(exc)}
        field = getattr(exc, "field", None)
        if field:
            body["field"] = field
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)


def not_found(request, exception=None):
    """handler404: JSON under /api/ (an id the URL pattern refuses), the usual page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return page_not_found(request, exception)
