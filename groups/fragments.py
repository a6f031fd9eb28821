"""Need statement parts that are the same for everyone who may read them, rendered once per
language and kept in the cache (core/fragments.py). Each function gives (cache key, render) for
core.fragments.cached_fragments, which reads the parts of a page together in one round trip:

- a version's text and the differences between two versions: versions never change, so their
  primary keys and creation times identify what is shown (the time too: SQLite may give a
  deleted need's highest primary keys to new versions);
- a need's joint demand: from its endorsements, each save or deletion of which moves the need's
  updated_at (groups/freshness.py).

Who may read them is decided before, by the views' access checks, as for everything else.
"""

from django.template.loader import render_to_string

from core.content_language import content_language_of
from core.fragments import fragment_key
from groups.diff import version_diff
from groups.services.needs import demand_aggregate


def identity(version) -> tuple:
    return version.pk, version.created_at.timestamp()


def version_text(version, group):
    key = fragment_key("need-version", *identity(version), content_language_of(group))
    return key, lambda: render_to_string("groups/_need_version.html", {"version": version, "group": group})


def version_changes(old, new, group, *, say_none=False):
    """The differences between two versions as groups/_diff.html shows them. When there are none:
    its "No differences." with say_none, else "" (for a page that then leaves the section out)."""
    key = fragment_key("need-diff", *identity(old), *identity(new), content_language_of(group), say_none)

    def render():
        changes = version_diff(old, new)
        if not changes and not say_none:
            return ""
        return render_to_string("groups/_diff.html", {"changes": changes, "group": group})

    return key, render


def joint_demand(need):
    key = fragment_key("need-demand", need.pk, need.updated_at.timestamp())
    return key, lambda: render_to_string("groups/_aggregate.html", {"aggregate": demand_aggregate(need)})
