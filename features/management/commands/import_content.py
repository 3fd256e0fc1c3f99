"""Load a folder written by export_content (format: features.transfer)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from features import transfer
from newsmuse.management.progress import Progress, Stopped, stop_cleanly


class Command(BaseCommand):
    help = (
        "Load an export made by export_content: create what is missing, update what differs "
        "(matching by slug; images by file name) and leave the rest. One transaction: any "
        "problem, listed with its file, line and field, and nothing is changed."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, metavar="DIR")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check everything, report, change nothing."
        )
        parser.add_argument("--quiet", action="store_true", help="Print nothing unless it fails.")

    def handle(self, directory: Path, dry_run: bool, quiet: bool, **options):
        progress = Progress(self.stdout, quiet=quiet)
        try:
            with stop_cleanly():
                report = transfer.import_site(directory, dry_run=dry_run, progress=progress)
        except transfer.TransferError as error:
            raise CommandError(
                f"Nothing was imported; fix these and run it again:\n{error}"
            ) from None
        except (Stopped, KeyboardInterrupt):
            raise CommandError("Interrupted; nothing was changed.") from None
        if quiet:
            return
        if dry_run:
            self.stdout.write("Dry run: nothing was changed. The import would do this:")
        for outcome in ("created", "updated"):
            for name in getattr(report, outcome):
                self.stdout.write(f"  {outcome:<9} {name}")
        for username in report.accounts:
            self.stdout.write(f"  account   {username} (inactive, for the history it appears in)")
        verb = "would create" if dry_run else "created"
        self.stdout.write(
            self.style.SUCCESS(
                f"{'Checked' if dry_run else 'Imported'} {directory}: {verb} "
                f"{len(report.created)}, {'would update' if dry_run else 'updated'} "
                f"{len(report.updated)}, left {len(report.unchanged)} unchanged."
            )
        )
