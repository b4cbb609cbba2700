"""The numpy fast path agrees exactly with plain datasketch, and windows cover the text."""

from __future__ import annotations

import numpy as np
from datasketch import MinHash, MinHashLSH
from hypothesis import given, settings
from hypothesis import strategies as st

from provenance.config import IndexParams
from provenance.fingerprint import (
    band_keys,
    make_permutations,
    plan_windows,
    range_signatures,
    signatures,
)
from provenance.ingest import fingerprint_texts
from provenance.normalize import split_words
from provenance.shingle import shingle_hashes, word_ids

TEXT = (
    "The child was seen alone by the social worker on Tuesday and said that she feels safe "
    "at home with her grandmother, who collects her from school and helps with homework."
)


def datasketch_signature(shingles: np.ndarray, num_perm: int, seed: int) -> np.ndarray:
    sketch = MinHash(num_perm=num_perm, seed=seed, hashfunc=lambda value: value, scheme="affine32")
    sketch.update_batch([int(value) for value in shingles])
    return np.asarray(sketch.hashvalues)


def test_signatures_equal_datasketch_bit_for_bit() -> None:
    params = IndexParams(window_words=12, index_stride=5)
    ids = word_ids(split_words(TEXT).words)
    shingles = shingle_hashes(ids, params.shingle_words)
    windows = plan_windows(len(ids), params.window_words, params.index_stride)
    ours = signatures(
        shingles, windows, params.shingle_words, make_permutations(params.num_perm, params.seed)
    )
    for row, (start, end) in enumerate(zip(windows.starts, windows.ends, strict=True)):
        window_shingles = shingles[start : end - params.shingle_words + 1]
        assert np.array_equal(ours[row], datasketch_signature(window_shingles, 128, params.seed))


def test_same_candidates_as_datasketch_lsh() -> None:
    """Windows that share a band in datasketch's MinHashLSH share a band key here."""
    params = IndexParams(window_words=10, index_stride=5, num_perm=128, bands=64, rows_per_band=2)
    permutations = make_permutations(params.num_perm, params.seed)
    texts = [TEXT, TEXT.replace("Tuesday", "Friday"), "An unrelated note about a housing visit."]
    lsh = MinHashLSH(num_perm=128, params=(64, 2))
    our_keys = {}
    for number, text in enumerate(texts):
        ids = word_ids(split_words(text).words)
        shingles = shingle_hashes(ids, params.shingle_words)
        windows = plan_windows(len(ids), len(ids), 1)  # one window: the whole text
        rows = signatures(shingles, windows, params.shingle_words, permutations)
        our_keys[number] = set(band_keys(rows, params)[0].tolist())
        sketch = MinHash(num_perm=128, seed=params.seed, hashfunc=lambda v: v, scheme="affine32")
        sketch.update_batch([int(v) for v in shingles])
        lsh.insert(str(number), sketch)
    for number, text in enumerate(texts):
        sketch = MinHash(num_perm=128, seed=params.seed, hashfunc=lambda v: v, scheme="affine32")
        ids = word_ids(split_words(text).words)
        sketch.update_batch([int(v) for v in shingle_hashes(ids, params.shingle_words)])
        theirs = {int(found) for found in lsh.query(sketch)}
        ours = {other for other, keys in our_keys.items() if keys & our_keys[number]}
        assert ours == theirs


@given(st.integers(0, 500), st.integers(4, 60), st.data())
def test_windows_cover_every_word(word_count: int, window: int, data: st.DataObject) -> None:
    stride = data.draw(st.integers(1, window))
    windows = plan_windows(word_count, window, stride)
    covered = np.zeros(word_count, dtype=bool)
    for start, end in zip(windows.starts, windows.ends, strict=True):
        assert 0 <= start < end <= word_count and end - start <= window
        covered[start:end] = True
    assert covered.all()


def test_word_ids_are_stable_across_processes() -> None:
    # Fixed expected values: Python's salted hash() would change them every run.
    assert word_ids(["child"]).tolist() == word_ids(["child"]).tolist()
    import subprocess
    import sys

    code = "from provenance.shingle import word_ids; print(word_ids(['child']).tolist())"
    outputs = {
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout
        for _ in range(2)
    }
    assert outputs == {f"{word_ids(['child']).tolist()}\n"}


KEY = b"a test index key"  # word ids are keyed with the index's key
TEXTS = [
    TEXT,
    TEXT.replace("Tuesday", "Friday").replace("grandmother", "aunt"),
    "An unrelated note about a housing visit.",
    "Two words",
    " ".join(f"word{number % 37} filler{number % 11}" for number in range(90)),
    (TEXT + " ") * 3,
    # Dates in other forms: the batch's ASCII path writes them as split_words does.
    "Seen on 04/05/26, on 4th Sept 2026 and on 31.12.2025; the Mayor met her in March.",
    "Caf\u00e9 visit on 04-05-2026 and on May 04 2026, reviewed 1st June, born 2019-02-14.",
]


def test_batched_fingerprints_equal_datasketch_for_every_window() -> None:
    """The whole-batch fast path (all texts' shingles concatenated, minima by reduceat)
    gives each window exactly datasketch's affine32 signature, tail windows included."""
    params = IndexParams(window_words=12, index_stride=5)
    permutations = make_permutations(params.num_perm, params.seed)
    batch = fingerprint_texts(TEXTS, params, permutations, KEY)
    word_offset = passage = 0
    for text, word_count in zip(TEXTS, batch.word_counts.tolist(), strict=True):
        ids = batch.word_ids[word_offset : word_offset + word_count]
        assert ids.tolist() == word_ids(split_words(text).words, KEY).tolist()
        shingles = shingle_hashes(ids, params.shingle_words)
        windows = plan_windows(word_count, params.window_words, params.index_stride)
        for start, end in zip(windows.starts.tolist(), windows.ends.tolist(), strict=True):
            last = min(max(end - params.shingle_words + 1, start + 1), len(shingles))
            expected = datasketch_signature(shingles[start:last], params.num_perm, params.seed)
            signature_keys = band_keys(expected[None, :].astype(np.uint32), params)
            assert np.array_equal(batch.passages.band_keys[passage], signature_keys[0])
            passage += 1
        word_offset += word_count
    assert passage == len(batch.passages.band_keys) == int(batch.passage_counts.sum())


