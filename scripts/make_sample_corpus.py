"""Generate the fictional sample corpus under ``sample_corpus/``.

Every name, case number, address, school and organisation below is invented
(the town of Harrowfield does not exist). The output is deterministic: a fixed
seed, fixed dates, fixed file timestamps. Re-running wipes and regenerates
``store/``, ``outgoing/`` and ``README.md`` inside the output folder.

    python scripts/make_sample_corpus.py [--out DIR]

Layout of this file: shared template paragraphs, one text block per family
(CASE_TEXT), one layout template per record kind (TEMPLATES), then a small
engine that fills the templates and writes .txt/.md/.docx/.pdf/.eml files.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import re
import shutil
import textwrap
import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import docx
from fpdf import FPDF

SEED = 20260304
ROOT = Path(__file__).resolve().parent.parent
Block = tuple[str, object]  # ("title"|"meta"|"h"|"p"|"ul"|"table", payload)
KINDS = {
    "referral": "MASH referral record",
    "strategy_meeting": "Strategy meeting minutes",
    "child_protection_plan": "Child protection plan",
    "core_group_minutes": "Core group meeting minutes",
    "assessment": "Child and family assessment",
    "police_notification": "Police child protection notification",
}
CHAIRS = ("Sandra Holloway", "Martin Ekwueme", "Fiona Garside")
MASH_WORKERS = ("Lucy Brannigan", "Dev Chauhan", "Carol Whitby")
PPU = "Harrowfield Constabulary Public Protection Unit"

# --- Shared template paragraphs: identical in every case (boilerplate, never a leak)

BOILERPLATE = {
    "CONFIDENTIAL": """This document is confidential and must not be shared outside the agencies
named in the distribution list without the written agreement of Harrowfield Children's Services. It
contains sensitive personal information about children and their families and must be stored
securely in line with your agency's information governance policy.""",
    "ATTENDANCE": """Attendees were welcomed and introductions were made. Apologies were received
from those listed above. The chair confirmed that the meeting was quorate and that the agencies
present held enough information to make decisions. Where an agency was unable to attend, its
written contribution was read into the record and is reflected in these minutes.""",
    "STRATEGY_PURPOSE": """The chair reminded attendees of the purpose of a strategy discussion
under Working Together to Safeguard Children: to share information, to decide whether the threshold
for enquiries under section 47 of the Children Act 1989 is met, to agree what immediate action is
needed to keep the child safe, and to plan how any single or joint agency enquiries will be carried
out, including whether a police investigation is required.""",
    "CORE_PURPOSE": """The chair reminded the group that the core group is responsible for
developing the child protection plan into a detailed working tool, for putting it into action, and
for monitoring progress against the outcomes agreed at the child protection conference. Every
member is expected to complete their actions within the agreed timescales and to raise any worries
about drift or lack of progress with the lead social worker without delay.""",
    "ASSESSMENT_INTRO": """This assessment has been completed in line with the Harrowfield
assessment framework and Working Together to Safeguard Children. It draws on direct work with the
child, conversations with parents and carers, and information from partner agencies. Parents have
been given the opportunity to read it and to add their comments before it is finalised.""",
    "PLAN_INTRO": """This child protection plan was agreed at the child protection conference. It
sets out what we are worried about, what is working well and what needs to happen for the children
named above to be safe. It will be reviewed by the core group at every meeting and formally at the
review child protection conference.""",
    "CONTINGENCY": """If the plan is not followed, or if the risks described in the danger
statement increase, the lead social worker will convene a core group meeting within five working
days and will seek legal advice about whether the threshold for care proceedings is met. Outside
office hours, professionals should contact the Harrowfield Emergency Duty Team.""",
    "POLICE_HANDLING": """Handling instructions: this notification is shared by Harrowfield
Constabulary under the information sharing agreement with the Harrowfield MASH for the purpose of
safeguarding children. It must not be disclosed to the subject or family without first consulting
the officer in the case, as disclosure may prejudice an ongoing investigation.""",
    "FOOTER": """Data protection: this record is held by Harrowfield Children's Services under the
UK GDPR and the Data Protection Act 2018. Personal data in it has been processed for the purpose of
safeguarding children. Requests for access should be made to the Information Governance Team,
Harrowfield Borough Council, Civic Centre, Harrowfield.""",
}

# --- The seven fictional families
# "key:: value" starts a field; other lines continue the field above. Fields with "|" are split.
# case:: id | child the text is mostly about | pronoun [| infant]; family:: title names | main
# carer | address; staff:: social worker | team | police contact; school:: name | contact;
# health:: GP practice | health contact; records:: kind date ext; action:: what | who | when.

