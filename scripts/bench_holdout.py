"""Held-out, black-box quality benchmark: planted disguised copies in a store provenance never met.

The project's own benchmark (bench_quality.py) was written by the people who tuned the
detector, so it may share their blind spots. This one was written without reading the
detector or that benchmark: scripts/holdout_data.py generates a different fictional world
(free prose in several authors' voices, agency reports, template text, .txt/.docx/.pdf/.eml,
a manifest or a folder layout) and outgoing plans and letters, each with at most one passage
copied from another case under one disguise. The real CLI is run in subprocesses, exactly as
a pre-send hook would run it:

    provenance index STORE --db DB
    provenance check DOC --case C --json --all --db DB      (exit 0 clean, 1 leak, 2 not checked)

Scoring (per disguise): recall = a cross_case match overlaps the planted span and names the
right source case; flag precision = such matches / all cross_case matches in those documents;
false flags = cross_case matches on clean text, per 1,000 clean paragraphs and split by what
that text was; exit 2 = a document that could not be checked (always a bug here, the inputs
are ordinary files); time = wall time of one `check` process, start-up included.

    python scripts/bench_holdout.py [--seed S] [--cases N] [--quick] [--output FILE] [--jobs 2]

Everything is fictional and seeded.
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import holdout_data
from holdout_data import DISGUISES, Outgoing, World

CLI = [sys.executable, "-m", "provenance.cli"]
NEGATIVE_LABELS = {
    "header": "document header, greeting and signature",
    "standard": "standard paragraph (complaints, privacy)",
    "template_own": "template sentences with the receiving case's details",
    "own_new": "new narrative about the receiving case",
    "same_case": "paragraph reused from the receiving case's own records",
}


@dataclass
class Checked:
    """One document's check: exit code, matches, time, and its labels mapped onto the text."""

    doc: Outgoing
    exit_code: int
    seconds: float
    matches: list[dict[str, Any]] = field(default_factory=list)
    error: str = ""
    segments: list[tuple[int, int, str]] = field(default_factory=list)


