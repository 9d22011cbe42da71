"""Delete rejected contributions older than KRONIKA_CONTRIBUTIONS_REJECTED_DAYS (RODO:
data is kept no longer than needed). Run daily (deploy/systemd/kronika-maintenance)."""

from django.core.management.base import BaseCommand

from contributions.models import Contribution


class Command(BaseCommand):
    help = "Delete rejected contributions (with their photos) kept longer than allowed."

    def handle(self, *args, **options):
        expired = Contribution.objects.expired_rejections()
        count = 0
        for contribution in expired.iterator():
            contribution.delete()  # one by one: each takes its photo along
            count += 1
        if options["verbosity"]:
            self.stdout.write(f"Deleted {count} rejected contribution(s).")
