"""Seat reservations: the check-then-act version and the version that moved the critical
section into the actor (which now waits on the payment actor while holding every caller)."""
import json
import urllib.request

import pykka

PAYMENT_API = "https://payments.cinema.example/charge"
TICKET_PRICE = 1250


class PaymentProcessor(pykka.ThreadingActor):
    def charge(self, user, amount):
        payload = json.dumps({"user": user, "amount": amount}).encode()
        request = urllib.request.Request(PAYMENT_API, data=payload, method="POST")
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status == 200


class SeatReservations(pykka.ThreadingActor):
    def __init__(self):
        super().__init__()
        self.reserved = set()

    def on_receive(self, message):
        if message["kind"] == "available?":
            return message["seat"] not in self.reserved
        if message["kind"] == "mark_reserved":
            self.reserved.add(message["seat"])
            return "ok"
        return None


class BoxOffice:
    """Web-facing front desk (first version: check in one call, act in another)."""

    def __init__(self):
        self.seats = SeatReservations.start()
        self.payments = PaymentProcessor.start().proxy()

    def reserve_seat(self, seat, user):
        if self.seats.ask({"kind": "available?", "seat": seat}):
            self.payments.charge(user, TICKET_PRICE).get(timeout=30)
            self.seats.ask({"kind": "mark_reserved", "seat": seat}, timeout=5)
            return "ok"
        return "taken"


class ReservationServer(pykka.ThreadingActor):
    """Second version: check, charge and mark inside one handler."""

    def __init__(self):
        super().__init__()
        self.reserved = set()

    def on_start(self):
        self.payments = PaymentProcessor.start().proxy()

    def reserve(self, seat, user):
        if seat in self.reserved:
            return ("error", "taken")
        self.payments.charge(user, TICKET_PRICE).get()
        self.reserved.add(seat)
        return "ok"

    def reserve_group(self, seats, user):
        return [self.actor_ref.proxy().reserve(seat, user).get(timeout=5) for seat in seats]

    def on_stop(self):
        self.payments.actor_ref.stop(block=False)
