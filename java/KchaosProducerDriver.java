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
import java.util.Base64;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.InvalidRequiredAcksException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.NotEnoughReplicasAfterAppendException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.UnsupportedForMessageFormatException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The Java kafka-clients producer behind docs/producer-protocol.md (client "java" of
 * kafka-chaos-harness). Reads requests from stdin, one JSON object a line; writes answers to
 * stdout, one a line, flushed; diagnostics go to stderr. Needs only the Kafka jars (kafka-clients
 * and the jackson-databind that ships with Kafka) on the classpath.
 *
 * Settings map onto the producer as: acks, enable.idempotence, retries, request.timeout.ms,
 * delivery.timeout.ms (raised to linger.ms + request.timeout.ms if lower, as the client demands),
 * max.in.flight.requests.per.connection, linger.ms, batch.size, max.block.ms (= the delivery
 * timeout, so a send never blocks the request loop for long); then `raw` unchanged (it wins), e.g.
 * partitioner.adaptive.partitioning.enable, partitioner.availability.timeout.ms,
 * partitioner.ignore.keys.
 *
 * A failure is "definite" (history fail) only when the client guarantees the record was not written:
 * - send() threw, or reported the error through the callback before it returned (serialization,
 *   RecordTooLarge against max.request.size, BufferExhausted, a max.block.ms metadata timeout,
 *   producer closed): the record never reached the accumulator;
 * - the broker rejected the batch (NotEnoughReplicas, RecordTooLarge, NotLeaderOrFollower, …) and no
 *   earlier attempt of it can have landed: retries = 0, or no connection of this producer was closed
 *   between the send and the answer (a request timeout closes its connection; a timed-out attempt
 *   may have been written, and the client does not tell which attempt a record had).
 * Everything else is unknown: TimeoutException (a batch expired in the accumulator, possibly after an
 * attempt, or in flight), NotEnoughReplicasAfterAppend (written on the leader), a forced close, ….
 */
public final class KchaosProducerDriver {
  /** How long start-up waits for the topic's metadata, over several max.block.ms tries. */
  private static final long METADATA_WAIT_MS = 15_000;
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The real stdout; System.out is pointed at stderr so no logger can corrupt the protocol. */
  private static PrintStream protocol;

  private static KafkaProducer<String, byte[]> producer;
  private static String topic;
  private static int retries;
  /** producer-metrics connection-close-total: counts every closed connection, request timeouts included. */
  private static Metric connectionCloses;

