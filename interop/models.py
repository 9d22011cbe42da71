"""What OAI-PMH harvesters need beyond the catalogue itself: tombstones of withdrawn items."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DeletedRecord(models.Model):
    """An item that harvesters once saw and that is now unpublished or deleted.

    The repository declares `deletedRecord=persistent`, so harvesters learn of withdrawals
    through these rows (header status="deleted") for as long as the record stays gone.
    A republished item drops its tombstone.
    """

    identifier = models.CharField(_("identifier"), max_length=64, unique=True)
    datestamp = models.DateTimeField(_("withdrawn at"))
    # The record's setSpecs when it was withdrawn, one per line with a newline at each end,
    # so "in set S or below it" is a substring test and outlives deleted collections.
    set_specs = models.TextField(_("set specs"), blank=True, default="\n")

    class Meta:
        verbose_name = _("deleted OAI-PMH record")
        verbose_name_plural = _("deleted OAI-PMH records")
        indexes = [models.Index(fields=["datestamp", "id"], name="interop_deleted_keyset")]

    def __str__(self) -> str:
        return self.identifier

    @property
    def set_spec_list(self) -> list[str]:
        return [spec for spec in self.set_specs.split("\n") if spec]
