"""The snapshot: a :class:`~scoring.decision.Decision` serialised to JSON data, and back.

Approval freezes :func:`build_snapshot`; pages, the PDF and the exports of an approved evaluation
render :func:`frozen_decision`. Schema 1 snapshots (an untyped dict, before the decision was one
value) are converted on read by :func:`from_schema_1`, schema 2 ones (catalogue criteria only,
relative scores) by :func:`from_schema_2`. Schema 3 ones (before the cost schedule and the
in-house baseline) load as they are: their TCO lines have no schedule and no savings, and the
evaluation the default cost terms (160 hours per FTE-month, no discounting) they were computed with.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import types
import typing
from decimal import Decimal
from enum import Enum

from scoring import decision as decisions
from scoring import facts, scales
from scoring.decision import Decision, RankedRow, decide
from scoring.facts import DecisionInputs

ID_CHARS = 12


# --------------------------------------------------------------------------- generic (de)serialising


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _dump(value):
    # Most values are plain or one of a few dataclasses: those first, by exact type (a snapshot
    # holds thousands of them, and pages hash their inputs on every view).
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return value
    names = _FIELD_NAMES.get(kind)
    if names is None and dataclasses.is_dataclass(kind):
        names = _FIELD_NAMES[kind] = tuple(f.name for f in dataclasses.fields(kind))
    if names is not None:
        return {name: _dump(getattr(value, name)) for name in names}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):  # datetimes too
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_dump(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _dump(item) for key, item in value.items()}
    if isinstance(value, float) and value != value:
        return None  # JSON has no NaN
    return value


def _load(kind, data):
    if data is None:
        return None
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        (inner,) = [arg for arg in typing.get_args(kind) if arg is not type(None)]
        return _load(inner, data)
    if origin is tuple:
        inner = typing.get_args(kind)[0]
        return tuple(_load(inner, item) for item in data)
    if origin is dict:
        key_type, value_type = typing.get_args(kind)
        return {key_type(key): _load(value_type, item) for key, item in data.items()}
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        hints = typing.get_type_hints(kind)
        return kind(
            **{
                f.name: _load(hints[f.name], data[f.name])
                for f in dataclasses.fields(kind)
                if f.name in data
            }
        )
    if kind is Decimal:
        return Decimal(data)
    if kind is dt.datetime:
        return dt.datetime.fromisoformat(data)
    if kind is dt.date:
        return dt.date.fromisoformat(data)
    if isinstance(kind, type) and issubclass(kind, Enum):
        return kind(data)
    if kind is float:
        return float(data)
    return data


def content_id(decision: Decision) -> str:
    """A hash of everything the decision says, so two documents can be matched to one snapshot.

    Not of when it was read: the same inputs give the same id, so a page, its PDF and its exports
    taken a minute apart show one id until something changes.
    """
    return _id_of(_dump(dataclasses.replace(decision, id="")))


def _id_of(body: dict) -> str:
    """The content id of a decision dumped with no id (left unchanged)."""
    body = dict(body)
    if isinstance(body.get("inputs"), dict):
        body["inputs"] = {k: v for k, v in body["inputs"].items() if k != "taken_at"}
    # The cited answers annotate the decision without changing it: a page (which does not
    # gather them) and its PDF share one id.
    body.pop("evidence", None)
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:ID_CHARS]


# The evaluation's record of its workflow: nothing is decided from these, so submitting or
# approving does not make a decision (and its cached draws) new.
WORKFLOW_FIELDS = (
    "status",
    "status_label",
    "version",
    "approver",
    "decided_at",
    "decision_comment",
)


def decided_from_id(decision: Decision) -> str:
    """A hash of what `decision` was decided from: its inputs (not when they were read, nor the
    evaluation's workflow fields), weights and method. `decide` is deterministic, so the same hash
    means the same decision; cheaper than content_id, which hashes the results too (a page asks
    for it on every view)."""
    inputs = _dump(decision.inputs)
    inputs.pop("taken_at", None)
    for name in WORKFLOW_FIELDS:
        inputs["evaluation"].pop(name)
    body = [inputs, decision.weights, decision.method, decision.what_if]
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def with_id(decision: Decision) -> Decision:
    return decision if decision.id else dataclasses.replace(decision, id=content_id(decision))


def to_snapshot(decision: Decision) -> dict:
    """JSON-safe data with the schema version and the snapshot id."""
    if decision.id:
        return _dump(decision)
    # Dumped once (a large decision's dump is most of an approval's own time), then given its id.
    body = _dump(decision)
    body["id"] = _id_of(body)
    return body


def from_snapshot(data: dict) -> Decision:
    """The Decision a snapshot holds, whatever its schema."""
    schema = data.get("schema", 1)
    if schema == 1:
        return from_schema_1(data)
    if schema == 2:
        return from_schema_2(data)
    # Schema 3 had no blended delivery or cost risk: the fields' defaults (none) say exactly that.
    if schema not in (3, decisions.SCHEMA):
        raise ValueError(f"Unknown snapshot schema {schema!r}.")
    return _load(Decision, data)


# --------------------------------------------------------------------------- Django side


def build_snapshot(evaluation) -> dict:
    """Every input and result of ``evaluation`` as of now, serialised (what approval freezes)."""
    return to_snapshot(_with_cited(evaluation, approval_decision(evaluation)))


def approval_decision(evaluation) -> Decision:
    """The decision approving ``evaluation`` now would freeze, with its draws.

    The draws are deterministic and cached under what the decision is decided from, so approval
    takes the ones a ranking view, or the task started when the evaluation went to review, made
    for the same inputs (scoring.tasks.draw_for_review), and draws them itself only otherwise.
    """
    from scoring import stability
    from scoring.selectors import decision_inputs

    return stability.drawn(decide(decision_inputs(evaluation), sensitivity=False))


def _with_cited(evaluation, decision: Decision) -> Decision:
    """The decision with the RFP answers its decisive scores cite (sourcing's citations)."""
    from scoring.reports.evidence import with_evidence
    from sourcing.answer_scores import cited_answers  # sourcing builds on scoring

    return with_evidence(decision, cited_answers(evaluation, decision))


def frozen_decision(evaluation) -> Decision | None:
    """The decision an approved evaluation was approved with (None while it is not approved)."""
    if evaluation.status != "approved" or not evaluation.snapshot:
        return None
    return from_snapshot(evaluation.snapshot)


def decision_for(evaluation, viewer) -> Decision:
    """The frozen decision of an approved evaluation, a fresh one (with its id) otherwise, as
    ``viewer`` may see it (blind scoring; None: everything, for the archive)."""
    from scoring.selectors import evaluation_decision

    decision = evaluation_decision(evaluation, viewer=viewer)
    if decision.evidence is None and not decision.approved:
        decision = _with_cited(evaluation, decision)
    return with_id(decision)


# --------------------------------------------------------------------------- schema 2


def from_schema_2(data: dict) -> Decision:
    """A schema 2 snapshot (before criteria per evaluation): every criterion was a catalogue one
    (manual or cost, no unit, bounds or rubric: the dataclass defaults) and every score relative to
    the shortlist, which the scale sentence now says; figures are kept exactly as stored."""
    decision = _load(Decision, data)
    return dataclasses.replace(
        decision,
        scale=scales.RELATIVE,
        scale_sentence=scales.scale_sentence(
            decision.used_criteria, decision.evaluation, decision.method
        ),
    )


# --------------------------------------------------------------------------- schema 1


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value[:10]) if value else None


def _ids(names) -> dict[str, int]:
    return {name: index for index, name in enumerate(sorted(set(names)), start=1)}


def _schema_1_inputs(data: dict) -> DecisionInputs:
    ev = data["evaluation"]
    vendors = data["vendors"]
    certs = _ids(
        [c["name"] for v in vendors for c in v["certifications"]]
        + list(ev.get("required_certifications", []))
    )
    models = _ids(
        [c["delivery_model"] for v in vendors for c in v["centres"]]
        + list(ev.get("allowed_delivery_models", []))
    )
    taken_at = dt.datetime.fromisoformat(data["taken_at"])
    evaluation = facts.EvaluationFacts(
        id=ev["id"],
        title=ev["title"],
        process=ev["process"],
        owner=ev["owner"],
        team=tuple(ev.get("team", [])),
        base_currency=ev["base_currency"],
        volume=Decimal(ev["volume"]),
        volume_unit=next(
            (code for code, words in _VOLUME_LABELS.items() if words == ev["volume_unit"]),
            ev["volume_unit"],
        ),
        volume_label=ev["volume_unit"],
        term_months=ev["term_months"],
        budget_cap=Decimal(ev["budget_cap"]) if ev.get("budget_cap") else None,
        method=ev["method"],
        method_label=ev["method_label"],
        status=ev["status"],
        status_label=ev["status_label"],
        version=ev["version"],
        approver=ev.get("approver", ""),
        decided_at=dt.datetime.fromisoformat(ev["decided_at"]) if ev.get("decided_at") else None,
        decision_comment=ev.get("decision_comment", ""),
        required_certifications=tuple(
            facts.Named(certs[name], name) for name in ev.get("required_certifications", [])
        ),
        allowed_delivery_models=tuple(
            facts.Named(models[name], name) for name in ev.get("allowed_delivery_models", [])
        ),
    )
    return DecisionInputs(
        evaluation=evaluation,
        criteria=tuple(
            facts.CriterionInfo(
                index,
                c["key"],
                c["name"],
                c["description"],
                c["direction"],
                c["source"],
                c["weight"] or 0.0,
            )
            for index, c in enumerate(data["criteria"], start=1)
        ),
        vendors=tuple(
            facts.VendorInfo(
                id=v["id"],
                name=v["name"],
                country=v["country"],
                country_name=v["country_name"],
                website=v["website"],
                description=v["description"],
                founded_year=v["founded_year"],
                headcount=v["headcount"],
                languages=tuple(x.strip() for x in (v["languages"] or "").split(",") if x.strip()),
                active=v["active"],
                certifications=tuple(
                    facts.Certificate(certs[c["name"]], c["name"], _day(c["valid_until"]))
                    for c in v["certifications"]
                ),
                centres=tuple(
                    facts.Centre(
                        c["country"],
                        c["country"],
                        c["city"],
                        c["seats"],
                        models[c["delivery_model"]],
                        c["delivery_model"],
                        "",
                    )
                    for c in v["centres"]
                ),
            )
            for v in vendors
        ),
        candidates=tuple(facts.CandidateEntry(v["id"], v["excluded_reason"]) for v in vendors),
        quotes=tuple(
            facts.QuoteInfo(
                vendor_id=q["vendor_id"],
                delivery_model=q["delivery_model"],
                pricing_model=q["pricing_model"],
                pricing_model_label=q["pricing_model_label"],
                unit_price=Decimal(q["unit_price"]),
                currency=q["currency"],
                transition_fee=Decimal(q["transition_fee"] or 0),
                minimum_term_months=q.get("minimum_term_months"),
                valid_until=_day(q.get("valid_until")),
                service_level_pct=_decimal(q.get("service_level_pct")),
                quality_pct=_decimal(q.get("quality_pct")),
                response_time_hours=_decimal(q.get("response_time_hours")),
                notes=q.get("notes", ""),
            )
            for q in data["quotes"]
        ),
        rates=tuple(
            facts.Rate(r["currency"], r["base_currency"], Decimal(r["rate"]), _day(r["as_of"]))
            for r in data["exchange_rates"]
        ),
        scores=tuple(
            facts.ScoreEntry(
                s["vendor_id"], s["criterion"], s["evaluator"], Decimal(s["value"]), s["comment"]
            )
            for s in data["scores"]
        ),
        today=taken_at.date(),
        taken_at=taken_at,
    )


_VOLUME_LABELS = {
    "fte": "FTEs",
    "hours": "hours per month",
    "transactions": "transactions per month",
}


def _decimal(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(value)


def from_schema_1(data: dict) -> Decision:
    """A schema 1 snapshot as a Decision: statuses, cells and sentences are re-derived from its
    frozen inputs (so old false sentences are not repeated); the signed ranking, TCO and
    sensitivity figures are kept exactly as stored."""
    inputs = _schema_1_inputs(data)
    fresh = decide(inputs, sensitivity=False)
    names = {v.id: v.name for v in inputs.vendors}
    stored_tco = {t["vendor_id"]: t for t in data["tco"]}
    tco = tuple(
        dataclasses.replace(
            line,
            tco=_decimal(stored_tco[line.vendor_id]["tco"]),
            problem=stored_tco[line.vendor_id]["problem"],
            expired=stored_tco[line.vendor_id]["expired"],
        )
        if line.vendor_id in stored_tco
        else line
        for line in fresh.tco
    )
    tco_of = {line.vendor_id: line.tco for line in tco}
    additive = fresh.method == "wsm"
    share = {s["vendor_id"]: s["first_share"] for s in data["sensitivity"]["stability"]}
    fresh_rows = {row.vendor_id: row for row in fresh.ranking}
    ranking = tuple(
        RankedRow(
            vendor_id=r["vendor_id"],
            name=names.get(r["vendor_id"], f"Vendor {r['vendor_id']}"),
            rank=r["rank"],
            score=r["score"],
            tco=tco_of.get(r["vendor_id"]),
            contributions=r["contributions"] if additive else None,
            ideal_distance=getattr(fresh_rows.get(r["vendor_id"]), "ideal_distance", None),
            anti_distance=getattr(fresh_rows.get(r["vendor_id"]), "anti_distance", None),
            first_share=share.get(r["vendor_id"]),
        )
        for r in data["ranking"] or []
    )
    ranked = {row.vendor_id for row in ranking}
    candidates = tuple(
        dataclasses.replace(c, status=decisions.Status.RANKED, reasons=())
        if c.vendor_id in ranked
        else c
        for c in fresh.candidates
    )
    sensitivity = data["sensitivity"]
    criterion_names = {c.key: c.name for c in inputs.criteria}
    decision = dataclasses.replace(
        fresh,
        tco=tco,
        ranking=ranking,
        candidates=candidates,
        weights={c["key"]: c["weight"] or 0.0 for c in data["criteria"]},
        sensitivity=tuple(
            decisions.SensitivityLine(
                s["criterion"],
                criterion_names.get(s["criterion"], s["criterion"]),
                s["weight"],
                s["increase"],
                s["increase_leader"],
                s["decrease"],
                s["decrease_leader"],
            )
            for s in sensitivity["weights"]
        ),
        stability=tuple(
            decisions.StabilityLine(
                s["vendor_id"], names.get(s["vendor_id"], ""), s["first_share"], s["mean_rank"]
            )
            for s in sensitivity["stability"]
        ),
        id=data["id"],
    )
    return dataclasses.replace(decision, warnings=tuple(decisions.warnings_for(decision)))
