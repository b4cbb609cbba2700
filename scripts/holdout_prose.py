"""Free prose about a fictional case, in several authors' voices (held-out benchmark).

Unlike a pool of whole sentences, each paragraph here is composed from a case's own facts
(what the home looked like, what the school saw, what the child said) wrapped in one of
four social-work voices (first person, formal third person, terse notes, reflective) or an
agency's voice (school, health, police). Each worker keeps their voice and date habit
across every case they write for, so records of different families share phrasing the way
real records do, while the facts, names, dates and numbers differ.

Everything is fictional. ASCII only, so that the same text survives the PDF writer.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import date, timedelta

from holdout_people import Case, Child, Worker, age_on

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def fmt_date(when: date, style: str) -> str:
    """A date the way this author writes dates."""
    if style == "slash":
        return when.strftime("%d/%m/%Y")
    if style == "ordinal":
        day = when.day
        suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
        return f"{day}{suffix} {MONTHS[when.month - 1]}"
    if style == "weekday":
        return f"{WEEKDAYS[when.weekday()]} {when.day} {MONTHS[when.month - 1]}"
    return f"{when.day} {MONTHS[when.month - 1]} {when.year}"


@dataclass(frozen=True)
class Slots:
    """The words a phrasing is filled with, for one case, child and author."""

    values: dict[str, str]

    def fill(self, text: str, cap: bool = True) -> str:
        """Fill {placeholders}; capitalise the first letter unless the text goes mid-sentence."""
        out = text.format(**self.values)
        return out[0].upper() + out[1:] if out and cap else out


def slots_for(case: Case, child: Child, author: Worker, when: date, rng: random.Random) -> Slots:
    """Every placeholder the phrasings below use."""
    male = child.person.gender == "m"
    others = [c for c in case.children if c is not child]
    sib = others[0].person.first if others else "the baby"
    mum = "Mum" if author.mum_word else f"Ms {case.mother.last}"
    pet_short = case.pet.split(" called ")[-1] if " called " in case.pet else "the animals"
    smell = "cannabis" if case.substance == "cannabis" else "stale cigarette smoke"
    some_day = when - timedelta(days=rng.randint(3, 40))
    values = {
        "child": child.person.first,
        "child_full": child.person.full,
        "he": "he" if male else "she",
        "He": "He" if male else "She",
        "His": "His" if male else "Her",
        "him": "him" if male else "her",
        "his": "his" if male else "her",
        "himself": "himself" if male else "herself",
        "son": "son" if male else "daughter",
        "sib": sib,
        "mum": mum,
        "mum_full": case.mother.full,
        "partner": case.partner.first,
        "partner_full": case.partner.full,
        "gran": case.grandparent.first,
        "gran_full": case.grandparent.full,
        "town": case.town,
        "address": case.address,
        "school": child.school,
        "year": str(child.year_group),
        "age": str(age_on(child.dob, when)),
        "dob": child.dob.strftime("%d/%m/%Y"),
        "teacher": f"{'Mr' if case.teacher.gender == 'm' else 'Mrs'} {case.teacher.last}",
        "att": f"{case.attendance}",
        "lates": str(case.lates),
        "substance": case.substance,
        "smell": smell,
        "pet": case.pet,
        "pet_short": pet_short,
        "offence": case.offence,
        "category": case.category,
        "num": str(rng.randint(2, 9)),
        "nth": rng.choice(("second", "third", "fourth", "fifth")),
        "month": MONTHS[(when.month - 2) % 12],
        "date": fmt_date(some_day, author.date_style),
        "when": fmt_date(when, author.date_style),
        "time": f"{rng.randint(17, 23)}:{rng.choice(('05', '20', '35', '50', '10'))}",
        "sw": author.person.full,
        "sw_last": author.person.last,
        "police": case.police.person.full,
        "nurse": case.nurse.person.full,
    }
    return Slots(values)


HOME = (
    (
        "the kitchen bin was overflowing and takeaway cartons were stacked on the worktop by the "
        "cooker",
        "takeaway boxes were piled up next to the cooker and the bin had clearly not been emptied "
        "for days",
    ),
    (
        "{child}'s bedroom had a mattress on the floor with no sheet or duvet cover on it",
        "there was no bedding at all on {child}'s mattress, which lay on the floor rather than on "
        "a bed frame",
    ),
    (
        "the fridge held a pint of milk, a jar of mayonnaise and some yoghurts that were past "
        "their date",
        "apart from half a pint of milk and out-of-date yoghurts the fridge was empty",
    ),
    (
        "a window in the back bedroom was broken and had been patched with cardboard and parcel "
        "tape",
        "the back bedroom window had a cracked pane held together with parcel tape and a square "
        "of cardboard",
    ),
    (
        "there was dog mess on the landing carpet and the smell carried down to the front door",
        "the landing carpet was soiled with dog mess and the smell was noticeable from the hall",
    ),
    (
        "the front room smelt strongly of {smell}",
        "a strong smell of {smell} hung in the living room",
    ),
    (
        "a stair gate had been fitted at the top of the stairs, which {mum} said {partner} had "
        "put up the week before",
        "{mum} pointed out the new stair gate at the top of the stairs and said {partner} had "
        "fitted it",
    ),
    (
        "the house was warm and tidy and there was fresh food in the cupboards",
        "the home was clean, warm and well stocked with food",
    ),
    (
        "washing was heaped on the settee and along the hallway floor, and {mum} said the machine "
        "had been broken since {month}",
        "piles of clothes covered the sofa and hall; the washing machine has apparently not "
        "worked since {month}",
    ),
    (
        "there was a hole in the living room door at about the height of an adult's fist",
        "the living room door had a fist-sized hole in it at adult height",
    ),
    (
        "the electricity meter was on emergency credit and {mum} said she tops it up at the "
        "corner shop when she can",
        "the meter showed emergency credit only; {mum} explained she puts money on it a few "
        "pounds at a time",
    ),
    (
        "{child} showed me a den of cushions behind the settee where {he} likes to play on {his} "
        "tablet",
        "{child} proudly showed off a cushion den behind the sofa where {he} plays games on {his} "
        "tablet",
    ),
    (
        "a large television and a games console were in the front room, but there was no table "
        "for the children to eat at",
        "there was a big flat-screen television and a console in the lounge, though nowhere for "
        "the family to sit and eat together",
    ),
    (
        "the back garden was full of black bin bags and an old fridge freezer lying on its side",
        "black sacks of rubbish and a discarded fridge freezer filled the back garden",
    ),
    (
        "cigarette ends and a lighter were on the windowsill within easy reach of {sib}",
        "a lighter and an ashtray full of cigarette ends had been left where {sib} could reach "
        "them",
    ),
    (
        "black mould was growing around the bathroom window and across the ceiling above the bath",
        "the bathroom ceiling and window frame were covered in black mould",
    ),
    (
        "there were no bulbs in the upstairs lights and the landing was in darkness",
        "the upstairs landing had no working light and was dark even in the afternoon",
    ),
    (
        "several empty cans of strong lager were in the recycling box by the back door",
        "the recycling box by the back door was full of empty cans of strong lager",
    ),
    (
        "{child}'s school uniform was hanging on the radiator, washed and ready for the morning",
        "{child}'s uniform had been washed and was drying on the radiator for the next day",
    ),
    (
        "a calendar on the kitchen wall had the children's appointments written on it in {mum}'s "
        "handwriting",
        "{mum} keeps a calendar in the kitchen with every appointment for the children written "
        "on it",
    ),
    (
        "the stair gate was propped open with a bag of shopping and the stairs were cluttered "
        "with shoes and toys",
        "shoes, toys and a bag of shopping were strewn up the stairs and the gate had been left "
        "open",
    ),
    (
        "a Moses basket and a new car seat were in the front room, still in their packaging",
        "a new car seat and Moses basket, still wrapped, were waiting in the lounge",
    ),
    (
        "the curtains in the front room were drawn in the middle of the afternoon and the only "
        "light came from the television",
        "at three in the afternoon the curtains were closed and the room was lit by the "
        "television alone",
    ),
    (
        "{pet} was shut in the kitchen and barked throughout the visit",
        "{pet} was kept behind the kitchen door and did not stop barking while I was there",
    ),
)

SCHOOL = (
    "{child} has [arrived at breakfast club hungry|come into class hungry|turned up without "
    "breakfast] on [several|three|most] mornings [and has asked staff for a second slice of toast|"
    "and staff now keep cereal bars for {him}|and has been given fruit from the staffroom]",
    "{child} was found [crying|upset and shaking|sobbing] in the [toilets|library|cloakroom] "
    "[after lunch|after PE|during assembly] on {date} and would not say what was wrong",
    "{his} PE kit has not been in school [since the start of term|for {num} weeks] and {he} has "
    "been lent [spare trainers|a borrowed kit|shorts from lost property]",
    "{child} told [a lunchtime supervisor|{his} teaching assistant|a dinner lady] that {he} had "
    "not had [any tea|anything to eat|a meal] the night before because there was nothing in",
    "{child} has fallen asleep [in lessons|at {his} desk|during maths] on at least {num} "
    "occasions [this half term|since Easter|in the last month]",
    "{his} [reading|handwriting|spelling] has come on well since {he} started [small-group "
    "sessions|one-to-one work|a nurture group] with {teacher}",
    "staff noticed a [bruise|red mark|graze] about [two|three|four] centimetres across on {his} "
    "[upper arm|forearm|lower back] during PE on {date}",
    "{child} has been collected late on {num} occasions, once by [an adult the school did not "
    "recognise|a man who gave his name only as {partner}|a teenager]",
    "{child} received a {num}-day suspension after [throwing a chair across the classroom|"
    "swearing at the head of year|kicking a door off its hinges]",
    "{he} has made a good friendship with [another pupil|a boy in {his} class|a girl from the "
    "year above] and now plays [football|tag|on the climbing frame] at break",
    "{mum} has missed the last [two|three] parents' evenings and the school has struggled to "
    "reach her [by phone|on any of the numbers held|by text or letter]",
    "{child} has worn the same uniform [all week|for {num} days running] and other children have "
    "commented on the smell",
    "{his} behaviour falls apart on [Mondays|Monday mornings|the first day back after a "
    "weekend], and staff think weekends at home are unsettled",
    "{child} told {his} [class teacher|form tutor|learning mentor] that {partner} [shouts at Mum "
    "and breaks things|punched the kitchen door|threw the remote at the telly]",
    "{child} has been seen with [a new phone|two phones|a designer jacket] and [expensive "
    "trainers|a lot of cash|new headphones] that {mum} says she did not buy",
    "{child} has gone missing from afternoon registration [{num} times|twice this week] and was "
    "later seen near the [retail park|canal|bus station] in {town}",
)

HEALTH = (
    "{child} has not seen a dentist since {he} was {num} and has [visible decay to {his} front "
    "teeth|two abscessed back teeth|been in pain eating]",
    "{his} weight has dropped from the [50th|75th|25th] to the [9th|2nd|0.4th] centile over "
    "[eighteen months|a year|two years]",
    "the [pre-school booster|MMR|six-in-one] immunisations are still outstanding after [three|"
    "four|several] reminder letters",
    "{child} attended the emergency department at {town} General on {date} with [a cut above "
    "{his} left eye|a burn to {his} hand|a swollen wrist]; the explanation given was that {he} "
    "[fell against the coffee table|touched the iron|fell off the trampoline]",
    "{child} has [severe eczema|a dairy allergy|recurrent ear infections] and the prescribed "
    "[emollients|medication|antibiotics] have not been collected from the pharmacy",
    "an [audiology|orthoptics|paediatric] appointment was missed in {month} and has had to be "
    "re-booked",
    "the speech and language assessment found {child}'s [expressive language|understanding|"
    "speech sounds] to be around [eighteen months|a year|two years] behind",
    "{child}'s [brown inhaler|reliever inhaler|spacer] was not in school and turned out to have "
    "run out",
    "{mum} told the [health visitor|GP|midwife] she has felt low since the birth and has "
    "stopped taking her [sertraline|antidepressants|medication]",
    "{child} has started wetting the bed [most nights|three or four nights a week] over the past "
    "[three|six] months",
    "the GP surgery has recorded {num} missed appointments for the children in the last year",
    "{child} was referred to CAMHS after telling the [school nurse|GP|youth worker] that {he} "
    "sometimes wished {he} was not here",
    "[school staff|the school nurse] have treated {child} for head lice [twice|three times] this "
    "term",
    "{child}'s growth and development are within the expected range and {his} [checks|"
    "immunisations] are up to date",
)

QUOTES = (
    "I don't like it when {partner} shouts, I go under my covers",
    "I want to live with Nanna {gran} because she makes proper tea",
    "Mum sleeps a lot in the day",
    "{partner} is alright when he's not drinking",
    "I look after {sib} when Mum goes out",
    "Nothing's wrong, I just want everyone to leave us alone",
    "I'm scared the police will come again",
    "My best thing is feeding {pet_short}",
    "I don't want to go to school because people say I smell",
    "Mum cries a lot so I make her a cup of tea",
    "The older boys at the park give me stuff to carry",
    "I hate the shouting at night, it keeps me awake",
    "I like it at school because dinner is nice",
    "I can't say, I'll get in trouble",
    "Dad's coming back at Christmas, Mum said",
    "When {partner} gets angry I take {sib} upstairs",
    "I wish we had a proper bed",
    "I like my teacher because she doesn't shout",
)

VIEWS = (
    "{mum} said that social services were [making a mountain out of a molehill|picking on "
    "her|interfering] and that the children want for nothing",
    "{mum} accepted that the house had got on top of her and asked for help with [a deep clean|"
    "a skip|new carpets]",
    "{mum} denied that {partner} lives at the address, although [his work boots were by the "
    "door|his post was on the side|his van was parked outside]",
    "{partner} was not there and has not replied to {num} [letters|texts|calls] inviting him to "
    "meetings",
    "{mum} said she had stopped using {substance} [in {month}|three weeks ago|after the last "
    "meeting] and agreed to a hair strand test",
    "{mum} became tearful and said she does not know how to manage {child}'s [behaviour|temper|"
    "night-time waking]",
    "{partner} said the police had got it all wrong and that [nobody was hurt|it was just "
    "words|the neighbours have it in for them]",
    "{mum} said she wants the children to stay with her and will do whatever is asked of her",
    "{mum} blamed the school for {child}'s attendance, saying {he} is [bullied there|singled "
    "out|not supported with {his} needs]",
    "{mum} said money has been very tight since her benefits were [sanctioned|stopped|cut] in "
    "{month}",
    "{mum} asked that {gran} be part of the plan, as she sees the children [most days|every "
    "weekend|after school]",
    "{partner} agreed to join the perpetrator programme but has not yet contacted the service",
)

STRENGTHS = (
    "{gran} lives [two streets away|on the same estate|round the corner] and has the children "
    "for tea on [Wednesdays and Sundays|Fridays|most weekends]",
    "{mum} has gone to every session with the family support worker since {month}",
    "the children are warmly attached to {mum} and [run to her at the school gate|go to her for "
    "comfort]",
    "{mum} has engaged with the recovery service in {town} and her last [two|three] tests were "
    "negative",
    "{child} loves {his} Saturday [boxing|football|dance] club, where the coach describes {him} "
    "as [respectful|a natural|a pleasure]",
    "the rubbish has been cleared and the landlord has finally fixed the [broken window|boiler|"
    "back door]",
    "{mum} has registered the children with a new [dentist|GP] and booked [check-ups|appointments]",
    "{child} has had full attendance for the last [four|five|six] weeks",
    "{mum} has applied for a non-molestation order against {partner}",
    "{mum} completed the [Freedom Programme|parenting course|Triple P course] in {month}",
    "{child} goes to a young carers group on [Thursday|Tuesday] evenings and enjoys it",
    "the children now have their own beds and bedding, paid for by [a local charity grant|the "
    "welfare assistance fund]",
)

SYNONYMS = {
    "the start of term": ("the beginning of term", "September"),
    "has been lent": ("has borrowed", "has been given"),
    "spare": ("lost-property", "borrowed"),
    "told": ("said to", "informed"),
    "the night before": ("the previous evening", "the evening before"),
    "nothing in": ("no food in", "nothing in the cupboards"),
    "fallen asleep": ("nodded off", "dropped off to sleep"),
    "in lessons": ("in class", "during lessons"),
    "at least": ("no fewer than", "a minimum of"),
    "this half term": ("since half term", "in recent weeks"),
    "has come on well": ("has improved", "has progressed well"),
    "small-group sessions": ("small group work", "intervention sessions"),
    "about two centimetres across": ("roughly 2cm in size", "the size of a two pence coin"),
    "collected late": ("picked up late", "left waiting after school"),
    "did not recognise": ("did not know", "had never seen before"),
    "throwing a chair": ("throwing furniture", "hurling a chair"),
    "good friendship": ("close friendship", "positive friendship"),
    "plays football at break": ("joins in football at playtime", "plays football at lunchtimes"),
    "struggled to reach her": ("found it hard to contact her", "been unable to get hold of her"),
    "the same uniform all week": ("the same clothes all week", "an unwashed uniform for days"),
    "other children": ("classmates", "peers"),
    "commented on": ("remarked on", "mentioned"),
    "falls apart": ("deteriorates", "is much worse"),
    "unsettled": ("chaotic", "difficult"),
    "expensive": ("costly", "designer"),
    "visible decay": ("obvious decay", "decay"),
    "dropped": ("fallen", "slipped"),
    "still outstanding": ("overdue", "not yet given"),
    "reminder letters": ("reminders", "letters from the surgery"),
    "severe": ("bad", "significant"),
    "re-booked": ("rearranged", "booked again"),
    "around": ("about", "roughly"),
    "turned out to have run out": ("was found to be empty", "had run out"),
    "felt low": ("felt down", "struggled with her mood"),
    "most nights": ("nearly every night", "several nights a week"),
    "over the past three months": ("in the last three months", "since the summer"),
    "in the last year": ("over the past twelve months", "this year"),
    "twice this term": ("on two occasions this term", "twice since September"),
    "within the expected range": ("in the normal range", "as expected"),
    "overflowing": ("full to the brim", "spilling over"),
    "stacked": ("piled", "left"),
    "worktop": ("kitchen side", "counter"),
    "clearly": ("obviously", "evidently"),
    "for days": ("for some time", "in a while"),
    "past their date": ("out of date", "well past their use-by date"),
    "broken": ("smashed", "cracked"),
    "patched": ("covered", "boarded up"),
    "smell": ("odour", "stench"),
    "strongly": ("heavily", "very strongly"),
    "warm and tidy": ("warm and clean", "tidy and warm"),
    "heaped": ("piled", "dumped"),
    "settee": ("sofa", "couch"),
    "at about the height of": ("at the height of", "around the height of"),
    "proudly": ("happily", "keenly"),
    "large": ("big", "huge"),
    "black bin bags": ("bin bags", "rubbish sacks"),
    "within easy reach of": ("close to", "where they could be reached by"),
    "black mould": ("mould", "damp and mould"),
    "empty cans of strong lager": ("empty lager cans", "empty cans of cider"),
    "washed and ready": ("clean and ready", "washed and dried"),
    "because": ("as", "since"),
    "said": ("stated", "explained"),
    "agreed": ("consented", "accepted"),
    "accepted": ("acknowledged", "recognised"),
    "wants": ("wishes", "would like"),
    "very tight": ("extremely tight", "a struggle"),
    "denied": ("disputed", "refused to accept"),
    "became tearful": ("was tearful", "cried"),
    "does not know how to manage": ("cannot cope with", "struggles to manage"),
    "every session": ("all sessions", "each session"),
    "warmly attached": ("close", "clearly attached"),
    "finally": ("now", "at last"),
    "enjoys it": ("likes going", "gets a lot from it"),
    "paid for by": ("funded by", "bought with"),
    "officers": ("police", "the officers"),
    "arrived": ("got there", "attended"),
    "neighbour": ("next-door neighbour", "member of the public"),
    "the children": ("both children", "the young people"),
}
_SYN = re.compile(
    r"(?<![{\w])("
    + "|".join(sorted(map(re.escape, SYNONYMS), key=len, reverse=True))
    + r")(?![}\w])"
)


def vary(phrasing: str, rng: random.Random, rate: float = 0.6) -> str:
    """Swap stock phrases for synonyms, so that no two records share long identical runs."""

    def swap(match: re.Match[str]) -> str:
        word = match.group(0)
        return rng.choice(SYNONYMS[word]) if rng.random() < rate else word

    return _SYN.sub(swap, phrasing)


ASIDES = (
    ", which {mum} later disputed",
    " ({teacher} raised this with {mum} at the gate)",
    ", for the {nth} time since {month}",
    " while {sib} was in the room",
    "; {gran} confirmed this when we spoke on the phone",
    ", and {child} seemed embarrassed when it came up",
    " - {partner} has not been told about this",
    ", according to {nurse}",
    ", which is a change from the spring",
    ", although this was not seen on the following visit",
    " (see the chronology entry for {date})",
    ", and {mum} was given advice about this at the time",
)


ALTERNATIVE = re.compile(r"\[([^\[\]]*)\]")
OPENERS = (
    "On this occasion, ",
    "Again, ",
    "Notably, ",
    "As before, ",
    "By contrast, ",
    "At the time, ",
    "Worryingly, ",
    "Encouragingly, ",
    "It is also recorded that ",
    "Separately, ",
)


def choose(phrasing: str, rng: random.Random) -> str:
    """Pick one option of every [a|b|c] in a phrasing."""
    return ALTERNATIVE.sub(lambda m: rng.choice(m.group(1).split("|")), phrasing)


def vary_fact(phrasing: str, slots: Slots, rng: random.Random, opener: bool = True) -> str:
    """A fact in words of its own: options chosen, synonyms swapped, an opener or an aside."""
    text = slots.fill(vary(choose(phrasing, rng), rng), cap=False)
    text = aside(text, slots, rng)
    if opener and rng.random() < 0.25:
        text = rng.choice(OPENERS) + text
    return text


def aside(text: str, slots: Slots, rng: random.Random, rate: float = 0.35) -> str:
    """Sometimes hang a case-specific remark on a fact, as writers do."""
    if rng.random() >= rate:
        return text
    return text.rstrip(".") + slots.fill(rng.choice(ASIDES), cap=False)


def _sentence(text: str) -> str:
    text = text.strip()
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "?", "!", '"')) else text + "."


def home_visit(case: Case, child: Child, author: Worker, when: date, rng: random.Random) -> str:
    """A home-visit paragraph in the author's voice, naming 2-3 of the case's home details."""
    slots = slots_for(case, child, author, when, rng)
    picks = rng.sample(case.home_details, rng.randint(2, 3))
    details = [vary_fact(rng.choice(HOME[i]), slots, rng, opener=False) for i in picks]
    style = author.style
    out: list[str] = []
    if style == "first":
        out.append(
            slots.fill(
                rng.choice(
                    (
                        "I carried out an unannounced home visit on {when}.",
                        "I visited the family at home on {when}, by arrangement with {mum}.",
                        "On {when} I called at the house without an appointment.",
                    )
                )
            )
        )
        out.append(
            slots.fill(
                rng.choice(
                    (
                        "{mum} was in with {sib}; {partner} was not there.",
                        "{mum} answered the door after a few minutes and let me in.",
                        "Both {mum} and {partner} were at home and {child} was off school.",
                    )
                )
            )
        )
        leads = ("I saw that", "I noticed that", "When I went upstairs,", "I also noted that")
        out += [
            _sentence(f"{lead} {d}") for lead, d in zip(rng.sample(leads, 3), details, strict=False)
        ]
        out.append(
            slots.fill(
                rng.choice(
                    (
                        "I talked through my worries with {mum} before I left and we agreed I "
                        "would come back the following week.",
                        "Before leaving I explained what I had seen and why it worried me.",
                        "{mum} listened, but said she had heard it all before.",
                    )
                )
            )
        )
    elif style == "formal":
        out.append(
            slots.fill(
                rng.choice(
                    (
                        "The allocated social worker, {sw}, undertook an unannounced home visit "
                        "on {when}.",
                        "A planned home visit was completed by the social worker on {when}.",
                    )
                )
            )
        )
        out.append(
            slots.fill(
                rng.choice(
                    (
                        "{mum_full} and {child} were present for the duration of the visit.",
                        "Present at the home were {mum_full}, {child} and {sib}.",
                    )
                )
            )
        )
        formal = ("It was observed that", "The social worker noted that", "It was evident that")
        out += [
            _sentence(f"{lead} {d}")
            for lead, d in zip(rng.sample(formal, 3), details, strict=False)
        ]
        out.append(
            slots.fill(
                rng.choice(
                    (
                        "These observations were discussed with {mum_full}, who was advised that "
                        "they would be shared with the core group.",
                        "The concerns arising were explained to {mum_full} and recorded.",
                    )
                )
            )
        )
    elif style == "terse":
        out.append(slots.fill("Unannounced HV {when}. M at home with {sib}, {partner} not seen."))
        out.append("Obs: " + "; ".join(details) + ".")
        out.append(
            slots.fill(
                rng.choice(
                    (
                        "{child} seen alone in {his} room, chatty, no marks seen.",
                        "{child} quiet, would not speak to SW alone.",
                        "{child} at school, seen there after the visit.",
                    )
                )
            )
        )
        out.append(slots.fill(rng.choice(("Advice given re above.", "To discuss with TM."))))
    else:
        out.append(
            slots.fill(
                rng.choice(
                    (
                        "When I visited on {when}, the first thing that struck me was the "
                        "atmosphere in the house.",
                        "My visit on {when} left me with a mixed picture.",
                    )
                )
            )
        )
        out += [_sentence(d) for d in details]
        out.append(
            slots.fill(
                rng.choice(
                    (
                        "I was left wondering how {child} experiences a day in this home, and "
                        "whether {mum} can see it through {his} eyes.",
                        "What stays with me is how ordinary this seemed to {child}, which suggests "
                        "it is not new.",
                    )
                )
            )
        )
    return " ".join(out)


def child_voice(case: Case, child: Child, author: Worker, when: date, rng: random.Random) -> str:
    """What the child said, quoted, with the author's framing."""
    slots = slots_for(case, child, author, when, rng)
    quotes = [slots.fill(QUOTES[i]) for i in rng.sample(case.child_quotes, 2)]
    setting = choose(
        rng.choice(
            (
                "I spent time with {child} on {when} [at school|in the library at school|in the "
                "family room], using [three houses worksheets|the wizard and fairy tool|drawing]",
                "{child} ({age}) was seen alone in {his} [bedroom|garden|nan's kitchen] on {when}",
                "The social worker met {child} at {school} on {when} [during lunch|after "
                "registration|in the quiet room]",
                "{child} chose to talk in the car on the way back from [contact|the dentist|"
                "football] on {when}",
                "I took {child} for [a milkshake|a walk to the park|chips] on {when} so that we "
                "could talk away from the house",
            )
        ),
        rng,
    )
    return " ".join(
        [
            slots.fill(setting) + ".",
            slots.fill(rng.choice(("{He} told me: ", "{child} said ", "In {his} words: ")))
            + f'"{quotes[0]}."',
            slots.fill(rng.choice(("Later {he} added ", "When asked about home, {he} said ")))
            + f'"{quotes[1]}."',
            slots.fill(
                rng.choice(
                    (
                        "{child}'s wishes are that things at home calm down and that {he} can stay "
                        "with {his} family.",
                        "{child} did not want any of this shared with {mum}, and we agreed what "
                        "would be.",
                        "{He} drew {his} family and placed {partner} furthest away.",
                    )
                )
            ),
        ]
    )


