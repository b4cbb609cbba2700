"""Seeded, fictional document stores of a given passage count, for bench_scale.py.

Everything is made up: words are pronounceable pseudo-words drawn with a Zipf
law (a few very common, a long tail of rare ones, like real English), case
names are pseudo-words too. Records have realistic lengths (a log-normal
around 900 words: a short referral to a long assessment), are cut into
sentences and paragraphs, and carry their case's child's name.

Outgoing documents are ~50 passages long (the index's passage: a 32-word
window every 16 words, so ~820 words), written for one case, with copies of
40-70 words planted from records of OTHER cases (verbatim, or with one word
changed). Each planted copy is remembered with its source record, so the
benchmark can count how many a check finds (recall).

    store = generate_store(Path("s"), passages=100_000, seed=7)
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

WINDOW_WORDS = 32
STRIDE = 16
_SYLLABLE_TEXT = (
    "ba be bi bo bu da de di do du fa fe fi fo ga ge go ka ke ki ko la le li lo lu ma me mi mo"
    " mu na ne ni no nu pa pe pi po ra re ri ro ru sa se si so ta te ti to tu va ve vi wa we"
    " ya yo za ze ash ell orm ist ent ack ing ton ley ham ford"
)
_SYLLABLES = _SYLLABLE_TEXT.split()
_KINDS = ("referral", "strategy_meeting", "assessment", "child_protection_plan", "core_group")


@dataclass(frozen=True)
class PlantedCopy:
    """Words [doc_start, doc_end) (characters) of an outgoing document come from a record."""

    doc_start: int
    doc_end: int
    source_record_id: str
    source_case_id: str


@dataclass(frozen=True)
class OutgoingDocument:
    path: Path
    case_id: str
    text: str
    planted: tuple[PlantedCopy, ...]


@dataclass(frozen=True)
class GeneratedStore:
    root: Path
    records: int
    passages: int
    words: int
    text_bytes: int
    record_paths: tuple[Path, ...]
    record_ids: tuple[str, ...]


def passages_of(word_count: int) -> int:
    """How many passages the index cuts a record of `word_count` words into."""
    if word_count <= WINDOW_WORDS:
        return 1 if word_count else 0
    full = (word_count - WINDOW_WORDS) // STRIDE + 1
    return full + (1 if (full - 1) * STRIDE + WINDOW_WORDS < word_count else 0)


class _Writer:
    """Random prose from a Zipf vocabulary of pseudo-words."""

    def __init__(self, rng: np.random.Generator, vocabulary: int = 40_000) -> None:
        self.rng = rng
        syllables = np.array(_SYLLABLES)
        picks = rng.integers(0, len(syllables), size=(vocabulary * 2, 4))
        lengths = rng.integers(1, 5, size=vocabulary * 2)
        words: dict[str, None] = {}
        for row, length in zip(syllables[picks].tolist(), lengths.tolist(), strict=True):
            words.setdefault("".join(row[:length]), None)
        self.vocab = np.array(sorted(words)[:vocabulary])
        rng.shuffle(self.vocab)
        weights = 1.0 / np.arange(1, vocabulary + 1) ** 1.05
        self.cumulative = np.cumsum(weights / weights.sum())

    def words(self, count: int) -> list[str]:
        picks = np.searchsorted(self.cumulative, self.rng.random(count))
        return self.vocab[np.minimum(picks, len(self.vocab) - 1)].tolist()  # type: ignore[no-any-return]

    def prose(self, count: int, name: str) -> str:
        """`count` words in sentences of 8-24 words and paragraphs of 3-7 sentences."""
        words = self.words(count)
        for position in range(0, count, 37):
            words[position] = name
        out: list[str] = []
        position = 0
        sentence_in_paragraph = 0
        paragraph_length = int(self.rng.integers(3, 8))
        lengths = self.rng.integers(8, 25, size=count // 8 + 2).tolist()
        for length in lengths:
            if position >= count:
                break
            sentence = words[position : position + length]
            position += length
            out.append(" ".join(sentence).capitalize() + ".")
            sentence_in_paragraph += 1
            if sentence_in_paragraph == paragraph_length:
                out.append("\n\n")
                sentence_in_paragraph = 0
                paragraph_length = int(self.rng.integers(3, 8))
            else:
                out.append(" ")
        return "".join(out).strip() + "\n"


def generate_store(root: Path, passages: int, seed: int = 7) -> GeneratedStore:
    """Write a store of about `passages` passages under `root` (with manifest.csv)."""
    rng = np.random.default_rng(seed)
    writer = _Writer(rng)
    root.mkdir(parents=True, exist_ok=True)
    rows: list[tuple[str, str, str, str, str, str]] = []
    paths: list[Path] = []
    total_passages = total_words = total_bytes = 0
    case_number = 0
    while total_passages < passages:
        case_number += 1
        case_id = f"Z-{case_number:06d}"
        name = writer.words(1)[0].capitalize() + "ella"
        for record_number in range(int(rng.integers(3, 9))):
            if total_passages >= passages:
                break
            word_count = int(np.clip(rng.lognormal(np.log(900), 0.6), 120, 6000))
            text = writer.prose(word_count, name)
            kind = _KINDS[record_number % len(_KINDS)]
            relative = f"{case_id}/{record_number:02d}_{kind}.txt"
            target = root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            data = text.encode("utf-8")
            target.write_bytes(data)
            day = 1 + (case_number * 7 + record_number * 3) % 28
            month = 1 + (case_number + record_number) % 12
            record_id = f"{case_id}-R{record_number:02d}"
            rows.append((relative, case_id, record_id, kind, f"2025-{month:02d}-{day:02d}", ""))
            paths.append(target)
            total_words += len(text.split())
            total_passages += passages_of(len(text.split()))
            total_bytes += len(data)
    with (root / "manifest.csv").open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(("path", "case_id", "record_id", "kind", "date", "title"))
        out.writerows(rows)
    return GeneratedStore(
        root=root,
        records=len(rows),
        passages=total_passages,
        words=total_words,
        text_bytes=total_bytes,
        record_paths=tuple(paths),
        record_ids=tuple(row[2] for row in rows),
    )


def make_outgoing(
    store: GeneratedStore, folder: Path, documents: int, seed: int = 11, copies_per_doc: int = 3
) -> list[OutgoingDocument]:
    """Outgoing documents of ~50 passages, each with `copies_per_doc` planted copies."""
    rng = np.random.default_rng(seed)
    writer = _Writer(np.random.default_rng(seed + 1))
    folder.mkdir(parents=True, exist_ok=True)
    made: list[OutgoingDocument] = []
    for number in range(documents):
        own = int(rng.integers(len(store.record_ids)))
        case_id = store.record_ids[own].rsplit("-R", 1)[0]
        pieces: list[str] = [writer.prose(220, "Tomasella")]
        planted: list[PlantedCopy] = []
        for _ in range(copies_per_doc):
            while True:
                source = int(rng.integers(len(store.record_ids)))
                source_case = store.record_ids[source].rsplit("-R", 1)[0]
                if source_case != case_id:
                    break
            source_words = store.record_paths[source].read_text(encoding="utf-8").split()
            length = int(rng.integers(40, 71))
            start = int(rng.integers(0, max(1, len(source_words) - length)))
            copied = source_words[start : start + length]
            if rng.random() < 0.5:  # one word changed: a light disguise
                copied[len(copied) // 2] = "altered"
            offset = sum(len(piece) for piece in pieces) + 2
            pieces.append("\n\n")
            copy_text = " ".join(copied)
            pieces.append(copy_text)
            planted.append(
                PlantedCopy(offset, offset + len(copy_text), store.record_ids[source], source_case)
            )
            pieces.append("\n\n" + writer.prose(140, "Tomasella"))
        text = "".join(pieces)
        path = folder / f"outgoing_{number:03d}.txt"
        path.write_text(text, encoding="utf-8")
        made.append(OutgoingDocument(path, case_id, text, tuple(planted)))
    return made
