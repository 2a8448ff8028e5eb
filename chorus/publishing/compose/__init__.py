"""Composing posts: checking content against every target network, saving posts with
their variants, targets and media, and keeping revisions."""
