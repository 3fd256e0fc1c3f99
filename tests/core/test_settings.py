import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]


def load_settings(**env):
    clean = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DEBUG", "SECRET_KEY", "DATABASE_URL")
    }
    return subprocess.run(
        [sys.executable, "-c", "import newsmuse.settings as s; print(s.DEBUG, s.DATABASES)"],
        cwd=PROJECT,
        env={**clean, **env},
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


def test_database_url_selects_postgresql():
    result = load_settings(SECRET_KEY="x", DATABASE_URL="postgres://u@127.0.0.1:5432/newsmuse")
    assert result.returncode == 0, result.stderr
    assert "django.db.backends.postgresql" in result.stdout
