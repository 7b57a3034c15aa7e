"""Uploaded files kept between the preview and the commit, under a random token.

Through Django's storage API (the file system under MEDIA_ROOT by default, S3 when configured), so
the commit may land on another web server than the preview did. Media files are never served
directly; the token is only in the uploader's session.
"""

from __future__ import annotations

import json
import re
import secrets
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from vendors.importing.report import Report

PENDING_DIR = "imports/pending"
PENDING_MAX_AGE = timedelta(hours=24)
TOKEN = re.compile(r"[A-Za-z0-9_\-]{32}")


def _name(token: str) -> str:
    return f"{PENDING_DIR}/{token}.upload"


def _report_name(token: str) -> str:
    return f"{PENDING_DIR}/{token}.preview.json"


def _forget_expired() -> None:
    """Uploads previewed but never committed are dropped after a day."""
    if not default_storage.exists(PENDING_DIR):
        return
    cutoff = timezone.now() - PENDING_MAX_AGE
    for name in default_storage.listdir(PENDING_DIR)[1]:
        path = f"{PENDING_DIR}/{name}"
        try:
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
        except (FileNotFoundError, NotImplementedError):
            continue  # removed by another server meanwhile, or a store without times


def stash(data: bytes, filename: str) -> str:
    """Keep an uploaded file under a random token until it is committed or discarded."""
    _forget_expired()
    token = secrets.token_urlsafe(24)  # 32 characters
    default_storage.save(_name(token), ContentFile(data))
    return token


def unstash(token: str) -> bytes | None:
    if not TOKEN.fullmatch(token or ""):
        return None
    try:
        with default_storage.open(_name(token), "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return None


def discard(token: str, *, keep_preview: bool = False) -> None:
    """Drop the upload `token` and its stored preview (or only the upload: nothing to commit)."""
    if TOKEN.fullmatch(token or ""):
        default_storage.delete(_name(token))
        if not keep_preview:
            default_storage.delete(_report_name(token))


def has_upload(token: str) -> bool:
    return bool(TOKEN.fullmatch(token or "")) and default_storage.exists(_name(token))


def stash_report(token: str, report: Report) -> None:
    """Keep the preview of the upload `token` for the preview page (kept a day, like uploads)."""
    name = _report_name(token)
    default_storage.delete(name)  # a re-run of the same preview replaces it
    default_storage.save(name, ContentFile(json.dumps(report.as_dict(), default=str).encode()))


def unstash_report(token: str) -> Report | None:
    if not TOKEN.fullmatch(token or ""):
        return None
    try:
        with default_storage.open(_report_name(token), "rb") as handle:
            return Report.from_dict(json.loads(handle.read()))
    except FileNotFoundError:
        return None
