"""The kinds of draft: outreach, intro request, connection note, nudge, thank-you, update,
offer.

Each kind is declared once in `KINDS`: what it says, the checks that refuse it, the command
that records it once sent, its default channel and its limits. The command's choices, its
help and docs/drafts.md's table come from there; its words are `templates/KIND.txt`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import NoReturn

from coffeechat.core.errors import CoffeechatError
from coffeechat.core.shell import shell_word
from coffeechat.drafts.phrasing import day_words
from coffeechat.drafts.request import (
    Request,
    accepted_at,
    application,
    application_status,
    chatted,
    helped,
    helped_before_step,
    introduced,
    mutual_contact,
    personal,
    referral_open,
)
from coffeechat.model.names import label
from coffeechat.model.note import Person
from coffeechat.when.timefmt import plural

CONNECT_LIMITS = {"free": 200, "premium": 300}


def _refuse(message: str) -> NoReturn:
    raise CoffeechatError(message)


def _no_personal_line(request: Request) -> NoReturn:
    from coffeechat.model.written import note_like

    name = request.person.name
    company = label(request.person.company) or "their company"
    hook = request.person.hook
    if hook and (why := note_like(hook, True, name)):
        _refuse(
            f"nothing personal to say to {name}: their `hook` reads as a note ({why}), so "
            "no draft quotes it. Rephrase it as a sentence to them: coffeechat set "
            f'{request.stem} hook="I enjoyed your talk on …"'
        )
    _refuse(
        f"nothing personal to say to {name}: share your in. Set a sentence to them with "
        f'coffeechat set {request.stem} hook="I enjoyed your talk on …", or add `interest:` '
        f"(why you are keen on {company}) or `news:` to the company note"
    )


def _check_not_in_loop(request: Request) -> None:
    """No first message, or request for an introduction, to someone in your own loop."""
    person = request.person
    if person.loop and not request.force:
        _refuse(
            f"{person.name} is part of your own application (`loop: {person.loop}`): reach out "
            "once the process is over; --force to draft it anyway"
        )


def _check_in_touch(request: Request, what: str) -> None:
    """No first message, or request for an introduction, to someone you already talk with:
    they replied, or a chat is set or took place."""
    person = request.person
    if request.force:
        return
    if person.chat is not None:
        day = person.chat.astimezone(request.config.zone).date()
        when = "took place" if person.chat <= request.now else "is set"
        _refuse(
            f"your chat with {person.name} {when} ({day}): no {what} now; "
            f"coffeechat draft checkin {request.stem} to write to them, or --force"
        )
    if person.replied:
        _refuse(
            f"{person.name} replied on {person.replied}: no {what} now; "
            f"coffeechat slots {request.stem} to offer times, or --force"
        )


def _check_first_message(request: Request) -> None:
    person = request.person
    _check_not_in_loop(request)
    if person.messaged and not request.force:
        _refuse(
            f"you messaged {person.name} on {person.messaged} already: "
            f"coffeechat draft nudge {request.stem}, or --force for a new first message"
        )
    _check_in_touch(request, "first message")
    if not request.config.looking_for:
        _refuse('set `looking_for` in coffeechat.toml, e.g. looking_for = "backend roles"')
    if accepted_at(request) and not request.force:
        _refuse(
            f"you accepted the offer at {accepted_at(request)}: no new first messages; "
            "--force to draft one anyway"
        )
    if person.connection == "intro" and not person.introduced_by:
        _refuse(
            f"who introduced you to {person.name}? coffeechat set {request.stem} "
            'introduced_by="Their Name" (outreach opens with them)'
        )
    if person.connection not in ("1st",) and not personal(request):
        _no_personal_line(request)


def _check_intro(request: Request) -> None:
    person = request.person
    _check_not_in_loop(request)
    if not request.config.looking_for:
        _refuse('set `looking_for` in coffeechat.toml, e.g. looking_for = "backend roles"')
    if accepted_at(request) and not request.force:
        _refuse(
            f"you accepted the offer at {accepted_at(request)}: no new introductions; "
            "--force to draft one anyway"
        )
    if person.introduced_by:
        _refuse(
            f"{person.name} was introduced already, by {label(person.introduced_by)}: "
            f"coffeechat draft outreach {request.stem}"
        )
    if person.connection == "1st":
        _refuse(
            f"you are connected with {person.name} already (`connection: 1st`): "
            f"coffeechat draft outreach {request.stem}"
        )
    if mutual_contact(request) is None:
        _refuse(
            f"no mutual contact for {person.name}: add who could introduce you, "
            f'coffeechat set {request.stem} mutual="Their Name"'
        )
    _check_in_touch(request, "introduction")
    if person.messaged and not request.force:
        _refuse(
            f"you messaged {person.name} on {person.messaged} already: "
            f"coffeechat draft nudge {request.stem}, or --force"
        )


def _check_connect(request: Request) -> None:
    person = request.person
    if not chatted(request):
        _check_not_in_loop(request)
    if request.channel == "email":
        _refuse("a connection note is for LinkedIn; use --channel linkedin")
    if person.connection == "1st":
        _refuse(
            f"you are connected with {person.name} already (`connection: 1st`); "
            f"write to them instead: coffeechat draft outreach {request.stem}"
        )
    if not chatted(request) and not personal(request):
        _no_personal_line(request)


def _check_nudge(request: Request) -> None:
    person, config, today = request.person, request.config, request.today
    if request.force:
        return
    if accepted_at(request):
        _refuse(
            f"you accepted the offer at {accepted_at(request)}: no follow-up asking for a chat; "
            f"--force to draft one anyway"
        )
    if person.messaged is None:
        _refuse(f"{person.name} has not been messaged yet (no `messaged:`); draft outreach")
    elif person.replied:
        _refuse(f"{person.name} replied on {person.replied}; no nudge needed")
    elif person.nudged:
        _refuse(f"already nudged on {person.nudged}; one follow-up is enough")
    else:
        due = person.messaged + timedelta(days=config.nudge_after_days)
        if today < due:
            _refuse(
                f"too early: messaged {day_words(person.messaged, today)} "
                f"({plural((today - person.messaged).days, 'day')} ago); a nudge is due on "
                f"{due} (nudge_after_days = {config.nudge_after_days}); --force to draft it now"
            )


def _check_thanks(request: Request) -> None:
    person = request.person
    if person.chat is None:
        _refuse(
            f"no chat recorded for {person.name}: coffeechat mark {request.stem} chat --on WHEN"
        )
    elif person.chat > request.now and not request.force:
        _refuse(f"the chat is on {person.chat:%Y-%m-%d %H:%M}; thank them after it")
    elif person.thanked and not request.force:
        _refuse(
            f"you thanked {person.name} on {person.thanked} (`thanked:`); --force for "
            "another thank-you"
        )


def _check_helped(request: Request) -> None:
    """An update or an offer's news goes to people who helped, not to a cold contact."""
    person = request.person
    if request.force or helped(request):
        return
    _refuse(
        f"{person.name} has not helped with this search yet (no chat, referral or "
        "introduction), so there is nothing to thank them for; --force to draft it anyway"
    )