CASE_TEXT = """
case:: C-1001 | Tyler | he
family:: Tyler and Maisie Brennan | Leanne Brennan | 7 Cobbler's Row, Harrowfield
children:: Tyler Brennan (DOB 19/08/2018), Maisie Brennan (DOB 02/02/2022)
staff:: Joanne Pryce | Harrowfield East Safeguarding Team | PC Gareth Lowe, Harrowfield Constabulary
school:: Brookside Infant School | Mrs Helen Cartwright, Designated Safeguarding Lead
health:: Castlegate Medical Practice | Anita Collins, Health Visitor
records:: referral 2025-04-14 txt; strategy_meeting 2025-04-17 md; assessment 2025-05-20 txt;
child_protection_plan 2025-05-29 docx; core_group_minutes 2025-06-26 txt; core_group_minutes
2025-08-07 md
action:: Leanne to take Tyler to all dental appointments and share the letters | Leanne Brennan | 31
July 2025
action:: Health visitor to complete Maisie's developmental review | Anita Collins | 20 June 2025
referral:: Brookside Infant School contacted the MASH on 14 April 2025 after Tyler arrived for the
third time in a fortnight wearing the same soiled uniform and complaining of toothache. Staff have
been giving him breakfast most mornings because he says there was "nothing in the cupboard". His
younger sister Maisie has missed two health visitor appointments and her two-year review has never
taken place.
history:: Leanne Brennan has two children, Tyler and Maisie, by different fathers, neither of whom
is involved. The family were known to early help in 2023 when Leanne was evicted from a private
rental for rent arrears, and the case was closed after she was rehoused by Harrowfield Homes. Leanne
has described long periods of low mood since Maisie's birth and has not taken up referrals to
talking therapies.
summary:: Tyler Brennan (6) and Maisie Brennan (3) live with their mother Leanne Brennan at 7
Cobbler's Row. Over the past three months school has recorded poor hygiene, hunger and untreated
dental decay for Tyler. On an unannounced visit on 16 April 2025 the duty social worker found dog
mess on the lounge floor, no working cooker and no food other than dry cereal. Maisie's development
has not been checked since she was twelve months old.
worried:: We are worried that Tyler and Maisie are not getting the basic care they need every day:
regular meals, a clean and safe home, and help with their health. Tyler is in pain from his teeth
and is hungry at school. Maisie has not been seen by a health professional for nearly two years, so
nobody knows whether she is meeting her milestones. Leanne's low mood appears to make it very hard
for her to keep on top of things.
well:: Leanne loves her children and they are warm and affectionate with her. She has always let
workers in and was honest about how overwhelmed she feels. Tyler's attendance at school is good, and
school have been a steady source of support. Leanne's sister, Kerry, lives nearby and has offered to
help with shopping and the school run.
needs:: Leanne needs to register Tyler with a dentist and make sure he attends treatment. Maisie
needs her developmental review with the health visitor. The home needs to be cleaned, the dog kept
out of the living areas, and there must be food in the house every day. Leanne should see her GP
about her mood and think about a referral to Harrowfield Talking Therapies.
danger:: Children's services and school are worried that if Leanne's low mood continues to stop her
providing food, a clean home and health care, Tyler and Maisie will go hungry, suffer pain and
infection from untreated health problems and fall behind in their development.
goal:: Tyler and Maisie will have regular meals, live in a clean and safe home and attend all of
their health appointments, with Leanne and her support network showing this for at least six months.
voice:: Tyler drew a picture of his house with his mum, Maisie and the dog. He said the best thing
about home is "cuddles with Mum" and the worst thing is "when my tooth hurts and there's no
breakfast".
update1:: Leanne has registered both children with Castlegate Dental Care and Tyler had two fillings
on 19 June 2025. The home was tidier on the last visit, although the back bedroom is still full of
bin bags. Maisie's developmental review took place and found a delay in her speech; a referral to
speech and language therapy has been made.
update2:: Kerry has been helping with shopping twice a week and there has been food in the house on
every visit since the last meeting. Leanne has started medication from her GP and says she is
sleeping better. The dog has been rehomed with a family friend, which Tyler found upsetting, and
school have offered him time with the learning mentor.

case:: C-1002 | Aaliyah | she
family:: Aaliyah Pemberton | Claire Pemberton | 3 Wrenfield Gardens, Harrowfield
children:: Aaliyah Pemberton (DOB 07/05/2011)
staff:: Gemma Whitlock | Harrowfield Adolescent and Exploitation Team | DC Sarah Quinlan,
Harrowfield Constabulary Online Safeguarding Team
school:: Thornleigh High School | Mr Adrian Pike, Head of Year 9
health:: Wrenfield Surgery | Bethan Morgan, School Nurse
records:: police_notification 2025-06-02 txt; referral 2025-06-03 txt; strategy_meeting 2025-06-05
md; assessment 2025-07-10 pdf; child_protection_plan 2025-07-24 md; core_group_minutes 2025-08-21
txt; core_group_minutes 2025-10-02 txt
action:: Youth worker to complete weekly direct work on healthy relationships and online safety |
Thornleigh High youth worker | Weekly
action:: Police to update the core group on the identification of the account holder | DC Sarah
Quinlan | 21 August 2025
referral:: Harrowfield Constabulary shared a notification with the MASH on 2 June 2025 following a
report by Claire Pemberton that her daughter Aaliyah had been groomed online by an unknown adult
male. School also contacted the MASH the next day: Aaliyah has been withdrawn in lessons, has been
seen with a new phone and has twice left the site at lunchtime without permission.
history:: Aaliyah lives with her mother Claire and her younger brother Ethan (9). Her father moved
to Scotland in 2022 and has infrequent phone contact. There has been no previous involvement from
children's services. Claire works night shifts as a care assistant and told the social worker that
Aaliyah is often alone in the evenings looking after Ethan.
summary:: Aaliyah Pemberton (14) has been in contact for about six weeks with an adult male online
who has asked her for sexual images and offered her gifts. She has sent at least two images and has
a second phone that her mother did not know about. She has been missing from school at lunchtimes
and on one occasion was collected from Harrowfield bus station at 11pm by an unknown car. The male
has not yet been identified.
worried:: We are worried that Aaliyah is being groomed for sexual exploitation and that the man may
try to meet her in person. She does not see herself as a victim and believes he is "the only one who
gets" her. Her second phone and the lunchtime absences mean nobody knows who she is talking to or
where she goes. The images she sent may be shared further.
well:: Claire acted quickly and protectively when she found the messages and has worked closely with
the police. Aaliyah has a good relationship with her Head of Year and has agreed to meet the
school's youth worker weekly. She enjoys netball and drama and has a small group of friends whom
Claire knows well.
needs:: Aaliyah needs to understand what grooming looks like and to know who she can tell if she is
contacted again. Claire needs help with parental controls and a safety plan for the evenings when
she works. School need to watch lunchtimes closely and report any missing episode straight away. The
police need to complete their enquiries into the account holder.
danger:: The police, school and children's services are worried that an adult who has groomed
Aaliyah online will keep contacting her, persuade her to send more images or to meet him, and
sexually abuse or exploit her.
goal:: Aaliyah will be safe from adults who want to exploit her, will know how to get help, and will
have trusted adults around her who check who she is talking to and where she is.
voice:: Aaliyah was reluctant to talk at first. She said she was "sick of everyone going on about
it" and that she had deleted the account. Later she said she was scared the pictures would "end up
round school" and asked whether she would be in trouble.
update1:: Aaliyah has completed four sessions with the youth worker using the Harrowfield
exploitation toolkit and has begun to talk about how Jay made her feel special. There have been no
further missing episodes at lunchtime. Claire has set up parental controls and now keeps Aaliyah's
phone downstairs after 10pm on the nights she works.
update2:: The police have identified the account holder as a 23-year-old man living outside the
Harrowfield area; he has been arrested and released under investigation. Aaliyah was upset by the
news and briefly reinstalled the app, which she told the youth worker about herself. The group
agreed that this honesty was a real sign of progress.
incident:: On 31 May 2025 Claire Pemberton contacted Harrowfield Constabulary after finding messages
on her daughter's phone from a user calling himself "Jay_19". The messages, sent over six weeks
through a gaming platform and then a messaging app, include requests for images and offers of money
and vapes. Aaliyah has said she sent two indecent images of herself. The device has been seized for
examination and enquiries are ongoing to identify the user.

case:: C-1003 | Kayden | he
family:: Kayden Marsh | Danielle Marsh | 14 Linnet Close, Harrowfield
children:: Kayden Marsh (DOB 12/06/2016)
staff:: Priya Desai | Harrowfield North Safeguarding Team | DC Owen Hartley, Harrowfield
Constabulary Public Protection Unit
school:: Harrowfield St Aidan's Primary School | Ms Joanna Fairclough, Designated Safeguarding Lead
health:: Riverside Medical Centre | Kirsty Doyle, School Nurse
records:: police_notification 2026-03-02 eml; referral 2026-03-02 txt; strategy_meeting 2026-03-04
txt; assessment 2026-03-24 md; child_protection_plan 2026-03-26 md; core_group_minutes 2026-04-09
txt; core_group_minutes 2026-05-14 txt
action:: Danielle to attend the Freedom Programme weekly and share progress | Danielle Marsh |
Weekly
action:: School to record and report any marks, injuries or changes in presentation | Ms Fairclough
| Ongoing
referral:: Harrowfield Constabulary notified the MASH on 2 March 2026 of a domestic incident at the
family home the previous evening, in which Kayden's mother was assaulted by her partner while Kayden
was present. This is the third police attendance at the address in eight months. St Aidan's
separately reported that Kayden had arrived tired and tearful and did not want to go home at the end
of the day.
history:: Danielle Marsh has been in a relationship with Craig Fenwick for about two years, and he
moved into the family home in early 2025. Kayden's father, Lewis Marsh, has not seen him since 2021.
Police records show two earlier callouts to the address in July and November 2025 for verbal
arguments, with no offences recorded. Craig has a previous conviction for assaulting a former
partner in 2017.
summary:: Kayden Marsh (date of birth 12/06/2016) lives with his mother, Danielle Marsh, at 14
Linnet Close, Harrowfield. On the evening of 1 March 2026 police were called after shouting and a
child crying were heard from the house. Officers found Danielle with a swollen eye and a cut lip,
and Kayden told them "Craig pushed Mum into the door". Danielle's partner, Craig Fenwick, was
arrested at the scene and has been charged by Harrowfield Constabulary with assault occasioning
actual bodily harm; he is on bail not to enter Linnet Close. Kayden attends Harrowfield St Aidan's
Primary School, where staff have twice this term noted bruising to his upper arm, and he is overdue
his school nursing and dental reviews.
worried:: We are worried that Kayden has lived with repeated arguments and violence between his
mother and Craig, and that on 1 March he saw his mother being hurt. The bruising school noticed on
his arm has not been explained. Danielle has said she may let Craig come back once the court case is
over, and we are worried that Kayden would then be exposed to further violence.
well:: Danielle rang Kayden's school the morning after the incident to tell them what had happened,
and she has agreed to work with the Harrowfield Domestic Abuse Service. Kayden is close to his
maternal grandmother, Pauline, who has looked after him every weekend since the incident. Kayden
loves football and goes to an after-school club twice a week.
needs:: Danielle needs to complete the Freedom Programme and agree a safety plan that keeps Craig
away from the home while bail conditions are in place and afterwards. Kayden needs help to talk
about what he has seen, through direct work and a referral to the young people's domestic abuse
service. The school nurse and dental appointments need to happen, and school will record any marks
or injuries.
danger:: Children's services, the police and school are worried that if Craig returns to the home,
or Danielle is not able to keep him away, Kayden will see or hear more violence towards his mother
and may himself be physically hurt, harming his emotional wellbeing and safety.
goal:: Kayden will live in a home where there is no violence, where adults keep him safe, and where
he can talk to his mum and his nan about how he feels.
voice:: Kayden said he felt "scared and shaky" when the police came and that he hid under the table.
He said he likes it best when it is "just me and Mum", and that he misses Craig's dog but not Craig.
update1:: Danielle has attended three sessions of the Freedom Programme and says it has helped her
see patterns in her past relationships. Craig's bail conditions remain in place and there have been
no reported breaches. Kayden has been allocated a worker from the young people's domestic abuse
service, starting after the Easter holidays.
update2:: Kayden's dental check found two small cavities, now treated. Danielle disclosed that Craig
has been sending her messages through a friend asking to come home; she reported this to the officer
in the case. The trial has been listed for September 2026 at Harrowfield Crown Court.
incident:: At 21:50 on 1 March 2026 officers attended 14 Linnet Close, Harrowfield, following a call
reporting shouting and a child crying. Danielle Marsh (34) had a swollen left eye and a cut to her
lip and said that her partner, Craig Fenwick (38), had pushed her into a door frame during an
argument about money. Her son Kayden (9) was in the kitchen and was visibly distressed. Fenwick was
arrested at the scene on suspicion of assault occasioning actual bodily harm.

case:: C-1004 | Ruby | she
family:: Ruby and Theo Okafor-Lane | Simone Okafor-Lane | 12 Linnet Close, Harrowfield
children:: Ruby Okafor-Lane (DOB 03/11/2012), Theo Okafor-Lane (DOB 09/04/2022)
staff:: Priya Desai | Harrowfield North Safeguarding Team | DS Alan Mercer, Harrowfield Constabulary
Public Protection Unit
school:: Harrowfield Academy | Mrs Denise Whitfield, Designated Safeguarding Lead
health:: Oakfield Surgery | Marie Quayle, School Nurse
records:: referral 2025-11-18 txt; strategy_meeting 2025-11-20 md; assessment 2025-12-19 txt;
child_protection_plan 2026-01-08 md; core_group_minutes 2026-02-05 txt; core_group_minutes
2026-03-05 md
action:: Simone to attend recovery appointments and complete alcohol testing | Simone Okafor-Lane |
Ongoing
action:: Young carers assessment to be completed for Ruby | Harrowfield Young Carers | 31 January
2026
referral:: Little Acorns Nursery contacted the MASH on 18 November 2025 after Simone Okafor-Lane
arrived to collect her son Theo smelling strongly of alcohol and unsteady on her feet. Staff did not
release Theo and rang his sister Ruby, aged 13, who walked over from Harrowfield Academy to take him
home. Ruby told the nursery manager that this "happens sometimes" and that she "knows what to do".
history:: Simone is a single parent to Ruby and Theo. Their father, Marcus Lane, separated from
Simone in 2022 and lives in Kellowmere; he sees the children on alternate weekends. Simone was
treated for alcohol dependence in 2019 and did not drink for several years. She told the social
worker that her drinking started again after her own mother died in the spring of 2025.
summary:: Ruby Okafor-Lane (13) and her brother Theo (3) live with their mother Simone Okafor-Lane
at 12 Linnet Close. Simone's drinking has increased since her mother's death earlier this year and
on 18 November 2025 she tried to collect Theo from nursery while intoxicated. Ruby has been getting
Theo ready in the mornings, cooking tea and putting him to bed, and her attendance at Harrowfield
Academy has fallen to 79% this term.
worried:: We are worried that when Simone has been drinking she cannot look after Theo safely, and
that Ruby has been left to care for her brother and for her mother. Ruby is missing school, is often
late, and told her form tutor she is "always tired". Theo is three and relies on an adult for
everything; if Simone is drunk and Ruby is at school, nobody is watching him.
well:: Simone has been open about her drinking and has re-engaged with Harrowfield Recovery
Partnership. Marcus has agreed to have the children for an extra night each week. Ruby is a bright,
articulate young person who is doing well in English and science, and Theo is settled and happy at
nursery, where staff describe him as "a little ray of sunshine".
needs:: Simone needs to keep going to her recovery appointments, take part in alcohol testing, and
agree with Marcus who will care for the children if she drinks. Ruby needs a young carers assessment
and time to be a teenager. Theo must never be collected from nursery by an adult who has been
drinking, and the nursery will follow the agreed escalation plan if this happens.
danger:: Children's services, school and nursery are worried that when Simone drinks heavily she
cannot supervise or care for Theo and relies on Ruby to do it, which means Theo could be hurt or
neglected and Ruby will keep missing her education and her childhood.
goal:: Ruby and Theo will be cared for every day by a sober adult, Ruby will be able to go to school
and see her friends without worrying about home, and Simone will have a network who step in if she
starts drinking again.
voice:: Ruby said she loves her mum and "doesn't want her to get in trouble". She said the hardest
part is the mornings, when she has to get Theo dressed and fed before school, and she would like
someone to "just check Mum is OK" during the day.
update1:: Simone has attended every recovery appointment and her two hair strand tests show reduced
drinking. Marcus has had the children every Wednesday night. Ruby has been referred to Harrowfield
Young Carers and went to her first group session, which she said was "actually quite fun".
update2:: Nursery reported one occasion on 24 February 2026 when Simone arrived late and seemed
unwell, but she was not judged to be intoxicated and collected Theo with her friend Adaeze. Ruby's
attendance has improved to 91% since January. Simone has asked for help with bereavement
counselling.

case:: C-1005 | Oliver | he
family:: Oliver Szymanski | Piotr Szymanski | 22 Kestrel Way, Harrowfield
children:: Oliver Szymanski (DOB 21/01/2012)
staff:: Tom Ashworth | Harrowfield South Safeguarding Team | PC Nadine Holt, Harrowfield
Constabulary
school:: Moorgate Academy | Mrs Grace Ogunleye, Head of Year 9
health:: Kestrel Health Centre | Sam Whitaker, CAMHS Duty Clinician
records:: referral 2025-07-08 txt; strategy_meeting 2025-07-11 txt; assessment 2025-09-12 docx;
child_protection_plan 2025-09-25 md; core_group_minutes 2025-10-23 txt; core_group_minutes
2025-12-04 md
action:: Phased return timetable agreed with Oliver and reviewed fortnightly | Moorgate Academy
SENCo | Fortnightly
action:: Piotr to agree a written crisis plan with his care coordinator | Piotr Szymanski | 31
October 2025
referral:: Moorgate Academy contacted the MASH on 8 July 2025 after Oliver told a teaching assistant
that he had been cutting his forearms and that he had found his father unconscious after an overdose
the week before. Oliver's attendance has been falling since January and the education welfare
officer has been unable to make contact with Mr Szymanski at home.
history:: Piotr Szymanski has cared for Oliver alone since Oliver's mother returned to Poland in
2020. Piotr has a long history of depression and was admitted to Harrowfield General Hospital in
June 2025 after an overdose of prescribed medication. There is no wider family in the UK. School
have described Oliver as a quiet, able student with a strong interest in computing.
summary:: Oliver Szymanski (13) lives alone with his father Piotr at 22 Kestrel Way. Piotr took an
overdose in late June 2025 and Oliver found him and called an ambulance. Since then Oliver has been
self-harming by cutting and has missed most of the summer term. Piotr's mental health remains
fragile and there is no other adult in the household to notice when he is unwell or to make sure
Oliver gets to school.
worried:: We are worried that Oliver is carrying too much responsibility for his father's wellbeing
and is frightened to leave him alone, which is why he is not going to school. His self-harm shows
how much distress he is in. If Piotr becomes unwell again Oliver may be the only person who knows,
and he may not get the care, supervision or emotional support he needs.
well:: Piotr is open about his mental health and has accepted support from the community mental
health team. He and Oliver are close and share an interest in building computers. Oliver gets on
well with his computing teacher and has agreed to see the school counsellor. There have been no
further overdoses since June.
needs:: Piotr needs to keep working with his care coordinator and agree a crisis plan naming who
Oliver should call if he is worried. Oliver needs a referral to CAMHS, a phased return to school and
a trusted adult in school he can check in with each morning. The family would benefit from a
befriender or a community group to reduce their isolation.
danger:: Children's services, school and health are worried that if Piotr's mental health gets worse
again without other adults knowing, Oliver will be left without care or supervision, will keep
hurting himself and missing education, and could again find his father seriously unwell.
goal:: Oliver will be in school most days, will have adults he trusts to talk to, will be safe from
self-harm, and will know that someone other than him is looking after his dad's health.
voice:: Oliver said he doesn't go to school because "someone needs to be at home in case". He said
the cutting "makes the noise in my head stop" but that he wants to stop. He would like to go back to
school for computing and lunch club.
update1:: Oliver has started a phased timetable and has attended every morning session for the last
three weeks. CAMHS have offered a first appointment in November. Piotr's care coordinator reports
that his medication has been reviewed and that he goes to a weekly men's mental health group at the
Harrowfield community hub.
update2:: Oliver disclosed one further episode of cutting after an argument with his father, which
he told the school counsellor about himself. Piotr has agreed a crisis plan that names his care
coordinator and the neighbour, Mrs Bhatt, as contacts. Attendance has risen to 76% this half term.
education:: Oliver Szymanski (date of birth 21/01/2012) attended 48.6% of sessions at Moorgate
Academy in the 2024-25 academic year. His Head of Year, Mrs Ogunleye, reports that Oliver arrives
late, keeps his hood up in lessons and has twice been found hiding in the toilets during maths. A
referral to the Harrowfield Educational Psychology Service was made on 2 September 2025 and he
remains on the waiting list.

case:: C-1006 | Mia | she
family:: Mia and Callum Doherty | Jodie Doherty | 5 Tannery Yard, Harrowfield
children:: Mia Doherty (DOB 15/02/2017), Callum Doherty (DOB 22/09/2021)
staff:: Tom Ashworth | Harrowfield South Safeguarding Team | DC Ryan Bostock, Harrowfield
Constabulary Public Protection Unit
school:: Parkside Primary School | Mr Kevin Shaw, Deputy Head
health:: Tannery Lane Surgery | Louise Yates, School Nurse
records:: police_notification 2025-08-19 txt; referral 2025-08-20 txt; strategy_meeting 2025-08-22
md; assessment 2025-10-03 txt; child_protection_plan 2025-10-16 txt; core_group_minutes 2025-11-13
txt; core_group_minutes 2026-01-15 md
action:: Jodie to complete weekly drug testing and share the results | Jodie Doherty | Weekly
action:: Unannounced home visits at least fortnightly | Tom Ashworth | Fortnightly
referral:: Harrowfield Constabulary notified the MASH on 19 August 2025 after a drugs warrant at the
family home, during which used needles were found in the children's bedroom. Parkside Primary School
has previously raised concerns about Mia's lateness and about Callum arriving at nursery hungry and
in dirty clothes.
history:: Jodie Doherty has used heroin since her late teens and has been on a methadone programme
with Harrowfield Recovery Partnership since 2021. Mia and Callum were subject to child in need plans
in 2019 and 2022. Shane Reilly, Callum's father, moved back into the home in spring 2025; he is not
engaged with treatment and is known to police for drug offences.
summary:: Mia (8) and Callum (3) Doherty live with their mother Jodie Doherty and Callum's father
Shane Reilly at 5 Tannery Yard. During a police drugs warrant on 18 August 2025 used needles were
found in the children's bedroom and heroin in the kitchen. Shane has been arrested for supply. Jodie
is on a methadone script but has tested positive for heroin twice this summer, and Mia's school
attendance last year was 81%.
worried:: We are worried that Mia and Callum are living in a home where heroin is used and sold,
where they could find needles or drugs, and where the adults who should be caring for them may be
intoxicated. People coming to the house to buy drugs may pose a risk to the children. Mia has
started to look after Callum in the mornings and is often late for school.
well:: Jodie has attended her methadone appointments consistently for four years and wants to be
drug-free. The children's paternal grandmother, Bernadette Reilly, has offered to have them to stay
whenever needed. School describe Mia as kind and creative, and Callum has settled well into
Reception.
needs:: Shane must not live at the home or have unsupervised contact with the children while he is
using and while the police investigation continues. Jodie needs to give clear drug tests, keep her
methadone in a locked box and allow unannounced visits. The children need to be in school every day
and on time, and Mia needs support so she does not feel responsible for her brother.
danger:: Children's services, the police and school are worried that if drugs continue to be used or
sold from the home, Mia and Callum could be harmed by needles or drugs, exposed to dangerous people,
and neglected when their mother is under the influence.
goal:: Mia and Callum will live in a home free from drugs and needles, will be cared for by a sober
adult every day, and will get to school on time.
voice:: Mia said she knows not to touch "Mum's medicine" and that she puts Callum's cereal out in
the mornings "because Mum is sleepy". Callum said he likes his new teacher and that his favourite
thing at school is the sandpit.
update1:: Shane moved to his brother's address as a condition of his bail, and Jodie reports that he
has not visited. Jodie's drug test on 6 November 2025 was negative for heroin. The methadone lock
box was seen on the last unannounced visit, and Bernadette has had the children for two weekends.
update2:: Jodie has remained abstinent from heroin, with three negative tests in a row. Bernadette
now takes the children to school on Mondays and Thursdays, and Mia's attendance this half term is
94%. Shane has been charged and is due to appear at Harrowfield Magistrates' Court in February 2026.
incident:: On 18 August 2025 officers executed a drugs warrant at 5 Tannery Yard, Harrowfield, in
connection with suspected supply of heroin. Jodie Doherty (31) and her partner Shane Reilly (35)
were present with two children, Mia (8) and Callum (3). Officers found used needles in a carrier bag
in the children's bedroom and a quantity of heroin wraps in the kitchen. Reilly was arrested on
suspicion of possession with intent to supply; Doherty was not arrested.

case:: C-1007 | Esme | she | infant
family:: Esme Thornbury | Hannah Thornbury | Flat 9, Brindle House, Sowerby Road, Harrowfield
children:: Esme Thornbury (DOB 28/05/2025)
staff:: Nadia Rahman | Harrowfield West Safeguarding Team | DC Imogen Price, Harrowfield
Constabulary Child Abuse Investigation Team
school::  | Dr Femi Adeyemi, Consultant Paediatrician
health:: Sowerby Road Surgery | Rachel Ainsworth, Health Visitor
records:: police_notification 2025-10-06 eml; referral 2025-10-06 txt; strategy_meeting 2025-10-07
docx; assessment 2025-11-18 md; child_protection_plan 2025-11-27 pdf; core_group_minutes 2025-12-18
txt; core_group_minutes 2026-02-12 docx
action:: Lorraine to supervise all care of Esme in line with the written safety plan | Lorraine
Thornbury | Ongoing
action:: Health visitor to deliver the ICON programme and weekly weighing | Rachel Ainsworth |
Weekly
referral:: The paediatric registrar at Harrowfield General Hospital contacted the MASH on 5 October
2025 after Esme, aged four months, was brought in by her parents with fingertip-pattern bruising to
her left cheek and a bruise behind her left ear. Esme is not yet rolling. Her parents said she may
have caught her face on the side of her cot, which the registrar did not consider a plausible
explanation.
history:: Hannah Thornbury and Liam Gale are first-time parents who have been together for two
years. Hannah is a care leaver and was supported by the Harrowfield leaving care service until she
was 21. Liam works long shifts at a distribution warehouse. Health visitor records show that Hannah
said she found Esme's crying very hard at the six-week check and was given information about coping
with a crying baby.
summary:: Esme Thornbury, a non-mobile baby of four months, was brought to hospital on 5 October
2025 with bruising to her left cheek and behind her left ear. The explanation given by her parents,
Hannah Thornbury and Liam Gale, is not consistent with the injuries. The skeletal survey found no
fractures. Both parents were the only carers in the 24 hours before the bruising was seen, and the
injury remains unexplained.
worried:: We are worried that Esme has been hurt by one of her parents and that nobody has been able
to say how. Bruising in a baby who cannot move on her own is rare and can be a warning sign of more
serious harm. Esme's parents are young, tired and under money pressure, and Hannah has said that
Esme's crying makes her feel "like I'm going to explode".
well:: Hannah and Liam have cooperated fully with the hospital and the police and have agreed to a
safety plan in which Hannah's aunt, Lorraine, stays with them and supervises all care. Esme is
otherwise well, growing along the 50th centile, and is fully immunised. Both parents clearly love
her and were quick to seek medical help.
needs:: Esme must be supervised by Lorraine or another approved adult whenever she is with her
parents until the assessment is complete. Hannah and Liam need to work with the health visitor on
managing crying and take part in the ICON programme. The parents need to help professionals
understand how Esme was injured, and both need to agree to a parenting assessment.
danger:: Children's services, health and the police are worried that Esme, who is a baby and cannot
protect herself or tell anyone what happens, has been physically hurt by an adult caring for her and
could be hurt again, possibly more seriously, if her parents become overwhelmed.
goal:: Esme will be cared for safely by her parents, with a network of family and friends who help
them when they are struggling, and with no further injuries.
voice:: Esme is too young to share her views. She was alert and settled, feeding well from a bottle
given by Lorraine and turning towards her mother's voice. She became unsettled when Liam lifted her
quickly, but calmed when he rocked her.
update1:: Lorraine has stayed at Brindle House every night since the safety plan began and reports
no concerns. The health visitor has completed two sessions on coping with crying and Hannah has
downloaded the ICON app. The police investigation remains open and both parents have been
interviewed under caution.
update2:: The parenting assessment by the Harrowfield Family Assessment Service is underway and
early observations are positive. Liam has reduced his hours to be at home more in the evenings.
Lorraine's supervision has been reduced to daytime only, as agreed at the last core group after
legal advice.
incident:: On 5 October 2025 Harrowfield Constabulary was contacted by the paediatric team at
Harrowfield General Hospital about a four-month-old baby, Esme Thornbury, who had been brought to
the emergency department with bruising to her left cheek and ear. Neither parent could explain the
injuries. A skeletal survey has been requested. The Child Abuse Investigation Team will attend the
strategy discussion; no arrests have been made at this stage.
"""

