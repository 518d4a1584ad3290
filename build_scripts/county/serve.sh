#!/bin/sh
# Start onewindow-county from its environment (the image's entry point, and the systemd unit's):
#   ONEWINDOW_COUNTY_DATABASE  postgresql+psycopg://USER:PASSWORD@HOST/NAME   (required)
#   ONEWINDOW_COUNTY_HOST      default 0.0.0.0
#   ONEWINDOW_COUNTY_PORT      default 8700
#   ONEWINDOW_COUNTY_TLS_CERT, ONEWINDOW_COUNTY_TLS_KEY   serve HTTPS with these (PEM files)
set -eu
: "${ONEWINDOW_COUNTY_DATABASE:?set ONEWINDOW_COUNTY_DATABASE to the county store (postgresql+psycopg://…)}"
set -- serve --database "$ONEWINDOW_COUNTY_DATABASE" \
    --host "${ONEWINDOW_COUNTY_HOST:-0.0.0.0}" --port "${ONEWINDOW_COUNTY_PORT:-8700}"
if [ -n "${ONEWINDOW_COUNTY_TLS_CERT:-}" ]; then
    set -- "$@" --certfile "$ONEWINDOW_COUNTY_TLS_CERT" --keyfile "${ONEWINDOW_COUNTY_TLS_KEY:?set ONEWINDOW_COUNTY_TLS_KEY too}"
fi
cd "${ONEWINDOW_COUNTY_HOME:-/opt/onewindow-county}"
exec "${ONEWINDOW_COUNTY_PYTHON:-python}" -m county.cli "$@"
