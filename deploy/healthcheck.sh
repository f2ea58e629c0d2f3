#!/bin/bash
# Container healthcheck: `healthcheck <port> [path]` exits 0 when http://127.0.0.1:<port><path> answers 200.
# Bash's /dev/tcp instead of a Node process per probe (slow to start on a busy machine) or curl/wget
# (not in node:*-slim images).
port=$1 path=${2:-/health}
exec timeout 2 bash -c '
  exec 3<>"/dev/tcp/127.0.0.1/$0" || exit 1
  printf "GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n" "$1" >&3
  read -r _ status _ <&3
  [ "$status" = 200 ]' "$port" "$path"
