"""One search box over groups, needs, dialogues, questions and answers, messages and document
titles (PRODUCT.md §2.8), finding only what the user may open (search/access.py).

PostgreSQL: full-text search with the `swedish` configuration (so "upphandlingar" finds
"upphandling") over a stored, GIN-indexed tsvector per row (search/migrations), ranked with
ts_rank and highlighted with ts_headline. SQLite (the embedded mode): the Snowball Swedish stem
of every word (the stemmer PostgreSQL uses) must occur in the text, newest first, highlighted
in Python.

When that finds nothing, each word is searched again together with the words of the texts the
user may read that are one typo away ("hjullastre" finds "hjullastare": pg_trgm's word
similarity picks the texts on PostgreSQL, the word's halves on SQLite) or, failing those, with
the compound's last parts ("arbetsmaskinerna" finds "maskinerna"); search/swedish.py.

Only the CANDIDATES newest matches of a kind are ranked and paged through, and the count stops
there too ("more than 200"): a common word matches most of 100,000 messages, and ranking them
all would take longer than the search may.
"""

import html
import math
import operator
import re
import secrets
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import reduce

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import BooleanField, Count, F, Func, Q, TextField, Value, Window
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.content_language import content_language_of
from dialogues.models import Answer, Dialogue, Question
from discussions.models import Message
from groups.models import BuyerGroup, Document, NeedVersion
from search import access, swedish

MAX_QUERY_LENGTH = 200
MAX_TERMS = 10  # the SQLite fallback's words
PER_PAGE = 20
OVERVIEW_HITS = 5  # hits per kind when searching everything
CANDIDATES = 200
SNIPPET_LENGTH = 220  # characters, SQLite fallback
SIMILAR_TEXTS = 20  # per kind and word, read for words one typo away


class StoredDocument(Func):
    """The row's `search_document`: to_tsvector('swedish', …) of the kind's searched columns,
    which PostgreSQL stores and indexes (search/migrations/0001_search_indexes.py). The column
    is not a model field, so it is named through the table alias the query gives the row."""

    output_field = SearchVectorField()

    def __init__(self):
        super().__init__(F("pk"))

    def as_sql(self, compiler, connection, **extra_context):
        primary_key, params = compiler.compile(self.source_expressions[0])  # "alias"."id"
        table = primary_key.rsplit(".", 1)[0]
        return f'{table}."search_document"', params


class JoinedText(Func):
    """The text of several columns as one, for the highlighted snippet."""

    output_field = TextField()

    def __init__(self, *fields):
        super().__init__(*(F(name) for name in fields))

    def as_sql(self, compiler, connection, **extra_context):
        parts, params = [], []
        for expression in self.source_expressions:
            sql, expression_params = compiler.compile(expression)
            parts.append(f"COALESCE({sql}, '')")
            params.extend(expression_params)
        return "(" + " || ' ' || ".join(parts) + ")", params


class TrigramWordMatch(Func):
    """`text %> word`: pg_trgm finds in the text an extent much like the word (its
    word_similarity at least pg_trgm.word_similarity_threshold, 0.6), through the trigram
    index on the kind's text (search/migrations/0002_trigram_indexes.py)."""

    output_field = BooleanField()
    arg_joiner = " %%> "
    template = "(%(expressions)s)"

    def __init__(self, text, word):
        super().__init__(text, Value(word, output_field=TextField()))


@dataclass(frozen=True)
class Kind:
    """One kind of thing the search finds."""

    key: str
    label: str
    model: type
    fields: tuple  # the searched text columns (on PostgreSQL, the stored document's; see its migration)
    visible: Callable  # SearchScope -> Q on the model (search/access.py)
    url: Callable
    context: Callable  # where the hit lives, as plain text
    # whose text the context is, for its language (None: the platform's words, as a stage)
    context_owner: Callable = lambda obj: obj
    title_field: str | None = None  # highlighted as the hit's title; otherwise title() gives it
    title: Callable | None = None
    snippet_fields: tuple = ()
    related: tuple = ()
    note: Callable = lambda obj: ""


def _thread_title(message):
    return message.thread.display_title


