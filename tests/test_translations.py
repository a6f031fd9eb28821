"""Swedish is complete and consistent; English falls back to the source strings."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = {lang: ROOT / "locale" / lang / "LC_MESSAGES" / "django.po" for lang in ("sv", "en")}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")


def gettext_tool(name):
    if shutil.which(name) is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} (GNU gettext) is missing in CI")
        pytest.skip(f"{name} (GNU gettext) is not installed")
    return name


def entries(path: Path):
    """(msgid, [msgstr…]) pairs from a .po file, joining continued lines."""
    text = path.read_text(encoding="utf-8")
    for block in text.split("\n\n"):
        fields: dict[str, list[str]] = {}
        key = None
        for line in block.splitlines():
            if line.startswith("#"):
                continue
            match = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?) "(.*)"$', line)
            if match:
                key = match.group(1)
                fields[key] = [match.group(2)]
            elif line.startswith('"') and key:
                fields[key].append(line[1:-1])
        if "msgid" in fields and "".join(fields["msgid"]):
            strings = ["".join(v) for k, v in fields.items() if k.startswith("msgstr")]
            yield "".join(fields["msgid"]), "".join(fields.get("msgid_plural", [""])), strings


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_catalogue_compiles_with_format_checks(lang):
    result = subprocess.run(
        [gettext_tool("msgfmt"), "--check", "-o", os.devnull, str(CATALOGUES[lang])], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_swedish_has_no_untranslated_or_fuzzy_entries():
    tool = gettext_tool("msgattrib")
    untranslated = subprocess.run([tool, "--untranslated", str(CATALOGUES["sv"])], capture_output=True, text=True)
    fuzzy = subprocess.run([tool, "--only-fuzzy", str(CATALOGUES["sv"])], capture_output=True, text=True)
    assert "msgid" not in untranslated.stdout, untranslated.stdout[:2000]
    assert "msgid" not in fuzzy.stdout, fuzzy.stdout[:2000]


def test_swedish_keeps_every_placeholder():
    wrong = []
    for msgid, msgid_plural, strings in entries(CATALOGUES["sv"]):
        expected = sorted(set(PLACEHOLDER.findall(msgid)) | set(PLACEHOLDER.findall(msgid_plural)))
        for msgstr in strings:
            found = sorted(set(PLACEHOLDER.findall(msgstr)))
            # A singular form may leave out %(counter)s ("en grupp"), nothing else.
            if found != expected and sorted(set(found) | {"%(counter)s"}) != expected:
                wrong.append((msgid, msgstr))
    assert not wrong, wrong


def test_every_marked_string_is_in_the_catalogue(tmp_path):
    """makemessages on the current code finds nothing the committed catalogue lacks."""
    gettext_tool("xgettext")
    copy = tmp_path / "project"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(".venv", "var", ".git", "__pycache__", "node_modules"))
    from django.core.management import call_command

    cwd = os.getcwd()
    os.chdir(copy)
    try:
        # makemessages writes to LOCALE_PATHS[0]: point it at the copy, never the repository.
        with override_settings(LOCALE_PATHS=[copy / "locale"]):
            call_command("makemessages", locale=["sv"], ignore_patterns=[".venv", "var"], verbosity=0, no_obsolete=True)
    finally:
        os.chdir(cwd)
    committed = {msgid for msgid, _plural, _strings in entries(CATALOGUES["sv"])}
    fresh = {msgid for msgid, _plural, _strings in entries(copy / "locale" / "sv" / "LC_MESSAGES" / "django.po")}
    assert fresh - committed == set(), f"run makemessages and translate: {sorted(fresh - committed)[:20]}"


def test_swedish_is_served():
    with translation.override("sv"):
        assert translation.gettext("Accessibility statement") == "Tillgänglighetsredogörelse"
        assert translation.gettext("deleted user, %(organisation)s") % {"organisation": "Lunds kommun"} == (
            "raderad användare, Lunds kommun"
        )
    with translation.override("en"):
        assert translation.gettext("Accessibility statement") == "Accessibility statement"
