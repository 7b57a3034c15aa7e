"""Planning a vendor import: scalar fields and the processes, certifications and centres lists."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django_countries import countries

from vendors.geography import is_time_zone, parse_languages
from vendors.importing.reading import Table
from vendors.importing.report import Errors, Plan, Progress, Report, classify, row_number
from vendors.importing.spec import CLEAR
from vendors.importing.validation import (
    blank_rows,
    created_values,
    duplicates,
    hint,
    integers,
    norm,
    required,
    show,
    take_clears,
)
from vendors.models import (
    Certification,
    DeliveryCentre,
    DeliveryModel,
    Process,
    Vendor,
    VendorCertification,
    VendorProcess,
)

# Vendors


VENDOR_SCALARS = [
    "country",
    "website",
    "description",
    "founded_year",
    "headcount",
    "languages",
    "is_active",
]
COLUMN_OF = {"is_active": "active"}  # model field -> file column, where they differ
LISTS = ("processes", "certifications", "centres")
_PROCESS_ITEM = re.compile(
    r"^(?P<name>[^:]+?)\s*(?::\s*(?:(?P<years>\d+)\s*y(?:ears?)?)?\s*/?\s*(?:(?P<refs>\d+)\s*refs?)?)?$",
    re.IGNORECASE,
)
_CERT_ITEM = re.compile(r"^(?P<name>.+?)(?:\s+until\s+(?P<date>\S+))?$", re.IGNORECASE)
_SEATS = re.compile(r"^(\d+)(?:\s*seats?)?$", re.IGNORECASE)
_TRUE = {"yes", "y", "true", "1", "active", ""}
_FALSE = {"no", "n", "false", "0", "inactive"}


def _country_map() -> dict[str, str]:
    mapping = {}
    for code, name in countries:
        mapping[code.casefold()] = code
        mapping[name.casefold()] = code
    return mapping


def _items(cell: str) -> list[str]:
    """A list cell's items: separated by semicolons or line breaks (Alt+Enter in a spreadsheet)."""
    return [item.strip() for item in re.split(r"[;\r\n]", cell) if item.strip()]


def _vendor_refs():
    processes = list(Process.objects.values_list("name", "slug", "id"))
    certs = list(Certification.objects.values_list("name", "slug", "id"))
    models = list(DeliveryModel.objects.values_list("code", "name", "id"))
    return {
        "process": (
            {norm(n): (i, n) for n, _, i in processes} | {norm(s): (i, n) for n, s, i in processes},
            [n for n, _, _ in processes],
        ),
        "certification": (
            {norm(n): (i, n) for n, _, i in certs} | {norm(s): (i, n) for n, s, i in certs},
            [n for n, _, _ in certs],
        ),
        "delivery model": (
            {norm(c): (i, c) for c, _, i in models} | {norm(n): (i, c) for c, n, i in models},
            [c for c, _, _ in models],
        ),
    }


def _find(refs, noun: str, value: str) -> tuple[int, str] | str:
    """(id, canonical name) or an error message with a suggestion."""
    mapping, names = refs[noun]
    found = mapping.get(norm(value))
    if found:
        return found
    return f'unknown {noun} "{value}"{hint(value, names)}'


def _parse_processes(cell: str, refs) -> tuple[list[dict], list[str]]:
    out, problems, seen = [], [], set()
    for item in _items(cell):
        match = _PROCESS_ITEM.match(item)
        if match is None:
            problems.append(f'cannot read "{item}"')
            continue
        found = _find(refs, "process", match["name"])
        if isinstance(found, str):
            problems.append(found)
            continue
        if found[0] in seen:
            problems.append(f'"{found[1]}" is listed twice')
            continue
        seen.add(found[0])
        out.append(
            {
                "process_id": found[0],
                "name": found[1],
                "years_experience": int(match["years"] or 0),
                "reference_clients": int(match["refs"] or 0),
            }
        )
    return out, problems


