"""退休人员每月划入 in headless Chromium: renders, answers typed input, restores a link, fits a phone."""

from __future__ import annotations

import time

from conftest import console_errors, has_horizontal_scroll, open_app, screenshot_whole_app

APP = "retiree_credit"


def wait_for_monthly(page, value: str) -> None:
    page.wait_for_function(
        "(value) => { const big = document.querySelector('.yb-result .yb-monthly');"
        " return big !== null && big.textContent.trim() === value; }",
        arg=value,
        timeout=10_000,
        polling=20,
    )


def wait_for_marker(page, label: str) -> None:
    page.wait_for_function(
        "(label) => (document.querySelector('.yb-chart .yb-age-marker') || {}).textContent === label",
        arg=label,
        timeout=10_000,
    )


def type_into(page, selector: str, value: str) -> None:
    box = page.locator(selector)
    box.fill(value)
    box.press("Enter")


def assert_clean(page) -> None:
    body = page.locator("body").inner_text()
    assert "Traceback" not in body and "Error" not in body
    assert console_errors(page) == []


def test_typed_age_and_region_update_the_result(page, voila_server, screenshot_dir):
    seconds = open_app(page, voila_server, APP, "region=北京&age=70")
    print(f"\nretiree_credit ready in {seconds:.2f} s")

    wait_for_monthly(page, "107.00 元")
    assert "110.00" in page.locator(".yb-result").inner_text()
    assert page.locator(".yb-result .yb-error").count() == 0
    assert page.locator(".yb-chart svg .yb-age-marker").count() == 1

    started = time.perf_counter()
    type_into(page, ".yb-input-age input", "65")
    wait_for_monthly(page, "97.00 元")
    print(
        f"age 65 → result updated in the browser after {1000 * (time.perf_counter() - started):.0f} ms"
    )

    started = time.perf_counter()
    type_into(page, ".yb-input-region input", "上海")
    wait_for_monthly(page, "140.00 元")
    print(f"region 上海 → result updated after {1000 * (time.perf_counter() - started):.0f} ms")
    type_into(page, ".yb-input-age input", "75")
    wait_for_monthly(page, "157.50 元")
    assert "1,890.00" in page.locator(".yb-result").inner_text()
    wait_for_marker(page, "75岁：157.50元")
    href = page.locator(".yb-share-link").first.get_attribute("href")
    assert "region=310000" in href and "age=75" in href

    type_into(page, ".yb-input-age input", "-5")
    page.wait_for_selector(".yb-result .yb-error", timeout=10_000)
    assert "负数" in page.locator(".yb-result").inner_text()
    assert page.locator(".yb-result .yb-monthly").count() == 0
    type_into(page, ".yb-input-age input", "75")
    wait_for_monthly(page, "157.50 元")

    type_into(page, ".yb-input-base input", "8000")
    page.wait_for_function(
        "() => document.querySelector('.yb-worker-result').textContent.includes('160.00')"
        " && document.querySelectorAll('.yb-chart svg').length === 2",
        timeout=10_000,
    )
    screenshot_whole_app(page, screenshot_dir / "retiree_credit-desktop.png")
    assert_clean(page)


def test_shared_link_restores_inputs_on_a_phone(phone_page, voila_server, screenshot_dir):
    seconds = open_app(phone_page, voila_server, APP, "region=440300&age=70")
    print(f"\nretiree_credit (phone, from a link) ready in {seconds:.2f} s")

    wait_for_monthly(phone_page, "251.00 元")
    assert phone_page.locator(".yb-input-region input").input_value() == "深圳市"
    assert phone_page.locator(".yb-input-age input").input_value() == "70"
    assert phone_page.evaluate("() => window.innerWidth") == 390
    assert not has_horizontal_scroll(phone_page)
    for selector in (".yb-input-region input", ".yb-input-age input", ".yb-input-date input"):
        box = phone_page.locator(selector).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, selector
        assert box["width"] > 200, selector  # inputs use the width of the screen
    chart = phone_page.locator(".yb-chart svg").first.bounding_box()
    assert chart["width"] <= 390

    type_into(phone_page, ".yb-input-region input", "东莞")
    phone_page.wait_for_selector(".yb-input-avg input", state="visible", timeout=10_000)
    phone_page.wait_for_function(  # 广东's share rule on an estimated average, marked as such
        "() => document.querySelector('.yb-result').textContent.includes('平均养老金为估算')",
        timeout=10_000,
    )
    type_into(phone_page, ".yb-input-avg input", "4000")
    wait_for_monthly(phone_page, "112.00 元")
    wait_for_marker(phone_page, "70岁：112.00元")  # the chart follows the result
    assert not has_horizontal_scroll(phone_page)
    screenshot_whole_app(phone_page, screenshot_dir / "retiree_credit-phone.png")
    assert_clean(phone_page)
