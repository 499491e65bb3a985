"""The ``page`` fixture's watcher sees what it must fail a test for (each test here empties it after looking)."""


def test_a_console_error_a_failed_subresource_and_another_host_are_each_reported(page, db):
    page.goto("/api/v4/")
    page.evaluate("""() => {
        console.error("boom");
        const img = document.createElement("img"); img.src = "/static/no-such-file.png"; document.body.append(img);
        const other = document.createElement("img"); other.src = "https://example.org/x.png"; document.body.append(other);
    }""")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(200)
    reported = "\n".join(page.problems)
    assert "console error: boom" in reported
    assert "subresource answered 404: GET " in reported and "/static/no-such-file.png" in reported
    assert "request to another host: GET https://example.org/x.png" in reported
    page.problems.clear()
