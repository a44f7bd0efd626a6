#!/usr/bin/env bash
# Printed by `make run` just before the web server and the worker start.
password=${DEMO_PASSWORD:-patchwise-demo}
cat <<TEXT

  Patchwise is starting: open http://127.0.0.1:8000/

  Demo sign-ins (password for all: ${password})
    learner   alice@example.com
    manager   bob@example.com
    outsider  charlie@example.com
    author    erin@example.com      (can open /admin/ to edit content)
    admin     admin@example.com     (superuser)

  Emails (sign-up confirmation, password reset) are printed in this terminal.
  Press Ctrl-C to stop the web server and the worker.

TEXT
