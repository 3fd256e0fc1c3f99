import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]


def load_settings(show="s.DEBUG, s.DATABASES", **env):
    """Import the settings in a fresh process with this environment and print ``show``."""
    clean = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DEBUG", "SECRET_KEY", "DATABASE_URL", "ENV_FILE", "CACHE_URL", "REDIS_URL")
    }
    return subprocess.run(
        [sys.executable, "-c", f"import newsmuse.settings as s; print({show})"],
        cwd=PROJECT,
        env={**clean, "ENV_FILE": "", **env},
        capture_output=True,
        text=True,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = load_settings()
    assert result.returncode != 0
    assert "Set the SECRET_KEY environment variable" in result.stderr


def test_debug_runs_without_a_secret_key_on_sqlite_in_the_project_folder():
    result = load_settings(DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert "True" in result.stdout
    assert "db.sqlite3" in result.stdout
    assert "journal_mode=WAL" in result.stdout
    assert "'ENGINE': 'newsmuse.backends.sqlite3'" in result.stdout


def test_database_url_selects_postgresql():
    result = load_settings(SECRET_KEY="x", DATABASE_URL="postgres://u@127.0.0.1:5432/newsmuse")
    assert result.returncode == 0, result.stderr
    assert "django.db.backends.postgresql" in result.stdout


@pytest.mark.parametrize("value", ["ture", "yes please", "2"])
def test_a_misspelt_boolean_stops_start_up_naming_the_variable(value):
    result = load_settings(DEBUG=value)
    assert result.returncode != 0
    assert f"DEBUG='{value}' is not understood" in result.stderr


@pytest.mark.parametrize(("value", "debug"), [("TRUE", "True"), ("on", "True"), ("0", "False")])
def test_booleans_accept_the_usual_spellings(value, debug):
    result = load_settings(DEBUG=value, SECRET_KEY="x")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(debug)


def test_an_empty_database_url_means_the_default_and_a_strange_one_is_refused():
    result = load_settings(DEBUG="true", DATABASE_URL="")
    assert result.returncode == 0, result.stderr
    assert "db.sqlite3" in result.stdout
    result = load_settings(DEBUG="true", DATABASE_URL="mysql://root@localhost/newsmuse")
    assert result.returncode != 0
    assert "DATABASE_URL='mysql://root@localhost/newsmuse' is not a database" in result.stderr


def test_a_checkout_reads_its_env_file_and_the_environment_wins(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("DEBUG=true\nSECRET_KEY=from-the-file\n")
    result = load_settings(ENV_FILE=str(env_file))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("True")
    result = load_settings(ENV_FILE=str(env_file), DEBUG="false")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("False")


def test_a_redis_cache_gives_up_in_seconds_rather_than_hanging():
    result = load_settings(
        show="s.CACHES['default']", DEBUG="true", CACHE_URL="redis://127.0.0.1:6379/1"
    )
    assert result.returncode == 0, result.stderr
    assert "'socket_timeout': 2" in result.stdout and "'socket_connect_timeout': 2" in result.stdout


def test_redis_url_alone_switches_the_cache_to_redis():
    result = load_settings(
        show="s.CACHES['default']", DEBUG="true", REDIS_URL="redis://127.0.0.1:6379/2"
    )
    assert result.returncode == 0, result.stderr
    assert "RedisCache" in result.stdout and "6379/2" in result.stdout


def test_passwords_need_twelve_characters():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="at least 12 characters"):
        validate_password("short-pass1")
    validate_password("a long enough passphrase")


def test_the_page_cache_is_on_in_production_and_off_while_developing():
    assert load_settings(show="s.PAGE_CACHE_ENABLED", SECRET_KEY="x").stdout.strip() == "True"
    assert load_settings(show="s.PAGE_CACHE_ENABLED", DEBUG="true").stdout.strip() == "False"


def test_site_url_loses_its_trailing_slash_and_must_be_a_web_address():
    result = load_settings(show="s.SITE_URL", DEBUG="true", SITE_URL="https://newsmuse.example/")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "https://newsmuse.example"
    result = load_settings(show="s.SITE_URL", DEBUG="true", SITE_URL="newsmuse.example")
    assert result.returncode != 0
    assert "SITE_URL='newsmuse.example' is not a web address" in result.stderr
