"""The HTTP layer every client shares: the session and conditional requests, rate limits, budgets, errors."""
