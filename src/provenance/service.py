"""`provenance serve`: the gate over HTTP, and the reviewer page. The only importer of
fastapi, starlette and uvicorn.

A thin layer over `gate.py` (itself over `api.py`), so a check through HTTP
gives exactly the JSON of `check --json`, and fails closed the same way:

    200  checked: {"verdict": "clean" | "leak", ...} (the `check --json` object)
    400  the case is not in the index
    401  no token, or not a live one (nothing else is said)
    413  the request is larger than the upload limit
    422  the document cannot be read (damaged, encrypted, no text, unsupported)
    503  the index (or the audit log) cannot be used
    500  any other error
Anything but 200 means "not cleared"; every error body says "do not send".

The JSON API takes the token as `Authorization: Bearer ...` only. The page
keeps it in an HttpOnly, SameSite=Strict cookie and each form carries a
CSRF value derived from it, so another site can neither read the token nor
post a form with it. Every request re-checks the token, so a revocation
takes effect at once.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import shutil
import tempfile
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

import uvicorn
from fastapi import Depends, FastAPI, File, Form, Request, UploadFile
from fastapi.exceptions import HTTPException, RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel

from provenance import page
from provenance.api import CheckedDocument, source_texts
from provenance.errors import (
    AuditLogError,
    CheckTimeoutError,
    ExtractionError,
    IndexDatabaseError,
    ProvenanceError,
    UnknownCaseError,
    UnsupportedFormatError,
)
from provenance.gate import (
    Caller,
    check_logged,
    failure_kind,
    index_health,
    origin_logged,
)
from provenance.report import check_to_json, origin_to_json
from provenance.store import SharedReader
from provenance.tokens import token_owner

DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024
DEFAULT_CHECK_TIMEOUT = 120.0  # seconds, as `check --timeout`
COOKIE = "provenance_session"
NOT_CLEARED = "Could not be checked, do not send"
_MAX_TEXT_CHARS = 200_000

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
AsgiApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
        b"frame-ancestors 'none'; base-uri 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),  # no-referrer would make form posts say Origin: null
    (b"cache-control", b"no-store"),
]


# -- response shapes (for the OpenAPI schema; payloads are report.py's JSON) --
class SourceOut(BaseModel):
    record_id: str
    case_id: str
    path: str
    kind: str
    date: str
    start: int
    end: int


class MatchOut(BaseModel):
    start: int
    end: int
    text: str
    similarity: float
    status: str
    source: SourceOut


class CheckOut(BaseModel):
    """The `check --json` object (a contract: keys are added, never removed)."""

    document: str
    case_id: str
    verdict: str
    matches: list[MatchOut]
    warnings: list[str]  # what reading the file found that a reviewer must check by eye


class OriginSourceOut(SourceOut):
    similarity: float
    query_start: int
    query_end: int


class OriginOut(BaseModel):
    query: str
    sources: list[OriginSourceOut]


class ScanOut(BaseModel):
    run_id: int
    started_at: str
    finished_at: str | None
    status: str
    new_findings: int


class HealthOut(BaseModel):
    status: str
    records: int
    cases: int
    last_scan: ScanOut | None


class ErrorOut(BaseModel):
    detail: str
    cleared: bool = False


_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorOut, "description": text}
    for code, text in [
        (400, "The case is not in the index."),
        (401, "No token, or not a live one."),
        (413, "The request is larger than the upload limit."),
        (422, "The document cannot be read; it is not cleared."),
        (503, "The index or the audit log cannot be used."),
        (504, "The check ran past the time allowed (serve --check-timeout); not cleared."),
        (500, "Any other error; not cleared."),
    ]
}


def create_app(
    db_path: Path,
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES,
    concurrent_checks: int | None = None,
    check_timeout: float = DEFAULT_CHECK_TIMEOUT,
) -> Guard:
    """The service for the index at `db_path` (held open read-only, reopened after a
    publish); up to `concurrent_checks` checks at once (default: `default_concurrent_uses`),
    each stopped once it has run `check_timeout` seconds (504), so that a few
    enormous or hostile uploads cannot hold every check's turn."""
    app = FastAPI(
        title="provenance",
        summary="Pre-send gate: finds passages of a document that come from another case.",
        version="1",
        docs_url=None,  # the bundled docs pages load scripts from a CDN
        redoc_url=None,
        openapi_url=None,  # served below, behind the token
    )
    app.state.db_path = db_path
    reader = SharedReader(db_path, concurrent_checks)

    @app.get("/openapi.json", include_in_schema=False)
    def openapi(caller: Authorized) -> JSONResponse:
        return JSONResponse(app.openapi())

    @app.get("/healthz", response_model=HealthOut, responses={401: _ERRORS[401], 503: _ERRORS[503]})
    def healthz(caller: Authorized) -> JSONResponse:
        """The index opens read-only; how many records and cases it holds; the last scan."""
        try:
            health = index_health(db_path)
        except ProvenanceError as error:
            return JSONResponse({"status": "unavailable", "detail": str(error)}, status_code=503)
        scan = health.last_scan
        return JSONResponse(
            {
                "status": "ok",
                "records": health.records,
                "cases": health.cases,
                "last_scan": None
                if scan is None
                else {
                    "run_id": scan.run_id,
                    "started_at": scan.started_at,
                    "finished_at": scan.finished_at,
                    "status": scan.status,
                    "new_findings": scan.new_findings,
                },
            }
        )

    @app.post("/v1/check", response_model=CheckOut, responses=_ERRORS)
    def check(
        caller: Authorized,
        file: Annotated[UploadFile, File(description="The document about to be sent.")],
        case_id: Annotated[str, Form(max_length=200, description="The case it is sent to.")],
    ) -> JSONResponse:
        """Check a document. 200 with `verdict` clean or leak; any other status: do not send."""
        try:
            checked, _ = _check_upload(reader, file, case_id, caller, check_timeout)
        except Exception as error:
            status, message = _failure(error)
            return JSONResponse({"detail": message, "cleared": False}, status_code=status)
        return JSONResponse(check_to_json(checked.result))

    @app.post("/v1/origin", response_model=OriginOut, responses=_ERRORS)
    def origin(
        caller: Authorized,
        text: Annotated[str, Form(max_length=_MAX_TEXT_CHARS, description="The passage.")],
    ) -> JSONResponse:
        """Every record holding the passage, earliest date first."""
        try:
            hits = origin_logged(text, db_path, caller, reader=reader)
        except Exception as error:
            status, message = _failure(error)
            return JSONResponse({"detail": message, "cleared": False}, status_code=status)
        return JSONResponse(origin_to_json(text, hits))

    # -- the reviewer page (cookie session; not part of the API schema) --------
    def page_caller(request: Request) -> tuple[Caller, str] | None:
        token = request.cookies.get(COOKIE, "")
        owner = token_owner(db_path, token) if token else None
        return None if owner is None else (Caller(owner, "page"), _csrf_value(token))

    def signed_in(request: Request, csrf: str | None) -> tuple[Caller, str]:
        _require_same_origin(request)
        session = page_caller(request)
        if session is None:
            raise HTTPException(401, "Sign in again.")
        if csrf is None or not hmac.compare_digest(csrf, session[1]):
            raise HTTPException(403, "The form is out of date; reload the page.")
        return session

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> Response:
        if request.url.path.startswith(("/v1/", "/healthz", "/openapi")):
            return JSONResponse(
                {"detail": error.detail, "cleared": False},
                status_code=error.status_code,
                headers=error.headers,
            )
        message = "Please sign in." if error.status_code == 401 else str(error.detail)
        return HTMLResponse(page.login_page(message), status_code=error.status_code)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, error: RequestValidationError) -> Response:
        fields = sorted({str(problem["loc"][-1]) for problem in error.errors()})
        message = (
            f"{NOT_CLEARED}: the request is missing a field or has a bad one "
            f"({', '.join(fields)}); send the document as `file` and the case as `case_id`."
        )
        if request.url.path.startswith(("/v1/", "/healthz", "/openapi")):
            return JSONResponse({"detail": message, "cleared": False}, status_code=422)
        return HTMLResponse(page.login_page(message), status_code=422)

    @app.get("/", include_in_schema=False)
    def home(request: Request) -> HTMLResponse:
        session = page_caller(request)
        if session is None:
            return HTMLResponse(page.login_page())
        caller, csrf = session
        return HTMLResponse(
            page.home_page(caller.who, csrf, _case_ids(db_path), max_upload_bytes / 1e6)
        )

    @app.post("/login", include_in_schema=False)
    def login(request: Request, token: Annotated[str, Form(max_length=300)]) -> Response:
        _require_same_origin(request)
        token = token.strip()
        if token_owner(db_path, token) is None:
            return HTMLResponse(
                page.login_page("That token was not accepted. Check it, or ask IT for a new one."),
                status_code=401,
            )
        response = RedirectResponse("/", status_code=303)
        response.set_cookie(
            COOKIE,
            token,
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
            path="/",
        )
        return response

    @app.post("/logout", include_in_schema=False)
    def logout(request: Request, csrf: Annotated[str, Form()]) -> Response:
        signed_in(request, csrf)
        response = RedirectResponse("/", status_code=303)
        response.delete_cookie(COOKIE, path="/")
        return response

    @app.post("/page/check", include_in_schema=False)
    def page_check(
        request: Request,
        file: Annotated[UploadFile, File()],
        case_id: Annotated[str, Form(max_length=200)],
        csrf: Annotated[str, Form()],
    ) -> HTMLResponse:
        caller, csrf_value = signed_in(request, csrf)
        try:
            checked, texts = _check_upload(
                reader, file, case_id.strip(), caller, check_timeout, sources=True
            )
        except Exception as error:
            status, message = _failure(error)
            return HTMLResponse(page.error_page(caller.who, csrf_value, message), status)
        from provenance.html_report import render_check_html

        report = render_check_html(checked.result, checked.extracted.text, texts)
        return HTMLResponse(page.with_back_link(report, caller.who, csrf_value))

    @app.post("/page/origin", include_in_schema=False)
    def page_origin(
        request: Request,
        text: Annotated[str, Form(max_length=_MAX_TEXT_CHARS)],
        csrf: Annotated[str, Form()],
    ) -> HTMLResponse:
        caller, csrf_value = signed_in(request, csrf)
        try:
            hits = origin_logged(text, db_path, caller, reader=reader)
        except Exception as error:
            status, message = _failure(error)
            message = message.replace(NOT_CLEARED, "Could not search")
            return HTMLResponse(page.error_page(caller.who, csrf_value, message), status)
        return HTMLResponse(page.origin_page(caller.who, csrf_value, text, hits))

    return Guard(app, max_upload_bytes)


