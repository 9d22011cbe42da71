"""API views: thin viewsets over named querysets; drafts only for staff and archivists."""

from __future__ import annotations

import hashlib
import json

from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date, parse_etags
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import APIException, PermissionDenied
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from archive.citation import item_citation
from archive.citation_formats import FORMATS
from archive.models import Agent, Item, ItemCreator, Licence, Place, Status, Subject
from archive.roles import can_delete_item, delete_refusal
from archive.views import canonical_redirect
from curation.models import Collection
from media.models import MediaFile

from . import serializers as s
from .citations import CITATION_RENDERERS, CitationRenderer, FormatNegotiation
from .exceptions import ErrorSerializer
from .filters import ItemFilter
from .parsers import FormParser, JSONParser, MultiPartParser
from .permissions import can_see_drafts

IDENTIFIER = OpenApiParameter(
    "identifier", str, OpenApiParameter.PATH, description="Accession number, e.g. MOK-F-0001."
)
# Error bodies are declared once, for every operation, by api.schema.declare_errors.
ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Bad input: `errors` names the fields."),
    401: OpenApiResponse(ErrorSerializer, description="Not logged in (token or session)."),
    403: OpenApiResponse(
        ErrorSerializer,
        description="Logged in, but without the permission for this change (publishing, "
        "unpublishing and deleting a published item need archive.publish_item).",
    ),
    404: OpenApiResponse(
        ErrorSerializer, description="No such record (or a draft, for the public)."
    ),
}


def visible_items(request):
    """The items this request may read."""
    items = Item.objects.all()
    return items if can_see_drafts(request.user) else items.filter(status=Status.PUBLISHED)


def etag_of(data) -> str:
    """The ETag of a JSON answer: a hash of its body, so it changes whenever anything in it
    does (media, vocabulary names, derivatives) and a write based on it can be checked."""
    body = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False)
    return f'"{hashlib.sha256(body.encode()).hexdigest()[:32]}"'


def conditional(request, response: Response, last_modified=None) -> Response:
    """ETag (over the JSON body) and Last-Modified; 304 when the client's copy is current."""
    etag = etag_of(response.data)
    timestamp = int(last_modified.timestamp()) if last_modified else None
    not_modified = get_conditional_response(
        request._request, etag=etag, last_modified=timestamp, response=response
    )
    if not_modified is not response:
        not_modified["ETag"] = etag
        response = Response(status=not_modified.status_code)
        for header in ("ETag", "Last-Modified"):
            if header in not_modified:
                response[header] = not_modified[header]
    response["ETag"] = etag
    if timestamp is not None:
        response["Last-Modified"] = http_date(timestamp)
    # Drafts and staff views must not sit in a shared cache.
    response["Cache-Control"] = (
        "private, no-cache" if request.user.is_authenticated else "public, max-age=60"
    )
    patch_vary_headers(response, ["Accept-Language", "Cookie", "Authorization"])
    return response


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _(
        "The record has changed since you read it (If-Match does not match its ETag). Read "
        "it again, apply your change to the current version and send it with the new ETag."
    )
    default_code = "precondition_failed"


IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="The ETag of the version the change is based on; 412 when it is stale.",
)
CITATION_FORMAT = OpenApiParameter(
    "format",
    str,
    enum=["json", *FORMATS],
    required=False,
    description="`json` (the default), or the item's citation as `ris`, `bibtex` or "
    "`csl-json` (the same as sending their media type in Accept). See docs/citing.md.",
)
CITATION_RESPONSES = {
    (200, f.media_type): OpenApiResponse(
        response={"type": "array", "items": {"type": "object"}}
        if f.name == "csl-json"
        else OpenApiTypes.STR,
        description=f"The item's citation as {f.label}.",
    )
    for f in FORMATS.values()
}
PRECONDITION_ERRORS = {
    **ERRORS,
    412: OpenApiResponse(
        ErrorSerializer, description="If-Match does not match the record's current ETag."
    ),
}


def documented_writes(detail, write, parameters=(), create_request=None):
    """The schema of ConditionalWriteMixin's writes for one resource (a class decorator)."""
    changes = {"request": write, "responses": {200: detail, **PRECONDITION_ERRORS}}
    return extend_schema_view(
        create=extend_schema(request=create_request or write, responses={201: detail, **ERRORS}),
        update=extend_schema(parameters=[*parameters, IF_MATCH], **changes),
        partial_update=extend_schema(parameters=[*parameters, IF_MATCH], **changes),
        destroy=extend_schema(
            parameters=[*parameters, IF_MATCH], responses={204: None, **PRECONDITION_ERRORS}
        ),
    )


