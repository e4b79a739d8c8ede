"""Watchlists and alerts: match new articles against saved interests and deliver what matched."""
