"""The legal register and the reading of `legal_refs`.

The register (`handbok/data/legal-register.yml`, extended or overridden by a handbook's
own `data/legal-register.yml`) knows the acts and regulations routines cite: numbers,
names, in force, repealed and successor, amendments and the chapters they touch, and an
advisory map of old to new paragraphs. `legal_findings` reads every reference and says
what is wrong: `repealed-law`, `ambiguous-law-ref`, `law-changed`, `unknown-law`.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import messages as msg
from .files import Root
from .load import decode, parse_date
from .model import Document, Finding
from .yamlread import YamlError, parse_yaml

__all__ = [
    "REGISTER_FILE",
    "TRANSITIONAL_KEY",
    "Act",
    "Amendment",
    "LegalRef",
    "Location",
    "Register",
    "check_law",
    "legal_findings",
    "load_register",
    "parse_ref",
    "resolve",
]

REGISTER_FILE = "legal-register.yml"
TRANSITIONAL_KEY = "transitional_law"
PACKAGE_REGISTER = Path(__file__).parent / "data" / REGISTER_FILE


@dataclass(frozen=True)
class Amendment:
    number: str  # "2025:762" or "HSLF-FS 2023:27"; "" when not known
    in_force: dt.date | None
    chapters: tuple[str, ...]  # the chapters it touches; () = not known
    note: str = ""

    def label(self) -> str:
        name = f"SFS {self.number}" if _is_sfs(self.number) else self.number or "en ändring"
        details = [f"i kraft {self.in_force.isoformat()}" if self.in_force else "", self.note]
        inner = ", ".join(d for d in details if d)
        return f"{name} ({inner})" if inner else name


@dataclass(frozen=True)
class Act:
    key: str
    title: str
    number: str = ""
    short: str = ""
    aliases: tuple[str, ...] = ()
    in_force: dt.date | None = None
    repealed: dt.date | None = None
    successor: str | None = None
    transitional: str = ""
    amendments: tuple[Amendment, ...] = ()
    paragraph_map: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    note: str = ""
    unverified: tuple[str, ...] = ()
    source: str = ""

    def label(self) -> str:
        """How a reference names the act: 'SoL (2025:400)', 'SOSFS 2011:9', else the title."""
        if _is_sfs(self.number):
            return f"{self.short} ({self.number})" if self.short else self.title
        return self.number or self.title

    def repealed_on(self, day: dt.date) -> bool:
        return self.repealed is not None and self.repealed <= day

    def in_force_on(self, day: dt.date) -> bool:
        return (self.in_force is None or self.in_force <= day) and not self.repealed_on(day)


@dataclass(frozen=True)
class Location:
    chapter: str | None
    paragraphs: tuple[str, ...] = ()
    stycke: int | None = None

    def __str__(self) -> str:
        parts = [f"{self.chapter} kap."] if self.chapter else []
        if self.paragraphs:
            sign = "§§" if len(self.paragraphs) > 1 else "§"
            parts.append(f"{_join_paragraphs(self.paragraphs)} {sign}")
        return " ".join(parts)


@dataclass(frozen=True)
class LegalRef:
    """One `legal_refs` entry, read: the act's number or name, and where in it."""

    text: str
    number: str | None = None  # "2025:400", "SOSFS 2011:9", "EU 2016/679"
    name: str | None = None  # what names the act, in lower case: "sol", "socialtjänstlagen"
    locations: tuple[Location, ...] = ()
    article: str | None = None  # an EU regulation's article

    @property
    def chapters(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(loc.chapter for loc in self.locations if loc.chapter))


# --- Parsing ------------------------------------------------------------------------------

