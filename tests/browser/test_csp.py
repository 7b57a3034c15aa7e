"""No page, ours or the admin's, breaks the Content-Security-Policy in Chromium (see docs/security.md)."""

PAGES = [
    ("vendoradmin", "/admin/"),
    ("vendoradmin", "/admin/vendors/vendor/"),
    ("vendoradmin", "/admin/vendors/vendor/add/"),
    ("vendoradmin", "/admin/vendors/vendor/{vendor}/change/"),
    ("vendoradmin", "/admin/vendors/vendor/{vendor}/history/"),
    ("vendoradmin", "/admin/vendors/quote/"),
    ("analyst", "/"),
    ("analyst", "/vendors/"),
    ("analyst", "/vendors/{vendor}/"),
    ("analyst", "/vendors/{vendor}/history/"),
    ("analyst", "/evaluations/"),
    ("analyst", "/evaluations/{evaluation}/"),
    ("analyst", "/evaluations/{evaluation}/ranking/"),
    ("analyst", "/evaluations/{evaluation}/scores/"),
    ("analyst", "/evaluations/{evaluation}/compare/"),
    ("analyst", "/evaluations/{evaluation}/history/"),
]


def test_no_page_breaks_the_content_security_policy_in_chromium(page, demo_data, log_in):
    from scoring.models import Evaluation
    from vendors.models import Vendor

    ids = {
        "vendor": Vendor.objects.order_by("pk").first().pk,
        "evaluation": Evaluation.objects.filter(status="draft").first().pk,
    }
    violations = []
    page.on(
        "console",
        lambda m: (
            violations.append((page.url, m.text)) if "Content Security Policy" in m.text else None
        ),
    )
    visited = []
    for username in ("vendoradmin", "analyst"):
        page.context.clear_cookies()
        log_in(username)
        for who, url in PAGES:
            if who == username:
                response = page.goto(url.format(**ids))
                page.wait_for_load_state("networkidle")
                visited.append((url, response.status))

    assert violations == []
    assert all(status in (200, 404) for _url, status in visited), visited
