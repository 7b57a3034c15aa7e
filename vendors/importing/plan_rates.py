"""Planning an exchange-rate import: validate each row and diff it against the stored rates."""

from __future__ import annotations

import pandas as pd

from vendors.importing.reading import Table
from vendors.importing.report import Errors, Plan, Progress, Report, classify, row_number
from vendors.importing.validation import (
    currencies,
    dates,
    decimals,
    duplicates,
    required,
    show,
    take_clears,
)
from vendors.models import ExchangeRate

# Exchange rates


def plan_rates(table: Table, report: Report, errors: Errors, progress: Progress) -> Plan:
    # Every rate column is required, so there is nothing to keep or clear: "-" is "is required".
    frame, _ = take_clears(table.frame, table.kind)
    for column in table.kind.required:
        required(frame, column, errors)
    currency = currencies(frame, "currency", errors)
    base = currencies(frame, "base_currency", errors)
    same = currency.notna() & (currency == base)
    errors.add_mask(frame, same, "base_currency", lambda v: f"is the same as currency ({v})")
    rates = decimals(frame, "rate", errors, digits=18, places=8, minimum=None, positive=True)
    as_of = dates(frame, "as_of", errors)
    keys = pd.DataFrame({"c": currency, "b": base, "d": as_of}, index=frame.index)
    duplicates(
        frame,
        keys,
        keys.notna().all(axis=1),
        "currency",
        lambda k: f"{k[0]} in {k[1]} on {k[2]:%Y-%m-%d}",
        errors,
    )
    existing = {(r.currency, r.base_currency, r.as_of): r for r in ExchangeRate.objects.all()}
    plan = Plan(update_fields={"rate"})
    for index, c, b, d, rate in progress(
        zip(frame.index.tolist(), currency.tolist(), base.tolist(), as_of, rates, strict=True),
        total=len(frame),
        desc="Checking",
    ):
        row = row_number(index)
        if row in errors.rows:
            continue
        label = f"1 {c} in {b} on {d:%Y-%m-%d}"
        old = existing.get((c, b, d))
        if old is None:
            shown = [("rate", "", show(rate))] if report.shows_more else None
            classify(report, row, label, None, created=shown)
            plan.creates.append(ExchangeRate(currency=c, base_currency=b, as_of=d, rate=rate))
        elif old.rate != rate:
            classify(report, row, label, [("rate", show(old.rate), show(rate))])
            old.rate = rate
            plan.updates.append(old)
        else:
            classify(report, row, label, [])
    return plan
