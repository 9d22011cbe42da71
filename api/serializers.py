"""Serializers: shapes only. Meaning (EDTF dates, the alt-text publishing rule, collection
cycles, file checks) is the models' `full_clean()`, the same rule the admin applies.
"""

from __future__ import annotations

from urllib.parse import quote

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied

from archive import audit
from archive.linked_data import item_schema_org
from archive.models import Agent, Item, ItemCreator, Licence, Place, Subject
from archive.roles import can_change_status, status_change_refusal
from curation.models import Collection
from media.models import MediaFile
from media.public import public_media, thumbnail

from .exceptions import model_errors


def raise_model_errors(exc: DjangoValidationError) -> None:
    """A model ValidationError as DRF field errors (400), keyed like the request body."""
    raise serializers.ValidationError(model_errors(exc)) from exc


def absolute(request, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


class StrictCharField(serializers.CharField):
    """Text must be sent as a JSON string: 123 or true for a title is a mistake, not a title."""

    default_error_messages = {"not_a_string": _("Send text as a string.")}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("not_a_string")
        return super().to_internal_value(data)


class WholeEntrySerializer(serializers.Serializer):
    """An entry of a list that a write replaces whole (an item's creators, a lesson's steps,
    a story's blocks and their entries): its required fields and defaults apply even in a
    PATCH. DRF passes a PATCH's `partial` down to nested serializers, which would let an
    entry without its agent or role through to code that needs them (a 500)."""

    def run_validation(self, data=serializers.empty):
        if not getattr(self.root, "partial", False):
            return super().run_validation(data)
        whole = type(self)(data=data, context=self.context)
        if not whole.is_valid():
            raise serializers.ValidationError(whole.errors)
        return whole.validated_data


class StrictModelSerializer(serializers.ModelSerializer):
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
    }


# --- Vocabularies ----------------------------------------------------------------------------


class SubjectSerializer(serializers.ModelSerializer):
    class Meta:
        model = Subject
        fields = ["slug", "name", "name_en"]


class PlaceSerializer(serializers.ModelSerializer):
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)

    class Meta:
        model = Place
        fields = ["slug", "name", "name_en", "latitude", "longitude"]


class AgentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Agent
        fields = ["slug", "name", "name_en", "kind", "dates", "biography"]


class LicenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Licence
        fields = [
            "code",
            "name",
            "name_en",
            "url",
            "explanation",
            "explanation_en",
            "allows_download",
        ]


class CreatorSerializer(serializers.Serializer):
    """An agent in a role on one item."""

    slug = serializers.CharField(source="agent.slug")
    name = serializers.CharField(source="agent.name")
    name_en = serializers.CharField(source="agent.name_en")
    kind = serializers.CharField(source="agent.kind")
    role = serializers.CharField()


class CollectionRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Collection
        fields = ["slug", "title", "title_en"]


# --- Media -----------------------------------------------------------------------------------


class MediaSerializer(serializers.Serializer):
    """One media file as the public sees it (url is the original only if the licence allows)."""

    id = serializers.IntegerField()
    kind = serializers.CharField()
    url = serializers.URLField(allow_null=True)
    width = serializers.IntegerField(allow_null=True)
    height = serializers.IntegerField(allow_null=True)
    alt_text = serializers.CharField(allow_blank=True)
    alt_text_en = serializers.CharField(allow_blank=True)
    caption = serializers.CharField(allow_blank=True)
    caption_en = serializers.CharField(allow_blank=True)
    derivatives = serializers.DictField(child=serializers.JSONField())
    download_url = serializers.URLField(
        allow_null=True, required=False, help_text="The original, when the licence allows."
    )

    def to_representation(self, media: MediaFile) -> dict:
        described = public_media(media, self.context.get("request"))
        return {
            "id": media.pk,
            "kind": media.kind,
            **described,
            "caption": media.caption,
            "caption_en": media.caption_en,
        }


class MediaDetailSerializer(MediaSerializer):
    """A media file with everything an archivist edits, and its item."""

    item = serializers.CharField()
    long_description = serializers.CharField(allow_blank=True)
    credit = serializers.CharField(allow_blank=True)
    order = serializers.IntegerField()

    def to_representation(self, media: MediaFile) -> dict:
        return {
            **super().to_representation(media),
            "item": media.item.identifier,
            "long_description": media.long_description,
            "credit": media.credit,
            "order": media.order,
        }


