"""Backups restore the demo data intact: SQLite natively, portable JSON, and PostgreSQL's pg_dump."""

import datetime as dt
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from scoring.models import Evaluation, Score
from tests.factories import ensure_reference_data
from vendors.models import Quote, Vendor

ROOT = Path(__file__).resolve().parents[2]
PG = "postgresql://postgres@127.0.0.1:5432"


def manage(*args, database_url: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env |= {"DATABASE_URL": database_url, "ALLOW_INSECURE_SECRET_KEY": "1", "DB_CONN_MAX_AGE": "0"}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )


CHECKS = {
    "vendors": "SELECT count(*) FROM vendors_vendor",
    "quotes": "SELECT count(*) FROM vendors_quote",
    "evaluations": "SELECT count(*) FROM scoring_evaluation",
    "scores": "SELECT count(*) FROM scoring_score",
    "score_total": "SELECT CAST(sum(value) AS TEXT) FROM scoring_score",
    "statuses": "SELECT string_agg(status, ',' ORDER BY status) FROM scoring_evaluation",
    "first_vendor": "SELECT name FROM vendors_vendor ORDER BY name LIMIT 1",
    "vendor_history": "SELECT count(*) FROM vendors_historicalvendor",
}


def expected() -> dict:
    evaluations = sorted(Evaluation.objects.values_list("status", flat=True))
    total = sum(Score.objects.values_list("value", flat=True))
    return {
        "vendors": Vendor.objects.count(),
        "quotes": Quote.objects.count(),
        "evaluations": Evaluation.objects.count(),
        "scores": Score.objects.count(),
        "score_total": float(total),
        "statuses": ",".join(evaluations),
        "first_vendor": Vendor.objects.order_by("name").first().name,
        "vendor_history": Vendor.history.count(),
    }


def sqlite_values(path: Path) -> dict:
    with sqlite3.connect(path) as db:
        db.create_aggregate("string_agg", 2, _StringAgg)
        values = {}
        for key, sql in CHECKS.items():
            values[key] = db.execute(sql.replace(" ORDER BY status", "")).fetchone()[0]
    values["statuses"] = ",".join(sorted(values["statuses"].split(",")))
    values["score_total"] = float(values["score_total"])
    return values


class _StringAgg:
    def __init__(self):
        self.items = []

    def step(self, value, sep):
        self.items.append(value)
        self.sep = sep

    def finalize(self):
        return self.sep.join(self.items)


# Transactional: a backup reads committed data.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo():
    ensure_reference_data()  # an earlier transactional test may have flushed it
    call_command("seed_demo", stdout=io.StringIO())
    values = expected()
    assert values["vendors"] >= 40 and values["evaluations"] == 3 and values["scores"] > 0
    return values


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "sqlite").split(":")[0] != "sqlite",
    reason="The SQLite backup API copies a SQLite database; the PostgreSQL test covers pg_dump.",
)
def test_a_sqlite_backup_restores_into_a_fresh_database_intact(demo, tmp_path):
    backup = tmp_path / "demo.sqlite3"
    call_command("backup_db", output=str(backup), stdout=io.StringIO())
    fresh = tmp_path / "fresh.sqlite3"

    manage("restore_db", str(backup), "--yes", database_url=f"sqlite:///{fresh}")

    assert sqlite_values(fresh) == demo


def test_a_json_backup_restores_into_a_fresh_database_intact(demo, tmp_path):
    backup = tmp_path / "demo.json"
    call_command("backup_db", output=str(backup), format="json", stdout=io.StringIO())
    fresh = tmp_path / "fresh.sqlite3"

    manage("restore_db", str(backup), "--yes", database_url=f"sqlite:///{fresh}")

    assert sqlite_values(fresh) == demo


def login_traces(client) -> None:
    """A session, a failed login in django-axes' log and an admin log entry, as a live site has."""
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.auth.models import User

    user = User.objects.create_user("backup-check", password="Correct-horse-9")
    client.post(reverse("login"), {"username": "backup-check", "password": "wrong"})
    client.force_login(user)
    vendor = Vendor.objects.order_by("pk").first()
    LogEntry.objects.log_actions(user.pk, [vendor], CHANGE, change_message="Checked the backup.")


def rows_of_every_table(cursor) -> dict[str, list]:
    """Every row of every table except the migration log (the restore migrates at its own time)."""
    cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    tables = [name for (name,) in cursor.fetchall()]
    skipped = {"django_migrations", "sqlite_sequence"}
    rows = {}
    for table in tables:
        if table not in skipped:
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 (names from sqlite_master)
            found = cursor.fetchall()
            if table in link_tables():  # (id, a, b): the id is a surrogate nothing refers to
                found = [row[1:] for row in found]
            rows[table] = sorted(found, key=repr)
    return rows


