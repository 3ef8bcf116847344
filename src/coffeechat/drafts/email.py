"""`mailto:` links (RFC 6068): a draft that opens in any mail app's compose window."""

from __future__ import annotations

from urllib.parse import quote


def mailto_link(address: str, subject: str, body: str) -> str:
    """`mailto:ADDRESS?subject=…&body=…`, percent-encoded as RFC 6068 asks: UTF-8 bytes,
    spaces as %20 (never +), and every line break in the body as %0D%0A."""
    crlf_body = body.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")
    fields = [("subject", subject), ("body", crlf_body)]
    query = "&".join(f"{name}={quote(value, safe='')}" for name, value in fields if value)
    return f"mailto:{quote(address, safe='@')}" + (f"?{query}" if query else "")
