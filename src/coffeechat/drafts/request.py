"""What a draft is asked for (`Request`), and the facts about the person it is for: who
introduced them, the mutual contact, the school you share, where the application stands,
whether they helped."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from coffeechat.model.config import Config
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

    @property
    def stem(self) -> str:
        return self.person.stem

    @property
    def today(self) -> date:
        return self.config.today(self.now)


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


def application_status(request: Request) -> str:
    """Where the application at their company stands: the company's `application:`, else
    the person's own `outcome:` (notes from before applications had a company)."""
    company = request.company
    if company is not None and company.application:
        return company.application
    legacy = {"interview": "interviewing"}
    return legacy.get(request.person.outcome, request.person.outcome)


def chatted(request: Request) -> bool:
    return request.person.chat is not None and request.person.chat <= request.now


def personal(request: Request) -> bool:
    """Whether a first message has something of the user's own to say: who introduced
    you, a mutual contact, a shared school, a `hook`, the company's `interest` or `news`."""
    person, company = request.person, request.company
    return bool(
        person.introduced_by
        or person.mutual
        or alumni(request)
        or person.hook
        or (company and (company.interest or company.news))
    )


def _introducers(people: list[Person]) -> set[str]:
    """The files of the people someone in `people` says introduced them."""
    from coffeechat.model.names import NoteIndex

    index = NoteIndex(people)
    found = (index.find(p.introduced_by) for p in people if p.introduced_by)
    return {helper.file for helper in found if helper is not None}


def helped(person: Person, people: list[Person], now: datetime) -> bool:
    """Whether they helped: a chat that took place, a referral agreed or given, or an
    introduction to someone in `people`."""
    return _helped(person, now, _introducers(people))


def _helped(person: Person, now: datetime, introducers: set[str]) -> bool:
    chatted = person.chat is not None and person.chat <= now
    return chatted or person.refers_you or person.file in introducers


def helpers(people: list[Person], now: datetime, leave_out: Person | None = None) -> list[Person]:
    """Everyone who helped, the people an offer's news goes to."""
    introducers = _introducers(people)
    return [
        person
        for person in people
        if (leave_out is None or person.file != leave_out.file)
        and _helped(person, now, introducers)
    ]
