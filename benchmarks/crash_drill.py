"""Crash drill: SIGKILL ``vultr-state apply`` (a subprocess) at seeded points of a large apply, rerun,
and check that nothing is lost or duplicated.

Each kill uses a fresh emulator on a real loopback port (in this process, so it survives the kill) with
three foreign objects, and a seeded manifest of ``--servers`` servers plus SSH keys, startup scripts,
reverse DNS and snapshots. About two thirds of the kills hit an apply from empty; the others hit the
apply of a seeded mutation (updates, replaces, reinstalls, destroys, prunes, additions) of an account
first converged in process. The apply is killed at its n-th API call (n seeded over the whole apply:
plan reads, registry intent write, creates, waits, updates, registry result write), either before the
emulator processes that call or right after it commits it. Then ``apply`` is rerun until a plan shows
no changes, and the account is audited: duplicates, orphans, unowned or dangling registry entries, a
lock or pending entries left, foreign objects touched. Prints
``runs R, converged C, duplicates D, orphans O, max reruns M`` where every run is one kill.

    python benchmarks/crash_drill.py [--api v2|v1] [--kills 50] [--seed 0] [--servers 20]
"""

from __future__ import annotations

import argparse
import sys
import time

from drills.crash import run_crash_drill


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=50, help="number of kills (each on a fresh account)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the first kill")
    parser.add_argument("--servers", type=int, default=20, help="servers in each manifest")
    parser.add_argument("--api", choices=("v1", "v2"), default="v2", help="the API the drill speaks")
    parser.add_argument("-v", "--verbose", action="store_true", help="describe every kill")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    reports = []
    seed = args.seed
    missed = 0
    while len(reports) < args.kills:
        report = run_crash_drill(seed, servers=args.servers, api=args.api)
        seed += 1
        if not report.killed:  # the apply finished before the drawn call: no kill, draw again
            missed += 1
            continue
        reports.append(report)
        if args.verbose or not report.converged or not report.findings.ok or report.errors:
            print(report.describe(), flush=True)
    seconds = time.perf_counter() - started
    converged = sum(r.converged for r in reports)
    duplicates = sum(len(r.findings.duplicates) for r in reports)
    orphans = sum(len(r.findings.orphans) for r in reports)
    others = sum(len(r.findings.lines()) for r in reports) - duplicates - orphans
    max_reruns = max((r.reruns for r in reports), default=0)
    after = sum(r.after for r in reports)
    phases = sum(r.phase == "mutate" for r in reports)
    unlocked = sum(r.unlocked for r in reports)
    print(
        f"api {args.api}: runs {len(reports)}, converged {converged}, duplicates {duplicates}, "
        f"orphans {orphans}, max reruns {max_reruns} (other findings {others}; wall {seconds:.1f} s)"
    )
    print(
        f"kills: {len(reports) - after} before a call was processed, {after} right after it committed; "
        f"{len(reports) - phases} during an apply from empty, {phases} during a mutation; "
        f"{missed} draw(s) fell after the apply's last call and were redrawn; {unlocked} rerun(s) met the "
        "killed apply's lock and were run again with --force-unlock"
    )
    ok = converged == len(reports) and not (duplicates or orphans or others)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
