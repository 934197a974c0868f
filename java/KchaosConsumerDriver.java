import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The Java kafka-clients KafkaConsumer behind docs/consumer-protocol.md (client "java" of the
 * consumers suite). Argument: one JSON object { bootstrap, topic, settings, consumerId } (the
 * harness's ConsumerSettings). Writes one JSON event a line on stdout (ready once the first poll
 * joined the group and got an assignment, assigned, revoked,
 * poll, process, commit, error, closed); reads {"cmd":"close","timeoutMs":N} on stdin and closes
 * when stdin ends. Diagnostics go to stderr.
 *
 * The application is this driver's poll loop, doing per processing mode what
 * harness/consumers/processing-mode.ts does for the JavaScript clients:
 * - auto-commit (and store-after-processing, which Java cannot express otherwise): enable.auto.commit
 *   = true. Java's auto-commit runs inside poll() and commits the positions of records that earlier
 *   polls returned, which this single-threaded loop has processed by then; close() commits too.
 *   The library's commits are reported from a ConsumerInterceptor's onCommit (successes only: the
 *   client reports no failed auto-commit to the application).
 * - commit-before-processing / commit-after-processing / commit-per-batch: enable.auto.commit =
 *   false and commitSync(offsets) as the mode says; a failed commit stops the batch and seeks its
 *   partitions back to the first unprocessed record (what an app that throws gets in kafkajs).
 * eachMessage hands the records of a poll to the application one at a time (as kafkajs does);
 * eachBatch hands over the whole poll.
 */
public final class KchaosConsumerDriver {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static PrintStream protocol;
  private static final AtomicLong autoCommitIds = new AtomicLong();
  private static volatile boolean autoMode;
  private static volatile String topic;
  private static volatile long closeTimeoutMs = -1;

  private static KafkaConsumer<byte[], byte[]> consumer;
  private static long nextCommitId;
  private static boolean ready;

  public static void main(String[] args) {
    protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
    System.setOut(System.err); // no logger can corrupt the protocol
    try {
      run(JSON.readTree(args.length > 0 ? args[0] : "{}"));
    } catch (Throwable e) {
      emit(event("error").put("message", "java consumer driver: " + e));
      e.printStackTrace();
      System.exit(3);
    }
    System.exit(0);
  }

