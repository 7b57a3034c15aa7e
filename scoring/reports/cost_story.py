"""What a decision's costs say in words and pictures: the cost assumptions, each quote's terms,
the savings against in-house, the schedule by contract year and its chart.

Pure: a :class:`~scoring.decision.Decision` in, strings, rows and SVG out. The TCO page, the
ranking page and the PDF all print these, so each sentence is written (and tested) once.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from babel.numbers import format_decimal

from scoring import charts
from scoring.business_case import Savings
from scoring.costs import CostSchedule
from scoring.decision import Decision
from scoring.facts import money_text, plural
from vendors.templatetags.formatting import day

CHART_LINES = 6  # vendors drawn on the schedule chart, cheapest first


def pct_text(value: Decimal) -> str:
    """5 -> "5 %", 4.5 -> "4.5 %" (as many decimals as the figure has, up to two)."""
    return f"{format_decimal(abs(Decimal(value)), format='#,##0.##', locale='en_US')} %"


def share_text(value: Decimal) -> str:
    """A savings percentage, always with one decimal: "35.0 %"."""
    return f"{format_decimal(abs(Decimal(value)), format='#,##0.0', locale='en_US')} %"


def _hours(value: Decimal) -> str:
    return format_decimal(Decimal(value), format="#,##0.##", locale="en_US")


def assumptions(decision: Decision) -> list[str]:
    """The evaluation-wide cost assumptions, one sentence each."""
    ev = decision.evaluation
    currency = ev.base_currency
    out = [f"Hours convert at {_hours(ev.hours_per_fte)} hours per FTE-month."]
    if ev.discount_rate:
        out.append(
            f"Each month's payment is discounted to present value at {pct_text(ev.discount_rate)} "
            "a year; the transition fee is paid up front and not discounted."
        )
    else:
        out.append("Payments are added up as invoiced (no discounting).")
    quoted = {q.currency.upper() for q in decision.inputs.quotes} - {currency.upper()}
    rates = [r for r in decision.inputs.rates if r.currency.upper() in quoted]
    if rates:
        parts = [
            f"{format_decimal(r.rate, format='#,##0.0###', locale='en_US')} {currency} per "
            f"{r.currency}" + (f" (as of {day(r.as_of)})" if r.as_of else "")
            for r in rates
        ]
        out.append(f"Converted into {currency} at " + ", ".join(parts) + ".")
    elif decision.inputs.quotes:
        out.append(f"Every quote is in {currency}: nothing is converted.")
    out.append(baseline_sentence(decision))
    return out


def baseline_sentence(decision: Decision) -> str:
    ev = decision.evaluation
    baseline = ev.baseline
    if baseline is None or decision.in_house is None:
        return "No in-house baseline is recorded, so no savings against in-house are shown."
    currency = ev.base_currency
    text = (
        f"In-house: {format_decimal(baseline.ftes, format='#,##0.##', locale='en_US')} FTEs at "
        f"{money_text(baseline.loaded_cost_per_fte_month, currency)} per FTE-month"
    )
    if baseline.monthly_overheads:
        text += f" plus {money_text(baseline.monthly_overheads, currency)} overheads a month"
    if baseline.annual_wage_inflation:
        rise = "rising" if baseline.annual_wage_inflation > 0 else "falling"
        text += f", wages {rise} {pct_text(baseline.annual_wage_inflation)} a year"
    if baseline.exit_costs:
        text += f", {money_text(baseline.exit_costs, currency)} exit costs at the end"
    total = money_text(decision.in_house.total, currency)
    return f"{text}: {total} over the {ev.term_months}-month term."


def quote_terms(decision: Decision, vendor_id: int) -> list[str]:
    """A quote's terms that change its cost beyond price x volume x term, in words."""
    quote = decision.quotes.get(vendor_id)
    if quote is None:
        return []
    ev = decision.evaluation
    out = []
    if quote.minimum_term_months and quote.minimum_term_months > ev.term_months:
        out.append(
            f"Billed {quote.minimum_term_months} months: the vendor's minimum term is longer "
            f"than the {ev.term_months}-month contract."
        )
    if quote.annual_escalation:
        verb = "rise" if quote.annual_escalation > 0 else "fall"
        out.append(
            f"Prices {verb} {pct_text(quote.annual_escalation)} at the start of each contract year."
        )
    if quote.exit_fee:
        out.append(f"Exit fee {money_text(quote.exit_fee, quote.currency)} at the end.")
    return out


def break_even_text(savings: Savings) -> str:
    if savings.break_even_month is None:
        return "never breaks even within the term"
    return f"breaks even in month {savings.break_even_month}"


def savings_text(savings: Savings, currency: str) -> str:
    """ "saves €380,000 (31.7 %); breaks even in month 5" """
    amount = money_text(abs(savings.amount), currency)
    share = f" ({share_text(savings.percent)})" if savings.percent is not None else ""
    if savings.amount > 0:
        head = f"saves {amount}{share}"
    elif savings.amount < 0:
        head = f"costs {amount}{share} more than in-house"
    else:
        head = "costs the same as in-house"
    return f"{head}; {break_even_text(savings)}"


