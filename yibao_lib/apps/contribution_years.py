"""缴费年限: have I paid enough years to stop paying at retirement, and if not, what can I do?

Every figure comes from :func:`yibao_lib.minimum_years_check`; this module only arranges it: a
clear yes/no, the shortfall with a progress chart, the options, the steps, notes and sources, and
— where a region's rule changes from year to year — the requirement for each year
(:func:`yibao_lib.years.requirement_by_year`).
"""

from __future__ import annotations

import functools
from collections import OrderedDict
from datetime import date

import ipywidgets as widgets

from ..errors import YibaoError
from ..inputs import SEX_LABELS, fmt_number, to_date, to_sex, to_years
from ..regions import find_region
from ..regions import label as region_label
from ..ui import common
from ..ui.query import Param, checked_text, link_query, read_query
from ..years import (
    TIMELINE_YEARS,
    RequirementTimeline,
    YearsResult,
    minimum_years_check,
    requirement_by_year,
    years_headline,
)

SEX_OPTIONS = (("男", "male"), ("女", "female"))
_CACHE_SIZE = 32
SHORT_COLOR, MET_COLOR, NEED_COLOR = "#d4a72c", "#1a7f37", "#d0d7de"
# This app's own layout: toggle buttons beside their label like the other inputs; inputs lose
# the 2 px side margins that make a 100 % wide input overflow the app on a phone.
APP_CSS = """<style>
.yb-years .widget-inline-hbox { margin-left: 0 !important; margin-right: 0 !important; }
.yb-years .widget-toggle-buttons { display: flex; align-items: center; margin: 2px 0; }
.yb-years .widget-toggle-buttons > .widget-label { text-align: right; margin-right: 8px; flex-shrink: 0; }
.yb-years .widget-toggle-buttons > div { display: flex; gap: 8px; }
.yb-years .yb-met .yb-big { color: #116329; }
</style>"""


def _years_input(description: str, placeholder: str) -> widgets.Text:
    """Years typed as text: a bad value is reported by the rules in Chinese, never clamped."""
    return widgets.Text(value="", description=description, placeholder=placeholder,
                        continuous_update=False, layout=widgets.Layout(width="100%"))  # fmt: skip


def _years_param(name: str, what: str) -> Param:
    return Param(name, checked_text(functools.partial(to_years, what=what)), "", what, "空白")


# The page's link: one declaration per parameter (read by the app, written by its share link).
PARAMS = (
    Param("region", lambda t: region_label(find_region(t)), "", "地区", "空白，请重新输入"),
    Param("sex", to_sex, "male", "性别", "男", write=SEX_LABELS.__getitem__),
    _years_param("total", "累计实际缴费年限"),
    _years_param("local", "本地实际缴费年限"),
    _years_param("deemed", "视同缴费年限"),
    Param("date", lambda t: to_date(t, "退休日期"), date.today, "退休日期", "今天",
          keep_default=False),
)  # fmt: skip


# ---- HTML of the answer (pure functions: results in, HTML out) -------------------------------


def requirement_html(r: YearsResult) -> str:
    """No years typed yet: what the rule asks for, with its notes and sources."""
    n = fmt_number
    local = "".join(
        f"，其中{s.label}需满 {n(s.required)} 年" for s in r.requirements if s.kind != "total"
    )
    kind = "（估算）" if r.estimated else ""
    head = (
        f"<div>{common.esc(r.region.name)} · {r.sex_label}性 · {r.on:%Y年%m月%d日}退休{kind}</div>"
        f'<div>累计缴费需满 <span class="yb-big yb-required">{n(r.required_total)} 年</span>'
        f"{common.esc(local)}</div>"
        f"<div>{common.badge(r.confidence)}</div>"
    )
    return common.card(
        head
        + '<div class="yb-sub">填写您的累计实际缴费年限，看看够不够。</div>'
        + notes_block(r)
        + common.sources_html(r.sources),
        speak=common.spoken_text(head),
    )


