"""Abuse through the widget channel, and no request leaving the server, seen from the browser.

A visitor controls everything the page sends to its kernel.  These tests skip the input boxes
and write widget values straight onto the page's kernel connection — ``comm.send`` of a widget
``update`` message, exactly what a visitor can do from the browser console — with nonsense:
negative and huge ages, unknown regions, empty strings, markup, impossible dates, wrong types.

Each value must end in one of two ways:

* the app answers with a Chinese message in ``.yb-result`` (``.yb-error``) and leaves no figure
  standing — no amount, no table, no chart;
* or the widget itself refuses the value (a wrong type fails the widget's trait in the kernel):
  then nothing changes, and the app still answers the next valid input.

Either way the kernel keeps working.  Each test is one page load.

The execute_request and path-traversal tests are in test_serving.py.
"""

from __future__ import annotations

import re
import urllib.parse
from datetime import date

import pytest
from conftest import ROOT, open_app

CJK = re.compile(r"[\u4e00-\u9fff]")
# A visitor can write any widget value onto the page's own kernel connection.  (The widget
# manager is the one Voilà's front end keeps on window.jupyterapp; ``_models`` holds a promise
# per widget model.)  Returns the model's name, or null if no widget carries the class.
SEND_UPDATE_JS = """async ([cssClass, state]) => {
  const manager = window.jupyterapp.widgetManager;
  const models = await Promise.all(Object.values(manager._models));
  const model = models.find((m) => (m.get('_dom_classes') || []).includes(cssClass));
  if (!model) return null;
  model.comm.send({method: 'update', state: state, buffer_paths: []});
  return model.get('_model_name');
}"""
MARKUP = '<img src=x onerror="window.__ybPwned=1"><script>window.__ybPwned=2</script>'
TIMEOUT_MS = 30_000  # generous: a loaded 2-core CI machine redraws a chart in seconds, not ms


def _today_json() -> dict:
    today = date.today()
    return {"year": today.year, "month": today.month - 1, "date": today.day}  # JS months: 0–11


def send(page, css_class: str, state: dict) -> None:
    model = page.evaluate(SEND_UPDATE_JS, [css_class, state])
    assert model, f"no widget with class {css_class} on the page"


def wait_for_error(page, what: str) -> str:
    """The Chinese message the app showed for ``what``; no figure may be left on the page."""
    page.wait_for_selector(".yb-result .yb-error", timeout=TIMEOUT_MS)
    message = page.locator(".yb-result .yb-error").first.inner_text()
    assert CJK.search(message), f"{what}: message is not Chinese: {message!r}"
    for english in ("Traceback", "Error", "Exception", "undefined", "None", "nan"):
        assert english not in message, f"{what}: {message!r}"
    assert page.locator(".yb-result .yb-big, .yb-result table").count() == 0, what
    assert page.locator(".yb-chart svg").count() == 0, f"{what}: a chart is still shown"
    return message


def assert_not_injected(page) -> None:
    assert page.evaluate("() => window.__ybPwned") is None
    assert page.locator(".yb-result img, .yb-result script").count() == 0


def assert_loopback_only(requests: list[str], base_url: str) -> None:
    server = urllib.parse.urlsplit(base_url).netloc
    outside = [
        url
        for url in requests
        if urllib.parse.urlsplit(url).scheme not in ("data", "blob", "about")
        and urllib.parse.urlsplit(url).netloc != server
    ]
    assert outside == [], f"the page asked other hosts: {outside}"


# --------------------------------------------------------------------------------------------
# retiree_credit: region (Combobox), age (IntText), date (DatePicker)


def retiree_ok(page, age: int) -> None:
    """Wait until the result shows a figure for ``age`` (a valid answer after a reset)."""
    page.wait_for_function(
        """(age) => { const r = document.querySelector('.yb-result');
          return !!r && !r.querySelector('.yb-error') && !!r.querySelector('.yb-monthly')
                 && r.innerText.includes(age + '岁'); }""",
        arg=age,
        timeout=TIMEOUT_MS,
    )


