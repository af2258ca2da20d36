"""The compare app's map: every prefecture drawn and coloured by its own figure, a city and a
province view, and a tapped division selected for the chart by age (no browser needed)."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest

from yibao_lib.apps.compare_regions import CompareRegionsApp
from yibao_lib.china_map import map_figures
from yibao_lib.coverage import prefectures

ON = "2026-06-01"


@pytest.fixture
def app() -> CompareRegionsApp:
    return CompareRegionsApp({"age": "70", "date": ON})


def drawn_codes(app) -> set[str]:
    return set(re.findall(r'<path data-code="(\d{6})"', app.map.value))


def test_every_prefecture_is_drawn_with_its_own_figure(app):
    assert 'class="yb-map yb-map-city' in app.map.value
    codes = drawn_codes(app)
    assert {r.code for r in prefectures()} <= codes
    figures = map_figures(70, on=ON)
    assert all(figures[r.code].monthly_net is not None for r in prefectures())
    # 东莞 is on 广东's share rule with an estimated average: hatched, never colour alone
    assert figures["441900"].hatched
    fill = re.search(r'<path data-code="441900" fill="([^"]+)"', app.map.value).group(1)
    assert fill.startswith("url(#")
    assert "元/月" in app.map.value and "斜线：估算或来源说法不一" in app.map.value


def test_the_province_view_and_the_link(app):
    app.map_view.value = "province"
    assert "yb-map-province" in app.map.value
    assert {"110000", "440000", "650000"} <= drawn_codes(app)
    assert "view=province" in app.share.value
    again = CompareRegionsApp({"age": "70", "date": ON, "view": "province"})
    assert again.map_view.value == "province"
    bad = CompareRegionsApp({"age": "70", "date": ON, "view": "globe"})
    assert bad.map_view.value == "city" and "地图参数" in bad.result.value


def test_a_tapped_division_is_selected_and_added_to_the_chart_by_age(app):
    app.map_pick.value = "440600"
    assert app.map_pick.value == ""
    assert 'class="ybm-info" data-code="440600"' in app.map.value
    assert "佛山" in app.map.value.split('class="ybm-info"')[1][:200]
    assert app.regions.value[0] == "佛山" and "佛山" in unquote(app.share.value)
    assert "佛山" in app.line_chart.value


@pytest.mark.parametrize("nonsense", ["abc", "999999", "000000", "44060", "<b>"])
def test_anything_else_in_the_pick_is_ignored(app, nonsense):
    before = (list(app.regions.value), app.map.value)
    app.map_pick.value = nonsense
    assert (list(app.regions.value), app.map.value) == before
    assert "yb-error" not in app.result.value


def test_figures_shared_between_ages_are_those_of_each_age():
    from yibao_lib import retiree_monthly_credit

    map_figures(65, on=ON)  # computed at 65, reused where the same rule rows apply
    for age in (66, 72, 80):
        figures = map_figures(age, on=ON)
        for code in ("110000", "310000", "500000", "440600", "441900", "370200", "429004"):
            assert figures[code].monthly_net == retiree_monthly_credit(code, age, on=ON).monthly_net
