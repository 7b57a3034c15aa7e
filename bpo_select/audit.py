"""The audit trail: django-simple-history records of several models merged into one timeline.

`history_page` pages through the records newest first and diffs each against the previous record of
the same object, in a fixed number of queries however many rows the page holds. A created record lists
the values it was created with and a deleted one the values it had, so every row says old -> new.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import OuterRef, Q, Subquery, Value
from simple_history.models import ModelChange

from vendors.templatetags.formatting import day, day_time, number

# Bookkeeping that changes on every save and tells a reader nothing.
NOISE_FIELDS = {"updated_at", "created_at", "added_at", "version"}
ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}
PAGE_SIZE = 50
UNRECORDED = object()  # an old value from before the history began


@dataclass(frozen=True)
class Source:
    """One model's historical records to show, e.g. an evaluation's scores."""

    kind: str
    history: models.QuerySet
    describe: Callable[[Any], str]  # simple_history records carry no type information
    related: tuple[str, ...] = ()
    # Fields the subject already names (e.g. a score's vendor): not repeated in created/deleted rows.
    quiet: tuple[str, ...] = ()
    # The action in words from (history_type, changes), e.g. "Excluded"; None keeps Created/Changed.
    verb: Callable[[str, list["Change"]], str | None] | None = None


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str


@dataclass
class Entry:
    when: dt.datetime
    user: str
    kind: str
    subject: str
    action: str
    reason: str
    changes: list[Change] = field(default_factory=list)


def history_page(sources: Sequence[Source], page_number, per_page: int = PAGE_SIZE) -> Page:
    """The page's entries (newest first) as `Entry` objects in `page.object_list`."""
    if not sources:
        raise ValueError("A history page needs at least one source.")
    keys = None
    for index, source in enumerate(sources):
        part = (
            source.history.order_by()
            .annotate(audit_source=Value(index))
            .values_list("history_id", "history_date", "audit_source")
        )
        keys = part if keys is None else keys.union(part, all=True)
    assert keys is not None  # sources is not empty
    page = Paginator(keys.order_by("-history_date", "-history_id"), per_page).get_page(page_number)
    wanted = defaultdict(list)
    for history_id, _date, index in page.object_list:
        wanted[index].append(history_id)
    entries = []
    for index, ids in wanted.items():
        entries.extend(_entries(sources[index], ids))
    entries.sort(key=lambda entry: entry.when, reverse=True)
    page.object_list = entries
    return page


def _entries(source: Source, history_ids: list[int]) -> list[Entry]:
    model = source.history.model
    previous = model.objects.filter(id=OuterRef("id")).filter(
        Q(history_date__lt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
    )
    records = list(
        model.objects.filter(history_id__in=history_ids)
        .select_related("history_user", *source.related)
        .annotate(
            previous_id=Subquery(
                previous.order_by("-history_date", "-history_id").values("history_id")[:1]
            )
        )
    )
    previous_ids = [r.previous_id for r in records if r.previous_id is not None]
    olds = {r.history_id: r for r in model.objects.filter(history_id__in=previous_ids)}
    deltas = {}
    for record in records:
        old = olds.get(record.previous_id)
        if old is not None and record.history_type == "~":
            deltas[record.history_id] = _diff(old, record)
        elif record.history_type in ("+", "-", "~"):
            deltas[record.history_id] = _values(record, source.quiet)
    labels = _foreign_key_labels(model, deltas.values())
    entries = []
    for record in records:
        changes = [_change(model, change, labels) for change in deltas.get(record.history_id, [])]
        action = ACTIONS.get(record.history_type, record.history_type)
        if source.verb is not None:
            action = source.verb(record.history_type, changes) or action
        entries.append(
            Entry(
                when=record.history_date,
                user=_user_label(record.history_user),
                kind=source.kind,
                subject=source.describe(record),
                action=action,
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
    return entries


def _values(record, quiet: Sequence[str]) -> list[ModelChange]:
    """A created record's values as "— -> value", a deleted one's as "value -> —" (empty ones left
    out): what the row held, in the same shape as a change. A row changed before its history began
    shows its new values after "not recorded"."""
    created = record.history_type == "+"
    before_unknown = record.history_type == "~"  # a first record saying "changed": no old values
    changes = []
    for model_field in record.tracked_fields:
        if model_field.primary_key or model_field.name in NOISE_FIELDS or model_field.name in quiet:
            continue
        value = getattr(record, model_field.attname)
        if value is None or value == "":
            continue
        if before_unknown:
            before, after = UNRECORDED, value
        else:
            before, after = (None, value) if created else (value, None)
        changes.append(ModelChange(model_field.name, before, after))
    return changes


def _diff(old, new) -> list[ModelChange]:
    """diff_against covers editable fields; non-editable ones (the report's SHA-256) are added."""
    changes = list(new.diff_against(old, excluded_fields=NOISE_FIELDS).changes)
    for model_field in new.tracked_fields:
        if model_field.editable or model_field.name in NOISE_FIELDS:
            continue
        before, after = getattr(old, model_field.attname), getattr(new, model_field.attname)
        if before != after:
            changes.append(ModelChange(model_field.name, before, after))
    return changes


def _foreign_key_labels(model, deltas) -> dict[tuple[str, object], str]:
    """Names for the foreign keys that changed, one query per related model."""
    wanted: defaultdict[str, set] = defaultdict(set)
    for delta in deltas:
        for change in delta:
            fk = _foreign_key(model, change.field)
            if fk is not None:
                values = (change.old, change.new)
                wanted[change.field].update(v for v in values if v not in (None, UNRECORDED))
    labels = {}
    for name, ids in wanted.items():
        related = _foreign_key(model, name).related_model
        for obj in related._default_manager.filter(pk__in=ids):
            labels[(name, obj.pk)] = _user_label(obj) if hasattr(obj, "get_full_name") else str(obj)
    return labels


def _foreign_key(model, name: str):
    try:
        model_field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return model_field if model_field.many_to_one else None


def _change(model, change, labels) -> Change:
    model_field = model._meta.get_field(change.field)

    def show(value) -> str:
        if value is UNRECORDED:
            return "(not recorded)"
        if value is None or value == "":
            return "—"
        if model_field.many_to_one:
            return labels.get((change.field, value), f"#{value} (deleted)")
        if model_field.choices:
            return str(dict(model_field.flatchoices).get(value, value))
        if isinstance(value, dt.datetime):
            return day_time(value)
        if isinstance(value, dt.date):
            return day(value)
        if isinstance(value, dt.time):
            return f"{value:%H:%M}"
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, Decimal):
            # 12.5000 (a unit price's four places) reads 12.50: the places it needs, at least two.
            needed = -int(value.normalize().as_tuple().exponent)
            return number(value, max(min(2, model_field.decimal_places or 0), needed))
        return str(value)

    return Change(field=str(model_field.verbose_name), old=show(change.old), new=show(change.new))


def _user_label(user) -> str:
    if user is None:
        return "system"
    return user.get_full_name() or user.username
