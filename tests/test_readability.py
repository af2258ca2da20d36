"""适老化 without a browser: the 大字模式 switch of every app, ``big=1`` in and out of the share
link, the 朗读 button on result cards, and the stylesheet and template that carry them.

The rendered figures (font sizes, tap targets, overflow at 390 px, both modes) are measured in
tests/browser/test_readability_browser.py.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import ipywidgets as widgets
import pytest

from yibao_lib.apps.contribution_years import ContributionYearsApp
from yibao_lib.apps.home import HomeApp
from yibao_lib.apps.retiree_credit import RetireeCreditApp
from yibao_lib.apps.transfer_guide import TransferGuideApp
from yibao_lib.ui import common, style

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "share" / "jupyter" / "voila" / "templates" / "yibao" / "index.html.j2"

QUERIES = {
    "home": "",
    "retiree_credit": "region=北京&age=70&date=2026-11-26",
    "compare_regions": "age=70&date=2026-11-26",
    "transfer_guide": "from=南宁&to=北京&start=2026-06-01",
    "contribution_years": "region=北京&sex=女&total=19&date=2026-11-26",
}


def _compare_app():
    from yibao_lib.apps.compare_regions import CompareRegionsApp

    return CompareRegionsApp


FACTORIES = {
    "home": lambda: HomeApp,
    "retiree_credit": lambda: RetireeCreditApp,
    "compare_regions": _compare_app,
    "transfer_guide": lambda: TransferGuideApp,
    "contribution_years": lambda: ContributionYearsApp,
}
WITH_SHARE_LINK = ("retiree_credit", "compare_regions", "transfer_guide", "contribution_years")


def app_params(names):
    for name in names:
        yield pytest.param(name, id=name)


def make(name: str, extra: str = ""):
    query = "&".join(q for q in (QUERIES[name], extra) if q)
    return FACTORIES[name]().from_query(query)


def share_query(app) -> dict[str, list[str]]:
    """The query of the app's share link, decoded."""
    match = re.search(r'<a href="([^"]*)" class="yb-share-link"', app.share.value)
    assert match, app.share.value
    return parse_qs(urlsplit(html.unescape(match.group(1))).query)


# ---- the switch ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(app_params(FACTORIES)))
def test_every_app_has_the_switch_at_its_top(name):
    app = make(name)
    root = app.widget
    assert "yb-app" in root._dom_classes
    # the first child is the (invisible) stylesheet; the switch comes right after it
    assert "yb-style" in root.children[0]._dom_classes
    switch = root.children[1]
    assert "yb-big-switch" in switch._dom_classes
    assert switch is app.large_text.switch
    assert "大字模式" in switch.description
    assert switch.value is False and "yb-big-text" not in root._dom_classes


@pytest.mark.parametrize("name", list(app_params(FACTORIES)))
def test_big_1_in_the_link_turns_big_text_on(name):
    app = make(name, "big=1")
    assert app.large_text.switch.value is True
    assert "yb-big-text" in app.widget._dom_classes
    app.large_text.switch.value = False
    assert "yb-big-text" not in app.widget._dom_classes
    app.large_text.switch.value = True
    assert "yb-big-text" in app.widget._dom_classes


@pytest.mark.parametrize("name", list(app_params(WITH_SHARE_LINK)))
def test_share_link_carries_big_1_while_big_text_is_on(name):
    app = make(name)
    before = share_query(app)
    assert "big" not in before
    app.large_text.switch.value = True
    after = share_query(app)
    assert after["big"] == ["1"]
    assert {k: v for k, v in after.items() if k != "big"} == before  # nothing else changes
    app.large_text.switch.value = False
    assert share_query(app) == before
    assert share_query(make(name, "big=1"))["big"] == ["1"]


@pytest.mark.parametrize(
    ("text", "on"),
    [("1", True), ("true", True), (" YES ", True), ("on", True), ("是", True),
     ("0", False), ("", False), ("2", False), ("big", False), (None, False)],
)  # fmt: skip
def test_big_text_from_query(text, on):
    query = {} if text is None else {"big": text}
    assert common.big_text_from_query(query) is on
    assert common.LargeTextMode(query).on is on


def test_link_params_adds_and_drops_big():
    mode = common.LargeTextMode({"big": "1"})
    assert mode.link_params({"a": 1, "big": 0}) == {"a": 1, "big": 1}
    mode.switch.value = False
    assert mode.link_params({"a": 1, "big": 1}) == {"a": 1}
    assert "big=" not in common.share_html({"a": 1}, large_text=mode)
    mode.switch.value = True
    assert "?a=1&amp;big=1" in common.share_html({"a": 1}, large_text=mode)
    assert "big" not in common.share_html({"a": 1})  # no mode given: the link as before


def test_app_box_without_a_mode_is_as_before():
    box = common.app_box([])
    assert len(box.children) == 1 and "yb-style" in box.children[0]._dom_classes


def test_one_mode_drives_every_root_it_is_attached_to():
    mode = common.LargeTextMode({"big": "1"})
    first = common.app_box([], large_text=mode)
    second = widgets.VBox()
    mode.attach(second)
    assert all("yb-big-text" in box._dom_classes for box in (first, second))
    calls = []
    mode.observe(lambda: calls.append(mode.on))
    mode.switch.value = False
    assert calls == [False]
    assert not any("yb-big-text" in box._dom_classes for box in (first, second))


