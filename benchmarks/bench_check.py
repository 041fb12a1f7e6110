#!/usr/bin/env python3
"""Benchmark of `handbok check` against the cost of only parsing front matter.

PRODUCT.md 6: `handbok check` on 10,000 documents takes at most 2x the time of
only reading every file and parsing its front matter with PyYAML's C loader,
measured in the same run.

This script (not a pytest test) does three things:

1. generates a deterministic handbook of N documents (default 10,000) with
   realistic front matter, ~300-word Markdown bodies in nested folders and a
   realistic data/ folder;
2. times, alternately for several rounds, two whole processes (interpreter
   start-up included in both):
   (a) the baseline: `python -c ...` that reads every routines/**.md file and
       parses its front matter with yaml.load(..., Loader=yaml.CSafeLoader);
   (b) `handbok check DIR --today 2026-11-22 --format json --no-cache` (cold),
       stdout to /dev/null;
   (c) the same with the cache in DIR/.cache/handbok/ and nothing changed (warm): the
       answer kept by the previous run is written again (`handbok.answer`);
   (d) the same with that answer and the kept result removed first: the document
       cache alone (a whole check);
   (e) the same after one document's body was changed (issue 12): the kept result
       with that document's body findings computed again (`handbok.recheck`);
3. prints min and median of each, the ratios and the targets, and the peak
   memory (ru_maxrss) of each process; with --check it exits 1 when the
   median ratio of the cold check is above the target.

Peak memory at 30,000 documents: `--documents 30000`.

Usage:
    python benchmarks/bench_check.py                  # 10,000 documents, 5 rounds
    python benchmarks/bench_check.py --documents 2000 --rounds 3
    python benchmarks/bench_check.py --out /tmp/hb10k --check
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET = 2.0
COLD_TARGET = 1.2  # issue 12: a cold check (--no-cache) at 10,000 documents
WARM_TARGET = 0.2  # with the cache, nothing changed
CHANGED_TARGET = 0.25  # with the cache, one file changed
TODAY = "2026-11-22"
TODAY_DATE = dt.date.fromisoformat(TODAY)
MARKER = ".bench-handbook.json"
GENERATOR_VERSION = 1

# The baseline: read every document and parse its front matter, nothing else.
BASELINE = r"""
import os, sys, yaml
loader = yaml.CSafeLoader
count = 0
for dirpath, dirnames, filenames in os.walk(os.path.join(sys.argv[1], "routines")):
    for name in filenames:
        if not name.endswith(".md"):
            continue
        with open(os.path.join(dirpath, name), "rb") as f:
            text = f.read().decode("utf-8")
        lines = text.split("\n")
        if lines[0].rstrip() != "---":
            continue
        end = next(i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "..."))
        yaml.load("\n".join(lines[1:end]), Loader=loader)
        count += 1
