"""The scale comparison of bench/run: what an efficient python3-kubernetes script would do for
`spinclean plan` on one namespace. The same three paginated lists (ReplicaSets, Pods, Services,
pages of 500, following continue tokens), each page read as raw JSON (`_preload_content=False`,
no typed models) and reduced at once to the fields spinclean's planner reads; the page is then
dropped. It plans nothing, so it does less than spinclean: a lower bound for a Python tool.

usage: python3 bench/plan_lists.py KUBECONFIG NAMESPACE
"""
import json
import sys

from kubernetes import client, config

SPINNAKER = ("spinnaker.io", "spinclean.io")


def pages(list_fn, namespace):
    token = None
    while True:
        kwargs = {"limit": 500, "_preload_content": False}
        if token:
            kwargs["_continue"] = token
        page = json.loads(list_fn(namespace, **kwargs).data)
        yield page.get("items") or []
        token = (page.get("metadata") or {}).get("continue")
        if not token:
            return


def meta(item):
    m = item.get("metadata") or {}
    controller = next(
        (o.get("uid") for o in m.get("ownerReferences") or [] if o.get("controller")), "")
    return m.get("namespace") or "default", m.get("name"), m.get("uid"), controller, m


def replica_set(item):
    ns, name, uid, controller, m = meta(item)
    spec = item.get("spec") or {}
    notes = {k: v for k, v in (m.get("annotations") or {}).items()
             if k.split("/")[0].endswith(SPINNAKER)}
    template = ((spec.get("template") or {}).get("metadata") or {}).get("labels") or {}
    return (ns, name, uid, m.get("resourceVersion"), m.get("creationTimestamp"), controller,
            "deletionTimestamp" in m, notes, m.get("labels") or {}, template,
            spec.get("replicas", 1), spec.get("selector"))


def pod(item):
    ns, name, uid, controller, m = meta(item)
    ready = any(c.get("type") == "Ready" and c.get("status") == "True"
                for c in (item.get("status") or {}).get("conditions") or [])
    return ns, name, uid, controller, m.get("labels") or {}, ready, "deletionTimestamp" in m


def service(item):
    m = item.get("metadata") or {}
    return m.get("namespace"), m.get("name"), (item.get("spec") or {}).get("selector") or {}


def main():
    config.load_kube_config(config_file=sys.argv[1])
    ns = sys.argv[2]
    core, apps = client.CoreV1Api(), client.AppsV1Api()
    rs = [replica_set(i) for p in pages(apps.list_namespaced_replica_set, ns) for i in p]
    pods = [pod(i) for p in pages(core.list_namespaced_pod, ns) for i in p]
    services = [service(i) for p in pages(core.list_namespaced_service, ns) for i in p]
    print(len(rs), "replicasets,", len(pods), "pods,", len(services), "services")


if __name__ == "__main__":
    main()
