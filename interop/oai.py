"""OAI-PMH 2.0 data provider: the six verbs over published items, with oai_dc metadata.

Harvesters page through lists with resumption tokens. A token is the signed query plus a
keyset cursor — the (datestamp, source, pk) of the last record sent — so records added or
changed during a harvest never shift the pages: nothing is skipped or sent twice, and a
changed record simply comes again at the end with its new datestamp. Items and tombstones
(`DeletedRecord`) are two sorted streams merged on that key.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.db.models import Exists, Min, OuterRef, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from lxml import etree

from archive.models import Item, ItemCreator, ItemType, Licence
from curation.models import Collection, CollectionItem
from search.documents import plain_text

from .iiif import has_manifest, media_url
from .models import DeletedRecord
from .sets import collection_set_specs, collections_in_set, item_set_specs

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC_NS = "http://purl.org/dc/elements/1.1/"
OAI_ID_NS = "http://www.openarchives.org/OAI/2.0/oai-identifier"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XSI_SCHEMA_LOCATION = f"{{{XSI_NS}}}schemaLocation"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
OAI_DC_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
OAI_ID_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai-identifier.xsd"

METADATA_PREFIX = "oai_dc"
TOKEN_SALT = "interop.oai.resumption"  # noqa: S105 - a signing namespace, not a secret
ITEM, TOMBSTONE = 0, 1  # the source part of the keyset: items sort before tombstones

# Arguments each verb takes: (required, optional). resumptionToken is exclusive.
VERBS: dict[str, tuple[set[str], set[str]]] = {
    "Identify": (set(), set()),
    "ListMetadataFormats": (set(), {"identifier"}),
    "ListSets": (set(), {"resumptionToken"}),
    "GetRecord": ({"identifier", "metadataPrefix"}, set()),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
}

# Our item types in the DCMI Type Vocabulary (https://www.dublincore.org/specifications/
# dublin-core/dcmi-type-vocabulary/).
DCMI_TYPES = {
    ItemType.PHOTOGRAPH: "StillImage",
    ItemType.DOCUMENT: "Text",
    ItemType.MONUMENT: "PhysicalObject",
    ItemType.ARTIFACT: "PhysicalObject",
    ItemType.MAP: "StillImage",
    ItemType.RECORDING: "Sound",
    ItemType.TRADITION: "Event",
    ItemType.PUBLICATION: "Text",
    ItemType.ARTWORK: "Image",
}
# Creator roles that are not dc:creator.
DC_ROLE_ELEMENTS = {
    ItemCreator.Role.PUBLISHER: "publisher",
    ItemCreator.Role.INTERVIEWER: "contributor",
    ItemCreator.Role.PERFORMER: "contributor",
    ItemCreator.Role.DEPICTED: "subject",
}

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SECONDS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_REPOSITORY_ID = re.compile(r"^[a-zA-Z][a-zA-Z0-9\-]*(\.[a-zA-Z][a-zA-Z0-9\-]*)+$")


class OAIError(Exception):
    """One of the protocol's error conditions, reported as <error code="...">."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


@dataclass
class Query:
    """A list request: what was asked and where the previous page ended."""

    verb: str
    prefix: str
    set_spec: str | None = None
    from_: str | None = None
    until: str | None = None
    after: tuple[datetime.datetime, int, int] | None = None
    cursor: int = 0
    total: int | None = None

    def token(self, last: tuple[datetime.datetime, int, int], cursor: int, total: int) -> str:
        payload = {
            "v": self.verb,
            "m": self.prefix,
            "s": self.set_spec,
            "f": self.from_,
            "u": self.until,
            "a": [last[0].isoformat(), last[1], last[2]],
            "c": cursor,
            "t": total,
        }
        return signing.dumps(payload, salt=TOKEN_SALT, compress=True)

    @classmethod
    def from_token(cls, verb: str, token: str) -> Query:
        try:
            data = signing.loads(token, salt=TOKEN_SALT)
            when, source, pk = data["a"]
            query = cls(
                verb=data["v"],
                prefix=data["m"],
                set_spec=data["s"],
                from_=data["f"],
                until=data["u"],
                after=(datetime.datetime.fromisoformat(when), int(source), int(pk)),
                cursor=int(data["c"]),
                total=int(data["t"]),
            )
        except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
            raise OAIError(
                "badResumptionToken", "The resumption token is invalid or has been altered."
            ) from exc
        if query.verb != verb:
            raise OAIError("badResumptionToken", f"The resumption token is not for {verb}.")
        return query


