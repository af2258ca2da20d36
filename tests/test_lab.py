"""`make lab`: the command it runs starts JupyterLab on the notebooks, with Voilà's preview (the
voila package's JupyterLab extension and server extension) rendering the apps."""

from __future__ import annotations

import os
import re
import secrets
import shlex
import subprocess
import urllib.parse

import pytest
from _isolated import ROOT, Server, clean_environment, fetch, free_port

pytestmark = pytest.mark.timeout(300)


def _lab_command(port: int) -> tuple[dict[str, str], list[str]]:
    result = subprocess.run(
        ["make", "--no-print-directory", "-n", "-C", str(ROOT), "lab", f"LAB_PORT={port}"],
        capture_output=True, text=True, timeout=120, env=clean_environment(),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    (line,) = [line for line in result.stdout.splitlines() if re.search(r"/jupyter lab\b", line)]
    words = shlex.split(line)
    assignments = dict(word.split("=", 1) for word in words if re.match(r"^[A-Z_]+=", word))
    return assignments, [word for word in words if not re.match(r"^[A-Z_]+=", word)]


def test_make_lab_serves_jupyterlab_and_the_voila_preview(tmp_path):
    port = free_port()
    assignments, argv = _lab_command(port)
    assert argv[1] == "lab" and os.path.basename(argv[0]) == "jupyter"
    assert f"--ServerApp.root_dir={ROOT}" in argv and "--ServerApp.port_retries=0" in argv
    assert assignments["JUPYTER_PATH"].split(os.pathsep)[0] == str(ROOT / "share" / "jupyter")

    token = secrets.token_hex(16)
    env = clean_environment(
        **assignments, JUPYTER_TOKEN=token, JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime")
    )  # fmt: skip
    server = Server(
        [*argv, "--no-browser"], cwd=ROOT, env=env, log=tmp_path / "lab.log"
    )  # fmt: skip
    auth = {"Authorization": f"token {token}"}
    try:
        base = f"http://127.0.0.1:{port}"
        server.wait_until_answers(f"{base}/api/status")
        lab_status, lab = fetch(f"{base}/lab/tree/notebooks/index.ipynb", headers=auth)
        query = urllib.parse.urlencode({"region": "深圳", "age": 70})
        app_status, app = fetch(
            f"{base}/voila/render/notebooks/retiree_credit.ipynb?{query}", headers=auth
        )  # fmt: skip
        _, anonymous = fetch(f"{base}/voila/render/notebooks/retiree_credit.ipynb?{query}")
    finally:
        server.stop()

    assert lab_status == 200, server.output()
    assert "@voila-dashboards/jupyterlab-preview" in lab  # the preview button's extension
    assert app_status == 200, server.output()
    assert "正在加载…" in app  # rendered with the project's template (voila.json, from the cwd)
    assert "深圳 70岁：每月到账 251.00 元" in app
    assert "251.00 元" not in anonymous  # Lab keeps its token: no app without it (a login page)
