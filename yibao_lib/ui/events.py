"""Callbacks: never a traceback for a visitor (:func:`guarded`), and drawing after the cell
(:func:`after_cell`)."""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable

from ..errors import YibaoError
from .html import GENERIC_ERROR

log = logging.getLogger("yibao.ui")


def guarded(show_error: Callable[[str], None]):
    """Decorator for callbacks: library errors show their Chinese message, anything else a
    generic Chinese apology; never a traceback, never a half-updated number."""

    def wrap(fn):
        @functools.wraps(fn)
        def inner(*args, **kwargs):
            try:
                return fn(*args, **kwargs)
            except YibaoError as exc:
                show_error(str(exc))
            except Exception:  # a visitor must never see a traceback
                log.exception("unexpected error in %s", fn.__name__)
                show_error(GENERIC_ERROR)
            return None

        return inner

    return wrap


def _kernel_loop():
    """The kernel's running event loop, or None outside a Jupyter kernel (another library's loop,
    such as Playwright's in the test process, must not be used)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    shell = get_ipython()
    if shell is None or getattr(shell, "kernel", None) is None:
        return None
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


AFTER_CELL_DELAY = 0.3  # seconds: past the last cells of a notebook, well inside the browser's load


def after_cell(fn: Callable[[], None]) -> None:
    """Run ``fn`` as soon as the notebook cell now running has finished.

    Voilà sends the page once every cell has run; the browser then spends a second or more loading
    its scripts before it asks the kernel for the widgets. An app that draws its first charts here
    instead of while its cell runs hides that drawing in the browser's wait (measured in
    docs/performance.md). Outside a kernel (unit tests, scripts) there is no running event loop
    and ``fn`` runs at once.

    Not later than that: a value set after the kernel has answered the browser's request for the
    widgets' state, but before the browser has made its models, is dropped by the browser, so a
    chart drawn then can stay blank (tried 2026-12-03, docs/performance.md).
    """
    loop = _kernel_loop()
    if loop is None:
        fn()
        return
    # Not call_soon: that runs before the kernel reports the cell idle (Voilà waits for idle), and
    # a short delay also lets the cells after the app run first.
    loop.call_later(AFTER_CELL_DELAY, fn)
