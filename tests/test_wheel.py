"""`pip install .` gives a working package: the wheel, installed outside the repository, computes
results and serves the apps with the template it installed (tests/_isolated.py sets that up)."""

from __future__ import annotations

import subprocess
import urllib.parse
import zipfile
from pathlib import Path

import pytest
from _isolated import (
    ROOT,
    TEMPLATE,
    Server,
    bare_env,
    build_wheel,
    clean_environment,
    copy_repository,
    fetch,
    free_port,
    install_wheel,
    project_folder,
)

pytestmark = pytest.mark.timeout(600)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    return build_wheel(copy_repository(work / "clone"), work / "dist")


@pytest.fixture(scope="module")
def installed(tmp_path_factory, wheel):
    env = bare_env(tmp_path_factory.mktemp("installed") / "venv")
    install_wheel(env, wheel)
    return env


def _tracked(folder: str) -> set[str]:
    """Files under ``folder`` as a clean clone has them (relative paths, caches left out)."""
    base = ROOT / folder
    return {
        path.relative_to(base).as_posix()
        for path in base.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    }


def test_wheel_holds_the_package_its_data_and_the_template(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    data_prefix = f"{wheel.name.split('-')[0]}-{wheel.name.split('-')[1]}.data/data/"

    package = {n.removeprefix("yibao_lib/") for n in names if n.startswith("yibao_lib/")}
    expected = {f for f in _tracked("yibao_lib") if f.endswith(".py") or f.startswith("map_data/")}
    expected |= {f"data/{f}" for f in _tracked("data")}
    assert package == expected  # every module, every subpackage, every data file, nothing else
    template = {n.removeprefix(data_prefix) for n in names if n.startswith(data_prefix)}
    assert template == {f"{TEMPLATE.as_posix()}/{f}" for f in _tracked(TEMPLATE.as_posix())}


def test_installed_package_computes_from_its_own_data(installed, tmp_path):
    script = (
        "import yibao_lib, yibao_lib._tables as t, yibao_lib.fonts as f\n"
        "from yibao_lib import retiree_monthly_credit\n"
        "r = retiree_monthly_credit('深圳', 70)\n"
        "print(yibao_lib.__file__); print(t.data_dir()); print(r.monthly_net); print(f.cjk_font_path())\n"
    )
    result = installed.run("-c", script, cwd=tmp_path)
    assert result.returncode == 0, result.stderr

    module, data, net, font = result.stdout.splitlines()
    package = installed.site_packages / "yibao_lib"
    assert Path(module) == package / "__init__.py"  # the installed copy, not the source tree
    assert Path(data) == package / "data"
    assert net == "251.00"
    assert Path(font).is_file()

    check = installed.run("-m", "yibao_lib.check", cwd=tmp_path)
    assert check.returncode == 0, check.stdout + check.stderr


def test_installed_package_still_reads_another_data_folder(installed, tmp_path):
    script = (
        "import yibao_lib._tables as t\n"
        f"with t.reading_from({str(tmp_path)!r}): print(t.data_dir())\n"
        "print(t.data_dir())\n"
    )
    env = clean_environment(YIBAO_DATA_DIR=str(ROOT / "data"))
    result = subprocess.run(
        [str(installed.python), "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True
    )  # fmt: skip
    assert result.stdout.splitlines() == [str(tmp_path), str(ROOT / "data")], result.stderr


def test_voila_serves_an_app_from_the_installed_wheel(installed, tmp_path):
    """Voilà started the usual way (`voila` in a folder with voila.json and the notebooks)."""
    assert not (installed.prefix / TEMPLATE).is_symlink()
    assert (installed.prefix / TEMPLATE / "index.html.j2").is_file()  # from the wheel's data files
    project = project_folder(tmp_path / "project")
    port = free_port()
    server = Server(
        [installed.script("voila"), "--no-browser", f"--Voila.port={port}"],
        cwd=project, env=clean_environment(), log=tmp_path / "voila.log",
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        server.wait_until_answers(f"{base}/voila/static/")
        query = urllib.parse.urlencode({"region": "深圳", "age": 70})
        status, page = fetch(f"{base}/voila/render/notebooks/retiree_credit.ipynb?{query}")
    finally:
        server.stop()

    assert status == 200, server.output()
    assert "正在加载…" in page  # our template (index.html.j2), found where the wheel put it
    assert "深圳 70岁：每月到账 251.00 元" in page  # computed by the installed package's kernel
    found = installed.run(
        "-c", "from yibao_lib.serving import find_template; print(find_template('yibao'))",
        cwd=project,
    )  # fmt: skip
    assert found.stdout.strip() == str(installed.prefix / TEMPLATE), found.stderr


def test_wheel_declares_every_package_the_library_and_apps_import(wheel):
    """`pip install .` brings what yibao_lib imports: each third-party module comes from a declared
    dependency (or one of theirs), and the pinned versions in requirements.txt satisfy the ranges."""
    import ast
    import importlib.metadata as metadata
    import re

    from packaging.requirements import Requirement

    with zipfile.ZipFile(wheel) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        lines = archive.read(name).decode().splitlines()
    declared = [
        Requirement(line.split(":", 1)[1]) for line in lines if line.startswith("Requires-Dist:")
    ]
    runtime = [r for r in declared if r.marker is None]  # extras (lab) are optional
    for requirement in runtime:
        assert requirement.specifier.contains(metadata.version(requirement.name)), requirement

    def canonical(project: str) -> str:
        return re.sub(r"[-_.]+", "-", project).lower()

    provided, queue = set(), [r.name for r in runtime]
    while queue:  # the declared dependencies and theirs
        project = canonical(queue.pop())
        if project in provided:
            continue
        provided.add(project)
        for text in metadata.requires(project) or []:
            dependency = Requirement(text)
            if dependency.marker is None or dependency.marker.evaluate({"extra": ""}):
                queue.append(dependency.name)

    imported = set()
    for path in (ROOT / "yibao_lib").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    distributions = metadata.packages_distributions()
    third_party = {m for m in imported if m in distributions and m != "yibao_lib"}
    missing = {m: distributions[m] for m in third_party
               if not {canonical(d) for d in distributions[m]} & provided}  # fmt: skip
    assert third_party and not missing