_SPACE_RE = re.compile(r"\s+")
_DASH_RE = re.compile(r"\s*[-‐‑‒–—]\s*(?=\d)")  # a range between numbers: 8-9, 8 – 9
_FS_RE = re.compile(r"\b(?!SFS\b)((?:[A-ZÅÄÖ]+-)?[A-ZÅÄÖ]*FS)\s*(\d{4})\s*:\s*(\d+)\b", re.IGNORECASE)
_EU_RE = re.compile(r"\(\s*EU\s*\)\s*(?:nr\s*)?(\d{4})\s*/\s*(\d+)|\bEU\s+(\d{4})/(\d+)", re.IGNORECASE)
_SFS_RE = re.compile(r"\(\s*(?:SFS\s*)?(\d{4})\s*:\s*(\d+)\s*\)|\bSFS\s*(\d{4})\s*:\s*(\d+)|(?<![\d/:])(\d{4}):(\d+)(?![\d:])",
                     re.IGNORECASE)
_ORDINALS = ("första", "andra", "tredje", "fjärde", "femte", "sjätte", "sjunde", "åttonde",
             "nionde", "tionde")
_STYCKE = rf"(?:(?P<{{0}}w>{'|'.join(_ORDINALS)})\s+stycket|(?P<{{0}}n>\d+)\s*st(?:\.|ycket)?(?![a-zåäö]))"
_PAR = r"\d+(?:\s?[a-z]\b)?"
_PARLIST = rf"{_PAR}(?:\s*(?:–|,|och)\s*{_PAR})*"
_LOC_RE = re.compile(
    rf"(?P<ch>\d{{1,3}})\s*kap(?:\.|itlet|itel)?(?:\s*(?P<chp>{_PARLIST})\s*§§?)?(?:\s*{_STYCKE.format('a')})?"
    rf"|(?<![\d:/.])(?P<cc>\d{{1,2}}):(?P<cp>\d{{1,3}}(?:\s?[a-z]\b)?(?:\s*–\s*\d{{1,3}})?)(?![\d:/])"
    rf"(?:\s*{_STYCKE.format('b')})?"
    rf"|(?P<pp>{_PARLIST})\s*§§?(?:\s*{_STYCKE.format('c')})?",
    re.IGNORECASE,
)
_ARTICLE_RE = re.compile(r"\bart(?:\.|ikel|ikeln)?\s*(\d+)", re.IGNORECASE)
_LEFTOVER_RE = re.compile(r"[§(),.;:]+|\b(?:enligt|jfr|se)\b", re.IGNORECASE)


@functools.lru_cache(maxsize=4096)
def parse_ref(text: str) -> LegalRef:
    """'SoL 4 kap. 1 §', '12:4 SoL', 'SOSFS 2011:9 4 kap. 4 §' ... -> LegalRef (cached: a
    handbook cites the same few references in thousands of documents)."""
    rest = _SPACE_RE.sub(" ", text.replace("\u00a0", " ")).strip()
    rest = _DASH_RE.sub("–", rest)
    number: str | None = None
    if m := _FS_RE.search(rest):
        number = f"{m[1].upper()} {m[2]}:{m[3]}"
    elif m := _EU_RE.search(rest):
        number = f"EU {m[1] or m[3]}/{m[2] or m[4]}"
    elif m := _SFS_RE.search(rest):
        number = ":".join(g for g in m.groups() if g)
    if m:
        rest = f"{rest[:m.start()]} {rest[m.end():]}"
    article = None
    if a := _ARTICLE_RE.search(rest):
        article = a[1]
        rest = f"{rest[:a.start()]} {rest[a.end():]}"
    locations: list[Location] = []
    for loc in _LOC_RE.finditer(rest):
        if loc["ch"]:
            locations.append(Location(loc["ch"], _paragraphs(loc["chp"]), _stycke(loc, "a")))
        elif loc["cc"]:
            locations.append(Location(loc["cc"], _paragraphs(loc["cp"]), _stycke(loc, "b")))
        else:
            locations.append(Location(None, _paragraphs(loc["pp"]), _stycke(loc, "c")))
    rest = _LOC_RE.sub(" ", rest)
    name = _SPACE_RE.sub(" ", _LEFTOVER_RE.sub(" ", rest)).strip(" -–").casefold() or None
    return LegalRef(text, number, name, tuple(locations), article)


