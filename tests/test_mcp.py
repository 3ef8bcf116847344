"""An assistant over the vault: `coffeechat mcp`, driven as a client would, over stdio.

Each test starts the server as its own process with the MCP SDK's stdio client, on a copy of
the example vault, and compares what the tools give with what the commands print or write.
A start takes 2-3 seconds (the SDK's imports), so all but the read and write tours are `slow`
(CI runs them).
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from conftest import NOW, Run

pytest.importorskip("mcp", reason="coffeechat mcp needs the extra: pip install '.[mcp]'")
pytest.importorskip("jsonschema", reason="the output schemas are checked with jsonschema")

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

REPO = Path(__file__).resolve().parent.parent

# Started in the server's process before coffeechat: what a test asks of it by environment.
SITE = '''
import os, socket

if os.environ.get("TEST_NO_NETWORK"):
    class NoNetwork(socket.socket):
        """Any socket but a local pair (the event loop's own wake-up pipe) is refused."""

        def __init__(self, family=-1, *args, **kwargs):
            if family not in (-1, socket.AF_UNIX):
                raise PermissionError("a network socket was opened")
            super().__init__(family, *args, **kwargs)

    socket.socket = NoNetwork
    socket.create_connection = None

if os.environ.get("TEST_EDITOR_SAVES"):
    from pathlib import Path
    from coffeechat.store import files

    note = Path(os.environ["TEST_EDITOR_SAVES"])
    real_write_temp = files._write_temp

    def save_meanwhile(*args):
        written = real_write_temp(*args)
        note.write_bytes(note.read_bytes() + b"A line typed in the editor.\\n")
        return written

    files._write_temp = save_meanwhile
'''

Session = Callable[..., Any]


@asynccontextmanager
async def server(vault: Path, site: Path, **env: str) -> AsyncIterator[ClientSession]:
    """A client session with `coffeechat --vault VAULT mcp`, run from the vault folder."""
    parameters = StdioServerParameters(
        command=sys.executable,
        args=["-m", "coffeechat", "--vault", str(vault), "mcp"],
        cwd=str(vault),
        env={
            "COFFEECHAT_NOW": NOW,
            "HOME": os.environ["HOME"],
            "PYTHONPATH": os.pathsep.join([str(site), str(REPO / "src")]),
            **env,
        },
    )
    with open(os.devnull, "w") as quiet:
        async with (
            stdio_client(parameters, errlog=quiet) as (read, write),
            ClientSession(read, write) as session,
        ):
            await session.initialize()
            yield session


@pytest.fixture
def site(tmp_path: Path) -> Path:
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "sitecustomize.py").write_text(SITE)
    return folder


def text_of(result: Any) -> str:
    return "\n".join(block.text for block in result.content)


# Each read tool, its arguments, and the command line whose --json it gives.
READS: list[tuple[str, dict[str, Any], list[str]]] = [
    ("due_today", {}, ["due"]),
    ("due_today", {"on": "2026-11-24", "everything": True}, ["due", "--on", "2026-11-24", "--all"]),
    ("who_next", {"count": 3}, ["next", "--count", "3"]),
    ("list_people", {"stage": "replied"}, ["list", "--stage", "replied"]),
    ("show_person", {"name": "priya"}, ["show", "priya"]),
    ("prep_sheet", {"name": "priya", "minutes": 30}, ["prep", "priya", "--minutes", "30"]),
    ("slots", {"name": "priya", "count": 3}, ["slots", "priya", "--count", "3"]),
    ("stats", {"since": "2026-11-01"}, ["stats", "--since", "2026-11-01"]),
    ("companies", {}, ["companies"]),
    ("doctor", {}, ["doctor"]),
    # A second round: every call runs on the server's one command thread.
    ("prep_sheet", {"name": "derek"}, ["prep", "derek"]),
    ("slots", {"name": "liam", "count": 2}, ["slots", "liam", "--count", "2"]),
]


def test_the_assistant_sees_the_tools_and_prompts_and_reads_what_the_commands_print(
    run: Run, example_vault: Path, site: Path
) -> None:
    import jsonschema

    async def session() -> tuple[Any, Any, list[Any]]:
        async with server(example_vault, site) as client:
            tools = (await client.list_tools()).tools
            prompts = (await client.list_prompts()).prompts
            results = [await client.call_tool(tool, args) for tool, args, _ in READS]
            asked = await client.get_prompt("prepare_for_call", {"name": "priya"})
            assert "prep_sheet" in asked.messages[0].content.text
            return tools, prompts, results

    tools, prompts, results = asyncio.run(session())
    by_name = {tool.name: tool for tool in tools}
    assert set(by_name) == {
        *(tool for tool, _, _ in READS),
        *("log_line", "mark_milestone", "set_keys", "record_call", "file_inbox"),
        "draft_message",
    }
    assert {prompt.name for prompt in prompts} == {
        "prepare_for_call",
        "morning_review",
        "after_call",
    }
    assert "returned to the assistant whole" in by_name["show_person"].description
    assert by_name["log_line"].annotations.read_only_hint is False
    for (tool, _, command), result in zip(READS, results, strict=True):
        assert not result.is_error, (tool, text_of(result))
        printed = run(*command, "--json", root=example_vault)
        assert result.structured_content == json.loads(printed.stdout), tool
        jsonschema.validate(result.structured_content, by_name[tool].output_schema)


def _writes(client: ClientSession) -> Any:
    async def calls() -> list[Any]:
        return [
            await client.call_tool("log_line", {"name": "priya", "text": "Sent my resume"}),
            await client.call_tool(
                "mark_milestone", {"name": "divya", "milestone": "nudged", "on": "yesterday"}
            ),
            await client.call_tool(
                "set_keys", {"name": "priya", "assignments": ["team=Payments", "tags+=api"]}
            ),
            await client.call_tool(
                "record_call",
                {
                    "name": "priya",
                    "notes": ["The team hires in Q1", "Ask Dana about the API round"],
                    "thanks": "Your tip on the API design round",
                    "asked": [1, 3],
                    "asked_referral": True,
                    "on": "2026-11-25 3pm",
                },
            ),
            await client.call_tool("file_inbox", {}),
        ]

    return calls()


# The same writes, as commands.
WRITES = [
    ["log", "priya", "Sent my resume"],
    ["mark", "divya", "nudged", "--on", "yesterday"],
    ["set", "priya", "team=Payments", "tags+=api"],
    [
        "call",
        "priya",
        "--record",
        *("--note", "The team hires in Q1", "--note", "Ask Dana about the API round"),
        *("--thanks", "Your tip on the API design round", "--asked", "1", "--asked", "3"),
        *("--asked-referral", "--on", "2026-11-25 3pm"),
    ],
    ["inbox", "--json"],
]
INBOX = "2026-11-22 @arjun thanked\n@nobody-here chat\n"


def test_each_write_tool_leaves_the_note_byte_for_byte_as_its_command_does(
    run: Run, example_vault: Path, tmp_path: Path, site: Path
) -> None:
    import shutil

    (example_vault / "inbox.md").write_text(INBOX)
    by_hand = tmp_path / "by-hand"
    shutil.copytree(example_vault, by_hand)

    async def session() -> list[Any]:
        async with server(example_vault, site) as client:
            return await _writes(client)

    results = asyncio.run(session())
    for args, result in zip(WRITES, results, strict=True):
        assert not result.is_error, text_of(result)
        printed = run(*args, root=by_hand)
        if args[0] == "inbox":  # a line stays (nobody is named so): exit 3, and the same JSON
            assert printed.exit_code == 3, printed.output
            served = result.structured_content
            assert served == json.loads(printed.stdout)
            assert [item["text"] for item in served["left"]] == ["2026-11-23 @nobody-here chat"]
            continue
        assert printed.exit_code == 0, printed.output
        assert text_of(result).splitlines()[0] == printed.stdout.strip()
    for name in ("priya-raman.md", "divya-nair.md", "arjun-mehta.md", "../inbox.md"):
        served = (example_vault / "people" / name).read_bytes()
        assert served == (by_hand / "people" / name).read_bytes()
    priya = (example_vault / "people" / "priya-raman.md").read_text()
    assert "Thanks: Your tip on the API design round" in priya
    assert "referral: asked" in priya


@pytest.mark.slow  # a server of its own: 2-3 s
def test_a_write_on_a_note_saved_in_an_editor_meanwhile_is_refused_as_the_command_refuses_it(
    run: Run, example_vault: Path, tmp_path: Path, site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    note = example_vault / "people" / "priya-raman.md"
    by_hand = tmp_path / "by-hand"
    shutil.copytree(example_vault, by_hand)

    async def session() -> Any:
        async with server(example_vault, site, TEST_EDITOR_SAVES=str(note)) as client:
            refused = await client.call_tool("log_line", {"name": "priya", "text": "Sent it"})
            after = await client.call_tool("show_person", {"name": "priya"})
            return refused, after

    refused, after = asyncio.run(session())
    assert refused.is_error
    assert note.read_text().endswith("A line typed in the editor.\n")  # the editor's save stays
    assert "Sent it" not in note.read_text()
    assert not after.is_error  # the server carries on

    from coffeechat.store import files

    real_write_temp = files._write_temp
    other = by_hand / "people" / "priya-raman.md"

    def save_meanwhile(*args: Any) -> Any:
        written = real_write_temp(*args)
        other.write_bytes(other.read_bytes() + b"A line typed in the editor.\n")
        return written

    monkeypatch.setattr(files, "_write_temp", save_meanwhile)
    printed = run("log", "priya", "Sent it", root=by_hand)
    assert printed.exit_code != 0
    assert text_of(refused) == printed.stderr.strip()
    assert "changed on disk since it was read" in text_of(refused)


@pytest.mark.slow  # a server of its own: 2-3 s
def test_the_server_works_with_network_sockets_blocked(example_vault: Path, site: Path) -> None:
    async def session() -> list[Any]:
        async with server(example_vault, site, TEST_NO_NETWORK="1") as client:
            return [
                await client.call_tool("due_today", {}),
                await client.call_tool("log_line", {"name": "priya", "text": "Offline"}),
                await client.call_tool("draft_message", {"kind": "outreach", "name": "mei"}),
            ]

    results = asyncio.run(session())
    assert [result.is_error for result in results] == [False, False, False]
    assert "Offline" in (example_vault / "people" / "priya-raman.md").read_text()


@pytest.mark.slow  # a server of its own: 2-3 s
def test_bad_arguments_are_a_tool_error_and_the_server_carries_on(
    example_vault: Path, site: Path
) -> None:
    before = {path: path.read_bytes() for path in (example_vault / "people").iterdir()}

    async def session() -> list[Any]:
        async with server(example_vault, site) as client:
            return [
                await client.call_tool("prep_sheet", {"name": "priya", "minutes": 2}),
                await client.call_tool("mark_milestone", {"name": "priya", "milestone": "lunch"}),
                await client.call_tool("show_person", {"name": "nobody at all"}),
                await client.call_tool("show_person", {}),
                await client.call_tool("set_keys", {"name": "priya", "assignments": ["chat=soon"]}),
                await client.call_tool("log_line", {"name": "--help", "text": "x"}),
                await client.call_tool("who_next", {"count": 1}),
            ]

    *bad, fine = asyncio.run(session())
    assert [result.is_error for result in bad] == [True] * len(bad)
    assert "no person matches `nobody at all`" in text_of(bad[2])
    assert not fine.is_error
    assert {path: path.read_bytes() for path in (example_vault / "people").iterdir()} == before


@pytest.mark.slow  # a server of its own: 2-3 s
def test_a_draft_comes_back_as_text_with_how_to_record_it_once_sent(
    run: Run, example_vault: Path, site: Path
) -> None:
    async def session() -> Any:
        async with server(example_vault, site) as client:
            return await client.call_tool("draft_message", {"kind": "outreach", "name": "mei"})

    result = asyncio.run(session())
    printed = run("draft", "outreach", "mei", root=example_vault)
    assert result.content[0].text == printed.stdout
    assert "Once sent: coffeechat mark mei-tanaka messaged" in result.content[1].text


def test_without_the_extra_the_command_says_how_to_install_it(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in [name for name in sys.modules if name.startswith("mcp.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "mcp", None)  # `import mcp` fails, as when not installed
    monkeypatch.delitem(sys.modules, "coffeechat.assistant.server", raising=False)
    result = run("mcp")
    assert result.exit_code != 0
    assert result.stderr == (
        "Error: `coffeechat mcp` needs the MCP SDK, an optional extra: "
        "pip install 'coffeechat[mcp]'\n"
    )


@pytest.mark.slow  # a server of its own: 2-3 s
def test_the_session_in_the_docs_is_what_the_server_says_today() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "transcript", REPO / "tools" / "mcp_transcript.py"
    )
    assert spec
    assert spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    page = (REPO / "docs" / "mcp.md").read_text()
    shown = page.partition(module.START + "\n")[2].partition(module.END)[0]
    assert shown == module.transcript(), "run .venv/bin/python tools/mcp_transcript.py --write"
