"""The accounts page of a workspace: connecting, checking, reconnecting and disconnecting."""
