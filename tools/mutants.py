"""Mutation testing of the rule modules: small changes to the code that a test should notice.

Run: .venv/bin/python tools/mutants.py [--module NAME ...] [--list] [--only ID ...] [--jobs N]
         [--sample N] [--seed S]

For each module in MODULES, every mutation point found in its syntax tree becomes one mutant:

- a comparison flipped at its edge (`<` and `<=`, `>` and `>=`), or turned around (`==` and
  `!=`, `in` and `not in`, `is` and `is not`);
- an integer constant made one more and one less;
- `and` and `or` swapped, and each operand of an `and`/`or` dropped (a removed condition);
- a `not` removed;
- the condition of an `if`, an `elif` or a conditional expression made always true and always
  false.

Each mutant is written into a copy of `src/` and the module's own tests are run against it
(`PYTHONPATH` puts the copy first), stopping at the first failure. A mutant is killed when a
test fails or the run takes more than four times as long as the unmutated run (a loop that no
longer ends). The survivors are printed with their line, and the kill rate per module and in
all; `--only` reruns some by id (`due:17`). `--sample N` tries N mutants of each module, drawn
with a fixed seed, so a run fits in minutes on a shared machine; the ids stay those of the
whole list. Mutants listed in EQUIVALENT are counted apart,
each with the reason no test can tell it from the original.
"""

from __future__ import annotations

import argparse
import ast
import copy
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"

# module (under src/coffeechat/) -> the test files that pin its rules
MODULES: dict[str, tuple[str, list[str]]] = {
    "due": (
        "pipeline/due.py",
        [
            "tests/test_due_rules.py",
            "tests/test_rule_edges.py",
            "tests/test_pipeline.py",
            "tests/test_keep_in_touch.py",  # the weekend and holiday moves, the busy
            "tests/test_journey.py",  # the journey's rules: updates, decide, give-back
        ],
    ),
    "choose": ("prep/choose.py", ["tests/test_rule_edges.py", "tests/test_prep.py"]),
    "slots": ("scheduling/slots.py", ["tests/test_rule_edges.py", "tests/test_slots.py"]),
    "request": ("drafts/request.py", ["tests/test_rule_edges.py", "tests/test_drafts.py"]),
    "make": ("drafts/make.py", ["tests/test_rule_edges.py", "tests/test_drafts.py"]),
    "files": ("store/files.py", ["tests/test_rule_edges.py", "tests/test_files.py"]),
    "limits": ("core/limits.py", ["tests/test_rule_edges.py", "tests/test_limits.py"]),
    "clock": (
        "when/clock.py",
        ["tests/test_shown.py", "tests/test_shown_attacks.py", "tests/test_when.py"],
    ),
    "shown": (
        "store/shown.py",
        ["tests/test_shown.py", "tests/test_shown_attacks.py", "tests/test_watchman.py"],
    ),
    "journey": (
        "model/journey.py",
        ["tests/test_journey.py", "tests/test_due_rules.py", "tests/test_rule_edges.py"],
    ),
}
# Where a module holds more than rules, only these functions are mutated.
FUNCTIONS: dict[str, set[str]] = {
    "choose": {"ask_minute", "ask_family", "ask_wording", "choose_questions", "_referral_part"},
    "clock": {"next_turn", "holds_until"},
    # whether a kept answer may be printed, and whether a kept file is one
    "shown": {
        "serve",
        "same_as",
        "trusted",
        "_asked",
        "_vault",
        "_unchanged_since",
        "_is_layout",
        "_read",
        "_is_watched",
        "_is_chunk",
    },
    "journey": {"chat_day", "news_for", "_helped_applications"},
}

