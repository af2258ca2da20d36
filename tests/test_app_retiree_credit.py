"""The 退休人员每月划入 app without a browser: pre-fill, numbers, errors, charts, share link, speed."""

from __future__ import annotations

import datetime as dt
import re
import statistics
import time
import warnings

import pytest

from yibao_lib import retiree_monthly_credit
from yibao_lib.apps import retiree_credit
from yibao_lib.apps.retiree_credit import RetireeCreditApp
from yibao_lib.inputs import fmt_yuan

# The date asked about: every case states it (the figures must not change with the clock); where
# a case is about the app's default, it compares with the app's own today (app._today).
ON = "2026-11-26"


def text(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


def big_number(app: RetireeCreditApp) -> str:
    match = re.search(r'class="yb-big yb-monthly">([^<]+)<', app.result.value)
    return match.group(1) if match else ""


@pytest.fixture
def app() -> RetireeCreditApp:
    return RetireeCreditApp({"region": "北京", "age": "70", "date": ON})


def assert_error(app: RetireeCreditApp, *words: str) -> None:
    html = app.result.value
    assert "yb-error" in html
    assert "yb-big" not in html
    assert re.search(r"\d+\.\d\d 元", text(html)) is None, (
        "a stale number is shown next to an error"
    )
    assert app.chart.value == ""
    for word in words:
        assert word in text(html)
    assert "Traceback" not in html


# ---- pre-fill from the query string ------------------------------------------------------------


def test_query_prefills_inputs_by_code():
    app = RetireeCreditApp({"region": "440300", "age": "70", "date": ON})
    assert app.region.value == "深圳市"
    assert app.age.value == 70
    assert app.on_date.value == dt.date(2026, 11, 26)
    assert big_number(app) == "251.00 元"
    assert "region=440300" in app.share.value and "age=70" in app.share.value


def test_query_string_is_read(monkeypatch):
    monkeypatch.setenv("QUERY_STRING", f"region=%E5%8C%97%E4%BA%AC&age=70&date={ON}")
    app = RetireeCreditApp.from_query()
    assert app.region.value == "北京市"
    assert "107.00" in app.result.value
    app = RetireeCreditApp.from_query(f"region=440300&age=72&base=8000&until=2030-12-31&date={ON}")
    assert "251.00" in app.result.value
    assert app.base.value == "8000" and app.until.value == dt.date(2030, 12, 31)


def test_bad_query_falls_back_to_defaults_with_a_message():
    app = RetireeCreditApp(
        {
            "region": "火星",
            "age": "abc",
            "avg": "-1",
            "date": "2026-13-45",
            "base": "x",
            "until": "y",
        }
    )
    assert app.region.value == retiree_credit.DEFAULT_REGION
    assert app.age.value == retiree_credit.DEFAULT_AGE
    assert app.avg.value == "" and app.base.value == ""
    assert app.on_date.value == app._today  # a bad date in the link: today
    page = text(app.result.value)
    assert "链接中的地区无法识别" in page and "火星" in page
    assert "链接中的年龄有误" in page and "链接中的日期有误" in page
    assert "yb-big" in app.result.value  # the defaults still give an answer
    assert "链接中的缴费基数有误" in text(app.worker_result.value)
    app.age.value = 71  # the first change clears the notices
    assert "链接中" not in app.result.value


@pytest.mark.parametrize("age", ["500", "-5", "70.5"])
def test_bad_query_age_is_not_used(age):
    app = RetireeCreditApp({"region": "北京", "age": age, "date": ON})
    assert app.age.value == retiree_credit.DEFAULT_AGE
    assert "链接中的年龄有误" in app.result.value


# ---- numbers -------------------------------------------------------------------------------------


def test_beijing_shows_gross_net_and_the_contest(app):
    html = app.result.value
    assert big_number(app) == "107.00 元"
    assert "110.00" in html and "大额互助" in html
    assert "1,284.00" in html
    assert "yb-badge-contested" in html and "说法不一" in html
    assert "另有说法" in html and "yb-notice" in html
    assert "按年龄段定额划入" in html
    assert "依据" in html and "yb-sources" in html
    app.age.value = 69
    assert big_number(app) == "97.00 元"


def test_region_changes_update_the_number(app):
    app.region.value = "上海"
    app.age.value = 75
    assert big_number(app) == "157.50 元"
    assert "1,890.00" in app.result.value
    app.region.value = "广州"
    assert big_number(app) == "160.42 元"
    assert "169.08" in app.result.value and "长护险" in app.result.value
    app.region.value = "440300"
    assert big_number(app) == "251.00 元"
    assert "region=440300" in app.share.value and "age=75" in app.share.value


def test_share_rule_shows_the_estimate_and_takes_a_typed_average(app):
    assert app.avg.layout.display == "none"
    app.region.value = "东莞"  # 广东's 2.8% of 东莞's average, which the data does not hold
    assert app.avg.layout.display is None  # shown, to type the real average
    assert "yb-error" not in app.result.value
    assert "东莞市没有单独的数字，按广东省的规定计算" in app.result.value
    assert "平均养老金为估算" in app.result.value and "估算" in app.result.value
    app.avg.value = "4000"
    assert big_number(app) == "112.00 元"
    assert "70岁：112.00元" in app.chart.value  # the chart uses the average too
    assert "由您输入" in app.result.value
    assert "avg=4000" in app.share.value
    app.region.value = "北京"
    assert app.avg.layout.display == "none"
    assert "avg=" not in app.share.value


def test_national_fallback_is_marked_estimated():
    app = RetireeCreditApp({"region": "西藏", "age": "70", "date": ON})
    assert app.avg.layout.display is None
    app.avg.value = "3000"
    html = app.result.value
    assert big_number(app) == "60.00 元"
    assert "全国指导意见估算" in html and "估算数" in html


def test_date_before_the_reform_is_explained(app):
    app.region.value = "深圳"
    app.on_date.value = dt.date(2020, 1, 1)
    assert_error(app, "改革")
    assert "date=2020-01-01" in app.share.value
    app.on_date.value = None  # cleared: the app's today, whatever 深圳's figure is then
    expected = retiree_monthly_credit("深圳", 70, on=app._today)
    assert big_number(app) == fmt_yuan(expected.monthly_net)


# ---- bad input, also forced through the widget channel ------------------------------------------


@pytest.mark.parametrize(("age", "words"), [(-5, ["负数"]), (500, ["120"])])
def test_bad_age_shows_an_error_and_no_number(app, age, words):
    app.age.set_state({"value": age})  # as if sent by the browser
    assert_error(app, *words)
    app.age.value = 70
    assert big_number(app) == "107.00 元"
    assert "<svg" in app.chart.value


def test_unknown_region_shows_suggestions(app):
    app.region.set_state({"value": "火星"})
    assert_error(app, "没有找到地区", "火星")
    app.region.value = "深圳市区"
    assert "深圳" in text(app.result.value)
    app.region.value = ""
    assert_error(app, "请先输入地区")


@pytest.mark.parametrize("avg", ["abc", "-1", "0", "1e9"])
def test_bad_average_shows_an_error(app, avg):
    app.region.value = "东莞"
    app.avg.set_state({"value": avg})
    assert_error(app, "平均养老金")


def test_unexpected_errors_show_a_generic_message(app, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(retiree_credit, "retiree_answer", broken)
    app.age.value = 71
    assert_error(app, "出错了")
    assert "boom" not in app.result.value


# ---- charts ----------------------------------------------------------------------------------


def test_charts_are_svg_without_missing_glyphs():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        app = RetireeCreditApp({"region": "上海", "age": "80", "base": "8000", "date": ON})
        app.region.value = "重庆"
        app.base.value = "9000"
    glyphs = [str(w.message) for w in caught if "Glyph" in str(w.message)]
    assert glyphs == []
    assert "<svg" in app.chart.value and "yb-age-marker" in app.chart.value
    assert "80岁：104.75元" in app.chart.value  # 115 − 大额 5 − 长护 5.25
    assert "<svg" in app.worker_chart.value
    assert "<path" in app.worker_chart.value


def test_age_change_moves_the_marker_without_redrawing(app, monkeypatch):
    calls = []
    real = retiree_credit.age_chart_svg
    monkeypatch.setattr(retiree_credit, "age_chart_svg", lambda *a: calls.append(a) or real(*a))
    before = app.chart.value
    app.age.value = 60
    assert calls == []
    assert app.chart.value != before and "60岁：97.00元" in app.chart.value
    app.age.value = 30  # outside the chart: no marker, no redraw
    assert calls == [] and "yb-age-marker" not in app.chart.value and "<svg" in app.chart.value
    app.region.value = "深圳"
    assert len(calls) == 1
    app.region.value = "北京"  # drawn before: taken from the cache
    assert len(calls) == 1 and "30岁" not in app.chart.value


def test_marker_sits_on_the_step_line():
    app = RetireeCreditApp({"region": "北京", "age": "70", "date": ON})
    ((_svg, points),) = app._age_charts.values()
    assert points[69][1] > points[70][1]  # higher credit → higher on the chart (smaller y)
    assert points[70][1] == points[99][1]
    width = retiree_credit.CHART_SIZE[0] * 72
    assert all(0 < x < width for x, _y in points.values())


# ---- the in-service employee ------------------------------------------------------------------


def test_worker_part(app):
    assert "yb-error" not in app.worker_result.value and app.worker_chart.value == ""
    app.base.value = "8000"
    app.until.value = dt.date(2027, 12, 31)
    html = app.worker_result.value
    assert "160.00" in html and "1,920.00" in html
    assert "2,240.00" in html  # 2026-11 … 2027-12: 14 months × 160, starting from nothing
    app.balance.value = "1000"
    assert "3,240.00" in app.worker_result.value
    assert "base=8000" in app.share.value and "balance=1000" in app.share.value
    assert "<svg" in app.worker_chart.value
    app.base.set_state({"value": "abc"})
    assert "yb-error" in app.worker_result.value and app.worker_chart.value == ""
    app.base.value = "8000"
    app.until.value = dt.date(2020, 1, 1)
    assert "yb-error" in app.worker_result.value and "截止日期" in app.worker_result.value
    app.until.value = None
    assert "请选择预测截止日期" in app.worker_result.value


# ---- speed ------------------------------------------------------------------------------------


def _timings(app: RetireeCreditApp, area, changes) -> tuple[float, float]:
    """Median ms from a change to (the result updated, everything incl. charts updated)."""
    seen: list[float] = []
    watch = lambda _change: seen.append(time.perf_counter())  # noqa: E731
    area.observe(watch, names="value")
    to_result, total = [], []
    try:
        for widget, value in changes:
            seen.clear()
            started = time.perf_counter()
            widget.value = value
            ended = time.perf_counter()
            assert seen, "the result was not updated"
            to_result.append((seen[0] - started) * 1000)
            total.append((ended - started) * 1000)
    finally:
        area.unobserve(watch, names="value")
    return statistics.median(to_result), statistics.median(total)


def test_latency(app):
    by_age = _timings(app, app.result, [(app.age, 60 + i % 30) for i in range(21)])
    regions = ["上海", "深圳", "广州", "重庆", "武汉", "西安", "山西", "江西", "湖南", "北京"]
    by_region = _timings(app, app.result, [(app.region, r) for r in regions * 2])
    app.base.value = "8000"
    by_base = _timings(app, app.worker_result, [(app.base, str(6000 + 100 * i)) for i in range(21)])
    print("\nretiree_credit latency, median ms per change (to result / incl. chart):")
    for name, (first, whole) in [("age", by_age), ("region, new chart", by_region),
                                 ("contribution base, new chart", by_base)]:  # fmt: skip
        print(f"  {name}: {first:.1f} / {whole:.1f}")
    assert max(*by_age, *by_region, *by_base) < 1000