def _check_loop(request: Request) -> None:
    """Nobody in your own application's loop is told how it goes, or thanked for it."""
    person = request.person
    if person.loop and not request.force:
        _refuse(
            f"{person.name} is part of your own application (`loop: {person.loop}`): they know "
            "how it stands; --force to draft it anyway"
        )


def _check_update(request: Request) -> None:
    _check_loop(request)
    _check_helped(request)
    found = application(request)
    company = request.offer_at or label(request.person.company)
    if found is None and not company:
        _refuse(
            f"no application to tell {request.person.name} about: record one with "
            '`coffeechat company step "COMPANY" STATUS`, or name it with --at COMPANY'
        )
    if found is None:
        _refuse(
            f"no application recorded for {company}: `coffeechat company step "
            f"{shell_word(company)} STATUS` records one (applied, interviewing, offer, rejected…)"
        )
    elif found.accepted or accepted_at(request):
        _refuse(
            f"you accepted the offer at {accepted_at(request)}: `coffeechat draft offer "
            f"{request.stem}` tells them and thanks them"
        )
    elif not request.force and not request.journey.helped_with_application(request.person, found):
        _refuse(
            f"{request.person.name} did not help with the application at {found.company}: "
            "nothing to thank them for there; --force to draft it anyway"
        )
    elif not request.force and not helped_before_step(request):
        _refuse(
            f"{request.person.name} helped after {found.company}'s application reached "
            f"{found.status} ({found.since}): it is not theirs to be thanked for; --force "
            "to draft it anyway"
        )


def _check_offer(request: Request) -> None:
    _check_loop(request)
    _check_helped(request)
    if request.offer_at:
        found = application(request)
        if (found is None or not found.accepted) and not request.force:
            where = found.company if found else request.offer_at
            _refuse(
                f"no accepted offer at {where}: `coffeechat company step {shell_word(where)} "
                "accepted` records it once you accept"
            )
        return
    if accepted_at(request):
        return
    status = application_status(request)
    company = label(request.person.company) or "their company"
    if status == "offer":
        _refuse(
            f"you have an offer from {company} but have not accepted it: "
            f"`coffeechat company step {shell_word(company)} accepted` once you do; "
            f"`coffeechat draft update {request.stem}` tells them about the offer"
        )
    _refuse(
        "no accepted offer: `coffeechat company step COMPANY accepted` records it (or --at COMPANY)"
    )