@settings(deadline=None)  # a datasketch call per example: slow on a loaded machine, not wrong
@given(st.lists(st.integers(0, 2**32 - 1), min_size=1, max_size=200), st.data())
def test_range_signatures_equal_datasketch(values: list[int], data: st.DataObject) -> None:
    """Any set of (overlapping, unordered) ranges: each equals datasketch on its slice."""
    permutations = make_permutations(16, 3)
    shingles = np.array(values, dtype=np.uint32)
    pairs = data.draw(
        st.lists(
            st.tuples(st.integers(0, len(values) - 1), st.integers(1, 40)), min_size=1, max_size=9
        )
    )
    firsts = np.array([first for first, _ in pairs], dtype=np.int64)
    lasts = np.array([min(len(values), first + n) for first, n in pairs], dtype=np.int64)
    ours = range_signatures(shingles, firsts, lasts, permutations)
    for row, (first, last) in enumerate(zip(firsts.tolist(), lasts.tolist(), strict=True)):
        assert np.array_equal(ours[row], datasketch_signature(shingles[first:last], 16, 3))


def test_band_keys_follow_their_definition() -> None:
    """Band key = mix(fold of (band + 1, row values) by x * 0x100000001B3 + v), in 64 bits."""
    params = IndexParams(num_perm=16, bands=5, rows_per_band=3)
    rows = np.random.default_rng(1).integers(0, 2**32, size=(4, 16), dtype=np.uint64)
    ours = band_keys(rows.astype(np.uint32), params)
    mask = 2**64 - 1
    for window in range(4):
        for band in range(5):
            key = band + 1
            for row in range(3):
                key = (key * 0x100000001B3 + int(rows[window, band * 3 + row])) & mask
            key ^= key >> 29
            key = (key * 0xBF58476D1CE4E5B9) & mask
            key ^= key >> 32
            assert int(ours[window, band]) & mask == key


def test_same_candidates_as_datasketch_lsh_over_many_windows() -> None:
    """Every window of several related texts: the windows sharing a band key with a query
    window are exactly those datasketch's MinHashLSH (same 64x2 bands) returns."""
    params = IndexParams(window_words=10, index_stride=4)
    permutations = make_permutations(params.num_perm, params.seed)
    batch = fingerprint_texts(TEXTS, params, permutations, KEY)
    lsh = MinHashLSH(num_perm=128, params=(64, 2))
    sketches = {}
    word_offset = passage = 0
    for word_count in batch.word_counts.tolist():
        ids = batch.word_ids[word_offset : word_offset + word_count]
        shingles = shingle_hashes(ids, params.shingle_words)
        windows = plan_windows(word_count, params.window_words, params.index_stride)
        for start, end in zip(windows.starts.tolist(), windows.ends.tolist(), strict=True):
            last = min(max(end - params.shingle_words + 1, start + 1), len(shingles))
            sketch = MinHash(
                num_perm=128, seed=params.seed, hashfunc=lambda v: v, scheme="affine32"
            )
            sketch.update_batch([int(v) for v in shingles[start:last]])
            lsh.insert(str(passage), sketch)
            sketches[passage] = sketch
            passage += 1
        word_offset += word_count
    keys = [set(row.tolist()) for row in batch.passages.band_keys]
    assert len(keys) == len(sketches) > 40
    shared_somewhere = 0
    for number, sketch in sketches.items():
        theirs = {int(found) for found in lsh.query(sketch)}
        ours = {other for other, other_keys in enumerate(keys) if other_keys & keys[number]}
        assert ours == theirs
        shared_somewhere += len(ours) > 1
    assert shared_somewhere > 10  # the texts overlap, so the test compares real candidates


_PERMUTATIONS = make_permutations(IndexParams().num_perm, IndexParams().seed)
_WORDISH = st.text(alphabet=st.sampled_from(list("aZq09")), min_size=1, max_size=20)
_GAP = st.sampled_from([" ", "  ", ", ", ".\n", "-", "_", "'", "-\n", " é ", "\u200b"])


@settings(deadline=None)
@given(st.lists(st.lists(st.tuples(_WORDISH, _GAP), max_size=30), max_size=6))
def test_batch_word_ids_equal_the_word_by_word_path(
    texts_parts: list[list[tuple[str, str]]],
) -> None:
    """Plain ASCII texts get their ids from packed bytes in one batch (no string per word);
    ids and spans must equal word_ids of split_words, around the 16-byte packing limit,
    with texts that take the general path (accents, line-end hyphens) mixed in."""
    texts = ["".join(word + gap for word, gap in parts) for parts in texts_parts]
    params = IndexParams(window_words=12, index_stride=5)
    batch = fingerprint_texts(texts, params, _PERMUTATIONS, KEY)
    expected = [split_words(text) for text in texts]
    assert batch.word_counts.tolist() == [len(words) for words in expected]
    flat = [word for words in expected for word in words.words]
    assert batch.word_ids.tolist() == word_ids(flat, KEY).tolist()
    assert batch.word_starts.tolist() == [s for w in expected for s in w.starts.tolist()]
    assert batch.word_ends.tolist() == [e for w in expected for e in w.ends.tolist()]
