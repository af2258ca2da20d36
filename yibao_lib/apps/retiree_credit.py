"""退休人员每月划入（医保返钱）— the app behind notebooks/retiree_credit.ipynb.

Part one: a retiree's monthly credit to the personal account in a region, at an age, on a date
(:func:`yibao_lib.retiree_monthly_credit`), with a chart of the credit by age for that region.
Part two: an in-service employee's monthly credit from the contribution base
(:func:`yibao_lib.worker_monthly_credit`) and the balance projected to a date
(:func:`yibao_lib.project_worker_balance`).

Every figure comes from yibao_lib; this module only builds widgets and HTML. Query parameters:
``region`` (code or name), ``age``, ``avg`` (average pension), ``date``; ``base``, ``balance``,
``until`` for the employee part; ``big=1`` for 大字模式.
"""

from __future__ import annotations

import datetime as dt

import ipywidgets as widgets

from .. import (
    CreditResult,
    YibaoError,
    YibaoInputError,
    find_region,
    project_worker_balance,
)
from ..credit import (
    CURVE_AGES,
    MAX_AVG_PENSION,
    MAX_BASE,
    CreditCurve,
    credit_by_age,
    retiree_answer,
)
from ..inputs import fmt_rate, fmt_yuan, to_age, to_date, to_decimal, to_money
from ..regions import label as region_label
from ..ui import common
from ..ui.query import Param, checked_text, link_query, read_query

DEFAULT_REGION = "北京市"
DEFAULT_AGE = 65
CHART_AGES = CURVE_AGES
# The retiree chart's axes, as fractions of the figure: fixed so the marker for the chosen age
# can be placed on the cached SVG without drawing the chart again.
# Lettering sized for a 390-px phone, where the 4.8-inch (345.6 pt) chart is drawn about 360 px
# wide: tick labels and titles come out at 14 px or more, the marker's Chinese label at 16 px.
CHART_SIZE = (4.8, 3.0)  # inches; SVG units are points (72 per inch)
CHART_AXES = (0.15, 0.2, 0.8, 0.64)  # left, bottom, width, height
CHART_MAX_WIDTH = "480px"  # on a wide screen the chart does not grow past this
CHART_TICK_PT = 13.5
CHART_TITLE_PT = 14
MARKER_LABEL_PT = 15.5
# The age chart's Chinese lettering (title, axis name) is SVG text like the marker's label, so
# it is held to the body size: 16 px or more on a phone (numbers: 14 px, like chart ticks).
CHART_LETTERING_PT = MARKER_LABEL_PT
MARKER_COLOUR = "#cf222e"
AGE_CHARTS_KEPT = 8


def default_until(today: dt.date) -> dt.date:
    """Projection end offered by default: the end of the year five years from now."""
    return dt.date(today.year + 5, 12, 31)


def _region_text(text: str) -> str:
    return region_label(find_region(text))


def _balance_text(text: str) -> str:
    if to_decimal(text, "现有余额") < 0:
        raise YibaoInputError("现有余额不能是负数。")
    return text


# The page's link: one declaration per parameter (read by the app, written by its share link).
PARAMS = (
    Param("region", _region_text, DEFAULT_REGION, "地区", DEFAULT_REGION,
          "链接中的地区无法识别：{error}已改用{instead}。"),
    Param("age", to_age, DEFAULT_AGE, "年龄", str(DEFAULT_AGE),
          "链接中的年龄有误：{error}已改用{instead}岁。"),
    Param("avg", checked_text(lambda t: to_money(t, "平均养老金", maximum=MAX_AVG_PENSION)), "",
          "平均养老金", note="链接中的平均养老金有误：{error}已忽略。"),
    Param("date", lambda t: to_date(t, "查询日期"), dt.date.today, "日期", "今天",
          "链接中的日期有误：{error}已改用今天。", keep_default=False),
    Param("base", checked_text(lambda t: to_money(t, "缴费基数", maximum=MAX_BASE)), "",
          "缴费基数", note="链接中的缴费基数有误：{error}已忽略。", group="worker"),
    Param("balance", checked_text(_balance_text), "", "现有余额",
          note="链接中的现有余额有误：{error}已忽略。", group="worker"),
    Param("until", lambda t: to_date(t, "预测截止日期"), lambda: default_until(dt.date.today()),
          "预测日期", "默认日期", "链接中的预测日期有误：{error}已改用默认日期。",
          keep_default=False, group="worker"),
)  # fmt: skip


