"""The publishing API: posts, their schedule and deliveries, queues, campaigns."""
