"""An e-mail in the store is indexed with its attachments, so text copied from them is found."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

from hostile_files import plain_docx

from provenance import check_file, index_store

MINUTES = (
    "Strategy discussion held with the police on 3 March. Ondine Farrowby, aged eleven, "
    "disclosed to her teacher at Kestrel Lane Primary that her stepfather Aurel Farrowby "
    "had struck her with a belt; he has been charged with assault and bailed to an address "
    "in Wimbleford away from the family home."
)


def _store(tmp_path: Path) -> Path:
    store = tmp_path / "store"
    message = EmailMessage()
    message["From"] = "chair@example.org"
    message["To"] = "team@example.org"
    message["Subject"] = "Minutes attached"
    message.set_content("Please find the minutes attached.\n")
    message.add_attachment(
        plain_docx(MINUTES),
        maintype="application",
        subtype="vnd.openxmlformats-officedocument.wordprocessingml.document",
        filename="strategy_minutes.docx",
    )
    (store / "C-2001").mkdir(parents=True)
    (store / "C-2001" / "minutes_email.eml").write_bytes(message.as_bytes())
    (store / "C-2002").mkdir()
    (store / "C-2002" / "plan.txt").write_text(
        "Child protection plan for Tobiah Quenby. Tobiah attends Alderholt Academy and "
        "lives with his grandmother, who attends every core group meeting.\n",
        encoding="utf-8",
    )
    return store


def test_text_copied_from_an_e_mail_attachment_is_a_leak(tmp_path: Path) -> None:
    store = _store(tmp_path)
    db_path = tmp_path / "index.duckdb"
    summary = index_store(store, db_path)
    assert summary.added == 2
    draft = tmp_path / "draft.txt"
    draft.write_text(
        "Plan for Tobiah Quenby, reviewed at core group.\n\n" + MINUTES + "\n", encoding="utf-8"
    )
    result = check_file(draft, "C-2002", db_path).result
    assert result.verdict == "leak"
    leaks = [match for match in result.matches if match.status == "cross_case"]
    assert [match.source.case_id for match in leaks] == ["C-2001"]
    assert leaks[0].source.path.endswith("minutes_email.eml")
    assert "Ondine Farrowby" in leaks[0].text