class RetireeCreditApp:
    """退休人员每月划入 + 在职职工每月划入与余额预测."""

    def __init__(self, query: dict[str, str] | None = None):
        query = dict(query or {})
        self._today = dt.date.today()
        link = read_query(PARAMS, query)
        self._retiree_query_notes: list[str] = link.notes_for("")
        self._worker_query_notes: list[str] = link.notes_for("worker")
        region, age, avg, day = link["region"], link["age"], link["avg"], link["date"]
        base, balance, until = link["base"], link["balance"], link["until"]

        # -- inputs, part one
        self.region = common.region_input(region)
        self.age = common.age_input(age)
        self.avg = common.money_input("平均养老金", "元/月，如 4000")
        self.avg.value = avg
        self.avg.add_class("yb-input-avg")
        self.avg.layout.display = "none"
        self.avg_hint = widgets.HTML(
            '<div class="yb-sub">这里的平均养老金是当地公布的“月人均基本养老金”，'
            "不是您本人的养老金。</div>",
            layout=widgets.Layout(display="none", width="100%"),
        )
        self.on_date = widgets.DatePicker(
            value=day, description="查询日期", layout=widgets.Layout(width="100%")
        )
        self.on_date.add_class("yb-input-date")
        self.share = widgets.HTML(layout=widgets.Layout(width="100%"))
        self.result = common.result_area()
        self.chart = common.chart_area()

        # -- inputs, part two
        self.base = common.money_input("缴费基数", "元/月，如 8000")
        self.base.value = base
        self.base.add_class("yb-input-base")
        self.balance = common.money_input("现有余额", "元，可不填")
        self.balance.value = balance
        self.balance.add_class("yb-input-balance")
        self.until = widgets.DatePicker(
            value=until, description="预测到", layout=widgets.Layout(width="100%")
        )
        self.until.add_class("yb-input-until")
        self.worker_result = widgets.HTML(layout=widgets.Layout(width="100%"))
        self.worker_result.add_class("yb-worker-result")
        self.worker_chart = common.chart_area()

        self.large_text = common.LargeTextMode(query)
        self.widget = common.app_box(
            [
                widgets.HTML("<h3>退休人员：每月划入多少</h3>"),
                self.region,
                self.age,
                self.avg,
                self.avg_hint,
                self.on_date,
                self.share,
                self.result,
                self.chart,
                widgets.HTML(
                    "<h3>在职职工：每月划入与余额预测</h3>"
                    '<div class="yb-sub">地区和查询日期沿用上面的输入；预测从查询日期所在月份开始。</div>'
                ),
                self.base,
                self.balance,
                self.until,
                self.worker_result,
                self.worker_chart,
            ],
            large_text=self.large_text,
        )

        # Drawn charts, by what they depend on: the age chart by (region, date, average) — a few
        # kept, so going back to a region is instant — with where each age sits on it; the
        # balance chart by the projection's inputs.
        self._age_charts: dict[tuple, tuple[str, dict[int, tuple[float, float]]]] = {}
        self._balance_chart: tuple[tuple, str] | None = None

        self._refresh_retiree = common.guarded(self._show_retiree_error)(self._update_retiree)
        self._refresh_worker = common.guarded(self._show_worker_error)(self._update_worker)
        self._refresh_share = common.guarded(lambda _msg: None)(self._update_share)
        for box in (self.region, self.on_date):
            box.observe(self._on_shared_change, names="value")
        for box in (self.age, self.avg):
            box.observe(self._on_retiree_change, names="value")
        for box in (self.base, self.balance, self.until):
            box.observe(self._on_worker_change, names="value")
        self.large_text.observe(self._refresh_share)

        # The first charts are drawn after the cell, while the browser loads (common.after_cell).
        self._defer_charts = True
        self._refresh_retiree()
        self._refresh_worker()
        self._refresh_share()
        self._defer_charts = False

    @classmethod
    def from_query(cls, query_string: str | None = None) -> RetireeCreditApp:
        """The app with inputs taken from the page's query string (``?region=440300&age=70``)."""
        return cls(common.query_params(query_string))

    # ---- callbacks --------------------------------------------------------------------------

    def _on_shared_change(self, _change=None) -> None:
        self._retiree_query_notes.clear()
        self._refresh_retiree()
        self._refresh_share()
        self._refresh_worker()

    def _on_retiree_change(self, _change=None) -> None:
        self._retiree_query_notes.clear()
        self._refresh_retiree()
        self._refresh_share()

    def _on_worker_change(self, _change=None) -> None:
        self._worker_query_notes.clear()
        self._refresh_worker()
        self._refresh_share()

    def _day(self) -> dt.date:
        return self.on_date.value or self._today

    def _show_retiree_error(self, message: str) -> None:
        self.result.value = self._query_notes_html(self._retiree_query_notes) + common.error_html(
            message
        )
        self.chart.value = ""

    def _show_worker_error(self, message: str) -> None:
        self.worker_result.value = self._query_notes_html(
            self._worker_query_notes
        ) + common.error_html(message)
        self.worker_chart.value = ""

    @staticmethod
    def _query_notes_html(notes: list[str]) -> str:
        return "".join(common.notice_html(note) for note in notes)

    def _set_avg_visible(self, visible: bool) -> None:
        display = None if visible else "none"
        if self.avg.layout.display != display:
            self.avg.layout.display = display
            self.avg_hint.layout.display = display

    # ---- part one: the retiree ---------------------------------------------------------------

    def _update_retiree(self) -> None:
        text = (self.region.value or "").strip()
        if not text:
            self._show_retiree_error("请先输入地区（省或城市的名称，或6位行政区划代码）。")
            return
        answer = retiree_answer(text, self.age.value, on=self._day(), avg_pension=self.avg.value)
        self._set_avg_visible(answer.need.applies)
        if answer.credit is None:
            self._show_retiree_error(answer.missing)
            return
        result = answer.credit
        self.result.value = self._query_notes_html(self._retiree_query_notes) + retiree_result_html(
            result
        )
        if self._defer_charts:
            draw = common.guarded(self._show_retiree_error)(self._show_age_chart)
            common.after_cell(lambda: draw(result, answer.avg_pension))
        else:
            self._show_age_chart(result, answer.avg_pension)

    def _show_age_chart(self, result: CreditResult, avg) -> None:
        key = (result.region.code, result.on, avg)
        drawn = self._age_charts.pop(key, None) or age_chart_svg(result, avg)
        self._age_charts[key] = drawn  # most recently used last
        while len(self._age_charts) > AGE_CHARTS_KEPT:
            del self._age_charts[next(iter(self._age_charts))]
        svg, points = drawn
        self.chart.value = with_age_marker(svg, points.get(result.age), result)

    # ---- part two: the in-service employee ----------------------------------------------------

    def _update_worker(self) -> None:
        notes = self._query_notes_html(self._worker_query_notes)
        base = (self.base.value or "").strip()
        if not base:
            self.worker_result.value = notes + (
                '<div class="yb-sub">输入每月缴费基数（元），看每月划入多少、到某个日期账户里大约有多少钱。</div>'
            )
            self.worker_chart.value = ""
            return
        text = (self.region.value or "").strip()
        if not text:
            self._show_worker_error("请先在上面输入地区。")
            return
        region = find_region(text)
        until = self.until.value
        if until is None:
            self._show_worker_error("请选择预测截止日期。")
            return
        balance = (self.balance.value or "").strip() or 0
        projection = project_worker_balance(
            base, until=until, start=self._day(), start_balance=balance, region=region
        )
        self.worker_result.value = notes + worker_result_html(projection)
        key = (
            projection.credit.monthly_net,
            projection.start_balance,
            projection.start,
            projection.until,
        )
        if self._defer_charts:
            draw = common.guarded(self._show_worker_error)(self._show_balance_chart)
            common.after_cell(lambda: draw(key, projection))
        else:
            self._show_balance_chart(key, projection)

    def _show_balance_chart(self, key: tuple, projection) -> None:
        if self._balance_chart is None or self._balance_chart[0] != key:
            self._balance_chart = (key, balance_chart_svg(projection))
        self.worker_chart.value = self._balance_chart[1]

    # ---- share link -------------------------------------------------------------------------

    def _found_region(self):
        """The region typed, or None while it is empty or not one the rules know."""
        text = (self.region.value or "").strip()
        try:
            return find_region(text) if text else None
        except YibaoError:
            return None

    def link_values(self) -> dict[str, object]:
        """The inputs as the values of :data:`PARAMS` a share link carries (None: left out)."""
        text = (self.region.value or "").strip()
        found = self._found_region()
        base = (self.base.value or "").strip()
        avg_shown = self.avg.layout.display != "none"
        return {
            "region": found.code if found else text,
            "age": self.age.value,
            "avg": (self.avg.value or "").strip() if avg_shown else None,
            "date": self.on_date.value,
            "base": base,
            "balance": (self.balance.value or "").strip() if base else None,
            "until": self.until.value if base else None,
        }

    def _update_share(self) -> None:
        found = self._found_region()
        label = f"{found.short_name} · {self.age.value} 岁" if found else ""
        self.share.value = common.share_html(
            link_query(PARAMS, self.link_values()), large_text=self.large_text, label=label
        )


