"""Fixtures for browser tests: one standalone Voilà server per session, headless Chromium.

The server is started the way ``make run`` starts it (see ``voila_command``; a test in
tests/test_serving_config.py compares the two), from the project root, on a free loopback port.

Chromium is Debian's /usr/bin/chromium (Playwright's own browser download does not work here).
Without it the browser tests are skipped locally, and fail when the environment variable CI is set.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SERVER_START_TIMEOUT_S = 60
APP_READY_TIMEOUT_S = 60
SCREENSHOT_DIR = ROOT / "test-artifacts" / "screenshots"

# Voilà has finished when (1) its loading spinner is gone and the cells are shown, (2) the
# front-end app has started (window.jupyterapp), (3) every output placeholder
# (<script type="application/vnd.voila.cell-output+json">) has been replaced by its rendering, and
# (4) every widget output panel holds its widget view.  Voilà itself sets no "finished" flag.
VOILA_READY_JS = """() => {
  if (document.getElementById("loading")) return false;
  const cells = document.getElementById("rendered_cells");
  if (!cells || cells.style.display === "none") return false;
  if (!window.jupyterapp) return false;
  if (document.querySelector('script[type="application/vnd.voila.cell-output+json"]')) return false;
  for (const panel of cells.querySelectorAll(".jp-OutputArea-output.lm-Panel")) {
    if (!panel.querySelector(".jupyter-widgets")) return false;
  }
  return true;
}"""

_console_errors: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_screenshots_used = False


# --------------------------------------------------------------------------------------------
# the Voilà server


def voila_command(host: str, port: int) -> list[str]:
    """The command ``make run HOST=host PORT=port`` runs (the Makefile's VOILA_ARGS)."""
    return [
        str(Path(sys.prefix) / "bin" / "voila"),
        "--no-browser",
        f"--Voila.ip={host}",
        f"--Voila.port={port}",
        "--Voila.port_retries=0",
        f"--Voila.config_file_paths={ROOT}",
    ]


def voila_environment() -> dict[str, str]:
    """The environment ``make run`` gives Voilà: our template on the Jupyter data path."""
    env = dict(os.environ)
    paths = [str(ROOT / "share" / "jupyter")]
    if env.get("JUPYTER_PATH"):
        paths.append(env["JUPYTER_PATH"])
    env["JUPYTER_PATH"] = os.pathsep.join(paths)
    return env


def _free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _stop_server(process: subprocess.Popen) -> None:
    """SIGTERM makes Voilà shut its kernels down; anything left after that is killed."""
    import psutil

    try:
        children = psutil.Process(process.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        children = []
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
    _, alive = psutil.wait_procs(children, timeout=10)
    for child in alive:
        child.kill()


@pytest.fixture(scope="session")
def voila_server(tmp_path_factory) -> Iterator[str]:
    """Base URL (no trailing slash) of a standalone Voilà serving the project root."""
    log_path = tmp_path_factory.mktemp("voila") / "voila.log"
    for _attempt in range(3):  # a free port can be taken between choosing and binding it
        port = _free_loopback_port()
        base_url = f"http://127.0.0.1:{port}"
        with open(log_path, "ab") as log:
            process = subprocess.Popen(
                voila_command("127.0.0.1", port),
                cwd=ROOT,
                env=voila_environment(),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        while time.monotonic() < deadline and process.poll() is None:
            if _answers(base_url + "/"):
                break
            time.sleep(0.2)
        if process.poll() is None and _answers(base_url + "/"):
            break
        _stop_server(process)
        if "no available port" not in log_path.read_text(errors="replace"):
            pytest.fail(
                f"Voilà did not answer on {base_url} within {SERVER_START_TIMEOUT_S} s; "
                f"log: {log_path}\n{_tail(log_path)}"
            )
    else:
        pytest.fail(f"Voilà found no free port after 3 attempts; log: {log_path}")

    try:
        yield base_url
    finally:
        _stop_server(process)


def _tail(path: Path, lines: int = 40) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


# --------------------------------------------------------------------------------------------
# the browser


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright's sync API."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing (apt-get install chromium fonts-noto-cjk)"
        if os.environ.get("CI"):
            pytest.fail(f"{message}; browser tests must run in CI", pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield chromium
        finally:
            chromium.close()


def new_page(browser, **context_options):
    """A new browser context and page (zh-CN, Asia/Shanghai) that records console errors."""
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **context_options)
    page = context.new_page()
    errors: list[str] = []
    _console_errors[page] = errors
    page.on("console", lambda message: _record_console(errors, message))
    page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))
    page.on("requestfailed", lambda request: _record_failed_request(errors, request))
    return context, page


def _record_console(errors: list[str], message) -> None:
    if message.type == "error":
        errors.append(f"console.error: {message.text}")


def _record_failed_request(errors: list[str], request) -> None:
    failure = request.failure or ""
    if "ERR_ABORTED" not in failure:  # navigation away / page closed
        errors.append(f"request failed: {request.url} ({failure})")


def close_page(context, page) -> None:
    """Close the page and shut its kernel down now, instead of leaving it to idle culling."""
    kernel_id = page_kernel_id(page)
    base_url = page.url.split("/voila/", 1)[0]
    context.close()
    if kernel_id:
        shutdown_kernel(base_url, kernel_id)


def page_kernel_id(page) -> str | None:
    """The id of the kernel behind a Voilà page (from its jupyter-config-data), if any."""
    try:
        config = page.evaluate(
            "() => { const el = document.getElementById('jupyter-config-data');"
            " return el ? el.textContent : null; }"
        )
    except Exception:  # page crashed or never loaded: nothing to shut down
        return None
    return json.loads(config).get("kernelId") if config else None


def shutdown_kernel(base_url: str, kernel_id: str) -> int:
    """DELETE /api/kernels/<id>.  Jupyter's XSRF check is double-submit: cookie == header."""
    token = uuid.uuid4().hex
    request = urllib.request.Request(
        f"{base_url}/api/kernels/{kernel_id}",
        method="DELETE",
        headers={"Cookie": f"_xsrf={token}", "X-XSRFToken": token},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (urllib.error.URLError, OSError):
        return 0


DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}


@pytest.fixture
def page(browser):
    """A desktop page, 1280×900."""
    context, page = new_page(browser, **DESKTOP)
    yield page
    close_page(context, page)


@pytest.fixture
def phone_page(browser):
    """A phone page: 390×844 CSS pixels at 2×, touch, mobile user agent behaviour."""
    context, page = new_page(browser, **PHONE)
    yield page
    close_page(context, page)


def console_errors(page) -> list[str]:
    """Console errors, uncaught exceptions and failed requests seen on ``page`` so far."""
    return list(_console_errors.get(page, []))


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    """Where browser tests save screenshots; printed at the end of the run."""
    global _screenshots_used
    directory = Path(os.environ.get("YIBAO_SCREENSHOT_DIR", SCREENSHOT_DIR))
    directory.mkdir(parents=True, exist_ok=True)
    _screenshots_used = True
    return directory


# --------------------------------------------------------------------------------------------
# helpers


def open_app(
    page,
    base_url: str,
    name: str,
    query: str = "",
    *,
    folder: str = "notebooks",
    timeout_s: float = APP_READY_TIMEOUT_S,
) -> float:
    """Open ``/voila/render/{folder}/{name}.ipynb?{query}``; wait until Voilà has finished.

    Returns the seconds from starting the navigation to a page whose widgets are displayed.
    """
    url = f"{base_url}/voila/render/{folder}/{name}.ipynb"
    if query:
        url += "?" + query.lstrip("?")
    started = time.perf_counter()
    page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
    page.wait_for_function(VOILA_READY_JS, timeout=timeout_s * 1000, polling=50)
    return time.perf_counter() - started


def screenshot_whole_app(page, path) -> None:
    """Screenshot the whole app. Voilà scrolls inside the page, so a full-page shot stops at the
    viewport: grow the viewport (same width) to the content's height for the shot, then restore."""
    size = page.viewport_size
    height = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('body, body *')].map(e => e.scrollHeight))"
    )
    page.set_viewport_size({"width": size["width"], "height": min(int(height) + 40, 12_000)})
    page.screenshot(path=str(path))
    page.set_viewport_size(size)


def has_horizontal_scroll(page) -> bool:
    """Whether the page is wider than the viewport (a phone user would have to scroll sideways)."""
    return page.evaluate(
        """() => {
          const root = document.scrollingElement || document.documentElement;
          return Math.max(root.scrollWidth, document.body.scrollWidth) > root.clientWidth + 1;
        }"""
    )


# --------------------------------------------------------------------------------------------
# hooks


def pytest_collection_modifyitems(items):
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


def pytest_terminal_summary(terminalreporter):
    if not _screenshots_used:
        return
    directory = Path(os.environ.get("YIBAO_SCREENSHOT_DIR", SCREENSHOT_DIR))
    count = len(list(directory.glob("*.png"))) if directory.exists() else 0
    terminalreporter.write_sep("-", "browser screenshots / 截图")
    terminalreporter.write_line(f"{count} screenshot(s) in {directory}")
