"""适老化: every app readable and usable for older people on a phone, in both modes.

The figures of the issue (工信部《互联网网站适老化通用设计规范》, WCAG 2.2), measured in headless
Chromium at 390×844 CSS px — the page as rendered, not the stylesheet:

* default: Chinese text at least 16 px (fine print, ``.yb-small``: 14 px), line height at least
  1.3, the key figure of a result (``.yb-big``) at least 28 px; no text under 14 px anywhere,
  chart lettering included;
* 大字模式 (``big=1`` in the link, or the switch at the top of the app): text at least 18 px (fine
  print 16 px), key figures at least 30 px, tap targets at least 60 px high;
* every input, button, toggle, checkbox row (the whole labelled row), link and fold at least
  44×44 px; nothing wider than the screen; text contrast at least 4.5:1 (3:1 for large text);
  each input labelled with its Chinese name; a visible focus ring; the keyboard alone works;
  no ``text-size-adjust: none`` (WeChat's 关怀模式 and the phone's font size must still work);
* 朗读: hidden where the browser has no Chinese voice on the device (headless Chromium has
  none), and, with a stubbed ``speechSynthesis`` that has one, shown and speaking the card.

Screenshots of every app in both modes go to the screenshot folder (readability-*.png).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from conftest import (
    PHONE,
    close_page,
    console_errors,
    new_page,
    open_app,
    screenshot_whole_app,
)

BODY_PX = {"default": 16, "big": 18}
FINE_PRINT_PX = {"default": 14, "big": 16}  # .yb-small: sources in a wide table, notes under a cell
KEY_FIGURE_PX = {"default": 28, "big": 30}
TARGET_PX = {"default": (44, 44), "big": (44, 60)}  # (width, height)
SMALLEST_PX = 14
MIN_LINE_HEIGHT = 1.3
TIMEOUT_MS = 30_000

# Each app opened from a link that gives a full result (index: the home page).
APPS = {
    "index": "",
    "retiree_credit": "region=北京&age=70",
    "compare_regions": "age=70",
    "transfer_guide": "from=南宁&to=北京&start=2026-06-01",
    "contribution_years": "region=北京&sex=女&total=19",
}
# What must be on the page before measuring (charts are drawn just after the page is shown).
READY = {
    "index": [".yb-home .yb-card"],
    "retiree_credit": [".yb-result .yb-monthly", ".yb-chart svg"],
    "compare_regions": [".yb-result table", ".yb-chart svg"],
    "transfer_guide": [".yb-result .yb-card"],
    "contribution_years": [".yb-result .yb-big", ".yb-result .yb-chart svg"],
}


def app_params():
    for name in APPS:
        yield pytest.param(name, id=name)


# --------------------------------------------------------------------------------------------
# what is measured on the page

# Every visible text node: its characters, the rendered font size (SVG text scaled by its
# transform), the line height; matplotlib's lettering (drawn as glyph paths, ``g#text_N >
# g[transform]`` scaled by fontsize/100) by its on-screen size.
TEXT_JS = """() => {
  const CJK = /[\\u3400-\\u9fff\\uf900-\\ufaff]/g;
  const out = {cjk: 0, cjkUnder: {}, allUnder14: [], lowLine: [], glyphs: [], keyFigures: []};
  const sizes = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const text = node.nodeValue.replace(/\\s+/g, "");
    if (!text) continue;
    const el = node.parentElement;
    if (!el || el.closest("script, style, noscript, template, title, defs")) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    if (![...range.getClientRects()].some((r) => r.width > 0 && r.height > 0)) continue;
    const cs = getComputedStyle(el);
    if (cs.visibility === "hidden") continue;
    let size = parseFloat(cs.fontSize);
    const svg = el instanceof SVGElement;
    if (svg && el.getScreenCTM()) { const m = el.getScreenCTM(); size *= Math.hypot(m.a, m.b); }
    size = Math.round(size * 10) / 10;
    const cjk = (text.match(CJK) || []).length;
    out.cjk += cjk;
    const fine = !!el.closest(".yb-small");
    sizes.push([size, cjk, text.slice(0, 24), el.className && el.className.baseVal === undefined ? el.className : el.tagName, fine]);
    if (size < 14 - 0.05) out.allUnder14.push([size, text.slice(0, 24)]);
    if (!svg && cs.lineHeight !== "normal" && parseFloat(cs.lineHeight) / parseFloat(cs.fontSize) < 1.3 - 0.01) {
      out.lowLine.push([cs.lineHeight, cs.fontSize, text.slice(0, 24)]);
    }
  }
  out.sizes = sizes;
  for (const g of document.querySelectorAll('svg g[id^="text_"] > g[transform]')) {
    const rect = g.getBoundingClientRect();
    if (!rect.width || !g.getScreenCTM()) continue;
    const m = g.getScreenCTM();
    out.glyphs.push(Math.round(Math.hypot(m.a, m.b) * 1000) / 10);
  }
  for (const el of document.querySelectorAll(".yb-big")) {
    if (el.getClientRects().length) out.keyFigures.push([parseFloat(getComputedStyle(el).fontSize), el.textContent.trim().slice(0, 20)]);
  }
  return out;
}"""

# Every visible control: its tap box (a checkbox: its whole labelled row).
TARGETS_JS = """() => {
  const selector = 'a[href], button, input:not([type="hidden"]), select, textarea, summary, [role="button"], [tabindex]:not([tabindex="-1"])';
  const out = [];
  for (const el of document.querySelectorAll(selector)) {
    // a division on the compare app's map: the same choice is offered by the region input, a
    // full-size control (WCAG 2.5.8, "equivalent")
    if (el.closest(".yb-map")) continue;
    let box = el;
    if (el.matches('input[type="checkbox"], input[type="radio"]')) box = el.closest("label") || el;
    const r = box.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if (getComputedStyle(el).visibility === "hidden") continue;
    out.push({tag: el.tagName.toLowerCase(), cls: String(el.className.baseVal ?? el.className).slice(0, 50),
              text: (el.textContent || el.value || el.getAttribute("aria-label") || "").trim().slice(0, 20),
              w: Math.round(r.width * 10) / 10, h: Math.round(r.height * 10) / 10});
  }
  return out;
}"""

# Text colour against the first opaque background behind it (WCAG contrast ratio).
CONTRAST_JS = """() => {
  function rgba(text) { const m = text.match(/[\\d.]+/g) || []; return m.map(Number).concat([1]).slice(0, 4); }
  function lum([r, g, b]) {
    const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  }
  function background(el) {
    for (let e = el; e; e = e.parentElement) {
      const c = rgba(getComputedStyle(e).backgroundColor);
      if (c[3] >= 0.99) return c;
    }
    return [255, 255, 255, 1];
  }
  const bad = [];
  const seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const el = node.parentElement;
    if (!node.nodeValue.trim() || !el || seen.has(el) || el instanceof SVGElement) continue;
    if (el.closest("script, style, noscript, template, title, button:disabled, [disabled]")) continue;
    seen.add(el);
    if (!el.getClientRects().length) continue;
    const cs = getComputedStyle(el);
    if (cs.visibility === "hidden" || cs.display === "none") continue;
    const fg = rgba(cs.color), bg = background(el);
    const mixed = [0, 1, 2].map((i) => fg[i] * fg[3] + bg[i] * (1 - fg[3]));
    const [a, b] = [lum(mixed), lum(bg)];
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const size = parseFloat(cs.fontSize), bold = parseInt(cs.fontWeight, 10) >= 700;
    const need = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    if (ratio < need - 0.01) bad.push([Math.round(ratio * 100) / 100, cs.color, node.nodeValue.trim().slice(0, 20)]);
  }
  return bad;
}"""

# Inputs in the apps without a Chinese name for screen readers (label or aria-label).
UNLABELLED_JS = """() => {
  const out = [];
  for (const el of document.querySelectorAll(".yb-app input, .yb-app select, .yb-app textarea")) {
    if (!el.getClientRects().length || el.type === "hidden") continue;
    const names = [...(el.labels || [])].map((l) => l.textContent).join(" ") + " " + (el.getAttribute("aria-label") || "");
    if (!/[\\u3400-\\u9fff]/.test(names)) out.push(el.outerHTML.slice(0, 120));
  }
  return out;
}"""

# Stylesheet rules (and inline styles) that switch the phone's own font scaling off.
TEXT_SIZE_ADJUST_JS = """() => {
  const found = [];
  function visit(rules) {
    for (const rule of rules) {
      if (rule.cssRules) visit(rule.cssRules);
      const style = rule.style;
      if (!style) continue;
      for (const name of ["text-size-adjust", "-webkit-text-size-adjust", "-moz-text-size-adjust"]) {
        if (/none/i.test(style.getPropertyValue(name))) found.push(rule.cssText.slice(0, 120));
      }
    }
  }
  for (const sheet of document.styleSheets) { try { visit(sheet.cssRules); } catch (e) { /* cross-origin */ } }
  for (const el of document.querySelectorAll("[style]")) {
    if (/text-size-adjust\\s*:\\s*none/i.test(el.getAttribute("style"))) found.push(el.outerHTML.slice(0, 120));
  }
  return found;
}"""

APP_OVERFLOWS_JS = """() => {
  const root = document.scrollingElement || document.documentElement;
  const app = document.querySelector(".yb-app");
  return Math.max(root.scrollWidth, document.body.scrollWidth) > root.clientWidth + 1
    || (!!app && (app.scrollWidth > app.clientWidth + 1 || app.getBoundingClientRect().right > window.innerWidth + 1));
}"""


def wait_ready(page, name: str, mode: str) -> None:
    for selector in READY[name]:
        page.wait_for_selector(selector, timeout=TIMEOUT_MS)
    if mode == "big":
        page.wait_for_selector(".yb-app.yb-big-text", timeout=TIMEOUT_MS)
        page.wait_for_function("() => document.documentElement.classList.contains('yb-big-text')")
    page.wait_for_timeout(200)  # late layout: fonts, the charts' frames


def query_for(name: str, mode: str) -> str:
    query = APPS[name]
    if mode == "big":
        query = f"{query}&big=1" if query else "big=1"
    return query


def small_targets(targets: list[dict], mode: str) -> list[dict]:
    width, height = TARGET_PX[mode]
    return [t for t in targets if t["w"] < width - 0.5 or t["h"] < height - 0.5]


def cjk_under(text: dict, mode: str) -> tuple[int, list]:
    """Chinese characters under the body size of ``mode`` (fine print: under its own size)."""
    under = [
        s
        for s in text["sizes"]
        if s[1] and s[0] < (FINE_PRINT_PX if s[4] else BODY_PX)[mode] - 0.05
    ]
    return sum(s[1] for s in under), under[:10]


# --------------------------------------------------------------------------------------------
# the figures, for every app in both modes


@pytest.mark.parametrize("mode", ["default", "big"])
@pytest.mark.parametrize("name", list(app_params()))
def test_readable_and_tappable_on_a_phone(phone_page, voila_server, screenshot_dir, name, mode):
    page = phone_page
    open_app(page, voila_server, name, query_for(name, mode))
    wait_ready(page, name, mode)
    screenshot_whole_app(page, screenshot_dir / f"readability-{name}-{mode}.png")

    text = page.evaluate(TEXT_JS)
    assert text["cjk"] > 100, "no Chinese text measured"
    count, examples = cjk_under(text, mode)
    assert count == 0, f"{count} Chinese characters under {BODY_PX[mode]} px, e.g. {examples}"
    assert text["allUnder14"] == [], f"text under {SMALLEST_PX} px: {text['allUnder14'][:10]}"
    assert text["lowLine"] == [], f"line height under {MIN_LINE_HEIGHT}: {text['lowLine'][:10]}"
    small_glyphs = [g for g in text["glyphs"] if g < SMALLEST_PX - 0.05]
    assert small_glyphs == [], (
        f"chart lettering under {SMALLEST_PX} px: {sorted(small_glyphs)[:10]}"
    )
    if name not in ("index", "compare_regions"):  # the home page and the table have none
        assert text["keyFigures"], "no key figure (.yb-big) shown"
    low = [k for k in text["keyFigures"] if k[0] < KEY_FIGURE_PX[mode] - 0.05]
    assert low == [], f"key figures under {KEY_FIGURE_PX[mode]} px: {low}"

    targets = page.evaluate(TARGETS_JS)
    assert len(targets) >= 3
    small = small_targets(targets, mode)
    assert small == [], f"{len(small)} targets under {TARGET_PX[mode]} (w, h) px: {small[:10]}"

    assert not page.evaluate(APP_OVERFLOWS_JS), "the page is wider than the phone"
    assert page.evaluate(CONTRAST_JS) == []
    assert page.evaluate(UNLABELLED_JS) == []
    assert page.evaluate(TEXT_SIZE_ADJUST_JS) == []
    viewport = page.evaluate("() => document.querySelector('meta[name=viewport]').content")
    assert "user-scalable=no" not in viewport and "maximum-scale" not in viewport  # pinch-zoom

    # the 大字模式 switch is the app's first control, at its top, and says what it is
    switch = page.locator(".yb-app .yb-big-switch input[type=checkbox]")
    assert switch.count() == 1
    assert switch.is_checked() == (mode == "big")
    first = page.evaluate(
        "() => { const app = document.querySelector('.yb-app');"
        " const c = [...app.querySelectorAll('input, button, select, a[href], summary')]"
        ".find((e) => e.getClientRects().length); return c && c.closest('.yb-big-switch') !== null; }"
    )
    assert first, "the 大字模式 switch is not the first control of the app"
    assert "大字模式" in page.locator(".yb-app .yb-big-switch").inner_text()

    # no Chinese voice in headless Chromium: the 朗读 buttons are there, and hidden
    assert page.locator(".yb-speak").count() >= 1
    assert not page.locator(".yb-speak").first.is_visible()
    assert console_errors(page) == []


# --------------------------------------------------------------------------------------------
# 大字模式: the switch, the share link, the page around the app


def test_switch_turns_big_text_on_and_into_the_share_link(phone_page, voila_server, screenshot_dir):
    page = phone_page
    open_app(page, voila_server, "retiree_credit", APPS["retiree_credit"])
    wait_ready(page, "retiree_credit", "default")
    body = page.evaluate(
        "() => parseFloat(getComputedStyle(document.querySelector('.yb-result')).fontSize)"
    )
    assert body == 16
    assert "big=" not in page.locator(".yb-share-link").get_attribute("href")

    page.locator(".yb-app .yb-big-switch .widget-label-basic").click()  # the row, not only the box
    page.wait_for_selector(".yb-app.yb-big-text", timeout=TIMEOUT_MS)
    page.wait_for_function(
        "() => document.querySelector('.yb-share-link').getAttribute('href').includes('big=1')",
        timeout=TIMEOUT_MS,
    )
    page.wait_for_function("() => document.documentElement.classList.contains('yb-big-text')")
    href = page.locator(".yb-share-link").get_attribute("href")
    assert parse_qs(urlsplit(href).query)["big"] == ["1"]
    assert "region=110000" in href and "age=70" in href  # the other inputs stay in the link
    sizes = page.evaluate(
        "() => ({body: parseFloat(getComputedStyle(document.querySelector('.yb-result')).fontSize),"
        " page: parseFloat(getComputedStyle(document.querySelector('.jp-RenderedHTMLCommon p')).fontSize),"
        " key: parseFloat(getComputedStyle(document.querySelector('.yb-monthly')).fontSize),"
        " input: document.querySelector('.yb-input-age input').getBoundingClientRect().height})"
    )
    assert sizes["body"] >= 18 and sizes["page"] >= 18 and sizes["key"] >= 30
    assert sizes["input"] >= 60
    screenshot_whole_app(page, screenshot_dir / "readability-retiree_credit-switched-on.png")

    page.locator(".yb-app .yb-big-switch .widget-label-basic").click()
    page.wait_for_function(
        "() => !document.querySelector('.yb-app').classList.contains('yb-big-text')"
        " && !document.documentElement.classList.contains('yb-big-text')"
        " && !document.querySelector('.yb-share-link').getAttribute('href').includes('big=')",
        timeout=TIMEOUT_MS,
    )
    assert console_errors(page) == []


def test_big_link_keeps_big_text_on_links_to_other_apps(phone_page, voila_server):
    page = phone_page
    open_app(page, voila_server, "index", "big=1")
    wait_ready(page, "index", "big")
    link = page.locator('.jp-RenderedHTMLCommon a[href="retiree_credit.ipynb"]').first
    link.click()
    page.wait_for_url(re.compile(r"retiree_credit\.ipynb\?big=1$"), timeout=TIMEOUT_MS)
    page.wait_for_selector(".yb-app.yb-big-text", timeout=60_000)
    assert page.locator(".yb-app .yb-big-switch input").is_checked()


def test_page_top_switch_where_the_app_starts_below_the_first_screen(phone_page, voila_server):
    """contribution_years explains first: the page offers 大字模式 at its very top too, and that
    button works the app's own switch."""
    page = phone_page
    open_app(page, voila_server, "contribution_years", APPS["contribution_years"])
    wait_ready(page, "contribution_years", "default")
    top = page.locator("#yb-big-top")
    assert top.is_visible()
    box = top.bounding_box()
    assert box["y"] < 200 and box["height"] >= 44 and box["width"] >= 44
    assert top.get_attribute("aria-pressed") == "false"
    top.click()
    page.wait_for_selector(".yb-app.yb-big-text", timeout=TIMEOUT_MS)
    page.wait_for_function(
        "() => document.getElementById('yb-big-top').getAttribute('aria-pressed') === 'true'"
    )
    assert page.locator(".yb-app .yb-big-switch input").is_checked()
    assert "big=1" in page.locator(".yb-share-link").get_attribute("href")