def _paragraphs(text: str | None) -> tuple[str, ...]:
    if not text:
        return ()
    out: list[str] = []
    for part in re.split(r"\s*(?:,|och)\s*", text.strip()):
        first, dash, last = part.partition("–")
        first, last = _norm_par(first), _norm_par(last)
        if dash and first.isdigit() and last.isdigit() and 0 < int(last) - int(first) <= 50:
            out.extend(str(n) for n in range(int(first), int(last) + 1))
        else:
            out.extend(p for p in (first, last) if p)
    return tuple(dict.fromkeys(out))


def _norm_par(text: str) -> str:
    """'1b' and '1 b' -> '1 b'."""
    text = text.strip().lower()
    return re.sub(r"(\d)\s*([a-z])$", r"\1 \2", text)


def _stycke(match: re.Match[str], tag: str) -> int | None:
    if match[f"{tag}w"]:
        return _ORDINALS.index(match[f"{tag}w"].lower()) + 1
    if match[f"{tag}n"]:
        return int(match[f"{tag}n"])
    return None


def _join_paragraphs(paragraphs: tuple[str, ...]) -> str:
    if len(paragraphs) > 2 and all(p.isdigit() for p in paragraphs) and \
            [int(p) for p in paragraphs] == list(range(int(paragraphs[0]), int(paragraphs[-1]) + 1)):
        return f"{paragraphs[0]}–{paragraphs[-1]}"
    if len(paragraphs) > 1:
        return f"{', '.join(paragraphs[:-1])} och {paragraphs[-1]}"
    return paragraphs[0] if paragraphs else ""


def _is_sfs(number: str) -> bool:
    return bool(number) and number[:1].isdigit()


def _merged(locations: list[str]) -> list[str]:
    """['27 kap. 1 §', '27 kap. 2 §'] -> ['27 kap. 1 och 2 §§']: one chapter, one suggestion."""
    parsed = [parse_ref(text).locations for text in locations]
    if len(locations) < 2 or any(len(locs) != 1 or locs[0].stycke for locs in parsed):
        return locations
    chapters = {locs[0].chapter for locs in parsed}
    if len(chapters) != 1 or None in chapters:
        return locations
    paragraphs = tuple(dict.fromkeys(p for locs in parsed for p in locs[0].paragraphs))
    return [str(Location(parsed[0][0].chapter, paragraphs))]


# --- The register -------------------------------------------------------------------------


class Register:
    """The acts by key, number and name."""

    def __init__(self, acts: dict[str, Act]) -> None:
        self.acts = acts
        self.by_number: dict[str, Act] = {}
        self.by_name: dict[str, list[Act]] = {}
        for act in acts.values():
            if act.number:
                self.by_number[act.number.casefold()] = act
            names = {act.short, *act.aliases, act.title}  # an old act without them: by number
            for name in names:
                key = _SPACE_RE.sub(" ", name).strip().casefold()
                if key and act not in self.by_name.setdefault(key, []):
                    self.by_name[key].append(act)

    def candidates(self, ref: LegalRef) -> tuple[Act, ...]:
        """The acts a reference may mean: one by its number, or all that share its name."""
        if ref.number:
            act = self.by_number.get(ref.number.casefold())
            return (act,) if act else ()
        if ref.name:
            return tuple(self.by_name.get(ref.name, ()))
        return ()

    def successor(self, act: Act) -> Act | None:
        return self.acts.get(act.successor) if act.successor else None

    def suggestions(self, act: Act, ref: LegalRef) -> list[str]:
        """The advisory new paragraphs for a reference to `act`, in the successor's words:
        ['12 kap. 4 § SoL (2025:400)']."""
        successor = self.successor(act)
        if successor is None or not act.paragraph_map:
            return []
        out: list[str] = []
        for loc in ref.locations:
            if not loc.chapter:
                continue
            for paragraph in loc.paragraphs:
                key = f"{loc.chapter}:{paragraph}"
                new = act.paragraph_map.get(f"{key}:{loc.stycke}") if loc.stycke else None
                new = new or act.paragraph_map.get(key)
                if new:
                    out.append(new)
        return [f"{new} {successor.label()}" for new in _merged(list(dict.fromkeys(out)))]


