"""How the apps are served: the standalone Voilà from `make run`, with voila.json and our template.

Uses the baseline notebook benchmarks/trivial.ipynb (one IntSlider, one Label), so these tests do
not depend on the real apps.  Browser tests drive Debian's Chromium; the HTTP tests need only
the server.
"""

from __future__ import annotations

import http.client
import json
import re
import shutil
import time
import urllib.parse
import uuid

import nbformat
import pytest
from conftest import (
    DESKTOP,
    ROOT,
    close_page,
    console_errors,
    has_horizontal_scroll,
    new_page,
    open_app,
    page_kernel_id,
    shutdown_kernel,
)

TRIVIAL = {"name": "trivial", "folder": "benchmarks"}
LABEL_SELECTOR = "div.widget-label"
SLIDER_HANDLE = ".widget-slider .noUi-handle"
HOME_PAGE = "/voila/render/notebooks/index.ipynb"


# --------------------------------------------------------------------------------------------
# HTTP helpers (no browser): raw paths, sent exactly as written


def http_get(base_url: str, path: str, follow_redirects: int = 3) -> tuple[int, str, dict]:
    """GET ``path`` as written (no normalising of ``..`` or %-escapes); follow local redirects."""
    netloc = urllib.parse.urlsplit(base_url).netloc
    for _ in range(follow_redirects + 1):
        connection = http.client.HTTPConnection(netloc, timeout=30)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            body = response.read().decode("utf-8", errors="replace")
            headers = {key.lower(): value for key, value in response.getheaders()}
        finally:
            connection.close()
        location = headers.get("location", "")
        if response.status in (301, 302, 303, 307, 308) and location.startswith("/"):
            path = location
            continue
        return response.status, body, headers
    return response.status, body, headers


# Text that would show that a file's content leaked.
LEAK_MARKERS = {
    "voila.json": '"cull_idle_timeout"',
    "pyproject.toml": "[build-system]",
    "requirements.txt": "voila==",
    "Makefile": "VOILA_ARGS",
    "trivial.ipynb source": "slider.observe",
    "yibao_lib/fonts.py": "def register_cjk_font",
    "/etc/passwd": "root:x:0:0",
    ".git/HEAD": "ref: refs/",
}


def _data_file_markers() -> dict[str, str]:
    """The first line of each data file: a CSV header or YAML key must never be served."""
    markers = {}
    for path in sorted((ROOT / "data").glob("*")):
        if path.suffix in {".csv", ".yaml", ".yml"}:
            first = next((line for line in path.read_text("utf-8").splitlines() if line), "")
            if len(first) >= 8:
                markers[f"data/{path.name}"] = first
    return markers


