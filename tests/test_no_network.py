"""No network call at run time: every app works with the network off.

Each notebook in notebooks/ runs in a fresh Python process (as Voilà's kernel would run it) with
an audit hook that refuses, and records, every attempt to reach a host other than this machine:
``socket.connect`` / ``sendto`` to a non-loopback address, DNS look-ups of other names, urllib
requests.  After the cells have run, the inputs the apps have are changed once, so the
callbacks (charts, tables, share links) run under the same hook.

The browser side — no request from the page to any other host — is in
tests/browser/test_safety_widgets.py::test_page_asks_only_our_server.

The same run checks that every visitor's kernel stays light: no notebook imports pandas, which
costs each kernel about 0.5 s and 40 MiB (benchmarks/bench_served.py, docs/performance.md). The
apps and their worked examples use the plain-Python paths (``compare_regions_rows``,
``ui.common.Table``); the DataFrame functions stay for analysis.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))

# Runs in the child process: argv[1:] are notebook paths; prints one JSON object.
CHILD = r"""
import ipaddress, json, sys, traceback

attempts = []

def _loopback_host(host):
    if host is None or host in ("", "localhost", "localhost.localdomain"):
        return True
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False

def _loopback_address(address):
    if not isinstance(address, tuple):  # AF_UNIX path (or abstract name)
        return True
    return _loopback_host(address[0])

def hook(event, args):
    if event in ("socket.connect", "socket.sendto", "socket.sendmsg"):
        address = args[1] if len(args) > 1 else None
        if address is not None and not _loopback_address(address):
            attempts.append(f"{event} {address!r}")
            raise OSError(f"network is off in this test ({event} {address!r})")
    elif event in ("socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex",
                   "socket.gethostbyaddr"):
        if not _loopback_host(args[0]):
            attempts.append(f"{event} {args[0]!r}")
            raise OSError(f"network is off in this test ({event} {args[0]!r})")
    elif event in ("urllib.Request", "http.client.connect"):
        attempts.append(f"{event} {args[0]!r}")
        raise OSError(f"network is off in this test ({event})")

sys.addaudithook(hook)

import ipywidgets
from ipywidgets.widgets.widget import _instances

HEAVY = ("pandas",)  # modules no app may import (see the module docstring)

CHANGES = {  # a valid new value for each kind of input the apps have
    "yb-input-age": 75, "yb-input-region": "上海", "yb-input-destination": "北京",
    "yb-input-avg": "4000", "yb-input-base": "8000", "yb-input-total": "30",
    "yb-input-local": "10",
}

report = {}
for path in sys.argv[1:]:
    notebook = json.load(open(path, encoding="utf-8"))
    before = set(_instances)
    start = len(attempts)
    error = None
    try:
        namespace = {"__name__": "__main__"}
        for cell in notebook["cells"]:
            if cell["cell_type"] == "code":
                source = "".join(cell["source"])
                if source.lstrip().startswith(("%", "!")):
                    continue
                exec(compile(source, path, "exec"), namespace)
        for model_id in set(_instances) - before:
            widget = _instances[model_id]
            for css_class, value in CHANGES.items():
                if css_class in getattr(widget, "_dom_classes", ()) and isinstance(
                    getattr(widget, "value", None), type(value)
                ):
                    widget.value = value
    except Exception:
        error = traceback.format_exc(limit=8)
    heavy = [name for name in HEAVY if name in sys.modules]  # one process: the first one counts
    report[path] = {"attempts": attempts[start:], "error": error, "heavy": heavy}
print("YIBAO-NO-NETWORK " + json.dumps(report, ensure_ascii=False))
"""


@pytest.fixture(scope="module")
def report() -> dict:
    """One child process runs every notebook (imports are paid once)."""
    env = dict(os.environ, QUERY_STRING="", MPLBACKEND="Agg", PYTHONDONTWRITEBYTECODE="1")
    for proxy in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        env.pop(proxy, None)
    completed = subprocess.run(
        [sys.executable, "-c", CHILD, *map(str, NOTEBOOKS)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    lines = [line for line in completed.stdout.splitlines() if line.startswith("YIBAO-NO-NETWORK ")]
    assert completed.returncode == 0 and lines, completed.stderr[-3000:]
    return json.loads(lines[-1].removeprefix("YIBAO-NO-NETWORK "))


@pytest.mark.skipif(not NOTEBOOKS, reason="no notebooks yet")
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_app_makes_no_network_call(report, notebook):
    outcome = report[str(notebook)]

    assert outcome["attempts"] == [], f"{notebook.name} tried the network: {outcome['attempts']}"
    assert outcome["error"] is None, outcome["error"]


@pytest.mark.skipif(not NOTEBOOKS, reason="no notebooks yet")
def test_no_app_imports_pandas(report):
    first: dict[str, str] = {}  # module → the first notebook (in run order) after which it was loaded
    for path, outcome in report.items():
        for name in outcome["heavy"]:
            first.setdefault(name, Path(path).name)

    assert first == {}, f"heavy modules imported by the apps: {first}"


def test_the_weight_check_notices_pandas(tmp_path):
    """The child really reports a notebook that imports pandas."""
    probe = tmp_path / "imports_pandas.ipynb"
    probe.write_text(
        json.dumps({"cells": [{"cell_type": "code", "source": ["import pandas"]}]}),
        encoding="utf-8",
    )
    completed = subprocess.run(
        [sys.executable, "-c", CHILD, str(probe)], capture_output=True, text=True, timeout=120
    )
    outcome = json.loads(completed.stdout.split("YIBAO-NO-NETWORK ", 1)[1])[str(probe)]

    assert outcome["heavy"] == ["pandas"] and outcome["error"] is None


def test_the_guard_notices_a_network_call():
    """The audit hook really refuses, and reports, a connection to another host."""
    probe = CHILD.split("import ipywidgets", 1)[0] + (
        "import socket\n"
        "try:\n"
        "    socket.create_connection(('192.0.2.1', 80), timeout=0.5)\n"  # TEST-NET-1
        "except OSError:\n"
        "    pass\n"
        "try:\n"
        "    socket.getaddrinfo('example.com', 443)\n"
        "except OSError:\n"
        "    pass\n"
        "print(attempts)\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60
    )

    assert "192.0.2.1" in completed.stdout and "example.com" in completed.stdout
