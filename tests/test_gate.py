"""The gate's hooks end to end with real files: the audit log under concurrent CLI checks,
`check-eml` with real attachments, `watch` on an outbox (with a simulated crash), and
the pre-send hook script."""

from __future__ import annotations

import base64
import csv
import json
import os
import subprocess
import sys
from email.message import EmailMessage
from pathlib import Path

import pytest
from hostile_files import png_bytes

from provenance import audit, scan_store
from provenance.gate import Caller, index_health
from provenance.outbox import sweep
from tests.conftest import CASE_STORIES, LEAK_PARAGRAPH, TEMPLATE, RunCli
from tests.serving import make_docx, make_pdf

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "presend-hook.sh"
CLEAN_TEXT = f"{TEMPLATE}\n\n{CASE_STORIES['C-1004']}"


def test_concurrent_cli_checks_are_all_logged(indexed_store: Path, tmp_path: Path) -> None:
    drafts = []
    for number in range(4):
        text = LEAK_PARAGRAPH if number % 2 else CLEAN_TEXT
        drafts.append(tmp_path / f"draft-{number}.txt")
        drafts[-1].write_text(f"{text}\n\nDraft number {number}.", encoding="utf-8")
    env = {**os.environ, "PROVENANCE_DB": str(indexed_store)}
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "provenance.cli", "check", str(d), "--case", "C-1004"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=env,
        )
        for d in drafts
    ]
    codes = [p.wait(timeout=120) for p in processes]
    for process in processes:
        assert process.stderr is not None
        process.stderr.close()
    assert codes == [0, 1, 0, 1]
    logged = {e.document: e for e in audit.entries(indexed_store)}
    assert set(logged) == {str(d) for d in drafts}
    assert [logged[str(d)].verdict for d in drafts] == ["clean", "leak"] * 2
    assert {e.channel for e in logged.values()} == {"cli"} and all(e.who for e in logged.values())


def test_token_add_prints_the_token_once_and_stores_a_hash(
    run_cli: RunCli, indexed_store: Path
) -> None:
    completed = run_cli("token", "add", "reviewers", "--db", indexed_store)
    assert completed.returncode == 0, completed.stderr
    token = completed.stdout.strip()
    assert (
        token.startswith("prov_")
        and len(token) > 40
        and "cannot be shown again" in (completed.stderr)
    )
    stored = audit.stored_tokens(indexed_store)
    assert [t.name for t in stored] == ["reviewers"] and len(stored[0].digest) == 32
    assert token.encode() not in audit.audit_path(indexed_store).read_bytes()
    again = run_cli("token", "add", "reviewers", "--db", indexed_store)
    assert again.returncode == 2 and "already exists" in again.stderr


def draft_message(*attachments: tuple[str, bytes], body: str = "Please find the plan.") -> bytes:
    message = EmailMessage()
    message["From"] = "worker@trust.invalid"
    message["To"] = "family@example.invalid"
    message["Subject"] = "Plan for the next review"
    message.set_content(body)
    for name, data in attachments:
        maintype, subtype = ("application", "octet-stream")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return bytes(message)


def test_check_eml_checks_the_body_and_every_attachment(
    run_cli: RunCli, indexed_store: Path, tmp_path: Path
) -> None:
    leak_docx = make_docx(tmp_path / "plan.docx", [TEMPLATE, LEAK_PARAGRAPH]).read_bytes()
    clean_pdf = make_pdf(tmp_path / "letter.pdf", CLEAN_TEXT).read_bytes()
    leaking = tmp_path / "leaking.eml"
    leaking.write_bytes(draft_message(("letter.pdf", clean_pdf), ("plan.docx", leak_docx)))
    completed = run_cli("check-eml", leaking, "--case", "C-1004", "--db", indexed_store)
    assert completed.returncode == 1, completed.stderr
    lines = completed.stdout.splitlines()
    assert lines[:3] == [
        "body: clean",
        "letter.pdf: clean",
        "plan.docx: LEAK: from another case, 1 passage(s) from case C-1003",
    ]
    assert lines[3].startswith("DO NOT SEND")

    clean = tmp_path / "clean.eml"
    clean.write_bytes(draft_message(("letter.pdf", clean_pdf), body=CLEAN_TEXT))
    assert run_cli("check-eml", clean, "--case", "C-1004", "--db", indexed_store).returncode == 0

    with_image = tmp_path / "image.eml"
    with_image.write_bytes(draft_message(("letter.pdf", clean_pdf), ("photo.png", b"\x89PNG")))
    held = run_cli("check-eml", with_image, "--case", "C-1004", "--db", indexed_store, "--json")
    assert held.returncode == 2
    payload = json.loads(held.stdout)
    assert payload["verdict"] == "not checked"
    assert [(p["name"], p["verdict"]) for p in payload["parts"]] == [
        ("body", "clean"), ("letter.pdf", "clean"), ("photo.png", "not checked"),
    ]  # fmt: skip
    # Each part's report names the part, not the temporary file it was checked from.
    assert [p["check"]["document"] for p in payload["parts"][:2]] == [
        f"{with_image} (body)", f"{with_image}/letter.pdf",
    ]  # fmt: skip
    logged = [e.document for e in audit.entries(indexed_store) if e.channel == "eml"]
    assert f"{leaking}/plan.docx" in logged and f"{leaking} (body)" in logged