def load_register(root: Path, data_dir: str = "data",
                  max_file_kb: int = 1024) -> tuple[Register, list[Finding]]:
    """The package's register with the handbook's `data/legal-register.yml` over it."""
    findings: list[Finding] = []
    raw = dict(_package_acts())
    rel = f"{data_dir}/{REGISTER_FILE}"
    path = root / data_dir / REGISTER_FILE
    lines: dict[str, int] = {}
    if os.path.lexists(path):
        own = _read_own(Root(root), path, rel, max_file_kb, findings)
        if own is not None:
            acts, lines = own
            for key, entry in acts.items():
                base = raw.get(key)
                raw[key] = {**base, **entry} if isinstance(base, dict) and isinstance(entry, dict) else entry
    register_acts: dict[str, Act] = {}
    for key, entry in raw.items():
        problems: list[str] = []
        act = _act(str(key), entry, problems)
        for problem in problems:
            findings.append(Finding("error", "data-file", rel, lines.get(str(key)),
                                    msg.legal_register_invalid(f"acts/{key}", problem)))
        if act is not None:
            register_acts[act.key] = act
    for act in register_acts.values():
        if act.successor and act.successor not in register_acts:
            findings.append(Finding("error", "data-file", rel, lines.get(act.key), msg.legal_register_invalid(
                f"acts/{act.key}/successor", f"'{act.successor}' finns inte i registret")))
    return Register(register_acts), findings


@functools.lru_cache(maxsize=1)
def _package_acts() -> dict[str, Any]:
    parsed = parse_yaml(PACKAGE_REGISTER.read_text(encoding="utf-8"))
    return dict(parsed.value["acts"])


def _read_own(root: Root, path: Path, rel: str, max_file_kb: int,
              findings: list[Finding]) -> tuple[dict[str, Any], dict[str, int]] | None:
    data = root.read(path, max_file_kb * 1024)
    if isinstance(data, Finding):
        findings.append(Finding(data.severity, data.code, rel, data.line, data.message))
        return None
    text = decode(data)
    if text is None:
        findings.append(Finding("error", "encoding", rel, None, msg.ENCODING))
        return None
    try:
        parsed = parse_yaml(text)
    except YamlError as exc:
        findings.append(Finding("error", "yaml-syntax", rel, exc.line, msg.data_yaml_syntax(exc.message)))
        return None
    value = parsed.value if parsed.value is not None else {}
    acts = value.get("acts") if isinstance(value, dict) else None
    if not isinstance(acts, dict):
        findings.append(Finding("error", "data-file", rel, 1, msg.legal_register_invalid(
            "acts", "ska vara en uppsättning akter, t.ex. acts: {sol-2025: {title: ..., number: ...}}")))
        return None
    lines = {key[1]: line for key, line in parsed.nested_lines.items() if len(key) == 2 and key[0] == "acts"}
    return acts, lines


