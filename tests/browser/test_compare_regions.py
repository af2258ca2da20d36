"""地区对比 in headless Chromium: renders, answers a typed age, restores a shared link, fits a phone."""

from __future__ import annotations

import time

from conftest import console_errors, has_horizontal_scroll, open_app, screenshot_whole_app

APP = "compare_regions"

# The monthly net credit in the table row of a region (4th cell), or null while there is none.
ROW_NET_JS = """(name) => {
  for (const row of document.querySelectorAll(".yb-result table tbody tr")) {
    const cells = row.querySelectorAll("td");
    if (cells.length > 3 && cells[0].textContent.trim().startsWith(name)) {
      return cells[3].textContent.trim();
    }
  }
  return null;
}"""


def wait_for_net(page, name: str, value: str) -> None:
    page.wait_for_function(
        f"([name, value]) => ({ROW_NET_JS})(name) === value",
        arg=[name, value],
        timeout=10_000,
        polling=20,
    )


def type_age(page, age: int) -> None:
    box = page.locator(".yb-input-age input")
    box.fill(str(age))
    box.press("Enter")


def test_typed_age_updates_table_and_chart(page, voila_server, screenshot_dir):
    seconds = open_app(page, voila_server, APP)
    print(f"\ncompare_regions ready in {seconds:.2f} s")

    assert page.locator(".yb-app .yb-error").count() == 0
    assert page.locator(".yb-chart svg").count() == 2  # bar chart by region, lines by age
    started = time.perf_counter()
    type_age(page, 69)
    wait_for_net(page, "北京市", "97.00")
    print(
        f"age 69 → table updated in the browser after {1000 * (time.perf_counter() - started):.0f} ms"
    )
    type_age(page, 70)
    wait_for_net(page, "北京市", "107.00")
    page.wait_for_function(  # the chart follows the table
        "() => document.querySelector('.yb-chart').textContent.includes('70 岁时各地每月到账')",
        timeout=10_000,
    )
    assert "age=70" in page.locator(".yb-share-link").get_attribute("href")
    tag_box = page.locator(".yb-input-region input")  # add a region to the line chart
    tag_box.fill("重庆")
    tag_box.press("Enter")
    page.wait_for_function(
        "() => document.querySelectorAll('.yb-chart')[1].textContent.includes('重庆')",
        timeout=10_000,
    )
    link = page.locator('.yb-result a[download="yibao_compare.csv"]')
    assert link.get_attribute("href").startswith("data:text/csv;charset=utf-8,%EF%BB%BF")
    screenshot_whole_app(page, screenshot_dir / "compare_regions-desktop.png")
    assert console_errors(page) == []


def test_shared_link_restores_inputs_on_a_phone(phone_page, voila_server, screenshot_dir):
    seconds = open_app(phone_page, voila_server, APP, "age=75&region=上海")
    print(f"\ncompare_regions (phone, from a link) ready in {seconds:.2f} s")

    wait_for_net(phone_page, "上海市", "157.50")
    assert phone_page.locator(".yb-input-age input").input_value() == "75"
    assert "上海" in phone_page.locator(".yb-input-region").inner_text()
    assert phone_page.evaluate("() => window.innerWidth") == 390
    assert not has_horizontal_scroll(phone_page)
    app = phone_page.locator(".yb-app").bounding_box()  # inputs stay inside the app
    for selector in (".yb-input-age input", ".yb-input-avg input", ".yb-input-region"):
        box = phone_page.locator(selector).bounding_box()
        assert app["x"] <= box["x"] and box["x"] + box["width"] <= app["x"] + app["width"] + 0.5
        assert box["width"] > 200, selector  # inputs use the width of the screen
    screenshot_whole_app(phone_page, screenshot_dir / "compare_regions-phone.png")
    assert console_errors(phone_page) == []
