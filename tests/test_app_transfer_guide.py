"""The 转移接续 wizard without a browser: pre-fill, stepping, routes, errors, downloads, speed."""

from __future__ import annotations

import re
import statistics
import time
import warnings
from datetime import date
from urllib.parse import unquote

import pytest

from yibao_lib.apps.transfer_guide import STEP_TITLES, TransferGuideApp, timeline_svg
from yibao_lib.workdays import official_years

NANNING_BEIJING = {"from": "南宁", "to": "北京", "start": "2026-06-01"}


def app_at(step: int, **query) -> TransferGuideApp:
    app = TransferGuideApp({**NANNING_BEIJING, **query, "step": str(step)})
    assert app.step == step
    return app


def download(app: TransferGuideApp, mime: str) -> str:
    found = re.search(rf"href='data:{re.escape(mime)};charset=utf-8,([^']*)'", app.result.value)
    assert found, f"no {mime} download link in the summary"
    return unquote(found.group(1))


# ---- pre-fill from the query string ----------------------------------------------------------


def test_query_prefills_every_input():
    app = TransferGuideApp(
        {"from": "450100", "to": "北京", "scheme": "employee", "retired": "0", "relocated": "0",
         "stopped": "0", "enrolled": "1", "connected": "1", "channel": "offline",
         "start": "2026-06-01", "step": "3"}
    )  # fmt: skip
    assert app.origin.value == "南宁市"  # a code is shown as its name
    assert app.destination.value == "北京市"
    assert app.scheme.value == "employee"
    assert app.channel.value == "offline"
    assert (app.retired.value, app.stopped.value, app.enrolled.value) == (False, False, True)
    assert app.start.value == date(2026, 6, 1)
    assert app.step == 3
    assert app.plan is not None and app.plan.route == "cross_province"
    assert app.messages == []
    assert "yb-input-region" in app.origin._dom_classes
    assert "yb-input-destination" in app.destination._dom_classes
    assert "yb-input-region" not in app.destination._dom_classes
    assert "yb-result" in app.result._dom_classes
    assert "yb-app" in app.widget._dom_classes


def test_bad_query_values_fall_back_with_chinese_messages():
    app = TransferGuideApp(
        {"from": "南宁", "to": "北京", "scheme": "x", "retired": "maybe", "channel": "fax",
         "start": "2026-13-45", "step": "9"}
    )  # fmt: skip
    assert app.scheme.value == "employee"
    assert app.channel.value == "online"
    assert app.retired.value is False
    assert app.start.value == date.today()  # the app's default: today
    assert app.step == 1
    assert len(app.messages) == 5
    assert all(re.search(r"[\u4e00-\u9fff]", m) for m in app.messages)
    assert "yb-notice" in app.result.value and "“x”" in app.result.value
    assert app.plan is not None  # the rest of the situation still works
    app.channel.value = "offline"  # the first change clears the messages
    assert "yb-notice" not in app.result.value.split("yb-card")[0]


def test_empty_page_asks_for_the_places():
    app = TransferGuideApp()
    assert app.start.value == date.today()  # no start in the link: today
    assert app.plan is None and app.error is None
    assert "请填写转出地" in app.result.value
    app.go_to(4)
    assert "回到第1步" in app.result.value


# ---- stepping --------------------------------------------------------------------------------


def test_next_walks_from_one_to_five_and_prev_walks_back():
    app = TransferGuideApp(NANNING_BEIJING)
    seen = []
    for _ in range(len(STEP_TITLES) - 1):
        assert f"第 {app.step} 步，共 5 步" in app.progress.value
        seen.append(app.step)
        app.next.click()
    seen.append(app.step)
    assert seen == [1, 2, 3, 4, 5]
    assert app.next.disabled and not app.prev.disabled
    assert "下载小结" in app.result.value
    assert app.inputs_box.layout.display == "none"
    app.next.click()  # nothing beyond the summary
    assert app.step == 5
    for expected in (4, 3, 2, 1):
        app.prev.click()
        assert app.step == expected
    assert app.prev.disabled
    assert app.inputs_box.layout.display != "none"
    assert "step=1" in app.share.value


