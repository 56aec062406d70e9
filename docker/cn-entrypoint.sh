#!/bin/sh
# Starts tributary-cn and registers it with the FE (ALTER SYSTEM ADD COMPUTE NODE "<this host>:9050"), as an operator
# would. The cluster token is read from the FE's meta_dir, mounted read-only at /opt/tributary/fe-meta.
set -eu
fe_host=${FE_HOST:-starrocks-fe}
self=${CN_HOST:-$(hostname)}
until curl -fsS "http://$fe_host:8030/api/health/ready" >/dev/null 2>&1 && [ -s /opt/tributary/fe-meta/cluster_token ]; do
  sleep 1
done
TRIBUTARY_CLUSTER_TOKEN=$(cat /opt/tributary/fe-meta/cluster_token)
export TRIBUTARY_CLUSTER_TOKEN
# Register once the node answers (in the background: the node itself replaces this shell, so it gets SIGTERM).
# Tried until the FE lists the node (a restart of the FE meanwhile, a slow start).
(
  until curl -s -o /dev/null "http://127.0.0.1:9050/api/_load_error_log?file=ready"; do sleep 0.5; done
  until mysql -h "$fe_host" -P 9030 -u root -N -e "SHOW COMPUTE NODES" 2>/dev/null | grep -q "$self"; do
    mysql -h "$fe_host" -P 9030 -u root -e "ALTER SYSTEM ADD COMPUTE NODE \"$self:9050\"" >/dev/null 2>&1 || true
    sleep 2
  done
) &
exec /usr/local/bin/tributary-cn --config /opt/starrocks/cn/conf/cn.conf
