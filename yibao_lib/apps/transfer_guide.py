"""转移接续 — a five-step wizard: 情况 → 路线 → 步骤 → 时间线 → 小结.

Everything it shows comes from :func:`yibao_lib.transfer_plan` (route, blockers, steps with
documents and working-day deadlines, reported durations, lapse rules, the 医保钱包) and from
``data/transfer.yaml`` through :func:`yibao_lib.facts.what_moves` and
:func:`yibao_lib.facts.transfer_tips`. The app only arranges it: one step at a time,
a document checklist to tick, a timeline chart, and a summary to download or print.

Query parameters pre-fill the situation: ``from``, ``to`` (name or code), ``scheme``
(employee|resident), ``retired``, ``relocated``, ``stopped``, ``enrolled``, ``connected`` (1/0),
``channel`` (online|offline), ``start`` (YYYY-MM-DD), ``step`` (1–5) and ``big=1`` (大字模式).
"""

from __future__ import annotations

import functools
from datetime import date
from urllib.parse import quote

import ipywidgets as widgets

from ..errors import YibaoError, YibaoInputError
from ..facts import transfer_tips as tips
from ..facts import what_moves
from ..inputs import to_date
from ..regions import find_region
from ..regions import label as region_label
from ..transfer import CHANNELS, SCHEMES, TransferPlan, transfer_plan
from ..ui import common
from ..ui.common import esc
from ..ui.query import Param, choice, flag, link_query, read_query

__all__ = [
    "PARAMS", "STEP_TITLES", "TransferGuideApp", "progress_html", "step_html", "summary_html",
    "summary_markdown", "what_moves",
]  # fmt: skip

STEP_TITLES = ("情况", "路线", "步骤", "时间线", "小结")
TRANSFER_ROUTES = ("cross_province", "within_province")  # routes with the 10 + 5 working-day limits
DOWNLOAD_NAME = "yibao_转移接续"

# query key → (widget attribute, default, label used in messages)
FLAGS = {
    "retired": ("retired", False, "已退休"),
    "relocated": ("relocated", False, "跨省异地安置"),
    "stopped": ("stopped", True, "已停保"),
    "enrolled": ("enrolled", True, "已在新地参保"),
    "connected": ("connected", True, "转入地已接入全国平台"),
}
_SCHEME_KEYS = {**{k: k for k in SCHEMES}, **{v: k for k, v in SCHEMES.items()}}
_CHANNEL_KEYS = {**{k: k for k in CHANNELS}, **{v: k for k, v in CHANNELS.items()},
                 "线上": "online", "线下": "offline"}  # fmt: skip
ISSUED_BY = {"person": "本人准备", "origin": "转出地开具", "destination": "转入地开具"}

