"""Settings of the API benchmark: the production settings plus a URLconf with the bare reference view."""
from djpackages.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"
