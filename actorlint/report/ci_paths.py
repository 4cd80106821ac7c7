"""Paths as a CI service wants them: relative to the checkout it names in an environment
variable (``GITHUB_WORKSPACE``, ``CI_PROJECT_DIR``), so that a run started in a subfolder
still annotates the right files."""

from __future__ import annotations

import os
from pathlib import PurePath
from typing import Optional

__all__ = ["base_folder", "relative_to_checkout"]


def base_folder(variable: str) -> Optional[str]:
    """The absolute folder environment variable ``variable`` names, or None when unset."""
    value = os.environ.get(variable)
    return os.path.abspath(value) if value else None


def relative_to_checkout(path: str, variable: str) -> str:
    """``path`` (as printed: relative to the current folder, or absolute) relative to the
    checkout ``variable`` names, with forward slashes; unchanged when the variable is unset,
    and absolute when the file lies outside the checkout."""
    root = base_folder(variable)
    if root is None:
        return path
    absolute = os.path.abspath(path)
    try:
        relative = os.path.relpath(absolute, root)
    except ValueError:  # another drive
        return absolute
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        return absolute
    return PurePath(relative).as_posix()
