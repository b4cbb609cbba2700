"""Names cut to initials: "E." where another family's record has "Evie".

Case notes are stock sentences plus names; with the names cut to initials a
copied note keeps none of its family's words. The index keeps each word's
initial (names.capital_initials) so a check can see the initial stand where
the record's name stood. All names, schools and streets here are fictional.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import numpy as np
import pytest
from conftest import FILLER
from test_match import cross_case, in_own_letter, index_family_notes, run_check

from provenance import judge
from provenance.config import WORDS_TAG
from provenance.ingest import index_store
from provenance.names import capital_initials, lone_initials
from provenance.normalize import split_words
from provenance.segments import segments_folder
from provenance.store import IndexStore

SCHOOL_CALL = (
    "{teacher} at {school} rang to say that {child} had arrived late and hungry and said "
    "that {adult} had been shouting all night. School gave her breakfast and a change of "
    "clothes and will ring again if she is absent tomorrow."
)
CALLS = (  # the same stock note in eight families, with their own names; shared schools
    ("Mr Adeyemi", "Sampleford Junior School", "Evie", "Jordan"),
    ("Mrs Okonjo", "Brackwater Junior School", "Ella", "Jason"),
    ("Ms Haldane", "Sampleford Junior School", "Poppy", "Dean"),
    ("Mr Quarry", "Heron Bank Junior School", "Maisie", "Craig"),
    ("Mrs Tolland", "Brackwater Junior School", "Sophie", "Wayne"),
    ("Miss Greaves", "Sampleford Junior School", "Lacey", "Darren"),
    ("Mr Penrose", "Heron Bank Junior School", "Holly", "Shane"),
    ("Mrs Ashdown", "Heron Bank Junior School", "Ruby", "Gary"),
)


def _note(teacher: str, school: str, child: str, adult: str) -> str:
    return SCHOOL_CALL.format(teacher=teacher, school=school, child=child, adult=adult)


@pytest.fixture
def school_store(tmp_path: Path) -> Path:
    """C-8300 ... C-8307: one school call each; C-8301 is the receiving family."""
    texts = [f"School contact note. {_note(*call)} {FILLER}" for call in CALLS]
    return index_family_notes(tmp_path, "schools", 83, "contact", 4, texts)


def test_another_familys_note_with_the_names_cut_to_initials_is_found(
    school_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copied = _note("Mr Adeyemi", "Sampleford Junior School", "E.", "J.")
    found = cross_case(run_check(school_store, in_own_letter(copied), "C-8301"))
    assert [case for case, _ in found] == ["C-8300"]
    assert "E. had arrived" in found[0][1]
    # Without the initials the note is stock wording and a school: not enough.
    no_initials = lambda hits, found, initials, cases, case_id: [None] * len(hits)  # noqa: E731
    monkeypatch.setattr(judge, "abbreviated_names", no_initials)
    assert run_check(school_store, in_own_letter(copied), "C-8301").verdict == "clean"


def test_initials_that_do_not_match_the_records_names_are_no_clue(school_store: Path) -> None:
    """The same copy with other letters: nothing says whose note it was."""
    copied = _note("Mr Adeyemi", "Sampleford Junior School", "K.", "T.")
    assert run_check(school_store, in_own_letter(copied), "C-8301").verdict == "clean"


def test_the_receiving_familys_own_note_with_its_initials_stays_clean(school_store: Path) -> None:
    """C-8301's own call, its names cut to initials that another family's
    names share ("E." for Ella, as Evie; "J." for Jason, as Jordan)."""
    own = _note("Mrs Okonjo", "Brackwater Primary", "E.", "J.")
    assert run_check(school_store, in_own_letter(own), "C-8301").verdict == "clean"


def test_a_name_several_families_use_is_not_one_familys(tmp_path: Path) -> None:
    """Evie and Jordan in two other families: the initials could be either's."""
    calls = [*CALLS, ("Mr Brindle", "Sampleford Junior School", "Evie", "Jordan")]
    texts = [f"School contact note. {_note(*call)} {FILLER}" for call in calls]
    db_path = index_family_notes(tmp_path, "shared-names", 84, "contact", 4, texts)
    copied = _note("Mr Adeyemi", "Sampleford Junior School", "E.", "J.")
    assert run_check(db_path, in_own_letter(copied), "C-8401").verdict == "clean"


def _spans(text: str) -> tuple[np.ndarray, np.ndarray]:
    words = split_words(text)
    return words.starts, words.ends


