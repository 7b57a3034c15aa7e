"""An analyst creates an API token on the tokens page, uses it from outside the browser, reads
the API docs (Swagger UI from static files, under the CSP), and revokes the token."""

from playwright.sync_api import expect


def test_analyst_creates_uses_and_revokes_a_token_and_reads_the_docs(
    page, demo_data, log_in, live_server
):
    violations = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    log_in("analyst")
    page.get_by_role("link", name="API tokens").click()
    page.get_by_label("Token name").fill("Spreadsheet sync")
    page.get_by_role("button", name="Create token").click()
    secret = page.get_by_label("Your new token").input_value()

    # A separate context: no session cookie, the token is the only credential sent.
    api = page.context.browser.new_context(base_url=live_server.url).request
    listed = api.get("/api/v1/vendors/", headers={"Authorization": f"Bearer {secret}"})
    assert listed.status == 200 and listed.json()["results"]

    page.get_by_role("link", name="BPO Select API").click()
    expect(page.locator(".opblock-tag", has_text="vendors").first).to_be_visible()
    page.get_by_role("link", name="Your API tokens").click()  # the secret is not shown again
    expect(page.get_by_label("Your new token")).to_have_count(0)
    expect(page.get_by_role("cell", name="Spreadsheet sync", exact=True)).to_be_visible()
    page.get_by_role("button", name="Revoke Spreadsheet sync").click()
    expect(page.get_by_text("revoked: it no longer works")).to_be_visible()
    refused = api.get("/api/v1/vendors/", headers={"Authorization": f"Bearer {secret}"})

    assert refused.status == 401
    assert violations == []