def run(args: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
    """One CLI call; never raises on a non-zero exit (the exit code is the answer)."""
    return subprocess.run(
        [*CLI, *args], capture_output=True, text=True, timeout=timeout, check=False
    )


def locate_segments(doc: Outgoing, text: str) -> list[tuple[int, int, str]]:
    """Find each labelled stretch of the document in the text provenance read from it.

    A .txt file is read as written, so the labels apply as they are; for a .docx the text is
    searched for each stretch in turn, whitespace-tolerant (paragraph breaks may differ).
    """
    if text == doc.text:
        return [(s.start, s.end, s.kind) for s in doc.segments]
    out: list[tuple[int, int, str]] = []
    cursor = 0
    for seg in doc.segments:
        words = doc.text[seg.start : seg.end].split()
        if not words:
            continue
        found = re.compile(r"\s+".join(map(re.escape, words))).search(text, cursor)
        if found is None:
            raise ValueError(f"{doc.doc_id}: labelled text not found in the extracted text")
        out.append((found.start(), found.end(), seg.kind))
        cursor = found.end()
    return out


def check_one(doc: Outgoing, root: Path, db: Path, timeout: float) -> Checked:
    """Run `check` on one document (and `text` for a .docx, to place its labels)."""
    path = root / doc.path
    started = time.perf_counter()
    done = run(
        ["check", str(path), "--case", doc.case_id, "--json", "--all", "--db", str(db)],
        timeout + 30,
    )
    seconds = time.perf_counter() - started
    checked = Checked(doc=doc, exit_code=done.returncode, seconds=seconds)
    if done.returncode not in (0, 1):
        checked.error = (done.stderr or done.stdout).strip()[-600:]
        return checked
    checked.matches = json.loads(done.stdout)["matches"]
    text = doc.text
    if path.suffix != ".txt":
        text = run(["text", str(path)], timeout).stdout
    try:
        checked.segments = locate_segments(doc, text)
    except ValueError as exc:
        checked.error = f"harness: {exc}"
    return checked


def overlaps(a0: int, a1: int, b0: int, b1: int) -> int:
    """Characters two spans share."""
    return max(0, min(a1, b1) - max(a0, b0))


def covers(match: dict[str, Any], planted: list[tuple[int, int]]) -> bool:
    """A match covers the copy if it shares at least 40 characters (or half a short piece).

    Any overlap at all is not enough: a match on the paragraph before a copy can end a
    character or two into it.
    """
    return any(
        overlaps(match["start"], match["end"], a, b) >= min(40, (b - a) // 2) for a, b in planted
    )


@dataclass
class Scores:
    """Tallies over all checked documents."""

    docs: Counter[str] = field(default_factory=Counter)
    found: Counter[str] = field(default_factory=Counter)
    by_source: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    flags: Counter[str] = field(default_factory=Counter)
    good_flags: Counter[str] = field(default_factory=Counter)
    wrong_source: Counter[str] = field(default_factory=Counter)
    exit2: Counter[str] = field(default_factory=Counter)
    exit_ok: Counter[str] = field(default_factory=Counter)
    words: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    region: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    paragraphs: Counter[str] = field(default_factory=Counter)
    false_flags: Counter[str] = field(default_factory=Counter)
    misses: list[Checked] = field(default_factory=list)
    false_examples: list[tuple[Checked, dict[str, Any], str]] = field(default_factory=list)
    errors: list[Checked] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)


def score(results: list[Checked]) -> Scores:
    """Recall, flag precision, false flags by kind of clean text, exit codes, times."""
    sc = Scores()
    for ch in results:
        edit = ch.doc.edit
        sc.docs[edit] += 1
        sc.seconds.append(ch.seconds)
        if ch.doc.planted_words:
            sc.words[edit].append(ch.doc.planted_words)
        if ch.exit_code not in (0, 1) or ch.error:
            sc.exit2[edit] += ch.exit_code not in (0, 1)
            sc.errors.append(ch)
            continue
        sc.exit_ok[edit] += ch.exit_code == (0 if edit == "clean" else 1)
        planted = [(a, b) for a, b, k in ch.segments if k == "planted"]
        for _start, _end, kind in ch.segments:
            if kind != "planted":
                sc.paragraphs[kind] += 1
        hit = False
        statuses: set[str] = set()
        for m in ch.matches:
            on_plant = covers(m, planted)
            if on_plant:
                statuses.add(m["status"])
            if m["status"] != "cross_case":
                continue
            sc.flags[edit] += 1
            if on_plant:
                if m["source"]["case_id"] == ch.doc.source_case:
                    sc.good_flags[edit] += 1
                    hit = True
                else:
                    sc.wrong_source[edit] += 1
                continue
            best = max(
                (s for s in ch.segments if s[2] != "planted"),
                key=lambda s: overlaps(m["start"], m["end"], s[0], s[1]),
                default=(0, 0, "unlabelled"),
            )
            sc.false_flags[best[2]] += 1
            sc.false_examples.append((ch, m, best[2]))
        if edit != "clean":
            sc.found[edit] += hit
            bucket = "formula" if ch.doc.source_formula >= 0.5 else "free"
            sc.by_source[f"{edit}/{bucket}"][0] += hit
            sc.by_source[f"{edit}/{bucket}"][1] += 1
            if not hit:
                sc.misses.append(ch)
                if "cross_case" in statuses:
                    sc.region[edit]["other case named"] += 1
                elif "boilerplate" in statuses:
                    sc.region[edit]["called template text"] += 1
                elif "same_case" in statuses:
                    sc.region[edit]["called same-case reuse"] += 1
                else:
                    sc.region[edit]["nothing reported"] += 1
    return sc


def _ratio(num: int, den: int, digits: int = 3) -> str:
    return f"{num / den:.{digits}f}" if den else "-"


def tables(sc: Scores) -> str:
    """The Markdown tables."""
    lines = [
        "Recall: planted passage flagged cross_case, overlapping the copy, right source case. "
        "A formula-built source is a paragraph at least half of whose sentences, names and "
        "numbers masked, also occur in the records of 3 or more other cases (computed by the "
        "generator, not the detector); the number of such documents is in brackets.",
        "",
        "| edit type | docs | found | recall | recall, free-prose source | recall, formula-built "
        "source | flag precision | wrong-source flags | copy words (median) | exit code as "
        "expected | exit 2 | misses: what the region got |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for edit in DISGUISES:
        n = sc.docs[edit]
        if not n:
            continue
        words = sc.words.get(edit) or [0]
        region = ", ".join(f"{k} {v}" for k, v in sc.region[edit].most_common()) or "-"
        free, formula = sc.by_source[f"{edit}/free"], sc.by_source[f"{edit}/formula"]
        lines.append(
            f"| {edit} | {n} | {sc.found[edit]} | {_ratio(sc.found[edit], n - sc.exit2[edit])} "
            f"| {_ratio(free[0], free[1], 2)} ({free[1]}) "
            f"| {_ratio(formula[0], formula[1], 2)} ({formula[1]}) "
            f"| {_ratio(sc.good_flags[edit], sc.flags[edit])} | {sc.wrong_source[edit]} "
            f"| {int(statistics.median(words))} | {sc.exit_ok[edit]}/{n} | {sc.exit2[edit]} "
            f"| {region} |"
        )
    planted_docs = sum(sc.docs[e] for e in DISGUISES)
    planted_ok = planted_docs - sum(sc.exit2[e] for e in DISGUISES)
    found = sum(sc.found.values())
    flags = sum(sc.flags.values())
    good = sum(sc.good_flags.values())
    free_all = [sum(v[i] for k, v in sc.by_source.items() if k.endswith("/free")) for i in (0, 1)]
    form_all = [
        sum(v[i] for k, v in sc.by_source.items() if k.endswith("/formula")) for i in (0, 1)
    ]
    lines.append(
        f"| **all planted** | {planted_docs} | {found} | **{_ratio(found, planted_ok)}** "
        f"| {_ratio(free_all[0], free_all[1])} ({free_all[1]}) "
        f"| {_ratio(form_all[0], form_all[1])} ({form_all[1]}) "
        f"| **{_ratio(good, flags)}** | {sum(sc.wrong_source.values())} | | "
        f"{sum(sc.exit_ok[e] for e in DISGUISES)}/{planted_docs} "
        f"| {sum(sc.exit2[e] for e in DISGUISES)} | |"
    )
    clean_n = sc.docs["clean"]
    lines += [
        f"| clean documents | {clean_n} | | | | | | | | {sc.exit_ok['clean']}/{clean_n} exit 0 "
        f"| {sc.exit2['clean']} | |",
        "",
        "False cross-case flags on clean text, by what the text was (every one is a false alarm).",
        "",
        "| clean text | paragraphs | false flags | per 1,000 |",
        "|---|---|---|---|",
    ]
    for kind, label in NEGATIVE_LABELS.items():
        n = sc.paragraphs[kind]
        lines.append(
            f"| {label} | {n} | {sc.false_flags[kind]} "
            f"| {_ratio(1000 * sc.false_flags[kind], n, 2)} |"
        )
    total = sum(sc.paragraphs.values())
    false_total = sum(sc.false_flags.values())
    lines.append(
        f"| **all clean paragraphs** | {total} | {false_total} "
        f"| **{_ratio(1000 * false_total, total, 2)}** |"
    )
    secs = sorted(sc.seconds)
    p90 = secs[int(0.9 * (len(secs) - 1))] if secs else 0.0
    lines += [
        "",
        f"Time per check (one `provenance check` process, wall, start-up included): median "
        f"{statistics.median(secs) if secs else 0:.2f} s, p90 {p90:.2f} s, max "
        f"{max(secs, default=0):.2f} s over {len(secs)} checks.",
    ]
    return "\n".join(lines)


def whatif(rows: list[dict[str, Any]], thresholds: tuple[float, ...] = (1.0, 0.97, 0.9)) -> str:
    """Recall and false flags if 'boilerplate' matches naming another case were leaks.

    Most misses are reported as template text with the right source record of the other
    case at similarity 1.00. This post-processes the CLI's own JSON (run with --all) to show
    what a rule "boilerplate whose best source is another case at similarity >= T counts as
    cross_case" would find, and what it would cost on clean text.
    """
    lines = [
        "What-if (post-processing the CLI's JSON, not a detector change): a `boilerplate` "
        "match whose source is another case at similarity >= T counted as a leak.",
        "",
        "| T | recall | false flags on clean paragraphs | per 1,000 | clean docs flagged |",
        "|---|---|---|---|---|",
    ]
    for threshold in (None, *thresholds):
        found = planted_n = false_n = paragraphs = flagged_clean = 0
        for row in rows:
            if row["exit"] not in (0, 1) or row["error"]:
                continue
            planted = [(a, b) for a, b, k in row["segments"] if k == "planted"]
            paragraphs += sum(k != "planted" for _a, _b, k in row["segments"])
            hit = False
            doc_false = 0
            for m in row["matches"]:
                leak = m["status"] == "cross_case" or (
                    threshold is not None
                    and m["status"] == "boilerplate"
                    and m["source"]["case_id"] != row["case"]
                    and m["similarity"] >= threshold
                )
                if not leak:
                    continue
                if planted and covers(m, planted):
                    hit = hit or m["source"]["case_id"] == row["source_case"]
                else:
                    doc_false += 1
            false_n += doc_false
            if row["edit"] == "clean":
                flagged_clean += doc_false > 0
            else:
                planted_n += 1
                found += hit
        clean_docs = sum(r["edit"] == "clean" for r in rows)
        label = "as shipped" if threshold is None else f"{threshold:.2f}"
        lines.append(
            f"| {label} | {_ratio(found, planted_n)} | {false_n} of {paragraphs} "
            f"| {_ratio(1000 * false_n, paragraphs, 2)} | {flagged_clean}/{clean_docs} |"
        )
    return "\n".join(lines)


def origin_whatif(rows: list[dict[str, Any]], db: Path, jobs: int) -> str:
    """Would 'held closely by exactly one other case' separate copies from template text?

    For each `boilerplate` match that covers a planted copy, and each one in the clean
    documents, ask `provenance origin` for every record holding the passage, and count the
    cases holding it at similarity >= T. The rule tried: a passage held at >= T by exactly one
    case, not the checked one, is a leak. Measured on the planted misses (recall gained) and
    on the clean documents (false flags it would add).
    """
    jobs_list: list[tuple[str, str, str, bool]] = []  # (doc, checked case, text, on a copy)
    for row in rows:
        if row["exit"] not in (0, 1) or row["error"]:
            continue
        planted = [(a, b) for a, b, k in row["segments"] if k == "planted"]
        for m in row["matches"]:
            if m["status"] != "boilerplate":
                continue
            on_copy = bool(planted) and covers(m, planted)
            if on_copy or row["edit"] == "clean":
                jobs_list.append((row["doc"], row["case"], m["text"], on_copy))

    def holders(text: str) -> list[tuple[str, float]]:
        done = subprocess.run(
            [*CLI, "origin", "-", "--json", "--db", str(db)],
            input=text,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        if done.returncode != 0:
            return []
        return [(s["case_id"], s["similarity"]) for s in json.loads(done.stdout)["sources"]]

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        answers = list(pool.map(lambda job: holders(job[2]), jobs_list))
    clean_paragraphs = sum(
        k != "planted" for r in rows if r["edit"] == "clean" for _a, _b, k in r["segments"]
    )
    missed = sum(1 for r in rows if r["edit"] != "clean") - sum(
        1
        for r in rows
        if r["edit"] != "clean"
        and any(
            m["status"] == "cross_case"
            and m["source"]["case_id"] == r["source_case"]
            and covers(m, [(a, b) for a, b, k in r["segments"] if k == "planted"])
            for m in r["matches"]
        )
    )
    lines = [
        f"What-if with `origin`: {len(jobs_list)} boilerplate passages asked (those on planted "
        f"copies, and all in the {sum(r['edit'] == 'clean' for r in rows)} clean documents, "
        f"{clean_paragraphs} clean paragraphs). Rule: held at similarity >= T by exactly one "
        "case, not the checked one, means a leak.",
        "",
        "| T | missed copies it would catch | false flags it would add in clean documents |",
        "|---|---|---|",
    ]
    for threshold in (0.99, 0.97, 0.95, 0.9):
        caught: set[str] = set()
        false_added = 0
        for (doc, case, _text, on_copy), sources in zip(jobs_list, answers, strict=True):
            close = {c for c, sim in sources if sim >= threshold}
            if len(close) == 1 and case not in close:
                if on_copy:
                    caught.add(doc)
                else:
                    false_added += 1
        lines.append(f"| {threshold:.2f} | {len(caught)} of {missed} | {false_added} |")
    return "\n".join(lines)


def _short(text: str, limit: int = 700) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + " [...]"


def examples(sc: Scores, world: World, root: Path, db: Path, per_type: int) -> str:
    """Missed copies (planted text next to its source) and false flags, for the lead to read."""
    out = ["### Missed planted copies (planted text vs the source paragraph)", ""]
    shown: Counter[str] = Counter()
    for ch in sc.misses:
        if shown[ch.doc.edit] >= per_type:
            continue
        shown[ch.doc.edit] += 1
        planted = [(a, b) for a, b, k in ch.segments if k == "planted"]
        around = [
            f"{m['status']} {m['source']['record_id']} ({m['source']['case_id']}) "
            f"sim {m['similarity']:.2f}"
            for m in ch.matches
            if covers(m, planted)
        ]
        out += [
            f"**{ch.doc.doc_id}** ({ch.doc.edit}, {ch.doc.planted_words} words, source "
            f"{ch.doc.source_formula:.0%} formula sentences), to case "
            f"{ch.doc.case_id}, copied from {ch.doc.source_record} (case {ch.doc.source_case}). "
            f"Reported on the copy: {'; '.join(around) or 'nothing'}.",
            "",
            f"- planted: {_short(ch.doc.planted_text)}",
            f"- source:  {_short(ch.doc.source_text)}",
            "",
        ]
    out += ["### False cross-case flags", ""]
    paths = {r.record_id: r.path for r in world.records}
    for ch, m, kind in sc.false_examples[: 3 * per_type]:
        src = m["source"]
        family = world.cases.get(src["case_id"])
        named = sorted(
            {p.first for p in family.people() if re.search(rf"\b{p.first}\b", m["text"])}
            if family
            else set()
        )
        src_text = ""
        if src["record_id"] in paths:
            shown_src = run(["text", str(root / "store" / paths[src["record_id"]])], 60)
            src_text = shown_src.stdout[src["start"] : src["end"]]
        out += [
            f"**{ch.doc.doc_id}** ({ch.doc.edit}) to case {ch.doc.case_id}: a {kind} paragraph "
            f"flagged as from {src['record_id']} (case {src['case_id']}), similarity "
            f"{m['similarity']:.2f}; names of that family in the flagged text: "
            f"{', '.join(named) or 'none'}.",
            "",
            f"- flagged: {_short(m['text'])}",
            f"- source:  {_short(src_text)}",
            "",
        ]
    if len(out) and not sc.false_examples:
        out.append("None.")
    if sc.errors:
        out += ["", "### Documents not checked (exit 2) or not scored", ""]
        for ch in sc.errors[:10]:
            out.append(f"- {ch.doc.doc_id} ({ch.doc.path}): exit {ch.exit_code}: {ch.error}")
    return "\n".join(out)


def main() -> int:
    """Generate, index, check, score, print (and optionally write) the report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cases", type=int, default=None, help="default 50 (20 with --quick)")
    parser.add_argument("--per-type", type=int, default=None, help="docs per disguise (10/2)")
    parser.add_argument("--clean", type=int, default=None, help="clean docs (24/4)")
    parser.add_argument("--quick", action="store_true", help="a small run, under 2 minutes")
    parser.add_argument("--jobs", type=int, default=2, help="checks run in parallel")
    parser.add_argument("--layout", choices=("manifest", "folders"), default="manifest")
    parser.add_argument("--output", type=Path, help="also write the Markdown report here")
    parser.add_argument("--workdir", type=Path, help="keep the store, index and documents here")
    parser.add_argument("--examples", type=int, default=2, help="miss examples per disguise")
    parser.add_argument(
        "--whatif", type=Path, help="only print the what-if tables for a kept --workdir's results"
    )
    args = parser.parse_args()
    if args.whatif:
        lines = (args.whatif / "results.jsonl").read_text(encoding="utf-8").splitlines()
        saved = [json.loads(line) for line in lines]
        print(whatif(saved) + "\n\n" + origin_whatif(saved, args.whatif / "index.duckdb", 2))
        return 0
    n_cases = args.cases or (20 if args.quick else 50)
    per_type = args.per_type or (2 if args.quick else 10)
    n_clean = args.clean if args.clean is not None else (4 if args.quick else 24)

    root = args.workdir or Path(tempfile.mkdtemp(prefix="holdout-"))
    if root.exists() and any(root.iterdir()):
        shutil.rmtree(root)
    root.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    world = holdout_data.build(root, args.seed, n_cases, per_type, n_clean, args.layout)
    t_gen = time.perf_counter() - t0
    db = root / "index.duckdb"
    t0 = time.perf_counter()
    indexed = run(["index", str(root / "store"), "--db", str(db)], 600)
    t_index = time.perf_counter() - t0
    summary = (indexed.stdout + indexed.stderr).strip()
    print(summary, file=sys.stderr)
    if indexed.returncode != 0:
        print(f"index failed (exit {indexed.returncode})", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        results = list(pool.map(lambda d: check_one(d, root, db, 120.0), world.outgoing))
    t_check = time.perf_counter() - t0
    sc = score(results)
    rows: list[dict[str, Any]] = []
    for ch in results:
        row: dict[str, Any] = {"doc": ch.doc.doc_id, "case": ch.doc.case_id}
        row |= {"edit": ch.doc.edit, "source_case": ch.doc.source_case}
        row |= {"exit": ch.exit_code, "seconds": ch.seconds, "matches": ch.matches}
        rows.append(row | {"segments": ch.segments, "error": ch.error})
    if args.workdir:
        with (root / "results.jsonl").open("w", encoding="utf-8") as raw:
            raw.writelines(json.dumps(row) + "\n" for row in rows)
    try:
        version = metadata.version("provenance")
    except metadata.PackageNotFoundError:
        version = "?"
    n_records = len(world.records)
    formats = Counter(Path(r.path).suffix for r in world.records)
    head = [
        f"## Held-out benchmark, seed {args.seed}",
        "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.platform()}, Python "
        f"{platform.python_version()}, provenance {version}. Command: `python "
        f"scripts/bench_holdout.py {' '.join(sys.argv[1:])}`.  ",
        f"Store: {n_cases} cases, {n_records} records ("
        + ", ".join(f"{k} {v}" for k, v in sorted(formats.items()))
        + f"), {args.layout} layout. Documents: {len(world.outgoing)} "
        f"({per_type} per disguise, {n_clean} clean; .docx share "
        f"{sum(d.path.endswith('.docx') for d in world.outgoing)}).  ",
        f"Generate {t_gen:.1f} s, index {t_index:.1f} s, checks {t_check:.1f} s "
        f"({args.jobs} in parallel).  ",
        f"Index summary: {summary.splitlines()[0] if summary else '-'}",
        "",
    ]
    report = "\n\n".join(
        ["\n".join(head) + tables(sc), whatif(rows), examples(sc, world, root, db, args.examples)]
    )
    print(report)
    if args.output:
        args.output.write_text(report + "\n", encoding="utf-8")
    if not args.workdir:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