# Mutants no test can tell from the original: (module, a piece of the mutated line, what the
# mutation did) -> why. Matched by the line's text, so the list survives edits elsewhere.
EQUIVALENT: dict[tuple[str, str, str], str] = {
    ("choose", "others.sort(key=lambda topic: topic in (later or ()))", "dropped `()`"): (
        "`later or ()` -> `later`: the one caller (plan_for) always passes a set, never None"
    ),
    ("files", "pause = min(pause * 2, 0.02)", "2 -> 3"): (
        "the lock's retry pause grows x3 instead of x2 (capped at 20 ms either way): only how"
        " often a busy lock is tried before LOCK_SECONDS changes, never what the run does"
    ),
    ("make", "chat=now - timedelta(days=1),", "1 -> 2"): (
        "the sample person `doctor` renders the vault's templates with: a chat two days ago"
        " instead of one is still a past chat, and doctor reports failures, not the text"
    ),
    ("make", "chat=now - timedelta(days=1),", "1 -> 0"): (
        "the same sample chat at the very minute of the check: a chat is past from its minute"
        " on, so every template still meets a chat that happened"
    ),
    ("make", "messaged=now.date() - timedelta(days=10),", "10 -> 11"): (
        "the sample person's first message day, for doctor's trial render: any past day"
        " renders the same templates, and doctor reports failures, not the text"
    ),
    ("make", "messaged=now.date() - timedelta(days=10),", "10 -> 9"): (
        "the same sample message day, a day later: still past, still before the sample chat"
    ),
    ("files", "_AT_FDCWD = -100", "100 -> 101"): (
        "renameat2 ignores the directory descriptor for an absolute path, and every path the"
        " store swaps is absolute (the vault root is found from the absolute working folder;"
        " a relative --vault was tried)"
    ),
    ("files", "_AT_FDCWD = -100", "100 -> 99"): (
        "the same: the descriptor is never looked at for an absolute path"
    ),
    ("slots", "start, end = start.replace(fold=0), end.replace(fold=0)", "0 -> 1"): (
        "_outside_by subtracts datetimes that share one tzinfo, which Python does on the wall"
        " clock values with fold ignored, so fold=1 gives the same differences"
    ),
    ("due", "-(p.chat.timestamp() if p.chat else 0),", "0 -> -1"): (
        "someone never met ranks after everyone met either way: a met person's key is minus"
        " their chat's timestamp, below 0 and -1 alike for every chat after 1970 (chats are"
        " refused outside 1900-2199, and one in 1969's last second is the only difference)"
    ),
    ("files", "pause = min(pause * 2, 0.02)", "2 -> 1"): (
        "the same pause, never growing: a busy lock is tried more often, with the same outcome"
    ),
    ("files", "while chunk := os.read(fd, 1 << 20):", "20 -> 19"): (
        "a file is read in chunks of 512 KB instead of 1 MB, joined the same"
    ),
    ("files", "while chunk := os.read(fd, 1 << 20):", "20 -> 21"): (
        "a file is read in chunks of 2 MB instead of 1 MB, joined the same"
    ),
    ("files", "while chunk := os.read(fd, 1 << 20):", "1 -> 2"): (
        "a file is read in chunks of 2 MB instead of 1 MB, joined the same"
    ),
    ("limits", 'if state["fired"]:', "`state['fired']` -> True"): (
        "clearing the thread's pending exception when the timer never fired: there is none"
        " to clear, and PyThreadState_SetAsyncExc(NULL) is then a no-op"
    ),
    ("shown", "explicit = asked[0] or environ.get(", "0 -> -1"): (
        "`asked` is the one-element tuple `_asked` returns: its first item is its last"
    ),
    ("shown", "return bool(kept) and kept[0] == self.names", "dropped `bool(kept)`"): (
        "same_as is only given the look of a kept output that `_read` checked to be a pair"
        " of a text and bytes: never empty, never None"
    ),
    ("due", "found = chosen.get(key)\nif found is None:", "`found is None` -> True"): (
        "the rules for a mix of facts picked anew for every person: the same list, only slower"
    ),
    ("due", "len(person.raw_body) > 10,", "10 -> 11"): (
        "a stored body is empty, its last day (10 characters), or that day (or 10 spaces) and"
        " the JSON of its promises, give-back record and moves (over 20 characters): never 11"
        " long, so > 10 and > 11 pick the same notes"
    ),
    ("due", "len(person.raw_body) > 10,", "Gt -> GtE"): (
        "a body of its last day alone (10 characters) counts as holding more: the body rules"
        " (promise, moved) are then asked about it and find nothing in it (dated.facts), and"
        " every other rule starts from a fact of the note (`needs`), not from being touched"
    ),
    ("due", "len(person.raw_body) > 10,", "10 -> 9"): (
        "the same: no stored body is 10 characters long but its last day alone, whose facts"
        " are none"
    ),
    ("due", "if rule.items is not None", "dropped `body or not rule.body`"): (
        "the body rules asked about every touched person: one whose stored body holds no"
        " promise, give-back record or move has none of their items (dated.facts)"
    ),
    ("due", "if day < ctx.season_from or day > ctx.last:", "dropped `day > ctx.last`"): (
        "a day after `last` moves, if at all, to a later one: skip() leaves its item out either"
        " way (every caller asks skip() or compares with `last` next), and the person is busy"
        " either way"
    ),
    (
        "due",
        'if application.status != "offer" or deadline is None',
        "dropped `application.note is None`",
    ): (
        "an application without a company note is a person's own applied:/outcome: (from"
        " before company notes kept it), which never has a decide_by: `deadline is None`"
        " passes it over first"
    ),
    ("journey", "if application.accepted:", "`application.accepted` -> False"): (
        "an accepted application is the journey's accepted offer (a person's own outcome: is"
        " never `accepted`), and news_for has returned nothing before the loop when there is"
        " one"
    ),
    (
        "journey",
        "if own is None and person.file not in self.introduced:",
        "`own is None and person.file not in self.introduced` -> False",
    ): (
        "the early return skips work only: with no application at their company and nobody"
        " they introduced, no help of theirs finds an application, and the list is empty"
    ),
    ("journey", "if not helps:", "`not helps` -> False"): (
        "the early return skips work only: no help, no application found"
    ),
    ("journey", "application = self.application(other) if other else None", "`other` -> True"): (
        "an `introduced` help is made from the very people introduced by them, named by their"
        " name, so the search for it always finds someone"
    ),
    ("journey", "if chat not in known:", "`chat not in known` -> True"): (
        "each chat's day worked out again on every call instead of once: the same day"
    ),
    ("shown", "type(found) is tuple", "dropped `type(found[5][1]) is bytes`"): (
        "a kept look whose stats are not bytes never equals a look's bytes (same_as): the"
        " command runs either way, as for any other miss"
    ),
    ("shown", "type(found) is tuple", "dropped `_is_layout(found[1])`"): (
        "serve checks the layout it is about to use (`_is_layout`) before anything: a kept"
        " output whose layout is of another shape runs the command either way"
    ),
}


