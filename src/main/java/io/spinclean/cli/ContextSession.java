package io.spinclean.cli;

import io.spinclean.core.ApiException;
import io.spinclean.core.Plan;
import io.spinclean.core.Planner;
import io.spinclean.core.Policy;
import io.spinclean.kube.KubeConnection;
import io.spinclean.kube.Scope;
import io.spinclean.kube.SnapshotSource;
import io.spinclean.kube.read.LiveReader;
import io.spinclean.render.ContextResult;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/**
 * One Kubernetes context of a run over several: its own connection, credentials and default
 * namespace, read and planned as a single-context run is. Fails on its own: the sentence is kept,
 * the other contexts go on.
 */
final class ContextSession implements AutoCloseable {
  final String name;
  final KubeConnection conn;

  /** The planner apply re-plans with: the context's own policy, --max-deletions included. */
  final Planner planner;

  final SnapshotSource source;
  final String error;

  /** The plan shown; after {@link #cap}, held to --max-deletions over the whole run. */
  Plan plan;

  private ContextSession(
      String name,
      KubeConnection conn,
      Planner planner,
      SnapshotSource source,
      Plan plan,
      String error) {
    this.name = name;
    this.conn = conn;
    this.planner = planner;
    this.source = source;
    this.plan = plan;
    this.error = error;
  }

  /**
   * Connects to the context and plans it without the --max-deletions limit, which {@link #cap}
   * applies over the whole run. The connection stays open for apply; close the session.
   */
  static ContextSession plan(
      String name,
      String kubeconfig,
      SelectionOptions selection,
      PolicyOptions policyOptions,
      Clock clock) {
    KubeConnection conn = null;
    try {
      conn = KubeConnection.open(kubeconfig, name);
      Scope scope = selection.scope(conn.defaultNamespace());
      Policy policy = policyOptions.toPolicy(Set.copyOf(scope.namespaces()), selection);
      SnapshotSource source = LiveReader.source(conn, scope, clock);
      Plan plan = new Planner(policy.withMaxDeletions(OptionalInt.empty())).plan(source.read());
      return new ContextSession(name, conn, new Planner(policy), source, plan, null);
    } catch (ApiException | RuntimeException e) {
      if (conn != null) {
        conn.close();
      }
      String message = e.getMessage() == null ? e.toString() : e.getMessage();
      return new ContextSession(name, null, null, null, null, message);
    }
  }

  boolean ok() {
    return error == null;
  }

  /**
   * --max-deletions over the whole run: the planned contexts' deletions are added up, and when they
   * are more than the limit every context is refused, as one plan is.
   */
  static void cap(List<ContextSession> sessions, Integer maxDeletions) {
    if (maxDeletions == null) {
      return;
    }
    List<ContextSession> planned = sessions.stream().filter(ContextSession::ok).toList();
    List<Plan> capped =
        Planner.capDeletions(planned.stream().map(s -> s.plan).toList(), maxDeletions);
    for (int i = 0; i < planned.size(); i++) {
      planned.get(i).plan = capped.get(i);
    }
  }

  ContextResult result() {
    return new ContextResult(name, plan, null, error);
  }

  static List<ContextResult> results(List<ContextSession> sessions) {
    List<ContextResult> results = new ArrayList<>();
    sessions.forEach(s -> results.add(s.result()));
    return results;
  }

  @Override
  public void close() {
    if (conn != null) {
      conn.close();
    }
  }
}
