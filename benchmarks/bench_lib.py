"""Speed of the rules library: `import yibao_lib` and the comparison of every region.

Targets (issue 2): import under 0.5 s; a full comparison under 20 ms (median of several runs).
Each figure is printed beside a baseline measured in the same run, with the ratio, because this
machine is noisy. Run: `.venv/bin/python benchmarks/bench_lib.py` (or `make bench`).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 7


def wall(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, cwd=ROOT, capture_output=True)
    return time.perf_counter() - start


def median_of(fn, runs=RUNS) -> float:
    return statistics.median(fn() for _ in range(runs))


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> int:
    py = sys.executable
    rows = []
    base = median_of(lambda: wall([py, "-c", "pass"]))
    imp = median_of(lambda: wall([py, "-c", "import yibao_lib"]))
    first_rows = median_of(
        lambda: wall([py, "-c", "import yibao_lib as y; y.compare_regions_rows(70)"])
    )
    first = median_of(lambda: wall([py, "-c", "import yibao_lib as y; y.compare_regions(70)"]))
    rows.append(("python start-up (baseline)", base, None, None, base))
    rows.append(("import yibao_lib (process)", imp, imp - base, 0.5, base))
    rows.append(("import + first compare_regions_rows (data load)", first_rows, first_rows - base,
                 None, base))  # fmt: skip
    rows.append(("import + first compare_regions (+ pandas)", first, first - base, None, base))

    sys.path.insert(0, str(ROOT))
    import yibao_lib as y

    y.compare_regions(70)  # warm the data cache
    single = median_of(lambda: timed(lambda: y.retiree_monthly_credit("北京", 70)), runs=51)
    compare_rows = median_of(lambda: timed(lambda: y.compare_regions_rows(70)), runs=21)
    compare = median_of(lambda: timed(lambda: y.compare_regions(70)), runs=21)
    compare_avg = median_of(lambda: timed(lambda: y.compare_regions(70, avg_pension=4000)), runs=21)
    rows.append(("retiree_monthly_credit one region (baseline)", single, None, None, single))
    rows.append(("compare_regions_rows(70) (the apps)", compare_rows, None, 0.020, single))
    rows.append(("compare_regions(70) (DataFrame)", compare, None, 0.020, single))
    rows.append(("compare_regions(70, avg_pension=4000)", compare_avg, None, 0.020, single))

    print(f"{'measure':52} {'median':>10} {'net of base':>12} {'ratio':>8} {'target':>8}  ok")
    failed = False
    for name, value, net, target, baseline in rows:
        ratio = value / baseline
        net_text = f"{net * 1000:9.1f} ms" if net is not None else ""
        target_text = f"{target * 1000:.0f} ms" if target else ""
        check = value if net is None else net
        ok = "" if target is None else ("yes" if check < target else "NO")
        failed |= ok == "NO"
        print(f"{name:52} {value * 1000:7.1f} ms {net_text:>12} {ratio:8.1f} {target_text:>8}  {ok}")
    print(f"\n{RUNS} process runs / 21–51 in-process runs each; ratio = value ÷ baseline (process start or one region).")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
