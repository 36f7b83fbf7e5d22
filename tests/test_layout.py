"""The rooms of ``transforms/`` and which may import which (see ``transforms/__init__.py``)."""
from __future__ import annotations

import ast
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT

TRANSFORMS = os.path.join(ROOT, "transforms")
ROOMS = ("common", "ingest", "extract", "lake", "beam")
#: What each room may import from ``transforms`` (besides itself).
ALLOWED = {
    "common": set(),
    "ingest": {"common"},
    "extract": {"common"},
    "lake": {"common"},
    "beam": {"common", "ingest", "extract", "lake"},
}
#: Rooms that must not import Beam at all; ``lake`` and ``ingest`` use only its ``FileSystems``.
NO_BEAM = ("common", "extract")


def _modules(room):
    for folder, _dirs, names in os.walk(os.path.join(TRANSFORMS, room)):
        for name in sorted(names):
            if name.endswith(".py"):
                yield os.path.join(folder, name)


def _imports(path):
    tree = ast.parse(open(path, encoding="utf-8").read(), filename=path)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.module


def test_every_module_lives_in_a_room():
    loose = [name for name in os.listdir(TRANSFORMS) if name.endswith(".py") and name != "__init__.py"]
    assert loose == []
    assert {name for name in os.listdir(TRANSFORMS)
            if os.path.isdir(os.path.join(TRANSFORMS, name)) and not name.startswith("__")} == set(ROOMS)


@pytest.mark.parametrize("room", ROOMS)
def test_rooms_import_only_lower_rooms(room):
    wrong = []
    for path in _modules(room):
        for module in _imports(path):
            parts = module.split(".")
            if parts[0] == "transforms" and len(parts) > 1 and parts[1] != room and parts[1] not in ALLOWED[room]:
                wrong.append(f"{os.path.relpath(path, ROOT)} imports {module}")
            if parts[0] == "apache_beam" and room in NO_BEAM:
                wrong.append(f"{os.path.relpath(path, ROOT)} imports {module}")
            if room in ("ingest", "lake") and parts[0] == "apache_beam" and module != "apache_beam.io.filesystems":
                wrong.append(f"{os.path.relpath(path, ROOT)} imports {module} (only FileSystems is allowed)")
    assert wrong == []


def test_the_extraction_room_imports_with_beam_unavailable():
    """Every extraction module imports in a Python where ``apache_beam`` cannot be imported."""
    modules = sorted("transforms.extract." + os.path.relpath(path, os.path.join(TRANSFORMS, "extract"))[:-3]
                     .replace(os.sep, ".") for path in _modules("extract"))
    modules = [m[: -len(".__init__")] if m.endswith(".__init__") else m for m in modules]
    script = (
        "import sys\n"
        "class NoBeam:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'apache_beam' or name.startswith('apache_beam.'):\n"
        "            raise ImportError('Beam is not available here')\n"
        "sys.meta_path.insert(0, NoBeam())\n"
        f"import importlib\nfor name in {modules!r}:\n    importlib.import_module(name)\n"
        "assert not any(m.startswith('apache_beam') for m in sys.modules), 'Beam was imported'\n"
        "print(len(" + repr(modules) + "))\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip()) == len(modules) >= 10


def test_the_pipeline_entry_point_is_thin():
    with open(os.path.join(ROOT, "pipelines", "news_events.py"), encoding="utf-8") as handle:
        assert len(handle.read().splitlines()) < 150
