"""The Voilà server's kernel client (yibao_lib/serving.py) cannot hang the server.

For every page Voilà stops the kernel client's channels on its only thread. jupyter_client's
heartbeat channel joins its thread with no timeout, so a heartbeat thread stuck in a ping that
never completes stops the whole server, for good (seen in the benchmark, stack in
docs/performance.md). Here the stuck ping is simulated (an await that never completes); each
case runs in a child process, so the stuck thread cannot hold up pytest.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import asyncio, os, sys, threading, time
import zmq.asyncio
from jupyter_client.channels import HBChannel
from jupyter_client.session import Session
from yibao_lib.serving import BoundedHBChannel, KernelClient

base = BoundedHBChannel if sys.argv[1] == "bounded" else HBChannel
assert KernelClient.hb_channel_class.default_value is BoundedHBChannel

class StuckPing(base):
    stop_timeout = 1.0

    async def _async_run(self):
        self._running = True
        await asyncio.get_running_loop().create_future()  # a ping that never completes

channel = StuckPing(zmq.asyncio.Context(), Session(), "tcp://127.0.0.1:9")
channel.start()
time.sleep(0.3)
stopper = threading.Thread(target=channel.stop, daemon=True)
started = time.perf_counter()
stopper.start()
stopper.join(6)
print("HUNG" if stopper.is_alive() else "STOPPED", f"{time.perf_counter() - started:.2f}", flush=True)
os._exit(0)  # the stuck thread must not hold up the exit
"""


def stop_outcome(kind: str) -> tuple[str, float]:
    completed = subprocess.run(
        [sys.executable, "-c", CHILD, kind], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    words = completed.stdout.split()
    assert len(words) == 2, completed.stderr[-2000:]
    return words[0], float(words[1])


def test_stock_heartbeat_channel_hangs_on_a_stuck_ping():
    """Why the guard exists: the stock channel's stop() does not return (6 s here; for ever)."""
    outcome, _seconds = stop_outcome("stock")

    assert outcome == "HUNG"


def test_bounded_heartbeat_channel_stops_anyway():
    outcome, seconds = stop_outcome("bounded")

    assert outcome == "STOPPED" and 0.9 <= seconds < 4
