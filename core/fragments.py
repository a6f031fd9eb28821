"""Parts of pages rendered once and reused (issue 22: a page cost several times a bare view, most
of it in the template engine). Two kinds, both keyed by the page's language:

- `{% per_language "name" %}…{% end_per_language %}` in a template: markup that depends only on
  the language and the code (the footer, the head's links). It is rendered once per process and
  language and kept in memory; nothing a viewer is, has or may do can be inside one.
- `fragment_key()` / `cached_fragments()` for views: the same for everyone's rendering of an
  object, kept in Django's cache under a key that holds the object's version (its updated_at, or
  a version's primary key), so an edit gives a new key and a stale fragment is never read.
  What differs by viewer or permission is never inside one: views check access first, as ever,
  and render the viewer's own parts around the fragments.
"""

from django import template
from django.core.cache import cache
from django.urls import get_script_prefix, get_urlconf
from django.utils import translation
from django.utils.safestring import mark_safe

from core import kept_pages

register = template.Library()

# Bumped when what a fragment holds changes shape, so an older process's entries are not read.
FRAGMENT_VERSION = 1
FRAGMENT_TIMEOUT = 24 * 60 * 60

_per_language: dict[tuple, str] = {}


def forget_per_language() -> None:
    """Drop the markup kept by {% per_language %} (tests: each renders its templates itself)."""
    _per_language.clear()


class PerLanguageNode(template.Node):
    def __init__(self, name: str, varies_by, nodelist):
        self.name, self.varies_by, self.nodelist = name, varies_by, nodelist

    def render(self, context):
        # The URLconf and script prefix are part of the key: a test may swap them.
        varies = tuple(str(expression.resolve(context)) for expression in self.varies_by)
        key = (self.name, translation.get_language(), get_urlconf(), get_script_prefix(), varies)
        html = _per_language.get(key)
        if html is None:
            html = _per_language[key] = self.nodelist.render(context)
        return html


def per_language_html(name: str, render):
    """In Python what {% per_language name %} is in a template: render() (HTML that depends only on
    the language and the code, such as an empty form) once per process and language."""
    key = (name, translation.get_language(), get_urlconf(), get_script_prefix(), ())
    html = _per_language.get(key)
    if html is None:
        html = _per_language[key] = mark_safe(str(render()))  # noqa: S308 - our own templates' output
    return html


@register.tag
def per_language(parser, token):
    """{% per_language "name" [value…] %}markup{% end_per_language %}: the markup depends only on
    the language and on the values named (each of a few kinds: the page's view name, a role)."""
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'":
        raise template.TemplateSyntaxError("per_language takes a quoted name, then the values it varies by")
    varies_by = [parser.compile_filter(bit) for bit in bits[2:]]
    nodelist = parser.parse(("end_per_language",))
    parser.delete_first_token()
    return PerLanguageNode(bits[1][1:-1], varies_by, nodelist)


class UnrecordedNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        with kept_pages.unrecorded():
            return self.nodelist.render(context)


@register.tag
def unrecorded(parser, token):
    """{% unrecorded %}…{% end_unrecorded %}: what the markup reads is not part of what a kept page
    is made from (core/kept_pages.py); a check the app registers stands for it instead (the
    header's counts: home/apps.py)."""
    nodelist = parser.parse(("end_unrecorded",))
    parser.delete_first_token()
    return UnrecordedNode(nodelist)


def fragment_key(kind: str, *parts) -> str:
    """The cache key of one rendering of something: its kind, what identifies the version
    rendered (primary key, updated_at…) and the page's language."""
    version = ":".join(str(part) for part in parts)
    return f"fragment:{FRAGMENT_VERSION}:{kind}:{version}:{translation.get_language()}"


def cached_fragments(items, key, render) -> list:
    """Each item's HTML, in order: read together from the cache (one round trip), those missing
    rendered with render(item) and stored together. key(item) must change whenever what
    render(item) shows does."""
    keys = [key(item) for item in items]
    try:
        found = cache.get_many(keys)
    except Exception:  # a cache that is down costs the rendering, not the page
        found = {}
    missing = {}
    html = []
    for item, item_key in zip(items, keys, strict=True):
        if item_key not in found:
            missing[item_key] = found[item_key] = str(render(item))
        html.append(mark_safe(found[item_key]))  # noqa: S308 - our own templates' output
    if missing:
        try:
            cache.set_many(missing, FRAGMENT_TIMEOUT)
        except Exception:
            pass
    return html


def cached_fragment(key: str, render):
    """One fragment: cached_fragments for a single item."""
    return cached_fragments([None], lambda _item: key, lambda _item: render())[0]
