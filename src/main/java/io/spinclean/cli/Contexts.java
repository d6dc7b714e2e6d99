package io.spinclean.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Runs one task per Kubernetes context, at most {@code parallel} at once, and returns the results
 * in the order of the contexts, whatever finishes first. A task reports its own failures in its
 * result: one context failing never stops the others.
 */
final class Contexts {
  private Contexts() {}

  static <T, R> List<R> each(List<T> items, int parallel, Function<T, R> task) {
    if (items.size() <= 1 || parallel <= 1) {
      return items.stream().map(task).toList();
    }
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.min(parallel, items.size()),
            r -> {
              Thread t = new Thread(r, "spinclean-context");
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<R>> futures = new ArrayList<>();
      for (T item : items) {
        futures.add(pool.submit(() -> task.apply(item)));
      }
      List<R> results = new ArrayList<>();
      for (Future<R> f : futures) {
        results.add(f.get());
      }
      return results;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the contexts", e);
    } catch (ExecutionException e) {
      // a bug in a task (tasks catch what a context can fail with): the trace goes to stderr
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * The exit code of a run over several contexts: the highest in precedence of theirs, 1 and 2,
   * then 4, then 3, then 5, then 0 (see {@link ExitCode}).
   */
  static int worst(List<Integer> codes) {
    int worst = ExitCode.OK;
    for (int code : codes) {
      if (rank(code) > rank(worst)) {
        worst = code;
      }
    }
    return worst;
  }

  private static int rank(int code) {
    return switch (code) {
      case ExitCode.COULD_NOT_RUN, ExitCode.USAGE -> 5;
      case ExitCode.DELETION_FAILED -> 4;
      case ExitCode.REFUSED -> 3;
      case ExitCode.WAIT_TIMED_OUT -> 2;
      default -> code == ExitCode.OK ? 0 : 1;
    };
  }
}
