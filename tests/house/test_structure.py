"""The house rules of STYLE.md, held by the code itself: small modules, private names kept
private, no import cycles, and one home for the rules that have drifted before."""

from __future__ import annotations

import ast
import subprocess
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAX_LINES = 400


@cache
def python_files() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "*.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return [ROOT / name for name in listed if (ROOT / name).exists()]


def code_files() -> list[Path]:
    """Python files outside migrations and tests: the product's own modules."""
    return [
        path
        for path in python_files()
        if "migrations" not in path.parts and path.relative_to(ROOT).parts[0] != "tests"
    ]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def test_no_module_outside_migrations_passes_four_hundred_lines():
    long = {
        str(path.relative_to(ROOT)): lines
        for path in python_files()
        if "migrations" not in path.parts
        and (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}, f"split these by idea: {long}"


def test_no_private_name_is_imported_from_another_module():
    imported = [
        f"{path.relative_to(ROOT)}:{node.lineno} imports {node.module}.{alias.name}"
        for path in python_files()
        for node in ast.walk(tree(path))
        if isinstance(node, ast.ImportFrom) and node.module != "__future__"
        for alias in node.names
        if alias.name.startswith("_")
    ]
    assert imported == []


def _top_level_imports(path: Path, known: set[str]) -> set[str]:
    """Project modules this file imports when it is loaded (not inside functions)."""
    found: set[str] = set()
    for node in tree(path).body:
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        found.update(name for name in names if name in known)
    return found


def test_no_two_modules_import_each_other_in_a_cycle():
    files = code_files()
    known = {module_name(path) for path in files}
    graph = {
        module_name(path): _top_level_imports(path, known) - {module_name(path)} for path in files
    }
    cycles = []
    state: dict[str, str] = {}

    def visit(name: str, trail: list[str]) -> None:
        state[name] = "open"
        for other in sorted(graph.get(name, ())):
            if state.get(other) == "open":
                # A package importing its own modules is how a package exports them.
                cycle = [*trail[trail.index(other) :], name, other]
                if not all(step.startswith(cycle[0] + ".") for step in cycle[1:-1]):
                    cycles.append(" → ".join(cycle))
            elif other not in state:
                visit(other, [*trail, name])
        state[name] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [])
    assert cycles == []


def files_containing(text: str) -> list[str]:
    return sorted(
        str(path.relative_to(ROOT))
        for path in code_files()
        if text in path.read_text(encoding="utf-8")
    )


def test_the_board_slug_pattern_is_written_once():
    assert files_containing("[a-z0-9_]{1,16}") == ["forum/models/boards.py"]


def test_the_room_slug_pattern_is_written_once():
    assert files_containing("[a-z0-9_-]{1,32}") == ["chat/models.py"]


def test_the_cross_site_check_is_written_once():
    assert files_containing("Sec-Fetch-Site") == ["forum/poster.py"]
    assert files_containing('"Origin"') == ["forum/poster.py"]


def test_the_poster_cookie_is_named_and_set_in_one_module():
    assert files_containing('"yoake_poster"') == ["forum/poster.py"]
    assert files_containing("POSTER_COOKIE,") == ["forum/poster.py"]


def test_the_two_channel_date_is_formatted_once():
    assert files_containing("microsecond // 10000") == ["forum/dates.py"]
