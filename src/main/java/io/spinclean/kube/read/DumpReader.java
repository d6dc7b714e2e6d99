package io.spinclean.kube.read;

import io.spinclean.core.Pod;
import io.spinclean.core.ReplicaSet;
import io.spinclean.core.Service;
import io.spinclean.core.Snapshot;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads cluster dumps, exactly what {@code kubectl get replicasets,pods,services [-A] -o json|yaml}
 * prints, into one {@link Snapshot}: from files, or from standard input for {@code -}.
 *
 * <p>Each source may be a {@code List} (or a typed list such as {@code ReplicaSetList}), several
 * YAML documents separated by {@code ---}, or single objects, in JSON or YAML. Objects of other
 * kinds are ignored. A missing namespace is {@code default}, as for kubectl.
 *
 * <p>Every problem is an {@link InputException} whose message is one sentence naming the source
 * ({@code stdin} for {@code -}) and what is wrong:
 *
 * <ul>
 *   <li>{@code x.json: no such file}, {@code x.json: is a directory}, {@code x.json: permission
 *       denied}
 *   <li>{@code x.json: not JSON or YAML (line 3, column 5: ...)}
 *   <li>{@code x.json: no Kubernetes objects found} — a source without any document (empty, or only
 *       comments). A source that holds only an empty List is fine: it adds nothing.
 *   <li>{@code x.yaml: document 2 (line 14) has no kind}, {@code x.json: item 4 (line 120) has no
 *       kind}
 *   <li>{@code x.json: ReplicaSet at item 4 (line 120) has no metadata.name}
 *   <li>{@code x.json: ReplicaSet web-v001 at item 4 (line 120) is not a valid ReplicaSet: ...} and
 *       {@code ...: metadata.creationTimestamp is not an RFC 3339 time: "yesterday"}
 *   <li>{@code stdin: "-" is given more than once, but standard input can be read only once}
 *   <li>{@code b.json: Pod example/p at item 2 (line 9) differs from the one in a.json} — the same
 *       object twice with different contents is ambiguous; the same object twice with the same
 *       contents (e.g. one file given twice) is read once.
 * </ul>
 */
public final class DumpReader {
  static final String STDIN = "stdin";

  private final Map<String, Seen<ReplicaSet>> replicaSets = new LinkedHashMap<>();
  private final Map<String, Seen<Pod>> pods = new LinkedHashMap<>();
  private final Map<String, Seen<Service>> services = new LinkedHashMap<>();

  private DumpReader() {}

  /**
   * Reads dump files into one snapshot.
   *
   * @param sources paths, or {@code -} for {@code stdin} (at most once); at least one
   * @param stdin read only for {@code -}, and never closed
   * @param takenAt the snapshot's time: a dump does not say when it was taken, so the caller
   *     decides (the CLI passes the current time)
   */
  public static Snapshot read(List<String> sources, InputStream stdin, Instant takenAt)
      throws InputException {
    if (sources.isEmpty()) {
      throw new IllegalArgumentException("no sources to read");
    }
    DumpReader reader = new DumpReader();
    boolean stdinRead = false;
    for (String source : sources) {
      if (source.equals("-")) {
        if (stdinRead) {
          throw new InputException(
              STDIN + ": \"-\" is given more than once, but standard input can be read only once");
        }
        stdinRead = true;
        DumpParser.parse(STDIN, new Unclosed(stdin), item -> reader.add(STDIN, item));
      } else {
        parseFile(source, false, item -> reader.add(source, item));
      }
    }
    return new Snapshot(
        takenAt, values(reader.replicaSets), values(reader.pods), values(reader.services));
  }

  /**
   * Parses one file, with the messages above for files that cannot be opened.
   *
   * @param whole each item also as a tree ({@link DumpParser#parseWhole})
   */
  public static void parseFile(String source, boolean whole, DumpParser.Sink sink)
      throws InputException {
    Path path;
    try {
      path = Path.of(source);
    } catch (InvalidPathException e) {
      throw new InputException(source + ": not a valid path (" + e.getReason() + ")", e);
    }
    if (Files.isDirectory(path)) {
      throw new InputException(source + ": is a directory");
    }
    try (InputStream in = Files.newInputStream(path)) {
      if (whole) {
        DumpParser.parseWhole(source, in, sink);
      } else {
        DumpParser.parse(source, in, sink);
      }
    } catch (NoSuchFileException e) {
      throw new InputException(source + ": no such file", e);
    } catch (AccessDeniedException e) {
      throw new InputException(source + ": permission denied", e);
    } catch (IOException e) {
      throw new InputException(source + ": cannot read (" + e.getMessage() + ")", e);
    }
  }

  private void add(String source, DumpParser.Item item) throws InputException {
    if (item.record() instanceof ReplicaSet r) {
      remember(replicaSets, "ReplicaSet", r.namespace(), r.name(), r, source, item);
    } else if (item.record() instanceof Pod p) {
      remember(pods, "Pod", p.namespace(), p.name(), p, source, item);
    } else if (item.record() instanceof Service s) {
      remember(services, "Service", s.namespace(), s.name(), s, source, item);
    }
  }

  private static <T> void remember(
      Map<String, Seen<T>> seen,
      String kind,
      String namespace,
      String name,
      T value,
      String source,
      DumpParser.Item item)
      throws InputException {
    String key = namespace + "/" + name;
    Seen<T> before = seen.putIfAbsent(key, new Seen<>(value, source));
    if (before != null && !before.value().equals(value)) {
      // "Pod p at item 2 (line 9)" becomes "Pod example/p at item 2 (line 9)"
      String where = kind + " " + key + item.where().substring(kind.length() + name.length() + 1);
      throw new InputException(
          source
              + ": "
              + where
              + " differs from the one "
              + (before.source().equals(source) ? "before it" : "in " + before.source()));
    }
  }

  private static <T> List<T> values(Map<String, Seen<T>> seen) {
    List<T> list = new ArrayList<>(seen.size());
    seen.values().forEach(s -> list.add(s.value()));
    return list;
  }

  private record Seen<T>(T value, String source) {}

  /** Standard input belongs to the caller: reading it to the end must not close it. */
  private static final class Unclosed extends FilterInputStream {
    Unclosed(InputStream in) {
      super(in);
    }

    @Override
    public void close() {}
  }
}
