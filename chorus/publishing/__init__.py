"""Publishing: composing, checking, scheduling and sending posts to social networks.

``rules`` holds the pure text rules each network applies (lengths, units, facets, threads).
"""
