"""Every setting the code reads is defined, in config/settings.py (with its default there, not at
the place that reads it) or by Django; every environment variable config/settings.py reads is
listed in .env.example."""

import ast
import re
from pathlib import Path

from django.conf import global_settings, settings

ROOT = Path(__file__).resolve().parent.parent
SETTINGS_FILE = ROOT / "config" / "settings.py"
APP_DIRECTORIES = {"accounts", "audit", "core", "config", "dialogues", "groups", "indicator", "moderation"}
APP_DIRECTORIES |= {"notifications", "search"}
APP_DIRECTORIES |= {path.parent.name for path in ROOT.glob("*/apps.py")}  # and any app added since


def app_files() -> list[Path]:
    return sorted(path for name in APP_DIRECTORIES for path in (ROOT / name).rglob("*.py"))


def settings_names(tree: ast.Module) -> set[str]:
    """The names a module binds to django.conf.settings."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "django.conf":
            names |= {alias.asname or alias.name for alias in node.names if alias.name == "settings"}
    return names


def is_settings(node, names: set[str]) -> bool:
    if isinstance(node, ast.Name):
        return node.id in names
    # django.conf.settings
    return isinstance(node, ast.Attribute) and node.attr == "settings" and ast.unparse(node.value) == "django.conf"


def reads(path: Path):
    """(line, setting name or None if the code does not say, read with a fallback default?) for
    every `settings.NAME` and `getattr(settings, ...)` in the file."""
    tree = ast.parse(path.read_text(), filename=str(path))
    names = settings_names(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr.isupper() and is_settings(node.value, names):
            yield node.lineno, node.attr, False
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("getattr", "hasattr")
            and node.args
            and is_settings(node.args[0], names)
        ):
            name = node.args[1] if len(node.args) > 1 else None
            literal = name.value if isinstance(name, ast.Constant) and isinstance(name.value, str) else None
            yield node.lineno, literal, node.func.id == "getattr" and len(node.args) > 2


def every_read():
    for path in app_files():
        for line, name, with_default in reads(path):
            yield f"{path.relative_to(ROOT)}:{line}", name, with_default


def defined_in_settings_file() -> set[str]:
    """The upper-case names config/settings.py assigns, in any branch, outside functions."""
    defined = set()

    def visit(statements):
        for statement in statements:
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                continue
            targets = []
            if isinstance(statement, ast.Assign):
                targets = statement.targets
            elif isinstance(statement, (ast.AnnAssign, ast.AugAssign)):
                targets = [statement.target]
            for target in targets:
                for node in ast.walk(target):
                    if isinstance(node, ast.Name) and node.id.isupper():
                        defined.add(node.id)
            for field in ("body", "orelse", "finalbody"):
                visit(getattr(statement, field, []))
            for handler in getattr(statement, "handlers", []):
                visit(handler.body)

    visit(ast.parse(SETTINGS_FILE.read_text()).body)
    return defined


def test_the_walk_finds_the_settings_the_code_reads():
    found = {name for _where, name, _default in every_read()}
    assert {"AUTH_USER_MODEL", "SITE_URL", "TRUSTED_PROXY_COUNT"} <= found


def test_every_setting_read_is_defined():
    ours, undefined = defined_in_settings_file(), []
    for where, name, _with_default in every_read():
        if name is None:
            undefined.append(f"{where}: a setting whose name the code computes (name it, so it can be checked)")
        elif not hasattr(settings, name):
            undefined.append(f"{where}: {name} is not a setting")
        elif name not in ours and not hasattr(global_settings, name):
            undefined.append(f"{where}: {name} is not defined in config/settings.py")
    assert not undefined, "\n".join(undefined)


def test_no_setting_is_read_with_a_default_of_its_own():
    """The default lives in config/settings.py, once; one at the reading place could disagree."""
    with_default = [f"{where}: getattr(settings, {name!r}, …)" for where, name, default in every_read() if default]
    assert not with_default, "read settings.NAME instead:\n" + "\n".join(with_default)


def environment_variables_read() -> set[str]:
    """os.environ.get("X"), os.environ["X"], os.getenv("X"), and calls of the file's own
    helpers that read os.environ with a name they are given (env_bool("X", …))."""
    tree = ast.parse(SETTINGS_FILE.read_text())
    helpers = {
        node.name for node in tree.body if isinstance(node, ast.FunctionDef) and "os.environ" in ast.unparse(node)
    }
    variables = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ":
            key = node.slice
        elif (
            isinstance(node, ast.Call)
            and node.args
            and (
                ast.unparse(node.func) in ("os.environ.get", "os.getenv", "os.environ.setdefault")
                or (isinstance(node.func, ast.Name) and node.func.id in helpers)
            )
        ):
            key = node.args[0]
        else:
            continue
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            variables.add(key.value)
    return variables


def listed_in_env_example() -> set[str]:
    # Listed with a value, or commented out where an empty value would mean something else.
    text = (ROOT / ".env.example").read_text()
    return set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", text, flags=re.MULTILINE))


def test_every_environment_variable_of_the_settings_is_in_env_example():
    variables = environment_variables_read()
    assert {"DJANGO_SECRET_KEY", "DJANGO_DEBUG", "DATABASE_URL", "DJANGO_TRUSTED_PROXY_COUNT"} <= variables
    missing = sorted(variables - listed_in_env_example())
    assert not missing, f"config/settings.py reads these; list them in .env.example: {missing}"
