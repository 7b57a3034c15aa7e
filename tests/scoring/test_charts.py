"""Tests of the server-side SVG charts (pure: no database, no Django)."""

from __future__ import annotations

import base64
import re
import xml.etree.ElementTree as ET

import defusedxml.ElementTree as DET
import numpy as np
import pandas as pd
import pytest

from scoring import chart_style, charts

SVG_NS = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>alert(1)</script> & "A&B"'


def contributions(rows: int, criteria: int = 4, *, names: list[str] | None = None) -> pd.DataFrame:
    rng = np.random.default_rng(rows)
    index = names or [f"Vendor {i}" for i in range(rows)]
    columns = [f"c{j}" for j in range(criteria)]
    return pd.DataFrame(rng.random((len(index), criteria)) / criteria, index=index, columns=columns)


def parse(svg: str) -> ET.Element:
    return DET.fromstring(svg.encode("utf-8"))


def texts(svg: str) -> list[str]:
    return ["".join(node.itertext()) for node in parse(svg).iter(f"{SVG_NS}text")]


def view_box(svg: str) -> list[float]:
    return [float(part) for part in parse(svg).attrib["viewBox"].split()]


ALL_CHARTS = {
    "contributions": lambda: charts.contributions_chart(contributions(5), title="Scores"),
    "bar": lambda: charts.bar_chart(pd.Series([3.0, 2.0], index=["A", "B"]), title="TCO"),
    "grouped": lambda: charts.grouped_bar_chart(contributions(3).T, title="Compare"),
    "mix": lambda: charts.mix_chart(
        pd.DataFrame({"Onshore": [30.0], "Offshore": [70.0]}, index=["A"]), title="Mix"
    ),
}


@pytest.mark.parametrize("render", ALL_CHARTS.values(), ids=ALL_CHARTS.keys())
def test_every_chart_is_a_valid_svg_document_that_scales_to_its_container(render) -> None:
    svg = render()

    assert svg.startswith(("<?xml", "<svg"))
    root = parse(svg)
    assert root.tag == f"{SVG_NS}svg"
    assert "width" not in root.attrib and "height" not in root.attrib
    assert len(view_box(svg)) == 4
    assert "max-width:100%" in root.attrib["style"]


def test_the_contributions_chart_shows_each_vendor_and_each_criterion_name() -> None:
    names = {"c0": "Price", "c1": "Quality & SLA", "c2": "Security", "c3": "Scale"}
    frame = contributions(4, names=["Acme", "Globex & Co", "Initech", "Umbrella"])

    shown = texts(charts.contributions_chart(frame, names, title="Weighted scores"))

    for vendor in frame.index:
        assert vendor in shown
    for criterion in names.values():
        assert criterion in shown
    assert "Weighted scores" in shown
    assert "Score (0–1)" in shown


def test_criteria_without_a_display_name_are_labelled_by_their_key() -> None:
    shown = texts(charts.contributions_chart(contributions(3, 2)))

    assert {"c0", "c1"} <= set(shown)


def test_the_best_alternative_is_drawn_on_top() -> None:
    frame = contributions(3, names=["First", "Second", "Third"])

    root = parse(charts.contributions_chart(frame))
    y_of = {
        "".join(node.itertext()): float(node.attrib["y"]) for node in root.iter(f"{SVG_NS}text")
    }

    assert y_of["First"] < y_of["Second"] < y_of["Third"]


def test_it_escapes_hostile_vendor_names() -> None:
    frame = contributions(2, names=[HOSTILE, "Fair & Square"])
    outputs = [
        charts.contributions_chart(frame, {"c0": HOSTILE}, title=HOSTILE),
        charts.bar_chart(pd.Series([1.0, 2.0], index=frame.index), title=HOSTILE),
        charts.grouped_bar_chart(frame.T, title=HOSTILE),
    ]

    for svg in outputs:
        assert "<script" not in svg.lower()
        assert "&lt;script&gt;" in svg
        assert HOSTILE in texts(svg)  # escaped in the markup, intact once parsed


def test_dollar_signs_in_names_are_shown_literally_not_as_mathtext() -> None:
    frame = contributions(1, 1, names=[r"Cost $\frac{1}{0}$ Ltd"])

    svg = charts.contributions_chart(frame, {"c0": "$$"})

    assert r"Cost $\frac{1}{0}$ Ltd" in texts(svg)
    assert "$$" in texts(svg)


