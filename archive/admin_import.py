"""The admin's Import page: upload a catalogue file, preview every row, confirm or cancel.

The upload is kept in a private staging folder (KRONIKA_IMPORT_STAGING_DIR, outside
MEDIA_ROOT), under a random token that only its uploader can open, until it is confirmed,
cancelled or expires (KRONIKA_IMPORT_STAGING_HOURS). The preview is the importer's own
checking pass (`CatalogueImport(preview=True).validate()`), stored beside the upload and
paged; confirming runs `import_catalogue` on the same file, which records an ImportBatch.
"""

from __future__ import annotations

import json
import secrets
import shutil
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from media.validation import sha256_of

from .batches import ImportBatch, UndoRefused, undo_batch
from .importing import BatchInfo, CatalogueImport, ImportResult, import_catalogue
from .models import Item, ItemType, Status

PAGE_SIZE = 100
SHEET_SUFFIXES = {".csv", ".xlsx", ".xlsm"}
ZIP_SUFFIX = ".zip"
TOKEN_BYTES = 24
UNDO_PERMISSION = "archive.publish_item"
# The refusal message names at most this many items (the rest are counted).
REFUSAL_LIST_LIMIT = 50


class UploadRefused(Exception):
    """The upload is not a catalogue file Kronika can stage; the message says why."""


# --- staging -------------------------------------------------------------------------------


def staging_root() -> Path:
    return Path(settings.KRONIKA_IMPORT_STAGING_DIR)


def sweep_expired() -> None:
    """Remove staged uploads older than KRONIKA_IMPORT_STAGING_HOURS."""
    root = staging_root()
    if not root.is_dir():
        return
    limit = time.time() - settings.KRONIKA_IMPORT_STAGING_HOURS * 3600
    for folder in root.iterdir():
        try:
            if folder.is_dir() and folder.stat().st_mtime < limit:
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue


@dataclass
class StagedImport:
    """One uploaded file waiting for its preview to be confirmed or cancelled."""

    token: str
    user_id: int
    file_name: str
    checksum: str
    sheet: str  # the catalogue file, relative to `files/`

    @property
    def folder(self) -> Path:
        return staging_root() / self.token

    @property
    def sheet_path(self) -> Path:
        return self.folder / "files" / self.sheet

    @classmethod
    def create(cls, upload, user) -> StagedImport:
        """Store an upload privately; raises UploadRefused with a message for the archivist."""
        limit = settings.KRONIKA_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise UploadRefused(
                _(
                    "The file is too large (%(size)s MB); the limit is %(limit)s MB. Split it "
                    "into smaller files, or ask the administrator to raise "
                    "KRONIKA_IMPORT_MAX_BYTES."
                )
                % {"size": _megabytes(upload.size), "limit": _megabytes(limit)}
            )
        name = PurePosixPath(upload.name.replace("\\", "/")).name or "import.csv"
        suffix = PurePosixPath(name).suffix.lower()
        if suffix not in SHEET_SUFFIXES | {ZIP_SUFFIX}:
            raise UploadRefused(
                _(
                    "“%(name)s” is not a CSV, XLSX or ZIP file. Upload the catalogue as CSV "
                    "(UTF-8) or XLSX, or a ZIP holding the sheet and its images."
                )
                % {"name": name}
            )
        sweep_expired()
        token = secrets.token_urlsafe(TOKEN_BYTES)
        folder = staging_root() / token
        files = folder / "files"
        files.mkdir(parents=True, mode=0o700)
        try:
            upload_path = folder / ("upload.zip" if suffix == ZIP_SUFFIX else f"upload{suffix}")
            with upload_path.open("wb") as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)
            with upload_path.open("rb") as handle:
                checksum = sha256_of(handle)
            if suffix == ZIP_SUFFIX:
                sheet = _unpack(upload_path, files, limit)
                upload_path.unlink()
            else:
                sheet = name
                upload_path.rename(files / sheet)
            staged = cls(token, user.pk, name, checksum, sheet)
            (folder / "meta.json").write_text(json.dumps(staged.__dict__), encoding="utf-8")
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        return staged

    @classmethod
    def load(cls, token: str, user) -> StagedImport:
        """The staged upload `token` names, if it is this user's; else 404."""
        if not token or len(token) > 64 or not token.replace("-", "").replace("_", "").isalnum():
            raise Http404
        try:
            meta = json.loads((staging_root() / token / "meta.json").read_text("utf-8"))
            staged = cls(**meta)
        except (OSError, ValueError, TypeError):
            raise Http404 from None
        if staged.user_id != user.pk:
            raise Http404
        return staged

    def preview(self) -> dict:
        """Check every row as the import will (writing nothing) and store the preview.

        The preview is the importer's checking pass, which finds every problem a dry run's
        checks find; the write itself (all rows or none) happens on confirm, which reports,
        with nothing written, whatever the database refuses at that moment.
        """
        # As the person who uploaded it: their rights apply to every row (archive/roles.py).
        user = get_user_model().objects.filter(pk=self.user_id).first()
        result = CatalogueImport(self.sheet_path, preview=True, user=user).validate()
        preview = preview_data(result)
        (self.folder / "preview.json").write_text(json.dumps(preview), encoding="utf-8")
        return preview

    def stored_preview(self) -> dict:
        try:
            return json.loads((self.folder / "preview.json").read_text("utf-8"))
        except (OSError, ValueError):
            return self.preview()

    def confirm(self, user) -> ImportResult:
        info = BatchInfo(
            channel=ImportBatch.Channel.ADMIN,
            user=user,
            file_name=self.file_name,
            checksum=self.checksum,
        )
        return import_catalogue(self.sheet_path, record=info, user=user)

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f}".rstrip("0").rstrip(".")