# Styles only this app needs: the progress bar, the step list, the reported-durations box, and
# printing only the summary.
APP_CSS = """
<style>
.yb-tg .widget-inline-hbox, .yb-tg .widget-box, .yb-tg .widget-button { margin-left: 0 !important; margin-right: 0 !important; }
.yb-tg .widget-text, .yb-tg .widget-dropdown, .yb-tg .widget-datepicker { height: auto !important; align-items: center; margin-top: 3px; margin-bottom: 3px; }
.yb-tg-progress { margin: 4px 0 8px; }
.yb-tg-progress-text { font-weight: 600; }
.yb-tg-bar { height: 8px; background: #eaeef2; border-radius: 4px; overflow: hidden; margin: 4px 0; }
.yb-tg-bar > span { display: block; height: 100%; background: #0969da; }
.yb-tg-names { display: flex; flex-wrap: wrap; justify-content: space-between; gap: 0 8px; color: #57606a; margin: 0; padding: 0; list-style: none; }
.yb-tg-names li.yb-tg-now { color: #0969da; font-weight: 700; text-decoration: underline; text-underline-offset: 0.2em; }
.yb-tg-names li.yb-tg-done { color: #1a7f37; }
.yb-tg-names li.yb-tg-done::before { content: "✓"; content: "✓" / ""; }
.yb-tg-list { margin: 6px 0; padding-left: 2.2em; }
.yb-tg-nav { width: 100%; gap: 8px; margin: 10px 0 4px; }
.yb-tg-nav .widget-button { flex: 1 1 0; width: auto !important; }
.yb-tg-steps { list-style: none; margin: 0; padding: 0; }
.yb-tg-steps > li { border-left: 4px solid #d0d7de; padding: 4px 10px; margin: 8px 0; }
.yb-tg-steps > li.yb-tg-person { border-left-color: #0969da; }
.yb-tg-steps > li.yb-tg-origin { border-left-color: #9a6700; }
.yb-tg-steps > li.yb-tg-destination { border-left-color: #1a7f37; }
.yb-tg-actor { font-weight: 700; }
.yb-tg-due { color: #cf222e; font-weight: 600; }
.yb-tg-docs { color: #444; }
.yb-tg-reported { border: 1px dashed #8c959f; background: #f6f8fa; border-radius: 8px; padding: 8px 12px; margin: 10px 0; }
.yb-tg-reported b { color: #57606a; }
.yb-tg-chart { max-width: 560px; }
.yb-tg-buttons { display: flex; flex-wrap: wrap; gap: 8px; margin: 4px 0 8px; }
.yb-tg-buttons a, .yb-tg-buttons button { display: inline-flex; align-items: center; justify-content: center; min-height: 44px;
  padding: 4px 14px; font-size: inherit; font-family: inherit; border: 1px solid #0969da; border-radius: 6px; color: #0a58ca;
  background: #fff; text-decoration: none; cursor: pointer; }
.yb-tg.yb-big-text .yb-tg-buttons a, .yb-tg.yb-big-text .yb-tg-buttons button { min-height: 60px; }
.yb-tg-doc-purpose { color: #57606a; margin: -4px 0 6px 34px; }
.yb-tg.yb-big-text .yb-tg-doc-purpose { margin-left: 40px; }
@media print {
  body * { visibility: hidden !important; }
  .yb-tg-summary, .yb-tg-summary * { visibility: visible !important; }
  .yb-tg-summary { position: absolute; left: 0; top: 0; width: 100%; }
  .yb-tg-buttons, .yb-speak { display: none !important; }
}
</style>
"""


# ---- the page's link: one declaration per parameter (read by the app, written by its link) ----


def _region_text(raw: str) -> str:
    """A place from the link, shown by its name; text the rules do not know is left as typed
    (the plan then shows the library's message)."""
    try:
        return region_label(find_region(raw))
    except YibaoError:
        return raw


def _step(raw: str) -> int:
    if raw in {str(n) for n in range(1, len(STEP_TITLES) + 1)}:
        return int(raw)
    raise YibaoInputError(f"步骤应为 1 到 {len(STEP_TITLES)}。")


_CHOICE_NOTE = "链接里的{label}“{raw}”无法识别，已改用“{instead}”。"
_FLAG_NOTE = "链接里的“{label}”应为 1 或 0，收到“{raw}”，已按“{instead}”处理。"
PARAMS = (
    Param("from", _region_text, ""),
    Param("to", _region_text, ""),
    Param("scheme", choice(_SCHEME_KEYS), "employee", "参保类型", SCHEMES["employee"], _CHOICE_NOTE),
    *(Param(key, flag, default, label, "是" if default else "否", _FLAG_NOTE)
      for key, (_attr, default, label) in FLAGS.items()),
    Param("channel", choice(_CHANNEL_KEYS), "online", "办理方式", CHANNELS["online"], _CHOICE_NOTE),
    Param("start", lambda t: to_date(t, "链接里的申请日期"), date.today, note="{error}已改用今天。"),
    Param("step", _step, 1,
          note=f"链接里的步骤“{{raw}}”应为 1 到 {len(STEP_TITLES)}，已从第1步开始。"),
)  # fmt: skip


# ---- text pieces shared by the screen and the downloads --------------------------------------


def _due_text(step) -> str:
    if step.due is None:
        return ""
    text = f"最迟 {step.due.date:%Y-%m-%d}"
    if step.limit_text:
        text += f"（{step.limit_text}）"
    return text + ("（估算）" if step.due.estimated else "")


def _deadline_text(plan: TransferPlan) -> str:
    if plan.deadline is None:
        return _no_deadline_text(plan)
    return f"{plan.deadline.date:%Y-%m-%d}" + ("（估算）" if plan.deadline.estimated else "")