class MediaWriteSerializer(StrictModelSerializer):
    """Media metadata; `item` and `file` only when a new file is uploaded (POST)."""

    item = serializers.SlugRelatedField(slug_field="identifier", queryset=Item.objects.all())
    file = serializers.FileField(
        help_text=_("The file (image, audio, video or PDF); checked by its content.")
    )

    class Meta:
        model = MediaFile
        fields = [
            "item",
            "file",
            "alt_text",
            "alt_text_en",
            "long_description",
            "caption",
            "caption_en",
            "credit",
            "order",
        ]

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None:
            # An existing file stays attached to its item; replace it by uploading anew.
            fields["item"].read_only = True
            fields["file"].read_only = True
        return fields

    def validate(self, attrs):
        if self.instance is not None:
            # Read-only fields would be dropped silently; a client asking for them is told.
            refused = {
                "item": _(
                    "A media file stays with its item. To show this file on another item, "
                    "upload it there (POST media/) and delete it here."
                ),
                "file": _("A file cannot be replaced here; upload the new file (POST media/)."),
            }
            sent = self.initial_data
            errors = {}
            if "item" in sent and sent["item"] != self.instance.item.identifier:
                errors["item"] = [refused["item"]]
            if "file" in sent:
                errors["file"] = [refused["file"]]
            if errors:
                raise serializers.ValidationError(errors)
        media = self.instance or MediaFile()
        for name, value in attrs.items():
            setattr(media, name, value)
        try:
            media.full_clean(exclude=["checksum"] if self.instance is None else None)
        except DjangoValidationError as exc:
            raise_model_errors(exc)
        self._checked = media
        return attrs

    @transaction.atomic
    def save(self, **kwargs):
        media = self._checked
        media.save()
        # The item's detail (and Last-Modified) include its media.
        media.item.save(update_fields=["modified"])
        self.instance = media
        return media


# --- Items -----------------------------------------------------------------------------------


class ThumbnailSerializer(serializers.Serializer):
    """A small JPEG of an item's first image for a list row, with its text alternative."""

    url = serializers.URLField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    alt_text = serializers.CharField(allow_blank=True)
    alt_text_en = serializers.CharField(allow_blank=True)


def list_thumbnail(media: MediaFile | None, request) -> dict | None:
    if media is None:
        return None
    small = thumbnail(media, LIST_THUMBNAIL_WIDTH, request=request)
    if small is None:
        return None
    return {**small, "alt_text": media.alt_text, "alt_text_en": media.alt_text_en}


LIST_THUMBNAIL_WIDTH = 320


class ItemListSerializer(serializers.Serializer):
    """An item in a list: enough to show a card and follow the link to its detail."""

    identifier = serializers.CharField()
    url = serializers.URLField()
    api_url = serializers.URLField()
    title = serializers.CharField()
    title_en = serializers.CharField(allow_blank=True)
    item_type = serializers.CharField()
    status = serializers.CharField()
    date = serializers.CharField(allow_blank=True)
    date_as_written = serializers.CharField(allow_blank=True)
    date_start = serializers.IntegerField(allow_null=True)
    date_end = serializers.IntegerField(allow_null=True)
    licence = serializers.CharField()
    image = ThumbnailSerializer(allow_null=True)
    modified = serializers.DateTimeField()

    def to_representation(self, item: Item) -> dict:
        links = item_links(self.context)
        first_image = next((m for m in item.media_files.all() if m.is_image), None)
        return {
            "identifier": item.identifier,
            "url": links.page(item.identifier),
            "api_url": links.api(item.identifier),
            "title": item.title,
            "title_en": item.title_en,
            "item_type": item.item_type,
            "status": item.status,
            "date": item.date,
            "date_as_written": item.date_as_written,
            "date_start": item.date_start,
            "date_end": item.date_end,
            "licence": item.licence.code,
            "image": list_thumbnail(first_image, self.context.get("request")),
            "modified": _datetime.to_representation(item.modified),
        }