# --- Layout of each record kind
# "h"/"p" heading/paragraph, "h?" heading kept only if the next paragraph is non-empty, "- " bullet,
# "meta Key: value" header field, "@attendees"/"@plan" computed blocks. Lines indented by two spaces
# continue the line above. {names} come from the case, the formulaic sentences and BOILERPLATE.

TEMPLATES = {
    "referral": """
meta Author: {mash_worker}, MASH Social Worker
p {CONFIDENTIAL}
h 1. Details of the referral
p {referral}
h 2. Known history
p {history}
h 3. MASH checks
p {checks}
h 4. Consent
p Consent was not sought from {parent} before information was shared between agencies, because
  doing so could have placed {first} at increased risk of harm or prejudiced a police enquiry.
  This decision was recorded by the MASH manager.
h 5. MASH decision
p The MASH manager agreed that the information indicates that {first} may be suffering significant
  harm and that a strategy discussion should be held within one working day. The case has been
  allocated to {sw} of the {team}, who will arrange to see {first} and {parent} once the strategy
  discussion has taken place.
p {FOOTER}
""",
    "strategy_meeting": """
meta Meeting type: Strategy discussion (police and social care)
@attendees police
h 1. Reason for the meeting
p {STRATEGY_PURPOSE}
p {referral}
h 2. Background
p {history}
h 3. Summary of concerns
p {summary}
h 4. Information shared by agencies
p {checks}
p {school_update}
h 5. Decision
p The strategy discussion agreed that there is reasonable cause to suspect that {first} is
  suffering, or is likely to suffer, significant harm, and that the threshold for enquiries under
  section 47 of the Children Act 1989 is met. {lead} An initial child protection conference will
  be convened within 15 working days.
h 6. Actions
- {sw} to see {first} within 24 hours{alone}
- {sw} to complete the child and family assessment within 45 working days
- {police_name} to share any further police information
p {CONFIDENTIAL}
p {FOOTER}
""",
    "assessment": """
p {ASSESSMENT_INTRO}
h 1. Reason for the assessment
p {referral}
h 2. Family history
p {history}
h 3. The child's lived experience
p {seen}
p {voice}
h? 4. Education
p {education}
h What are we worried about?
p {worried}
h What's working well?
p {well}
h Analysis and recommendation
p Having considered the information above, the social worker's professional judgement is that
  {first} has suffered, and is likely to suffer, significant harm. It is recommended that an
  initial child protection conference is convened and that {first} becomes subject to a child
  protection plan.
p {FOOTER}
""",
    "child_protection_plan": """
p {CONFIDENTIAL}
h 1. Purpose of this plan
p {PLAN_INTRO}
h? Progress since the initial conference
p {progress}
h 2. Summary of concerns
p {summary}
h 3. Danger statement
p {danger}
h 4. Safety goal
p {goal}
h 5. What are we worried about?
p {worried}
p {worried_extra}
h 6. What's working well?
p {well}
h 7. What needs to happen?
p {needs}
h 8. The plan
@plan
h 9. Contingency plan
p {CONTINGENCY}
p {FOOTER}
""",
    "core_group_minutes": """
meta Meeting number: {n}
@attendees
p {CORE_PURPOSE}
h 1. Progress since the last meeting
p {update}
h 2. Agency updates
p {school_update}
p {pasted}
h 3. Seeing the child
p {seen}
h 4. Review of the plan
p The group reviewed each action in the plan and agreed that there has been {status}. No new
  actions were added. {parent} was given a copy of the updated plan and the minutes will be
  circulated within five working days.
h 5. Next meeting
p The next core group meeting will be held on {next_meeting}.
p {CONFIDENTIAL}
p {FOOTER}
""",
    "police_notification": """
meta Author: {police}
meta Reference: {ref}
meta To: Harrowfield MASH
h Circumstances
p {incident}
h Children present
p {children} recorded on this notification. Officers checked on the welfare of the children
  present and recorded what they saw and heard on body-worn video.
h Officer's assessment
p The officer in the case has assessed the risk to the children as {risk}. A child protection
  notification has been created on the force system and the matter has been referred to the MASH
  for information sharing and a decision about next steps. Previous incident and intelligence
  checks have been completed and are available to the MASH on request through the police MASH
  researcher. The officer is available to attend a strategy discussion.
p {POLICE_HANDLING}
""",
}