# ---- HTML ------------------------------------------------------------------------------------


def retiree_result_html(result: CreditResult) -> str:
    """The result card of part one: the figure, how it was reached, how sure it is."""
    esc = common.esc
    head = (
        f'<div class="yb-sub">{esc(result.region.name)} · {result.age}岁 · '
        f"按{result.on:%Y年%m月%d日}的规定</div>"
        f"<div>退休人员每月划入个人账户（实际到账）</div>"
        f'<div class="yb-big yb-monthly">{esc(fmt_yuan(result.monthly_net))}</div>'
    )
    if result.has_deduction:
        head += (
            f"<div>扣除前每月 {esc(fmt_yuan(result.monthly_gross))}，"
            f"每月扣{esc(result.deduction_name)} {esc(fmt_yuan(result.deduction_amount))}</div>"
        )
    head += f"<div>全年到账 <b>{esc(fmt_yuan(result.yearly_net))}</b></div>"
    method = result.method_label
    if result.method == "pension_share" and result.rate is not None:
        method += f"（{result.base_label or '平均养老金'}的{fmt_rate(result.rate)}）"
    head += f"<div>计算方法：{esc(method)}；采用{esc(result.rule_region.name)}的规定</div>"
    head += f"<div>{common.badge(result.confidence)}</div>"

    parts = [common.card(head, speak=True)]
    if result.fallback:
        parts.append(common.notice_html(result.rule_note))
    if result.estimated:
        parts.append(common.notice_html("这是估算数，请以当地医保部门公布的标准为准。"))
    if result.confidence == "contested":
        parts.append(
            common.notice_html(
                "不同来源对这个数说法不一：这里用的是较可靠来源的数，其他说法见下方“另有说法”。"
            )
        )
    parts.append(common.steps_html(result.steps))
    if result.notes:
        items = "".join(f"<li>{esc(note)}</li>" for note in result.notes)
        parts.append(f"<div><b>说明</b><ul class='yb-steps'>{items}</ul></div>")
    if result.alternatives:
        parts.append(alternatives_html(result))
    parts.append(common.sources_html(result.sources))
    parts.append(
        f'<div class="yb-sub">数据核对日期：{result.checked_on:%Y年%m月%d日}。{esc(common.DISCLAIMER)}</div>'
    )
    return "".join(parts)


