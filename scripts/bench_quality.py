"""Quality benchmark: does `provenance` find disguised cross-case copies, and only those?

    python scripts/bench_quality.py [--quick] [--per-edit N] [--seed S] [--sweep]
                                    [--show-misses N]

Builds a labelled synthetic store (scripts/quality_data.py: fictional families,
UK children's social care record kinds, heavy shared template text), indexes it,
and checks outgoing documents that each hold ONE passage copied from another
case's record under one edit type, plus clean documents. Prints Markdown
tables (the README includes them): recall per edit type and system; precision,
false flags per 1,000 clean paragraphs, PAN plagdet and time.

Systems, all on the same data and all told the same thing about template text
(anything found in records of >= 4 different cases is never a leak):
- provenance: `check_text` with default CheckParams on a default index.
- exact 5-gram: lower-cased `\\w+` words, word 5-grams; a paragraph of the
  document is flagged when it shares >= 10 5-grams with one record of another
  case; the flag spans its first to last shared 5-gram. 5-grams found in
  records of >= 4 cases are ignored.
- copydetect 0.5 (MOSS-style winnowing over characters, built for code). Set up
  for prose: text files are not tokenised, so each text is first lower-cased
  and every whitespace character made a space (length-preserving, so offsets
  stay valid); noise_t = 25 characters (~4-5 words), guarantee_t = 40
  (winnowing window 16); boilerplate = fingerprints found in records of >= 4
  cases (its own boilerplate mechanism, fed those hashes). Reference
  fingerprints are built once (the CopyDetector class re-fingerprints every
  reference for every run and compares whole files). A copied region is
  copydetect's copied slices in the document merged across gaps <= 40
  characters; it is flagged when it holds >= 100 copied characters (~17 words).

Metrics
- recall: the planted passage is found as cross-case, from the right source
  case, by a flag overlapping the planted span.
- precision: cross-case flags that are such a find / all cross-case flags.
- false flags / 1k: cross-case flags overlapping no planted span, per 1,000
  paragraphs holding no planted text.
- plagdet (PAN 2010-2015), over characters of the checked text: precision,
  recall, granularity (flags per detected copy); plagdet = F1 / log2(1 + gran).
- CPU ms/doc: the median CPU time of one document's check (the process's own
  time, so that other work on a shared machine does not count), index or
  reference set-up excluded. provenance runs in `--jobs` processes, each
  timing its own checks; the peers run in this one. The line under the
  overall table gives provenance's median as a multiple of copydetect's.

The clean documents and the clean paragraphs of planted documents are the
negatives: template sentences with the receiving case's own details, standard
paragraphs found in most records, and the receiving case's own narrative
reused (same-case). `--sweep` re-classifies a subset at other thresholds to
choose defaults. To measure a frozen copy of the library while src/ is being
edited, copy src/ and run with PYTHONPATH=<copy>/src.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import multiprocessing
import os
import platform
import re
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime
from importlib import metadata
from io import StringIO
from pathlib import Path
from typing import Any, Protocol

sys.path.insert(0, str(Path(__file__).resolve().parent))

from provenance import CheckParams, CheckResult, ConfigError, index_store
from provenance.match import check_text
from provenance.store import IndexStore
from quality_data import (
    ALL_EDIT_TYPES,
    EDIT_TYPES,
    EXTRA_EDIT_TYPES,
    NEGATIVE_KINDS,
    Dataset,
    OutgoingDoc,
    StoreRecord,
    generate,
    write_store,
)

BOILERPLATE_CASES = 4
TARGET_RECALL = {
    "verbatim": 1.0, "rewrapped": 1.0, "punct_case": 1.0, "invisible": 1.0,
    "names_pronouns": 0.97, "edit_5": 0.97, "edit_10": 0.97, "partial": 0.97,
    "split": 0.97, "short": 0.97, "edit_20": 0.90, "reordered": 0.90,
}  # fmt: skip
TARGET_PRECISION = 0.99
TARGET_FALSE_PER_1K = 1.0
TARGET_GRANULARITY = 1.1


@dataclass(frozen=True)
class Flag:
    """One cross-case passage a system reports in a checked document."""

    start: int
    end: int
    source_case: str
    source_record: str
    cases: frozenset[str]  # the source's case and those of other records holding it


Checked = tuple[list[Flag], float]  # a document's flags and its check time in seconds


class System(Protocol):
    name: str
    setup_seconds: float

    def check_all(self, docs: Sequence[OutgoingDoc]) -> list[Checked]: ...


def _one_by_one(
    name: str, flags: Callable[[OutgoingDoc], list[Flag]], docs: Sequence[OutgoingDoc]
) -> list[Checked]:
    checked = []
    for number, doc in enumerate(docs, start=1):
        began = time.process_time()
        found = flags(doc)
        checked.append((found, time.process_time() - began))
        if number % 100 == 0:
            print(f"  {name}: {number}/{len(docs)} documents", file=sys.stderr)
    return checked


# --- the systems ---------------------------------------------------------------------------

_worker: dict[str, Any] = {}


def _worker_open(db_path: Path, params: CheckParams) -> None:
    _worker["store"] = IndexStore.open_for_reading(db_path)
    _worker["params"] = params


def _worker_check(doc: OutgoingDoc) -> tuple[CheckResult, float]:
    began = time.process_time()
    result = check_text(_worker["store"], doc.text, doc.doc_id, doc.case_id, _worker["params"])
    return result, time.process_time() - began


class Provenance:
    """The library under test, through its check call, in `jobs` read-only processes.

    Each worker times its own documents, so ms/doc is the time of one check in
    one process, not throughput.
    """

    def __init__(self, db_path: Path, params: CheckParams, setup_seconds: float, jobs: int):
        self.name = "provenance"
        self.setup_seconds = setup_seconds
        self.db_path, self.params, self.jobs = db_path, params, jobs
        self.results: dict[str, CheckResult] = {}

    def check_all(self, docs: Sequence[OutgoingDoc]) -> list[Checked]:
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(
            self.jobs, context, initializer=_worker_open, initargs=(self.db_path, self.params)
        ) as pool:
            checked = []
            for number, (doc, (result, seconds)) in enumerate(
                zip(docs, pool.map(_worker_check, docs, chunksize=4), strict=True), start=1
            ):
                self.results[doc.doc_id] = result
                checked.append((_cross_case_flags(result), seconds))
                if number % 100 == 0:
                    print(f"  {self.name}: {number}/{len(docs)} documents", file=sys.stderr)
        return checked


def _cross_case_flags(result: CheckResult) -> list[Flag]:
    return [
        Flag(
            start=m.start,
            end=m.end,
            source_case=m.source.case_id,
            source_record=m.source.record_id,
            cases=frozenset([m.source.case_id, *(o.case_id for o in m.other_sources)]),
        )
        for m in result.matches
        if m.status == "cross_case"
    ]


_WORD = re.compile(r"\w+")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
Shingle = tuple[str, ...]


def _paragraph_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for found in _PARAGRAPH_BREAK.finditer(text):
        spans.append((start, found.start()))
        start = found.end()
    spans.append((start, len(text)))
    return spans


class ExactShingles:
    """Plain exact matching of lower-cased word 5-grams, per paragraph."""

    def __init__(self, records: Sequence[StoreRecord], size: int = 5, min_shared: int = 10):
        began = time.perf_counter()
        self.name = f"exact {size}-gram"
        self.size, self.min_shared = size, min_shared
        self.records = list(records)
        postings: dict[Shingle, set[int]] = defaultdict(set)
        for number, record in enumerate(self.records):
            words = [w.lower() for w in _WORD.findall(record.text)]
            for position in range(len(words) - size + 1):
                postings[tuple(words[position : position + size])].add(number)
        self.postings = {
            shingle: holders
            for shingle, holders in postings.items()
            if len({self.records[n].case_id for n in holders}) < BOILERPLATE_CASES
        }
        self.setup_seconds = time.perf_counter() - began

    def check_all(self, docs: Sequence[OutgoingDoc]) -> list[Checked]:
        return _one_by_one(self.name, self.flags, docs)

    def flags(self, doc: OutgoingDoc) -> list[Flag]:
        found: list[Flag] = []
        for start, end in _paragraph_spans(doc.text):
            words = list(_WORD.finditer(doc.text, start, end))
            shared: dict[int, list[int]] = defaultdict(list)
            for position in range(len(words) - self.size + 1):
                shingle = tuple(w.group().lower() for w in words[position : position + self.size])
                for number in self.postings.get(shingle, ()):
                    if self.records[number].case_id != doc.case_id:
                        shared[number].append(position)
            strong = {n: p for n, p in shared.items() if len(p) >= self.min_shared}
            if not strong:
                continue
            best = max(strong, key=lambda n: (len(strong[n]), -n))
            positions = strong[best]
            found.append(
                Flag(
                    start=words[positions[0]].start(),
                    end=words[positions[-1] + self.size - 1].end(),
                    source_case=self.records[best].case_id,
                    source_record=self.records[best].record_id,
                    cases=frozenset(self.records[n].case_id for n in strong),
                )
            )
        return found


def _prose_for_copydetect(text: str) -> str:
    """Lower-case and make every whitespace a space, keeping each character's offset."""
    return "".join(
        " " if ch.isspace() else (low if len(low := ch.lower()) == 1 else ch) for ch in text
    )