# Must be refused (an error status after following redirects) and must not leak any file's content.
# Voilà's template-static route answers a traversal there with 500 (an assert in voila), the rest
# with 403 or 404: what matters is that nothing is served.
REFUSED_PATHS = [
    # Voilà's file route serves only images under notebooks/ and docs/ (voila.json allowlist)
    "/voila/files/voila.json",
    "/voila/files/pyproject.toml",
    "/voila/files/requirements.txt",
    "/voila/files/Makefile",
    "/voila/files/benchmarks/trivial.ipynb",
    "/voila/files/notebooks/index.ipynb",
    "/voila/files/yibao_lib/fonts.py",
    "/voila/files/data/sources.csv",
    "/voila/files/data/regions.csv",
    "/voila/files/data/transfer.yaml",
    "/voila/files/.git/HEAD",
    "/voila/files/.git/config",
    "/voila/files/.venv/pyvenv.cfg",
    # the same files by other routes
    "/voila.json",
    "/pyproject.toml",
    "/benchmarks/trivial.ipynb",
    "/data/sources.csv",
    "/files/voila.json",
    "/files/benchmarks/trivial.ipynb",
    "/api/contents/voila.json",
    "/api/contents/benchmarks/trivial.ipynb",
    "/api/kernels",
    "/voila/render/voila.json",
    "/voila/render/data/sources.csv",
    "/voila/render/yibao_lib/fonts.py",
    "/voila/api/contents/voila.json",
    "/voila/api/contents/data/sources.csv",
    "/voila/tree/.git",
    "/voila/render/.venv/share/jupyter/kernels/python3/kernel.json",
    # path traversal: plain, %-encoded dots, encoded slashes and backslashes
    "/voila/files/../voila.json",
    "/voila/files/%2e%2e/voila.json",
    "/voila/files/notebooks/../voila.json",
    "/voila/files/..%2fvoila.json",
    "/voila/files/..%5cvoila.json",
    "/voila/files/notebooks%2f..%2f..%2fvoila.json",
    "/voila/files/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/voila/files/notebooks/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/voila/files//etc/passwd",
    "/voila/files/docs/../../../../../etc/passwd.png",
    "/voila/render/../voila.json",
    "/voila/render/%2e%2e/%2e%2e/etc/passwd",
    "/voila/render/..%2f..%2fetc%2fpasswd",
    "/voila/render/%2e%2e%2fvoila.json",
    "/voila/render//etc/passwd",
    "/voila/tree/%2e%2e",
    "/voila/tree/..%2f..%2fetc",
    "/voila/api/contents/%2e%2e",
    "/voila/api/contents/..%2f..%2fetc",
    "/voila/static/../../../../../../voila.json",
    "/voila/static/..%2f..%2f..%2f..%2f..%2f..%2fvoila.json",
    "/voila/templates/yibao/static/..%2f..%2f..%2f..%2f..%2f..%2fvoila.json",
    "/voila/labextensions/..%2f..%2f..%2f..%2f..%2fvoila.json",
    "/voila/api/themes/..%2f..%2f..%2f..%2f..%2f..%2fvoila.json",
]

# May answer, but only with names and dates, never with a file's content.
LISTING_ONLY_PATHS = [
    "/voila/api/contents/",
    "/voila/api/contents/benchmarks",
    "/voila/api/contents/benchmarks/trivial.ipynb?content=1",
    "/voila/api/contents/benchmarks/trivial.ipynb?content=1&format=text",
]

# Must answer 200.
ALLOWED_PATHS = [
    "/",  # sends visitors on to the home app (see test_home_page_leads_to_the_index_app)
    "/voila/tree",
    "/voila/templates/yibao/static/index.css",
    "/voila/static/voila.js",
]


@pytest.fixture(scope="module")
def leak_markers() -> dict[str, str]:
    return {**LEAK_MARKERS, **_data_file_markers()}


@pytest.mark.parametrize("path", REFUSED_PATHS)
def test_private_files_and_traversal_are_refused(voila_server, leak_markers, path):
    status, body, _ = http_get(voila_server, path)

    assert status >= 400, f"{path} answered {status}"
    leaked = [name for name, marker in leak_markers.items() if marker in body]
    assert leaked == [], f"{path} leaked {leaked}"


@pytest.mark.parametrize("path", LISTING_ONLY_PATHS)
def test_listings_carry_no_file_content(voila_server, leak_markers, path):
    status, body, _ = http_get(voila_server, path)

    assert status in (200, 403, 404)
    leaked = [name for name, marker in leak_markers.items() if marker in body]
    assert leaked == [], f"{path} leaked {leaked}"


@pytest.mark.parametrize("path", ALLOWED_PATHS)
def test_public_routes_answer(voila_server, path):
    status, _, _ = http_get(voila_server, path)

    assert status == 200, f"{path} answered {status}"


def test_home_page_leads_to_the_index_app(voila_server):
    status, body, _ = http_get(voila_server, "/")

    assert status == 200
    assert f'content="0; url={HOME_PAGE}"' in body  # works without JavaScript
    assert f'href="{HOME_PAGE}"' in body
    assert "Select items" not in body  # no file listing for visitors


