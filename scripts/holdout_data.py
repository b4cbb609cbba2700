"""A held-out, labelled test world for provenance: a fictional store and outgoing documents.

Written black-box, without reading the detector or its own benchmark generator, so that it
does not share their assumptions. The store is a borough's case records (strategy
discussions, core group minutes, assessments, school, health and police reports, home-visit
notes), written in free prose by workers with their own voices (holdout_prose.py) about
families with their own details (holdout_people.py), wrapped in the template text real
records carry (headings, confidentiality paragraphs, attendance lists, formula sentences
filled with each case's details), and saved as .txt, .docx, .pdf and .eml (some e-mails
carry the record as a .docx attachment), listed in a manifest.csv or laid out in folders.

Outgoing documents are plans and letters for one receiving case built from its own
material. A planted document carries exactly one passage copied from another case's record
under one disguise (DISGUISES); every paragraph is labelled with what it is, so that a
cross-case flag can be scored as a find or as a false alarm on a known kind of clean text.

All data is fictional and seeded: the same seed gives the same files.
"""

from __future__ import annotations

import csv
import os
import random
import re
import textwrap
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import docx
from fpdf import FPDF

from holdout_people import Case, Child, Person, Worker, make_case, make_workforce
from holdout_prose import NARRATIVES, fmt_date, slots_for

BOROUGH = "EASTMERE BOROUGH COUNCIL - CHILDREN'S SERVICES"
DISGUISES = (
    "verbatim",
    "rewrapped",
    "punct_case",
    "names_pronouns",
    "edit_5",
    "edit_10",
    "edit_20",
    "reordered",
    "partial",
    "invisible",
    "split",
    "short",
)

STANDARD = {
    "council": (
        "This record is confidential. It has been written for the professionals named on it and "
        "must not be passed to anyone else without the agreement of Eastmere Children's "
        "Services. If you have received it in error, please tell the sender and delete it."
    ),
    "school": (
        "This information is shared in line with Keeping Children Safe in Education and the "
        "school's safeguarding and child protection policy. Please keep it securely and do not "
        "share it beyond those who need it to safeguard the child."
    ),
    "health": (
        "Information in this report is shared for safeguarding purposes under the Data Protection "
        "Act 2018. It should not be disclosed to the family without first consulting the author."
    ),
    "police": (
        "This notification is disclosed to partner agencies for the purpose of safeguarding "
        "children. It is not to be used in any proceedings without the consent of Eastmere "
        "Constabulary and must not be shown to the subject."
    ),
    "plan": (
        "If you do not agree with something in this plan, please talk to your social worker or "
        "their team manager first. You can also contact the Children's Rights Service on "
        "01632 960417, who can help you make your views known or make a complaint."
    ),
    "privacy": (
        "We hold information about you and your children so that we can provide services and "
        "keep children safe. You can read our privacy notice on the council website or ask your "
        "social worker for a printed copy."
    ),
}


@dataclass(frozen=True)
class Block:
    """One paragraph of a record: its text, what it is, and which child it is mainly about."""

    text: str
    role: str  # "header", "heading", "standard", "attendance", "template", "narrative"
    child: int = 0


@dataclass(frozen=True)
class Record:
    """One record of the store, as written (its blocks), and where it was saved."""

    record_id: str
    case_id: str
    kind: str
    title: str
    when: date
    author: str
    blocks: tuple[Block, ...]
    path: str = ""


@dataclass(frozen=True)
class Segment:
    """A labelled stretch of an outgoing document's text."""

    start: int
    end: int
    kind: str  # header, standard, template_own, own_new, same_case, planted


@dataclass(frozen=True)
class Outgoing:
    """An outgoing document with its labels (spans index the text as written)."""

    doc_id: str
    path: str
    case_id: str
    edit: str  # "clean" or one of DISGUISES
    text: str
    segments: tuple[Segment, ...]
    paragraphs: tuple[tuple[str, str], ...]  # (text, kind) as written, for non-.txt files
    source_case: str = ""
    source_record: str = ""
    source_text: str = ""
    planted_text: str = ""
    planted_words: int = 0
    source_formula: float = 0.0  # share of the source's sentences whose frame 3+ other cases use

    def planted_spans(self) -> list[tuple[int, int]]:
        """Character spans of the planted copy (two for a split copy)."""
        return [(s.start, s.end) for s in self.segments if s.kind == "planted"]