@dataclass
class Repository:
    """One request's view of the repository: base URL, identifiers, absolute links."""

    request: HttpRequest
    repository_id: str = field(init=False)
    base_url: str = field(init=False)

    def __post_init__(self) -> None:
        host = self.request.get_host().rsplit(":", 1)[0].strip("[]")
        self.repository_id = settings.KRONIKA_OAI_REPOSITORY_ID or host
        self.base_url = self.request.build_absolute_uri(reverse("oai:endpoint"))

    def oai_identifier(self, identifier: str) -> str:
        return f"oai:{self.repository_id}:{identifier}"

    def local_identifier(self, oai_identifier: str) -> str:
        prefix = f"oai:{self.repository_id}:"
        if not oai_identifier.startswith(prefix) or len(oai_identifier) == len(prefix):
            raise OAIError(
                "idDoesNotExist", f"{oai_identifier} is not an identifier of this repository."
            )
        return oai_identifier[len(prefix) :]

    def absolute(self, path: str) -> str:
        return self.request.build_absolute_uri(path)


def respond(request: HttpRequest, params: dict[str, list[str]]) -> bytes:
    """The complete OAI-PMH response document for one request's arguments."""
    repo = Repository(request)
    root = etree.Element(f"{{{OAI_NS}}}OAI-PMH", nsmap={None: OAI_NS, "xsi": XSI_NS})
    root.set(XSI_SCHEMA_LOCATION, f"{OAI_NS} {OAI_SCHEMA}")
    _sub(root, "responseDate", datestamp(timezone.now()))
    request_element = _sub(root, "request", repo.base_url)
    try:
        verb, args = _check_arguments(params)
        for name, value in sorted(args.items()):
            request_element.set(name, xml_text(value))
        request_element.set("verb", verb)
        HANDLERS[verb](repo, root, args)
    except OAIError as error:
        for child in list(root)[2:]:
            root.remove(child)
        if error.code in ("badVerb", "badArgument"):
            # The protocol echoes no arguments of a request it could not understand.
            request_element.attrib.clear()
        _sub(root, "error", error.message).set("code", error.code)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def datestamp(when: datetime.datetime) -> str:
    return when.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _check_arguments(params: dict[str, list[str]]) -> tuple[str, dict[str, str]]:
    verbs = params.get("verb", [])
    if len(verbs) != 1 or verbs[0] not in VERBS:
        if not verbs:
            raise OAIError("badVerb", "The request has no verb.")
        if len(verbs) > 1:
            raise OAIError("badVerb", "The verb argument is repeated.")
        raise OAIError("badVerb", f"{verbs[0]} is not an OAI-PMH verb.")
    verb = verbs[0]
    required, optional = VERBS[verb]
    args: dict[str, str] = {}
    for name, values in params.items():
        if name == "verb":
            continue
        if name not in required | optional:
            raise OAIError("badArgument", f"{verb} does not take the argument {name}.")
        if len(values) != 1:
            raise OAIError("badArgument", f"The argument {name} is repeated.")
        args[name] = values[0]
    if "resumptionToken" in args:
        if len(args) > 1:
            raise OAIError("badArgument", "resumptionToken must be the only argument.")
        return verb, args
    missing = sorted(required - set(args))
    if missing:
        raise OAIError("badArgument", f"{verb} needs the argument {', '.join(missing)}.")
    return verb, args


def xml_text(text: str) -> str:
    """Text without the characters XML 1.0 cannot carry (control characters pasted into a
    description would otherwise make the whole response impossible to write)."""
    return _NOT_XML.sub("", text)


def _sub(parent, tag: str, text: str | None = None, ns: str = OAI_NS, lang: str | None = None):
    element = etree.SubElement(parent, f"{{{ns}}}{tag}")
    if text is not None:
        element.text = xml_text(text)
    if lang:
        element.set(XML_LANG, lang)
    return element


# --- Identify, ListMetadataFormats, ListSets ------------------------------------------------


