"""/healthz for a load balancer: is the database reachable, and the broker when one is configured.

Answers 200 with JSON when every part is reachable, 503 naming the failing parts otherwise. It says
nothing else about the deployment, so it needs no login; HealthCheckMiddleware answers it before
the host and HTTPS checks, since probes come over plain HTTP to an internal address.
"""

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connections
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from kombu import Connection

log = logging.getLogger("bpo_select.health")
PATH = "/healthz"


def _database() -> bool:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        log.exception("health: database unreachable")
        return False


def _broker(url: str) -> bool:
    try:
        with Connection(url, connect_timeout=2) as connection:
            connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0)
        return True
    except Exception:
        log.exception("health: broker unreachable")
        return False


def health_checks() -> dict[str, bool]:
    checks = {"database": _database()}
    if settings.CELERY_BROKER_URL:
        checks["broker"] = _broker(settings.CELERY_BROKER_URL)
    return checks


@login_not_required
@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    checks = health_checks()
    failing = [name for name, ok in checks.items() if not ok]
    body: dict[str, object] = {
        "status": "failing" if failing else "ok",
        "checks": {name: "ok" if ok else "unreachable" for name, ok in checks.items()},
    }
    if failing:
        body["failing"] = failing
    response = JsonResponse(body, status=503 if failing else 200)
    response["X-Content-Type-Options"] = "nosniff"
    return response