print(count)
"""

# ---------------------------------------------------------------- the handbook

UNITS = {
    "socialforvaltningen": ("Socialförvaltningen", None),
    "ifo": ("Individ- och familjeomsorg", "socialforvaltningen"),
    "forsorjningsstod": ("Försörjningsstöd", "ifo"),
    "barn-och-unga": ("Barn och unga", "ifo"),
    "vuxen": ("Vuxenenheten", "ifo"),
    "ame": ("Arbetsmarknadsenheten", "socialforvaltningen"),
    "aldreomsorg": ("Äldreomsorg", "socialforvaltningen"),
    "hemtjanst": ("Hemtjänst", "aldreomsorg"),
}
BODIES = {"socialnamnden": "Socialnämnden", "individutskottet": "Individutskottet"}
ROLES = {
    "forvaltningschef": ("Förvaltningschef", "socialforvaltningen"),
    "ifo-chef": ("Verksamhetschef IFO", "ifo"),
    "enhetschef-forsorjningsstod": ("Enhetschef försörjningsstöd", "forsorjningsstod"),
    "enhetschef-barn": ("Enhetschef barn och unga", "barn-och-unga"),
    "enhetschef-vuxen": ("Enhetschef vuxen", "vuxen"),
    "enhetschef-ame": ("Enhetschef arbetsmarknad", "ame"),
    "enhetschef-hemtjanst": ("Enhetschef hemtjänst", "hemtjanst"),
    "kvalitetsstrateg": ("Kvalitetsstrateg", "socialforvaltningen"),
    "socialsekreterare": ("Socialsekreterare", "forsorjningsstod"),
    "arbetsmarknadshandlaggare": ("Arbetsmarknadshandläggare", "ame"),
    "bistandshandlaggare": ("Biståndshandläggare", "aldreomsorg"),
    "undersköterska": ("Undersköterska", "hemtjanst"),
}
OWNERS = [r for r in ROLES if r.startswith(("enhetschef", "ifo-chef", "kvalitetsstrateg"))]
DECIDERS = ["forvaltningschef", "ifo-chef", "socialnamnden", "individutskottet"]
AUDIENCE = ["socialsekreterare", "arbetsmarknadshandlaggare", "bistandshandlaggare", "undersköterska"]
PROCESSES = {
    "ekonomiskt-bistand": ("Ekonomiskt bistånd", [
        ("ansokan", "Ansökan och nybesök"), ("utredning", "Utredning"),
        ("beslut", "Beslut"), ("anvisning-ame", "Anvisning till arbetsmarknadsenheten"),
        ("uppfoljning", "Uppföljning")]),
    "barnavard": ("Barnavård", [
        ("orosanmalan", "Orosanmälan"), ("forhandsbedomning", "Förhandsbedömning"),
        ("barnutredning", "Utredning enligt 11 kap. 1 § SoL"), ("insats", "Insats")]),
    "hemtjanst-process": ("Hemtjänst", [
        ("biståndsbeslut", "Biståndsbeslut"), ("genomforandeplan", "Genomförandeplan"),
        ("utforande", "Utförande"), ("avslut", "Avslut")]),
    "avvikelser": ("Avvikelsehantering", [
        ("rapportering", "Rapportering"), ("analys", "Analys"), ("atgard", "Åtgärd")]),
}
REQUIREMENTS = {
    "sosfs-2011-9": ("SOSFS 2011:9", [
        ("3-1", "3 kap. 1 §", "Ledningssystemets uppbyggnad"),
        ("4-1", "4 kap. 1 §", "Processer"), ("4-2", "4 kap. 2 §", "Processernas aktiviteter"),
        ("4-4", "4 kap. 4 §", "Rutiner"), ("4-6", "4 kap. 6 §", "Samverkan"),
        ("5-1", "5 kap. 1 §", "Egenkontroll"), ("5-6", "5 kap. 6 §", "Avvikelser"),
        ("7-1", "7 kap. 1 §", "Dokumentationsskyldighet")]),
    "sol": ("Socialtjänstlagen (2001:453)", [
        ("3-3", "3 kap. 3 §", "Kvalitet"), ("4-1", "4 kap. 1 §", "Rätten till bistånd"),
        ("11-1", "11 kap. 1 §", "Utredning"), ("14-1", "14 kap. 1 §", "Anmälningsskyldighet")]),
}
LEGAL_REFS = ["SoL 4 kap. 1 §", "SoL 4 kap. 4 §", "SoL 11 kap. 1 §", "SoL 14 kap. 1 §",
              "FL 32 §", "OSL 26 kap. 1 §", "SOSFS 2011:9 4 kap. 4 §", "GDPR art. 5"]
TYPES = (["rutin"] * 8 + ["instruktion"] * 4 + ["checklista"] * 3 + ["riktlinje"] * 2
         + ["processbeskrivning", "mall", "policy", "delegationsordning"])
AREAS = {
    "ekonomiskt-bistand": ["ansokan", "utredning", "beslut", "uppfoljning", "ame"],
    "barn-och-unga": ["orosanmalan", "utredning", "insatser", "placering"],
    "vuxen": ["missbruk", "vald-i-nara-relationer", "boende"],
    "aldreomsorg": ["hemtjanst", "sarskilt-boende", "biståndsbedomning"],
    "gemensamt": ["dokumentation", "sekretess", "avvikelser", "introduktion"],
}
WORDS = (
    "handläggaren ska dokumentera beslutet i journalen enligt gällande rutin och "
    "informera den enskilde om möjligheten att överklaga samt om vilka uppgifter "
    "som behövs för att ansökan ska kunna prövas utredningen omfattar hushållets "
    "samlade ekonomi boendekostnad och arbetsförmåga vid oklarheter kontaktas "
    "enhetschef som avgör om ärendet ska lyftas i arbetsgrupp eller utskott "
    "underlaget sparas i verksamhetssystemet och gallras enligt dokumenthanteringsplanen "
    "samverkan med arbetsförmedlingen sker enligt överenskommelse och följs upp "
    "varje kvartal avvikelser rapporteras i avvikelsesystemet senast nästa arbetsdag"
).split()
HEADINGS = ["Syfte", "Omfattning", "Ansvar", "Arbetsgång", "Dokumentation", "Uppföljning",
            "Sekretess", "Avvikelser", "Bakgrund", "Definitioner"]
TITLE_WORDS = ["Anvisning", "Handläggning", "Dokumentation", "Uppföljning", "Bedömning",
               "Beslut", "Introduktion", "Samverkan", "Rapportering", "Utredning"]
TITLE_OBJECTS = ["av ansökan", "vid nybesök", "till arbetsmarknadsenheten", "av orosanmälan",
                 "i journalen", "med arbetsförmedlingen", "av avvikelser", "vid akuta ärenden",
                 "av hemtjänstinsatser", "inför beslut i utskott"]


def _sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def _body(rng: random.Random, title: str) -> str:
    out = [f"# {title}", ""]
    for heading in rng.sample(HEADINGS, 5):
        out += [f"## {heading}", ""]
        para = " ".join(_sentence(rng, rng.randrange(8, 16)) for _ in range(rng.randrange(2, 4)))
        out += [para, ""]
        if rng.random() < 0.6:
            marker = "1." if rng.random() < 0.4 else "-"
            for _ in range(rng.randrange(3, 6)):
                item = _sentence(rng, rng.randrange(4, 9))
                out.append(f"{marker} {item}")
            out.append("")
    if rng.random() < 0.05:  # a comparison, as text: "<" in the body, not HTML
        out += ["Belopp < 500 kr beviljas utan utskottsbeslut.", ""]
    return "\n".join(out)


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _doc_id(number: int, doc_type: str) -> str:
    area = list(AREAS)[number % len(AREAS)]
    return f"{area[:3].upper()}-{doc_type[:3].upper()}-{number:05d}"


def document(rng: random.Random, number: int, ids: list[str]) -> tuple[str, str]:
    """(relative path, file text) of document `number`; `ids` are every document's id."""
    n = len(ids)
    area = list(AREAS)[number % len(AREAS)]
    sub = AREAS[area][(number // len(AREAS)) % len(AREAS[area])]
    doc_type = rng.choice(TYPES)  # first draw: the same as in generate()
    doc_id = ids[number]
    title = f"{rng.choice(TITLE_WORDS)} {rng.choice(TITLE_OBJECTS)} ({number})"
    interval, months = rng.choice([("6 months", 6), ("1 year", 12), ("1 year", 12),
                                   ("2 years", 24)])
    # Most documents are current; some are due soon or overdue (last review
    # window reaches ~15 % past the interval).
    reviewed = None
    window = int(months * 30.4 * 1.15)
    if rng.random() < 0.3:
        reviewed = TODAY_DATE - dt.timedelta(days=rng.randrange(1, window))
        decision = reviewed - dt.timedelta(days=rng.randrange(200, 900))
    else:
        decision = TODAY_DATE - dt.timedelta(days=rng.randrange(1, window))
    status = rng.choices(["active", "draft", "repealed"], [94, 4, 2])[0]
    process = rng.choice(list(PROCESSES))
    steps = [s for s, _ in PROCESSES[process][1]]
    source = rng.choice(list(REQUIREMENTS))
    reqs = rng.sample([f"{source}/{k}" for k, _, _ in REQUIREMENTS[source][1]], 2)
    lines = [
        "---",
        f"id: {doc_id}",
        f"title: {_quote(title)}",
        f"type: {doc_type}",
    ]
    if status != "active":
        lines.append(f"status: {status}")
    # A realistic handful of mistakes (about 2.5 %): misspelt keys, an unknown role.
    roll = rng.random()
    owner = rng.choice(OWNERS)
    if roll < 0.005:
        owner = owner.replace("enhetschef", "enhetchef")
    lines += [
        f"owner: {owner}",
        f"decided_by: {rng.choice(DECIDERS)}",
        f"decision_date: {decision.isoformat()}",
        f"decision_ref: \"SN {decision.year}/{rng.randrange(1, 200)} § {rng.randrange(1, 120)}\"",
        f"review_interval: {interval}",
    ]
    if reviewed is not None:
        lines.append(f"last_reviewed: {reviewed.isoformat()}")
    lines += [
        f"processes: [{', '.join(rng.sample(steps, 2))}]",
        f"requirements: [{', '.join(reqs)}]",
        f"legal_refs: [{', '.join(_quote(r) for r in rng.sample(LEGAL_REFS, 2))}]",
        f"audience: [{', '.join(rng.sample(AUDIENCE, 2))}]",
        "history:",
        f"  - {{date: {decision.isoformat()}, version: \"2.0\", note: Ny arbetsgång efter beslut}}",
        f"  - {{date: {(decision - dt.timedelta(days=400)).isoformat()}, version: \"1.0\", "
        "note: Första versionen}",
    ]
    related = sorted({rng.randrange(n) for _ in range(2)} - {number})
    if related:
        lines.append("related:")
        lines += [f"  - {ids[other]}" for other in related]
    if status == "repealed":
        lines.append(f"superseded_by: [{ids[(number + 1) % n]}]")
    if 0.005 <= roll < 0.015:
        lines.append("reveiw_date: 2027-01-01")
    elif 0.015 <= roll < 0.025:
        lines.append("audince: [socialsekreterare]")
    lines.append("---")
    body = _body(rng, title)
    path = f"routines/{area}/{sub}/{doc_id.lower()}.md"
    return path, "\n".join(lines) + "\n\n" + body + "\n"


def generate(root: Path, n: int, seed: int) -> None:
    """Write a handbook of `n` documents under `root` (deterministic for a seed)."""
    (root / "data").mkdir(parents=True, exist_ok=True)
    (root / "docs").mkdir(exist_ok=True)
    (root / "mkdocs.yml").write_text(
        "site_name: Benchmarkhandbok\ntheme:\n  name: material\n  language: sv\n"
        "plugins:\n  - search\n  - handbok\n", encoding="utf-8")
    (root / "docs" / "index.md").write_text("# Handbok\n", encoding="utf-8")
    org = ["units:"]
    for key, (name, parent) in UNITS.items():
        org.append(f"  {key}: {{name: {name}" + (f", parent: {parent}}}" if parent else "}"))
    org.append("bodies:")
    org += [f"  {key}: {{name: {name}}}" for key, name in BODIES.items()]
    org.append("roles:")
    for i, (key, (title, unit)) in enumerate(ROLES.items()):
        org += [f"  {key}:", f"    title: {title}", f"    unit: {unit}"]
        if key in OWNERS:
            org += [f"    holder: Person {i}", f"    email: person{i}@kommun.example",
                    f"    git: \"@person-{i}\""]
    (root / "data" / "organisation.yml").write_text("\n".join(org) + "\n", encoding="utf-8")
    procs: list[str] = []
    for key, (name, steps) in PROCESSES.items():
        procs += [f"{key}:", f"  name: {name}", "  steps:"]
        procs += [f"    {s}: {{name: {sname}}}" for s, sname in steps]
    (root / "data" / "processes.yml").write_text("\n".join(procs) + "\n", encoding="utf-8")
    reqs: list[str] = []
    for key, (name, items) in REQUIREMENTS.items():
        reqs += [f"{key}:", f"  name: \"{name}\"", "  requirements:"]
        reqs += [f"    {k}: {{ref: \"{ref}\", title: {title}}}" for k, ref, title in items]
    (root / "data" / "requirements.yml").write_text("\n".join(reqs) + "\n", encoding="utf-8")

    # Each document draws from its own seeded stream, whose first draw is its type:
    # every id is known first, so that `related` can name real documents.
    ids = [_doc_id(i, random.Random(f"{seed}-{i}").choice(TYPES)) for i in range(n)]
    for i in range(n):
        path, text = document(random.Random(f"{seed}-{i}"), i, ids)
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def prepare(out: Path | None, n: int, seed: int) -> tuple[Path, bool]:
    """(handbook root, whether to delete it afterwards); generates when needed."""
    params = {"documents": n, "seed": seed, "version": GENERATOR_VERSION}
    if out is None:
        root = Path(tempfile.mkdtemp(prefix="handbok-bench-"))
        cleanup = True
    else:
        root, cleanup = out, False
        marker = root / MARKER
        if marker.is_file():
            if json.loads(marker.read_text()) == params:
                print(f"Återanvänder {root} ({n} dokument, seed {seed}).")
                return root, cleanup
            for sub in ("routines", "data", "docs"):
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

def run(cmd: list[str], cwd: Path | None = None, env: dict[str, str] | None = None,
        ) -> tuple[float, float, int, int, str]:
    """(wall s, cpu s, exit code, peak RSS in KiB, stderr) of one whole process.

    wait4() gives the kernel's figures for exactly this child (as /usr/bin/time
    does), not the maximum over every child so far as RUSAGE_CHILDREN would.
    """
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    return elapsed, usage.ru_utime + usage.ru_stime, proc.returncode, usage.ru_maxrss, stderr  # KiB on Linux


def byte_compiled() -> None:
    """The package's modules compiled, as pip leaves an installed package: an editable
    install under PYTHONDONTWRITEBYTECODE=1 would compile them again in every timed run
    (about 0.07 s each), which no installed handbok does."""
    import handbok
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(handbok.__file__).parent)], check=True)


