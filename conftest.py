"""Test-run environment, set before Django reads its settings."""

import os

os.environ.setdefault("ALLOW_INSECURE_SECRET_KEY", "1")
os.environ.setdefault("HTTPS", "0")