def link_tables() -> set[str]:
    """Django's own many-to-many link tables: dumpdata writes their pairs, not their row ids."""
    from django.apps import apps

    return {
        field.remote_field.through._meta.db_table
        for model in apps.get_models()
        for field in model._meta.local_many_to_many
        if field.remote_field.through._meta.auto_created
    }


def backed_up(path: Path) -> dict[tuple[str, object], dict]:
    return {(o["model"], o["pk"]): o["fields"] for o in json.loads(path.read_text())}


def test_a_json_backup_keeps_every_row_of_every_table_to_the_microsecond(demo, tmp_path, client):
    from axes.models import AccessAttempt
    from django.apps import apps
    from django.contrib.sessions.models import Session

    login_traces(client)
    stamp = dt.datetime(2026, 11, 30, 8, 15, 42, 123456, tzinfo=dt.UTC)
    Evaluation.objects.filter(pk=Evaluation.objects.order_by("pk").first().pk).update(
        decided_at=stamp
    )
    assert Session.objects.exists() and AccessAttempt.objects.exists()
    backup = tmp_path / "demo.json"
    call_command("backup_db", output=str(backup), format="json", stdout=io.StringIO())
    fresh = tmp_path / "fresh.sqlite3"

    manage("restore_db", str(backup), "--yes", database_url=f"sqlite:///{fresh}")

    again = tmp_path / "again.json"
    manage("backup_db", "--format", "json", "-o", str(again), database_url=f"sqlite:///{fresh}")
    assert backed_up(again) == backed_up(backup)
    filled = {m._meta.label_lower for m in apps.get_models() if m._base_manager.exists()}
    assert filled <= {model for model, _ in backed_up(backup)}
    assert {"sessions.session", "axes.accessattempt", "admin.logentry"} <= filled
    assert "2026-11-30T08:15:42.123456Z" in backup.read_text()
    if connection.vendor == "sqlite":
        detect = sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES
        with sqlite3.connect(fresh, detect_types=detect) as restored:
            assert rows_of_every_table(restored.cursor()) == rows_of_every_table(
                connection.cursor()
            )


def test_a_backup_made_before_content_types_were_kept_still_restores(demo, tmp_path):
    backup = tmp_path / "old.json"
    call_command(
        "dumpdata",
        exclude=["contenttypes", "auth.permission", "sessions", "admin.logentry", "axes"],
        natural_foreign=True,
        indent=1,
        output=str(backup),
        verbosity=0,
    )
    fresh = tmp_path / "fresh.sqlite3"

    manage("restore_db", str(backup), "--yes", database_url=f"sqlite:///{fresh}")

    assert sqlite_values(fresh) == demo


@pytest.mark.django_db
def test_restore_refuses_an_unknown_file_and_changes_nothing(tmp_path):
    Vendor.objects.create(name="Still Here Ltd", country="PT")
    bogus = tmp_path / "demo.txt"
    bogus.write_text("not a backup")

    with pytest.raises(CommandError, match="Unknown backup type"):
        call_command("restore_db", str(bogus), yes=True)

    assert Vendor.objects.filter(name="Still Here Ltd").exists()


def pg_available() -> bool:
    if not shutil.which("psql"):
        return False
    probe = subprocess.run(["psql", PG + "/postgres", "-Atc", "select 1"], capture_output=True)
    return probe.returncode == 0


def psql(db: str, sql: str) -> str:
    return subprocess.run(
        ["psql", f"{PG}/{db}", "-Atc", sql], capture_output=True, text=True, check=True
    ).stdout.strip()


@pytest.mark.skipif(not pg_available(), reason="no PostgreSQL on 127.0.0.1:5432")
def test_a_pg_dump_backup_restores_into_a_fresh_postgresql_database_intact(demo, tmp_path):
    source, target = (f"bpo_test_backup_{uuid.uuid4().hex[:8]}_{n}" for n in ("src", "dst"))
    for db in (source, target):
        psql("postgres", f"CREATE DATABASE {db}")
    try:
        json_backup = tmp_path / "demo.json"
        call_command("backup_db", output=str(json_backup), format="json", stdout=io.StringIO())
        manage("restore_db", str(json_backup), "--yes", database_url=f"{PG}/{source}")
        dump = tmp_path / "demo.pgdump"
        manage("backup_db", "-o", str(dump), database_url=f"{PG}/{source}")

        manage("restore_db", str(dump), "--yes", database_url=f"{PG}/{target}")

        restored = {key: psql(target, sql) for key, sql in CHECKS.items()}
        restored["score_total"] = float(restored["score_total"])
        assert restored == {
            k: (v if isinstance(v, str | float) else str(v)) for k, v in demo.items()
        }
    finally:
        for db in (source, target):
            psql("postgres", f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
