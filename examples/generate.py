"""Write the example exports in examples/exports/: synthetic, invented people, in the real layouts.

The figures they give echo the seed presentation's (about 310 registered participants, most of
them from Nigeria, Tanzania and Ghana; about 30 attending per clinic; about 4.4 out of 5), so that
`lc report` shows what a real report looks like. Nobody in them is real; every email is
@example.org.

    python examples/generate.py        # rewrites examples/exports/ (deterministic)
"""

from __future__ import annotations

import csv
import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

OUT = Path(__file__).resolve().parent / "exports"
RANDOM = random.Random(20230402)
#: Skills and home wikis come from a generator of their own: the other columns stay as they were.
EXTRA = random.Random(18)
#: The registration form's skills questions, answered with the program's five categories.
SKILL_CHOICES = [
    "Funding (grants, budgets)",
    "Programmatic tactics (events, campaigns, edit-a-thons)",
    "Organisational (governance, strategy, running an affiliate)",
    "Technical (tools, bots, Wikidata)",
    "Interpersonal (communication, conflict, mentoring)",
]
HOME_WIKIS = {
    "Nigeria": ["en.wikipedia.org", "yo.wikipedia.org", "ha.wikipedia.org", "igwiki"],
    "Tanzania": ["sw.wikipedia.org", "Swahili Wikipedia"],
    "Ghana": ["en.wikipedia.org", "tw.wikipedia.org", "dag.wikipedia.org"],
    "Philippines": ["tl.wikipedia.org", "en.wikipedia.org", "ceb.wikipedia.org"],
    "Indonesia": ["id.wikipedia.org", "jv.wikipedia.org", "su.wikipedia.org"],
}
#: Affiliates named in the Meta-Wiki event registration's affiliate question (invented answers).
EXAMPLE_AFFILIATES = ["Wikimedia Indonesia", "Wikimedia Community of Tonga", "Wikimedians of Fiji"]
#: The confidence question's answers, as the extension's English messages give them.
CONFIDENCE = [
    "No response",
    "I have never contributed to a Wikimedia project before",
    "I have some experience, but don't feel confident",
    "I have some experience, and feel confident contributing, but would like to learn more",
]

FIRST = [
    "Amina",
    "Chinedu",
    "Neema",
    "Kwame",
    "Ana",
    "Jose",
    "Siti",
    "Budi",
    "Haruka",
    "Wei",
    "Lani",
    "Tevita",
    "Ravi",
    "Priya",
    "Leila",
    "Omar",
    "Ioana",
    "Maria",
    "Eric",
    "Sofia",
    "Tunde",
    "Zainab",
    "Emeka",
    "Fatima",
    "Kofi",
    "Abena",
    "Juma",
    "Rehema",
    "Rizal",
    "Dewi",
    "Minh",
    "Mei",
    "Arjun",
]
LAST = [
    "Okafor",
    "Mensah",
    "Mwangi",
    "Rahayu",
    "Reyes",
    "Santos",
    "Iyer",
    "Haddad",
    "Popescu",
    "Chen",
    "Sato",
    "Fifita",
    "Kealoha",
    "Silva",
    "Adeyemi",
    "Owusu",
    "Kimaro",
    "Nwosu",
    "Bello",
    "Asante",
    "Cruz",
    "Lim",
    "Tan",
    "Das",
    "Rahman",
    "Karlsson",
    "Novak",
    "Garcia",
    "Smith",
    "Mahlangu",
]