  private static void run(JsonNode config) throws Exception {
    topic = config.path("topic").asText();
    JsonNode s = config.path("settings");
    String mode = s.path("mode").asText("commit-after-processing");
    boolean eachMessage = !"eachBatch".equals(s.path("api").asText("eachMessage"));
    long processingMs = s.path("processingMs").asLong(0);
    autoMode = "auto-commit".equals(mode) || "store-after-processing".equals(mode);

    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.path("bootstrap").asText());
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "kchaos-java-" + config.path("consumerId").asText());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, s.path("groupId").asText());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, String.valueOf(autoMode));
    props.put(ConsumerConfig.AUTO_COMMIT_INTERVAL_MS_CONFIG, s.path("autoCommitIntervalMs").asText("1000"));
    props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, s.path("sessionTimeoutMs").asText("10000"));
    props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, s.path("heartbeatIntervalMs").asText("1000"));
    props.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, s.path("maxPollIntervalMs").asText("30000"));
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, s.path("maxPollRecords").asText("100"));
    props.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, s.path("requestTimeoutMs").asText("5000"));
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, s.path("autoOffsetReset").asText("earliest"));
    props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, s.path("fetchMaxWaitMs").asText("500"));
    props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    props.put(ConsumerConfig.RECONNECT_BACKOFF_MS_CONFIG, "50");
    props.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "500");
    props.put(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG, CommitReporter.class.getName());
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    Iterator<Map.Entry<String, JsonNode>> raw = s.path("raw").fields();
    while (raw.hasNext()) {
      Map.Entry<String, JsonNode> e = raw.next();
      props.put(e.getKey(), e.getValue().asText()); // raw wins, as for the other clients
    }

    consumer = new KafkaConsumer<>(props);
    startCommandReader();
    consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
      @Override
      public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        emit(rebalance("revoked", partitions));
      }

      @Override
      public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        emit(rebalance("assigned", partitions));
        // ready = joined, as kafkajs' run() and Confluent's resolve only after the first join:
        // the scenario's clock (faults, the crash) starts when consumption can start.
        if (!ready) {
          ready = true;
          emit(event("ready"));
        }
      }

      @Override
      public void onPartitionsLost(Collection<TopicPartition> partitions) {
        emit(rebalance("revoked", partitions)); // lost = revoked without the chance to commit
      }
    });

    try {
      while (true) {
        ConsumerRecords<byte[], byte[]> polled = consumer.poll(Duration.ofMillis(100));
        if (polled.isEmpty()) continue;
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        polled.forEach(records::add);
        if (eachMessage) {
          for (int i = 0; i < records.size(); i++) {
            if (!handle(mode, records.subList(i, i + 1), processingMs)) {
              seekBack(records.subList(i, records.size()));
              break;
            }
          }
        } else if (!handle(mode, records, processingMs)) {
          seekBack(records);
        }
      }
    } catch (WakeupException closing) {
      // the close command woke the loop
    }
    try {
      consumer.close(Duration.ofMillis(Math.max(0, closeTimeoutMs)));
    } catch (Exception e) {
      emit(event("error").put("message", "close: " + e));
    }
    emit(event("closed"));
  }

  /** The application's handling of a batch per mode; false when an application commit failed. */
  private static boolean handle(String mode, List<ConsumerRecord<byte[], byte[]>> records, long processingMs) throws InterruptedException {
    ArrayNode polled = JSON.createArrayNode();
    for (ConsumerRecord<byte[], byte[]> r : records) polled.add(record(r));
    ObjectNode poll = event("poll");
    poll.set("records", polled);
    emit(poll);
    switch (mode) {
      case "commit-before-processing":
        if (!commit(records)) return false;
        for (ConsumerRecord<byte[], byte[]> r : records) process(r, processingMs);
        return true;
      case "commit-after-processing":
        for (ConsumerRecord<byte[], byte[]> r : records) {
          process(r, processingMs);
          if (!commit(List.of(r))) return false;
        }
        return true;
      case "commit-per-batch":
        for (ConsumerRecord<byte[], byte[]> r : records) process(r, processingMs);
        return commit(records);
      default: // auto-commit, store-after-processing
        for (ConsumerRecord<byte[], byte[]> r : records) process(r, processingMs);
        return true;
    }
  }

  private static void process(ConsumerRecord<byte[], byte[]> r, long processingMs) throws InterruptedException {
    emit(event("process").put("phase", "invoke").set("record", record(r)));
    if (processingMs > 0) Thread.sleep(processingMs);
    emit(event("process").put("phase", "ok").set("record", record(r)));
  }

  /** commitSync of the records' next offsets; ok, fail (refused) or info (the client cannot tell). */
  private static boolean commit(List<ConsumerRecord<byte[], byte[]>> records) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : records) offsets.merge(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1),
        (a, b) -> a.offset() >= b.offset() ? a : b);
    long id = nextCommitId++;
    emit(commitEvent("invoke", id, offsets, false));
    try {
      consumer.commitSync(offsets);
      emit(commitEvent("ok", id, offsets, false));
      return true;
    } catch (WakeupException | InterruptException e) {
      emit(commitEvent("info", id, offsets, false).put("error", e.toString()));
      throw e;
    } catch (TimeoutException e) {
      // default.api.timeout.ms ran out: the request may have been applied.
      emit(commitEvent("info", id, offsets, false).put("error", e.toString()));
      return false;
    } catch (RuntimeException e) {
      emit(commitEvent("fail", id, offsets, false).put("error", e.toString()));
      return false;
    }
  }

  /** After a failed commit: the unprocessed records' partitions go back to their first offset (if still ours). */
  private static void seekBack(List<ConsumerRecord<byte[], byte[]>> rest) {
    Map<TopicPartition, Long> first = new LinkedHashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : rest) first.putIfAbsent(new TopicPartition(r.topic(), r.partition()), r.offset());
    for (Map.Entry<TopicPartition, Long> e : first.entrySet()) {
      if (consumer.assignment().contains(e.getKey())) consumer.seek(e.getKey(), e.getValue());
    }
  }

  /** Reports the library's own commits (auto-commit, close) in the auto modes. */
  public static final class CommitReporter implements ConsumerInterceptor<byte[], byte[]> {
    @Override
    public ConsumerRecords<byte[], byte[]> onConsume(ConsumerRecords<byte[], byte[]> records) {
      return records;
    }

    @Override
    public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
      if (!autoMode) return;
      long id = autoCommitIds.getAndIncrement();
      emit(commitEvent("invoke", id, offsets, true));
      emit(commitEvent("ok", id, offsets, true));
    }

    @Override
    public void close() {}

    @Override
    public void configure(Map<String, ?> configs) {}
  }

  private static void startCommandReader() {
    Thread reader = new Thread(() -> {
      long timeoutMs = 5_000;
      try {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
          JsonNode command = JSON.readTree(line);
          if ("close".equals(command.path("cmd").asText())) {
            timeoutMs = command.path("timeoutMs").asLong(10_000);
            break;
          }
        }
      } catch (Exception e) {
        System.err.println("kchaos consumer driver: stdin: " + e);
      }
      closeTimeoutMs = timeoutMs;
      consumer.wakeup();
    }, "kchaos-commands");
    reader.setDaemon(true);
    reader.start();
  }

  private static ObjectNode rebalance(String kind, Collection<TopicPartition> partitions) {
    ArrayNode list = JSON.createArrayNode();
    partitions.stream().filter((p) -> p.topic().equals(topic)).mapToInt(TopicPartition::partition).sorted().forEach(list::add);
    ObjectNode e = event(kind);
    e.set("partitions", list);
    try {
      e.put("generation", consumer.groupMetadata().generationId());
    } catch (RuntimeException unknown) {
      e.putNull("generation");
    }
    return e;
  }

  private static ObjectNode commitEvent(String phase, long id, Map<TopicPartition, OffsetAndMetadata> offsets, boolean auto) {
    ArrayNode list = JSON.createArrayNode();
    for (Map.Entry<TopicPartition, OffsetAndMetadata> e : offsets.entrySet()) {
      if (e.getKey().topic().equals(topic)) list.addObject().put("partition", e.getKey().partition()).put("offset", e.getValue().offset());
    }
    ObjectNode event = event("commit").put("phase", phase).put("id", id).put("auto", auto);
    event.set("offsets", list);
    return event;
  }

  private static ObjectNode record(ConsumerRecord<byte[], byte[]> r) {
    ObjectNode o = JSON.createObjectNode().put("partition", r.partition()).put("offset", r.offset());
    Integer seq = null;
    try {
      JsonNode value = r.value() == null ? null : JSON.readTree(r.value());
      if (value != null && value.path("seq").isIntegralNumber()) seq = value.path("seq").asInt();
    } catch (Exception notJson) {
      // a value without a seq
    }
    if (seq == null) o.putNull("seq");
    else o.put("seq", seq);
    if (r.key() == null) o.putNull("key");
    else o.put("key", new String(r.key(), StandardCharsets.UTF_8));
    return o;
  }

  private static ObjectNode event(String kind) {
    return JSON.createObjectNode().put("e", kind);
  }

  private static synchronized void emit(ObjectNode event) {
    protocol.println(event.toString());
    protocol.flush();
  }
}