def parent_view(case: Case, child: Child, author: Worker, when: date, rng: random.Random) -> str:
    """The parents' views, in the author's voice."""
    slots = slots_for(case, child, author, when, rng)
    views = [_sentence(vary_fact(VIEWS[i], slots, rng)) for i in rng.sample(case.parent_views, 2)]
    closing = rng.choice(
        (
            "{mum} signed the written agreement but said she did not agree with all of it.",
            "Both parents were given a copy of the minutes and told how to comment on them.",
            "{mum} said she would like more notice of visits in future.",
        )
    )
    return " ".join([*views, slots.fill(closing)])


def school_report(case: Case, child: Child, author: Worker, when: date, rng: random.Random) -> str:
    """A designated safeguarding lead's account: attendance figures and what staff saw."""
    slots = slots_for(case, child, author, when, rng)
    facts = [
        _sentence(vary_fact(SCHOOL[i], slots, rng)) for i in rng.sample(case.school_details, 3)
    ]
    opener = rng.choice(
        (
            "{child_full} is in Year {year} at {school}. {His} attendance this academic year is "
            "{att}% with {lates} late marks.",
            "{child} (Year {year}) has {att}% attendance so far this year and has been late "
            "{lates} times.",
            "Attendance for {child} currently stands at {att}%, with {lates} recorded lates.",
        )
    )
    return " ".join([slots.fill(opener), *facts])


