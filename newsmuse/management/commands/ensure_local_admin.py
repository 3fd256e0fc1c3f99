import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Make sure a local superuser exists for development. Prints the password once, "
        "when it creates the account. Refuses to run unless DEBUG is on."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username, **options):
        if not settings.DEBUG:
            raise CommandError(
                "ensure_local_admin only runs with DEBUG=true; "
                "use `manage.py createsuperuser` on a real site."
            )
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            self.stdout.write(
                f"Admin account “{username}” exists. Forgot the password? "
                f"Run: python manage.py changepassword {username}"
            )
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, email="", password=password)
        self.stdout.write(
            self.style.SUCCESS(
                f"Created the local admin account.\n"
                f"  Log in at /admin/ as “{username}” "
                f"with the password: {password}\n"
                f"  It is shown only this once."
            )
        )
