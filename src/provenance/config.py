"""Detection parameters, validated in one place.

Index parameters (`IndexParams`) are written to the database when an index is
created; an index refuses to be opened with other values, because band keys
built with one shingle size or permutation set never match keys built with
another. Check parameters (`CheckParams`) may differ per run.
"""

from __future__ import annotations

from dataclasses import dataclass

from provenance.errors import ConfigError

SCHEMA_VERSION = 2  # 2: word ids keyed with a secret kept outside the database
# Bumped when what the index keeps of every word changes, so that the next
# `index` re-reads every record once (ingest.content_key ends with WORDS_TAG).
# 2: session 13, each word's initial if written with a capital
# (names.capital_initials), and dates' words as normalize.date_words writes
# them. 3: session 14, words without their commonest English ending
# (normalize.word_stem): a check against records read before compares other
# words, so it warns until `index` has read them again (match.check_text).
# 4: session 26, stems without a final "e" or "y", and the past forms of verbs
# a note re-told in the third person changes ("told", "said", "saw").
WORDS_TAG = "+w4"


@dataclass(frozen=True)
class IndexParams:
    """How records are cut into passages and fingerprinted.

    A passage is a window of `window_words` words every `index_stride` words.
    Windows are short on purpose: MinHash estimates Jaccard similarity, and a
    25-word copy inside a 200-word paragraph has a tiny Jaccard with the whole
    paragraph, but a large one with a window of about its own size.
    64 bands of 2 rows find windows with Jaccard 0.25 about 98% of the time.
    """

    shingle_words: int = 3
    window_words: int = 32
    index_stride: int = 16
    num_perm: int = 128
    bands: int = 64
    rows_per_band: int = 2
    seed: int = 20261123

    def __post_init__(self) -> None:
        _require(1 <= self.shingle_words <= 8, "shingle_words must be between 1 and 8")
        _require(
            self.shingle_words < self.window_words <= 400,
            "window_words must exceed shingle_words and be at most 400",
        )
        _require(
            1 <= self.index_stride <= self.window_words,
            "index_stride must be between 1 and window_words",
        )
        _require(
            self.bands * self.rows_per_band <= self.num_perm,
            f"bands x rows_per_band ({self.bands}x{self.rows_per_band}) exceeds num_perm "
            f"({self.num_perm}): raise num_perm or use fewer bands",
        )
        _require(self.bands >= 1 and self.rows_per_band >= 1, "bands and rows must be >= 1")


