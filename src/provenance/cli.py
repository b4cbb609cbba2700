"""Command line: parse, make one library call, render, exit. The only importer of typer.

Exit codes of `check` (a pre-send gate must fail closed):
    0  clean: no passage from another case
    1  leak: at least one passage comes from another case's records
    2  could not be checked: unreadable document, no index, unknown case, any error
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console

from provenance.api import source_texts
from provenance.config import CheckParams
from provenance.errors import ExtractionError, ProvenanceError
from provenance.extract import extract_text
from provenance.gate import check_logged, cli_caller, origin_logged
from provenance.report import (
    check_table,
    check_to_json,
    index_summary_lines,
    origin_table,
    origin_to_json,
    scan_findings_table,
    scan_summary_line,
)
from provenance.store import DEFAULT_DB_NAME

EXIT_CLEAN, EXIT_LEAK, EXIT_CANNOT_CHECK = 0, 1, 2

app = typer.Typer(
    help="Find where each passage of a document came from, and stop documents that carry "
    "another case's text.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
_out = Console(highlight=False, soft_wrap=False)
_err = Console(stderr=True, highlight=False)

DbOption = Annotated[
    Path,
    typer.Option(
        "--db",
        envvar="PROVENANCE_DB",
        help="Index file (DuckDB). Also set by the PROVENANCE_DB environment variable.",
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON (schema in the README).")]
ImagesOption = Annotated[
    int,
    typer.Option(
        "--allow-images-up-to",
        min=0,
        metavar="KB",
        help="Let images (PNG, JPEG, GIF, WebP) of at most KB kilobytes through unread, "
        "such as a signature logo; reported as 'not read'. 0 (default): any image "
        "means the e-mail is not checked, since an image can show another family's text.",
    ),
]
MinWordsOption = Annotated[
    int,
    typer.Option(help="Fewest shared words (not template text) that make a match."),
]
BoilerplateOption = Annotated[
    int,
    typer.Option(
        help="Text held by records of at least this many different cases is template text "
        "(boilerplate), never a leak."
    ),
]


EncryptOption = Annotated[
    bool,
    typer.Option(
        "--encrypt",
        help="Make a new index an encrypted file (needs the `encryption` extra to write).",
    ),
]


@app.command()
def init(db: DbOption = Path(DEFAULT_DB_NAME), encrypt: EncryptOption = False) -> None:
    """Create an empty index and its secret key (`index` does this too on first use).

    The key is written beside the index as INDEX.key, readable by its owner only;
    set PROVENANCE_KEY_FILE first to keep it elsewhere, or PROVENANCE_KEY (hex).
    """
    from provenance.api import init_index
    from provenance.report import key_created_line

    try:
        key_file = init_index(db, encrypt=encrypt)
    except ProvenanceError as error:
        _fail(str(error))
    _say(f"Created an empty {'encrypted ' if encrypt else ''}index at {db}.")
    _say(key_created_line(str(key_file)) if key_file else "It uses the existing secret key.")


@app.command()
def index(
    store: Annotated[Path, typer.Argument(help="The document store folder.")],
    db: DbOption = Path(DEFAULT_DB_NAME),
    quiet: Annotated[bool, typer.Option(help="Only the summary line and errors.")] = False,
    encrypt: EncryptOption = False,
) -> None:
    """Index a document store (incremental: unchanged files are skipped)."""
    try:
        with _ProgressBar(enabled=not quiet) as report_progress:
            from provenance.ingest import index_store  # not on the check path: loaded here

            summary = index_store(store, db, on_progress=report_progress, encrypt=encrypt)
    except (ProvenanceError, FileNotFoundError) as error:
        _fail(str(error))
    lines = index_summary_lines(summary)
    for line in lines[:1] if quiet else lines:
        _say(line)


@app.command()
def scan(
    store: Annotated[Path, typer.Argument(help="The document store folder.")],
    db: DbOption = Path(DEFAULT_DB_NAME),
    full: Annotated[bool, typer.Option(help="Re-audit every record, not only new ones.")] = False,
    report: Annotated[
        Path | None,
        typer.Option(help="Write report.html, report.json and report.csv into this folder."),
    ] = None,
    quiet: Annotated[bool, typer.Option(help="For cron: only errors and one line.")] = False,
) -> None:
    """Nightly job: update the index, audit new and changed records for other cases' text.

    Exit 0 no new findings, 1 new findings, 2 the run failed.
    """
    from provenance.scan import scan_store, with_texts
    from provenance.scan_report import write_scan_reports

    try:
        bar = _ProgressBar(enabled=not quiet)
        with bar as report_progress:
            summary = scan_store(
                store, db, full=full, on_progress=report_progress, on_stage=bar.set_stage
            )
        summary = replace(summary, findings=with_texts(summary.findings, store))
        written = write_scan_reports(report, summary) if report is not None else []
    except (ProvenanceError, OSError) as error:
        _fail(f"The scan failed and is recorded as failed: {error}")
    line = scan_summary_line(summary)
    if quiet:
        _say(line)
    else:
        for text_line in index_summary_lines(summary.index):
            _say(text_line)
        _out.print(scan_findings_table(summary))
        _say(line)
        for path in written:
            _say(f"wrote {path}")
    raise typer.Exit(EXIT_LEAK if summary.new_findings else EXIT_CLEAN)


@app.command()
def check(
    document: Annotated[Path, typer.Argument(help="The document about to be sent.")],
    case: Annotated[str, typer.Option("--case", help="The case it is being sent to.")],
    db: DbOption = Path(DEFAULT_DB_NAME),
    as_json: JsonOption = False,
    min_words: MinWordsOption = CheckParams.min_words,
    boilerplate_cases: BoilerplateOption = CheckParams.boilerplate_cases,
    show_all: Annotated[
        bool,
        typer.Option(
            "--all",
            help="The table also lists same-case reuse and template text (--json always does).",
        ),
    ] = False,
    html: Annotated[
        Path | None,
        typer.Option("--html", help="Write a highlighted report a reviewer can read or print."),
    ] = None,
    redact: Annotated[
        Path | None,
        typer.Option(
            "--redact",
            help="Write a copy with each passage from another case replaced by a redaction "
            "mark (.txt, .md, .docx; same format as the document).",
        ),
    ] = None,
    timeout: Annotated[
        float,
        typer.Option(
            min=0.1,
            help="Give up after this many seconds with exit 2 (not cleared), so a pre-send "
            "hook never hangs.",
        ),
    ] = 120.0,
) -> None:
    """Check a document before it is sent. Exit 0 clean, 1 leak, 2 could not be checked."""
    _exit_2_after(timeout, f"Could not be checked, do not send: the check took longer than "
                  f"{timeout:g} s (raise --timeout for very large documents).")  # fmt: skip
    redacted = 0
    try:
        params = CheckParams(min_words=min_words, boilerplate_cases=boilerplate_cases)
        with _WindowProgress() as on_progress:
            checked = check_logged(
                document, case, db, cli_caller(), params, on_progress=on_progress
            )
        result = checked.result
        if html is not None:
            from provenance.html_report import render_check_html

            page = render_check_html(result, checked.extracted.text, source_texts(result, db))
            html.write_text(page, encoding="utf-8")
        if redact is not None:
            from provenance.redact import redact_document

            summary = redact_document(document, redact, result, checked.extracted.text)
            redacted = summary.passages_redacted
    except ProvenanceError as error:
        _fail(f"Could not be checked, do not send: {error}")
    except Exception as error:
        _fail(f"Could not be checked, do not send: internal error: {error!r}")
    if as_json:
        _print_json(check_to_json(result))
    else:
        _out.print(check_table(result, checked.extracted.text, show_all=show_all))
    if html is not None:
        _err.print(f"wrote {html}", markup=False)
    if redact is not None:
        _err.print(
            f"wrote {redact}: {redacted} passage(s) redacted; check it again before sending",
            markup=False,
        )
    raise typer.Exit(EXIT_LEAK if result.verdict == "leak" else EXIT_CLEAN)


@app.command()
def origin(
    text: Annotated[
        str | None, typer.Argument(help="The passage to trace; '-' reads standard input.")
    ] = None,
    file: Annotated[
        Path | None, typer.Option("--file", help="Read the passage from a file.")
    ] = None,
    db: DbOption = Path(DEFAULT_DB_NAME),
    as_json: JsonOption = False,
) -> None:
    """List every record holding a passage, earliest first."""
    try:
        query = _origin_query(text, file)
        name = str(file) if file is not None else "(pasted text)"
        hits = origin_logged(query, db, cli_caller(), document_name=name)
    except ProvenanceError as error:
        _fail(str(error))
    if as_json:
        _print_json(origin_to_json(query, hits))
    else:
        _out.print(origin_table(hits))


@app.command()
def text(file: Annotated[Path, typer.Argument(help="A document in a supported format.")]) -> None:
    """Print the text provenance reads from a file (offsets in reports index into it)."""
    try:
        extracted = extract_text(file)
    except ExtractionError as error:
        _fail(str(error))
    for warning in extracted.warnings:
        _err.print(f"warning: {warning}", markup=False)
    sys.stdout.write(extracted.text)
    sys.stdout.flush()


@app.command()
def serve(
    db: DbOption = Path(DEFAULT_DB_NAME),
    host: Annotated[
        str, typer.Option(help="Address to listen on; the default takes local connections only.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    max_upload_mb: Annotated[
        float, typer.Option(help="Largest request accepted (413 beyond it), in MB.")
    ] = 20.0,
    concurrent_checks: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Checks run at once; more wait their turn. Default: the CPU count, 2 to 4.",
        ),
    ] = None,
    check_timeout: Annotated[
        float,
        typer.Option(min=0.01, help="Seconds a check may run before it stops, not cleared (504)."),
    ] = 120.0,
) -> None:
    """Run the HTTP service and the reviewer page (tokens: `provenance token add NAME`)."""
    from provenance.service import run_server

    run_server(db, host, port, int(max_upload_mb * 1_000_000), concurrent_checks, check_timeout)


token_app = typer.Typer(
    help="API tokens for `provenance serve`: add, list, revoke.", no_args_is_help=True
)
app.add_typer(token_app, name="token")


@token_app.command("add")
def token_add(
    name: Annotated[str, typer.Argument(help="Who or what will use it, e.g. dms-gateway.")],
    db: DbOption = Path(DEFAULT_DB_NAME),
) -> None:
    """Make a token and print it once (only its salted hash is kept)."""
    from provenance.tokens import add_token

    try:
        token = add_token(db, name)
    except ProvenanceError as error:
        _fail(str(error))
    _say(token)
    _err.print(f"Token {name!r} made. Store it now: it cannot be shown again.", markup=False)


@token_app.command("revoke")
def token_revoke(
    name: Annotated[str, typer.Argument(help="The token's name.")],
    db: DbOption = Path(DEFAULT_DB_NAME),
) -> None:
    """Revoke a token; requests carrying it are refused (401) from now on."""
    from provenance.tokens import revoke_token

    try:
        revoke_token(db, name)
    except ProvenanceError as error:
        _fail(str(error))
    _say(f"Token {name!r} revoked.")


@token_app.command("list")
def token_list(db: DbOption = Path(DEFAULT_DB_NAME)) -> None:
    """List token names, when each was made and whether it was revoked."""
    from provenance.gate_report import tokens_table
    from provenance.tokens import list_tokens

    try:
        _out.print(tokens_table(list_tokens(db)))
    except ProvenanceError as error:
        _fail(str(error))


@app.command()
def audit(
    db: DbOption = Path(DEFAULT_DB_NAME),
    limit: Annotated[int, typer.Option(help="How many entries, newest first.")] = 50,
    as_json: JsonOption = False,
) -> None:
    """List recorded checks and origin queries: when, who, document hash, case, verdict."""
    from provenance.audit import entries
    from provenance.gate_report import audit_table, audit_to_json

    try:
        found = entries(db, limit)
    except ProvenanceError as error:
        _fail(str(error))
    if as_json:
        sys.stdout.write(json.dumps(audit_to_json(found), indent=2) + "\n")
    else:
        _out.print(audit_table(found))


@app.command("check-eml")
def check_eml(
    message: Annotated[Path, typer.Argument(help="The draft e-mail (.eml) about to be sent.")],
    case: Annotated[str, typer.Option("--case", help="The case it is being sent to.")],
    db: DbOption = Path(DEFAULT_DB_NAME),
    as_json: JsonOption = False,
    images_up_to: ImagesOption = 0,
) -> None:
    """Check an e-mail's body and every attachment. Exit 0 clean, 1 leak, 2 not checked."""
    from provenance.gate_report import message_lines
    from provenance.mailcheck import check_message, message_to_json

    try:
        result = check_message(message, case, db, cli_caller("eml"), images_up_to_kb=images_up_to)
    except ProvenanceError as error:
        _fail(f"Could not be checked, do not send: {error}")
    except Exception as error:
        _fail(f"Could not be checked, do not send: internal error: {error!r}")
    if as_json:
        _print_json(message_to_json(result))
    else:
        for line in message_lines(result):
            _say(line)
    codes = {"clean": EXIT_CLEAN, "leak": EXIT_LEAK}
    raise typer.Exit(codes.get(result.verdict, EXIT_CANNOT_CHECK))