def norm(text: str) -> str:
    return " ".join(text.split())


def ld(iso: str) -> str:
    d = date.fromisoformat(iso)
    return f"{d.day} {d:%B %Y}"


@dataclass(frozen=True)
class Case:
    case_id: str
    first: str
    infant: bool
    records: tuple[tuple[str, str, str], ...]  # (kind, ISO date, extension)
    actions: tuple[list[str], ...]  # (what, who, when)
    fields: dict[str, str]  # every other field, for the templates

    def __getattr__(self, name: str) -> str:  # c.summary -> c.fields["summary"]
        try:
            return self.__dict__["fields"][name]
        except KeyError:
            raise AttributeError(name) from None


def parse_case(block: str) -> Case:
    raw: dict[str, list[str]] = {}
    key = ""
    for line in block.strip().splitlines():
        if re.match(r"[a-z0-9_]+::", line):
            key, _, line = line.partition("::")
            raw.setdefault(key, []).append("")
        raw[key][-1] += " " + line
    f = {k: norm(v[0]) for k, v in raw.items()}
    parts = {k: [p.strip() for p in v.split("|")] for k, v in f.items()}
    case_id, first, he, *infant = parts["case"]
    f["names"], f["parent"], f["address"] = parts["family"]
    f["sw"], f["team"], f["police"] = parts["staff"]
    f["school"], f["school_contact"] = parts["school"]
    f["gp"], f["health_contact"] = parts["health"]
    f |= {"case_id": case_id, "first": first, "he": he, "his": "his" if he == "he" else "her"}
    f["him"] = "him" if he == "he" else "her"
    records = tuple(tuple(r.split()) for r in f["records"].split(";"))
    actions = tuple([p.strip() for p in norm(a).split("|")] for a in raw["action"])
    return Case(case_id, first, bool(infant), records, actions, f)  # type: ignore[arg-type]


