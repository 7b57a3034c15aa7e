"""Planning a market-quote import: validate each row and diff it against the list prices."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pandas as pd
from django.utils import timezone

from vendors.importing.plan_vendors import ID_CHUNK
from vendors.importing.reading import Table
from vendors.importing.report import Errors, Plan, Progress, Report, classify, row_number
from vendors.importing.validation import (
    blank_rows,
    created_values,
    currencies,
    dates,
    decimals,
    duplicates,
    integers,
    lookup,
    norm,
    required,
    show,
    take_clears,
)
from vendors.models import DeliveryModel, Process, Quote, Vendor

# Quotes


QUOTE_FIELDS = [
    "unit_price",
    "currency",
    "transition_fee",
    "minimum_term_months",
    "annual_escalation",
    "exit_fee",
    "valid_until",
    "service_level_pct",
    "quality_pct",
    "response_time_hours",
    "notes",
]


def plan_quotes(table: Table, report: Report, errors: Errors, progress: Progress) -> Plan:
    """Market list prices only: a quote tied to an evaluation is never matched, changed or made."""
    frame, clears = take_clears(table.frame, table.kind)
    blanks = {c: rows for c, rows in blank_rows(table.frame).items() if c in QUOTE_FIELDS}
    vendors = dict(Vendor.objects.values_list("name", "id"))
    vendor_ids = lookup(
        frame, "vendor", {norm(n): i for n, i in vendors.items()}, list(vendors), "vendor", errors
    )
    processes = list(Process.objects.values_list("name", "slug", "id"))
    process_map = {norm(n): i for n, _, i in processes} | {norm(s): i for _, s, i in processes}
    process_ids = lookup(
        frame, "process", process_map, [n for n, _, _ in processes], "process", errors
    )
    models = list(DeliveryModel.objects.values_list("code", "name", "id"))
    model_map = {norm(c): i for c, _, i in models} | {norm(n): i for _, n, i in models}
    model_ids = lookup(
        frame, "delivery_model", model_map, [c for c, _, _ in models], "delivery model", errors
    )
    pricing_map = {norm(v): v for v in Quote.PricingModel.values} | {
        norm(label): v for v, label in Quote.PricingModel.choices
    }
    pricing = lookup(
        frame,
        "pricing_model",
        pricing_map,
        [label for _, label in Quote.PricingModel.choices],
        "pricing model",
        errors,
    )
    for column in table.kind.required:
        required(frame, column, errors)

    present = [c for c in QUOTE_FIELDS if c in frame.columns]
    values: dict[str, list] = {}
    values["unit_price"] = decimals(frame, "unit_price", errors, digits=14, places=4)
    values["currency"] = currencies(frame, "currency", errors).tolist()
    if "transition_fee" in frame:
        fees = decimals(frame, "transition_fee", errors, digits=14, places=2)
        values["transition_fee"] = [Decimal(0) if f is None else f for f in fees]
    if "minimum_term_months" in frame:
        values["minimum_term_months"] = integers(
            frame, "minimum_term_months", errors, maximum=32767
        )
    if "annual_escalation" in frame:
        rises = decimals(
            frame,
            "annual_escalation",
            errors,
            digits=5,
            places=2,
            minimum=Decimal("-99.99"),
            maximum=Decimal(100),
        )
        values["annual_escalation"] = [Decimal(0) if r is None else r for r in rises]
    if "exit_fee" in frame:
        exits = decimals(frame, "exit_fee", errors, digits=14, places=2)
        values["exit_fee"] = [Decimal(0) if f is None else f for f in exits]
    if "valid_until" in frame:
        values["valid_until"] = dates(frame, "valid_until", errors)
    for column in ("service_level_pct", "quality_pct"):
        if column in frame:
            values[column] = decimals(
                frame, column, errors, digits=5, places=2, maximum=Decimal(100)
            )
    if "response_time_hours" in frame:
        values["response_time_hours"] = decimals(
            frame, "response_time_hours", errors, digits=8, places=2
        )
    if "notes" in frame:
        values["notes"] = frame["notes"].tolist()

    keys = pd.DataFrame(
        {"v": vendor_ids, "p": process_ids, "d": model_ids, "m": pricing}, index=frame.index
    )
    names: dict[str, dict[Any, str]] = {
        "v": {i: n for n, i in vendors.items()},
        "p": {i: n for n, _, i in processes},
        "d": {i: n for _, n, i in models},
        "m": dict(Quote.PricingModel.choices),
    }

    def describe(key) -> str:
        v, p, d, m = key
        return f"{names['v'][v]} · {names['p'][p]} · {names['d'][d]} · {names['m'][m]}"

    duplicates(frame, keys, keys.notna().all(axis=1), "vendor", describe, errors)

    # Only the quotes of the file's vendors: the market holds far more.
    existing = {}
    listed = sorted({int(v) for v in vendor_ids.dropna()})
    for start in range(0, len(listed), ID_CHUNK):
        market = Quote.objects.filter(
            evaluation__isnull=True, vendor_id__in=listed[start : start + ID_CHUNK]
        )
        for q in market.values(
            "id", *["vendor_id", "process_id", "delivery_model_id", "pricing_model", *present]
        ):
            existing[
                (q["vendor_id"], q["process_id"], q["delivery_model_id"], q["pricing_model"])
            ] = q

    def build(item) -> Quote:
        (vendor, process, model, pricing), row_values = item
        return Quote(
            vendor_id=vendor,
            process_id=process,
            delivery_model_id=model,
            pricing_model=pricing,
            **dict(zip(present, row_values, strict=True)),
        )

    plan = Plan(update_fields=set(), build=build)
    now = timezone.now()
    error_rows = errors.rows
    key_rows = keys.astype(object).itertuples(index=False, name=None)
    columns = [values[c] for c in present]
    for position, (index, key, *row_values) in enumerate(
        progress(
            zip(frame.index.tolist(), key_rows, *columns, strict=True),
            total=len(frame),
            desc="Checking",
        )
    ):
        row = row_number(index)
        if row in error_rows:
            continue
        key = (int(key[0]), int(key[1]), int(key[2]), key[3])
        old = existing.get(key)
        if old is None:
            # Empty and "-" cells of a new quote both take the default (no value, no fee).
            shown = None
            if report.shows_more:
                shown = created_values(dict(zip(present, row_values, strict=True)))
            classify(report, row, describe(key), None, created=shown)
            plan.creates.append((key, tuple(row_values)))  # instances are built per batch
            continue
        kept = [c for c, rows in blanks.items() if position in rows]
        fields = {f: v for f, v in zip(present, row_values, strict=True) if f not in kept}
        changes = [(f, show(old[f]), show(v)) for f, v in fields.items() if old[f] != v]
        for f, before, _ in changes:
            if f in clears and clears[f].iat[position]:
                report.add_deletion(row, describe(key), f, f'"{before}"')
        classify(report, row, describe(key), changes)
        if changes:
            plan.updates.append((old["id"], fields))
            plan.update_fields.update(f for f, _, _ in changes)
    if plan.updates:
        # History rows copy whole instances, so load the changed quotes (only those) in one query.
        # Still filtered: a quote tied to an evaluation since the read above is not written.
        market = Quote.objects.filter(evaluation__isnull=True)
        instances = market.in_bulk([pk for pk, _ in plan.updates])
        plan.updates = [(pk, fields) for pk, fields in plan.updates if pk in instances]
        for pk, fields in plan.updates:
            for name, value in fields.items():
                setattr(instances[pk], name, value)
            instances[pk].updated_at = now
            instances[pk].version += 1
        plan.updates = [instances[pk] for pk, _ in plan.updates]
        plan.update_fields.update({"updated_at", "version"})
    return plan