def health_report(case: Case, child: Child, author: Worker, when: date, rng: random.Random) -> str:
    """A school nurse's or health visitor's account of the child's health."""
    slots = slots_for(case, child, author, when, rng)
    facts = [
        _sentence(vary_fact(HEALTH[i], slots, rng)) for i in rng.sample(case.health_details, 3)
    ]
    opener = rng.choice(
        (
            "{child} ({dob}) is registered with the Millbeck Surgery in {town}.",
            "Health records for {child}, born {dob}, were reviewed by {nurse} on {when}.",
            "I have reviewed {child}'s health records and spoken to the GP practice.",
        )
    )
    return " ".join([slots.fill(opener), *facts])


def incident(case: Case, child: Child, author: Worker, when: date, rng: random.Random) -> str:
    """A police-style account of the incident that brought the family to attention."""
    slots = slots_for(case, child, author, when, rng)
    theme = case.themes[0]
    eldest = case.eldest
    if theme == "criminal exploitation" and age_on(eldest.dob, when) >= 12:
        slots = slots_for(case, eldest, author, when, rng)
        offence = rng.choice(CHILD_OFFENCES)
        body = (
            "At {time} on {date} {child} ({age}) was stopped by officers on the footpath behind "
            "the {town} bus station in the company of two older males. {He} was found with "
            + rng.choice(("a large sum of cash and a second phone", "a knife and 14 wraps"))
            + ", and was arrested for "
            + offence
            + ". {He} gave no account in interview and was released under investigation to "
            "{gran_full}."
        )
    elif theme in ("domestic abuse", "criminal exploitation"):
        body = " ".join(
            rng.choice(options)
            for options in (
                (
                    "At {time} on {date} police were called by a neighbour at {address} who "
                    "reported a woman screaming.",
                    "A neighbour rang 999 at {time} on {date} to say there was screaming and "
                    "glass breaking at {address}.",
                    "Police received an abandoned 999 call from {mum_full}'s phone at {time} on "
                    "{date}.",
                ),
                (
                    "Officers found {mum_full} with swelling to her cheek; she said {partner_full} "
                    "had pushed her into the door frame during an argument about money.",
                    "On arrival {mum_full} had a cut lip and told officers that {partner_full} had "
                    "grabbed her by the throat after accusing her of seeing someone else.",
                    "{mum_full} would not open the door at first and, when she did, officers saw "
                    "a red mark on her neck; she would not say how it happened.",
                ),
                (
                    "{child} and {sib} were upstairs and {child} told officers {he} had heard "
                    "banging.",
                    "{child} was found hiding in the bathroom with {sib} and said {he} had been "
                    "there since the shouting started.",
                    "The children were said to be asleep, but {child} came down the stairs in "
                    "tears while officers were in the kitchen.",
                ),
                (
                    "{partner} was arrested the next morning for {offence}.",
                    "{partner_full} had left before officers arrived; he was circulated as wanted "
                    "for {offence} and arrested two days later.",
                    "{partner} was arrested at the scene for {offence} and later bailed with "
                    "conditions not to contact {mum}.",
                ),
            )
        )
    else:
        body = " ".join(
            rng.choice(options)
            for options in (
                (
                    "On {date} at about {time} officers attended {address} after a call about a "
                    "disturbance.",
                    "Police were sent to {address} at {time} on {date} following reports of a man "
                    "kicking the front door.",
                ),
                (
                    "{partner_full} was found in the street shouting at the house and was arrested "
                    "for {offence}.",
                    "{partner_full} was detained nearby and arrested on suspicion of {offence}.",
                ),
                (
                    "{mum_full} was said to be under the influence of {substance}.",
                    "Officers recorded that {mum_full} appeared intoxicated and admitted taking "
                    "{substance} earlier that evening.",
                ),
                (
                    "{child} was awake and was seen by officers, who noted that {he} appeared "
                    "frightened and was not dressed for the cold.",
                    "{child} was still up, watching television in a room with no heating, and "
                    "told officers {he} was used to it.",
                    "Both children were in bed; officers checked on them and saw no injuries.",
                ),
            )
        )
    tail = rng.choice(
        (
            "A DASH risk assessment was completed and graded medium.",
            "The incident was graded high risk and referred to MARAC.",
            "A PPN was submitted and shared with children's social care the same day.",
        )
    )
    return slots.fill(vary(body, rng, 0.3)) + " " + tail