def _check_referral_open(request: Request) -> None:
    person = request.person
    if person.referral not in ("asked", "agreed"):
        state = f"`referral: {person.referral}`" if person.referral else "no referral asked"
        _refuse(f"{state} for {person.name}: nothing to check in on or hold")


def _check_checkin(request: Request) -> None:
    """A referral still open: the check-in is about it. Else a note to keep in touch, to
    someone who answered at some point (or whom you never had to message)."""
    person = request.person
    if (
        person.referral == "agreed"
        and not person.sent
        and referral_open(request)
        and not request.force
    ):
        _refuse(
            f"{person.name} offered to refer you and is waiting for your resume and the "
            f"posting: coffeechat draft send {request.stem} first; --force to check in anyway"
        )
    if referral_open(request):
        return
    if person.messaged and not (person.replied or chatted(request)) and not request.force:
        _refuse(
            f"{person.name} has not answered your message of {person.messaged}: nothing to "
            f"keep up yet; coffeechat draft nudge {request.stem} follows it up"
        )
    if person.chat is not None and person.chat > request.now and not request.force:
        _refuse(
            f"your chat with {person.name} is on {person.chat:%Y-%m-%d %H:%M}: nothing to keep "
            f"up before it; coffeechat prep {request.stem}"
        )
    helped = request.journey.accepted is not None and request.journey.helps(person)
    if person.touched is None and not helped and not request.force:
        _refuse(
            f"nothing dated in {person.name}'s note yet: a note to keep in touch follows a "
            f'conversation; coffeechat log {request.stem} "…" records one'
        )


def _check_hold(request: Request) -> None:
    _check_referral_open(request)
    if not accepted_at(request):
        _refuse(
            "no accepted offer: a referral is held once you accept one elsewhere "
            "(`coffeechat company step COMPANY accepted`)"
        )
    if not request.force and not request.journey.holds(request.person):
        _refuse(
            f"{request.person.name}'s referral needs no hold: it is in already, the application "
            "there is over, or it is where you accepted; --force to draft it anyway"
        )


def _check_open(request: Request) -> None:
    """Nothing more is asked of a closed contact."""
    reason = request.journey.closed(request.person)
    if reason and not request.force:
        _refuse(
            f"{request.person.name} is closed ({reason}): nothing more to ask of them; "
            "--force to draft it anyway"
        )


def _check_send(request: Request) -> None:
    _check_open(request)
    person = request.person
    if person.referral != "agreed":
        _refuse(f"{person.name} has not agreed to refer you (`referral: agreed`)")
    if person.sent and not request.force:
        _refuse(f"you sent it on {person.sent} (`sent:`); --force to send it again")


def _check_introducer(request: Request) -> None:
    if not introduced(request):
        _refuse(
            f"nobody in the vault says {request.person.name} introduced them "
            "(`introduced_by:` on the person they introduced)"
        )


def _check_withdraw(request: Request) -> None:
    found = application(request)
    if found is None or not (found.live or found.status == "withdrawn"):
        company = label(request.person.company) or "their company"
        _refuse(f"no application in process at {company} to withdraw")
    person = request.person
    if not (helped(request) or person.replied or person.loop or request.force):
        _refuse(
            f"{person.name} has had no part in your application (no reply, chat, referral "
            "or introduction): tell those who did; --force to draft it anyway"
        )


@dataclass(frozen=True)
class DraftKind:
    """One kind of message: what it says, when it is refused, what records it once sent."""

    name: str
    says: str  # for --help and docs/drafts.md
    refuses: str  # for docs/drafts.md
    check: Callable[[Request], None]
    record: str  # the command to run once it is sent; {stem}, {to} and {to_name} filled in
    channel: str = "email"  # the default: email when the note has an address, else linkedin
    words: int = 0  # over this many words, a note says short messages get more replies
    to_mutual: bool = False  # written to their mutual contact, not to them
    first: bool = False  # opens contact: its record names the template, for `stats --by`


