"""Charts as inline SVG: matplotlib figures (no pyplot, text drawn as paths) where an app still
draws one, and charts written directly as SVG — the retiree app's step chart, the compare app's
bars and lines by age — which are about a hundred times faster to draw and keep matplotlib's
import (≈ 0.9 s) out of a new kernel's start (docs/performance.md)."""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass

import ipywidgets as widgets

from .html import esc

CHART_FONT = "Noto Sans CJK SC, Noto Sans SC, PingFang SC, Microsoft YaHei, sans-serif"


def new_figure(width: float = 6.4, height: float = 3.6):
    """A matplotlib Figure (no pyplot, no global state) with the Chinese font registered."""
    from matplotlib.figure import Figure

    from ..fonts import register_cjk_font

    register_cjk_font()
    fig = Figure(figsize=(width, height), layout="constrained")
    return fig


def figure_svg(fig) -> str:
    """The figure as inline SVG: crisp on a phone, text drawn as paths so no font is needed."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg")
    svg = buffer.getvalue()
    return svg[svg.index("<svg") :]


def chart_area() -> widgets.HTML:
    area = widgets.HTML(layout=widgets.Layout(width="100%"))
    area.add_class("yb-chart")
    return area


def nice_ticks(low: float, high: float, bins: int, integer: bool = False) -> list[float]:
    """Round tick values from ``low`` to ``high``, at most about ``bins`` intervals (steps of
    1, 2, 2.5 or 5 times a power of ten; no 2.5 for ``integer``)."""
    span = high - low
    if span <= 0:
        return [low]
    raw = span / bins
    magnitude = 10 ** math.floor(math.log10(raw))
    factors = (1, 2, 5, 10) if integer else (1, 2, 2.5, 5, 10)
    step = next(f * magnitude for f in factors if f * magnitude >= raw - 1e-12)
    if integer:
        step = max(1, round(step))
    first = math.ceil(low / step - 1e-9) * step
    ticks, value = [], first
    while value <= high + 1e-9 * step:
        ticks.append(round(value, 10))
        value += step
    return ticks


def _fmt_tick(value: float) -> str:
    return f"{value:g}" if abs(value) < 1e6 else f"{value:.0f}"


@dataclass(frozen=True)
class StepChart:
    """A step chart drawn as SVG, and where any (x, y) falls on it (SVG user units, points),
    so marks can be added to the SVG later without drawing it again."""

    svg: str
    width: float
    height: float
    axes: tuple[float, float, float, float]  # left, bottom, width, height: fractions
    x_range: tuple[float, float]
    y_range: tuple[float, float]

    def point(self, x: float, y: float) -> tuple[float, float]:
        left, bottom, w, h = self.axes
        (x0, x1), (y0, y1) = self.x_range, self.y_range
        px = (left + w * (x - x0) / (x1 - x0)) * self.width
        py = (1 - (bottom + h * (y - y0) / (y1 - y0))) * self.height
        return round(px, 2), round(py, 2)


def step_chart(
    xs: Sequence[float],
    ys: Sequence[float],
    *,
    size: tuple[float, float],
    axes: tuple[float, float, float, float],
    title: str,
    x_label: str,
    tick_pt: float,
    title_pt: float,
    colour: str = "#0b5394",
    x_end: float | None = None,
    y_headroom: float = 1.25,
    x_bins: int = 6,
    y_bins: int = 4,
) -> StepChart:
    """``ys[i]`` from ``xs[i]`` to the next x (the last to ``x_end``, default one past the last
    x): a step line over a y axis from 0 with a light grid, like matplotlib's
    ``step(where="post")``. ``size`` in inches (SVG units are points, 72 an inch)."""
    width, height = size[0] * 72, size[1] * 72
    x_end = xs[-1] + 1 if x_end is None else x_end
    top = max(ys) * y_headroom or 1.0
    chart = StepChart("", width, height, axes, (xs[0], x_end), (0.0, top))
    left, bottom, w, h = axes
    ax_left, ax_right = left * width, (left + w) * width
    ax_top, ax_bottom = (1 - bottom - h) * height, (1 - bottom) * height
    font = f'font-family="{CHART_FONT}" fill="#000"'
    # Tick numbers keep their size (a page style that enlarges chart lettering, as 大字模式
    # does, would make them collide); the title and the axis name may grow, and the axis name
    # is placed by its own size (dy in em) so that it stays clear of the ticks.
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:g}pt" height="{height:g}pt" '
        f'viewBox="0 0 {width:g} {height:g}" version="1.1">',
        f'<rect width="{width:g}" height="{height:g}" fill="#fff"/>',
    ]
    parts += _grid_and_ticks(chart, nice_ticks(xs[0], x_end, x_bins, integer=True), y_bins, tick_pt)
    path = []
    for i, (x, y) in enumerate(zip(xs, ys, strict=True)):
        px, py = chart.point(x, y)
        path.append(f"M{px} {py}" if i == 0 else f"V{py}")
        nx = xs[i + 1] if i + 1 < len(xs) else x_end
        path.append(f"H{chart.point(nx, y)[0]}")
    parts.append(
        f'<path d="{"".join(path)}" fill="none" stroke="{colour}" stroke-width="2" '
        'stroke-linejoin="round"/>'
        f'<path d="M{ax_left:.2f} {ax_top:.2f}V{ax_bottom:.2f}H{ax_right:.2f}" fill="none" '
        'stroke="#000" stroke-width="0.8"/>'
        f'<text x="{ax_left:.2f}" y="{ax_top - 7:.2f}" font-size="{title_pt:g}" {font}>'
        f"{esc(title)}</text>"
        f'<text x="{(ax_left + ax_right) / 2:.2f}" y="{ax_bottom + 9.5 + tick_pt:.2f}" dy="0.88em" '
        f'text-anchor="middle" font-size="{title_pt:g}" {font}>{esc(x_label)}</text>'
        "</svg>"
    )
    return StepChart("".join(parts), width, height, axes, chart.x_range, chart.y_range)


def bar_chart(
    bars: Sequence[tuple[str, float, str]],
    *,
    width_in: float,
    label_pt: float,
    value_pt: float,
    row_pt: float,
    label_share: float = 0.3,
) -> str:
    """Horizontal bars as SVG, one row per ``(label, value, colour)``, in the order given; the
    label left of its bar, the value (two decimals) right of it. Written directly, like
    :func:`step_chart` (matplotlib's import alone costs a new kernel ≈ 0.9 s)."""
    width = width_in * 72
    height = row_pt * len(bars) + row_pt * 0.5
    left = width * label_share
    right = width - value_pt * 4.2  # room for "123.45"
    top = max((value for _, value, _ in bars), default=0) or 1.0
    font = f'font-family="{CHART_FONT}" fill="#000"'
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:g}pt" height="{height:g}pt" '
        f'viewBox="0 0 {width:g} {height:g}" version="1.1" role="img">',
        f'<rect width="{width:g}" height="{height:g}" fill="#fff"/>',
    ]
    for i, (label, value, colour) in enumerate(bars):
        middle = row_pt * (i + 0.75)
        length = max(0.0, (right - left) * value / top)
        parts.append(
            f'<rect x="{left:.2f}" y="{middle - row_pt * 0.35:.2f}" width="{length:.2f}" '
            f'height="{row_pt * 0.7:.2f}" fill="{colour}"/>'
            f'<text x="{left - 4:.2f}" y="{middle:.2f}" dy="0.35em" text-anchor="end" '
            f'font-size="{label_pt:g}" {font}>{esc(label)}</text>'
            f'<text x="{left + length + 4:.2f}" y="{middle:.2f}" dy="0.35em" '
            f'font-size="{value_pt:g}" style="font-size:{value_pt:g}px" {font}>{value:.2f}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def step_lines_chart(
    xs: Sequence[float],
    series: Sequence[tuple[Sequence[float], str]],
    *,
    size: tuple[float, float],
    axes: tuple[float, float, float, float],
    tick_pt: float,
    x_ticks: Sequence[float],
    y_headroom: float = 1.12,
    y_bins: int = 4,
) -> str:
    """Several step lines (``(ys, colour)`` each, ``ys[i]`` from ``xs[i]`` to the next x) over a
    y axis from 0 with a light grid; x from ``xs[0]`` to ``xs[-1]``. SVG, no matplotlib."""
    width, height = size[0] * 72, size[1] * 72
    top = max((max(ys) for ys, _ in series), default=0) * y_headroom or 1.0
    chart = StepChart("", width, height, axes, (xs[0], xs[-1]), (0.0, top))
    left, bottom, w, h = axes
    ax_left, ax_right = left * width, (left + w) * width
    ax_top, ax_bottom = (1 - bottom - h) * height, (1 - bottom) * height
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:g}pt" height="{height:g}pt" '
        f'viewBox="0 0 {width:g} {height:g}" version="1.1" role="img">',
        f'<rect width="{width:g}" height="{height:g}" fill="#fff"/>',
    ]
    parts += _grid_and_ticks(chart, x_ticks, y_bins, tick_pt)
    for ys, colour in series:
        path = []
        for i, (x, y) in enumerate(zip(xs, ys, strict=True)):
            px, py = chart.point(x, y)
            path.append(f"M{px} {py}" if i == 0 else f"V{py}")
            if i + 1 < len(xs):
                path.append(f"H{chart.point(xs[i + 1], y)[0]}")
        parts.append(
            f'<path d="{"".join(path)}" fill="none" stroke="{colour}" stroke-width="2" '
            'stroke-linejoin="round"/>'
        )
    parts.append(
        f'<path d="M{ax_left:.2f} {ax_top:.2f}V{ax_bottom:.2f}H{ax_right:.2f}" fill="none" '
        'stroke="#000" stroke-width="0.8"/></svg>'
    )
    return "".join(parts)


