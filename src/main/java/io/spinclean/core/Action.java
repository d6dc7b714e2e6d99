package io.spinclean.core;

/** What the plan does with one version. Only DELETE ever leads to a request that changes state. */
public enum Action {
  KEEP,
  DELETE,
  RETAIN
}
