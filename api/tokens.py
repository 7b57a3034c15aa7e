"""Creating, revoking and checking personal API tokens.

The secret is shown once, when it is created; the database keeps its SHA-256, so a leaked backup
holds no usable key. A random 256-bit secret needs no slow hash: nobody can guess it.
"""

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from api.models import ApiToken

SECRET_PREFIX = "bpo_"  # noqa: S105 (a marker that names our tokens in leak scanners, not a secret)
PREFIX_CHARS = 12
MAX_ACTIVE_TOKENS = 20
NAME_MAX = 100  # ApiToken.name's max_length
# Writing last_used_at on every request would make each read a write; once a minute is enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class TokenError(Exception):
    """A token cannot be created or revoked; the message says why."""


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def token_create(*, user, name: str) -> tuple[ApiToken, str]:
    """A new token for ``user`` and its secret (the only time the secret exists in clear)."""
    name = name.strip()
    if not name:
        raise TokenError("Name the token: say what it is for, e.g. “ERP sync”.")
    if len(name) > NAME_MAX:
        raise TokenError(f"Keep the token's name to {NAME_MAX} characters.")
    active = ApiToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True)
    if active.count() >= MAX_ACTIVE_TOKENS:
        raise TokenError(
            f"You have {MAX_ACTIVE_TOKENS} active tokens, the most one person may hold; "
            "revoke one you no longer use first."
        )
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=secret[:PREFIX_CHARS], key_hash=hash_secret(secret)
    )
    return token, secret


@transaction.atomic
def token_revoke(*, user, token_id: int) -> ApiToken:
    """Revoke one of ``user``'s own tokens; someone else's is "not found" (TokenError)."""
    token = ApiToken.objects.select_for_update().filter(user=user, pk=token_id).first()
    if token is None:
        raise TokenError("No such token among yours.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_for_secret(secret: str) -> ApiToken | None:
    """The active token with this secret (and its user), stamping its last use; None otherwise."""
    if not secret.startswith(SECRET_PREFIX) or len(secret) > 100:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_secret(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
