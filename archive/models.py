"""The catalogue: items and the controlled vocabularies that describe them."""

from __future__ import annotations

import functools
import re

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import connection, models, transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, override
from django.utils.translation import gettext_lazy as _

from .date_phrases import read_item_date
from .dates import parse_date
from .duplicates import normalise_title
from .text import label_key, label_keys, polish_slugify


def label_lookup(entries) -> dict[str, object]:
    """{key: value} from (value, labels) pairs; a key two values share is left out, so
    an ambiguous spelling is refused rather than guessed."""
    lookup: dict[str, object] = {}
    ambiguous: set[str] = set()
    for value, labels in entries:
        for label in labels:
            for key in label_keys(str(label)):
                if lookup.setdefault(key, value) != value:
                    ambiguous.add(key)
    return {key: value for key, value in lookup.items() if key not in ambiguous}


def find_label(lookup: dict[str, object], text: str):
    """The value a written label stands for, or None. Case, diacritics, spaces and dashes
    do not matter; a version may be left out ("CC BY"), but a wrong one is no match."""
    return lookup.get(label_key(text))


class LabelledChoices(models.TextChoices):
    """Choices that can be written as their code, their label in Polish or English, or a
    common spelling (`aliases()`): imports and the API read them with `from_label()`."""

    @classmethod
    def aliases(cls) -> dict[str, tuple[str, ...]]:
        return {}

    @classmethod
    def from_label(cls, text: str) -> str | None:
        """The code a written value stands for, or None."""
        return find_label(_choice_lookup(cls), text)


@functools.cache
def _choice_lookup(choices: type[LabelledChoices]) -> dict[str, object]:
    """Built once per class: the labels come from the code and the message catalogues."""
    entries = []
    for value, label in choices.choices:
        labels = [value, *choices.aliases().get(value, ())]
        for language in ("pl", "en"):
            with override(language):
                labels.append(str(label))
        entries.append((value, labels))
    return label_lookup(entries)


class ItemType(LabelledChoices):
    PHOTOGRAPH = "photograph", _("photograph")
    DOCUMENT = "document", _("document")
    MONUMENT = "monument", _("monument")
    ARTIFACT = "artifact", _("artifact")
    MAP = "map", _("map")
    RECORDING = "recording", _("recording")
    TRADITION = "tradition", _("tradition")
    PUBLICATION = "publication", _("publication")
    ARTWORK = "artwork", _("artwork")

    @classmethod
    def aliases(cls) -> dict[str, tuple[str, ...]]:
        return {
            cls.PHOTOGRAPH: ("zdjęcie", "zdjęcia", "fotografie", "foto", "photo", "photography"),
            cls.DOCUMENT: ("dokumenty", "akt", "pismo"),
            cls.MONUMENT: ("zabytki", "pomnik", "budynek", "building"),
            cls.ARTIFACT: ("artefakt", "artefact", "obiekt", "przedmioty", "object"),
            cls.MAP: ("mapy", "plan", "plan miasta"),
            cls.RECORDING: ("nagrania", "audio", "wideo", "video", "sound recording"),
            cls.TRADITION: ("tradycje", "zwyczaj", "obrzęd", "custom"),
            cls.PUBLICATION: ("publikacje", "wydawnictwo", "książka", "czasopismo", "book"),
            cls.ARTWORK: ("dzieła sztuki", "dzieło", "work of art", "art work"),
        }


class Status(LabelledChoices):
    DRAFT = "draft", _("draft")
    # A cataloguer's draft that waits for an editor to check and publish it (still private).
    REVIEW = "review", _("ready for review")
    PUBLISHED = "published", _("published")

    @classmethod
    def aliases(cls) -> dict[str, tuple[str, ...]]:
        return {
            cls.DRAFT: (
                "szkice",
                "wersja robocza",
                "roboczy",
                "robocze",
                "nieopublikowany",
                "niepublikowany",
                "unpublished",
                "private",
                "prywatny",
            ),
            cls.REVIEW: (
                "do przeglądu",
                "gotowe do przeglądu",
                "gotowy do przeglądu",
                "do recenzji",
                "do sprawdzenia",
                "ready",
                "ready for review",
                "in review",
            ),
            cls.PUBLISHED: (
                "opublikowane",
                "opublikowana",
                "opublikuj",
                "publiczny",
                "publiczne",
                "public",
                "publish",
            ),
        }


