"""The errors a fetch can end in; their text is what a package shows as its ``fetch_error``."""
from datetime import datetime


class FetchError(Exception):
    """A fetch that gave no usable answer. ``transient`` says whether trying again later may help."""

    transient = True


class NotFound(FetchError):
    """404 or 410: the repository or the PyPI project is not (or no longer) there."""

    transient = False


class HttpError(FetchError):
    """Any other error status, once retries are used up; ``status`` is the HTTP status code."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status
        self.transient = status >= 500


class BadResponse(FetchError):
    """A body that is not JSON (truncated, HTML error page) or not the shape the API documents."""


class BadUrl(FetchError):
    """A stored URL that names nothing to fetch (a ``pypi_url`` without a project name): editing it is the fix."""

    transient = False


class TooLarge(BadResponse):
    """An answer larger than this project accepts: a body over ``FETCH_MAX_BODY_BYTES``, or a fact
    longer than its documented limit. Trying again soon would bring the same answer."""

    transient = False


class RateLimited(FetchError):
    """The host asked us to wait; nothing is sent to it before ``until`` (an aware datetime)."""

    def __init__(self, host: str, until: datetime):
        super().__init__(f"rate limited by {host} until {until.isoformat(timespec='seconds')}")
        self.host = host
        self.until = until
