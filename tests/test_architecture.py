"""The import structure of ``tpcheck/``, read with :mod:`ast` (nothing is imported to check it).

Every ``import`` counts, at module level or inside a function; only those under
``if TYPE_CHECKING:`` are left out (they never run). Fails on an import circle between modules, on a
module importing the package face ``tpcheck`` itself, on a private name (``_x``) imported from
another package, and on a stage importing a later one (the order is the table in ARCHITECTURE.md).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

from .conftest import ROOT

PACKAGE = ROOT / "tpcheck"


@dataclass(frozen=True)
class Import:
    source: str  # the importing module, dotted
    target: str  # the module imported, dotted
    names: tuple[str, ...]  # the names taken from it that are not modules themselves
    line: int


def module_name(path: Path, root: Path = PACKAGE) -> str:
    parts = ["tpcheck", *path.relative_to(root).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules(root: Path = PACKAGE) -> dict[str, Path]:
    return {module_name(path, root): path for path in sorted(root.rglob("*.py"))}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _import_nodes(tree: ast.AST):
    """Every import node, skipping the bodies of ``if TYPE_CHECKING:``."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and _is_type_checking(node):
            stack.extend(node.orelse)
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        stack.extend(ast.iter_child_nodes(node))


def imports_of(name: str, path: Path, known: set[str]) -> list[Import]:
    """The imports of module *name* (at *path*) of modules in *known*."""
    is_package = path.name == "__init__.py"
    found = []
    for node in _import_nodes(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in known:
                    found.append(Import(name, alias.name, (), node.lineno))
            continue
        if node.level:
            base = name.split(".") if is_package else name.split(".")[:-1]
            base = base[: len(base) - (node.level - 1)]
            target = ".".join([*base, *([node.module] if node.module else [])])
        else:
            target = node.module or ""
        if target not in known:
            continue
        names = []
        for alias in node.names:
            submodule = f"{target}.{alias.name}"
            if submodule in known:
                found.append(Import(name, submodule, (), node.lineno))
            else:
                names.append(alias.name)
        if names:
            found.append(Import(name, target, tuple(names), node.lineno))
    return found


def import_graph(root: Path = PACKAGE) -> list[Import]:
    found = modules(root)
    return [item for name, path in found.items() for item in imports_of(name, path, set(found))]


def circles(edges: list[Import]) -> list[list[str]]:
    """The strongly connected components of more than one module (or a module importing itself)."""
    graph: dict[str, set[str]] = {}
    for edge in edges:
        graph.setdefault(edge.source, set()).add(edge.target)
        graph.setdefault(edge.target, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                component.append(item)
                if item == node:
                    break
            if len(component) > 1 or node in graph[node]:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def package_of(module: str) -> str:
    """``tpcheck.write.xlsx`` → ``tpcheck.write``; a flat module is its own package."""
    return ".".join(module.split(".")[:2])


def stage_order(path: Path = ROOT / "ARCHITECTURE.md") -> dict[str, int]:
    """Package or flat module (dotted) → its row in the table of ARCHITECTURE.md."""
    order: dict[str, int] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        row = re.match(r"\|\s*(\d+)\s*\|[^|]*\|([^|]*)\|", line)
        if row:
            for name in re.findall(r"`([\w.]+)`", row.group(2)):
                order["tpcheck" if name == "tpcheck" else f"tpcheck.{name}"] = int(row.group(1))
    return order


def later_stage_imports(edges: list[Import], order: dict[str, int]) -> list[str]:
    return [
        f"{e.source} (stage {order[package_of(e.source)]}) imports {e.target} "
        f"(stage {order[package_of(e.target)]}), line {e.line}"
        for e in edges
        if order[package_of(e.source)] < order[package_of(e.target)]
    ]


def face_imports(edges: list[Import]) -> list[Import]:
    return [e for e in edges if e.target == "tpcheck" and e.source != "tpcheck"]


def private_imports(edges: list[Import]) -> list[Import]:
    def private(name: str) -> bool:
        return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))

    return [
        e
        for e in edges
        if package_of(e.source) != package_of(e.target) and any(map(private, e.names))
    ]


EDGES = import_graph()


#: Circles known and owed a fix, each with its reason (none today). The test fails when a listed
#: circle is gone, so the list cannot rot.
KNOWN_CIRCLES: list[list[str]] = []


def test_no_import_circle():
    found = circles(EDGES)
    assert [c for c in found if c not in KNOWN_CIRCLES] == []
    assert [c for c in KNOWN_CIRCLES if c not in found] == [], "fixed: remove it from the list"


def test_no_module_imports_the_package_face():
    assert face_imports(EDGES) == []


def test_no_private_name_from_another_package():
    assert private_imports(EDGES) == []


def test_every_module_has_a_stage_and_no_stage_imports_a_later_one():
    order = stage_order()
    assert sorted({package_of(name) for name in modules()} - set(order)) == []
    assert later_stage_imports(EDGES, order) == []


# ------------------------------------------------------------ the checks catch what they should


def _tree(tmp_path: Path, files: dict[str, str]) -> list[Import]:
    root = tmp_path / "tpcheck"
    for name, source in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
    return import_graph(root)


def test_a_circle_through_a_function_level_import_is_found(tmp_path):
    edges = _tree(
        tmp_path,
        {
            "__init__.py": "",
            "diff/__init__.py": "",
            "diff/model.py": "from .write import write_all\n",
            "diff/write.py": "def f():\n    from . import model\n",
        },
    )
    assert circles(edges) == [["tpcheck.diff.model", "tpcheck.diff.write"]]


def test_a_type_checking_import_is_not_a_circle(tmp_path):
    edges = _tree(
        tmp_path,
        {
            "__init__.py": "",
            "a.py": "from .b import B\n",
            "b.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .a import A\n",
        },
    )
    assert circles(edges) == []


def test_the_face_private_names_and_later_stages_are_found(tmp_path):
    edges = _tree(
        tmp_path,
        {
            "__init__.py": "from .merge import merge\n",
            "merge.py": "import tpcheck\nfrom .write import _helper, write_all\n",
            "write/__init__.py": "from ..merge import merge\nfrom .xlsx import _fmt\n",
            "write/xlsx.py": "from ..version import __version__\n",
            "version.py": "",
        },
    )
    assert [e.source for e in face_imports(edges)] == ["tpcheck.merge"]
    assert [(e.source, e.names) for e in private_imports(edges)] == [
        ("tpcheck.merge", ("_helper", "write_all"))
    ]
    order = {"tpcheck.version": 1, "tpcheck.write": 6, "tpcheck.merge": 7, "tpcheck": 10}
    assert later_stage_imports(edges, order) == [
        "tpcheck.merge (stage 7) imports tpcheck (stage 10), line 1",
        "tpcheck.write (stage 6) imports tpcheck.merge (stage 7), line 1",
    ]


# ------------------------------------------------------------------ the public face


def test_all_lists_the_public_api_and_dir_shows_nothing_else():
    import types

    import tpcheck

    assert dir(tpcheck) == sorted(tpcheck.__all__)
    for name in tpcheck.__all__:
        value = getattr(tpcheck, name)
        assert not isinstance(value, types.ModuleType), name
        assert name == "__version__" or not name.startswith("_"), name
    assert callable(tpcheck.publish) and callable(tpcheck.diff)
    assert {"reading", "pipeline", "findings", "cli", "frame"}.isdisjoint(dir(tpcheck))