class Copydetect:
    """copydetect's fingerprinting and pairwise comparison, references built once."""

    def __init__(
        self,
        records: Sequence[StoreRecord],
        noise_t: int = 25,
        guarantee_t: int = 40,
        merge_gap: int = 40,
        min_copied: int = 100,
    ) -> None:
        from copydetect.detector import CodeFingerprint, compare_files

        began = time.perf_counter()
        self.name = "copydetect"
        self._fingerprint = CodeFingerprint
        self._compare = compare_files
        self.k, self.window = noise_t, guarantee_t - noise_t + 1
        self.merge_gap, self.min_copied = merge_gap, min_copied
        self.records = list(records)
        first = [self._print(r.text, r.record_id) for r in self.records]
        cases_by_hash: dict[int, set[str]] = defaultdict(set)
        for record, fingerprint in zip(self.records, first, strict=True):
            for value in fingerprint.hashes:
                cases_by_hash[value].add(record.case_id)
        self.boilerplate = [v for v, c in cases_by_hash.items() if len(c) >= BOILERPLATE_CASES]
        self.references = [self._print(r.text, r.record_id) for r in self.records]
        self.setup_seconds = time.perf_counter() - began

    def _print(self, text: str, name: str) -> Any:
        return self._fingerprint(
            f"{name}.txt",
            self.k,
            self.window,
            boilerplate=getattr(self, "boilerplate", None),
            filter=False,
            fp=StringIO(_prose_for_copydetect(text)),
        )

    def check_all(self, docs: Sequence[OutgoingDoc]) -> list[Checked]:
        return _one_by_one(self.name, self.flags, docs)

    def flags(self, doc: OutgoingDoc) -> list[Flag]:
        checked = self._print(doc.text, doc.doc_id)
        candidates: list[tuple[int, int, int, int]] = []  # (copied, start, end, record)
        for number, (record, reference) in enumerate(
            zip(self.records, self.references, strict=True)
        ):
            if record.case_id == doc.case_id:
                continue
            overlap, _, (slices, _) = self._compare(checked, reference)
            if overlap == 0:
                continue
            for start, end, copied in _merge_slices(slices, self.merge_gap):
                if copied >= self.min_copied:
                    candidates.append((copied, start, end, number))
        kept: list[tuple[int, int, int, set[str]]] = []
        for _, start, end, number in sorted(candidates, key=lambda c: (-c[0], c[3])):
            case = self.records[number].case_id
            overlapping = [k for k in kept if start < k[1] and k[0] < end]
            if overlapping:
                overlapping[0][3].add(case)
                continue
            kept.append((start, end, number, {case}))
        return [
            Flag(start, end, self.records[n].case_id, self.records[n].record_id, frozenset(c))
            for start, end, n, c in kept
        ]


