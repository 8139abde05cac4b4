"""The Content-Security-Policy in a real browser: nothing the site needs is blocked."""

import pytest
from django.contrib.auth.models import User

from reviews.models import Snapshot

from .conftest import PASSWORD
from .pages import screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

#: Records every violation the page reports, from before its first script.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    window.__violations.push(
        `${event.effectiveDirective} blocked ${event.blockedURI || "inline"}`
        + ` (${event.sample})`
    );
});
"""


@pytest.fixture
def tab(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    page.console_violations = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text
            and page.console_violations.append(message.text)
        ),
    )
    page.site = live_server.url
    yield page
    context.close()


def violations(page):
    return page.evaluate("window.__violations") + page.console_violations


def visit(page, path):
    response = page.goto(page.site + path)
    page.wait_for_load_state("load")
    assert response.status == 200, path
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    return violations(page)


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_public_page_has_no_violation(seed, tab, language):
    """Styles, fonts, charts and the timeline all load under the policy."""
    assert visit(tab, f"/{language}/") == []
    # The timeline's bars are placed by the hashed style attributes.
    bar = tab.locator(".gantt-bar").first
    assert bar.bounding_box()["width"] > 0
    screenshot(tab, f"csp-public-{language}")


def test_the_admin_has_no_violation(seed, tab):
    """Signing in and opening the editors' pages, scripts and tabs included."""
    User.objects.create_superuser("boss", password=PASSWORD)
    tab.goto(tab.site + "/admin/login/")
    tab.fill("#id_username", "boss")
    tab.fill("#id_password", PASSWORD)
    tab.click("input[type=submit]")
    tab.wait_for_url("**/admin/")
    snapshot = Snapshot.objects.get()
    for path in (
        "/admin/",
        f"/admin/reviews/snapshot/{snapshot.pk}/change/",
        "/admin/reviews/timelineevent/add/",
        "/admin/reviews/conclusion/",
        "/admin/reviews/conclusion/import/",
        "/admin/reviews/conclusion/export/",
        "/admin/axes/accessattempt/",
    ):
        assert visit(tab, path) == [], path
    # The language switch is shown by the admin's own script.
    tab.goto(tab.site + f"/admin/reviews/snapshot/{snapshot.pk}/change/")
    assert tab.locator(".language-switch").is_visible()
    screenshot(tab, "csp-admin-snapshot")
