"""Search: the index of packages and grids, its ranking, package scores and weights, and /api/v4/search/."""
