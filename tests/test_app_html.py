"""The apps' HTML and charts as pure functions of the library's results: no widgets, no browser."""

from __future__ import annotations

import re
from datetime import date

import pytest

from yibao_lib import (
    minimum_years_check,
    project_worker_balance,
    retiree_monthly_credit,
    transfer_plan,
)
from yibao_lib.apps import compare_regions, contribution_years, home, retiree_credit, transfer_guide
from yibao_lib.credit import compare_rows, credit_by_age
from yibao_lib.ui import charts, html
from yibao_lib.years import requirement_by_year

ON = "2026-11-26"


def text(markup: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", markup))


def test_retiree_card_shows_the_figure_its_steps_and_sources():
    result = retiree_monthly_credit("北京", 70, on=ON)
    page = retiree_credit.retiree_result_html(result)
    assert 'class="yb-big yb-monthly">107.00 元<' in page and "yb-speak" in page
    assert all(html.esc(step) in page for step in result.steps)
    assert all(html.esc(s.cite()) in page for s in result.sources)
    assert "另有说法" in page and "yb-badge-contested" in page


def test_worker_card():
    projection = project_worker_balance("8000", until="2027-12-31", start=ON, region="北京")
    page = retiree_credit.worker_result_html(projection)
    assert "160.00" in text(page) and "余额是预测" in page


def test_age_chart_is_svg_with_a_point_per_age_on_the_step_line():
    curve = credit_by_age("北京", on=ON)
    svg, points = retiree_credit.age_curve_svg(curve)
    assert svg.count("<svg") == 1 and "北京：每月到账（元）随年龄" in svg
    assert set(points) == set(curve.ages)
    assert points[69][1] > points[70][1] and points[70][1] == points[99][1]
    marked = retiree_credit.with_age_marker(svg, points[70], retiree_monthly_credit("北京", 70, on=ON))
    assert "70岁：107.00元" in marked and marked.count("yb-age-marker") == 1


def test_step_chart_geometry_and_ticks():
    chart = charts.step_chart([50, 60], [100.0, 150.0], size=(4.8, 3.0), axes=(0.15, 0.2, 0.8, 0.64),
                              title="标题<", x_label="年龄", tick_pt=13.5, title_pt=14)  # fmt: skip
    assert (chart.width, chart.height) == (pytest.approx(345.6), 216.0)
    assert 'viewBox="0 0 345.6 216"' in chart.svg
    assert chart.point(50, 0) == (round(0.15 * 345.6, 2), round(0.8 * 216, 2))  # the axes' corner
    assert chart.y_range == (0.0, 187.5) and "标题&lt;" in chart.svg
    assert re.findall(r'font-size="([\d.]+)"', chart.svg) and min(
        float(v) for v in re.findall(r'font-size="([\d.]+)"', chart.svg)
    ) >= 13.5  # lettering of 14 px or more where the chart is drawn ~360 px wide
    assert charts.nice_ticks(0, 187.5, 4) == [0, 50, 100, 150]
    assert charts.nice_ticks(50, 101, 6, integer=True) == [50, 60, 70, 80, 90, 100]
    assert charts.nice_ticks(0, 1.25, 4) == [0, 0.5, 1.0]


def test_compare_table_and_missing_list():
    rows = compare_rows(70, on=ON)
    page = compare_regions.table_html(rows, 70, None, date(2026, 11, 26), ["链接里的年龄有误"])
    assert page.startswith('<div class="yb-notice">链接里的年龄有误')
    assert page.count("<tr>") == len(rows) + 1 and "yb-csv" in page
    assert compare_regions.missing_html([r for r in rows if r.has_figure]) == ""


def test_years_answer_requirement_and_timeline():
    short = minimum_years_check("湖南", "男", 20, local_years=9, on="2026-06-01")
    page = contribution_years.answer_html(short, progress="<svg/>")
    assert "还差" in text(page) and "<svg/>" in page and all(html.esc(s) in page for s in short.steps)
    need = contribution_years.requirement_html(minimum_years_check("北京", "男", 0, on=ON))
    assert "累计缴费需满" in text(need)
    timeline = contribution_years.timeline_html(requirement_by_year("湖南", "男"), date(2026, 6, 1))
    assert "yb-timeline" in timeline and "2026" in timeline
    flat = contribution_years.timeline_html(requirement_by_year("北京", "女", range(2024, 2027)), date(2026, 6, 1))
    assert flat == ""


def test_transfer_steps_are_html_of_the_plan():
    plan = transfer_plan("南宁", "北京", start="2026-06-01")
    for step in range(1, 6):
        page = transfer_guide.step_html(step, plan, ticked={})
        assert "yb-error" not in page and "Traceback" not in page
    assert "☐" in transfer_guide.step_html(5, plan) and plan.route_label in transfer_guide.step_html(2, plan)
    assert "yb-error" in transfer_guide.step_html(3, None, "出错了")
    assert "请先回到第1步" in transfer_guide.step_html(3, None)
    assert "第 2 步，共 5 步" in transfer_guide.progress_html(2)


def test_home_sections():
    page = home.home_html()
    for section, title in home.SECTIONS.items():
        assert html.esc(title) in page and f"yb-home-{section}" in page


def test_html_and_charts_make_no_widgets(monkeypatch):
    import ipywidgets

    made = []
    monkeypatch.setattr(ipywidgets.Widget, "__init__", lambda self, **kw: made.append(self))
    html.card(html.steps_html(["一"]), speak=True)
    charts.step_chart([1, 2], [1.0, 2.0], size=(2, 2), axes=(0.1, 0.1, 0.8, 0.8), title="t",
                      x_label="x", tick_pt=12, title_pt=12)  # fmt: skip
    retiree_credit.age_curve_svg(credit_by_age("上海", on=ON))
    assert made == []
