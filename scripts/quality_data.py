"""A labelled synthetic document store for the quality benchmark (bench_quality.py).

Everything here is fictional: names are random pairs from small first-name and
surname lists, the towns, streets, schools and surgeries do not exist.

The store imitates a children's trust: many cases, a handful of records each
(referral, strategy meeting, plan, core group minutes ...). Records are heavy
with shared text on purpose, because that is what makes the real problem hard:
- standard paragraphs copied into most records word for word;
- template sentences with each case's details ("Mia was seen alone by the
  social worker on 3 March 2026");
- narrative sentences built from a pool of event frames, so different cases
  share formulaic phrasing but not details.
A case's narrative paragraphs recur across its own records (same-case reuse).

Outgoing documents are written for a receiving case in that case's style. Each
planted document holds ONE passage copied from another case's record, disguised
by one edit type, and records the character spans of the copy. Clean documents
hold no cross-case text at all.

    dataset = generate(seed=7, cases=60, records_per_case=8, per_edit=40, clean_docs=120)
    write_store(dataset, Path("store"))
"""

from __future__ import annotations

import csv
import random
import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

MANIFEST_COLUMNS = ("path", "case_id", "record_id", "kind", "date", "title")
EDIT_TYPES = (
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
# Beyond the list, planted after its documents from a generator of their own,
# so the documents above stay the same for a seed: one sentence of 12-24 words that
# names someone of the source family (the incident this project exists for).
EXTRA_EDIT_TYPES = ("sentence",)
ALL_EDIT_TYPES = EDIT_TYPES + EXTRA_EDIT_TYPES

# --- fictional people and places --------------------------------------------------------


def _split(text: str, sep: str = " ") -> tuple[str, ...]:
    return tuple(text.split(sep))


GIRLS = _split(
    "Mia Ruby Amelia Isla Freya Poppy Ellie Lily Evie Maisie Darcie Skye Leah Nadia Zara Esme"
    " Rosie Tilly Aisha Hollie Kacey Lacey Mollie Summer"
)
BOYS = _split(
    "Noah Kayden Leo Alfie Harley Riley Tyler Mason Ethan Jayden Callum Kian Reece Bailey "
    "Lewis Owen Finley Logan Jake Corey Tomasz Dylan Rhys Ashton"
)
WOMEN = _split(
    "Karen Donna Leanne Kelly Stacey Michelle Gemma Jodie Natalie Kirsty Claire Shannon Tanya"
    " Dawn Lorraine Amy Chantelle Hayley Vicky Joanne"
)
MEN = _split(
    "Dean Wayne Lee Craig Shane Darren Gary Jason Ryan Carl Scott Liam Jamie Kyle Stuart Paul"
    " Marcus Ashley Gavin Neil"
)
SURNAMES = _split(
    "Fenwick Ashdown Marsh Okafor Brannigan Hollis Pryce Kettering Dunmore Catterall Whitlock"
    " Rowntree Tebbutt Ellery Garside Haworth Mottram Pilling Ackroyd Birtwistle Crowther "
    "Duckworth Entwistle Greenhalgh Holroyd Lumb Nuttall Ormerod Rishworth Sutcliffe Thwaite "
    "Uttley Wadsworth Yeadon Barraclough Clegg Dobson Fawcett Gledhill Hirst"
)
PROFESSIONALS = _split(
    "Sandra Holloway|Martin Ekwueme|Fiona Garside|Lucy Brannigan|Dev Chauhan|Carol Whitby|"
    "Priya Nandra|Tom Aspinall|Grace Oduya|Helen Cardew|Imran Sadiq|Beth Lowery",
    "|",
)
TOWNS = _split(
    "Harrowfield|Eastbrook|Mardle Vale|Cobb's Cross|Wendlebury|Skelwith Bridge|Northam Tye|"
    "Ravensholme",
    "|",
)
STREETS = _split(
    "Linnet Close|Tanner's Row|Sparrow Walk|Millstone Lane|Kiln Street|Orchard Rise|"
    "Beacon Terrace|Heron Court|Quarry Road|Wharf Street|Chapel Fold|Larkspur Way|"
    "Foundry Yard|Bracken Avenue|Weaver's Green|Copse Lane",
    "|",
)
SCHOOLS = _split(
    "St Aldric's Primary School|Kestrel Academy|Mardle Vale Primary School|"
    "Eastbrook High School|Harrowfield Community College|Wendlebury Infant School|"
    "Holy Cross Junior School|Ravensholme Academy",
    "|",
)
SURGERIES = _split(
    "Millbrook Surgery|Canal Street Medical Centre|Eastbrook Health Centre|"
    "The Beacon Practice|Northam Tye Surgery",
    "|",
)
VENUES = _split(
    "Harrowfield Civic Centre|the Eastbrook family hub|the Ravensholme children's centre|"
    "the school's meeting room|Wendlebury Library",
    "|",
)
MONTHS = _split(
    "January February March April May June July August September October November December"
)
WEEKDAYS = _split("Monday Tuesday Wednesday Thursday Friday Saturday Sunday")

KINDS = {
    "referral": "MASH referral record",
    "strategy_meeting": "Strategy meeting minutes",
    "child_protection_plan": "Child protection plan",
    "core_group_minutes": "Core group meeting minutes",
    "assessment": "Child and family assessment",
    "police_notification": "Police child protection notification",
    "home_visit": "Case note: home visit",
    "review_conference": "Review child protection conference minutes",
}
OUTGOING_KINDS = (
    "Report to the review child protection conference",
    "Letter to parents following the core group meeting",
    "Statement of the social worker for the family court",
    "Summary of the child's plan for the family",
)

# --- standard paragraphs: word for word in most records ----------------------------------

STANDARD = (
    "This document is confidential and must not be shared outside the agencies named in the "
    "distribution list without the written agreement of Harrowfield Children's Services. It "
    "contains sensitive personal information about children and their families and must be "
    "stored securely in line with your agency's information governance policy.",
    "Information in this record has been shared under the UK General Data Protection "
    "Regulation and the Data Protection Act 2018 for the purpose of safeguarding children. "
    "Agencies must not pass it on to any third party and must tell the author at once if "
    "they believe any part of it is inaccurate.",
    "The purpose of a strategy discussion is to share information, decide whether the "
    "threshold for enquiries under section 47 of the Children Act 1989 is met, and agree "
    "who will do what and by when, in line with Working Together to Safeguard Children 2023.",
    "The views and wishes of the child have been sought in a way that is appropriate to "
    "their age and understanding, and are recorded in their own words wherever possible. "
    "Where the child was too young to give a view, professionals have recorded what they "
    "observed of the child's presentation and relationships.",
    "If any agency disagrees with a decision recorded here, the escalation policy of the "
    "Harrowfield Safeguarding Children Partnership should be followed. Disagreements should "
    "first be raised with the chair, and then with the service manager, within five "
    "working days.",
    "Copies of these minutes will be sent to all attendees and to those who gave their "
    "apologies. Parents will receive a copy of the decisions and the plan, with any "
    "third-party information removed, within ten working days of the meeting.",
    "Parents were advised that they may seek independent legal advice and that an "
    "advocate can be provided to support them at meetings. Interpreters are available on "
    "request, and written information can be provided in other languages and formats.",
    "The plan will be reviewed at the next review child protection conference. The core "
    "group will meet at least every six weeks, and the lead social worker will see the "
    "child at least every ten working days, including seeing the child alone.",
)

# --- template sentences: same wording, each case's details -------------------------------

TEMPLATE_SENTENCES = (
    "{child} was seen alone by the social worker on {date1} at the family home.",
    "{child} was seen with {his} {sib_rel} {sibling} at {address} on {date2}.",
    "The home conditions were observed to be {home_state} at the time of the visit.",
    "{mother} confirmed that {child} is registered with {gp} and that {his} immunisations "
    "are up to date.",
    "{child} attends {school}, where {his} attendance this term is {attendance} per cent.",
    "The designated safeguarding lead at {school}, {dsl}, contributed a written report.",
    "{officer} of the Harrowfield Constabulary Public Protection Unit confirmed that police "
    "checks had been completed on {date3}.",
    "The next core group meeting will take place on {date4} at {venue}.",
    "It was agreed that {child} remains subject to a child protection plan under the "
    "category of {category}.",
    "{mother} was informed of the outcome of the meeting by telephone on {date2}.",
    "A referral was received from {referrer} on {date1} at {time}.",
    "The social worker, {sw}, will visit the family at least every ten working days.",
    "The health visitor, {hv}, reported that {child}'s growth and development are {development}.",
    "{mother} and {father} were invited to the meeting and {attended}.",
    "{child} was spoken to at school on {date3} in the presence of {dsl}.",
    "No further incidents have been reported to the police since {date2}.",
)
ACTIONS = (
    "{sw} to complete the child and family assessment by {date4}.",
    "{school} to monitor {child}'s attendance and share weekly figures with the social worker.",
    "{hv} to visit the family within fourteen days and review {sibling}'s development.",
    "{mother} to attend all appointments offered by {service}.",
    "{officer} to update the core group on the outcome of the police investigation.",
    "{sw} to arrange a family network meeting with {relative} before {date4}.",
)

# --- narrative frames: formulaic phrasing, details differ per case ----------------------

EVENTS = (
    "On {weekday} {date1} {child} arrived at school with {injury} to {his} {body_part}, and "
    "when {teacher} asked about it {he} said that {adult} had {hurt_action} {him} because {he} "
    "would not {chore}.",
    "{child} told {his} {trusted} on {anydate} that there is often no food in the house at "
    "the weekend and that {he} {hunger_detail}.",
    "Neighbours in {street} rang the police at {time} after hearing {noise}; officers found "
    "{mother} with {mother_injury} and {child} hiding {hiding_place}.",
    "{mother} disclosed that {partner} {controlling}, and that she has not been allowed to "
    "{restriction} since {month}.",
    "{child} has missed {num} sessions at {school} this term and {his} {relative_role} says "
    "that {he} {absence_reason}.",
    "During the visit on {anydate} the social worker noted {home_detail} and {home_detail2}; "
    "{mother} said that {excuse}.",
    "{child} was found by {finder} {found_place} at {time} wearing only {clothing}, and {he} "
    "could not say where {mother} was.",
    "{partner} was arrested on {date2} on suspicion of {offence} and has been released on bail "
    "with conditions not to contact {mother} or attend {address}.",
    "{child} has told {his} youth worker that a man who calls himself {alias} {grooming_act} "
    "and has asked {him} to meet him at {meet_place}.",
    "{mother} has asked for help with her use of {substance} and agreed to attend {service}; "
    "she has attended {small} of the first {small2} appointments.",
    "On {anydate} the {health_prof} found that {child} had {health_issue} that had not been "
    "treated for {duration}, and {mother} had missed {small} hospital appointments.",
    "When the plan was discussed with {anyfull} on {anydate}, {child} became very upset and "
    "said that {he} {child_wish}.",
    "{father} has had no contact with {child} since {year} but rang the duty team on {date3} "
    "asking to {father_request}.",
    "{child} said that when {partner} is angry he {anger_behaviour}, and that {he} goes to "
    "{refuge} until it is quiet again, sometimes for {n} hours.",
    "Police attended {address} {small} times between {month} and {month2} after reports of "
    "{incident_type}; on the last occasion {incident_detail}.",
    "A packet of {medication} belonging to {partner} was found within reach of {sibling}, "
    "aged {sib_age}, who was taken to {hospital} as a precaution.",
    "{relative} has offered to care for {child} and {sibling} at her home in {other_town}, "
    "and a viability assessment will be completed by {date4}.",
    "{child} told the school nurse, {anyfull}, that {he} has been {self_harm} and that {he} "
    "started doing this after {trigger}.",
    "The family are at risk of eviction from {address} because of rent arrears of {money} "
    "and {landlord_issue}.",
    "{child}'s {teacher_role} at {school}, {anyfull}, reports that {he} has become withdrawn "
    "since {season}, no longer {lost_activity}, and {school_behaviour}.",
    "{mother} told the health visitor that she feels {mood} most days and has {mh_detail}; "
    "her GP at {gp} has {gp_action}.",
    "{sibling}, aged {sib_age}, has been left to look after {child} overnight on at least "
    "{small} occasions while {mother} {absence_activity}.",
    "{child} was reported missing on {date2} and was found {small} days later at "
    "{missing_place} with {companions}.",
    "{item} was found in {child}'s school bag, and {he} said that {he} had been given it by "
    "{giver} in return for {favour}.",
    "{partner} has a previous conviction for {prior_offence} in {year}, which {mother} says "
    "she did not know about until {discovery}.",
    "{child} described {his} bedroom at {address} as {bedroom} and said that {he} {sleep_detail}.",
    "{mother} cancelled the planned visit on {date3}, saying that {cancel_reason}, and the "
    "family were not at home when the social worker called on {date4}.",
    "In a session with {anyfull} on {anydate} {child} drew a picture of {his} family in which "
    "{drawing}, and said that {drawing_said}.",
    'When asked about home {child} said: "{quote_a} {quote_b}"',
    "{child} told {his} {trusted} on {date3} that {quote_c}, and asked {him} not to tell {mother}.",
    "At the {venue_event} on {date2} {child} {presentation}, and {teacher} noticed that {he} "
    "{noticed}.",
)

# fmt: off
SLOTS: dict[str, tuple[str, ...]] = {
    "injury": ('{size} bruise', '{size} burn', '{size} cut', '{size} graze', '{size} red mark',
        'swelling and {size} bruise', 'scratches and {size} bruise', '{size} scald'),
    "size": ('a small', 'a large', 'a circular', 'a linear', 'a faint', 'a dark', 'an old',
        'a fresh', 'a yellowing', 'a raised', 'a two-inch', 'a thumb-sized'),
    "body_part": ('{side} upper arm', '{side} cheek', '{side} forearm', '{side} ear',
        '{side} wrist', '{side} shin', '{side} shoulder', '{side} thigh', 'back of the neck',
        'lower back', '{side} hand', '{side} eye', 'chest', 'stomach'),
    "side": ('left', 'right'),
    "hurt_action": ('grabbed', 'pushed', 'slapped', 'kicked', 'pinched', 'shaken', 'hit',
        'dragged'),
    "chore": ('tidy the bedroom', 'go to bed', 'turn off the console', 'eat the tea',
        'stop crying', 'hand over the phone', 'get in the car', 'say sorry'),
    "trusted": ('class teacher', 'football coach', 'dinner lady', 'learning mentor',
        "best friend's mum", 'school nurse'),
    "hunger_detail": ("goes to {anyname}'s house to be fed",
        "takes food from {anyname}'s lunchbox", 'eats cereal without milk for tea',
        'takes bread from the breakfast club', "goes to a friend's house to be fed",
        'has only crisps until Monday', 'shares a tin of beans with the younger children'),
    "noise": ('shouting and a child screaming', 'glass breaking', 'a woman crying for help',
        'banging on a bedroom door', 'a long argument and a door slammed'),
    "mother_injury": ('a cut lip', 'bruising to her face', 'a swollen eye', 'marks on her neck',
        'a bleeding nose'),
    "hiding_place": ('under the stairs', 'in the bath', 'behind the sofa',
        'in a wardrobe upstairs', 'in the garden shed'),
    "controlling": ('checks her phone every evening', 'keeps her bank card',
        'tracks her car with an app', 'will not let her see her sister',
        'decides what she may wear'),
    "restriction": ('see her friends', 'go to work', "take the children to her mother's",
        'use her own phone', 'attend the gym'),
    "absence_reason": ('stays at home to care for a younger brother',
        'has stomach aches every Monday', 'will not get out of bed',
        'is frightened of older pupils on the bus', 'was taken on holiday in term time'),
    "relative_role": ('grandmother', 'uncle', 'aunt', 'older sister', 'stepfather'),
    "home_detail": ('dog mess on the kitchen floor', 'no working heating',
        "a mattress on the floor of the children's room", 'empty cans of cider by the sofa',
        'no food in the fridge', 'a strong smell of cannabis', 'broken glass in the back garden'),
    "home_detail2": ('a hole punched in the living room door', 'no bedding on the cot',
        'piles of unwashed clothes on the landing', 'a padlock on the fridge',
        'exposed wiring in the bathroom', 'nappies that had not been changed'),
    "excuse": ('the landlord had not fixed anything', 'she had been unwell for a week',
        'the children had made the mess that morning', 'she was about to clean up',
        'her partner was supposed to sort it out'),
    "finder": ('a bus driver', 'a shopkeeper', 'two neighbours', 'a dog walker',
        'a community police officer'),
    "found_place": ('outside {house}', 'at the bus stop on {anystreet}', 'near the canal',
        'outside the off-licence on Kiln Street', 'on the retail park', 'by the railway bridge',
        'in the underpass'),
    "clothing": ('a nappy', 'pyjamas', 'a T-shirt and socks', 'a school jumper',
        'a vest and shorts'),
    "offence": ('assault occasioning actual bodily harm', 'coercive and controlling behaviour',
        'possession with intent to supply', 'criminal damage', 'harassment',
        'breach of a non-molestation order'),
    "alias": ('Tee', 'Big Jay', 'Ricco', 'Spencer', 'Kaz', 'Milo'),
    "grooming_act": ('sends messages on a gaming platform', 'buys vapes and takeaways',
        'offered a new phone', 'gives lifts from the park', 'has sent money to a bank card'),
    "meet_place": ('{house}', 'the {anysurname} Arms on {anystreet}', 'the retail park',
        'a flat above the takeaway', 'the car wash on Wharf Street', 'the station car park',
        'a hotel in Eastbrook'),
    "substance": ('alcohol', 'crack cocaine', 'cannabis', 'prescribed painkillers', 'heroin'),
    "service": ('the community alcohol service', 'the Harrowfield recovery hub',
        'the perinatal mental health team', 'a domestic abuse programme',
        'parenting classes at the family hub'),
    "health_prof": ('dentist', 'community paediatrician', 'optician', 'school nurse',
        'hospital consultant'),
    "health_issue": ('six decayed teeth', 'a chest infection', 'head lice and sores',
        'an untreated ear infection', 'eczema that had become infected', 'poor eyesight'),
    "duration": ('several months', 'at least six weeks', 'over a year', 'the whole summer'),
    "child_wish": ('wants to live with {his} nan', 'does not want {partner} at home any more',
        'misses {his} dad', 'wants to stay at the same school', 'is scared of going home',
        'wants {his} mum to stop drinking'),
    "father_request": ('have the children for Christmas', 'see the children at a contact centre',
        'be assessed as a carer', 'know why the police had been called'),
    "anger_behaviour": ('throws things at the wall', 'locks the front door and hides the keys',
        'shouts until the neighbours bang on the wall', 'punches the kitchen cupboards',
        'drives off in the car and comes back drunk'),
    "refuge": ('the bathroom', "a friend's house two doors down", 'the park', '{his} bedroom',
        'the garden'),
    "incident_type": ('domestic abuse', 'children left alone', 'noise and fighting',
        'a man trying to force the door', 'drug dealing from the address'),
    "incident_detail": ('{anyfull} was arrested', 'a car was set alight on {anystreet}',
        'a window was smashed', 'a knife was seized', 'the children were taken to a neighbour',
        'an ambulance was called', 'nobody answered the door'),
    "medication": ('{n} tramadol tablets', '{n} sleeping tablets', 'methadone',
        'sleeping tablets', 'antidepressants', 'paracetamol', 'diazepam'),
    "hospital": ('Harrowfield General Hospital', 'Eastbrook Royal Infirmary',
        "the children's ward at Mardle Vale"),
    "self_harm": ('cutting {his} arms', 'scratching {his} legs', 'not eating at school',
        'hitting {his} head against walls'),
    "trigger": ('{anyname} was excluded', 'the fire at {house}', '{partner} moved in',
        'a fight at school', '{his} grandad died', 'photos of {him} were shared online',
        'the move to {street}'),
    "landlord_issue": ('complaints from neighbours about noise', 'damage to the front door',
        'a dog kept against the tenancy', 'a broken boiler left unreported'),
    "teacher_role": ('form tutor', 'class teacher', 'head of year', 'special needs co-ordinator'),
    "season": ('the Easter holidays', 'Christmas', 'the start of Year 6', 'the summer',
        'the spring half term'),
    "lost_activity": ('goes to football club', 'plays with friends at break',
        'takes part in drama', 'reads with the teaching assistant'),
    "school_behaviour": ('has twice been found asleep in lessons',
        'has started hiding food in {his} bag', 'flinches when adults raise their voices',
        'has been in three fights this month'),
    "mood": ('low', 'exhausted', 'on edge', 'hopeless', 'numb'),
    "mh_detail": ('stopped taking her antidepressants', 'panic attacks on the school run',
        'not left the flat for two weeks', 'thoughts of harming herself'),
    "gp_action": ('referred her for counselling', 'increased her medication',
        'asked the crisis team to call her', 'offered weekly appointments'),
    "absence_activity": ('works night shifts at the depot', "stays at her boyfriend's flat",
        'goes out drinking in Eastbrook', 'visits a relative in prison'),
    "missing_place": ('{house}', 'a flat on {anystreet}', 'a flat in Eastbrook',
        'a tent by the river', 'an address in Ravensholme', "a friend's caravan",
        'a hostel in the city centre'),
    "companions": ('{anyfull}', 'a man called {anyname}', '{cash} in cash', 'two adult men',
        'an older girl from school', 'a boy known to the police', 'no phone and no money',
        'a new mobile phone'),
    "item": ('{cash} in cash', 'A phone with {anyname} saved as {alias}', 'A wrap of cannabis',
        'Two hundred pounds in cash', 'A second mobile phone', 'A knife',
        'A bank card in another name'),
    "giver": ('an older boy called {anyname}', '{anyfull}', '{anyname} from the estate',
        'an older boy', 'a man called {alias}', 'a cousin', 'someone at the park'),
    "favour": ('taking a bag to {house}', 'carrying a parcel to Eastbrook', 'keeping quiet',
        'holding a bag overnight', 'delivering packages after school'),
    "prior_offence": ('assault', 'arson', 'supplying drugs', 'burglary', 'affray',
        'a sexual offence'),
    "discovery": ('the police told her', 'she saw a newspaper article',
        'a friend showed her a post online', 'the probation service wrote to her'),
    "bedroom": ('cold and dark', 'shared with three cousins', 'full of broken toys',
        'the only safe place in the house', 'without a proper bed'),
    "sleep_detail": ('sleeps in {his} school uniform', 'often goes to bed at midnight',
        'wakes up when the shouting starts', 'sleeps with the light on',
        'shares a mattress with {sibling}'),
    "cancel_reason": ('the children had chickenpox', 'she had a hospital appointment',
        'her car had broken down', 'she did not feel up to it'),
    "drawing": ('{anyname} from next door is holding a knife',
        '{partner} is much bigger than everyone else', '{he} stands outside the house',
        'there is a black cloud over the flat', '{his} dad is crossed out'),
    "drawing_said": ('the cloud is when people shout', '{he} would like a lock on {his} door',
        '{his} dad lives too far away', 'everyone is sad in the picture'),
    "home_state": ('adequate', 'cluttered but safe', 'poor', 'clean and tidy', 'very poor'),
    "category": ('neglect', 'physical abuse', 'emotional abuse', 'sexual abuse'),
    "development": ('within the expected range', 'slightly delayed', 'a cause for concern',
        'being monitored'),
    "attended": ('both attended', 'only the mother attended', 'neither attended',
        'the father joined by telephone'),
    "referrer": ('the school', 'the police', 'the health visitor', 'a neighbour',
        'the ambulance service', "the child's grandmother"),
    "quote_a": ('Mum cries at night.', 'I hate Sundays.', 'Nobody listens to me.',
        'The shouting is the worst bit.', 'I keep my shoes on in bed.',
        'Dad says it is a secret.', 'I am not allowed in the kitchen.',
        'My tummy hurts when he comes home.', 'I look after the baby.',
        'We hide when the door goes.', 'I like school more than home.',
        'Nan makes the best chips.'),
    "quote_b": ('I want it to stop.', 'Please do not tell him.', 'It is my fault really.',
        'I just want my own room.', 'Can I stay here tonight?', 'He said he would kill the dog.',
        'Mum said not to say anything.', 'I wish we lived with Nan.', 'I am scared of the dark.',
        'Sometimes there is no tea.', 'I count to a hundred.', 'The police came again.'),
    "quote_c": ('{partner} had locked {him} in the bathroom for the night',
        'there were needles under the sofa', 'the baby had fallen off the bed again',
        '{mother} had not come home until the morning', 'a man had been sleeping in the van',
        '{he} had been told to lie to the social worker', '{his} phone had been taken away',
        'the dog had bitten {sibling}', 'people come to the flat late at night to buy things',
        '{he} had not eaten since breakfast the day before'),
    "venue_event": ('school disco', 'Christmas play', 'sports day', 'parents evening',
        'swimming lesson', 'class trip to the farm', 'after-school club', 'harvest assembly'),
    "presentation": ('arrived without a coat in the rain', 'was collected by an unknown man',
        'was the last child to be collected', 'cried when {mother} arrived',
        'refused to change for PE', 'fell asleep on the coach', 'smelled strongly of smoke',
        'ate three portions of lunch'),
    "noticed": ('had bite marks on {his} hand', 'was wearing the same clothes as on Monday',
        'flinched when touched on the arm', 'had cut {his} own hair',
        'was limping on {his} left leg', 'had sores around {his} mouth',
        'had not brought {his} glasses for a month', 'was very thin'),
}
WORDS_FOR_EDITS = (
    'also', 'then', 'very', 'reportedly', 'later', 'again', 'clearly', 'family', 'home', 'worker',
    'school', 'often', 'said', 'noted', 'still', 'further', 'concern', 'visit', 'mother', 'child',
    'recently', 'apparently', 'quite', 'only', 'usually',
)
ZERO_WIDTH = ("\u200b", "\u200c", "\u200d", "\u2060", "\u00ad", "\ufeff")
LOOKALIKES = {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "y": "у",
              "i": "і", "A": "Α", "E": "Ε", "O": "Ο", "T": "Τ", "H": "Η", "K": "Κ"}
PRONOUN_SWAP = {"he": "she", "she": "he", "his": "her", "her": "his", "him": "her",
                "himself": "herself", "herself": "himself"}
# fmt: on


# --- data model --------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One fictional family and the details its text is filled with."""

    case_id: str
    context: dict[str, str]
    names: tuple[str, ...]  # every personal name used in the case's text


@dataclass(frozen=True)
class StoreRecord:
    """A record file of the synthetic store."""

    record_id: str
    case_id: str
    kind: str
    date: str
    title: str
    path: str
    text: str
    narrative: tuple[str, ...]  # the case-specific paragraphs it holds, as in `text`


@dataclass(frozen=True)
class OutgoingDoc:
    """A document about to be sent; `spans` are the planted copy (empty when clean)."""

    doc_id: str
    case_id: str
    edit: str  # an ALL_EDIT_TYPES value, or "clean"
    text: str
    spans: tuple[tuple[int, int], ...]
    source_record_id: str
    source_case_id: str
    paragraphs: int
    planted_paragraphs: int
    # Character spans of the text around the copy, by kind (see NEGATIVE_KINDS).
    negatives: tuple[tuple[int, int, str], ...] = ()


@dataclass
class Dataset:
    records: list[StoreRecord] = field(default_factory=list)
    docs: list[OutgoingDoc] = field(default_factory=list)
    cases: dict[str, Case] = field(default_factory=dict)


# --- filling text ------------------------------------------------------------------------

_SLOT = re.compile(r"\{(\w+)\}")


def fill(template: str, context: dict[str, str], rng: random.Random) -> str:
    """Replace {slot}s from the case context, else from the slot pools (recursively)."""
    text = _fill_slots(template, context, rng)
    return text[0].upper() + text[1:]


DYNAMIC_SLOTS: dict[str, Callable[[random.Random], str]] = {
    "anyname": lambda rng: rng.choice(GIRLS + BOYS + WOMEN + MEN),
    "anysurname": lambda rng: rng.choice(SURNAMES),
    "anyfull": lambda rng: f"{rng.choice(WOMEN + MEN)} {rng.choice(SURNAMES)}",
    "anystreet": lambda rng: rng.choice(STREETS),
    "house": lambda rng: f"{rng.randrange(1, 200)} {rng.choice(STREETS)}",
    "anydate": lambda rng: _date(date(2025, 1, 1) + timedelta(days=rng.randrange(600))),
    "cash": lambda rng: f"£{rng.randrange(20, 900)}",
    "n": lambda rng: str(rng.randrange(2, 12)),
    "time": lambda rng: f"{rng.randrange(1, 13)}.{rng.randrange(60):02d}{rng.choice(('am', 'pm'))}",
}


def _fill_slots(template: str, context: dict[str, str], rng: random.Random) -> str:
    def one(found: re.Match[str]) -> str:
        name = found.group(1)
        if name in context:
            return context[name]
        if name in DYNAMIC_SLOTS:
            return DYNAMIC_SLOTS[name](rng)
        return _fill_slots(rng.choice(SLOTS[name]), context, rng)

    return _SLOT.sub(one, template)


def _date(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _make_case(number: int, rng: random.Random) -> Case:
    girl = rng.random() < 0.5
    child_first = rng.choice(GIRLS if girl else BOYS)
    surname = rng.choice(SURNAMES)
    sibling_girl = rng.random() < 0.5
    sibling = rng.choice([n for n in (GIRLS if sibling_girl else BOYS) if n != child_first])
    mother = f"{rng.choice(WOMEN)} {surname}"
    father = f"{rng.choice(MEN)} {rng.choice(SURNAMES)}"
    partner = f"{rng.choice(MEN)} {rng.choice(SURNAMES)}"
    relative = f"{rng.choice(WOMEN)} {rng.choice(SURNAMES)}"
    teacher = f"{rng.choice(('Mrs', 'Miss', 'Mr'))} {rng.choice(SURNAMES)}"
    start = date(2025, 1, 6) + timedelta(days=rng.randrange(400))
    dates = {f"date{i}": _date(start + timedelta(days=rng.randrange(10, 200))) for i in range(5)}
    town = rng.choice(TOWNS)
    street = rng.choice(STREETS)
    context = {
        "child": child_first,
        "child_full": f"{child_first} {surname}",
        "sibling": sibling,
        "sib_rel": "sister" if sibling_girl else "brother",
        "sib_age": str(rng.randrange(2, 17)),
        "mother": mother,
        "father": father,
        "partner": partner,
        "relative": relative,
        "teacher": teacher,
        "adult": rng.choice((partner, mother, father)),
        "he": "she" if girl else "he",
        "his": "her" if girl else "his",
        "him": "her" if girl else "him",
        "dob": _date(date(2009, 1, 1) + timedelta(days=rng.randrange(5000))),
        "address": f"{rng.randrange(2, 140)} {street}, {town}",
        "street": street,
        "other_town": rng.choice([t for t in TOWNS if t != town]),
        "school": rng.choice(SCHOOLS),
        "gp": rng.choice(SURGERIES),
        "venue": rng.choice(VENUES),
        "sw": rng.choice(PROFESSIONALS),
        "hv": rng.choice(PROFESSIONALS),
        "dsl": rng.choice(PROFESSIONALS),
        "officer": f"PC {rng.choice(MEN + WOMEN)} {rng.choice(SURNAMES)}",
        "attendance": str(rng.randrange(48, 97)),
        "num": str(rng.randrange(6, 40)),
        "small": rng.choice(("two", "three", "four", "five")),
        "small2": rng.choice(("six", "eight", "ten")),
        "year": str(rng.randrange(2016, 2024)),
        "money": f"£{rng.randrange(4, 60) * 100:,}",
        "month": rng.choice(MONTHS),
        "month2": rng.choice(MONTHS),
        "weekday": rng.choice(WEEKDAYS[:5]),
        **dates,
    }
    names = {child_first, sibling, surname, teacher.split()[1]}
    for full in (mother, father, partner, relative):
        names.update(full.split())
    # Longest first (so "Lee" never replaces inside "Leeanne"); ties by name, not set order.
    ordered = tuple(sorted(names, key=lambda name: (-len(name), name)))
    return Case(f"HC-{26000 + number * 7}", context, ordered)


def _wrap(paragraph: str, width: int = 78) -> str:
    return textwrap.fill(paragraph, width=width, break_on_hyphens=False)


def _narrative_paragraph(case: Case, rng: random.Random, events: int) -> str:
    chosen = rng.sample(EVENTS, events)
    return " ".join(fill(event, case.context, rng) for event in chosen)


def _template_paragraph(case: Case, rng: random.Random, sentences: int) -> str:
    chosen = rng.sample(TEMPLATE_SENTENCES, sentences)
    return " ".join(fill(sentence, case.context, rng) for sentence in chosen)


def _actions(case: Case, rng: random.Random) -> str:
    lines = [f"- {fill(action, case.context, rng)}" for action in rng.sample(ACTIONS, 3)]
    return "Actions agreed:\n" + "\n".join(lines)


def _header(case: Case, title: str, when: str) -> str:
    c = case.context
    return (
        f"HARROWFIELD CHILDREN'S SERVICES\n{title}\nCase reference: {case.case_id}\n"
        f"Child: {c['child_full']} (date of birth {c['dob']})\nAddress: {c['address']}\n"
        f"Date: {when}\nAuthor: {c['sw']}, Social Worker"
    )


def _make_records(case: Case, count: int, rng: random.Random) -> list[StoreRecord]:
    """A case's records; its narrative paragraphs recur across them (same-case reuse)."""
    own_narrative = [_narrative_paragraph(case, rng, rng.randrange(3, 6)) for _ in range(6)]
    kinds = list(KINDS)
    rng.shuffle(kinds)
    day = date(2025, 3, 1) + timedelta(days=rng.randrange(300))
    records = []
    for number in range(count):
        kind = kinds[number % len(kinds)]
        day += timedelta(days=rng.randrange(5, 40))
        narrative = rng.sample(own_narrative, rng.randrange(2, 4))
        blocks = [_header(case, KINDS[kind], _date(day))]
        blocks += [s for s in STANDARD[:2] if rng.random() < 0.9]
        blocks.append(_template_paragraph(case, rng, rng.randrange(3, 6)))
        blocks += narrative
        blocks.append(_template_paragraph(case, rng, rng.randrange(2, 5)))
        blocks += rng.sample(STANDARD[2:], rng.randrange(1, 4))
        blocks.append(_actions(case, rng))
        wrapped = [b if b.startswith(("HARROWFIELD", "Actions")) else _wrap(b) for b in blocks]
        record_id = f"{case.case_id}-{number + 1:02d}"
        records.append(
            StoreRecord(
                record_id=record_id,
                case_id=case.case_id,
                kind=kind,
                date=day.isoformat(),
                title=KINDS[kind],
                path=f"{case.case_id}/{record_id}-{kind}.txt",
                text="\n\n".join(wrapped) + "\n",
                narrative=tuple(_wrap(p) for p in narrative),
            )
        )
    return records


# --- edits: how a copied passage is disguised ----------------------------------------------

_SENTENCE_END = re.compile(r"(?<=[.;!?])\s+(?=[A-Z£])")


def _sentences(text: str) -> list[str]:
    return _SENTENCE_END.split(" ".join(text.split()))


def _edit_words(text: str, share: float, rng: random.Random) -> str:
    words = " ".join(text.split()).split(" ")
    for _ in range(max(1, round(share * len(words)))):
        position = rng.randrange(len(words))
        operation = rng.choice(("insert", "delete", "substitute"))
        if operation == "insert":
            words.insert(position, rng.choice(WORDS_FOR_EDITS))
        elif operation == "delete" and len(words) > 10:
            del words[position]
        else:
            words[position] = rng.choice(WORDS_FOR_EDITS)
    return " ".join(words)


def _punct_case(text: str, rng: random.Random) -> str:
    text = " ".join(text.split()).replace("'", "’").replace(" - ", " – ")
    text = re.sub(r",", lambda _: rng.choice((" ,", "", ";", " –")), text)
    text = re.sub(r"\.(?= )", lambda _: rng.choice((".", ";", " .", "!")), text)
    words = text.split(" ")
    for position in rng.sample(range(len(words)), len(words) // 4):
        words[position] = rng.choice((str.upper, str.lower, str.title))(words[position])
    return "“" + " ".join(words) + "”"


def _names_pronouns(text: str, case: Case, rng: random.Random) -> str:
    pool = [n for n in GIRLS + BOYS + WOMEN + MEN + SURNAMES if n not in case.names]
    mapping = {name: rng.choice(pool) for name in case.names}
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, case.names)) + r")\b")
    text = pattern.sub(lambda m: mapping[m.group(1)], " ".join(text.split()))

    def swap(found: re.Match[str]) -> str:
        word = found.group(0)
        replaced = PRONOUN_SWAP[word.lower()]
        return replaced.capitalize() if word[0].isupper() else replaced

    return re.sub(r"\b(?:[Hh]e|[Ss]he|[Hh]is|[Hh]er|[Hh]im|[Hh]imself|[Hh]erself)\b", swap, text)


