"""The data API under /api/v1/: versioned and stable, unlike the workspace's fragments."""
