from django.core.management.base import BaseCommand

from newsmuse import uploads


class Command(BaseCommand):
    help = (
        "Delete the uploads kept after refused image saves that nobody came back for "
        f"within {uploads.MAX_AGE.days} day (their tokens have expired). Run it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be deleted; delete nothing."
        )

    def handle(self, *args, dry_run, **options):
        abandoned = uploads.abandoned()
        for stored_name in abandoned:
            if not dry_run:
                uploads.forget(stored_name)
            if options["verbosity"] > 1:
                self.stdout.write(stored_name)
        verb = "would be deleted" if dry_run else "deleted"
        self.stdout.write(f"{len(abandoned)} abandoned upload(s) {verb}.")
