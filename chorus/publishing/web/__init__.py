"""Web pages of publishing: the composer, posts and their delivery logs, queues."""