def _merge_slices(slices: Any, gap: int) -> list[tuple[int, int, int]]:
    """copydetect's copied slices (2 x N array) -> (start, end, copied chars) regions."""
    merged: list[list[int]] = []
    for start, end in sorted(zip(slices[0].tolist(), slices[1].tolist(), strict=True)):
        if merged and start - merged[-1][1] <= gap:
            merged[-1][2] += max(0, int(end) - max(int(start), merged[-1][1]))
            merged[-1][1] = max(merged[-1][1], int(end))
        else:
            merged.append([int(start), int(end), int(end) - int(start)])
    return [(s, e, c) for s, e, c in merged]


# --- scoring -------------------------------------------------------------------------------


@dataclass
class DocScore:
    """How one system did on one document."""

    edit: str
    found: bool
    true_flags: int
    false_flags: int
    stray_flags: int  # overlapping no planted span
    clean_paragraphs: int
    seconds: float
    chars_found: float  # share of the planted characters covered by right flags
    detections: int  # right flags overlapping the planted copy
    flag_precisions: list[float] = field(default_factory=list)
    negatives: dict[str, int] = field(default_factory=dict)  # clean passages by kind
    stray_by_kind: dict[str, int] = field(default_factory=dict)  # stray flags by kind


def _overlap(start: int, end: int, spans: Iterable[tuple[int, int]]) -> int:
    return sum(max(0, min(end, b) - max(start, a)) for a, b in spans)


