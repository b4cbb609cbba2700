"""What the gate's own commands show: the audit log, e-mail parts, outbox moves.

Nothing here prints; the CLI decides where output goes.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from rich.table import Table
from rich.text import Text

from provenance.audit import AuditEntry
from provenance.mailcheck import MessageResult
from provenance.outbox import OutboxItem
from provenance.tokens import TokenInfo

_PART_WORDS = {
    "clean": "clean",
    "leak": "LEAK: from another case",
    "not checked": "COULD NOT BE CHECKED",
    "not read": "not read",
}


def audit_table(entries: list[AuditEntry]) -> Table | Text:
    if not entries:
        return Text("No check or origin query has been recorded yet.")
    table = Table(title="Checks and origin queries, newest first")
    for column in ("When (UTC)", "Who", "Via", "What", "Document", "SHA-256", "Case", "Result"):
        table.add_column(column, overflow="fold")
    for entry in entries:
        result = entry.verdict
        if entry.action == "check" and entry.cross_case:
            result += f" ({entry.cross_case} passage(s) from another case)"
        elif entry.action == "origin":
            result = f"{entry.cross_case} record(s)"
        if entry.detail:
            result += f": {entry.detail}"
        table.add_row(
            entry.at,
            entry.who,
            entry.channel,
            entry.action,
            entry.document,
            entry.sha256[:12],
            entry.case_id or "",
            result,
        )
    return table


def audit_to_json(entries: list[AuditEntry]) -> list[dict[str, Any]]:
    return [asdict(entry) for entry in entries]


def tokens_table(tokens: list[TokenInfo]) -> Table | Text:
    if not tokens:
        return Text("No API tokens yet; make one with `provenance token add NAME`.")
    table = Table(title="API tokens (the tokens themselves are never stored)")
    for column in ("Name", "Created (UTC)", "Revoked (UTC)"):
        table.add_column(column)
    for token in tokens:
        table.add_row(token.name, token.created_at, token.revoked_at or "live")
    return table


def message_lines(result: MessageResult) -> list[str]:
    """One line per part, then the verdict for the whole message."""
    lines = []
    for part in result.parts:
        line = f"{part.name}: {_PART_WORDS[part.verdict]}"
        if part.verdict == "leak" and part.checked is not None:
            cases = sorted(
                {m.source.case_id for m in part.checked.result.matches if m.status == "cross_case"}
            )
            line += f", {part.cross_case} passage(s) from case {', '.join(cases)}"
        if part.reason:
            line += f" ({part.reason})"
        lines.append(line)
    if not result.parts:
        lines.append("The message has no text and no attachments.")
    verdict = result.verdict
    if verdict == "leak":
        lines.append(f"DO NOT SEND: {result.message} carries text from another case's records.")
    elif verdict == "not checked":
        lines.append(
            f"Could not be checked, do not send: a part of {result.message} could not be checked."
        )
    else:
        unread = sum(part.verdict == "not read" for part in result.parts)
        caveat = f" ({unread} image(s) let through unread)" if unread else ""
        lines.append(f"Clear to send: no part of {result.message} comes from another case{caveat}.")
    return lines


def outbox_line(item: OutboxItem) -> str:
    why = f": {item.reason}" if item.reason else ""
    return f"{item.outcome.upper()} {item.name} (case {item.case_id or '?'}, {item.verdict}{why})"
