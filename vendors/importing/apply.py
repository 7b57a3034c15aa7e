"""Preview and commit: run the kind's planner, then write the plan in one transaction with batched
inserts and history rows copied inside the database."""

from __future__ import annotations

import itertools
import time

from django.db import connection, transaction
from django.utils import timezone

from vendors.importing.plan_quotes import plan_quotes
from vendors.importing.plan_rates import plan_rates
from vendors.importing.plan_vendors import plan_vendors
from vendors.importing.reading import Table
from vendors.importing.report import (
    MAX_REPORTED_ERRORS,
    Errors,
    Plan,
    Progress,
    Report,
    identity,
)
from vendors.importing.spec import DeletionsUnconfirmed, ImportRejected
from vendors.market_cache import market_changed
from vendors.models import (
    DeliveryCentre,
    ExchangeRate,
    Quote,
    Vendor,
    VendorCertification,
    VendorProcess,
)

BATCH_SIZE = 2_000

PLANNERS = {"vendors": plan_vendors, "quotes": plan_quotes, "rates": plan_rates}


# --- Public API -----------------------------------------------------------------------------------


def preview(table: Table, *, progress: Progress = identity) -> tuple[Report, Plan]:
    """Validate every row and diff it against the database; writes nothing."""
    started = time.perf_counter()
    report = Report(kind=table.kind.key, filename=table.filename, total_rows=len(table.frame))
    report.notices = list(table.notices)
    errors = Errors()
    if table.frame.empty:
        return report, Plan()
    plan = PLANNERS[table.kind.key](table, report, errors, progress)
    order = {name: i for i, name in enumerate(table.kind.names)}
    errors.items.sort(key=lambda e: (e.row, order.get(e.column, 99)))
    report.error_count = len(errors.items)
    report.errors = errors.items[:MAX_REPORTED_ERRORS]
    report.counts["error"] = len(errors.rows)
    if errors.rows:
        # Rows with errors were skipped; a row counted before its duplicate was found is an error.
        report.changes = [c for c in report.changes if c.row not in errors.rows]
    report.seconds = time.perf_counter() - started
    return report, plan


@transaction.atomic
def commit(
    table: Table,
    *,
    user=None,
    progress: Progress = identity,
    confirm_deletions: bool | str = False,
) -> Report:
    """Re-validate against the current database and write every row, or nothing.

    Raises ImportRejected when a row has an error, and DeletionsUnconfirmed when the file would
    clear a stored value or remove list items unless `confirm_deletions` is True (the command's
    flag) or the `deletions_digest` of the preview the admin confirmed, and it still matches.
    """
    report, plan = preview(table, progress=progress)
    if not report.ok:
        raise ImportRejected(report)
    confirmed = confirm_deletions is True or confirm_deletions == report.deletions_digest
    if report.deletion_count and not confirmed:
        raise DeletionsUnconfirmed(report, stale=bool(confirm_deletions))
    reason = f"Import {table.filename}"[:100]
    _apply(table.kind.key, plan, user=user, reason=reason)
    market_changed()  # bulk writes send no signal
    return report


def _apply(kind: str, plan: Plan, *, user, reason: str) -> None:
    if kind == "rates":
        ExchangeRate.objects.bulk_create(plan.creates, batch_size=BATCH_SIZE)
        ExchangeRate.objects.bulk_update(plan.updates, ["rate"], batch_size=BATCH_SIZE)
        return
    model = Quote if kind == "quotes" else Vendor
    objects = plan.new_objects()
    while batch := list(itertools.islice(objects, BATCH_SIZE)):
        created = model.objects.bulk_create(batch)
        ids = [obj.pk for obj in created]
        if None in ids:  # a database that cannot return ids: look them up by the unique key
            ids = _ids_of(model, created)
        _record_history(model, ids, history_type="+", user=user, reason=reason)
    if plan.updates and plan.update_fields:
        model.objects.bulk_update(plan.updates, sorted(plan.update_fields), batch_size=BATCH_SIZE)
        _record_history(
            model, [obj.pk for obj in plan.updates], history_type="~", user=user, reason=reason
        )
    if kind == "vendors":
        _apply_vendor_lists(plan)


def _ids_of(model, objs) -> list[int]:
    if model is Vendor:
        return list(
            Vendor.objects.filter(name__in=[o.name for o in objs]).values_list("id", flat=True)
        )
    keys = {(o.vendor_id, o.process_id, o.delivery_model_id, o.pricing_model) for o in objs}
    rows = Quote.objects.filter(evaluation__isnull=True).values_list(
        "id", "vendor_id", "process_id", "delivery_model_id", "pricing_model"
    )
    return [pk for pk, *key in rows if tuple(key) in keys]


def _record_history(model, ids: list[int], *, history_type: str, user, reason: str) -> None:
    """Write django-simple-history rows for `ids` as one INSERT … SELECT per batch.

    The same rows simple_history's bulk helpers write (a copy of each record plus date, type, user
    and reason), but copied inside the database: building 100,000 historical instances in Python
    took longer than the import itself.
    """
    history = model.history.model
    quote = connection.ops.quote_name
    copied = [quote(f.column) for f in model._meta.concrete_fields]
    extra = [
        quote(c)
        for c in ("history_date", "history_change_reason", "history_type", "history_user_id")
    ]
    when = connection.ops.adapt_datetimefield_value(timezone.now())
    user_id = user.pk if user is not None else None
    with connection.cursor() as cursor:
        for start in range(0, len(ids), BATCH_SIZE):
            batch = ids[start : start + BATCH_SIZE]
            # Identifiers come from the models' metadata; every value is a parameter.
            sql = (
                f"INSERT INTO {quote(history._meta.db_table)} ({', '.join(copied + extra)}) "  # noqa: S608
                f"SELECT {', '.join(copied)}, %s, %s, %s, %s FROM {quote(model._meta.db_table)} "
                f"WHERE {quote(model._meta.pk.column)} IN ({', '.join(['%s'] * len(batch))})"
            )
            cursor.execute(sql, [when, reason, history_type, user_id, *batch])


def _apply_vendor_lists(plan: Plan) -> None:
    """Replace each listed vendor's processes, certifications or centres with the file's list."""
    ids = dict(
        Vendor.objects.filter(name__in=[v.name for v in plan.creates + plan.updates]).values_list(
            "name", "id"
        )
    )
    specs = {
        "processes": (VendorProcess, ["process_id", "years_experience", "reference_clients"]),
        "certifications": (VendorCertification, ["certification_id", "valid_until"]),
        "centres": (
            DeliveryCentre,
            ["city", "country", "delivery_model_id", "seats", "time_zone", "languages"],
        ),
    }
    for name, by_vendor in plan.children.items():
        if not by_vendor:
            continue
        model, fields = specs[name]
        vendor_ids = [ids[v] for v in by_vendor]
        model._default_manager.filter(vendor_id__in=vendor_ids).delete()
        model._default_manager.bulk_create(
            [
                model(vendor_id=ids[vendor], **{f: item[f] for f in fields})
                for vendor, items in by_vendor.items()
                for item in items
            ],
            batch_size=BATCH_SIZE,
        )