@dataclass
class World:
    """The generated store and outgoing documents."""

    cases: dict[str, Case]
    records: list[Record]
    outgoing: list[Outgoing] = field(default_factory=list)


def _worker_for(person: Person, role: str) -> Worker:
    return Worker(person=person, role=role, style="formal", date_style="long", mum_word=False)


def _header(case: Case, title: str, when: date, author: Worker) -> list[Block]:
    names = ", ".join(f"{c.person.full} (DOB {c.dob:%d/%m/%Y})" for c in case.children)
    return [
        Block(f"{BOROUGH}\nOFFICIAL-SENSITIVE", "header"),
        Block(
            f"{title}\nCase reference: {case.case_id}\nChild(ren): {names}\n"
            f"Address: {case.address}\nDate: {fmt_date(when, 'long')}\n"
            f"Recorded by: {author.person.full}, {author.role}",
            "header",
        ),
    ]


def _attendance(case: Case, rng: random.Random) -> Block:
    rows = [
        f"{case.chair.person.full} - Chair",
        f"{case.social_worker.person.full} - Social Worker, Eastmere Children's Services",
        f"{case.mother.full} - mother",
        f"{case.teacher.full} - Designated Safeguarding Lead, {case.eldest.school}",
        f"{case.nurse.person.full} - School Nurse, Eastmere Community Health",
        f"{case.police.person.full} - Detective Constable, Eastmere Constabulary",
    ]
    rng.shuffle(rows[2:])
    return Block("Present:\n" + "\n".join(rows), "attendance")


def _formula(name: str, case: Case, child: Child, author: Worker, when: date) -> str:
    """Template sentences every record of a kind carries, filled with this case's details."""
    names = case.child_names
    nxt = fmt_date(when + timedelta(days=42), "long")
    texts = {
        "s47": (
            f"The strategy discussion agreed that there is reasonable cause to suspect that "
            f"{names} {'is' if len(case.children) == 1 else 'are'} suffering, or likely to "
            f"suffer, significant harm. Enquiries under section 47 of the Children Act 1989 will "
            f"be undertaken jointly by children's social care and Eastmere Constabulary."
        ),
        "core": (
            f"The core group reviewed the actions set at the last meeting. {names} remain"
            f"{'s' if len(case.children) == 1 else ''} subject to a child protection plan under "
            f"the category of {case.category}. The next core group meeting will be held on {nxt} "
            f"at {case.town} Family Centre."
        ),
        "assess": (
            "This assessment has been completed in line with Working Together to Safeguard "
            "Children and the Eastmere assessment framework. It draws on information from the "
            "family, the school, health services and the police."
        ),
        "recommend": (
            f"It is recommended that {names} {'is' if len(case.children) == 1 else 'are'} made "
            f"subject to a child protection plan under the category of {case.category}, and that "
            f"an initial child protection conference is convened within 15 working days."
        ),
        "plan_status": (
            f"{names} will remain subject to a child protection plan under the category of "
            f"{case.category}. The next review child protection conference will be held on "
            f"{nxt} at Eastmere Civic Centre. The core group will meet at least every six weeks."
        ),
        "actions": (
            f"1. {author.person.full} to visit the family at least every ten working days and to "
            f"see {child.person.first} alone.\n2. {child.school} to share attendance weekly with "
            f"the social worker.\n3. {case.mother.full} to attend all appointments offered.\n"
            f"4. All agencies to share any new information without delay."
        ),
        "police_footer": (
            f"Officer in the case: {case.police.person.full}. Crime reference EC/{when:%y}/"
            f"{int(case.case_id[2:]) * 37 % 90000 + 10000}. Please contact the Public Protection "
            f"Unit with any questions about this notification."
        ),
    }
    return texts[name]


KIND_TITLES = {
    "strategy_discussion": "STRATEGY DISCUSSION RECORD",
    "core_group": "CORE GROUP MEETING MINUTES",
    "assessment": "CHILD AND FAMILY ASSESSMENT",
    "school_report": "SCHOOL SAFEGUARDING REPORT",
    "health_report": "HEALTH REPORT FOR CHILD PROTECTION CONFERENCE",
    "police_notification": "POLICE NOTIFICATION OF A CHILD CONCERN",
    "home_visit": "CASE NOTE: HOME VISIT",
    "review_conference": "REVIEW CHILD PROTECTION CONFERENCE REPORT",
}


