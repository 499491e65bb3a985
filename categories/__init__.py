"""Categories of packages (apps, frameworks, projects, other): model, admin, serializer, viewset."""
