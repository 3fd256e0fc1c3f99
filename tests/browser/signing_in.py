"""Signing in to the admin in Chromium, as the browser tests' users do."""

PASSWORD = "a-long-password"


def sign_in(page, live_server, username, next_path="/admin/"):
    """Sign ``username`` in on ``page`` (whose cookies it replaces) and wait for ``next_path``."""
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/admin/login/?next={next_path}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}{next_path}")
