package io.spinclean.kube.read;

/** The kinds spinclean reads into core records; every other kind in a dump is skipped. */
enum RecordKind {
  REPLICA_SET,
  POD,
  SERVICE;

  /** Only the core kinds: a Knative {@code Service} (serving.knative.dev) is not a Service. */
  static RecordKind of(String kind, String apiVersion) {
    boolean core = apiVersion == null || apiVersion.equals("v1");
    boolean apps =
        apiVersion == null
            || apiVersion.startsWith("apps/")
            || apiVersion.startsWith("extensions/");
    return switch (kind) {
      case "ReplicaSet" -> apps ? REPLICA_SET : null;
      case "Pod" -> core ? POD : null;
      case "Service" -> core ? SERVICE : null;
      default -> null;
    };
  }
}
