#!/bin/sh
# Starts tributary-fe with /opt/starrocks/fe/conf/fe.conf. Extra fe.conf lines may be given in FE_CONF_EXTRA
# (one key = value per line); they are appended once.
set -eu
conf=/opt/starrocks/fe/conf/fe.conf
if [ -n "${FE_CONF_EXTRA:-}" ] && ! grep -q "^# from FE_CONF_EXTRA" "$conf"; then
  printf '# from FE_CONF_EXTRA\n%s\n' "$FE_CONF_EXTRA" >> "$conf"
fi
exec /usr/local/bin/tributary-fe --config "$conf"
