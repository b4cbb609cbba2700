"""Fictional families, workers and places for the held-out benchmark (scripts/bench_holdout.py).

Written apart from scripts/quality_data.py on purpose: a benchmark written by the people who
tuned the detector may share their blind spots, so this one invents its own world. Every
name, street, school, town and organisation is made up (the borough of Eastmere does not
exist); surnames are built from syllables so that no list of real people is reproduced.

A case is a frozen dataclass of the people and concrete details its records talk about.
The prose is written elsewhere (holdout_prose.py); this module only decides the facts.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

BOYS = [
    "Alfie",
    "Brody",
    "Callum",
    "Dexter",
    "Ellis",
    "Finley",
    "Harvey",
    "Jaxon",
    "Kian",
    "Logan",
    "Mason",
    "Reuben",
    "Riley",
    "Ronan",
    "Sonny",
    "Tobias",
    "Zach",
    "Louie",
    "Ollie",
    "Kai",
    "Arlo",
    "Teddy",
    "Frankie",
    "Jenson",
    "Corey",
    "Bailey",
    "Rhys",
    "Tyrell",
]
GIRLS = [
    "Amelia",
    "Bella",
    "Darcey",
    "Esme",
    "Freya",
    "Gracie",
    "Isla",
    "Kacey",
    "Lacey",
    "Maddison",
    "Paige",
    "Poppy",
    "Rosie",
    "Skye",
    "Tilly",
    "Willow",
    "Ava",
    "Evie",
    "Lexi",
    "Mia",
    "Harper",
    "Aaliyah",
    "Kenzie",
    "Summer",
    "Tia",
    "Macy",
    "Libby",
    "Niamh",
]
WOMEN = [
    "Kerry",
    "Danielle",
    "Stacey",
    "Leanne",
    "Gemma",
    "Natalie",
    "Chantelle",
    "Shona",
    "Tanya",
    "Jodie",
    "Carly",
    "Hayley",
    "Kirsty",
    "Donna",
    "Michelle",
    "Lisa",
    "Nicola",
    "Toni",
    "Sian",
    "Becky",
]
MEN = [
    "Dean",
    "Wayne",
    "Craig",
    "Lee",
    "Jamie",
    "Ryan",
    "Darren",
    "Scott",
    "Shane",
    "Gary",
    "Kyle",
    "Liam",
    "Mark",
    "Jason",
    "Carl",
    "Marcus",
    "Damon",
    "Ricky",
    "Stuart",
    "Glen",
]
GRANNIES = [
    "Pauline",
    "Maureen",
    "Sandra",
    "Brenda",
    "Christine",
    "Linda",
    "Janet",
    "Carol",
    "Denise",
    "Val",
]
SURNAME_HEAD = [
    "Ash",
    "Bram",
    "Cal",
    "Dun",
    "Fen",
    "Gar",
    "Hol",
    "Kel",
    "Lin",
    "Mar",
    "Nor",
    "Pen",
    "Rad",
    "Sel",
    "Thorn",
    "Wal",
    "Whit",
    "Brad",
    "Cold",
    "Hart",
    "Ogle",
    "Pim",
    "Rook",
    "Sten",
    "Tal",
    "Ware",
    "Yarn",
    "Bick",
    "Crom",
    "Dray",
]
SURNAME_TAIL = [
    "worth",
    "ley",
    "ford",
    "by",
    "well",
    "stone",
    "field",
    "combe",
    "ham",
    "ridge",
    "wick",
    "shaw",
    "croft",
    "dale",
    "more",
]
TOWNS = ("Kettlebridge", "Marrowfield", "Sandlow", "Hatherby", "Wrenbury", "Copperdale", "Ostley")
STREET_WORDS = [
    "Larkspur",
    "Foxglove",
    "Mallard",
    "Heron",
    "Chapel",
    "Tanner",
    "Millstream",
    "Beacon",
    "Orchard",
    "Quarry",
    "Ropewalk",
    "Sexton",
    "Gorse",
    "Kestrel",
    "Bramley",
    "Cinder",
    "Weavers",
    "Pinfold",
    "Cobbler",
    "Hollybush",
]
STREET_KINDS = ("Close", "Road", "Avenue", "Way", "Crescent", "Gardens", "Walk", "Court", "Lane")
PRIMARY_SCHOOLS = (
    "St Wilfrid's CE Primary School",
    "Holy Trinity Catholic Primary",
    "Brookvale Community Primary",
    "Larchwood Infant and Junior School",
    "Sandlow Park Primary Academy",
    "Hatherby Church of England Primary",
    "Fernlea Primary School",
    "Copperdale Junior School",
)
SECONDARY_SCHOOLS = (
    "Kettlebridge Academy",
    "Marrowfield High School",
    "Ostley Valley Academy",
    "Wrenbury School",
    "St Bede's Catholic College",
)
CATEGORIES = ("neglect", "emotional abuse", "physical abuse", "sexual abuse")
THEMES = (
    "domestic abuse",
    "parental drug use",
    "parental alcohol use",
    "parental mental health",
    "criminal exploitation",
    "home conditions",
    "school attendance",
)
OFFENCES = (
    "assault occasioning actual bodily harm",
    "criminal damage to a motor vehicle",
    "possession of a bladed article in a public place",
    "theft from a shop",
    "breach of a non-molestation order",
    "being drunk and disorderly",
    "possession with intent to supply a class B drug",
    "common assault",
    "harassment by repeated messages",
    "driving while disqualified",
)
SUBSTANCES = ("cannabis", "cocaine", "alcohol", "ketamine", "prescribed diazepam")
PETS = (
    "a Staffordshire bull terrier called Tyson",
    "two rabbits kept in a hutch by the back door",
    "an elderly cat called Pickle",
    "a husky cross called Luna",
    "a bearded dragon in a tank in the front room",
    "a Jack Russell called Bonnie",
)


@dataclass(frozen=True)
class Person:
    """One fictional person: enough to write about them and to replace their name."""

    first: str
    last: str
    gender: str  # "m" or "f": drives pronouns in the prose and in the names disguise

    @property
    def full(self) -> str:
        """First and last name."""
        return f"{self.first} {self.last}"


@dataclass(frozen=True)
class Child:
    """A child on a case; age and school appear in the prose, so they travel with copies."""

    person: Person
    dob: date
    school: str
    year_group: int


@dataclass(frozen=True)
class Worker:
    """A professional with a writing habit; the same worker writes for several cases."""

    person: Person
    role: str
    style: str  # "first", "formal", "terse", "reflective"
    date_style: str  # "long", "slash", "ordinal", "weekday"
    mum_word: bool  # writes "Mum" rather than "Ms Surname"


@dataclass(frozen=True)
class Case:
    """One family's case: the people and the concrete details its records mention."""

    case_id: str
    children: tuple[Child, ...]
    mother: Person
    partner: Person
    grandparent: Person
    address: str
    town: str
    category: str
    themes: tuple[str, ...]
    offence: str
    substance: str
    pet: str
    attendance: float
    lates: int
    social_worker: Worker
    second_worker: Worker
    chair: Worker
    police: Worker
    nurse: Worker
    teacher: Person
    start: date
    home_details: tuple[int, ...]
    school_details: tuple[int, ...]
    health_details: tuple[int, ...]
    child_quotes: tuple[int, ...]
    parent_views: tuple[int, ...]
    strengths: tuple[int, ...]

    @property
    def eldest(self) -> Child:
        """The child most records are mainly about."""
        return self.children[0]

    @property
    def child_names(self) -> str:
        """'Alfie and Rosie' or 'Alfie, Rosie and Kai'."""
        firsts = [c.person.first for c in self.children]
        return firsts[0] if len(firsts) == 1 else ", ".join(firsts[:-1]) + " and " + firsts[-1]

    def people(self) -> list[Person]:
        """Every family member whose name a copier would replace."""
        return [c.person for c in self.children] + [self.mother, self.partner, self.grandparent]


