"""Cached directory pieces under a market version: any write to the market makes them unreachable.

The version is a random token in Django's cache (Redis when CACHE_URL is set): every process and
server reads the same one, and a lost token (evicted, restarted) just means a fresh one, never
an old page. Every model a directory page shows is watched by the signals below (admin, API,
services, forms, the contracts app's for SLA standings); the bulk writes that send no signal
(`update`, `bulk_create`, `bulk_update`) call `market_changed()` themselves: the importer's
commit, the admin's activate/deactivate actions, contracts' end of term and seed_demo.

A page cached by another request between a write and its commit would hold the old rows: the
version is bumped again when the writing transaction commits.
"""

from __future__ import annotations

import hashlib
import json
from uuid import uuid4

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

VERSION_KEY = "market:version"
FRAGMENT_SECONDS = 3600


def enabled() -> bool:
    """Off where the cache is one process's memory and several processes serve (settings)."""
    return settings.MARKET_PAGE_CACHE


def market_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid4().hex, None)
        version = cache.get(VERSION_KEY) or ""
    return version


def _bump() -> None:
    cache.set(VERSION_KEY, uuid4().hex, None)


def market_changed(**_signal) -> None:
    """Make every cached directory piece unreachable now and again when the write commits."""
    _bump()
    # Entries are (savepoint ids, callback, robust): one pending bump per transaction is enough.
    if connection.in_atomic_block and not any(
        entry[1] is _bump for entry in connection.run_on_commit
    ):
        transaction.on_commit(_bump)


def key(kind: str, *parts: object) -> str:
    """A cache key for `kind` under the current market version; `parts` are JSON-able."""
    digest = hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()
    return f"market:{kind}:{market_version()}:{digest[:32]}"


def connect(*models) -> None:
    """Watch `models` (and their many-to-many tables) for writes that change the market."""
    for model in models:
        uid = f"market-cache:{model._meta.label}"
        post_save.connect(market_changed, sender=model, dispatch_uid=f"{uid}:save")
        post_delete.connect(market_changed, sender=model, dispatch_uid=f"{uid}:delete")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                market_changed,
                sender=field.remote_field.through,
                dispatch_uid=f"{uid}:{field.name}",
            )