def _no_deadline_text(plan: TransferPlan) -> str:
    if plan.route == "no_transfer_needed":
        return "不需要办理转移，所以没有办理时限"
    return "此路线没有全国统一的办理时限，以当地经办机构为准"


def _estimate_notes(plan: TransferPlan) -> list[str]:
    notes = [s.due.note for s in plan.steps if s.due is not None and s.due.note]
    return list(dict.fromkeys(notes))


def _situation_lines(plan: TransferPlan) -> list[str]:
    flags = [SCHEMES[plan.scheme], CHANNELS[plan.channel], f"申请日 {plan.start:%Y-%m-%d}"]
    if plan.retired:
        flags.append("已退休" + ("，跨省异地安置" if plan.relocated else ""))
    return [f"{plan.origin.name} → {plan.destination.name}", "；".join(flags)]


def _summary_sections(plan: TransferPlan, ticked: dict[str, bool] | None = None):
    """(title, lines) pairs: the summary in order, for Markdown, HTML and print."""
    ticked = ticked or {}
    sections = [
        ("情况", _situation_lines(plan)),
        ("路线", [plan.route_label, f"按规定最迟完成：{_deadline_text(plan)}"]),
    ]
    if plan.blockers:
        sections.append(("需要先办的事", list(plan.blockers)))
    steps = []
    for step in plan.steps:
        line = f"第{step.order}步（{step.actor_label}）：{step.text}"
        if step.documents:
            line += " 材料：" + "、".join(d.name for d in step.documents) + "。"
        if step.due:
            line += " " + _due_text(step) + "。"
        steps.append(line)
    sections.append(("办理步骤", steps))
    checklist = plan.checklist()
    if checklist:
        sections.append(("材料清单", [
            ("[x] " if ticked.get(d.id) else "[ ] ") + f"{d.name}（{ISSUED_BY.get(d.issued_by, '')}）"
            for d in checklist
        ]))  # fmt: skip
    if plan.deadline is not None:
        sections.append(("时限说明", [*plan.notes, *_estimate_notes(plan)]))
    elif plan.notes:
        sections.append(("说明", list(plan.notes)))
    if plan.reported_durations:
        sections.append(("个案反馈，非规定时限", [f.text for f in plan.reported_durations]))
    if plan.lapse_rules:
        sections.append(("断缴怎么办", [f.text for f in plan.lapse_rules]))
    if plan.wallet:
        sections.append(("医保钱包（给近亲属用）", [f.text for f in plan.wallet]))
    sections.append(
        ("依据", [f"可信度：{plan.confidence_label}", *(s.cite() for s in plan.sources)])
    )
    return sections


def summary_markdown(plan: TransferPlan, ticked: dict[str, bool] | None = None) -> str:
    """The summary as Markdown (for the download link)."""
    out = [f"# 医保转移接续小结：{plan.origin.name} → {plan.destination.name}", ""]
    for title, lines in _summary_sections(plan, ticked):
        out += [f"## {title}", ""]
        out += [f"- {line}" for line in lines]
        out.append("")
    out += [f"> {common.DISCLAIMER}", ""]
    return "\n".join(out)


def _sections_html(plan: TransferPlan, ticked: dict[str, bool] | None = None) -> str:
    parts = []
    for title, lines in _summary_sections(plan, ticked):
        items = "".join(f"<li>{esc(line)}</li>" for line in lines)
        parts.append(f"<h3>{esc(title)}</h3><ul>{items}</ul>")
    return "".join(parts)


def summary_html(plan: TransferPlan, ticked: dict[str, bool] | None = None) -> str:
    """The summary as a standalone HTML page (for the download link)."""
    title = f"医保转移接续小结：{plan.origin.name} → {plan.destination.name}"
    return (
        "<!DOCTYPE html><html lang='zh'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{esc(title)}</title><style>body{{font-family:sans-serif;max-width:760px;"
        "margin:0 auto;padding:12px;line-height:1.6}}li{{margin:4px 0}}</style></head><body>"
        f"<h1>{esc(title)}</h1>{_sections_html(plan, ticked)}<p><i>{esc(common.DISCLAIMER)}</i></p>"
        "</body></html>"
    )


