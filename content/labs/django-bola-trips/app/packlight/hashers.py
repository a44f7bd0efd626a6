"""Password hashing for the demo server."""

from __future__ import annotations

from django.contrib.auth.hashers import ScryptPasswordHasher


class DemoScryptPasswordHasher(ScryptPasswordHasher):
    """Django's scrypt with one lane instead of five: the demo server has one small CPU, and
    signing in should take a tenth of a second, not a whole one. Production keeps the defaults."""

    algorithm = "scrypt-demo"
    parallelism = 1
