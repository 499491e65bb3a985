"""Clients of outside services (repository hosts, PyPI, a v4 API), the services that apply what they fetch, and their commands."""
