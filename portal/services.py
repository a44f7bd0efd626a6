"""Writes that belong to the site shell: roles and demo data."""

from __future__ import annotations

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from portal.demo import DEMO_MEMBERS
from portal.models import AUTHORS_GROUP, User

# Apps whose models are content: authors may add, change, delete and view all of them...
CONTENT_APPS = ("courses", "labs")

# ...except these rows, which belong to one learner each (what they read, answered, ran and
# submitted, and the hints they revealed, which live on the lab session). Authors may look at
# them to answer support questions; only superusers may write them. Named as "app.model"
# because the site shell imports no app.
LEARNER_RECORDS = frozenset(
    {
        "courses.articleprogress",
        "courses.quizattempt",
        "courses.answer",
        "labs.labsession",
        "labs.submission",
        "labs.checkresult",
        "labs.exploitattempt",
    }
)


def authors_group_sync(*, using: str = "default") -> Group:
    """Create the Authors group if needed and grant it its permissions, idempotently.

    Every permission on content models, and only ``view`` on learners' records: an author who
    could add, change or delete them could forge or erase another person's progress.
    """
    group, _ = Group.objects.using(using).get_or_create(name=AUTHORS_GROUP)
    perms = Permission.objects.using(using).filter(content_type__app_label__in=CONTENT_APPS)
    granted = [
        perm
        for perm in perms.select_related("content_type")
        if f"{perm.content_type.app_label}.{perm.content_type.model}" not in LEARNER_RECORDS
        or perm.codename.startswith("view_")
    ]
    group.permissions.set(granted)
    return group


@dataclass(frozen=True)
class DemoPerson:
    email: str
    display_name: str
    role: str  # learner | manager | outsider | author | admin
    note: str = ""  # what this person shows in the demo (printed by seed_demo)


DEMO_PEOPLE: tuple[DemoPerson, ...] = (
    DemoPerson(
        "alice@example.com", "Alice Learner", "learner", "a member of Payments squad, with history"
    ),
    DemoPerson(
        "bob@example.com",
        "Bob Manager",
        "manager",
        "manages Payments squad: dashboard, members, assignments, CSV",
    ),
    DemoPerson("charlie@example.com", "Charlie Outsider", "outsider", "in no team: 404 on teams"),
    DemoPerson("erin@example.com", "Erin Author", "author", "edits content in /admin/"),
    DemoPerson("admin@example.com", "Ada Admin", "admin", "superuser"),
)


@transaction.atomic
def user_create_verified(
    *, email: str, password: str, display_name: str = "", is_staff: bool = False
) -> tuple[User, bool]:
    """Get or create a user whose primary email is already verified (demo and test people)."""
    user, created = User.objects.get_or_create(
        email=email, defaults={"display_name": display_name, "is_staff": is_staff}
    )
    if created:
        user.set_password(password)
        user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user, created


def demo_people_seed(*, password: str) -> set[str]:
    """Create the demo people with verified emails and their roles; returns the emails created.

    Existing accounts keep their passwords, so re-running never locks anyone out.
    """
    created: set[str] = set()
    authors = authors_group_sync()
    for person in DEMO_PEOPLE:
        staff = person.role in {"author", "admin"}
        user, was_created = user_create_verified(
            email=person.email,
            password=password,
            display_name=person.display_name,
            is_staff=staff,
        )
        if person.role == "admin" and not user.is_superuser:
            user.is_superuser = True
            user.save(update_fields=["is_superuser"])
        if person.role == "author":
            user.groups.add(authors)
        if was_created:
            created.add(person.email)
    return created


def demo_members_seed(*, password: str) -> set[str]:
    """Accounts for the demo team's members (portal.demo); returns the emails created. As for the
    demo people (Alice is both), existing accounts keep their passwords."""
    created: set[str] = set()
    for member in DEMO_MEMBERS:
        _, was_created = user_create_verified(
            email=member.email, password=password, display_name=member.display_name
        )
        if was_created:
            created.add(member.email)
    return created