  public static void main(String[] args) throws Exception {
    protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
    System.setOut(System.err);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));

    String line = in.readLine();
    if (line == null) System.exit(0);
    try {
      JsonNode init = JSON.readTree(line);
      if (!"init".equals(init.path("type").asText())) throw new IllegalArgumentException("the first request must be init, got: " + line);
      start(init);
    } catch (Throwable e) {
      ObjectNode error = JSON.createObjectNode().put("type", "error").put("error", describe(e));
      emit(error);
      e.printStackTrace();
      System.exit(1);
    }
    emit(JSON.createObjectNode().put("type", "ready"));

    while ((line = in.readLine()) != null) {
      if (line.isBlank()) continue;
      JsonNode request;
      try {
        request = JSON.readTree(line);
      } catch (Exception e) {
        System.err.println("kchaos driver: ignoring a line that is not JSON: " + line);
        continue;
      }
      switch (request.path("type").asText()) {
        case "send":
          send(request.path("id").asLong(), request.path("messages"));
          break;
        case "close":
          close(request.path("timeoutMs").asLong(5_000));
          return;
        default:
          System.err.println("kchaos driver: ignoring an unknown request: " + line);
      }
    }
    // stdin ended without a close: the harness is gone. Do not linger.
    System.err.println("kchaos driver: stdin ended without close; closing at once");
    close(0);
  }

  private static void start(JsonNode init) {
    topic = init.path("topic").asText();
    JsonNode s = init.path("settings");
    retries = s.path("retries").asInt(1);
    int requestTimeoutMs = s.path("requestTimeoutMs").asInt(2_000);
    int lingerMs = s.path("lingerMs").asInt(0);
    int deliveryTimeoutMs = s.path("deliveryTimeoutMs").asInt(5_000);
    int minimumDeliveryTimeoutMs = lingerMs + requestTimeoutMs;
    if (deliveryTimeoutMs < minimumDeliveryTimeoutMs) {
      System.err.println("kchaos driver: deliveryTimeoutMs " + deliveryTimeoutMs + " is below linger.ms + request.timeout.ms = "
          + minimumDeliveryTimeoutMs + ", which the Java client rejects; using delivery.timeout.ms=" + minimumDeliveryTimeoutMs);
      deliveryTimeoutMs = minimumDeliveryTimeoutMs;
    }

    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, init.path("bootstrap").asText());
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "kchaos-java");
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.ACKS_CONFIG, s.path("acks").asText("all"));
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, String.valueOf(s.path("idempotent").asBoolean(false)));
    props.put(ProducerConfig.RETRIES_CONFIG, String.valueOf(retries));
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(requestTimeoutMs));
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(deliveryTimeoutMs));
    props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, String.valueOf(s.path("maxInFlight").asInt(5)));
    props.put(ProducerConfig.LINGER_MS_CONFIG, String.valueOf(lingerMs));
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(s.path("batchSizeBytes").asInt(16_384)));
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(deliveryTimeoutMs));
    for (Map.Entry<String, JsonNode> entry : s.path("raw").properties()) {
      props.put(entry.getKey(), entry.getValue().asText()); // strings, numbers and booleans as the client parses them
    }
    System.err.println("kchaos driver: producer config " + props);

    producer = new KafkaProducer<>(props);
    for (Map.Entry<MetricName, ? extends Metric> metric : producer.metrics().entrySet()) {
      if (metric.getKey().name().equals("connection-close-total") && metric.getKey().group().equals("producer-metrics")) {
        connectionCloses = metric.getValue();
      }
    }
    // Fetch the topic's metadata now, so the first send does not wait for it. One try is bounded by
    // max.block.ms; a bootstrap broker behind a blackhole can eat a whole try, so try again until
    // METADATA_WAIT_MS (as node-rdkafka's connect waits).
    long deadlineMs = System.currentTimeMillis() + METADATA_WAIT_MS;
    int partitions;
    while (true) {
      try {
        partitions = producer.partitionsFor(topic).size();
        break;
      } catch (TimeoutException e) {
        if (System.currentTimeMillis() >= deadlineMs) throw e;
        System.err.println("kchaos driver: no metadata for " + topic + " yet (" + e.getMessage() + "); trying again");
      }
    }
    System.err.println("kchaos driver: ready, topic " + topic + " has " + partitions + " partitions");
  }

  private static double connectionClosesNow() {
    if (connectionCloses == null) return Double.NaN; // unknown: NaN never equals, so no broker rejection is taken as definite
    Object value = connectionCloses.metricValue();
    return value instanceof Number ? ((Number) value).doubleValue() : Double.NaN;
  }

  /** One `send` request: every message handed to producer.send(); the result goes out when all are answered. */
  private static void send(long id, JsonNode messages) {
    int count = messages.size();
    AtomicReferenceArray<ObjectNode> outcomes = new AtomicReferenceArray<>(count);
    AtomicInteger remaining = new AtomicInteger(count);
    if (count == 0) {
      emitResult(id, outcomes);
      return;
    }
    Thread caller = Thread.currentThread();
    for (int i = 0; i < count; i++) {
      final int index = i;
      JsonNode m = messages.get(i);
      Integer partition = m.hasNonNull("partition") ? m.get("partition").asInt() : null;
      String key = m.hasNonNull("key") ? m.get("key").asText() : null;
      AtomicBoolean returned = new AtomicBoolean(false);
      AtomicBoolean settled = new AtomicBoolean(false);
      double closesAtSend = connectionClosesNow();
      Runnable settle = () -> {
        if (remaining.decrementAndGet() == 0) emitResult(id, outcomes);
      };
      Callback callback = (metadata, exception) -> {
        if (!settled.compareAndSet(false, true)) return;
        if (exception == null) {
          outcomes.set(index, acked(metadata));
        } else {
          // Called on the sending thread before send() returned: the record never reached the accumulator.
          boolean beforeAppend = !returned.get() && Thread.currentThread() == caller;
          boolean definite = beforeAppend || brokerRejectedEveryAttempt(exception, closesAtSend);
          outcomes.set(index, failure(exception, definite, metadata, partition));
        }
        settle.run();
      };
      try {
        byte[] value = Base64.getDecoder().decode(m.path("value").asText(""));
        producer.send(new ProducerRecord<>(topic, partition, key, value), callback);
      } catch (Exception e) {
        // send() threw: nothing was appended.
        if (settled.compareAndSet(false, true)) {
          outcomes.set(index, failure(e, true, null, partition));
          settle.run();
        }
      } finally {
        returned.set(true);
      }
    }
  }

  /** Broker answers that mean "not appended", and only if no earlier attempt may have been written. */
  private static boolean brokerRejectedEveryAttempt(Exception e, double closesAtSend) {
    if (e instanceof NotEnoughReplicasAfterAppendException) return false;
    boolean rejected = e instanceof NotEnoughReplicasException
        || e instanceof RecordTooLargeException
        || e instanceof RecordBatchTooLargeException
        || e instanceof CorruptRecordException
        || e instanceof InvalidRecordException
        || e instanceof InvalidTimestampException
        || e instanceof InvalidTopicException
        || e instanceof InvalidRequiredAcksException
        || e instanceof TopicAuthorizationException
        || e instanceof PolicyViolationException
        || e instanceof UnsupportedForMessageFormatException
        || e instanceof UnknownTopicOrPartitionException
        || e instanceof NotLeaderOrFollowerException;
    if (!rejected) return false;
    return retries == 0 || connectionClosesNow() == closesAtSend;
  }

  /** An ok outcome; with acks=0 the client knows no offset (RecordMetadata says -1): written as null, the protocol's "unknown". */
  private static ObjectNode acked(RecordMetadata metadata) {
    ObjectNode outcome = JSON.createObjectNode().put("ok", true).put("partition", metadata.partition());
    if (metadata.offset() >= 0) outcome.put("offset", metadata.offset());
    else outcome.putNull("offset");
    return outcome;
  }

  private static ObjectNode failure(Exception e, boolean definite, RecordMetadata metadata, Integer requestedPartition) {
    ObjectNode outcome = JSON.createObjectNode().put("ok", false).put("definite", definite).put("error", describe(e));
    // On an error the client's metadata still names the partition once one was chosen (-1 otherwise).
    if (metadata != null && metadata.partition() >= 0) outcome.put("partition", metadata.partition());
    else if (requestedPartition != null) outcome.put("partition", requestedPartition.intValue());
    else outcome.putNull("partition");
    return outcome;
  }

  private static String describe(Throwable e) {
    String text = e.getClass().getSimpleName() + ": " + e.getMessage();
    Throwable cause = e.getCause();
    return cause != null && cause != e ? text + " (cause: " + cause.getClass().getSimpleName() + ": " + cause.getMessage() + ")" : text;
  }

  private static void emitResult(long id, AtomicReferenceArray<ObjectNode> outcomes) {
    ObjectNode result = JSON.createObjectNode().put("type", "result").put("id", id);
    ArrayNode list = result.putArray("outcomes");
    for (int i = 0; i < outcomes.length(); i++) list.add(outcomes.get(i));
    emit(result);
  }

  private static void close(long timeoutMs) {
    // close() waits for in-flight sends up to timeoutMs, then fails what is left; every callback runs before it returns.
    try {
      producer.close(Duration.ofMillis(Math.max(0, timeoutMs)));
    } catch (Exception e) {
      System.err.println("kchaos driver: close failed: " + describe(e));
    }
    emit(JSON.createObjectNode().put("type", "closed"));
    System.exit(0);
  }

  /** One protocol line; callbacks on the producer's I/O thread and the request loop both write, so one at a time. */
  private static synchronized void emit(ObjectNode message) {
    try {
      protocol.print(JSON.writeValueAsString(message));
    } catch (Exception e) {
      throw new IllegalStateException("cannot serialise " + message, e);
    }
    protocol.print('\n');
    protocol.flush();
  }
}