def identify(repo: Repository, root, args: dict[str, str]) -> None:
    element = _sub(root, "Identify")
    _sub(element, "repositoryName", f"{settings.KRONIKA_INSTITUTION} — Kronika")
    _sub(element, "baseURL", repo.base_url)
    _sub(element, "protocolVersion", "2.0")
    for email in admin_emails():
        _sub(element, "adminEmail", email)
    earliest = [
        Item.objects.published().aggregate(m=Min("modified"))["m"],
        DeletedRecord.objects.aggregate(m=Min("datestamp"))["m"],
    ]
    earliest = [when for when in earliest if when is not None]
    _sub(element, "earliestDatestamp", datestamp(min(earliest) if earliest else timezone.now()))
    _sub(element, "deletedRecord", "persistent")
    _sub(element, "granularity", "YYYY-MM-DDThh:mm:ssZ")
    if _REPOSITORY_ID.match(repo.repository_id):
        description = _sub(element, "description")
        oai_id = etree.SubElement(
            description, f"{{{OAI_ID_NS}}}oai-identifier", nsmap={None: OAI_ID_NS}
        )
        oai_id.set(XSI_SCHEMA_LOCATION, f"{OAI_ID_NS} {OAI_ID_SCHEMA}")
        for tag, text in [
            ("scheme", "oai"),
            ("repositoryIdentifier", repo.repository_id),
            ("delimiter", ":"),
            ("sampleIdentifier", repo.oai_identifier("MOK-F-0001")),
        ]:
            _sub(oai_id, tag, text, ns=OAI_ID_NS)


def admin_emails() -> list[str]:
    """KRONIKA_OAI_ADMIN_EMAIL, else the site ADMINS, else the institution's contact e-mail
    (KRONIKA_CONTACT_EMAIL), else DEFAULT_FROM_EMAIL (checked: interop/checks.py)."""
    configured = settings.KRONIKA_OAI_ADMIN_EMAIL
    if configured:
        return [email.strip() for email in configured.split(",") if email.strip()]
    contact = settings.KRONIKA_CONTACT.get("email", "").strip()
    return (
        [email for _name, email in settings.ADMINS]
        or ([contact] if contact else [])
        or [settings.DEFAULT_FROM_EMAIL]
    )


def list_metadata_formats(repo: Repository, root, args: dict[str, str]) -> None:
    if "identifier" in args:
        identifier = repo.local_identifier(args["identifier"])
        if not Item.objects.published().filter(identifier=identifier).exists() and not (
            _tombstones().filter(identifier=identifier).exists()
        ):
            raise OAIError("idDoesNotExist", f"{args['identifier']} is not in this repository.")
    element = _sub(root, "ListMetadataFormats")
    metadata_format = _sub(element, "metadataFormat")
    _sub(metadata_format, "metadataPrefix", METADATA_PREFIX)
    _sub(metadata_format, "schema", OAI_DC_SCHEMA)
    _sub(metadata_format, "metadataNamespace", OAI_DC_NS)


def list_sets(repo: Repository, root, args: dict[str, str]) -> None:
    if "resumptionToken" in args:
        raise OAIError("badResumptionToken", "ListSets is answered in one response.")
    # Only collections with published items are sets: one made for a draft stays private.
    collections = {c.pk: c for c in Collection.objects.public()}
    specs = {pk: spec for pk, spec in collection_set_specs().items() if pk in collections}
    if not specs:
        raise OAIError("noSetHierarchy", "This repository has no collections yet.")
    element = _sub(root, "ListSets")
    for pk, spec in sorted(specs.items(), key=lambda pair: pair[1]):
        collection = collections[pk]
        set_element = _sub(element, "set")
        _sub(set_element, "setSpec", spec)
        _sub(set_element, "setName", collection.title)
        if collection.title_en or collection.description or collection.description_en:
            dc = _oai_dc(_sub(set_element, "setDescription"))
            _dc(dc, "title", collection.title, "pl")
            _dc(dc, "title", collection.title_en, "en")
            _dc(dc, "description", plain_text(collection.description), "pl")
            _dc(dc, "description", plain_text(collection.description_en), "en")


# --- GetRecord, ListIdentifiers, ListRecords ------------------------------------------------


def get_record(repo: Repository, root, args: dict[str, str]) -> None:
    _check_prefix(args["metadataPrefix"])
    identifier = repo.local_identifier(args["identifier"])
    pks = list(Item.objects.published().filter(identifier=identifier).values_list("pk", flat=True))
    if pks:
        records = load_records(pks, with_metadata=True)
        context = PageContext(repo)
        _record(context, _sub(_sub(root, "GetRecord"), "record"), records[pks[0]])
        return
    tombstone = _tombstones().filter(identifier=identifier).first()
    if tombstone is None:
        raise OAIError("idDoesNotExist", f"{args['identifier']} is not in this repository.")
    _deleted_header(repo, _sub(_sub(root, "GetRecord"), "record"), tombstone)


