#!/usr/bin/env bash
# Lighthouse scores (performance, accessibility, best practices, SEO) of the pages people land on,
# measured on the site as production serves it: gunicorn, DEBUG off, collected and compressed
# static files. Goals: 100 in every category for the anonymous pages (home, /learn/, an article,
# /labs/), at least 95 for the signed-in lab workspace (alice) and team dashboard (bob).
#
#   bash benchmarks/lighthouse.sh [--preset mobile|desktop|both] [--runs N] [--pages a,b]
#                                 [--graded] [--keep]
#
# --preset  Lighthouse's default mobile run (emulated phone, slow 4G, 4x CPU slowdown), its
#           desktop preset, or both (the default).
# --runs    runs per page and preset (default 3); the table shows the run with the median
#           performance score, as Lighthouse advises, since timings vary with the machine's load.
# --pages   only these pages: home, learn, article, labs, workspace, dashboard.
# --graded  validate the labs and grade the demo team's lab history in the sandbox, as `make run`
#           does (root and a provisioned sandbox; several minutes). By default `seed_demo
#           --no-sandbox` seeds everything else and the labs are published unvalidated.
# --keep    keep the temporary site (database, static files, server log) and print where it is.
#
# Needs Node 20+ and npm (Lighthouse is installed once from benchmarks/lighthouse/package-lock.json
# into var/node/ with `npm ci`), Chromium (CHROME_PATH, default /usr/bin/chromium) and the venv
# (`make install-dev`). Reports: var/lighthouse/<page>-<preset>-<run>.report.{html,json}. Exit
# status 1 when a goal is missed. LIGHTHOUSE_PORT (default 8765) is the port gunicorn listens on.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
PY=${PY:-$root/.venv/bin/python}
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
port=${LIGHTHOUSE_PORT:-8765}
node_dir=$root/var/node
reports=$root/var/lighthouse
lab=flask-sqli-order-tracker
article=flask-security
team=payments-squad

presets=(mobile desktop)
graded=0
keep=0
runs_per_page=3
only=
while [ $# -gt 0 ]; do
  case $1 in
    --preset)
      case ${2:-} in
        mobile | desktop) presets=("$2") ;;
        both) presets=(mobile desktop) ;;
        *) echo "lighthouse.sh: --preset takes mobile, desktop or both" >&2; exit 2 ;;
      esac
      shift 2 ;;
    --runs)
      [[ ${2:-} =~ ^[1-9][0-9]?$ ]] || { echo "lighthouse.sh: --runs takes 1 to 99" >&2; exit 2; }
      runs_per_page=$2
      shift 2 ;;
    --pages) only=",${2:-},"; shift 2 ;;
    --graded) graded=1; shift ;;
    --keep) keep=1; shift ;;
    -h | --help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "lighthouse.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

fail() { echo "lighthouse.sh: $*" >&2; exit 1; }
command -v node >/dev/null || fail "node is not installed (Node 20 or newer is needed)"
command -v npm >/dev/null || fail "npm is not installed"
[ "$(node -p 'process.versions.node.split(".")[0]')" -ge 20 ] ||
  fail "Node 20 or newer is needed (found $(node --version))"
[ -x "$CHROME_PATH" ] || fail "no Chromium at $CHROME_PATH (apt-get install chromium, or set CHROME_PATH)"
[ -x "$PY" ] || fail "no virtualenv at $PY: run make install-dev first"
[ -x "$root/.venv/bin/gunicorn" ] || fail "gunicorn is missing from the venv: run make install-dev"
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  fail "port $port is in use: stop what listens there or set LIGHTHOUSE_PORT"
fi

# Lighthouse, reinstalled only when the checked-in lock file changed.
if ! cmp -s benchmarks/lighthouse/package-lock.json "$node_dir/package-lock.json" ||
  [ ! -x "$node_dir/node_modules/.bin/lighthouse" ]; then
  echo "== npm ci (Lighthouse into var/node/)"
  mkdir -p "$node_dir"
  cp benchmarks/lighthouse/package.json benchmarks/lighthouse/package-lock.json "$node_dir/"
  (cd "$node_dir" && npm ci --no-audit --no-fund --loglevel=error)
fi
lighthouse=$node_dir/node_modules/.bin/lighthouse
# run.mjs imports the packages npm put there, so it runs from that folder.
cp benchmarks/lighthouse/run.mjs "$node_dir/run.mjs"

# A throwaway site: its own database, broker folder, cache and static files under a temp folder,
# never the developer's var/ or .env.
tmp=$(mktemp -d "${TMPDIR:-/tmp}/patchwise-lighthouse.XXXXXX")
server_pid=
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [ "$keep" = 1 ]; then echo "Kept the temporary site in $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

