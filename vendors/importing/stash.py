"""Uploaded files kept server-side between the preview and the commit, under a random token."""

from __future__ import annotations

import re
import secrets
import tempfile
import time
from pathlib import Path

PENDING_DIR = Path(tempfile.gettempdir()) / "bpo_select_imports"
PENDING_MAX_AGE_S = 24 * 3600


# --- Pending uploads between preview and commit --------------------------------------------------


def stash(data: bytes, filename: str) -> str:
    """Keep an uploaded file server-side under a random token until it is committed."""
    PENDING_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
    cutoff = time.time() - PENDING_MAX_AGE_S
    for old in PENDING_DIR.glob("*.upload"):
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(24)
    path = PENDING_DIR / f"{token}.upload"
    path.touch(mode=0o600)
    path.write_bytes(data)
    return token


def unstash(token: str) -> bytes | None:
    if not re.fullmatch(r"[A-Za-z0-9_\-]{32}", token or ""):
        return None
    path = PENDING_DIR / f"{token}.upload"
    return path.read_bytes() if path.exists() else None


def discard(token: str) -> None:
    if re.fullmatch(r"[A-Za-z0-9_\-]{32}", token or ""):
        (PENDING_DIR / f"{token}.upload").unlink(missing_ok=True)