def _grid_and_ticks(chart: StepChart, x_ticks, y_bins: int, tick_pt: float) -> list[str]:
    """A light grid line and a labelled tick for each round y value from 0, and a labelled tick
    for each of ``x_ticks``. Tick numbers keep their size (a page style that enlarges chart
    lettering, as 大字模式 does, would make them collide)."""
    left, bottom, w, _h = chart.axes
    ax_left, ax_right = left * chart.width, (left + w) * chart.width
    ax_bottom = (1 - bottom) * chart.height
    x0, top = chart.x_range[0], chart.y_range[1]
    ticks = (f'font-size="{tick_pt:g}" style="font-size:{tick_pt:g}px" '
             f'font-family="{CHART_FONT}" fill="#000"')  # fmt: skip
    parts = []
    for value in nice_ticks(0.0, top, y_bins):
        _, y = chart.point(x0, value)
        parts.append(
            f'<line x1="{ax_left:.2f}" y1="{y}" x2="{ax_right:.2f}" y2="{y}" stroke="#eee" '
            'stroke-width="0.8"/>'
            f'<line x1="{ax_left - 3.5:.2f}" y1="{y}" x2="{ax_left:.2f}" y2="{y}" stroke="#000" '
            'stroke-width="0.8"/>'
            f'<text x="{ax_left - 6:.2f}" y="{y}" dy="0.35em" text-anchor="end" {ticks}>'
            f"{_fmt_tick(value)}</text>"
        )
    for value in x_ticks:
        x, _ = chart.point(value, 0)
        parts.append(
            f'<line x1="{x}" y1="{ax_bottom:.2f}" x2="{x}" y2="{ax_bottom + 3.5:.2f}" '
            'stroke="#000" stroke-width="0.8"/>'
            f'<text x="{x}" y="{ax_bottom + 5.5 + tick_pt:.2f}" text-anchor="middle" {ticks}>'
            f"{_fmt_tick(value)}</text>"
        )
    return parts