def _parse_certifications(cell: str, refs) -> tuple[list[dict], list[str]]:
    out, problems, seen = [], [], set()
    for item in _items(cell):
        match = _CERT_ITEM.match(item)
        if match is None:
            problems.append(f'cannot read "{item}"')
            continue
        found = _find(refs, "certification", match["name"])
        if isinstance(found, str):
            problems.append(found)
            continue
        until = None
        if match["date"]:
            try:
                until = (
                    dt.date.fromisoformat(match["date"])
                    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", match["date"])
                    else None
                )
            except ValueError:
                until = None
            if until is None:
                problems.append(f'"{match["date"]}" after {found[1]} is not a date as YYYY-MM-DD')
                continue
        if found[0] in seen:
            problems.append(f'"{found[1]}" is listed twice')
            continue
        seen.add(found[0])
        out.append({"certification_id": found[0], "name": found[1], "valid_until": until})
    return out, problems


def _parse_centre_place(item: str, zone: str | None, langs: str | None, problems: list[str]):
    """(time zone, languages) of a centre item: None where the item leaves them out (the stored
    value stays), "" where the part is there but empty (cleared)."""
    if zone and not is_time_zone(zone):
        problems.append(f'time zone "{zone}" in "{item}" is not an IANA name such as Europe/Warsaw')
        return None
    if langs:
        try:
            langs = ", ".join(parse_languages(langs))
        except ValueError as exc:
            problems.append(f'{exc} In "{item}".')
            return None
    return zone, langs


def _parse_centres(cell: str, refs, country_map) -> tuple[list[dict], list[str]]:
    out, problems, seen = [], [], set()
    for item in _items(cell):
        parts = [p.strip() for p in item.split(",")]
        if not 4 <= len(parts) <= 6:
            problems.append(
                f'"{item}" should be "city, country, delivery model, seats" and optionally '
                '", time zone, languages"'
            )
            continue
        city, country, model, seats = parts[:4]
        extra: list[str | None] = [*parts[4:], None, None]
        code = country_map.get(country.casefold())
        found = _find(refs, "delivery model", model)
        seat_match = _SEATS.match(seats)
        place = _parse_centre_place(item, extra[0], extra[1], problems)
        if place is None:
            continue
        if not city:
            problems.append(f'"{item}" has no city')
        elif code is None:
            problems.append(f'unknown country "{country}" in "{item}"')
        elif isinstance(found, str):
            problems.append(found)
        elif not seat_match:
            problems.append(f'seats "{seats}" in "{item}" is not a whole number')
        elif (code, city.casefold()) in seen:
            problems.append(f"{city}, {code} is listed twice")
        else:
            seen.add((code, city.casefold()))
            out.append(
                {
                    "city": city,
                    "country": code,
                    "delivery_model_id": found[0],
                    "model": found[1],
                    "seats": int(seat_match[1]),
                    "time_zone": place[0],
                    "languages": place[1],
                }
            )
    return out, problems


def _keep_centre_places(items: list[dict], before: list[dict]) -> list[dict]:
    """Fill a centre's left-out time zone and languages from the stored centre of that city."""
    stored = {(i["city"].casefold(), i["country"]): i for i in before}
    for item in items:
        old = stored.get((item["city"].casefold(), item["country"]), {})
        for field in ("time_zone", "languages"):
            if item[field] is None:
                item[field] = old.get(field, "")
    return items


def _centre_text(item: dict) -> str:
    text = f"{item['city']}, {item['country']}, {item['model']}, {item['seats']} seats"
    zone, langs = item.get("time_zone") or "", (item.get("languages") or "").replace(",", "")
    if zone or langs:
        text += f", {zone}" + (f", {langs}" if langs else "")
    return text


def _list_text(name: str, items: list[dict]) -> str:
    """A list in the file's own notation, sorted, so old and new compare as text."""
    if name == "processes":
        parts = sorted(
            f"{i['name']}: {i['years_experience']}y/{i['reference_clients']} refs" for i in items
        )
    elif name == "certifications":
        parts = sorted(
            i["name"] + (f" until {i['valid_until']:%Y-%m-%d}" if i["valid_until"] else "")
            for i in items
        )
    else:
        parts = sorted(_centre_text(i) for i in items)
    return "; ".join(parts)


# Ids per `pk__in` query: under SQLite's historical limit of 999 bound variables.
ID_CHUNK = 900


def _chunks(ids: list[int]) -> list[list[int]]:
    return [ids[start : start + ID_CHUNK] for start in range(0, len(ids), ID_CHUNK)]