def _act(key: str, entry: Any, problems: list[str]) -> Act | None:
    if not isinstance(entry, dict):
        problems.append("ska vara en uppsättning fält (title, number, ...)")
        return None

    def text(name: str) -> str:
        value = entry.get(name)
        if value is None:
            return ""
        if not isinstance(value, str):
            problems.append(f"{name} ska vara text")
            return ""
        return value.strip()

    def date(name: str, value: Any) -> dt.date | None:
        if value is None or value == "":
            return None
        parsed = parse_date(value)
        if parsed is None:
            problems.append(f"{name} ska vara ett datum ÅÅÅÅ-MM-DD")
        return parsed

    def texts(name: str, value: Any) -> tuple[str, ...]:
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            problems.append(f"{name} ska vara en lista med text")
            return ()
        return tuple(v.strip() for v in value if v.strip())

    amendments: list[Amendment] = []
    raw_amendments = entry.get("amendments") or []
    if not isinstance(raw_amendments, list):
        problems.append("amendments ska vara en lista")
        raw_amendments = []
    for item in raw_amendments:
        if not isinstance(item, dict):
            problems.append("varje ändring ska ha number, in_force och chapters")
            continue
        number = item.get("number")
        note = item.get("note")
        amendments.append(Amendment(
            number=number.strip() if isinstance(number, str) else "",
            in_force=date("amendments/in_force", item.get("in_force")),
            chapters=texts("amendments/chapters", item.get("chapters")),
            note=note.strip() if isinstance(note, str) else "",
        ))
    paragraph_map = entry.get("paragraph_map") or {}
    if not isinstance(paragraph_map, dict) or not all(isinstance(v, str) for v in paragraph_map.values()):
        problems.append("paragraph_map ska para ihop gamla paragrafer med nya, t.ex. \"4:1\": \"12 kap. 1 §\"")
        paragraph_map = {}
    title = text("title") or key
    return Act(
        key=key,
        title=title,
        number=text("number"),
        short=text("short"),
        aliases=texts("aliases", entry.get("aliases")),
        in_force=date("in_force", entry.get("in_force")),
        repealed=date("repealed", entry.get("repealed")),
        successor=text("successor") or None,
        transitional=text("transitional"),
        amendments=tuple(amendments),
        paragraph_map={str(k).strip(): v.strip() for k, v in paragraph_map.items()},
        note=text("note"),
        unverified=texts("unverified", entry.get("unverified")),
        source=text("source"),
    )


# --- Findings -----------------------------------------------------------------------------


def check_law(root: Path, data_dir: str, max_file_kb: int, documents: list[Document],
              today: dt.date) -> list[Finding]:
    """Load the register once and check every document's `legal_refs` against it."""
    register, findings = load_register(root, data_dir, max_file_kb)
    findings.extend(legal_findings(documents, register, today))
    return findings


def legal_findings(documents: list[Document], register: Register, today: dt.date) -> list[Finding]:
    out: list[Finding] = []
    verdicts: dict[str, _Verdict] = {}  # a handbook cites the same few references many times
    for doc in documents:
        if doc.readable and doc.status != "repealed" and (doc.legal_refs or TRANSITIONAL_KEY in doc.raw):
            out.extend(_document_findings(doc, register, today, verdicts))
    return out


@dataclass(frozen=True)
class _Verdict:
    """What a reference means on the day, whatever document cites it."""

    ref: LegalRef
    act: Act | None  # the one act it means, when it means one
    finding: tuple[str, str, str] | None  # (severity, code, message) for every citing document


def _verdict(text: str, register: Register, today: dt.date) -> _Verdict:
    ref = parse_ref(text)
    acts = resolve(register, ref, today)
    if not acts:
        return _Verdict(ref, None, ("info", "unknown-law",
                                    msg.unknown_law(text, ref.number, bool(ref.number or ref.name))))
    if len(acts) > 1:
        current = [a for a in acts if not a.repealed_on(today)]
        older = [a for a in acts if a.repealed_on(today)]
        suggestions = [s for a in older for s in register.suggestions(a, ref)]
        example = f"{(current or acts)[-1].label()} {ref.locations[0]}"
        return _Verdict(ref, None, ("warning", "ambiguous-law-ref", msg.ambiguous_law_ref(
            text, [a.title for a in acts], example, suggestions)))
    act = acts[0]
    if act.repealed is not None and act.repealed_on(today):
        successor = register.successor(act)
        return _Verdict(ref, act, ("error", "repealed-law", msg.repealed_law(
            text, act.title, act.repealed, successor.title if successor else None,
            register.suggestions(act, ref))))
    return _Verdict(ref, act, None)