def test_rendered_page_hides_sources_and_uses_no_cdn(voila_server):
    status, body, _ = http_get(voila_server, "/voila/render/benchmarks/trivial.ipynb")

    assert status == 200
    assert "slider.observe" not in body and "def show_value" not in body  # strip_sources
    assert '<html lang="zh">' in body
    assert "正在加载…" in body
    for cdn in ("cdn.jsdelivr.net", "cdnjs.cloudflare.com", "unpkg.com"):
        assert cdn not in body


def test_kernels_talk_to_the_server_over_unix_sockets(voila_server):
    """voila.json's KernelManager.transport "ipc": no TCP ports for a kernel to race for (the
    race that once hung the whole server, see yibao_lib/serving.py), none open to other users."""
    import psutil

    status, body, _ = http_get(voila_server, "/voila/render/benchmarks/trivial.ipynb")
    assert status == 200
    config = re.search(r'<script id="jupyter-config-data"[^>]*>(.*?)</script>', body, re.S)
    kernel_id = json.loads(config.group(1))["kernelId"]
    port = urllib.parse.urlsplit(voila_server).port
    server = next(
        p for p in psutil.process_iter(["cmdline"])
        if f"--Voila.port={port}" in (p.info["cmdline"] or [])
    )  # fmt: skip
    files = [
        part
        for child in server.children(recursive=True)
        for part in child.cmdline()
        if part.endswith(f"kernel-{kernel_id}.json")
    ]

    assert files, f"no kernel process for {kernel_id}"
    info = json.loads(open(files[0], encoding="utf-8").read())
    assert info["transport"] == "ipc"
    assert not [c for c in server.net_connections(kind="tcp") if c.laddr.port != port]


def test_unknown_notebook_gives_a_chinese_404(voila_server):
    status, body, _ = http_get(voila_server, "/voila/render/notebooks/no-such-app.ipynb")

    assert status == 404
    assert "找不到这个页面" in body
    assert "cdn.jsdelivr.net" not in body


@pytest.fixture
def broken_notebook() -> str:
    """A notebook whose second cell raises, in a throw-away folder under the served root."""
    folder = ROOT / "test-artifacts" / f"probe-{uuid.uuid4().hex[:8]}"
    folder.mkdir(parents=True)
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    notebook.cells = [
        nbformat.v4.new_code_cell("print('可见的输出')"),
        nbformat.v4.new_code_cell("SECRET_IN_SOURCE = 'hunter2'\n1 / 0"),
    ]
    nbformat.write(notebook, folder / "broken.ipynb")
    try:
        yield f"/voila/render/{folder.relative_to(ROOT).as_posix()}/broken.ipynb"
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_cell_error_shows_chinese_text_and_no_traceback(voila_server, broken_notebook):
    status, body, _ = http_get(voila_server, broken_notebook)

    assert status == 200
    assert "可见的输出" in body
    assert "出错了，请刷新页面重试" in body
    for secret in ("ZeroDivisionError", "Traceback", "hunter2", "SECRET_IN_SOURCE", "1 / 0"):
        assert secret not in body
    assert "show_tracebacks" not in body  # Voilà's English debugging hint stays server-side


# --------------------------------------------------------------------------------------------
# browser tests
#
# Opening a Voilà page costs a few seconds (kernel start + front-end start), so the tests that
# only look, or that leave the page as they found it, share one desktop page.


@pytest.fixture(scope="module")
def trivial_page(browser, voila_server):
    """The baseline app on a desktop page, opened once for this module; yields (page, seconds)."""
    context, page = new_page(browser, **DESKTOP)
    seconds = open_app(page, voila_server, **TRIVIAL)
    print(f"\ntrivial notebook ready in {seconds:.2f} s")
    yield page, seconds
    close_page(context, page)


def _label_text(page) -> str:
    return page.locator(LABEL_SELECTOR).inner_text()