def localized(obj, field: str) -> str:
    """The English variant of a field on /en/ when it is filled in, else the Polish one."""
    if (get_language() or "pl").startswith("en"):
        english = getattr(obj, f"{field}_en", "")
        if english:
            return english
    return getattr(obj, field)


def is_localized_fallback(obj, field: str) -> bool:
    """True when an English page shows Polish text because the English field is empty."""
    return (get_language() or "pl").startswith("en") and not getattr(obj, f"{field}_en", "")


class VocabularyQuerySet(models.QuerySet):
    def public(self):
        """Records that at least one published item uses: the only ones the public sees.

        A name created for a draft (by the importer, say) stays private with the draft.
        """
        used = self.model.objects.filter(items__status=Status.PUBLISHED).values("pk")
        return self.filter(pk__in=used)

    def visible_to(self, user):
        """What a user may see: staff see every record, everyone else the public ones."""
        if user is not None and user.is_authenticated and user.is_staff:
            return self
        return self.public()

    def find(self, text: str):
        """The record whose slug or name matches, ignoring case and diacritics; or None."""
        text = text.strip()
        if not text:
            return None
        # The Polish-aware slug folds case, diacritics (ł too) and punctuation.
        candidates = {text, polish_slugify(text)} - {""}
        return (
            self.filter(slug__in=candidates).order_by("pk").first()
            or self.filter(**{f"{self.model.NAME_FIELD}__iexact": text}).order_by("pk").first()
        )

    def find_or_create(self, text: str):
        found = self.find(text)
        if found:
            return found, False
        obj = self.model(**{self.model.NAME_FIELD: text.strip()[:200]})
        obj.slug = self.model.unique_slug(text)
        obj.full_clean()
        obj.save()
        return obj, True


class Vocabulary(models.Model):
    """A named, slugged record that items point to (subject, place, agent, collection)."""

    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)

    NAME_FIELD = "name"
    objects = VocabularyQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return localized(self, "name")

    @classmethod
    def unique_slug(cls, text: str) -> str:
        base = polish_slugify(text)[:190] or "x"
        slug, n = base, 2
        while cls.objects.filter(slug=slug).exists():
            slug, n = f"{base}-{n}", n + 1
        return slug

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self.unique_slug(self.name)
        super().save(*args, **kwargs)


class Subject(Vocabulary):
    class Meta(Vocabulary.Meta):
        verbose_name = _("subject")
        verbose_name_plural = _("subjects")


class Place(Vocabulary):
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )

    class Meta(Vocabulary.Meta):
        verbose_name = _("place")
        verbose_name_plural = _("places")

    def clean(self):
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(_("Give both latitude and longitude, or neither."))

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class Agent(Vocabulary):
    """A person or an organisation who made, published or is shown in items."""

    class Kind(models.TextChoices):
        PERSON = "person", _("person")
        ORGANISATION = "organisation", _("organisation")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.PERSON)
    dates = models.CharField(_("life dates"), max_length=100, blank=True)
    biography = models.TextField(_("biography"), blank=True)

    # public(): people linked to a published item (VocabularyQuerySet, through `items`).
    objects = VocabularyQuerySet.as_manager()

    class Meta(Vocabulary.Meta):
        verbose_name = _("person or organisation")
        verbose_name_plural = _("people and organisations")

    def get_absolute_url(self) -> str:
        return reverse("archive:person", kwargs={"slug": self.slug})


