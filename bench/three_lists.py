"""The cold-start comparison of bench/run: the three paginated lists `spinclean plan` makes
(ReplicaSets, Pods, Services of one namespace, pages of 500), with Debian's python3-kubernetes.

usage: python3 bench/three_lists.py KUBECONFIG NAMESPACE
"""
import sys

from kubernetes import client, config


def all_pages(list_fn, namespace):
    items, token = [], None
    while True:
        kwargs = {"limit": 500}
        if token:
            kwargs["_continue"] = token
        page = list_fn(namespace, **kwargs)
        items += page.items
        token = page.metadata._continue
        if not token:
            return items


def main():
    config.load_kube_config(config_file=sys.argv[1])
    ns = sys.argv[2]
    core, apps = client.CoreV1Api(), client.AppsV1Api()
    rs = all_pages(apps.list_namespaced_replica_set, ns)
    pods = all_pages(core.list_namespaced_pod, ns)
    services = all_pages(core.list_namespaced_service, ns)
    print(len(rs), "replicasets,", len(pods), "pods,", len(services), "services")


if __name__ == "__main__":
    main()
