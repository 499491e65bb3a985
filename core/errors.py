"""Error pages: JSON under ``/api/`` (``{"detail": ...}`` as DRF writes it), Django's pages elsewhere."""
from django.http import JsonResponse
from django.views import defaults


def not_found(request, exception):
    """404 for a path no route matches."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    """500 for an unhandled exception."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "A server error occurred."}, status=500)
    return defaults.server_error(request)