def _unpack(archive: Path, into: Path, limit: int) -> str:
    """Unpack a ZIP of one catalogue sheet and its images; returns the sheet's path."""
    try:
        with zipfile.ZipFile(archive) as package:
            members = [m for m in package.infolist() if not m.is_dir()]
            if any(m.filename == "[Content_Types].xml" for m in members):
                raise UploadRefused(
                    _("This is an XLSX workbook named .zip; upload it with the .xlsx ending.")
                )
            if sum(m.file_size for m in members) > limit:
                raise UploadRefused(
                    _("Unpacked, the ZIP file would be larger than the limit of %(limit)s MB.")
                    % {"limit": _megabytes(limit)}
                )
            sheets = []
            for member in members:
                name = PurePosixPath(member.filename.replace("\\", "/"))
                if name.is_absolute() or ".." in name.parts or ":" in member.filename:
                    raise UploadRefused(
                        _("The ZIP file holds a path outside its folder (“%(name)s”); refused.")
                        % {"name": member.filename}
                    )
                if name.parts[0] == "__MACOSX" or any(p.startswith(".") for p in name.parts):
                    continue
                target = into.joinpath(*name.parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                with package.open(member) as source, target.open("wb") as handle:
                    shutil.copyfileobj(source, handle)
                if name.suffix.lower() in SHEET_SUFFIXES:
                    sheets.append(str(name))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
        raise UploadRefused(
            _("The ZIP file cannot be read (%(error)s).") % {"error": exc}
        ) from None
    if len(sheets) != 1:
        raise UploadRefused(
            _(
                "A ZIP file must hold exactly one catalogue sheet (CSV or XLSX) beside its "
                "images; this one holds %(count)d."
            )
            % {"count": len(sheets)}
        )
    return sheets[0]


def preview_data(result: ImportResult) -> dict:
    """What the preview page shows, as JSON: counts, file-wide errors and every row."""
    general = result.attach_errors()
    rows = result.previews or []
    return {
        "rows": result.rows,
        "created": sum(1 for r in rows if r["action"] == "create"),
        "updated": sum(1 for r in rows if r["action"] == "update"),
        "unchanged": sum(1 for r in rows if r["action"] == "update" and not r["changes"]),
        "images": sum(1 for r in rows if r["image"] and r["image"]["found"]),
        "error_count": len(result.errors),
        "errors": [{"line": e.line, "message": str(e)} for e in general],
        "new_terms": _new_terms(rows),
        "ok": result.ok,
        "previews": rows,
    }


def _new_terms(rows: list[dict]) -> dict[str, list[str]]:
    terms: dict[str, dict[str, None]] = {}
    for row in rows:
        for column, names in row["new_terms"].items():
            terms.setdefault(column, {}).update(dict.fromkeys(names))
    return {column: list(names) for column, names in terms.items()}


# --- views ---------------------------------------------------------------------------------


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Catalogue file"),
        help_text=gettext_lazy(
            "CSV (UTF-8) or XLSX in the import format; or a ZIP holding one such sheet and "
            "the images its image column names (paths relative to the sheet)."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.xlsm,.zip"}),
    )


FIELD_LABELS = {
    "licence_id": "licence",
    "subjects": "subjects",
    "places": "places",
    "creators": "creators",
}
FILTERS = {
    "all": gettext_lazy("all rows"),
    "errors": gettext_lazy("only rows with errors"),
    "changes": gettext_lazy("only new and changed items"),
}


def _field_label(name: str) -> str:
    from curation.models import Collection

    name = FIELD_LABELS.get(name, name)
    if name == "collections":
        return str(Collection._meta.verbose_name_plural)
    try:
        return str(Item._meta.get_field(name).verbose_name)
    except Exception:  # noqa: BLE001 - a column with no model field keeps its own name
        return name


def _decorate(row: dict) -> dict:
    """A stored preview row with its labels in the reader's language."""
    for change in row["changes"]:
        change["label"] = _field_label(change["field"])
    row["status_label"] = (
        str(Status(row["status"]).label) if row["status"] in Status.values else row["status"]
    )
    row["terms"] = [
        {"label": _field_label(column), "names": names}
        for column, names in row["new_terms"].items()
    ]
    return row


class ItemImportViews:
    """The Import page's views, mounted on ItemAdmin's URLs (`import_urls`)."""

    def __init__(self, model_admin):
        self.model_admin = model_admin
        self.opts = model_admin.model._meta

    def urls(self) -> list:
        wrap = self.model_admin.admin_site.admin_view
        return [
            path("import/", wrap(self.upload), name="archive_item_import"),
            path("import/<str:token>/", wrap(self.preview), name="archive_item_import_preview"),
            path(
                "import/<str:token>/confirm/",
                wrap(require_POST(self.confirm)),
                name="archive_item_import_confirm",
            ),
            path(
                "import/<str:token>/cancel/",
                wrap(require_POST(self.cancel)),
                name="archive_item_import_cancel",
            ),
        ]

    def check_permission(self, request) -> None:
        if not (
            self.model_admin.has_add_permission(request)
            and self.model_admin.has_change_permission(request)
        ):
            raise PermissionDenied

    def context(self, request, title: str, **extra) -> dict:
        return {
            **self.model_admin.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "max_megabytes": _megabytes(settings.KRONIKA_IMPORT_MAX_BYTES),
            "item_types": ItemType.values,
            **extra,
        }

    def upload(self, request):
        self.check_permission(request)
        form = ImportUploadForm(request.POST or None, request.FILES or None)
        general_errors = []
        if request.method == "POST" and form.is_valid():
            try:
                staged = StagedImport.create(form.cleaned_data["file"], request.user)
            except UploadRefused as exc:
                form.add_error("file", str(exc))
            else:
                preview = staged.preview()
                if preview["rows"] or preview["previews"]:
                    return HttpResponseRedirect(
                        reverse("admin:archive_item_import_preview", args=[staged.token])
                    )
                # Nothing readable: the file's problems belong on this form.
                staged.discard()
                general_errors = preview["errors"]
                form.add_error(
                    "file", _("The file cannot be imported; see the problems listed below.")
                )
        context = self.context(request, _("Import items"), form=form, general_errors=general_errors)
        return TemplateResponse(request, "admin/archive/item/import.html", context)

    def preview(self, request, token: str):
        self.check_permission(request)
        staged = StagedImport.load(token, request.user)
        preview = staged.stored_preview()
        show = request.GET.get("show", "all")
        if show not in FILTERS:
            show = "all"
        rows = preview["previews"]
        if show == "errors":
            rows = [r for r in rows if r["errors"]]
        elif show == "changes":
            rows = [r for r in rows if r["action"] == "create" or r["changes"]]
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        context = self.context(
            request,
            _("Import preview: %(name)s") % {"name": staged.file_name},
            staged=staged,
            preview=preview,
            page=page,
            rows=[_decorate(row) for row in page.object_list],
            show=show,
            filters=[(key, label) for key, label in FILTERS.items()],
            new_terms=[
                {"label": _field_label(column), "names": names}
                for column, names in preview["new_terms"].items()
            ],
        )
        return TemplateResponse(request, "admin/archive/item/import_preview.html", context)

    def confirm(self, request, token: str):
        self.check_permission(request)
        staged = StagedImport.load(token, request.user)
        result = staged.confirm(request.user)
        if not result.ok:
            staged.preview()  # the catalogue or the file changed: show what now stands
            messages.error(
                request,
                _("Nothing was imported: %(problems)s")
                % {"problems": " ".join(str(e) for e in result.errors[:20])},
            )
            return HttpResponseRedirect(reverse("admin:archive_item_import_preview", args=[token]))
        staged.discard()
        batch = result.batch
        messages.success(
            request,
            _(
                "Imported %(rows)d rows from %(name)s: %(created)d created, %(updated)d "
                "updated, %(images)d images."
            )
            % {
                "rows": result.rows,
                "name": staged.file_name,
                "created": result.created,
                "updated": result.updated,
                "images": result.images,
            },
        )
        return HttpResponseRedirect(batch.get_absolute_url())

    def cancel(self, request, token: str):
        self.check_permission(request)
        StagedImport.load(token, request.user).discard()
        messages.info(request, _("The import was cancelled; nothing was written."))
        return HttpResponseRedirect(reverse("admin:archive_item_changelist"))


def import_urls(model_admin) -> list:
    """URLs of the Import page, for ItemAdmin.get_urls()."""
    return ItemImportViews(model_admin).urls()


# --- batches -------------------------------------------------------------------------------


def batch_undo_view(model_admin, request, object_id: str):
    """POST: undo a batch (editors only: archive.publish_item), or say why not."""
    batch = get_object_or_404(ImportBatch, pk=object_id)
    if not (model_admin.has_view_permission(request, batch) and can_undo(request.user)):
        raise PermissionDenied
    try:
        result = undo_batch(batch, request.user)
    except UndoRefused as exc:
        messages.error(request, refusal_message(exc))
    else:
        messages.success(
            request,
            _(
                "The import was undone: %(removed)d items removed, %(restored)d items "
                "restored to their state before the import."
            )
            % {"removed": result.removed, "restored": result.restored},
        )
    return HttpResponseRedirect(batch.get_absolute_url())


def can_undo(user) -> bool:
    return user.has_perm(UNDO_PERMISSION)


def refusal_message(exc: UndoRefused) -> str:
    if not exc.changed:
        return exc.message
    shown = exc.changed[:REFUSAL_LIST_LIMIT]
    present = set(
        Item.objects.filter(pk__in=[e.item_id for e in shown]).values_list("pk", flat=True)
    )
    links = format_html_join(
        ", ",
        "{}",
        (
            (
                format_html(
                    '<a href="{}">{}</a>',
                    reverse("admin:archive_item_change", args=[e.item_id]),
                    e.identifier,
                )
                if e.item_id in present
                else format_html("{} ({})", e.identifier, _("deleted")),
            )
            for e in shown
        ),
    )
    more = len(exc.changed) - len(shown)
    if more:
        return format_html(
            "{} {} {}", exc.message, links, _("and %(count)d more.") % {"count": more}
        )
    return format_html("{} {}", exc.message, links)


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    """Import batches, read-only, each with its report and "Undo this import"."""

    list_display = [
        "created",
        "file_name",
        "user",
        "channel",
        "rows",
        "created_count",
        "updated_count",
        "images",
        "state",
    ]
    list_filter = ["state", "channel"]
    search_fields = ["file_name", "checksum", "entries__identifier"]
    date_hierarchy = "created"
    fields = [
        ("created", "user", "channel"),
        ("file_name", "checksum"),
        ("rows", "created_count", "updated_count", "images"),
        ("state", "undone_at", "undone_by"),
    ]
    readonly_fields = [name for group in fields for name in group]
    view_on_site = False  # get_absolute_url is this admin page itself
    change_form_template = "admin/archive/importbatch/change_form.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        undo = self.admin_site.admin_view(require_POST(self.undo_view))
        return [
            path("<path:object_id>/undo/", undo, name="archive_importbatch_undo"),
            *super().get_urls(),
        ]

    def undo_view(self, request, object_id):
        return batch_undo_view(self, request, object_id)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        batch = self.get_object(request, object_id)
        extra = {}
        if batch is not None:
            entries = batch.entries.order_by("pk")
            page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
            present = set(
                Item.objects.filter(pk__in=[e.item_id for e in page.object_list]).values_list(
                    "pk", flat=True
                )
            )
            extra = {
                "batch": batch,
                "entries_page": page,
                "present": present,
                "can_undo": can_undo(request.user) and not batch.is_undone,
                "new_terms": batch.report.get("new_terms", []),
            }
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})
