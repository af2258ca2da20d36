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
                 → result and charts settled; baseline: the trivial slider → label.
* ``concurrent`` N visitors (default 20) opening apps at the same moment.
* ``culling``    a second server with a short ``cull_idle_timeout``: M visits (default 100) opened
                 and closed without shutting their kernels down; the kernels must be culled and
                 the server's memory must come back to within 10 % of where it started.

Targets (issue 4): each app ≤ 1.3 × the floor; latency median ≤ 100 ms, p95 ≤ 200 ms; kernel RSS
≤ 120 MiB; all concurrent pages render with 0 errors; kernels freed; memory within 10 %.
A missed target is printed as MISSED; the exit status is 0 all the same (this is a report).

Run:  .venv/bin/python benchmarks/bench_served.py            (≈ 25 min on 2 cores)
      .venv/bin/python benchmarks/bench_served.py --quick    (≈ 7 min)
      … --runs 7 --only tti,latency --json test-artifacts/bench_served.json
      … --voila-arg=--VoilaConfiguration.preheat_kernel=True  (try a server option)
"""

from __future__ import annotations

import argparse
import asyncio
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
            with open(self.log_path, "ab") as log:
                self.process = subprocess.Popen(
                    SERVING.voila_command("127.0.0.1", port) + self.extra_args,
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
    const input = document.querySelector('.yb-input-age input');
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


async def section_latency(browser, server: Server, apps, args, results, rows) -> None:
    measured = {}
    targets = [(TRIVIAL, "slider")] + [(nb, "age") for nb in apps]
    for nb, kind in targets:
        visit = await open_visit(browser, server, nb, args.timeout)
        try:
            if not visit.ok:
                measured[nb] = {"error": "; ".join(visit.errors[:2])}
                continue
            if kind == "age" and not await visit.page.query_selector(".yb-input-age input"):
                continue  # this app has no age input
            samples = []
            for i in range(args.latency_runs + 2):  # two warm-ups: first callback imports/caches
                value = (1 if i % 2 == 0 else -1) if kind == "slider" else AGES[i % len(AGES)]
                if kind == "age" and i > 0 and AGES[i % len(AGES)] == AGES[(i - 1) % len(AGES)]:
                    value += 1
                outcome = await visit.page.evaluate(
                    LATENCY_JS,
                    {"kind": kind, "value": value, "quiet": args.quiet_ms, "timeout": 10000},
                )
                if i >= 2:
                    samples.append(outcome)
                await asyncio.sleep(0.05)
            measured[nb] = {"samples": samples, "errors": visit.errors[:5]}
            print(f"  latency {short(nb):20} {len(samples)} changes", flush=True)
        finally:
            await close_visit(server, visit)
    results["latency"] = measured

    def col(nb, key):
        return [s[key] for s in measured.get(nb, {}).get("samples", []) if key in s]

    base = median(col(TRIVIAL, "result"))
    rows.append(Row("latency: trivial slider → label (baseline)", base, p95(col(TRIVIAL, "result")),
                    unit="ms", note="baseline: one comm round trip + a Label redraw"))  # fmt: skip
    for nb, _kind in targets[1:]:
        if nb not in measured:
            continue
        if "error" in measured[nb]:
            rows.append(Row(f"latency: {short(nb)}", None, target="page did not load", ok=False,
                            note=measured[nb]["error"]))  # fmt: skip
            continue
        failures = sum(1 for s in measured[nb]["samples"] if "error" in s)
        target = f"≤ {LATENCY_MEDIAN_TARGET_MS:.0f} / p95 ≤ {LATENCY_P95_TARGET_MS:.0f} ms"
        for key, what in (
            ("result", "age → .yb-result text"),
            ("settled", "age → result+chart settled"),
        ):
            values = col(nb, key)
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
    parser.add_argument("--only", default="tti,latency,concurrent,culling",
                        help="comma-separated sections: tti,latency,concurrent,culling")  # fmt: skip
    parser.add_argument(
        "--apps", default="", help="comma-separated notebook stems (default: all in notebooks/)"
    )
    parser.add_argument("--voila-arg", action="append", default=[],
                        help="extra Voilà option for the main server, e.g. --voila-arg=--VoilaConfiguration.preheat_kernel=True")  # fmt: skip
    parser.add_argument("--json", type=Path, help="also write every sample to this JSON file")
    args = parser.parse_args(argv)
    if args.quick:
        args.runs, args.latency_runs, args.concurrent, args.visits = 2, 8, 6, 12
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
    breakdown = {}
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