def run_server(
    db_path: Path,
    host: str,
    port: int,
    max_upload_bytes: int,
    concurrent_checks: int | None = None,
    check_timeout: float = DEFAULT_CHECK_TIMEOUT,
) -> None:
    """Serve until interrupted (uvicorn, one process; checks run in its thread pool)."""
    uvicorn.run(
        create_app(db_path, max_upload_bytes, concurrent_checks, check_timeout),
        host=host,
        port=port,
        log_level="info",
        server_header=False,
        proxy_headers=False,
    )


def openapi_schema(db_path: Path = Path("provenance.duckdb")) -> dict[str, Any]:
    """The API's OpenAPI schema (as committed in docs/openapi.json)."""
    return create_app(db_path).app.openapi()


# -- helpers --------------------------------------------------------------------
_bearer = HTTPBearer(auto_error=False, description="A token from `provenance token add NAME`.")


def _api_caller(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Caller:
    """The token's name, or 401 with nothing else said."""
    owner = token_owner(request.app.state.db_path, credentials.credentials) if credentials else None
    if owner is None:
        raise HTTPException(401, "Unauthorized", headers={"WWW-Authenticate": "Bearer"})
    return Caller(owner, "api")


Authorized = Annotated[Caller, Depends(_api_caller)]


def _check_upload(
    reader: SharedReader,
    upload: UploadFile,
    case_id: str,
    caller: Caller,
    timeout: float,
    *,
    sources: bool = False,
) -> tuple[CheckedDocument, dict[str, str]]:
    """Save the upload in a private temporary folder under its own (cleaned) name, check it."""
    name = _safe_name(upload.filename)
    if name.lower().endswith(".eml"):
        # A single-document check reads an e-mail's body only; its attachments would
        # go out unchecked. Refuse rather than clear half a message.
        raise UnsupportedFormatError(
            f"{name}: an e-mail draft is checked with its attachments by `provenance "
            "check-eml`; here, upload the body and each attachment as documents."
        )
    with tempfile.TemporaryDirectory(prefix="provenance-upload-") as folder:
        saved = Path(folder) / name
        with saved.open("wb") as handle:
            shutil.copyfileobj(upload.file, handle, 1 << 20)
        try:
            checked = check_logged(
                saved,
                case_id,
                reader.path,
                caller,
                document_name=name,
                reader=reader,
                timeout=timeout,
            )
        except ProvenanceError as error:
            # Messages name the temporary file; the user knows the document by its name.
            error.args = (str(error).replace(str(saved), name),)
            raise
        checked = replace(checked, result=replace(checked.result, document=name))
    texts = source_texts(checked.result, reader.path, reader=reader) if sources else {}
    return checked, texts


def _failure(error: BaseException) -> tuple[int, str]:
    """HTTP status and plain message for a check that did not clear the document."""
    if isinstance(error, ExtractionError):
        return 422, f"{NOT_CLEARED}: {error}"
    if isinstance(error, UnknownCaseError):
        return 400, f"{NOT_CLEARED}: {error}"
    if isinstance(error, IndexDatabaseError | AuditLogError):
        return 503, f"{NOT_CLEARED}: {error}"
    if isinstance(error, CheckTimeoutError):
        return 504, f"{NOT_CLEARED}: {error}"
    if isinstance(error, ProvenanceError):
        return 500, f"{NOT_CLEARED}: {error}"
    return 500, f"{NOT_CLEARED}: {failure_kind(error)}; the server log has details."


_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]+")