def answer_html(r: YearsResult, timeline: str = "", progress: str = "") -> str:
    """The answer: met or how many years short (with ``progress``, the chart of the years),
    ``timeline`` (the requirement by year), the options, then steps, notes and sources."""
    headline = years_headline(r)
    where = f"{common.esc(r.region.name)} · {r.sex_label}性 · {r.on:%Y年%m月%d日}退休"
    if r.met:
        top = (
            f"<div>{where}</div>"
            '<div class="yb-ok yb-met"><div class="yb-big">已达到规定年限</div>'
            "退休后不用再交职工医保费，按规定享受退休人员医保待遇。</div>"
            f"<div>{common.esc(headline)}</div>"
        )
    else:
        top = (
            f"<div>{where}</div>"
            f'<div class="yb-big yb-short">还差 {fmt_number(r.gap)} 年</div>'
            f'<div class="yb-notice yb-gap">{common.esc(headline)}</div>'
            + progress
        )
    if r.estimated:
        top += common.notice_html(
            "此结果含估算成分（见下面的计算过程和说明），请以当地医保部门的规定为准。"
        )
    top += f"<div>{common.badge(r.confidence)}</div>"
    parts = [common.card(top, speak=True), timeline]
    if r.options:
        items = "".join(
            f"<li><b>{common.esc(o.title)}</b>：{common.esc(o.explanation)}</li>"
            for o in r.options
        )
        parts.append(
            common.card(
                f"<b>还差年限，可以怎么办</b><ol class='yb-steps'>{items}</ol>", speak=True
            )
        )
    details = common.steps_html(r.steps) + notes_block(r) + common.sources_html(r.sources)
    details += f'<div class="yb-sub">{common.esc(common.DISCLAIMER)}</div>'
    parts.append(common.card(details))
    return "".join(parts)


def notes_block(r: YearsResult) -> str:
    if not r.notes:
        return ""
    items = "".join(f"<li>{common.esc(note)}</li>" for note in r.notes)
    return f"<div><b>说明</b><ul class='yb-sources'>{items}</ul></div>"


def timeline_html(timeline: RequirementTimeline, day: date) -> str:
    """The requirement by year where the rule changes or is phasing in ("" otherwise); the row
    of the retirement year stands out."""
    if not timeline.worth_showing:
        return ""
    last = timeline.latest
    rows = []
    for row in timeline.rows:
        status = "过渡期：当年标准未收录，按目标年限计" if row.phasing_in else "现行"
        local = "—" if row.required_local is None else fmt_number(row.required_local)
        style = ' style="background:#fff8c5;font-weight:700;"' if row.year == day.year else ""
        rows.append(
            f"<tr{style}><td>{row.year}</td><td class='num'>{fmt_number(row.required_total)}</td>"
            + (f"<td class='num'>{local}</td>" if timeline.has_local else "")
            + f"<td>{status}</td></tr>"
        )
    local_head = (
        f"<th>{common.esc(last.local_label)}实际缴费（年）</th>" if timeline.has_local else ""
    )
    intro = (
        f"{last.rule_region.name}的年限要求逐年变化（{timeline.sex_label}性，按各年6月1日的规定）："
    )
    extra = ""
    if timeline.phasing:
        extra = common.notice_html(
            "过渡期内每一年的具体标准，本工具的数据没有收录（来源只给出了最终目标），"
            "表中按目标年限列出；实际当年的要求可能更低，请向当地医保部门确认。"
        )
    if not timeline.covers(day.year):
        extra += f'<div class="yb-sub">您的退休年份 {day.year} 不在表中；计算按退休日期当天的规定。</div>'
    return common.card(
        f"<b>{common.esc(intro)}</b>"
        f'<div class="yb-scroll"><table class="yb-table yb-timeline"><thead><tr><th>年份</th>'
        f"<th>累计（年）</th>{local_head}<th>说明</th></tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
        + extra
    )


