"""`coffeechat mcp`: the vault as tools and prompts for an AI assistant, over stdio.

Every tool is a command: it runs that very command in this process, with `--json` where the
command prints data, and hands back what it printed. So a tool reads exactly what the command's
`--json` shows (with the schema output/shapes.py declares), writes through the same locked,
checked Store edit, and fails with the same one-line refusal on stderr; nothing is retried.
The server reads and writes only the vault's files: it opens no network socket, and sends
nothing anywhere (a draft comes back as text).

This module imports the `mcp` SDK (the `coffeechat[mcp]` extra) at the top: only the `mcp`
command imports it, and only once it runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import click
from mcp.server.mcpserver import MCPServer
from mcp.types import CallToolResult, TextContent, ToolAnnotations
from pydantic import Field

from coffeechat import __version__
from coffeechat.drafts.kinds import KINDS
from coffeechat.model.note import DATE_MILESTONES, STAGES
from coffeechat.output.shapes import output_schema

WHOLE = " Notes are returned to the assistant whole: every key and line, private ones too."
INSTRUCTIONS = """coffeechat keeps a job-seeker's networking contacts as Markdown notes in a
folder (the vault). The tools read it (who is due today, who to contact next, a person, a prep
sheet, times to offer, stats, companies, problems) and write to it (a log line, a milestone's
date, a key, a call's outcome), each exactly as the coffeechat command of that name. A person
is named by their file name (priya-raman), full name, or a unique part of it. Drafts come back
as text for the user to send themselves: never claim a message was sent; record it with
mark_milestone only once the user says they sent it. A tool that refuses says why in one line:
show it to the user and do not retry. Notes are returned to the assistant whole, private keys
and lines too."""


@dataclass(frozen=True)
class Ran:
    """What one command run printed, and its exit code."""

    code: int
    out: str
    err: str


class Runner:
    """Runs coffeechat commands in this process, on one vault, one at a time and all on one
    thread of their own (as on the command line: what a command keeps open, such as the
    places database, is used from the thread that opened it). The commands print to
    `sys.stdout` and `sys.stderr`, which are caught for the length of the run; the transport
    writes to a descriptor of its own."""

    def __init__(self, group: click.Command, vault: Path, use_cache: bool) -> None:
        self.group = group
        self.head = ["--vault", str(vault), *([] if use_cache else ["--no-cache"])]
        self.lock = threading.Lock()
        self.thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="coffeechat")

    async def __call__(self, *args: str) -> Ran:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.thread, self.run, *args)

    def run(self, *args: str) -> Ran:
        out, err = io.StringIO(), io.StringIO()
        with self.lock, contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = self._main([*self.head, *args])
        return Ran(code, out.getvalue(), err.getvalue())

    def _main(self, argv: list[str]) -> int:
        try:
            returned = self.group.main(argv, prog_name="coffeechat", standalone_mode=False)
        except click.ClickException as error:  # a bad option or value, as the CLI says it
            click.echo(f"Error: {error.format_message()}", err=True)
            return error.exit_code
        except click.exceptions.Abort:
            return 1
        except SystemExit as exit_:  # `doctor` exits 1 when it finds problems
            return exit_.code if isinstance(exit_.code, int) else 1
        return returned if isinstance(returned, int) else 0


def _refusal(ran: Ran) -> CallToolResult:
    """The command's own words on stderr (`Error: …`), word for word, as the tool's error
    for the assistant to pass on."""
    text = ran.err.strip() or f"coffeechat exited with {ran.code}"
    return CallToolResult(content=[TextContent(type="text", text=text)], is_error=True)


def _text(*parts: str) -> CallToolResult:
    return CallToolResult(
        content=[TextContent(type="text", text=part.strip()) for part in parts if part.strip()]
    )


def _option(flag: str, value: object) -> list[str]:
    """`--flag=value` for a given value (one word, so a value starting with `-` stays a
    value), `--flag` for True, nothing for None or False."""
    if value is None or value is False:
        return []
    if value is True:
        return [flag]
    return [f"{flag}={value}"]


def _options(**given: object) -> list[str]:
    found: list[str] = []
    for name, value in given.items():
        flag = "--" + name.rstrip("_").replace("_", "-")
        for one in value if isinstance(value, list | tuple) else [value]:
            found += _option(flag, one)
    return found


Name = Annotated[
    str,
    Field(
        description="The person: their file name (priya-raman), full name, or a unique part.",
        min_length=1,
    ),
]
Day = Annotated[str | None, Field(description='A day: YYYY-MM-DD, "today", "yesterday", "Fri".')]
READS = ToolAnnotations(read_only_hint=True, destructive_hint=False, open_world_hint=False)
WRITES = ToolAnnotations(
    read_only_hint=False, destructive_hint=False, idempotent_hint=False, open_world_hint=False
)


def build(group: click.Command, vault: Path, use_cache: bool = True) -> MCPServer:
    """The server: its tools, each one command, and its prompts."""
    run = Runner(group, vault, use_cache)
    server: MCPServer = MCPServer("coffeechat", instructions=INSTRUCTIONS, version=__version__)

    async def data(command: str, args: Sequence[str], ok: tuple[int, ...] = (0,)) -> CallToolResult:
        """Run `command --json`; its object is the tool's structured result."""
        ran = await run(command, "--json", *args)
        if ran.code not in ok or not ran.out.strip():
            return _refusal(ran)
        found = json.loads(ran.out)
        text = ran.out + (f"\n{ran.err.strip()}" if ran.err.strip() else "")
        return CallToolResult(
            content=[TextContent(type="text", text=text)], structured_content=found
        )

    async def done(args: Sequence[str]) -> CallToolResult:
        """Run a command that writes; what it printed (the note and the change, then any
        warning) is the result, and a refusal is the tool's error."""
        ran = await run(*args)
        return _refusal(ran) if ran.code != 0 else _text(ran.out, ran.err)

    def reads(command: str, name: str, says: str) -> Callable[[Callable[..., Any]], Any]:
        """Register a tool that prints `command --json`, with that shape as its output
        schema."""

        def register(function: Callable[..., Any]) -> Any:
            server.tool(name=name, description=says, annotations=READS, structured_output=False)(
                function
            )
            schema = output_schema(command)
            schema.pop("$schema", None)
            server._tool_manager.get_tool(name).fn_metadata.output_schema = schema  # type: ignore[union-attr]
            return function

        return register

    @reads(
        "due",
        "due_today",
        "What is due today, most urgent first, each with the command "
        "that does it (`coffeechat due --json`).",
    )
    async def due_today(
        on: Day = None,
        everything: Annotated[
            bool, Field(description="Also items more than two weeks late, and coverage.")
        ] = False,
    ) -> CallToolResult:
        return await data("due", _options(on=on, all=everything))

    @reads(
        "next",
        "who_next",
        "Who to contact next, best first, with the reasons (`coffeechat next --json`).",
    )
    async def who_next(
        company: Annotated[str | None, Field(description="Only people at this company.")] = None,
        count: Annotated[int, Field(ge=1, le=1000)] = 10,
    ) -> CallToolResult:
        return await data("next", _options(company=company, count=count))

    @reads(
        "list",
        "list_people",
        "Everyone, with company, role and stage (`coffeechat list --json`)." + WHOLE,
    )
    async def list_people(
        company: Annotated[str | None, Field(description="Only people at this company.")] = None,
        stage: Annotated[
            str | None,
            Field(
                description="Only people at this stage.", json_schema_extra={"enum": list(STAGES)}
            ),
        ] = None,
    ) -> CallToolResult:
        return await data("list", _options(company=company, stage=stage))

    @reads(
        "show",
        "show_person",
        "One person: their note's keys, stage, zone and the note's "
        "text (`coffeechat show NAME --json`)." + WHOLE,
    )
    async def show_person(name: Name) -> CallToolResult:
        return await data("show", ["--", name])

    @reads(
        "prep",
        "prep_sheet",
        "The prep sheet for a chat with someone: who they are, what to "
        "mention, the must-ask questions, the referral ask at its minute, the agenda "
        "(`coffeechat prep NAME --json`). The questions are the chat's kept plan, the same "
        "ones `prep` and `call` show; the first sheet for a chat keeps them." + WHOLE,
    )
    async def prep_sheet(
        name: Name,
        minutes: Annotated[
            int | None, Field(ge=5, le=240, description="How long the chat is.")
        ] = None,
        count: Annotated[int, Field(ge=1, le=30, description="How many questions.")] = 6,
    ) -> CallToolResult:
        return await data("prep", [*_options(minutes=minutes, count=count), "--", name])

    @reads(
        "slots",
        "slots",
        "Call times to offer someone, in their zone and yours (`coffeechat slots NAME --json`).",
    )
    async def slots(
        name: Name,
        start: Annotated[
            str | None,
            Field(description="The first day to look at. Default: the next working day."),
        ] = None,
        days: Annotated[int, Field(ge=1, le=60)] = 5,
        count: Annotated[int, Field(ge=1, le=30)] = 6,
        within: Annotated[
            str | None, Field(description='Only these days and hours of yours: "Tue/Thu 2-4pm".')
        ] = None,
    ) -> CallToolResult:
        args = _options(from_=start, days=days, count=count, within=within)
        return await data("slots", [*args, "--", name])

    @reads(
        "stats",
        "stats",
        "The funnel, the applications, reply times and reply rates (`coffeechat stats --json`).",
    )
    async def stats(since: Day = None) -> CallToolResult:
        return await data("stats", _options(since=since))

    @reads(
        "companies",
        "companies",
        "Target companies and who you have at each, with the gaps "
        "in coverage (`coffeechat companies --json`).",
    )
    async def companies() -> CallToolResult:
        return await data("companies", [])

    @reads(
        "doctor",
        "doctor",
        "What is wrong in the vault and how to fix it, by file "
        "(`coffeechat doctor --json`); it only reads.",
    )
    async def doctor() -> CallToolResult:
        return await data("doctor", [], ok=(0, 1))

    def writes(name: str, says: str) -> Callable[[Callable[..., Any]], Any]:
        return server.tool(name=name, description=says, annotations=WRITES, structured_output=False)

    @writes("log_line", "Add a dated line to the `## Log` of someone's note (`coffeechat log`).")
    async def log_line(name: Name, text: Annotated[str, Field(min_length=1)]) -> CallToolResult:
        return await done(["log", "--", name, text])

    @writes(
        "mark_milestone",
        "Record that something happened, today or on the day given "
        "(`coffeechat mark`): messaged, nudged, replied, chat, thanked, connected, sent, "
        "checked_in, applied or updated. Only mark what the user says happened.",
    )
    async def mark_milestone(
        name: Name,
        milestone: Annotated[str, Field(json_schema_extra={"enum": list(DATE_MILESTONES)})],
        on: Annotated[
            str | None, Field(description='When: "yesterday", "2026-11-20"; for chat a time too.')
        ] = None,
    ) -> CallToolResult:
        return await done(["mark", *_options(on=on), "--", name, milestone])

    @writes(
        "set_keys",
        "Set keys in someone's note; every other byte stays as it was "
        "(`coffeechat set`). Each is KEY=VALUE, KEY= to remove, KEY+=VALUE or KEY-=VALUE "
        "for a list.",
    )
    async def set_keys(
        name: Name, assignments: Annotated[list[str], Field(min_length=1)]
    ) -> CallToolResult:
        return await done(["set", "--", name, *assignments])

    @writes(
        "record_call",
        "Record a coffee chat that happened (`coffeechat call --record`): "
        "notes go under `### Call DATE` in `## Notes`, with the thanks line and the "
        "questions asked; a log line; `chat:` if it was empty; `referral: asked` if the "
        "user asked for one.",
    )
    async def record_call(
        name: Name,
        notes: Annotated[list[str], Field(description="What was said, one line each.")] = [],  # noqa: B006
        thanks: Annotated[
            str, Field(description="One line to thank them for, written to them.")
        ] = "",
        asked: Annotated[
            list[int], Field(description="The numbers of the prep sheet's questions asked.")
        ] = [],  # noqa: B006
        asked_referral: bool = False,
        on: Annotated[str | None, Field(description="When the call began.")] = None,
    ) -> CallToolResult:
        args = _options(note=notes, thanks=thanks or None, asked=asked, on=on)
        return await done(
            ["call", "--record", *args, *_options(asked_referral=asked_referral), "--", name]
        )

    @writes(
        "file_inbox",
        "File each line of the vault's inbox file into its note (`coffeechat inbox`): the log "
        "line, the milestone it implies, a Thanks:/Next: line. Lines it cannot place stay in "
        "the inbox with the reason beside them, and the result lists them.",
    )
    async def file_inbox(
        dry_run: Annotated[
            bool, Field(description="Say what each line would do; write nothing.")
        ] = False,
    ) -> CallToolResult:
        return await data("inbox", _options(dry_run=dry_run), ok=(0, 3))

    @server.tool(
        name="draft_message",
        description="A draft message to someone, as text, for the user to read, change and "
        "send themselves (`coffeechat draft KIND NAME`); coffeechat never sends anything. "
        "The lines after the draft say what to check and how to record it once sent. "
        "Kinds: " + "; ".join(f"{kind.name}: {kind.says}" for kind in KINDS.values()),
        annotations=READS,
        structured_output=False,
    )
    async def draft_message(
        kind: Annotated[str, Field(json_schema_extra={"enum": list(KINDS)})],
        name: Name,
        channel: Annotated[
            str | None, Field(json_schema_extra={"enum": ["email", "linkedin"]})
        ] = None,
    ) -> CallToolResult:
        ran = await run("draft", *_options(channel=channel), "--", kind, name)
        if ran.code != 0:
            return _refusal(ran)
        # The draft exactly as printed, then the notes about it.
        notes = [TextContent(type="text", text=ran.err.strip())] if ran.err.strip() else []
        return CallToolResult(content=[TextContent(type="text", text=ran.out), *notes])

    @server.prompt(name="prepare_for_call", description="Get ready for a coffee chat.")
    def prepare_for_call(name: str) -> str:
        return (
            f"Prepare me for my coffee chat with {name}. Call prep_sheet and show_person for "
            f"{name}. Tell me in a few lines who they are and what we have in common, what "
            "my notes say to mention, the must-ask questions in the sheet's order, and the "
            "minute and words of the referral ask if the sheet has one. Use only what the "
            "tools return; say so when something is missing rather than guess."
        )

    @server.prompt(name="morning_review", description="What to do today, in order.")
    def morning_review() -> str:
        return (
            "Go through my coffee-chat search for today. Call due_today, then who_next with "
            "count 3. List what is due, most urgent first, each with what to do; offer to "
            "draft each message that is due with draft_message, and show drafts as text for "
            "me to send myself. Do not mark anything as done until I say I did it."
        )

    @server.prompt(name="after_call", description="Record a coffee chat that just happened.")
    def after_call(name: str) -> str:
        return (
            f"I just finished my coffee chat with {name}. Call prep_sheet for {name} to see "
            "the questions by number, then ask me: what we talked about, which questions I "
            "asked, whether I asked about a referral, and one line to thank them for. Then "
            "call record_call with my answers, and show me the thank-you from draft_message "
            "(kind thanks) to send myself."
        )

    return server


def serve(group: click.Command, vault: Path, use_cache: bool) -> None:
    """Serve the vault over stdin and stdout until the client closes them."""
    build(group, vault, use_cache).run("stdio")
