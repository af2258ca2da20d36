"""The serving set-up, checked without a browser: voila.json, the template, Makefile, Binder, CI."""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "share" / "jupyter" / "voila" / "templates"


@pytest.fixture(scope="module")
def voila_json() -> dict:
    return json.loads((ROOT / "voila.json").read_text(encoding="utf-8"))


def _clean_env(**extra: str) -> dict[str, str]:
    """The environment without variables the Makefile reads (HOST, PORT, JUPYTER_PATH)."""
    env = {k: v for k, v in os.environ.items() if k not in {"HOST", "PORT", "JUPYTER_PATH"}}
    return {**env, **extra}


def _make(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "--no-print-directory", "-C", str(ROOT), *args],
        capture_output=True,
        text=True,
        env=env if env is not None else _clean_env(),
        timeout=600,
    )


def _voila_line(make_output: str) -> list[str]:
    lines = [line for line in make_output.splitlines() if re.search(r"/voila(\s|$)", line)]
    assert len(lines) == 1, make_output
    return shlex.split(lines[0])


def _browser_conftest():
    """tests/browser/conftest.py, loaded under its own name (a bare `conftest` is ambiguous)."""
    path = ROOT / "tests" / "browser" / "conftest.py"
    spec = importlib.util.spec_from_file_location("yibao_browser_conftest", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --------------------------------------------------------------------------------------------
# voila.json


def test_voila_json_standalone_server(voila_json):
    assert voila_json["Voila"]["port_retries"] == 0  # fail instead of moving to another port
    assert voila_json["Voila"]["ip"] == "127.0.0.1"


def test_voila_json_hides_code_and_tracebacks(voila_json):
    configuration = voila_json["VoilaConfiguration"]
    assert configuration["strip_sources"] is True
    assert configuration["show_tracebacks"] is False


def test_voila_json_culls_idle_kernels(voila_json):
    culling = voila_json["MappingKernelManager"]
    assert 60 <= culling["cull_idle_timeout"] <= 3600
    assert 0 < culling["cull_interval"] <= culling["cull_idle_timeout"]
    assert culling["cull_connected"] is True  # an open but idle tab is freed too


def test_voila_json_kernels_use_ipc_and_a_client_that_cannot_hang_the_server(voila_json):
    # no TCP ports: the port race that once hung the whole server cannot happen (yibao_lib/serving.py)
    assert voila_json["KernelManager"]["transport"] == "ipc"
    client = voila_json["AsyncKernelManager"]["client_class"]
    module, name = client.rsplit(".", 1)
    from jupyter_client.asynchronous import AsyncKernelClient

    assert issubclass(getattr(importlib.import_module(module), name), AsyncKernelClient)


def test_voila_json_never_enables_code_execution_from_the_browser(voila_json):
    text = json.dumps(voila_json)
    for dangerous in ("allowed_message_types", "execute_request", "preheat_kernel"):
        assert dangerous not in text


def test_voila_json_serves_only_images_as_files(voila_json):
    configuration = voila_json["VoilaConfiguration"]
    allow = [re.compile(pattern, re.IGNORECASE) for pattern in configuration["file_allowlist"]]
    deny = [re.compile(pattern, re.IGNORECASE) for pattern in configuration["file_denylist"]]

    def served(path: str) -> bool:
        return any(p.fullmatch(path) for p in allow) and not any(p.fullmatch(path) for p in deny)

    assert served("notebooks/img/chart.png")
    assert served("docs/map.svg")
    for private in (
        "voila.json",
        "data/sources.csv",
        "data/transfer.yaml",
        "notebooks/index.ipynb",
        "yibao_lib/fonts.py",
        "benchmarks/chart.png",
        ".git/logo.png",
        "notebooks/.ipynb_checkpoints/x.png",
        "docs/../../secret.png",
    ):
        assert not served(private), private


def test_voila_json_names_a_template_that_exists(voila_json):
    name = voila_json["VoilaConfiguration"]["template"]
    template = TEMPLATES / name

    assert (template / "index.html.j2").is_file()
    assert json.loads((template / "conf.json").read_text())["base_template"] == "lab"
    for page in ("tree.html", "tree-lab.html", "error.html", "404.html"):
        assert (template / page).is_file()


def test_template_texts_are_chinese_and_pages_use_no_cdn():
    template = TEMPLATES / "yibao"
    index = (template / "index.html.j2").read_text(encoding="utf-8")

    assert "正在加载…" in index
    assert "出错了，请刷新页面重试" in index
    assert "notebooks/index.ipynb" in (template / "tree.html").read_text(encoding="utf-8")
    for page in ("tree.html", "error.html", "404.html"):
        assert "https://" not in (template / page).read_text(encoding="utf-8")


# --------------------------------------------------------------------------------------------
# Makefile


def test_make_run_starts_voila_with_voila_json():
    result = _make("-n", "run")
    assert result.returncode == 0, result.stderr

    argv = _voila_line(result.stdout)
    assert "voila.json" in result.stdout
    assert argv[0] == f"JUPYTER_PATH={ROOT}/share/jupyter"
    assert argv[1].endswith("/voila")
    assert f"--Voila.config_file_paths={ROOT}" in argv
    assert (ROOT / "voila.json").is_file()
    assert "--Voila.port_retries=0" in argv
    assert "--no-browser" in argv
    assert "--Voila.ip=127.0.0.1" in argv
    assert "--Voila.port=8866" in argv
    assert "http://127.0.0.1:8866/voila/render/notebooks/index.ipynb" in result.stdout


def test_make_run_host_and_port_can_be_changed():
    from_env = _voila_line(_make("-n", "run", env=_clean_env(PORT="9123")).stdout)
    from_args = _voila_line(_make("-n", "run", "HOST=0.0.0.0", "PORT=9000").stdout)

    assert "--Voila.port=9123" in from_env
    assert "--Voila.ip=0.0.0.0" in from_args and "--Voila.port=9000" in from_args


def test_browser_tests_start_voila_as_make_run_does():
    conftest = _browser_conftest()
    argv = _voila_line(_make("-n", "run", "HOST=127.0.0.1", "PORT=45678").stdout)

    expected = conftest.voila_command("127.0.0.1", 45678)
    assert argv[2:] == expected[1:]
    assert Path(argv[1]).name == Path(expected[0]).name == "voila"
    assert (
        conftest.voila_environment()["JUPYTER_PATH"].split(os.pathsep)[0]
        == argv[0].split("=", 1)[1]
    )


def test_make_test_runs_ruff_then_pytest():
    result = _make("-n", "test")
    assert result.returncode == 0, result.stderr

    lines = result.stdout.splitlines()
    ruff = next(i for i, line in enumerate(lines) if "ruff check ." in line)
    pytest_line = next(i for i, line in enumerate(lines) if "-m pytest" in line)
    assert ruff < pytest_line


def test_make_pytest_fails_when_no_test_is_collected(tmp_path):
    result = _make("pytest", f"PYTEST_ARGS=-p no:cacheprovider {tmp_path}")

    assert result.returncode != 0
    assert "collected no tests" in result.stderr


def test_makefile_has_the_documented_targets():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in ("venv", "run", "lab", "test", "lint", "bench", "clean"):
        assert re.search(rf"^{target}:", makefile, re.MULTILINE), target


def test_data_has_one_copy_in_the_repository(monkeypatch):
    """pyproject.toml maps data/ onto yibao_lib.data for wheels; the source tree has no such
    folder, which data_dir() would read first (tests/test_wheel.py checks the installed side)."""
    from yibao_lib._tables import data_dir

    monkeypatch.delenv("YIBAO_DATA_DIR", raising=False)
    assert not (ROOT / "yibao_lib" / "data").exists()
    assert data_dir() == ROOT / "data"
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"yibao_lib.data" = "data"' in pyproject


# --------------------------------------------------------------------------------------------
# Binder and CI


def test_binder_runtime_is_python_3_11_or_newer():
    runtime = (ROOT / "binder" / "runtime.txt").read_text().strip()
    match = re.fullmatch(r"python-(\d+)\.(\d+)", runtime)

    assert match, runtime
    assert (int(match[1]), int(match[2])) >= (3, 11)


def test_binder_requirements_are_the_runtime_requirements():
    lines = [
        line.split("#", 1)[0].strip()
        for line in (ROOT / "binder" / "requirements.txt").read_text().splitlines()
    ]
    includes = [line.split(None, 1)[1] for line in lines if line.startswith("-r ")]

    assert includes == ["../requirements.txt"]
    assert (ROOT / "binder" / includes[0]).resolve() == (ROOT / "requirements.txt")


def test_binder_post_build_is_an_executable_bash_script():
    post_build = ROOT / "binder" / "postBuild"
    text = post_build.read_text(encoding="utf-8")

    assert os.access(post_build, os.X_OK)
    assert text.startswith("#!/bin/bash")
    assert "set -euo pipefail" in text
    # a plain install: the package data and the template (data files) land in the prefix
    (install,) = [line for line in text.splitlines() if "pip install" in line]
    assert install.rstrip().endswith(" .") and " -e " not in install
    assert "cp " not in text  # nothing copied by hand
    assert "jupyter_server_config.json" in text
    assert "voila.json" in text
    subprocess.run(["bash", "-n", str(post_build)], check=True)


def test_binder_post_build_writes_the_server_config(tmp_path):
    """Run postBuild's config steps against a throw-away prefix (pip step made a no-op)."""
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    fake_python = fake_bin / "python"
    fake_python.write_text(
        f'#!/bin/sh\nif [ "$1" = "-m" ] && [ "$2" = "pip" ]; then exit 0; fi\n'
        f'exec {sys.executable} "$@"\n'
    )
    fake_python.chmod(0o755)
    prefix = tmp_path / "prefix"
    env = {
        **os.environ,
        "NB_PYTHON_PREFIX": str(prefix),
        "PATH": f"{fake_bin}:{os.environ['PATH']}",
    }

    subprocess.run(["bash", "binder/postBuild"], cwd=ROOT, env=env, check=True, capture_output=True)

    config = json.loads((prefix / "etc/jupyter/jupyter_server_config.json").read_text())
    voila = json.loads((ROOT / "voila.json").read_text())
    assert "Voila" not in config  # standalone-only options stay out of the server
    for section in ("VoilaConfiguration", "VoilaExporter", "MappingKernelManager",
                    "KernelManager", "AsyncKernelManager"):  # fmt: skip
        assert config[section] == voila[section]


def test_ci_script_installs_chromium_and_runs_make_test():
    script = ROOT / ".ci" / "run"
    text = script.read_text(encoding="utf-8")

    assert os.access(script, os.X_OK)
    assert "set -euo pipefail" in text
    assert "apt-get install" in text and "chromium" in text and "fonts-noto-cjk" in text
    assert "faketime" in text
    # the data checked on its own first, then the README's test command, then the faked clocks
    steps = (
        "-m yibao_lib.check",
        "\nmake test\n",
        "scripts/check_binder.py\n",
        "\nmake test-clock",
    )
    order = [text.index(step) for step in steps]
    assert order == sorted(order) and text.rstrip().endswith("make test-clock")
    subprocess.run(["bash", "-n", str(script)], check=True)


# --------------------------------------------------------------------------------------------
# the baseline notebook


def test_baseline_notebook_is_small_and_saved_without_outputs():
    notebook = nbformat.read(ROOT / "benchmarks" / "trivial.ipynb", as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]

    nbformat.validate(notebook)
    assert all(cell.outputs == [] and cell.execution_count is None for cell in code)
    imports = {
        line.split()[1]
        for cell in code
        for line in cell.source.splitlines()
        if line.startswith(("import ", "from "))
    }
    assert imports == {"ipywidgets"}
    source = "\n".join(cell.source for cell in code)
    assert "IntSlider" in source and "Label" in source
