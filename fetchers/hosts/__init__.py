"""One client per outside service: each turns a repository or PyPI project into plain facts and never touches the ORM."""