def analysis(case: Case, child: Child, author: Worker, when: date, rng: random.Random) -> str:
    """The author's analysis: worries set against strengths, in their voice."""
    slots = slots_for(case, child, author, when, rng)
    strengths = [
        vary_fact(STRENGTHS[i], slots, rng, opener=False) for i in rng.sample(case.strengths, 2)
    ]
    themes = ", ".join(case.themes[:2])
    if author.style in ("first", "reflective"):
        head = (
            f"In my view the main worries for {child.person.first} are {themes}, and how these "
            f"leave {slots.values['him']} carrying adult worries."
        )
    elif author.style == "terse":
        head = f"Analysis: risks = {themes}; impact on {child.person.first} as above."
    else:
        head = (
            f"The assessment identifies {themes} as the principal risk factors for "
            f"{child.person.first}."
        )
    mid = rng.choice(
        (
            "Against this, {s0}, and {s1}.",
            "There are real strengths: {s0}; {s1}.",
            "It is also true that {s0} and that {s1}.",
        )
    ).format(s0=strengths[0], s1=strengths[1])
    end = slots.fill(
        rng.choice(
            (
                "The question is whether these changes can be sustained without the plan in place.",
                "On balance {child} continues to be at risk of significant harm through "
                "{category}.",
                "Progress is fragile and relies heavily on {gran}.",
            )
        )
    )
    return " ".join([head, _sentence(mid), end])


CHILD_OFFENCES = (
    "possession with intent to supply a class A drug",
    "possession of a bladed article",
    "robbery of a mobile phone",
)

NARRATIVES = {
    "home_visit": home_visit,
    "child_voice": child_voice,
    "parent_view": parent_view,
    "school": school_report,
    "health": health_report,
    "incident": incident,
    "analysis": analysis,
}
