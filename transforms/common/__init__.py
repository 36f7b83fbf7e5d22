"""The lowest room: helpers every other room may use (stable ids, packaged data files, usage errors).

It imports nothing else from ``transforms`` and no Beam.
"""