def _equivalent(name: str, mutant: Mutant) -> str | None:
    relative, _ = MODULES[name]
    lines = (SRC / "coffeechat" / relative).read_text().splitlines()
    line = lines[mutant.line - 1]
    # A piece with a newline names the line before too, stripped, where the line is common.
    both = f"{lines[mutant.line - 2].strip()}\n{line.strip()}" if mutant.line > 1 else line
    for (module, piece, what), why in EQUIVALENT.items():
        if module == name and piece in (both if "\n" in piece else line) and what == mutant.what:
            return why
    return None


_FLIPS: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}


@dataclass(frozen=True)
class Mutant:
    id: str
    line: int
    what: str
    source: str


def _docstring_nodes(tree: ast.AST) -> set[int]:
    """The constants that are docstrings, which no mutation touches."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _annotation_nodes(tree: ast.AST) -> set[int]:
    """Every node inside an annotation: changing a type hint changes nothing at run time."""
    found: set[int] = set()
    for node in ast.walk(tree):
        hints = []
        if isinstance(node, ast.AnnAssign):
            hints.append(node.annotation)
        if isinstance(node, ast.arg) and node.annotation is not None:
            hints.append(node.annotation)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.returns:
            hints.append(node.returns)
        for hint in hints:
            found.update(id(inner) for inner in ast.walk(hint))
    return found


def _points(tree: ast.AST, only: set[str] | None) -> Iterator[tuple[ast.AST, str, int]]:
    """(node, kind, variant) for every mutation the node allows."""
    skip = _docstring_nodes(tree) | _annotation_nodes(tree)
    roots: list[ast.AST] = [tree]
    if only is not None:
        roots = [
            node
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef) and node.name in only
        ]
    for node in (inner for root in roots for inner in ast.walk(root)):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Compare):
            for index, op in enumerate(node.ops):
                if type(op) in _FLIPS:
                    yield node, "compare", index
        elif (
            isinstance(node, ast.Constant)
            and type(node.value) is int
            and not isinstance(node.value, bool)
        ):
            yield node, "plus", 1
            yield node, "minus", -1
        elif isinstance(node, ast.BoolOp):
            yield node, "swap", 0
            for index in range(len(node.values)):
                yield node, "drop", index
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            yield node, "not", 0
        elif isinstance(node, ast.If | ast.IfExp | ast.While):
            if isinstance(node, ast.While):
                continue
            yield node, "always", 1
            yield node, "never", 0


def _apply(node: ast.AST, kind: str, variant: int) -> str:
    """Change `node` in place; say what changed."""
    if kind == "compare":
        assert isinstance(node, ast.Compare)
        old = node.ops[variant]
        new = _FLIPS[type(old)]()
        node.ops[variant] = new
        return f"{type(old).__name__} -> {type(new).__name__}"
    if kind in ("plus", "minus"):
        assert isinstance(node, ast.Constant)
        old_value = node.value
        node.value = old_value + variant
        return f"{old_value} -> {node.value}"
    if kind == "swap":
        assert isinstance(node, ast.BoolOp)
        old_op = type(node.op).__name__
        node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        return f"{old_op} -> {type(node.op).__name__}"
    if kind == "drop":
        assert isinstance(node, ast.BoolOp)
        dropped = ast.unparse(node.values[variant])
        del node.values[variant]
        return f"dropped `{dropped[:60]}`"
    if kind == "not":
        return "removed `not`"
    if kind in ("always", "never"):
        assert isinstance(node, ast.If | ast.IfExp)
        shown = ast.unparse(node.test)[:60]
        node.test = ast.Constant(bool(variant))
        return f"`{shown}` -> {bool(variant)}"
    raise ValueError(kind)


class _RemoveNot(ast.NodeTransformer):
    def __init__(self, target: int) -> None:
        self.target = target

    def visit_UnaryOp(self, node: ast.UnaryOp) -> ast.AST:
        self.generic_visit(node)
        return node.operand if id(node) == self.target else node


def mutants(name: str) -> list[Mutant]:
    relative, _ = MODULES[name]
    text = (SRC / "coffeechat" / relative).read_text()
    tree = ast.parse(text)
    out = []
    only = FUNCTIONS.get(name)
    for number, (node, kind, variant) in enumerate(list(_points(tree, only))):
        mutated = copy.deepcopy(tree)
        target = list(_points(mutated, only))[number][0]
        if kind == "not":
            what = _apply(target, kind, variant)
            mutated = _RemoveNot(id(target)).visit(mutated)
        else:
            what = _apply(target, kind, variant)
        ast.fix_missing_locations(mutated)
        out.append(
            Mutant(f"{name}:{number}", getattr(node, "lineno", 0), what, ast.unparse(mutated))
        )
    return out


def _run_tests(copy_root: Path, tests: list[str], timeout: float) -> tuple[bool, float, str]:
    """Whether the tests pass against the code in `copy_root`, how long they took, and the
    end of what pytest said."""
    environment = dict(os.environ, PYTHONPATH=str(copy_root / "src"))
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:randomly", "-n", "0"]
    command += ["-p", "no:cacheprovider", "--no-header", *tests]
    start = time.monotonic()
    try:
        done = subprocess.run(
            command, cwd=ROOT, env=environment, capture_output=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return False, timeout, "timed out"
    said = done.stdout.decode(errors="replace")[-3000:]
    return done.returncode == 0, time.monotonic() - start, said


def _original_passes(name: str) -> float:
    _, tests = MODULES[name]
    with tempfile.TemporaryDirectory() as folder:
        shutil.copytree(SRC, Path(folder) / "src", ignore=shutil.ignore_patterns("__pycache__"))
        ok, seconds, said = _run_tests(Path(folder), tests, timeout=600)
    if not ok:
        raise SystemExit(f"{said}\n{name}: the tests fail without any mutant")
    return seconds


def _try(name: str, mutant: Mutant, timeout: float) -> bool:
    """True when the mutant is killed."""
    relative, tests = MODULES[name]
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        shutil.copytree(SRC, root / "src", ignore=shutil.ignore_patterns("__pycache__"))
        (root / "src" / "coffeechat" / relative).write_text(mutant.source)
        passed, _, _ = _run_tests(root, tests, timeout)
    return not passed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--module", action="append", choices=sorted(MODULES))
    parser.add_argument("--only", action="append", default=[])
    parser.add_argument("--list", action="store_true")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--sample", type=int)
    parser.add_argument("--seed", type=int, default=25)
    args = parser.parse_args()
    names = args.module or sorted(MODULES)
    totals = [0, 0, 0]
    for name in names:
        chosen = [m for m in mutants(name) if not args.only or m.id in args.only]
        if args.sample and len(chosen) > args.sample:
            import random

            picked = set(
                random.Random(f"{args.seed}:{name}").sample(range(len(chosen)), args.sample)
            )
            chosen = [m for index, m in enumerate(chosen) if index in picked]
        if args.list:
            for mutant in chosen:
                print(f"{mutant.id}\tline {mutant.line}\t{mutant.what}")
            continue
        if not chosen:
            continue
        timeout = max(4 * _original_passes(name), 30.0)
        reasons = {m.id: _equivalent(name, m) for m in chosen}
        equivalent = [m for m in chosen if reasons[m.id]]
        tried = [m for m in chosen if not reasons[m.id]]
        with ThreadPoolExecutor(args.jobs) as pool:
            killed = list(pool.map(partial(_try, name, timeout=timeout), tried))
        survivors = [m for m, k in zip(tried, killed, strict=True) if not k]
        for mutant in survivors:
            print(f"SURVIVED {mutant.id}\tline {mutant.line}\t{mutant.what}", flush=True)
        for mutant in equivalent:
            print(
                f"EQUIVALENT {mutant.id}\tline {mutant.line}\t{mutant.what}: {reasons[mutant.id]}"
            )
        count = len(tried)
        print(
            f"{name}: {count - len(survivors)}/{count} killed"
            f" ({100 * (count - len(survivors)) / max(count, 1):.1f}%),"
            f" {len(equivalent)} equivalent",
            flush=True,
        )
        totals[0] += count - len(survivors)
        totals[1] += count
        totals[2] += len(equivalent)
    if not args.list and totals[1]:
        print(
            f"all: {totals[0]}/{totals[1]} killed ({100 * totals[0] / totals[1]:.1f}%),"
            f" {totals[2]} equivalent"
        )


if __name__ == "__main__":
    main()
