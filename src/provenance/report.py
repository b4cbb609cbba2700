"""Results -> what people read: JSON for machines, plain tables for reviewers.

Nothing here prints; the CLI decides where output goes. The JSON shape of a
check is a published contract (see README): later versions add keys, never
rename or remove them.
"""

from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING, Any

from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from provenance.models import STATUS_RANK, CheckResult, IndexSummary, Match, SourceSpan
from provenance.origin import OriginHit

if TYPE_CHECKING:  # scan pulls in the indexer: kept off the check path
    from provenance.scan import ScanSummary

_STATUS_WORDS = {
    "cross_case": "ANOTHER CASE",
    "same_case": "same case",
    "same_family": "same family",
    "boilerplate": "template text",
}
_CHECK_COLUMNS = ("Lines", "Status", "Came from (record, case, kind, date)", "Similar", "Text")
_EXCERPT_CHARS = 160


def check_to_json(result: CheckResult) -> dict[str, Any]:
    """The documented `check --json` object."""
    return {
        "document": result.document,
        "case_id": result.case_id,
        "verdict": result.verdict,
        "matches": [_match_to_json(match) for match in result.matches],
        "warnings": list(result.warnings),
    }


def origin_to_json(query: str, hits: list[OriginHit]) -> dict[str, Any]:
    """The documented `origin --json` object: holders earliest first."""
    return {
        "query": query,
        "sources": [
            {
                **_source_to_json(hit.source),
                "similarity": hit.similarity,
                "query_start": hit.query_start,
                "query_end": hit.query_end,
            }
            for hit in hits
        ],
    }


def verdict_sentence(result: CheckResult) -> str:
    """The verdict in plain words, as the banner and the table title say it."""
    leaks = [m for m in result.matches if m.status == "cross_case"]
    if leaks:
        cases = sorted({m.source.case_id for m in leaks})
        return (
            f"DO NOT SEND: {len(leaks)} passage{'s' if len(leaks) != 1 else ''} of "
            f"{result.document} come{'s' if len(leaks) == 1 else ''} from the records of "
            f"another case ({', '.join(cases)}), not case {result.case_id}."
        )
    return (
        f"Clear to send: no passage of {result.document} comes from another case's records "
        f"(checked for case {result.case_id})."
    )


def check_table(result: CheckResult, text: str, *, show_all: bool = False) -> Group:
    """A reviewer's view: the verdict, then the passages that came from another case.

    Reuse within the case and template text are fine, so by default they are
    counted in one line rather than listed; `show_all` lists them too.
    """
    leak = result.verdict == "leak"
    banner = Panel(
        Text(verdict_sentence(result), style="bold white on red" if leak else "bold green"),
        expand=False,
    )
    listed = [show_all or m.status == "cross_case" for m in result.matches]
    shown = [m for m, is_listed in zip(result.matches, listed, strict=True) if is_listed]
    parts: list[Panel | Table | Text] = [banner]
    if shown:
        lines = LineNumbers(text)
        table = Table(show_lines=True, title="Passages found in other records")
        for column in _CHECK_COLUMNS:
            table.add_column(column, overflow="fold")
        for match in sorted(shown, key=lambda m: (STATUS_RANK[m.status], m.start)):
            table.add_row(
                lines.span(match.start, match.end),
                Text(_STATUS_WORDS[match.status], style="bold red" if leak_row(match) else ""),
                _source_label(match.source),
                f"{match.similarity:.0%}",
                _excerpt(match.text),
            )
        parts.append(table)
    hidden = [m for m, is_listed in zip(result.matches, listed, strict=True) if not is_listed]
    if hidden:
        own = sum(m.status == "same_case" for m in hidden)
        family = sum(m.status == "same_family" for m in hidden)
        template = sum(m.status == "boilerplate" for m in hidden)
        siblings = f", {family} from a case linked to it as one family" if family else ""
        parts.append(
            Text(
                f"Also found (fine to send): {own} passage(s) from this case's own "
                f"records{siblings} and {template} passage(s) of standard template text. "
                "Use --all to list them."
            )
        )
    elif not result.matches:
        parts.append(Text("No passage matched any indexed record."))
    parts += [Text(f"Check by eye: {warning}", style="bold yellow") for warning in result.warnings]
    return Group(*parts)


def origin_table(hits: list[OriginHit]) -> Table | Text:
    if not hits:
        return Text("No indexed record holds this text.")
    table = Table(title="Records holding this text, earliest first", show_lines=True)
    for column in ("Date", "Case", "Record", "Kind", "Similar", "Where in the record"):
        table.add_column(column, overflow="fold")
    for hit in hits:
        source = hit.source
        table.add_row(
            source.date,
            source.case_id,
            source.record_id,
            source.kind,
            f"{hit.similarity:.0%}",
            f"{source.path} characters {source.start}-{source.end}",
        )
    return table


