"""What the delivery engine tells the rest of Chorus. Receivers must not raise: the
engine sends these from its own transactions (chorus.notifications listens)."""

from django.dispatch import Signal

# sender=Delivery class; kwargs: delivery (publishing.Delivery), error_code (str), message (str)
delivery_failed = Signal()
# sender=SocialAccount class; kwargs: account (orgs.SocialAccount), message (str)
account_needs_reconnect = Signal()
# sender=Post class; kwargs: post (publishing.Post)
post_published = Signal()