class ItemLinks:
    """Absolute URLs of items' pages and API details, reversed once a request: a list of
    20 items would otherwise spend more time in `reverse()` than in the database."""

    PLACEHOLDER = "__identifier__"

    def __init__(self, request):
        kwargs = {"identifier": self.PLACEHOLDER}
        self._page = absolute(request, reverse("archive:item", kwargs=kwargs))
        self._api = absolute(request, reverse("api:item-detail", kwargs=kwargs))

    def page(self, identifier: str) -> str:
        return self._page.replace(self.PLACEHOLDER, quote(identifier, safe=""))

    def api(self, identifier: str) -> str:
        return self._api.replace(self.PLACEHOLDER, quote(identifier, safe=""))


def item_links(context: dict) -> ItemLinks:
    if "_item_links" not in context:
        context["_item_links"] = ItemLinks(context.get("request"))
    return context["_item_links"]


_datetime = serializers.DateTimeField()


def iiif_manifest_url(item: Item, request) -> str | None:
    """The IIIF Presentation manifest of an item with images, else None."""
    if not any(m.is_image for m in item.media_files.all()):
        return None
    path = reverse("interop:iiif-manifest", kwargs={"identifier": item.identifier})
    return absolute(request, path)


class ContributionSerializer(serializers.Serializer):
    """A resident's approved contribution (contributions/): never part of the archive's own
    description, and never in OAI-PMH."""

    kind = serializers.ChoiceField(choices=["memory", "identification", "correction"])
    text = serializers.CharField()
    name = serializers.CharField(help_text="The name the resident chose to show; empty: anonymous.")
    date = serializers.DateField(source="created_date")


class ItemDetailSerializer(serializers.ModelSerializer):
    """One item with its vocabularies, media, IIIF manifest and schema.org description."""

    url = serializers.SerializerMethodField()
    subjects = SubjectSerializer(many=True)
    places = PlaceSerializer(many=True)
    creators = CreatorSerializer(many=True, source="item_creators")
    collections = CollectionRefSerializer(many=True)
    licence = serializers.CharField(source="licence.code")
    media = MediaSerializer(many=True, source="media_files")
    iiif_manifest = serializers.SerializerMethodField()
    schema_org = serializers.SerializerMethodField()
    contributions = serializers.SerializerMethodField()

    class Meta:
        model = Item
        fields = [
            "identifier",
            "url",
            "title",
            "title_en",
            "item_type",
            "status",
            "date",
            "date_as_written",
            "date_start",
            "date_end",
            "description",
            "description_en",
            "subjects",
            "places",
            "creators",
            "collections",
            "licence",
            "rights_holder",
            "source",
            "media",
            "iiif_manifest",
            "schema_org",
            "contributions",
            "created",
            "modified",
        ]

    def get_url(self, item: Item) -> str:
        return absolute(self.context.get("request"), item.get_absolute_url())

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_iiif_manifest(self, item: Item) -> str | None:
        return iiif_manifest_url(item, self.context.get("request"))

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_schema_org(self, item: Item) -> dict:
        return item_schema_org(item, self.context.get("request"))

    @extend_schema_field(ContributionSerializer(many=True))
    def get_contributions(self, item: Item) -> list[dict]:
        from contributions.models import Contribution

        approved = Contribution.objects.filter(item=item, state=Contribution.State.APPROVED)
        return ContributionSerializer(approved.order_by("moderated_at", "pk"), many=True).data

    def to_representation(self, item: Item) -> dict:
        # Built by hand: the declared fields above describe the shape for the schema, but
        # instantiating nested ModelSerializers on every request costs more than the SQL.
        request = self.context.get("request")
        media = MediaSerializer(context=self.context)
        return {
            "identifier": item.identifier,
            "url": absolute(request, item.get_absolute_url()),
            "title": item.title,
            "title_en": item.title_en,
            "item_type": item.item_type,
            "status": item.status,
            "date": item.date,
            "date_as_written": item.date_as_written,
            "date_start": item.date_start,
            "date_end": item.date_end,
            "description": item.description,
            "description_en": item.description_en,
            "subjects": [
                {"slug": x.slug, "name": x.name, "name_en": x.name_en} for x in item.subjects.all()
            ],
            "places": [
                {
                    "slug": x.slug,
                    "name": x.name,
                    "name_en": x.name_en,
                    "latitude": None if x.latitude is None else float(x.latitude),
                    "longitude": None if x.longitude is None else float(x.longitude),
                }
                for x in item.places.all()
            ],
            "creators": [
                {
                    "slug": link.agent.slug,
                    "name": link.agent.name,
                    "name_en": link.agent.name_en,
                    "kind": link.agent.kind,
                    "role": link.role,
                }
                for link in item.item_creators.all()
            ],
            "collections": [
                {"slug": x.slug, "title": x.title, "title_en": x.title_en}
                for x in item.collections.all()
            ],
            "licence": item.licence.code,
            "rights_holder": item.rights_holder,
            "source": item.source,
            "media": [media.to_representation(m) for m in item.media_files.all()],
            "iiif_manifest": iiif_manifest_url(item, request),
            "schema_org": item_schema_org(item, request),
            "contributions": self.get_contributions(item),
            "created": _datetime.to_representation(item.created),
            "modified": _datetime.to_representation(item.modified),
        }