def age_on(dob: date, on: date) -> int:
    """Whole years between dob and on."""
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


def _surname(rng: random.Random, taken: set[str]) -> str:
    for _ in range(1000):
        name = rng.choice(SURNAME_HEAD) + rng.choice(SURNAME_TAIL)
        if name not in taken:
            taken.add(name)
            return name
    raise RuntimeError("surname pool exhausted")


def _worker(rng: random.Random, role: str, taken: set[str]) -> Worker:
    gender = rng.choice("mf")
    first = rng.choice(MEN if gender == "m" else WOMEN)
    return Worker(
        person=Person(first, _surname(rng, taken), gender),
        role=role,
        style=rng.choice(("first", "formal", "terse", "reflective")),
        date_style=rng.choice(("long", "slash", "ordinal", "weekday")),
        mum_word=rng.random() < 0.5,
    )


@dataclass(frozen=True)
class Workforce:
    """The borough's staff: shared across cases, as in real teams."""

    social_workers: tuple[Worker, ...]
    chairs: tuple[Worker, ...]
    police: tuple[Worker, ...]
    nurses: tuple[Worker, ...]


def make_workforce(rng: random.Random, taken: set[str]) -> Workforce:
    """A dozen social workers and a few chairs, officers and nurses."""
    return Workforce(
        social_workers=tuple(_worker(rng, "Social Worker", taken) for _ in range(12)),
        chairs=tuple(_worker(rng, "Child Protection Chair", taken) for _ in range(4)),
        police=tuple(_worker(rng, "Detective Constable", taken) for _ in range(5)),
        nurses=tuple(_worker(rng, "School Nurse", taken) for _ in range(5)),
    )


