"""首页 in headless Chromium: renders without error, links to the four apps, fits a phone."""

from __future__ import annotations

from urllib.parse import urlsplit

from conftest import console_errors, has_horizontal_scroll, open_app, screenshot_whole_app

APPS = ("retiree_credit", "compare_regions", "transfer_guide", "contribution_years")


def assert_clean(page) -> None:
    body = page.locator("body").inner_text()
    assert "Traceback" not in body and "Error" not in body
    assert page.locator(".yb-error").count() == 0
    assert console_errors(page) == []


def test_index_renders_and_links_to_every_app(page, voila_server, screenshot_dir):
    seconds = open_app(page, voila_server, "index")
    print(f"\nindex ready in {seconds:.2f} s")

    home = page.locator(".yb-home")
    assert "数据核对日期" in home.inner_text()
    assert "以当地医保部门规定为准" in home.inner_text()
    for section in ("balance_check_channels", "family_sharing", "wallet"):
        items = page.locator(f".yb-home-{section} > li")
        assert items.count() > 0
        assert page.locator(f".yb-home-{section} > li .yb-badge").count() == items.count()
    for app in APPS:
        link = page.locator(f'a[href="{app}.ipynb"]')
        assert link.count() >= 1, app
        path = urlsplit(link.first.evaluate("a => a.href")).path
        assert path == f"/voila/render/notebooks/{app}.ipynb"
    assert "123456" not in page.content()
    screenshot_whole_app(page, screenshot_dir / "index-desktop.png")
    assert_clean(page)


def test_index_fits_a_phone(phone_page, voila_server, screenshot_dir):
    open_app(phone_page, voila_server, "index")
    assert phone_page.evaluate("() => window.innerWidth") == 390
    assert not has_horizontal_scroll(phone_page)
    phone_page.locator(".yb-fact-sources summary").first.click()  # sources fold out
    assert phone_page.locator(".yb-fact-sources[open] .yb-sources li").count() >= 1
    assert not has_horizontal_scroll(phone_page)
    screenshot_whole_app(phone_page, screenshot_dir / "index-phone.png")
    assert_clean(phone_page)
