"""The first field report's cache actor ("GenServers as caches"): every price lookup is a
message, so reads queue behind writes in one mailbox (ACT302, a preview rule: this project
turns preview on). `LocalPriceCache` is the fix: a lock-protected dict read in the caller's
thread, which nothing reports."""

import threading
import time

import pykka

TTL = 30.0


class PriceCache(pykka.ThreadingActor):
    def __init__(self):
        super().__init__()
        self.prices = {}

    def lookup(self, sku):
        entry = self.prices.get(sku)
        if entry is None or time.monotonic() - entry[1] > TTL:
            return None
        return entry[0]

    def store(self, sku, price):
        self.prices[sku] = (price, time.monotonic())


class LocalPriceCache:
    def __init__(self):
        self.prices = {}
        self.lock = threading.Lock()

    def lookup(self, sku):
        with self.lock:
            entry = self.prices.get(sku)
        if entry is None or time.monotonic() - entry[1] > TTL:
            return None
        return entry[0]

    def store(self, sku, price):
        with self.lock:
            self.prices[sku] = (price, time.monotonic())