# --------------------------------------------------------------------------------------------
# keyboard alone, visible focus


def tab_to(page, predicate_js: str, presses: int = 40) -> None:
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate(
            f"() => {{ const el = document.activeElement; return !!el && ({predicate_js}); }}"
        ):
            return
    raise AssertionError(f"Tab never reached an element with {predicate_js}")


FOCUS_RING_JS = """() => { const el = document.activeElement; const cs = getComputedStyle(el);
  return {style: cs.outlineStyle, width: parseFloat(cs.outlineWidth), shadow: cs.boxShadow}; }"""


def assert_focus_visible(page) -> None:
    ring = page.evaluate(FOCUS_RING_JS)
    assert ring["style"] != "none" and ring["width"] >= 2, ring


def test_keyboard_alone_switches_big_text_and_answers(phone_page, voila_server):
    page = phone_page
    open_app(page, voila_server, "contribution_years", APPS["contribution_years"])
    wait_ready(page, "contribution_years", "default")

    tab_to(page, "el.closest('.yb-app .yb-big-switch') !== null")
    assert_focus_visible(page)
    page.keyboard.press("Space")
    page.wait_for_selector(".yb-app.yb-big-text", timeout=TIMEOUT_MS)

    tab_to(page, "el.classList.contains('widget-toggle-button') && el.textContent.includes('男')")
    assert_focus_visible(page)
    assert page.evaluate("() => document.activeElement.getAttribute('aria-pressed')") == "false"
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.querySelector('.yb-result').textContent.includes('男性')",
        timeout=TIMEOUT_MS,
    )
    page.wait_for_function("() => document.activeElement.getAttribute('aria-pressed') === 'true'")
    assert "sex=男" in unquote(page.locator(".yb-share-link").get_attribute("href"))

    tab_to(page, "el.closest('.yb-input-total') !== null")
    assert_focus_visible(page)
    page.keyboard.press("Control+A")
    page.keyboard.type("30")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.querySelector('.yb-result').textContent.includes('已达到规定年限')",
        timeout=TIMEOUT_MS,
    )