def list_identifiers(repo: Repository, root, args: dict[str, str]) -> None:
    _list(repo, root, args, "ListIdentifiers", with_metadata=False)


def list_records(repo: Repository, root, args: dict[str, str]) -> None:
    _list(repo, root, args, "ListRecords", with_metadata=True)


def _list(repo: Repository, root, args: dict[str, str], verb: str, with_metadata: bool) -> None:
    if "resumptionToken" in args:
        query = Query.from_token(verb, args["resumptionToken"])
    else:
        query = Query(
            verb=verb,
            prefix=args["metadataPrefix"],
            set_spec=args.get("set"),
            from_=args.get("from"),
            until=args.get("until"),
        )
    _check_prefix(query.prefix)
    items, tombstones = _filtered(query)
    if query.total is None:
        query.total = items.count() + tombstones.count()
        if not query.total:
            raise OAIError("noRecordsMatch", "No records match these arguments.")

    page_size = max(1, int(settings.KRONIKA_OAI_PAGE_SIZE))
    keys = _page_keys(items, tombstones, query.after, page_size + 1)
    has_more, keys = len(keys) > page_size, keys[:page_size]
    if not keys and query.after is None:
        raise OAIError("noRecordsMatch", "No records match these arguments.")

    item_pks = [pk for _when, source, pk in keys if source == ITEM]
    tomb_pks = [pk for _when, source, pk in keys if source == TOMBSTONE]
    loaded = load_records(item_pks, with_metadata)
    deleted = DeletedRecord.objects.in_bulk(tomb_pks)
    context = PageContext(repo)

    container = _sub(root, verb)
    for _when, source, pk in keys:
        parent = _sub(container, "record") if with_metadata else container
        if source == ITEM:
            _record(context, parent, loaded[pk])
        else:
            _deleted_header(repo, parent, deleted[pk])

    sent = query.cursor + len(keys)
    token = _sub(container, "resumptionToken", query.token(keys[-1], sent, query.total)
                 if has_more and keys else None)  # fmt: skip
    if has_more or query.after is not None:
        token.set("completeListSize", str(max(query.total, sent)))
        token.set("cursor", str(query.cursor))
    else:
        container.remove(token)  # one complete page: no token at all


def _check_prefix(prefix: str) -> None:
    if prefix != METADATA_PREFIX:
        raise OAIError(
            "cannotDisseminateFormat", f"{prefix} is not supported; use {METADATA_PREFIX}."
        )


def _bounds(query: Query) -> tuple[datetime.datetime | None, datetime.datetime | None]:
    """from and until as [from, until_end): `until` covers its whole second or day."""
    parsed = []
    for name, value in (("from", query.from_), ("until", query.until)):
        if value is None:
            parsed.append((None, None))
            continue
        try:
            if _DAY.match(value):
                when = datetime.datetime.strptime(value, "%Y-%m-%d")
                step, granularity = datetime.timedelta(days=1), "day"
            elif _SECONDS.match(value):
                when = datetime.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ")
                step, granularity = datetime.timedelta(seconds=1), "seconds"
            else:
                raise ValueError(value)
        except ValueError as exc:
            raise OAIError(
                "badArgument",
                f"{name}={value} is not a date (YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ).",
            ) from exc
        parsed.append((when.replace(tzinfo=datetime.UTC), (step, granularity)))
    (start, start_info), (end, end_info) = parsed
    if start_info and end_info and start_info[1] != end_info[1]:
        raise OAIError("badArgument", "from and until must have the same granularity.")
    if start and end and start > end:
        raise OAIError("badArgument", "from is later than until.")
    if end is not None:
        try:
            end += end_info[0]
        except OverflowError:  # until=9999-12-31: no upper bound at all
            end = None
    return start, end


def _tombstones():
    """Tombstones of records that are not published again (belt and braces: the signal
    drops a republished item's tombstone; bulk writes might not)."""
    return DeletedRecord.objects.exclude(
        Exists(Item.objects.published().filter(identifier=OuterRef("identifier")))
    )