# (country as people type it, how many people)
COUNTRIES = [
    ("Nigeria", 101),
    ("Tanzania", 35),
    ("Ghana", 29),
    ("Kenya", 8),
    ("Uganda", 6),
    ("Egypt", 5),
    ("Cameroon", 4),
    ("Morocco", 3),
    ("Philippines", 33),
    ("Indonesia", 18),
    ("Malaysia", 6),
    ("Taiwan", 5),
    ("Japan", 5),
    ("Viet Nam", 3),
    ("China", 2),
    ("Fiji", 2),
    ("Australia", 3),
    ("India", 14),
    ("Bangladesh", 7),
    ("Nepal", 3),
    ("Brazil", 5),
    ("Mexico", 3),
    ("Ukraine", 3),
    ("Romania", 2),
    ("Sweden", 3),
    ("Germany", 2),
    ("USA", 4),
    ("Canada", 1),
]
SPELLINGS = {
    "Nigeria": ["Nigeria", "nigeria", "NG", "Nigeria "],
    "Tanzania": ["Tanzania", "United Republic of Tanzania"],
    "Philippines": ["Philippines", "the Philippines", "PH"],
    "USA": ["USA", "United States"],
}
REGION_OF = {
    "Nigeria": "Sub-Saharan Africa",
    "Tanzania": "Sub-Saharan Africa",
    "Ghana": "Sub-Saharan Africa",
    "Kenya": "Sub-Saharan Africa",
    "Uganda": "Sub-Saharan Africa",
    "Cameroon": "Sub-Saharan Africa",
    "Egypt": "Middle East & North Africa",
    "Morocco": "Middle East & North Africa",
    "India": "South Asia",
    "Bangladesh": "South Asia",
    "Nepal": "South Asia",
    "Brazil": "Latin America & Caribbean",
    "Mexico": "Latin America & Caribbean",
    "Ukraine": "Central & Eastern Europe & Central Asia",
    "Romania": "Central & Eastern Europe & Central Asia",
    "Sweden": "Northern & Western Europe",
    "Germany": "Northern & Western Europe",
    "USA": "North America",
    "Canada": "North America",
}
ROLES = (
    ["Individual volunteer editor"] * 6
    + ["Volunteer organiser"] * 4
    + ["Paid staff of an affiliate"] * 2
    + ["Volunteer staff of an affiliate", "Board member", "Executive director"]
)
LANGUAGES = [
    "",
    "",
    "",
    "French",
    "Swahili",
    "Japanese;Chinese",
    "Indonesian",
    "Tagalog",
    "Hausa;Yoruba",
]
CLINICS = [
    (
        "2023-01-14-building-a-wikimedia-affiliate-group",
        "Building a Wikimedia Affiliate/Group",
        datetime(2023, 1, 14, 6, tzinfo=UTC),
        "Let's Connect Learning Clinic: Building a Wikimedia User Group",
    ),
    (
        "2023-02-21-copyright-clinic-awareness-education",
        "Copyright Clinic: Awareness + Education",
        datetime(2023, 2, 21, 15, tzinfo=UTC),
        "Let's Connect Learning Clinic: Copyright Clinic",
    ),
    (
        "2023-04-02-travel-scholarships",
        "Guidelines, best practices, and documented learnings related to travel scholarships",
        datetime(2023, 4, 2, 6, tzinfo=UTC),
        "Let's Connect Learning Clinic: Travel scholarships",
    ),
]


def people() -> list[dict[str, str]]:
    result = []
    for country, count in COUNTRIES:
        for _ in range(count):
            first, last = RANDOM.choice(FIRST), RANDOM.choice(LAST)
            number = len(result) + 1
            region = REGION_OF.get(country, "East, Southeast Asia, & Pacific")
            if RANDOM.random() < 0.08:  # self-reported regions are often wrong
                region = (
                    "East, Southeast Asia, & Pacific"
                    if region != "East, Southeast Asia, & Pacific"
                    else "South Asia"
                )
            result.append(
                {
                    "first": first,
                    "last": last,
                    "email": f"{first}.{last}{number}@example.org".lower(),
                    "username": f"{first}_{last}{number}"
                    if RANDOM.random() < 0.5
                    else f"{first.lower()} {last}{number}",
                    "country": RANDOM.choice(SPELLINGS.get(country, [country])),
                    "region": region,
                    "role": RANDOM.choice(ROLES),
                    "languages": RANDOM.choice(LANGUAGES),
                }
            )
            result[-1].update(extras(country))
    RANDOM.shuffle(result)
    return result


def extras(country: str) -> dict[str, str]:
    """Skills wanted and offered (Google Forms joins checkbox answers with ", ") and a home wiki."""
    wanted = EXTRA.sample(SKILL_CHOICES, EXTRA.choice([0, 1, 1, 2, 2, 3]))
    offered = EXTRA.sample(SKILL_CHOICES, EXTRA.choice([0, 0, 1, 1, 2]))
    wikis = HOME_WIKIS.get(country, ["en.wikipedia.org", "commons.wikimedia.org", "wikidata.org"])
    return {
        "skills_wanted": ", ".join(wanted),
        "skills_offered": ", ".join(offered),
        "home_wiki": EXTRA.choice(wikis) if EXTRA.random() < 0.8 else "",
    }


def forms_time(moment: datetime) -> str:
    local = moment + timedelta(hours=8)
    return local.strftime("%Y/%m/%d %-I:%M:%S %p") + " GMT+8"


