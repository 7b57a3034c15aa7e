"""Security hooks Django calls by setting name (CSRF_FAILURE_VIEW)."""

from django.http import HttpRequest, HttpResponse
from django.views.csrf import csrf_failure as django_csrf_failure

from bpo_select.middleware import log_denied


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Log the refused request (no token or cookie values), then answer Django's 403 page."""
    log_denied(request, 403, f"CSRF: {reason}")
    return django_csrf_failure(request, reason=reason)