RETIREE_ERRORS = [
    ("yb-input-age", {"value": -5}, "负数"),
    ("yb-input-age", {"value": 121}, "120"),
    ("yb-input-age", {"value": 1e30}, "120"),
    ("yb-input-region", {"value": "火星"}, "火星"),
    ("yb-input-region", {"value": ""}, "地区"),
    ("yb-input-region", {"value": "   "}, "地区"),
    ("yb-input-region", {"value": "9" * 400}, "地区"),
    ("yb-input-region", {"value": MARKUP}, "地区"),
    ("yb-input-date", {"value": {"year": 1800, "month": 0, "date": 1}}, "1990"),
    ("yb-input-date", {"value": {"year": 2999, "month": 11, "date": 31}}, "2100"),
]
RETIREE_REFUSED = [
    ("yb-input-age", {"value": "abc"}),
    ("yb-input-age", {"value": None}),
    ("yb-input-age", {"value": [70]}),
    ("yb-input-age", {"value": {"age": 70}}),
    ("yb-input-region", {"value": 110000}),
    ("yb-input-region", {"value": None}),
    ("yb-input-region", {"value": ["北京"]}),
    ("yb-input-date", {"value": "2026-01-01"}),
    ("yb-input-date", {"value": {"year": 2024, "month": 99, "date": 99}}),
]
RETIREE_RESET = {
    "yb-input-age": {"value": 70},
    "yb-input-region": {"value": "北京"},
    "yb-input-date": {"value": _today_json()},
}


def answers_each_with_a_message(page, errors, reset, app_ok) -> None:
    """Force each (input, state, expected text): a Chinese message containing the text, nothing
    injected; then the input is reset and the app must answer normally again."""
    for css_class, state, expected in errors:
        send(page, css_class, state)
        message = wait_for_error(page, f"{css_class} = {state!r}")
        assert expected in message, f"{css_class} = {state!r}: {message!r}"
        assert_not_injected(page)
        send(page, css_class, reset[css_class])
        app_ok()


def test_retiree_credit_answers_forced_nonsense_in_chinese(page, voila_server):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    open_app(page, voila_server, "retiree_credit", "region=北京&age=70")
    retiree_ok(page, 70)

    answers_each_with_a_message(page, RETIREE_ERRORS, RETIREE_RESET, lambda: retiree_ok(page, 70))

    probe_ages = [65, 70] * len(RETIREE_REFUSED)
    for (css_class, state), age in zip(RETIREE_REFUSED, probe_ages, strict=False):
        send(page, css_class, state)
        # messages on one connection are handled in order: once the next valid age is
        # answered, the refused value has been dealt with, and it left the app working
        send(page, "yb-input-age", {"value": age})
        retiree_ok(page, age)
        assert "北京" in page.locator(".yb-result").inner_text(), f"{css_class} = {state!r}"

    assert_not_injected(page)
    assert_loopback_only(requests, voila_server)


# --------------------------------------------------------------------------------------------
# compare_regions: age (IntText), average pension (Text), date, colour (ToggleButtons),
# regions for the by-age chart (TagsInput)


def compare_ok(page, age: int) -> None:
    page.wait_for_function(
        """(age) => { const r = document.querySelector('.yb-result');
          return !!r && !r.querySelector('.yb-error') && !!r.querySelector('table')
                 && r.innerText.includes(age + ' 岁') && !!document.querySelector('.yb-chart svg'); }""",
        arg=age,
        timeout=TIMEOUT_MS,
    )


COMPARE_DEFAULT_REGIONS = ["北京市", "上海市", "深圳市", "广州市"]
NINE_REGIONS = "北京市 上海市 天津市 重庆市 河北省 山西省 辽宁省 吉林省 黑龙江省".split()
COMPARE_ERRORS = [
    ("yb-input-age", {"value": -1}, "负数"),
    ("yb-input-age", {"value": 1e30}, "120"),
    ("yb-input-avg", {"value": "abc"}, "数字"),
    ("yb-input-avg", {"value": "-100"}, "大于 0"),
    ("yb-input-avg", {"value": "1e400"}, "不能超过"),
    ("yb-input-avg", {"value": "9" * 60}, "不能超过"),
    ("yb-input-avg", {"value": "NaN"}, "数字"),
    ("yb-input-avg", {"value": MARKUP}, "数字"),
    ("yb-input-date", {"value": {"year": 1800, "month": 0, "date": 1}}, "1990"),
]
COMPARE_REFUSED = [
    ("yb-input-age", {"value": "abc"}),
    ("yb-input-age", {"value": None}),
    ("yb-input-avg", {"value": 4000}),
    ("yb-input-avg", {"value": None}),
    ("yb-input-date", {"value": "2026-01-01"}),
    ("yb-input-color", {"index": 99}),
    ("yb-input-color", {"index": "method"}),
    ("yb-input-region", {"value": ["火星"]}),
    ("yb-input-region", {"value": "北京"}),
    ("yb-input-region", {"value": [MARKUP]}),
    # more than 8 regions: the first 8 are drawn and a notice names the rest (not an error)
    ("yb-input-region", {"value": NINE_REGIONS}),
]
COMPARE_RESET = {
    "yb-input-age": {"value": 70},
    "yb-input-avg": {"value": ""},
    "yb-input-date": {"value": _today_json()},
    "yb-input-color": {"index": 0},
    "yb-input-region": {"value": COMPARE_DEFAULT_REGIONS},
}


