"""Writes one scenario's figures to bench/results/<name>.json and <name>.md, with the machine,
the versions and the date, so a later run can be compared with this one."""

import datetime
import json
import os
import platform
import sys
from importlib import metadata
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
PACKAGES = ("django", "channels", "channels-redis", "uvicorn", "daphne", "gunicorn", "celery", "redis", "psycopg")


def environment() -> dict:
    versions = {}
    for package in PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    return {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "python": sys.version.split()[0],
        "machine": f"{platform.system()} {platform.release()} {platform.machine()}",
        "cpus": os.cpu_count(),
        "versions": versions,
    }


def write(name: str, *, figures: dict, table: list[tuple], headers: tuple, notes: str = "") -> Path:
    """Saves the figures as JSON and a Markdown table; prints the table; returns the JSON path."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    env = environment()
    (RESULTS / f"{name}.json").write_text(json.dumps({"scenario": name, **env, "figures": figures}, indent=2) + "\n")
    lines = [
        f"# {name}",
        "",
        f"{env['date']} · Python {env['python']} · {env['machine']} · {env['cpus']} CPUs",
        "",
        "| " + " | ".join(headers) + " |",
        "|" + "---|" * len(headers),
        *("| " + " | ".join(str(cell) for cell in row) + " |" for row in table),
    ]
    if notes:
        lines += ["", notes]
    markdown = "\n".join(lines) + "\n"
    (RESULTS / f"{name}.md").write_text(markdown)
    print(markdown)
    return RESULTS / f"{name}.json"