CASES = tuple(parse_case(b) for b in CASE_TEXT.strip().split("\n\n"))
BY_ID = {c.case_id: c for c in CASES}

# --- Formulaic sentences: the same shape in every case, different details


def seen(c: Case, iso: str, rng: random.Random) -> str:
    mins = rng.choice((30, 40, 50))
    if c.infant:
        return (
            f"{c.first} was seen by the social worker on {ld(iso)} at home with {c.his} parents "
            f"and was observed for about {mins} minutes."
        )
    where = rng.choice(("at school", f"in {c.his} bedroom at home", "on a walk to the local park"))
    mood = rng.choice(("relaxed", "quiet but engaged", "tired", "chatty and keen to talk"))
    return (
        f"{c.first} was seen alone by the social worker on {ld(iso)} {where}. The visit lasted "
        f"about {mins} minutes and {c.first} appeared {mood}."
    )


def school_update(c: Case, rng: random.Random) -> str:
    if not c.school:
        return (
            f"The health visitor reported that {c.first}'s weight is tracking the 50th centile "
            f"and that {c.his} immunisations are up to date."
        )
    late, absent = rng.randint(1, 9), rng.randint(0, 4)
    how = rng.choice(("settled in class", "more settled", "tired at times", "making progress"))
    return (
        f"{c.school} reported {late} late marks and {absent} unauthorised absences for {c.first} "
        f"so far this term, and described {c.him} as {how}."
    )


