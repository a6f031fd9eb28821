"""Sections that apps above groups add to a group's page, so that groups knows none of them.

An app registers, in its AppConfig.ready(), a callable `section(request, group, access)` that
returns the section's rendered HTML, or None when it has nothing to show to this person (the
experience app: a group's experience report, and reports from other groups on the same theme).
`access` is the viewer's GroupAccess. The group's page (its workspace and its public summary)
shows the sections in the order they were registered, after its own content.
"""

from collections.abc import Callable

from django.utils.safestring import SafeString

_sections: list[Callable] = []


def register_section(section: Callable) -> None:
    if section in _sections:
        raise ValueError(f"The group page section {section!r} is registered twice.")
    _sections.append(section)


def render_sections(request, group, access) -> list[SafeString]:
    """The HTML of every registered section that has something to show to this person."""
    return [html for section in _sections if (html := section(request, group, access))]
