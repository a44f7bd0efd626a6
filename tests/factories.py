"""Factories for test data; each builds what a real user would have (e.g. a verified email)."""

from __future__ import annotations

import factory
from allauth.account.models import EmailAddress

from portal.models import User

DEFAULT_PASSWORD = "correct-horse-battery-9"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    display_name = factory.Faker("name")
    password = factory.django.Password(DEFAULT_PASSWORD)

    @factory.post_generation
    def verified(self, create: bool, extracted: bool | None, **kwargs: object) -> None:
        """Give the user a verified primary address unless ``verified=False`` is passed."""
        if not create:
            return
        EmailAddress.objects.create(
            user=self, email=self.email, primary=True, verified=extracted is not False
        )