unset DATABASE_URL REDIS_URL CELERY_BROKER_URL
export PATCHWISE_ENV_FILE=$tmp/no.env PATCHWISE_VAR_DIR=$tmp/var
export SECRET_KEY="lighthouse-throwaway-$(head -c 48 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export ALLOWED_HOSTS=localhost,127.0.0.1 LOG_LEVEL=WARNING
# Production settings but plain HTTP on localhost: no redirect to HTTPS, cookies sent over HTTP.
export SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0
prod() { DEBUG=0 "$@"; }

echo "== Seeding a temporary site (DEBUG on only for seed_demo, which refuses otherwise)"
seed_args=(--no-sandbox)
[ "$graded" = 1 ] && seed_args=()
DEBUG=1 "$PY" manage.py migrate --noinput --verbosity 0
DEBUG=1 "$PY" manage.py seed_demo "${seed_args[@]}" --verbosity 0 >"$tmp/seed.log" 2>&1 ||
  { cat "$tmp/seed.log" >&2; fail "seed_demo failed"; }
[ "$graded" = 1 ] || DEBUG=1 "$PY" benchmarks/lighthouse/site.py publish-labs
prod "$PY" manage.py collectstatic --noinput --verbosity 0
prod "$PY" manage.py check --deploy --fail-level ERROR >/dev/null
alice=$(prod "$PY" benchmarks/lighthouse/site.py session alice@example.com)
bob=$(prod "$PY" benchmarks/lighthouse/site.py session bob@example.com)

echo "== gunicorn on 127.0.0.1:$port (DEBUG off)"
# Started directly (not through a function) so that $! is gunicorn itself and the trap stops it.
DEBUG=0 "$root/.venv/bin/gunicorn" portal.wsgi --bind "127.0.0.1:$port" --workers 2 \
  --no-control-socket --access-logfile - --error-logfile - >"$tmp/gunicorn.log" 2>&1 &
server_pid=$!
base=http://localhost:$port
for _ in $(seq 100); do
  if "$PY" -c "import urllib.request, sys; urllib.request.urlopen(sys.argv[1], timeout=2)" \
    "$base/healthz" 2>/dev/null; then break; fi
  kill -0 "$server_pid" 2>/dev/null || { cat "$tmp/gunicorn.log" >&2; fail "gunicorn exited"; }
  sleep 0.2
done

# page name | path | session key (empty: signed out) | goal
pages=(
  "home|/||100"
  "learn|/learn/||100"
  "article|/articles/$article/||100"
  "labs|/labs/||100"
  "workspace (alice)|/labs/$lab/|$alice|95"
  "dashboard (bob)|/teams/$team/dashboard/|$bob|95"
)
mkdir -p "$reports"
runs=()
for preset in "${presets[@]}"; do
  for entry in "${pages[@]}"; do
    IFS='|' read -r name path session goal <<<"$entry"
    slug=${name%% *}
    if [ -n "$only" ] && [[ $only != *",$slug,"* ]]; then continue; fi
    files=()
    for run in $(seq "$runs_per_page"); do
      out=$reports/$slug-$preset-$run
      echo "== Lighthouse: $name ($preset, run $run of $runs_per_page) $path"
      rm -f "$out.report.json" "$out.report.html"
      node "$node_dir/run.mjs" "$base$path" "$out" "$preset" ${session:+"$session"} ||
        echo "   (Lighthouse failed on $name)" >&2
      files+=("$out.report.json")
    done
    runs+=("$name|$preset|$goal|$(IFS=,; echo "${files[*]}")")
  done
done
[ ${#runs[@]} -gt 0 ] || fail "--pages matched no page (home, learn, article, labs, workspace, dashboard)"

# Lighthouse's timings (performance) assume an otherwise idle machine; say when it was not.
cores=$(nproc)
load=$(cut -d' ' -f1 /proc/loadavg)
if awk -v l="$load" -v c="$cores" 'BEGIN { exit !(l > c) }'; then
  echo "Note: load average $load on $cores cores during the runs: performance scores are" \
    "lower than on an idle machine; run again when it is quiet."
fi
echo
echo "Lighthouse $("$lighthouse" --version) on $("$CHROME_PATH" --version 2>/dev/null | head -1)," \
  "presets: ${presets[*]}. Reports: var/lighthouse/"
status=0
"$PY" benchmarks/lighthouse/scores.py "${runs[@]}" || status=1
# Every request must have succeeded: a redirect to the sign-in page would score the wrong page.
# (No robots.txt is fine: Lighthouse's SEO audit accepts a 404 there.)
failed=$(grep -E '"[A-Z]+ [^"]*" (30[0-35-9]|4[0-9][0-9]|5[0-9][0-9]) ' "$tmp/gunicorn.log" |
  grep -v '"GET /robots.txt ' || true)
if [ -n "$failed" ]; then
  echo "$failed"
  echo "lighthouse.sh: the requests above failed or redirected (server log kept)" >&2
  keep=1
  status=1
fi
exit "$status"
