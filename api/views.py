"""API views: thin viewsets over named querysets; drafts only for staff and archivists."""

from __future__ import annotations

import hashlib
import json

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from archive.models import Agent, Item, ItemCreator, Licence, Place, Status, Subject
from archive.views import canonical_redirect
from curation.models import Collection
from media.models import MediaFile

from . import serializers as s
from .filters import ItemFilter
from .parsers import FormParser, JSONParser, MultiPartParser
from .permissions import can_see_drafts

IDENTIFIER = OpenApiParameter(
    "identifier", str, OpenApiParameter.PATH, description="Accession number, e.g. MOK-F-0001."
)
ERRORS = {
    400: OpenApiResponse(description="Bad input: field errors or `detail`."),
    401: OpenApiResponse(description="Not logged in (token or session needed)."),
    403: OpenApiResponse(description="Logged in, but not an archivist."),
    404: OpenApiResponse(description="No such record (or a draft, for the public)."),
}


def visible_items(request):
    """The items this request may read."""
    items = Item.objects.all()
    return items if can_see_drafts(request.user) else items.filter(status=Status.PUBLISHED)


def conditional(request, response: Response, last_modified) -> Response:
    """ETag (over the JSON body) and Last-Modified; 304 when the client's copy is current."""
    body = json.dumps(response.data, sort_keys=True, default=str, ensure_ascii=False)
    etag = f'"{hashlib.sha256(body.encode()).hexdigest()[:32]}"'
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


@extend_schema(tags=["items"])
class ItemViewSet(viewsets.ModelViewSet):
    """Catalogue items. The public reads published items; archivists create and change them."""

    lookup_field = "identifier"
    lookup_value_regex = "[^/]+"
    filterset_class = ItemFilter
    parser_classes = [JSONParser]

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

    def detail_response(self, item: Item, status_code=status.HTTP_200_OK) -> Response:
        item = self.get_queryset().get(pk=item.pk)
        data = s.ItemDetailSerializer(item, context=self.get_serializer_context()).data
        return Response(data, status=status_code)

    @extend_schema(parameters=[IDENTIFIER], responses={200: s.ItemDetailSerializer, **ERRORS})
    def retrieve(self, request, *args, **kwargs):
        try:
            item = self.get_object()
        except Http404:
            # `mok-d-0009` for `MOK-D-0009`: a permanent redirect to the stored spelling.
            redirect = canonical_redirect(request, visible_items(request), kwargs["identifier"])
            if redirect is None:
                raise
            return redirect
        response = Response(self.get_serializer(item).data)
        return conditional(request, response, item.modified)

    @extend_schema(request=s.ItemWriteSerializer, responses={201: s.ItemDetailSerializer, **ERRORS})
    def create(self, request, *args, **kwargs):
        serializer = s.ItemWriteSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        item = serializer.save()
        response = self.detail_response(item, status.HTTP_201_CREATED)
        response["Location"] = response.data["url"]
        return response

    @extend_schema(
        parameters=[IDENTIFIER],
        request=s.ItemWriteSerializer,
        responses={200: s.ItemDetailSerializer, **ERRORS},
    )
    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        serializer = s.ItemWriteSerializer(
            self.get_object(),
            data=request.data,
            partial=partial,
            context=self.get_serializer_context(),
        )
        serializer.is_valid(raise_exception=True)
        return self.detail_response(serializer.save())

    @extend_schema(
        parameters=[IDENTIFIER],
        request=s.ItemWriteSerializer,
        responses={200: s.ItemDetailSerializer, **ERRORS},
    )
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    @extend_schema(parameters=[IDENTIFIER], responses={204: None, **ERRORS})
    def destroy(self, request, *args, **kwargs):
        return super().destroy(request, *args, **kwargs)


@extend_schema(tags=["media"])
class MediaViewSet(viewsets.ModelViewSet):
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

    def write(self, request, instance=None, partial=False, status_code=status.HTTP_200_OK):
        serializer = s.MediaWriteSerializer(
            instance, data=request.data, partial=partial, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        media = serializer.save()
        media = self.get_queryset().get(pk=media.pk)
        data = s.MediaDetailSerializer(media, context=self.get_serializer_context()).data
        return Response(data, status=status_code)

    @extend_schema(
        parameters=[OpenApiParameter("item", str, description="Only the media of this item.")],
        responses={200: s.MediaDetailSerializer(many=True), **ERRORS},
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request={"multipart/form-data": s.MediaWriteSerializer},
        responses={201: s.MediaDetailSerializer, **ERRORS},
    )
    def create(self, request, *args, **kwargs):
        return self.write(request, status_code=status.HTTP_201_CREATED)

    @extend_schema(
        request=s.MediaWriteSerializer, responses={200: s.MediaDetailSerializer, **ERRORS}
    )
    def update(self, request, *args, **kwargs):
        return self.write(request, self.get_object(), partial=kwargs.get("partial", False))

    @extend_schema(
        request=s.MediaWriteSerializer, responses={200: s.MediaDetailSerializer, **ERRORS}
    )
    def partial_update(self, request, *args, **kwargs):
        return self.write(request, self.get_object(), partial=True)

    @extend_schema(responses={204: None, **ERRORS})
    def destroy(self, request, *args, **kwargs):
        media = self.get_object()
        item = media.item
        media.delete()
        item.save(update_fields=["modified"])
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["collections"])
class CollectionViewSet(viewsets.ModelViewSet):
    """Collections (nested); anyone reads them, archivists change them."""

    lookup_field = "slug"
    lookup_value_regex = "[^/]+"
    serializer_class = s.CollectionSerializer
    parser_classes = [JSONParser]

    def get_queryset(self):
        counted = Q() if can_see_drafts(self.request.user) else Q(items__status=Status.PUBLISHED)
        return (
            Collection.objects.select_related("parent", "cover_item")
            .annotate(item_count=Count("items", filter=counted, distinct=True))
            .order_by("order", "title", "pk")
        )

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "see_drafts": can_see_drafts(self.request.user)}

    def reload(self, collection, status_code):
        collection = self.get_queryset().get(pk=collection.pk)
        return Response(self.get_serializer(collection).data, status=status_code)

    def perform_create(self, serializer):
        serializer.save()

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self.reload(serializer.save(), status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        serializer = self.get_serializer(
            self.get_object(), data=request.data, partial=kwargs.pop("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        return self.reload(serializer.save(), status.HTTP_200_OK)


class ReadOnlyVocabulary(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    lookup_field = "slug"
    lookup_value_regex = "[^/]+"


@extend_schema(tags=["vocabularies"])
class SubjectViewSet(ReadOnlyVocabulary):
    """Subjects (topics) that describe items."""

    queryset = Subject.objects.order_by("name", "pk")
    serializer_class = s.SubjectSerializer


@extend_schema(tags=["vocabularies"])
class PlaceViewSet(ReadOnlyVocabulary):
    """Places items show or come from, with coordinates when known."""

    queryset = Place.objects.order_by("name", "pk")
    serializer_class = s.PlaceSerializer


@extend_schema(tags=["vocabularies"])
class AgentViewSet(ReadOnlyVocabulary):
    """People and organisations who made, published or are shown in items."""

    queryset = Agent.objects.order_by("name", "pk")
    serializer_class = s.AgentSerializer


@extend_schema(tags=["vocabularies"])
class LicenceViewSet(ReadOnlyVocabulary):
    """Licences and what each allows, in plain words."""

    lookup_field = "code"
    queryset = Licence.objects.order_by("code")
    serializer_class = s.LicenceSerializer
