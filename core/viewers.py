"""Who reads the API: anyone, or an editor (an active staff user logged in to the admin).

The API reads no credentials (``DEFAULT_AUTHENTICATION_CLASSES`` is empty); the one thing it
tells apart is whether a browsable page may link the reader to the admin. Only a request that
carries the session cookie is looked up, so a request without one costs no query and its answer
(headers included: the session is not touched, so no ``Vary: Cookie``) is everyone's.
"""
from django.conf import settings
from django.contrib.auth import get_user


def is_editor(request) -> bool:
    """Whether ``request`` (Django's, or DRF's wrapping it) comes from an active staff user's admin session.

    Reads the session itself (DRF, having no authenticators, sets ``request.user`` to an anonymous
    user while a view runs) and keeps the answer on the request. Needs Django's
    ``SessionMiddleware`` to have run; False without it.
    """
    request = getattr(request, "_request", request)
    if not hasattr(request, "_djpackages_editor"):
        editor = False
        if settings.SESSION_COOKIE_NAME in request.COOKIES and hasattr(request, "session"):
            user = get_user(request)
            editor = bool(user.is_active and user.is_staff)
        request._djpackages_editor = editor
    return request._djpackages_editor
