"""Domain errors as HTTP answers: a broken business rule is 400 with the service's message, a
stale version 409 with the current one; everything else as DRF answers it."""

from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from api.tokens import TokenError
from scoring.services import ScoreError, SetupError, StaleEdit, TeamError
from vendors.importing import ImportRefused

DOMAIN_ERRORS = (SetupError, ScoreError, TeamError, TokenError, ImportRefused)


def exception_handler(exc, context):
    if isinstance(exc, StaleEdit):
        return Response(
            {"detail": str(exc), "current_version": exc.current_version},
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, DOMAIN_ERRORS):
        body = {"detail": str(exc)}
        if getattr(exc, "field", None):
            body["field"] = exc.field
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)
