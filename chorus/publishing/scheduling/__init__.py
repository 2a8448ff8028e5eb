"""Scheduling: exact times, posting-slot queues, daily limits, repeating and evergreen
posts, all correct across DST changes. Pure time arithmetic lives in ``zones``,
``recurrence`` and ``slots``; ``services`` applies it to posts and deliveries."""
