"""地区对比 app without a browser: pre-fill, numbers, bad input, charts, CSV, speed."""

from __future__ import annotations

import csv
import io
import re
import statistics
import time
import warnings
from datetime import date
from urllib.parse import unquote

import pytest

from yibao_lib.apps.compare_regions import CSV_FILE_NAME, CSV_HEADER, CompareRegionsApp

# The date asked about, for the cases that need no particular one: every case states its date, so
# the figures do not change with the clock (notebooks/compare_regions.ipynb checks the same day).
ON = "2026-11-26"


def text_of(html: str) -> str:
    """Visible text of an HTML fragment (styles and SVG dropped, tags removed)."""
    html = re.sub(r"<(style|svg)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def table_row(app: CompareRegionsApp, name: str) -> list[str]:
    """The cells of the table row whose first cell starts with ``name``."""
    for row in re.findall(r"<tr>(.*?)</tr>", app.result.value, flags=re.S):
        cells = [text_of(c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)]
        if cells and cells[0].startswith(name):
            return cells
    raise AssertionError(f"no row for {name}")


def csv_rows(app: CompareRegionsApp) -> list[list[str]]:
    match = re.search(r'<a class="yb-csv" download="([^"]+)" href="([^"]+)"', app.result.value)
    assert match, "no CSV link"
    assert match.group(1) == CSV_FILE_NAME
    prefix = "data:text/csv;charset=utf-8,"
    assert match.group(2).startswith(prefix)
    text = unquote(match.group(2)[len(prefix) :])
    assert text.startswith("\ufeff")  # BOM: Excel reads the Chinese as UTF-8
    return list(csv.reader(io.StringIO(text[1:])))


@pytest.fixture(scope="module")
def app() -> CompareRegionsApp:
    return CompareRegionsApp({"age": "70", "date": ON})


def test_query_prefills_every_input():
    app = CompareRegionsApp({"age": "75", "avg": "3700", "date": "2025-06-01",
                             "color": "confidence", "region": "上海,440300"})  # fmt: skip
    assert app.age.value == 75
    assert app.avg.value == "3700"
    assert app.date.value == date(2025, 6, 1)
    assert app.color.value == "confidence"
    assert list(app.regions.value) == ["上海", "深圳"]
    assert "yb-input-age" in app.age._dom_classes
    assert "yb-input-region" in app.regions._dom_classes
    assert "yb-result" in app.result._dom_classes
    assert "yb-app" in app.widget._dom_classes
    share = unquote(app.share.value)
    for part in ("age=75", "avg=3700", "date=2025-06-01", "color=confidence", "region=上海,深圳"):
        assert part in share


def test_from_query_string_gives_the_shanghai_figure_at_75():
    app = CompareRegionsApp.from_query(f"age=75&region=上海&date={ON}")
    assert table_row(app, "上海市")[3] == "157.50"
    assert list(app.regions.value) == ["上海"]


def test_defaults():
    app = CompareRegionsApp()
    assert app.age.value == 65 and app.avg.value == "" and app.date.value == date.today()  # default
    assert list(app.regions.value) == ["北京", "上海", "深圳", "广州"]
    assert "yb-error" not in app.result.value


def test_age_change_updates_the_table(app):
    app.age.value = 69
    assert table_row(app, "北京市")[2:5] == ["100.00", "97.00", "1,164.00"]
    app.age.value = 70
    assert table_row(app, "北京市")[2:5] == ["110.00", "107.00", "1,284.00"]
    assert table_row(app, "广州市")[2:4] == ["169.08", "160.42"]
    assert table_row(app, "深圳市")[3] == "251.00"
    assert "70 岁时各地每月到账" in text_of(app.bar_chart.value)


def test_table_shows_method_confidence_and_source(app):
    app.age.value = 70
    row = table_row(app, "北京市")
    assert row[0].startswith("北京市") and "有争议" in row[0]
    assert row[1] == "按年龄段定额划入"
    assert row[5] == "可信度：来源说法不一"
    assert row[6]  # a source title
    assert 'class="yb-badge yb-badge-contested"' in app.result.value
    assert "yb-scroll" in app.result.value  # the wide table scrolls inside its box on a phone


def test_share_rules_are_estimated_and_use_a_typed_average():
    app = CompareRegionsApp({"age": "70", "date": "2026-06-01"})
    # every share rule gets an estimate from a published average (the province's, the nation's)
    assert app.missing.value == ""
    estimate = table_row(app, "广东省")
    assert estimate[3] != "—" and "按估算的平均养老金计算" in " ".join(estimate)
    app.avg.value = "3,000"
    assert app.missing.value == ""
    assert table_row(app, "广东省")[3] == "84.00"  # 3000 × 2.8%
    assert "3,000" in text_of(app.result.value)
    assert "avg=3%2C000" in app.share.value


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("age", -5, "年龄不能是负数"),
        ("age", 500, "年龄不能超过 120 岁"),
        ("avg", "abc", "平均养老金必须是数字"),
        ("avg", "-100", "平均养老金必须大于 0"),
        ("date", date(2019, 1, 1), "早于2021年"),
    ],
)
def test_bad_input_shows_a_chinese_message_and_no_number(field, value, message):
    app = CompareRegionsApp({"age": "70", "date": ON})
    assert "107.00" in app.result.value
    getattr(app, field).value = value
    assert 'class="yb-error"' in app.result.value
    assert message in app.result.value
    assert "107.00" not in app.result.value and "<table" not in app.result.value
    assert app.bar_chart.value == "" and app.line_chart.value == "" and app.missing.value == ""
    assert "Traceback" not in app.result.value
    # a good value brings everything back
    getattr(app, field).value = {"age": 70, "avg": "", "date": date(2026, 11, 26)}[field]
    assert "yb-error" not in app.result.value
    assert table_row(app, "北京市")[3] == "107.00"
    assert "<svg" in app.bar_chart.value and "<svg" in app.line_chart.value


