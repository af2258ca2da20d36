"""The map of China: how long a redraw takes, and what the map costs a kernel.

Targets (the map issue): a change of age redraws the map within 100 ms median (kernel side
here: figures + SVG); the compare app's kernel stays under 120 MiB.

* Render: the median of RUNS calls of :func:`yibao_lib.china_map.map_svg` for each case; the
  baseline is the same call with an empty figures dict (every division grey), in the same run.
* An age change: :func:`map_figures` for a new age, then :func:`map_svg` (what the app does).
* Cold: a new process that imports the module and draws once (reads the JSON), and its peak
  memory, against a process that only imports yibao_lib — both measured in this run.

Run: `.venv/bin/python benchmarks/bench_map.py` (or `make bench`).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RUNS = 101
COLD_RUNS = 5
MIB = 1024 * 1024

# Peak memory from VmHWM (kB): ru_maxrss would carry over this parent's peak into the child.
COLD = """
import re, sys, time
sys.path.insert(0, {root!r})
start = time.perf_counter()
import yibao_lib
{work}
wall = time.perf_counter() - start
status = open("/proc/self/status").read()
print(wall, re.search(r"VmHWM:\\s+(\\d+)", status).group(1))
"""
COLD_BASELINE = ""
COLD_MAP = (
    "from yibao_lib import china_map\nchina_map.map_svg(china_map.map_figures(68, on='2026-06-01'))"
)


def median_ms(call, runs: int = RUNS) -> float:
    call()  # warm the caches, as a kernel that has drawn once has them
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def cold(work: str) -> tuple[float, float]:
    """(median wall seconds, median peak RSS in MiB) of a new process doing ``work``."""
    walls, rss = [], []
    for _ in range(COLD_RUNS):
        out = subprocess.run(
            [sys.executable, "-c", COLD.format(root=str(ROOT), work=work)],
            check=True, capture_output=True, text=True, cwd=ROOT,
        ).stdout.split()  # fmt: skip
        walls.append(float(out[0]))
        rss.append(int(out[1]) * 1024 / MIB)
    return statistics.median(walls), statistics.median(rss)


def main() -> int:
    from yibao_lib import china_map as cm

    day = "2026-06-01"
    city = cm.map_figures(68, on=day)
    province = cm.map_figures(68, on=day, view="province")
    ages = iter(range(10**9))

    def age_change():
        age = 50 + next(ages) % 51
        return cm.map_svg(cm.map_figures(age, on=day), selected="440300")

    cases = [
        ("baseline: map_svg({}) (all grey)", lambda: cm.map_svg({})),
        (f"city view, {len(city)} figures", lambda: cm.map_svg(city)),
        ("city view, figures + selected", lambda: cm.map_svg(city, selected="440300")),
        ("city view, large text", lambda: cm.map_svg(city, large_text=True)),
        (f"province view, {len(province)} figures", lambda: cm.map_svg(province, view="province")),
        ("map_figures(age) alone", lambda: cm.map_figures(50 + next(ages) % 51, on=day)),
        ("age change: map_figures + map_svg", age_change),
    ]
    baseline = None
    print(f"{'case':<40} {'median ms':>10} {'× baseline':>11}")
    print("-" * 63)
    for label, call in cases:
        ms = median_ms(call)
        baseline = baseline or ms
        print(f"{label:<40} {ms:>10.2f} {ms / baseline:>10.1f}×")
    html = cm.map_svg(city, selected="440300")
    print(f"\nHTML of one city-view map: {len(html.encode()):,} bytes; "
          f"map_data/china.json: {cm.MAP_FILE.stat().st_size:,} bytes")  # fmt: skip

    base_wall, base_rss = cold(COLD_BASELINE)
    map_wall, map_rss = cold(COLD_MAP)
    print(f"\n{'new process':<40} {'wall s':>10} {'peak MiB':>11}")
    print("-" * 63)
    print(f"{'import yibao_lib (baseline)':<40} {base_wall:>10.3f} {base_rss:>11.1f}")
    print(f"{'… + map_figures + first map_svg':<40} {map_wall:>10.3f} {map_rss:>11.1f}")
    print(f"{'difference':<40} {map_wall - base_wall:>10.3f} {map_rss - base_rss:>11.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