class VocabularyField(serializers.Field):
    """A subject, place or agent named by slug or by name (case and diacritics ignored)."""

    default_error_messages = {
        "unknown": _("Unknown %(kind)s “%(value)s”; use the slug or name of an existing one."),
        "type": _("Give a slug or name as a string."),
    }

    def __init__(self, model, **kwargs):
        self.model = model
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str) or not data.strip():
            self.fail("type")
        found = self.model.objects.find(data[:200])
        if found is None:
            raise serializers.ValidationError(
                self.error_messages["unknown"]
                % {"kind": self.model._meta.verbose_name, "value": data[:200]}
            )
        return found

    def to_representation(self, value):
        return value.slug


@extend_schema_field(OpenApiTypes.STR)
class SubjectField(VocabularyField):
    def __init__(self, **kwargs):
        super().__init__(Subject, **kwargs)


@extend_schema_field(OpenApiTypes.STR)
class PlaceField(VocabularyField):
    def __init__(self, **kwargs):
        super().__init__(Place, **kwargs)


@extend_schema_field(OpenApiTypes.STR)
class AgentField(VocabularyField):
    def __init__(self, **kwargs):
        super().__init__(Agent, **kwargs)


class CreatorWriteSerializer(WholeEntrySerializer):
    agent = AgentField(help_text=_("Slug or name of an existing person or organisation."))
    role = serializers.ChoiceField(choices=ItemCreator.Role.choices, default="creator")


