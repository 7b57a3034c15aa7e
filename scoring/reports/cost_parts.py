"""The blended-delivery and cost-risk parts of the TCO page, the ranking page and the PDF, built
once from the decision (the templates only print them): the mix bars, each vendor's mix in words,
the share bounds, and the cost-risk table with its sentences."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from scoring import blending, charts
from scoring.decision import Decision
from scoring.decision_risk import RiskLine, risk_sentences
from vendors.templatetags.formatting import money, number

CHART_ROWS = 25


@dataclass(frozen=True)
class MixRow:
    vendor_id: int
    name: str
    sentence: str
    feasible: bool


@dataclass(frozen=True)
class BlendPart:
    bounds: str  # the share bounds in words
    rule: str  # how a mix is chosen, in words (seats count only for volumes in FTEs or hours)
    rows: tuple[MixRow, ...]  # competing vendors whose TCO is a mix, cheapest first
    chart: str | None  # the feasible mixes' stacked bars, an SVG data: URI


@dataclass(frozen=True)
class RiskPart:
    sentences: tuple[str, ...]
    lines: tuple[RiskLine, ...]
    draws: int


def blend_part(decision: Decision) -> BlendPart | None:
    """None when neither the evaluation bounds the shares nor any quote prices several models."""
    competing = set(decision.competing)
    lines = [t for t in decision.tco if t.mix is not None and t.vendor_id in competing]
    if not lines and not decision.evaluation.share_bounds:
        return None
    rows = []
    for line in lines:
        assert line.mix is not None
        currency = decision.quotes[line.vendor_id].currency

        def price(amount: Decimal | None, currency=currency) -> str:
            return "—" if amount is None else money(amount, currency)

        rows.append(
            MixRow(
                line.vendor_id, line.name, blending.mix_sentence(line.mix, price), line.mix.feasible
            )
        )
    feasible = [line for line in lines if line.mix is not None and line.mix.feasible][:CHART_ROWS]
    chart = None
    if feasible:
        frame = pd.DataFrame(
            [
                {s.name: float(s.share) * 100 for s in line.mix.shares}
                for line in feasible
                if line.mix
            ],
            index=[line.name for line in feasible],
        )
        chart = charts.as_data_uri(charts.mix_chart(frame, title="Delivery mix per vendor"))
    ev = decision.evaluation
    seats = (
        "within them and its centres' seats (one seat per FTE"
        + (f", {number(ev.hours_per_fte, 0)} hours each)" if ev.volume_unit == "hours" else ")")
        if ev.volume_unit in ("fte", "hours")
        else "within them (seats are not compared with a volume in transactions)"
    )
    rule = (
        "A vendor that prices several delivery models, or must meet these bounds, is costed at its "
        f"cheapest mix {seats}."
    )
    return BlendPart(blending.bounds_sentence(ev), rule, tuple(rows), chart)


def risk_part(decision: Decision) -> RiskPart:
    risk = decision.cost_risk
    if risk is None:
        said = (
            (
                "This evaluation was approved before cost risk was computed; its signed figures stand.",
            )
            if decision.approved
            else (
                "Cost risk is drawn with the sensitivity analysis; it is not available here yet.",
            )
        )
        return RiskPart(said, (), 0)
    base = decision.evaluation.base_currency
    return RiskPart(tuple(risk_sentences(risk, base)), risk.lines, risk.draws)