def _filtered(query: Query):
    start, end = _bounds(query)
    items = Item.objects.published()
    tombstones = _tombstones()
    if start:
        items, tombstones = (
            items.filter(modified__gte=start),
            tombstones.filter(datestamp__gte=start),
        )
    if end:
        items, tombstones = items.filter(modified__lt=end), tombstones.filter(datestamp__lt=end)
    if query.set_spec is not None:
        specs = collection_set_specs()
        if not specs:
            raise OAIError("noSetHierarchy", "This repository has no collections yet.")
        members = CollectionItem.objects.filter(
            item=OuterRef("pk"), collection_id__in=collections_in_set(query.set_spec, specs)
        )
        items = items.filter(Exists(members))
        tombstones = tombstones.filter(
            Q(set_specs__contains=f"\n{query.set_spec}\n")
            | Q(set_specs__contains=f"\n{query.set_spec}:")
        )
    return items, tombstones


def _page_keys(items, tombstones, after, limit: int) -> list[tuple[datetime.datetime, int, int]]:
    """The next `limit` (datestamp, source, pk) keys after `after`, both streams merged."""
    if after is not None:
        when, source, pk = after
        if source == ITEM:
            items = items.filter(Q(modified__gt=when) | Q(modified=when, pk__gt=pk))
            tombstones = tombstones.filter(datestamp__gte=when)
        else:
            items = items.filter(modified__gt=when)
            tombstones = tombstones.filter(Q(datestamp__gt=when) | Q(datestamp=when, pk__gt=pk))
    keys = [(w, ITEM, pk) for pk, w in items.order_by("modified", "pk").values_list(
        "pk", "modified")[:limit]]  # fmt: skip
    keys += [(w, TOMBSTONE, pk) for pk, w in tombstones.order_by("datestamp", "pk").values_list(
        "pk", "datestamp")[:limit]]  # fmt: skip
    keys.sort()
    return keys[:limit]


@dataclass
class Record:
    """What oai_dc shows of one item, read as plain rows (no model instances: a harvest
    of the whole catalogue spends its time here)."""

    pk: int
    identifier: str
    modified: datetime.datetime
    title: str = ""
    title_en: str = ""
    description: str = ""
    description_en: str = ""
    date: str = ""
    item_type: str = ""
    source: str = ""
    rights_holder: str = ""
    licence_id: int | None = None
    collection_ids: list[int] = field(default_factory=list)
    subjects: list[tuple[str, str]] = field(default_factory=list)
    places: list[tuple] = field(default_factory=list)
    creators: list[tuple[str, str]] = field(default_factory=list)
    media: list = field(default_factory=list)
    metadata: bool = False


def load_records(pks: list[int], with_metadata: bool) -> dict[int, Record]:
    """Records of these items in a fixed number of queries (one per relation)."""
    from media.models import MediaFile

    if not pks:
        return {}
    fields = ["pk", "identifier", "modified"]
    if with_metadata:
        fields += ["title", "title_en", "description", "description_en", "date", "item_type",
                   "source", "rights_holder", "licence_id"]  # fmt: skip
    records = {
        row["pk"]: Record(**row, metadata=with_metadata)
        for row in Item.objects.filter(pk__in=pks).values(*fields)
    }
    links = CollectionItem.objects.filter(item_id__in=pks).order_by("pk")
    for item_id, collection_id in links.values_list("item_id", "collection_id"):
        records[item_id].collection_ids.append(collection_id)
    if not with_metadata:
        return records
    subjects = Item.subjects.through.objects.filter(item_id__in=pks).order_by("subject__name")
    for item_id, *names in subjects.values_list("item_id", "subject__name", "subject__name_en"):
        records[item_id].subjects.append(tuple(names))
    places = Item.places.through.objects.filter(item_id__in=pks).order_by("place__name")
    for item_id, *place in places.values_list(
        "item_id", "place__name", "place__name_en", "place__latitude", "place__longitude"
    ):
        records[item_id].places.append(tuple(place))
    creators = ItemCreator.objects.filter(item_id__in=pks).order_by("item_id", "order", "pk")
    for item_id, name, role in creators.values_list("item_id", "agent__name", "role"):
        records[item_id].creators.append((name, role))
    media = MediaFile.objects.filter(item_id__in=pks).select_related("item__licence")
    for media_file in media.order_by("order", "pk"):
        records[media_file.item_id].media.append(media_file)
    return records


