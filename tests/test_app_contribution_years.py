"""缴费年限 app without a browser: pre-fill, answers, phasing-in rules, bad input, chart, speed."""

from __future__ import annotations

import re
import statistics
import time
import warnings
from datetime import date, timedelta
from urllib.parse import unquote

import pytest

from yibao_lib.apps.contribution_years import ContributionYearsApp

# The retirement date of the cases that need no particular one. Every case states its date: the
# rules change year by year, so an answer for "today" would change with the clock.
ON = "2026-06-01"


def text_of(html: str) -> str:
    html = re.sub(r"<(style|svg)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def timeline(app: ContributionYearsApp) -> dict[int, list[str]]:
    """The year-by-year table: {year: [cells after the year]}."""
    match = re.search(r'<table class="yb-table yb-timeline">(.*?)</table>', app.result.value, re.S)
    assert match, "no year-by-year table"
    rows = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", match.group(1), flags=re.S):
        cells = [text_of(c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)]
        if cells:
            rows[int(cells[0])] = cells[1:]
    return rows


def test_query_prefills_every_input():
    app = ContributionYearsApp({"region": "430000", "sex": "女", "total": "26", "local": "12.5",
                                "deemed": "3", "date": "2027-03-01"})  # fmt: skip
    assert app.region.value == "湖南省"
    assert app.sex.value == "female"
    assert (app.total.value, app.local.value, app.deemed.value) == ("26", "12.5", "3")
    assert app.date.value == date(2027, 3, 1)
    assert "yb-input-region" in app.region._dom_classes
    assert "yb-result" in app.result._dom_classes
    share = unquote(app.share.value)
    for part in (
        "region=湖南省",
        "sex=女",
        "total=26",
        "local=12.5",
        "deemed=3",
    ):
        assert part in share
    # the link carries the date unless it is the app's default, today (see the next test)
    assert ("date=2027-03-01" in share) is (date(2027, 3, 1) != date.today())
    # 14 years needed in the province in 2027: short by 1.5
    shown = text_of(app.result.value)
    assert "还差 1.5 年" in shown and "本省实际缴费还差 1.5 年（需 14 年，已有 12.5 年）" in shown


def test_share_link_leaves_out_only_todays_date():
    today = date.today()  # the app's default retirement date
    app = ContributionYearsApp({"region": "北京", "total": "19", "date": today.isoformat()})
    assert app.date.value == today and "date=" not in unquote(app.share.value)
    app.date.value = tomorrow = today + timedelta(days=1)
    assert f"date={tomorrow.isoformat()}" in unquote(app.share.value)


def test_beijing_woman_19_years_is_one_year_short():
    app = ContributionYearsApp.from_query(f"region=北京&sex=女&total=19&date={ON}")
    shown = text_of(app.result.value)
    assert "还差 1 年" in shown
    assert "累计还差 1 年（需 20 年，已有 19 年）" in shown
    assert "一次性补缴" in shown and "退休后继续按月交" in shown and "改参加城乡居民医保" in shown
    assert "计算过程" in shown and "依据" in shown and "可信度" in shown
    assert "<svg" in app.result.value  # the progress chart
    assert "yb-error" not in app.result.value


def test_met_is_a_clear_yes_without_options():
    app = ContributionYearsApp({"region": "北京", "sex": "男", "total": "20", "deemed": "5",
                                "date": ON})  # fmt: skip
    shown = text_of(app.result.value)
    assert "已达到规定年限" in shown and "退休后不用再交" in shown
    assert "还差" not in shown and "可以怎么办" not in shown and "<svg" not in app.result.value


def test_changes_update_the_answer():
    app = ContributionYearsApp({"region": "北京", "sex": "女", "total": "19", "date": ON})
    app.deemed.value = "1"
    assert "已达到规定年限" in text_of(app.result.value)
    app.sex.value = "male"
    assert "累计还差 5 年（需 25 年，已有 20 年）" in text_of(app.result.value)
    app.region.value = "上海"
    assert "已达到规定年限" in text_of(app.result.value)


def test_hunan_local_years_rise_year_by_year():
    app = ContributionYearsApp({"region": "湖南", "sex": "男", "total": "30", "local": "12",
                                "date": "2026-06-01"})  # fmt: skip
    shown = text_of(app.result.value)
    assert "本省实际缴费还差 1 年（需 13 年，已有 12 年）" in shown
    table = timeline(app)
    assert {year: int(cells[1]) for year, cells in table.items() if year <= 2028} == {
        2023: 10, 2024: 11, 2025: 12, 2026: 13, 2027: 14, 2028: 15,
    }  # fmt: skip
    assert all(cells[0] == "30" for cells in table.values())
    app.date.value = date(2025, 6, 1)
    assert "已达到规定年限" in text_of(app.result.value)


def test_guangdong_phasing_in_says_the_yearly_steps_are_unknown():
    # 广东's rows, retiring in 2026: inside the phasing-in (from 2030 nothing is estimated)
    app = ContributionYearsApp({"region": "东莞", "sex": "女", "total": "20", "date": ON})
    shown = text_of(app.result.value)
    assert "还差 5 年" in shown
    assert "广东省的年限要求逐年变化" in shown
    assert "没有收录" in shown and "估算" in shown
    table = timeline(app)
    assert table[2026] == ["25", "10", "过渡期：当年标准未收录，按目标年限计"]  # + 10 in the city
    assert table[2030] == ["25", "10", "现行"]


def test_fallback_region_is_labelled_an_estimate():
    app = ContributionYearsApp({"region": "拉萨", "sex": "男", "total": "28", "date": ON})  # 西藏
    shown = text_of(app.result.value)
    assert "按30年估算，累计还差 2 年" in shown
    assert "全国没有统一" in shown or "全国没有统一数字" in shown
    assert "yb-timeline" not in app.result.value  # nothing changes year by year


def test_region_only_shows_the_requirement():
    app = ContributionYearsApp({"region": "北京", "sex": "女", "date": ON})
    shown = text_of(app.result.value)
    assert "累计缴费需满 20 年" in shown and "填写您的累计实际缴费年限" in shown
    assert "yb-error" not in app.result.value


def test_empty_region_asks_for_one():
    app = ContributionYearsApp()
    assert "请先输入地区" in text_of(app.result.value)
    assert "yb-error" not in app.result.value


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("total", "-1", "累计实际缴费年限不能是负数"),
        ("total", "abc", "累计实际缴费年限必须是数字"),
        ("total", "200", "不能超过 80 年"),
        ("local", "25", "本地实际缴费年限不能超过累计实际缴费年限"),
        ("deemed", "-3", "视同缴费年限不能是负数"),
        ("region", "火星", "没有找到地区“火星”"),
        ("date", date(1980, 1, 1), "退休日期的年份应在"),
    ],
)
def test_bad_input_shows_a_chinese_message_and_no_number(field, value, message):
    app = ContributionYearsApp({"region": "北京", "sex": "女", "total": "19", "date": ON})
    assert "还差 1 年" in text_of(app.result.value)
    getattr(app, field).value = value
    assert 'class="yb-error"' in app.result.value
    assert message in app.result.value
    assert "还差" not in text_of(app.result.value) and "<svg" not in app.result.value
    assert "Traceback" not in app.result.value
    good = {"total": "19", "local": "", "deemed": "", "region": "北京", "date": date(2026, 6, 1)}
    getattr(app, field).value = good[field]
    assert "还差 1 年" in text_of(app.result.value)


