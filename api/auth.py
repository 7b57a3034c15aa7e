"""How the API knows who is calling and how often: personal tokens, roles, a rate per token."""

from django.conf import settings
from rest_framework import exceptions, permissions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.throttling import SimpleRateThrottle

from api.models import ApiToken
from api.tokens import token_for_secret
from bpo_select.roles import Role, has_role

KEYWORDS = (b"bearer", b"token")


class BearerTokenAuthentication(BaseAuthentication):
    """``Authorization: Bearer <token>`` (or ``Token <token>``) with a personal API token."""

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                "Send the header as “Authorization: Bearer <token>”, the token without spaces."
            )
        token = token_for_secret(parts[1].decode("latin-1"))
        if token is None:
            raise exceptions.AuthenticationFailed(
                "This token is unknown or revoked; create a new one on your API tokens page."
            )
        return token.user, token

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'


class HasRole(permissions.BasePermission):
    """Any of the three roles (or a superuser): the market is read by everyone with a role."""

    message = "Your account has no role in BPO Select; ask an administrator for one."

    def has_permission(self, request, view) -> bool:
        return bool(
            request.user and request.user.is_authenticated and has_role(request.user, *Role.ALL)
        )


class MarketWrite(HasRole):
    """Everyone with a role reads the market; only vendor admins (and superusers) change it."""

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        if has_role(request.user, Role.VENDOR_ADMIN):
            return True
        self.message = "Only vendor admins change the vendor market."
        return False


class TokenRateThrottle(SimpleRateThrottle):
    """One budget per token (each integration its own), per user for browser sessions."""

    scope = "api"

    def get_rate(self) -> str | None:
        # Read at each request, not at import, so settings overrides (tests) take effect.
        return settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"].get(self.scope)

    def get_cache_key(self, request, view) -> str:
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"ip-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