def score_doc(doc: OutgoingDoc, flags: list[Flag], seconds: float) -> DocScore:
    right = [
        f for f in flags if doc.source_case_id in f.cases and _overlap(f.start, f.end, doc.spans)
    ]
    stray = [f for f in flags if not _overlap(f.start, f.end, doc.spans)]
    planted = sum(b - a for a, b in doc.spans)
    covered: set[int] = set()
    for flag in right:
        for a, b in doc.spans:
            covered.update(range(max(a, flag.start), min(b, flag.end)))
    negatives: dict[str, int] = defaultdict(int)
    for _, _, kind in doc.negatives:
        negatives[kind] += 1
    stray_by_kind: dict[str, int] = defaultdict(int)
    for flag in stray:
        kinds = [(_overlap(flag.start, flag.end, [(a, b)]), k) for a, b, k in doc.negatives]
        stray_by_kind[max(kinds, default=(0, "other"))[1]] += 1
    return DocScore(
        edit=doc.edit,
        found=bool(right),
        true_flags=len(right),
        false_flags=len(flags) - len(right),
        stray_flags=len(stray),
        clean_paragraphs=doc.paragraphs - doc.planted_paragraphs,
        seconds=seconds,
        chars_found=len(covered) / planted if planted else 0.0,
        detections=len(right),
        flag_precisions=[
            _overlap(f.start, f.end, doc.spans) / (f.end - f.start) if f in right else 0.0
            for f in flags
        ],
        negatives=dict(negatives),
        stray_by_kind=dict(stray_by_kind),
    )


@dataclass(frozen=True)
class Summary:
    docs: int
    recall: float
    precision: float | None
    false_per_1k: float
    plag_precision: float
    plag_recall: float
    granularity: float
    plagdet: float
    ms_per_doc: float


