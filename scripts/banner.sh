#!/usr/bin/env bash
# Printed by scripts/run.py (`make run`) once the web server and the worker are ready, so that it
# is the last thing on screen.
password=${DEMO_PASSWORD:-patchwise-demo}
cat <<TEXT

  Patchwise is running: open http://127.0.0.1:${PATCHWISE_PORT:-8000}/

  Demo sign-ins (password for all: ${password})
    learner   alice@example.com     (in bob's team, with history; one assigned lab left to solve)
    manager   bob@example.com       (manages "Payments squad": /teams/payments-squad/dashboard/)
    outsider  charlie@example.com   (in no team: every team page answers 404)
    author    erin@example.com      (can open /admin/ to edit content)
    admin     admin@example.com     (superuser)

  Emails (sign-up confirmation, password reset, team invitations and reminders) are
  printed in this terminal.
  Press Ctrl-C to stop the web server, the worker and beat.

TEXT
