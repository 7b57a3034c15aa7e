"""The quarterly business review PDF of a contract: KPIs per month, credits and trend charts.

Rendered by WeasyPrint with the recommendation's URL fetcher (scoring.reports.pdf): it loads only
the app's static files and ``data:`` URLs, so user text in a KPI name can never fetch anything.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from weasyprint import HTML

from contracts import charts, credits
from contracts.models import Contract
from contracts.selectors import contract_scorecard
from scoring.charts import as_data_uri
from scoring.reports.pdf import REPORT_ORIGIN, StaticOnlyFetcher


class NotInTerm(ValueError):
    pass


def quarter_months(year: int, quarter: int) -> list[dt.date]:
    if not 1 <= quarter <= 4 or not 1900 <= year <= 2200:
        raise NotInTerm(f"Q{quarter} {year} is not a quarter of a contract.")
    first = dt.date(year, 3 * quarter - 2, 1)
    return [credits.add_months(first, i) for i in range(3)]


def quarters(contract: Contract) -> list[tuple[int, int]]:
    """(year, quarter) of every quarter the term touches, in order."""
    seen: dict[tuple[int, int], None] = {}
    for month in contract.months:
        seen[(month.year, (month.month - 1) // 3 + 1)] = None
    return list(seen)


def review_context(contract: Contract, year: int, quarter: int) -> dict:
    months = [m for m in quarter_months(year, quarter) if contract.covers(m)]
    if not months:
        raise NotInTerm(f"Q{quarter} {year} is outside the contract's term.")
    card = contract_scorecard(contract, months=months)
    charts_by_kpi = [
        (
            series,
            as_data_uri(
                charts.kpi_trend_chart(
                    series.points,
                    target=series.kpi.target,
                    higher_is_better=series.kpi.direction == credits.HIGHER,
                    title=f"{series.kpi.name}: Q{quarter} {year}",
                    unit=series.kpi.unit,
                )
            ),
        )
        for series in card.series
    ]
    return {
        "contract": contract,
        "card": card,
        "year": year,
        "quarter": quarter,
        "charts": charts_by_kpi,
        "generated": timezone.now(),
        "stylesheet_url": f"/{settings.STATIC_URL.strip('/')}/css/report.css",
    }


def render_review_pdf(
    contract: Contract, year: int, quarter: int, *, fetcher: StaticOnlyFetcher | None = None
) -> bytes:
    html = render_to_string("reports/contract_review.html", review_context(contract, year, quarter))
    document = HTML(
        string=html, base_url=REPORT_ORIGIN + "/", url_fetcher=fetcher or StaticOnlyFetcher()
    )
    return document.write_pdf()


def review_filename(contract: Contract, year: int, quarter: int) -> str:
    title = slugify(contract.title)[:60] or "contract"
    return f"bpo-select_{title}_review_{year}-Q{quarter}.pdf"
