"""The registry: every kind the code sends is registered by an app, and registering wrongly, or
sending a kind nobody registered, fails at once and says what is wrong."""

import ast
import functools
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError

from notifications.models import Notification, NotificationPreference
from notifications.registry import (
    Delivery,
    UnknownKind,
    get_kind,
    register_kind,
    register_preferences_section,
    register_reminder_source,
    registered_kinds,
)
from notifications.services import notify

# notifications itself sends no kind of its own: it passes on the apps' (send_due_reminders).
SKIPPED_DIRECTORIES = {"notifications", "tests", "migrations"}

# Calls whose kind is a variable, not a literal: where each one is, and the kinds it sends (all of
# them written out in that file). A new call like that fails below by name until it has a row.
KINDS_CHOSEN_IN_CODE = {
    ("discussions/services.py", "notify_thread_readers"): {"mention", "thread_message"},
    ("groups/services/needs.py", "_notify_need_moved"): {"need_review", "need_published"},
    ("dialogues/services/meetings.py", "_notify_both_sides"): {"meeting_booked", "meeting_cancelled"},
}


def _python_files():
    root = Path(settings.BASE_DIR)
    packages = [path for path in sorted(root.iterdir()) if (path / "__init__.py").exists()]
    for path in (file for package in packages for file in sorted(package.rglob("*.py"))):
        relative = path.relative_to(root)
        if not SKIPPED_DIRECTORIES.intersection(relative.parts[:-1]):
            yield relative.as_posix(), ast.parse(path.read_text(encoding="utf-8"))


def _name(call: ast.Call) -> str:
    if isinstance(call.func, ast.Name):
        return call.func.id
    return call.func.attr if isinstance(call.func, ast.Attribute) else ""


def _sends_a_kind(call: ast.Call) -> bool:
    """notify(...), a helper around it (_notify_both_sides) or a reminder: Reminder(kind=...)."""
    return "notify" in _name(call).lower() or _name(call) == "Reminder"


@functools.cache
def kind_arguments() -> list[tuple[str, str, str | None]]:
    """(file, function, the literal kind or None when it is a variable) for every call that sends
    a kind, in the platform's code."""
    found = []
    for path, tree in _python_files():
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for call in ast.walk(function):
                if not (isinstance(call, ast.Call) and _sends_a_kind(call)):
                    continue
                for keyword in call.keywords:
                    if keyword.arg == "kind":
                        value = keyword.value
                        literal = value.value if isinstance(value, ast.Constant) else None
                        found.append((path, function.name, literal))
    return found


def string_constants(path: str) -> set[str]:
    tree = ast.parse((Path(settings.BASE_DIR) / path).read_text(encoding="utf-8"))
    return {node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)}


def test_the_scan_finds_the_senders():
    places = {(path, function) for path, function, _ in kind_arguments()}
    assert ("accounts/services.py", "review_organisation") in places
    assert ("dialogues/reminders.py", "dialogue_deadlines") in places
    assert ("moderation/services.py", "report_content") in places


def test_every_kind_sent_in_the_code_is_registered():
    registered = {kind.key for kind in registered_kinds()}
    literals = {(path, function, kind) for path, function, kind in kind_arguments() if kind is not None}
    assert literals, "the scan found no notify(kind=...) call: it is broken"
    assert [entry for entry in literals if entry[2] not in registered] == []


def test_every_kind_chosen_in_code_is_listed_here_and_registered():
    chosen_in_code = {(path, function) for path, function, kind in kind_arguments() if kind is None}
    assert chosen_in_code == set(KINDS_CHOSEN_IN_CODE)
    registered = {kind.key for kind in registered_kinds()}
    for (path, _), kinds in KINDS_CHOSEN_IN_CODE.items():
        assert kinds <= registered
        assert kinds <= string_constants(path), f"{path} no longer names {kinds - string_constants(path)}"


def test_every_registered_kind_is_sent_somewhere():
    sent = {kind for _, _, kind in kind_arguments() if kind is not None}
    sent |= set().union(*KINDS_CHOSEN_IN_CODE.values())
    assert [kind.key for kind in registered_kinds() if kind.key not in sent] == []


def test_each_kind_has_a_label_a_default_and_a_message_for_each_variant():
    for kind in registered_kinds():
        assert str(kind.label) and kind.default in Delivery.values and kind.messages
        assert all(str(message) for message in kind.messages.values())


def test_registering_a_kind_twice_fails_and_names_it(isolated_registry):
    with pytest.raises(ImproperlyConfigured, match="'join_request' is registered twice"):
        register_kind("join_request", label="Again", default=Delivery.IMMEDIATELY, messages={"": "Again"})
    assert get_kind("join_request").label != "Again"


@pytest.mark.parametrize(
    ("key", "default", "messages", "problem"),
    [
        ("Has Spaces", Delivery.IMMEDIATELY, {"": "m"}, "lower-case letters"),
        ("x" * 41, Delivery.IMMEDIATELY, {"": "m"}, "at most 40"),
        ("hourly_news", "hourly", {"": "m"}, "unknown default delivery 'hourly'"),
        ("silent_news", Delivery.OFF, {}, "has no message"),
    ],
)
def test_a_malformed_kind_is_refused(isolated_registry, key, default, messages, problem):
    with pytest.raises(ImproperlyConfigured, match=problem):
        register_kind(key, label="News", default=default, messages=messages)
    assert key not in {kind.key for kind in registered_kinds()}


def test_registering_a_reminder_source_or_a_section_twice_fails(isolated_registry):
    def source(now):
        return []

    register_reminder_source(source)
    with pytest.raises(ImproperlyConfigured, match="source .*source is registered twice"):
        register_reminder_source(source)
    register_preferences_section(source)
    with pytest.raises(ImproperlyConfigured, match="section .*source is registered twice"):
        register_preferences_section(source)


@pytest.mark.django_db
def test_an_unknown_kind_fails_clearly_wherever_it_is_used(people):
    with pytest.raises(UnknownKind, match="No app registered the notification kind 'no_such_kind'"):
        notify(kind="no_such_kind", recipients=[people.anna])
    with pytest.raises(UnknownKind, match="no_such_kind"):
        get_kind("no_such_kind")
    with pytest.raises(ValidationError):
        NotificationPreference(user=people.anna, kind="no_such_kind", delivery=Delivery.OFF).full_clean()
    with pytest.raises(ValidationError):
        Notification(recipient=people.anna, kind="no_such_kind").full_clean()


@pytest.mark.django_db
def test_a_kind_registered_later_is_sent_and_shown_without_a_migration(isolated_registry, people):
    register_kind(
        "test_news", label="News for the test", default=Delivery.DIGEST, messages={"": "News about %(topic)s."}
    )
    assert notify(kind="test_news", recipients=[people.anna], params={"topic": "solceller"}) == 1
    notification = Notification.objects.get(kind="test_news")
    notification.full_clean()
    assert notification.message() == "News about solceller."
