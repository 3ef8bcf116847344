"""Drafts as mail: the one-address check on `email:`, an `.eml` file a mail app opens as an
unsent draft (RFC 5322), and a `mailto:` link (RFC 6068) that opens in any mail app's compose
window."""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING, NoReturn
from urllib.parse import quote

from coffeechat.core.errors import NoteError, Problem
from coffeechat.model.note import Person

if TYPE_CHECKING:
    from coffeechat.drafts.make import Draft

# One addr-spec: no spaces, controls, commas, brackets or quotes, one @, a dot in the domain.
_ADDRESS = re.compile(r'[^\s\x00-\x1f\x7f@<>(),;:"\[\]\\]+@[^\s\x00-\x1f\x7f@<>(),;:"\[\]\\]+')


def _refuse_value(person: Person, key: str, value: str, what: str) -> NoReturn:
    shown = re.sub(r"[\x00-\x1f\x7f]", lambda m: repr(m.group())[1:-1], value)
    shown = shown if len(shown) <= 80 else shown[:79] + "…"
    raise NoteError(
        Problem(person.path, person.key_lines.get(key), f"{key}: `{shown}` {what}; fix it")
    )


def check_eml(person: Person) -> None:
    """Refuse, naming the key, a name or email that cannot go into a `To:` header as one
    recipient: a line break or control in the name, anything but one address in `email:`."""
    if re.search(r"[\x00-\x1f\x7f]", person.name):
        _refuse_value(person, "name", person.name, "holds a line break or control character")
    check_email(person)


def check_email(person: Person) -> None:
    """Refuse, naming the key, an `email:` that is not one address (`.eml`, mailto, and the
    invitation's ATTENDEE all take exactly one)."""
    email = person.email.strip()
    if not _ADDRESS.fullmatch(email) or "." not in email.rpartition("@")[2]:
        _refuse_value(person, "email", person.email, "is not one address such as name@example.com")


def eml_bytes(draft: Draft, now: datetime, sender: tuple[str, str] = ("", "")) -> bytes:
    """An RFC 5322 message mail clients open as an unsent draft; From is `sender` (name,
    address) when the address is known."""
    from email.message import EmailMessage
    from email.utils import format_datetime, formataddr

    message = EmailMessage()
    if sender[1]:
        message["From"] = formataddr(sender)
    message["To"] = formataddr((draft.to_name, draft.to_email))
    message["Subject"] = draft.subject
    message["Date"] = format_datetime(now)
    message["X-Unsent"] = "1"
    message.set_content(draft.body, charset="utf-8")
    return message.as_bytes()


def mailto_link(address: str, subject: str, body: str) -> str:
    """`mailto:ADDRESS?subject=…&body=…`, percent-encoded as RFC 6068 asks: UTF-8 bytes,
    spaces as %20 (never +), and every line break in the body as %0D%0A."""
    crlf_body = body.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")
    fields = [("subject", subject), ("body", crlf_body)]
    query = "&".join(f"{name}={quote(value, safe='')}" for name, value in fields if value)
    return f"mailto:{quote(address, safe='@')}" + (f"?{query}" if query else "")
