"""Bluesky and any other AT Protocol service, through the atproto SDK."""
