"""Helpers for the gate's tests: real documents, and `provenance serve` on a loopback port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import docx
import httpx
from fpdf import FPDF

from tests.conftest import run_provenance


def make_docx(path: Path, paragraphs: list[str]) -> Path:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(str(path))
    return path


def make_pdf(path: Path, text: str) -> Path:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 6, text)
    pdf.output(str(path))
    return path


def cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """`provenance ...` in a fresh process (conftest's run_provenance, usable at any scope)."""
    return run_provenance(*args, columns=200)


def add_token(db: Path, name: str) -> str:
    """A token made in-process (the CLI's `token add` is tested once, in test_gate)."""
    from provenance.tokens import add_token as make

    return make(db, name)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class Server:
    url: str
    db: Path
    token: str
    log: Path

    def headers(self, token: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {token or self.token}"}


@contextmanager
def running_server(db: Path, token: str, *extra: str) -> Iterator[Server]:
    """`provenance serve` as a subprocess (proves the CLI), stopped at the end."""
    port = free_port()
    log = db.with_name(f"serve-{port}.log")
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    with log.open("w") as log_handle:
        process = subprocess.Popen(
            [sys.executable, "-m", "provenance.cli", "serve", "--db", str(db), "--port",
             str(port), *extra],
            stdout=log_handle,
            stderr=subprocess.STDOUT,
            env=env,
        )  # fmt: skip
    server = Server(f"http://127.0.0.1:{port}", db, token, log)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, log.read_text()
            try:
                httpx.get(f"{server.url}/healthz", timeout=2)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise AssertionError("serve did not start: " + log.read_text()) from None
                time.sleep(0.2)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
