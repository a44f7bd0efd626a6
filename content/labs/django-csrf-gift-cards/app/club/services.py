"""The club's writes: moving points, sending a gift card, changing an email address."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from club.models import GiftCard, Member


class ClubError(Exception):
    """A request the club cannot carry out; the message is shown to the member."""


def _recipient(username: object, sender: User) -> User:
    if not isinstance(username, str) or not username.strip():
        raise ClubError("Say who should receive it.")
    recipient = User.objects.filter(username=username.strip()).first()
    if recipient is None:
        raise ClubError("There is no member with that username.")
    if recipient == sender:
        raise ClubError("You cannot send it to yourself.")
    return recipient


def points_send(*, sender: User, to: object, points: object) -> Member:
    recipient = _recipient(to, sender)
    try:
        amount = int(str(points))
    except ValueError:
        raise ClubError("Points must be a whole number.") from None
    if amount <= 0:
        raise ClubError("Send at least one point.")
    with transaction.atomic():
        taken = Member.objects.filter(user=sender, points__gte=amount).update(
            points=F("points") - amount
        )
        if not taken:
            raise ClubError("You do not have that many points.")
        Member.objects.filter(user=recipient).update(points=F("points") + amount)
    return Member.objects.get(user=recipient)


def card_send(*, sender: User, card_id: int, to: object) -> GiftCard:
    recipient = _recipient(to, sender)
    with transaction.atomic():
        card = GiftCard.objects.select_for_update().filter(id=card_id, buyer=sender).first()
        if card is None:
            raise ClubError("You have no such card.")
        if card.recipient_id is not None:
            raise ClubError("That card has already been sent.")
        card.recipient = recipient
        card.sent_at = timezone.now()
        card.save(update_fields=["recipient", "sent_at"])
    return card


def email_change(*, user: User, email: object) -> User:
    if not isinstance(email, str):
        raise ClubError("Give an email address.")
    try:
        validate_email(email)
    except ValidationError:
        raise ClubError("That is not an email address.") from None
    user.email = email
    user.save(update_fields=["email"])
    return user