def _stored_vendors(keys) -> tuple[dict[str, int], dict[str, Vendor]]:
    """Every stored vendor's casefolded name -> pk (cheap tuples), and the full rows of only those
    the file names. Matched in Python: SQLite's lower() folds ASCII only."""
    # In the vendors' order (by name), so of two names that fold alike the last one wins, as before.
    pk_of = {name.casefold(): pk for pk, name in Vendor.objects.values_list("pk", "name")}
    wanted = {key: pk_of[key] for key in keys if key in pk_of}
    rows: dict[int, Vendor] = {}
    for chunk in _chunks(sorted(wanted.values())):
        rows.update(Vendor.objects.in_bulk(chunk))
    return pk_of, {key: rows[pk] for key, pk in wanted.items() if pk in rows}


def _existing_lists(vendor_ids: list[int], names: list[str]) -> dict[int, dict[str, list[dict]]]:
    """The stored lists ``names`` of the vendors ``vendor_ids`` (a list no row fills is not read)."""
    lists: dict[int, dict[str, list[dict]]] = defaultdict(lambda: {n: [] for n in LISTS})
    for chunk in _chunks(vendor_ids):
        if "processes" in names:
            for vp in VendorProcess.objects.filter(vendor_id__in=chunk).values(
                "vendor_id", "process__name", "years_experience", "reference_clients"
            ):
                lists[vp["vendor_id"]]["processes"].append(
                    {
                        "name": vp["process__name"],
                        "years_experience": vp["years_experience"],
                        "reference_clients": vp["reference_clients"],
                    }
                )
        if "certifications" in names:
            certifications = VendorCertification.objects.filter(vendor_id__in=chunk)
            for vc in certifications.values("vendor_id", "certification__name", "valid_until"):
                lists[vc["vendor_id"]]["certifications"].append(
                    {"name": vc["certification__name"], "valid_until": vc["valid_until"]}
                )
        if "centres" in names:
            for c in DeliveryCentre.objects.filter(vendor_id__in=chunk).values(
                "vendor_id",
                "city",
                "country",
                "delivery_model__code",
                "seats",
                "time_zone",
                "languages",
            ):
                lists[c["vendor_id"]]["centres"].append(
                    {
                        "city": c["city"],
                        "country": c["country"],
                        "model": c["delivery_model__code"],
                        "seats": c["seats"],
                        "time_zone": c["time_zone"],
                        "languages": c["languages"],
                    }
                )
    return lists


def _removed(name: str, before: list[dict], after: list[dict]) -> list[dict]:
    """Items of the stored list that the file's list no longer has (a changed item is not removed)."""
    identity = {
        "processes": lambda i: i["name"],
        "certifications": lambda i: i["name"],
        "centres": lambda i: (i["city"].casefold(), i["country"]),
    }[name]
    kept = {identity(i) for i in after}
    return [i for i in before if identity(i) not in kept]


def _created(fields: dict, lists: dict[str, list[dict]]) -> list[tuple[str, str, str]]:
    listed = [(n, "", text) for n, items in lists.items() if (text := _list_text(n, items))]
    return created_values(fields) + listed


