"""Preheated kernels (``VoilaConfiguration.preheat_kernel``, tried for issue 10; off in voila.json).

A preheated kernel runs its notebook before any visitor comes, so the app must wait for the
visitor's request before reading the link: ``yibao_lib.ui.query.raw_query_string`` calls
``voila.utils.wait_for_request()`` once per preheated kernel.  Without that a link such as
``?region=上海&age=75`` showed 北京 · 65 岁 (the defaults).  The 100-in-a-row and 20-at-once runs
are ``benchmarks/bench_served.py --only preheat`` (docs/performance.md).
"""

from __future__ import annotations

import subprocess
import sys
import time
import types

import pytest
from conftest import (
    ROOT,
    VOILA_READY_JS,
    _answers,
    _free_loopback_port,
    _stop_server,
    _tail,
    close_page,
    console_errors,
    new_page,
    voila_command,
    voila_environment,
)

from yibao_lib.ui import query

PREHEAT_ARGS = ["--VoilaConfiguration.preheat_kernel=True"]
# two links with different figures: a page showing the other one's got the wrong request
LINKS = [("region=北京&age=70", "北京市 · 70岁", "107.00 元"),
         ("region=上海&age=75", "上海市 · 75岁", "157.50 元")]  # fmt: skip
LOAD_TIMEOUT_S = 60  # a load not interactive by then is hung: the test fails


def _fake_voila_utils(monkeypatch, wait_for_request) -> None:
    """``voila.utils`` with our ``wait_for_request`` (in this process, started in the project
    root, ``import voila`` would find the project's voila.py, which refuses to be imported)."""
    package, utils = types.ModuleType("voila"), types.ModuleType("voila.utils")
    utils.wait_for_request = wait_for_request
    package.utils = utils
    monkeypatch.setitem(sys.modules, "voila", package)
    monkeypatch.setitem(sys.modules, "voila.utils", utils)
    monkeypatch.setattr(query, "_waited_for_request", [])


def test_a_preheated_kernel_waits_for_its_request_once(monkeypatch):
    calls = []

    def wait_for_request():
        calls.append(1)
        monkeypatch.setenv("QUERY_STRING", "region=上海&age=75")

    _fake_voila_utils(monkeypatch, wait_for_request)
    monkeypatch.setenv("QUERY_STRING", "")
    monkeypatch.setenv("VOILA_PREHEAT", "True")

    assert query.raw_query_string() == "region=上海&age=75"
    assert query.query_params() == {"region": "上海", "age": "75"}
    assert len(calls) == 1  # a second wait would never end: the request comes once


def test_without_preheat_the_query_string_is_read_at_once(monkeypatch):
    _fake_voila_utils(monkeypatch, lambda: pytest.fail("waited for a request"))
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    monkeypatch.setenv("QUERY_STRING", "age=70")
    assert query.raw_query_string() == "age=70"


@pytest.fixture(scope="module")
def preheated_server(tmp_path_factory):
    """A standalone Voilà like ``make run``, with preheated kernels, its pools filled."""
    log_path = tmp_path_factory.mktemp("preheat") / "voila.log"
    port = _free_loopback_port()
    base_url = f"http://127.0.0.1:{port}"
    with open(log_path, "ab") as log:
        process = subprocess.Popen(voila_command("127.0.0.1", port) + PREHEAT_ARGS, cwd=ROOT,
                                   env=voila_environment(), stdin=subprocess.DEVNULL, stdout=log,
                                   stderr=subprocess.STDOUT)  # fmt: skip
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and process.poll() is None:
            text = log_path.read_text(errors="replace")
            if _answers(base_url + "/") and "Kernel pool of notebooks/retiree_credit.ipynb" in text:
                break
            time.sleep(0.5)
        else:
            pytest.fail(f"preheated Voilà did not fill its pools; log:\n{_tail(log_path)}")
        yield base_url
    finally:
        _stop_server(process)


def test_preheated_pages_honour_their_links(browser, preheated_server):
    """Loads alternating between two links, each on a fresh page: every one interactive within
    LOAD_TIMEOUT_S (a hung load fails) and showing its own link's place, age and figure — the
    first from the pool, later ones from a refilled pool or a fresh kernel."""
    for i in range(4):
        link, heading, monthly = LINKS[i % 2]
        context, page = new_page(browser)
        try:
            page.goto(f"{preheated_server}/voila/render/notebooks/retiree_credit.ipynb?{link}",
                      wait_until="commit", timeout=LOAD_TIMEOUT_S * 1000)  # fmt: skip
            page.wait_for_function(VOILA_READY_JS, timeout=LOAD_TIMEOUT_S * 1000, polling=50)
            page.wait_for_function(
                "([a, b]) => { const r = document.querySelector('.yb-result');"
                " return !!r && r.innerText.includes(a) && r.innerText.includes(b); }",
                arg=[heading, monthly], timeout=15_000,
            )  # fmt: skip
            assert console_errors(page) == []
        finally:
            close_page(context, page)
        time.sleep(1.5)  # Voilà refills the pool 1 s after a kernel is taken
