"""A KPI's monthly trend with its target line: SVG for the contract page and the quarterly review PDF.

Pure (no Django), drawn with scoring's chart style (fonts, colours, text kept as text, one render at a
time, responsive root) so it matches every other chart of the app.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from scoring.chart_style import (
    MAX_TITLE_CHARS,
    PALETTE,
    TEXT_COLOUR,
    TITLE_SIZE,
    chart_style,
    new_figure,
    no_data,
    short_label,
    to_svg,
)

MISSED_COLOUR = "#B00020"


def kpi_trend_chart(
    points: Sequence[tuple[dt.date, Decimal | None]],
    *,
    target: Decimal,
    higher_is_better: bool,
    title: str,
    unit: str = "",
) -> str:
    """Monthly values as a line with markers (missed months as red crosses) and the target dashed."""
    measured = [(month, float(value)) for month, value in points if value is not None]
    if not measured:
        return no_data(title)
    labels = [f"{month:%b %y}" for month, _ in points]
    index = {month: i for i, (month, _) in enumerate(points)}
    goal = float(target)
    with chart_style():
        fig, ax = new_figure()
        fig.set_size_inches(8.0, 2.8)
        ax.set_position((0.08, 0.2, 0.9, 0.66))
        ax.grid(axis="y", color="#DDDDDD", linewidth=0.6)
        xs = [index[month] for month, _ in measured]
        ys = [value for _, value in measured]
        ax.plot(xs, ys, color=PALETTE[0], linewidth=1.6, marker="o", markersize=4, label="Value")
        missed = [
            (x, y)
            for x, y in zip(xs, ys, strict=True)
            if (y < goal if higher_is_better else y > goal)
        ]
        if missed:
            ax.scatter(
                [x for x, _ in missed],
                [y for _, y in missed],
                color=MISSED_COLOUR,
                marker="x",
                s=40,
                zorder=4,
                label="Missed",
            )
        target_text = f"{target.normalize():f}" + (f" {unit}" if unit else "")
        ax.axhline(
            goal,
            color=TEXT_COLOUR,
            linestyle="--",
            linewidth=1.1,
            label=f"Target {short_label(target_text, 20)}",
        )
        ax.set_xticks(range(len(labels)))
        step = max(1, len(labels) // 12)
        ax.set_xticklabels([label if i % step == 0 else "" for i, label in enumerate(labels)])
        low, high = min([*ys, goal]), max([*ys, goal])
        pad = (high - low) * 0.15 or max(abs(goal) * 0.05, 1.0)
        ax.set_ylim(low - pad, high + pad)
        ax.set_xlim(-0.5, len(labels) - 0.5)
        if unit:
            ax.set_ylabel(short_label(unit, 20))
        ax.set_title(
            short_label(title, MAX_TITLE_CHARS), loc="left", fontsize=TITLE_SIZE, fontweight="bold"
        )
        ax.legend(loc="upper left", bbox_to_anchor=(0.0, -0.12), ncol=3)
        return to_svg(fig)
