"""The open data API: read-only, anonymous, public data only (api/serializers.py says what each
object shows). Every answer carries an ETag and, where there is one, Last-Modified, and a client
that sends them back gets 304 Not Modified; public answers may be cached for
settings.API_CACHE_SECONDS."""

import hashlib

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, Max, Prefetch, Q
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

from accounts.models import Organisation
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


class PublicReadOnly:
    """What every API view shares: anonymous, read-only, conditional GET and public caching."""

    # The time what the answer shows last changed, set by the view when it knows it.
    last_modified = None

    @classmethod
    def as_view(cls, *args, **kwargs):
        return login_not_required(super().as_view(*args, **kwargs))

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        response.render()
        etag = f'"{hashlib.sha256(response.content).hexdigest()[:40]}"'
        response["ETag"] = etag
        last_modified = None
        if self.last_modified is not None:
            last_modified = int(self.last_modified.timestamp())
            response["Last-Modified"] = http_date(last_modified)
        patch_cache_control(response, public=True, max_age=settings.API_CACHE_SECONDS)
        return get_conditional_response(request, etag=etag, last_modified=last_modified, response=response)


def _parameters(form_class, request):
    form = form_class(request.query_params)
    if not form.is_valid():
        raise ValidationError(form.errors)
    return form


class PublicViewSet(PublicReadOnly, viewsets.ReadOnlyModelViewSet):
    pagination_class = IdCursorPagination
    parameters = ListParameters

    def public_queryset(self):
        raise NotImplementedError

    def get_queryset(self):
        queryset = self.public_queryset()
        if self.action == "list":
            queryset = _parameters(self.parameters, self.request).filter(queryset)
        return queryset

    def list(self, request, *args, **kwargs):
        # The newest change of any public object of the kind: an object that left the list (a
        # dialogue closed, say) moved it too, so If-Modified-Since never hides a change.
        self.last_modified = self.public_queryset().aggregate(latest=Max("updated_at"))["latest"]
        return super().list(request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        self.last_modified = instance.updated_at
        return Response(self.get_serializer(instance).data)


def _public_members():
    return Membership.objects.filter(
        status=Membership.Status.ACTIVE,
        role=Membership.Role.MEMBER,
        organisation__status=Organisation.Status.VERIFIED,
        organisation__kind__in=Organisation.AUTHORITY_KINDS,
    ).select_related("organisation")


@extend_schema_view(
    list=extend_schema(summary=_("Buyer groups"), parameters=openapi_parameters(GroupParameters), description=GROUPS),
    retrieve=extend_schema(summary=_("One buyer group")),
)
class GroupViewSet(PublicViewSet):
    """Buyer groups as their public page shows them: the summary, stage, theme, member
    authorities, published needs, open dialogues and, for an ended group, how it ended."""

    serializer_class = serializers.GroupSerializer
    parameters = GroupParameters

    def public_queryset(self):
        return BuyerGroup.objects.annotate(
            public_member_count=Count(
                "memberships",
                filter=Q(memberships__status=Membership.Status.ACTIVE, memberships__role=Membership.Role.MEMBER),
            )
        ).prefetch_related(
            Prefetch("memberships", _public_members().order_by("organisation__name"), to_attr="public_members"),
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
    retrieve=extend_schema(summary=_("One published need statement")),
)
class NeedViewSet(AggregatesInContext, PublicViewSet):
    """Published need statements: the version published to the market with its functional
    requirements, and the committed authorities' demand summed (never per authority)."""

    serializer_class = serializers.NeedSerializer
    parameters = NeedParameters

    def public_queryset(self):
        return NeedStatement.objects.filter(
            published_version__isnull=False, state__in=[NeedStatement.State.PUBLISHED, NeedStatement.State.CLOSED]
        ).select_related("group", "published_version")

    def need_ids(self, objects):
        return [need.pk for need in objects]


@extend_schema_view(
    list=extend_schema(
        summary=_("Market dialogues"), parameters=openapi_parameters(DialogueParameters), description=DIALOGUES
    ),
    retrieve=extend_schema(summary=_("One market dialogue")),
)
class DialogueViewSet(AggregatesInContext, PublicViewSet):
    """Open and closed market dialogues: dates, state, the need as published to the dialogue,
    how many suppliers take part, and the public record once the group has published it (the
    published answers, clarifications and amendments, without who asked)."""

    serializer_class = serializers.DialogueSerializer
    parameters = DialogueParameters

    def public_queryset(self):
        return (
            Dialogue.objects.published()
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
