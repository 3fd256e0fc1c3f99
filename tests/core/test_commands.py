import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_local_admin_is_created_once_with_a_password_that_works(settings):
    settings.DEBUG = True
    first = io.StringIO()
    call_command("ensure_local_admin", stdout=first)
    password = re.search(r"with the password: (\S+)", first.getvalue()).group(1)
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser and user.check_password(password)

    second = io.StringIO()
    call_command("ensure_local_admin", stdout=second)
    assert password not in second.getvalue()
    assert "changepassword admin" in second.getvalue()
    assert get_user_model().objects.count() == 1


def test_local_admin_is_refused_outside_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only runs with DEBUG=true"):
        call_command("ensure_local_admin", stdout=io.StringIO())
    assert not get_user_model().objects.exists()
