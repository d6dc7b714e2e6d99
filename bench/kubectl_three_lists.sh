#!/bin/sh
# The cold-start comparison of bench/run with kubectl: the same three lists as `spinclean plan`.
# `kubectl get rs,pods,svc` needs API discovery documents, which the mock API server does not
# serve (docs/testing.md), so the lists are fetched with `get --raw`: three kubectl processes.
# usage: bench/kubectl_three_lists.sh KUBECONFIG NAMESPACE [unpaged]
# (unpaged: no limit, each list in one answer; `get --raw` does not follow continue tokens)
set -eu
query="?limit=500"
if [ "${3:-}" = unpaged ]; then query=""; fi
for path in "/apis/apps/v1/namespaces/$2/replicasets" "/api/v1/namespaces/$2/pods" \
  "/api/v1/namespaces/$2/services"; do
  kubectl --kubeconfig "$1" get --raw "$path$query" >/dev/null
done