@app.command()
def watch(
    outbox: Annotated[Path, typer.Argument(help="The outgoing folder to watch.")],
    case_from: Annotated[
        str,
        typer.Option(
            help="folder: files are dropped in OUTBOX/<case_id>/; manifest: in OUTBOX/, "
            "with OUTBOX/manifest.csv (columns file,case_id) naming each file's case."
        ),
    ] = "folder",
    db: DbOption = Path(DEFAULT_DB_NAME),
    once: Annotated[
        bool, typer.Option(help="One pass, then exit (cron, tests): 0 all cleared, 1 any held.")
    ] = False,
    interval: Annotated[float, typer.Option(help="Seconds between passes.")] = 5.0,
    settle: Annotated[
        float, typer.Option(help="Leave files changed less than this many seconds ago.")
    ] = 2.0,
    images_up_to: ImagesOption = 0,
) -> None:
    """Check files dropped into OUTBOX; move each to cleared/ or held/ with its report."""
    import time

    from provenance.gate_report import outbox_line
    from provenance.outbox import CaseFrom, sweep

    if case_from not in ("folder", "manifest"):
        _fail("--case-from must be folder or manifest.")
    mode: CaseFrom = "manifest" if case_from == "manifest" else "folder"
    held = False
    try:
        while True:
            for item in sweep(
                outbox,
                mode,
                db,
                cli_caller("watch"),
                settle_seconds=settle,
                images_up_to_kb=images_up_to,
            ):
                held = held or item.outcome == "held"
                _say(outbox_line(item))
            if once:
                break
            time.sleep(interval)
    except ProvenanceError as error:
        _fail(str(error))
    except KeyboardInterrupt:
        pass
    raise typer.Exit(EXIT_LEAK if held else EXIT_CLEAN)


