"""Write the whole site's content to a folder (format: features.transfer)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from features import transfer
from newsmuse.management.progress import Progress, Stopped, stop_cleanly


class Command(BaseCommand):
    help = (
        "Write every series, person, film, image (with its original file) and feature (with "
        "its history) to DIR as one JSON file per record. An earlier export in DIR is "
        "replaced once the new one is complete."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, metavar="DIR")
        parser.add_argument("--quiet", action="store_true", help="Print nothing unless it fails.")

    def handle(self, directory: Path, quiet: bool, **options):
        progress = Progress(self.stdout, quiet=quiet)
        try:
            with stop_cleanly():
                counts = transfer.export_site(directory, progress=progress)
        except transfer.TransferError as error:
            raise CommandError(str(error)) from None
        except (Stopped, KeyboardInterrupt):
            raise CommandError("Interrupted; no export was written.") from None
        if not quiet:
            summary = ", ".join(f"{count} {folder}" for folder, count in counts.items())
            self.stdout.write(self.style.SUCCESS(f"Exported {summary} to {directory}."))