def context(c: Case, iso: str, rng: random.Random) -> dict[str, str]:
    joint = any(r[0] == "police_notification" for r in c.records)
    where = c.school or "the hospital paediatric team"
    return {
        **BOILERPLATE,
        **c.fields,
        "seen": seen(c, iso, rng),
        "school_update": school_update(c, rng),
        "checks": f"Checks were completed with Harrowfield Constabulary, the GP ({c.gp}), {where} "
        f"and the health service on {ld(iso)}. The information returned is summarised in this "
        "record and has been shared with the family where it was safe to do so.",
        "lead": "A joint investigation will be carried out by children's social care and "
        "Harrowfield Constabulary."
        if joint
        else "Enquiries will be led by children's social care as a single agency, with the "
        "police providing information as required.",
        "alone": "" if c.infant else " and alone",
        "police_name": c.police.split(",")[0],
        "mash_worker": rng.choice(MASH_WORKERS),
        "status": rng.choice(("good progress", "some progress", "steady progress")),
        "risk": rng.choice(("medium", "high")),
        "ref": f"PPN/{iso[:4]}/{rng.randint(1000, 9999)}",
        "next_meeting": ld((date.fromisoformat(iso) + timedelta(days=42)).isoformat()),
        "children": c.children + (" were" if ", " in c.children else " was"),
    }


