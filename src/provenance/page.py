"""The reviewer page's HTML: sign in, check a document, trace a paragraph.

Plain pages for people who are not programmers: native form controls with
visible labels (usable with the keyboard alone), sizes in `em` so 200% zoom
reflows, no scripts, fonts or anything fetched. Everything that comes from a
user, a document or the index goes through `html.escape`. The check report
itself is `html_report.render_check_html`, with a way back added on top.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from provenance.origin import OriginHit

_CSS = """
body { font-family: system-ui, "Segoe UI", Arial, sans-serif; line-height: 1.5;
  color: #1a1a1a; background: #fff; margin: 0 auto; padding: 1rem; max-width: 50rem; }
label { display: block; font-weight: bold; margin: 0.75em 0 0.25em; }
.hint { margin: 0 0 0.25em; color: #333; }
input[type=text], input[type=password], textarea { width: 100%; box-sizing: border-box;
  font: inherit; padding: 0.4em; border: 0.1em solid #495057; border-radius: 0.2em; }
input[type=file] { font: inherit; }
button { font: inherit; font-weight: bold; margin-top: 0.75em; padding: 0.4em 1em;
  border: 0.15em solid #1864ab; border-radius: 0.3em; background: #1864ab; color: #fff; }
:focus-visible { outline: 0.2em solid #e8590c; outline-offset: 0.15em; }
section { border-top: 0.1em solid #adb5bd; margin-top: 1.5em; }
.error { border: 0.3em solid #c92a2a; padding: 0.75em 1em; background: #fff5f5; }
.error p { margin: 0; font-weight: bold; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 0.1em solid #adb5bd; padding: 0.3em 0.5em; text-align: left;
  vertical-align: top; overflow-wrap: anywhere; }
nav { margin-bottom: 1em; }
nav form { display: inline; }
.nav-button { background: #fff; color: #1864ab; margin: 0; }
"""


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def login_page(message: str = "") -> str:
    """The sign-in form: the reviewer pastes the token IT gave them."""
    problem = f'<div class="error" role="alert"><p>{esc(message)}</p></div>' if message else ""
    return _page(
        "Sign in",
        f"""<h1>Provenance: sign in</h1>
{problem}
<p>Paste the access token you were given by IT. It starts with <code>prov_</code>.</p>
<form method="post" action="/login">
<label for="token">Access token</label>
<input type="password" id="token" name="token" autocomplete="off" required autofocus>
<button type="submit">Sign in</button>
</form>""",
    )


def home_page(who: str, csrf: str, case_ids: Sequence[str], max_upload_mb: float) -> str:
    """The two things a reviewer does: check a document, trace a paragraph."""
    options = "".join(f'<option value="{esc(case)}">' for case in case_ids)
    return _page(
        "Check a document",
        f"""{_nav(who, csrf)}
<h1>Provenance: check a document before it is sent</h1>
<section aria-labelledby="check-heading">
<h2 id="check-heading">Check a document</h2>
<p>Choose the document you are about to send and the case it is being sent to. You will
see whether any part of it comes from another child's records.</p>
<form method="post" action="/page/check" enctype="multipart/form-data">
<input type="hidden" name="csrf" value="{esc(csrf)}">
<label for="file">Document (Word .docx, PDF, .txt or .md, up to {max_upload_mb:g} MB)</label>
<input type="file" id="file" name="file" required accept=".docx,.pdf,.txt,.md">
<label for="case_id">Case it is being sent to</label>
<p class="hint" id="case-hint">For example C-1004. Start typing to see the cases.</p>
<input type="text" id="case_id" name="case_id" list="cases" required
  aria-describedby="case-hint" autocomplete="off">
<datalist id="cases">{options}</datalist>
<button type="submit">Check the document</button>
</form>
</section>
<section aria-labelledby="origin-heading">
<h2 id="origin-heading">Where did this text come from?</h2>
<p>Paste a paragraph to see every record that holds it, the earliest first.</p>
<form method="post" action="/page/origin">
<input type="hidden" name="csrf" value="{esc(csrf)}">
<label for="text">Paragraph</label>
<textarea id="text" name="text" rows="8" required></textarea>
<button type="submit">Find where it came from</button>
</form>
</section>""",
    )


def origin_page(who: str, csrf: str, query: str, hits: Sequence[OriginHit]) -> str:
    """The records holding a pasted paragraph, earliest first."""
    if hits:
        rows = "".join(
            f"<tr><td>{esc(h.source.date)}</td><td>{esc(h.source.case_id)}</td>"
            f"<td>{esc(h.source.record_id)}</td><td>{esc(h.source.kind)}</td>"
            f"<td>{h.similarity:.0%}</td><td>{esc(h.source.path)}, characters "
            f"{h.source.start}-{h.source.end}</td></tr>"
            for h in hits
        )
        found = f"""<p id="origin-summary">{len(hits)} record(s) hold this text. The first
one is the earliest, most likely where it was first written.</p>
<table>
<caption>Records holding this text, earliest first</caption>
<thead><tr><th scope="col">Date</th><th scope="col">Case</th><th scope="col">Record</th>
<th scope="col">Kind</th><th scope="col">Similar</th><th scope="col">Where in the record</th>
</tr></thead>
<tbody>{rows}</tbody>
</table>"""
    else:
        found = '<p id="origin-summary">No indexed record holds this text.</p>'
    return _page(
        "Where the text came from",
        f"""{_nav(who, csrf)}
<h1>Where the text came from</h1>
{found}
<h2>The text you pasted</h2>
<blockquote style="white-space: pre-wrap">{esc(query)}</blockquote>""",
    )


def error_page(who: str, csrf: str, message: str) -> str:
    """A check or search that could not be done: say so plainly; never looks cleared."""
    return _page(
        "Could not be checked",
        f"""{_nav(who, csrf)}
<div class="error" role="alert"><p>{esc(message)}</p></div>
<p>Do not send the document until it has been checked. If the problem is the file
(for example a password or a scanned image), save it as a Word or PDF file with text and
try again; otherwise ask IT.</p>""",
    )


def with_back_link(report_html: str, who: str, csrf: str) -> str:
    """The check report page, with the way back and out at the top."""
    return report_html.replace("<body>\n", f"<body>\n{_nav(who, csrf)}\n", 1)


def _nav(who: str, csrf: str) -> str:
    return f"""<nav aria-label="Pages">
<a href="/">Check another document or paragraph</a> · Signed in as {esc(who)} ·
<form method="post" action="/logout"><input type="hidden" name="csrf" value="{esc(csrf)}">
<button type="submit" class="nav-button">Sign out</button></form>
</nav>"""


def _page(title: str, body: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)} - provenance</title>
<style>{_CSS}</style>
</head>
<body>
<main>
{body}
</main>
</body>
</html>
"""
