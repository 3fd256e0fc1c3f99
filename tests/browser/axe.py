"""axe-core in the browser tests: the vendored copy (see vendor/axe-core/README.md), injected
into the page under test."""

from pathlib import Path

import pytest

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
# Impacts a page may not have; moderate and minor findings are left to `make audit`'s notes.
BLOCKING = ("serious", "critical")
# A phone's width and a desktop's: some parts of a page only show at one of them.
WIDTHS = (375, 1280)


def serious_violations(page) -> list[str]:
    """Each serious or critical axe-core violation on the page at both widths, as
    "<rule> at <width>px: <elements>", so that a failing test names what to fix."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: the browser tests need it (see its README).")
    viewport = page.viewport_size
    found = []
    try:
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": viewport["height"]})
            if not page.evaluate("typeof window.axe !== 'undefined'"):
                # Evaluated through the devtools protocol: the site's Content-Security-Policy
                # rightly refuses an inline script tag.
                page.evaluate(AXE.read_text())
            result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
            found += [
                f"{violation['id']} at {width}px: "
                + ", ".join(" ".join(node["target"]) for node in violation["nodes"])
                for violation in result["violations"]
                if violation["impact"] in BLOCKING
            ]
    finally:
        page.set_viewport_size(viewport)
    return found
