"""The open data API: read-only, anonymous, public data only (api/serializers.py says what each
object shows). Every answer carries an ETag and, where there is one, Last-Modified, and a client
that sends them back gets 304 Not Modified; public answers may be cached for
settings.API_CACHE_SECONDS."""

import hashlib
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, Max, Prefetch, Q
from django.http import Http404, HttpResponseNotModified
from django.urls import reverse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from api import serializers
from api.filters import DialogueParameters, GroupParameters, ListParameters, NeedParameters, openapi_parameters
from api.pagination import IdCursorPagination
from dialogues.models import Dialogue, DialogueNeedVersion
from groups.models import BuyerGroup, Membership, NeedStatement, Theme
from groups.services.needs import demand_aggregates
from indicator.services import MIN_AUTHORITIES
from indicator.statistics import public_statistics

# What each kind of object is, for the OpenAPI document and the documentation page.
GROUPS = _(
    "Buyer groups as their public page shows them: the summary, stage, theme, member authorities, published "
    "needs, open dialogues and, for an ended group, how it ended."
)

NEEDS = _(
    "Published need statements: the version published to the market with its functional requirements, and the "
    "committed authorities' demand summed (never per authority)."
)

DIALOGUES = _(
    "Open and closed market dialogues: dates, state, the need as published to the dialogue, how many suppliers "
    "take part, and the public record once the group has published it (the published answers, clarifications "
    "and amendments, without who asked)."
)
THEMES = _("The themes buyer groups are sorted by, with their names in Swedish and English.")
INDICATOR = _(
    "The goal 5 indicator's yearly averages as the public page shows them: overall, by kind of organisation, by "
    "size, buyer group members and others, and per statement. A figure from fewer than three authorities is not "
    "shown, nor one that would give such a figure away."
)


# Part of every ETag the lists and objects give: a change to what the API says of an object
# (this module's serializers) is a change, even where the object itself did not change.
REPRESENTATION = hashlib.sha256(Path(serializers.__file__).read_bytes()).hexdigest()[:12]


def _etag(*parts) -> str:
    return '"' + hashlib.sha256("|".join(map(str, (REPRESENTATION, *parts))).encode()).hexdigest()[:40] + '"'


def _seconds(moment) -> int | None:
    return int(moment.timestamp()) if moment is not None else None


class PublicReadOnly:
    """What every API view shares: anonymous, read-only, conditional GET and public caching.

    A view that can tell cheaply whether its answer changed sets `validators` (an ETag and the
    last change) before doing the work, and a client that already has the answer gets 304 without
    it being built; any other answer's ETag is a hash of its body."""

    validators = None  # (etag, last_modified datetime or None)

    @classmethod
    def as_view(cls, *args, **kwargs):
        return login_not_required(super().as_view(*args, **kwargs))

    def not_modified(self, request):
        """304 Not Modified if the client's copy is current (by self.validators), else None."""
        etag, last_modified = self.validators
        if get_conditional_response(request, etag=etag, last_modified=_seconds(last_modified)) is None:
            return None
        response = HttpResponseNotModified()
        self._set_validators(response, etag, last_modified)
        return response

    def _set_validators(self, response, etag, last_modified) -> None:
        response["ETag"] = etag
        if last_modified is not None:
            response["Last-Modified"] = http_date(_seconds(last_modified))
        patch_cache_control(response, public=True, max_age=settings.API_CACHE_SECONDS)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        if self.validators is not None:
            self._set_validators(response, *self.validators)
            return response
        response.render()
        etag = f'"{hashlib.sha256(response.content).hexdigest()[:40]}"'
        self._set_validators(response, etag, None)
        return get_conditional_response(request, etag=etag, response=response)


def _parameters(form_class, request):
    form = form_class(request.query_params)
    if not form.is_valid():
        raise ValidationError(form.errors)
    return form