def test_check_eml_reads_an_html_alternative_that_says_more_than_the_plain_text(
    run_cli: RunCli, indexed_store: Path, tmp_path: Path
) -> None:
    """Mail clients show the HTML part: a clean plain part must not clear it."""
    message = EmailMessage()
    message["Subject"] = "Plan for the next review"
    message.set_content(CLEAN_TEXT)
    message.add_alternative(
        f"<html><body><p>{CLEAN_TEXT}</p><p>{LEAK_PARAGRAPH}</p></body></html>", subtype="html"
    )
    draft = tmp_path / "alternative.eml"
    draft.write_bytes(bytes(message))
    completed = run_cli("check-eml", draft, "--case", "C-1004", "--db", indexed_store)
    assert completed.returncode == 1, completed.stderr
    assert completed.stdout.splitlines()[0].startswith("body: LEAK")

    same = EmailMessage()
    same["Subject"] = "Plan for the next review"
    same.set_content(CLEAN_TEXT)
    same.add_alternative(f"<html><body><p><b>{CLEAN_TEXT}</b></p></body></html>", subtype="html")
    draft.write_bytes(bytes(same))
    assert run_cli("check-eml", draft, "--case", "C-1004", "--db", indexed_store).returncode == 0


def html_with_logo(body: str, logo: bytes, subtype: str = "png") -> bytes:
    """An HTML e-mail as mail clients write one: plain and HTML alternatives, the
    HTML part carrying its signature logo inline (multipart/related)."""
    message = EmailMessage()
    message["Subject"] = "Plan for the next review"
    message.set_content(body)
    message.add_alternative(
        f'<html><body><p>{body}</p><img src="cid:logo@trust.invalid"></body></html>',
        subtype="html",
    )
    html = message.get_body(preferencelist=("html",))
    assert isinstance(html, EmailMessage)
    html.add_related(logo, "image", subtype, cid="<logo@trust.invalid>", filename="logo.png")
    return bytes(message)


def test_check_eml_lets_a_small_logo_through_only_when_the_trust_says_so(
    run_cli: RunCli, indexed_store: Path, tmp_path: Path
) -> None:
    """Fail closed by default (an image can show another family's record); with
    --allow-images-up-to an image that small, and really an image, is reported
    as not read and no longer holds the message."""
    draft = tmp_path / "signed.eml"
    logo = png_bytes(60, 60)  # ~4 KB
    draft.write_bytes(html_with_logo(CLEAN_TEXT, logo))
    check = ("check-eml", draft, "--case", "C-1004", "--db", indexed_store)
    held = run_cli(*check)
    assert held.returncode == 2, held.stderr
    assert "logo.png: COULD NOT BE CHECKED" in held.stdout

    allowed = run_cli(*check, "--allow-images-up-to", "20")
    assert allowed.returncode == 0, allowed.stderr
    assert allowed.stdout.splitlines() == [
        "body: clean",
        "logo.png: not read (an image of 4 KB; images up to 20 KB are let through unread "
        "(--allow-images-up-to))",
        f"Clear to send: no part of {draft} comes from another case (1 image(s) let through "
        "unread).",
    ]
    assert run_cli(*check, "--allow-images-up-to", "3").returncode == 2  # over the limit

    draft.write_bytes(html_with_logo(f"{CLEAN_TEXT}\n\n{LEAK_PARAGRAPH}", logo))
    assert run_cli(*check, "--allow-images-up-to", "20").returncode == 1

    pdf = make_pdf(tmp_path / "plan.pdf", LEAK_PARAGRAPH).read_bytes()  # labelled image/png
    draft.write_bytes(html_with_logo(CLEAN_TEXT, pdf))
    disguised = run_cli(*check, "--allow-images-up-to", "100", "--json")
    assert disguised.returncode == 2, disguised.stdout
    assert [p["verdict"] for p in json.loads(disguised.stdout)["parts"]] == ["clean", "not checked"]

    # The same logo written into the HTML itself (a data: address) is an image too.
    inline = EmailMessage()
    inline["Subject"] = "Plan"
    inline.set_content(CLEAN_TEXT)
    source = f"data:image/png;base64,{base64.b64encode(logo).decode()}"
    inline.add_alternative(f'<p>{CLEAN_TEXT}</p><img src="{source}">', subtype="html")
    draft.write_bytes(bytes(inline))
    assert run_cli(*check).returncode == 2
    assert run_cli(*check, "--allow-images-up-to", "20").returncode == 0

    outbox = tmp_path / "outbox"
    (outbox / "C-1004").mkdir(parents=True)
    (outbox / "C-1004" / "signed.eml").write_bytes(html_with_logo(CLEAN_TEXT, logo))
    watched = run_cli(
        "watch", outbox, "--once", "--settle", "0", "--db", indexed_store,
        "--allow-images-up-to", "20",
    )  # fmt: skip
    assert watched.stdout.strip() == (
        "CLEARED signed.eml (case C-1004, clean: image(s) let through unread: logo.png)"
    ), watched.stderr