def index_summary_lines(summary: IndexSummary) -> list[str]:
    """Plain lines summarising an index run, problems first named one by one."""
    lines = [
        f"Indexed in {summary.seconds:.1f} s: {summary.added} added, {summary.changed} changed, "
        f"{summary.unchanged} unchanged, {summary.removed} removed, "
        f"{len(summary.failed)} could not be indexed; {summary.passages_indexed} passages written."
    ]
    if summary.key_created:
        lines.append(key_created_line(summary.key_created))
    if summary.linked_cases:
        lines.append(
            f"The manifest links {summary.linked_cases} cases as {summary.families} families: "
            "text shared by cases of one family is not flagged between them."
        )
    lines += [f"  not indexed: {p.path}: {p.reason}" for p in summary.failed]
    lines += [f"  warning: {p.path}: {p.reason}" for p in summary.warnings]
    return lines


def key_created_line(key_file: str) -> str:
    return (
        f"A new secret key for this index was written to {key_file} (readable by you only). "
        "Back it up apart from the index: without it the index cannot be used."
    )


def scan_summary_line(summary: ScanSummary) -> str:
    """One line for cron mail and logs."""
    index = summary.index
    return (
        f"scan {summary.run_id}: {index.added} added, {index.changed} changed, "
        f"{index.removed} removed, {len(index.failed)} unreadable; {summary.audited} audited"
        f"{' (full)' if summary.full_audit else ''}; {len(summary.new_findings)} new finding(s), "
        f"{len(summary.findings)} in all."
        + (f" {summary.interrupted_runs} earlier run(s) had been interrupted; their work is "
           "done now." if summary.interrupted_runs else "")
    )  # fmt: skip


def scan_findings_table(summary: ScanSummary) -> Table | Text:
    """Findings for the terminal: which record carries which other case's text."""
    if not summary.findings:
        return Text("No record carries another case's text.")
    table = Table(title="Records carrying another case's text, most recent first", show_lines=True)
    for column in ("New", "Copied into (record, case, date)", "Copied from", "Similar", "Text"):
        table.add_column(column, overflow="fold")
    for finding in summary.findings:
        undecided = " (same date: order undecided)" if finding.order_undecided else ""
        table.add_row(
            "NEW" if finding.first_run_id == summary.run_id else "",
            f"{finding.copy.record_id}\ncase {finding.copy.case_id}\n{finding.copy.date}",
            f"{finding.origin.record_id}\ncase {finding.origin.case_id}\n{finding.origin.date}"
            + undecided,
            f"{finding.similarity:.0%}",
            _excerpt(finding.copy_text) if finding.copy_text else "(text not available)",
        )
    return table


def leak_row(match: Match) -> bool:
    return match.status == "cross_case"


def _match_to_json(match: Match) -> dict[str, Any]:
    return {
        "start": match.start,
        "end": match.end,
        "text": match.text,
        "similarity": match.similarity,
        "status": match.status,
        "source": _source_to_json(match.source),
    }


def _source_to_json(source: SourceSpan) -> dict[str, Any]:
    return {
        "record_id": source.record_id,
        "case_id": source.case_id,
        "path": source.path,
        "kind": source.kind,
        "date": source.date,
        "start": source.start,
        "end": source.end,
    }


class LineNumbers:
    """The lines of a text that each passage is on, as reports number them.

    Line ends are found once and each passage's looked up by bisection:
    counting them from the start of the text for every passage took
    seconds for a long document with thousands of matches.

    >>> LineNumbers("one\\ntwo\\nthree").span(4, 13)
    '2-3'
    """

    def __init__(self, text: str) -> None:
        self._line_ends = [found.start() for found in re.finditer("\n", text)]

    def span(self, start: int, end: int, dash: str = "-") -> str:
        """ "7" or "7-9": the lines characters [start, end) are on."""
        first = bisect.bisect_left(self._line_ends, start) + 1
        last = bisect.bisect_left(self._line_ends, max(start, end - 1)) + 1
        return str(first) if first == last else f"{first}{dash}{last}"


def _source_label(source: SourceSpan) -> str:
    return f"{source.record_id}\ncase {source.case_id}\n{source.kind}, {source.date}"


def _excerpt(passage: str) -> str:
    flat = " ".join(passage.split())
    return flat if len(flat) <= _EXCERPT_CHARS else flat[: _EXCERPT_CHARS - 1] + "…"