class PageContext:
    """What every record of a response shares, worked out once per response."""

    def __init__(self, repo: Repository):
        self.repo = repo
        self.specs = collection_set_specs()
        self.licences = {licence.pk: licence for licence in Licence.objects.all()}
        self.type_labels: dict[str, dict[str, str]] = {}
        for language in ("pl", "en"):
            with translation.override(language):
                self.type_labels[language] = {t.value: str(t.label) for t in ItemType}
        placeholder = "~identifier~"
        with translation.override(settings.LANGUAGE_CODE):
            page = reverse("archive:item", kwargs={"identifier": placeholder})
            manifest = reverse("interop:iiif-manifest", kwargs={"identifier": placeholder})
        self._page_url = repo.absolute(page).split(placeholder)
        self._manifest_url = repo.absolute(manifest).split(placeholder)

    def page_url(self, identifier: str) -> str:
        return identifier.join(self._page_url)

    def manifest_url(self, identifier: str) -> str:
        return identifier.join(self._manifest_url)


def _header(repo: Repository, parent, identifier: str, when, set_specs, deleted=False) -> None:
    header = _sub(parent, "header")
    if deleted:
        header.set("status", "deleted")
    _sub(header, "identifier", repo.oai_identifier(identifier))
    _sub(header, "datestamp", datestamp(when))
    for spec in set_specs:
        _sub(header, "setSpec", spec)


def _deleted_header(repo: Repository, parent, tombstone: DeletedRecord) -> None:
    _header(repo, parent, tombstone.identifier, tombstone.datestamp, tombstone.set_spec_list,
            deleted=True)  # fmt: skip


def _record(context: PageContext, parent, record: Record) -> None:
    set_specs = item_set_specs(record.collection_ids, context.specs)
    _header(context.repo, parent, record.identifier, record.modified, set_specs)
    if record.metadata:
        dublin_core(context, _oai_dc(_sub(parent, "metadata")), record)


# --- oai_dc -----------------------------------------------------------------------------------


def _oai_dc(parent):
    dc = etree.SubElement(
        parent, f"{{{OAI_DC_NS}}}dc", nsmap={"oai_dc": OAI_DC_NS, "dc": DC_NS, "xsi": XSI_NS}
    )
    dc.set(XSI_SCHEMA_LOCATION, f"{OAI_DC_NS} {OAI_DC_SCHEMA}")
    return dc


def _dc(dc, tag: str, text: str | None, lang: str | None = None) -> None:
    if text and text.strip():
        _sub(dc, tag, text.strip(), ns=DC_NS, lang=lang)


def dublin_core(context: PageContext, dc, record: Record) -> None:
    """Simple Dublin Core for one item: both languages tagged with xml:lang."""
    _dc(dc, "title", record.title, "pl")
    _dc(dc, "title", record.title_en, "en")
    for name, role in record.creators:
        _dc(dc, DC_ROLE_ELEMENTS.get(role, "creator"), name)
    for name, name_en in record.subjects:
        _dc(dc, "subject", name, "pl")
        _dc(dc, "subject", name_en, "en")
    _dc(dc, "description", plain_text(record.description), "pl")
    _dc(dc, "description", plain_text(record.description_en), "en")
    _dc(dc, "date", record.date)
    _dc(dc, "type", DCMI_TYPES.get(record.item_type, "PhysicalObject"))
    for language in ("pl", "en"):
        _dc(dc, "type", context.type_labels[language].get(record.item_type), language)
    _dc(dc, "identifier", context.page_url(record.identifier))
    _dc(dc, "identifier", record.identifier)
    _dc(dc, "source", record.source)
    for media_file in record.media:
        _dc(dc, "relation", media_url(media_file, context.repo.request))
    if has_manifest(record.media):
        _dc(dc, "relation", context.manifest_url(record.identifier))
    for name, name_en, latitude, longitude in record.places:
        _dc(dc, "coverage", name, "pl")
        _dc(dc, "coverage", name_en, "en")
        if latitude is not None and longitude is not None:
            # DCMI Point encoding, which aggregators can put on a map.
            _dc(dc, "coverage", f"name={name}; east={longitude}; north={latitude}")
    licence = context.licences.get(record.licence_id)
    if licence is not None:
        _dc(dc, "rights", licence.url)
        _dc(dc, "rights", licence.name, "pl")
        _dc(dc, "rights", licence.name_en, "en")
    _dc(dc, "rights", record.rights_holder)


HANDLERS = {
    "Identify": identify,
    "ListMetadataFormats": list_metadata_formats,
    "ListSets": list_sets,
    "GetRecord": get_record,
    "ListIdentifiers": list_identifiers,
    "ListRecords": list_records,
}
