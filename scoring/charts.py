"""Server-side SVG charts for the web pages and the PDF report.

This is the single chart renderer of BPO Select: views embed the returned SVG (usually through
:func:`as_data_uri` in an ``<img>``) and WeasyPrint renders the same markup in the PDF, so a
page and its printout always show the same picture.

The module is pure (no Django) and never touches pyplot: each chart is a standalone
:class:`matplotlib.figure.Figure` drawn by the SVG canvas, because it runs inside a
multi-threaded web server where pyplot's global figure manager is not safe.

Output properties the callers rely on:

* text stays text (``svg.fonttype = 'none'``) with generic font families, so it is small,
  searchable and selectable; matplotlib's SVG writer XML-escapes it, and ``$`` is escaped so
  user text is never parsed as mathtext;
* identical input gives identical bytes (fixed ``svg.hashsalt``, no date metadata);
* the root ``<svg>`` has a ``viewBox`` and no fixed width/height, so it scales to its container;
* the figure grows with the number of rows while font sizes stay fixed in points.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Hashable, Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from scoring.chart_style import (
    LEGEND_SIZE,
    MAX_TITLE_CHARS,
    PALETTE,
    TEXT_COLOUR,
    add_bars,
    annotate_bars,
    chart_style,
    fit_xlim,
    format_value_axis,
    lay_out,
    new_figure,
    no_data,
    row_metrics,
    set_row_labels,
    short_label,
    text_width_in,
    to_svg,
)

__all__ = [
    "as_data_uri",
    "bar_chart",
    "contributions_chart",
    "cumulative_chart",
    "grouped_bar_chart",
    "mix_chart",
]

MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*", "h")


def contributions_chart(
    contributions: pd.DataFrame,
    criterion_names: Mapping[Hashable, str] | None = None,
    *,
    title: str = "",
) -> str:
    """Horizontal stacked bars of each alternative's score split by criterion.

    ``contributions`` has one row per alternative (index, already ranked: the first row is drawn
    on top) and one column per criterion; ``criterion_names`` maps column keys to display names.
    Missing values count as zero; each bar is labelled with its total. Returns SVG markup.
    """
    if contributions.empty:
        return no_data(title)
    data = contributions.astype(float).fillna(0.0)
    names = criterion_names or {}
    rows = len(data)
    y = np.arange(rows, dtype=float)
    row_height, font_size = row_metrics(rows)

    with chart_style():
        fig, ax = new_figure()
        legend: list[tuple[Patch, str]] = []
        # Positive and negative parts stack away from zero separately.
        right = np.zeros(rows)
        left = np.zeros(rows)
        for index, column in enumerate(data.columns):
            values = data[column].to_numpy()
            start = np.where(values >= 0, right, left)
            handle = add_bars(ax, y, start, values, 0.72, index)
            legend.append((handle, short_label(names.get(column, column))))
            right = right + np.clip(values, 0, None)
            left = left + np.clip(values, None, 0)

        totals = [f"{total:.2f}" for total in data.sum(axis=1)]
        annotate_bars(ax, list(right), totals, font_size - 1)
        labels = [short_label(name) for name in data.index]
        set_row_labels(ax, labels, font_size)
        lay_out(
            fig,
            ax,
            row_labels=labels,
            plot_height_in=rows * row_height,
            font_size=font_size,
            title=short_label(title, MAX_TITLE_CHARS),
            xlabel="Score (0–1)",
            legend=legend,
        )
        fit_xlim(
            ax,
            min(0.0, left.min()),
            max(1.0, right.max()),
            right_in=text_width_in(totals, font_size - 1) + 0.1,
        )
        return to_svg(fig)


def bar_chart(
    values: pd.Series,
    *,
    title: str = "",
    value_format: str = "{:,.0f}",
    xlabel: str = "",
    line_at: float | None = None,
    line_label: str = "",
    line_value: str | None = None,
) -> str:
    """Horizontal bars, one per index entry (first on top), each labelled with its value.

    ``value_format`` formats both the bar labels and the x-axis ticks; a missing value is drawn
    as an empty bar labelled "n/a". ``line_at`` draws a dashed reference line (a budget cap)
    labelled ``line_label`` and its value (``line_value`` when given, e.g. with its currency).
    Returns SVG markup.
    """
    if values.empty:
        return no_data(title)
    data = values.astype(float)
    rows = len(data)
    numbers = data.fillna(0.0).to_numpy()
    row_height, font_size = row_metrics(rows)

    with chart_style():
        fig, ax = new_figure()
        add_bars(ax, np.arange(rows, dtype=float), np.zeros(rows), numbers, 0.66, 0)
        texts = [
            "n/a" if math.isnan(value) else short_label(value_format.format(value), 40)
            for value in data
        ]
        annotate_bars(ax, list(numbers), texts, font_size - 1)
        labels = [short_label(name) for name in data.index]
        set_row_labels(ax, labels, font_size)
        lay_out(
            fig,
            ax,
            row_labels=labels,
            plot_height_in=rows * row_height,
            font_size=font_size,
            title=short_label(title, MAX_TITLE_CHARS),
            xlabel=short_label(xlabel, MAX_TITLE_CHARS),
        )
        low, high = min(0.0, numbers.min()), max(0.0, numbers.max())
        if line_at is not None and math.isfinite(line_at):
            low, high = min(low, line_at), max(high, line_at)
            value = value_format.format(line_at) if line_value is None else line_value
            _reference_line(ax, line_at, f"{line_label} {value}".strip())
        negative = [text for text, number in zip(texts, numbers, strict=True) if number < 0]
        positive = [text for text, number in zip(texts, numbers, strict=True) if number >= 0]
        fit_xlim(
            ax,
            low,
            high,
            left_in=text_width_in(negative, font_size - 1) + 0.1,
            right_in=text_width_in(positive, font_size - 1) + 0.1,
        )
        format_value_axis(ax, value_format)
        return to_svg(fig)


def _reference_line(ax: Axes, x: float, label: str) -> None:
    ax.axvline(x, color=TEXT_COLOUR, linestyle="--", linewidth=1.2, zorder=3)
    ax.annotate(
        short_label(label, 40),
        xy=(x, 1.0),
        xycoords=("data", "axes fraction"),
        xytext=(-3, 2),
        textcoords="offset points",
        fontsize=LEGEND_SIZE,
        color=TEXT_COLOUR,
        ha="right",  # inside the plot: a cap is never left of every bar's start
        va="bottom",
    )


def grouped_bar_chart(frame: pd.DataFrame, *, title: str = "", xlabel: str = "") -> str:
    """Horizontal grouped bars: one group per row (e.g. criterion), one bar per column (vendor).

    Meant for comparing a few (2–4) series side by side; the first row and, inside a group, the
    first column are drawn on top. Missing values are drawn as absent bars. Returns SVG markup.
    """
    if frame.empty:
        return no_data(title)
    data = frame.astype(float)
    rows, cols = data.shape
    slot = 0.8 / cols
    _, font_size = row_metrics(rows)
    group_height = max(0.32, 0.16 * cols + 0.08)

    with chart_style():
        fig, ax = new_figure()
        legend: list[tuple[Patch, str]] = []
        for index, column in enumerate(data.columns):
            y = np.arange(rows) - 0.4 + slot * (index + 0.5)
            values = data[column].fillna(0.0).to_numpy()
            handle = add_bars(ax, y, np.zeros(rows), values, slot * 0.9, index)
            legend.append((handle, short_label(column)))
        finite = data.to_numpy()[np.isfinite(data.to_numpy())]
        low, high = min(0.0, finite.min(initial=0.0)), max(0.0, finite.max(initial=0.0))
        ax.axvline(0, color="#888888", linewidth=0.6)
        labels = [short_label(name) for name in data.index]
        set_row_labels(ax, labels, font_size)
        lay_out(
            fig,
            ax,
            row_labels=labels,
            plot_height_in=rows * group_height,
            font_size=font_size,
            title=short_label(title, MAX_TITLE_CHARS),
            xlabel=short_label(xlabel, MAX_TITLE_CHARS),
            legend=legend,
        )
        fit_xlim(ax, low, high, left_in=0.1 if low < 0 else 0.0, right_in=0.1)
        return to_svg(fig)


def cumulative_chart(
    series: Mapping[str, Sequence[float]],
    *,
    title: str = "",
    xlabel: str = "",
    value_format: str = "{:,.0f}",
    reference: tuple[str, Sequence[float]] | None = None,
    line_at: float | None = None,
    line_label: str = "",
) -> str:
    """Lines of running totals at points 0, 1, 2, ... (e.g. the end of each contract year), one
    per series with its own colour and marker; ``reference`` is drawn as a dashed dark line (the
    in-house cost) and ``line_at`` as a dotted horizontal line (a budget cap). Returns SVG."""
    drawn = [(name, list(values)) for name, values in series.items()]
    if reference is not None:
        drawn.append((reference[0], list(reference[1])))
    points = max((len(values) for _, values in drawn), default=0)
    if not points:
        return no_data(title)
    highest = max([max(values, default=0.0) for _, values in drawn] + [line_at or 0.0, 0.0])
    with chart_style():
        fig, ax = new_figure()
        ax.grid(axis="x", visible=False)
        ax.grid(axis="y", color="#DDDDDD", linewidth=0.6)
        legend: list[tuple[Artist, str]] = []
        for index, (name, values) in enumerate(series.items()):
            (line,) = ax.plot(
                range(len(values)),
                values,
                color=PALETTE[index % len(PALETTE)],
                marker=MARKERS[index % len(MARKERS)],
                markersize=4,
                linewidth=1.6,
            )
            legend.append((line, short_label(name)))
        if reference is not None:
            (line,) = ax.plot(
                range(len(reference[1])),
                list(reference[1]),
                color=TEXT_COLOUR,
                linestyle="--",
                linewidth=2.0,
            )
            legend.append((line, short_label(reference[0])))
        lay_out(
            fig,
            ax,
            row_labels=[value_format.format(highest), value_format.format(0)],
            plot_height_in=2.6,
            font_size=9.0,
            title=short_label(title, MAX_TITLE_CHARS),
            xlabel=short_label(xlabel, MAX_TITLE_CHARS),
            legend=legend,
        )
        if line_at is not None and math.isfinite(line_at):
            ax.axhline(line_at, color="#666666", linestyle=":", linewidth=1.4)
            ax.annotate(
                short_label(line_label, 40),
                xy=(0.0, line_at),
                xycoords=("axes fraction", "data"),
                xytext=(3, 2),
                textcoords="offset points",
                fontsize=LEGEND_SIZE,
                color=TEXT_COLOUR,
                va="bottom",
            )
        ax.set_xlim(-0.15, points - 0.85)
        ax.set_xticks(range(points))
        ax.set_ylim(0, highest * 1.1 or 1.0)
        ax.yaxis.set_major_formatter(
            FuncFormatter(lambda y, _: short_label(value_format.format(y)))
        )
        return to_svg(fig)


def mix_chart(shares: pd.DataFrame, *, title: str = "") -> str:
    """Horizontal 100 % stacked bars: each vendor's (row, first on top) share of the volume per
    delivery model (column), in per cent. Segments of 8 % or more carry their share as text, and
    the legend names every model. Returns SVG markup."""
    if shares.empty:
        return no_data(title)
    data = shares.astype(float).fillna(0.0).clip(lower=0.0)
    rows = len(data)
    y = np.arange(rows, dtype=float)
    row_height, font_size = row_metrics(rows)

    with chart_style():
        fig, ax = new_figure()
        legend: list[tuple[Patch, str]] = []
        start = np.zeros(rows)
        for index, column in enumerate(data.columns):
            values = data[column].to_numpy()
            handle = add_bars(ax, y, start, values, 0.66, index)
            legend.append((handle, short_label(str(column))))
            for row, (left, width) in enumerate(zip(start, values, strict=True)):
                if width >= 8:
                    ax.text(
                        left + width / 2,
                        row,
                        f"{width:.0f} %",
                        ha="center",
                        va="center",
                        fontsize=font_size - 1,
                        color="white" if index == 0 else TEXT_COLOUR,
                    )
            start = start + values
        labels = [short_label(name) for name in data.index]
        set_row_labels(ax, labels, font_size)
        lay_out(
            fig,
            ax,
            row_labels=labels,
            plot_height_in=rows * row_height,
            font_size=font_size,
            title=short_label(title, MAX_TITLE_CHARS),
            xlabel="Share of the volume (%)",
            legend=legend,
        )
        fit_xlim(ax, 0.0, 100.0)
        return to_svg(fig)


def as_data_uri(svg: str) -> str:
    """``data:`` URI of the SVG, for ``<img src>`` in pages and in WeasyPrint."""
    encoded = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return f"data:image/svg+xml;base64,{encoded}"
