"""What the Voilà server itself imports (voila.json names it): a kernel client whose heartbeat
channel cannot hang the server.

For every page, Voilà opens a kernel client, runs the notebook and then stops the client's
channels on the server's only thread. One of them, the heartbeat channel, is a thread that pings
the kernel; jupyter_client's ``HBChannel.stop()`` joins that thread with no timeout. If the
thread is stuck in a ping that never completes, the whole server stops answering — every
visitor, every page, even Ctrl-C.

Measured here on 2026-11-26 (docs/performance.md): in the benchmark's culling run a kernel lost
the race for its heartbeat port ("ZMQError: Address already in use": jupyter_client picks free
TCP ports, then the kernel binds them; in between, something else took the port), and a few
seconds later the Voilà server hung for good in ``HBChannel.stop``. voila.json therefore sets
the kernels' transport to ``ipc`` (Unix sockets named after each kernel: no ports to race for,
and no kernel port open to other users of the machine), and this class bounds the wait whatever
the cause.
"""

from __future__ import annotations

import importlib
import json
import logging
import sys
from pathlib import Path

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.channels import HBChannel
from traitlets import Type

log = logging.getLogger("yibao.serving")

__all__ = [
    "BoundedHBChannel",
    "KernelClient",
    "check_voila_setup",
    "pass_tornado_settings_to_tornado",
    "setup_problems",
]


class BoundedHBChannel(HBChannel):
    """A heartbeat channel whose ``stop()`` waits at most ``stop_timeout`` seconds for its thread.

    A thread still stuck after that is a daemon thread: it is left behind (and logged) rather
    than blocking the server.
    """

    stop_timeout = 5.0

    def stop(self) -> None:
        self._running = False
        self._exit.set()
        self.join(self.stop_timeout)
        if self.is_alive():
            log.warning(
                "heartbeat channel for %s did not stop within %.0f s; left behind",
                self.address, self.stop_timeout,
            )  # fmt: skip
            return
        self.close()


class KernelClient(AsyncKernelClient):
    """jupyter_client's asyncio kernel client with :class:`BoundedHBChannel`.

    Set in voila.json as ``AsyncKernelManager.client_class = "yibao_lib.serving.KernelClient"``.
    """

    hb_channel_class = Type(BoundedHBChannel)  # type: ignore[assignment]


# --------------------------------------------------------------------------------------------
# Start-up checks (voila.py, beside voila.json, calls check_voila_setup when Voilà starts)

PROJECT_ROOT_FILES = ("voila.json", "notebooks")
TEMPLATE_FILES = ("conf.json", "index.html.j2")


def find_template(name: str) -> Path | None:
    """The folder of Voilà template ``name`` on the Jupyter data path, as Voilà looks it up."""
    from jupyter_core.paths import jupyter_path

    for folder in jupyter_path("voila", "templates", name):
        candidate = Path(folder)
        if all((candidate / file).is_file() for file in TEMPLATE_FILES):
            return candidate
    return None


def setup_problems(settings: dict) -> list[str]:
    """What keeps a server with these voila.json ``settings`` from serving the apps (empty: nothing).

    Checked: the template (``VoilaConfiguration.template``) is on the Jupyter data path, and every
    class the settings name (``client_class`` and the like) imports.  Without the check Voilà
    starts anyway and then hangs on every page (no template) or answers HTTP 500 (no class).
    """
    from jupyter_core.paths import jupyter_path

    problems = []
    name = settings.get("VoilaConfiguration", {}).get("template")
    if name and find_template(name) is None:
        searched = "\n".join(f"    {folder}" for folder in jupyter_path("voila", "templates", name))
        problems.append(
            f"找不到 Voilà 模板“{name}”（voila.json 的 VoilaConfiguration.template）。\n"
            f"Voilà template {name!r} not found; searched:\n{searched}\n"
            f"  Fix: `pip install .` in the project root installs it into "
            f"{Path(sys.prefix) / 'share/jupyter/voila/templates' / name};\n"
            "  with an editable install run `make venv` (it links the template into .venv),\n"
            "  or put the project's templates on the path: "
            "JUPYTER_PATH=<project>/share/jupyter voila …"
        )
    for section, values in settings.items():
        if not isinstance(values, dict):
            continue
        for key, value in values.items():
            if key.endswith("_class") and isinstance(value, str) and "." in value:
                problem = _import_problem(value)
                if problem:
                    problems.append(
                        f"voila.json 的 {section}.{key} = {value!r} 无法导入：{problem}\n"
                        f"{section}.{key} = {value!r} cannot be imported ({problem}).\n"
                        "  Fix: install the project in this environment: `pip install .` "
                        "in the project root (or `make run`)."
                    )
    return problems


def _import_problem(dotted: str) -> str | None:
    module_name, _, attribute = dotted.rpartition(".")
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        return f"{type(error).__name__}: {error}"
    if not hasattr(module, attribute):
        return f"{module_name} has no {attribute!r}"
    return None


def check_voila_setup(config_file: str | Path) -> None:
    """Called by voila.py when Voilà loads the project's settings: stop now if they cannot work.

    Exits the process (status 1) with a message when :func:`setup_problems` finds anything.  In
    the standalone server, ``voila notebooks/x.ipynb`` from the project root then serves the
    whole project (the apps link to each other, which one-notebook mode cannot follow).
    """
    config_file = Path(config_file)
    settings_file = config_file.with_name("voila.json")
    settings = json.loads(settings_file.read_text(encoding="utf-8"))
    problems = setup_problems(settings)
    if problems:
        sys.exit(
            f"yibao: Voilà 无法按 {settings_file} 提供应用 / cannot serve the apps:\n\n"
            + "\n\n".join(problems)
        )
    _serve_project_for_one_notebook(config_file.parent)


def _serve_project_for_one_notebook(project: Path) -> None:
    """``voila notebooks/index.ipynb``: serve the project folder, so links between the apps work."""
    voila_app = sys.modules.get("voila.app")  # imported by a standalone Voilà; not imported here:
    if voila_app is None or not voila_app.Voila.initialized():  # a server extension, or no Voilà
        return
    app = voila_app.Voila.instance()
    if not app.notebook_path or not all((project / f).exists() for f in PROJECT_ROOT_FILES):
        return
    notebook = Path(app.notebook_path).resolve()
    if not notebook.is_relative_to(project.resolve()):
        return
    relative = notebook.relative_to(project.resolve()).as_posix()
    app.notebook_path = ""
    app.root_dir = str(project.resolve())
    app.log.warning(
        "yibao: serving the whole project folder %s, so that the apps' links work; "
        "the notebook is at /voila/render/%s on the address below", app.root_dir, relative,
    )  # fmt: skip


def pass_tornado_settings_to_tornado() -> None:
    """Let standalone Voilà's ``tornado_settings`` reach tornado's ``Application`` constructor.

    Voilà 0.5.13 builds ``tornado.web.Application(**init_settings())`` and only then updates its
    settings with ``Voila.tornado_settings``; tornado reads ``compress_response`` in the
    constructor, so voila.json's gzip setting did nothing (measured in docs/performance.md: a first
    visit received 5.0 MB, none of it compressed). voila.py calls this at start-up; the
    server-extension mode (``jupyter server``, Binder) reads ``ServerApp.tornado_settings`` itself.
    """
    from voila.app import Voila

    original = Voila.init_settings
    if getattr(original, "_yibao_passes_tornado_settings", False):
        return

    def init_settings(self) -> dict:
        return {**original(self), **self.tornado_settings}

    init_settings._yibao_passes_tornado_settings = True
    Voila.init_settings = init_settings
