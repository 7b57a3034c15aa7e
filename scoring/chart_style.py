"""The house style and layout toolkit behind scoring.charts: palette, fonts, row metrics,
bars, labels, legends and the SVG writer. Pure (no Django), like the charts themselves.
"""

from __future__ import annotations

import io
import math
import re
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import matplotlib as mpl
import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path
from matplotlib.textpath import TextToPath
from matplotlib.ticker import FuncFormatter, MaxNLocator, NullLocator
from matplotlib.transforms import blended_transform_factory, offset_copy
from matplotlib.typing import RcKeyType

# Paul Tol's "muted" qualitative palette: distinguishable under the common colour-vision
# deficiencies. Beyond nine series the colours repeat with a hatch pattern added.
PALETTE: tuple[str, ...] = (
    "#332288",
    "#88CCEE",
    "#44AA99",
    "#117733",
    "#999933",
    "#DDCC77",
    "#CC6677",
    "#882255",
    "#AA4499",
)
HATCHES: tuple[str, ...] = ("", "///", "...", "xxx", "\\\\\\")
BAR_EDGE = "#FFFFFF"
TEXT_COLOUR = "#222222"
FONT_FAMILY = "DejaVu Sans"

MAX_LABEL_CHARS = 32
MAX_TITLE_CHARS = 80
FIG_WIDTH_IN = 8.0
TITLE_SIZE = 11.0
LEGEND_SIZE = 9.0

_RC: dict[RcKeyType, object] = {
    "svg.fonttype": "none",
    "svg.hashsalt": "bpo-select-charts",
    "font.family": ["sans-serif"],
    "font.sans-serif": [FONT_FAMILY],
    "font.size": 9.0,
    "axes.edgecolor": "#888888",
    "axes.labelcolor": TEXT_COLOUR,
    "text.color": TEXT_COLOUR,
    "xtick.color": TEXT_COLOUR,
    "ytick.color": TEXT_COLOUR,
    "hatch.color": "#FFFFFF",
    "hatch.linewidth": 0.8,
    "legend.frameon": False,
    "legend.fontsize": LEGEND_SIZE,
    "text.usetex": False,
}

# rc_context mutates the process-wide rcParams and the SVG writer reads them while drawing;
# FreeType font objects are shared too. Concurrent renders would race, so render one at a time.
_RENDER_LOCK = threading.Lock()
_TEXT_METRICS = TextToPath()

_SVG_ROOT = re.compile(r"<svg\b[^>]*>")
_SIZE_ATTR = re.compile(r'\s(?:width|height)="[^"]*"')


@contextmanager
def chart_style() -> Iterator[None]:
    with _RENDER_LOCK, mpl.rc_context(_RC):
        yield


def short_label(text: object, limit: int = MAX_LABEL_CHARS) -> str:
    """User text made safe for display: one line, truncated with an ellipsis, no mathtext."""
    plain = " ".join(str(text).split())
    if len(plain) > limit:
        plain = plain[: limit - 1].rstrip() + "…"
    # An escaped dollar is drawn as a literal "$" and never starts mathtext.
    return plain.replace("$", r"\$")


def text_width_in(labels: Sequence[str], size: float) -> float:
    """Width in inches of the widest label, measured with the font the layout uses."""
    prop = FontProperties(family=FONT_FAMILY, size=size)
    # Shaping text is the costliest step of a chart; the widest label is among the longest.
    longest = sorted(set(labels), key=len, reverse=True)[:8]
    widths = (_TEXT_METRICS.get_text_width_height_descent(s, prop, False)[0] for s in longest)
    return max(widths, default=0.0) / 72