def test_compare_regions_answers_forced_nonsense_in_chinese(page, voila_server):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    open_app(page, voila_server, "compare_regions", "age=70")
    compare_ok(page, 70)

    answers_each_with_a_message(page, COMPARE_ERRORS, COMPARE_RESET, lambda: compare_ok(page, 70))

    probe_ages = [66, 70] * len(COMPARE_REFUSED)
    for (css_class, state), age in zip(COMPARE_REFUSED, probe_ages, strict=False):
        send(page, css_class, state)
        send(page, "yb-input-age", {"value": age})
        compare_ok(page, age)

    # no colour selected at all (a selection's index may be null): the chart falls back to
    # colouring by method; no error box and no dead page
    send(page, "yb-input-color", {"index": None})
    send(page, "yb-input-age", {"value": 66})
    compare_ok(page, 66)
    assert page.locator(".yb-result .yb-error").count() == 0
    send(page, "yb-input-color", COMPARE_RESET["yb-input-color"])
    send(page, "yb-input-age", {"value": 70})
    compare_ok(page, 70)

    assert_not_injected(page)
    assert_loopback_only(requests, voila_server)


# --------------------------------------------------------------------------------------------


def test_unencodable_text_leaves_the_app_working(page, voila_server):
    """Lone surrogates are valid JSON ("\\ud800") but cannot be encoded as UTF-8.  ipywidgets
    echoes every received value back to the page before setting it, and that echo fails, so the
    kernel refuses the value (like a wrong type); if a later ipywidgets sets it anyway, the app
    must answer with a Chinese message (common.esc replaces such characters).  Either way: no
    stale figure for a value the kernel holds, and the next valid input is answered."""
    open_app(page, voila_server, "retiree_credit", "region=北京&age=70")
    retiree_ok(page, 70)

    for text in ("\ud800", "\udcff", "北\udc80京"):
        send(page, "yb-input-region", {"value": text})
        send(page, "yb-input-age", {"value": 65})
        page.wait_for_function(
            """() => { const r = document.querySelector('.yb-result');
              return !!r && (!!r.querySelector('.yb-error') || r.innerText.includes('65岁')); }""",
            timeout=TIMEOUT_MS,
        )
        # one read of both: the refused value can still be set a moment later (then the app
        # shows a Chinese error), so two separate reads could see the answer, then the error
        shown = page.evaluate(
            "() => { const r = document.querySelector('.yb-result');"
            " return {error: !!r.querySelector('.yb-error'), text: r.innerText}; }"
        )
        if shown["error"]:
            wait_for_error(page, f"region {text!r}")
        else:
            assert "北京" in shown["text"], f"region {text!r}: {shown['text']!r}"
        send(page, "yb-input-region", RETIREE_RESET["yb-input-region"])
        send(page, "yb-input-age", RETIREE_RESET["yb-input-age"])
        retiree_ok(page, 70)


# --------------------------------------------------------------------------------------------
# no request leaves the server: every app, one page load each


def _notebooks() -> list[str]:
    return sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("name", _notebooks())
def test_page_asks_only_our_server(page, voila_server, name):
    """Every request of a page (documents, scripts, styles, fonts, images, websockets) goes
    to the Voilà server: no CDN, no web font, no analytics — the apps work with no internet."""
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("websocket", lambda socket: requests.append(socket.url))

    open_app(page, voila_server, name)
    page.wait_for_timeout(300)  # late requests: lazy chunks, images inside the result

    assert any("/api/kernels/" in url for url in requests)  # the kernel socket was recorded
    assert_loopback_only(requests, voila_server)
