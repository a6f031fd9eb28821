"""What accounts asks of buyer groups, a layer above it: which groups an organisation is an
active member of. Deleting an account warns and tells the facilitators when it would leave
such an organisation with nobody, or with no administrator (accounts.services). groups
registers the answer in its AppConfig.ready(); accounts never imports groups.
"""

from collections.abc import Callable, Iterable

from django.core.exceptions import ImproperlyConfigured

# organisation ids → {organisation id: names of the groups it is an active member of}
Source = Callable[[Iterable[int]], dict[int, list[str]]]

_source: Source | None = None


def register_group_memberships(source: Source) -> None:
    global _source
    if _source is not None and _source is not source:
        raise ImproperlyConfigured("The source of group memberships is registered twice.")
    _source = source


def group_names_of(organisation_ids: Iterable[int]) -> dict[int, list[str]]:
    """The groups each organisation is an active member of (organisations in none are left
    out); nothing when no app registered a source."""
    organisation_ids = list(organisation_ids)
    if _source is None or not organisation_ids:
        return {}
    return {pk: names for pk, names in _source(organisation_ids).items() if names}