def test_share_link_carries_the_situation():
    app = app_at(3, channel="offline", stopped="0")
    link = unquote(app.share.value)
    for part in ("from=南宁市", "to=北京市", "scheme=employee", "stopped=0", "enrolled=1",
                 "channel=offline", "start=2026-06-01", "step=3"):  # fmt: skip
        assert part in link


# ---- routes ----------------------------------------------------------------------------------


def test_shenzhen_to_guangzhou_needs_no_transfer():
    app = app_at(2, **{"from": "深圳", "to": "广州"})
    assert app.plan.route == "no_transfer_needed"
    assert "无需转移" in app.result.value
    app.go_to(4)
    assert "不需要办理转移，所以没有办理时限" in app.result.value


def test_nanning_to_beijing_cross_province_with_due_dates():
    app = app_at(2)
    assert "跨省转移接续" in app.result.value
    app.go_to(3)
    assert "最迟 2026-06-15" in app.result.value
    assert "最迟 2026-06-23" in app.result.value
    assert "转出地医保经办机构" in app.result.value
    app.go_to(4)
    assert "2026-06-23" in app.result.value and "<svg" in app.result.value
    assert "个案反馈，非规定时限" in app.result.value


def test_xian_to_xining_adds_qinghai_days():
    app = app_at(4, **{"from": "西安", "to": "西宁"})
    assert app.plan.deadline.date == date(2026, 6, 30)
    assert "2026-06-30" in app.result.value


def test_retiree_not_relocated_is_blocked():
    app = app_at(2, retired="1", relocated="0")
    assert app.plan.route == "blocked"
    assert "不适用全国转移接续办法" in app.result.value
    app.relocated.value = True
    assert app.plan.route == "bank_payout"
    assert "余额划入本人银行账户" in app.result.value


def test_blockers_shown_when_not_stopped_or_enrolled():
    app = app_at(2, stopped="0", enrolled="0")
    assert "请先办好这些事" in app.result.value
    assert "先在南宁市办理停保" in app.result.value
    assert "先在北京市参加职工医保" in app.result.value
    app.stopped.value = True
    app.enrolled.value = True
    assert "请先办好这些事" not in app.result.value
    assert "可以申请转移接续" in app.result.value


def test_estimated_dates_are_marked():
    first_unknown = official_years().stop  # the first year chinese_calendar does not know
    app = app_at(3, start=f"{first_unknown}-03-01")
    assert "（估算）" in app.result.value
    assert f"{first_unknown}年的放假调休安排尚未公布" in app.result.value


def test_dates_in_an_announced_year_are_not_estimates():
    app = app_at(3, start=f"{official_years().stop - 1}-03-02")
    assert "（估算）" not in app.result.value and "尚未公布" not in app.result.value


# ---- errors ----------------------------------------------------------------------------------


def test_same_place_twice_needs_no_transfer():
    app = app_at(2, to="南宁")
    assert app.plan is not None and app.plan.route == "no_transfer_needed"
    assert "无需转移" in app.result.value and "办理条件" not in app.result.value
    assert "yb-error" not in app.result.value


def test_a_move_within_one_city_needs_no_transfer():
    app = app_at(2, **{"from": "深圳市南山区", "to": "福田区"})
    assert app.plan.route == "no_transfer_needed"
    assert "南山区" in app.result.value


def test_unknown_region_shows_error_and_no_stale_plan():
    app = app_at(1)
    assert "2026-06-23" in app.result.value
    app.origin.value = "火星"
    assert app.plan is None
    assert "没有找到地区“火星”" in app.result.value
    assert "2026-06-23" not in app.result.value
    for step in range(2, 6):
        app.go_to(step)
        assert "yb-error" in app.result.value
        assert "2026-06-23" not in app.result.value
    assert app.checklist_box.layout.display == "none" or not app.checklist


def test_start_date_none_is_a_chinese_message():
    app = app_at(1)
    app.start.value = None
    assert app.plan is None
    assert "请选择申请日期" in app.result.value
    assert "2026-06-23" not in app.result.value