def build(kind: str, c: Case, iso: str, rng: random.Random, **extra: str) -> list[Block]:
    """Fill TEMPLATES[kind] for one record; extra overrides or adds template fields."""
    ctx = {"education": "", "worried_extra": "", "progress": "", "pasted": ""}
    ctx |= context(c, iso, rng) | extra
    meta = {"Case number": c.case_id, "Children": c.children, "Address": c.address}
    meta |= {"Date": ld(iso), "Author": f"{c.sw}, {c.team}"}
    blocks: list[Block] = []
    for line in re.sub(r"\n  ", " ", TEMPLATES[kind]).strip().splitlines():
        op, _, rest = line.partition(" ")
        text = norm(rest.format_map(ctx))
        if op == "meta":
            key, _, value = text.partition(": ")
            meta[key] = value
        elif op == "-" and blocks and blocks[-1][0] == "ul":
            blocks[-1][1].append(text)  # type: ignore[attr-defined]
        elif op == "-":
            blocks.append(("ul", [text]))
        elif op == "@attendees":
            people = [f"{rng.choice(CHAIRS)} (Chair, Team Manager)", f"{c.sw} (Social Worker)"]
            people += [c.police] if rest == "police" or rng.random() < 0.5 else []
            people += [c.school_contact + (f", {c.school}" if c.school else ""), c.health_contact]
            apologies = f"Apologies: {c.gp} (written report provided)."
            blocks += [("h", "Attendees"), ("ul", people), ("p", apologies)]
            blocks.append(("p", norm(BOILERPLATE["ATTENDANCE"])))
        elif op == "@plan":
            alone = "with the parents present" if c.infant else f"and see {c.him} alone"
            rows = [["Action", "Who", "By when"]]
            rows.append(
                [f"Visit {c.first} at home every ten working days {alone}", c.sw, "Ongoing"]
            )
            rows.append(["Core group to meet at least six-weekly", "Core group", "Six-weekly"])
            rows.append([f"{c.parent} to report any change in the household", c.parent, "Ongoing"])
            blocks.append(("table", rows + list(c.actions)))
        elif op == "p" and not text:
            if blocks and blocks[-1][0] == "h?":
                blocks.pop()
        else:
            blocks.append((op, text))
    blocks = [("h", b[1]) if b[0] == "h?" else b for b in blocks]
    head: list[Block] = [("title", f"{KINDS[kind]}: {c.names}")]
    return [*head, ("meta", [*meta.items(), ("Classification", "OFFICIAL-SENSITIVE")]), *blocks]


# --- The planted leaks


def edit(text: str, *changes: tuple[str, str]) -> str:
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new)
    return text


def leaked_education() -> str:
    """C-1005's education paragraph as pasted into C-1006's minutes, with three small edits."""
    return edit(
        BY_ID["C-1005"].education,
        ("attended 48.6%", "attended only 48.6%"),
        ("reports that", "said that"),
        ("remains on the waiting list", "is still on the waiting list"),
    )


def disguised_summary() -> str:
    """C-1003's summary: names swapped, smart quotes, an en dash, one word added, re-wrapped."""
    out = edit(
        BY_ID["C-1003"].summary,
        ("Kayden", "Kyle"),
        ("Danielle", "Donna"),
        ("Craig", "Carl"),
        ('"Carl pushed Mum into the door"', "“Carl pushed Mum into the door”"),
        ("'s", "’s"),
        ("; he is on bail", " – he is on bail"),
        ("and has been charged", "and has since been charged"),
    )
    words = out.split()
    return "\n".join(" ".join(words[i : i + 9]) for i in range(0, len(words), 9))


DISGUISE_PREFIX = """On 12 March 2026 Ruby told the social worker that she had heard shouting
through the wall on the night the police came to Linnet Close, and that Theo woke up crying and
climbed into her bed."""
DISGUISE_SUFFIX = """Simone said the noise had frightened both children and that she had been
sober that evening; she has asked whether the family could be considered for a move away from the
street."""
REVIEW_PROGRESS = """Since the initial conference Simone has kept every appointment with the
recovery service and her latest test results show a clear reduction in her drinking. The one worry
raised by nursery in February was discussed openly with Simone, who agreed that Adaeze will collect
Theo on any day she feels unwell. Ruby has settled into the young carers group, she has started
going to an after-school drama club, and her attendance is now above 90%."""

# --- Renderers


def rows_of(val: object) -> list[list[str]]:
    return [list(r) for r in val]  # type: ignore[attr-defined]


def render_txt(blocks: list[Block]) -> str:
    out: list[str] = []
    for kind, val in blocks:
        if kind == "title":
            org = "CONSTABULARY" if str(val).startswith("Police") else "CHILDREN'S SERVICES"
            out.append(f"HARROWFIELD {org}\n{str(val).upper()}")
        elif kind in ("meta", "table"):
            out.append("\n".join((": " if kind == "meta" else " | ").join(r) for r in rows_of(val)))
        elif kind == "h":
            out.append(f"{val}\n{'-' * len(str(val))}")
        elif kind == "p":
            out.append(textwrap.fill(str(val), 78))
        elif kind == "ul":
            fill = textwrap.TextWrapper(78, initial_indent="- ", subsequent_indent="  ").fill
            out.append("\n".join(fill(i) for i in val))  # type: ignore[attr-defined]
    return "\n\n".join(out) + "\n"


def render_md(blocks: list[Block]) -> str:
    out: list[str] = []
    for kind, val in blocks:
        if kind == "title":
            out.append(f"# {val}")
        elif kind == "meta":
            out.append("\n".join(f"- **{k}:** {v}" for k, v in rows_of(val)))
        elif kind == "table":
            rows = [f"| {' | '.join(r)} |" for r in rows_of(val)]
            out.append("\n".join([rows[0], "|" + " --- |" * 3, *rows[1:]]))
        elif kind == "h":
            out.append(f"## {val}")
        elif kind == "p":
            out.append(str(val))
        elif kind == "ul":
            out.append("\n".join(f"- {i}" for i in val))  # type: ignore[attr-defined]
    return "\n\n".join(out) + "\n"


def stamp(iso: str) -> datetime:
    return datetime.fromisoformat(iso).replace(hour=9, tzinfo=UTC)


def write_docx(blocks: list[Block], path: Path, iso: str, author: str) -> None:
    doc = docx.Document()
    doc.core_properties.comments = ""  # not python-docx's "generated by python-docx"
    for kind, val in blocks:
        if kind in ("title", "h"):
            doc.add_heading(str(val), level=1 if kind == "title" else 2)
        elif kind in ("meta", "table"):
            rows = rows_of(val)
            table = doc.add_table(rows=len(rows), cols=len(rows[0]), style="Table Grid")
            for r, row in enumerate(rows):
                for col, cell in enumerate(row):
                    table.cell(r, col).text = cell
        elif kind == "p":  # "\n" in a paragraph becomes a manual line break
            para = doc.add_paragraph()
            lines = str(val).split("\n")
            for i, line in enumerate(lines):
                run = para.add_run(line)
                if i < len(lines) - 1:
                    run.add_break()
        elif kind == "ul":
            for item in val:  # type: ignore[attr-defined]
                doc.add_paragraph(item, style="List Bullet")
    props = doc.core_properties
    props.author = props.last_modified_by = author
    props.title = str(blocks[0][1])
    props.created = props.modified = stamp(iso).replace(tzinfo=None)
    props.revision = 1
    buf = io.BytesIO()
    doc.save(buf)
    # python-docx stamps zip entries with the current time; rewrite them with a fixed one.
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2026, 1, 1, 0, 0, 0))
            dst.writestr(fixed, src.read(info.filename), zipfile.ZIP_DEFLATED)


