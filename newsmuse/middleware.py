"""The response headers Django's own middleware does not set."""

from csp.constants import SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import patch_cache_control


def in_admin(request: HttpRequest) -> bool:
    match = request.resolver_match
    return match is not None and match.app_name == "admin"


class SecurityHeadersMiddleware(CSPMiddleware):
    """django-csp's Content-Security-Policy (settings.CONTENT_SECURITY_POLICY), the
    Permissions-Policy, and the admin kept out of shared caches.

    Sits below the page cache: a cached page keeps the headers it was made with, and a hit
    costs no policy building.
    """

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        response = super().process_response(request, response)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if in_admin(request):
            # Django's admin views send no-store already; its JavaScript catalogue and the
            # redirects of signed-out requests send nothing.
            patch_cache_control(response, private=True)
        return response

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if in_admin(request) or response.status_code >= 500:
            # Django's admin templates and ours put style attributes and <style> blocks in
            # the admin; the error pages (newsmuse.errors) carry their styles inline, so that
            # they show whatever failed.
            parts.replace = {**(parts.replace or {}), "style-src": [SELF, UNSAFE_INLINE]}
        return parts
