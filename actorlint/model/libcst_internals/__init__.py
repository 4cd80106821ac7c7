"""The only code that touches LibCST's private names (``libcst._*``) or reads LibCST's
own source: a fast walk over its trees (``walk``) and positions placed statement by
statement with its code generator (``positions``). Both are checked against LibCST's
public behaviour (its visitors, its ``PositionProvider``) by tests/model/test_walk.py and
tests/model/test_positions.py, and CI runs them on the oldest LibCST the project accepts as
well as the newest (``.ci/run``). tests/model/test_libcst_fence.py keeps every other module out
of ``libcst._*``.
"""