def _origin_query(text: str | None, file: Path | None) -> str:
    if file is not None:
        return extract_text(file).text
    if text == "-":
        return sys.stdin.read()
    if text is None:
        _fail("Give the passage as an argument, '-' for standard input, or --file FILE.")
    return text


def _say(line: str) -> None:
    """A plain line, never wrapped: cron mail and log files read these."""
    sys.stdout.write(line + "\n")


def _print_json(payload: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")


def _exit_2_after(seconds: float, message: str) -> None:
    """A watchdog that ends the process with exit 2, even inside a stuck parser or query.

    Two of them: a timer thread, which needs the interpreter and so cannot
    run while one long call into C holds it (a regular expression on hostile
    text ran for minutes past its timeout that way), and an alarm signal,
    whose handler the regular expression engine runs from inside its loop.
    """

    def give_up(*_: object) -> None:
        sys.stderr.write(f"error: {message}\n")
        sys.stderr.flush()
        os._exit(EXIT_CANNOT_CHECK)

    watchdog = threading.Timer(seconds, give_up)
    watchdog.daemon = True
    watchdog.start()
    if hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGALRM, give_up)
        signal.setitimer(signal.ITIMER_REAL, seconds)


def _fail(message: str) -> NoReturn:
    _err.print(f"error: {message}", markup=False)
    raise typer.Exit(EXIT_CANNOT_CHECK)