def _data_url(mime: str, text: str) -> str:
    return f"data:{mime};charset=utf-8,{quote(text, safe='')}"


def _facts_html(facts, title: str, css: str = "") -> str:
    items = "".join(f"<li>{esc(f.text)} {common.badge(f.confidence)}</li>" for f in facts)
    return f"<div class='{css}'><b>{esc(title)}</b><ul class='yb-steps'>{items}</ul></div>"


# ---- the timeline chart ----------------------------------------------------------------------


def _timeline_points(plan: TransferPlan) -> tuple[tuple[int, date, str, bool], ...]:
    """(working days from start, date, label, estimated) for the start and each due step."""
    points = [(0, plan.start, "提交申请", False)]
    for step in plan.steps:
        if step.due is not None:
            who = step.actor_label.removesuffix("医保经办机构")
            points.append(
                (step.due.working_days, step.due.date, f"{who}最迟办完", step.due.estimated)
            )
    return tuple(points)


@functools.lru_cache(maxsize=32)
def timeline_svg(points: tuple[tuple[int, date, str, bool], ...]) -> str:
    """Start → transfer-out due → transfer-in due on a working-day axis, as inline SVG."""
    # 13 pt lettering: 14 px or more where the 4.4-inch chart is drawn about 360 px wide (a phone)
    fig = common.new_figure(4.4, 2.2)
    ax = fig.add_subplot()
    xs = [p[0] for p in points]
    ax.plot(xs, [0] * len(xs), color="#0969da", linewidth=3, zorder=1)
    for i, (x, day, label, estimated) in enumerate(points):
        colour = "#9a6700" if estimated else "#0969da"
        ax.scatter([x], [0], s=80, color=colour, zorder=2)
        when = f"第{x}个工作日" if x else "从这天起算"
        text = f"{label}\n{day:%Y-%m-%d}" + ("（估算）" if estimated else "") + f"\n{when}"
        above = i % 2 == 0  # alternate above / below so close points do not collide
        ax.annotate(text, (x, 0), xytext=(0, 10 if above else -10), textcoords="offset points",
                    ha="center", va="bottom" if above else "top", fontsize=13,
                    color="#24292f", linespacing=1.3)  # fmt: skip
    ax.set_ylim(-1, 1)
    span = max(xs) or 1
    ax.set_xlim(-0.28 * span, 1.28 * span)
    ax.set_axis_off()
    return common.figure_svg(fig)


# ---- the app ---------------------------------------------------------------------------------


