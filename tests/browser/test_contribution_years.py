"""缴费年限 in headless Chromium: a shared link shows the shortfall, a typed change answers, phone fit."""

from __future__ import annotations

from conftest import console_errors, has_horizontal_scroll, open_app, screenshot_whole_app

APP = "contribution_years"


def wait_for_result_text(page, text: str) -> None:
    page.wait_for_function(
        "(text) => { const r = document.querySelector('.yb-result');"
        " return !!r && r.textContent.includes(text); }",
        arg=text,
        timeout=10_000,
        polling=20,
    )


def test_shared_link_shows_the_shortfall_and_a_change_answers(page, voila_server, screenshot_dir):
    seconds = open_app(page, voila_server, APP, "region=北京&sex=女&total=19")
    print(f"\ncontribution_years (from a link) ready in {seconds:.2f} s")

    wait_for_result_text(page, "还差 1 年")
    assert "累计还差 1 年（需 20 年，已有 19 年）" in page.locator(".yb-result").inner_text()
    assert page.locator(".yb-result .yb-chart svg").count() == 1  # the progress chart
    assert page.locator(".yb-input-region input").input_value() == "北京市"
    assert page.locator(".yb-input-total input").input_value() == "19"
    screenshot_whole_app(page, screenshot_dir / "contribution_years-desktop.png")

    box = page.locator(".yb-input-deemed input")
    box.fill("1")
    box.press("Enter")
    wait_for_result_text(page, "已达到规定年限")
    assert page.locator(".yb-result .yb-chart svg").count() == 0
    assert "deemed=1" in page.locator(".yb-share-link").get_attribute("href")
    assert console_errors(page) == []


def test_phasing_in_rule_on_a_phone(phone_page, voila_server, screenshot_dir):
    query = "region=湖南&sex=男&total=30&local=12&date=2026-06-01"
    seconds = open_app(phone_page, voila_server, APP, query)
    print(f"\ncontribution_years (phone) ready in {seconds:.2f} s")

    wait_for_result_text(phone_page, "本省实际缴费还差 1 年")
    table = phone_page.locator(".yb-result table.yb-timeline")
    assert "2028" in table.inner_text() and "15" in table.inner_text()
    assert phone_page.evaluate("() => window.innerWidth") == 390
    assert not has_horizontal_scroll(phone_page)
    app = phone_page.locator(".yb-app").bounding_box()  # inputs stay inside the app
    for selector in (".yb-input-region input", ".yb-input-total input", ".yb-input-date input"):
        box = phone_page.locator(selector).bounding_box()
        assert app["x"] <= box["x"] and box["x"] + box["width"] <= app["x"] + app["width"] + 0.5
        assert box["width"] > 150, selector
    screenshot_whole_app(phone_page, screenshot_dir / "contribution_years-phone.png")
    assert console_errors(phone_page) == []
