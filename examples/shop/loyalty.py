"""Loyalty points per customer, kept by a Pykka actor."""
import pykka


class LoyaltyPoints(pykka.ThreadingActor):
    def __init__(self):
        super().__init__()
        self.points = {}

    def balance(self, customer):
        return self.points.get(customer, 0)

    def set_balance(self, customer, points):
        self.points[customer] = points

    def add(self, customer, points):
        self.points[customer] = self.points.get(customer, 0) + points
        return self.points[customer]


def award_for_ticket(customer, tickets):
    """First version: read the balance, add to it here, write it back."""
    loyalty = LoyaltyPoints.start().proxy()
    current = loyalty.balance(customer).get(timeout=2)
    loyalty.set_balance(customer, current + 10 * tickets).get(timeout=2)


def award_for_ticket_atomically(customer, tickets):
    """The fix: send the change and let the actor apply it inside one message."""
    loyalty = LoyaltyPoints.start().proxy()
    return loyalty.add(customer, 10 * tickets).get(timeout=2)