class PublicViewSet(PublicReadOnly, viewsets.ReadOnlyModelViewSet):
    pagination_class = IdCursorPagination
    parameters = ListParameters
    lookup_value_regex = r"[0-9]+"  # anything else is no object: the JSON 404 of api/urls.py

    def public_base(self):
        """The public objects of the kind, without what their representation needs."""
        raise NotImplementedError

    def public_queryset(self):
        """public_base with what the representation needs (annotations, prefetches)."""
        return self.public_base()

    def get_queryset(self):
        queryset = self.public_queryset()
        if self.action == "list":
            queryset = self.asked.filter(queryset)
        return queryset

    def list(self, request, *args, **kwargs):
        # The newest change of any public object of the kind and their number: an object that
        # left this list (a dialogue closed, say) moved the first, one deleted the second. One
        # aggregate query, before any page is built.
        self.asked = _parameters(self.parameters, request)  # a bad parameter is a 400, never a 304
        state = self.public_base().aggregate(latest=Max("updated_at"), count=Count("pk"))
        etag = _etag(request.get_host(), request.get_full_path(), state["latest"], state["count"])
        self.validators = (etag, state["latest"])
        return self.not_modified(request) or super().list(request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        if len(kwargs["pk"]) > 18:  # beyond a 64-bit id: no object, and no database error either
            raise Http404
        updated_at = self.public_base().filter(pk=kwargs["pk"]).values_list("updated_at", flat=True).first()
        if updated_at is None:
            raise Http404
        self.validators = (_etag(request.get_host(), request.get_full_path(), updated_at), updated_at)
        return self.not_modified(request) or Response(self.get_serializer(self.get_object()).data)


def _public_members():
    """The member authorities as the group's public page lists them
    (groups.services.memberships.public_member_authorities), for a whole page of groups."""
    return (
        Membership.objects.publicly_listed()
        .select_related("organisation")
        .order_by("organisation__name", "organisation__pk")
    )


@extend_schema_view(
    list=extend_schema(summary=_("Buyer groups"), parameters=openapi_parameters(GroupParameters), description=GROUPS),
    retrieve=extend_schema(summary=_("One buyer group"), description=GROUPS),
)
class GroupViewSet(PublicViewSet):
    """Buyer groups as their public page shows them: the summary, stage, theme, member
    authorities, published needs, open dialogues and, for an ended group, how it ended."""

    serializer_class = serializers.GroupSerializer
    parameters = GroupParameters

    def public_base(self):
        return BuyerGroup.objects.all()

    def public_queryset(self):
        return BuyerGroup.objects.annotate(
            public_member_count=Count(
                "memberships",
                filter=Q(memberships__status=Membership.Status.ACTIVE, memberships__role=Membership.Role.MEMBER),
            )
        ).prefetch_related(
            Prefetch("memberships", _public_members(), to_attr="public_members"),
            Prefetch(
                "needs",
                NeedStatement.objects.filter(published_version__isnull=False).order_by("-published_at"),
                to_attr="public_needs",
            ),
            Prefetch(
                "dialogues",
                Dialogue.objects.filter(state=Dialogue.State.OPEN).order_by("-opened_at"),
                to_attr="public_open_dialogues",
            ),
        )


class AggregatesInContext:
    """Needs' aggregate demand for the whole page in three queries (groups.services.needs)."""

    def need_ids(self, objects) -> list[int]:
        raise NotImplementedError

    def get_serializer(self, *args, **kwargs):
        objects = args[0] if args else None
        if objects is not None:
            many = kwargs.get("many", False)
            ids = self.need_ids(list(objects) if many else [objects])
            kwargs["context"] = {**self.get_serializer_context(), "aggregates": demand_aggregates(ids)}
        return super().get_serializer(*args, **kwargs)


@extend_schema_view(
    list=extend_schema(
        summary=_("Published need statements"), parameters=openapi_parameters(NeedParameters), description=NEEDS
    ),
    retrieve=extend_schema(summary=_("One published need statement"), description=NEEDS),
)
class NeedViewSet(AggregatesInContext, PublicViewSet):
    """Published need statements: the version published to the market with its functional
    requirements, and the committed authorities' demand summed (never per authority)."""

    serializer_class = serializers.NeedSerializer
    parameters = NeedParameters

    def public_base(self):
        return NeedStatement.objects.filter(
            published_version__isnull=False, state__in=[NeedStatement.State.PUBLISHED, NeedStatement.State.CLOSED]
        )

    def public_queryset(self):
        return self.public_base().select_related("group", "published_version")

    def need_ids(self, objects):
        return [need.pk for need in objects]


@extend_schema_view(
    list=extend_schema(
        summary=_("Market dialogues"), parameters=openapi_parameters(DialogueParameters), description=DIALOGUES
    ),
    retrieve=extend_schema(summary=_("One market dialogue"), description=DIALOGUES),
)
class DialogueViewSet(AggregatesInContext, PublicViewSet):
    """Open and closed market dialogues: dates, state, the need as published to the dialogue,
    how many suppliers take part, and the public record once the group has published it (the
    published answers, clarifications and amendments, without who asked)."""

    serializer_class = serializers.DialogueSerializer
    parameters = DialogueParameters

    def public_base(self):
        return Dialogue.objects.published()

    def public_queryset(self):
        return (
            self.public_base()
            .select_related("group", "need__published_version")
            .annotate(participant_count=Count("participations", filter=Q(participations__withdrawn_at__isnull=True)))
            .prefetch_related(
                Prefetch(
                    "need_versions",
                    DialogueNeedVersion.objects.select_related("version").order_by("published_at", "pk"),
                )
            )
        )

    def need_ids(self, objects):
        return [dialogue.need_id for dialogue in objects]


class ThemeList(PublicReadOnly, APIView):
    """The themes buyer groups are sorted by, with their names in Swedish and English."""

    @extend_schema(summary=_("Themes"), description=THEMES, responses=serializers.ThemeSerializer(many=True))
    def get(self, request):
        names = {}
        for language in ("sv", "en"):
            with translation.override(language):
                for theme in Theme:
                    names.setdefault(theme.value, {})[language] = str(theme.label)
        return Response([{"code": code, "name": name} for code, name in names.items()])


def _figure_key(key) -> str | None:
    if isinstance(key, bool):
        return "member" if key else "non_member"
    return None if key is None else str(key)


class IndicatorFigures(PublicReadOnly, APIView):
    """The goal 5 indicator's yearly averages, as /indicator/statistics/ shows them
    (indicator.statistics.public_statistics): overall, by kind of organisation, by size, buyer
    group members and others, and per statement. A figure from fewer than three authorities is
    suppressed (and so is one that would give such a figure away by subtraction)."""

    @extend_schema(
        summary=_("The goal 5 indicator's figures"), description=INDICATOR, responses=serializers.IndicatorSerializer
    )
    def get(self, request):
        by_language = {}
        for language in ("sv", "en"):
            with translation.override(language):
                by_language[language] = public_statistics()
        results = []
        for dimension, rows in by_language["sv"].items():
            for row, english in zip(rows, by_language["en"][dimension], strict=True):
                results.append(
                    {
                        **row,
                        "key": _figure_key(row["key"]),
                        "label": {"sv": row["label"], "en": english["label"]},
                    }
                )
        return Response(
            {
                "web_url": request.build_absolute_uri(reverse("indicator:statistics")),
                "min_authorities": MIN_AUTHORITIES,
                "results": results,
            }
        )