def summarise(scores: Sequence[DocScore]) -> Summary:
    planted = [s for s in scores if s.edit != "clean"]
    flags = sum(s.true_flags + s.false_flags for s in scores)
    true_flags = sum(s.true_flags for s in scores)
    paragraphs = sum(s.clean_paragraphs for s in scores)
    flag_precisions = [p for s in scores for p in s.flag_precisions]
    plag_recall = sum(s.chars_found for s in planted) / len(planted) if planted else 0.0
    plag_precision = sum(flag_precisions) / len(flag_precisions) if flag_precisions else 0.0
    detected = [s for s in planted if s.detections]
    granularity = sum(s.detections for s in detected) / len(detected) if detected else 1.0
    f1 = (
        2 * plag_precision * plag_recall / (plag_precision + plag_recall)
        if plag_precision + plag_recall
        else 0.0
    )
    return Summary(
        docs=len(scores),
        recall=sum(s.found for s in planted) / len(planted) if planted else 0.0,
        precision=true_flags / flags if flags else None,
        false_per_1k=1000 * sum(s.stray_flags for s in scores) / paragraphs if paragraphs else 0.0,
        plag_precision=plag_precision,
        plag_recall=plag_recall,
        granularity=granularity,
        plagdet=f1 / math.log2(1 + granularity),
        ms_per_doc=1000 * statistics.median(s.seconds for s in scores) if scores else 0.0,
    )


def run_system(system: System, docs: Sequence[OutgoingDoc]) -> list[DocScore]:
    return [
        score_doc(doc, flags, seconds)
        for doc, (flags, seconds) in zip(docs, system.check_all(docs), strict=True)
    ]


# --- output --------------------------------------------------------------------------------


def _table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _issue_scores(scores: Sequence[DocScore], planted_only: bool = False) -> list[DocScore]:
    """The documents of the issue's edit types (and the clean ones, unless `planted_only`)."""
    return [
        s
        for s in scores
        if s.edit not in EXTRA_EDIT_TYPES and not (planted_only and s.edit == "clean")
    ]


def _by_edit(scores: Sequence[DocScore]) -> dict[str, list[DocScore]]:
    grouped: dict[str, list[DocScore]] = defaultdict(list)
    for score in scores:
        grouped[score.edit].append(score)
    return grouped


