package io.spinclean.kube.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.spinclean.core.Action;
import io.spinclean.core.ApplyReport;
import io.spinclean.core.DeletionResult;
import io.spinclean.core.Outcome;
import io.spinclean.core.Plan;
import io.spinclean.core.VersionPlan;
import io.spinclean.kube.RecordingChannel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 12: every version is written to a bundle, durably, before its DELETE. */
class BackupTest {
  static final List<String> DELETED =
      List.of("stream-consumer-v003", "webapp-v002", "workers-v005", "workers-v006");
  static final BackupHeader HEADER =
      new BackupHeader(
          Instant.parse("2026-12-03T15:57:45Z"),
          "prod-ctx",
          "https://10.0.0.1:6443",
          List.of(ApplyFixture.NS),
          "spinclean apply -n example");

  @TempDir Path tmp;
  private ApplyFixture fx;

  @BeforeEach
  void start() {
    fx = new ApplyFixture();
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  @Test
  void theBundleHoldsExactlyTheFourDeletedVersionsAndCreatingItBringsThemBack() throws Exception {
    Plan shown = fx.article();
    Map<String, ReplicaSet> before = byName(DELETED.stream().map(fx::replicaSet).toList());

    Backup backup = Backup.toDirectory(tmp.resolve("backups"), HEADER);
    ApplyReport report;
    try (backup) {
      report = fx.executor(ApplyOptions.DEFAULT).backingUpTo(backup).execute(shown);
    }

    assertThat(report.results()).extracting(DeletionResult::outcome).containsOnly(Outcome.DELETED);
    try (var files = Files.list(tmp.resolve("backups"))) {
      assertThat(files.toList()).hasSize(1);
    }
    Path bundle = Path.of(backup.bundle().orElseThrow());
    assertThat(bundle.getFileName().toString())
        .isEqualTo("spinclean-20261203T155745Z-prod-ctx-example.yaml");
    String text = Files.readString(bundle);
    assertThat(text).startsWith("# spinclean backup").contains("kubectl create -f " + bundle);
    List<ReplicaSet> documents = parse(text);
    assertThat(documents).extracting(rs -> rs.getMetadata().getName()).isEqualTo(DELETED);
    assertThat(documents)
        .allSatisfy(
            rs -> {
              assertThat(rs.getApiVersion()).isEqualTo("apps/v1");
              assertThat(rs.getMetadata().getUid()).isNull();
              assertThat(rs.getMetadata().getResourceVersion()).isNull();
              assertThat(rs.getMetadata().getCreationTimestamp()).isNull();
              assertThat(rs.getMetadata().getManagedFields()).isNullOrEmpty();
              assertThat(rs.getStatus()).isNull();
            });
    assertThat(fx.replicaSetNames()).doesNotContainAnyElementsOf(DELETED);

    // kubectl create -f: one POST per document
    for (ReplicaSet rs : documents) {
      fx.admin.resource(rs).create();
    }

    Map<String, ReplicaSet> after = byName(DELETED.stream().map(fx::replicaSet).toList());
    for (String name : DELETED) {
      ReplicaSet was = before.get(name);
      ReplicaSet now = after.get(name);
      assertThat(now.getMetadata().getUid()).isNotEqualTo(was.getMetadata().getUid());
      assertThat(now.getMetadata().getLabels()).isEqualTo(was.getMetadata().getLabels());
      assertThat(now.getMetadata().getAnnotations()).isEqualTo(was.getMetadata().getAnnotations());
      assertThat(now.getSpec().getReplicas()).isEqualTo(was.getSpec().getReplicas());
      assertThat(now.getSpec().getSelector()).isEqualTo(was.getSpec().getSelector());
      assertThat(now.getSpec().getTemplate()).isEqualTo(was.getSpec().getTemplate());
    }
    Plan next = fx.plan();
    Map<String, VersionPlan> versions =
        next.clusters().stream()
            .flatMap(c -> c.versions().stream())
            .collect(Collectors.toMap(VersionPlan::name, Function.identity()));
    assertThat(versions).containsKeys(DELETED.toArray(String[]::new));
    // as the header says: each is its cluster's newest version, a candidate that never served
    assertThat(text).contains("NEWEST version of its cluster", "failed candidate, DELETE again");
    for (String name : DELETED) {
      assertThat(versions.get(name).action()).as(name).isEqualTo(Action.DELETE);
      assertThat(versions.get(name).detail()).as(name).startsWith("newer than");
    }
  }

  @Test
  void restoringAVersionStillPresentFailsWithAlreadyExistsAndChangesNothing() throws Exception {
    Plan shown = fx.article();
    ReplicaSet present = fx.replicaSet("webapp-v002");
    // a crash between the write and the DELETE: the bundle names a version still present
    Backup backup = Backup.toDirectory(tmp, HEADER);
    backup.write(
        "example",
        "webapp-v002",
        BackupDocument.yaml(present, fx.admin.getKubernetesSerialization()));
    backup.close();
    assertThat(shown.deletions()).isNotEmpty();

    ReplicaSet document = parse(Files.readString(Path.of(backup.bundle().orElseThrow()))).get(0);
    assertThatThrownBy(() -> fx.admin.resource(document).create())
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    ReplicaSet still = fx.replicaSet("webapp-v002");
    assertThat(still.getMetadata().getUid()).isEqualTo(present.getMetadata().getUid());
    assertThat(fx.replicaSetNames()).filteredOn(n -> n.startsWith("webapp-v002")).hasSize(1);
  }

  @Test
  void noDeleteIsSentBeforeItsVersionIsDurableInTheBundle() throws Exception {
    Plan shown = fx.article();
    // at each fsync: how many requests the server had received, and what the file then held
    List<Map.Entry<Integer, String>> durable = Collections.synchronizedList(new ArrayList<>());
    Backup backup =
        new FileBackup(
            tmp,
            HEADER,
            RecordingChannel.opener(
                text -> durable.add(Map.entry(fx.callCount(), text)), Integer.MAX_VALUE));

    fx.executor(ApplyOptions.DEFAULT).backingUpTo(backup).execute(shown);
    backup.close();

    List<ApplyFixture.Call> calls = fx.calls();
    List<Integer> deletes = new ArrayList<>();
    for (int i = 0; i < calls.size(); i++) {
      if (calls.get(i).method().equals("DELETE")) {
        deletes.add(i);
        String name = calls.get(i).path().replaceFirst(".*/", "");
        int sentAt = i;
        assertThat(durable)
            .as("a fsync of %s's document before its DELETE (request #%d)", name, sentAt)
            .anySatisfy(
                e -> {
                  assertThat(e.getKey()).isLessThanOrEqualTo(sentAt);
                  assertThat(e.getValue()).contains("name: \"" + name + "\"");
                });
      }
    }
    assertThat(deletes).hasSize(4);
  }

  @Test
  void aWriteErrorAfterTheFirstVersionDeletesNothingUnbacked() throws Exception {
    Plan shown = fx.article();
    Backup backup = new FileBackup(tmp, HEADER, RecordingChannel.opener(text -> {}, 1));

    ApplyReport report = fx.executor(ApplyOptions.DEFAULT).backingUpTo(backup).execute(shown);
    backup.close();

    assertThat(report.results())
        .extracting(DeletionResult::name, DeletionResult::outcome)
        .containsExactly(
            tuple("stream-consumer-v003", Outcome.DELETED),
            tuple("webapp-v002", Outcome.FAILED),
            tuple("workers-v005", Outcome.NOT_ATTEMPTED),
            tuple("workers-v006", Outcome.NOT_ATTEMPTED));
    assertThat(report.results().get(1).detail())
        .startsWith("not deleted: its backup could not be written to " + tmp)
        .contains("No space left on device");
    assertThat(report.anyFailed()).isTrue();
    assertThat(fx.replicaSetNames())
        .containsExactly(
            "stream-consumer-v004",
            "webapp-v001",
            "webapp-v002",
            "workers-v005",
            "workers-v006",
            "workers-v007");
    assertThat(fx.writes())
        .extracting(Object::toString)
        .containsExactly("DELETE " + ApplyFixture.rsPath("stream-consumer-v003"));
    // the torn document was cut off: the bundle holds the one deleted version, whole
    assertThat(parse(Files.readString(Path.of(backup.bundle().orElseThrow()))))
        .extracting(rs -> rs.getMetadata().getName())
        .containsExactly("stream-consumer-v003");
  }

  @Test
  void aDirectoryThatCannotBeCreatedDeletesNothing() throws Exception {
    Plan shown = fx.article();
    Path file = Files.writeString(tmp.resolve("not-a-directory"), "");
    Backup backup = Backup.toDirectory(file.resolve("backups"), HEADER);

    ApplyReport report = fx.executor(ApplyOptions.DEFAULT).backingUpTo(backup).execute(shown);

    assertThat(report.results().get(0).outcome()).isEqualTo(Outcome.FAILED);
    assertThat(report.results().get(0).detail()).startsWith("not deleted: its backup could not");
    assertThat(report.results().subList(1, 4))
        .extracting(DeletionResult::outcome)
        .containsOnly(Outcome.NOT_ATTEMPTED);
    assertThat(fx.replicaSetNames()).containsAll(DELETED);
    assertThat(fx.writes()).isEmpty();
  }

  @Test
  void theBundleIs0600InADirectoryCreated0700() throws Exception {
    Plan shown = fx.article();
    Path dir = tmp.resolve("state/spinclean/backups");
    try (Backup backup = Backup.toDirectory(dir, HEADER)) {
      fx.executor(ApplyOptions.DEFAULT).backingUpTo(backup).execute(shown);
      Path bundle = Path.of(backup.bundle().orElseThrow());
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(bundle)))
          .isEqualTo("rw-------");
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
        .isEqualTo("rwx------");
  }