def test_unexpected_error_is_a_generic_chinese_apology(monkeypatch):
    app = CompareRegionsApp({"age": "70", "date": ON})

    def boom(*args, **kwargs):
        raise RuntimeError("internal detail")

    monkeypatch.setattr("yibao_lib.apps.compare_regions.compare_rows", boom)
    app.age.value = 71
    assert "出错了" in app.result.value and "internal detail" not in app.result.value
    assert app.bar_chart.value == ""


def test_bad_query_values_fall_back_with_a_message():
    app = CompareRegionsApp({"age": "abc", "avg": "x", "date": "2026-13-40", "color": "red",
                             "region": "火星,北京"})  # fmt: skip
    assert app.age.value == 65 and app.avg.value == "" and app.date.value == date.today()
    assert app.color.value == "method"
    assert list(app.regions.value) == ["北京"]
    shown = text_of(app.result.value)
    for part in (
        "年龄必须是数字",
        "平均养老金必须是数字",
        "查询日期格式不对",
        "颜色参数",
        "没有找到地区“火星”",
    ):
        assert part in shown
    assert "yb-error" not in app.result.value and "<table" in app.result.value
    app.age.value = 66  # the notes go away with the first change
    assert "链接里" not in app.result.value


def test_query_the_rules_refuse_falls_back_to_defaults():
    app = CompareRegionsApp({"age": "70", "date": "2019-06-01"})
    assert app.date.value == date.today() and app.age.value == 65
    assert "早于2021年" in app.result.value and "已改用默认值" in app.result.value
    assert "<table" in app.result.value


def test_no_colour_selected_falls_back_to_method():
    app = CompareRegionsApp({"age": "70", "color": "confidence", "date": ON})
    app.color.value = None  # a page can unselect the toggle through the widget channel
    app.age.value = 66
    assert "yb-error" not in app.result.value and "66 岁" in app.result.value
    assert "<svg" in app.bar_chart.value and "定额划入" in text_of(app.bar_chart.value)
    assert "color=method" in app.share.value


