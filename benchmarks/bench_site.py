#!/usr/bin/env python3
"""Benchmark of the handbook site build against a plain MkDocs Material build.

PRODUCT.md 6: a site build of 3,000 documents takes at most 1.2x the time of a
plain MkDocs Material build of the same Markdown with the same theme, measured
in the same run, and peaks under 500 MB of memory.

This script (not a pytest test) does three things:

1. generates a deterministic handbook of N documents (default 3,000) with
   bench_check.py's generator (front matter per PRODUCT.md 3.1, ~300-word
   bodies with headings and lists in nested folders, data/ with units, roles,
   processes and requirements), adding a small table to every body; and, beside
   it, a plain MkDocs project whose docs/ holds the same Markdown files (front
   matter kept: MkDocs reads it as page meta);
2. times, alternately for several rounds, two whole `mkdocs build -q`
   processes (interpreter start-up included in both):
   (a) the baseline: Material (language sv, font false), plugins [search], an
       explicit nav of only index.md and `validation: {nav: {omitted_files:
       ignore}}` (the plugin keeps routines out of the sidebar too; an auto-nav
       of thousands of pages grows with the square of the page count);
   (b) the handbook: the same theme and Markdown extensions, plugins
       [search, handbok], HANDBOK_TODAY=2026-11-22 and CI unset;
3. prints min and median wall time of each, the ratio of the medians against
   the target (1.2) and the peak memory (max RSS) of each build against its
   target (500 MB); with --check it exits 1 when a target is missed.

Peak memory is each build process's own ru_maxrss, as the kernel reports it to
wait4() for that one child (what `/usr/bin/time -v` prints as "Maximum
resident set size"); getrusage(RUSAGE_CHILDREN) would give the largest of all
children so far, not each build's own.

Usage:
    python benchmarks/bench_site.py                        # 3,000 documents, 3 rounds
    python benchmarks/bench_site.py --documents 500 --rounds 2
    python benchmarks/bench_site.py --out /tmp/hbsite --check
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_check  # noqa: E402  (the shared handbook generator)

TIME_TARGET = 1.2
MEMORY_TARGET_MB = 500
TODAY = bench_check.TODAY
MARKER = ".bench-site.json"
GENERATOR_VERSION = 1  # of the additions here; bench_check.GENERATOR_VERSION is recorded too

THEME = "theme:\n  name: material\n  language: sv\n  font: false\n"
EXTENSIONS = (
    "markdown_extensions:\n  - admonition\n  - attr_list\n  - tables\n"
    "  - toc:\n      permalink: true\n"
)
HANDBOOK_YML = (
    "site_name: Benchmarkhandbok\n" + THEME
    + "plugins:\n  - search:\n      lang: sv\n  - handbok\n" + EXTENSIONS
)
BASELINE_YML = (
    "site_name: Benchmarkhandbok\n" + THEME
    + "plugins:\n  - search:\n      lang: sv\n" + EXTENSIONS
    + "nav:\n  - index.md\n"
    + "validation:\n  nav:\n    omitted_files: ignore\n"
)

TABLE_MOMENTS = ["Ansökan registreras", "Utredning inleds", "Beslut fattas", "Beslut delges",
                 "Uppföljning", "Avslut", "Journalanteckning", "Underrättelse"]
TABLE_ROLES = ["Socialsekreterare", "Enhetschef", "Handläggare", "Utskottet", "Assistent"]
TABLE_TIMES = ["Samma dag", "Inom 3 dagar", "Inom 2 veckor", "Inom en månad", "Löpande"]


# ---------------------------------------------------------------- the handbook

def _with_table(text: str, rng: random.Random) -> str:
    """The document with a section holding a small table, after its third section."""
    rows = [f"| {m} | {rng.choice(TABLE_ROLES)} | {rng.choice(TABLE_TIMES)} |"
            for m in rng.sample(TABLE_MOMENTS, rng.randrange(3, 6))]
    section = "\n".join([
        "## Ansvar och tidsgränser",
        "",
        bench_check._sentence(rng, rng.randrange(12, 20)) + " "
        + bench_check._sentence(rng, rng.randrange(12, 20)),
        "",
        "| Moment | Ansvarig | Tidsgräns |",
        "|---|---|---|",
        *rows,
        "",
        "",
    ])
    parts = text.split("\n## ")  # front matter and title, then one part per section
    head, tail = parts[:4], parts[4:]
    if not tail:
        return text.rstrip("\n") + "\n\n" + section.rstrip("\n") + "\n"
    return "\n## ".join(head) + "\n" + section + "## " + "\n## ".join(tail)


def generate(root: Path, n: int, seed: int) -> None:
    """The handbook in root/handbook, the plain MkDocs project in root/baseline."""
    hb = root / "handbook"
    bench_check.generate(hb, n, seed)
    (hb / "mkdocs.yml").write_text(HANDBOOK_YML, encoding="utf-8")
    index = "# Handbok\n\nRutiner och riktlinjer för socialförvaltningen.\n"
    (hb / "docs" / "index.md").write_text(index, encoding="utf-8")
    base = root / "baseline"
    (base / "docs").mkdir(parents=True, exist_ok=True)
    (base / "mkdocs.yml").write_text(BASELINE_YML, encoding="utf-8")
    (base / "docs" / "index.md").write_text(index, encoding="utf-8")
    for path in sorted((hb / "routines").rglob("*.md")):
        text = _with_table(path.read_text(encoding="utf-8"), random.Random(f"{seed}-table-{path.name}"))
        path.write_text(text, encoding="utf-8")
        copy = base / "docs" / path.relative_to(hb)
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_text(text, encoding="utf-8")


def prepare(out: Path | None, n: int, seed: int) -> tuple[Path, bool]:
    """(root, whether to delete it afterwards); generates when needed."""
    params = {"documents": n, "seed": seed, "version": GENERATOR_VERSION,
              "bench_check": bench_check.GENERATOR_VERSION}
    if out is None:
        root, cleanup = Path(tempfile.mkdtemp(prefix="handbok-bench-site-")), True
    else:
        root, cleanup = out, False
        marker = root / MARKER
        if marker.is_file():
            if json.loads(marker.read_text()) == params:
                print(f"Återanvänder {root} ({n} dokument, seed {seed}).")
                return root, cleanup
            for sub in ("handbook", "baseline", "site-handbook", "site-baseline"):
                shutil.rmtree(root / sub, ignore_errors=True)
        elif root.exists() and any(root.iterdir()):
            sys.exit(f"{root} finns och är inte en benchmarkhandbok: välj en tom mapp.")
    start = time.perf_counter()
    root.mkdir(parents=True, exist_ok=True)
    generate(root, n, seed)
    (root / MARKER).write_text(json.dumps(params))
    print(f"Genererade {n} dokument i {root} på {time.perf_counter() - start:.1f} s.")
    return root, cleanup


# ---------------------------------------------------------------- the timing

def build_env() -> dict[str, str]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", HANDBOK_TODAY=TODAY)
    env.pop("CI", None)
    return env


def build_command(project: Path, site: Path) -> list[str]:
    return [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project / "mkdocs.yml"),
            "-d", str(site)]


def timed_build(name: str, project: Path, site: Path, env: dict[str, str]) -> tuple[float, float, int]:
    shutil.rmtree(site, ignore_errors=True)  # not timed: both start from no site
    elapsed, cpu, code, peak, stderr = bench_check.run(build_command(project, site), project, env)
    if code != 0:
        sys.exit(f"{name}: mkdocs build avslutades med kod {code}:\n{stderr[-3000:]}")
    return elapsed, cpu, peak


def sanity(root: Path, n: int) -> None:
    """Both sites hold a page for every document; the handbook's has its panel."""
    for name in ("baseline", "handbook"):
        pages = list((root / f"site-{name}" / "routines").rglob("index.html"))
        if len(pages) != n:
            sys.exit(f"{name}: {len(pages)} dokumentsidor, väntade {n}.")
    sample = next((root / "site-handbook" / "routines").rglob("index.html")).read_text(encoding="utf-8")
    if "handbok-panel" not in sample:
        sys.exit("handbook: dokumentsidan saknar informationspanelen.")
    if not (root / "site-handbook" / "oversikt" / "dokumentforteckning" / "index.html").is_file():
        sys.exit("handbook: dokumentförteckningen saknas.")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=3000, help="documents to generate")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds of each build")
    parser.add_argument("--out", type=Path, help="generate into (or reuse) this folder; kept")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--target", type=float, default=TIME_TARGET, help="highest allowed time ratio")
    parser.add_argument("--memory", type=float, default=MEMORY_TARGET_MB,
                        help="highest allowed peak memory of the handbook build, MB")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)

    root, cleanup = prepare(args.out, args.documents, args.seed)
    env = build_env()
    projects = {"baseline": root / "baseline", "handbook": root / "handbook"}
    times: dict[str, list[float]] = {k: [] for k in projects}
    cpus: dict[str, list[float]] = {k: [] for k in projects}
    peaks: dict[str, list[int]] = {k: [] for k in projects}
    try:
        for name, project in projects.items():  # untimed: warms the page cache and imports
            timed_build(name, project, root / f"site-{name}", env)
        sanity(root, args.documents)
        for i in range(args.rounds):
            order = list(projects) if i % 2 == 0 else list(reversed(projects))
            for name in order:
                elapsed, cpu, peak = timed_build(name, projects[name], root / f"site-{name}", env)
                times[name].append(elapsed)
                cpus[name].append(cpu)
                peaks[name].append(peak)
            print(f"  runda {i + 1}: baslinje {times['baseline'][-1]:.2f} s, "
                  f"handbok {times['handbook'][-1]:.2f} s")
    finally:
        if cleanup:
            shutil.rmtree(root, ignore_errors=True)

    b_min, b_med = min(times["baseline"]), statistics.median(times["baseline"])
    h_min, h_med = min(times["handbook"]), statistics.median(times["handbook"])
    ratio = h_med / b_med
    ratio_pairs = statistics.median(h / b for h, b in zip(times["handbook"], times["baseline"], strict=True))
    mb = {k: max(v) * 1024 / 1e6 for k, v in peaks.items()}  # ru_maxrss is KiB on Linux
    print()
    print(f"{args.documents} dokument, {args.rounds} rundor (hela mkdocs build, start inräknad)")
    print(f"  baslinje (Material + search):  min {b_min:.2f} s  median {b_med:.2f} s  "
          f"cpu {statistics.median(cpus['baseline']):.2f} s  topp-RSS {mb['baseline']:.0f} MB")
    print(f"  handbok (Material + search + handbok): min {h_min:.2f} s  median {h_med:.2f} s  "
          f"cpu {statistics.median(cpus['handbook']):.2f} s  topp-RSS {mb['handbook']:.0f} MB")
    print(f"  kvot median/median {ratio:.2f} (mål ≤ {args.target:.1f}); "
          f"median av varje rundas kvot {ratio_pairs:.2f}")
    time_ok = ratio <= args.target
    memory_ok = mb["handbook"] < args.memory
    print(f"  tid: {'INOM MÅLET' if time_ok else 'ÖVER MÅLET'}; "
          f"minne: {'INOM MÅLET' if memory_ok else 'ÖVER MÅLET'} (< {args.memory:.0f} MB)")
    if args.check and not (time_ok and memory_ok):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
