"""The Beam layer: composite PTransforms and thin DoFns over the other rooms.

Steps with several outputs yield ``(kind, record)`` pairs split by ``routing.SplitOutputs``;
heavy resources are loaded once per worker; counters and stage timings are in ``metrics``.
"""