def test_forced_bad_scheme_is_a_chinese_message():
    app = app_at(2)
    app.scheme._trait_values["value"] = "x"  # bypass the dropdown's own check
    app.refresh()
    assert app.plan is None
    assert "参保类型请选择" in app.result.value
    assert "Traceback" not in app.result.value


def test_resident_who_is_retired_is_a_chinese_message():
    app = app_at(2, scheme="resident", retired="1")
    assert "城乡居民医保没有“退休”的概念" in app.result.value


def test_unexpected_failure_shows_generic_chinese_message(monkeypatch):
    app = app_at(2)

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(app, "_step_html", broken)
    app.next.click()
    assert "出错了" in app.result.value and "boom" not in app.result.value


# ---- checklist, summary, chart ---------------------------------------------------------------


def test_checklist_ticks_do_not_recompute_and_reach_the_summary():
    app = app_at(3, channel="offline")
    boxes = app.checklist
    names = [b.description for b in boxes]
    assert any("参保凭证" in n for n in names) and any("居民身份证" in n for n in names)
    assert app.checklist_box.layout.display != "none"
    plan = app.plan
    boxes[0].value = True
    assert app.plan is plan
    app.go_to(5)
    text = download(app, "text/markdown")
    assert "- [x] " + app.plan.checklist()[0].name in text
    assert app.checklist_box.layout.display == "none"


def test_markdown_download_has_steps_and_deadline():
    app = app_at(5)
    assert "download='yibao_转移接续.md'" in app.result.value
    text = download(app, "text/markdown")
    assert text.startswith("# 医保转移接续小结：南宁市 → 北京市")
    assert "按规定最迟完成：2026-06-23" in text
    for step in app.plan.steps:
        assert step.text in text
    assert "最迟 2026-06-15" in text
    assert "个案反馈，非规定时限" in text
    assert "断缴" in text and "医保钱包" in text
    page = download(app, "text/html")
    assert page.startswith("<!DOCTYPE html>") and "2026-06-23" in page
    assert "onclick='window.print()'" in app.result.value


def test_summary_explains_lapse_and_wallet_with_sources():
    app = app_at(5)
    html = app.result.value
    assert "补缴" in html and "等待期" in html
    assert "医保钱包" in html
    assert "yb-badge" in html and "医保办发〔2021〕43号" in html


def test_timeline_chart_has_no_missing_glyphs():
    app = app_at(3)
    timeline_svg.cache_clear()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        app.go_to(4)
    assert "<svg" in app.result.value
    assert not [w for w in caught if "Glyph" in str(w.message)]


def test_chart_is_drawn_only_when_the_plan_changes():
    app = app_at(4)
    before = timeline_svg.cache_info()
    app.go_to(3)
    app.go_to(4)
    app.origin.value = "防城港"  # same dates: same chart
    after = timeline_svg.cache_info()
    assert after.misses == before.misses


def test_latency_of_input_and_step_changes():
    app = app_at(1)
    app.go_to(4)  # warm: the chart for this plan
    app.go_to(1)
    inputs, steps = [], []
    origins = ["防城港", "南宁", "柳州", "南宁"]
    for i in range(20):
        started = time.perf_counter()
        app.origin.value = origins[i % len(origins)]
        inputs.append(time.perf_counter() - started)
        started = time.perf_counter()
        app.channel.value = "offline" if i % 2 == 0 else "online"
        inputs.append(time.perf_counter() - started)
    for i in range(20):
        started = time.perf_counter()
        app.go_to(i % 5 + 1)
        steps.append(time.perf_counter() - started)
    input_ms = statistics.median(inputs) * 1000
    step_ms = statistics.median(steps) * 1000
    print(
        f"\ntransfer_guide latency median: input change {input_ms:.2f} ms, step change {step_ms:.2f} ms"
    )
    assert input_ms < 1000 and step_ms < 1000


@pytest.mark.parametrize("query", [{"from": "", "to": ""}, {"step": "abc"}, {"connected": "2"}])
def test_odd_queries_never_crash(query):
    app = TransferGuideApp({**query, "start": "2026-06-01"})
    assert "Traceback" not in app.result.value
