"""The OWASP Top 10 categories content is tagged with (``A05:2025``), with their names.

Labs and articles list the 2025 id first and may add the 2021 id after it (docs/LAB_FORMAT.md);
filters offer the 2025 ids only, and pages show older ids as secondary tags.
"""

from __future__ import annotations

CURRENT_EDITION = "2025"

#: OWASP Top 10:2025, id -> name.
TOP_10_2025 = {
    "A01:2025": "Broken Access Control",
    "A02:2025": "Security Misconfiguration",
    "A03:2025": "Software Supply Chain Failures",
    "A04:2025": "Cryptographic Failures",
    "A05:2025": "Injection",
    "A06:2025": "Insecure Design",
    "A07:2025": "Authentication Failures",
    "A08:2025": "Software or Data Integrity Failures",
    "A09:2025": "Security Logging and Alerting Failures",
    "A10:2025": "Mishandling of Exceptional Conditions",
}


def is_current(code: str) -> bool:
    return code.endswith(f":{CURRENT_EDITION}")


def owasp_label(code: str) -> str:
    """``A05:2025 Injection`` for a 2025 id; any other id as it is."""
    name = TOP_10_2025.get(code)
    return f"{code} {name}" if name else code


#: OWASP Top 10:2021, id -> name: accepted as a second tag after the 2025 id, never alone.
TOP_10_2021 = {
    "A01:2021": "Broken Access Control",
    "A02:2021": "Cryptographic Failures",
    "A03:2021": "Injection",
    "A04:2021": "Insecure Design",
    "A05:2021": "Security Misconfiguration",
    "A06:2021": "Vulnerable and Outdated Components",
    "A07:2021": "Identification and Authentication Failures",
    "A08:2021": "Software and Data Integrity Failures",
    "A09:2021": "Security Logging and Monitoring Failures",
    "A10:2021": "Server-Side Request Forgery",
}
