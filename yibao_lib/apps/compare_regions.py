"""地区对比: the monthly credit of every region with a rule, side by side.

All figures come from :func:`yibao_lib.credit.compare_rows` (typed rows) and
:func:`yibao_lib.credit.credit_by_age` (no pandas: it would cost each visitor's kernel ≈ 0.5 s
and 40 MiB);
this module only arranges them: a sorted horizontal bar chart (coloured by method or by
confidence), a line chart by age for a few chosen regions, the table and a CSV download.

Speed: an input change recomputes only what depends on it (the table on age / average / date,
the bar chart on those and the colour, the line chart on the chosen regions, average and date);
the table is shown first, the charts follow; charts already drawn are kept in a small cache.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from collections import OrderedDict
from datetime import date
from urllib.parse import quote

import ipywidgets as widgets

from ..china_map import map_figures, map_svg
from ..credit import MAX_AVG_PENSION, CompareRow, compare_rows, credit_by_age
from ..errors import YibaoError
from ..inputs import fmt_rate, to_age, to_date, to_money
from ..model import CONFIDENCE_COLORS, METHOD_LABELS
from ..regions import find_region
from ..ui import common
from ..ui.query import Param, Parsed, checked_text, link_query, one_of, read_query

DEFAULT_AGE = 65
DEFAULT_REGIONS = ("北京", "上海", "深圳", "广州")
MAX_LINE_REGIONS = 8
LINE_AGES = range(50, 101)
# The charts, as SVG (points; 72 per inch): Chinese lettering held to the body size on a phone
# (16 px or more), numbers to 14 px, like the retiree app's age chart.
BAR_WIDTH_IN = 4.2
BAR_ROW_PT = 24
LINE_SIZE_IN = (4.2, 2.6)
LINE_AXES = (0.14, 0.14, 0.82, 0.8)  # left, bottom, width, height
CHART_LETTERING_PT = 15.5
CHART_TICK_PT = 13.5
COLOR_MODES = (("按划入方式", "method"), ("按可信度", "confidence"))
COLOR_MODE_VALUES_ORDER = tuple(mode for _, mode in COLOR_MODES)
COLOR_MODE_VALUES = frozenset(COLOR_MODE_VALUES_ORDER)
MAP_VIEWS = (("城市", "city"), ("省份", "province"))
MAP_VIEW_VALUES_ORDER = tuple(view for _, view in MAP_VIEWS)
MAP_VIEW_VALUES = frozenset(MAP_VIEW_VALUES_ORDER)

METHOD_COLORS = {"fixed": "#0969da", "age_tiers": "#8250df", "pension_share": "#bf8700"}
LINE_COLORS = (
    "#0969da",
    "#cf222e",
    "#1a7f37",
    "#bf8700",
    "#8250df",
    "#57606a",
    "#e16f24",
    "#0a7ea4",
)

CSV_HEADER = (
    "地区", "划入方式", "每月划入（扣除前，元）", "每月到账（元）", "全年到账（元）",
    "可信度", "来源", "说明", "年龄", "查询日期",
)  # fmt: skip
CSV_FILE_NAME = "yibao_compare.csv"
# This app's own layout: the wide table keeps its key columns readable on a phone (the rest
# scrolls inside its box); inputs lose the 2 px side margins that make 100 % overflow the app.
APP_CSS = """<style>
.yb-compare .widget-inline-hbox, .yb-compare .jupyter-widget-tagsinput { margin-left: 0 !important; margin-right: 0 !important; }
.yb-compare .widget-toggle-buttons { display: flex; align-items: center; margin: 2px 0; }
.yb-compare .widget-toggle-buttons > .widget-label { text-align: right; margin-right: 8px; flex-shrink: 0; }
.yb-compare .yb-input-region .widget-text { display: block !important; flex: 1 0 100%; width: 100% !important; margin: 4px 0 0 0 !important; }
.yb-compare .yb-input-region input.jupyter-widget-taginput { width: 100%; margin: 0; border: 1px solid #bdbdbd; border-radius: 4px; padding: 4px 8px; }
.yb-compare a.yb-csv { display: inline-block; margin: 8px 0; padding: 6px 14px; border: 1px solid #0969da; border-radius: 6px; color: #0969da; text-decoration: none; }
.yb-compare .yb-compare-table th, .yb-compare .yb-compare-table td { vertical-align: top; }
.yb-compare .yb-compare-table th, .yb-compare .yb-compare-table td.num { white-space: nowrap; }
.yb-compare .yb-compare-table td.name { min-width: 4.5em; }
.yb-compare .yb-compare-table td.method { min-width: 6.5em; }
.yb-compare .yb-compare-table td.src { min-width: 14em; }
</style>"""
_CACHE_SIZE = 32


def _money(value) -> str:
    return "—" if value is None else f"{value:,.2f}"


def _chart_label(row: CompareRow) -> str:
    """A short region name for a chart axis: 北京, 全国(默认); contested figures get a *,
    estimates a ≈ before the name."""
    label = "全国(默认)" if row.level == "national" else row.short_name
    return ("≈" if row.estimated else "") + label + ("*" if row.contested else "")


def _cents(value) -> str:
    return "" if value is None else f"{value:.2f}"


def compare_csv(rows, age: int, day: date) -> str:
    """The table (:class:`~yibao_lib.credit.CompareRow` rows) as CSV text, with a UTF-8 BOM so
    that Excel shows the Chinese correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for row in rows:
        writer.writerow([
            row.name, row.method_label, _cents(row.monthly_gross), _cents(row.monthly_net),
            _cents(row.yearly_net), row.confidence_label, row.source, row.status, age,
            day.isoformat(),
        ])  # fmt: skip
    return "\ufeff" + buffer.getvalue()


def csv_link(rows, age: int, day: date) -> str:
    href = "data:text/csv;charset=utf-8," + quote(compare_csv(rows, age, day), safe="")
    return (
        f'<a class="yb-csv" download="{CSV_FILE_NAME}" href="{href}">'
        "下载表格（CSV，可用 Excel 打开）</a>"
    )


@functools.cache
def region_tags() -> tuple[str, ...]:
    """What the region picker accepts: the short name of every province and prefecture-level
    division (北京, 杭州), then the full names."""
    names = common.region_options(("province", "city"))
    short = tuple(find_region(name).short_name for name in names)
    return short + tuple(name for name in names if name not in short)


def _regions_param(text: str) -> Parsed:
    """The regions of the chart by age, from a link (北京,上海 or 北京、上海): names it cannot
    use are left out with a notice; none left → the defaults."""
    allowed = set(region_tags())
    names: list[str] = []
    notes: list[str] = []
    for part in re.split(r"[,，、;；\s]+", text):
        if not part:
            continue
        try:
            region = find_region(part)
        except YibaoError as exc:
            notes.append(f"链接里的地区有误：{exc}")
            continue
        if region.short_name not in allowed:
            notes.append(f"链接里的地区“{part}”不能用于按年龄对比，已略过。")
        elif region.short_name not in names:
            names.append(region.short_name)
    if not names:
        notes.append("已改用默认的对比地区。")
        return Parsed(list(DEFAULT_REGIONS), tuple(notes))
    return Parsed(names[:MAX_LINE_REGIONS], tuple(notes))


# The page's link: one declaration per parameter (read by the app, written by its share link).
PARAMS = (
    Param("age", to_age, DEFAULT_AGE, "年龄", f"默认的 {DEFAULT_AGE} 岁"),
    Param("avg", checked_text(lambda t: to_money(t, "平均养老金", maximum=MAX_AVG_PENSION)), "",
          "平均养老金", "空白（不输入）"),
    Param("date", lambda t: to_date(t, "查询日期"), date.today, "查询日期", "今天",
          keep_default=False),
    Param("color", one_of(COLOR_MODE_VALUES_ORDER), "method",
          note="链接里的颜色参数“{raw}”有误（只能是 method 或 confidence），已改用按划入方式。"),
    Param("view", one_of(MAP_VIEW_VALUES_ORDER), "city",
          note="链接里的地图参数“{raw}”有误（只能是 city 或 province），已改用城市。",
          keep_default=False),
    Param("region", _regions_param, lambda: list(DEFAULT_REGIONS), write=",".join),
)  # fmt: skip


# ---- HTML of the result (pure functions: rows in, HTML out) --------------------------------


def table_html(rows, age: int, avg: str | None, day: date, notes=()) -> str:
    """The summary card, the table of every region, the CSV link and the notes below it
    (``notes``: notices about the page's link, shown first)."""
    parts = [common.notice_html(note) for note in notes]
    with_value = [row for row in rows if row.monthly_net is not None]
    summary = (
        f"<div><b>{age} 岁退休人员</b>，{day:%Y年%m月%d日}适用的规则："
        f"{len(with_value)} 个地区算出了每月到账金额，按到账金额从高到低排列。</div>"
    )
    top = "；".join(f"{row.name}每月{_money(row.monthly_net)}元" for row in with_value[:3])
    parts.append(common.card(summary, speak=common.spoken_text(summary) + f"最多的是：{top}。"))
    cells = []
    for row in rows:
        name = common.esc(row.name)
        if row.contested:
            name += '<br><span class="yb-sub yb-small">有争议</span>'
        method = common.esc(row.method_label)
        if row.monthly_net is None:
            method += '<br><span class="yb-sub yb-small">需输入平均养老金</span>'
        elif row.estimated:
            method += f'<br><span class="yb-sub yb-small">估算：{common.esc(row.status)}</span>'
        cells.append(
            "<tr>"
            f'<td class="name">{name}</td>'
            f'<td class="method">{method}</td>'
            f'<td class="num">{_money(row.monthly_gross)}</td>'
            f'<td class="num"><b>{_money(row.monthly_net)}</b></td>'
            f'<td class="num">{_money(row.yearly_net)}</td>'
            f"<td>{common.badge(row.confidence)}</td>"
            f'<td class="src yb-small">{common.esc(row.source)}</td>'
            "</tr>"
        )
    head = "".join(
        f"<th>{h}</th>"
        for h in (
            "地区",
            "划入方式",
            "每月划入<br>扣除前",
            "每月<br>到账",
            "全年<br>到账",
            "可信度",
            "来源",
        )
    )
    parts.append(
        '<div class="yb-sub yb-small">金额单位：元。表格较宽，手机上可左右滑动表格查看可信度和来源。</div>'
        f'<div class="yb-scroll"><table class="yb-table yb-compare-table">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(cells)}</tbody></table></div>"
    )
    parts.append(f"<div>{csv_link(rows, age, day)}</div>")
    footnotes = [
        "“每月到账”是扣除当地代扣项目（如北京大额互助 3 元、广州长护险 8.66 元）后实际进入个人账户的金额。",
        "标“有争议”的地区，不同来源的说法不一致：表中按多数或较可靠的来源计算，另一种说法请在“退休人员每月划入”里查看该地区。",
    ]
    if avg is not None:
        footnotes.append(
            f"按比例划入的地区都用了您输入的平均养老金 {avg} 元（各地实际平均数不同，仅供参考）。"
        )
    parts.append(
        "<ul class='yb-sources'>"
        + "".join(f"<li>{common.esc(n)}</li>" for n in footnotes)
        + "</ul>"
    )
    parts.append(
        f'<div class="yb-sub">{common.esc(common.DISCLAIMER)}</div>'
    )
    return "".join(parts)


def missing_html(rows) -> str:
    """The regions left out of the chart: a share rule whose average pension is not known."""
    rows = [row for row in rows if row.monthly_net is None]
    if not rows:
        return ""
    items = "".join(
        f"<li>{common.esc(row.name)}：按{common.esc(fmt_rate(row.rate))}，"
        f"{common.esc(row.status)}</li>"
        for row in rows
    )
    return (
        '<div class="yb-notice"><b>需输入平均养老金</b>：以下地区按平均养老金的一定比例划入，'
        "来源没有给出平均数，图中没有画出；在上面输入平均养老金后再看。"
        f"<ul class='yb-steps'>{items}</ul></div>"
    )


class CompareRegionsApp:
    """Widgets of the 地区对比 app; ``.widget`` is the root to display."""

    def __init__(self, query: dict[str, str] | None = None):
        query = dict(query or {})
        link = read_query(PARAMS, query)
        self._query_notes: list[str] = link.all_notes
        self._rows: tuple[CompareRow, ...] = ()
        self._table_key = None
        self._shown = {"result": None, "bar": None, "line": None, "map": None}
        self._svg_cache: OrderedDict = OrderedDict()
        self._line_cache: OrderedDict = OrderedDict()

        self.age = common.age_input(link["age"])
        self.avg = common.money_input("平均养老金", placeholder="元/月，如 3700，可不填")
        self.avg.value = link["avg"]
        self.date = widgets.DatePicker(
            value=link["date"], description="查询日期",
            layout=widgets.Layout(width="100%"),
        )  # fmt: skip
        self.color = widgets.ToggleButtons(
            options=COLOR_MODES, value=link["color"], description="颜色",
            style={"button_width": "auto"},
        )  # fmt: skip
        self.regions = widgets.TagsInput(
            value=link["region"],
            allowed_tags=list(region_tags()),
            allow_duplicates=False,
            placeholder="输入地区名添加，如 杭州",
            layout=widgets.Layout(width="100%"),
        )
        self.regions.add_class("yb-input-region")
        self.map_view = widgets.ToggleButtons(
            options=MAP_VIEWS, value=link["view"], description="地图",
            style={"button_width": "auto"},
        )  # fmt: skip
        self.map_view.add_class("yb-input-view")
        self.map = widgets.HTML(layout=widgets.Layout(width="100%"))
        self.map.add_class("yb-map-area")
        # A tap on a division writes its code here (the template's script), which selects it.
        self.map_pick = widgets.Text(value="", continuous_update=True,
                                     layout=widgets.Layout(display="none"))  # fmt: skip
        self.map_pick.add_class("yb-map-pick")
        self._map_selected: str | None = None
        for box, name in ((self.avg, "avg"), (self.date, "date"), (self.color, "color")):
            box.add_class(f"yb-input-{name}")
        self.result = common.result_area()
        self.bar_chart = common.chart_area()
        self.missing = widgets.HTML(layout=widgets.Layout(width="100%"))
        self.line_chart = common.chart_area()
        for chart in (self.bar_chart, self.line_chart):
            chart.layout.max_width = "540px"
        self.share = widgets.HTML(layout=widgets.Layout(width="100%"))

        hint = widgets.HTML(
            '<div class="yb-sub">平均养老金只用于“按平均养老金的一定比例划入”的地区（如广东、江苏）：'
            "各地的平均数不同，这里输入的一个数会用于所有这类地区，结果仅供参考。</div>"
        )
        line_title = widgets.HTML(
            "<h3>按年龄看：每月到账随年龄的变化（50–100 岁）</h3>"
            '<div class="yb-sub">选几个地区对比（输入地区名，按回车添加；点 × 删除）：</div>'
        )
        table_title = widgets.HTML("<h3>明细表</h3>")
        map_title = widgets.HTML(
            "<h3>地图：各地每月到账</h3>"
            '<div class="yb-sub">点一下（或把鼠标停在）某个地方，看它的数字、按谁的规定、可信度和来源；'
            "点过的地方会加到下面按年龄的对比图里。</div>"
        )
        self.large_text = common.LargeTextMode(query)
        self.widget = common.app_box([
            common.style(APP_CSS), self.age, self.avg, hint, self.date, self.color, self.share,
            map_title, self.map_view, self.map, self.map_pick,
            self.bar_chart, self.missing, table_title, self.result,
            line_title, self.regions, self.line_chart,
        ], large_text=self.large_text)  # fmt: skip
        self.widget.add_class("yb-compare")
        self.large_text.observe(common.guarded(self._show_error)(self._refresh))

        self._defer_charts = True
        common.guarded(self._show_error)(self._first_refresh)(bool(query))
        self._defer_charts = False
        on_change = common.guarded(self._show_error)(self._on_change)
        for box in (self.age, self.avg, self.date, self.color, self.regions, self.map_view):
            box.observe(on_change, names="value")
        self.map_pick.observe(common.guarded(self._show_error)(self._on_map_pick), names="value")

    @classmethod
    def from_query(cls, query_string: str | None = None) -> CompareRegionsApp:
        return cls(common.query_params(query_string))

    # ---- a link the rules refuse falls back to the defaults, with a note ----------------------

    def _first_refresh(self, from_link: bool) -> None:
        """The first result; inputs from a link that the rules refuse give way to the defaults."""
        self._from_link = from_link
        try:
            self._refresh()
        except YibaoError as exc:
            if not from_link:
                raise
            self._fall_back(str(exc))

    def _first_charts(self) -> None:
        """The first charts, drawn after the cell; a link the rules refuse falls back here too."""
        try:
            self._refresh_charts()
        except YibaoError as exc:
            if not self._from_link:
                raise
            self._fall_back(str(exc))

    def _fall_back(self, message: str) -> None:
        self._query_notes.append(f"链接里的参数用不了：{message} 已改用默认值。")
        self.age.value, self.avg.value, self.date.value = DEFAULT_AGE, "", date.today()
        self.color.value = "method"
        self.map_view.value = "city"
        self.regions.value = list(DEFAULT_REGIONS)
        self._defer_charts = False
        self._refresh()

    # ---- updates -----------------------------------------------------------------------------

    def _show_error(self, message: str) -> None:
        """A bad input: the message in the result area, and no figure left standing."""
        self.result.value = common.error_html(message)
        self.bar_chart.value = ""
        self.missing.value = ""
        self.line_chart.value = ""
        self.map.value = ""
        self._shown = {"result": None, "bar": None, "line": None, "map": None}
        self._update_share()

    def _on_change(self, change) -> None:
        self._query_notes = []
        self._refresh()

    def _inputs(self):
        avg = self.avg.value.strip() or None
        day = self.date.value or date.today()
        return self.age.value, avg, day

    def _refresh(self) -> None:
        self._update_share()
        age, avg, day = self._inputs()
        table_key = (age, avg, day)
        if table_key != self._table_key:
            self._rows, self._table_key = (), None  # never keep a table of other inputs
            self._rows = compare_rows(age, on=day, avg_pension=avg)
            self._table_key = table_key
        result_key = (table_key, tuple(self._query_notes))
        if result_key != self._shown["result"]:
            self.result.value = table_html(self._rows, age, avg, day, self._query_notes)
            self._shown["result"] = result_key
        if self._defer_charts:  # the first charts: drawn after the cell (common.after_cell)
            common.after_cell(common.guarded(self._show_error)(self._first_charts))
        else:
            self._refresh_charts()

    def _refresh_charts(self) -> None:
        _age, avg, day = self._inputs()
        table_key = self._table_key
        bar_key = (table_key, self._color_mode())
        if bar_key != self._shown["bar"]:
            self.bar_chart.value = self._bar_chart_html(bar_key)
            self.missing.value = missing_html(self._rows)
            self._shown["bar"] = bar_key
        line_key = (tuple(self.regions.value), avg, day)
        if line_key != self._shown["line"]:
            self.line_chart.value = self._line_chart_html(line_key)
            self._shown["line"] = line_key
        map_key = (table_key, self._map_view(), self._map_selected, self.large_text.on)
        if map_key != self._shown.get("map"):
            self.map.value = self._map_html(map_key)
            self._shown["map"] = map_key

    def _map_view(self) -> str:
        view = self.map_view.value
        return view if view in MAP_VIEW_VALUES else "city"

    def _map_html(self, key) -> str:
        (age, avg, day), view, selected, large_text = key
        figures = map_figures(age, on=day, avg_pension=avg, view=view)  # cached by china_map
        return (
            f'<div class="yb-sub">{age} 岁，{day:%Y年%m月%d日}适用的规则；'
            + ("每个地级行政区按它自己的数字着色。" if view == "city" else "每个省按全省的规定着色。")
            + "</div>"
            + map_svg(figures, view=view, selected=selected, large_text=large_text)
        )

    def _on_map_pick(self, change) -> None:
        """A division tapped on the map: select it there and add it to the chart by age."""
        code = (change["new"] or "").strip()
        if not code:
            return
        self.map_pick.value = ""
        try:  # only codes of divisions come from the map; anything else is ignored
            region = find_region(code) if len(code) == 6 and code.isdigit() else None
        except YibaoError:
            region = None
        if region is None or region.is_national:
            return
        self._map_selected = region.code
        tag = region.short_name
        if tag in set(region_tags()) and tag not in self.regions.value:
            names = [tag, *self.regions.value][:MAX_LINE_REGIONS]
            self.regions.value = names  # redraws everything through _on_change
        else:
            self._refresh()

    def _color_mode(self) -> str:
        """The colour toggle; nothing selected (a page can force that) means by method."""
        mode = self.color.value
        return mode if mode in COLOR_MODE_VALUES else "method"

    def link_values(self) -> dict[str, object]:
        """The inputs as the values of :data:`PARAMS` a share link carries."""
        return {
            "age": self.age.value, "avg": self.avg.value.strip(), "date": self.date.value,
            "color": self._color_mode(), "view": self._map_view(),
            "region": list(self.regions.value),
        }  # fmt: skip

    def _update_share(self) -> None:
        self.share.value = common.share_html(
            link_query(PARAMS, self.link_values()), large_text=self.large_text,
            label=f"{self.age.value} 岁 · 各地对比",
        )  # fmt: skip

    # ---- the table ---------------------------------------------------------------------------

    # ---- charts ------------------------------------------------------------------------------

    def _cached(self, cache: OrderedDict, key, draw):
        if key in cache:
            cache.move_to_end(key)
            return cache[key]
        value = draw()
        cache[key] = value
        if len(cache) > _CACHE_SIZE:
            cache.popitem(last=False)
        return value

    def _bar_chart_html(self, key) -> str:
        (age, _avg, day), mode = key
        # One bar per province (and the national default): the cities are on the map and in
        # the table; 150-odd bars would be metres long on a phone.
        rows = [row for row in self._rows
                if row.monthly_net is not None and row.level in ("national", "province")]  # fmt: skip
        if not rows:
            return common.notice_html("没有可画出的地区。")
        colors = METHOD_COLORS if mode == "method" else CONFIDENCE_COLORS
        bars = tuple(
            (_chart_label(row), float(row.monthly_net), colors[getattr(row, mode)]) for row in rows
        )
        # Keyed by what is drawn, not by the inputs: most age changes leave every bar as it was.
        svg = self._cached(self._svg_cache, bars, lambda: self._draw_bars(bars))
        if mode == "method":
            used = dict.fromkeys(row.method for row in rows)
            legend = [(METHOD_LABELS[m], METHOD_COLORS[m]) for m in METHOD_COLORS if m in used]
        else:
            legend = common.confidence_legend(row.confidence for row in rows)
        footnote = "带 * 的地区来源说法不一（有争议）。" if any(row.contested for row in rows) else ""
        if any(row.estimated for row in rows):
            footnote += "带 ≈ 的是估算数（当地平均养老金未收录或来源较弱，详见表格）。"
        return (
            f"<h3>{age} 岁时各地每月到账（元）：各省的规定</h3>"
            '<div class="yb-sub">各市自己的数字见上面的地图和下面的明细表。</div>'
            f'<div class="yb-sub">{day:%Y年%m月%d日}适用的规则，从高到低。{footnote}</div>'
            f"{common.legend_html(legend)}{svg}"
        )

    @staticmethod
    def _draw_bars(bars) -> str:
        """A horizontal bar per region (label, value, colour), in the order given (highest
        first), written as SVG: no matplotlib in this app's kernel (its import alone delayed
        the page by ≈ 0.9 s, docs/performance.md)."""
        return common.bar_chart(
            bars, width_in=BAR_WIDTH_IN, label_pt=CHART_LETTERING_PT, value_pt=CHART_TICK_PT,
            row_pt=BAR_ROW_PT,
        )  # fmt: skip

    def _line_chart_html(self, key) -> str:
        names, avg, day = key
        if not names:
            return common.notice_html("请在上面输入至少一个地区。")
        series, notes = [], []
        regions = list({r.code: r for r in map(find_region, names)}.values())  # 杭州 = 杭州市
        if len(regions) > MAX_LINE_REGIONS:
            left_out = "、".join(r.short_name for r in regions[MAX_LINE_REGIONS:])
            notes.append(f"最多画 {MAX_LINE_REGIONS} 个地区，没有画：{left_out}。")
            regions = regions[:MAX_LINE_REGIONS]
        for region in regions:
            curve = credit_by_age(region, on=day, avg_pension=avg, ages=LINE_AGES)
            if curve.missing:
                notes.append(f"{region.name}：{curve.missing}")
                continue
            if curve.ages != tuple(LINE_AGES):
                notes.append(f"{region.name}：规定没有覆盖 50–100 岁的每个年龄，没有画出。")
                continue
            label = region.short_name
            if curve.fallback:
                rule_region = curve.rule_region
                label += (
                    "（按全国估算）"
                    if rule_region.is_national
                    else f"（按{rule_region.short_name}）"
                )
            series.append((label, tuple(float(net) for net in curve.monthly_net)))
        parts = []
        if series:
            svg = self._cached(self._line_cache, (tuple(series),), lambda: self._draw_lines(series))
            legend = [
                (label, LINE_COLORS[i % len(LINE_COLORS)]) for i, (label, _) in enumerate(series)
            ]
            parts.append(
                f'<div class="yb-sub">纵轴：每月到账（元）；横轴：年龄（岁）。</div>{common.legend_html(legend)}{svg}'
            )
        for note in notes:
            parts.append(common.notice_html(note))
        return "".join(parts)

    @staticmethod
    def _draw_lines(series) -> str:
        ages = list(LINE_AGES)
        return common.step_lines_chart(
            ages,
            [(values, LINE_COLORS[i % len(LINE_COLORS)]) for i, (_label, values) in enumerate(series)],
            size=LINE_SIZE_IN, axes=LINE_AXES, tick_pt=CHART_TICK_PT, x_ticks=range(50, 101, 10),
        )  # fmt: skip


__all__ = [
    "CSV_HEADER", "PARAMS", "CompareRegionsApp", "compare_csv", "csv_link", "missing_html",
    "table_html",
]  # fmt: skip