class TransferGuideApp:
    """The wizard. ``widget`` is the root; ``result`` the current step's content."""

    def __init__(self, query: dict[str, str] | None = None):
        query = dict(query or {})
        link = read_query(PARAMS, query)
        self.messages: list[str] = link.all_notes  # problems with the link, shown until a change
        self.plan: TransferPlan | None = None
        self.error: str | None = None
        self.ticked: dict[str, bool] = {}
        self._checklist_ids: tuple[str, ...] = ()
        self._plans: dict[tuple, TransferPlan | str] = {}
        self._doc_widgets: dict[str, tuple[widgets.Checkbox, widgets.HTML]] = {}
        self._checklist_title = widgets.HTML("<b>材料清单</b>（备好一样勾一样，方便自己核对）")

        self.origin = common.region_input(link["from"], "转出地")
        self.destination = common.region_input(link["to"], "转入地")
        self.destination.remove_class("yb-input-region")
        self.destination.add_class("yb-input-destination")
        self.destination.placeholder = "输入新参保的城市，如 北京"
        self.origin.placeholder = "输入原参保的城市，如 南宁"
        full = widgets.Layout(width="100%")
        self.scheme = widgets.Dropdown(
            options=[(label, key) for key, label in SCHEMES.items()], description="参保类型",
            value=link["scheme"], layout=full,
        )  # fmt: skip
        self.channel = widgets.Dropdown(
            options=[(label, key) for key, label in CHANNELS.items()], description="办理方式",
            value=link["channel"], layout=full,
        )  # fmt: skip
        descriptions = {
            "retired": "我已退休",
            "relocated": "我是跨省异地安置的退休人员",
            "stopped": "已在转出地停保（中止参保），没有欠费",
            "enrolled": "已在转入地参保",
            "connected": "转入地已接入全国医保信息平台（不清楚就保持勾选）",
        }
        for key, (attr, _default, _label) in FLAGS.items():
            box = widgets.Checkbox(value=link[key],
                                   description=descriptions[key], indent=False, layout=full)  # fmt: skip
            setattr(self, attr, box)
        self.start = widgets.DatePicker(value=link["start"], description="申请日期", layout=full)
        self.step = link["step"]

        self.progress = widgets.HTML(layout=full)
        self.progress.add_class("yb-tg-progress-box")
        self.inputs_box = widgets.VBox(
            [self.origin, self.destination, self.scheme,
             self.retired, self.relocated, self.stopped, self.enrolled, self.connected,
             self.channel, self.start],
            layout=widgets.Layout(width="100%"),
        )  # fmt: skip
        self.result = common.result_area()
        self.checklist_box = widgets.VBox(layout=widgets.Layout(width="100%"))
        self.checklist_box.add_class("yb-tg-checklist")
        self.prev = widgets.Button(description="上一步", icon="arrow-left")
        self.next = widgets.Button(description="下一步", icon="arrow-right", button_style="primary")
        self.nav = widgets.HBox([self.prev, self.next], layout=widgets.Layout(width="100%"))
        self.nav.add_class("yb-tg-nav")
        self.share = widgets.HTML(layout=full)
        self.large_text = common.LargeTextMode(query)
        self.widget = common.app_box([common.style(APP_CSS), self.progress, self.inputs_box,
                                      self.result, self.checklist_box, self.nav, self.share],
                                     large_text=self.large_text)  # fmt: skip
        self.widget.add_class("yb-tg")

        guard = common.guarded(self._show_error)
        self._on_input = guard(self._on_input)
        self._on_prev = guard(self._on_prev)
        self._on_next = guard(self._on_next)
        self._on_tick = guard(self._on_tick)
        self.large_text.observe(guard(self._update_share))
        for box in self.inputs:
            box.observe(self._on_input, names="value")
        self.prev.on_click(self._on_prev)
        self.next.on_click(self._on_next)
        guard(self.refresh)()

    @classmethod
    def from_query(cls, query_string: str | None = None) -> TransferGuideApp:
        return cls(common.query_params(query_string))

    @property
    def inputs(self) -> tuple[widgets.Widget, ...]:
        return (self.origin, self.destination, self.scheme, self.retired, self.relocated,
                self.stopped, self.enrolled, self.connected, self.channel, self.start)  # fmt: skip

    # ---- state -------------------------------------------------------------------------------

    def link_values(self) -> dict[str, object]:
        """The inputs as the values of :data:`PARAMS` a share link carries."""
        values: dict[str, object] = {
            "from": self.plan.origin.name if self.plan else self.origin.value.strip(),
            "to": self.plan.destination.name if self.plan else self.destination.value.strip(),
            "scheme": self.scheme.value,
        }
        for key, (attr, _default, _label) in FLAGS.items():
            values[key] = getattr(self, attr).value is True
        values["channel"] = self.channel.value
        values["start"] = self.start.value if isinstance(self.start.value, date) else None
        values["step"] = self.step
        return values

    def situation(self) -> dict[str, str]:
        """The inputs as the query parameters that reproduce them."""
        return link_query(PARAMS, self.link_values())

    def _compute(self) -> None:
        """Recompute the plan from the inputs (cached per situation); errors become state."""
        origin, destination = self.origin.value, self.destination.value
        start = self.start.value
        key = (origin, destination, self.scheme.value, self.retired.value, self.relocated.value,
               self.stopped.value, self.enrolled.value, self.connected.value, self.channel.value,
               start)  # fmt: skip
        self.plan, self.error = None, None
        if not str(origin or "").strip() or not str(destination or "").strip():
            return
        if key not in self._plans:
            try:
                if not isinstance(start, date):
                    raise YibaoInputError("请选择申请日期（例如 2026-06-01），时限从这一天起算。")
                self._plans[key] = transfer_plan(
                    origin, destination, scheme=self.scheme.value, retired=self.retired.value,
                    relocated=self.relocated.value, stopped_at_origin=self.stopped.value,
                    enrolled_at_destination=self.enrolled.value,
                    destination_connected=self.connected.value, channel=self.channel.value,
                    start=start,
                )  # fmt: skip
            except YibaoError as exc:
                self._plans[key] = str(exc)
            except TypeError:  # an unhashable or odd widget value: not a plan
                self._plans[key] = common.GENERIC_ERROR
            if len(self._plans) > 256:
                self._plans.pop(next(iter(self._plans)))
        found = self._plans[key]
        if isinstance(found, str):
            self.error = found
        else:
            self.plan = found

    def refresh(self) -> None:
        """Recompute the plan and show the current step."""
        try:
            self._compute()
        except TypeError:  # e.g. an unhashable value forced onto a widget
            self.plan, self.error = None, common.GENERIC_ERROR
        self._sync_checklist()
        self.render()

    def render(self) -> None:
        """Show the current step (no recomputation)."""
        step = self.step
        self.progress.value = self._progress_html()
        self.inputs_box.layout.display = None if step == 1 else "none"
        show_checklist = step == 3 and self.plan is not None and bool(self._checklist_ids)
        self.checklist_box.layout.display = None if show_checklist else "none"
        self.prev.disabled = step == 1
        self.next.disabled = step == len(STEP_TITLES)
        body = "".join(common.notice_html(m) for m in self.messages)
        body += self._step_html(step)
        self.result.value = body
        self._update_share()

    def _update_share(self) -> None:
        label = f"{self.plan.origin.short_name} → {self.plan.destination.short_name}" if self.plan else ""
        self.share.value = common.share_html(self.situation(), large_text=self.large_text, label=label)

    def _show_error(self, message: str) -> None:
        self.plan, self.error = None, message
        self.result.value = common.error_html(message)
        self.checklist_box.layout.display = "none"

    # ---- callbacks ---------------------------------------------------------------------------

    def _on_input(self, change=None) -> None:
        self.messages.clear()
        self.refresh()

    def _on_prev(self, _button=None) -> None:
        self.go_to(self.step - 1)

    def _on_next(self, _button=None) -> None:
        self.go_to(self.step + 1)

    def go_to(self, step: int) -> None:
        self.step = max(1, min(len(STEP_TITLES), step))
        self.render()

    def _on_tick(self, doc_id: str, change) -> None:
        self.ticked[doc_id] = bool(change["new"])

    def _sync_checklist(self) -> None:
        """One checkbox per document of the plan; widgets are reused, so ticks survive."""
        documents = self.plan.checklist() if self.plan else ()
        ids = tuple(d.id for d in documents)
        if ids == self._checklist_ids:
            return
        self._checklist_ids = ids
        children: list[widgets.Widget] = [self._checklist_title] if ids else []
        for doc in documents:
            if doc.id not in self._doc_widgets:
                box = widgets.Checkbox(value=False, indent=False,
                                       description=f"{doc.name}（{ISSUED_BY.get(doc.issued_by, '')}）",
                                       layout=widgets.Layout(width="100%"))  # fmt: skip
                box.add_class("yb-tg-doc")
                box.observe(functools.partial(self._on_tick, doc.id), names="value")
                purpose = widgets.HTML(f"<div class='yb-tg-doc-purpose'>{esc(doc.purpose)}</div>")
                self._doc_widgets[doc.id] = (box, purpose)
            children += self._doc_widgets[doc.id]
        self.checklist_box.children = children

    @property
    def checklist(self) -> tuple[widgets.Checkbox, ...]:
        return tuple(c for c in self.checklist_box.children if isinstance(c, widgets.Checkbox))

    # ---- step content ------------------------------------------------------------------------

    def _progress_html(self) -> str:
        return progress_html(self.step)

    def _step_html(self, step: int) -> str:
        return step_html(step, self.plan, self.error, self.ticked)


