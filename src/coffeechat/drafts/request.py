"""What a draft is asked for (`Request`), and the facts about the person it is for: who
introduced them, the mutual contact, the school you share, where the application stands,
whether they helped."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property

from coffeechat.core.text import proper_name
from coffeechat.model.config import Config
from coffeechat.model.journey import Application, Journey, journey_of
from coffeechat.model.names import label
from coffeechat.model.note import Company, Person


@dataclass(frozen=True)
class Request:
    kind: str
    person: Person
    company: Company | None
    config: Config
    now: datetime
    channel: str
    body_text: str  # the person's note body: only its Thanks:/Next: call lines are read
    offer_at: str | None = None
    force: bool = False
    people: tuple[Person, ...] = ()  # to find who `introduced_by` and `mutual` name
    companies: tuple[Company, ...] = ()  # every company note: where each application stands
    body_line: int = 0  # the note's line where `body_text` starts (for file:line), 0 unknown
    # Only to find what the note-like check left out: a render that keeps those values.
    keep_notes: bool = False

    @property
    def stem(self) -> str:
        return self.person.stem

    @property
    def today(self) -> date:
        return self.config.today(self.now)

    @cached_property
    def journey(self) -> Journey:
        """Every application and everyone's part, from the notes the request carries; built
        once per draft, which asks it several things."""
        people = self.people or (self.person,)
        companies = self.companies or ((self.company,) if self.company else ())
        return journey_of(people, companies, self.now, self.config.zone)


def _named(text: str) -> str:
    """Who a value names when no note answers: a link's target (`[[Jo Park|Jo]]` is Jo Park),
    else the text."""
    from coffeechat.model.names import parse_link

    link = parse_link(text)
    return link.target.rsplit("/", 1)[-1] if link else text.strip()


def introducer(request: Request) -> Person | None:
    """The person note `introduced_by` names, or a stand-in with only the name given."""
    from coffeechat.model.names import resolve

    text = request.person.introduced_by
    if not text:
        return None
    return resolve(text, request.people) or Person(file="", name=_named(text))


def mutual_contact(request: Request) -> Person | None:
    """The first `mutual` entry, as its person note (or a stand-in with the name given)."""
    from coffeechat.model.names import resolve

    for text in request.person.mutual:
        if label(text).strip():
            return resolve(text, request.people) or Person(file="", name=_named(text))
    return None


def alumni(request: Request) -> str:
    """The school you share with them, when you do: theirs (`connection: alumni` with
    `school:`, or the same school as yours), else yours for a bare `connection: alumni`."""
    from coffeechat.model.names import same_school

    person, config = request.person, request.config
    if same_school(person, config):
        return config.school
    if person.connection == "alumni":
        return person.school or config.school
    return ""


def application(request: Request) -> Application | None:
    """The application the draft is about: the one at `--at COMPANY` when given; else the one
    whose news they are owed (their company's first, then one of someone they introduced you
    to); else the one at their company (its note, or their own old `applied:`/`outcome:`)."""
    found = request.journey
    if request.offer_at:
        note = found.companies.find(request.offer_at)
        return found.applications.get(note.file) if note else None
    own = found.application(request.person)
    if request.kind != "update":
        return own  # a withdrawal, a hold, an offer: their own company's
    owed = [app for app, _ in found.news_for(request.person)]
    if owed and own not in owed:
        return owed[0]
    return own


def application_company(request: Request) -> str:
    """The company of that application, or theirs."""
    found = application(request)
    return (found.company if found else "") or label(request.person.company)


def application_status(request: Request) -> str:
    """Where that application stands now, or ""."""
    found = application(request)
    return found.status if found else ""


def accepted_at(request: Request) -> str:
    """The company whose offer you accepted, or ""."""
    accepted = request.journey.accepted
    return accepted.company if accepted else ""


def helped_with(request: Request) -> str:
    """What they did for you, said to them: "your introduction to Nadia Haddad", "your
    referral" ("offering to refer me" while your resume is not yet sent), "taking the time to
    talk with me"; "" when nothing."""
    helps = request.journey.helps(request.person)
    words = []
    introduced = [proper_name(h.detail) for h in helps if h.what == "introduced"]
    if introduced:
        words.append(f"your introduction to {' and '.join(introduced)}")
    if any(h.what == "referred" for h in helps):
        person = request.person
        offered = person.referral == "agreed" and not person.sent
        words.append("offering to refer me" if offered else "your referral")
    if any(h.what == "chatted" for h in helps) and not words:
        words.append("taking the time to talk with me")
    return " and ".join(words)


def introduced(request: Request) -> str:
    """The people they introduced you to, by name ("Nadia Haddad and Wes Calloway")."""
    helps = request.journey.helps(request.person)
    return " and ".join(proper_name(h.detail) for h in helps if h.what == "introduced")


def referral_open(request: Request) -> bool:
    """Whether a referral asked about or agreed is still open: a check-in is then about it;
    else it is a note to keep in touch, which asks for nothing."""
    person = request.person
    return person.referral in ("asked", "agreed") and not request.journey.closed(person)


def moved(request: Request) -> bool:
    """Whether an import found them in a new job and you have not been in touch since."""
    from coffeechat.model.dated import dated

    person = request.person
    changes = dated(person.raw_body, "moved")
    if not changes:
        return False
    day = changes[-1][0]
    return not (person.checked_in and person.checked_in >= day)


def chatted(request: Request) -> bool:
    return request.person.chat is not None and request.person.chat <= request.now


def personal(request: Request) -> bool:
    """Whether a first message has something of the user's own to say: who introduced
    you, a mutual contact, a shared school, a `hook`, the company's `interest` or `news`
    (a value that reads as a note does not count: the draft leaves it out)."""
    from coffeechat.model.written import note_like

    person, company = request.person, request.company
    said = [(person.hook, True)]
    if company:
        said += [(company.interest, False), (company.news, False)]
    return bool(
        person.introduced_by
        or person.mutual
        or alumni(request)
        or any(text and not note_like(text, about, person.name) for text, about in said)
    )


def helped(request: Request) -> bool:
    """Whether they helped: a chat that took place, a referral agreed or given, or an
    introduction to someone in the vault."""
    return bool(request.journey.helps(request.person))


def helped_before_step(request: Request) -> bool:
    """Whether they helped before the application reached where it stands (any help, when
    the notes do not date that step)."""
    found = application(request)
    since = found.since if found else None
    return request.journey.helped_before(request.person, since)


def close_out(request: Request) -> tuple[list[Person], list[Person]]:
    """After an accepted offer: who else to tell and thank (everyone who helped), and whom
    to ask to hold a referral that is not in yet at another company."""
    found = request.journey
    tell, hold = [], []
    for person in request.people:
        if person.file == request.person.file or person.loop:
            continue  # who was part of your own application knows
        if found.holds(person):
            hold.append(person)
        elif found.helps(person):
            tell.append(person)
    return tell, hold
