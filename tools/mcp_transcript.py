"""Write the transcript in docs/mcp.md: an assistant using `coffeechat mcp` on vault_example.

Run: .venv/bin/python tools/mcp_transcript.py [--write]
It starts the server on a copy of vault_example/ at the example's Monday morning, drives it
with the MCP SDK's stdio client as an assistant would, and prints the exchange as Markdown
(--write puts it into docs/mcp.md, between the transcript markers). What the user and the
assistant say is written here; every tool call and answer is the server's own.
tests/test_mcp.py checks that docs/mcp.md holds what this prints.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-11-23T09:00:00-06:00"
START, END = "<!-- transcript: tools/mcp_transcript.py -->", "<!-- end of transcript -->"


def _json(data: Any) -> str:
    return "```json\n" + json.dumps(data, indent=2, ensure_ascii=False) + "\n```"


def _text(result: Any) -> str:
    return "\n".join(block.text for block in result.content)


async def _exchange(vault: Path) -> list[str]:
    parameters = StdioServerParameters(
        command=sys.executable,
        args=["-m", "coffeechat", "--vault", str(vault), "mcp"],
        cwd=str(vault),
        env={"COFFEECHAT_NOW": NOW, "HOME": str(vault), "PYTHONPATH": str(ROOT / "src")},
    )
    out: list[str] = []

    def user(text: str) -> None:
        out.extend([f"**You:** {text}", ""])

    def said(text: str) -> None:
        out.extend([f"**Assistant:** {text}", ""])

    with open(os.devnull, "w") as quiet:
        async with (
            stdio_client(parameters, errlog=quiet) as (read, write),
            ClientSession(read, write) as client,
        ):
            await client.initialize()

            async def call(tool: str, arguments: dict[str, Any]) -> Any:
                shown = json.dumps(arguments, ensure_ascii=False)
                out.extend([f"*calls `{tool}` {shown}*", ""])
                return await client.call_tool(tool, arguments)

            prompt = await client.get_prompt("morning_review", {})
            user("*(picks the `morning_review` prompt)*")
            out.extend(["> " + prompt.messages[0].content.text, ""])
            due = (await call("due_today", {})).structured_content
            first = due["due"][:3]
            out.extend([_json({"version": due["version"], "due": [*first, "…"]}), ""])
            named = {item["person"] for item in first}
            people = {item["person"] for item in due["due"][3:] if item["person"]} - named
            ranked = (await call("who_next", {"count": 3})).structured_content["people"]
            out.extend([_json({"version": 1, "people": [*ranked[:1], "…"]}), ""])
            said(
                f"{len(due['due'])} things are due. Most urgent: "
                + "; ".join(f"{item['what']} ({item['overdue_days']} days late)" for item in first)
                + ". Others waiting on you: "
                f"{', '.join(sorted(people))}. Someone new to write to: {ranked[0]['name']} "
                f"({'; '.join(ranked[0]['reasons'][:2])}). Shall I draft the nudge?"
            )

            user("Yes, draft the nudge to Divya.")
            draft = await call("draft_message", {"kind": "nudge", "name": "divya"})
            out.extend(["```text", draft.content[0].text.rstrip("\n"), "```", ""])
            out.extend([f"`{draft.content[1].text}`" if len(draft.content) > 1 else "", ""])
            said("Here it is to paste into your mail; tell me once you have sent it.")

            user("Sent.")
            marked = await call("mark_milestone", {"name": "divya", "milestone": "nudged"})
            out.extend(["```text", _text(marked), "```", ""])
            said("Recorded: Divya Nair was nudged today.")

            user("Priya said her referral is a go.")
            refused = await call("set_keys", {"name": "priya", "assignments": ["referral=yes"]})
            out.extend(["```text", f"(tool error) {_text(refused)}", "```", ""])
            agreed = await call("set_keys", {"name": "priya", "assignments": ["referral=agreed"]})
            out.extend(["```text", _text(agreed), "```", ""])
            said("Done: Priya Raman's note now says `referral: agreed`.")

            user("Prep me for Wednesday's chat with Priya: just the questions and the ask.")
            sheet = (await call("prep_sheet", {"name": "priya"})).structured_content
            must = [q["text"] for q in sheet["questions"] if q["must"]]
            out.extend([_json({"questions": sheet["questions"][:3], "…": "…"}), ""])
            ask = (
                f" At minute {sheet['ask']['minute']}, ask: “{sheet['ask']['text']}”"
                if sheet["ask"]
                else " The sheet has no referral ask: she has agreed already."
            )
            said(
                "Ask these first: "
                + " ".join(f"({n}) {text}" for n, text in enumerate(must, 1))
                + ask
            )
    return out


def transcript() -> str:
    with tempfile.TemporaryDirectory() as folder:
        vault = Path(folder) / "vault"
        ignored = shutil.ignore_patterns(".coffeechat", "prep", "invites")
        shutil.copytree(ROOT / "vault_example", vault, ignore=ignored)
        lines = asyncio.run(_exchange(vault))
    return "\n".join(lines).strip() + "\n"


def main() -> None:
    text = transcript()
    if "--write" not in sys.argv:
        print(text, end="")
        return
    page = ROOT / "docs" / "mcp.md"
    before, _, rest = page.read_text().partition(START + "\n")
    _, _, after = rest.partition(END)
    page.write_text(f"{before}{START}\n{text}{END}{after}")


if __name__ == "__main__":
    main()
