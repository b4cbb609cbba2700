"""`provenance serve` through real HTTP on a loopback port: the gate's status codes,
tokens, the upload limit, the audit log, and the same JSON as `check --json`."""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from provenance import index_store
from provenance.service import openapi_schema
from tests.conftest import CASE_STORIES, LEAK_PARAGRAPH, TEMPLATE, small_store_records, write_store
from tests.serving import Server, add_token, cli, make_docx, make_pdf, running_server

LIMIT_BYTES = 200_000
OPENAPI_FILE = Path(__file__).resolve().parents[1] / "docs" / "openapi.json"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("served")
    db = root / "index.duckdb"
    index_store(write_store(root / "store", small_store_records()), db)
    token = add_token(db, "dms-gateway")
    limits = ("--max-upload-mb", str(LIMIT_BYTES / 1e6), "--concurrent-checks", "2")
    with running_server(db, token, *limits) as running:
        yield running


def post_check(
    server: Server, path: Path, case_id: str, token: str | None = None
) -> httpx.Response:
    with path.open("rb") as handle:
        return httpx.post(
            f"{server.url}/v1/check",
            headers=server.headers(token),
            files={"file": (path.name, handle)},
            data={"case_id": case_id},
            timeout=60,
        )


def test_requests_without_a_live_token_get_401_and_nothing_else(
    server: Server, tmp_path: Path
) -> None:
    draft = make_docx(tmp_path / "letter.docx", [LEAK_PARAGRAPH])
    for headers in ({}, {"Authorization": "Bearer prov_not-a-real-token"}, {"Authorization": "x"}):
        for response in (
            httpx.get(f"{server.url}/healthz", headers=headers),
            httpx.get(f"{server.url}/openapi.json", headers=headers),
            httpx.post(f"{server.url}/v1/origin", headers=headers, data={"text": LEAK_PARAGRAPH}),
            httpx.post(
                f"{server.url}/v1/check",
                headers=headers,
                files={"file": ("letter.docx", draft.read_bytes())},
                data={"case_id": "C-1004"},
            ),
        ):
            assert response.status_code == 401
            assert response.json() == {"detail": "Unauthorized", "cleared": False}
    page_post = httpx.post(f"{server.url}/page/origin", data={"text": "x", "csrf": "x"})
    assert page_post.status_code == 401 and "Access token" in page_post.text


def test_a_leak_gets_the_same_json_as_check_json(server: Server, tmp_path: Path) -> None:
    draft = make_docx(tmp_path / "plan for Ruby.docx", [TEMPLATE, LEAK_PARAGRAPH])
    response = post_check(server, draft, "C-1004")
    assert response.status_code == 200, response.text
    payload = response.json()
    assert payload["verdict"] == "leak" and payload["document"] == "plan for Ruby.docx"
    leak = next(m for m in payload["matches"] if m["status"] == "cross_case")
    assert leak["source"]["case_id"] == "C-1003"
    completed = cli("check", draft, "--case", "C-1004", "--db", server.db, "--json")
    assert completed.returncode == 1
    assert {**json.loads(completed.stdout), "document": draft.name} == payload


def test_a_clean_pdf_is_clean(server: Server, tmp_path: Path) -> None:
    draft = make_pdf(tmp_path / "letter.pdf", f"{TEMPLATE}\n\n{CASE_STORIES['C-1004']}")
    response = post_check(server, draft, "C-1004")
    assert response.status_code == 200, response.text
    assert response.json()["verdict"] == "clean"