def test_line_chart_regions(app):
    app.regions.value = ["上海", "江苏"]
    assert "<svg" in app.line_chart.value
    assert "江苏</span>" in app.line_chart.value and "请输入" not in app.line_chart.value  # estimated
    assert "region=上海,江苏" in unquote(app.share.value)
    app.regions.value = ["杭州", "杭州市"]  # the same city twice: drawn once
    assert app.line_chart.value.count("杭州（按浙江）</span>") == 1 and "<svg" in app.line_chart.value
    many = ["北京", "上海", "深圳", "广州", "重庆", "武汉", "西安", "郑州", "湖南", "江西"]
    app.regions.value = many
    assert "最多画 8 个地区，没有画：湖南、江西" in app.line_chart.value
    assert "<svg" in app.line_chart.value and "yb-error" not in app.result.value
    app.regions.value = []
    assert "至少一个地区" in app.line_chart.value
    app.regions.value = ["北京", "上海", "深圳", "广州"]


def test_charts_are_svg_with_every_chinese_glyph():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        app = CompareRegionsApp(
            {"age": "70", "region": "北京,上海,深圳,广州,天津,乌鲁木齐", "date": ON}
        )
        app.color.value = "confidence"
        app.avg.value = "4000"  # 全国（默认） and the share rules appear too
        app.age.value = 80
    glyphs = [str(w.message) for w in caught if "Glyph" in str(w.message)]
    assert glyphs == []
    for chart in (app.bar_chart, app.line_chart):
        assert "<svg" in chart.value and "<img" not in chart.value
        assert "yb-chart" in chart._dom_classes
    assert "官方原文" in app.bar_chart.value or "社保类网站汇总" in app.bar_chart.value  # legend
    assert "带 * 的地区来源说法不一" in app.bar_chart.value


def test_csv_download(app):
    app.age.value = 70
    rows = csv_rows(app)
    assert tuple(rows[0]) == CSV_HEADER
    beijing = next(row for row in rows if row[0] == "北京市")
    assert beijing[1:5] == ["按年龄段定额划入", "110.00", "107.00", "1284.00"]
    assert beijing[5] == "来源说法不一" and beijing[8] == "70"
    guangdong = next(row for row in rows if row[0] == "广东省")
    assert guangdong[3] != "" and guangdong[7] == "按估算的平均养老金计算"


def _median_ms(app, changes) -> float:
    times = []
    for widget, value in changes:
        started = time.perf_counter()
        widget.value = value
        times.append(1000 * (time.perf_counter() - started))
    return statistics.median(times)


def test_latency():
    app = CompareRegionsApp({"age": "60", "date": ON})
    ages = _median_ms(app, [(app.age, age) for age in range(61, 81)])
    colors = _median_ms(app, [(app.color, ("confidence", "method")[i % 2]) for i in range(20)])
    # the table alone: time to the moment the result area changes
    marks: list[float] = []
    app.result.observe(lambda change: marks.append(time.perf_counter()), names="value")
    table = []
    for age in range(81, 101):
        started = time.perf_counter()
        app.age.value = age
        table.append(1000 * (marks[-1] - started))
    # a new average pension: new bars for the share rules, so the bar chart is drawn anew (the
    # default line-chart regions have fixed amounts, so that chart stays as it is)
    cold = []
    for avg in range(3000, 3020):
        started = time.perf_counter()
        app.avg.value = str(avg)
        cold.append(1000 * (time.perf_counter() - started))
    # a different set of regions each time: the line chart is drawn anew
    pool = ["北京", "上海", "深圳", "广州", "重庆", "武汉", "西安", "郑州", "湖南", "江西", "山西"]
    lines = _median_ms(
        app,
        [(app.regions, pool[i % 11 : i % 11 + 1] + pool[(i + 3) % 11 :][:2]) for i in range(20)],
    )
    print(
        f"\ncompare_regions latency median: new line-chart regions {lines:.1f} ms, age change {ages:.1f} ms, colour toggle {colors:.1f} ms, "
        f"table shown after {statistics.median(table):.1f} ms, "
        f"new average (bar chart redrawn) {statistics.median(cold):.1f} ms"
    )
    assert ages < 1000 and colors < 1000 and statistics.median(cold) < 2000
