# Helpers the .ci scripts share; source it after `cd` to the repository root:
#   . .ci/lib.sh
# It expects $python (the virtualenv's interpreter) unless the caller sets its own.
python=${python:-$PWD/.venv/bin/python}

# pg_admin create|drop URL: create the PostgreSQL database a URL names afresh (dropping any
# old one, with its connections), or drop it, from the server's maintenance database.
pg_admin() {
  "$python" - "$1" "$2" <<'PY'
import sys
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

action, url = sys.argv[1], urlsplit(sys.argv[2])
name = sql.Identifier(url.path.lstrip("/"))
with psycopg.connect(urlunsplit(url._replace(path="/postgres", query="")), autocommit=True) as conn:
    conn.execute("SET client_min_messages = warning")
    conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
    if action == "create":
        conn.execute(sql.SQL("CREATE DATABASE {}").format(name))
PY
}

# A TCP port free on loopback right now.
free_port() {
  "$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# A SECRET_KEY for a throwaway production-like run, prefixed with a label.
secret_key() {
  echo "$1-$("$python" -c 'import secrets; print(secrets.token_urlsafe(64))')"
}

# wait_healthy BASE_URL PID LOG: wait (up to 3 minutes: bin/start-web migrates a fresh
# database first, and CI runs two lanes at once) until BASE_URL/healthz/ answers, while the
# server process PID lives; otherwise print its LOG and fail.
wait_healthy() {
  local base=$1 pid=$2 log=$3
  for _ in $(seq 900); do
    curl -fsS "$base/healthz/" >/dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  cat "$log"
  echo "the server at $base did not become healthy (process $pid)" >&2
  return 1
}
