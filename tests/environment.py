"""Loaded by pytest before Django is configured (see `addopts` in pyproject.toml).

The test run gets a throwaway secret key and its own media folder so that running the
suite never touches a developer's uploads; Django serves those files to the browser tests.
"""

import os
import tempfile

# A developer's .env (see the README) never reaches the tests.
os.environ.setdefault("ENV_FILE", "")
os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret")
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="newsmuse-test-media-"))
os.environ.setdefault("SERVE_MEDIA", "true")
# Production settings, except that the test client and the live server speak plain http and
# nothing runs collectstatic (tests/core/test_production.py checks the real defaults).
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("STATIC_MANIFEST", "false")
