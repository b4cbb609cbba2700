"""The numpy fast path agrees exactly with plain datasketch, and windows cover the text."""

from __future__ import annotations

import numpy as np
from datasketch import MinHash, MinHashLSH
from hypothesis import given
from hypothesis import strategies as st

from provenance.config import IndexParams
from provenance.fingerprint import band_keys, make_permutations, plan_windows, signatures
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
