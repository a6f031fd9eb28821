"""The import contracts of `make lint` (pyproject.toml, [tool.importlinter]) can fail."""

import sys

import grimp

from tests.import_contracts import NoImportsInFunctionsContract


def test_an_import_inside_a_function_between_apps_breaks_the_contract(tmp_path, monkeypatch):
    for app in ("lower", "upper"):
        (tmp_path / app).mkdir()
        (tmp_path / app / "__init__.py").write_text("")
    (tmp_path / "lower" / "things.py").write_text("VALUE = 1\n")
    (tmp_path / "upper" / "apps.py").write_text("def ready():\n    from upper import views  # its own app\n")
    (tmp_path / "upper" / "views.py").write_text("from lower.things import VALUE\n\n\ndef page():\n    return VALUE\n")
    (tmp_path / "lower" / "hidden.py").write_text("def dodge():\n    from upper.views import page\n\n    return page\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    graph = grimp.build_graph("lower", "upper", cache_dir=None)
    # Built without Contract.__init__: its option check walks dir(cls), which twisted's zope
    # interfaces (loaded by the suite) make fail under pytest.
    contract = NoImportsInFunctionsContract.__new__(NoImportsInFunctionsContract)
    contract.apps = ["lower", "upper"]

    check = contract.check(graph, verbose=False)

    assert not check.kept
    assert check.metadata["found"] == [
        "lower.hidden:2 imports upper.views inside a function (from upper.views import page)"
    ]
    for name in [m for m in sys.modules if m.split(".")[0] in ("lower", "upper")]:
        del sys.modules[name]
