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

import logging

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.channels import HBChannel
from traitlets import Type

log = logging.getLogger("yibao.serving")

__all__ = ["BoundedHBChannel", "KernelClient"]


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