class ItemWriteSerializer(StrictModelSerializer):
    """What an archivist sends to create or change an item (vocabularies by slug or name)."""

    licence = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Licence.objects.all(),
        required=False,
        help_text=_("Licence code, e.g. CC-BY-4.0 (default InC)."),
    )
    subjects = serializers.ListField(child=SubjectField(), required=False, max_length=200)
    places = serializers.ListField(child=PlaceField(), required=False, max_length=200)
    creators = CreatorWriteSerializer(many=True, required=False, max_length=200)
    collections = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Collection.objects.all(),
        many=True,
        required=False,
        help_text=_("Collection slugs."),
    )
    # A phrase may be longer than the EDTF the model keeps; the model reads it (Item.read_date).
    date = serializers.CharField(
        max_length=200,
        allow_blank=True,
        required=False,
        help_text=_(
            "EDTF (1920~, 193X, 1942/1945) or a Polish date phrase (ok. 1920, lata 30. XX w., "
            "I poł. XIX w., 3 maja 1791, b.d.); stored as EDTF, the phrase in date_as_written."
        ),
    )

    class Meta:
        model = Item
        fields = [
            "identifier",
            "title",
            "title_en",
            "item_type",
            "status",
            "date",
            "date_as_written",
            "description",
            "description_en",
            "licence",
            "rights_holder",
            "source",
            "subjects",
            "places",
            "creators",
            "collections",
        ]
        extra_kwargs = {"description": {"max_length": 100_000}, "source": {"max_length": 20_000}}

    RELATIONS = ("subjects", "places", "creators", "collections")

    def validate_identifier(self, value):
        if self.instance is not None and value != self.instance.identifier:
            raise serializers.ValidationError(
                _("The identifier of an existing item cannot be changed.")
            )
        return value

    def validate_status(self, value):
        """Publishing and unpublishing need the publishing right (archive/roles.py): a 403,
        before any other check, whatever else the request says."""
        request = self.context.get("request")
        old = self.instance.status if self.instance is not None else None
        if request is not None and not can_change_status(request.user, old, value):
            raise PermissionDenied(status_change_refusal(old, value))
        return value

    def validate_creators(self, value):
        seen = set()
        for entry in value:
            key = (entry["agent"].pk, entry["role"])
            if key in seen:
                raise serializers.ValidationError(
                    _("%(agent)s is listed twice as %(role)s.")
                    % {"agent": entry["agent"].name, "role": entry["role"]}
                )
            seen.add(key)
        return value

    def validate(self, attrs):
        item = self.instance or Item()
        for name, value in attrs.items():
            if name not in self.RELATIONS:
                setattr(item, name, value)
        if item.licence_id is None:
            item.licence = Licence.objects.filter(code="InC").first()
        try:
            item.full_clean()
        except DjangoValidationError as exc:
            raise_model_errors(exc)
        self._checked = item
        return attrs

    @transaction.atomic
    def save(self, **kwargs):
        item = self._checked
        item.save()
        data = self.validated_data
        if "subjects" in data:
            item.subjects.set(dict.fromkeys(data["subjects"]))
        if "places" in data:
            item.places.set(dict.fromkeys(data["places"]))
        if "collections" in data:
            item.collections.set(data["collections"])
        if "creators" in data:
            item.item_creators.all().delete()
            ItemCreator.objects.bulk_create(
                ItemCreator(item=item, agent=entry["agent"], role=entry["role"], order=n)
                for n, entry in enumerate(data["creators"])
            )
            audit.relations_changed(Item, [item.pk])  # bulk_create sends no signals
        self.instance = item
        return item


# --- Collections -----------------------------------------------------------------------------


class CollectionSerializer(StrictModelSerializer):
    """A collection; `parent` by slug, `cover_item` by identifier (hidden while a draft)."""

    url = serializers.SerializerMethodField()
    parent = serializers.SlugRelatedField(
        slug_field="slug", queryset=Collection.objects.all(), allow_null=True, required=False
    )
    cover_item = serializers.SlugRelatedField(
        slug_field="identifier", queryset=Item.objects.all(), allow_null=True, required=False
    )
    item_count = serializers.IntegerField(read_only=True)
    slug = serializers.SlugField(max_length=200, required=False, allow_blank=True)

    class Meta:
        model = Collection
        fields = [
            "slug",
            "url",
            "title",
            "title_en",
            "description",
            "description_en",
            "parent",
            "cover_item",
            "order",
            "item_count",
            "created",
            "modified",
        ]
        read_only_fields = ["created", "modified"]
        extra_kwargs = {"description": {"max_length": 100_000}}

    def get_url(self, collection: Collection) -> str:
        return absolute(self.context.get("request"), collection.get_absolute_url())

    def to_representation(self, collection: Collection) -> dict:
        data = super().to_representation(collection)
        cover = collection.cover_item
        if cover is not None and not (cover.is_published or self.context.get("see_drafts")):
            data["cover_item"] = None
        data.setdefault("item_count", getattr(collection, "item_count", None))
        return data

    def validate_slug(self, value):
        if (
            value
            and Collection.objects.filter(slug=value)
            .exclude(pk=getattr(self.instance, "pk", None))
            .exists()
        ):
            raise serializers.ValidationError(_("A collection with this slug already exists."))
        return value

    def validate(self, attrs):
        collection = self.instance or Collection()
        for name, value in attrs.items():
            setattr(collection, name, value)
        if not collection.slug:
            collection.slug = Collection.unique_slug(collection.title or "")
        try:
            collection.full_clean()
        except DjangoValidationError as exc:
            raise_model_errors(exc)
        self._checked = collection
        return attrs

    def save(self, **kwargs):
        self._checked.save()
        self.instance = self._checked
        return self.instance
