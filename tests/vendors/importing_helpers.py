"""Helpers shared by the import tests (reading, quotes, rates, vendors) and the view and command
tests."""

import csv
import hashlib
import io

from openpyxl import Workbook

from vendors.models import (
    DeliveryCentre,
    ExchangeRate,
    Quote,
    Vendor,
    VendorCertification,
    VendorProcess,
)

QUOTE_HEADER = [
    "vendor",
    "process",
    "delivery_model",
    "pricing_model",
    "unit_price",
    "currency",
    "valid_until",
]
PAYROLL = "Payroll & benefits administration"
GOOD_QUOTE = ["Acme", PAYROLL, "offshore", "per FTE-month", "1850.00", "USD", "2027-06-30"]


def db_state() -> dict[str, tuple[int, str]]:
    """Row count and a checksum of every table an import can touch, history included."""
    models = [
        Vendor,
        VendorProcess,
        VendorCertification,
        DeliveryCentre,
        Quote,
        ExchangeRate,
        Vendor.history.model,
        Quote.history.model,
    ]
    state = {}
    for model in models:
        rows = list(model.objects.order_by("pk").values_list())
        state[model.__name__] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
    return state


def csv_bytes(rows: list[list[str]], encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