def test_keyboard_ticks_a_checkbox_row_and_steps_the_wizard(phone_page, voila_server):
    page = phone_page
    open_app(page, voila_server, "transfer_guide", "from=南宁&to=北京&start=2026-06-01&retired=0")
    wait_ready(page, "transfer_guide", "default")
    tab_to(
        page,
        "el.type === 'checkbox' && el.closest('.widget-checkbox').textContent.includes('我已退休')",
    )
    assert_focus_visible(page)
    page.keyboard.press("Space")
    page.wait_for_function(
        "() => document.querySelector('.yb-share-link').getAttribute('href').includes('retired=1')",
        timeout=TIMEOUT_MS,
    )
    page.keyboard.press("Space")
    tab_to(page, "el.tagName === 'BUTTON' && el.textContent.includes('下一步')")
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.querySelector('.yb-tg-progress-text').textContent.includes('第 2 步')",
        timeout=TIMEOUT_MS,
    )


@pytest.mark.parametrize("mode", ["default", "big"])
def test_every_wizard_step_keeps_the_figures(phone_page, voila_server, screenshot_dir, mode):
    """The wizard's later steps (checklist, timeline, summary buttons) follow the same rules."""
    page = phone_page
    query = "from=南宁&to=北京&start=2026-06-01&step=2" + ("&big=1" if mode == "big" else "")
    open_app(page, voila_server, "transfer_guide", query)
    for step in (2, 3, 4, 5):
        if step > 2:
            page.get_by_role("button", name="下一步").click()
        page.wait_for_function(
            f"() => document.querySelector('.yb-tg-progress-text').textContent.includes('第 {step} 步')",
            timeout=TIMEOUT_MS,
        )
        page.wait_for_timeout(150)
        text = page.evaluate(TEXT_JS)
        count, examples = cjk_under(text, mode)
        assert count == 0, f"step {step}: {count} characters under {BODY_PX[mode]} px: {examples}"
        assert [g for g in text["glyphs"] if g < SMALLEST_PX - 0.05] == [], f"step {step} chart"
        small = small_targets(page.evaluate(TARGETS_JS), mode)
        assert small == [], f"step {step}: targets too small: {small[:10]}"
        assert not page.evaluate(APP_OVERFLOWS_JS), f"step {step} is wider than the phone"
        if step == 3:
            assert page.locator(".yb-tg-doc").count() >= 1
            screenshot_whole_app(
                page, screenshot_dir / f"readability-transfer_guide-step3-{mode}.png"
            )
    screenshot_whole_app(page, screenshot_dir / f"readability-transfer_guide-step5-{mode}.png")
    assert console_errors(page) == []


