"""Voilà started the usual way fails at start-up, saying what is missing, when the project is not
installed or its template cannot be found (before: HTTP 500 on every app, or a page that hangs);
and `voila notebooks/index.ipynb` in the project root serves every app, not only that one."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest
from _isolated import ROOT, Server, bare_env, clean_environment, fetch, free_port, project_folder

from yibao_lib.serving import find_template, setup_problems

pytestmark = pytest.mark.timeout(300)
STARTUP_TIMEOUT_S = 60  # a hung server is cut off here and fails the test


@pytest.fixture(scope="module")
def bare(tmp_path_factory):
    """An environment with Voilà and every dependency, but neither yibao_lib nor its template."""
    return bare_env(tmp_path_factory.mktemp("bare") / "venv")


def _start(bare, project: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    argv = [bare.script("voila"), *args, "--no-browser", f"--Voila.port={free_port()}"]
    return subprocess.run(
        argv, cwd=project, env=clean_environment(**env), capture_output=True, text=True,
        timeout=STARTUP_TIMEOUT_S, stdin=subprocess.DEVNULL,
    )  # fmt: skip


@pytest.mark.parametrize("args", [(), ("notebooks/index.ipynb",)], ids=["voila", "voila-notebook"])
def test_without_the_package_voila_exits_naming_it(bare, tmp_path, args):
    project = project_folder(tmp_path / "project")
    # the template is there (on JUPYTER_PATH); only the package is missing
    result = _start(bare, project, *args, JUPYTER_PATH=str(ROOT / "share" / "jupyter"))

    assert result.returncode != 0
    assert "找不到 Python 包 yibao_lib" in result.stderr
    assert "No module named 'yibao_lib'" in result.stderr
    assert "pip install ." in result.stderr


@pytest.mark.parametrize("args", [(), ("notebooks/index.ipynb",)], ids=["voila", "voila-notebook"])
def test_without_the_template_voila_exits_naming_it(bare, tmp_path, args):
    project = project_folder(tmp_path / "project")
    # the package is importable (from the source tree, as an editable install has it: that
    # installs no data files); the template is on no Jupyter path
    source = tmp_path / "source"
    source.mkdir()
    (source / "yibao_lib").symlink_to(ROOT / "yibao_lib")
    result = _start(bare, project, *args, PYTHONPATH=str(source))

    assert result.returncode != 0
    assert "找不到 Voilà 模板“yibao”" in result.stderr
    assert str(bare.prefix / "share/jupyter/voila/templates/yibao") in result.stderr  # searched
    assert "pip install ." in result.stderr and "JUPYTER_PATH=" in result.stderr


def test_setup_problems_name_the_template_and_the_class(monkeypatch):
    monkeypatch.setenv("JUPYTER_PATH", str(ROOT / "share" / "jupyter"))
    settings = json.loads((ROOT / "voila.json").read_text(encoding="utf-8"))
    assert setup_problems(settings) == []
    assert find_template("yibao") == ROOT / "share/jupyter/voila/templates/yibao"

    broken = {
        **settings,
        "VoilaConfiguration": {**settings["VoilaConfiguration"], "template": "no-such-template"},
        "AsyncKernelManager": {"client_class": "yibao_lib.serving.NoSuchClient"},
        "KernelManager": {"kernel_manager_class": "no_such_package.Manager"},
    }
    problems = setup_problems(broken)
    assert len(problems) == 3
    assert "“no-such-template”" in problems[0]
    (client,) = [p for p in problems if "AsyncKernelManager.client_class" in p]
    assert "has no 'NoSuchClient'" in client
    (manager,) = [p for p in problems if "KernelManager.kernel_manager_class" in p]
    assert "No module named 'no_such_package'" in manager


def test_voila_with_one_notebook_serves_every_app(tmp_path):
    """`voila notebooks/index.ipynb` in the project root (as make run's environment has it)."""
    port = free_port()
    env = clean_environment(JUPYTER_PATH=str(ROOT / "share" / "jupyter"))
    voila = str(Path(sys.prefix) / "bin" / "voila")
    server = Server(
        [voila, "notebooks/index.ipynb", "--no-browser", f"--Voila.port={port}",
         "--Voila.port_retries=0"],
        cwd=ROOT, env=env, log=tmp_path / "voila.log",
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        server.wait_until_answers(f"{base}/voila/static/")
        _, home = fetch(f"{base}/")
        query = urllib.parse.urlencode({"region": "深圳", "age": 70})
        status, app = fetch(f"{base}/voila/render/notebooks/retiree_credit.ipynb?{query}")
    finally:
        server.stop()

    assert "/voila/render/notebooks/index.ipynb" in home  # "/" leads to the home app
    assert status == 200, server.output()
    assert "深圳 70岁：每月到账 251.00 元" in app  # another app than the one named, with voila.json
    assert "serving the whole project folder" in server.output()
