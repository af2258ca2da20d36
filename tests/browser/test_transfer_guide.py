"""The 转移接续 wizard in headless Chromium: renders, steps to the summary, restores a shared link,
follows an input change, fits a phone."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import console_errors, has_horizontal_scroll, open_app, screenshot_whole_app

pytestmark = pytest.mark.browser

APP = "transfer_guide"
RESULT = ".yb-result"
PROGRESS = ".yb-tg-progress-text"
ORIGIN = ".yb-input-region input"


def app_overflows(page) -> bool:
    """Whether the app is wider than the screen (inside Voilà's own scrolling panel too)."""
    return page.evaluate(
        """() => { const app = document.querySelector('.yb-app');
          return app.scrollWidth > app.clientWidth + 1
            || app.getBoundingClientRect().right > window.innerWidth + 1; }"""
    )


def wait_for_text(page, selector: str, text: str, timeout_ms: int = 10_000) -> None:
    page.wait_for_function(
        "([sel, text]) => { const el = document.querySelector(sel);"
        " return !!el && el.textContent.includes(text); }",
        arg=[selector, text],
        timeout=timeout_ms,
        polling=50,
    )


def test_desktop_origin_change_and_walk_to_summary(page, voila_server, screenshot_dir):
    seconds = open_app(page, voila_server, APP, "from=深圳&to=广州&start=2026-06-01")
    print(f"\ntransfer_guide desktop page load: {seconds:.2f} s")
    wait_for_text(page, RESULT, "无需转移")
    assert page.locator(PROGRESS).inner_text().startswith("第 1 步，共 5 步")

    page.fill(ORIGIN, "南宁")
    page.press(ORIGIN, "Enter")
    wait_for_text(page, RESULT, "跨省转移接续")
    wait_for_text(page, RESULT, "2026-06-23")
    screenshot_whole_app(page, screenshot_dir / "transfer_guide-desktop.png")

    next_button = page.get_by_role("button", name="下一步")
    for step in range(2, 6):
        next_button.click()
        wait_for_text(page, PROGRESS, f"第 {step} 步")
    wait_for_text(page, RESULT, "下载小结")
    summary = page.locator(RESULT).inner_text()
    assert "医保钱包" in summary and "2026-06-23" in summary
    assert page.locator("button.yb-tg-print").get_attribute("onclick") == "window.print()"
    with page.expect_download() as download_info:
        page.locator("a.yb-tg-md").click()
    download = download_info.value
    assert download.suggested_filename == "yibao_转移接续.md"
    text = Path(download.path()).read_text(encoding="utf-8")
    assert "最迟 2026-06-15" in text and "按规定最迟完成：2026-06-23" in text
    assert next_button.is_disabled()
    screenshot_whole_app(page, screenshot_dir / "transfer_guide-summary.png")
    assert "Traceback" not in page.content()
    assert console_errors(page) == []


def test_phone_restores_shared_link_without_sideways_scroll(
    phone_page, voila_server, screenshot_dir
):
    query = "from=南宁&to=北京&start=2026-06-01&step=3"
    seconds = open_app(phone_page, voila_server, APP, query)
    print(f"\ntransfer_guide phone page load: {seconds:.2f} s")
    wait_for_text(phone_page, PROGRESS, "第 3 步")
    wait_for_text(phone_page, RESULT, "2026-06-23")
    assert "2026-06-15" in phone_page.locator(RESULT).inner_text()
    assert phone_page.locator(".yb-tg-doc").count() >= 1  # the checklist to tick
    assert not has_horizontal_scroll(phone_page) and not app_overflows(phone_page)
    screenshot_whole_app(phone_page, screenshot_dir / "transfer_guide-phone.png")

    phone_page.get_by_role("button", name="下一步").click()  # the timeline chart
    wait_for_text(phone_page, RESULT, "个案反馈，非规定时限")
    assert phone_page.locator(f"{RESULT} svg").count() == 1
    assert not has_horizontal_scroll(phone_page) and not app_overflows(phone_page)
    screenshot_whole_app(phone_page, screenshot_dir / "transfer_guide-phone-timeline.png")
    assert console_errors(phone_page) == []