def handbok_command() -> list[str]:
    beside = Path(sys.executable).parent / "handbok"
    exe = str(beside) if beside.exists() else shutil.which("handbok")
    if exe is None:
        sys.exit("Kommandot handbok finns inte: installera paketet (pip install -e .).")
    return [exe]


def sanity(root: Path, check_cmd: list[str], n: int) -> dict:
    """Run both once, untimed: the check's JSON must cover every document.

    The JSON is read in a child process: a child's ru_maxrss starts from this
    process's size (the child is forked from it), so this one is kept small.
    """
    base = subprocess.run([sys.executable, "-c", BASELINE, str(root)], capture_output=True,
                          text=True, check=True)
    if int(base.stdout) != n:
        sys.exit(f"Baslinjen läste {base.stdout.strip()} dokument, väntade {n}.")
    with tempfile.TemporaryFile() as out:
        code = subprocess.run(check_cmd, stdout=out).returncode
        if code not in (0, 1):
            sys.exit(f"handbok check avslutades med kod {code}")
        out.seek(0)
        summary = subprocess.run(
            [sys.executable, "-c", "import json, sys; "
             "print(json.dumps(json.load(sys.stdin)['summary'], ensure_ascii=False))"],
            stdin=out, capture_output=True, text=True, check=True).stdout
    data = json.loads(summary)
    if data["documents"] != n:
        sys.exit(f"handbok check såg {data['documents']} dokument, väntade {n}.")
    return data


