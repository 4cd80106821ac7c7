"""SMS notifications through a Thespian gateway actor."""
from thespian.actors import Actor, ActorSystem, ActorTypeDispatcher


class SmsGateway(Actor):
    def receiveMessage(self, message, sender):
        if isinstance(message, dict):
            self.send(sender, {"to": message["to"], "status": "queued"})


class Notifier(ActorTypeDispatcher):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.gateway = None

    def receiveMsg_dict(self, message, sender):
        if self.gateway is None:
            self.gateway = self.createActor(SmsGateway)
        receipt = ActorSystem().ask(self.gateway, message, 5)
        self.send(sender, receipt)


def notify(phone, text):
    asys = ActorSystem()
    notifier = asys.createActor(Notifier)
    return asys.ask(notifier, {"to": phone, "text": text})
