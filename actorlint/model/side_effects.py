"""Side effects that must not be lost (ACT304): calls from the blocking table that change
something outside the process, so that a message carrying them must survive a crash.
Sending mail and HTTP writes; reads (``requests.get``) and local work are not listed."""

from __future__ import annotations

from typing import Mapping, Optional

__all__ = ["SIDE_EFFECTS", "side_effect"]

_HTTP_WRITES = ("post", "put", "patch", "delete")

#: Canonical blocking-table name -> what the call does, for messages.
SIDE_EFFECTS: Mapping[str, str] = {
    "smtplib.SMTP.sendmail": "sends mail",
    "smtplib.SMTP.send_message": "sends mail",
    **{f"{owner}.{verb}": "writes over HTTP"
       for owner in ("requests", "requests.Session", "httpx", "httpx.Client") for verb in _HTTP_WRITES},
}


def side_effect(blocking: str) -> Optional[str]:
    """What a blocking call found in a handler does outside the process, if it must not
    be lost; None for anything else."""
    return SIDE_EFFECTS.get(blocking)