def _precision(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def print_environment() -> None:
    versions = []
    for package in ("provenance", "duckdb", "datasketch", "rapidfuzz", "numpy", "copydetect"):
        try:
            versions.append(f"{package} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{package} (not installed)")
    print(f"Run {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')} on {platform.platform()}, "
          f"{os.cpu_count()} CPUs, Python {platform.python_version()}.  ")  # fmt: skip
    print("Versions: " + ", ".join(versions) + ".\n")


def print_tables(results: dict[str, list[DocScore]], dataset: Dataset, setup: str) -> None:
    names = list(results)
    grouped = {name: _by_edit(scores) for name, scores in results.items()}
    planted = len([d for d in dataset.docs if d.edit != "clean"])
    clean = len(dataset.docs) - planted
    print(f"Store: {len(dataset.cases)} cases, {len(dataset.records)} records. Checked: "
          f"{planted} planted documents, {clean} clean documents. {setup}\n")  # fmt: skip
    print("Recall: planted passage flagged cross-case, right source case, overlapping the copy.\n")
    rows = []
    for edit in EDIT_TYPES:
        cells = [f"{summarise(grouped[n][edit]).recall:.3f}" for n in names]
        rows.append([edit, str(len(grouped[names[0]][edit])), *cells, f">= {TARGET_RECALL[edit]}"])
    issue_planted = sum(len(grouped[names[0]][edit]) for edit in EDIT_TYPES)
    rows.append(["**all planted**", str(issue_planted),
                 *[f"**{summarise(_issue_scores(results[n], planted_only=True)).recall:.3f}**"
                   for n in names], ""])  # fmt: skip
    for edit in EXTRA_EDIT_TYPES:
        cells = [f"{summarise(grouped[n][edit]).recall:.3f}" for n in names]
        rows.append([edit, str(len(grouped[names[0]][edit])), *cells, "(beyond the issue)"])
    print(_table(["edit type", "docs", *names, "target"], rows) + "\n")
    print(
        "sentence: one sentence of 12-24 words naming someone of the source family, inside a "
        'paragraph of the document\'s own; not in "all planted" or the overall table.\n'
    )

    print("Per edit type: flag precision / plagdet (granularity).\n")
    rows = []
    for edit in [*ALL_EDIT_TYPES, "clean"]:
        cells = []
        for name in names:
            s = summarise(grouped[name][edit])
            if edit == "clean":
                cells.append(f"{s.false_per_1k:.2f} false flags/1k")
            else:
                cells.append(f"{_precision(s.precision)} / {s.plagdet:.3f} ({s.granularity:.2f})")
        rows.append([edit, *cells])
    print(_table(["edit type", *names], rows) + "\n")

    print(f"Overall (targets: precision >= {TARGET_PRECISION}, false flags <= "
          f"{TARGET_FALSE_PER_1K:g} per 1k clean paragraphs, granularity <= "
          f"{TARGET_GRANULARITY}).\n")  # fmt: skip
    rows = []
    for name in names:
        s = summarise(_issue_scores(results[name]))
        rows.append([
            name, f"{s.recall:.3f}", _precision(s.precision), f"{s.false_per_1k:.2f}",
            f"{s.plag_precision:.3f}", f"{s.plag_recall:.3f}", f"{s.granularity:.3f}",
            f"{s.plagdet:.3f}", f"{s.ms_per_doc:.1f}",
        ])  # fmt: skip
    print(_table(["system", "recall", "precision", "false flags/1k clean para.",
                  "char precision", "char recall", "granularity", "plagdet", "CPU ms/doc"],
                 rows) + "\n")  # fmt: skip
    medians = {name: summarise(_issue_scores(results[name])).ms_per_doc for name in names}
    if medians.get("copydetect") and "provenance" in medians:
        ratio = medians["provenance"] / medians["copydetect"]
        print(
            f"provenance's median CPU time per check is {ratio:.1f}x copydetect's, in this run.\n"
        )

    print("Negatives: cross-case flags on clean passages of each kind (all documents); "
          "every one is a false alarm.\n")  # fmt: skip
    rows = []
    for kind, description in NEGATIVE_KINDS.items():
        passages = sum(s.negatives.get(kind, 0) for s in results[names[0]])
        cells = [str(sum(s.stray_by_kind.get(kind, 0) for s in results[n])) for n in names]
        rows.append([description, str(passages), *cells])
    print(_table(["clean passage", "passages", *names], rows) + "\n")


SWEEP_GRID: dict[str, tuple[float, ...]] = {
    "min_distinctive_words": (12, 14, 16, 18, 22, 24, 28),
    "min_details_with_name": (0, 8, 10, 15),
    "min_words_with_name": (0, 10, 15),
    "min_content_details": (0, 2, 5, 8),
    "min_sequence_only_details": (21, 25, 30),
    "min_details_word_for_word": (10, 12, 16, 20),
    "min_words": (15, 20, 30, 40),
    "name_weight": (1, 2, 5),
    "rare_word_weight": (1, 2, 5),
    "context_words": (0, 2, 6),
    "min_similarity": (0.4, 0.6, 0.7),
    "query_stride": (4, 16),
}


def _sweep_settings() -> list[CheckParams]:
    """The defaults, then one parameter moved at a time (values CheckParams refuses left out)."""
    default = CheckParams()
    names = {f.name for f in fields(CheckParams)}
    settings = [default]
    for name, values in SWEEP_GRID.items():
        if name not in names:
            continue
        for value in values:
            if value == getattr(default, name):
                continue
            try:
                changes: dict[str, Any] = {name: value}
                settings.append(replace(default, **changes))
            except ConfigError:
                continue
    return settings


def _memoise_candidates() -> None:
    """Retrieve and align each document once for all sweep settings.

    Retrieval and exact runs (`match.find_candidates`) depend on query_stride
    and max_candidate_records, alignment (`judge.aligned_hits`) on
    max_gap_words and min_words, not on the other classification thresholds,
    so the sweep reuses them.
    """
    import provenance.judge as judge_module
    import provenance.match as match_module

    match_module.find_candidates = _memoised(match_module.find_candidates)  # type: ignore[assignment]
    judge_module.aligned_hits = _memoised(judge_module.aligned_hits)  # type: ignore[assignment]


def _memoised(function: Callable[..., Any]) -> Callable[..., Any]:
    """`function` remembering its last few results; arrays and params are keyed by value."""
    memo: dict[tuple[object, ...], Any] = {}

    def key_of(value: Any) -> object:
        if hasattr(value, "tobytes"):
            return value.tobytes()
        if isinstance(value, CheckParams):
            return (value.query_stride, value.max_candidate_records, value.max_gap_words,
                    value.min_words)  # fmt: skip
        if isinstance(value, list):
            return tuple(value)
        return id(value)

    def memoised(*args: Any, **kwargs: Any) -> Any:
        key = tuple(key_of(a) for a in args) + tuple(sorted(kwargs.items()))
        if key not in memo:
            if len(memo) > 16:
                memo.clear()
            memo[key] = function(*args, **kwargs)
        found = memo[key]
        # A list handed out is the caller's to extend (judge.judged_matches adds
        # its short hits to the aligned ones): each caller gets its own.
        return (
            tuple(list(x) if isinstance(x, list) else x for x in found)
            if isinstance(found, tuple)
            else found
        )

    return memoised


def _sweep_open(db_path: Path) -> None:
    _worker["store"] = IndexStore.open_for_reading(db_path)
    _memoise_candidates()


def _sweep_check(doc: OutgoingDoc) -> list[list[Flag]]:
    return [
        _cross_case_flags(check_text(_worker["store"], doc.text, doc.doc_id, doc.case_id, p))
        for p in _sweep_settings()
    ]


def print_sweep(db_path: Path, docs: Sequence[OutgoingDoc], jobs: int) -> None:
    """Recall and precision as the classification thresholds move (provenance only)."""
    settings = _sweep_settings()
    default = CheckParams()
    print(f"Trade-off curve on {len(docs)} documents (provenance; other CheckParams at "
          "defaults).\n")  # fmt: skip
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(jobs, context, initializer=_sweep_open, initargs=(db_path,)) as pool:
        per_doc = list(pool.map(_sweep_check, docs, chunksize=2))
    swept = [name for name in SWEEP_GRID if hasattr(default, name)]
    rows = []
    for number, params in enumerate(settings):
        scores = [
            score_doc(doc, found[number], 0.0) for doc, found in zip(docs, per_doc, strict=True)
        ]
        summary, per_edit = summarise(_issue_scores(scores)), _by_edit(scores)
        worst = min(
            ((summarise(per_edit[e]).recall, e) for e in EDIT_TYPES if per_edit[e]),
            default=(0.0, "-"),
        )
        values = [
            f"**{getattr(params, name)}**" if getattr(params, name) != getattr(default, name)
            else str(getattr(params, name))
            for name in swept
        ]  # fmt: skip
        sentence = summarise(per_edit["sentence"]).recall if per_edit["sentence"] else 0.0
        rows.append([
            *values, f"{summary.recall:.3f}", f"{worst[0]:.3f} ({worst[1]})",
            _precision(summary.precision), f"{summary.false_per_1k:.2f}", f"{sentence:.3f}",
        ])  # fmt: skip
    print(_table([*swept, "recall", "worst edit type", "precision", "false flags/1k",
                  "one sentence"], rows))  # fmt: skip
    print("\nFirst row: the defaults; in bold, the one value moved from them.\n")


def print_misses(system: Provenance, dataset: Dataset, limit: int) -> None:
    """Missed planted copies and what provenance said about the text around them."""
    print(f"Missed copies (up to {limit} per edit type):\n")
    shown: dict[str, int] = defaultdict(int)
    for doc in dataset.docs:
        if doc.edit == "clean" or shown[doc.edit] >= limit:
            continue
        result = system.results[doc.doc_id]
        near = [m for m in result.matches if _overlap(m.start, m.end, doc.spans)]
        if any(m.status == "cross_case" and m.source.case_id == doc.source_case_id for m in near):
            continue
        shown[doc.edit] += 1
        excerpt = " ".join(doc.text[doc.spans[0][0] : doc.spans[-1][1]].split())
        print(f"- `{doc.doc_id}` ({doc.edit}; source {doc.source_record_id}): {excerpt[:160]!r}")
        for match in near:
            print(f"  - {match.status} from {match.source.record_id}: "
                  f"{match.matched_words} words, similarity {match.similarity}")  # fmt: skip
    print()


# --- main ----------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, under a minute")
    parser.add_argument("--per-edit", type=int, help="planted documents per edit type (40)")
    parser.add_argument("--clean", type=int, help="clean documents (60)")
    parser.add_argument("--cases", type=int, help="cases in the store (60)")
    parser.add_argument("--records", type=int, help="records per case (8)")
    parser.add_argument("--seed", type=int, default=20261123, help="generator seed")
    parser.add_argument("--sweep", action="store_true", help="threshold trade-off curve")
    parser.add_argument("--sweep-docs", type=int, default=120, help="documents in the sweep (120)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="processes checking with provenance (CPU count)")  # fmt: skip
    parser.add_argument("--show-misses", type=int, default=0, metavar="N",
                        help="print up to N missed copies per edit type")  # fmt: skip
    parser.add_argument("--no-copydetect", action="store_true", help="skip the copydetect peer")
    parser.add_argument("--output", type=Path, metavar="FILE",
                        help="also write the Markdown report to FILE (for the README)")  # fmt: skip
    args = parser.parse_args(argv)
    small = args.quick
    args.per_edit = args.per_edit or (6 if small else 40)
    args.clean = args.clean if args.clean is not None else (24 if small else 60)
    args.cases = args.cases or (40 if small else 60)
    args.records = args.records or (4 if small else 8)
    return args


class _Tee:
    """Standard output that is also written to a file."""

    def __init__(self, path: Path) -> None:
        self.stream, self.file = sys.stdout, path.open("w", encoding="utf-8")

    def write(self, text: str) -> int:
        self.file.write(text)
        return self.stream.write(text)

    def flush(self) -> None:
        self.file.flush()
        self.stream.flush()


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.output:
        tee = _Tee(args.output)
        with contextlib.redirect_stdout(tee):  # type: ignore[type-var]
            code = run(args)
        tee.file.close()
        return code
    return run(args)


def run(args: argparse.Namespace) -> int:
    print_environment()
    print(f"Command: `python scripts/bench_quality.py {' '.join(sys.argv[1:])}`  ")
    dataset = generate(args.seed, args.cases, args.records, args.per_edit, args.clean)
    with tempfile.TemporaryDirectory(prefix="bench-quality-") as tmp:
        store_root, db_path = Path(tmp) / "store", Path(tmp) / "index.duckdb"
        write_store(dataset, store_root)
        began = time.perf_counter()
        index_store(store_root, db_path)
        index_seconds = time.perf_counter() - began
        provenance = Provenance(db_path, CheckParams(), index_seconds, args.jobs)
        builders: list[Callable[[], System]] = [
            lambda: provenance,
            lambda: ExactShingles(dataset.records),
        ]
        if not args.no_copydetect:
            builders.append(lambda: Copydetect(dataset.records))
        results: dict[str, list[DocScore]] = {}
        setups = []
        for build in builders:
            try:
                system = build()
            except ImportError as error:
                print(f"copydetect could not be loaded ({error}); its column is left out.\n")
                continue
            print(f"checking with {system.name} ...", file=sys.stderr)
            results[system.name] = run_system(system, dataset.docs)
            setups.append(f"{system.name} {system.setup_seconds:.1f} s")
        print_tables(results, dataset, "Set-up (index / references): " + ", ".join(setups) + ".")
        if args.show_misses:
            print_misses(provenance, dataset, args.show_misses)
        if args.sweep:
            step = max(1, len(dataset.docs) // args.sweep_docs)
            print_sweep(db_path, dataset.docs[::step], args.jobs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
