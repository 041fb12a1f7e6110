#!/usr/bin/env python3
"""Benchmark of `handbok report` against `handbok check` on the same handbook.

Issue 10: `handbok report` on a generated handbook of 3,000 documents with a git
history of 24 monthly commits takes at most 5x the time of `handbok check` on the
same handbook, measured in the same run, for the whole report including the
24-month trend (read from git objects; unchanged blobs are parsed once).

This script (not a pytest test):

1. generates the handbook with bench_check's generator, makes it a git repository
   and commits it 24 times, a month apart (GIT_COMMITTER_DATE), each month changing
   the decision_ref of 5 % of the documents;
2. times, alternately for several rounds, whole processes:
   (a) `handbok check DIR --today D --format json`;
   (b) `handbok report DIR --today D --format html -o FILE` (and, once, pdf and xlsx);
3. prints min and median of each and the ratio to the target; with --check it exits
   1 when the median ratio is above the target.

Usage:
    python benchmarks/bench_report.py                    # 3,000 documents, 24 commits, 3 rounds
    python benchmarks/bench_report.py --documents 500 --rounds 2 --check
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_check  # noqa: E402  (the shared handbook generator and process timer)

TARGET = 5.0
TODAY = bench_check.TODAY
_REF = re.compile(r'^decision_ref: .*$', re.MULTILINE)


def _git(root: Path, *args: str, day: dt.date | None = None) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.org",
           "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example.org"}
    if day is not None:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"{day.isoformat()}T12:00:00+00:00"
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def generate(root: Path, n: int, commits: int, seed: int) -> None:
    bench_check.generate(root, n, seed)
    _git(root, "init", "-q", "-b", "main")
    files = sorted((root / "routines").rglob("*.md"))
    today = dt.date.fromisoformat(TODAY)
    for k in range(commits):
        months_back = commits - 1 - k
        index = today.year * 12 + today.month - 1 - months_back
        day = dt.date(index // 12, index % 12 + 1, 10)
        if k:
            share = max(1, len(files) // 20)
            for path in files[(k * share) % len(files):][:share]:
                text = path.read_text(encoding="utf-8")
                path.write_text(_REF.sub(f'decision_ref: "SN {day.year}/{k} § {k}"', text, count=1),
                                encoding="utf-8")
        _git(root, "add", "-A")
        _git(root, "commit", "-q", "-m", f"Månad {k + 1}", day=day)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=3000)
    parser.add_argument("--commits", type=int, default=24)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--check", action="store_true", help="exit 1 when the median ratio is above the target")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="handbok-bench-report-"))
    root = work / "handbok"
    try:
        start = time.perf_counter()
        generate(root, args.documents, args.commits, args.seed)
        print(f"Genererade {args.documents} dokument och {args.commits} månatliga incheckningar "
              f"på {time.perf_counter() - start:.1f} s.")
        handbok = bench_check.handbok_command()
        check_cmd = [*handbok, "check", str(root), "--today", TODAY, "--format", "json", "--fail-on", "never"]
        out = work / "rapport"
        report_cmd = [*handbok, "report", str(root), "--today", TODAY, "--format", "html", "-o", f"{out}.html"]
        times: dict[str, list[float]] = {"check": [], "report": []}
        for _ in range(args.rounds):
            for name, cmd in (("check", check_cmd), ("report", report_cmd)):
                wall, _cpu, code, _rss, err = bench_check.run(cmd)
                if code != 0:
                    print(f"{name} misslyckades ({code}):\n{err}", file=sys.stderr)
                    return 2
                times[name].append(wall)
        once = {}
        for fmt in ("pdf", "xlsx", "json"):
            wall, _cpu, code, _rss, err = bench_check.run(
                [*handbok, "report", str(root), "--today", TODAY, "--format", fmt, "-o", f"{out}.{fmt}"])
            if code != 0:
                print(f"report --format {fmt} misslyckades ({code}):\n{err}", file=sys.stderr)
                return 2
            once[fmt] = wall
        check_med, report_med = statistics.median(times["check"]), statistics.median(times["report"])
        ratio = report_med / check_med
        print(f"handbok check:           min {min(times['check']):.2f} s, median {check_med:.2f} s")
        print(f"handbok report (html):   min {min(times['report']):.2f} s, median {report_med:.2f} s")
        for fmt, wall in once.items():
            print(f"handbok report ({fmt}):{' ' * (6 - len(fmt))}    {wall:.2f} s (en gång), {wall / check_med:.2f}x check")
        print(f"Kvot report/check (median): {ratio:.2f}x (mål <= {TARGET:.1f}x): {'OK' if ratio <= TARGET else 'ÖVER MÅLET'}")
        return 1 if args.check and ratio > TARGET else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