def test_check_eml_checks_files_nested_inside_the_html_part(
    run_cli: RunCli, indexed_store: Path, tmp_path: Path
) -> None:
    """Some clients put attachments in the HTML part's multipart/related; the
    check only looked at the top level and cleared a PDF of another family's
    minutes sent that way. A second plain-text part after an inline file
    (as Apple Mail writes one) is body text too."""
    pdf = make_pdf(tmp_path / "minutes.pdf", LEAK_PARAGRAPH).read_bytes()
    message = EmailMessage()
    message["Subject"] = "Minutes"
    message.set_content("Please find the minutes.")
    message.add_alternative("<html><body><p>Please find the minutes.</p></body></html>", "html")
    html = message.get_body(preferencelist=("html",))
    assert isinstance(html, EmailMessage)
    html.add_related(pdf, "application", "pdf", cid="<minutes@trust.invalid>", filename="m.pdf")
    draft = tmp_path / "nested.eml"
    draft.write_bytes(bytes(message))
    completed = run_cli("check-eml", draft, "--case", "C-1004", "--db", indexed_store)
    assert completed.returncode == 1, completed.stdout
    assert "m.pdf: LEAK: from another case" in completed.stdout

    mixed = EmailMessage()
    mixed["Subject"] = "Plan"
    mixed.make_mixed()
    for text in (CLEAN_TEXT, LEAK_PARAGRAPH):
        part = EmailMessage()
        part.set_content(text)
        mixed.attach(part)
    draft.write_bytes(bytes(mixed))
    completed = run_cli("check-eml", draft, "--case", "C-1004", "--db", indexed_store)
    assert completed.returncode == 1, completed.stdout
    assert completed.stdout.startswith("body: LEAK")


def test_check_eml_says_plainly_why_a_message_nested_thousands_deep_is_not_checked(
    run_cli: RunCli, indexed_store: Path, tmp_path: Path
) -> None:
    """The standard library's parser recurses per nested part: a hostile draft
    nested 3,000 deep is refused in words, not as an internal error."""
    levels = 3000
    opening = "".join(
        f'Content-Type: multipart/mixed; boundary="b{n}"\n\n--b{n}\n' for n in range(levels)
    )
    closing = "".join(f"--b{n}--\n" for n in reversed(range(levels)))
    draft = tmp_path / "deep.eml"
    draft.write_text(
        f"Subject: deep\nMIME-Version: 1.0\n{opening}Content-Type: text/plain\n\nhello\n{closing}"
    )
    completed = run_cli("check-eml", draft, "--case", "C-1004", "--db", indexed_store)
    assert completed.returncode == 2
    said = " ".join(completed.stderr.split())  # the console wraps long lines
    assert "nested too deeply to read" in said and "internal error" not in said
    read = run_cli("text", draft)
    assert read.returncode == 2 and "nested too deeply to read" in " ".join(read.stderr.split())


