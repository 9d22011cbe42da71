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
from django.db.models import Exists, Min, OuterRef, Prefetch, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from lxml import etree

from archive.models import Item, ItemCreator, ItemType
from curation.models import Collection, CollectionItem
from search.documents import plain_text

from .iiif import has_manifest, manifest_url, media_url
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
            request_element.set(name, value)
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


def _sub(parent, tag: str, text: str | None = None, ns: str = OAI_NS, lang: str | None = None):
    element = etree.SubElement(parent, f"{{{ns}}}{tag}")
    if text is not None:
        element.text = text
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
    """KRONIKA_OAI_ADMIN_EMAIL, else the site ADMINS, else DEFAULT_FROM_EMAIL."""
    configured = settings.KRONIKA_OAI_ADMIN_EMAIL
    if configured:
        return [email.strip() for email in configured.split(",") if email.strip()]
    return [email for _name, email in settings.ADMINS] or [settings.DEFAULT_FROM_EMAIL]


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
    specs = collection_set_specs()
    if not specs:
        raise OAIError("noSetHierarchy", "This repository has no collections yet.")
    element = _sub(root, "ListSets")
    collections = {c.pk: c for c in Collection.objects.all()}
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
    items = _load_items(Item.objects.published().filter(identifier=identifier))
    specs = collection_set_specs()
    if items:
        record = _sub(_sub(root, "GetRecord"), "record")
        _record(repo, record, items[0], specs, with_metadata=True)
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
    if with_metadata:
        loaded = {item.pk: item for item in _load_items(Item.objects.filter(pk__in=item_pks))}
    else:
        loaded = {
            item.pk: item
            for item in Item.objects.filter(pk__in=item_pks)
            .only("pk", "identifier", "modified")
            .prefetch_related(
                Prefetch("memberships", CollectionItem.objects.only("item_id", "collection_id"))
            )  # fmt: skip
        }
    deleted = DeletedRecord.objects.in_bulk(tomb_pks)
    specs = collection_set_specs()

    container = _sub(root, verb)
    for _when, source, pk in keys:
        parent = _sub(container, "record") if with_metadata else container
        if source == ITEM:
            _record(repo, parent, loaded[pk], specs, with_metadata)
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
    return start, (end + end_info[0] if end else None)


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


def _load_items(queryset) -> list[Item]:
    """Items with everything oai_dc shows, in a fixed number of queries."""
    from media.models import MediaFile

    return list(
        queryset.select_related("licence").prefetch_related(
            "subjects",
            "places",
            Prefetch("item_creators", ItemCreator.objects.select_related("agent")),
            Prefetch("memberships", CollectionItem.objects.only("item_id", "collection_id")),
            Prefetch("media_files", MediaFile.objects.order_by("order", "pk")),
        )
    )


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


def _record(repo: Repository, parent, item: Item, specs, with_metadata: bool) -> None:
    collection_ids = [m.collection_id for m in item.memberships.all()]
    _header(repo, parent, item.identifier, item.modified, item_set_specs(collection_ids, specs))
    if with_metadata:
        dublin_core(repo, _oai_dc(_sub(parent, "metadata")), item)


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


def item_page_url(repo: Repository, item: Item) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return repo.absolute(item.get_absolute_url())


def dublin_core(repo: Repository, dc, item: Item) -> None:
    """Simple Dublin Core for one item: both languages tagged with xml:lang."""
    _dc(dc, "title", item.title, "pl")
    _dc(dc, "title", item.title_en, "en")
    for link in item.item_creators.all():
        element = DC_ROLE_ELEMENTS.get(link.role, "creator")
        _dc(dc, element, link.agent.name)
    for subject in item.subjects.all():
        _dc(dc, "subject", subject.name, "pl")
        _dc(dc, "subject", subject.name_en, "en")
    _dc(dc, "description", plain_text(item.description), "pl")
    _dc(dc, "description", plain_text(item.description_en), "en")
    _dc(dc, "date", item.date)
    _dc(dc, "type", DCMI_TYPES.get(item.item_type, "PhysicalObject"))
    for language in ("pl", "en"):
        with translation.override(language):
            _dc(dc, "type", str(ItemType(item.item_type).label), language)
    _dc(dc, "identifier", item_page_url(repo, item))
    _dc(dc, "identifier", item.identifier)
    _dc(dc, "source", item.source)
    media = list(item.media_files.all())
    for media_file in media:
        _dc(dc, "relation", media_url(media_file, repo.request))
    if has_manifest(media):
        _dc(dc, "relation", manifest_url(item, repo.request))
    for place in item.places.all():
        _dc(dc, "coverage", place.name, "pl")
        _dc(dc, "coverage", place.name_en, "en")
        if place.has_coordinates:
            # DCMI Point encoding, which aggregators map onto a map.
            _dc(dc, "coverage", f"name={place.name}; east={place.longitude}; "
                f"north={place.latitude}")  # fmt: skip
    licence = item.licence
    _dc(dc, "rights", licence.url)
    _dc(dc, "rights", licence.name, "pl")
    _dc(dc, "rights", licence.name_en, "en")
    _dc(dc, "rights", item.rights_holder)


HANDLERS = {
    "Identify": identify,
    "ListMetadataFormats": list_metadata_formats,
    "ListSets": list_sets,
    "GetRecord": get_record,
    "ListIdentifiers": list_identifiers,
    "ListRecords": list_records,
}
