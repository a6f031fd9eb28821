"""The suite's time per test directory: setup + call + teardown of every test, summed per
directory (tests/dialogues, tests/discussions, …), printed at the end of the session and
written to var/test-durations.txt (or to the file TEST_DURATIONS_FILE names).

Registered by tests/conftest.py; keeps nothing between runs, so it works with
`-p no:cacheprovider`."""

import os
from collections import defaultdict
from pathlib import Path

import pytest

DEFAULT_FILE = "var/test-durations.txt"


def directory_of(nodeid: str) -> str:
    """'tests/dialogues/test_views.py::test_x[a/b]' → 'tests/dialogues'."""
    path = nodeid.split("::", 1)[0]
    return path.rsplit("/", 1)[0] if "/" in path else "."


class DirectoryDurations:
    def __init__(self, config: pytest.Config):
        self.config = config
        self.seconds: dict[str, float] = defaultdict(float)
        self.tests: dict[str, set[str]] = defaultdict(set)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        directory = directory_of(report.nodeid)
        self.seconds[directory] += report.duration
        self.tests[directory].add(report.nodeid)

    def table(self) -> list[str]:
        rows = sorted(self.seconds.items(), key=lambda item: item[1], reverse=True)
        total = sum(self.seconds.values())
        count = sum(len(nodes) for nodes in self.tests.values())
        width = max([len(directory) for directory, _ in rows] + [len("total")])

        def line(directory, tests, seconds):
            return f"{directory:<{width}}  {tests:>6}  {seconds:>8}"

        return [
            line("directory", "tests", "seconds"),
            *(line(directory, len(self.tests[directory]), f"{seconds:.1f}") for directory, seconds in rows),
            line("total", count, f"{total:.1f}"),
        ]

    def pytest_terminal_summary(self, terminalreporter) -> None:
        if not self.seconds:
            return
        path = Path(os.environ.get("TEST_DURATIONS_FILE") or self.config.rootpath / DEFAULT_FILE)
        lines = self.table()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        terminalreporter.write_sep("-", f"time per directory (setup + call + teardown), also in {path}")
        for line in lines:
            terminalreporter.write_line(line)


def register(config: pytest.Config) -> None:
    if not config.pluginmanager.has_plugin("directory-durations"):
        config.pluginmanager.register(DirectoryDurations(config), "directory-durations")