def _narr(kind: str, case: Case, ci: int, author: Worker, when: date, rng: random.Random) -> Block:
    return Block(NARRATIVES[kind](case, case.children[ci], author, when, rng), "narrative", ci)


def build_record(case: Case, kind: str, when: date, number: int, rng: random.Random) -> Record:
    """One record of a kind: header, template text and narrative in the author's voice."""
    ci = 0 if rng.random() < 0.6 else rng.randrange(len(case.children))
    child = case.children[ci]
    sw = case.social_worker if rng.random() < 0.7 else case.second_worker
    teacher = _worker_for(case.teacher, "Designated Safeguarding Lead")
    author = {
        "school_report": teacher,
        "health_report": case.nurse,
        "police_notification": case.police,
    }.get(kind, sw)
    title = KIND_TITLES[kind]
    blocks = _header(case, title, when, author)

    def h(text: str) -> None:
        blocks.append(Block(text, "heading"))

    def n(narrative: str, who: Worker = author) -> None:
        blocks.append(_narr(narrative, case, ci, who, when, rng))

    def t(name: str) -> None:
        blocks.append(Block(_formula(name, case, child, author, when), "template"))

    if kind == "strategy_discussion":
        blocks.append(Block(STANDARD["council"], "standard"))
        blocks.append(_attendance(case, rng))
        h("Reason for the strategy discussion")
        n("incident", case.police)
        h("Information shared")
        n("school", teacher)
        n("health", case.nurse)
        h("Decision")
        t("s47")
        h("Actions")
        t("actions")
    elif kind == "core_group":
        blocks.append(_attendance(case, rng))
        t("core")
        h("Progress against the plan")
        n("home_visit")
        h("What the children say")
        n("child_voice")
        h("What the parents say")
        n("parent_view")
        h("Actions")
        t("actions")
    elif kind == "assessment":
        blocks.append(Block(STANDARD["council"], "standard"))
        t("assess")
        h("Reason for the assessment")
        n("incident", case.police)
        h("Child's developmental needs")
        n("school", teacher)
        n("health", case.nurse)
        h("Parenting capacity")
        n("home_visit")
        n("parent_view")
        h("The child's views")
        n("child_voice")
        h("Analysis")
        n("analysis")
        h("Recommendation")
        t("recommend")
    elif kind == "school_report":
        blocks.append(Block(STANDARD["school"], "standard"))
        n("school")
        n("child_voice")
    elif kind == "health_report":
        blocks.append(Block(STANDARD["health"], "standard"))
        n("health")
        if rng.random() < 0.5:
            n("health")
    elif kind == "police_notification":
        n("incident")
        blocks.append(Block(_formula("police_footer", case, child, author, when), "template"))
        blocks.append(Block(STANDARD["police"], "standard"))
    elif kind == "home_visit":
        n("home_visit")
        if rng.random() < 0.6:
            n("child_voice")
    else:  # review_conference
        blocks.append(_attendance(case, rng))
        h("Summary of progress")
        n("analysis")
        n("home_visit")
        t("plan_status")
        blocks.append(Block(STANDARD["plan"], "standard"))
    return Record(
        record_id=f"R-{case.case_id[2:]}-{number:02d}",
        case_id=case.case_id,
        kind=kind,
        title=f"{title.title()}: {case.child_names} {case.mother.last}",
        when=when,
        author=author.person.full,
        blocks=tuple(blocks),
    )


def record_text(record: Record, wrap: int = 0) -> str:
    """The record as plain text: blank lines between blocks, optionally hard-wrapped."""
    parts = []
    for block in record.blocks:
        if block.role == "heading":
            parts.append(f"{block.text.upper()}\n{'=' * len(block.text)}")
        elif wrap and block.role in ("narrative", "standard", "template"):
            parts.append(textwrap.fill(block.text, wrap))
        else:
            parts.append(block.text)
    return "\n\n".join(parts) + "\n"