def _teacher(rng: random.Random, taken: set[str]) -> Person:
    gender = rng.choice("mf")
    return Person(rng.choice(MEN if gender == "m" else WOMEN), _surname(rng, taken), gender)


def make_case(
    rng: random.Random, number: int, staff: Workforce, taken: set[str], start: date
) -> Case:
    """One fictional family with its own concrete details (indices into the prose pools)."""
    surname = _surname(rng, taken)
    n_children = rng.choice((1, 1, 2, 2, 3))
    children = []
    used_firsts: set[str] = set()
    for _ in range(n_children):
        gender = rng.choice("mf")
        pool = [n for n in (BOYS if gender == "m" else GIRLS) if n not in used_firsts]
        first = rng.choice(pool)
        used_firsts.add(first)
        age = rng.randint(2, 15)
        dob = start - timedelta(days=365 * age + rng.randint(0, 360))
        school = rng.choice(SECONDARY_SCHOOLS if age >= 11 else PRIMARY_SCHOOLS)
        children.append(Child(Person(first, surname, gender), dob, school, max(age - 4, 0)))
    children.sort(key=lambda c: c.dob)
    town = rng.choice(TOWNS)
    street = f"{rng.randint(2, 140)} {rng.choice(STREET_WORDS)} {rng.choice(STREET_KINDS)}"
    mother = Person(rng.choice(WOMEN), surname, "f")
    partner = Person(rng.choice(MEN), _surname(rng, taken), "m")
    grandparent = Person(rng.choice(GRANNIES), _surname(rng, taken), "f")
    sw, sw2 = rng.sample(staff.social_workers, 2)
    return Case(
        case_id=f"EM{number:05d}",
        children=tuple(children),
        mother=mother,
        partner=partner,
        grandparent=grandparent,
        address=f"{street}, {town}",
        town=town,
        category=rng.choice(CATEGORIES),
        themes=tuple(rng.sample(THEMES, 3)),
        offence=rng.choice(OFFENCES),
        substance=rng.choice(SUBSTANCES),
        pet=rng.choice(PETS),
        attendance=round(rng.uniform(61.0, 96.0), 1),
        lates=rng.randint(2, 31),
        social_worker=sw,
        second_worker=sw2,
        chair=rng.choice(staff.chairs),
        police=rng.choice(staff.police),
        nurse=rng.choice(staff.nurses),
        teacher=_teacher(rng, taken),
        start=start,
        home_details=tuple(rng.sample(range(24), 6)),
        school_details=tuple(rng.sample(range(16), 5)),
        health_details=tuple(rng.sample(range(14), 4)),
        child_quotes=tuple(rng.sample(range(18), 4)),
        parent_views=tuple(rng.sample(range(12), 3)),
        strengths=tuple(rng.sample(range(12), 3)),
    )