def savings_sentence(decision: Decision) -> str:
    """The executive summary's business case: the recommended vendor (else the cheapest) against
    in-house, and how many vendors cost less. Empty without a baseline."""
    if decision.in_house is None:
        return ""
    ev = decision.evaluation
    currency = ev.base_currency
    in_house = money_text(decision.in_house.total, currency)
    competing = set(decision.competing)
    lines = [t for t in decision.tco if t.savings is not None and t.vendor_id in competing]
    opening = (
        f"Running the process in-house would cost {in_house} over the {ev.term_months}-month term"
    )
    if not lines:
        return f"{opening}; no competing vendor has a TCO to compare with it yet."
    leader = decision.leader
    chosen = next((t for t in lines if leader and t.vendor_id == leader.vendor_id), lines[0])
    if leader is None or chosen.vendor_id != leader.vendor_id:
        role = "the cheapest vendor"
    elif decision.what_if or [r for r in decision.ranking[1:] if r.rank == leader.rank]:
        role = "ranked first"  # a what-if or a tie ranks but recommends nothing
    else:
        role = "the recommended vendor"
    assert chosen.savings is not None
    text = f"{opening}: {chosen.name}, {role}, {savings_text(chosen.savings, currency)}."
    cheaper = [t for t in lines if t.savings is not None and t.savings.cheaper]
    if len(lines) == 1:
        text += " It is the only vendor with a TCO."
    elif not cheaper:
        text += f" All {len(lines)} vendors with a TCO cost more than in-house."
    elif len(cheaper) == len(lines):
        text += f" All {len(lines)} vendors with a TCO cost less than in-house."
    else:
        text += (
            f" {plural(len(cheaper), 'vendor', 'vendors')} of the {len(lines)} with a TCO "
            f"{'costs' if len(cheaper) == 1 else 'cost'} less than in-house."
        )
    return text


# --------------------------------------------------------------------------- by contract year


@dataclass(frozen=True)
class YearRow:
    """One line of the schedule-by-year table: a vendor (or in-house), cost per contract year."""

    name: str
    years: tuple[Decimal, ...]  # present value per year, cents
    total: Decimal
    in_house: bool = False


def contract_years(decision: Decision) -> int:
    schedules = [t.schedule for t in decision.tco if t.schedule is not None]
    if decision.in_house is not None:
        schedules.append(decision.in_house)
    months = max((s.billed_months for s in schedules), default=0)
    return max(-(-months // 12), 1)


def _by_year(schedule: CostSchedule, years: int) -> tuple[Decimal, ...]:
    return tuple(y.discounted.quantize(Decimal("0.01")) for y in schedule.by_year(years))


def year_rows(decision: Decision) -> list[YearRow]:
    """Competing vendors with a schedule, cheapest first, then the in-house baseline."""
    years = contract_years(decision)
    competing = set(decision.competing)
    rows = [
        YearRow(t.name, _by_year(t.schedule, years), t.schedule.total)
        for t in decision.tco
        if t.schedule is not None and t.vendor_id in competing
    ]
    if decision.in_house is not None:
        rows.append(
            YearRow("In-house", _by_year(decision.in_house, years), decision.in_house.total, True)
        )
    return rows


def _running(values: tuple[Decimal, ...]) -> list[float]:
    total, out = Decimal(0), [0.0]
    for value in values:
        total += value
        out.append(float(total))
    return out


def schedule_chart(decision: Decision) -> str | None:
    """Cumulative cost by contract year of the cheapest competing vendors, the in-house line and
    the budget cap; None when no vendor has a schedule."""
    rows = [r for r in year_rows(decision) if not r.in_house][:CHART_LINES]
    if not rows:
        return None
    ev = decision.evaluation
    in_house = next((r for r in year_rows(decision) if r.in_house), None)
    cap = float(ev.budget_cap) if ev.budget_cap is not None else None
    return charts.cumulative_chart(
        {row.name: _running(row.years) for row in rows},
        title=f"Cumulative cost by contract year ({ev.base_currency})",
        xlabel="End of contract year",
        reference=("In-house", _running(in_house.years)) if in_house else None,
        line_at=cap,
        line_label=f"Budget cap {money_text(ev.budget_cap, ev.base_currency)}"
        if ev.budget_cap is not None
        else "",
    )


def chart_description(decision: Decision) -> str:
    """The chart's text alternative: what each line reaches by the end."""
    rows = year_rows(decision)
    shown = [r for r in rows if not r.in_house][:CHART_LINES] + [r for r in rows if r.in_house]
    currency = decision.evaluation.base_currency
    parts = [f"{r.name} {money_text(r.total, currency)}" for r in shown]
    text = "Line chart of the cumulative cost by contract year; totals: " + "; ".join(parts) + "."
    if decision.evaluation.budget_cap is not None:
        text += f" The dotted line is the budget cap of {money_text(decision.evaluation.budget_cap, currency)}."
    return text