def _document_findings(doc: Document, register: Register, today: dt.date,
                       verdicts: dict[str, _Verdict]) -> list[Finding]:
    out: list[Finding] = []
    line = doc.line_of("legal_refs")

    def add(severity: str, code: str, message: str, key: str = "legal_refs", where: int | None = None) -> None:
        out.append(Finding(severity, code, doc.path, where or line, message, doc.id, key))  # type: ignore[arg-type]

    transitional = _transitional(doc, register, add) if TRANSITIONAL_KEY in doc.raw else {}
    since = max((d for d in (doc.decision_date, doc.last_reviewed) if d), default=None)
    changed_acts: set[str] = set()
    for text in dict.fromkeys(doc.legal_refs):
        verdict = verdicts.get(text)
        if verdict is None:
            verdict = verdicts[text] = _verdict(text, register, today)
        ref, act = verdict.ref, verdict.act
        if verdict.finding is not None:
            reason = transitional.get(act.key) if act is not None else None
            if act is not None and act.repealed is not None and reason is not None:
                add("info", "repealed-law", msg.repealed_law_transitional(text, act.title, act.repealed, reason))
            else:
                add(*verdict.finding)
            continue
        assert act is not None
        if since is None:
            continue
        later = [a for a in act.amendments if a.in_force and since < a.in_force <= today]
        if not later:
            continue
        chapters = ref.chapters
        if chapters:
            touching = [a for a in later if set(a.chapters) & set(chapters)]
            unknown = [a for a in later if not a.chapters]
            if touching:
                touched = [c for c in chapters if any(c in a.chapters for a in touching)]
                add("warning", "law-changed", msg.law_changed(text, act.label(), since,
                                                              [a.label() for a in touching], touched))
            elif unknown:  # which chapters it touches is not known: worth a look, no more
                add("info", "law-changed", msg.law_changed(text, act.label(), since,
                                                           [a.label() for a in unknown], []))
        elif act.key not in changed_acts:
            changed_acts.add(act.key)
            add("info", "law-changed", msg.law_changed(text, act.label(), since, [a.label() for a in later], []))
    return out


def resolve(register: Register, ref: LegalRef, today: dt.date) -> list[Act]:
    """The act a reference means on `today`: [act]; [] when the register does not know it;
    two or more (oldest first) when it names a chapter or paragraph of an act that has had
    versions under one name, without saying which."""
    acts = register.candidates(ref)
    if len(acts) < 2:
        return list(acts)
    known = sorted((a for a in acts if a.in_force is None or a.in_force <= today), key=_by_date)
    if ref.locations and len(known) > 1:
        return known
    current = [a for a in known if not a.repealed_on(today)]
    return [(current or known or sorted(acts, key=_by_date))[-1]]


def _by_date(act: Act) -> dt.date:
    return act.in_force or act.repealed or dt.date.min


def _transitional(doc: Document, register: Register, add: Any) -> dict[str, str]:
    """Act key -> the reason the document gives for applying it though it is repealed."""
    value = doc.raw.get(TRANSITIONAL_KEY)
    if value is None:
        return {}
    where = doc.line_of(TRANSITIONAL_KEY)
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        add("error", "invalid-value", msg.TRANSITIONAL_NOT_LIST, TRANSITIONAL_KEY, where)
        return {}
    out: dict[str, str] = {}
    for item in value:
        act = item.get("act") if isinstance(item, dict) else None
        reason = item.get("reason") if isinstance(item, dict) else None
        if not isinstance(act, str) or not act.strip() or not isinstance(reason, str) or not reason.strip():
            add("error", "invalid-value", msg.TRANSITIONAL_NOT_LIST, TRANSITIONAL_KEY, where)
            continue
        acts = register.candidates(parse_ref(act.strip()))
        if not acts:
            add("error", "invalid-value", msg.transitional_unknown_act(act.strip()), TRANSITIONAL_KEY, where)
        for found in acts:
            out.setdefault(found.key, reason.strip())
    return out
