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
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The Java kafka-clients transactional producer, and optionally a read_committed consumer beside it
 * (the copier), behind docs/transactional-protocol.md. One JSON object a line on stdin / stdout;
 * diagnostics on stderr. Every call runs on the request thread, one at a time, as the harness's
 * copy loop and transactional workload call them; send callbacks answer from the I/O thread.
 *
 * A failed call is classified by what the client's javadoc says to do next:
 * - fatal: ProducerFencedException, OutOfOrderSequenceException, UnsupportedVersionException,
 *   AuthorizationException (anywhere in the cause chain: a producer in its fatal state wraps the
 *   first error), or IllegalStateException (a call in the wrong state) — close, make a new producer;
 * - retriable: TimeoutException from initTransactions / commitTransaction / abortTransaction — the
 *   same call may be made again (max.block.ms bounds each);
 * - abortable: any other KafkaException — abortTransaction.
 */
public final class KchaosTransactionalDriver {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static PrintStream protocol;
  private static KafkaProducer<String, byte[]> producer;
  private static KafkaConsumer<String, byte[]> consumer;
  private static String topic;
  private static String inputTopic;

  public static void main(String[] args) throws Exception {
    protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
    System.setOut(System.err); // no logger can corrupt the protocol
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line = in.readLine();
    if (line == null) System.exit(0);
    try {
      JsonNode init = JSON.readTree(line);
      if (!"init".equals(init.path("type").asText())) throw new IllegalArgumentException("the first request must be init, got: " + line);
      start(init);
    } catch (Throwable e) {
      emit(JSON.createObjectNode().put("type", "error").put("error", describe(e)));
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
        System.err.println("kchaos txn driver: ignoring a line that is not JSON: " + line);
        continue;
      }
      long id = request.path("id").asLong();
      switch (request.path("type").asText()) {
        case "call":
          emit(call(id, request));
          break;
        case "send":
          send(id, request.path("messages"));
          break;
        case "poll":
          emit(poll(id, request.path("timeoutMs").asLong(200)));
          break;
        case "close":
          close(request.path("timeoutMs").asLong(5_000));
          return;
        default:
          System.err.println("kchaos txn driver: ignoring an unknown request: " + line);
      }
    }
    System.err.println("kchaos txn driver: stdin ended without close; closing at once");
    close(0);
  }

  private static void start(JsonNode init) {
    topic = init.path("topic").asText();
    JsonNode s = init.path("settings");
    int requestTimeoutMs = s.path("requestTimeoutMs").asInt(2_000);
    int lingerMs = s.path("lingerMs").asInt(0);
    int deliveryTimeoutMs = Math.max(s.path("deliveryTimeoutMs").asInt(5_000), lingerMs + requestTimeoutMs); // the client rejects less
    int transactionTimeoutMs = init.path("transactionTimeoutMs").asInt(10_000);
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, init.path("bootstrap").asText());
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "kchaos-java-txn");
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, init.path("transactionalId").asText());
    props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, String.valueOf(transactionTimeoutMs));
    props.put(ProducerConfig.RETRIES_CONFIG, String.valueOf(s.path("retries").asInt(5)));
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(requestTimeoutMs));
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(deliveryTimeoutMs));
    props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, String.valueOf(Math.min(5, s.path("maxInFlight").asInt(5))));
    props.put(ProducerConfig.LINGER_MS_CONFIG, String.valueOf(lingerMs));
    // Bounds every blocking transactional call (init, commit, abort, sendOffsets), as the librdkafka
    // clients here bound theirs by transaction.timeout.ms: past it the coordinator aborts anyway.
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(transactionTimeoutMs));
    for (Map.Entry<String, JsonNode> entry : s.path("raw").properties()) props.put(entry.getKey(), entry.getValue().asText());
    System.err.println("kchaos txn driver: producer config " + props);
    producer = new KafkaProducer<>(props);

    JsonNode input = init.path("input");
    if (input.isObject()) {
      inputTopic = input.path("topic").asText();
      Properties c = new Properties();
      c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, init.path("bootstrap").asText());
      c.put(ConsumerConfig.CLIENT_ID_CONFIG, "kchaos-java-copier-in");
      c.put(ConsumerConfig.GROUP_ID_CONFIG, input.path("groupId").asText());
      c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
      c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
      // assign(), no subscribe: a new instance starts at once from the group's committed positions,
      // no rebalance to wait for; the group id only names where sendOffsetsToTransaction commits.
      List<TopicPartition> partitions = new ArrayList<>();
      for (int p = 0; p < input.path("partitions").asInt(); p++) partitions.add(new TopicPartition(inputTopic, p));
      consumer.assign(partitions);
    }
  }

  /** init | begin | commit | abort | offsets: one blocking call, answered as ok or a classified failure. */
  private static ObjectNode call(long id, JsonNode request) {
    String name = request.path("call").asText();
    ObjectNode answer = JSON.createObjectNode().put("type", "call-result").put("id", id);
    try {
      switch (name) {
        case "init":
          producer.initTransactions();
          break;
        case "begin":
          producer.beginTransaction();
          break;
        case "commit":
          producer.commitTransaction();
          break;
        case "abort":
          producer.abortTransaction();
          break;
        case "offsets":
          Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
          for (JsonNode o : request.path("offsets")) offsets.put(new TopicPartition(inputTopic, o.path("partition").asInt()), new OffsetAndMetadata(o.path("offset").asLong()));
          producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
          break;
        default:
          throw new IllegalArgumentException("unknown call " + name);
      }
      return answer.put("ok", true);
    } catch (Throwable e) {
      boolean fatal = isFatal(e);
      boolean retriable = !fatal && e instanceof TimeoutException && !name.equals("begin") && !name.equals("offsets");
      System.err.println("kchaos txn driver: " + name + " failed: " + describe(e));
      return answer.put("ok", false).put("error", describe(e)).put("fatal", fatal).put("retriable", retriable).put("abortable", !fatal && !retriable);
    }
  }

  private static boolean isFatal(Throwable e) {
    if (e instanceof IllegalStateException || e instanceof IllegalArgumentException) return true;
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ProducerFencedException || t instanceof OutOfOrderSequenceException || t instanceof UnsupportedVersionException || t instanceof AuthorizationException) return true;
    }
    return false;
  }

  /** Records handed over by one consumer poll (read_committed), or a failure (then the copier stops). */
  private static ObjectNode poll(long id, long timeoutMs) {
    ObjectNode answer = JSON.createObjectNode().put("type", "records").put("id", id);
    try {
      ArrayNode list = answer.putArray("records");
      for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(timeoutMs))) {
        list.addObject().put("partition", r.partition()).put("offset", r.offset()).put("value", Base64.getEncoder().encodeToString(r.value() == null ? new byte[0] : r.value()));
      }
      return answer.put("ok", true);
    } catch (Throwable e) {
      answer.remove("records");
      return answer.put("ok", false).put("error", describe(e));
    }
  }

  /** Sends inside the open transaction; the result goes out when every record is answered. */
  private static void send(long id, JsonNode messages) {
    int count = messages.size();
    AtomicReferenceArray<ObjectNode> outcomes = new AtomicReferenceArray<>(count);
    AtomicInteger remaining = new AtomicInteger(count);
    if (count == 0) {
      emitResult(id, outcomes);
      return;
    }
    for (int i = 0; i < count; i++) {
      final int index = i;
      JsonNode m = messages.get(i);
      Integer partition = m.hasNonNull("partition") ? m.get("partition").asInt() : null;
      try {
        byte[] value = Base64.getDecoder().decode(m.path("value").asText(""));
        producer.send(new ProducerRecord<>(topic, partition, m.hasNonNull("key") ? m.get("key").asText() : null, value), (metadata, exception) -> {
          ObjectNode outcome = JSON.createObjectNode();
          if (exception == null) {
            outcome.put("ok", true).put("partition", metadata.partition()).put("offset", metadata.offset());
          } else {
            // In a transaction a failed record may have been written by an earlier attempt: unknown.
            outcome.put("ok", false).put("definite", false).put("error", describe(exception));
            if (partition != null) outcome.put("partition", partition.intValue());
            else outcome.putNull("partition");
          }
          outcomes.set(index, outcome);
          if (remaining.decrementAndGet() == 0) emitResult(id, outcomes);
        });
      } catch (Exception e) {
        // send() threw: nothing was appended.
        ObjectNode outcome = JSON.createObjectNode().put("ok", false).put("definite", true).put("error", describe(e));
        if (partition != null) outcome.put("partition", partition.intValue());
        else outcome.putNull("partition");
        outcomes.set(index, outcome);
        if (remaining.decrementAndGet() == 0) emitResult(id, outcomes);
      }
    }
  }

  private static void emitResult(long id, AtomicReferenceArray<ObjectNode> outcomes) {
    ObjectNode result = JSON.createObjectNode().put("type", "result").put("id", id);
    ArrayNode list = result.putArray("outcomes");
    for (int i = 0; i < outcomes.length(); i++) list.add(outcomes.get(i));
    emit(result);
  }

  private static void close(long timeoutMs) {
    try {
      if (consumer != null) consumer.close(Duration.ofMillis(Math.max(0, timeoutMs)));
    } catch (Exception e) {
      System.err.println("kchaos txn driver: consumer close failed: " + describe(e));
    }
    try {
      producer.close(Duration.ofMillis(Math.max(0, timeoutMs)));
    } catch (Exception e) {
      System.err.println("kchaos txn driver: close failed: " + describe(e));
    }
    emit(JSON.createObjectNode().put("type", "closed"));
    System.exit(0);
  }

  private static String describe(Throwable e) {
    String text = e.getClass().getSimpleName() + ": " + e.getMessage();
    Throwable cause = e.getCause();
    return cause != null && cause != e ? text + " (cause: " + cause.getClass().getSimpleName() + ": " + cause.getMessage() + ")" : text;
  }

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