def _write_docx(record: Record, path: Path, rng: random.Random) -> None:
    document = docx.Document()
    document.core_properties.comments = ""  # not python-docx's "generated by python-docx"
    for block in record.blocks:
        if block.role == "heading":
            document.add_heading(block.text, level=2)
        elif block.role == "attendance" and rng.random() < 0.6:
            lines = block.text.split("\n")
            document.add_paragraph(lines[0])
            table = document.add_table(rows=0, cols=2)
            for line in lines[1:]:
                name, _, role = line.partition(" - ")
                cells = table.add_row().cells
                cells[0].text, cells[1].text = name, role
        elif block.role == "standard" and rng.random() < 0.5:
            document.sections[0].footer.paragraphs[0].text = block.text
        else:
            for line in block.text.split("\n") if block.role == "header" else [block.text]:
                document.add_paragraph(line)
    document.save(str(path))


def _write_pdf(record: Record, path: Path) -> None:
    pdf = FPDF()
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    for block in record.blocks:
        bold = block.role in ("heading", "header")
        pdf.set_font("Helvetica", "B" if bold else "", 11 if bold else 10)
        pdf.multi_cell(0, 5, block.text)
        pdf.ln(3)
    pdf.output(str(path))


def _write_eml(record: Record, path: Path, case: Case, rng: random.Random) -> None:
    message = EmailMessage()
    sender = record.author.lower().replace(" ", ".")
    message["From"] = f"{record.author} <{sender}@eastmere.invalid>"
    message["To"] = "childrens.records@eastmere.invalid"
    message["Subject"] = f"{record.title} ({case.case_id})"
    message["Date"] = format_datetime(
        datetime(record.when.year, record.when.month, record.when.day, 16, tzinfo=UTC)
    )
    if rng.random() < 0.4:
        message.set_content(
            f"Hello,\n\nPlease find attached the {record.kind.replace('_', ' ')} for "
            f"{case.case_id}, for filing.\n\nKind regards\n{record.author}\n"
        )
        attachment = path.with_suffix(".docx")
        _write_docx(record, attachment, rng)
        message.add_attachment(
            attachment.read_bytes(),
            maintype="application",
            subtype="vnd.openxmlformats-officedocument.wordprocessingml.document",
            filename=f"{record.record_id}.docx",
        )
        attachment.unlink()
    else:
        message.set_content(record_text(record))
    path.write_bytes(bytes(message))


