"""Ticket price quotes from a partner API, bounded with actorlint's runtime helper.

The handler is time-limited, but its limit is as long as the caller's timeout: when the
partner is slow, the caller gives up at the same moment the handler does, and sees a bare
time-out instead of the handler's error.
"""
import json
import urllib.request

import pykka

from actorlint_runtime import time_limited

PARTNER_URL = "https://partner.example.com/quotes"
QUOTE_TIMEOUT = 5.0


class QuoteService(pykka.ThreadingActor):
    @time_limited(seconds=5.0)
    def on_receive(self, message):
        url = f"{PARTNER_URL}?show={message['show']}"
        with urllib.request.urlopen(url, timeout=3) as response:
            return json.load(response)["price"]


def price_for(show):
    quotes = QuoteService.start()
    try:
        return quotes.ask({"show": show}, timeout=QUOTE_TIMEOUT)
    finally:
        quotes.stop(timeout=QUOTE_TIMEOUT)
