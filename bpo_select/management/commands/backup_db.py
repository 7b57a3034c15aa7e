"""Back up the database to one file: SQLite's online backup, PostgreSQL's pg_dump, or portable JSON.

manage.py backup_db                      # backups/bpo-<timestamp>.<sqlite3|pgdump>
manage.py backup_db --format json -o x   # dumpdata: restores into either engine

The JSON backup holds every row of every table, content types, permissions, sessions, the admin
log and the login-attempt log (django-axes) included, with primary keys as they are and datetimes to
the microsecond, so a restore gives back the same rows.
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from bpo_select import backup_json


def engine() -> str:
    return "sqlite" if connection.vendor == "sqlite" else connection.vendor


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise CommandError(f"{name} is not installed (apt-get install postgresql-client).")
    return path


def pg_env() -> dict[str, str]:
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    for key, var in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        value = db.get(key)
        if value:
            env[var] = str(value)
    return env


class Command(BaseCommand):
    help = "Back up the default database to a single file."

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", help="File to write (default: backups/bpo-<time>.*)")
        parser.add_argument("--format", choices=["native", "json"], default="native")

    def handle(self, *args, output=None, format="native", **options):
        suffix = {"sqlite": "sqlite3", "postgresql": "pgdump"}.get(engine(), "json")
        if format == "json":
            suffix = "json"
        target = Path(
            output or settings.BASE_DIR / "backups" / f"bpo-{timezone.now():%Y%m%d-%H%M%S}.{suffix}"
        )
        target.parent.mkdir(parents=True, exist_ok=True)
        if suffix == "json":
            serializers.register_serializer(backup_json.FORMAT, "bpo_select.backup_json")
            # Plain primary keys (no natural keys) and the base manager: rows exactly as stored.
            call_command(
                "dumpdata",
                format=backup_json.FORMAT,
                use_base_manager=True,
                indent=1,
                output=str(target),
                verbosity=0,
            )
        elif suffix == "sqlite3":
            connection.ensure_connection()
            destination = sqlite3.connect(target)
            try:
                connection.connection.backup(destination)  # consistent even while others write
            finally:
                destination.close()
        else:
            name = settings.DATABASES["default"]["NAME"]
            # An argument list, no shell; the database name comes from settings.
            result = subprocess.run(  # noqa: S603
                [
                    tool("pg_dump"),
                    "--format=custom",
                    "--no-owner",
                    f"--file={target}",
                    f"--dbname={name}",
                ],
                env=pg_env(),
                capture_output=True,
                text=True,
            )
            if result.returncode:
                raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
        self.stdout.write(f"Backed up the {engine()} database to {target}")
