"""An import-linter contract of our own (pyproject.toml, [tool.importlinter]): no import inside a
function from one app to another.

An import inside a function is how a cycle between apps is hidden: the layers contract sees the
edge, but only this one sees that it was tucked away to dodge import time. Between modules of the
same app it is allowed, and so is an AppConfig.ready() importing its own app's receivers (Django
runs ready() once the models are loaded; that is the one place such an import belongs).
"""

import ast
import sys
from functools import cache
from pathlib import Path

from grimp import ImportGraph
from importlinter.application import output
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck


class NoImportsInFunctionsContract(Contract):
    """Configuration: `apps`, the top-level packages whose imports of each other must be made at
    module level."""

    type_name = "no_imports_in_functions"
    apps = fields.ListField(subfield=fields.StringField())

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        apps = set(self.apps)
        found = []
        for importer in sorted(graph.modules):
            importer_app = importer.split(".")[0]
            if importer_app not in apps:
                continue
            for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                imported_app = imported.split(".")[0]
                if imported_app not in apps or imported_app == importer_app:
                    continue
                for detail in graph.get_import_details(importer=importer, imported=imported):
                    if detail["line_number"] in lines_inside_functions(importer):
                        found.append(
                            f"{importer}:{detail['line_number']} imports {imported} inside a function "
                            f"({detail['line_contents'].strip()})"
                        )
        return ContractCheck(kept=not found, metadata={"found": found})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for line in check.metadata["found"]:
            output.print_error(f"- {line}", bold=False)
        output.new_line()
        output.print("Import at the top of the module; if that makes a cycle, the code is in the wrong layer.")


@cache
def lines_inside_functions(module: str) -> frozenset[int]:
    """The line numbers of the import statements inside a function of the module. (grimp's
    `is_lazy` means PEP 810's `lazy import`, not this.)"""
    tree = ast.parse(source_of(module).read_text(encoding="utf-8"))
    lines = set()
    for function in ast.walk(tree):
        if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            lines.update(node.lineno for node in ast.walk(function) if isinstance(node, (ast.Import, ast.ImportFrom)))
    return frozenset(lines)


def source_of(module: str) -> Path:
    """The file of a module, found on sys.path without importing it (importing a package would
    import its models before Django is set up)."""
    relative = Path(*module.split("."))
    for base in (Path(entry or ".") for entry in sys.path):
        for candidate in (base / relative / "__init__.py", (base / relative).with_suffix(".py")):
            if candidate.is_file():
                return candidate
    raise FileNotFoundError(f"no source for {module} on sys.path")