def _slider_value(page) -> int:
    return int(page.locator(f"{SLIDER_HANDLE}").get_attribute("aria-valuetext"))


def _press_and_wait_for_label(page, key: str, expected_value: int) -> float:
    """Press ``key`` on the slider; wait until the kernel's answer updates the label (ms)."""
    page.locator(SLIDER_HANDLE).focus()
    started = time.perf_counter()
    page.keyboard.press(key)
    page.wait_for_function(
        "([selector, text]) => document.querySelector(selector).textContent === text",
        arg=[LABEL_SELECTOR, f"当前值：{expected_value}"],
        timeout=5000,
        polling=5,
    )
    return 1000 * (time.perf_counter() - started)


def test_trivial_app_renders_the_slider(trivial_page, screenshot_dir):
    page, seconds = trivial_page

    assert page.locator(".widget-slider").is_visible()
    assert _label_text(page) == f"当前值：{_slider_value(page)}"
    assert page.locator("#loading").count() == 0
    assert page.locator(".jp-CodeCell .jp-InputArea").count() == 0  # sources stripped
    assert "slider.observe" not in page.content()
    page.screenshot(path=screenshot_dir / "trivial-desktop.png", full_page=True)
    assert console_errors(page) == []
    assert seconds < 30


def test_moving_the_slider_updates_the_label(trivial_page):
    page, _ = trivial_page

    _press_and_wait_for_label(page, "Home", 0)
    round_trip_ms = _press_and_wait_for_label(page, "ArrowRight", 1)
    print(f"\nslider → kernel → label round trip {round_trip_ms:.0f} ms")
    _press_and_wait_for_label(page, "End", 10)
    assert console_errors(page) == []


def test_phone_width_has_no_horizontal_scroll(phone_page, voila_server, screenshot_dir):
    open_app(phone_page, voila_server, **TRIVIAL)

    assert phone_page.evaluate("() => window.innerWidth") == 390
    assert not has_horizontal_scroll(phone_page)
    phone_page.screenshot(path=screenshot_dir / "trivial-phone.png", full_page=True)
    assert console_errors(phone_page) == []


def test_kernel_of_the_page_is_live(trivial_page, voila_server):
    """The kernel id read from the page names a live kernel (the tests below rely on it)."""
    page, _ = trivial_page
    kernel_id = page_kernel_id(page)

    status, body, _ = http_get(voila_server, f"/api/kernels/{kernel_id}")

    assert status == 200
    assert json.loads(body)["id"] == kernel_id


# The kernel answers shell requests in order, so once the reply to a kernel_info_request sent
# *after* the execute_request has arrived, an execute_reply would already have arrived too.


def test_execute_request_on_the_pages_own_kernel_connection_is_ignored(trivial_page, tmp_path):
    """The page's kernel connection carries widget messages only; code sent on it never runs."""
    page, _ = trivial_page
    marker = tmp_path / "executed-from-the-browser"

    result = page.evaluate(
        """async (markerPath) => {
          const kernel = window.jupyterapp.widgetManager.kernel;
          const seen = [];
          const future = kernel.requestExecute({
            code: `open(${JSON.stringify(markerPath)}, "w").write("ran")\\nimport os\\nos.getpid()`,
          });
          future.onIOPub = (msg) => seen.push(msg.header.msg_type);
          future.onReply = (msg) => seen.push("reply:" + msg.content.status);
          const info = await kernel.requestKernelInfo();
          await new Promise((resolve) => setTimeout(resolve, 500));
          return { seen, infoStatus: info.content.status, connection: kernel.connectionStatus };
        }""",
        str(marker),
    )

    assert result["infoStatus"] == "ok"  # the connection works ...
    assert result["seen"] == []  # ... but no busy status, no execute_result, no reply
    assert not marker.exists()
    assert result["connection"] == "connected"
    value = _slider_value(page)  # and widgets still work on it
    if value > 0:
        _press_and_wait_for_label(page, "ArrowLeft", value - 1)
    else:
        _press_and_wait_for_label(page, "ArrowRight", 1)


