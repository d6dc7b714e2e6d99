package io.spinclean.kube.apply;

import io.spinclean.core.ClusterKey;
import io.spinclean.core.Pod;
import io.spinclean.core.Service;
import java.util.List;
import java.util.Map;

/**
 * A version that is DELETE in both the shown and the fresh plan, with what the fresh snapshot says
 * about it: the only thing {@code apply} ever writes to.
 *
 * @param resourceVersion the ReplicaSet's resourceVersion in the fresh snapshot
 * @param templateLabels {@code spec.template.metadata.labels} in the fresh snapshot
 * @param pods the version's pods in the fresh snapshot
 * @param services the cluster's existing Services in the fresh snapshot
 */
record Target(
    ClusterKey cluster,
    String name,
    String uid,
    String resourceVersion,
    Map<String, String> templateLabels,
    List<Pod> pods,
    List<Service> services) {
  Target {
    templateLabels = Map.copyOf(templateLabels);
    pods = List.copyOf(pods);
    services = List.copyOf(services);
  }

  String namespace() {
    return cluster.namespace();
  }

  String path() {
    return "apis/apps/v1/namespaces/" + namespace() + "/replicasets/" + name;
  }

  /** {@code namespace/name}, as reports name objects. */
  @Override
  public String toString() {
    return namespace() + "/" + name;
  }
}
