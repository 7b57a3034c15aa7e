"""Restore a backup made by backup_db into the configured database, replacing its contents.

The file's suffix says how: .sqlite3 (SQLite backup API), .pgdump (pg_restore --clean), .json
(migrate, then loaddata; works across engines).
"""

import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from bpo_select.management.commands.backup_db import engine, pg_env, tool

CONTENT_TYPE_MARK = b'"model": "contenttypes.contenttype"'


def holds_content_types(source: Path) -> bool:
    """Whether the backup carries its own content types (backups before 2026-12 left them out)."""
    tail = b""
    with source.open("rb") as file:
        while chunk := file.read(1 << 20):
            if CONTENT_TYPE_MARK in tail + chunk:
                return True
            tail = chunk[-len(CONTENT_TYPE_MARK) :]
    return False


def restore_json(source: Path) -> None:
    """Replace every row with the backup's, all or nothing.

    A backup with content types and permissions brings their primary keys too, so the ones
    post_migrate would create are not made first; an older backup gets them from migrate.
    """
    call_command("migrate", verbosity=0, interactive=False)
    own_types = holds_content_types(source)
    with transaction.atomic():
        call_command("flush", verbosity=0, interactive=False, inhibit_post_migrate=own_types)
        call_command("loaddata", str(source), verbosity=0)
    if own_types:
        call_command("migrate", verbosity=0, interactive=False)  # types of models added since


class Command(BaseCommand):
    help = "Restore the default database from a backup_db file (replaces the current data)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, file, yes=False, **options):
        source = Path(file)
        if not source.is_file():
            raise CommandError(f"No backup file at {source}.")
        if (
            not yes
            and input(f"Replace every row of the database with {source}? [y/N] ").lower() != "y"
        ):
            raise CommandError("Restore cancelled; nothing changed.")
        kind = source.suffix.lstrip(".")
        if kind == "json":
            restore_json(source)
        elif kind == "sqlite3":
            if engine() != "sqlite":
                raise CommandError(
                    "A .sqlite3 backup restores into SQLite only; use a .json backup."
                )
            connection.ensure_connection()
            backup = sqlite3.connect(source)
            try:
                backup.backup(connection.connection)
            finally:
                backup.close()
        elif kind == "pgdump":
            if engine() != "postgresql":
                raise CommandError(
                    "A .pgdump backup restores into PostgreSQL only; use a .json backup."
                )
            connection.close()
            name = settings.DATABASES["default"]["NAME"]
            # An argument list, no shell; the database name comes from settings.
            result = subprocess.run(  # noqa: S603
                [
                    tool("pg_restore"),
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    f"--dbname={name}",
                    str(source),
                ],
                env=pg_env(),
                capture_output=True,
                text=True,
            )
            if result.returncode:
                raise CommandError(f"pg_restore failed: {result.stderr.strip()}")
        else:
            raise CommandError(f"Unknown backup type .{kind}: expected .sqlite3, .pgdump or .json.")
        self.stdout.write(f"Restored {source} into the {engine()} database.")
