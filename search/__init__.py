"""Search: the index of packages and grids, its ranking and weights, and /api/v4/search/."""
