from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from features.models import Autosave


class Command(BaseCommand):
    help = (
        "Delete the feature form's autosaved copies that nobody has touched for a while "
        "(30 days unless --days says otherwise). Run it daily; saved pieces are untouched."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=30, help="Keep copies touched within this many days."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be deleted; delete nothing."
        )

    def handle(self, *args, days, dry_run, **options):
        if not 1 <= days <= 36500:
            raise CommandError("--days must be between 1 and 36500.")
        old = Autosave.objects.filter(saved_at__lt=timezone.now() - timedelta(days=days))
        count = old.count() if dry_run else old.delete()[0]
        verb = "would be deleted" if dry_run else "deleted"
        self.stdout.write(f"{count} autosaved copy(ies) older than {days} days {verb}.")
