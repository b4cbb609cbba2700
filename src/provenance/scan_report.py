"""The nightly scan's findings as report.json, report.csv and report.html.

The HTML is for a reviewer: findings grouped by the case whose text leaked,
most recent copy first, each with the two passages side by side. Every piece
of record text is escaped; the page fetches nothing from the network.
"""

from __future__ import annotations

import csv
import html
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from provenance.models import Finding, SourceSpan
from provenance.scan import ScanSummary

CSV_COLUMNS = (
    "new", "copy_record_id", "copy_case_id", "copy_kind", "copy_date", "copy_path",
    "copy_start", "copy_end", "origin_record_id", "origin_case_id", "origin_kind",
    "origin_date", "origin_path", "origin_start", "origin_end", "order_undecided",
    "similarity", "matched_words", "copy_text", "origin_text",
)  # fmt: skip

_STYLE = """
body{font-family:system-ui,sans-serif;line-height:1.45;margin:1rem auto;max-width:70rem;
padding:0 1rem}
.banner{padding:.8rem 1rem;border:.2rem solid;font-weight:bold;font-size:1.2rem}
.bad{border-color:#b00020;background:#fde7ea}.good{border-color:#1b5e20;background:#e8f5e9}
table{border-collapse:collapse;width:100%}
td,th{border:1px solid #999;padding:.3rem;vertical-align:top;text-align:left}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:1rem}
.pair pre{white-space:pre-wrap;border:1px solid #999;padding:.5rem;margin:0}
.new{font-weight:bold;color:#b00020}
article{break-inside:avoid;border-top:1px solid #999;margin-top:1rem}
@media print{a{color:inherit}.banner{border-width:3pt}}
"""


def write_scan_reports(directory: Path, summary: ScanSummary) -> list[Path]:
    """Write the three reports of `summary` (findings with texts) into `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    rows = [_row(finding, summary.run_id) for finding in summary.findings]
    json_path = directory / "report.json"
    json_path.write_text(
        json.dumps(
            {
                "run_id": summary.run_id,
                "full_audit": summary.full_audit,
                "audited_records": summary.audited,
                "new_findings": len(summary.new_findings),
                "findings": rows,
            },
            ensure_ascii=False,
            indent=2,
        ),
        encoding="utf-8",
    )
    csv_path = directory / "report.csv"
    with csv_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    html_path = directory / "report.html"
    html_path.write_text(render_scan_html(summary), encoding="utf-8")
    return [html_path, json_path, csv_path]


def render_scan_html(summary: ScanSummary) -> str:
    findings = summary.findings
    by_leaked_case: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        by_leaked_case[finding.origin.case_id].append(finding)
    if findings:
        banner = (
            f'<p class="banner bad">{len(findings)} passage(s) in the store come from another '
            f"case's records ({len(summary.new_findings)} new since the last scan). Each needs "
            "review; any that were disclosed are data breaches.</p>"
        )
    else:
        banner = '<p class="banner good">No record carries another case\'s text.</p>'
    sections = []
    number = 0
    for case_id in sorted(by_leaked_case, key=lambda c: _latest(by_leaked_case[c]), reverse=True):
        cards = []
        for finding in by_leaked_case[case_id]:
            number += 1
            cards.append(_card(number, finding, summary.run_id))
        sections.append(
            f"<section><h2>Text of case {_e(case_id)} found in other cases' records "
            f"({len(cards)})</h2>{_summary_table(by_leaked_case[case_id], number - len(cards))}"
            f"{''.join(cards)}</section>"
        )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Provenance scan {summary.run_id}</title><style>{_STYLE}</style></head><body>"
        f"<h1>Store scan {summary.run_id}: records carrying another case's text</h1>{banner}"
        f"<p>Records audited in this run: {summary.audited}"
        f"{' (full re-audit)' if summary.full_audit else ''}.</p>{''.join(sections)}</body></html>"
    )


def _summary_table(findings: list[Finding], first_number: int) -> str:
    rows = "".join(
        f'<tr><td><a href="#finding-{first_number + i}">{first_number + i}</a></td>'
        f"<td>{_e(f.copy.record_id)} (case {_e(f.copy.case_id)}, {_e(f.copy.kind)}, "
        f"{_e(f.copy.date)})</td><td>{_e(f.origin.record_id)} ({_e(f.origin.date)})</td>"
        f"<td>{f.similarity:.0%}</td></tr>"
        for i, f in enumerate(findings, start=1)
    )
    return (
        "<table><thead><tr><th>#</th><th>Copied into</th><th>Copied from</th>"
        f"<th>Similar</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def _card(number: int, finding: Finding, run_id: int) -> str:
    order = (
        "Both records have the same date: which is the copy is undecided."
        if finding.order_undecided
        else "The earlier record is taken as the origin."
    )
    new = '<span class="new">NEW</span> ' if finding.first_run_id == run_id else ""
    return (
        f'<article id="finding-{number}"><h3>{new}{number}. {_e(finding.copy.record_id)} '
        f"(case {_e(finding.copy.case_id)}) carries text of {_e(finding.origin.record_id)} "
        f"(case {_e(finding.origin.case_id)})</h3><p>{order} Similarity "
        f"{finding.similarity:.0%}, {finding.matched_words} shared words.</p>"
        f'<div class="pair">{_side("Copy", finding.copy, finding.copy_text)}'
        f"{_side('Origin', finding.origin, finding.origin_text)}</div></article>"
    )


def _side(role: str, span: SourceSpan, text: str) -> str:
    return (
        f"<div><h4>{role}: {_e(span.path)}, {_e(span.date)}, characters {span.start}-{span.end}"
        f"</h4><pre>{_e(text or '(text not available: the file has changed or gone)')}</pre></div>"
    )


def _row(finding: Finding, run_id: int) -> dict[str, Any]:
    row: dict[str, Any] = {"new": finding.first_run_id == run_id}
    for role, span in (("copy", finding.copy), ("origin", finding.origin)):
        for field in ("record_id", "case_id", "kind", "date", "path", "start", "end"):
            row[f"{role}_{field}"] = getattr(span, field)
    row.update(
        order_undecided=finding.order_undecided,
        similarity=finding.similarity,
        matched_words=finding.matched_words,
        copy_text=finding.copy_text,
        origin_text=finding.origin_text,
    )
    return row


def _latest(findings: list[Finding]) -> str:
    return max(f.copy.date for f in findings)


def _e(text: str) -> str:
    return html.escape(text, quote=True)
