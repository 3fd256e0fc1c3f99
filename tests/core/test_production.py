"""The production profile: `check --deploy` is clean, every response carries the security
headers, static files are hashed and compressed, and logs are JSON lines."""

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, override_settings
from django.urls import path

from newsmuse.logs import JSONFormatter
from tests.factories import FeatureFactory

PROJECT = Path(__file__).resolve().parents[2]

# The README's production environment (its "Production" section).
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "kP3v9Qx_2mLr7TnZ0wYc4HfJ8sDbE1uGaV6oNiRtXyKqW5lMhBzCjU-eSdF0gA",
    "ALLOWED_HOSTS": "newsmuse.example",
    "DATABASE_URL": "postgres://newsmuse@127.0.0.1:5432/newsmuse",
    "CACHE_URL": "redis://127.0.0.1:6379/1",
    "BEHIND_TLS_PROXY": "true",
    "TRUSTED_PROXIES": "1",
    "SECURE_HSTS_PRELOAD": "true",
}


def run(*args, **env):
    """Python in the project folder with only these settings in its environment: none of
    the test run's (plain http, no collectstatic) and no .env."""
    return subprocess.run(
        [sys.executable, *args],
        cwd=PROJECT,
        env={"PATH": os.environ["PATH"], "ENV_FILE": "", **env},
        capture_output=True,
        text=True,
    )


def check_deploy(**env):
    return run("manage.py", "check", "--deploy", "--fail-level", "WARNING", **env)


def test_check_deploy_passes_with_the_production_environment():
    result = check_deploy(**PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("switch", "warnings"),
    [
        ({"SECURE_HSTS_SECONDS": "0"}, ["security.W004"]),
        ({"SECURE_SSL_REDIRECT": "false"}, ["security.W008"]),
        ({"SECURE_COOKIES": "false"}, ["security.W012", "security.W016"]),
        ({"SECURE_HSTS_PRELOAD": "false"}, ["security.W021"]),
    ],
)
def test_check_deploy_fails_when_a_protection_is_switched_off(switch, warnings):
    result = check_deploy(**{**PRODUCTION, **switch})
    assert result.returncode != 0
    for warning in warnings:
        assert warning in result.stderr


def production_settings(**env):
    names = [
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "CSRF_COOKIE_HTTPONLY",
        "SECURE_PROXY_SSL_HEADER",
        "STORAGES",
    ]
    result = run(
        "-c",
        "import json, newsmuse.settings as s; "
        f"print(json.dumps({{name: getattr(s, name, None) for name in {names!r}}}))",
        **env,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_without_debug_the_defaults_are_https_only():
    values = production_settings(DEBUG="false", SECRET_KEY="x")
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] == 31_536_000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_HSTS_PRELOAD"] is False
    for cookie in ("SESSION", "CSRF"):
        assert values[f"{cookie}_COOKIE_SECURE"] is True
        assert values[f"{cookie}_COOKIE_HTTPONLY"] is True
    # X-Forwarded-Proto is trusted only when a proxy is said to set it.
    assert values["SECURE_PROXY_SSL_HEADER"] is None
    assert values["STORAGES"]["staticfiles"]["BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )


def test_debug_and_the_loopback_switches_turn_https_off():
    for env in (
        {"DEBUG": "true"},
        {"DEBUG": "false", "SECURE_SSL_REDIRECT": "off", "SECURE_COOKIES": "no"},
    ):
        values = production_settings(SECRET_KEY="x", **env)
        assert values["SECURE_SSL_REDIRECT"] is False
        assert values["SESSION_COOKIE_SECURE"] is values["CSRF_COOKIE_SECURE"] is False


def test_behind_a_tls_proxy_its_forwarded_proto_is_trusted():
    values = production_settings(DEBUG="false", SECRET_KEY="x", BEHIND_TLS_PROXY="true")
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


@pytest.mark.parametrize("variable", ["SECURE_SSL_REDIRECT", "SECURE_COOKIES", "BEHIND_TLS_PROXY"])
def test_a_misspelt_switch_stops_start_up(variable):
    result = run(
        "-c", "import newsmuse.settings", DEBUG="false", SECRET_KEY="x", **{variable: "of"}
    )
    assert result.returncode != 0
    assert f"{variable}='of' is not understood" in result.stderr


def test_static_files_are_collected_hashed_and_compressed_and_cached_for_good(tmp_path):
    script = """
import json
import django
from django.core.management import call_command
from django.templatetags.static import static
from django.test import Client

django.setup()
call_command("collectstatic", interactive=False, verbosity=0)
url = static("newsmuse/site.css")
response = Client().get(url, secure=True, HTTP_ACCEPT_ENCODING="gzip")
print(json.dumps({"url": url, "status": response.status_code, **response.headers}))
"""
    result = run(
        "-c",
        script,
        DJANGO_SETTINGS_MODULE="newsmuse.settings",
        DEBUG="false",
        SECRET_KEY="x",
        ALLOWED_HOSTS="testserver",
        STATIC_ROOT=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.splitlines()[-1])
    hashed = answer["url"].removeprefix("/static/")
    assert hashed.startswith("newsmuse/site.") and hashed != "newsmuse/site.css"
    assert (tmp_path / f"{hashed}.gz").exists()
    assert answer["status"] == 200
    assert answer["Content-Encoding"] == "gzip"
    assert answer["Cache-Control"] == "max-age=315360000, public, immutable"
    assert answer["X-Content-Type-Options"] == "nosniff"


# Headers


def fail(request):
    raise RuntimeError("the view broke")


# The URLs of the tests marked with pytest.mark.urls(__name__).
urlpatterns = [path("fail/", fail)]


def policy(response) -> dict[str, list[str]]:
    directives = (part.split() for part in response["Content-Security-Policy"].split(";"))
    return {name: sources for name, *sources in directives}


def assert_protected(response):
    csp = policy(response)
    assert csp["default-src"] == ["'self'"]
    assert "script-src" not in csp  # so scripts fall back to default-src: no inline ones
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    for feature in ("camera", "microphone", "geolocation", "payment"):
        assert f"{feature}=()" in response["Permissions-Policy"]
    return csp


@pytest.mark.django_db
def test_public_pages_carry_the_security_headers_when_served_from_the_cache_too(client):
    feature = FeatureFactory()
    first = client.get(feature.get_absolute_url())
    cached = client.get(feature.get_absolute_url())
    assert first.status_code == cached.status_code == 200
    for response in (first, cached):
        csp = assert_protected(response)
        assert "style-src" not in csp  # no inline styles on public pages either


@pytest.mark.django_db
def test_admin_pages_carry_the_security_headers_and_allow_inline_styles_only(superuser_client):
    for response in (Client().get("/admin/login/"), superuser_client.get("/admin/")):
        assert response.status_code == 200
        csp = assert_protected(response)
        assert csp["style-src"] == ["'self'", "'unsafe-inline'"]
        assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_error_pages_carry_the_security_headers_and_may_use_their_inline_styles():
    response = Client(raise_request_exception=False).get("/fail/")
    assert response.status_code == 500
    csp = assert_protected(response)
    assert csp["style-src"] == ["'self'", "'unsafe-inline'"]


@pytest.mark.django_db
def test_no_admin_answer_is_kept_by_a_shared_cache(superuser_client):
    """Django's admin views send no-store; its JavaScript catalogue and the redirects of
    signed-out requests would go out with no Cache-Control at all."""
    signed_out = Client().get("/admin/jsi18n/")
    assert signed_out.status_code == 302
    for response in (signed_out, superuser_client.get("/admin/jsi18n/")):
        assert "private" in response["Cache-Control"]
        assert "public" not in response["Cache-Control"]


@pytest.mark.django_db
def test_https_requests_get_hsts(client):
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


@pytest.mark.django_db
@override_settings(SECURE_SSL_REDIRECT=True)
def test_plain_http_is_redirected_except_the_health_check(client):
    response = client.get("/features/some-piece/?page=2")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/features/some-piece/?page=2"
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
def test_uploads_are_served_with_their_type_and_never_sniffed(client, settings):
    folder = Path(settings.MEDIA_ROOT) / "renditions" / "test"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "hero.webp").write_bytes(b"RIFF\0\0\0\0WEBPVP8 ")
    response = client.get(f"{settings.MEDIA_URL}renditions/test/hero.webp")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert response["X-Content-Type-Options"] == "nosniff"