def test_bad_query_values_fall_back_with_a_message():
    app = ContributionYearsApp({"region": "xyz", "sex": "?", "total": "-1", "local": "abc",
                                "date": "2026-13-01"})  # fmt: skip
    assert app.region.value == "" and app.sex.value == "male" and app.total.value == ""
    assert app.local.value == "" and app.date.value == date.today()  # the app's default
    shown = text_of(app.result.value)
    for part in (
        "没有找到地区“xyz”",
        "性别请填写",
        "累计实际缴费年限不能是负数",
        "本地实际缴费年限必须是数字",
        "退休日期格式不对",
    ):
        assert part in shown
    assert "yb-error" not in app.result.value


def test_query_the_rules_refuse_falls_back():
    app = ContributionYearsApp({"region": "北京", "total": "10", "local": "20", "date": ON})
    shown = text_of(app.result.value)
    assert "本地实际缴费年限不能超过累计实际缴费年限" in shown and "已改用默认值" in shown
    assert app.local.value == "" and "还差 15 年" in shown


def test_progress_chart_is_svg_with_every_chinese_glyph():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        app = ContributionYearsApp({"region": "湖南", "sex": "男", "total": "20", "local": "9",
                                    "date": "2026-06-01"})  # fmt: skip
        app.region.value = "成都"
    assert [str(w.message) for w in caught if "Glyph" in str(w.message)] == []
    assert '<div class="yb-chart"' in app.result.value and "<svg" in app.result.value


def test_latency():
    app = ContributionYearsApp({"region": "湖南", "sex": "男", "local": "10", "date": "2026-06-01"})
    times = []
    for i in range(20):
        started = time.perf_counter()
        app.total.value = str(10 + i)
        times.append(1000 * (time.perf_counter() - started))
    regions = []
    for name in ["北京", "上海", "广州", "深圳", "长沙", "成都", "天津", "济南"] * 3:
        started = time.perf_counter()
        app.region.value = name
        regions.append(1000 * (time.perf_counter() - started))
    print(
        f"\ncontribution_years latency median: total years {statistics.median(times):.1f} ms "
        f"(new progress chart each time), region {statistics.median(regions):.1f} ms"
    )
    assert statistics.median(times) < 1000 and statistics.median(regions) < 1000
