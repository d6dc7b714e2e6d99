package io.spinclean.core.spinnaker;

/**
 * The Spinnaker annotation and label keys spinclean reads, in one place. See
 * docs/spinnaker-semantics.md#identity: the annotations, not the labels, are a version's identity.
 */
public final class Annotations {
  public static final String APPLICATION = "moniker.spinnaker.io/application";
  public static final String CLUSTER = "moniker.spinnaker.io/cluster";
  public static final String SEQUENCE = "moniker.spinnaker.io/sequence";
  public static final String VERSION = "artifact.spinnaker.io/version";
  public static final String LOAD_BALANCERS = "traffic.spinnaker.io/load-balancers";

  /** spinclean's own opt-out: a ReplicaSet with this set to "true" is never deleted. */
  public static final String PROTECT = "spinclean.io/protect";

  private Annotations() {}

  /**
   * Legacy objects carry JSON-quoted values such as {@code "\"myapp\""}; Spinnaker accepts both
   * forms (docs/spinnaker-semantics.md#identity). Returns the value without the quotes, or the
   * value itself.
   */
  public static String unquote(String value) {
    if (value == null) {
      return "";
    }
    String v = value.strip();
    if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
      String inner = JsonStrings.parseString(v);
      return inner == null ? v : inner;
    }
    return v;
  }
}
