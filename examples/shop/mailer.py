"""Outgoing mail: a Pykka actor wrapping SMTP, used both synchronously and fire-and-forget."""
import smtplib
from email.message import EmailMessage

import pykka

FROM_ADDRESS = "tickets@cinema.example"


class Mailer(pykka.ThreadingActor):
    def __init__(self, host="localhost", port=25):
        super().__init__()
        self.host = host
        self.port = port
        self.sent = 0

    def on_receive(self, message):
        email = self._compose(message["to"], message["subject"], message["body"])
        with smtplib.SMTP(self.host, self.port, timeout=10) as smtp:
            smtp.sendmail(FROM_ADDRESS, [message["to"]], email.as_string())
        self.sent += 1
        return self.sent

    def _compose(self, to, subject, body):
        email = EmailMessage()
        email["From"] = FROM_ADDRESS
        email["To"] = to
        email["Subject"] = subject
        email.set_content(body)
        return email


class MailService:
    """What the web handlers use: one mailer actor, two ways to send."""

    def __init__(self, host="localhost"):
        self.mailer = Mailer.start(host)

    def send_mail(self, to, subject, body):
        """Send now and return the mailer's count (the caller waits for SMTP)."""
        return self.mailer.ask({"to": to, "subject": subject, "body": body})

    def send_mail_async(self, to, subject, body):
        """Queue the mail and return at once."""
        self.mailer.tell({"to": to, "subject": subject, "body": body})

    def close(self):
        self.mailer.stop(timeout=30)


class SplitMailService:
    """The fix for ACT301: receipts (callers wait) and newsletters (fire-and-forget) get
    their own mailer actors, so a burst of newsletters never delays a receipt. The
    newsletters still live only in a mailbox until sent (ACT304; outbox.py is its fix)."""

    def __init__(self, host="localhost"):
        self.receipts = ReceiptMailer.start(host)
        self.newsletters = NewsletterMailer.start(host)

    def send_receipt(self, to, subject, body):
        return self.receipts.ask({"to": to, "subject": subject, "body": body}, timeout=15)

    def send_newsletter(self, to, subject, body):
        self.newsletters.tell({"to": to, "subject": subject, "body": body})


class ReceiptMailer(Mailer):
    """Only ever asked."""


class NewsletterMailer(Mailer):
    """Only ever told."""
