"""Cases the trust links as one family: siblings' cases may share text.

A trust opens a case for each child. A household's paragraph (the police
call-out to the family home, the mother's prescriptions) is filed in each
sibling's case, and a plan sent to the parents of both children may carry
it. Without a link a check cannot tell siblings from neighbours: such text
is flagged as another case's, and a household of four or five children
holds its own paragraphs in as many cases as a standard paragraph, so a copy
of them sent to another family reads as template text.

The manifest says which cases are one family: a `family` (or `family_id`)
column, the same value in the rows of every case of the family. Cases
sharing a value are linked, and links chain (a half-sibling's case listed
under both households joins them). A check then treats a family as one
holder: its cases' records count once towards `boilerplate_cases`, text
from a linked case is reported as `same_family` (never a leak), and text of
any other case is still a leak.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from provenance.discover import header_key
from provenance.models import Match, MatchStatus

FAMILY_COLUMNS = ("family", "family_id")  # manifest columns that link cases (any case)
# What an export writes for "no family": never a link, or every unlinked case is one family.
NO_FAMILY = frozenset({"", "-", "0", "n/a", "na", "none", "null", "nil", "unknown", "tbc"})
# More cases than this in one family is no household but a column that means something
# else (a team, a school): linking them would hide leaks, so they stay apart (`families_of`).
MAX_FAMILY_CASES = 12


def family_value(metadata: dict[str, str]) -> str:
    """The family a record's manifest row names, '' if none.

    >>> family_value({"Family_ID": " F-12 "}), family_value({"family": "N/A"})
    ('F-12', '')
    >>> family_value({"Family ID": "F-7"})
    'F-7'
    """
    for column, value in metadata.items():
        if header_key(column) in FAMILY_COLUMNS and value.strip().lower() not in NO_FAMILY:
            return value.strip()
    return ""


@dataclass(frozen=True)
class Families:
    """Which cases are one family (`families_of`).

    `key` maps each linked case to the first (lowest) case id of its
    family: a check judges records by that key, so siblings' records are
    held by one family, and a case linked to none keeps its own id.
    """

    key: dict[str, str]
    # Families of more than MAX_FAMILY_CASES cases, left unlinked: (cases, a value naming it).
    too_large: tuple[tuple[int, str], ...] = ()

    def of(self, case_id: str) -> str:
        """The id a check judges `case_id`'s records by."""
        return self.key.get(case_id, case_id)

    def status(self, status: MatchStatus, source_case: str, case_id: str) -> MatchStatus:
        """A match's status once its source's own case is told again: text a
        check of `case_id` judged its own is `same_family` when another
        case of the family holds it."""
        if status == "same_case" and source_case != case_id:
            return "same_family"
        return status

    def __bool__(self) -> bool:
        return bool(self.key)


def families_of(case_families: Iterable[tuple[str, str]]) -> Families:
    """Families from (case_id, family value) pairs (`IndexStore.case_families`):
    cases sharing a value are one family, and so are cases linked through a
    case listed under two values.

    >>> f = families_of([("C2", "A"), ("C1", "A"), ("C3", "B"), ("C4", "B"), ("C4", "A")])
    >>> [f.of(c) for c in ("C1", "C2", "C3", "C4", "C9")]
    ['C1', 'C1', 'C1', 'C1', 'C9']
    >>> sorted(families_of([("C1", "A"), ("C2", "B")]).key)
    []
    >>> many = families_of([(f"C{n}", "Team 3") for n in range(20)])
    >>> many.key, many.too_large
    ({}, ((20, 'Team 3'),))
    """
    parent: dict[str, str] = {}

    def root(node: str) -> str:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for case_id, value in case_families:
        if value:
            first, second = root("case:" + case_id), root("family:" + value)
            if first != second:
                parent[max(first, second)] = min(first, second)
    members: dict[str, list[str]] = {}
    named: dict[str, str] = {}  # a family value of each family, for the warning
    for node in sorted(parent):
        if node.startswith("case:"):
            members.setdefault(root(node), []).append(node.removeprefix("case:"))
        else:
            named.setdefault(root(node), node.removeprefix("family:"))
    linked = [(top, cases) for top, cases in members.items() if len(cases) > 1]
    return Families(
        {
            case: min(cases)
            for _, cases in linked
            if len(cases) <= MAX_FAMILY_CASES
            for case in cases
        },
        tuple((len(cases), named[top]) for top, cases in linked if len(cases) > MAX_FAMILY_CASES),
    )


def told_apart(
    matches: list[Match], families: Families, real_cases: dict[str, str], case_id: str
) -> list[Match]:
    """`matches` of a text for `case_id`, judged by family (`Families.of`),
    with each source's own case told again: `real_cases` maps a record id
    to its case."""
    if not families:
        return matches
    told = []
    for match in matches:
        case = real_cases.get(match.source.record_id, match.source.case_id)
        told.append(
            replace(
                match,
                status=families.status(match.status, case, case_id),
                source=replace(match.source, case_id=case),
                other_sources=tuple(
                    replace(other, case_id=real_cases.get(other.record_id, other.case_id))
                    for other in match.other_sources
                ),
            )
        )
    return told
