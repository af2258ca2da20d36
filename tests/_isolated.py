"""Throw-away Python environments for tests that must not see the source tree's yibao_lib.

``bare_env(folder)`` is a venv (no pip of its own) that reuses the packages of the venv running
the tests through a ``.pth`` line, so it is fast and needs no download.  Only the *site* folder's
own ``.pth`` files run, not those of a folder a ``.pth`` line adds: the editable install of
yibao_lib (an import hook started by a ``.pth`` file in .venv) is therefore not active there, and
``import yibao_lib`` fails until a wheel is installed into the env.  Jupyter's data folders
(Voilà's own templates, the kernel spec, lab extensions) are linked from the test venv's
``share/jupyter``, all but our ``yibao`` template: that must come from what is installed.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.error
import urllib.request
import venv
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = Path("share/jupyter/voila/templates/yibao")
# what a user's project folder holds to serve the apps (no package source, no templates)
PROJECT_FILES = ("voila.json", "voila.py", "notebooks")
SCRIPTS = {"voila": "voila.app", "jupyter-server": "jupyter_server.serverapp"}
SKIPPED = {".git", ".venv", "build", "test-artifacts", "__pycache__", ".ipynb_checkpoints",
           ".pytest_cache", ".ruff_cache", ".hypothesis"}  # fmt: skip


@dataclass
class Env:
    prefix: Path

    @property
    def python(self) -> Path:
        return self.prefix / "bin" / "python"

    def script(self, name: str) -> str:
        return str(self.prefix / "bin" / name)

    @property
    def site_packages(self) -> Path:
        return (
            self.prefix
            / "lib"
            / f"python{sys.version_info.major}.{sys.version_info.minor}"
            / "site-packages"
        )

    def run(self, *args: str, cwd: Path, **kwargs) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(self.python), *args], cwd=cwd, env=clean_environment(), capture_output=True,
            text=True, timeout=kwargs.pop("timeout", 300), **kwargs,
        )  # fmt: skip


def clean_environment(**extra: str) -> dict[str, str]:
    """os.environ without what would put the source tree or its templates on a path."""
    drop = {"PYTHONPATH", "JUPYTER_PATH", "JUPYTER_CONFIG_PATH", "YIBAO_DATA_DIR", "VIRTUAL_ENV"}
    env = {key: value for key, value in os.environ.items() if key not in drop}
    return {**env, **extra}


def bare_env(folder: Path) -> Env:
    """A venv in ``folder`` with the test venv's packages but neither yibao_lib nor its template."""
    venv.EnvBuilder(with_pip=False, symlinks=True).create(folder)
    env = Env(folder)
    here = Path(sysconfig.get_paths()["purelib"])
    (env.site_packages / "test-venv-packages.pth").write_text(f"{here}\n", encoding="utf-8")

    source, target = Path(sys.prefix) / "share" / "jupyter", folder / "share" / "jupyter"
    for item in source.iterdir():
        if item.name != "voila":
            (target / item.name).parent.mkdir(parents=True, exist_ok=True)
            (target / item.name).symlink_to(item)
    for item in (source / "voila").iterdir():
        if item.name != "templates":
            (target / "voila" / item.name).parent.mkdir(parents=True, exist_ok=True)
            (target / "voila" / item.name).symlink_to(item)
    # console scripts, as pip writes them (`python -m voila` in a folder holding voila.py would
    # import that file as the voila package: the current folder comes first on sys.path)
    for script, module in SCRIPTS.items():
        path = folder / "bin" / script
        path.write_text(
            f"#!{env.python}\nimport sys\nfrom {module} import main\nsys.exit(main())\n",
            encoding="utf-8",
        )
        path.chmod(0o755)
    templates = target / "voila" / "templates"
    templates.mkdir(parents=True, exist_ok=True)
    for item in (source / "voila" / "templates").iterdir():
        if item.name != TEMPLATE.name:
            (templates / item.name).symlink_to(item)
    return env


def copy_repository(target: Path) -> Path:
    """The repository's files (as a clean clone has them: no venv, no build output) in ``target``."""
    listed = subprocess.run(
        ["git", "-C", str(ROOT), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        capture_output=True,
    )  # fmt: skip
    if listed.returncode == 0:
        for name in filter(None, listed.stdout.decode().split("\0")):
            source = ROOT / name
            if source.is_file():
                (target / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target / name)
    else:  # not a git checkout
        shutil.copytree(ROOT, target, ignore=lambda _dir, names: [
            n for n in names if n in SKIPPED or n.endswith(".egg-info")
        ])  # fmt: skip
    return target


def build_wheel(source: Path, out: Path) -> Path:
    """``pip wheel`` of the project in ``source`` (a copy: building writes build/ and egg-info)."""
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(source)],
        check=True, capture_output=True, text=True, timeout=600, env=clean_environment(),
    )  # fmt: skip
    (wheel,) = out.glob("yibao_lib-*.whl")
    return wheel


def install_wheel(env: Env, wheel: Path) -> None:
    """Install ``wheel`` into ``env`` without its dependencies (the test venv's serve).

    pip runs as the env's own interpreter, so it installs into the env and leaves the test
    venv's editable yibao_lib alone (``--ignore-installed``: nothing anywhere is uninstalled).
    """
    result = env.run(
        "-m", "pip", "install", "--no-deps", "--ignore-installed", "--no-index", "--quiet",
        "--disable-pip-version-check", str(wheel), cwd=wheel.parent,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def project_folder(target: Path) -> Path:
    """A folder like the one a user serves the apps from: voila.json, voila.py and notebooks/."""
    target.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(
                source, target / name, ignore=shutil.ignore_patterns(".ipynb_checkpoints")
            )
        else:
            shutil.copy2(source, target / name)
    return target


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str, timeout: float = 120, headers: dict[str, str] | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


class Server:
    """A server process started in its own process group; ``stop()`` ends it and its kernels."""

    def __init__(self, argv: list[str], cwd: Path, env: dict[str, str], log: Path):
        self.log_path = log
        self._log = log.open("wb")
        self.process = subprocess.Popen(
            argv, cwd=cwd, env=env, stdout=self._log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip

    def wait_until_answers(self, url: str, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(
                    f"server exited with {self.process.returncode}:\n{self.output()}"
                )
            try:
                with urllib.request.urlopen(url, timeout=2):
                    return
            except urllib.error.HTTPError:
                return  # it answers
            except (urllib.error.URLError, OSError):
                time.sleep(0.3)
        raise AssertionError(f"no answer from {url} within {timeout} s:\n{self.output()}")

    def output(self) -> str:
        if not self._log.closed:
            self._log.flush()
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        """SIGTERM (the server shuts its kernels down); whatever is left after that is killed."""
        import psutil

        try:
            children = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            children = []
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        _, alive = psutil.wait_procs(children, timeout=10)
        for child in alive:
            child.kill()
        self._log.close()
