"""Check that Binder can build and serve the apps, the way repo2docker does it, on this machine.

    .venv/bin/python scripts/check_binder.py        (CI runs it: .ci/run)

Steps, each timed:
  1. copy the repository's files (tracked and new, not ignored) to a folder under /tmp;
  2. a fresh venv there with the Python that binder/runtime.txt names (this interpreter's base;
     repo2docker would install that version), then `pip install -r binder/requirements.txt`
     (pip's cache makes a repeat run fast);
  3. binder/postBuild, in the copy, with the venv first on PATH and NB_PYTHON_PREFIX set;
  4. `jupyter server` from the copy with the Voilà server extension (what Binder runs, the
     `urlpath` being voila/render/…), on a free loopback port, with a token;
  5. headless Chromium (Debian's /usr/bin/chromium, through Playwright from the venv running this
     script) loads the home page and the 退休人员每月划入 app for 深圳, 70 岁, and waits for the
     result to show.
Exits 0 when everything worked, 1 (with the server's log) when not.  `--keep` keeps the folder.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
HOME_PAGE = "voila/render/notebooks/index.ipynb"
APP_PAGE = "voila/render/notebooks/retiree_credit.ipynb?region=%E6%B7%B1%E5%9C%B3&age=70"
EXPECTED_MONTHLY = "251.00 元"  # 深圳, 70 岁 (tests/cases)
PAGE_TIMEOUT_MS = 90_000


class CheckFailed(Exception):
    pass


def step(name: str, timings: list[tuple[str, float]]):
    class _Step:
        def __enter__(self):
            print(f"==> {name}", flush=True)
            self.start = time.monotonic()

        def __exit__(self, *exc):
            timings.append((name, time.monotonic() - self.start))

    return _Step()


def run(argv: list[str], **kwargs) -> None:
    result = subprocess.run(argv, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        raise CheckFailed(
            f"{' '.join(map(str, argv))} exited {result.returncode}:\n{result.stdout}{result.stderr}"
        )


def copy_repository(target: Path) -> None:
    listed = subprocess.run(
        ["git", "-C", str(ROOT), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        capture_output=True, check=True,
    )  # fmt: skip
    for name in filter(None, listed.stdout.decode().split("\0")):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


def base_python() -> str:
    runtime = (ROOT / "binder" / "runtime.txt").read_text(encoding="utf-8").strip()
    wanted = re.fullmatch(r"python-(\d+)\.(\d+)", runtime)
    if not wanted:
        raise CheckFailed(f"binder/runtime.txt says {runtime!r}, not python-X.Y")
    version = (int(wanted[1]), int(wanted[2]))
    if sys.version_info[:2] != version:
        raise CheckFailed(f"binder/runtime.txt wants Python {runtime}; this is {sys.version}")
    return getattr(sys, "_base_executable", sys.executable)


def environment(prefix: Path) -> dict[str, str]:
    drop = {"PYTHONPATH", "JUPYTER_PATH", "JUPYTER_CONFIG_PATH", "VIRTUAL_ENV", "YIBAO_DATA_DIR"}
    env = {key: value for key, value in os.environ.items() if key not in drop}
    env["PATH"] = f"{prefix / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["NB_PYTHON_PREFIX"] = str(prefix)
    return env


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_server(process: subprocess.Popen, url: str, log: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise CheckFailed(
                f"jupyter server exited with {process.returncode}:\n{log.read_text()}"
            )
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return
        except (urllib.error.URLError, OSError):
            time.sleep(0.5)
    raise CheckFailed(f"jupyter server did not answer {url} within {timeout} s:\n{log.read_text()}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
    try:  # anything left in the server's process group
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def load_pages(base: str, token: str) -> list[str]:
    """Home page and one app in headless Chromium; returns what each showed."""
    from playwright.sync_api import sync_playwright

    shown = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
            page = context.new_page()
            page.goto(f"{base}/{HOME_PAGE}?token={token}", timeout=PAGE_TIMEOUT_MS)
            page.wait_for_selector(
                "a[href*='retiree_credit.ipynb']", state="attached", timeout=PAGE_TIMEOUT_MS
            )  # fmt: skip
            title = page.locator("h1").first.inner_text(timeout=PAGE_TIMEOUT_MS)
            shown.append(f"home page: {title.rstrip('¶')}")

            page.goto(f"{base}/{APP_PAGE}&token={token}", timeout=PAGE_TIMEOUT_MS)
            page.wait_for_function(
                "(value) => { const big = document.querySelector('.yb-result .yb-monthly');"
                " return big !== null && big.textContent.trim() === value; }",
                arg=EXPECTED_MONTHLY,
                timeout=PAGE_TIMEOUT_MS,
            )
            result = page.locator(".yb-result").first.inner_text()
            shown.append(f"retiree_credit 深圳 70: {' '.join(result.split())[:80]}")
        finally:
            browser.close()
    return shown


def check(work: Path, timings: list[tuple[str, float]]) -> list[str]:
    repo, prefix = work / "repo", work / "env"
    with step(f"copy the repository to {repo}", timings):
        copy_repository(repo)
    env = environment(prefix)
    with step("fresh venv + pip install -r binder/requirements.txt", timings):
        run([base_python(), "-m", "venv", str(prefix)])
        run(
            [str(prefix / "bin" / "python"), "-m", "pip", "install", "--disable-pip-version-check",
             "--quiet", "-r", "binder/requirements.txt"],
            cwd=repo, env=env, timeout=1800,
        )  # fmt: skip
    with step("binder/postBuild", timings):
        run(["bash", "binder/postBuild"], cwd=repo, env=env, timeout=900)
        probe = subprocess.run(
            [str(prefix / "bin" / "python"), "-c", "import yibao_lib; print(yibao_lib.__file__)"],
            cwd=work, env=env, capture_output=True, text=True,
        )  # fmt: skip
        location = Path(probe.stdout.strip())
        if probe.returncode != 0 or not location.is_relative_to(prefix):
            raise CheckFailed(
                f"yibao_lib is not installed in {prefix}: {probe.stdout}{probe.stderr}"
            )

    port, token = free_port(), secrets.token_hex(16)
    argv = [str(prefix / "bin" / "jupyter"), "server", "--no-browser",
            "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0"]  # fmt: skip
    if os.geteuid() == 0:
        argv.append("--allow-root")
    log = work / "jupyter-server.log"
    with step("jupyter server + Voilà, pages in headless Chromium", timings):
        with log.open("wb") as out:
            server = subprocess.Popen(
                argv, cwd=repo, env={**env, "JUPYTER_TOKEN": token}, stdout=out,
                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
            )  # fmt: skip
        try:
            base = f"http://127.0.0.1:{port}"
            wait_for_server(server, f"{base}/api/status", log)
            try:
                return load_pages(base, token)
            except Exception as error:
                raise CheckFailed(f"{error}\n--- jupyter server log:\n{log.read_text()}") from None
        finally:
            stop(server)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true", help="keep the folder under /tmp")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="yibao-binder-"))
    timings: list[tuple[str, float]] = []
    try:
        shown = check(work, timings)
    except CheckFailed as error:
        print(f"FAILED: Binder check: {error}", file=sys.stderr)
        print(f"失败：按 Binder 的方式构建并打开应用没有成功（{work}）。", file=sys.stderr)
        return 1
    finally:
        for name, seconds in timings:
            print(f"    {seconds:7.1f} s  {name}")
        print(f"    {sum(s for _, s in timings):7.1f} s  total")
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    for line in shown:
        print(f"    shown: {line}")
    print("Binder check: passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