def _style(index: int) -> tuple[str, str]:
    """Colour and hatch of the index-th series."""
    colour = PALETTE[index % len(PALETTE)]
    hatch = HATCHES[(index // len(PALETTE)) % len(HATCHES)]
    return colour, hatch


def row_metrics(rows: int) -> tuple[float, float]:
    """Height per row (inches) and tick-label size (points): tighter, not tinier, when long."""
    if rows <= 30:
        return 0.32, 9.0
    return 0.24, 8.0


def _rectangles(y: np.ndarray, left: np.ndarray, width: np.ndarray, height: float) -> np.ndarray:
    """Corner coordinates, shape (n, 4, 2), of horizontal bars centred on ``y``."""
    bottom, top, right = y - height / 2, y + height / 2, left + width
    corners = [(left, bottom), (left, top), (right, top), (right, bottom)]
    return np.stack([np.column_stack(corner) for corner in corners], axis=1)


def add_bars(
    ax: Axes, y: np.ndarray, left: np.ndarray, width: np.ndarray, height: float, index: int
) -> Patch:
    """Draw one series of bars as a single compound path; return its legend handle.

    One SVG path per series instead of one patch per bar keeps a 50 x 10 chart fast and small.
    """
    colour, hatch = _style(index)
    bars = Path.make_compound_path_from_polys(_rectangles(y, left, width, height))
    fill = hatch or None
    # add_artist, not add_patch: the axis limits are set explicitly, and add_patch would walk
    # every segment of the compound path to update them.
    ax.add_artist(PathPatch(bars, linewidth=0.4, facecolor=colour, edgecolor=BAR_EDGE, hatch=fill))
    return Patch(facecolor=colour, edgecolor=BAR_EDGE, hatch=fill)


def new_figure() -> tuple[Figure, Axes]:
    fig = Figure(figsize=(FIG_WIDTH_IN, 4.0))
    FigureCanvasSVG(fig)
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.grid(axis="x", color="#DDDDDD", linewidth=0.6)
    ax.set_axisbelow(True)
    return fig, ax


def _root_figure(ax: Axes) -> Figure:
    """The figure of an axes from `new_figure` (matplotlib's types allow a SubFigure or none)."""
    fig = ax.get_figure(root=True)
    if fig is None:
        raise ValueError("The axes belong to no figure.")
    return fig


def set_row_labels(ax: Axes, labels: Sequence[str], font_size: float) -> None:
    """One label per row, first row on top.

    Plain texts rather than y ticks: matplotlib builds a heavy Tick object per tick, which was
    most of the rendering time for long rankings.
    """
    ax.yaxis.set_major_locator(NullLocator())
    ax.set_ylim(len(labels) - 0.5, -0.5)
    to_label = offset_copy(
        blended_transform_factory(ax.transAxes, ax.transData),
        fig=_root_figure(ax),
        x=-4,
        units="points",
    )
    for row, text in enumerate(labels):
        ax.text(0, row, text, transform=to_label, ha="right", va="center", fontsize=font_size)


def annotate_bars(ax: Axes, ends: Sequence[float], texts: Sequence[str], size: float) -> None:
    """Write each text just past the end of its bar (left of it for negative bars)."""
    after = offset_copy(ax.transData, fig=_root_figure(ax), x=3, units="points")
    before = offset_copy(ax.transData, fig=_root_figure(ax), x=-3, units="points")
    for row, (end, text) in enumerate(zip(ends, texts, strict=True)):
        negative = end < 0
        ax.text(
            end,
            row,
            text,
            transform=before if negative else after,
            va="center",
            ha="right" if negative else "left",
            fontsize=size,
        )


def _legend_grid(labels: Sequence[str], plot_width_in: float) -> tuple[int, int]:
    """Columns and rows for a legend of these labels that fits the figure width."""
    if not labels:
        return 0, 0
    entry_in = text_width_in(labels, LEGEND_SIZE) + 0.55  # swatch, gap and column spacing
    columns = max(1, min(len(labels), 4, int(plot_width_in // entry_in)))
    return columns, math.ceil(len(labels) / columns)


def lay_out(
    fig: Figure,
    ax: Axes,
    *,
    row_labels: Sequence[str],
    plot_height_in: float,
    font_size: float,
    title: str,
    xlabel: str,
    legend: Sequence[tuple[Artist, str]] = (),
) -> None:
    """Size the figure and place axes, legend and title from measured label widths.

    Done by hand rather than with the constrained layout engine, which draws the figure an
    extra time and costs more than the whole chart.
    """
    # 5 % slack: browsers may substitute a slightly wider sans-serif for DejaVu Sans.
    left = text_width_in(row_labels, font_size) * 1.05 + 0.25
    right = 0.3
    legend_labels = [text for _, text in legend]
    columns, legend_rows = _legend_grid(legend_labels, FIG_WIDTH_IN - 0.3)
    top = 0.45 if title else 0.15
    bottom = 0.35 + (0.2 if xlabel else 0.0) + (0.15 + 0.21 * legend_rows if legend_rows else 0.0)
    height = round(top + plot_height_in + bottom, 2)

    fig.set_size_inches(FIG_WIDTH_IN, height)
    ax.set_position(
        (
            left / FIG_WIDTH_IN,
            bottom / height,
            1 - (left + right) / FIG_WIDTH_IN,
            plot_height_in / height,
        )
    )
    if legend_rows:
        fig.legend(
            [handle for handle, _ in legend],
            legend_labels,
            loc="lower center",
            bbox_to_anchor=(0.5, 0.04 / height),
            ncols=columns,
            handlelength=1.6,
            columnspacing=1.2,
        )
    if title:
        fig.text(
            0.15 / FIG_WIDTH_IN,
            1 - 0.12 / height,
            title,
            ha="left",
            va="top",
            fontsize=TITLE_SIZE,
            fontweight="bold",
        )
    if xlabel:
        ax.set_xlabel(xlabel)


def fit_xlim(
    ax: Axes, low: float, high: float, *, left_in: float = 0.0, right_in: float = 0.0
) -> None:
    """Set the x range to [low, high] plus room, in inches, for labels on either side.

    The room is computed from the final axes width because a fraction of the data range would
    be too little for narrow plots (long vendor names) and wasteful for wide ones.
    """
    plot_in = ax.get_position().width * FIG_WIDTH_IN
    data_in = max(plot_in - left_in - right_in, 0.3 * plot_in)
    per_inch = ((high - low) or 1.0) / data_in
    ax.set_xlim(low - left_in * per_inch, high + right_in * per_inch)


def format_value_axis(ax: Axes, value_format: str) -> None:
    """Tick labels in the callers' format, as many as fit side by side without overlapping."""
    low, high = ax.get_xlim()
    widest = text_width_in([value_format.format(low), value_format.format(high)], 9.0)
    plot_in = ax.get_position().width * FIG_WIDTH_IN
    ax.xaxis.set_major_locator(MaxNLocator(nbins=max(2, int(plot_in / (widest + 0.3)))))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: short_label(value_format.format(x))))


def to_svg(fig: Figure) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    return _make_responsive(buffer.getvalue().decode("utf-8"))


def _make_responsive(svg: str) -> str:
    """Drop the fixed width/height from the root element; its viewBox keeps the aspect ratio."""

    def fix_root(match: re.Match[str]) -> str:
        tag = _SIZE_ATTR.sub("", match.group(0))
        return tag[:-1].rstrip() + ' style="max-width:100%;height:auto">'

    return _SVG_ROOT.sub(fix_root, svg, count=1)


def no_data(title: str) -> str:
    with chart_style():
        fig = Figure(figsize=(FIG_WIDTH_IN, 1.2))
        FigureCanvasSVG(fig)
        if title:
            fig.text(
                0.15 / FIG_WIDTH_IN,
                1 - 0.12 / 1.2,
                short_label(title, MAX_TITLE_CHARS),
                ha="left",
                va="top",
                fontsize=TITLE_SIZE,
                fontweight="bold",
            )
        fig.text(0.5, 0.4, "No data", ha="center", va="center", fontsize=10, color="#666666")
        return to_svg(fig)