KINDS = (
    Kind(
        key="groups",
        label=gettext_lazy("Buyer groups"),
        model=BuyerGroup,
        fields=("name", "summary", "challenge"),
        visible=access.groups_filter,
        url=lambda group: group.get_absolute_url(),
        context=lambda group: group.get_current_stage_display(),
        context_owner=lambda group: None,
        title_field="name",
        snippet_fields=("summary", "challenge"),
    ),
    Kind(
        key="needs",
        label=gettext_lazy("Need statements"),
        model=NeedVersion,
        fields=NeedVersion.TEXT_FIELDS,
        visible=access.need_versions_filter,
        url=lambda version: version.need.get_absolute_url(),
        context=lambda version: version.need.group.name,
        title_field="title",
        snippet_fields=tuple(name for name in NeedVersion.TEXT_FIELDS if name != "title"),
        related=("need__group",),
    ),
    Kind(
        key="dialogues",
        label=gettext_lazy("Market dialogues"),
        model=Dialogue,
        fields=("title", "purpose"),
        visible=access.dialogues_filter,
        url=lambda dialogue: dialogue.get_absolute_url(),
        context=lambda dialogue: dialogue.group.name,
        context_owner=lambda dialogue: dialogue.group,
        title_field="title",
        snippet_fields=("purpose",),
        related=("group",),
    ),
    Kind(
        key="answers",
        label=gettext_lazy("Questions and answers"),
        model=Answer,
        fields=("question_text", "body"),
        visible=access.answers_filter,
        url=lambda answer: answer.get_absolute_url(),
        context=lambda answer: answer.dialogue.title,
        title=lambda answer: answer.heading,
        snippet_fields=("question_text", "body"),
        related=("dialogue",),
    ),
    Kind(
        key="questions",
        label=gettext_lazy("Questions from suppliers"),
        model=Question,
        fields=("text",),
        visible=access.questions_filter,
        url=lambda question: question.get_absolute_url(),
        context=lambda question: question.dialogue.title,
        title=lambda question: _("Question about %(dialogue)s") % {"dialogue": question.dialogue.title},
        snippet_fields=("text",),
        related=("dialogue", "answer"),
        note=lambda question: "" if question.is_answered else _("Not answered yet"),
    ),
    Kind(
        key="messages",
        label=gettext_lazy("Messages"),
        model=Message,
        fields=("body",),
        visible=access.messages_filter,
        url=lambda message: message.get_absolute_url(),
        context=lambda message: message.thread.group.name,
        context_owner=lambda message: message.thread.group,
        title=_thread_title,
        snippet_fields=("body",),
        related=("thread__group", "thread__dialogue", "thread__supplier"),
        note=lambda message: _("Hidden by a moderator") if message.is_hidden else "",
    ),
    Kind(
        key="documents",
        label=gettext_lazy("Documents"),
        model=Document,
        fields=("title",),
        visible=access.documents_filter,
        url=lambda document: reverse("groups:document-detail", args=[document.group.slug, document.pk]),
        context=lambda document: document.group.name,
        title_field="title",
        related=("group",),
        note=lambda document: _("Hidden by a moderator") if document.is_hidden else "",
    ),
)
KINDS_BY_KEY = {kind.key: kind for kind in KINDS}


@dataclass
class Hit:
    title: SafeString
    snippet: SafeString
    url: str
    context: str
    note: str = ""
    # The languages the texts are written in (core/content_language.py); "" for the platform's
    # own words (a title such as "Answer 3" is not the writer's text).
    language: str = ""
    title_language: str = ""
    context_language: str = ""


@dataclass
class Section:
    kind: Kind
    count: int  # at most CANDIDATES; more_than_counted says there were more
    hits: list
    more_than_counted: bool = False

    @property
    def key(self):
        return self.kind.key

    @property
    def label(self):
        return self.kind.label


@dataclass
class SearchResults:
    query: str
    kind: str | None = None
    error: str = ""
    sections: list = field(default_factory=list)
    page: int = 1
    num_pages: int = 0
    similar_words: bool = False  # found through words much like those typed, none as typed

    @property
    def total(self) -> int:
        return sum(section.count for section in self.sections)

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages


def clean_query(query) -> tuple[str, str]:
    """The query as searched, and what is wrong with it for people (empty when nothing is)."""
    text = "".join(
        " " if unicodedata.category(char)[0] == "C" else char for char in str(query or "")
    )  # control characters (NUL among them) would make PostgreSQL refuse the query
    text = " ".join(text.split())
    if not text:
        return "", _("Type one or more words to search for.")
    if len(text) > MAX_QUERY_LENGTH:
        return text, _("The search is too long: use at most %(limit)s characters.") % {"limit": MAX_QUERY_LENGTH}
    if not re.search(r"\w", text):
        return text, _("Search for words or numbers: punctuation alone finds nothing.")
    return text, ""


def _page_number(page) -> int:
    try:
        return max(1, int(page))
    except (TypeError, ValueError):
        return 1


def search(user, query, kind=None, page=1) -> SearchResults:
    """What `user` may see that matches `query`, grouped by kind. Without a kind, the best few
    of every kind; with one, that kind paged (an invalid page number gives the nearest page).
    When nothing matches, the words one typo away, or the compounds' last parts, are searched
    too. Bad input gives results with `error` set and no query run."""
    text, error = clean_query(query)
    kind = kind if kind in KINDS_BY_KEY else None
    results = SearchResults(query=text, kind=kind, error=error)
    if error:
        return results
    scope = access.search_scope(user)
    finder = _finder(text)
    _find(results, finder, scope, page)
    if results.total == 0:
        alternatives = _alternatives(finder, scope, [KINDS_BY_KEY[kind]] if kind else KINDS)
        if alternatives:
            results = SearchResults(query=text, kind=kind)
            _find(results, _finder(text, alternatives), scope, page)
            results.similar_words = results.total > 0
    return results


def _finder(text, alternatives=None):
    if connection.vendor == "postgresql":
        return _PostgresFinder(text, alternatives)
    return _SimpleFinder(text, alternatives)


def _find(results, finder, scope, page):
    if results.kind is None:
        for each, (count, hits) in zip(KINDS, finder.overview(KINDS, scope, OVERVIEW_HITS), strict=True):
            results.sections.append(Section(each, min(count, CANDIDATES), hits, count > CANDIDATES))
        return
    chosen = KINDS_BY_KEY[results.kind]
    wanted = min(_page_number(page), math.ceil(CANDIDATES / PER_PAGE))
    count, hits = finder.page(chosen, scope, (wanted - 1) * PER_PAGE, PER_PAGE)
    if not hits and wanted > 1:  # past the last page: count, then show the last one
        count = finder.count(chosen, scope)
        wanted = min(wanted, max(1, math.ceil(min(count, CANDIDATES) / PER_PAGE)))
        count, hits = finder.page(chosen, scope, (wanted - 1) * PER_PAGE, PER_PAGE)
    results.page = wanted
    results.num_pages = max(1, math.ceil(min(count, CANDIDATES) / PER_PAGE))
    results.sections.append(Section(chosen, min(count, CANDIDATES), hits, count > CANDIDATES))


def _words(text) -> list[str]:
    return list(dict.fromkeys(re.findall(r"\w+", text.casefold())))[:MAX_TERMS]


def _alternatives(finder, scope, kinds) -> list[list[str]] | None:
    """Each query word with the words it may have meant: those one typo away in the texts of
    these kinds that the user may read, or else the compound's possible last parts. None when
    there is nothing to add."""
    alternatives = []
    for word in finder.words:
        seen = set()
        if len(word) >= swedish.MIN_TYPO_LENGTH:
            for text in finder.similar_texts(kinds, scope, word):
                seen.update(swedish.words(text))
        close = sorted(found for found in seen if swedish.is_close(word, found))
        by_stem = {}  # one word per stem: its other forms add nothing
        for other in close or swedish.compound_tails(word):
            by_stem.setdefault(swedish.stem(other), other)
        alternatives.append([word, *by_stem.values()])
    if all(len(words) == 1 for words in alternatives):
        return None
    return alternatives


