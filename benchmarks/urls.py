"""The project's URLs plus ``/bench/bare/``: a plain Django view returning a prebuilt JSON body, the
benchmark's measure of what Django itself costs per request."""
import json

from django.http import HttpResponse
from django.urls import path

from djpackages.urls import urlpatterns as project_urlpatterns

BODY = json.dumps({"id": 1, "title": "x" * 1200}).encode()  # about the size of a package document


def bare(request):
    return HttpResponse(BODY, content_type="application/json")


urlpatterns = [path("bench/bare/", bare), *project_urlpatterns]
