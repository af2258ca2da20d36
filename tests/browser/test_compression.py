"""Compressed responses (issue 10): gzip for pages and static files, deflate for the websocket.

voila.json's ``Voila.tornado_settings`` (standalone Voilà; gzip needs them passed to tornado's
Application: yibao_lib.serving.pass_tornado_settings_to_tornado, called by voila.py) and
``ServerApp.tornado_settings`` (server-extension mode: ``jupyter server``/Binder, copied there by
binder/postBuild) turn it on.  Before, a first visit received 5.0 MB, none of it compressed.
Caching must stay as it was: validators (ETag) on static files, long max-age on versioned ones.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
from conftest import (
    ROOT,
    _free_loopback_port,
    _stop_server,
    _tail,
    close_page,
    console_errors,
    new_page,
    open_app,
)

STATIC_JS = "/voila/templates/yibao/static/voila-style.js"  # ≈ 340 kB, every page loads it
PAGE = "/voila/render/benchmarks/trivial.ipynb"


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as error:  # 304 comes here
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def _first_static_chunk(base_url: str) -> str:
    """A /voila/static/*.js chunk named in the page (Voilà's own bundle: most of the bytes)."""
    _status, _headers, body = _get(base_url + PAGE)
    names = re.findall(r'/voila/static/([\w.-]+\.js)', body.decode("utf-8"))
    assert names, "the page names no /voila/static/*.js"
    return "/voila/static/" + names[0]




@pytest.mark.parametrize("path", [STATIC_JS, "static-chunk", PAGE])
def test_responses_are_gzipped_for_browsers_that_accept_it(voila_server, path):
    if path == "static-chunk":
        path = _first_static_chunk(voila_server)
    status, headers, body = _get(voila_server + path, {"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers.get("content-encoding") == "gzip", headers
    assert "accept-encoding" in headers.get("vary", "").lower()
    decoded = gzip.decompress(body)
    assert len(body) < 0.5 * len(decoded)  # text compresses at least 2:1

    # a client that does not accept gzip still gets the same content, uncompressed
    plain_status, plain_headers, plain = _get(voila_server + path)
    assert plain_status == 200 and "content-encoding" not in plain_headers
    if path != PAGE:  # the page names a new kernel each time
        assert plain == decoded


def test_static_files_keep_their_caching(voila_server):
    """Compression must not cost the repeat visit: validators answer 304, versioned URLs are
    cached for long."""
    chunk = _first_static_chunk(voila_server)
    status, headers, _ = _get(voila_server + chunk, {"Accept-Encoding": "gzip"})
    assert status == 200 and headers.get("etag")
    status, _, body = _get(
        voila_server + chunk, {"Accept-Encoding": "gzip", "If-None-Match": headers["etag"]}
    )
    assert status == 304 and body == b""

    _status, _headers, page = _get(voila_server + PAGE)
    versioned = re.search(r'(/voila/templates/yibao/static/voila-style\.js\?v=\w+)', page.decode())
    assert versioned, "the page loads voila-style.js without a version"
    status, headers, _ = _get(voila_server + versioned.group(1), {"Accept-Encoding": "gzip"})
    max_age = re.search(r"max-age=(\d+)", headers.get("cache-control", ""))
    assert status == 200 and max_age and int(max_age.group(1)) >= 86400 * 365


def test_websocket_is_compressed_and_the_page_still_works(browser, voila_server):
    """The kernel's websocket negotiates permessage-deflate, and messages still flow both ways:
    the slider moved in the browser changes the label the kernel writes."""
    context, page = new_page(browser)
    handshakes: list[dict] = []
    cdp = context.new_cdp_session(page)
    cdp.on("Network.webSocketHandshakeResponseReceived", lambda p: handshakes.append(p))
    cdp.send("Network.enable")
    try:
        open_app(page, voila_server, "trivial", folder="benchmarks")
        channels = [
            h for h in handshakes
            if h["response"]["status"] == 101
        ]  # fmt: skip
        assert channels, "no websocket was opened"
        for handshake in channels:
            headers = {k.lower(): v for k, v in handshake["response"]["headers"].items()}
            assert "permessage-deflate" in headers.get("sec-websocket-extensions", ""), headers
        handle = page.locator(".widget-slider .noUi-handle")
        handle.focus()
        page.keyboard.press("End")
        page.wait_for_function(
            "() => [...document.querySelectorAll('div.widget-label')]"
            ".some((el) => el.textContent === '当前值：10')",
            timeout=10_000,
        )
        assert console_errors(page) == []
    finally:
        close_page(context, page)


def _binder_server_config(target) -> None:
    """What binder/postBuild writes to jupyter_server_config.json (its own Python, run here)."""
    script = (ROOT / "binder" / "postBuild").read_text(encoding="utf-8")
    match = re.search(r"<<'PY'\n(.*?)\nPY\n", script, re.S)
    assert match, "binder/postBuild no longer writes jupyter_server_config.json with Python"
    subprocess.run([sys.executable, "-", str(target)], input=match.group(1), text=True,
                   cwd=ROOT, check=True, capture_output=True)  # fmt: skip


def test_server_extension_mode_compresses_too(tmp_path):
    """``jupyter server`` with the Voilà extension (Binder's mode), configured the way
    binder/postBuild configures it, answers gzip as well."""
    config_dir = tmp_path / "config"
    config_dir.mkdir()
    _binder_server_config(config_dir / "jupyter_server_config.json")
    settings = json.loads((config_dir / "jupyter_server_config.json").read_text())
    assert settings["ServerApp"]["tornado_settings"]["compress_response"] is True

    token = uuid.uuid4().hex
    port = _free_loopback_port()
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(config_dir),
               JUPYTER_PATH=os.pathsep.join([str(ROOT / "share" / "jupyter"),
                                             *filter(None, [os.environ.get("JUPYTER_PATH")])]))  # fmt: skip
    # the `jupyter-server` command, as Binder runs it (`python -m` here would import the project
    # root's voila.py in place of the voila package)
    command = [str(Path(sys.executable).with_name("jupyter-server")), "--no-browser",
               "--ServerApp.ip=127.0.0.1",
               f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
               f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={ROOT}"]  # fmt: skip
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    log_path = tmp_path / "server.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                                   stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        status = headers = None
        while time.monotonic() < deadline and process.poll() is None:
            try:
                status, headers, page = _get(
                    f"{base_url}{PAGE}?token={token}", {"Accept-Encoding": "gzip"}
                )
                break
            except OSError:
                time.sleep(0.3)
        assert status == 200, f"jupyter server did not serve {PAGE}:\n{_tail(log_path)}"
        assert headers.get("content-encoding") == "gzip", headers
        chunks = re.findall(r"/voila/static/([\w.-]+\.js)", gzip.decompress(page).decode())
        assert chunks, "the page names no /voila/static/*.js"
        status, headers, _ = _get(
            f"{base_url}/voila/static/{chunks[0]}?token={token}", {"Accept-Encoding": "gzip"}
        )
        assert status == 200 and headers.get("content-encoding") == "gzip", headers
    finally:
        _stop_server(process)