# --------------------------------------------------------------------------------------------
# 朗读 with the browser's own speech synthesis (stubbed: headless Chromium has no voice)

SPEECH_STUB = """
(() => {
  const voices = %s;
  window.__spoken = [];
  window.__cancelled = 0;
  const listeners = [];
  const synth = {
    speaking: false,
    getVoices: () => voices.slice(),
    speak(u) { window.__spoken.push({text: u.text, lang: u.lang, voice: u.voice && u.voice.name}); },
    cancel() { window.__cancelled += 1; },
    addEventListener(type, fn) { if (type === "voiceschanged") listeners.push(fn); },
    removeEventListener() {},
  };
  window.__addVoice = (voice) => { voices.push(voice); listeners.forEach((fn) => fn()); };
  Object.defineProperty(window, "speechSynthesis", {value: synth, configurable: true});
  window.SpeechSynthesisUtterance = function (text) { this.text = text; this.lang = ""; this.voice = null; };
})();
"""
ZH_VOICE = (
    '{name: "Tingting", lang: "zh-CN", localService: true, voiceURI: "tingting", default: false}'
)
EN_VOICE = (
    '{name: "Samantha", lang: "en-US", localService: true, voiceURI: "samantha", default: true}'
)
REMOTE_ZH_VOICE = (
    '{name: "Google 普通话", lang: "zh-CN", localService: false, voiceURI: "g", default: false}'
)


