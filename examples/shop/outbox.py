"""The fix for mail that must not be lost (ACT304 on `MailService.send_mail_async` in
mailer.py): a Celery task with late acknowledgement stays in the broker until the mail is
sent, so a crash before that sends it again instead of losing it."""
import smtplib

from celery import Celery

FROM_ADDRESS = "tickets@cinema.example"

app = Celery("shop", broker="memory://")


@app.task(acks_late=True, soft_time_limit=30)
def send_mail(to, subject, body):
    with smtplib.SMTP("localhost", 25, timeout=10) as smtp:
        smtp.sendmail(FROM_ADDRESS, [to], f"Subject: {subject}\n\n{body}")


def send_mail_durably(to, subject, body):
    send_mail.delay(to, subject, body)
