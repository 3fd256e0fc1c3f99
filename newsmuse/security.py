"""Who is knocking: the client address that sign-in throttling counts by."""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client's address. Behind TRUSTED_PROXIES proxies (nginx, a load balancer) it is
    the address the outermost of them saw, read from X-Forwarded-For; entries further left
    are whatever the client claimed and are never trusted."""
    if settings.TRUSTED_PROXIES:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= settings.TRUSTED_PROXIES:
            return hops[-settings.TRUSTED_PROXIES]
    return request.META.get("REMOTE_ADDR", "")