def test_long_vendor_names_are_truncated_with_an_ellipsis() -> None:
    long_name = "Very Long Business Process Outsourcing Holdings International"
    frame = contributions(1, names=[long_name])

    shown = texts(charts.contributions_chart(frame))

    truncated = [text for text in shown if text.startswith("Very Long")]
    assert len(truncated) == 1
    assert truncated[0].endswith("…")
    assert len(truncated[0]) <= chart_style.MAX_LABEL_CHARS


@pytest.mark.parametrize("render", ALL_CHARTS.values(), ids=ALL_CHARTS.keys())
def test_the_same_input_renders_to_identical_bytes(render) -> None:
    first, second = render(), render()

    assert first.encode("utf-8") == second.encode("utf-8")
    assert "<dc:date>" not in first


def test_text_stays_text_in_a_generic_sans_serif_font() -> None:
    svg = charts.contributions_chart(contributions(2))

    assert "Vendor 0" in svg  # not converted to glyph paths
    assert "sans-serif" in svg


def test_the_chart_grows_taller_with_more_rows() -> None:
    heights = [view_box(charts.contributions_chart(contributions(n)))[3] for n in (5, 50, 100)]
    bar_heights = [
        view_box(charts.bar_chart(pd.Series(np.arange(n, dtype=float))))[3] for n in (5, 50)
    ]
    widths = {view_box(charts.contributions_chart(contributions(n)))[2] for n in (5, 100)}

    assert heights[0] < heights[1] < heights[2]
    assert bar_heights[0] < bar_heights[1]
    assert len(widths) == 1


def test_the_bar_chart_labels_each_bar_with_its_formatted_value() -> None:
    values = pd.Series([1_250_000.0, float("nan"), -5.0], index=["Acme", "Globex", "Initech"])

    shown = texts(charts.bar_chart(values, value_format="€{:,.0f}", xlabel="TCO (EUR)"))

    assert {"€1,250,000", "n/a", "€-5", "TCO (EUR)", "Acme", "Globex", "Initech"} <= set(shown)


def test_the_grouped_chart_shows_criteria_as_rows_and_vendors_in_the_legend() -> None:
    frame = pd.DataFrame({"Acme": [0.2, 0.9], "Globex": [0.5, np.nan]}, index=["Price", "Quality"])

    shown = texts(charts.grouped_bar_chart(frame, xlabel="Mean score"))

    assert {"Price", "Quality", "Acme", "Globex", "Mean score"} <= set(shown)


@pytest.mark.parametrize(
    "render",
    [
        lambda: charts.contributions_chart(pd.DataFrame(), title="Nothing yet"),
        lambda: charts.contributions_chart(pd.DataFrame(index=["Acme"])),
        lambda: charts.bar_chart(pd.Series(dtype=float)),
        lambda: charts.grouped_bar_chart(pd.DataFrame()),
    ],
    ids=["contributions", "contributions-without-criteria", "bar", "grouped"],
)
def test_empty_input_renders_a_small_no_data_chart(render) -> None:
    svg = render()

    assert "No data" in texts(svg)
    assert view_box(svg)[3] < 100


def test_the_data_uri_round_trips_to_the_same_svg() -> None:
    svg = charts.contributions_chart(contributions(3), title="Ünïcødé – OK")

    uri = charts.as_data_uri(svg)

    prefix = "data:image/svg+xml;base64,"
    assert uri.startswith(prefix)
    assert base64.b64decode(uri.removeprefix(prefix)).decode("utf-8") == svg
    assert re.fullmatch(r"[A-Za-z0-9+/=]*", uri.removeprefix(prefix))


def test_a_bar_chart_draws_the_reference_line_and_widens_its_axis_to_reach_it():
    values = pd.Series([100.0, 200.0], index=["Cheap", "Dear"])

    plain = charts.bar_chart(values)
    capped = charts.bar_chart(values, line_at=500.0, line_label="Budget cap")

    assert "Budget cap 500" in texts(capped)
    assert "Budget cap" not in " ".join(texts(plain))
    assert "500" in [t.strip() for t in texts(capped)]  # a tick: the axis reaches the cap


def test_the_mix_chart_stacks_each_vendors_shares_and_names_every_model() -> None:
    frame = pd.DataFrame(
        {"Onshore": [30.0, 0.0], "Nearshore": [0.0, 5.0], "Offshore": [70.0, 95.0]},
        index=[HOSTILE, "Beta"],
    )

    svg = charts.mix_chart(frame, title="Delivery mix")
    shown = texts(svg)

    assert {"Onshore", "Nearshore", "Offshore", "Beta"} <= set(shown)
    assert {"30 %", "70 %", "95 %"} <= set(shown)
    assert "5 %" not in shown  # too thin a segment to carry its label
    assert "<script" not in svg.lower() and "&lt;script&gt;" in svg