def test_check_eml_checks_a_forwarded_message_and_what_it_carries(
    run_cli: RunCli, indexed_store: Path, tmp_path: Path
) -> None:
    """Forwarding another family's e-mail chain is a leak; a clean forwarded
    message clears; one carrying a file that cannot be read is not checked."""

    def forwarding(body: str, *attached: tuple[str, bytes]) -> Path:
        inner = EmailMessage()
        inner["Subject"] = "Strategy discussion notes"
        inner.set_content(body)
        for name, data in attached:
            inner.add_attachment(
                data, maintype="application", subtype="octet-stream", filename=name
            )
        outer = EmailMessage()
        outer["Subject"] = "FW: Strategy discussion notes"
        outer.set_content("See below.")
        outer.add_attachment(inner)  # message/rfc822, as a mail client forwards
        draft = tmp_path / f"forward-{len(list(tmp_path.iterdir()))}.eml"
        draft.write_bytes(bytes(outer))
        return draft

    leaking = run_cli(
        "check-eml", forwarding(LEAK_PARAGRAPH), "--case", "C-1004", "--db", indexed_store
    )
    assert leaking.returncode == 1, leaking.stderr
    assert "LEAK: from another case, 1 passage(s) from case C-1003" in leaking.stdout
    clean = run_cli("check-eml", forwarding(CLEAN_TEXT), "--case", "C-1004", "--db", indexed_store)
    assert clean.returncode == 0, clean.stdout
    photo = forwarding(CLEAN_TEXT, ("photo.png", b"\x89PNG"))
    held = run_cli("check-eml", photo, "--case", "C-1004", "--db", indexed_store, "--json")
    assert held.returncode == 2
    (part,) = [p for p in json.loads(held.stdout)["parts"] if p["name"] != "body"]
    assert part["verdict"] == "not checked" and "photo.png" in part["reason"]


def test_watch_clears_and_holds_with_reports_beside(
    run_cli: RunCli, indexed_store: Path, tmp_path: Path
) -> None:
    outbox = tmp_path / "outbox"
    (outbox / "C-1004").mkdir(parents=True)
    make_docx(outbox / "C-1004" / "plan.docx", [TEMPLATE, LEAK_PARAGRAPH])
    make_pdf(outbox / "C-1004" / "letter.pdf", CLEAN_TEXT)
    (outbox / "C-1004" / "scan.pdf").write_bytes(b"%PDF-1.4 broken")
    leak_docx = (outbox / "C-1004" / "plan.docx").read_bytes()
    (outbox / "C-1004" / "draft.eml").write_bytes(draft_message(("plan.docx", leak_docx)))
    completed = run_cli(
        "watch", outbox, "--case-from", "folder", "--once", "--settle", "0", "--db", indexed_store
    )
    assert completed.returncode == 1, completed.stderr
    assert sorted(completed.stdout.splitlines()) == [
        "CLEARED letter.pdf (case C-1004, clean)",
        "HELD draft.eml (case C-1004, leak: part(s) not clean: plan.docx)",
        "HELD plan.docx (case C-1004, leak: 1 passage(s) from another case)",
        "HELD scan.pdf (case C-1004, not checked: "
        + next(line for line in completed.stdout.splitlines() if "scan.pdf" in line).split(
            "not checked: ", 1
        )[1],
    ]
    assert sorted(p.name for p in (outbox / "cleared" / "C-1004").iterdir()) == [
        "letter.pdf", "letter.pdf.report.html", "letter.pdf.report.json",
    ]  # fmt: skip
    held = outbox / "held" / "C-1004"
    assert json.loads((held / "plan.docx.report.json").read_text())["verdict"] == "leak"
    assert "DO NOT SEND" in (held / "plan.docx.report.html").read_text()
    assert json.loads((held / "scan.pdf.report.json").read_text())["verdict"] == "not checked"
    assert json.loads((held / "draft.eml.report.json").read_text())["verdict"] == "leak"
    assert list((outbox / "C-1004").iterdir()) == []


def test_watch_finishes_a_crashed_claim_exactly_once(indexed_store: Path, tmp_path: Path) -> None:
    outbox = tmp_path / "outbox"
    claimed = outbox / ".work" / "C-1004"
    claimed.mkdir(parents=True)
    make_pdf(claimed / "letter.pdf", CLEAN_TEXT)  # claimed by a pass that then crashed
    caller = Caller("tester", "watch")
    first = sweep(outbox, "folder", indexed_store, caller, settle_seconds=0)
    assert [(i.name, i.outcome) for i in first] == [("letter.pdf", "cleared")]
    assert sweep(outbox, "folder", indexed_store, caller, settle_seconds=0) == []
    assert [p.name for p in (outbox / "cleared" / "C-1004").glob("*.pdf")] == ["letter.pdf"]
    assert list(claimed.iterdir()) == []