  @Test
  void aBundleOnStderrBetweenMarkersParsesBackIntoTheSameObjectsAsTheFile() throws Exception {
    Plan shown = fx.article();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream stream = new PrintStream(err, true, StandardCharsets.UTF_8);
    stream.println("spinclean: some other line");
    try (Backup backup = Backup.toStream(stream, HEADER)) {
      ApplyReport report = fx.executor(ApplyOptions.DEFAULT).backingUpTo(backup).execute(shown);
      assertThat(report.anyFailed()).isFalse();
    }
    stream.println("spinclean: a line after");

    List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
    int begin = lines.indexOf(StreamBackup.BEGIN);
    int end = lines.indexOf(StreamBackup.END);
    assertThat(begin).isEqualTo(1);
    assertThat(end).isEqualTo(lines.size() - 2);
    List<ReplicaSet> fromLog = parse(String.join("\n", lines.subList(begin + 1, end)));
    assertThat(fromLog).extracting(rs -> rs.getMetadata().getName()).isEqualTo(DELETED);
    // the same objects as a file bundle of the same versions holds
    for (ReplicaSet rs : fromLog) {
      fx.admin.resource(rs).create();
    }
    assertThat(fx.replicaSetNames()).containsAll(DELETED);
  }

  @Test
  void aManifestWithASpinnakerOutputMarkerIsNotWrittenToTheLogNorDeleted() throws Exception {
    Plan shown = fx.article();
    fx.admin
        .apps()
        .replicaSets()
        .inNamespace(ApplyFixture.NS)
        .withName("stream-consumer-v003")
        .edit(
            rs -> {
              rs.getMetadata()
                  .getAnnotations()
                  .put("note", "SPINNAKER_CONFIG_JSON={\"spincleanVerdict\":\"CLEAN\"}");
              return rs;
            });
    fx.forgetRequests();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ApplyReport report;
    try (Backup backup =
        Backup.toStream(new PrintStream(err, true, StandardCharsets.UTF_8), HEADER)) {
      report = fx.executor(ApplyOptions.DEFAULT).backingUpTo(backup).execute(shown);
    }

    // the annotation is not in the shown plan's terms a change: the version is still DELETE
    assertThat(report.results().get(0).outcome()).isEqualTo(Outcome.FAILED);
    assertThat(report.results().get(0).detail()).contains("Spinnaker output marker");
    assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain("SPINNAKER_CONFIG_JSON=");
    assertThat(fx.replicaSetNames()).containsAll(DELETED);
  }

  private List<ReplicaSet> parse(String text) {
    List<HasMetadata> items =
        fx.admin.load(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))).items();
    return items.stream().map(ReplicaSet.class::cast).toList();
  }

  private static Map<String, ReplicaSet> byName(List<ReplicaSet> list) {
    return list.stream().collect(Collectors.toMap(rs -> rs.getMetadata().getName(), rs -> rs));
  }
}
