"""The house holds its shape: each layer imports only the layers below it, and nothing circles.

The order, top to bottom (docs/contributing.md draws it):

    cli → commands → output → doctor → features → store → model → when → core

The features (prep, drafts, pipeline, scheduling, exchange) sit side by side and never import
one another. Only the store opens, caches or writes a note; the model does no I/O at all.
"""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "coffeechat"

LAYERS: list[set[str]] = [
    {"cli", "__main__", "launch"},
    {"commands"},
    {"output"},
    {"doctor"},
    {"prep", "drafts", "pipeline", "scheduling", "exchange"},
    {"store"},
    {"model"},
    {"when"},
    {"core"},
]
FEATURES = LAYERS[4]
# The storage internals: who imports these opens, caches or writes a vault file.
STORAGE_INTERNALS = {"store.cache", "store.files", "store.notefile", "store.writes"}
# What the model may not call: it is values in, values out.
IO_CALLS = {
    "open",
    "read_text",
    "read_bytes",
    "write_text",
    "write_bytes",
    "unlink",
    "rename",
    "mkdir",
    "scandir",
    "iterdir",
}


def module_name(root: Path, path: Path) -> str:
    """`store/vault.py` → `store.vault`; `store/__init__.py` → `store`."""
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every coffeechat module a file imports, at the top or inside a function, without the
    `coffeechat.` prefix. `from coffeechat.store import files` names `store.files`."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        found |= {n.removeprefix("coffeechat.") for n in names if n.startswith("coffeechat.")}
    return found


def graph(root: Path) -> dict[str, set[str]]:
    """Module → the coffeechat modules it imports (names that are not modules dropped)."""
    files = {module_name(root, p): p for p in root.rglob("*.py")}
    files.pop("", None)  # the package's own __init__: only its version
    edges = {}
    for name, path in files.items():
        edges[name] = {i for i in imports_of(path) if i in files and i != name}
    return edges


def layer_of(module: str) -> int:
    top = module.split(".")[0]
    return next(i for i, layer in enumerate(LAYERS) if top in layer)


def upward_imports(root: Path) -> list[str]:
    """Each import that runs against the order: up a layer, or across to another feature."""
    wrong = []
    for module, imported in graph(root).items():
        for target in imported:
            here, there = layer_of(module), layer_of(target)
            top, target_top = module.split(".")[0], target.split(".")[0]
            if there < here:
                wrong.append(f"{module} imports {target}, a layer above it")
            elif top in FEATURES and target_top in FEATURES and top != target_top:
                wrong.append(f"{module} imports {target}, another feature")
    return sorted(wrong)


def circles(root: Path) -> list[list[str]]:
    """The import circles (strongly connected groups of two or more modules), by Tarjan."""
    edges = graph(root)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in edges[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_every_module_belongs_to_a_layer() -> None:
    tops = {module_name(SRC, p).split(".")[0] for p in SRC.rglob("*.py")} - {""}
    assert tops <= set().union(*LAYERS)


def test_no_import_runs_up_the_layers_or_across_features() -> None:
    assert upward_imports(SRC) == []


def test_no_import_circle() -> None:
    assert circles(SRC) == []


def test_a_planted_upward_import_and_circle_are_caught(tmp_path: Path) -> None:
    root = tmp_path / "coffeechat"
    shutil.copytree(SRC, root)
    note = root / "model" / "note.py"
    note.write_text(note.read_text() + "\n\ndef _planted() -> None:\n    import coffeechat.cli\n")
    assert upward_imports(root) == ["model.note imports cli, a layer above it"]
    assert any("model.note" in group and "cli" in group for group in circles(root))


def test_the_top_level_reads_as_a_short_list_of_layers() -> None:
    entries = [p for p in SRC.iterdir() if p.name != "__pycache__" and not p.name.startswith(".")]
    assert len(entries) <= 20


CORE = sorted(
    p
    for p in SRC.rglob("*.py")
    if module_name(SRC, p) and layer_of(module_name(SRC, p)) > LAYERS.index({"output"})
)


@pytest.mark.parametrize("path", CORE, ids=lambda p: module_name(SRC, p))
def test_below_the_output_layer_nothing_knows_click(path: Path) -> None:
    source = ast.parse(path.read_text())
    imported = {
        alias.name
        for node in ast.walk(source)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    imported |= {
        node.module for node in ast.walk(source) if isinstance(node, ast.ImportFrom) and node.module
    }
    assert not {name for name in imported if name == "click" or name.startswith("click.")}


def test_only_the_store_opens_caches_or_writes_a_note() -> None:
    users = {
        module
        for module, imported in graph(SRC).items()
        if imported & STORAGE_INTERNALS and not module.startswith("store")
    }
    assert users == set()


@pytest.mark.parametrize("path", sorted((SRC / "model").glob("*.py")), ids=lambda p: p.stem)
def test_the_model_does_no_io(path: Path) -> None:
    calls = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            calls.add(name)
    assert not calls & IO_CALLS
