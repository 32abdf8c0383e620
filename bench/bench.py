#!/usr/bin/env python3
"""`make bench`: boots the reference solution's kernel, runs the in-guest benchmarks
(keos/bench.hpp, bench/*.cpp, bench/user/*.c), and judges the goals of
the benchmark issue as ratios of two quantities measured in the same boot.

Every metric is a median of at least 31 repetitions (with p10 and p90) printed by the
guest as `METRIC name value unit p10=.. p90=.. n=..`. The table goes to standard output,
everything to build/bench/results.json (or --json). Modes:
  tcg     plain software emulation (default), 4 CPUs
  icount  QEMU -icount shift=0,sleep=off: rdtsc counts instructions; two boots, one with
          1 CPU (everything but IPIs) and one with 2 CPUs (the IPI and shootdown metrics)
  kvm     hardware virtualization, when /dev/kvm is usable
--smoke runs tiny sizes and only checks that every metric arrives (make test does this).
The exit status is 0 when the suite ran and every metric arrived; a goal that falls short
is reported, not an error (timings are not tests).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "grader"))
import ktest  # noqa: E402

OUT_DIR = os.path.join("build", "bench")
IPI_METRICS = ("ipi_pingpong", "shootdown_1page", "shootdown_32pages")


@dataclass
class Metric:
    name: str
    value: float
    unit: str
    p10: float | None = None
    p90: float | None = None
    n: int | None = None


def parse_metric(line: str) -> Metric | None:
    words = line.split()
    if len(words) < 4 or words[0] != "METRIC":
        return None
    extra = dict(w.split("=", 1) for w in words[4:] if "=" in w)
    return Metric(words[1], float(words[2]), words[3],
                  float(extra["p10"]) if "p10" in extra else None,
                  float(extra["p90"]) if "p90" in extra else None,
                  int(extra["n"]) if "n" in extra else None)


def metrics_of(result: ktest.BootResult) -> tuple[dict[str, Metric], list[str]]:
    """The METRIC lines of a boot: from the console, and from the user programs' standard
    output (which ktest collects from the `@@ out 1` lines). Also the error lines."""
    found: dict[str, Metric] = {}
    errors = [line for line in result.lines if line.startswith("@@ bench error")]
    stdout = bytes(result.output.get(None, {}).get(1, b""))
    for text in result.lines + stdout.decode(errors="replace").splitlines():
        if (m := parse_metric(text)) is not None:
            found[m.name] = m
    return found, errors


def boot(iso: str, selection: str, ncpu: int, smoke: bool, mode: str, mem: str,
         log: str) -> tuple[dict[str, Metric], list[str]]:
    cmdline = f"bench={selection}" + (" bench.size=smoke" if smoke else "")
    b = ktest.Boot(iso=iso, ncpu=ncpu, mem=mem, cmdline=cmdline, timeout=900,
                   kvm=mode == "kvm", log_path=log)
    if mode == "icount":
        b.qemu_args = ["-icount", "shift=0,sleep=off"]
    result = ktest.run(b)
    found, errors = metrics_of(result)
    if result.panic is not None:
        errors.append("kernel panic: " + result.panic.message)
    if result.timed_out:
        errors.append(f"boot timed out (log {log})")
    if not any(line.startswith("@@ summary benches=") for line in result.lines):
        errors.append(f"the suite did not finish (log {log})")
    return found, errors


@dataclass
class Goal:
    name: str
    text: str
    ratio: float | None
    limit: str
    ok: bool | None
    # The least value this machine allows, from metrics that bound the goal's ratio from
    # below (see FLOORS); None where no bound applies or its metrics are missing.
    floor: float | None = None
    floor_ok: bool | None = None


# How a goal's floor is bounded, from other metrics of the same boot: the sole-owner fault is
# the cheapest fault the kernel resolves (trap, lookup, walk, one entry rewritten; no copy,
# no allocation, no flush), and a copy-on-write fault does all that plus the copy; a
# demand-zero fault takes a fault too and zeroes a page; a 32-page shootdown makes its target
# run 31 more invlpg than a 1-page one. When a floor misses the target, the cost of taking
# a fault at all, or of an invlpg, on this machine already decides the goal.
FLOORS = {
    "3a": "(cow_fault_sole + copy_page_cold) / copy_page_cold",
    "3b": "cow_fault_sole",
    "4b": "(shootdown_1page + 31 invlpg_local) / shootdown_1page",
    "5b": "(cow_fault_sole + zero_page_cold) / zero_page_cold",
}


def floor_of(m: dict[str, Metric], goal: str) -> float | None:
    def v(name: str) -> float | None:
        return m[name].value if name in m else None

    sole, copy, zero = v("cow_fault_sole"), v("copy_page_cold"), v("zero_page_cold")
    one, invlpg = v("shootdown_1page"), v("invlpg_local")
    if goal == "3a" and sole is not None and copy:
        return (sole + copy) / copy
    if goal == "3b":
        return sole
    if goal == "4b" and one and invlpg is not None:
        return (one + 31 * invlpg) / one
    if goal == "5b" and sole is not None and zero:
        return (sole + zero) / zero
    return None


def ratio(m: dict[str, Metric], a: str, b: str) -> float | None:
    if a not in m or b not in m or m[b].value == 0:
        return None
    return m[a].value / m[b].value


def judge(m: dict[str, Metric], mode: str, ncpu: int) -> list[Goal]:
    goals: list[Goal] = []

    def add(name: str, text: str, value: float | None, limit: str, ok) -> None:
        floor = floor_of(m, name)
        goals.append(Goal(name, text, value, limit, None if value is None else ok(value),
                          floor, None if floor is None else ok(floor)))

    add("1", "eager fork / CoW fork, 64 MiB", ratio(m, "fork_eager_64m", "fork_cow_64m"),
        ">= 20", lambda r: r >= 20)
    slope = None
    if "fork_cow_64m" in m and "fork_cow_0m" in m and m.get("pte_loop_per_page"):
        per_page = (m["fork_cow_64m"].value - m["fork_cow_0m"].value) / 16384
        if m["pte_loop_per_page"].value > 0:
            slope = per_page / m["pte_loop_per_page"].value
    add("2a", "fork slope per page / bare PTE loop", slope, "<= 3", lambda r: r <= 3)
    add("2b", "fork 256 MiB / fork 64 MiB", ratio(m, "fork_cow_256m", "fork_cow_64m"),
        "3.2 .. 4.8", lambda r: 3.2 <= r <= 4.8)
    limit = 3.0 if mode == "kvm" else 1.5
    add("3a", "CoW fault / cold page copy", ratio(m, "cow_fault", "copy_page_cold"),
        f"<= {limit:g}", lambda r: r <= limit)
    if mode == "icount" and "cow_fault" in m and "copy_page_cold" in m:
        extra = m["cow_fault"].value - m["copy_page_cold"].value
        add("3b", "CoW fault - copy, instructions", extra, "<= 400", lambda r: r <= 400)
    add("3c", "sole-owner fault / copying fault", ratio(m, "cow_fault_sole", "cow_fault"),
        "<= 0.3", lambda r: r <= 0.3)
    limit = 1.5 if mode == "kvm" else 2.5
    add("4a", "1-page shootdown / IPI ping-pong", ratio(m, "shootdown_1page", "ipi_pingpong"),
        f"<= {limit:g}", lambda r: r <= limit)
    add("4b", "32-page shootdown / 1-page", ratio(m, "shootdown_32pages", "shootdown_1page"),
        "<= 2", lambda r: r <= 2)
    idle = None
    if "ipis_idle_protect" in m and "ipis_idle_unmap" in m:
        idle = m["ipis_idle_protect"].value + m["ipis_idle_unmap"].value
    add("4c", "IPIs while no other CPU uses the table", idle, "== 0", lambda r: r == 0)
    add("5a", "fork+exit / fork, 64 MiB", ratio(m, "fork_exit_cow_64m", "fork_cow_64m"),
        "<= 3", lambda r: r <= 3)
    add("5b", "demand-zero fault / cold zeroing", ratio(m, "demand_zero_fault", "zero_page_cold"),
        "<= 3", lambda r: r <= 3)
    return goals


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iso", default=os.path.join("build", "keos-solution.iso"))
    parser.add_argument("--mode", choices=("tcg", "icount", "kvm"), default="tcg")
    parser.add_argument("--mem", default="512M")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes; check metrics only")
    parser.add_argument("--json", default=os.path.join(OUT_DIR, "results.json"))
    args = parser.parse_args()
    if args.mode == "kvm" and not ktest.kvm_usable():
        print("bench: KVM is not usable on this machine", file=sys.stderr)
        return 1
    os.makedirs(OUT_DIR, exist_ok=True)
    tag = "smoke" if args.smoke else args.mode
    if args.mode == "icount":
        m1, e1 = boot(args.iso, "copy_page_cold,invlpg_local,pte_loop,ipis_idle,fork,faults", 1,
                      args.smoke, args.mode, args.mem, os.path.join(OUT_DIR, f"{tag}-1cpu.log"))
        m2, e2 = boot(args.iso, "ipi_and_shootdown", 2, args.smoke, args.mode, args.mem,
                      os.path.join(OUT_DIR, f"{tag}-2cpu.log"))
        metrics, errors, ncpu = {**m1, **m2}, e1 + e2, 1
    else:
        ncpu = 4
        metrics, errors = boot(args.iso, "*", ncpu, args.smoke, args.mode, args.mem,
                               os.path.join(OUT_DIR, f"{tag}.log"))
    expected = ["copy_page_cold", "zero_page_cold", "invlpg_local", "pte_loop_per_page",
                "ipis_idle_protect",
                "ipis_idle_unmap", "demand_zero_fault", "cow_fault", "cow_fault_sole",
                *IPI_METRICS]
    missing = [name for name in expected if name not in metrics]
    missing += [] if any(k.startswith("fork_eager_") for k in metrics) else ["fork_eager_*"]
    for err in errors:
        print(f"bench: {err}", file=sys.stderr)
    for name in missing:
        print(f"bench: metric {name} did not arrive", file=sys.stderr)

    print(f"{'metric':28} {'median':>14} {'p10':>14} {'p90':>14}  unit")
    for name in sorted(metrics):
        m = metrics[name]
        p10 = "" if m.p10 is None else f"{m.p10:.0f}"
        p90 = "" if m.p90 is None else f"{m.p90:.0f}"
        print(f"{name:28} {m.value:>14.0f} {p10:>14} {p90:>14}  {m.unit}")
    goals = [] if args.smoke else judge(metrics, args.mode, ncpu)
    if goals:
        print(f"\n{'goal':5} {'what':44} {'measured':>10} {'target':>11} {'floor':>8}  verdict")
        for g in goals:
            value = "-" if g.ratio is None else f"{g.ratio:.2f}"
            floor = "" if g.floor is None else f"{g.floor:.2f}"
            verdict = "NO DATA" if g.ok is None else "PASS" if g.ok else "FALL SHORT"
            if g.ok is False and g.floor_ok is False:
                verdict += " (the floor misses too)"
            print(f"{g.name:5} {g.text:44} {value:>10} {g.limit:>11} {floor:>8}  {verdict}")
        print("\nfloor: the least the goal's value can be, given the cheapest fault this kernel "
              "takes and one invlpg:")
        for name, formula in FLOORS.items():
            print(f"  {name}  {formula}")
    with open(args.json, "w") as f:
        json.dump({"mode": args.mode, "smoke": args.smoke,
                   "metrics": {k: vars(v) for k, v in metrics.items()},
                   "goals": [vars(g) for g in goals], "errors": errors, "missing": missing},
                  f, indent=2)
    print(f"\nbench: results in {args.json}")
    return 1 if errors or missing else 0


if __name__ == "__main__":
    sys.exit(main())