# ---- each step's content (pure functions: the plan in, HTML out) ------------------------------


def progress_html(step: int) -> str:
    """第 n 步，共 5 步: the bar and the names of the steps."""
    n, total = step, len(STEP_TITLES)
    names = "".join(
        f"<li class='{'yb-tg-now' if i == n else 'yb-tg-done' if i < n else ''}'>{i}. {t}</li>"
        for i, t in enumerate(STEP_TITLES, 1)
    )
    return (
        f"<div class='yb-tg-progress'><div class='yb-tg-progress-text'>第 {n} 步，共 {total} 步："
        f"{STEP_TITLES[n - 1]}</div><div class='yb-tg-bar' role='progressbar' aria-valuemin='1' "
        f"aria-valuemax='{total}' aria-valuenow='{n}'><span style='width:{100 * n // total}%'></span>"
        f"</div><ol class='yb-tg-names'>{names}</ol></div>"
    )


def step_html(step: int, plan: TransferPlan | None, error: str | None = None,
              ticked: dict[str, bool] | None = None) -> str:  # fmt: skip
    """The content of ``step`` (1–5) for ``plan``; the error, or what to fill in, without one."""
    if error:
        hint = "" if step == 1 else common.notice_html("请点“上一步”回到第1步修改您的情况。")
        return common.error_html(error) + hint
    if plan is None:
        text = "请填写转出地（原参保地）和转入地（新参保地），下面会马上显示该怎么办。"
        if step != 1:
            text = "请先回到第1步，填写转出地和转入地。"
        return common.notice_html(text)
    if step == len(STEP_TITLES):
        return summary_step_html(plan, ticked)
    return (situation_step_html, route_step_html, steps_step_html, timeline_step_html)[step - 1](plan)


