"""The reviewer page in a real headless browser: Debian's Chromium driven by Playwright.

Skipped locally when Chromium or playwright is missing (with the reason);
with CI=true their absence fails the test, so CI can never pass without it.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from provenance import index_store
from tests.conftest import CASE_STORIES, LEAK_PARAGRAPH, TEMPLATE, small_store_records, write_store
from tests.serving import Server, add_token, make_docx, running_server

CHROMIUM = Path(os.environ.get("PROVENANCE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


def _missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e '.[test]')"
    if not CHROMIUM.exists():
        return f"Chromium is not at {CHROMIUM} (apt-get install chromium)"
    return None


@pytest.fixture(scope="module")
def browser_page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Server]]:
    missing = _missing()
    if missing is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the browser test, but {missing}")
        pytest.skip(missing)
    from playwright.sync_api import sync_playwright

    root = tmp_path_factory.mktemp("page")
    db = root / "index.duckdb"
    index_store(write_store(root / "store", small_store_records()), db)
    token = add_token(db, "reviewer-ann")
    profile = root / "chromium-profile"
    with running_server(db, token) as server, sync_playwright() as driver:
        context = driver.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield context.new_page(), server
        finally:
            context.close()
            shutil.rmtree(profile, ignore_errors=True)


def test_sign_in_check_a_leak_and_trace_its_origin_with_the_keyboard(
    browser_page: tuple[Any, Server], tmp_path: Path
) -> None:
    page, server = browser_page
    page.goto(server.url + "/")
    page.get_by_label("Access token").fill("prov_wrong")
    page.keyboard.press("Enter")
    assert "not accepted" in page.locator("[role=alert]").inner_text()

    page.get_by_label("Access token").fill(server.token)
    page.keyboard.press("Enter")
    page.wait_for_url(server.url + "/")
    assert "Signed in as reviewer-ann" in page.inner_text("nav")
    cookie = next(c for c in page.context.cookies() if c["name"] == "provenance_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"

    hostile = "<script>document.title='pwned'</script><b>bold?</b>"
    draft = make_docx(tmp_path / "plan for Ruby.docx", [TEMPLATE, LEAK_PARAGRAPH, hostile])
    page.get_by_label("Document (Word").set_input_files(str(draft))
    page.get_by_label("Case it is being sent to").fill("C-1004")
    page.get_by_label("Case it is being sent to").press("Tab")
    page.keyboard.press("Enter")  # the focused "Check the document" button
    banner = page.locator(".banner").inner_text()
    assert banner.startswith("DO NOT SEND") and "C-1003" in banner
    assert page.locator("mark.leak").count() >= 1
    assert page.locator("script").count() == 0 and page.locator("main b").count() == 0
    assert hostile in page.locator("#document").inner_text()  # shown as text, escaped

    page.get_by_role("link", name="Check another document or paragraph").click()
    page.get_by_label("Paragraph").fill(LEAK_PARAGRAPH)
    page.get_by_role("button", name="Find where it came from").click()
    assert "1 record(s) hold this text" in page.locator("#origin-summary").inner_text()
    assert "C-1003-SM" in page.locator("table").inner_text()


def test_a_clean_document_and_a_readable_page_at_200_percent(
    browser_page: tuple[Any, Server], tmp_path: Path
) -> None:
    page, server = browser_page
    page.goto(server.url + "/")
    if page.get_by_label("Access token").count():
        page.get_by_label("Access token").fill(server.token)
        page.keyboard.press("Enter")
    page.set_viewport_size({"width": 640, "height": 800})  # 1280 px at 200% zoom
    draft = tmp_path / "letter.txt"
    draft.write_text(f"{TEMPLATE}\n\n{CASE_STORIES['C-1004']}", encoding="utf-8")
    page.get_by_label("Document (Word").set_input_files(str(draft))
    page.get_by_label("Case it is being sent to").fill("C-1004")
    page.get_by_role("button", name="Check the document").click()
    assert page.locator(".banner").inner_text().startswith("Clear to send")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 640, "the page scrolls sideways at 200% zoom"

    page.get_by_role("button", name="Sign out").click()
    assert page.get_by_label("Access token").count() == 1