def speech_page(browser, voices: str):
    context, page = new_page(browser, **PHONE)
    page.add_init_script(SPEECH_STUB % voices)
    return context, page


def test_read_aloud_speaks_the_result_card_in_chinese(browser, voila_server, screenshot_dir):
    requests: list[str] = []
    context, page = speech_page(browser, f"[{EN_VOICE}, {ZH_VOICE}]")
    page.on("request", lambda request: requests.append(request.url))
    try:
        open_app(page, voila_server, "retiree_credit", APPS["retiree_credit"])
        wait_ready(page, "retiree_credit", "default")
        button = page.locator(".yb-result .yb-card .yb-speak").first
        assert button.is_visible() and button.inner_text() == "朗读"
        box = button.bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44
        screenshot_whole_app(page, screenshot_dir / "readability-retiree_credit-read-aloud.png")
        before = len(requests)
        button.click()
        spoken = page.evaluate("() => window.__spoken")
        assert len(spoken) == 1
        assert spoken[0]["lang"] == "zh-CN" and spoken[0]["voice"] == "Tingting"
        assert "107.00 元" in spoken[0]["text"] and "北京市" in spoken[0]["text"]
        assert "朗读" not in spoken[0]["text"]
        assert button.get_attribute("aria-pressed") == "true" and button.inner_text() == "停止朗读"
        button.click()  # a second press stops
        assert page.evaluate("() => window.__cancelled") >= 2
        assert page.evaluate("() => window.__spoken.length") == 1
        assert button.get_attribute("aria-pressed") == "false"
        assert requests[before:] == []  # speaking sends nothing anywhere
        assert console_errors(page) == []
    finally:
        close_page(context, page)