# Common spellings of the licences, by code, beyond the codes and names in the table:
# archivists write "CC BY 4.0", "Uznanie autorstwa", "domena publiczna", "prawa zastrzeżone".
LICENCE_ALIASES: dict[str, tuple[str, ...]] = {
    "CC0-1.0": (
        "CC0",
        "CC Zero",
        "CC0 1.0 Universal",
        "CC0 Public Domain Dedication",
        "Public Domain Dedication",
        "przekazanie do domeny publicznej",
    ),
    "CC-BY-4.0": (
        "CC BY",
        "CC BY 4",
        "BY",
        "Uznanie autorstwa",
        "CC Uznanie autorstwa",
        "Creative Commons Uznanie autorstwa",
        "Attribution",
        "CC Attribution",
        "Creative Commons Attribution",
    ),
    "CC-BY-SA-4.0": (
        "CC BY-SA",
        "CC BY SA 4",
        "BY-SA",
        "Uznanie autorstwa na tych samych warunkach",
        "Uznanie autorstwa – Na tych samych warunkach",
        "Attribution-ShareAlike",
        "Attribution Share Alike",
        "Creative Commons Attribution Share Alike",
    ),
    "CC-BY-NC-4.0": (
        "CC BY-NC",
        "CC BY NC 4",
        "BY-NC",
        "Uznanie autorstwa użycie niekomercyjne",
        "Uznanie autorstwa – Użycie niekomercyjne",
        "Attribution-NonCommercial",
        "Attribution Non Commercial",
        "Creative Commons Attribution Non Commercial",
    ),
    "PDM": (
        "Public Domain Mark",
        "Public Domain",
        "PD",
        "Domena publiczna",
        "Znak domeny publicznej",
    ),
    "InC": (
        "In Copyright",
        "Copyright",
        "Prawa zastrzeżone",
        "Wszelkie prawa zastrzeżone",
        "All rights reserved",
        "Chronione prawem autorskim",
        "Objęte prawem autorskim",
        "Prawa autorskie",
    ),
}


class LicenceQuerySet(models.QuerySet):
    def label_lookup(self) -> dict[str, object]:
        """{key: pk} for every licence's code, names (pl/en) and LICENCE_ALIASES; read a
        written licence with `find_label(lookup, text)`."""
        entries = []
        for pk, code, name, name_en in self.values_list("pk", "code", "name", "name_en"):
            aliases = LICENCE_ALIASES.get(code, ())
            version = re.search(r"\d+\.\d+$", code)  # "Uznanie autorstwa 4.0" too
            if version:
                aliases = (*aliases, *(f"{alias} {version[0]}" for alias in aliases))
            entries.append((pk, [code, name, name_en, *aliases]))
        return label_lookup(entries)

    def from_label(self, text: str):
        """The licence a written code, name or common spelling stands for, or None."""
        pk = find_label(self.label_lookup(), text)
        return None if pk is None else self.get(pk=pk)


class Licence(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    url = models.URLField(_("URL"), blank=True)
    explanation = models.TextField(_("plain-language explanation"), blank=True)
    explanation_en = models.TextField(_("plain-language explanation (English)"), blank=True)
    allows_download = models.BooleanField(
        _("originals may be downloaded"),
        default=False,
        help_text=_("Whether the public may download original files under this licence."),
    )

    objects = LicenceQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("licence")
        verbose_name_plural = _("licences")

    def __str__(self) -> str:
        return self.code

    @property
    def label(self) -> str:
        return localized(self, "name")


def default_licence_pk() -> int | None:
    """In Copyright unless said otherwise: the safe default for a catalogue."""
    return Licence.objects.filter(code="InC").values_list("pk", flat=True).first()


identifier_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
    _("Use letters, digits, dots, dashes and underscores only, e.g. MOK-F-0001."),
)


IDENTIFIER_TAKEN = "identifier_taken"


class ItemQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def visible_to(self, user):
        """What a user may see: staff see drafts too, everyone else only published items."""
        if user is not None and user.is_authenticated and user.is_staff:
            return self
        return self.published()

    def with_listing_relations(self):
        return self.select_related("licence").prefetch_related("media_files")

    def canonical_identifier(self, identifier: str) -> str | None:
        """The stored spelling of `identifier` when it was typed in another case
        (identifiers are unique regardless of case), or None."""
        return (
            self.filter(identifier__iexact=identifier)
            .prefetch_related(None)
            .order_by("pk")
            .values_list("identifier", flat=True)
            .first()
        )

    def with_identifiers(self, identifiers):
        """Items whose identifier is one of these, ignoring case (as uniqueness does)."""
        return self.alias(identifier_lower=Lower("identifier")).filter(
            identifier_lower__in={identifier.lower() for identifier in identifiers}
        )

    def for_write(self, pk: int) -> Item:
        """The item as committed now, kept so until the transaction ends.

        Every check whose answer another writer could change — the alt-text rule between an
        item and its media, a stale version (If-Match, the admin's form) — reads the item
        through this, inside the transaction that writes. PostgreSQL locks the row (SELECT …
        FOR UPDATE); on SQLite Kronika's transactions begin IMMEDIATE, already holding the
        database's write lock, so a plain read is current and stays current. Outside a
        transaction (a dry run's checks) it is a plain read.
        """
        if connection.in_atomic_block:
            return self.select_for_update(of=("self",)).get(pk=pk)
        return self.get(pk=pk)