def plan_vendors(table: Table, report: Report, errors: Errors, progress: Progress) -> Plan:
    frame, clears = take_clears(table.frame, table.kind)
    blanks = blank_rows(table.frame)
    if "active" in clears:
        errors.add_mask(
            table.frame,
            clears.pop("active"),
            "active",
            lambda v: f'"{v}" cannot clear active: write yes or no',
        )
    pk_of, existing = _stored_vendors(frame["name"].str.casefold().unique().tolist())
    stored = frame["name"].str.casefold().isin(pk_of)
    for column in table.kind.required:
        if column == "name":
            required(frame, column, errors)
            continue
        # A stored vendor keeps the value of an empty cell; a new one needs it, and "-" cannot
        # clear it.
        cleared = table.frame[column] == CLEAR
        needed = frame[column].where(~stored | cleared, "kept")
        errors.add_mask(frame, needed == "", column, lambda v: "is required")
    country_map = _country_map()
    countries_ = frame["country"].str.casefold().map(country_map)
    errors.add_mask(
        frame,
        (frame["country"] != "") & countries_.isna(),
        "country",
        lambda v: f'unknown country "{v}" (use an ISO 3166 code such as PH or an English name)',
    )
    long_names = frame["name"].str.len() > 200
    errors.add_mask(frame, long_names, "name", lambda v: "is longer than 200 characters")
    values: dict[str, list] = {"country": countries_.tolist()}
    if "founded_year" in frame:
        values["founded_year"] = integers(frame, "founded_year", errors, minimum=1800, maximum=2100)
    if "headcount" in frame:
        values["headcount"] = integers(frame, "headcount", errors)
    if "active" in frame:
        flags = frame["active"].str.casefold()
        bad = ~flags.isin(_TRUE | _FALSE)
        errors.add_mask(frame, bad, "active", lambda v: f'"{v}" is not yes or no')
        values["is_active"] = flags.isin(_TRUE).tolist()
    for column in ("description", "languages"):
        if column in frame:
            values[column] = frame[column].tolist()
    if "languages" in frame:
        errors.add_mask(
            frame,
            frame["languages"].str.len() > 300,
            "languages",
            lambda v: "is longer than 300 characters",
        )
    if "website" in frame:
        check_url = URLValidator()
        for index, url in frame.loc[frame["website"] != "", "website"].items():
            try:
                check_url(url)
            except ValidationError:
                errors.add(
                    row_number(index),
                    "website",
                    f'"{url}" is not a full URL such as https://example.com',
                )
        values["website"] = frame["website"].tolist()
    keys = frame["name"].str.casefold().to_frame()
    duplicates(frame, keys, frame["name"] != "", "name", lambda k: f'vendor "{k[0]}"', errors)

    refs = _vendor_refs()
    parsers = {
        "processes": lambda cell: _parse_processes(cell, refs),
        "certifications": lambda cell: _parse_certifications(cell, refs),
        "centres": lambda cell: _parse_centres(cell, refs, country_map),
    }
    lists_present = [name for name in LISTS if name in frame]
    parsed_lists: dict[str, list] = {}
    for name in lists_present:
        parsed_lists[name] = []
        for index, cell in frame[name].items():
            items, problems = parsers[name](cell)
            for problem in problems:
                errors.add(row_number(index), name, problem)
            parsed_lists[name].append(items)

    filled = [n for n in lists_present if len(blanks.get(n, ())) < len(frame)]
    existing_lists = _existing_lists([v.pk for v in existing.values()], filled)
    scalars = [c for c in VENDOR_SCALARS if c in values]
    columns = {f: COLUMN_OF.get(f, f) for f in scalars}
    plan = Plan(update_fields=set(), children={name: {} for name in lists_present})
    now = timezone.now()
    names = frame["name"].tolist()
    for position, index in enumerate(
        progress(frame.index.tolist(), total=len(frame), desc="Checking")
    ):
        row = row_number(index)
        if row in errors.rows:
            continue
        name = names[position]
        # An empty cell keeps the stored value; "-" was emptied by take_clears, so it clears it.
        fields = {
            f: values[f][position] for f in scalars if position not in blanks.get(columns[f], ())
        }
        lists = {
            n: parsed_lists[n][position] for n in lists_present if position not in blanks.get(n, ())
        }
        old = existing.get(name.casefold())
        if "centres" in lists:
            before_centres = existing_lists[old.pk]["centres"] if old is not None else []
            lists["centres"] = _keep_centre_places(lists["centres"], before_centres)
        if old is None:
            shown = _created(fields, lists) if report.shows_more else None
            classify(report, row, name, None, created=shown)
            plan.creates.append(Vendor(name=name, **fields))
            for n, items in lists.items():
                plan.children[n][name] = items
            continue
        changes = []
        if old.name != name:
            changes.append(("name", old.name, name))
        for f, v in fields.items():
            before = getattr(old, f)
            before = before.code if f == "country" else before
            if before != v:
                changes.append((f, show(before), show(v)))
                if columns[f] in clears and clears[columns[f]].iat[position]:
                    report.add_deletion(row, name, columns[f], f'"{show(before)}"')
        for n, items in lists.items():
            before_items = existing_lists[old.pk][n]
            before, after = _list_text(n, before_items), _list_text(n, items)
            if before != after:
                changes.append((n, before, after))
                plan.children[n][name] = items
                if removed := _removed(n, before_items, items):
                    report.add_deletion(row, name, n, _list_text(n, removed))
        classify(report, row, name, changes)
        if changes:
            old.name = name
            for f, v in fields.items():
                setattr(old, f, v)
            old.updated_at = now
            plan.updates.append(old)
            plan.update_fields.update(f for f, _, _ in changes if f not in LISTS)
    plan.update_fields.add("updated_at")
    return plan
