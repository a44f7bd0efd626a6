"""Writes on teams, memberships, invitations, assignments and reminders, one module per concept
(import the modules directly)."""