class _PostgresFinder:
    def __init__(self, text, alternatives=None):
        """The query as typed (web search syntax: "quotes", or, -not); or, with alternatives,
        each word's alternatives or-ed and the words and-ed."""
        self.words = _words(text)
        if alternatives:
            self.query = reduce(
                operator.and_,
                (
                    reduce(operator.or_, (SearchQuery(word, config="swedish", search_type="plain") for word in words))
                    for words in alternatives
                ),
            )
        else:
            self.query = SearchQuery(text, config="swedish", search_type="websearch")
        # Markers nobody can type: ts_headline puts them round the matches, and they become
        # <mark> only after everything else has been escaped.
        token = secrets.token_hex(8)
        self.start, self.stop = f"hlstart{token}", f"hlstop{token}"

    def matching(self, kind, scope):
        return (
            kind.model.objects.filter(kind.visible(scope))
            .alias(search_document=StoredDocument())
            .filter(search_document=self.query)
        )

    def count(self, kind, scope) -> int:
        return self.matching(kind, scope).order_by().values("pk")[: CANDIDATES + 1].count()

    def similar_texts(self, kinds, scope, word) -> list[str]:
        """Some texts of each kind the user may read with a word much like `word` in them, in one query."""
        parts = []
        for kind in kinds:
            text = JoinedText(*kind.fields)
            parts.append(
                kind.model.objects.filter(kind.visible(scope))
                .filter(TrigramWordMatch(text, word))
                .annotate(searched_text=text)
                .order_by()
                .values_list("searched_text", flat=True)[:SIMILAR_TEXTS]
            )
        if len(parts) == 1:
            return list(parts[0])
        return list(parts[0].union(*parts[1:], all=True).order_by())

    def ranked(self, kind, scope):
        """The newest CANDIDATES + 1 matches found through the index, ranked (without joins),
        each with the number of candidates."""
        candidates = self.matching(kind, scope).order_by("-pk").values("pk")[: CANDIDATES + 1]
        return (
            kind.model.objects.filter(pk__in=candidates)
            .annotate(rank=SearchRank(StoredDocument(), self.query), candidates=Window(Count("pk")))
            .order_by("-rank", "-pk")
        )

    def page(self, kind, scope, offset, limit) -> tuple[int, list[Hit]]:
        """The number of candidates (up to CANDIDATES + 1) and one page of them, best first:
        one query ranks, a second reads the page's rows with what their hits show."""
        limit = max(0, min(limit, CANDIDATES - offset))
        ranked = list(self.ranked(kind, scope).values_list("pk", "candidates")[offset : offset + limit])
        if not ranked:
            return 0, []
        return ranked[0][1], self.hits(kind, [pk for pk, _count in ranked])

    def overview(self, kinds, scope, limit) -> list[tuple[int, list[Hit]]]:
        """page(kind, scope, 0, limit) for every kind, with the ranking of all of them in one query."""
        parts = [
            self.ranked(kind, scope)
            .annotate(kind_key=Value(kind.key))
            .values_list("kind_key", "pk", "candidates")[:limit]
            for kind in kinds
        ]
        ranked = {kind.key: [] for kind in kinds}
        for key, pk, count in parts[0].union(*parts[1:], all=True).order_by():
            ranked[key].append((pk, count))
        return [
            (rows[0][1], self.hits(kind, [pk for pk, _count in rows])) if rows else (0, [])
            for kind, rows in ((kind, ranked[kind.key]) for kind in kinds)
        ]

    def hits(self, kind, order) -> list[Hit]:
        """The hits for these primary keys, in this order, highlighted."""
        annotations = {}
        if kind.title_field:
            annotations["title_marked"] = self._headline(F(kind.title_field), highlight_all=True)
        if kind.snippet_fields:
            annotations["snippet_marked"] = self._headline(
                JoinedText(*kind.snippet_fields), max_words=30, min_words=12, max_fragments=2
            )
        rows = _with_related(kind.model.objects.filter(pk__in=order), kind).annotate(**annotations)
        return [
            _hit(
                kind,
                row,
                self._marked(getattr(row, "title_marked", None)),
                self._marked(getattr(row, "snippet_marked", "")),
            )
            for row in sorted(rows, key=lambda row: order.index(row.pk))
        ]

    def _headline(self, expression, **options):
        return SearchHeadline(
            expression, self.query, config="swedish", start_sel=self.start, stop_sel=self.stop, **options
        )

    def _marked(self, headline):
        if headline is None:
            return None
        escaped = html.escape(headline, quote=True)
        return mark_safe(escaped.replace(self.start, "<mark>").replace(self.stop, "</mark>"))  # noqa: S308