def _safe_name(filename: str | None) -> str:
    """The upload's base name with only plain characters; the suffix decides the parser."""
    base = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = _UNSAFE.sub("_", base).strip(" .")[:120]
    return cleaned or "upload"


def _require_same_origin(request: Request) -> None:
    """Refuse a page form posted from another site (browsers name the posting origin)."""
    origin = request.headers.get("origin")
    if origin is not None and urlsplit(origin).netloc != request.headers.get("host"):
        raise HTTPException(403, "This form can only be sent from the provenance page itself.")


def _csrf_value(token: str) -> str:
    """A per-session form value only someone holding the token can compute."""
    return hmac.new(token.encode("utf-8"), b"provenance-page-form", hashlib.sha256).hexdigest()


def _case_ids(db_path: Path) -> list[str]:
    from provenance.store import IndexStore

    try:
        with IndexStore.open_for_reading(db_path) as store:
            rows = store.execute("SELECT DISTINCT case_id FROM records ORDER BY case_id")
    except ProvenanceError:
        return []
    return [str(row[0]) for row in rows]


class Guard:
    """ASGI wrapper: the upload limit, enforced while the body streams in, and the
    security headers on every response.

    A declared Content-Length over the limit is refused before any of the body
    is read; a body without one (chunked) is counted as it arrives and refused
    the moment it passes the limit, so a large upload never fills memory or disk.
    """

    def __init__(self, app: FastAPI, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False
        refused = False

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if refused:
                return
            if message["type"] == "http.response.start":
                started = True
                message["headers"] = [*message.get("headers", []), *_SECURITY_HEADERS]
            await send(message)

        declared = dict(scope.get("headers", [])).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.limit:
            await self._refuse(guarded_send)
            return
        received = 0

        async def counted_receive() -> Message:
            nonlocal received, refused
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit and not refused:
                    if not started:
                        await self._refuse(guarded_send)
                    refused = True
                    return {"type": "http.disconnect"}
            return message

        try:
            await self.app(scope, counted_receive, guarded_send)
        except Exception:
            if not refused:
                raise

    async def _refuse(self, send: Send) -> None:
        body = (
            f"The request is larger than the upload limit of {self.limit:,} bytes "
            f"({self.limit / 1e6:g} MB); the document was not checked, do not send it."
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"text/plain; charset=utf-8"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
