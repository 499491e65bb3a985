"""Comparison grids: which packages they hold, their features and cells; model, admin, serializer, viewset."""
