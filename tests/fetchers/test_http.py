"""The shared HTTP setup: headers, tokens, conditional requests, redirects, retries, rate limits, errors."""
import time

import pytest
import requests
from responses import matchers

from fetchers.http import client as http
from fetchers.http.errors import BadResponse, FetchError, HttpError, NotFound, RateLimited
from fetchers.http.client import Api, HttpClient
from fetchers.models import StoredResponse

from .helpers import answer

pytestmark = pytest.mark.django_db
URL = "https://api.example.org/things/1"


def test_every_request_names_the_project_and_has_timeouts(rsps, settings):
    settings.FETCH_CONNECT_TIMEOUT, settings.FETCH_READ_TIMEOUT = 2.0, 7.0
    answer(rsps, URL, {"a": 1})
    HttpClient().get_json(URL)
    request = rsps.calls[0].request
    assert request.headers["User-Agent"].startswith("djpackages/")
    timeout = request.req_kwargs["timeout"]
    assert (timeout.connect_timeout, timeout.read_timeout) == (2.0, 7.0)


def test_a_token_goes_only_to_its_own_api():
    api = Api("https://api.github.com", "secret")
    assert api.auth_headers("https://api.github.com/repos/a/b") == {"Authorization": "Bearer secret"}
    assert api.auth_headers("https://API.GITHUB.COM/repos/a/b") == {"Authorization": "Bearer secret"}
    assert api.auth_headers("https://evil.example.org/repos/a/b") == {}
    assert api.auth_headers("http://api.github.com/repos/a/b") == {}
    assert Api("https://api.github.com").auth_headers("https://api.github.com/x") == {}


def test_the_token_is_sent_with_the_request(rsps):
    answer(rsps, URL, {}, match=[matchers.header_matcher({"Authorization": "token t0k"})])
    HttpClient().get_json(URL, api=Api("https://api.example.org", "t0k", scheme="token"))


def test_it_stores_the_etag_and_answers_a_304_from_the_stored_body(rsps):
    answer(rsps, URL, {"stars": 5}, headers={"ETag": 'W/"abc"', "Link": '<https://api.example.org/things/1?page=2>; rel="next"'})
    client = HttpClient()
    assert client.get_json(URL).data == {"stars": 5}
    assert StoredResponse.objects.get(url=URL).etag == 'W/"abc"'
    rsps.reset()
    answer(rsps, URL, status=304, match=[matchers.header_matcher({"If-None-Match": 'W/"abc"'})])
    again = client.get_json(URL)
    assert (again.data, again.not_modified, again.links["next"]) == ({"stars": 5}, True, "https://api.example.org/things/1?page=2")
    assert (client.calls, client.not_modified) == (2, 1)


def test_it_sends_last_modified_back_too(rsps):
    answer(rsps, URL, [1], headers={"Last-Modified": "Sat, 13 Jan 2024 02:47:35 GMT"})
    HttpClient().get_json(URL)
    rsps.reset()
    answer(rsps, URL, status=304, match=[matchers.header_matcher({"If-Modified-Since": "Sat, 13 Jan 2024 02:47:35 GMT"})])
    assert HttpClient().get_json(URL).data == [1]


def test_an_answer_without_validators_is_not_stored(rsps):
    answer(rsps, URL, {"a": 1})
    HttpClient().get_json(URL)
    assert not StoredResponse.objects.exists()


def test_it_follows_redirects_and_reports_the_final_url(rsps):
    moved = "https://api.example.org/things/2"
    answer(rsps, URL, status=301, headers={"Location": moved})
    answer(rsps, moved, {"id": 2})
    response = HttpClient().get_json(URL)
    assert (response.data, response.url, response.redirected) == ({"id": 2}, moved, True)


def test_it_retries_a_5xx_and_then_reports_it(rsps):
    answer(rsps, URL, status=502, text="bad gateway")
    with pytest.raises(HttpError, match="HTTP 502") as error:
        HttpClient().get_json(URL)
    assert len(rsps.calls) == 1 + http.RETRIES
    assert error.value.transient


def test_a_retried_5xx_that_recovers_is_a_success(rsps):
    answer(rsps, URL, status=503, text="busy")
    answer(rsps, URL, {"ok": True})
    assert HttpClient().get_json(URL).data == {"ok": True}


def test_a_404_is_not_found_and_not_transient(rsps):
    answer(rsps, URL, {"message": "Not Found"}, status=404)
    with pytest.raises(NotFound) as error:
        HttpClient().get_json(URL)
    assert not error.value.transient


@pytest.mark.parametrize("text", ['{"stars": 5', "<html>Bad gateway</html>", ""])
def test_truncated_or_non_json_bodies_are_bad_responses(rsps, text):
    answer(rsps, URL, text=text)
    with pytest.raises(BadResponse, match="malformed JSON"):
        HttpClient().get_json(URL)


@pytest.mark.parametrize("exception", [requests.ConnectTimeout(), requests.ReadTimeout()])
def test_timeouts_are_fetch_errors(rsps, exception):
    rsps.add("GET", URL, body=exception)
    with pytest.raises(FetchError, match="timeout"):
        HttpClient().get_json(URL)