def alternatives_html(result: CreditResult) -> str:
    esc = common.esc
    items = []
    for alt in result.alternatives:
        figure = ""
        if alt.monthly_net is not None:
            figure = f"按此说法每月到账 {esc(fmt_yuan(alt.monthly_net))}。"
            if alt.monthly_gross != alt.monthly_net:
                figure = f"按此说法扣除前 {esc(fmt_yuan(alt.monthly_gross))}，到账 {esc(fmt_yuan(alt.monthly_net))}。"
        cites = "；".join(esc(s.cite()) for s in alt.sources)
        items.append(
            f"<li>{esc(alt.label)}。{figure} {common.badge(alt.confidence)}"
            f"<div class='yb-sub'>来源：{cites}</div></li>"
        )
    return f"<div><b>另有说法</b><ul class='yb-steps yb-alternatives'>{''.join(items)}</ul></div>"


def worker_result_html(projection) -> str:
    esc = common.esc
    credit = projection.credit
    head = (
        f'<div class="yb-sub">{esc(credit.region.name)} · 缴费基数 {esc(fmt_yuan(credit.base))}</div>'
        "<div>在职职工每月划入个人账户</div>"
        f'<div class="yb-big yb-worker-monthly">{esc(fmt_yuan(credit.monthly_net))}</div>'
        f"<div>全年划入 <b>{esc(fmt_yuan(credit.yearly_net))}</b></div>"
        f"<div>到{projection.until:%Y年%m月}底，账户余额约 "
        f'<b class="yb-final-balance">{esc(fmt_yuan(projection.final_balance))}</b></div>'
        f"<div>{common.badge(credit.confidence)}</div>"
    )
    parts = [common.card(head, speak=True)]
    if credit.fallback:
        parts.append(
            common.notice_html(f"{credit.region.name}没有收录到单独的比例，按全国原则估算。")
        )
    parts.append(common.notice_html("余额是预测：" + "".join(projection.notes)))
    parts.append(common.steps_html([*credit.steps, *projection.steps]))
    if credit.notes:
        items = "".join(f"<li>{esc(note)}</li>" for note in credit.notes)
        parts.append(f"<div><b>说明</b><ul class='yb-steps'>{items}</ul></div>")
    parts.append(common.sources_html(credit.sources))
    return "".join(parts)