KINDS: dict[str, DraftKind] = {
    kind.name: kind
    for kind in (
        DraftKind(
            "outreach",
            "the first message: who you are (who introduced you, a fellow graduate, no "
            "introduction to a 1st-degree contact), the posting, your `hook` or the company's "
            "`interest` or `news`, and a short call",
            "`messaged` or `replied` is set, or a chat is set or took place (`--force` "
            "overrides); `looking_for` is not set; "
            "`connection: intro` without `introduced_by`; a cold message with nothing personal; "
            "they are in your own application's loop (`loop:`)",
            _check_first_message,
            "mark {stem} messaged",
            words=120,
            first=True,
        ),
        DraftKind(
            "intro",
            "to their `mutual` contact: would they introduce you, naming both and why",
            "no `mutual:`; already introduced, or 1st-degree; messaged, replied, or a chat set "
            "or held; in your own loop (`loop:`)",
            _check_intro,
            'log {stem} "asked {to_name} for an introduction"',
            words=120,
            to_mutual=True,
        ),
        DraftKind(
            "connect",
            "a LinkedIn connection note, no ask: after a chat, thanks for it; before, one "
            "personal line",
            "`connection: 1st`; nothing personal before a chat; over LinkedIn's limit",
            _check_connect,
            "mark {stem} connected",
            channel="linkedin",
        ),
        DraftKind(
            "nudge",
            "the one follow-up: one line on who you are, the ask again",
            "not yet `nudge_after_days` since `messaged`, they replied, you already nudged, or "
            "you accepted an offer (`--force` overrides)",
            _check_nudge,
            "mark {stem} nudged",
            words=90,
        ),
        DraftKind(
            "thanks",
            "thanks for the chat, your `Thanks:` line, the referral (after a yes: your resume "
            "and the posting), your `Next:` line",
            "no chat, a chat still ahead, or `thanked` set (`--force` overrides)",
            _check_thanks,
            "mark {stem} thanked",
        ),
        DraftKind(
            "send",
            "your resume and the posting for an agreed referral, once the thank-you is sent",
            "no `referral: agreed`; `sent` is set (`--force` overrides)",
            _check_send,
            "mark {stem} sent",
        ),
        DraftKind(
            "checkin",
            "one warm check-in on a referral asked about or agreed, no pressure; with no "
            "referral open, a short note to keep in touch that asks for nothing: your news, "
            "their company's `news`, an offer of help back once your search is over",
            "they never answered your message; your chat with them is still ahead; they "
            "agreed to refer you and your resume is not sent yet; nothing dated in the note "
            "(`--force` overrides)",
            _check_checkin,
            "mark {stem} checked_in",
            words=90,
        ),
        DraftKind(
            "introducer",
            "thanks for an introduction, naming whom they introduced you to",
            "nobody's `introduced_by` names them",
            _check_introducer,
            "mark {stem} thanked",
            words=90,
        ),
        DraftKind(
            "update",
            "where the application at their company (or `--at COMPANY`) stands, thanking them "
            "for what they did (the introduction, the referral, the conversation)",
            "no application recorded; an accepted offer (that is `offer`); they have not "
            "helped, or helped only after the step (`--force` overrides)",
            _check_update,
            "mark {stem} updated",
        ),
        DraftKind(
            "offer",
            "you accepted an offer (`company step NAME accepted`, or `--at COMPANY`), thanking "
            "them for what they did",
            "no accepted offer (an offer received is `update`); they have not helped "
            "(`--force` overrides)",
            _check_offer,
            "mark {stem} updated",
        ),
        DraftKind(
            "hold",
            "you accepted an offer elsewhere: please hold the referral, with thanks",
            "no `referral: asked` or `agreed`; no accepted offer",
            _check_hold,
            "mark {stem} updated",
            words=90,
        ),
        DraftKind(
            "withdraw",
            "you are withdrawing your application at their company, with thanks",
            "no application in process there; they had no part in it (no reply, chat, "
            "referral, introduction or `loop:`)",
            _check_withdraw,
            "mark {stem} updated",
            words=90,
        ),
    )
}


def check(request: Request) -> None:
    """Refuse, with the reason and what to do, a draft that would be wrong or half-filled."""
    person, config = request.person, request.config
    kind = KINDS[request.kind]
    if not config.name.strip():
        _refuse('your name is not set: add `name = "Your Name"` to coffeechat.toml')
    if request.channel == "email" and not kind.to_mutual and not person.email:
        _refuse(
            f"no email for {person.name}: coffeechat set {request.stem} email=ADDRESS, "
            "or --channel linkedin"
        )
    kind.check(request)


def recipient(request: Request) -> Person:
    """Who reads the draft: them, or for an intro request their mutual contact."""
    if KINDS[request.kind].to_mutual:
        return mutual_contact(request) or request.person
    return request.person


def default_channel(kind: str, reader: Person) -> str:
    if KINDS[kind].channel == "linkedin" or not reader.email:
        return "linkedin"
    return "email"


def check_length(request: Request, body: str, template: str) -> None:
    """Refuse a connection note over LinkedIn's limit for the user's account; `template` is
    the file's name, to say what to shorten."""
    if request.kind != "connect":
        return
    limit = CONNECT_LIMITS[request.config.linkedin_account]
    over = len(body.strip()) - limit
    if over > 0:
        _refuse(
            f"the connection note is {len(body.strip())} characters, {over} over "
            f"LinkedIn's {limit} ({request.config.linkedin_account} account); shorten "
            f"{template} or the note's `hook:`"
        )