def test_connection_errors_are_fetch_errors(rsps):
    rsps.add("GET", URL, body=requests.ConnectionError("refused"))
    with pytest.raises(FetchError, match="connection error"):
        HttpClient().get_json(URL)


def test_a_429_blocks_the_host_until_retry_after(rsps):
    answer(rsps, URL, {}, status=429, headers={"Retry-After": "120"})
    before = time.time()
    with pytest.raises(RateLimited) as error:
        HttpClient().get_json(URL)
    assert 119 <= error.value.until.timestamp() - before <= 121
    with pytest.raises(RateLimited):  # blocked: not even sent
        HttpClient().get_json("https://api.example.org/other")
    assert len(rsps.calls) == 1


def test_a_403_with_no_calls_remaining_blocks_until_the_reset_time(rsps):
    reset = int(time.time()) + 900
    answer(rsps, URL, {}, status=403, headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(reset)})
    with pytest.raises(RateLimited) as error:
        HttpClient().get_json(URL)
    assert error.value.until.timestamp() == reset


def test_a_rate_limit_without_headers_waits_a_minute_then_twice_as_long(rsps, monkeypatch):
    answer(rsps, URL, {}, status=429)
    clock = [1_000_000.0]
    monkeypatch.setattr("fetchers.http.ratelimit.time.time", lambda: clock[0])
    waits = []
    for _ in range(3):
        with pytest.raises(RateLimited) as error:
            HttpClient().get_json(URL)
        waits.append(error.value.until.timestamp() - clock[0])
        clock[0] = error.value.until.timestamp() + 1
    assert waits == [60, 120, 240]


def test_the_block_is_lifted_by_the_next_normal_answer(rsps, monkeypatch):
    answer(rsps, URL, {}, status=429)
    clock = [1_000_000.0]
    monkeypatch.setattr("fetchers.http.ratelimit.time.time", lambda: clock[0])
    with pytest.raises(RateLimited):
        HttpClient().get_json(URL)
    clock[0] += 61
    rsps.reset()
    answer(rsps, URL, {"ok": 1})
    HttpClient().get_json(URL)
    rsps.reset()
    answer(rsps, URL, {}, status=429)
    with pytest.raises(RateLimited) as error:
        HttpClient().get_json(URL)
    assert error.value.until.timestamp() - clock[0] == 60  # back to one minute


def test_a_normal_answer_already_in_flight_does_not_lift_a_block_set_meanwhile(rsps, monkeypatch):
    """Two threads: A's earlier block has ended, A sends; B's answer is a 429 and blocks the host
    anew; then A's normal answer arrives. The new block stands."""
    from fetchers.http.client import ratelimit

    clock = [1_000_000.0]
    monkeypatch.setattr("fetchers.http.ratelimit.time.time", lambda: clock[0])
    answer(rsps, URL, {}, status=429)
    with pytest.raises(RateLimited):
        HttpClient().get_json(URL)
    clock[0] += 61  # the first block is over
    real_send = HttpClient._send

    def send_while_another_thread_is_rate_limited(self, url, headers):
        sent = real_send(self, url, headers)
        ratelimit.block("api.example.org", {})  # B's 429 lands while A's answer is on its way
        return sent

    monkeypatch.setattr(HttpClient, "_send", send_while_another_thread_is_rate_limited)
    rsps.reset()
    answer(rsps, URL, {"ok": 1})
    assert HttpClient().get_json(URL).data == {"ok": 1}
    monkeypatch.setattr(HttpClient, "_send", real_send)
    with pytest.raises(RateLimited):  # B's block is still in force
        HttpClient().get_json(URL)


SECONDARY_LIMIT = {
    "message": "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
    "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
}


@pytest.mark.parametrize("body", [{"json": SECONDARY_LIMIT}, {"body": "You have exceeded a Secondary Rate Limit."}], ids=["json", "text"])
def test_a_403_for_a_secondary_rate_limit_blocks_the_host_for_a_minute(rsps, monkeypatch, body):
    rsps.add("GET", URL, status=403, **body)
    monkeypatch.setattr("fetchers.http.ratelimit.time.time", lambda: 1_000_000.0)
    with pytest.raises(RateLimited) as error:
        HttpClient().get_json(URL)
    assert error.value.until.timestamp() == 1_000_060.0 and error.value.transient
    with pytest.raises(RateLimited):  # blocked: not even sent
        HttpClient().get_json("https://api.example.org/other")
    assert len(rsps.calls) == 1


def test_a_plain_403_is_an_error_not_a_rate_limit(rsps):
    answer(rsps, URL, {"message": "Forbidden"}, status=403, headers={"X-RateLimit-Remaining": "4000"})
    with pytest.raises(HttpError, match="HTTP 403"):
        HttpClient().get_json(URL)
    answer(rsps, "https://api.example.org/again", {})
    HttpClient().get_json("https://api.example.org/again")


def test_pages_follow_next_links(rsps):
    answer(rsps, URL, [1], headers={"Link": f'<{URL}?page=2>; rel="next"'})
    answer(rsps, f"{URL}?page=2", [2])
    assert [page.data for page in HttpClient().pages(URL)] == [[1], [2]]
