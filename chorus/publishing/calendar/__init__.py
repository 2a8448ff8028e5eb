"""The content calendar: a month, week and list view of a workspace's posts in the
viewer's time zone, with drag-and-drop rescheduling that keeps the post's time of day."""