class ConditionalWriteMixin:
    """Writes for every writable viewset: one transaction each, If-Match checked, and the
    answer read after the write.

    A write reads its record through `object_for_write()`, inside the transaction that
    writes: the record is locked (`lock()`), read again, and its current ETag compared with
    If-Match before anything changes, so of two writers holding one version exactly one wins
    and the other gets 412. Writes without If-Match are still accepted (docs/api.md).

    After a create or an update, `read_after_write()` reads the record again through
    `get_queryset()` (the viewset's visibility, prefetches and annotations) and answers it
    as GET would, with its new ETag. Hooks, as DRF's mixins: `perform_create`,
    `perform_update` (return the saved record) and `perform_destroy`.
    """

    # Extension points (override on a viewset):
    # the serializer of the detail answer, as GET gives it and as its ETag is computed;
    detail_serializer_class: type
    # whether a 201 names the new record's page in Location (items, lessons, stories).
    location_on_create = False

    def detail_data(self, obj) -> dict:
        """The detail representation, as GET answers it (and as its ETag is computed)."""
        return self.detail_serializer_class(obj, context=self.get_serializer_context()).data

    def lock(self, obj) -> None:
        """Lock what a write of `obj` depends on (here: its row) until the transaction ends.
        On SQLite the write transaction itself is the lock (BEGIN IMMEDIATE)."""
        rows = type(obj)._default_manager.select_for_update(of=("self",)).filter(pk=obj.pk)
        list(rows.values_list("pk", flat=True))

    def object_for_write(self):
        obj = self.get_object()
        self.lock(obj)
        obj = self.get_queryset().get(pk=obj.pk)
        expected = self.request.headers.get("If-Match")
        if expected is not None:
            tags = parse_etags(expected)
            if tags != ["*"] and etag_of(self.detail_data(obj)) not in tags:
                raise PreconditionFailed()
        return obj

    def read_after_write(self, obj, status_code=status.HTTP_200_OK) -> Response:
        obj = self.get_queryset().get(pk=obj.pk)
        response = Response(self.detail_data(obj), status=status_code)
        response["ETag"] = etag_of(response.data)
        return response

    def perform_create(self, serializer):
        return serializer.save()

    def perform_update(self, serializer):
        return serializer.save()

    def perform_destroy(self, obj) -> None:
        obj.delete()

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        return conditional(request, Response(self.detail_data(obj)), getattr(obj, "modified", None))

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        # The answer is read inside the transaction: once it commits, nothing else touches
        # the database, so a 201 is never lost to an outage between commit and reply (the
        # client would see a 503 for a saved item) and a 503 means nothing was saved.
        with transaction.atomic():
            serializer.is_valid(raise_exception=True)
            obj = self.perform_create(serializer)
            response = self.read_after_write(obj, status.HTTP_201_CREATED)
        if self.location_on_create:
            response["Location"] = response.data["url"]
        return response

    def update(self, request, *args, **kwargs):
        with transaction.atomic():
            serializer = self.get_serializer(
                self.object_for_write(), data=request.data, partial=kwargs.pop("partial", False)
            )
            serializer.is_valid(raise_exception=True)
            obj = self.perform_update(serializer)
            return self.read_after_write(obj)  # inside the transaction, as in create()

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    def destroy(self, request, *args, **kwargs):
        with transaction.atomic():
            self.perform_destroy(self.object_for_write())
        return Response(status=status.HTTP_204_NO_CONTENT)


@documented_writes(s.ItemDetailSerializer, s.ItemWriteSerializer, parameters=[IDENTIFIER])
@extend_schema(tags=["items"])
class ItemViewSet(ConditionalWriteMixin, viewsets.ModelViewSet):
    """Catalogue items. The public reads published items; archivists create and change them."""

    lookup_field = "identifier"
    lookup_value_regex = "[^/]+"
    filterset_class = ItemFilter
    parser_classes = [JSONParser]
    content_negotiation_class = FormatNegotiation

    def get_renderers(self):
        # A detail can also be read as a citation (api/citations.py); everything else is JSON.
        renderers = super().get_renderers()
        if getattr(self, "action", None) == "retrieve":
            renderers += [renderer() for renderer in CITATION_RENDERERS]
        return renderers

    def finalize_response(self, request, response, *args, **kwargs):
        # Errors, redirects and 304s answer in JSON whatever citation format was asked for.
        if response.status_code >= 300 and isinstance(
            getattr(request, "accepted_renderer", None), CitationRenderer
        ):
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        response = super().finalize_response(request, response, *args, **kwargs)
        if getattr(self, "action", None) == "retrieve":
            patch_vary_headers(response, ["Accept"])
        return response

    def get_queryset(self):
        items = visible_items(self.request).select_related("licence")
        if self.action == "list":
            # A list row shows no long text; leaving it unread keeps sorting cheap.
            return items.defer("description", "description_en", "source").prefetch_related(
                "media_files"
            )
        return items.prefetch_related(
            "media_files",
            "subjects",
            "places",
            "collections",
            Prefetch("item_creators", queryset=ItemCreator.objects.select_related("agent")),
        )

    def get_serializer_class(self):
        if self.action == "list":
            return s.ItemListSerializer
        if self.action in ("create", "update", "partial_update"):
            return s.ItemWriteSerializer
        return s.ItemDetailSerializer

    def filter_queryset(self, queryset):
        # Filters and ordering belong to the list; a detail is found by identifier alone.
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)

    detail_serializer_class = s.ItemDetailSerializer
    location_on_create = True

    def lock(self, item: Item) -> None:
        Item.objects.for_write(item.pk)

    @extend_schema(
        parameters=[IDENTIFIER, CITATION_FORMAT],
        responses={
            (200, "application/json"): s.ItemDetailSerializer,
            **CITATION_RESPONSES,
            **ERRORS,
            406: OpenApiResponse(description="The Accept header names no format offered."),
        },
    )
    def retrieve(self, request, *args, **kwargs):
        try:
            item = self.get_object()
        except Http404:
            # `mok-d-0009` for `MOK-D-0009`: a permanent redirect to the stored spelling.
            redirect = canonical_redirect(request, visible_items(request), kwargs["identifier"])
            if redirect is None:
                raise
            return redirect
        if isinstance(request.accepted_renderer, CitationRenderer):
            url = request.build_absolute_uri(item.get_absolute_url())
            return conditional(request, Response(item_citation(item, url)), item.modified)
        return conditional(request, Response(self.detail_data(item)), item.modified)

    def perform_destroy(self, item: Item) -> None:
        if not can_delete_item(self.request.user, item):
            raise PermissionDenied(delete_refusal())
        item.delete()


