"""What each app tells the personal-data export (GDPR art. 15), so that the export knows no domain.

Each app registers, in its AppConfig.ready(), from its own personal_data.py:

- its **sections** (`register_section`): one JSON file each in the person's ZIP. A section has a
  stable name (the file name), a description for the archive's README (translatable: the README
  is written in the person's language), the models whose rows about the person it exports, and
  `rows(user)`, which yields one JSON-serialisable dict per row: times, the texts the person
  wrote, and only as much of other people's data as makes a row understandable (a message's
  thread title, never the other messages).
- the models it deliberately leaves out (`register_exempt`), each with the reason.

A model with a foreign key, one-to-one or many-to-many relation to the user model must be
covered by a section or exempt: tests/accounts/test_gdpr.py fails by name for any that is
neither, so a new model cannot be forgotten. A section need not export a row for every
relation of its models: a moderator's or an administrator's decision about someone else's
content (hidden_by, decided_by, cleared_by and the like) is the person's act, and the export
has it from the audit log, with the time and the IP address it was made from.

Registering a section twice, or a model as both exported and exempt, fails at once.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model
from django.utils.functional import Promise


@dataclass(frozen=True)
class Section:
    name: str
    description: Promise | str
    models: tuple[type[Model], ...]
    rows: Callable[..., Iterable[dict]]


_sections: dict[str, Section] = {}
_exempt: dict[type[Model], str] = {}


def _label(model) -> str:
    return model._meta.label


def register_section(
    name: str,
    *,
    description: Promise | str,
    models: Iterable[type[Model]],
    rows: Callable[..., Iterable[dict]],
) -> Section:
    """Add `name`.json to every person's export (in the order of registration). `rows(user)` is
    called while the archive streams, so it may iterate a database cursor."""
    if name in _sections:
        raise ImproperlyConfigured(f"The personal-data section {name!r} is registered twice.")
    section = Section(name=name, description=description, models=tuple(models), rows=rows)
    for model in section.models:
        if model in _exempt:
            raise ImproperlyConfigured(f"{_label(model)} is both exported ({name!r}) and exempt from the export.")
    _sections[name] = section
    return section


def register_exempt(model: type[Model], *, reason: str) -> None:
    """Declare that `model`, though related to the user model, is deliberately not exported."""
    if not reason.strip():
        raise ImproperlyConfigured(f"{_label(model)} is exempt from the personal-data export without a reason.")
    if model in _exempt or model in covered_models():
        raise ImproperlyConfigured(f"{_label(model)} is exempt from the personal-data export twice, or also exported.")
    _exempt[model] = reason


def sections() -> tuple[Section, ...]:
    return tuple(_sections.values())


def covered_models() -> set[type[Model]]:
    return {model for section in _sections.values() for model in section.models}


def exempt_models() -> Mapping[type[Model], str]:
    return MappingProxyType(_exempt)


def user_related_models() -> list[type[Model]]:
    """Every installed model (ours, allauth's, Django's) with a foreign key, one-to-one or
    many-to-many field to the user model, by label."""
    user_model = get_user_model()
    return sorted(
        (
            model
            for model in apps.get_models()
            if any(
                field.is_relation
                and not field.auto_created
                and (field.many_to_one or field.one_to_one or field.many_to_many)
                and field.related_model is user_model
                for field in model._meta.get_fields()
            )
        ),
        key=_label,
    )


def uncovered_models() -> list[type[Model]]:
    """The models related to the user model that no section exports and none declares exempt."""
    known = covered_models() | set(_exempt)
    return [model for model in user_related_models() if model not in known]
