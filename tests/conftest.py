import os

import pytest


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """SQLite tests run on a database file, as the site does, rather than in memory.

    An in-memory database is one connection, which the live server would share between its
    request threads and the test: two requests at once (an autosave beside an upload, a
    rendition made after a response) then run on the same connection and its transaction,
    and can deadlock. With a file each thread has its own connection, and writers take
    turns as in production.
    """
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "newsmuse.backends.sqlite3":
        database.setdefault("TEST", {})["NAME"] = str(
            tmp_path_factory.mktemp("database") / "newsmuse-tests.sqlite3"
        )


@pytest.fixture
def superuser_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@example.com", "pw")
    client.force_login(user)
    return client


@pytest.fixture
def roles(db):
    from django.core.management import call_command

    call_command("setup_roles", stdout=open(os.devnull, "w"))  # noqa: SIM115


def _member(django_user_model, username, group):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(username, password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def contributor(roles, django_user_model):
    return _member(django_user_model, "contributor", "Contributor")


@pytest.fixture
def editor(roles, django_user_model):
    return _member(django_user_model, "desk-editor", "Editor")


@pytest.fixture(autouse=True)
def empty_caches():
    """Each test starts with empty caches: pages cached by an earlier test, under a content
    version that its rolled-back transaction gave back, must not leak into the next one."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
