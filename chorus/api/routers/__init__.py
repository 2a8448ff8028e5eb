"""One ninja router per area of the API; chorus/api/root.py mounts them."""
