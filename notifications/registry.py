"""What the other apps tell notifications, so that notifications knows no domain.

Each app registers, in its AppConfig.ready():

- its **kinds** (`register_kind`): a stable string (stored on every row and preference, so it
  never changes), the label on the preferences page, the default delivery and the message per
  variant. Messages are translatable text with %(name)s placeholders that `notify` fills from
  `params` in the recipient's language when the item is shown or e-mailed, never when it is
  stored; a kind with several outcomes has one message per `variant` (params["variant"]), and a
  kind whose items collapse (several events, one unread item) a `collapsed` message. The
  params each kind expects are listed beside it in the app's notification_kinds.py.
- its **reminder sources** (`register_reminder_source`): functions `source(now)` yielding the
  reminders due at that moment, which the periodic task runs (notifications/reminders.py).
- its **sections of the preferences page** (`register_preferences_section`): settings of its
  own that belong beside the notification choices (groups: the themes a supplier follows).

Registering one thing twice, or using a kind nobody registered, fails at once and says which.
"""

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

KIND_MAX_LENGTH = 40  # the column width of Notification.kind and NotificationPreference.kind
_KIND_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")


class Delivery(models.TextChoices):
    """How a person wants e-mail about a kind; the notification centre always shows everything."""

    IMMEDIATELY = "immediately", _("E-mail at once")
    DIGEST = "digest", _("In the daily digest")
    OFF = "off", _("No e-mail")


class UnknownKind(ValueError):
    """A kind that no app registered."""


@dataclass(frozen=True)
class NotificationKind:
    key: str
    label: Promise | str
    default: str
    messages: Mapping[str, Promise | str] = field(default_factory=dict)  # variant → message; "" is the default
    collapsed: Promise | str | None = None  # what one item standing for several events says
    # The param holding a longer plain text that the e-mail shows below the message (a
    # facilitator's letter); "" for the kinds whose message says it all.
    body_param: str = ""

    def message(self, variant: str = "") -> Promise | str:
        return self.messages.get(variant) or self.messages.get("") or next(iter(self.messages.values()))


_kinds: dict[str, NotificationKind] = {}
_reminder_sources: list[Callable] = []
_preferences_sections: list[Callable] = []


# --- Kinds ---------------------------------------------------------------------------------


def register_kind(
    key: str,
    *,
    label: Promise | str,
    default: str,
    messages: Mapping[str, Promise | str],
    collapsed: Promise | str | None = None,
    body_param: str = "",
) -> NotificationKind:
    """Make `key` a kind that `notify` accepts and the preferences page offers (in the order of
    registration). Raises ImproperlyConfigured for a key registered already or a malformed kind.

    `collapsed` is the message of an item that stands for several events (notify's
    `collapse_key`): the params of the latest event plus `count`, e.g.
    ngettext_lazy("%(count)d new message in %(thread)s.", "… messages …", "count").

    `body_param` names the param whose text (plain, escaped in HTML) the e-mail shows in full
    below the message, which is also the e-mail's subject."""
    if key in _kinds:
        raise ImproperlyConfigured(f"The notification kind {key!r} is registered twice.")
    if not _KIND_PATTERN.match(key) or len(key) > KIND_MAX_LENGTH:
        raise ImproperlyConfigured(
            f"The notification kind {key!r} must be lower-case letters, digits and underscores, "
            f"at most {KIND_MAX_LENGTH} characters."
        )
    if default not in Delivery.values:
        raise ImproperlyConfigured(f"The notification kind {key!r} has an unknown default delivery {default!r}.")
    if not messages:
        raise ImproperlyConfigured(f"The notification kind {key!r} has no message.")
    kind = NotificationKind(
        key=key,
        label=label,
        default=default,
        messages=MappingProxyType(dict(messages)),
        collapsed=collapsed,
        body_param=body_param,
    )
    _kinds[key] = kind
    return kind


def get_kind(key: str) -> NotificationKind:
    """The registered kind; raises UnknownKind (a ValueError) for anything else."""
    try:
        return _kinds[key]
    except KeyError:
        raise UnknownKind(
            f"No app registered the notification kind {key!r}: register it with "
            "notifications.registry.register_kind() in the app's AppConfig.ready()."
        ) from None


def is_registered(key: str) -> bool:
    return key in _kinds


def registered_kinds() -> list[NotificationKind]:
    """Every kind, in the order the apps registered them."""
    return list(_kinds.values())


def validate_kind(value: str) -> None:
    """A model field validator: the value is a registered kind (said as a field with choices
    would say it)."""
    if value not in _kinds:
        message = models.CharField.default_error_messages["invalid_choice"]
        raise ValidationError(message, params={"value": value}, code="invalid_choice")


# --- Reminder sources ---------------------------------------------------------------------


def register_reminder_source(source: Callable[[datetime], Iterable]) -> Callable[[datetime], Iterable]:
    """Add a function `source(now) -> Iterable[notifications.reminders.Reminder]` to those the
    periodic task runs (see notifications/reminders.py for what a source promises)."""
    if source in _reminder_sources:
        raise ImproperlyConfigured(f"The reminder source {source.__qualname__} is registered twice.")
    _reminder_sources.append(source)
    return source


def reminder_sources() -> list[Callable[[datetime], Iterable]]:
    return list(_reminder_sources)


# --- Sections of the preferences page -----------------------------------------------------------


def register_preferences_section(section: Callable) -> Callable:
    """Add a section to the notification settings page. `section(user=..., data=...)` returns a
    form for that person (bound to `data`, the POST, when there is one) or None when the section
    is not for them. The form has `section_template` (a template rendered inside the page's form
    with the form as `form`) and `save()`, called after every part of the page is valid, in the
    transaction that saves the notification choices."""
    if section in _preferences_sections:
        raise ImproperlyConfigured(f"The preferences section {section.__qualname__} is registered twice.")
    _preferences_sections.append(section)
    return section


def preferences_sections() -> list[Callable]:
    return list(_preferences_sections)