def write_store(world: World, store: Path, layout: str, rng: random.Random) -> None:
    """Save every record in a mix of formats; a manifest.csv unless layout is 'folders'."""
    store.mkdir(parents=True, exist_ok=True)
    rows = []
    saved = []
    for record in world.records:
        ext = rng.choices(("txt", "docx", "pdf", "eml"), weights=(45, 33, 13, 9))[0]
        if layout == "folders":
            rel = f"{record.case_id}/{record.when:%Y}/{record.kind}_{record.when:%Y%m%d}.{ext}"
        else:
            rel = f"casefiles/{record.case_id}/{record.record_id}_{record.kind}.{ext}"
        path = store / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if ext == "txt":
            wrap = rng.choice((0, 0, 72, 80))
            path.write_text(record_text(record, wrap), encoding="utf-8", newline="")
        elif ext == "docx":
            _write_docx(record, path, rng)
        elif ext == "pdf":
            _write_pdf(record, path)
        else:
            _write_eml(record, path, world.cases[record.case_id], rng)
        if layout == "folders":
            stamp = datetime(record.when.year, record.when.month, record.when.day, 12).timestamp()
            os.utime(path, (stamp, stamp))
        saved.append(replace(record, path=rel))
        rows.append(
            [
                rel,
                record.case_id,
                record.record_id,
                record.kind,
                record.when.isoformat(),
                record.title,
                record.author,
            ]
        )
    world.records = saved
    if layout != "folders":
        with (store / "manifest.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["path", "case_id", "record_id", "kind", "date", "title", "author"])
            writer.writerows(rows)


def make_world(seed: int, n_cases: int) -> World:
    """The cases and their records (not yet written to disk)."""
    rng = random.Random(seed)
    taken: set[str] = set()
    staff = make_workforce(rng, taken)
    cases: dict[str, Case] = {}
    records: list[Record] = []
    kinds = list(KIND_TITLES)
    for number in range(n_cases):
        start = date(2025, 1, 6) + timedelta(days=rng.randint(0, 300))
        case = make_case(rng, 10000 + number * 7 + rng.randint(0, 6), staff, taken, start)
        cases[case.case_id] = case
        n_records = rng.randint(4, 12)
        chosen = [
            "strategy_discussion",
            "police_notification",
            *rng.choices(kinds, k=n_records - 2),
        ]
        when = start
        for i, kind in enumerate(chosen, start=1):
            records.append(build_record(case, kind, when, i, rng))
            when += timedelta(days=rng.randint(5, 45))
    return World(cases=cases, records=records)


# ---------------------------------------------------------------- disguises

SENTENCE_END = re.compile(r'(?<=[.!?"])\s+(?=[A-Z"0-9])')
FILLER = [
    "also",
    "really",
    "then",
    "very",
    "quite",
    "again",
    "still",
    "recently",
    "clearly",
    "apparently",
    "however",
    "now",
    "just",
    "the",
    "a",
    "further",
    "usually",
    "later",
    "home",
    "family",
    "visit",
    "said",
    "noted",
]
INVISIBLE = ("\u200b", "\u200c", "\u200d", "\u2060", "\u00ad", "\ufeff")
LOOKALIKE = {
    "a": "\u0430", "e": "\u0435", "o": "\u043e", "p": "\u0440", "c": "\u0441", "x": "\u0445",
    "i": "\u0456", "A": "\u0391", "B": "\u0392", "E": "\u0395", "H": "\u0397", "K": "\u039a",
    "M": "\u039c", "O": "\u039f", "T": "\u03a4", "y": "\u0443",
}  # fmt: skip


def sentences(text: str) -> list[str]:
    """Split prose into sentences (good enough for generated text)."""
    return [s for s in SENTENCE_END.split(text.strip()) if s]


def edit_words(text: str, share: float, rng: random.Random) -> str:
    """Insert, delete or substitute about `share` of the words, spread over the passage."""
    words = text.split()
    n_edits = max(1, round(share * len(words)))
    for _ in range(n_edits):
        op = rng.choice(("insert", "delete", "substitute"))
        i = rng.randrange(len(words))
        if op == "insert":
            words.insert(i, rng.choice(FILLER))
        elif op == "delete" and len(words) > 10:
            del words[i]
        else:
            words[i] = rng.choice(FILLER)
    return " ".join(words)


def punct_case(text: str, rng: random.Random) -> str:
    """Commas dropped or added, full stops turned to semicolons, words re-cased, quotes swapped."""
    out = []
    for word in text.split(" "):
        r = rng.random()
        if word.endswith(",") and r < 0.6:
            word = word[:-1]
        elif word.endswith(".") and r < 0.4:
            word = word[:-1] + ";"
        elif r < 0.08:
            word += ","
        r = rng.random()
        if r < 0.12:
            word = word.upper()
        elif r < 0.35:
            word = word.lower()
        out.append(word.replace('"', "'"))
    return " ".join(out)


def invisible(text: str, rng: random.Random) -> str:
    """Zero-width characters inside words and look-alike Cyrillic/Greek letters."""
    chars = []
    for ch in text:
        if ch in LOOKALIKE and rng.random() < 0.25:
            ch = LOOKALIKE[ch]
        chars.append(ch)
        if ch.isalpha() and rng.random() < 0.06:
            chars.append(rng.choice(INVISIBLE))
    return "".join(chars)


OBJECT_FOLLOWERS = set(
    [
        "as",
        "and",
        "to",
        "with",
        "that",
        "the",
        "a",
        "an",
        "for",
        "in",
        "on",
        "at",
        "about",
        "again",
        "because",
        "if",
        "when",
        "so",
        "up",
        "down",
        "out",
        "back",
        "from",
        "alone",
        "by",
        "into",
    ]
)
PRONOUNS_M_TO_F = {"he": "she", "him": "her", "his": "her", "himself": "herself"}
PRONOUNS_F_TO_M = {"she": "he", "her": "his", "hers": "his", "herself": "himself"}


def replace_names(text: str, source: Case, target: Case, focus: int) -> str:
    """What a careful copier does: the other family's names and the child's pronouns changed."""
    pairs: list[tuple[str, str]] = []
    s_people, t_people = source.people(), target.people()
    n_src = len(source.children)
    for i, person in enumerate(s_people):
        if i < n_src:
            other = target.children[min(i, len(target.children) - 1)].person
        else:
            other = t_people[len(target.children) + (i - n_src)]
        pairs += [(person.full, other.full), (person.first, other.first)]
    workers = ("social_worker", "second_worker", "chair", "police", "nurse")
    for role in workers:
        old_p, new_p = getattr(source, role).person, getattr(target, role).person
        pairs += [(old_p.full, new_p.full), (old_p.last, new_p.last)]
    pairs += [
        (source.teacher.full, target.teacher.full),
        (source.teacher.last, target.teacher.last),
    ]
    pairs.append((source.mother.last, target.mother.last))
    pairs.append((source.partner.last, target.partner.last))
    pairs.append((source.grandparent.last, target.grandparent.last))
    marks = {}
    for k, (old, new) in enumerate(sorted(pairs, key=lambda p: -len(p[0]))):
        token = f"\x00{k}\x00"
        text = re.sub(rf"\b{re.escape(old)}\b", token, text)
        marks[token] = new
    for token, new in marks.items():
        text = text.replace(token, new)
    src_g = source.children[focus].person.gender
    tgt_g = target.children[min(focus, len(target.children) - 1)].person.gender
    if src_g != tgt_g:
        table = PRONOUNS_M_TO_F if src_g == "m" else PRONOUNS_F_TO_M

        def swap(m: re.Match[str]) -> str:
            word, after = m.group(1), m.group(2)
            if word.lower() not in table:
                return m.group(0)
            new = table[word.lower()]
            if word.lower() == "her" and (not after or after in OBJECT_FOLLOWERS):
                new = "him"
            return (new.capitalize() if word[0].isupper() else new) + m.group(0)[len(word) :]

        text = re.sub(r"\b(\w+)\b(?=(?:[ ]+([a-z]+))?)", swap, text)
    return text


def rewrap(text: str, rng: random.Random) -> str:
    """Hard line breaks at a narrow width, as when text is pasted from an e-mail."""
    return textwrap.fill(text, rng.randint(38, 66))


def reorder(text: str, rng: random.Random) -> str:
    """The same sentences in another order."""
    parts = sentences(text)
    shuffled = parts[:]
    while shuffled == parts:
        rng.shuffle(shuffled)
    return " ".join(shuffled)


def part_of(text: str, rng: random.Random, lo: int, hi: int) -> str | None:
    """Consecutive sentences of `text` holding lo..hi words, or None if there are none."""
    parts = sentences(text)
    options = []
    for i in range(len(parts)):
        for j in range(i + 1, min(i + 4, len(parts)) + 1):
            n = sum(len(p.split()) for p in parts[i:j])
            if lo <= n <= hi and (j - i >= 2 or hi <= 45):
                options.append(" ".join(parts[i:j]))
    return rng.choice(options) if options else None


# ---------------------------------------------------------------- outgoing documents

NAME_OR_NUMBER = re.compile(r"\b(?:[A-Z][\w']*|\w*\d[\w./:%-]*)\b")
PRONOUN = re.compile(r"\b(?:he|she|him|her|his|himself|herself)\b", re.IGNORECASE)


def frame(sentence: str) -> str:
    """A sentence with names, numbers and pronouns masked: what a template would hold."""
    return " ".join(PRONOUN.sub("P", NAME_OR_NUMBER.sub("#", sentence)).lower().split())


def frame_cases(world: World) -> dict[str, set[str]]:
    """Which cases' narrative paragraphs hold each sentence frame."""
    holders: dict[str, set[str]] = {}
    for record in world.records:
        for block in record.blocks:
            if block.role == "narrative":
                for sent in sentences(block.text):
                    holders.setdefault(frame(sent), set()).add(record.case_id)
    return holders


def formula_share(text: str, source_case: str, holders: dict[str, set[str]]) -> float:
    """Share of sentences whose frame (names masked) is also in 3+ other cases' records.

    Independent of the detector: it tells a copy of free prose from a copy of a paragraph
    built from formula sentences filled with another family's details.
    """
    parts = sentences(text)
    shared = sum(len(holders.get(frame(s), set()) - {source_case}) >= 3 for s in parts)
    return shared / len(parts) if parts else 0.0


OUT_KINDS = (
    ("Child protection plan", "plan"),
    ("Letter to parent", "letter"),
    ("Child in need plan", "plan"),
    ("Report to review child protection conference", "plan"),
    ("Letter to school", "letter"),
)


def _narratives(world: World, case_id: str) -> list[tuple[Record, Block]]:
    return [
        (r, b)
        for r in world.records
        if r.case_id == case_id
        for b in r.blocks
        if b.role == "narrative"
    ]


def _own_new(case: Case, rng: random.Random, when: date) -> str:
    kind = rng.choice(("analysis", "home_visit", "child_voice", "parent_view", "school"))
    ci = rng.randrange(len(case.children))
    author = case.social_worker
    return NARRATIVES[kind](case, case.children[ci], author, when, rng)


def _planted(
    edit: str, world: World, source: Case, target: Case, rng: random.Random
) -> tuple[list[str], Record, str] | None:
    """The disguised copy (one or two paragraphs), its source record and source text."""
    pool = _narratives(world, source.case_id)
    rng.shuffle(pool)
    for record, block in pool:
        text, words = block.text, len(block.text.split())
        if edit not in ("partial", "short") and not 45 <= words <= 170:
            continue
        if edit == "verbatim":
            return [text], record, text
        if edit == "rewrapped":
            return [rewrap(text, rng)], record, text
        if edit == "punct_case":
            return [punct_case(text, rng)], record, text
        if edit == "names_pronouns":
            new = replace_names(text, source, target, block.child)
            if new != text:
                return [new], record, text
            continue
        if edit.startswith("edit_"):
            return [edit_words(text, int(edit[5:]) / 100, rng)], record, text
        if edit == "reordered":
            if len(sentences(text)) >= 3:
                return [reorder(text, rng)], record, text
            continue
        if edit == "partial":
            piece = part_of(text, rng, 30, 70)
            if piece and len(sentences(text)) >= 4:
                return [piece], record, text
            continue
        if edit == "invisible":
            return [invisible(text, rng)], record, text
        if edit == "split":
            parts = sentences(text)
            if len(parts) >= 4:
                cut = len(parts) // 2
                return [" ".join(parts[:cut]), " ".join(parts[cut:])], record, text
            continue
        if edit == "short":
            piece = part_of(text, rng, 25, 40)
            if piece:
                return [piece], record, text
            continue
    return None


def build_outgoing(
    world: World, doc_id: str, target: Case, edit: str, rng: random.Random, ext: str
) -> Outgoing | None:
    """A plan or letter for `target`, with one disguised copy from another case unless clean."""
    title, style = rng.choice(OUT_KINDS)
    when = date(2026, 3, 2) + timedelta(days=rng.randint(0, 60))
    child = target.eldest
    author = target.social_worker
    slots = slots_for(target, child, author, when, rng)
    paras: list[tuple[str, str]] = [
        (f"{BOROUGH}\n{title.upper()}", "header"),
        (
            f"Case reference: {target.case_id}\nFor: {target.child_names} {target.mother.last}\n"
            f"Address: {target.address}\nDate: {fmt_date(when, 'long')}\n"
            f"Social worker: {author.person.full}",
            "header",
        ),
    ]
    if style == "letter":
        paras.append((slots.fill("Dear {mum_full},"), "header"))
    body: list[tuple[str, str]] = [
        (_formula("plan_status", target, child, author, when), "template_own"),
        (_own_new(target, rng, when), "own_new"),
        (_own_new(target, rng, when), "own_new"),
        (_formula("actions", target, child, author, when), "template_own"),
    ]
    own = _narratives(world, target.case_id)
    if own:
        body.append((rng.choice(own)[1].text, "same_case"))
    if rng.random() < 0.5 and len(own) > 1:
        body.append((edit_words(rng.choice(own)[1].text, 0.1, rng), "same_case"))
    rng.shuffle(body)
    body.append((STANDARD["plan"] if style == "plan" else STANDARD["privacy"], "standard"))
    planted: list[str] = []
    source_case = source_record = source_text = ""
    if edit != "clean":
        others = [c for c in world.cases.values() if c.case_id != target.case_id]
        for _ in range(20):
            source = rng.choice(others)
            got = _planted(edit, world, source, target, rng)
            if got:
                planted, record, source_text = got
                source_case, source_record = source.case_id, record.record_id
                break
        else:
            return None
        at = rng.randrange(1, len(body))
        if edit == "short":
            host_a = _own_new(target, rng, when)
            host_b = _own_new(target, rng, when)
            body.insert(at, (f"{host_a} \x01{planted[0]}\x02 {host_b}", "own_new"))
        else:
            for k, piece in enumerate(planted):
                body.insert(at + k, (f"\x01{piece}\x02", "planted"))
    if style == "letter":
        body.append((f"Yours sincerely,\n{author.person.full}\nSocial Worker", "header"))
    paras += body
    text, segments = _assemble(paras)
    clean_paras = tuple((p.replace("\x01", "").replace("\x02", ""), k) for p, k in paras)
    return Outgoing(
        doc_id=doc_id,
        path=f"outgoing/{doc_id}_{target.case_id}.{ext}",
        case_id=target.case_id,
        edit=edit,
        text=text,
        segments=tuple(segments),
        paragraphs=clean_paras,
        source_case=source_case,
        source_record=source_record,
        source_text=source_text,
        planted_text="\n\n".join(planted),
        planted_words=sum(len(p.split()) for p in planted),
    )


def _assemble(paras: list[tuple[str, str]]) -> tuple[str, list[Segment]]:
    """Join paragraphs with blank lines; \\x01..\\x02 marks a planted copy inside a paragraph."""
    text = ""
    segments: list[Segment] = []
    for i, (para, kind) in enumerate(paras):
        if i:
            text += "\n\n"
        start = len(text)
        if "\x01" in para:
            before, rest = para.split("\x01", 1)
            inner, after = rest.split("\x02", 1)
            if before:
                segments.append(Segment(start, start + len(before), kind))
            p0 = start + len(before)
            segments.append(Segment(p0, p0 + len(inner), "planted"))
            if after:
                segments.append(Segment(p0 + len(inner), p0 + len(inner) + len(after), kind))
            text += before + inner + after
        else:
            segments.append(Segment(start, start + len(para), kind))
            text += para
    return text + "\n", segments


def write_outgoing(doc: Outgoing, root: Path) -> Path:
    """Save as .txt (exact text) or .docx (one Word paragraph per line of each paragraph)."""
    path = root / doc.path
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".txt":
        path.write_text(doc.text, encoding="utf-8", newline="")
    else:
        document = docx.Document()
        document.core_properties.comments = ""  # not python-docx's "generated by python-docx"
        for para, kind in doc.paragraphs:
            lines = para.split("\n") if kind == "header" else [para]
            for line in lines:
                document.add_paragraph(line)
        document.save(str(path))
    return path


def make_outgoing(
    world: World, seed: int, per_type: int, n_clean: int, docx_share: float = 0.2
) -> list[Outgoing]:
    """per_type planted documents for each disguise and n_clean clean ones."""
    rng = random.Random(seed * 7919 + 1)
    plan: list[str] = [e for e in DISGUISES for _ in range(per_type)] + ["clean"] * n_clean
    cases = list(world.cases.values())
    docs: list[Outgoing] = []
    holders = frame_cases(world)
    text_only = ("rewrapped", "invisible")
    for i, edit in enumerate(plan):
        target = rng.choice(cases)
        ext = "docx" if edit not in text_only and rng.random() < docx_share else "txt"
        doc = build_outgoing(world, f"D{i:04d}_{edit}", target, edit, rng, ext)
        if doc is not None:
            share = formula_share(doc.source_text, doc.source_case, holders)
            docs.append(replace(doc, source_formula=share))
    return docs


def build(
    root: Path, seed: int, n_cases: int, per_type: int, n_clean: int, layout: str = "manifest"
) -> World:
    """Generate and write the store (root/store) and outgoing documents (root/outgoing)."""
    world = make_world(seed, n_cases)
    write_store(world, root / "store", layout, random.Random(seed + 17))
    world.outgoing = make_outgoing(world, seed, per_type, n_clean)
    for doc in world.outgoing:
        write_outgoing(doc, root)
    return world