@pytest.mark.parametrize(
    ("name", "content", "status", "message"),
    [
        ("letter.pdf", b"%PDF-1.4 this is not really a PDF", 422, "damaged or not a PDF"),
        ("letter.txt", b"   \n  ", 422, "no text"),
        ("letter.exe", b"MZ\x90\x00", 422, "unsupported"),
        ("draft.eml", b"Subject: plan\n\nHello", 422, "check-eml"),
        ("letter.txt", LEAK_PARAGRAPH.encode(), 400, "has no records"),
    ],
)
def test_what_cannot_be_checked_is_never_a_200(
    server: Server, name: str, content: bytes, status: int, message: str
) -> None:
    case_id = "C-9999" if status == 400 else "C-1004"
    response = httpx.post(
        f"{server.url}/v1/check",
        headers=server.headers(),
        files={"file": (name, content)},
        data={"case_id": case_id},
    )
    assert response.status_code == status
    body = response.json()
    assert body["cleared"] is False and "verdict" not in body
    assert body["detail"].startswith("Could not be checked, do not send")
    assert message in body["detail"]
    assert "provenance-upload-" not in body["detail"]  # the temporary folder is not shown


def test_a_request_without_the_case_is_refused_plainly(server: Server) -> None:
    response = httpx.post(
        f"{server.url}/v1/check",
        headers=server.headers(),
        files={"file": ("letter.txt", LEAK_PARAGRAPH.encode())},
    )
    assert response.status_code == 422
    assert response.json()["cleared"] is False and "(case_id)" in response.json()["detail"]