def test_which_words_are_initials_and_which_are_names() -> None:
    text = "I saw E. and B.H. at Kiln Street; A visit by A. Brown, the GP, in iPad Ésta."
    starts, ends = _spans(text)
    words = [text[s:e] for s, e in zip(starts.tolist(), ends.tolist(), strict=True)]
    lone = dict(zip(words, lone_initials(text, starts, ends).tolist(), strict=False))
    assert [
        w for w, code in zip(words, lone_initials(text, starts, ends), strict=True) if code
    ] == [
        "E",
        "B",
        "H",
        "A",
    ]  # "I" and the article "A" are no one's initial; "A." is
    assert lone["E"] == ord("e") + 1
    named = [w for w, code in zip(words, capital_initials(text, starts, ends), strict=True) if code]
    assert named == ["Kiln", "Street", "Brown", "Ésta"]  # not "GP", "iPad", "I", "A"
    # The ASCII fast path and the general one agree.
    accented = text.replace("Kiln", "Kïln")
    a_starts, a_ends = _spans(accented)
    assert np.array_equal(
        capital_initials(accented, a_starts, a_ends) > 0, capital_initials(text, starts, ends) > 0
    )


def _initials_of_every_record(db_path: Path) -> dict[str, np.ndarray | None]:
    with IndexStore.open_for_reading(db_path) as store:
        records = store.stored_records()
        words = store.record_words([record.rec for record in records.values()])
        return {record_id: words[record.rec].initials for record_id, record in records.items()}


def test_the_index_keeps_initials_in_the_database_and_the_read_files(school_store: Path) -> None:
    from_files = _initials_of_every_record(school_store)
    shutil.rmtree(segments_folder(school_store))  # readers fall back to SQL
    from_sql = _initials_of_every_record(school_store)
    assert from_files.keys() == from_sql.keys() and len(from_files) == len(CALLS)
    for record_id, initials in from_files.items():
        assert initials is not None and from_sql[record_id] is not None
        assert np.array_equal(initials, from_sql[record_id])
        assert (initials == ord("s") + 1).any()  # "School", "Sampleford", ...


def test_an_index_written_before_initials_were_kept_is_still_read(school_store: Path) -> None:
    """Its records' initials are unknown: a check runs without them."""
    shutil.rmtree(segments_folder(school_store))
    with duckdb.connect(str(school_store)) as connection:
        connection.execute("ALTER TABLE record_words DROP COLUMN word_initials")
    assert set(_initials_of_every_record(school_store).values()) == {None}
    copied = _note("Mr Adeyemi", "Sampleford Junior School", "E.", "J.")
    assert run_check(school_store, in_own_letter(copied), "C-8301").verdict == "clean"


def test_the_next_index_run_gives_an_older_index_its_initials(school_store: Path) -> None:
    """An index written before initials were kept (no column, content keys
    without the words version): the next run re-reads every record once."""
    shutil.rmtree(segments_folder(school_store))
    with duckdb.connect(str(school_store)) as connection:
        connection.execute("ALTER TABLE record_words DROP COLUMN word_initials")
        connection.execute("UPDATE records SET content_hash = split_part(content_hash, '+', 1)")
    store_root = school_store.with_name("schools")
    summary = index_store(store_root, school_store)
    assert (summary.changed, summary.unchanged, summary.failed) == (len(CALLS), 0, ())
    assert all(
        initials is not None for initials in _initials_of_every_record(school_store).values()
    )
    again = index_store(store_root, school_store)
    assert (again.changed, again.unchanged) == (0, len(CALLS))
    copied = _note("Mr Adeyemi", "Sampleford Junior School", "E.", "J.")
    assert run_check(school_store, in_own_letter(copied), "C-8301").verdict == "leak"


def test_a_check_warns_until_records_an_older_version_read_are_read_again(
    school_store: Path,
) -> None:
    """Records read by an older words version (content keys of words version 2):
    a check compares other words with theirs, so it says so until `index` runs."""
    shutil.rmtree(segments_folder(school_store))
    with duckdb.connect(str(school_store)) as connection:
        connection.execute(
            "UPDATE records SET content_hash = replace(content_hash, ?, '+w2')", [WORDS_TAG]
        )
    text = in_own_letter(_note("Mr Adeyemi", "Sampleford Junior School", "E.", "J."))
    (warning,) = run_check(school_store, text, "C-8301").warnings
    assert warning.startswith(f"{len(CALLS)} records in the index were read by an older version")
    assert "provenance index" in warning
    summary = index_store(school_store.with_name("schools"), school_store)
    assert summary.changed == len(CALLS)
    assert run_check(school_store, text, "C-8301").warnings == ()