class MonthDay(models.Func):
    """The "-MM-DD" that follows the four-digit year of a date to the day ("1939-09-08" →
    "-09-08"); "On this day" looks it up through an index on this very expression. The
    positions are written into the SQL, not passed as parameters: SQLite uses an index on an
    expression only for a query with the same expression, literals included."""

    template = "SUBSTR(%(expressions)s, 5, 6)"
    arity = 1
    output_field = models.CharField()


class Item(models.Model):
    identifier = models.CharField(
        _("identifier"),
        max_length=64,
        unique=True,
        validators=[identifier_validator],
        help_text=_("Accession number, unique in the archive, e.g. MOK-F-0001."),
    )
    title = models.CharField(_("title"), max_length=500)
    # The title as compared for probable duplicates (archive/duplicates.py), kept by save().
    normalised_title = models.CharField(
        _("normalised title"), max_length=500, blank=True, editable=False, db_index=True
    )
    title_en = models.CharField(_("title (English)"), max_length=500, blank=True)
    item_type = models.CharField(_("type"), max_length=20, choices=ItemType)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    description_en = models.TextField(_("description (English)"), blank=True)
    date = models.CharField(
        _("date (EDTF)"),
        max_length=64,
        blank=True,
        help_text=_(
            "EDTF: 1377, 1920~ (about), 193X (decade), 1942/1945 (range), 1939? (perhaps)."
        ),
    )
    date_as_written = models.CharField(
        _("date as written"),
        max_length=200,
        blank=True,
        help_text=_("The date as the archivist or the source wrote it, e.g. “ok. 1920”."),
    )
    date_start = models.IntegerField(_("first year"), null=True, blank=True, editable=False)
    date_end = models.IntegerField(_("last year"), null=True, blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    licence = models.ForeignKey(
        Licence,
        on_delete=models.PROTECT,
        default=default_licence_pk,
        verbose_name=_("licence"),
        related_name="items",
    )
    rights_holder = models.CharField(_("rights holder"), max_length=300, blank=True)
    source = models.TextField(_("source"), blank=True)
    subjects = models.ManyToManyField(
        Subject, blank=True, related_name="items", verbose_name=_("subjects")
    )
    places = models.ManyToManyField(
        Place, blank=True, related_name="items", verbose_name=_("places")
    )
    creators = models.ManyToManyField(
        Agent,
        through="ItemCreator",
        blank=True,
        related_name="items",
        verbose_name=_("creators"),
    )
    related_items = models.ManyToManyField(
        "self", blank=True, symmetrical=True, verbose_name=_("related items")
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    modified = models.DateTimeField(_("modified"), auto_now=True)

    objects = ItemQuerySet.as_manager()

    class Meta:
        ordering = ["title", "identifier"]
        verbose_name = _("item")
        verbose_name_plural = _("items")
        permissions = [("publish_item", _("Can publish and unpublish items"))]
        indexes = [
            models.Index(fields=["item_type"]),
            models.Index(fields=["date_start", "date_end"]),
            models.Index(fields=["status", "title"]),
            # OAI-PMH harvests published items in (modified, id) order.
            models.Index(fields=["status", "modified", "id"]),
            # API and search filters by type with date ranges.
            models.Index(fields=["status", "item_type", "date_start"]),
            # "On this day" (archive/anniversaries.py): the "-MM-DD" of a date to the day.
            models.Index(MonthDay("date"), name="archive_item_month_day"),
        ]
        constraints = [
            # MOK-F-0001 and mok-f-0001 are one accession number.
            models.UniqueConstraint(
                Lower("identifier"),
                name="archive_item_identifier_unique_ignoring_case",
                violation_error_code=IDENTIFIER_TAKEN,
                violation_error_message=_(
                    "An item with this identifier already exists (identifiers are the same "
                    "whatever the case of their letters)."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.identifier}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("archive:item", kwargs={"identifier": self.identifier})

    @property
    def display_title(self) -> str:
        return localized(self, "title")

    @property
    def display_description(self) -> str:
        return localized(self, "description")

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    def images_missing_alt_text(self, media=None) -> list:
        """Images (saved ones unless `media` is given) that have no Polish alt-text (blank,
        or without a single letter or digit: `MediaFile.has_alt_text`)."""
        if media is None:
            media = self.media_files.all() if self.pk else []
        return [m for m in media if m.is_image and not m.has_alt_text]

    def check_publishable(self, media=None) -> None:
        """The publishing rule: every image has alt-text, and no media file falls short."""
        missing = self.images_missing_alt_text(media)
        if missing:
            names = ", ".join(m.display_name for m in missing)
            message = _(
                "Item %(identifier)s cannot be published: these images have no alt-text: %(names)s."
            ) % {"identifier": self.identifier, "names": names}
            raise ValidationError({"status": ValidationError(message, code="missing_alt_text")})
        # The media pipeline's further rules (useless alt-text, transcripts, captions).
        from media.accessibility import publishing_problems  # media imports archive

        problems = publishing_problems(self, media)
        if problems:
            message = _("Item %(identifier)s cannot be published: %(problems)s") % {
                "identifier": self.identifier,
                "problems": " ".join(problems),
            }
            raise ValidationError({"status": ValidationError(message, code="inaccessible")})

    @classmethod
    def from_db(cls, db, field_names, values):
        item = super().from_db(db, field_names, values)
        # The date and phrase as stored: a phrase stays while the date it was read as does.
        item._stored_date = (item.__dict__.get("date"), item.__dict__.get("date_as_written"))
        return item

    def read_date(self) -> None:
        """Read `date` as EDTF or as a Polish phrase (archive/date_phrases.py): `date` becomes
        the EDTF, `date_as_written` the phrase (see `read_item_date` for when it is kept),
        `date_start`/`date_end` the years. Raises ValidationError keyed by field."""
        stored = getattr(self, "_stored_date", None)
        reading = read_item_date(self.date, self.date_as_written, stored)
        self.date, self.date_as_written = reading.edtf, reading.as_written
        self.date_start, self.date_end = reading.interval.start, reading.interval.end

    def full_clean(self, exclude=None, validate_unique=True, validate_constraints=True):
        # The date is read first: a phrase (up to 200 characters) must become the EDTF the
        # field holds before the field's own checks run.
        exclude = set(exclude or ())
        errors: dict = {}
        if "date" not in exclude:
            try:
                self.read_date()
            except ValidationError as exc:
                errors = exc.update_error_dict(errors)
                exclude |= {"date", "date_as_written"}
        try:
            super().full_clean(exclude, validate_unique, validate_constraints)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def clean(self):
        if self.pk:
            # Media writers take this lock too: what is checked below stays true until commit.
            Item.objects.for_write(self.pk)
        if self.status == Status.PUBLISHED and not getattr(self, "_media_checked", False):
            self.check_publishable()

    def validate_constraints(self, exclude=None):
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as exc:
            # The case-insensitive constraint names no field; its message belongs to one.
            errors = exc.update_error_dict({})
            general = errors.pop(NON_FIELD_ERRORS, [])
            for error in general:
                key = "identifier" if error.code == IDENTIFIER_TAKEN else NON_FIELD_ERRORS
                errors.setdefault(key, []).append(error)
            raise ValidationError(errors) from exc

    def save(self, *args, **kwargs):
        self.read_date()
        self.normalised_title = normalise_title(self.title)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "title" in update_fields:
            kwargs["update_fields"] = {*update_fields, "normalised_title"}
        if self.status == Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        elif self.status != Status.PUBLISHED:
            self.published_at = None
        super().save(*args, **kwargs)
        self._stored_date = (self.date, self.date_as_written)

    @transaction.atomic
    def publish(self) -> None:
        """Publish after checking the rule; raises ValidationError naming what is missing."""
        self.status = Status.PUBLISHED
        self.full_clean()
        self.save()

    def unpublish(self) -> None:
        self.status = Status.DRAFT
        self.save()


class ItemCreator(models.Model):
    class Role(models.TextChoices):
        CREATOR = "creator", _("creator")
        AUTHOR = "author", _("author")
        PHOTOGRAPHER = "photographer", _("photographer")
        PUBLISHER = "publisher", _("publisher")
        ARTIST = "artist", _("artist")
        ARCHITECT = "architect", _("architect")
        PERFORMER = "performer", _("performer")
        INTERVIEWER = "interviewer", _("interviewer")
        DEPICTED = "depicted", _("depicted")

    item = models.ForeignKey(
        Item, on_delete=models.CASCADE, related_name="item_creators", verbose_name=_("item")
    )
    agent = models.ForeignKey(
        Agent, on_delete=models.PROTECT, related_name="item_roles", verbose_name=_("person")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role, default=Role.CREATOR)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("creator")
        verbose_name_plural = _("creators")
        constraints = [
            models.UniqueConstraint(fields=["item", "agent", "role"], name="unique_item_agent_role")
        ]

    def __str__(self) -> str:
        return f"{self.agent} ({self.get_role_display()})"


class NamedPeriod(models.Model):
    """A period archivists name instead of dates ("II wojna światowa", "PRL"): a date phrase
    reads it as its EDTF (archive/date_phrases.py). Data, edited in the admin."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    date = models.CharField(
        _("date (EDTF)"),
        max_length=64,
        help_text=_("A date or an interval in EDTF, e.g. 1939-09/1945-05 or 1918/1939."),
    )
    aliases = models.TextField(
        _("other forms"),
        blank=True,
        help_text=_(
            "One per line: other names and inflected forms, e.g. “II wojny światowej”, "
            "“drugiej wojny światowej”. Case and Polish letters do not matter."
        ),
    )
    note = models.TextField(_("note"), blank=True, help_text=_("Why these dates; a source."))
    modified = models.DateTimeField(_("modified"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("named period")
        verbose_name_plural = _("named periods")

    def __str__(self) -> str:
        return self.name

    def names(self) -> list[str]:
        """The name, the English name and every alias."""
        aliases = [line.strip() for line in self.aliases.splitlines() if line.strip()]
        return [self.name, *([self.name_en] if self.name_en else []), *aliases]

    def clean(self):
        from .date_phrases import period_key

        self.date = (self.date or "").strip()
        try:
            parse_date(self.date)
        except ValidationError as exc:
            raise ValidationError({"date": exc.messages}) from exc
        if not self.date or self.date.startswith(("[", "{")):
            raise ValidationError(
                {"date": _("Give one date or an interval (from/to), e.g. 1918/1939.")}
            )
        taken = {}
        for other in NamedPeriod.objects.exclude(pk=self.pk):
            for name in other.names():
                taken[period_key(name)] = other
        clashes = sorted(
            {
                f"{name} ({taken[period_key(name)]})"
                for name in self.names()
                if period_key(name) in taken
            }
        )
        if clashes:
            raise ValidationError(
                {
                    "aliases": _("These names already belong to another period: %(names)s.")
                    % {"names": ", ".join(clashes)}
                }
            )

    def save(self, *args, **kwargs):
        from .date_phrases import PERIODS

        super().save(*args, **kwargs)
        PERIODS.invalidate()

    def delete(self, *args, **kwargs):
        from .date_phrases import PERIODS

        result = super().delete(*args, **kwargs)
        PERIODS.invalidate()
        return result


# Versions of every change (archive/audit.py): who, when, through which channel, what.
from . import audit  # noqa: E402 (the historical models are made from the classes above)

for _model in (Subject, Place, Agent, Licence, NamedPeriod):
    audit.register(_model)
audit.register(Item, relations=audit.item_relations)

# Import batches live in their own module (with their undo); registered with the app here.
from .batches import ImportBatch, ImportBatchItem  # noqa: E402, F401