def situation_step_html(plan: TransferPlan) -> str:
    lines = _situation_lines(plan)
    inner = (
        f"<div class='yb-sub'>{esc(lines[0])}</div><div class='yb-big'>{esc(plan.route_label)}</div>"
        f"<div>按规定最迟完成：<b class='yb-tg-due'>{esc(_deadline_text(plan))}</b></div>"
    )
    if plan.blockers:
        inner += f"<div>还有 {len(plan.blockers)} 件事要先办，见下一步“路线”。</div>"
    return common.card(inner, speak=True) + "<div class='yb-sub'>填好后点“下一步”。</div>"

def route_step_html(plan: TransferPlan) -> str:
    out = common.card(
        f"<div class='yb-sub'>{esc(plan.origin.name)} → {esc(plan.destination.name)}</div>"
        f"<div class='yb-big'>{esc(plan.route_label)}</div>{common.badge(plan.confidence)}",
        speak=True,
    )
    if plan.blockers:
        items = "".join(f"<li>{esc(b)}</li>" for b in plan.blockers)
        out += f"<div class='yb-error yb-tg-blockers' role='alert'><b>请先办好这些事：</b><ol class='yb-tg-list'>{items}</ol></div>"
    elif plan.route in TRANSFER_ROUTES:
        out += "<div class='yb-ok'>按您填写的情况，可以申请转移接续。</div>"
    if plan.route in TRANSFER_ROUTES:
        out += _facts_html(what_moves(), "会转过去的")
    if plan.route in (*TRANSFER_ROUTES, "no_transfer_needed"):
        if plan.conditions:
            out += _facts_html(plan.conditions, "办理条件")
    else:  # retirees / bank payout: the reason and what to do instead
        items = "".join(f"<li>{esc(s.text)}</li>" for s in plan.steps)
        out += f"<div><b>为什么、怎么办</b><ul class='yb-steps'>{items}</ul></div>"
    out += "".join(common.notice_html(n) for n in plan.notes)
    return out

def steps_step_html(plan: TransferPlan) -> str:
    items = []
    for step in plan.steps:
        line = f"<span class='yb-tg-actor'>（{step.order}）{esc(step.actor_label)}</span>：{esc(step.text)}"
        if step.documents:
            line += (
                "<div class='yb-tg-docs'>材料："
                + "、".join(esc(d.name) for d in step.documents)
                + "</div>"
            )
        if step.due:
            line += f"<div class='yb-tg-due'>{esc(_due_text(step))}</div>"
        items.append(f"<li class='yb-tg-{esc(step.actor)}'>{line}</li>")
    out = f"<b>{esc(plan.route_label)}：怎么办</b><ol class='yb-tg-steps'>{''.join(items)}</ol>"
    if plan.deadline is not None:
        out += (
            f"<div>按规定最迟完成：<b class='yb-tg-due'>{esc(_deadline_text(plan))}</b></div>"
        )
    out += "".join(common.notice_html(n) for n in _estimate_notes(plan))
    tip_items = "".join(f"<li>{esc(t.text)}</li>" for t in tips())
    out += (
        f"<details><summary>实用提醒</summary><ul class='yb-steps'>{tip_items}</ul></details>"
    )
    return out

