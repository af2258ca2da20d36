"""The served apps, measured the way a visitor meets them: Voilà + headless Chromium.

Starts its own standalone Voilà the way ``make run`` does (project root, voila.json, our template,
a free loopback port, ``port_retries=0``), drives Debian's /usr/bin/chromium with Playwright, and
prints one table.  Every figure is a median of several runs beside a baseline measured in the same
run — the trivial notebook ``benchmarks/trivial.ipynb`` (one slider, one label) is the floor that
Voilà itself costs — because this 2-core machine is noisy.

Sections (``--only`` picks some):

* ``tti``        time to interactive: navigation start → the app's ``.yb-result`` visible with
                 text (the trivial notebook: its slider and label visible); plus the kernel's RSS
                 once the kernel has gone quiet (charts drawn after the cell included), CPU
                 spent per load, and where the time went.
* ``latency``    a new age typed into ``.yb-input-age input`` → ``.yb-result`` changed, and
                 → result and charts settled; in retiree_credit also a new region typed into
                 ``.yb-input-region input``, measured the same way; baseline: the trivial
                 slider → label.
* ``concurrent`` N visitors (default 20) opening apps at the same moment.
* ``culling``    a second server with a short ``cull_idle_timeout``: M visits (default 100) opened
                 and closed without shutting their kernels down; the kernels must be culled and
                 the server's memory must come back to within 10 % of where it started.
* ``transfer``   bytes the browser received (DevTools ``Network.loadingFinished``
                 ``encodedDataLength`` per request, plus the websocket's messages as sent) and
                 requests, first visit (new browser context) and repeat visit (same context: its
                 HTTP cache warm); what a first visit receives by kind; its biggest responses.
* ``network``    time to interactive under Chromium's "Slow 4G" emulation (150 ms, 1.6 Mbit/s
                 down, 750 kbit/s up), first and repeat visit, beside the trivial notebook's.
* ``preheat``    (only when named) a second server with ``preheat_kernel``: time to interactive
                 beside the plain server's floor; 100 loads in a row and 20 at once of links
                 with different figures, each checked for its own figure (hung / wrong pages).

Targets (issue 4): each app ≤ 1.3 × the floor; latency median ≤ 100 ms, p95 ≤ 200 ms; kernel RSS
≤ 120 MiB; all concurrent pages render with 0 errors; kernels freed; memory within 10 %.
Issue 10: retiree_credit ≤ 1.5 MB first visit, ≤ 150 kB repeat; Slow 4G each app ≤ 1.3 × the
floor and a first visit < 8 s; preheated ≤ 0.6 × the plain floor with 0 hung or wrong pages.
A missed target is printed as MISSED; the exit status is 0 all the same (this is a report).

Run:  .venv/bin/python benchmarks/bench_served.py            (≈ 25 min on 2 cores)
      .venv/bin/python benchmarks/bench_served.py --quick    (≈ 7 min)
      … --runs 7 --only tti,latency --json test-artifacts/bench_served.json
      … --voila-arg=--VoilaConfiguration.preheat_kernel=True  (try a server option)
      … --only transfer,network
      … --only preheat
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import dataclasses
import datetime
import importlib.util
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import zlib
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
TRIVIAL = "benchmarks/trivial.ipynb"
MIB = 1024 * 1024

TTI_RATIO_TARGET = 1.3
LATENCY_MEDIAN_TARGET_MS = 100.0
LATENCY_P95_TARGET_MS = 200.0
KERNEL_RSS_TARGET_MIB = 120.0
MEMORY_RETURN_TARGET = 1.10
AGES = [62, 75, 66, 85, 71, 90, 68, 80, 64, 77, 95, 70]  # alternate across age bands
# The region change (retiree_credit): each change a place not shown before in the visit, so no
# chart the app keeps is reused; fixed amounts, age bands and shares of an average pension.
REGIONS = ["深圳市", "上海市", "广州市", "杭州市", "成都市", "武汉市", "南宁市", "长沙市", "西安市",
           "郑州市", "昆明市", "沈阳市", "济南市", "福州市", "合肥市", "南京市", "贵阳市", "兰州市",
           "太原市", "南昌市", "石家庄市", "哈尔滨市", "长春市", "呼和浩特市"]
REGION_LATENCY_APPS = ("notebooks/retiree_credit.ipynb",)  # apps whose region input is a Combobox


def _load_conftest():
    """tests/browser/conftest.py holds the one definition of how the apps are served (the command
    ``make run`` runs, its environment, Chromium's flags, "Voilà has finished").  Load it by path
    so the benchmark serves exactly what the tests serve."""
    path = ROOT / "tests" / "browser" / "conftest.py"
    spec = importlib.util.spec_from_file_location("yibao_browser_conftest", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SERVING = _load_conftest()


# --------------------------------------------------------------------------------------------
# the server and its kernels


class Server:
    """A standalone Voilà started like ``make run``, plus optional extra command-line options."""

    def __init__(self, extra_args: list[str], label: str):
        self.extra_args = list(extra_args)
        self.label = label
        self.process: subprocess.Popen | None = None
        self.base_url = ""
        self.log_path = Path(tempfile.mkstemp(prefix=f"voila-{label}-", suffix=".log")[1])

    def start(self, timeout_s: float = 60) -> None:
        for _attempt in range(3):
            port = SERVING._free_loopback_port()
            self.base_url = f"http://127.0.0.1:{port}"
            command = SERVING.voila_command("127.0.0.1", port) + self.extra_args
            with open(self.log_path, "ab") as log:
                self.process = subprocess.Popen(
                    command,
                    cwd=ROOT,
                    env=SERVING.voila_environment(),
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            deadline = time.monotonic() + timeout_s
            while time.monotonic() < deadline and self.process.poll() is None:
                if SERVING._answers(self.base_url + "/"):
                    return
                time.sleep(0.2)
            self.stop()
            if "no available port" not in self.log_path.read_text(errors="replace"):
                break
        raise RuntimeError(f"Voilà ({self.label}) did not start; log: {self.log_path}")

    def stop(self) -> None:
        if self.process is not None:
            SERVING._stop_server(self.process)

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def kernels(self) -> dict[str, psutil.Process]:
        """Kernel processes of this server by kernel id (from ``-f …/kernel-<id>.json``)."""
        found = {}
        try:
            children = psutil.Process(self.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            return found
        for child in children:
            try:
                cmdline = " ".join(child.cmdline())
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
            match = re.search(r"kernel-([0-9a-f-]{36})\.json", cmdline)
            if match and "ipykernel" in cmdline:
                found[match.group(1)] = child
        return found

    def server_rss(self) -> int:
        return psutil.Process(self.pid).memory_info().rss

    def answers(self, timeout_s: float = 15) -> bool:
        """Whether the server still serves a static file (no kernel involved): a server whose
        only thread is blocked (see yibao_lib/serving.py) does not."""
        try:
            with urllib.request.urlopen(
                self.base_url + "/voila/templates/yibao/static/voila-style.js", timeout=timeout_s
            ) as response:
                return response.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def total_rss(self) -> int:
        total = self.server_rss()
        for process in self.kernels().values():
            with contextlib.suppress(psutil.NoSuchProcess):
                total += process.memory_info().rss
        return total

    def server_cpu(self) -> float:
        times = psutil.Process(self.pid).cpu_times()
        return times.user + times.system

    def shutdown_kernel(self, kernel_id: str) -> int:
        return SERVING.shutdown_kernel(self.base_url, kernel_id)

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


# --------------------------------------------------------------------------------------------
# pages


# Resolves to performance.now() (ms since navigation start) once the page is interactive:
# an app's .yb-result is visible and has text; the trivial notebook's slider and label are shown;
# a page without .yb-result (the home page) counts once Voilà has finished and .yb-app is shown.
READY_JS = """() => {
  const visible = (el) => !!el && el.getClientRects().length > 0;
  if (location.pathname.endsWith('/benchmarks/trivial.ipynb')) {
    const slider = document.querySelector('.widget-slider');
    const label = [...document.querySelectorAll('.widget-label')].find((el) => el.textContent.includes('当前值'));
    return visible(slider) && visible(label) ? performance.now() : false;
  }
  const result = document.querySelector('.yb-result');
  if (result) {
    return visible(result) && result.innerText.trim() ? performance.now() : false;
  }
  return (VOILA_READY)() && visible(document.querySelector('.yb-app')) ? performance.now() : false;
}""".replace("VOILA_READY", SERVING.VOILA_READY_JS)

NAV_TIMING_JS = """() => {
  const n = performance.getEntriesByType('navigation')[0];
  const res = performance.getEntriesByType('resource');
  return {response_start: n.responseStart, response_end: n.responseEnd,
          dom_content_loaded: n.domContentLoadedEventEnd, load: n.loadEventEnd,
          requests: res.length + 1,
          bytes: res.reduce((s, e) => s + (e.transferSize || 0), 0) + (n.transferSize || 0),
          decoded_bytes: res.reduce((s, e) => s + (e.decodedBodySize || 0), 0) + (n.decodedBodySize || 0)};
}"""

KERNEL_ID_JS = """() => { const el = document.getElementById('jupyter-config-data');
  return el ? JSON.parse(el.textContent).kernelId || null : null; }"""


@dataclasses.dataclass
class Visit:
    notebook: str
    context: object = None
    page: object = None
    ok: bool = False
    tti_ms: float | None = None
    wall_s: float | None = None
    kernel_id: str | None = None
    timing: dict = dataclasses.field(default_factory=dict)
    errors: list = dataclasses.field(default_factory=list)
    requests: list = dataclasses.field(default_factory=list)


def _watch(page, visit: Visit) -> None:
    def on_console(message):
        if message.type == "error":
            visit.errors.append(f"console.error: {message.text[:200]}")

    def on_failed(request):
        failure = request.failure or ""
        if "ERR_ABORTED" not in failure:
            visit.errors.append(f"request failed: {request.url} ({failure})")

    def on_response(response):
        if response.status >= 400:
            visit.errors.append(f"HTTP {response.status}: {response.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: visit.errors.append(f"uncaught: {error}"))
    page.on("requestfailed", on_failed)
    page.on("response", on_response)
    page.on("request", lambda request: visit.requests.append(request.url))


async def open_visit(browser, server: Server, notebook: str, timeout_s: float) -> Visit:
    """A fresh browser context (cold cache, like a first-time visitor) opening one notebook."""
    visit = Visit(notebook)
    visit.context = await browser.new_context(
        locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1280, "height": 900}
    )
    visit.page = await visit.context.new_page()
    _watch(visit.page, visit)
    started = time.perf_counter()
    try:
        await visit.page.goto(
            f"{server.base_url}/voila/render/{notebook}",
            wait_until="commit",
            timeout=timeout_s * 1000,
        )
        handle = await visit.page.wait_for_function(
            READY_JS, polling="raf", timeout=timeout_s * 1000
        )
        visit.tti_ms = float(await handle.json_value())
        visit.wall_s = time.perf_counter() - started
        visit.timing = await visit.page.evaluate(NAV_TIMING_JS)
        visit.kernel_id = await visit.page.evaluate(KERNEL_ID_JS)
        visit.ok = True
    except Exception as error:  # a timeout is a result too (a hung load)
        visit.wall_s = time.perf_counter() - started
        visit.errors.append(f"not ready: {type(error).__name__}: {str(error).splitlines()[0]}")
        with contextlib.suppress(Exception):  # bounded: a page of a hung server never settles
            visit.kernel_id = await asyncio.wait_for(visit.page.evaluate(KERNEL_ID_JS), 5)
    return visit


async def close_visit(server: Server, visit: Visit, shutdown: bool = True) -> None:
    with contextlib.suppress(Exception):
        await asyncio.wait_for(visit.context.close(), 30)
    if shutdown and visit.kernel_id:
        await asyncio.to_thread(server.shutdown_kernel, visit.kernel_id)


# --------------------------------------------------------------------------------------------
# statistics and the table


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def p95(values):
    values = sorted(v for v in values if v is not None)
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    # nearest-rank p95 (with 20 samples: the 19th) — no interpolation beyond what was seen
    rank = max(1, round(0.95 * len(values) + 0.4999))
    return values[min(rank, len(values)) - 1]


@dataclasses.dataclass
class Row:
    measure: str
    median: float | None
    p95: float | None = None
    baseline: float | None = None
    unit: str = ""
    target: str = ""
    ok: bool | None = None  # None: no target (information or baseline)
    note: str = ""

    @property
    def ratio(self):
        if self.median is None or not self.baseline:
            return None
        return self.median / self.baseline


def _fmt(value, unit):
    if value is None:
        return "—"
    if unit == "s":
        return f"{value:.2f} s"
    if unit == "ms":
        return f"{value:.0f} ms"
    if unit == "MiB":
        return f"{value:.0f} MiB"
    if unit == "MB":
        return f"{value:.2f} MB"
    if unit == "x":
        return f"{value:.2f}×"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.1f}{(' ' + unit) if unit else ''}"
    return f"{int(value)}{(' ' + unit) if unit else ''}"


def print_table(rows: list[Row], out=sys.stdout) -> None:
    header = ("measure", "median", "p95", "baseline", "ratio", "target", "ok")
    cells = []
    for row in rows:
        ok = "—" if row.ok is None else ("ok" if row.ok else "MISSED")
        cells.append((
            row.measure, _fmt(row.median, row.unit), _fmt(row.p95, row.unit),
            _fmt(row.baseline, row.unit), "—" if row.ratio is None else f"{row.ratio:.2f}×",
            row.target or "—", ok,
        ))  # fmt: skip
    widths = [max(_width(c[i]) for c in [header, *cells]) for i in range(len(header))]
    line = "| " + " | ".join(_pad(h, w) for h, w in zip(header, widths, strict=True)) + " |"
    print(line, file=out)
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|", file=out)
    for c in cells:
        print(
            "| " + " | ".join(_pad(x, w) for x, w in zip(c, widths, strict=True)) + " |", file=out
        )
    notes = [f"  * {r.measure}: {r.note}" for r in rows if r.note]
    if notes:
        print("\n".join(notes), file=out)


def _width(text: str) -> int:
    # CJK characters take two columns in a terminal
    return sum(2 if "\u2e80" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


# --------------------------------------------------------------------------------------------
# sections


def discover_apps() -> list[str]:
    """Every notebook in notebooks/, looked up at run time (the apps are added one by one)."""
    return sorted(str(p.relative_to(ROOT)) for p in (ROOT / "notebooks").glob("*.ipynb"))


def short(notebook: str) -> str:
    return Path(notebook).stem


async def section_tti(browser, server: Server, apps, args, results, rows) -> dict:
    """Time to interactive, kernel memory and CPU per load, one visit at a time."""
    notebooks = [TRIVIAL, *apps]
    samples = {nb: [] for nb in notebooks}
    # warm-up: the first render after start compiles templates; a visitor rarely pays that
    for nb in notebooks if args.warmup_all else [TRIVIAL]:
        visit = await open_visit(browser, server, nb, args.timeout)
        await close_visit(server, visit)
    for run in range(args.runs):
        order = notebooks if run % 2 == 0 else list(reversed(notebooks))  # spread drift
        for nb in order:
            await asyncio.sleep(args.pause)
            cpu_before = server.server_cpu()
            visit = await open_visit(browser, server, nb, args.timeout)
            sample = {"ok": visit.ok, "tti_ms": visit.tti_ms, "wall_s": visit.wall_s,
                      "errors": visit.errors[:5], **visit.timing}  # fmt: skip
            sample["server_cpu_s"] = server.server_cpu() - cpu_before
            if visit.kernel_id:
                process = server.kernels().get(visit.kernel_id)
                if process is not None:
                    # work deferred past the page (charts drawn after the cell) counts too
                    await wait_quiet(process, args.settle)
                    with contextlib.suppress(psutil.NoSuchProcess):
                        info = process.memory_full_info()
                        times = process.cpu_times()
                        sample.update(rss_mib=info.rss / MIB, uss_mib=info.uss / MIB,
                                      pss_mib=getattr(info, "pss", 0) / MIB,
                                      kernel_cpu_s=times.user + times.system)  # fmt: skip
            samples[nb].append(sample)
            await close_visit(server, visit)
            status = (
                f"{visit.tti_ms / 1000:.2f} s"
                if visit.ok
                else "FAILED " + "; ".join(visit.errors[:2])
            )
            print(f"  tti run {run + 1}/{args.runs} {short(nb):20} {status}", flush=True)

    def col(nb, key):
        return [s.get(key) for s in samples[nb] if s.get("ok") and s.get(key) is not None]

    floor = median(col(TRIVIAL, "tti_ms"))
    rows.append(Row("time to interactive: trivial.ipynb (floor)", _s(floor), _s(p95(col(TRIVIAL, "tti_ms"))),
                    unit="s", note="baseline: Voilà's own cost for one slider"))  # fmt: skip
    for nb in apps:
        value = median(col(nb, "tti_ms"))
        failures = sum(1 for s in samples[nb] if not s["ok"])
        ok = (
            value is not None
            and floor is not None
            and value <= TTI_RATIO_TARGET * floor
            and not failures
        )
        rows.append(Row(f"time to interactive: {short(nb)}", _s(value), _s(p95(col(nb, "tti_ms"))),
                        _s(floor), "s", f"≤ {TTI_RATIO_TARGET}× floor", ok,
                        f"{failures} of {len(samples[nb])} loads did not finish" if failures else ""))  # fmt: skip
    base_rss = median(col(TRIVIAL, "rss_mib"))
    rows.append(Row("kernel RSS after load: trivial.ipynb", base_rss, unit="MiB",
                    note="baseline: an ipykernel with ipywidgets"))  # fmt: skip
    for nb in apps:
        value = median(col(nb, "rss_mib"))
        rows.append(Row(f"kernel RSS after load: {short(nb)}", value, max(col(nb, "rss_mib"), default=None),
                        base_rss, "MiB", f"≤ {KERNEL_RSS_TARGET_MIB:.0f} MiB",
                        value is not None and value <= KERNEL_RSS_TARGET_MIB))  # fmt: skip
    results["tti"] = samples
    return {nb: {k: median(col(nb, k)) for k in (
        "tti_ms", "response_start", "response_end", "dom_content_loaded", "load", "rss_mib",
        "uss_mib", "pss_mib", "kernel_cpu_s", "server_cpu_s", "requests", "bytes", "decoded_bytes")}
        for nb in notebooks}  # fmt: skip


async def wait_quiet(process: psutil.Process, settle_s: float, limit_s: float = 8.0) -> None:
    """Wait until the kernel has used < 20 ms of CPU for ``settle_s`` (at most ``limit_s``)."""
    started = time.perf_counter()
    with contextlib.suppress(psutil.NoSuchProcess):
        before = sum(process.cpu_times()[:2])
        while time.perf_counter() - started < limit_s:
            await asyncio.sleep(settle_s)
            now = sum(process.cpu_times()[:2])
            if now - before < 0.02:
                return
            before = now


def _s(ms):
    return None if ms is None else ms / 1000


# Changes the input, then resolves with {result, settled} in ms: when .yb-result's text changed,
# and when the result and every chart had stopped changing for `quiet` ms.
LATENCY_JS = """async ({kind, value, quiet, timeout}) => {
  const watched = kind === 'slider'
      ? [[...document.querySelectorAll('.widget-label')].find((el) => el.textContent.includes('当前值'))]
      : [document.querySelector('.yb-result'), ...document.querySelectorAll('.yb-chart')];
  const result = watched[0];  // the label / .yb-result (not whichever comes first on the page)
  const before = result.innerText;
  let t0 = null, last = null, resultAt = null;
  const observer = new MutationObserver(() => {
    if (t0 === null) return;
    last = performance.now();
    if (resultAt === null && result.innerText !== before) resultAt = last;
  });
  for (const el of watched) {
    observer.observe(el, {subtree: true, childList: true, characterData: true, attributes: true});
  }
  if (kind === 'slider') {
    const handle = document.querySelector('.widget-slider .noUi-handle');
    t0 = performance.now();
    handle.dispatchEvent(new KeyboardEvent('keydown', {key: value > 0 ? 'ArrowRight' : 'ArrowLeft',
                                                       bubbles: true, cancelable: true}));
  } else {
    const input = document.querySelector(kind === 'region' ? '.yb-input-region input' : '.yb-input-age input');
    input.value = String(value);
    t0 = performance.now();
    input.dispatchEvent(new Event('change', {bubbles: true}));
  }
  return await new Promise((resolve) => {
    const timer = setInterval(() => {
      const now = performance.now();
      if (resultAt !== null && now - last >= quiet) {
        clearInterval(timer); observer.disconnect();
        resolve({result: resultAt - t0, settled: last - t0});
      } else if (now - t0 > timeout) {
        clearInterval(timer); observer.disconnect();
        resolve({error: 'no change within ' + timeout + ' ms', text: result.innerText.slice(0, 120)});
      }
    }, 5);
  });
}"""


def _latency_key(nb: str, kind: str) -> str:
    """Where a latency series is kept in the results: the notebook (age, slider), or
    ``notebook#region`` for the region change."""
    return f"{nb}#region" if kind == "region" else nb


async def section_latency(browser, server: Server, apps, args, results, rows) -> None:
    measured = {}
    targets = [(TRIVIAL, "slider")] + [(nb, "age") for nb in apps]
    targets += [(nb, "region") for nb in apps if nb in REGION_LATENCY_APPS]
    for nb, kind in targets:
        where = _latency_key(nb, kind)
        visit = await open_visit(browser, server, nb, args.timeout)
        try:
            if not visit.ok:
                measured[where] = {"error": "; ".join(visit.errors[:2])}
                continue
            if kind == "age" and not await visit.page.query_selector(".yb-input-age input"):
                continue  # this app has no age input
            samples = []
            for i in range(args.latency_runs + 2):  # two warm-ups: first callback imports/caches
                value = (1 if i % 2 == 0 else -1) if kind == "slider" else AGES[i % len(AGES)]
                if kind == "age" and i > 0 and AGES[i % len(AGES)] == AGES[(i - 1) % len(AGES)]:
                    value += 1
                if kind == "region":
                    value = REGIONS[i % len(REGIONS)]
                outcome = await visit.page.evaluate(
                    LATENCY_JS,
                    {"kind": kind, "value": value, "quiet": args.quiet_ms, "timeout": 10000},
                )
                if i >= 2:
                    samples.append(outcome)
                await asyncio.sleep(0.05)
            measured[where] = {"samples": samples, "errors": visit.errors[:5]}
            print(f"  latency {short(nb):20} {len(samples)} {kind} changes", flush=True)
        finally:
            await close_visit(server, visit)
    results["latency"] = measured

    def col(nb, key):
        return [s[key] for s in measured.get(nb, {}).get("samples", []) if key in s]

    base = median(col(TRIVIAL, "result"))
    rows.append(Row("latency: trivial slider → label (baseline)", base, p95(col(TRIVIAL, "result")),
                    unit="ms", note="baseline: one comm round trip + a Label redraw"))  # fmt: skip
    for nb, kind in targets[1:]:
        where = _latency_key(nb, kind)
        if where not in measured:
            continue
        if "error" in measured[where]:
            rows.append(Row(f"latency: {short(nb)}", None, target="page did not load", ok=False,
                            note=measured[where]["error"]))  # fmt: skip
            continue
        failures = sum(1 for s in measured[where]["samples"] if "error" in s)
        target = f"≤ {LATENCY_MEDIAN_TARGET_MS:.0f} / p95 ≤ {LATENCY_P95_TARGET_MS:.0f} ms"
        for key, what in (
            ("result", f"{kind} → .yb-result text"),
            ("settled", f"{kind} → result+chart settled"),
        ):
            values = col(where, key)
            m, p = median(values), p95(values)
            ok = (m is not None and m <= LATENCY_MEDIAN_TARGET_MS and p <= LATENCY_P95_TARGET_MS
                  and not failures)  # fmt: skip
            rows.append(Row(f"latency: {short(nb)} {what}", m, p, base, "ms", target, ok,
                            f"{failures} changes gave no update" if failures and key == "result" else ""))  # fmt: skip


async def section_concurrent(browser, server: Server, apps, args, results, rows) -> None:
    count = args.concurrent
    notebooks = [apps[i % len(apps)] for i in range(count)]
    kernels_before = len(server.kernels())
    started = time.perf_counter()
    visits = await asyncio.gather(
        *(open_visit(browser, server, nb, args.timeout * 2) for nb in notebooks)
    )
    elapsed = time.perf_counter() - started
    alive = len(server.kernels()) - kernels_before
    total_rss = server.total_rss() / MIB
    rendered = sum(v.ok for v in visits)
    errors = [e for v in visits for e in v.errors]
    waits = [v.wall_s for v in visits if v.ok]
    for visit in visits:
        await close_visit(server, visit)
    results["concurrent"] = {
        "visitors": count, "rendered": rendered, "errors": errors, "waits_s": [v.wall_s for v in visits],
        "elapsed_s": elapsed, "kernels_alive": alive, "server_plus_kernels_rss_mib": total_rss,
        "notebooks": notebooks,
    }  # fmt: skip
    print(
        f"  {count} at once: {rendered} rendered, {len(errors)} errors, {elapsed:.1f} s", flush=True
    )
    rows.append(Row(f"{count} visitors at once: pages rendered", rendered, unit="", target=f"= {count}",
                    ok=rendered == count))  # fmt: skip
    rows.append(Row(f"{count} visitors at once: errors", len(errors), unit="", target="= 0",
                    ok=not errors, note="; ".join(sorted(set(errors))[:3])))  # fmt: skip
    rows.append(Row(f"{count} visitors at once: wait (median / p95 / slowest in note)", median(waits),
                    p95(waits), unit="s",
                    note=f"slowest visitor waited {max(waits):.1f} s; {alive} kernels alive, "
                         f"server+kernels RSS {total_rss:.0f} MiB" if waits else ""))  # fmt: skip


def _hung_row(server: Server, stats: dict) -> Row:
    return Row("culling server still answering", None, unit="", target="yes", ok=False,
               note=f"stopped answering after {stats['attempted']} visits; log {server.log_path}")  # fmt: skip


async def section_culling(browser, apps, args, results, rows) -> None:
    idle = args.cull_idle
    server = Server(
        [f"--MappingKernelManager.cull_idle_timeout={idle}",
         f"--MappingKernelManager.cull_interval={args.cull_interval}"],
        "culling",
    )  # fmt: skip
    server.start()
    try:
        pristine = server.server_rss() / MIB

        async def wait_freed(limit_s):
            started = time.perf_counter()
            while server.kernels() and time.perf_counter() - started < limit_s:
                await asyncio.sleep(0.5)
            return time.perf_counter() - started, len(server.kernels())

        async def run_visits(notebooks, label, checkpoint=None):
            """Open ``notebooks`` in batches, close each tab without shutting its kernel down
            (culling must free it). ``checkpoint(attempted)`` runs after each batch."""
            stats = {"rendered": 0, "errors": [], "peak": 0, "attempted": 0, "hung": False}
            started = time.perf_counter()
            for first in range(0, len(notebooks), args.batch):
                if time.perf_counter() - started > args.culling_budget:
                    print(f"  {label}: time budget of {args.culling_budget:.0f} s used up after "
                          f"{first} visits", flush=True)  # fmt: skip
                    break
                batch = notebooks[first : first + args.batch]
                stats["attempted"] += len(batch)
                visits = await asyncio.gather(
                    *(open_visit(browser, server, nb, args.timeout) for nb in batch)
                )
                stats["peak"] = max(stats["peak"], len(server.kernels()))
                stats["rendered"] += sum(v.ok for v in visits)
                stats["errors"] += [e for v in visits for e in v.errors]
                for visit in visits:
                    await close_visit(server, visit, shutdown=False)
                if not await asyncio.to_thread(server.answers):
                    stats["hung"] = True
                    print(f"  {label}: the server stopped answering after {stats['attempted']} "
                          f"visits; log: {server.log_path}", flush=True)  # fmt: skip
                    break
                if (first // args.batch) % 5 == 4:
                    print(f"  {label}: {first + len(batch)}/{len(notebooks)} visits, "
                          f"{len(server.kernels())} kernels alive", flush=True)  # fmt: skip
                if checkpoint is not None:
                    await checkpoint(stats["attempted"])
            return stats

        # warm-up: visits like the measured ones (same batches), left to culling. A fresh server
        # grows over its first few dozen pages (templates compiled, imports, allocator arenas
        # sized for a batch) and is flat after; "before" is read once that is done, so the
        # measured visits show leaks, not first use.
        warm = [apps[i % len(apps)] for i in range(args.warmup_visits)]
        warm_stats = await run_visits(warm, "culling warm-up")
        if warm_stats["hung"]:
            rows.append(_hung_row(server, warm_stats))
            return
        await wait_freed(idle + args.cull_interval + 60)
        await asyncio.sleep(2)
        start_rss = server.server_rss() / MIB

        notebooks = [apps[i % len(apps)] for i in range(args.visits)]
        mid = {"rss": None, "visits": 0}

        async def half_way(attempted):
            # half-way: let culling catch up and note the memory, to tell a leak (still growing
            # in the second half) from a server that has warmed up (flat)
            if mid["rss"] is None and attempted >= len(notebooks) // 2:
                await wait_freed(idle + args.cull_interval + 60)
                await asyncio.sleep(2)
                mid["rss"], mid["visits"] = server.server_rss() / MIB, attempted

        started = time.perf_counter()
        stats = await run_visits(notebooks, "culling", half_way)
        if stats["hung"]:
            rows.append(_hung_row(server, stats))
            return
        rendered, errors, peak, attempted = (
            stats["rendered"], stats["errors"], stats["peak"], stats["attempted"]
        )
        mid_rss, mid_visits = mid["rss"], mid["visits"]
        visits_s = time.perf_counter() - started
        freed_s, left = await wait_freed(idle + args.cull_interval + 60)
        await asyncio.sleep(2)
        end_rss = server.server_rss() / MIB
        ratio = end_rss / start_rss
        results["culling"] = {
            "visits_planned": len(notebooks), "visits": attempted, "rendered": rendered,
            "errors": errors, "visits_s": visits_s, "peak_kernels": peak, "kernels_left": left,
            "warmup_visits": warm_stats["attempted"], "warmup_rendered": warm_stats["rendered"],
            "freed_after_s": freed_s, "server_rss_pristine_mib": pristine,
            "server_rss_start_mib": start_rss, "server_rss_mid_mib": mid_rss,
            "mid_visits": mid_visits, "server_rss_end_mib": end_rss, "cull_idle_timeout_s": idle,
        }  # fmt: skip
        n = attempted
        short_note = (
            f"; only {n} of {len(notebooks)} visits fit the time budget"
            if n < len(notebooks)
            else ""
        )
        rows.append(Row(f"{n} visits opened+closed: rendered", rendered, unit="",
                        target=f"= {len(notebooks)}", ok=rendered == len(notebooks),
                        note=f"{len(errors)} errors; peak {peak} kernels alive; batches of {args.batch}; "
                             f"{visits_s:.0f} s{short_note}"))  # fmt: skip
        rows.append(Row(f"{n} visits: kernels left after culling", left, unit="", target="= 0",
                        ok=left == 0,
                        note=f"all freed {freed_s:.0f} s after the last tab closed "
                             f"(cull_idle_timeout {idle} s, cull_interval {args.cull_interval} s)"))  # fmt: skip
        rows.append(Row(f"{n} visits: server RSS after / before (MiB)", end_rss, None, start_rss,
                        "MiB", f"≤ {MEMORY_RETURN_TARGET:.2f}×", ratio <= MEMORY_RETURN_TARGET,
                        f"before = after {warm_stats['attempted']} warm-up visits were culled; freshly started: "
                        f"{pristine:.0f} MiB; after {mid_visits} visits: "
                        + ("—" if mid_rss is None else f"{mid_rss:.0f} MiB (second half: "
                           f"{end_rss - mid_rss:+.1f} MiB)")))  # fmt: skip
    finally:
        server.stop()


# --------------------------------------------------------------------------------------------
# what the browser receives, and time to interactive on a phone network

# Chromium DevTools' "Slow 4G" profile: 150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up
# (Network.emulateNetworkConditions takes bytes per second).
SLOW_4G = {"offline": False, "latency": 150, "downloadThroughput": 200_000,
           "uploadThroughput": 93_750}  # fmt: skip
FIRST_VISIT_TARGET_BYTES = 1_500_000
REPEAT_VISIT_TARGET_BYTES = 150_000
NETWORK_FIRST_VISIT_TARGET_S = 8.0
HEAVY_APP = "retiree_credit"  # the app the transfer targets name


def _kind(mime: str, url: str) -> str:
    if "html" in mime:
        return "html"
    if "javascript" in mime or url.split("?")[0].endswith((".js", ".mjs")):
        return "js"
    if "css" in mime:
        return "css"
    if "font" in mime or url.split("?")[0].endswith((".woff", ".woff2", ".ttf", ".otf", ".eot")):
        return "font"
    if "json" in mime:
        return "json"
    return "other"


class NetLog:
    """The bytes one page's loads received, from the DevTools protocol's Network events:
    ``Network.loadingFinished``'s ``encodedDataLength`` is what came over the wire for a request
    (headers + body as sent, i.e. compressed; a 304 or a cache hit is its headers or nothing).
    WebSocket frames are counted apart (their payload after any permessage-deflate)."""

    def __init__(self, cdp, base_url: str):
        self.base_url = base_url
        self.reset()
        cdp.on("Network.requestWillBeSent", self._sent)
        cdp.on("Network.responseReceived", self._response)
        cdp.on("Network.dataReceived", self._data)
        cdp.on("Network.loadingFinished", self._finished)
        cdp.on("Network.loadingFailed", self._failed)
        cdp.on("Network.webSocketFrameReceived", self._ws_frame)
        cdp.on("Network.webSocketHandshakeResponseReceived", self._ws_handshake)

    def reset(self) -> None:
        self.requests: dict[str, dict] = {}
        self.inflight: set[str] = set()
        self.ws_bytes = 0
        self.ws_frames = 0
        self.ws_extensions = ""
        # DevTools shows frames decompressed: permessage-deflate's size is estimated by deflating
        # them again the way the server does (one raw-deflate stream, context kept, sync flush)
        self._ws_deflate = zlib.compressobj(6, zlib.DEFLATED, -15)
        self.ws_deflated = 0
        self.last_event = time.perf_counter()

    def _touch(self):
        self.last_event = time.perf_counter()

    def _sent(self, p):
        url = p["request"]["url"]
        if not url.startswith(("http:", "https:")):
            return
        self._touch()
        entry = self.requests.setdefault(p["requestId"], {"url": url, "encoded": 0, "decoded": 0})
        entry["url"] = url
        self.inflight.add(p["requestId"])

    def _response(self, p):
        self._touch()
        entry = self.requests.get(p["requestId"])
        if entry is None:
            return
        response = p["response"]
        headers = {k.lower(): v for k, v in response.get("headers", {}).items()}
        entry.update(status=response.get("status"), mime=response.get("mimeType", ""),
                     encoding=headers.get("content-encoding", ""),
                     cache_control=headers.get("cache-control", ""),
                     from_cache=bool(response.get("fromDiskCache") or response.get("fromPrefetchCache")))  # fmt: skip

    def _data(self, p):
        self._touch()
        entry = self.requests.get(p["requestId"])
        if entry is not None:
            entry["decoded"] += p.get("dataLength", 0)

    def _finished(self, p):
        self._touch()
        entry = self.requests.get(p["requestId"])
        if entry is not None:
            entry["encoded"] = p.get("encodedDataLength", 0)
        self.inflight.discard(p["requestId"])

    def _failed(self, p):
        self._touch()
        entry = self.requests.get(p["requestId"])
        if entry is not None:
            entry["failed"] = p.get("errorText", "failed")
        self.inflight.discard(p["requestId"])

    def _ws_frame(self, p):
        self._touch()
        payload = p["response"].get("payloadData", "")
        self.ws_frames += 1
        # text frames: UTF-8 length; binary frames arrive base64-encoded
        binary = p["response"].get("opcode") == 2
        data = base64.b64decode(payload) if binary else payload.encode("utf-8")
        self.ws_bytes += len(data)
        self.ws_deflated += len(self._ws_deflate.compress(data)) + len(
            self._ws_deflate.flush(zlib.Z_SYNC_FLUSH)
        )

    def _ws_handshake(self, p):
        headers = {k.lower(): v for k, v in p["response"].get("headers", {}).items()}
        self.ws_extensions = headers.get("sec-websocket-extensions", "")

    async def settled(self, quiet_s: float = 1.0, limit_s: float = 20.0) -> None:
        """Wait until no request is in flight and nothing happened for ``quiet_s``."""
        started = time.perf_counter()
        while time.perf_counter() - started < limit_s:
            if not self.inflight and time.perf_counter() - self.last_event >= quiet_s:
                return
            await asyncio.sleep(0.1)

    def summary(self) -> dict:
        entries = list(self.requests.values())
        by_kind: dict[str, int] = {}
        for e in entries:
            kind = _kind(e.get("mime", ""), e["url"])
            by_kind[kind] = by_kind.get(kind, 0) + e["encoded"]
        origin = self.base_url.rstrip("/")
        return {
            "requests": len(entries),
            "bytes": sum(e["encoded"] for e in entries),
            "decoded_bytes": sum(e["decoded"] for e in entries),
            "compressed_responses": sum(1 for e in entries if e.get("encoding")),
            "by_kind": by_kind,
            "ws_bytes": self.ws_bytes,
            "ws_frames": self.ws_frames,
            "ws_extensions": self.ws_extensions,
            # what the websocket brought over the wire: deflated when the server agreed to it
            "ws_wire_bytes": self.ws_deflated if "permessage-deflate" in self.ws_extensions
            else self.ws_bytes,
            "external": sorted({e["url"] for e in entries if not e["url"].startswith(origin)}),
            "failed": [e["url"] for e in entries if e.get("failed")],
            "responses": sorted(
                ({"url": e["url"][len(origin):], "encoded": e["encoded"], "decoded": e["decoded"],
                  "status": e.get("status"), "encoding": e.get("encoding", ""),
                  "mime": e.get("mime", ""), "cache_control": e.get("cache_control", "")}
                 for e in entries),
                key=lambda e: -e["encoded"],
            ),
        }  # fmt: skip


async def logged_page(browser, server: Server, throttle: dict | None = None):
    """A new browser context (an empty HTTP cache: a first-time visitor) with one page whose
    network traffic is logged — and throttled, when ``throttle`` is given — through CDP."""
    context = await browser.new_context(
        locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1280, "height": 900}
    )
    page = await context.new_page()
    cdp = await context.new_cdp_session(page)
    log = NetLog(cdp, server.base_url)
    await cdp.send("Network.enable")
    if throttle:
        await cdp.send("Network.emulateNetworkConditions", throttle)
    return context, page, log


async def timed_load(page, log: NetLog, server: Server, notebook: str, timeout_s: float,
                     query: str = "", expect: str | None = None, settle: bool = True) -> dict:  # fmt: skip
    """Navigate ``page`` to the notebook; the time to interactive and what was received (after
    the page's traffic settled); the page's kernel is shut down afterwards.  With ``expect``:
    ``wrong`` says whether the result lacked that text (within 15 s of being interactive).
    ``settle=False``: no wait for the traffic to stop (the bytes are then not all counted)."""
    log.reset()
    url = f"{server.base_url}/voila/render/{notebook}" + (f"?{query}" if query else "")
    sample: dict = {"ok": False}
    started = time.perf_counter()
    try:
        await page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
        handle = await page.wait_for_function(READY_JS, polling="raf", timeout=timeout_s * 1000)
        sample["tti_ms"] = float(await handle.json_value())
        sample["wall_s"] = time.perf_counter() - started
        sample["ok"] = True
    except Exception as error:  # a timeout is a result too (a hung load)
        sample["error"] = f"{type(error).__name__}: {str(error).splitlines()[0]}"
    if expect is not None and sample["ok"]:
        try:
            await page.wait_for_function(EXPECT_JS, arg=[expect], timeout=15_000)
            sample["wrong"] = False
        except Exception:
            sample["wrong"] = True
            with contextlib.suppress(Exception):
                sample["text"] = await page.evaluate(
                    "() => (document.querySelector('.yb-result') || document.body).innerText"
                )
    if settle:
        await log.settled()
    sample.update(log.summary())
    kernel_id = None
    with contextlib.suppress(Exception):
        kernel_id = await asyncio.wait_for(page.evaluate(KERNEL_ID_JS), 5)
    if kernel_id:
        await asyncio.to_thread(server.shutdown_kernel, kernel_id)
    return sample


async def first_and_repeat(browser, server: Server, notebook: str, timeout_s: float,
                           throttle: dict | None = None) -> tuple[dict, dict]:  # fmt: skip
    """A first visit (new context) and a repeat visit (the same context: its HTTP cache warm)."""
    context, page, log = await logged_page(browser, server, throttle)
    try:
        first = await timed_load(page, log, server, notebook, timeout_s)
        # a visitor coming back: about:blank first, so it is a new navigation, not a reload
        await page.goto("about:blank")
        repeat = await timed_load(page, log, server, notebook, timeout_s)
    finally:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(context.close(), 30)
    return first, repeat


async def section_transfer(browser, server: Server, apps, args, results, rows) -> dict:
    """Bytes received and requests, first and repeat visit, no throttling."""
    notebooks = [TRIVIAL, *apps]
    measured = {}
    for nb in notebooks:
        first, repeat = await first_and_repeat(browser, server, nb, args.timeout)
        measured[nb] = {"first": first, "repeat": repeat}
        print(f"  transfer {short(nb):20} first {first['bytes'] / 1e6:.2f} MB in "
              f"{first['requests']} requests ({first['compressed_responses']} compressed), "
              f"repeat {repeat['bytes'] / 1e3:.0f} kB in {repeat['requests']}", flush=True)  # fmt: skip
    results["transfer"] = measured
    def received(sample):  # HTTP over the wire + the websocket's messages (as sent)
        return sample["bytes"] + sample["ws_wire_bytes"]

    def detail(sample):
        ws = sample["ws_extensions"] or "not compressed"
        return (f"{sample['requests']} requests ({sample['compressed_responses']} compressed): "
                f"{sample['bytes'] / 1e3:.0f} kB, {sample['decoded_bytes'] / 1e3:.0f} kB decoded; "
                f"websocket {sample['ws_wire_bytes'] / 1e3:.0f} kB ({sample['ws_bytes'] / 1e3:.0f} kB "
                f"of messages, {ws})" + ("" if sample["ok"] else f"; load failed: {sample.get('error')}"))  # fmt: skip

    base = measured[TRIVIAL]
    rows.append(Row("first visit received: trivial.ipynb (floor)", received(base["first"]) / 1e6,
                    unit="MB", note=detail(base["first"])))  # fmt: skip
    rows.append(Row("repeat visit received: trivial.ipynb (floor)", received(base["repeat"]) / 1e3,
                    unit="kB", note=detail(base["repeat"])))  # fmt: skip
    for nb in apps:
        heavy = short(nb) == HEAVY_APP
        for visit, scale, unit, target in (("first", 1e6, "MB", FIRST_VISIT_TARGET_BYTES),
                                           ("repeat", 1e3, "kB", REPEAT_VISIT_TARGET_BYTES)):  # fmt: skip
            got = measured[nb][visit]
            rows.append(Row(
                f"{visit} visit received: {short(nb)}", received(got) / scale, None,
                received(base[visit]) / scale, unit,
                f"≤ {target / scale:.{1 if visit == 'first' else 0}f} {unit}" if heavy else "",
                (received(got) <= target and got["ok"]) if heavy else None,
                detail(got),
            ))  # fmt: skip
    external = sorted({u for m in measured.values() for v in m.values() for u in v["external"]})
    rows.append(Row("requests to other servers (all pages)", len(external), unit="", target="= 0",
                    ok=not external, note="; ".join(external[:3])))  # fmt: skip
    return measured


def transfer_table(measured: dict, out=sys.stdout) -> None:
    """What a first visit receives, by kind (kB over the wire), and the biggest responses."""
    print("\nwhat a first visit receives (kB over the wire; decoded = HTTP after decompression):",
          file=out)  # fmt: skip
    kinds = ("html", "js", "css", "font", "json", "other")
    head = ("notebook", "requests", *kinds, "total", "decoded", "websocket")
    lines = [head]
    for nb, m in measured.items():
        f = m["first"]
        lines.append((short(nb), str(f["requests"]),
                      *(f"{f['by_kind'].get(k, 0) / 1e3:.0f}" for k in kinds),
                      f"{f['bytes'] / 1e3:.0f}", f"{f['decoded_bytes'] / 1e3:.0f}",
                      f"{f['ws_wire_bytes'] / 1e3:.0f}"))  # fmt: skip
    widths = [max(_width(str(line[i])) for line in lines) for i in range(len(head))]
    for line in lines:
        print("  " + "  ".join(_pad(str(c), w) for c, w in zip(line, widths, strict=True)),
              file=out)  # fmt: skip
    heavy = next((nb for nb in measured if short(nb) == HEAVY_APP), list(measured)[-1])
    print(f"\nbiggest responses, first visit of {short(heavy)} (kB over the wire / decoded):",
          file=out)  # fmt: skip
    for e in measured[heavy]["first"]["responses"][:12]:
        print(f"  {e['encoded'] / 1e3:7.1f} / {e['decoded'] / 1e3:7.1f}  {e['encoding'] or '-':5}"
              f"  {e['url'][:110]}", file=out)  # fmt: skip


async def section_network(browser, server: Server, apps, args, results, rows) -> None:
    """Time to interactive under Chromium's "Slow 4G" emulation, first and repeat visit."""
    notebooks = [TRIVIAL, *apps]
    samples = {nb: {"first": [], "repeat": []} for nb in notebooks}
    for run in range(args.network_runs):
        order = notebooks if run % 2 == 0 else list(reversed(notebooks))
        for nb in order:
            await asyncio.sleep(args.pause)
            first, repeat = await first_and_repeat(
                browser, server, nb, args.timeout * 2, throttle=SLOW_4G
            )
            for key, sample in (("first", first), ("repeat", repeat)):
                samples[nb][key].append({k: sample.get(k) for k in
                                         ("ok", "tti_ms", "wall_s", "error", "bytes", "requests")})  # fmt: skip
            status = " / ".join(
                f"{s['tti_ms'] / 1000:.2f} s" if s["ok"] else f"FAILED {s.get('error')}"
                for s in (first, repeat)
            )
            print(f"  slow 4G run {run + 1}/{args.network_runs} {short(nb):20} first / repeat {status}",
                  flush=True)  # fmt: skip
    results["network"] = samples

    def col(nb, key):
        return [s["tti_ms"] for s in samples[nb][key] if s["ok"]]

    for key, what in (("first", "first visit"), ("repeat", "repeat visit")):
        floor = median(col(TRIVIAL, key))
        rows.append(Row(f"slow 4G {what}: trivial.ipynb (floor)", _s(floor),
                        _s(p95(col(TRIVIAL, key))), unit="s",
                        note="baseline: Voilà's own cost for one slider on the same network"))  # fmt: skip
        for nb in apps:
            value = median(col(nb, key))
            failures = sum(1 for s in samples[nb][key] if not s["ok"])
            ok = (value is not None and floor is not None and value <= TTI_RATIO_TARGET * floor
                  and not failures
                  and (key != "first" or value <= NETWORK_FIRST_VISIT_TARGET_S * 1000))  # fmt: skip
            target = f"≤ {TTI_RATIO_TARGET}× floor" + (
                f", < {NETWORK_FIRST_VISIT_TARGET_S:.0f} s" if key == "first" else ""
            )
            rows.append(Row(f"slow 4G {what}: {short(nb)}", _s(value), _s(p95(col(nb, key))),
                            _s(floor), "s", target, ok,
                            f"{failures} of {len(samples[nb][key])} loads did not finish" if failures else ""))  # fmt: skip


# --------------------------------------------------------------------------------------------
# preheated kernels (VoilaConfiguration.preheat_kernel)

PREHEAT_ARGS = ["--VoilaConfiguration.preheat_kernel=True"]
PREHEAT_TTI_TARGET = 0.6  # × the plain server's one-slider floor
# Links whose figure differs, to tell a page that got another visitor's inputs (a wrong page)
PREHEAT_LINKS = [("notebooks/retiree_credit.ipynb", "region=北京&age=70", "107.00 元"),
                 ("notebooks/retiree_credit.ipynb", "region=上海&age=75", "157.50 元")]  # fmt: skip
EXPECT_JS = """([text]) => { const r = document.querySelector('.yb-result');
  return !!r && r.innerText.includes(text); }"""


async def checked_load(browser, server: Server, notebook: str, query: str, expect: str | None,
                       timeout_s: float) -> dict:  # fmt: skip
    """One first visit: time to interactive, and whether the page shows ``expect`` (its link's
    figure). ``hung``: not interactive within ``timeout_s``; ``wrong``: interactive, other text."""
    context, page, log = await logged_page(browser, server)
    try:
        sample = await timed_load(page, log, server, notebook, timeout_s, query=query,
                                  expect=expect, settle=False)  # fmt: skip
    finally:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(context.close(), 30)
    sample["hung"] = not sample["ok"]
    return {k: sample.get(k) for k in ("ok", "hung", "wrong", "tti_ms", "wall_s", "error", "text")}


async def section_preheat(browser, server: Server, apps, args, results, rows) -> None:
    """A second server with preheated kernels: time to interactive beside the plain server's
    floor, and reliability — ``--preheat-loads`` in a row and ``--concurrent`` at once, each
    checked for its link's figure."""
    pre = Server(args.voila_arg + PREHEAT_ARGS, "preheat")
    pre.start()
    measured: dict = {"tti": {}, "in_a_row": [], "at_once": []}
    try:
        await asyncio.sleep(args.preheat_fill)  # the pools fill (each notebook pre-rendered)
        targets = [(TRIVIAL, "", None), *[(nb, "", None) for nb in apps]]
        samples = {("plain", TRIVIAL): []} | {("preheat", nb): [] for nb, _q, _e in targets}
        for run in range(args.runs):
            for nb, query, expect in targets if run % 2 == 0 else list(reversed(targets)):
                await asyncio.sleep(args.preheat_pause)  # the pool refills between loads
                samples[("preheat", nb)].append(
                    await checked_load(browser, pre, nb, query, expect, args.timeout)
                )
                if nb == TRIVIAL:
                    samples[("plain", TRIVIAL)].append(
                        await checked_load(browser, server, TRIVIAL, "", None, args.timeout)
                    )
            print(f"  preheat tti run {run + 1}/{args.runs}: " + ", ".join(
                f"{short(nb)} {s[-1]['tti_ms'] / 1000:.2f} s" if s[-1]["ok"] else f"{short(nb)} FAILED"
                for (_kind, nb), s in samples.items()), flush=True)  # fmt: skip
        measured["tti"] = {f"{kind}:{nb}": s for (kind, nb), s in samples.items()}

        for i in range(args.preheat_loads):
            nb, query, expect = PREHEAT_LINKS[i % len(PREHEAT_LINKS)]
            measured["in_a_row"].append(
                await checked_load(browser, pre, nb, query, expect, args.timeout)
            )
            if i % 20 == 19:
                bad = sum(1 for s in measured["in_a_row"] if not s["ok"] or s["wrong"])
                print(f"  preheat: {i + 1}/{args.preheat_loads} loads in a row, {bad} hung or wrong",
                      flush=True)  # fmt: skip
        await asyncio.sleep(args.preheat_fill)
        measured["at_once"] = await asyncio.gather(*(
            checked_load(browser, pre, *PREHEAT_LINKS[i % len(PREHEAT_LINKS)], args.timeout * 2)
            for i in range(args.concurrent)))  # fmt: skip
        print(f"  preheat: {args.concurrent} at once: "
              f"{sum(1 for s in measured['at_once'] if s['ok'] and not s['wrong'])} right", flush=True)  # fmt: skip
    finally:
        pre.stop()
    results["preheat"] = measured

    def col(kind, nb):
        return [s["tti_ms"] for s in samples[(kind, nb)] if s["ok"] and not s["wrong"]]

    floor = median(col("plain", TRIVIAL))
    rows.append(Row("preheat: plain server's trivial.ipynb (floor)", _s(floor),
                    _s(p95(col("plain", TRIVIAL))), unit="s",
                    note="the floor of the other rows: no preheat, measured in the same loop"))  # fmt: skip
    for nb, _q, _e in targets:
        value = median(col("preheat", nb))
        bad = sum(1 for s in samples[("preheat", nb)] if not s["ok"] or s["wrong"])
        ok = value is not None and floor is not None and value <= PREHEAT_TTI_TARGET * floor and not bad
        rows.append(Row(f"preheat: time to interactive, {short(nb)}", _s(value),
                        _s(p95(col("preheat", nb))), _s(floor), "s",
                        f"≤ {PREHEAT_TTI_TARGET}× floor", ok,
                        f"{bad} hung or wrong" if bad else ""))  # fmt: skip
    for key, what, count in (("in_a_row", "loads in a row", args.preheat_loads),
                             ("at_once", "at once", args.concurrent)):  # fmt: skip
        loads = measured[key]
        hung = sum(1 for s in loads if s["hung"])
        wrong = sum(1 for s in loads if s["ok"] and s["wrong"])
        waits = [s["wall_s"] for s in loads if s["ok"]]
        rows.append(Row(f"preheat: {count} {what} (retiree_credit links), right pages",
                        sum(1 for s in loads if s["ok"] and not s["wrong"]), unit="",
                        target=f"= {count}", ok=hung == 0 and wrong == 0 and len(loads) == count,
                        note=f"{hung} hung, {wrong} wrong; wait median {median(waits) or 0:.1f} s, "
                             f"slowest {max(waits, default=0):.1f} s; "
                             + "; ".join(sorted({str(s.get('error') or s.get('text'))[:80]
                                                 for s in loads if s['hung'] or s['wrong']})[:2])))  # fmt: skip


# --------------------------------------------------------------------------------------------


def breakdown_table(breakdown: dict, out=sys.stdout) -> None:
    """Where a load's time goes (medians, ms from navigation start) and what it costs."""
    print("\nwhere the time goes (medians; ms from navigation start):", file=out)
    head = ("notebook", "1st byte", "html done", "DOM ready", "interactive", "kernel CPU",
            "server CPU", "kernel USS", "requests", "MB sent")  # fmt: skip
    lines = [head]
    for nb, m in breakdown.items():

        def f(key, scale=1.0, fmt="{:.0f}", m=m):
            return "—" if m.get(key) is None else fmt.format(m[key] * scale)

        lines.append((short(nb), f("response_start"), f("response_end"), f("dom_content_loaded"),
                      f("tti_ms"), f("kernel_cpu_s", 1, "{:.2f} s"), f("server_cpu_s", 1, "{:.2f} s"),
                      f("uss_mib", 1, "{:.0f} MiB"), f("requests"), f("bytes", 1 / 1e6, "{:.1f}")))  # fmt: skip
    widths = [max(_width(str(line[i])) for line in lines) for i in range(len(head))]
    for line in lines:
        print(
            "  " + "  ".join(_pad(str(c), w) for c, w in zip(line, widths, strict=True)), file=out
        )


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument("--quick", action="store_true",
                        help="few runs: --runs 2 --latency-runs 8 --concurrent 6 --visits 12 "
                             "--warmup-visits 5")  # fmt: skip
    parser.add_argument(
        "--runs", type=int, default=5, help="loads per notebook for time to interactive"
    )
    parser.add_argument("--latency-runs", type=int, default=20, help="input changes per app")
    parser.add_argument("--concurrent", type=int, default=20, help="visitors opening at once")
    parser.add_argument(
        "--visits", type=int, default=100, help="visits opened and closed (culling)"
    )
    parser.add_argument(
        "--batch", type=int, default=5, help="visits opened together in the culling run"
    )
    parser.add_argument(
        "--warmup-visits",
        type=int,
        default=25,
        help="visits (same batches) before the culling run's memory baseline is read",
    )
    parser.add_argument(
        "--culling-budget",
        type=float,
        default=900,
        help="seconds after which the culling run opens no new visits (bounds a slow run)",
    )
    parser.add_argument(
        "--cull-idle",
        type=int,
        default=60,
        help="cull_idle_timeout (s) of the culling server (too short, and a busy machine culls a "
        "kernel before its slow page has connected: the page never works; 30 s lost 3 of 100 "
        "pages at load average 15)",
    )
    parser.add_argument(
        "--cull-interval", type=int, default=2, help="cull_interval (s) of the culling server"
    )
    parser.add_argument(
        "--timeout", type=float, default=90, help="seconds before a load counts as hung"
    )
    parser.add_argument("--pause", type=float, default=0.5, help="seconds between sequential loads")
    parser.add_argument(
        "--settle",
        type=float,
        default=0.5,
        help="a kernel this long without CPU use is done (RSS is read then)",
    )
    parser.add_argument(
        "--quiet-ms", type=float, default=150, help="no change for this long = settled"
    )
    parser.add_argument(
        "--warmup-all", action="store_true", help="one untimed load of every notebook first"
    )
    parser.add_argument("--only", default="tti,transfer,network,latency,concurrent,culling",
                        help="comma-separated sections: tti,transfer,network,latency,concurrent,culling,"
                             "preheat (not by default)")  # fmt: skip
    parser.add_argument("--preheat-loads", type=int, default=100,
                        help="loads in a row on the preheated server (each checked)")  # fmt: skip
    parser.add_argument("--preheat-pause", type=float, default=4.0,
                        help="seconds between timed preheated loads (the pool refills)")  # fmt: skip
    parser.add_argument("--preheat-fill", type=float, default=30.0,
                        help="seconds for the preheated server's pools to fill after start")  # fmt: skip
    parser.add_argument("--network-runs", type=int, default=3,
                        help="first + repeat visits per notebook under Slow 4G emulation")  # fmt: skip
    parser.add_argument(
        "--apps", default="", help="comma-separated notebook stems (default: all in notebooks/)"
    )
    parser.add_argument("--voila-arg", action="append", default=[],
                        help="extra Voilà option for the main server, e.g. --voila-arg=--VoilaConfiguration.preheat_kernel=True")  # fmt: skip
    parser.add_argument("--json", type=Path, help="also write every sample to this JSON file")
    args = parser.parse_args(argv)
    if args.quick:
        args.runs, args.latency_runs, args.concurrent, args.visits = 2, 8, 6, 12
        args.network_runs, args.preheat_loads = 1, 10
        args.warmup_visits = min(args.warmup_visits, 5)
    return args


async def main_async(args) -> int:
    from playwright.async_api import async_playwright

    apps = discover_apps()
    if args.apps:
        wanted = set(args.apps.split(","))
        apps = [nb for nb in apps if short(nb) in wanted]
    if not (ROOT / TRIVIAL).exists():
        print(f"{TRIVIAL} is missing", file=sys.stderr)
        return 1
    if not apps:
        print("no notebooks/*.ipynb yet — measuring the floor only", flush=True)
    sections = set(args.only.split(","))
    rows: list[Row] = []
    results: dict = {
        "date": datetime.datetime.now().isoformat(timespec="seconds"),
        "load_average_at_start": os.getloadavg(),
        "machine": {"cpus": os.cpu_count(), "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
                    "platform": platform.platform(), "python": platform.python_version()},
        "args": {k: str(v) for k, v in vars(args).items()},
        "apps": apps,
    }  # fmt: skip
    breakdown, transfer = {}, {}
    server = Server(args.voila_arg, "main")
    server.start()
    print(f"Voilà at {server.base_url} (log {server.log_path}); apps: {', '.join(map(short, apps)) or '—'}",
          flush=True)  # fmt: skip
    try:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(
                executable_path=str(SERVING.CHROMIUM), args=SERVING.CHROMIUM_ARGS, headless=True
            )
            try:
                if "tti" in sections:
                    breakdown = await section_tti(browser, server, apps, args, results, rows)
                if "transfer" in sections:
                    transfer = await section_transfer(browser, server, apps, args, results, rows)
                if "network" in sections:
                    await section_network(browser, server, apps, args, results, rows)
                if "preheat" in sections:
                    await section_preheat(browser, server, apps, args, results, rows)
                if "latency" in sections:
                    await section_latency(browser, server, apps, args, results, rows)
                if "concurrent" in sections and apps:
                    await section_concurrent(browser, server, apps, args, results, rows)
                if "culling" in sections and apps:
                    await section_culling(browser, apps, args, results, rows)
            finally:
                await browser.close()
    finally:
        server.stop()

    results["load_average_at_end"] = os.getloadavg()
    load = ", ".join(
        f"{a:.1f}→{b:.1f}"
        for a, b in zip(
            results["load_average_at_start"], results["load_average_at_end"], strict=True
        )
    )
    print(f"\nbench_served — {results['date']}, {os.cpu_count()} cores, "
          f"{results['machine']['memory_gib']} GiB; runs={args.runs}, latency runs={args.latency_runs}"
          + (f"; voila args {' '.join(args.voila_arg)}" if args.voila_arg else "")
          + f"\nload average (1/5/15 min) start→end: {load}"
          + (" — the machine was busy: figures are noisy" if results["load_average_at_start"][0] > 1.5
             or results["load_average_at_end"][0] > 3 else ""))  # fmt: skip
    for row in rows:
        if row.median is None and row.ok is None:  # a baseline that could not be measured
            row.ok, row.note = False, (row.note + "; " if row.note else "") + "no measurement"
    print_table(rows)
    if breakdown:
        breakdown_table(breakdown)
    if transfer:
        transfer_table(transfer)
    missed = [r.measure for r in rows if r.ok is False]
    print(
        "\n"
        + (f"MISSED {len(missed)} target(s): " + "; ".join(missed) if missed else "all targets met")
    )
    results["rows"] = [dataclasses.asdict(r) | {"ratio": r.ratio} for r in rows]
    results["breakdown"] = breakdown
    results["missed"] = missed
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1, default=str))
        print(f"wrote {args.json}")
    return 0


def main(argv=None) -> int:
    return asyncio.run(main_async(parse_args(argv)))


if __name__ == "__main__":
    sys.exit(main())
