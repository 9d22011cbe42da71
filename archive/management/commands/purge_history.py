"""`manage.py purge_history [--dry-run]`: forget records deleted longer ago than the restore
period."""

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from archive import audit, versions
from archive.audit import RecordedCommand


class Command(RecordedCommand):
    help = _(
        "Remove every version of the records deleted more than KRONIKA_RESTORE_DAYS days ago: "
        "they can no longer be restored. The history of records that exist is kept."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help=_("count the versions, remove nothing")
        )

    @transaction.atomic
    def handle(self, *args, dry_run, verbosity, **options):
        cutoff = versions.restore_cutoff()
        total = 0
        for model in audit.versioned_models():
            history = model.history.model
            key = model._meta.pk.attname
            gone = (
                history.objects.filter(history_type="-", history_date__lt=cutoff)
                .exclude(**{f"{key}__in": model._default_manager.values("pk")})
                .values(key)
            )
            doomed = history.objects.filter(**{f"{key}__in": gone})
            total += doomed.count() if dry_run else doomed.delete()[0]
        if verbosity:
            message = (
                _("%(count)d versions of records deleted more than %(days)d days ago.")
                if dry_run
                else _("Removed %(count)d versions of records deleted more than %(days)d days ago.")
            )
            self.stdout.write(message % {"count": total, "days": settings.KRONIKA_RESTORE_DAYS})