def zoom_time(moment: datetime) -> str:
    return moment.strftime("%b %d, %Y %H:%M:%S")


def main() -> None:
    OUT.mkdir(exist_ok=True)
    everyone = people()
    registrations: dict[str, list[dict[str, str]]] = {c[0]: [] for c in CLINICS}
    for person in everyone:
        first = RANDOM.randrange(3)
        registrations[CLINICS[first][0]].append(person)
        if RANDOM.random() < 0.1:
            registrations[CLINICS[(first + 1) % 3][0]].append(person)
    header = [
        "Timestamp",
        "Email address",
        "Full name",
        "Wikimedia username",
        "Which country are you based in?  ",
        "Which Wikimedia region are you from?",
        "What is your main role in the Wikimedia movement?",
        "Affiliation (if any)",
        "Which languages would you like interpretation into? (Select all that apply)",
        "Which Learning Clinic are you registering for?",
        "What skills do you want to learn?",
        "What skills can you share with others?",
        "Your home wiki",
    ]
    with (OUT / "google-forms-registration.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL)
        writer.writerow(header)
        for clinic_id, title, start, _topic in CLINICS:
            for person in registrations[clinic_id]:
                when = start - timedelta(
                    days=RANDOM.randint(2, 20), minutes=RANDOM.randint(0, 1440)
                )
                email = person["email"].upper() + " " if RANDOM.random() < 0.05 else person["email"]
                row = [
                    forms_time(when),
                    email,
                    f"{person['first']} {person['last']}",
                    person["username"],
                    person["country"],
                    person["region"],
                    person["role"],
                    "",
                    person["languages"],
                    title,
                    person["skills_wanted"],
                    person["skills_offered"],
                    person["home_wiki"],
                ]
                writer.writerow(row)
                if RANDOM.random() < 0.03:  # registered twice
                    writer.writerow(row)
    feedback_rows = []
    came_before: set[str] = set()
    for number, (clinic_id, title, start, topic) in enumerate(CLINICS):
        came = [p for p in registrations[clinic_id] if RANDOM.random() < 0.3]
        # People who came before come again more often than newcomers (drawn apart, with EXTRA:
        # the rows drawn with RANDOM stay as they were).
        again = [
            p
            for p in registrations[clinic_id]
            if p not in came and p["email"] in came_before and EXTRA.random() < 0.7
        ]
        write_zoom(
            clinic_id,
            start,
            topic,
            registrations[clinic_id],
            came,
            layout_2025=number == 1,
            again=again,
        )
        came_before.update(p["email"] for p in came + again)
        for person in came:
            if RANDOM.random() < 0.65:
                score = RANDOM.choices([5, 4, 3, 2], weights=[55, 33, 10, 2])[0]
                feedback_rows.append(
                    [
                        forms_time(start + timedelta(hours=2, minutes=RANDOM.randint(1, 300))),
                        person["email"],
                        title,
                        str(score),
                        RANDOM.choice(["", "Wikidata; Lexemes", 'More on "grants"']),
                    ]
                )
    with (OUT / "google-forms-feedback.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL)
        writer.writerow(
            [
                "Timestamp",
                "Email address",
                "Which Learning Clinic did you attend?",
                "How much did the session meet your expectations? (1 = not at all, 5 = completely)",
                "What would you like to learn next?",
            ]
        )
        writer.writerows(feedback_rows)
    travel = registrations[CLINICS[2][0]]
    # As an organiser downloads it on the eve of the clinic (include_private=true): the layout of
    # CampaignEvents' ListParticipantsHandler, with the answers to the non-personal questions
    # (4: confidence, 5: affiliate). Nothing here draws on RANDOM: the other files stay the same.
    participants = []
    for i, p in enumerate(travel[:40]):
        registered = CLINICS[2][2] - timedelta(days=10, minutes=i)
        name = p["username"].replace("_", " ")
        affiliate = {"message": "No response", "questionID": 5}
        if i % 4 == 1:
            affiliate["message"] = "Yes:&#32;" + EXAMPLE_AFFILIATES[i % len(EXAMPLE_AFFILIATES)]
        elif i % 4 == 2:
            affiliate["message"] = "No"
        confidence = CONFIDENCE[i % len(CONFIDENCE)]
        participants.append(
            {
                "participant_id": 100 + i,
                "user_id": 5000 + i,
                "user_registered_at": registered.strftime("%Y%m%d%H%M%S"),
                "user_registered_at_formatted": (
                    f"{registered:%H:%M}, {registered.day} {registered:%B %Y}"
                ),
                "private": i % 9 == 0,
                "user_name": name,
                "user_page": {
                    "path": "/wiki/User:" + name.replace(" ", "_"),
                    "title": "User:" + name,
                    "classes": "mw-userlink",
                },
                "user_is_valid_recipient": i % 7 != 3,
                "non_pii_answers": [{"message": confidence, "questionID": 4}, affiliate],
            }
        )
    (OUT / "2023-04-02-travel-scholarships-meta-wiki-participants.json").write_text(
        json.dumps(participants, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )


def write_zoom(
    clinic_id: str,
    start: datetime,
    topic: str,
    registered: list[dict[str, str]],
    came: list[dict[str, str]],
    *,
    layout_2025: bool,
    again: list[dict[str, str]] | None = None,
) -> None:
    path = OUT / f"zoom-attendee-report-{clinic_id[:10]}.csv"
    again = again or []
    viewers = len(came) + len(again)
    zoom_registrants = [p for p in registered if RANDOM.random() < 0.8 or p in came or p in again]
    width = 14 if layout_2025 else 0
    rows: list[list[str]] = [
        ["Attendee Report", ""],
        ["Report Generated:", zoom_time(start + timedelta(hours=3))],
        [
            "Topic",
            "Webinar ID",
            "Actual Start Time",
            "Actual Duration (minutes)",
            "# Registered",
            "# Cancelled",
            "Unique Viewers",
            "Total Users",
            "Max Concurrent Views",
        ],
        [
            topic,
            "912 345 678",
            zoom_time(start - timedelta(minutes=2)),
            "124",
            str(len(zoom_registrants)),
            "0",
            str(viewers),
            str(viewers + 5),
            str(viewers),
        ],
        ["Host Details", ""],
        [
            "Attended",
            "User Name",
            "Email",
            "Join Time",
            "Leave Time",
            "Time in Session (minutes)",
            "Country/Region Name",
        ],
        [
            "Yes",
            "Let's Connect Team",
            "letsconnect-host@example.org",
            zoom_time(start - timedelta(minutes=2)),
            zoom_time(start + timedelta(minutes=122)),
            "124",
            "Philippines",
        ],
        ["Attendee Details", ""],
        [
            "Attended",
            "User Name (Original Name)" if layout_2025 else "First Name",
            "Email",
            "Registration Time",
            "Approval Status",
            "Join Time",
            "Leave Time",
            "Time in Session (minutes)",
            "Country/Region Name",
        ],
    ]
    for person in zoom_registrants:
        name = f"{person['first']} {person['last']}" if layout_2025 else person["first"]
        country = (
            person["country"].strip()
            if person["country"].strip() not in ("NG", "PH")
            else "Nigeria"
        )
        if person in came:
            join = start + timedelta(minutes=RANDOM.randint(0, 20))
            rows.append(
                [
                    "Yes",
                    name,
                    person["email"],
                    zoom_time(start - timedelta(days=3)),
                    "approved",
                    zoom_time(join),
                    zoom_time(join + timedelta(minutes=90)),
                    "90",
                    country,
                ]
            )
            if RANDOM.random() < 0.15:  # dropped out and rejoined
                rows.append(
                    [
                        "Yes",
                        name,
                        person["email"],
                        zoom_time(start - timedelta(days=3)),
                        "approved",
                        zoom_time(join + timedelta(minutes=95)),
                        zoom_time(join + timedelta(minutes=110)),
                        "15",
                        country,
                    ]
                )
        elif person in again:
            join = start + timedelta(minutes=EXTRA.randint(0, 20))
            rows.append(
                [
                    "Yes",
                    name,
                    person["email"],
                    zoom_time(start - timedelta(days=3)),
                    "approved",
                    zoom_time(join),
                    zoom_time(join + timedelta(minutes=90)),
                    "90",
                    country,
                ]
            )
        else:
            rows.append(
                [
                    "No",
                    name,
                    person["email"],
                    zoom_time(start - timedelta(days=3)),
                    "approved",
                    "--",
                    "--",
                    "--",
                    "--",
                ]
            )
    with path.open("w", newline="", encoding="utf-8-sig" if layout_2025 else "utf-8") as handle:
        writer = csv.writer(handle)
        for row in rows:
            writer.writerow(row + [""] * (width - len(row)) if width else row)


if __name__ == "__main__":
    main()
