"""Mail: the From of .eml drafts from the `email` setting, and mailto: links (RFC 6068)."""

from __future__ import annotations

import email
import email.policy
import re
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from conftest import MINIMAL_CONFIG, Run, WriteNote

ARJUN_THANKS = (
    "mailto:arjun.mehta@chaicloud.example?subject=Thank%20you%20for%20the%20chat%20on%20Friday"
    "&body=Hi%20Arjun%2C%0D%0A%0D%0AThank%20you%20for%20taking%20the%20time%20to%20talk%20with"
    "%20me%20on%20Friday.%20Your%20tip%20to%20read%20the%20coroutine%20migration%20post%20before"
    "%20applying%20is%20the%20first%20thing%20on%20my%20list.%0D%0A%0D%0AI%27ll%20read%20the"
    "%20migration%20post%20this%20week%2C%20then%20apply%20for%20the%20Kotlin%20backend%20role."
    "%0D%0A%0D%0AI%27ll%20keep%20you%20posted%20on%20how%20things%20go.%0D%0A%0D%0ABest%2C%0D%0A"
    "Sam%20Rivera%0D%0A"
)


def _eml(path: Path) -> email.message.EmailMessage:
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert isinstance(message, email.message.EmailMessage)
    assert message.defects == []
    return message


def test_eml_is_from_your_email_setting(run: Run, example_vault: Path, tmp_path: Path) -> None:
    path = tmp_path / "arjun.eml"
    assert run("draft", "thanks", "arjun", "--eml", str(path), root=example_vault).exit_code == 0
    message = _eml(path)
    assert message["From"] == "Sam Rivera <sam.rivera@example.com>"
    assert path.read_bytes().startswith(b"From: Sam Rivera <sam.rivera@example.com>\nTo: ")


def test_eml_without_your_email_has_no_from(
    run: Run, write_note: WriteNote, vault: Path, tmp_path: Path
) -> None:
    write_note("kim", "name: Kim Lee\ncompany: Acme\nemail: kim@acme.example\nhook: Hi.\n")
    (vault / "coffeechat.toml").write_text(MINIMAL_CONFIG + 'looking_for = "backend roles"\n')
    path = tmp_path / "kim.eml"
    assert run("draft", "outreach", "kim", "--eml", str(path)).exit_code == 0
    assert "From" not in _eml(path)


def test_mailto_prints_the_link_instead_of_the_draft(run: Run, example_vault: Path) -> None:
    result = run("draft", "thanks", "arjun", "--mailto", root=example_vault)
    assert result.exit_code == 0
    assert result.stdout == ARJUN_THANKS + "\n"
    assert result.stderr == "Once sent: coffeechat mark arjun-mehta thanked\n"
    subject, body = run("draft", "thanks", "arjun", root=example_vault).stdout.split("\n\n", 1)
    fields = parse_qs(urlsplit(ARJUN_THANKS).query)
    assert fields == {
        "subject": [subject.removeprefix("Subject: ")],
        "body": [body.replace("\n", "\r\n")],
    }


def test_mailto_encodes_every_delimiter(run: Run, write_note: WriteNote, vault: Path) -> None:
    write_note(
        "kim", "name: Kim Lee\ncompany: Acme & Co\nemail: kim+jobs@acme.example\nhook: Hi.\n"
    )
    (vault / "coffeechat.toml").write_text(MINIMAL_CONFIG + 'looking_for = "backend roles"\n')
    (vault / "templates").mkdir()
    (vault / "templates" / "outreach.txt").write_text(
        "Subject: Q&A = 100% #1?\n\nHi {{ them.first_name }} (Acme & Co),\n"
        "a+b=c? 50% off #tag / é ☕\n\n{{ me.name }}\n"
    )
    result = run("draft", "outreach", "kim", "--mailto")
    assert result.exit_code == 0, result.stderr
    link = result.stdout.rstrip("\n")
    # Only unreserved characters and %XX: nothing a mail app could split or decode as +.
    assert re.fullmatch(r"mailto:[\w.~%@-]+\?subject=[\w.~%-]+&body=[\w.~%-]+", link, re.ASCII)
    address, _, query = link.removeprefix("mailto:").partition("?")
    assert unquote(address) == "kim+jobs@acme.example"
    subject, body = (unquote(part.split("=", 1)[1]) for part in query.split("&"))
    assert subject == "Q&A = 100% #1?"
    assert body == "Hi Kim (Acme & Co),\r\na+b=c? 50% off #tag / é ☕\r\n\r\nSam Rivera\r\n"


def test_mailto_is_for_email_drafts(run: Run, example_vault: Path) -> None:
    result = run(
        "draft", "thanks", "arjun", "--channel", "linkedin", "--mailto", root=example_vault
    )
    assert result.exit_code == 2
    assert "--mailto is for email drafts; use --channel email" in result.stderr
    assert result.stdout == ""


def test_eml_never_replaces_a_file_that_exists_unless_forced(
    run: Run, example_vault: Path, tmp_path: Path
) -> None:
    precious = tmp_path / "precious.txt"
    precious.write_text("precious\n")
    refused = run("draft", "thanks", "arjun", "--eml", str(precious), root=example_vault)
    assert refused.exit_code == 1
    assert refused.stdout == ""
    assert refused.stderr == (
        f"Error: {precious} exists; name a new file for --eml, or pass --force to replace it; "
        "nothing written\n"
    )
    assert precious.read_text() == "precious\n"
    forced = run("draft", "thanks", "arjun", "--eml", str(precious), "--force", root=example_vault)
    assert forced.exit_code == 0
    assert precious.read_bytes().startswith(b"From: ")