class _SimpleFinder:
    """SQLite: the stem of each word (or of one of its alternatives) must occur somewhere in
    the kind's text, in any case (a regular expression, which SQLite has Python evaluate)."""

    def __init__(self, text, alternatives=None):
        self.words = _words(text)
        self.terms = [_stems_pattern(words) for words in alternatives or [[word] for word in self.words]]
        self.pattern = re.compile(r"\w*(?:" + "|".join(self.terms) + r")\w*", re.IGNORECASE)

    def matching(self, kind, scope):
        condition = Q()
        for term in self.terms:
            any_field = Q()
            for name in kind.fields:
                any_field |= Q(**{f"{name}__iregex": term})
            condition &= any_field
        return kind.model.objects.filter(kind.visible(scope)).filter(condition)

    def similar_texts(self, kinds, scope, word) -> list[str]:
        """Some texts of each kind the user may read with one of the word's halves in them."""
        texts = []
        for kind in kinds:
            condition = Q()
            for half in swedish.typo_windows(word):
                for name in kind.fields:
                    condition |= Q(**{f"{name}__icontains": half})
            rows = kind.model.objects.filter(kind.visible(scope)).filter(condition).order_by("-pk")
            texts += [" ".join(value or "" for value in row) for row in rows.values_list(*kind.fields)[:SIMILAR_TEXTS]]
        return texts

    def count(self, kind, scope) -> int:
        return self.matching(kind, scope).order_by().values("pk")[: CANDIDATES + 1].count()

    def overview(self, kinds, scope, limit) -> list[tuple[int, list[Hit]]]:
        return [self.page(kind, scope, 0, limit) for kind in kinds]

    def page(self, kind, scope, offset, limit) -> tuple[int, list[Hit]]:
        count = self.count(kind, scope)
        limit = max(0, min(limit, CANDIDATES - offset))
        rows = _with_related(self.matching(kind, scope), kind).order_by("-pk")[offset : offset + limit] if count else []
        return count, [_hit(kind, row, self._title(kind, row), self._snippet(kind, row)) for row in rows]

    def _title(self, kind, row):
        if not kind.title_field:
            return None
        return self._highlight(getattr(row, kind.title_field))

    def _snippet(self, kind, row):
        text = " ".join(getattr(row, name) or "" for name in kind.snippet_fields)
        if not text:
            return mark_safe("")
        found = self.pattern.search(text)
        start = max(0, found.start() - SNIPPET_LENGTH // 3) if found else 0
        excerpt = text[start : start + SNIPPET_LENGTH]
        return self._highlight(("… " if start else "") + excerpt + (" …" if start + SNIPPET_LENGTH < len(text) else ""))

    def _highlight(self, text) -> SafeString:
        pieces, last = [], 0
        for found in self.pattern.finditer(text):
            pieces.append(html.escape(text[last : found.start()]))
            pieces.append(format_html("<mark>{}</mark>", found.group()))
            last = found.end()
        pieces.append(html.escape(text[last:]))
        return mark_safe("".join(pieces))  # noqa: S308 (every piece escaped above)


def _stems_pattern(words) -> str:
    """A regular expression for text with any of these words in any form: their stems, anywhere
    in a word (so that "upphandling" finds "teknikupphandlingar"); a short one as a word of its
    own with at most an ending ("el" finds "elen", not "elbil", as on PostgreSQL)."""
    patterns = []
    for word in words:
        stem = swedish.stem(word)
        patterns.append(re.escape(stem) if len(stem) >= 4 else r"(?<!\w)" + re.escape(stem) + r"\w{0,4}(?!\w)")
    return "(?:" + "|".join(dict.fromkeys(patterns)) + ")"


def _with_related(queryset, kind):
    return queryset.select_related(*kind.related) if kind.related else queryset


def _hit(kind, row, title, snippet) -> Hit:
    if title is None:
        title = html.escape(kind.title(row))
    return Hit(
        title=mark_safe(title),  # noqa: S308 (escaped above or by the finder)
        snippet=snippet,
        url=kind.url(row),
        context=kind.context(row),
        note=kind.note(row),
        language=content_language_of(row),
        title_language=content_language_of(row) if kind.title_field else "",
        context_language=content_language_of(kind.context_owner(row)),
    )