# Logs


@pytest.fixture
def log_lines():
    """What the JSON handler settings.LOGGING installs writes, parsed line by line."""
    handler = next(
        handler
        for handler in logging.getLogger().handlers
        if isinstance(handler.formatter, JSONFormatter)
    )
    written = io.StringIO()
    stream = handler.setStream(written)
    yield lambda: [json.loads(line) for line in written.getvalue().splitlines()]
    handler.setStream(stream)


@pytest.mark.django_db
def test_a_request_writes_one_json_line(client, log_lines):
    response = client.get("/")
    assert response.status_code == 200
    [line] = log_lines()
    assert line["logger"] == "newsmuse.requests"
    assert line["level"] == "INFO"
    assert line["method"] == "GET"
    assert line["path"] == "/"
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float)
    assert line["user_id"] is None


@pytest.mark.django_db
def test_the_request_line_names_the_signed_in_user(superuser_client, django_user_model, log_lines):
    superuser_client.get("/admin/")
    [line] = log_lines()
    assert line["user_id"] == django_user_model.objects.get().pk


@pytest.mark.django_db
def test_request_lines_hold_no_query_string_token_password_or_cookie(client, log_lines):
    client.cookies["sessionid"] = "cookie-secret"
    client.get("/preview/share-secret/?token=query-secret&page=2")
    client.post("/admin/login/", {"username": "someone", "password": "password-secret"})
    requests = [line for line in log_lines() if line["logger"] == "newsmuse.requests"]
    assert [line["path"] for line in requests] == ["/preview/[redacted]/", "/admin/login/"]
    written = json.dumps(log_lines())
    for secret in ("cookie-secret", "share-secret", "query-secret", "password-secret"):
        assert secret not in written


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_an_unhandled_error_writes_a_json_line_with_its_traceback(log_lines):
    response = Client(raise_request_exception=False).get("/fail/?token=query-secret")
    assert response.status_code == 500
    error, request = log_lines()
    assert error["level"] == "ERROR"
    assert error["logger"] == "django.request"
    assert error["message"] == "Internal Server Error: /fail/"
    assert "Traceback (most recent call last)" in error["traceback"]
    assert 'raise RuntimeError("the view broke")' in error["traceback"]
    assert error["traceback"].endswith("RuntimeError: the view broke")
    assert request["status"] == 500
    assert "query-secret" not in json.dumps([error, request])