def latin1(text: str) -> str:
    """PDF core fonts are latin-1 only: straighten typographic punctuation, fail on the rest."""
    text = text.translate(str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-"}))
    text.encode("latin-1")
    return text


def write_pdf(blocks: list[Block], path: Path, iso: str) -> None:
    pdf = FPDF(format="A4")
    pdf.set_creation_date(stamp(iso))
    pdf.set_title(latin1(str(blocks[0][1])))
    pdf.add_page()
    for kind, val in blocks:
        size, style = {"title": (14, "B"), "h": (11, "B")}.get(kind, (10, ""))
        pdf.set_font("Helvetica", style, size)
        if kind == "meta":
            lines = [": ".join(r) for r in rows_of(val)]
        elif kind == "table":
            lines = [" | ".join(r) for r in rows_of(val)]
        elif kind == "ul":
            lines = [f"- {i}" for i in val]  # type: ignore[attr-defined]
        else:
            lines = [str(val)]
        for line in lines:
            pdf.multi_cell(0, size / 2, latin1(line), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    pdf.output(str(path))


def write_eml(blocks: list[Block], path: Path, iso: str, names: str) -> None:
    ref = dict(rows_of(blocks[1][1]))["Reference"]
    msg = EmailMessage()
    msg["From"] = "Harrowfield Constabulary <ppu@harrowfield-constabulary.example>"
    msg["To"] = "Harrowfield MASH <mash@harrowfield-council.example>"
    msg["Subject"] = f"{ref} child protection notification: {names}"
    msg["Date"] = format_datetime(stamp(iso))
    msg["Message-ID"] = f"<{ref.replace('/', '-')}@harrowfield-constabulary.example>"
    msg.set_content(render_txt(blocks), cte="7bit")  # plain text, readable on disk
    path.write_bytes(msg.as_bytes())


# --- Main


def save(blocks: list[Block], path: Path, iso: str, author: str, names: str) -> int:
    """Write one document in the format its extension names; return its word count."""
    path.parent.mkdir(parents=True, exist_ok=True)
    ext = path.suffix
    if ext in (".txt", ".md"):
        path.write_text((render_txt if ext == ".txt" else render_md)(blocks), encoding="utf-8")
    elif ext == ".docx":
        write_docx(blocks, path, iso, author)
    elif ext == ".pdf":
        write_pdf(blocks, path, iso)
    else:
        write_eml(blocks, path, iso, names)
    os.utime(path, (stamp(iso).timestamp(),) * 2)
    return len(re.findall(r"[\w'’-]+", render_txt(blocks)))


def build_store(store: Path) -> list[tuple[str, int]]:
    rng = random.Random(SEED)
    rows, counts = [], []
    for c in CASES:
        for i, (kind, iso, ext) in enumerate(sorted(c.records, key=lambda r: r[1]), start=1):
            extra = {}
            if kind == "core_group_minutes":
                n = sum(1 for k, d, _ in c.records if k == kind and d <= iso)
                extra = {"n": str(n), "update": c.update1 if n == 1 else c.update2}
                if c.case_id == "C-1006" and n == 1:  # the planted historical leak
                    extra["pasted"] = leaked_education()
            blocks = build(kind, c, iso, rng, **extra)
            team = {"police_notification": PPU, "referral": "Harrowfield MASH"}.get(kind, c.team)
            rel = f"{c.case_id}/{iso}_{kind}.{ext}"
            counts.append((f"store/{rel}", save(blocks, store / rel, iso, team, c.names)))
            record_id = f"REC-{c.case_id[2:]}-{i:02d}"
            rows.append([rel, c.case_id, record_id, kind, iso, str(blocks[0][1]), team])
    # The manifest sits in store/ beside the case folders: `provenance index
    # sample_corpus/store` indexes the records and nothing else (outgoing/ and the
    # READMEs are not records).
    manifest = store / "manifest.csv"
    with manifest.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["path", "case_id", "record_id", "kind", "date", "title", "author_team"])
        writer.writerows(rows)
    os.utime(manifest, (stamp("2026-05-14").timestamp(),) * 2)
    return counts


def build_outgoing(out: Path) -> list[tuple[str, int]]:
    c, iso, rng = BY_ID["C-1004"], "2026-03-30", random.Random(SEED + 1)
    disguised = "\n".join([norm(DISGUISE_PREFIX), disguised_summary(), norm(DISGUISE_SUFFIX)])
    variants = {
        "plan_C-1004_incident.txt": BY_ID["C-1003"].summary,  # pasted verbatim
        "plan_C-1004_disguised.docx": disguised,
        "plan_C-1004_clean.txt": "",
    }
    counts = []
    for name, worried_extra in variants.items():
        blocks = build("child_protection_plan", c, iso, rng, progress=norm(REVIEW_PROGRESS))
        blocks[0] = ("title", f"Child protection plan (review draft): {c.names}")
        if worried_extra:  # 'p' blocks are normalised by build(); insert the raw text here
            at = blocks.index(("h", "5. What are we worried about?")) + 2
            blocks.insert(at, ("p", worried_extra))
        counts.append((f"outgoing/{name}", save(blocks, out / name, iso, c.team, c.names)))
    return counts


OUTGOING_README = """# Outgoing documents (not in the store, not in the manifest)

All three are drafts of the review child protection plan for case C-1004 (Ruby and Theo
Okafor-Lane, 12 Linnet Close), to be checked with `--case C-1004`.

- `plan_C-1004_incident.txt` - expected **leak** from C-1003: section 5 contains, verbatim, the
  "Summary of concerns" paragraph of `store/C-1003/2026-03-04_strategy_meeting.txt` (Kayden Marsh).
- `plan_C-1004_disguised.docx` - expected **leak** from C-1003: the same paragraph with first names
  changed, smart quotes, an en dash, one inserted word and forced line breaks, in the middle of a
  longer section-5 paragraph of C-1004's own text.
- `plan_C-1004_clean.txt` - expected **clean**: template text and C-1004's own content only.
"""

CORPUS_README = """# Sample corpus (entirely fictional)

Synthetic children's social care records for trying out `provenance`. Every person, case number,
address, school and organisation is invented; Harrowfield is not a real town and Harrowfield
Constabulary is not a real police force. Regenerate (replaces `store/`, `outgoing/`, READMEs):

    python scripts/make_sample_corpus.py [--out DIR]

- `store/<case_id>/<date>_<kind>.<ext>`: 46 records for seven families, C-1001 to C-1007, as
  .txt, .md, .docx, .pdf and .eml; file times are the record dates. `store/manifest.csv` (paths
  relative to `store/`) has the columns `path,case_id,record_id,kind,date,title,author_team`.
- Template paragraphs (confidentiality, attendance, purpose of the meeting, data protection) and
  formulaic sentences ("X was seen alone by the social worker on ...") recur in every case:
  boilerplate. Each plan repeats its own case's summary of concerns: same-case reuse.
- Planted historical leak: `store/C-1006/2025-11-13_core_group_minutes.txt` (section 2) holds the
  education paragraph about Oliver Szymanski from `store/C-1005/2025-09-12_assessment.docx`
  (section 4), nearly verbatim (three small wording changes).
- `outgoing/`: three drafts about to be sent for C-1004; see `outgoing/README.md`.
"""


def main() -> None:
    parser = argparse.ArgumentParser(description="Generate the fictional sample corpus.")
    parser.add_argument("--out", type=Path, default=ROOT / "sample_corpus", help="output folder")
    out: Path = parser.parse_args().out
    for sub in ("store", "outgoing"):  # remove only what this script writes
        shutil.rmtree(out / sub, ignore_errors=True)
    (out / "store").mkdir(parents=True)
    (out / "outgoing").mkdir()
    counts = build_store(out / "store") + build_outgoing(out / "outgoing")
    for path, text in (
        (out / "README.md", CORPUS_README),
        (out / "outgoing/README.md", OUTGOING_README),
    ):
        path.write_text(text, encoding="utf-8")
        os.utime(path, (stamp("2026-03-30").timestamp(),) * 2)
    for path, words in counts:
        print(f"{words:5d}  {path}")
    print(f"{len(counts) - 3} store records and 3 outgoing documents in {out}")


if __name__ == "__main__":
    main()
