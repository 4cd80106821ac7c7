"""The collector: what one module says, as ``FileFacts`` (see ``pipeline.py`` for the
stages and the module that does each)."""

from actorlint.model.collect.pipeline import collect

__all__ = ["collect"]