def _invisible(text: str, rng: random.Random) -> str:
    out = []
    for word in " ".join(text.split()).split(" "):
        letters = list(word)
        for position, letter in enumerate(letters):
            if letter in LOOKALIKES and rng.random() < 0.3:
                letters[position] = LOOKALIKES[letter]
        if len(letters) > 3 and rng.random() < 0.4:
            letters.insert(rng.randrange(1, len(letters)), rng.choice(ZERO_WIDTH))
        out.append("".join(letters))
    return " ".join(out)


def _rewrap(text: str, rng: random.Random) -> str:
    flat = " ".join(text.split())
    return textwrap.fill(flat, width=rng.randrange(38, 66), break_on_hyphens=True)


def _reorder(text: str, rng: random.Random) -> str:
    sentences = _sentences(text)
    order = list(range(len(sentences)))
    while len(sentences) > 1 and order == sorted(order):
        rng.shuffle(order)
    return " ".join(sentences[i] for i in order)


def _partial(text: str, rng: random.Random) -> str:
    sentences = _sentences(text)
    total = sum(len(s.split()) for s in sentences)
    for _ in range(50):
        first = rng.randrange(len(sentences))
        last = rng.randrange(first, len(sentences))
        part = sentences[first : last + 1]
        words = sum(len(s.split()) for s in part)
        if 25 <= words <= 0.7 * total:
            return " ".join(part)
    return " ".join(" ".join(text.split()).split(" ")[: max(25, total // 2)])


def _short(text: str, rng: random.Random) -> str:
    words = " ".join(text.split()).split(" ")
    length = rng.randrange(25, 41)
    start = rng.randrange(0, max(1, len(words) - length))
    return " ".join(words[start : start + length])


def _named_sentence(text: str, case: Case, rng: random.Random) -> str:
    """One sentence of 12-24 words naming someone of the family; "" when none does."""
    named = [
        sentence
        for sentence in _sentences(text)
        if 12 <= len(sentence.split()) <= 24
        and any(re.search(rf"\b{re.escape(name)}\b", sentence) for name in case.names)
    ]
    return rng.choice(named) if named else ""


Edit = Callable[[str, Case, random.Random], str]
EDITS: dict[str, Edit] = {
    "verbatim": lambda text, case, rng: text,
    "rewrapped": lambda text, case, rng: _rewrap(text, rng),
    "punct_case": lambda text, case, rng: _punct_case(text, rng),
    "names_pronouns": _names_pronouns,
    "edit_5": lambda text, case, rng: _edit_words(text, 0.05, rng),
    "edit_10": lambda text, case, rng: _edit_words(text, 0.10, rng),
    "edit_20": lambda text, case, rng: _edit_words(text, 0.20, rng),
    "reordered": lambda text, case, rng: _reorder(text, rng),
    "partial": lambda text, case, rng: _partial(text, rng),
    "invisible": lambda text, case, rng: _invisible(text, rng),
    "split": lambda text, case, rng: " ".join(text.split()),
    "short": lambda text, case, rng: _short(text, rng),
    "sentence": _named_sentence,
}


# --- outgoing documents --------------------------------------------------------------------

# What the clean text of an outgoing document is made of: the negatives.
NEGATIVE_KINDS = {
    "standard": "standard paragraph found in most records",
    "template": "template sentences with the receiving case's details",
    "own_reuse": "paragraph reused from the receiving case's own records",
    "narrative": "new narrative in shared formulaic phrasing",
    "actions": "action list",
    "header": "document header",
}
Piece = tuple[str, str]  # (text, "planted" or a NEGATIVE_KINDS key)


def _own_paragraphs(
    case: Case, own_records: list[StoreRecord], rng: random.Random
) -> list[list[Piece]]:
    """10-20 paragraphs in the receiving case's own style; a few reused from its records."""
    count = rng.randrange(10, 21)
    reused = [p for r in own_records for p in r.narrative]
    paragraphs: list[Piece] = [
        (_header(case, rng.choice(OUTGOING_KINDS), case.context["date4"]), "header")
    ]
    while len(paragraphs) < count:
        roll = rng.random()
        if roll < 0.15:
            paragraphs.append((rng.choice(STANDARD), "standard"))
        elif roll < 0.4:
            paragraphs.append((_template_paragraph(case, rng, rng.randrange(2, 5)), "template"))
        elif roll < 0.6 and reused:
            paragraphs.append((" ".join(rng.choice(reused).split()), "own_reuse"))
        elif roll < 0.68:
            paragraphs.append((_actions(case, rng), "actions"))
        else:
            paragraphs.append((_narrative_paragraph(case, rng, rng.randrange(2, 5)), "narrative"))
    return [[piece] for piece in paragraphs]


def _assemble(
    paragraphs: list[list[Piece]],
) -> tuple[str, list[tuple[int, int]], list[tuple[int, int, str]]]:
    text_parts: list[str] = []
    spans: list[tuple[int, int]] = []
    negatives: list[tuple[int, int, str]] = []
    offset = 0
    for number, pieces in enumerate(paragraphs):
        if number:
            text_parts.append("\n\n")
            offset += 2
        for index, (piece, kind) in enumerate(pieces):
            if index:
                text_parts.append(" ")
                offset += 1
            if kind == "planted":
                spans.append((offset, offset + len(piece)))
            else:
                negatives.append((offset, offset + len(piece), kind))
            text_parts.append(piece)
            offset += len(piece)
    return "".join(text_parts), spans, negatives


def _plant(
    edit: str, copy: str, paragraphs: list[list[Piece]], case: Case, rng: random.Random
) -> int:
    """Put the disguised copy into the document; returns how many paragraphs hold it."""
    position = rng.randrange(1, len(paragraphs) + 1)
    if edit == "split":
        sentences = _sentences(copy)
        cut = max(1, len(sentences) // 2)
        first, second = " ".join(sentences[:cut]), " ".join(sentences[cut:])
        before = _narrative_paragraph(case, rng, 2)
        after = _narrative_paragraph(case, rng, 2)
        paragraphs[position:position] = [[(before, "narrative"), (first, "planted")],
                                         [(second, "planted"), (after, "narrative")]]  # fmt: skip
        return 2
    if edit in ("short", "sentence"):
        before = _narrative_paragraph(case, rng, rng.randrange(3, 5))
        after = _narrative_paragraph(case, rng, rng.randrange(3, 5))
        paragraphs.insert(
            position, [(before, "narrative"), (copy, "planted"), (after, "narrative")]
        )
        return 1
    paragraphs.insert(position, [(copy, "planted")])
    return 1


def generate(
    seed: int, cases: int, records_per_case: int, per_edit: int, clean_docs: int
) -> Dataset:
    """The store and the outgoing documents, deterministic for a seed."""
    rng = random.Random(seed)
    dataset = Dataset()
    for number in range(cases):
        case = _make_case(number, rng)
        dataset.cases[case.case_id] = case
        dataset.records += _make_records(case, records_per_case, rng)
    by_case: dict[str, list[StoreRecord]] = {}
    for record in dataset.records:
        by_case.setdefault(record.case_id, []).append(record)
    case_ids = list(dataset.cases)
    plan = [edit for edit in EDIT_TYPES for _ in range(per_edit)] + ["clean"] * clean_docs
    plan += [edit for edit in EXTRA_EDIT_TYPES for _ in range(per_edit)]
    extra_rng = random.Random(f"{seed}-extra")
    for number, edit in enumerate(plan):
        draw = extra_rng if edit in EXTRA_EDIT_TYPES else rng
        receiving = dataset.cases[draw.choice(case_ids)]
        paragraphs = _own_paragraphs(receiving, by_case[receiving.case_id], draw)
        source_record_id = source_case_id = ""
        planted_paragraphs = 0
        if edit != "clean":
            while True:
                source_case_id = draw.choice([c for c in case_ids if c != receiving.case_id])
                source_record = draw.choice(by_case[source_case_id])
                original = draw.choice(source_record.narrative)
                copy = EDITS[edit](original, dataset.cases[source_case_id], draw)
                if copy:  # a sentence naming the family: not in every paragraph
                    break
            source_record_id = source_record.record_id
            planted_paragraphs = _plant(edit, copy, paragraphs, receiving, draw)
        text, spans, negatives = _assemble(paragraphs)
        dataset.docs.append(
            OutgoingDoc(
                doc_id=f"out-{number:05d}-{edit}",
                case_id=receiving.case_id,
                edit=edit,
                text=text,
                spans=tuple(spans),
                source_record_id=source_record_id,
                source_case_id=source_case_id,
                paragraphs=len(paragraphs),
                planted_paragraphs=planted_paragraphs,
                negatives=tuple(negatives),
            )
        )
    return dataset


def write_store(dataset: Dataset, root: Path) -> None:
    """Record files and manifest.csv (path,case_id,record_id,kind,date,title) under root."""
    root.mkdir(parents=True, exist_ok=True)
    with (root / "manifest.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(MANIFEST_COLUMNS)
        for record in dataset.records:
            file = root / record.path
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_text(record.text, encoding="utf-8")
            writer.writerow([getattr(record, column) for column in MANIFEST_COLUMNS])