class _ProgressBar:
    """A progress bar on stderr when it is a terminal; silent otherwise."""

    def __init__(self, enabled: bool) -> None:
        self._bar: Any = None
        if enabled and _err.is_terminal:
            from rich.progress import (  # only long runs draw a bar: kept off the check path
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeRemainingColumn,
            )

            self._bar = Progress(
                TextColumn("{task.fields[stage]}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                TextColumn("{task.description}"),
                console=_err,
                transient=True,
            )
        self._task: Any = None

    def __enter__(self) -> Any:
        if self._bar is None:
            return None
        self._bar.__enter__()
        self._task = self._bar.add_task("", total=None, stage="indexing")

        def update(done: int, total: int, path: str) -> None:
            assert self._bar is not None
            self._bar.update(self._task, completed=done, total=total, description=path[-50:])

        return update

    def set_stage(self, stage: str) -> None:
        """Name the step under way ("indexing", "auditing") and restart the count."""
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, stage=stage, completed=0, total=None)

    def __exit__(self, *exc_info: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)


class _WindowProgress:
    """A bar for a check of a long document (more than one window, `windows.text_windows`),
    on stderr when it is a terminal; nothing at all for an ordinary document."""

    def __init__(self) -> None:
        self._bar: _ProgressBar | None = None
        self._update: Any = None

    def __enter__(self) -> Callable[[int, int], None]:
        return self.report

    def report(self, done: int, total: int) -> None:
        if total < 2:
            return
        if self._bar is None:
            self._bar = _ProgressBar(enabled=True)
            self._update = self._bar.__enter__()
            self._bar.set_stage("checking")
        if self._update is not None:
            self._update(done, total, f"window {done} of {total}")

    def __exit__(self, *exc_info: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)


def main() -> None:
    """Run the CLI; an error that escapes a command still exits 2, never 0."""
    try:
        app()
    except Exception as error:
        _err.print(f"error: internal error, nothing was cleared: {error!r}", markup=False)
        sys.exit(EXIT_CANNOT_CHECK)


if __name__ == "__main__":
    main()
