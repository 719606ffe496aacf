"""Fault drill: seeded faults during create, update, destroy and prune mixes; converge; audit the account.

Each run builds a seeded manifest (SSH keys, startup scripts, servers with reverse DNS, snapshots), seeds
three foreign objects into a fresh in-process emulator, then plans and applies under seeded faults (500s,
503/429 bursts, latency, commit-then-drop lost answers whose objects stay invisible for 30-480 s, dropped
connections) until a plan shows no changes (a plan held by a create of unknown outcome is rerun a minute
later, as it asks);
mutates the manifest (in-place updates, replaces, reinstalls, ``state: absent`` destroys, prunes,
additions, with exactly the permission flags they need) and converges again under a new fault stream.
Finally, with faults off, a clean plan must show no changes and the account must hold no duplicate, no
orphan, everything wanted owned by the registry, no dangling registry entry, no lock or pending entry
left, and the foreign objects untouched. Targets over 200 runs: converged 200, duplicates 0, orphans 0.
Every lost create whose object is late stops its apply (it is never sent again), so runs need more
reruns than before the create-once rule; the figure is printed.

Runs are seeded (manifest, mutation, fault rates, fault stream, client jitter) but not bit-for-bit
reproducible: the executor's workers and its waiter run on threads, so the order of calls, and with it
which call meets which fault, can vary between two runs of one seed. A bad run prints its full story.

    python benchmarks/fault_drill.py [--api v2|v1] [--runs 200] [--seed 0] [--parallelism 4] [-v]
"""

from __future__ import annotations

import argparse
import logging
import sys
import time

from drills.fault import run_fault_drill, summarize


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200, help="number of seeded runs")
    parser.add_argument(
        "--seed", type=int, default=0, help="seed of the first run (runs use seed, seed+1...)"
    )
    parser.add_argument("--parallelism", type=int, default=4, help="the executor's parallelism")
    parser.add_argument("--api", choices=("v1", "v2"), default="v2", help="the API the drill speaks")
    parser.add_argument("-v", "--verbose", action="store_true", help="describe every run, not only bad ones")
    args = parser.parse_args(argv)
    logging.getLogger("vultr_state").setLevel(logging.CRITICAL)  # the drill reports; the tool stays quiet

    started = time.perf_counter()
    reports = []
    for seed in range(args.seed, args.seed + args.runs):
        report = run_fault_drill(seed, parallelism=args.parallelism, api=args.api)
        reports.append(report)
        if args.verbose or not report.converged or not report.findings.ok or report.unexpected:
            print(report.describe(), flush=True)
            for error in report.unexpected:
                print(error, flush=True)
    summary = summarize(reports, time.perf_counter() - started)
    print(f"api {args.api}: {summary.line()}")
    print(summary.fault_line())
    slowest = max(reports, key=lambda r: r.seconds)
    print(f"slowest run: seed {slowest.seed}, {slowest.seconds:.2f} s")
    ok = summary.converged == summary.runs and not (summary.duplicates or summary.orphans or summary.problems)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