class ContributionYearsApp:
    """Widgets of the 缴费年限 app; ``.widget`` is the root to display."""

    def __init__(self, query: dict[str, str] | None = None):
        query = dict(query or {})
        link = read_query(PARAMS, query)
        self._query_notes: list[str] = link.all_notes
        self._shown_key = None
        self._chart_cache: OrderedDict = OrderedDict()
        self._timeline_cache: dict = {}

        self.region = common.region_input(link["region"])
        self.sex = widgets.ToggleButtons(
            options=SEX_OPTIONS, value=link["sex"], description="性别",
            style={"button_width": "5.5em"},
        )  # fmt: skip
        self.total = _years_input("累计实际缴费", "年数，如 19 或 19.5")
        self.local = _years_input("其中本地", "在本省/本市实际缴费的年数，可不填")
        self.deemed = _years_input("视同缴费", "视同缴费年限，没有就不填")
        for box, name in ((self.total, "total"), (self.local, "local"), (self.deemed, "deemed")):
            box.value = link[name]
        self.date = widgets.DatePicker(
            value=link["date"], description="退休日期",
            layout=widgets.Layout(width="100%"),
        )  # fmt: skip
        for box, name in ((self.sex, "sex"), (self.total, "total"), (self.local, "local"),
                          (self.deemed, "deemed"), (self.date, "date")):  # fmt: skip
            box.add_class(f"yb-input-{name}")
        self.result = common.result_area()
        self.share = widgets.HTML(layout=widgets.Layout(width="100%"))
        hint = widgets.HTML(
            '<div class="yb-sub">年数可以带小数（如 19.5）。“其中本地”指在当地实际缴费的年数，'
            "不填就当作全部在本地；“视同缴费”是实行个人缴费前、按规定算作缴费的工龄。</div>"
        )
        self.large_text = common.LargeTextMode(query)
        self.widget = common.app_box([
            common.style(APP_CSS), self.region, self.sex, self.total, self.local, self.deemed,
            hint, self.date, self.share, self.result,
        ], large_text=self.large_text)  # fmt: skip
        self.widget.add_class("yb-years")
        self.large_text.observe(common.guarded(self._show_error)(self._update_share))

        common.guarded(self._show_error)(self._first_refresh)(bool(query))
        on_change = common.guarded(self._show_error)(self._on_change)
        for box in (self.region, self.sex, self.total, self.local, self.deemed, self.date):
            box.observe(on_change, names="value")

    @classmethod
    def from_query(cls, query_string: str | None = None) -> ContributionYearsApp:
        return cls(common.query_params(query_string))

    # ---- a link the rules refuse falls back to the defaults, with a note ----------------------

    def _first_refresh(self, from_link: bool) -> None:
        """The first result; inputs from a link that the rules refuse give way to the defaults."""
        try:
            self._refresh()
            return
        except YibaoError as exc:
            if not from_link:
                raise
            message = str(exc)
        self._query_notes.append(f"链接里的参数用不了：{message} 已改用默认值。")
        self.local.value = self.deemed.value = ""
        self.date.value = date.today()
        try:
            self._refresh()
            return
        except YibaoError:
            pass
        self.region.value = self.total.value = ""
        self.sex.value = "male"
        self._refresh()

    # ---- updates -----------------------------------------------------------------------------

    def _show_error(self, message: str) -> None:
        """A bad input: the message in the result area, and no figure left standing."""
        self.result.value = common.error_html(message)
        self._shown_key = None
        self._update_share()

    def _on_change(self, change) -> None:
        self._query_notes = []
        self._refresh()

    def _refresh(self) -> None:
        self._update_share()
        day = self.date.value or date.today()
        key = (self.region.value, self.sex.value, self.total.value, self.local.value,
               self.deemed.value, day, tuple(self._query_notes))  # fmt: skip
        if key == self._shown_key:
            return
        self._shown_key = None
        self.result.value = self._result_html(day)
        self._shown_key = key

    def link_values(self) -> dict[str, object]:
        """The inputs as the values of :data:`PARAMS` a share link carries."""
        return {
            "region": self.region.value.strip(), "sex": self.sex.value,
            "total": self.total.value.strip(), "local": self.local.value.strip(),
            "deemed": self.deemed.value.strip(), "date": self.date.value,
        }  # fmt: skip

    def _update_share(self) -> None:
        self.share.value = common.share_html(
            link_query(PARAMS, self.link_values()), large_text=self.large_text,
            label=self._share_label(),
        )  # fmt: skip

    def _share_label(self) -> str:
        try:
            place = find_region(self.region.value.strip()).short_name
        except YibaoError:
            return ""
        return f"{place} · {SEX_LABELS[self.sex.value]}"

    # ---- the result --------------------------------------------------------------------------

    def _result_html(self, day: date) -> str:
        notes = "".join(common.notice_html(note) for note in self._query_notes)
        region_text = self.region.value.strip()
        if not region_text:
            return notes + common.notice_html("请先输入地区（如“北京”“长沙”），再填写缴费年限。")
        region = find_region(region_text)
        sex = self.sex.value
        total = self.total.value.strip()
        if not total:
            requirement = minimum_years_check(region, sex, 0, on=day)
            return notes + requirement_html(requirement) + self._timeline_html(region, sex, day)
        result = minimum_years_check(
            region, sex, total, local_years=self.local.value.strip() or None,
            deemed_years=self.deemed.value.strip() or 0, on=day,
        )  # fmt: skip
        progress = "" if result.met else self._progress_svg(result)
        return notes + answer_html(result, self._timeline_html(region, sex, day), progress)

    # ---- the progress chart ------------------------------------------------------------------

    def _progress_svg(self, r: YearsResult) -> str:
        names = {"total": "累计（实际+视同）"}
        bars = [
            (names.get(s.kind, s.label), float(s.have), float(s.required)) for s in r.requirements
        ]
        key = tuple(bars)
        if key in self._chart_cache:
            self._chart_cache.move_to_end(key)
        else:
            self._chart_cache[key] = self._draw_progress(bars)
            if len(self._chart_cache) > _CACHE_SIZE:
                self._chart_cache.popitem(last=False)
        return f'<div class="yb-chart" style="max-width:420px;">{self._chart_cache[key]}</div>'

    @staticmethod
    def _draw_progress(bars) -> str:
        """Per row: a caption, then a grey bar for the years needed and a coloured bar for the
        years counted (green when enough, amber when short)."""
        count = len(bars)
        height = 0.7 * count + 0.05
        fig = common.new_figure(3.6, height)
        fig.set_layout_engine(None)
        ax = fig.add_axes((0.01, 0.0, 0.98, 1.0))
        top = max(max(have, need) for _, have, need in bars) or 1
        rows = range(count)
        ax.barh(rows, [need for _, _, need in bars], height=0.42, color=NEED_COLOR)
        ax.barh(rows, [have for _, have, _ in bars], height=0.42,
                color=[MET_COLOR if have >= need else SHORT_COLOR for _, have, need in bars])  # fmt: skip
        for i, (label, have, need) in enumerate(bars):
            ax.text(
                0, i - 0.28, f"{label}：{have:g} / {need:g} 年", ha="left", va="bottom", fontsize=13
            )
        ax.set_xlim(0, top)
        ax.set_ylim(count - 0.5, -0.9)
        ax.set_axis_off()
        return common.figure_svg(fig)

    # ---- rules that change from year to year -------------------------------------------------

    def _timeline_html(self, region, sex: str, day: date) -> str:
        key = (region.code, sex)
        if key not in self._timeline_cache:
            self._timeline_cache[key] = requirement_by_year(region, sex, TIMELINE_YEARS)
        return timeline_html(self._timeline_cache[key], day)


__all__ = [
    "PARAMS", "ContributionYearsApp", "answer_html", "requirement_by_year", "requirement_html",
    "timeline_html", "years_headline",
]  # fmt: skip
