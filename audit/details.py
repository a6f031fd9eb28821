"""How an entry's detail reads, and who reads its confidential part.

Rows keep codes and values, never prose in somebody's language: `detail` is a code (a stage, a
role, "view"), `params` the values that go with it (a date, a version number) and `confidential`
what only some readers may see (the name of a proposal's attachment). describe() words them in
the language of whoever reads the log, when it is read.

The log imports no domain app, so the apps tell it what it cannot know, each in its
AppConfig.ready() (as they tell notifications/registry.py their kinds):

- `register_detail(action, describe)`: how the detail of one action reads. Only the app that
  owns the codes knows their labels (groups: stages and roles). An action nobody registered,
  and an entry written before its detail became a code, show the detail as it was stored.
- `register_confidential_reader(groups_for)`: `groups_for(user)` gives (as a queryset) the groups
  whose confidential details the user may read (dialogues: the groups where the user works for a
  member authority, the rule for proposals' secrecy claims). With no rule registered nobody reads
  them; with several, a group's details are readable when any rule says so.
"""

from collections.abc import Callable
from datetime import datetime

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .models import Action, AuditEntry

# describe(entry, readable) → the detail in the current language; readable says whether the
# reader may see the entry's confidential part.
Describer = Callable[[AuditEntry, bool], str]

_describers: dict[str, Describer] = {}
_confidential_readers: list[Callable] = []


def register_detail(action: Action | str, describe: Describer) -> None:
    action = str(action)
    if action in _describers and _describers[action] is not describe:
        raise ImproperlyConfigured(f"the detail of the audit action {action!r} is registered twice")
    _describers[action] = describe


def register_confidential_reader(groups_for: Callable) -> None:
    if groups_for not in _confidential_readers:
        _confidential_readers.append(groups_for)


def groups_with_confidential_details_for(user) -> set[int]:
    """The ids of the groups whose entries' confidential details the user may read."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return {pk for groups_for in _confidential_readers for pk in groups_for(user).values_list("pk", flat=True)}


def describe(entry: AuditEntry, *, readable: bool = False) -> str:
    """The entry's detail in the current language. The confidential part is shown only when
    `readable` (see groups_with_confidential_details_for)."""
    describer = _describers.get(entry.action) or _BUILT_IN.get(entry.action)
    text = describer(entry, readable) if describer is not None else entry.detail
    return text if text is not None else entry.detail


def transition(detail: str, choices) -> str | None:
    """A change of state kept as "draft → open" (codes of `choices`), in the reader's language;
    None when the detail is not such a pair."""
    before, arrow, after = detail.partition(" → ")
    labels = dict(choices.choices)
    if not arrow or before not in labels or after not in labels:
        return None
    return f"{labels[before]} → {labels[after]}"


def target_name(entry: AuditEntry) -> str:
    """The kind of object an entry is about and its id, in the reader's language ("meddelande
    303"): the model's verbose name, looked up by the label the row keeps. A model that moved to
    another app since (discussions lived in dialogues once) is found by its name when only one
    app has a model of that name; otherwise the stored label is shown."""
    if not entry.target_type:
        return ""
    model_name = entry.target_type.rpartition(".")[2]
    try:
        models = [apps.get_model(entry.target_type)]
    except (LookupError, ValueError):
        models = [model for model in apps.get_models() if model._meta.model_name == model_name]
    name = str(models[0]._meta.verbose_name) if len(models) == 1 else entry.target_type
    return f"{name} {entry.target_id}".strip()


def local_time(value: str | None) -> str:
    """An ISO timestamp from `params`, as the reader's language writes a date and time."""
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return str(value)
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


# --- Details the log words itself: no domain labels in them ---------------------------------


def _suspension(entry: AuditEntry, readable: bool) -> str | None:
    """A suspension: until when. Entries from before the end date was kept have no params."""
    if "ends_at" not in entry.params:
        return None
    if entry.params["ends_at"] is None:
        return _("until lifted")
    return _("until %(date)s") % {"date": local_time(entry.params["ends_at"])}


def _suspension_lifted(entry: AuditEntry, readable: bool) -> str | None:
    if "ends_at" not in entry.params:
        return None
    if entry.params["ends_at"] is None:
        return _("lifted early; it had no end date")
    return _("lifted early; it was to end %(date)s") % {"date": local_time(entry.params["ends_at"])}


_BUILT_IN: dict[str, Describer] = {
    Action.USER_SUSPENDED: _suspension,
    Action.SUSPENSION_LIFTED: _suspension_lifted,
}