def test_uploads_over_the_limit_get_413_declared_or_streamed(server: Server) -> None:
    big = b"word " * (LIMIT_BYTES // 4)
    declared = httpx.post(
        f"{server.url}/v1/check",
        headers=server.headers(),
        files={"file": ("big.txt", big)},
        data={"case_id": "C-1004"},
    )
    assert declared.status_code == 413 and "upload limit" in declared.text

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it streams in
        yield b'--b\r\nContent-Disposition: form-data; name="case_id"\r\n\r\nC-1004\r\n'
        yield b'--b\r\nContent-Disposition: form-data; name="file"; filename="big.txt"\r\n\r\n'
        for _ in range(10):
            yield b"word " * (LIMIT_BYTES // 40)
        yield b"\r\n--b--\r\n"

    streamed = httpx.post(
        f"{server.url}/v1/check",
        headers={**server.headers(), "Content-Type": "multipart/form-data; boundary=b"},
        content=chunks(),
    )
    assert streamed.status_code == 413
    small = httpx.post(
        f"{server.url}/v1/check",
        headers=server.headers(),
        files={"file": ("small.txt", LEAK_PARAGRAPH.encode())},
        data={"case_id": "C-1004"},
    )
    assert small.json()["verdict"] == "leak"


def test_origin_lists_holders_earliest_first(server: Server) -> None:
    response = httpx.post(
        f"{server.url}/v1/origin", headers=server.headers(), data={"text": LEAK_PARAGRAPH}
    )
    assert response.status_code == 200
    sources = response.json()["sources"]
    assert [s["record_id"] for s in sources] == ["C-1003-SM"]
    assert response.json()["query"] == LEAK_PARAGRAPH


def test_healthz_reports_the_index(server: Server) -> None:
    response = httpx.get(f"{server.url}/healthz", headers=server.headers())
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "records": 10, "cases": 5, "last_scan": None}
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "default-src 'none'" in response.headers["content-security-policy"]


def test_every_check_is_audited_without_its_text(server: Server, tmp_path: Path) -> None:
    draft = make_docx(tmp_path / "audited.docx", [TEMPLATE, LEAK_PARAGRAPH])
    assert post_check(server, draft, "C-1004").json()["verdict"] == "leak"
    completed = cli("audit", "--db", server.db, "--json", "--limit", "500")
    assert completed.returncode == 0, completed.stderr
    entries = json.loads(completed.stdout)
    mine = [e for e in entries if e["document"] == "audited.docx"]
    assert len(mine) == 1
    assert mine[0] | {"at": None} == {
        "at": None,
        "who": "dms-gateway",
        "channel": "api",
        "action": "check",
        "document": "audited.docx",
        "sha256": hashlib.sha256(draft.read_bytes()).hexdigest(),
        "case_id": "C-1004",
        "verdict": "leak",
        "cross_case": 1,
        "detail": "",
    }
    stored = b"".join(p.read_bytes() for p in server.db.parent.glob("index.duckdb.audit.sqlite*"))
    assert b"audit" in stored
    for sentence in ("Linnet Close", "Dean Holt", "Kayden", "bruise to his upper left arm"):
        assert sentence.encode() not in stored
    assert server.token.encode() not in stored  # only the token's salted hash


def test_a_revoked_token_is_refused_at_once(server: Server) -> None:
    token = add_token(server.db, "short-lived")
    assert httpx.get(f"{server.url}/healthz", headers=server.headers(token)).status_code == 200
    assert cli("token", "revoke", "short-lived", "--db", server.db).returncode == 0
    assert httpx.get(f"{server.url}/healthz", headers=server.headers(token)).status_code == 401
    listed = cli("token", "list", "--db", server.db)
    assert "short-lived" in listed.stdout and token not in listed.stdout


def test_the_committed_openapi_schema_is_the_served_one(server: Server) -> None:
    served = httpx.get(f"{server.url}/openapi.json", headers=server.headers()).json()
    committed = json.loads(OPENAPI_FILE.read_text(encoding="utf-8"))
    assert served == committed == openapi_schema(), (
        "docs/openapi.json is out of date: run scripts/export_openapi.py"
    )
    assert set(committed["paths"]) == {"/healthz", "/v1/check", "/v1/origin"}


def test_serve_refuses_fewer_than_one_check_at_once(tmp_path: Path) -> None:
    refused = cli("serve", "--db", tmp_path / "index.duckdb", "--concurrent-checks", "0")
    assert refused.returncode == 2 and "concurrent-checks" in refused.stderr


def test_a_missing_index_is_503_never_clean(tmp_path: Path) -> None:
    db = tmp_path / "absent.duckdb"
    token = add_token(db, "gateway")  # the audit file can exist before the index
    with running_server(db, token) as absent:
        health = httpx.get(f"{absent.url}/healthz", headers=absent.headers())
        assert health.status_code == 503 and "No index" in health.json()["detail"]
        response = httpx.post(
            f"{absent.url}/v1/check",
            headers=absent.headers(),
            files={"file": ("letter.txt", LEAK_PARAGRAPH.encode())},
            data={"case_id": "C-1004"},
        )
        assert response.status_code == 503 and response.json()["cleared"] is False
    with sqlite3.connect(db.with_name("absent.duckdb.audit.sqlite")) as connection:
        rows = connection.execute("SELECT verdict, detail FROM audit").fetchall()
    assert rows == [("not checked", "no index")]


def test_page_forms_need_the_session_csrf_value_and_this_origin(server: Server) -> None:
    cookies = {"provenance_session": server.token}
    home = httpx.get(f"{server.url}/", cookies=cookies)
    match = re.search(r'name="csrf" value="([0-9a-f]{64})"', home.text)
    assert home.status_code == 200 and match is not None
    form = {"text": LEAK_PARAGRAPH, "csrf": match.group(1)}
    url = f"{server.url}/page/origin"
    same_site = httpx.post(url, data=form, cookies=cookies, headers={"Origin": server.url})
    assert same_site.status_code == 200 and "C-1003-SM" in same_site.text
    foreign = httpx.post(
        url, data=form, cookies=cookies, headers={"Origin": "https://evil.example"}
    )
    assert foreign.status_code == 403
    forged = httpx.post(url, data={**form, "csrf": "0" * 64}, cookies=cookies)
    assert forged.status_code == 403 and "C-1003-SM" not in forged.text


def test_the_service_fails_closed_when_the_index_or_key_breaks(tmp_path: Path) -> None:
    """The fail-closed matrix through HTTP: wrong key, then a corrupted index."""
    db = tmp_path / "index.duckdb"
    index_store(write_store(tmp_path / "store", small_store_records()), db)
    token = add_token(db, "gateway")
    draft = tmp_path / "plan.txt"
    draft.write_text(f"Plan for Leo.\n\n{LEAK_PARAGRAPH}\n", encoding="utf-8")
    key_file = db.with_name(db.name + ".key")
    with running_server(db, token) as served:
        assert post_check(served, draft, "C-1005").json()["verdict"] == "leak"
        right_key = key_file.read_bytes()
        key_file.write_text("0f" * 32 + "\n", encoding="ascii")
        wrong = post_check(served, draft, "C-1005")
        assert wrong.status_code == 503 and wrong.json()["cleared"] is False
        assert "not the key" in wrong.json()["detail"]
        key_file.write_bytes(right_key)
        data = bytearray(db.read_bytes())
        for offset in range(8192, len(data), 4096):
            data[offset : offset + 64] = b"\xa5" * 64
        db.write_bytes(bytes(data))
        broken = post_check(served, draft, "C-1005")
        assert broken.status_code >= 400 and broken.json()["cleared"] is False


def test_the_held_reader_sees_records_added_by_a_later_index_run(tmp_path: Path) -> None:
    """The service keeps its index open between requests and reopens it after a publish."""
    store = write_store(tmp_path / "store", small_store_records())
    db = tmp_path / "index.duckdb"
    index_store(store, db)
    token = add_token(db, "gateway")
    copied = (
        "Eliza Thorncombe, born 9 May 2015, of 3 Quarry Lane, told her teacher that her "
        "uncle Marcus Pell keeps a locked room at the flat and will not let her visit her "
        "grandmother on Sundays any more, which has upset her greatly this spring."
    )
    draft = make_docx(tmp_path / "letter.docx", [TEMPLATE, copied])
    with running_server(db, token) as server:
        before = post_check(server, draft, "C-1004")
        assert before.status_code == 200 and before.json()["verdict"] == "clean"
        (store / "C-1005" / "visit.txt").write_text(copied, encoding="utf-8")
        with (store / "manifest.csv").open("a", encoding="utf-8") as manifest:
            manifest.write("C-1005/visit.txt,C-1005,C-1005-V,visit,2026-05-02,Visit\n")
        index_store(store, db)  # published while the service holds the old index open
        after = post_check(server, draft, "C-1004")
        assert after.status_code == 200, after.text
        payload = after.json()
        assert payload["verdict"] == "leak"
        assert {m["source"]["record_id"] for m in payload["matches"]} >= {"C-1005-V"}


def test_a_check_past_its_time_is_504_and_a_short_one_still_answers(tmp_path: Path) -> None:
    """A long document is checked window by window; past `--check-timeout` the
    check stops before its next window, so a few enormous or hostile uploads
    cannot hold every check's turn. A one-window document is never stopped:
    there is nothing left to do once its only window is done."""
    db = tmp_path / "index.duckdb"
    index_store(write_store(tmp_path / "store", small_store_records()), db)
    token = add_token(db, "gateway")
    bundle, letter = tmp_path / "bundle.txt", tmp_path / "letter.txt"
    bundle.write_text(" ".join([*(f"Note {n}: {TEMPLATE}" for n in range(450)), LEAK_PARAGRAPH]))
    letter.write_text(LEAK_PARAGRAPH)
    assert len(bundle.read_text().split()) > 13_000  # three windows of 6,000 words
    with running_server(db, token, "--check-timeout", "0.01") as served:
        stopped = post_check(served, bundle, "C-1004")
        assert stopped.status_code == 504, stopped.text
        assert stopped.json()["cleared"] is False
        assert "ran past the time allowed" in stopped.json()["detail"]
        short = post_check(served, letter, "C-1004")
        assert short.status_code == 200 and short.json()["verdict"] == "leak"
    with sqlite3.connect(db.with_name("index.duckdb.audit.sqlite")) as connection:
        verdicts = [row[0] for row in connection.execute("SELECT verdict FROM audit")]
    assert verdicts == ["not checked", "leak"]