def toggle_edit(root: Path) -> None:
    """Change one document (a line added, or taken away again): the one-file-changed run."""
    path = next(iter(sorted((root / "routines").rglob("*.md"))))
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: -len(EDIT)] if text.endswith(EDIT) else text + EDIT, encoding="utf-8")


EDIT = "\nEn rad som läggs till och tas bort av benchmarken.\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=10_000, help="documents to generate")
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds of each command")
    parser.add_argument("--out", type=Path, help="generate into (or reuse) this folder; kept")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--target", type=float, default=TARGET, help="highest allowed ratio")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 when median handbok / median baseline exceeds the target")
    args = parser.parse_args(argv)

    root, cleanup = prepare(args.out, args.documents, args.seed)
    byte_compiled()
    names = ("baseline", "handbok", "warm", "documents", "changed")
    try:
        baseline = [sys.executable, "-c", BASELINE, str(root)]
        check = handbok_command() + ["check", str(root), "--today", TODAY, "--format", "json"]
        cold = [*check, "--no-cache"]
        summary = sanity(root, cold, args.documents)  # also warms the page cache
        print("handbok check:", json.dumps(summary, ensure_ascii=False))
        shutil.rmtree(root / ".cache", ignore_errors=True)
        run(check)  # fills .cache/handbok/
        times: dict[str, list[float]] = {name: [] for name in names}
        cpus: dict[str, list[float]] = {name: [] for name in names}
        peaks: dict[str, list[int]] = {name: [] for name in names}
        commands = {"baseline": baseline, "handbok": cold, "warm": check, "documents": check, "changed": check}
        for i in range(args.rounds):
            for name in names:
                if name == "changed":
                    toggle_edit(root)
                elif name == "documents":
                    for kept in (root / ".cache/handbok").glob("*-*.bin"):  # answers, results
                        kept.unlink()
                elapsed, cpu, code, peak, stderr = run(commands[name])
                if code not in (0, 1):
                    sys.exit(f"{name} avslutades med kod {code}:\n{stderr[-3000:]}")
                times[name].append(elapsed)
                cpus[name].append(cpu)
                peaks[name].append(peak)
            print(f"  runda {i + 1}: baslinje {times['baseline'][-1]:.3f} s, "
                  f"kall {times['handbok'][-1]:.3f} s, varm {times['warm'][-1]:.3f} s, "
                  f"bara dokumentcachen {times['documents'][-1]:.3f} s, en fil ändrad {times['changed'][-1]:.3f} s")
        if args.rounds % 2:
            toggle_edit(root)  # the handbook as generated again
    finally:
        if cleanup:
            shutil.rmtree(root, ignore_errors=True)

    b_min, b_med = min(times["baseline"]), statistics.median(times["baseline"])
    h_min, h_med = min(times["handbok"]), statistics.median(times["handbok"])
    ratio_med, ratio_min = h_med / b_med, h_min / b_min
    # Each round's own ratio: robust when the machine's speed drifts between rounds.
    pairs = zip(times["handbok"], times["baseline"], strict=True)
    ratio_pairs = statistics.median(h / b for h, b in pairs)
    cpu_b, cpu_h = statistics.median(cpus["baseline"]), statistics.median(cpus["handbok"])
    print()
    print(f"{args.documents} dokument, {args.rounds} rundor (hela processer, start inräknad)")
    print(f"  baslinje (läs + yaml CSafeLoader): min {b_min:.3f} s  median {b_med:.3f} s  "
          f"topp-RSS {max(peaks['baseline']) / 1024:.0f} MiB")
    print(f"  handbok check --no-cache (kall):   min {h_min:.3f} s  median {h_med:.3f} s  "
          f"topp-RSS {max(peaks['handbok']) / 1024:.0f} MiB")
    print(f"  kvot median/median {ratio_med:.2f}, min/min {ratio_min:.2f} "
          f"(mål ≤ {args.target:.1f}; issue 12: ≤ {COLD_TARGET})")
    print(f"  (median av varje rundas kvot {ratio_pairs:.2f}; cpu-tid median baslinje "
          f"{cpu_b:.3f} s, handbok {cpu_h:.3f} s, kvot {cpu_h / cpu_b:.2f})")
    for name, label, target in (("warm", "varm (inget ändrat)", WARM_TARGET),
                                ("documents", "bara dokumentcachen", WARM_TARGET),
                                ("changed", "en fil ändrad", CHANGED_TARGET)):
        med = statistics.median(times[name])
        own = statistics.median(t / b for t, b in zip(times[name], times["baseline"], strict=True))
        print(f"  handbok check, cache {label + ':':21s} min {min(times[name]):.3f} s  median {med:.3f} s  "
              f"topp-RSS {max(peaks[name]) / 1024:.0f} MiB  kvot {med / b_med:.2f} "
              f"(rundvis {own:.2f}; mål ≤ {target})")
    floor = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  (topp-RSS per barnprocess via wait4; kan inte visa under detta skripts egen, "
          f"{floor:.0f} MiB)")
    ok = ratio_med <= args.target
    print("  INOM MÅLET" if ok else "  ÖVER MÅLET")
    if args.check and not ok:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