# ---- charts ----------------------------------------------------------------------------------


def _chart_figure():
    fig = common.new_figure(*CHART_SIZE)
    # Fixed axes and no layout engine at all: constrained layout (and even a placeholder engine,
    # which makes savefig draw twice) would multiply the drawing time.
    fig.set_layout_engine(None)
    ax = fig.add_axes(CHART_AXES)
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="#eee", linewidth=0.8)
    ax.tick_params(labelsize=CHART_TICK_PT)
    # Few ticks: every tick is several artists, and ticks are most of the drawing time.
    ax.locator_params(axis="y", nbins=4)
    return fig, ax


def _framed(svg: str) -> str:
    return (
        f'<div class="yb-chart-frame" style="max-width:{CHART_MAX_WIDTH};margin:0 auto">{svg}</div>'
    )


def age_chart_svg(
    result: CreditResult, avg
) -> tuple[str, dict[int, tuple[float, float]]]:
    """The credit by age (50–100) in ``result``'s region, as SVG; and where each age sits on it
    (SVG user units), so the chosen age can be marked without drawing again."""
    curve = credit_by_age(result.region, on=result.on, avg_pension=avg, ages=CHART_AGES)
    return age_curve_svg(curve)


def age_curve_svg(curve: CreditCurve) -> tuple[str, dict[int, tuple[float, float]]]:
    """A :class:`~yibao_lib.credit.CreditCurve` as a step chart (SVG written directly: a region
    change redraws it, and matplotlib would take about 80 ms of the change), and where each age
    sits on it (the middle of its step)."""
    if not curve.ages:
        return "", {}
    nets = [float(net) for net in curve.monthly_net]
    chart = common.step_chart(
        curve.ages, nets, size=CHART_SIZE, axes=CHART_AXES,
        title=f"{curve.region.short_name}：每月到账（元）随年龄", x_label="年龄（岁）",
        tick_pt=CHART_TICK_PT, title_pt=CHART_LETTERING_PT,
    )  # fmt: skip
    points = {age: chart.point(age + 0.5, net) for age, net in zip(curve.ages, nets, strict=True)}
    return _framed(chart.svg), points


def with_age_marker(svg: str, point: tuple[float, float] | None, result: CreditResult) -> str:
    """Add a dot and a label for the chosen age to the cached chart (no redraw)."""
    if not svg:
        return ""
    if point is None:
        return svg
    x, y = point
    width = CHART_SIZE[0] * 72
    anchor = "end" if x > width * 0.6 else "start"
    dx = -8 if anchor == "end" else 8
    bottom = (1 - CHART_AXES[1]) * CHART_SIZE[1] * 72
    label = f"{result.age}岁：{result.monthly_net:.2f}元"
    marker = (
        f'<g class="yb-age-marker">'
        f'<line x1="{x}" y1="{y}" x2="{x}" y2="{bottom:.2f}" stroke="{MARKER_COLOUR}" '
        'stroke-dasharray="3 3" stroke-width="1"/>'
        f'<circle cx="{x}" cy="{y}" r="4.5" fill="{MARKER_COLOUR}"/>'
        f'<text class="yb-age-label" x="{x + dx}" y="{y - 8:.2f}" text-anchor="{anchor}" font-size="{MARKER_LABEL_PT}" '
        f'font-family="Noto Sans CJK SC, sans-serif" fill="{MARKER_COLOUR}">{common.esc(label)}</text>'
        "</g>"
    )
    end = svg.rindex("</svg>")
    return svg[:end] + marker + svg[end:]


def balance_chart_svg(projection) -> str:
    """The projected balance month by month (one line; x in years, so no date machinery)."""
    if not projection.months:
        return ""
    fig, ax = _chart_figure()
    years = [m.year + (m.month - 1) / 12 for m in projection.months]
    values = [float(v) for v in projection.balances]
    ax.plot(years, values, color="#1a7f37", linewidth=2)
    ax.set_ylim(0, max(values) * 1.1 or 1.0)
    ax.locator_params(axis="x", nbins=4, integer=True)
    ax.set_title("余额预测（元，不计支出和利息）", fontsize=CHART_TITLE_PT, loc="left")
    ax.set_xlabel("年份", fontsize=CHART_TITLE_PT)
    return _framed(common.figure_svg(fig))


__all__ = [
    "PARAMS", "RetireeCreditApp", "age_chart_svg", "age_curve_svg", "retiree_result_html",
    "worker_result_html",
]  # fmt: skip
