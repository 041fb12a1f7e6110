#!/usr/bin/env python3
"""Benchmark: from saving one routine to its rebuilt page being served.

Issue 12: a manager edits a routine with the handbook served (`bash scripts/serve.sh`,
which runs `mkdocs serve --dirty`). Target: at 3,000 documents the changed page is
served at most 2 s after the save and in at most 0.1x the time of the first full build
of the same run; at 300 documents at most 0.5 s.

This script (not a pytest test):
1. generates (or reuses) bench_site.py's handbook of N documents;
2. starts a real `mkdocs serve --dirty` on a free local port, and reads the first full
   build's time from its log ("Documentation built in X seconds");
3. for each round, opens one routine's page (a different one each round), appends a
   unique sentence to its file and waits as the page in a browser does: on MkDocs'
   live-reload address, which answers when a newer build is visible; then loads the
   page again, until the sentence is in it. The figure is the seconds from the save to
   then, MkDocs' own delay in noticing the change included;
4. prints each round, the median, the median's ratio to the full build and the
   targets; with --check it exits 1 when a target is missed.

Usage:
    python benchmarks/bench_serve.py                          # 3,000 documents, 5 rounds
    python benchmarks/bench_serve.py --documents 300 --target-seconds 0.5
    python benchmarks/bench_serve.py --out /tmp/hbserve --check
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_site  # noqa: E402  (the shared handbook generator)

RATIO_TARGET = 0.1
BUILT_RE = re.compile(r"Documentation built in ([0-9.]+) seconds")
LIVERELOAD_RE = re.compile(r"livereload\((\d+), (\d+)\)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str, timeout: float = 5) -> str:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return ""


def page_url(base: str, handbook: Path, path: Path) -> str:
    return base + urllib.parse.quote(path.relative_to(handbook).with_suffix("").as_posix()) + "/"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=3000, help="documents to generate")
    parser.add_argument("--rounds", type=int, default=5, help="saves to time")
    parser.add_argument("--out", type=Path, help="generate into (or reuse) this folder; kept")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--target-seconds", type=float, default=2.0, help="highest allowed seconds")
    parser.add_argument("--target-ratio", type=float, default=None,
                        help="highest allowed ratio to the first full build (default 0.1 from 3,000 "
                             "documents, none below: the issue sets only 0.5 s for 300)")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    if args.target_ratio is None:
        args.target_ratio = RATIO_TARGET if args.documents >= 3000 else float("inf")

    root, cleanup = bench_site.prepare(args.out, args.documents, args.seed)
    handbook = root / "handbook"
    routines = sorted((handbook / "routines").rglob("*.md"))
    originals = {p: p.read_bytes() for p in routines[: args.rounds]}
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    log_path = root / "serve.log"
    env = bench_site.build_env()
    with log_path.open("w", encoding="utf-8") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dirty", "--dev-addr", f"127.0.0.1:{port}",
             "-f", str(handbook / "mkdocs.yml")],
            cwd=handbook, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 900
        while not BUILT_RE.search(log_path.read_text(encoding="utf-8")) or not fetch(base):
            if server.poll() is not None or time.monotonic() > deadline:
                sys.exit("mkdocs serve startade inte:\n" + log_path.read_text(encoding="utf-8")[-3000:])
            time.sleep(0.2)
        full = float(BUILT_RE.findall(log_path.read_text(encoding="utf-8"))[0])
        print(f"Första fullständiga bygget: {full:.2f} s ({args.documents} dokument).")
        time.sleep(1.0)  # let the watcher settle
        waits: list[float] = []
        for i, path in enumerate(originals):
            marker = f"Ändrad i mätning {i} {time.time_ns()}"
            url = page_url(base, handbook, path)
            page = fetch(url)
            reload = LIVERELOAD_RE.search(page)
            if marker in page or reload is None:
                sys.exit(f"{url}: markören finns redan eller sidan saknar live reload.")
            text = path.read_text(encoding="utf-8").rstrip("\n") + f"\n\n{marker}\n"
            start = time.monotonic()
            path.write_text(text, encoding="utf-8")
            while True:  # as the browser: wait for a newer build, then load the page
                fetch(f"{base}livereload/{reload[1]}/{reload[2]}", timeout=60)
                page = fetch(url)
                if marker in page:
                    break
                reload = LIVERELOAD_RE.search(page) or reload
                if time.monotonic() - start > 120:
                    sys.exit(f"{url}: sidan byggdes inte om inom 120 s.\n"
                             + log_path.read_text(encoding="utf-8")[-3000:])
            waits.append(time.monotonic() - start)
            print(f"  sparning {i + 1}: {waits[-1]:.2f} s till den nya sidan visades")
            time.sleep(3.0)  # a manager reads the page before the next save
        built = [float(x) for x in BUILT_RE.findall(log_path.read_text(encoding="utf-8"))[1:]]
    finally:
        server.terminate()
        server.wait(timeout=30)
        for path, data in originals.items():
            path.write_bytes(data)
    median = statistics.median(waits)
    ratio = median / full
    aim = f" (mål ≤ {args.target_ratio})" if args.target_ratio != float("inf") else ""
    print(f"Median från sparning till visad sida: {median:.2f} s (mål ≤ {args.target_seconds} s); "
          f"kvot mot fullt bygge {ratio:.3f}{aim}.")
    if built:
        print(f"Ombyggnadernas egen tid enligt MkDocs: median {statistics.median(built):.2f} s.")
    if cleanup:
        shutil.rmtree(root, ignore_errors=True)
    missed = median > args.target_seconds or ratio > args.target_ratio
    if missed:
        print("Målet nås inte.")
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    sys.exit(main())