def timeline_step_html(plan: TransferPlan) -> str:
    if plan.deadline is None:
        out = common.card(
            f"<b>{esc(plan.route_label)}</b><div>{esc(_no_deadline_text(plan))}。</div>",
            speak=True,
        )
    else:
        points = _timeline_points(plan)
        rows = "".join(
            f"<tr><td>{esc(label)}</td><td class='num'>{wd}</td><td>{day:%Y-%m-%d}{'（估算）' if est else ''}</td></tr>"
            for wd, day, label, est in points
        )
        out = (
            f"<b>规定时限（工作日）：最迟 {esc(_deadline_text(plan))} 办完</b>"
            f"<div class='yb-chart yb-tg-chart' role='img' aria-label='办理时间线'>{timeline_svg(points)}</div>"
            "<div class='yb-scroll'><table class='yb-table'><tr><th>事项</th><th>第几个工作日</th><th>最迟日期</th></tr>"
            f"{rows}</table></div>"
        )
        out += "".join(common.notice_html(n) for n in (*plan.notes, *_estimate_notes(plan)))
    if plan.reported_durations and plan.route not in ("no_transfer_needed", "blocked"):
        out += _facts_html(plan.reported_durations, "个案反馈，非规定时限：实际到账时间因地而异",
                           "yb-tg-reported")  # fmt: skip
    return out

def summary_step_html(plan: TransferPlan, ticked: dict[str, bool] | None = None) -> str:
    ticked = ticked or {}
    md = summary_markdown(plan, ticked)
    page = summary_html(plan, ticked)
    buttons = (
        "<div class='yb-tg-buttons'>"
        f"<a class='yb-tg-md' download='{DOWNLOAD_NAME}.md' href='{_data_url('text/markdown', md)}'>下载小结（Markdown）</a>"
        f"<a class='yb-tg-html' download='{DOWNLOAD_NAME}.html' href='{_data_url('text/html', page)}'>下载小结（网页）</a>"
        "<button type='button' class='yb-tg-print' onclick='window.print()'>打印</button></div>"
    )
    head = common.card(
        f"<div class='yb-sub'>{esc(plan.origin.name)} → {esc(plan.destination.name)}</div>"
        f"<div class='yb-big'>{esc(plan.route_label)}</div>"
        f"<div>按规定最迟完成：<b class='yb-tg-due'>{esc(_deadline_text(plan))}</b></div>",
        speak=True,
    )
    if plan.blockers:
        head += (
            "<div class='yb-error'><b>先办：</b>"
            + "；".join(esc(b) for b in plan.blockers)
            + "</div>"
        )
    steps = "".join(
        f"<li>{esc(s.actor_label)}：{esc(s.text)}{(' ' + esc(_due_text(s))) if s.due else ''}</li>"
        for s in plan.steps
    )
    body = head + f"<b>步骤</b><ol class='yb-tg-list'>{steps}</ol>"
    if plan.checklist():
        docs = "".join(
            f"<li>{'☑' if ticked.get(d.id) else '☐'} {esc(d.name)}（{esc(ISSUED_BY.get(d.issued_by, ''))}）</li>"
            for d in plan.checklist()
        )
        body += f"<b>材料清单</b><ul class='yb-tg-list' style='list-style:none'>{docs}</ul>"
    if plan.lapse_rules:
        body += _facts_html(plan.lapse_rules, "转移期间断缴怎么办（补缴与等待期）")
    if plan.wallet:
        body += _facts_html(plan.wallet, "另一个办法：医保钱包（把个人账户的钱给近亲属用）")
    body += (
        f"<div>整体可信度：{common.badge(plan.confidence)}</div>"
        + common.sources_html(plan.sources)
        + f"<div class='yb-sub'>{esc(common.DISCLAIMER)}</div>"
    )
    return buttons + f"<div class='yb-tg-summary'>{body}</div>"