@pytest.mark.parametrize(
    "name", ["transfer_guide", "contribution_years", "index"], ids=lambda name: name
)
def test_read_aloud_on_the_other_apps(browser, voila_server, name):
    context, page = speech_page(browser, f"[{ZH_VOICE}]")
    try:
        open_app(page, voila_server, name, APPS[name])
        wait_ready(page, name, "default")
        button = page.locator(".yb-card .yb-speak").first
        assert button.is_visible()
        button.click()
        text = page.evaluate("() => window.__spoken[0].text")
        expected = {"transfer_guide": "跨省转移接续", "contribution_years": "还差 1 年",
                    "index": "怎么查个人账户余额"}[name]  # fmt: skip
        assert expected in text
    finally:
        close_page(context, page)


def test_read_aloud_hidden_without_a_chinese_voice_on_the_device(browser, voila_server):
    """Only an English voice, or a Chinese voice that speaks through a server: no button. A
    Chinese voice that arrives later (voiceschanged) shows it."""
    context, page = speech_page(browser, f"[{EN_VOICE}, {REMOTE_ZH_VOICE}]")
    try:
        open_app(page, voila_server, "retiree_credit", APPS["retiree_credit"])
        wait_ready(page, "retiree_credit", "default")
        assert page.locator(".yb-speak").count() >= 1
        assert not page.locator(".yb-speak").first.is_visible()
        page.evaluate(f"() => window.__addVoice({ZH_VOICE})")
        assert page.locator(".yb-result .yb-speak").first.is_visible()
    finally:
        close_page(context, page)
