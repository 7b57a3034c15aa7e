"""Request-level safety nets: idle session timeout, a log line for every denied request, the CSP,
the request id on every log line, and /healthz answered ahead of the host and HTTPS checks.

Denied requests are logged with who, what and when only: never cookies, session ids or form data.
"""

import logging
import time

from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from bpo_select import health
from bpo_select.logs import accept_or_make_request_id, request_id_context
from bpo_select.roles import is_vendor_contact

security_log = logging.getLogger("bpo_select.security")

LAST_SEEN_KEY = "_bpo_last_seen"
# Rewriting the session on every request costs a database write; a minute's precision is enough.
LAST_SEEN_RESOLUTION_SECONDS = 60


def log_denied(request: HttpRequest, status: int, reason: str) -> None:
    """One line per denied request: user, method, path and time (the formatter adds the time too)."""
    user = getattr(request, "user", None)
    who = (
        f"{user.username}#{user.pk}" if user is not None and user.is_authenticated else "anonymous"
    )
    security_log.warning(
        "denied %s %s %s user=%s at=%s reason=%s",
        status,
        request.method,
        request.path,
        who,
        timezone.now().isoformat(timespec="seconds"),
        reason,
    )


def stamp_last_seen(sender, request: HttpRequest, user, **kwargs) -> None:
    """Start the idle clock at login, so the first request after it does not write the session."""
    request.session[LAST_SEEN_KEY] = int(time.time())


class SessionIdleTimeoutMiddleware:
    """Log out a user who has not made a request for SESSION_IDLE_SECONDS.

    SESSION_COOKIE_AGE caps the session's whole life; this caps the quiet gap. Place it after the
    authentication and message middleware: LoginRequiredMiddleware then sends the now-anonymous
    request to the login page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN_KEY)
            if last_seen is not None and now - int(last_seen) > settings.SESSION_IDLE_SECONDS:
                logout(request)
                minutes = settings.SESSION_IDLE_SECONDS // 60
                messages.info(
                    request, f"You were signed out after {minutes} minutes without activity."
                )
            elif last_seen is None or now - int(last_seen) >= LAST_SEEN_RESOLUTION_SECONDS:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)


class DeniedRequestLogMiddleware:
    """Log 403s and 404s raised by access checks (role_required, evaluation_for_user, the admin)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if isinstance(exception, PermissionDenied):
            log_denied(request, 403, "permission denied")
        elif isinstance(exception, Http404):
            log_denied(request, 404, "not found or not visible")
        return None


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's policy, plus inline *style* (never script) under the Django admin only.

    django-simple-history's admin history page sets style attributes; our own pages need none.
    """

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if request.path_info.startswith(reverse("admin:index")):
            parts.update = {**(parts.update or {}), "style-src": [UNSAFE_INLINE]}
        return parts


# The largest id a BigAutoField holds; a bigger <int:...> in a URL cannot name any row.
MAX_ID = 2**63 - 1


class OutOfRangeIdMiddleware:
    """Answer 404 for an <int:...> URL value no database column can hold (99999999999999999999).

    Without it such ids reach the ORM and some lookups raise OverflowError (a 500) on SQLite.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        values = [*view_args, *view_kwargs.values()]
        if any(isinstance(v, int) and not -MAX_ID <= v <= MAX_ID for v in values):
            log_denied(request, 404, "id out of range")
            raise Http404("No such object.")
        return None


# What a vendor contact may open besides the portal's own URLs (named "sourcing:portal...").
CONTACT_URLS = {"login", "logout", "healthz"}


class VendorContactConfinementMiddleware:
    """Vendor contacts see the portal and nothing else: every other URL of the app is a 403 for
    them, whatever the view's own checks would say (the directory, evaluations, the admin). The
    dashboard, where a login lands, sends them to the portal."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if not is_vendor_contact(request.user):
            return None
        name = request.resolver_match.view_name if request.resolver_match else ""
        if name in CONTACT_URLS or name.startswith("sourcing:portal"):
            return None
        if name == "dashboard":
            return redirect("sourcing:portal")
        log_denied(request, 403, "vendor contacts see only the portal")
        raise PermissionDenied("Vendor contacts see only their vendor's RFP rounds.")


request_log = logging.getLogger("bpo_select.requests")


class RequestIdMiddleware:
    """First in the chain: give the request an id (X-Request-ID in, or a new one), put it on every
    log line written while the request runs, log one line for the request, return the id and the
    app's own time (Server-Timing: developer tools and bench/load.py read it, and the gap to what
    the client saw is the time spent queueing in front of the app)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = accept_or_make_request_id(request.headers.get("X-Request-ID"))
        request.request_id = request_id  # type: ignore[attr-defined]  # ours; HttpRequest declares no such field
        started = time.perf_counter()
        with request_id_context(request_id):
            response = self.get_response(request)
            duration_ms = (time.perf_counter() - started) * 1000
            user = getattr(request, "user", None)
            who = f"#{user.pk}" if user is not None and user.is_authenticated else "anonymous"
            # The path only: query strings may carry tokens.
            request_log.info(
                "request method=%s path=%s status=%s duration_ms=%.1f user=%s",
                request.method,
                request.path,
                response.status_code,
                duration_ms,
                who,
            )
        response["X-Request-ID"] = request_id
        response["Server-Timing"] = f"app;dur={duration_ms:.1f}"
        return response


class HealthCheckMiddleware:
    """Answer /healthz before SecurityMiddleware and the host check: load balancers probe over plain
    HTTP with an internal Host header. Safe because the answer uses neither host nor scheme."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == health.PATH and request.method in ("GET", "HEAD"):
            return health.healthz(request)
        return self.get_response(request)
