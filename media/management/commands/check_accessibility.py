"""List published items whose media fall short of the accessibility rules (exit 1 if any
has an error): alt-text missing or meaningless, recordings without transcript, videos
without captions. Warnings (advice) are listed too; --strict makes them fail as well."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from media.accessibility import published_report


class Command(BaseCommand):
    help = gettext_lazy(
        "List every published item whose images, recordings or videos fall short (missing "
        "or meaningless alt-text, no transcript, no captions), with the reason. Exits 1 if "
        "any error is found (with --strict, also for warnings)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--strict", action="store_true", help=_("exit 1 for warnings as well as errors")
        )
        parser.add_argument(
            "--errors-only", action="store_true", help=_("list errors only, not warnings")
        )

    def handle(self, *args, strict, errors_only, **options):
        report = published_report(include_warnings=not errors_only)
        errors = warnings = 0
        for item, problems in report:
            for problem in problems:
                label = _("error") if problem.is_error else _("warning")
                self.stdout.write(
                    f"{item.identifier}\t{problem.media.display_name}\t{label}\t{problem.message}"
                )
                if problem.is_error:
                    errors += 1
                else:
                    warnings += 1
        summary = ngettext(
            "%(items)d published item falls short: %(errors)d errors, %(warnings)d warnings.",
            "%(items)d published items fall short: %(errors)d errors, %(warnings)d warnings.",
            len(report),
        ) % {"items": len(report), "errors": errors, "warnings": warnings}
        if errors or (strict and warnings):
            raise CommandError(summary, returncode=1)
        if report:
            self.stdout.write(summary)
        else:
            self.stdout.write(_("Every published item's media is accessible."))