# ---- 朗读 ------------------------------------------------------------------------------------


def speak_texts(markup: str) -> list[str]:
    return [
        html.unescape(m)
        for m in re.findall(r'<button type="button" class="yb-speak" data-text="([^"]*)"', markup)
    ]


def test_retiree_result_card_has_a_speak_button_with_the_figure():
    app = make("retiree_credit")
    texts = speak_texts(app.result.value)
    assert len(texts) == 1
    assert "107.00 元" in texts[0] and "北京市" in texts[0] and "70岁" in texts[0]
    assert "<" not in texts[0] and "朗读" not in texts[0]
    assert texts[0].endswith("。")
    app.base.value = "8000"
    worker = speak_texts(app.worker_result.value)
    assert len(worker) == 1 and "160.00" in worker[0]


def test_transfer_cards_have_speak_buttons():
    app = make("transfer_guide")
    for step in (1, 2, 5):
        app.go_to(step)
        texts = speak_texts(app.result.value)
        assert texts and "跨省转移接续" in texts[0], step
        assert "南宁市 到 北京市" in texts[0]  # "→" is read as 到
    app.go_to(5)
    assert "2026-06-23" in speak_texts(app.result.value)[0]


def test_years_cards_have_speak_buttons():
    app = make("contribution_years")
    texts = speak_texts(app.result.value)
    assert "还差 1 年" in texts[0] and "可信度" in texts[0]
    assert any("可以怎么办" in t for t in texts[1:])
    requirement = ContributionYearsApp.from_query("region=北京&sex=女&date=2026-11-26")
    (text,) = speak_texts(requirement.result.value)
    assert "累计缴费需满 20 年" in text and "依据" not in text  # the figure, not the sources


def test_home_sections_have_speak_buttons():
    texts = speak_texts(make("home").content.value)
    assert len(texts) == 3 and "怎么查个人账户余额" in texts[0]


def test_error_shows_no_speak_button():
    app = make("retiree_credit")
    app.age.value = -5
    assert "yb-error" in app.result.value and "yb-speak" not in app.result.value


def test_spoken_text_reads_the_card_not_its_markup():
    inner = (
        '<div class="yb-sub">北京市 · 70岁</div><div class="yb-big">107.00 元</div>'
        "<svg><text>图</text></svg><details><summary>来源</summary>x</details>"
        "<div>A &amp; B</div><ul><li>一</li><li>二；</li></ul>"
    )
    assert common.spoken_text(inner) == "北京市，70岁。107.00 元。A & B。一。二；"
    card = common.card(inner, speak=True)
    assert card.startswith('<div class="yb-card"><button type="button" class="yb-speak"')
    assert common.card("<b>x</b>") == '<div class="yb-card"><b>x</b></div>'
    assert 'data-text="自己的话"' in common.card("<b>x</b>", speak="自己的话")
    assert 'data-text="&lt;b&gt;&quot;"' in common.card("x", speak='<b>"')


# ---- the stylesheet and the template -------------------------------------------------------


def test_stylesheet_carries_the_figures():
    css = common.CSS
    assert css is style.CSS and css.count("<style>") == 1
    assert "text-size-adjust" not in css
    assert "--jp-widgets-inline-height: 44px" in css and "--jp-widgets-inline-height: 60px" in css
    assert ".yb-app.yb-big-text { font-size: 18px" in css
    assert "font-size: 16px; line-height: 1.6" in css
    sizes = [float(px) for px in re.findall(r"font-size:\s*([\d.]+)px", css)]
    assert min(sizes) >= style.SMALLEST_TEXT_PX
    assert ":focus-visible" in css
    assert ".yb-speak { display: none; }" in css  # shown by the template only with a voice
    assert common.FULL_WIDTH_NO_SIDE_MARGIN_CSS in css  # the old public name still works


@pytest.mark.parametrize(
    "module", ["retiree_credit", "transfer_guide", "contribution_years", "home"]
)
def test_apps_set_no_text_under_14px(module):
    source = (ROOT / "yibao_lib" / "apps" / f"{module}.py").read_text("utf-8")
    sizes = [float(px) for px in re.findall(r"font-size:\s*([\d.]+)px", source)]
    assert all(px >= style.SMALLEST_TEXT_PX for px in sizes), sizes
    assert "text-size-adjust" not in source


def test_template_speaks_in_the_page_only():
    text = TEMPLATE.read_text("utf-8")
    assert "speechSynthesis" in text and "voiceschanged" in text
    assert 'indexOf("zh")' in text and "localService === false" in text
    assert "yb-can-speak" in text
    assert not re.search(r"text-size-adjust\s*:\s*none", text)
    script = text[
        text.index("{%- block yb_readable_js %}") : text.index("{%- endblock yb_readable_js %}")
    ]
    for network in ("fetch(", "XMLHttpRequest", "sendBeacon", "WebSocket", "https://", "http://"):
        assert network not in script
    assert "execute" not in script  # the switch is the app's widget; no code goes to the kernel


def test_template_keeps_its_other_blocks():
    text = TEMPLATE.read_text("utf-8")
    for kept in (
        "正在加载…",
        "yibaoCheckKernel",
        "出错了，请刷新页面重试",
        "og:title",
        "data:text/css,",
    ):
        assert kept in text
