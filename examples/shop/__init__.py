"""A small cinema shop: ticketing, mail, stock and notifications built on actors.

Modules are imported by name (``shop.mailer``, ``shop.seats``, ...); ``shop.inventory``
needs Ray, so nothing is imported here.
"""

__all__ = ["inventory", "mailer", "notifier", "seats"]