def test_watch_shortens_a_name_too_long_for_its_reports(
    indexed_store: Path, tmp_path: Path
) -> None:
    """A 240-character name left no room for ".report.json": the file stuck in
    .work/ and every later pass stopped at it, holding up every other file."""
    outbox = tmp_path / "outbox"
    (outbox / "C-1004").mkdir(parents=True)
    long_name = "review " + "x" * 229 + ".txt"
    (outbox / "C-1004" / long_name).write_text(LEAK_PARAGRAPH, encoding="utf-8")
    (outbox / "C-1004" / "letter.txt").write_text(CLEAN_TEXT, encoding="utf-8")
    caller = Caller("tester", "watch")
    done = sweep(outbox, "folder", indexed_store, caller, settle_seconds=0)
    assert sorted((i.outcome, i.verdict) for i in done) == [("cleared", "clean"), ("held", "leak")]
    held = next(i.destination for i in done if i.outcome == "held")
    assert held.name.startswith("review xxx") and held.name.endswith("x~.txt")
    assert held.with_name(held.name + ".report.json").exists()
    assert sweep(outbox, "folder", indexed_store, caller, settle_seconds=0) == []
    assert list((outbox / ".work" / "C-1004").iterdir()) == []


def test_watch_clears_its_own_copy_of_a_hard_linked_file(
    indexed_store: Path, tmp_path: Path
) -> None:
    """Changed through another link after it was cleared, the file in cleared/
    would carry text nobody checked."""
    outbox = tmp_path / "outbox"
    (outbox / "C-1004").mkdir(parents=True)
    elsewhere = tmp_path / "drafts.txt"
    elsewhere.write_text(CLEAN_TEXT, encoding="utf-8")
    os.link(elsewhere, outbox / "C-1004" / "letter.txt")
    done = sweep(outbox, "folder", indexed_store, Caller("tester", "watch"), settle_seconds=0)
    assert [(i.name, i.outcome) for i in done] == [("letter.txt", "cleared")]
    elsewhere.write_text(LEAK_PARAGRAPH, encoding="utf-8")
    assert done[0].destination.read_text(encoding="utf-8") == CLEAN_TEXT


@pytest.mark.parametrize("header", [["file", "case_id"], ["File", "Case ID"]])
def test_watch_with_a_manifest_holds_files_it_does_not_name(
    indexed_store: Path, tmp_path: Path, header: list[str]
) -> None:
    outbox = tmp_path / "outbox"
    outbox.mkdir()
    (outbox / "to-family.txt").write_text(CLEAN_TEXT, encoding="utf-8")
    (outbox / "stray.txt").write_text(CLEAN_TEXT, encoding="utf-8")
    with (outbox / "manifest.csv").open("w", newline="") as handle:
        csv.writer(handle).writerows([header, ["to-family.txt", "C-1004"]])
    done = sweep(outbox, "manifest", indexed_store, Caller("t", "watch"), settle_seconds=0)
    assert sorted((i.name, i.outcome, i.verdict) for i in done) == [
        ("stray.txt", "held", "not checked"), ("to-family.txt", "cleared", "clean"),
    ]  # fmt: skip
    assert (outbox / "cleared" / "C-1004" / "to-family.txt").exists()
    assert (outbox / "held" / "_no_case" / "stray.txt").exists()
    assert (outbox / "manifest.csv").exists()


def test_presend_hook_script_passes_the_exit_codes(indexed_store: Path, tmp_path: Path) -> None:
    clean = tmp_path / "letter.txt"
    clean.write_text(CLEAN_TEXT, encoding="utf-8")
    leak = make_docx(tmp_path / "plan.docx", [LEAK_PARAGRAPH])
    env = {
        **os.environ,
        "PROVENANCE_DB": str(indexed_store),
        "PROVENANCE_CMD": f"{sys.executable} -m provenance.cli",
        "PROVENANCE_REPORT_DIR": str(tmp_path / "reports"),
    }

    def hook(*args: str | Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["bash", str(SCRIPT), *map(str, args)], capture_output=True, text=True, env=env
        )

    assert hook(clean, "C-1004").returncode == 0
    blocked = hook(leak, "C-1004")
    assert blocked.returncode == 1 and "BLOCKED" in blocked.stderr
    assert "DO NOT SEND" in (tmp_path / "reports" / "plan.docx.report.html").read_text()
    assert hook(clean, "C-9999").returncode == 2
    assert hook(clean).returncode == 2


def test_health_reports_the_last_scan(small_store: Path, tmp_path: Path) -> None:
    db = tmp_path / "scanned.duckdb"
    scan_store(small_store, db)
    health = index_health(db)
    assert (health.records, health.cases) == (10, 5)
    assert health.last_scan is not None and health.last_scan.status == "succeeded"