def test_execute_request_on_a_new_websocket_is_ignored(trivial_page, tmp_path):
    """An attacker's own WebSocket to /api/kernels/<id>/channels cannot run code either."""
    page, _ = trivial_page
    kernel_id = page_kernel_id(page)
    marker = tmp_path / "executed-over-websocket"

    seen = page.evaluate(
        """async ([kernelId, markerPath]) => {
          const url = location.origin.replace(/^http/, "ws") + "/api/kernels/" + kernelId
            + "/channels?session_id=attacker";
          const ws = new WebSocket(url);
          const seen = [];
          await new Promise((resolve, reject) => { ws.onopen = resolve; ws.onerror = reject; });
          let gotInfo;
          const infoArrived = new Promise((resolve) => { gotInfo = resolve; });
          ws.onmessage = (event) => {
            const msg = JSON.parse(event.data);
            seen.push(msg.channel + ":" + msg.header.msg_type);
            if (msg.header.msg_type === "kernel_info_reply") gotInfo();
          };
          const message = (type, content) => ({
            header: { msg_id: crypto.randomUUID(), msg_type: type, session: "attacker",
                      username: "", version: "5.3", date: new Date().toISOString() },
            parent_header: {}, metadata: {}, content, channel: "shell", buffers: [],
          });
          ws.send(JSON.stringify(message("execute_request", {
            code: `open(${JSON.stringify(markerPath)}, "w").write("ran")`,
            silent: false, store_history: false, user_expressions: {},
            allow_stdin: false, stop_on_error: true,
          })));
          ws.send(JSON.stringify(message("kernel_info_request", {})));
          await Promise.race([infoArrived, new Promise((r) => setTimeout(r, 10000))]);
          await new Promise((resolve) => setTimeout(resolve, 500));
          ws.close();
          return seen;
        }""",
        [kernel_id, str(marker)],
    )

    assert "shell:kernel_info_reply" in seen  # the socket works ...
    assert "shell:execute_reply" not in seen  # ... but the code was never run
    assert "iopub:execute_input" not in seen
    assert not marker.exists()


def test_gone_kernel_shows_a_chinese_notice(page, voila_server, screenshot_dir):
    """After idle culling the page says so (in Chinese) instead of silently ignoring input."""
    open_app(page, voila_server, **TRIVIAL)
    assert page.locator("#yibao-kernel-gone").count() == 0

    assert shutdown_kernel(voila_server, page_kernel_id(page)) == 204  # as the culler would
    page.evaluate("() => window.yibaoCheckKernel()")  # the page itself checks every 60 s

    notice = page.locator("#yibao-kernel-gone")
    notice.wait_for(timeout=5000)
    assert "请刷新页面" in notice.inner_text()
    page.screenshot(path=screenshot_dir / "kernel-gone-notice.png")


# --------------------------------------------------------------------------------------------
# What a chat shows for a shared link


APPS = ("index", "retiree_credit", "compare_regions", "transfer_guide", "contribution_years")


@pytest.mark.parametrize("name", APPS)
def test_a_shared_link_has_a_chinese_title_and_description(voila_server, name):
    metadata = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4).metadata
    title, description = metadata["title"], metadata["description"]
    assert re.search(r"[\u4e00-\u9fff]", title) and title.endswith(" · yibao")
    assert re.search(r"[\u4e00-\u9fff]", description) and description.count("。") == 1
    status, body, _ = http_get(voila_server, f"/voila/render/notebooks/{name}.ipynb")
    assert status == 200
    head = body.split("</head>", 1)[0]
    assert f"<title>{title}</title>" in head
    assert f'<meta name="description" content="{description}">' in head
    assert f'<meta property="og:title" content="{title}">' in head
    assert f'<meta property="og:description" content="{description}">' in head