@documented_writes(
    s.MediaDetailSerializer,
    s.MediaWriteSerializer,
    create_request={"multipart/form-data": s.MediaWriteSerializer},
)
@extend_schema(tags=["media"])
class MediaViewSet(ConditionalWriteMixin, viewsets.ModelViewSet):
    """Media files of items: archivists edit alt-text, captions and order, or upload files."""

    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        media = MediaFile.objects.filter(
            item__in=visible_items(self.request).values("pk")
        ).select_related("item__licence")
        identifier = self.request.query_params.get("item")
        if self.action == "list" and identifier:
            media = media.filter(item__identifier=identifier)
        return media.order_by("item__identifier", "order", "pk")

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return s.MediaWriteSerializer
        return s.MediaDetailSerializer

    detail_serializer_class = s.MediaDetailSerializer

    def lock(self, media: MediaFile) -> None:
        # Media writes lock their item: the alt-text rule joins the two.
        Item.objects.for_write(media.item_id)

    @extend_schema(responses={200: s.MediaDetailSerializer, **ERRORS})
    def retrieve(self, request, *args, **kwargs):
        return conditional(request, Response(self.detail_data(self.get_object())))

    @extend_schema(
        parameters=[OpenApiParameter("item", str, description="Only the media of this item.")],
        responses={200: s.MediaDetailSerializer(many=True), **ERRORS},
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def perform_destroy(self, media: MediaFile) -> None:
        item = media.item
        media.delete()
        item.save(update_fields=["modified"])


@documented_writes(s.CollectionSerializer, s.CollectionSerializer)
@extend_schema(tags=["collections"])
class CollectionViewSet(ConditionalWriteMixin, viewsets.ModelViewSet):
    """Collections (nested); anyone reads them, archivists change them."""

    lookup_field = "slug"
    lookup_value_regex = "[^/]+"
    serializer_class = s.CollectionSerializer
    parser_classes = [JSONParser]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema needs only the model
            return Collection.objects.none()
        see_drafts = can_see_drafts(self.request.user)
        counted = Q() if see_drafts else Q(items__status=Status.PUBLISHED)
        collections = Collection.objects.all() if see_drafts else Collection.objects.public()
        return (
            collections.select_related("parent", "cover_item")
            .annotate(item_count=Count("items", filter=counted, distinct=True))
            .order_by("order", "title", "pk")
        )

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "see_drafts": can_see_drafts(self.request.user)}

    detail_serializer_class = s.CollectionSerializer


class ReadOnlyVocabulary(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    lookup_field = "slug"
    lookup_value_regex = "[^/]+"


class PublicVocabulary(ReadOnlyVocabulary):
    """Subjects, places, agents: a record no published item uses (a name made for a draft)
    is listed and found only for staff and archivists; for the public it does not exist."""

    def get_queryset(self):
        queryset = super().get_queryset()
        return queryset if can_see_drafts(self.request.user) else queryset.public()


@extend_schema(tags=["vocabularies"])
class SubjectViewSet(PublicVocabulary):
    """Subjects (topics) that describe items."""

    queryset = Subject.objects.order_by("name", "pk")
    serializer_class = s.SubjectSerializer


@extend_schema(tags=["vocabularies"])
class PlaceViewSet(PublicVocabulary):
    """Places items show or come from, with coordinates when known."""

    queryset = Place.objects.order_by("name", "pk")
    serializer_class = s.PlaceSerializer


@extend_schema(tags=["vocabularies"])
class AgentViewSet(PublicVocabulary):
    """People and organisations who made, published or are shown in items."""

    queryset = Agent.objects.order_by("name", "pk")
    serializer_class = s.AgentSerializer


@extend_schema(tags=["vocabularies"])
class LicenceViewSet(ReadOnlyVocabulary):
    """Licences and what each allows, in plain words."""

    lookup_field = "code"
    queryset = Licence.objects.order_by("code")
    serializer_class = s.LicenceSerializer
