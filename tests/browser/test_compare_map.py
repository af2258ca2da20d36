"""The map in 地区对比, in headless Chromium: every division drawn, a tap shows its figure and
source and selects it for the chart by age, and it fits a phone."""

from __future__ import annotations

from conftest import console_errors, has_horizontal_scroll, open_app, screenshot_whole_app

APP = "compare_regions"
QUERY = "age=70&date=2026-06-01"


def wait_map(page) -> None:
    page.wait_for_function(
        "() => document.querySelectorAll('.yb-map path[data-code]').length >= 333",
        timeout=20_000, polling=50,
    )  # fmt: skip


def tap_division(page, code: str) -> None:
    page.locator(f'.yb-map path[data-code="{code}"]').first.dispatch_event("click")
    page.wait_for_function(
        f"() => document.querySelector('.yb-map .ybm-info[data-code=\"{code}\"]') !== null",
        timeout=10_000, polling=20,
    )  # fmt: skip


def test_tapping_a_division_shows_its_figure_and_source(page, voila_server, screenshot_dir):
    open_app(page, voila_server, APP, QUERY)
    wait_map(page)
    title = page.locator('.yb-map path[data-code="440600"] title').text_content()
    assert "佛山" in title and "158.20" in title and "可信度" in title
    tap_division(page, "440600")
    info = page.locator(".yb-map .ybm-info").inner_text()
    assert "佛山" in info and "158.20" in info  # 佛山's own figure, with its rule and source
    page.wait_for_function(
        "() => document.querySelectorAll('.yb-chart')[1].textContent.includes('佛山')",
        timeout=10_000,
    )
    assert "%E4%BD%9B%E5%B1%B1" in page.locator(".yb-share-link").get_attribute("href")  # 佛山
    screenshot_whole_app(page, screenshot_dir / "compare_regions-map-desktop.png")
    assert console_errors(page) == []


def test_the_map_fits_a_phone_in_both_views(phone_page, voila_server, screenshot_dir):
    open_app(phone_page, voila_server, APP, QUERY)
    wait_map(phone_page)
    box = phone_page.locator(".yb-map svg").bounding_box()
    assert 300 <= box["width"] <= 390 and box["height"] > 200
    assert not has_horizontal_scroll(phone_page)
    phone_page.get_by_role("button", name="省份").click()
    phone_page.wait_for_function(
        "() => document.querySelector('.yb-map.yb-map-province') !== null", timeout=10_000
    )
    assert phone_page.locator('.yb-map path[data-code="440000"]').count() >= 1
    assert not has_horizontal_scroll(phone_page)
    screenshot_whole_app(phone_page, screenshot_dir / "compare_regions-map-phone.png")
    assert console_errors(phone_page) == []