@dataclass(frozen=True)
class CheckParams:
    """How candidates are verified and classified during a check.

    min_words: a reported match is a dense run of at least this many shared
        words. Copies of 25 words or more must be found even after a few words
        were changed, so the default leaves room for edits.
    min_distinctive_words: of which at least this many are not template text
        (details such as names, ages, places, dates, and with context_words the
        words at the joints of a sequence only that record holds): the
        difference between a copied passage and the same template sentence
        with other details. Never more than min_words is asked for, so a
        lower --min-words still finds shorter copies.
    min_similarity: share of the matched span's words found in the source.
    boilerplate_cases: text found in records of at least this many different
        cases is template text (a heading, a standard paragraph), never a leak.
    query_stride: windows of the checked document start every this many
        words (the index's windows start every 16). On a 1M-passage index,
        4 to 16 retrieved the source record of 99 in 100 short copies
        (12-16 words, or 25-30 words with 20% edited) and 32 first missed
        some; 8 keeps half that margin and makes a check ~10% faster than 4.
    max_candidate_records: verification budget per document; candidates are
        ranked by how many passages they share before the cut.
    max_gap_words: words of edited text a copy may have between two shared
        3-word runs and still count as one passage.
    context_words: when above 0, a word of another case's passage counts as
        template text only when enough cases hold it together with the words
        (up to this many either side) the passage shares around it, in the
        same order. Finds formulaic paragraphs copied with the names replaced,
        but also flags new text that happens to repeat another record's
        sentence order and phrasing, so it goes with a higher
        min_distinctive_words (20 by default; the measured trade-off is in the
        README). 0 counts every word on its own (then about 6 fits).
    rare_word_weight: a detail that, among the candidate records, only one
        other case holds (a surname, a street, a time of arrest) counts as
        this many details towards min_distinctive_words. 1 turns it off.
    name_weight: a shared word written as a name (capitalised inside a
        sentence: a child, a parent, a street; `names.py`) counts as this many
        details. 1 turns it off.
    min_details_with_name: a run that carries another family's name (a word
        written as a name that, among the candidate records, only that one
        other case holds, and the checked case's records never use) needs
        only this many details instead of min_distinctive_words. A short
        copy of stock sentences naming another family's child or parent is
        the leak this project exists to stop, and its name is the detail
        that says whose it is. 0 turns it off.
    min_words_with_name: a run shorter than min_words, but of at least this
        many words, is a match when it carries another family's name (as for
        min_details_with_name) and min_details_with_name details: one copied
        sentence with the neighbours' names and a criminal charge in it is
        the leak this project exists to stop. Also when it was taken word
        for word, names someone the checked case's records never mention,
        and has min_distinctive_words details, min_content_details of them
        content: a sentence whose names other families use too, but whose
        combination of them is one family's. 0 turns both off.
    min_content_details: of a run's details, at least this many must be
        words that are not template text even on their own (a name, a
        place, a date, a rare word), not only the order of stock wording
        that one other record happens to share. A run without them needs
        min_sequence_only_details.
    min_sequence_only_details: details a run needs when fewer than
        min_content_details of them are content: its evidence is stock
        sentences in the same order as one other record's, which two
        families' notes can share by chance.
    min_details_word_for_word: details a run needs, min_content_details of
        them content, when its region matches the source word for word
        (after normalisation): a partial or short copy taken verbatim. New
        text that happens to follow another record's stock wording almost
        never matches every word of it.
    min_sentences_alone: template text that is at least this many whole
        sentences (and min_words words), held whole by one other case's
        record and no other case's, naming someone or holding a figure, is
        that case's copy (beside.sentences_held_alone); 0 turns it off.
        One whole sentence of min_words_with_name words or more is enough
        when it names a person by a full name (two names in a row) that
        one other case's records write and the receiving family's never do.
    """

    min_words: int = 25
    min_distinctive_words: int = 20
    min_similarity: float = 0.5
    boilerplate_cases: int = 4
    query_stride: int = 8
    max_candidate_records: int = 400
    max_gap_words: int = 10
    context_words: int = 4
    rare_word_weight: int = 3
    name_weight: int = 3
    min_details_with_name: int = 12
    min_words_with_name: int = 12
    min_content_details: int = 3
    min_sequence_only_details: int = 23
    min_details_word_for_word: int = 14
    min_sentences_alone: int = 2

    def __post_init__(self) -> None:
        _require(self.min_words >= 3, "min_words must be at least 3")
        _require(self.min_distinctive_words >= 1, "min_distinctive_words must be at least 1")
        _require(0.0 < self.min_similarity <= 1.0, "min_similarity must be in (0, 1]")
        _require(self.boilerplate_cases >= 2, "boilerplate_cases must be at least 2")
        _require(self.query_stride >= 1, "query_stride must be at least 1")
        _require(self.max_candidate_records >= 1, "max_candidate_records must be at least 1")
        _require(self.max_gap_words >= 1, "max_gap_words must be at least 1")
        _require(self.context_words >= 0, "context_words must be 0 or more")
        _require(self.rare_word_weight >= 1, "rare_word_weight must be at least 1")
        _require(self.name_weight >= 1, "name_weight must be at least 1")
        _require(self.min_details_with_name >= 0, "min_details_with_name must be 0 or more")
        _require(self.min_words_with_name >= 0, "min_words_with_name must be 0 or more")
        _require(self.min_content_details >= 0, "min_content_details must be 0 or more")
        _require(
            self.min_sequence_only_details >= 1, "min_sequence_only_details must be at least 1"
        )
        _require(
            self.min_details_word_for_word >= 1, "min_details_word_for_word must be at least 1"
        )
        _require(self.min_sentences_alone >= 0, "min_sentences_alone must be 0 or more")

    def shortest_match(self) -> int:
        """The fewest shared words a match may have: min_words, or fewer with names."""
        if self.min_words_with_name and self.min_details_with_name:
            return min(self.min_words, self.min_words_with_name)
        return self.min_words

    def reads_names(self) -> bool:
        """Whether a check needs to know which words are written as names."""
        return self.name_weight > 1 or self.min_details_with_name > 0


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ConfigError(message)
