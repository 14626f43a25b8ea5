package dev.cryo.livedata.support;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

import dev.cryo.endpoint.testing.InMemoryCluster;
import dev.cryo.livedata.LiveDataSubscriptions;
import dev.cryo.server.cluster.ClusterBroadcaster;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Live data on two nodes of a cluster ({@link InMemoryCluster}) sharing one H2 database: what is
 * committed through node A reaches node B's subscribers of the model and of the row, in A's
 * commit order, one message per transaction; oversized and malformed messages are dropped.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterLiveDataTests {

	private static final String URL = "jdbc:h2:mem:live-cluster;DB_CLOSE_DELAY=-1";

	private static final int MAX_MESSAGE_SIZE = 2048;

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final InMemoryCluster cluster = new InMemoryCluster();

	private final List<LiveDataTestConnection> connections = new ArrayList<>();

	private ClusterBroadcaster intruder;

	private LiveDataTestDatabase nodeA;

	private LiveDataTestDatabase nodeB;

	@BeforeAll
	void startNodes() {
		ClusterBroadcaster a = this.cluster.node("a");
		ClusterBroadcaster b = this.cluster.node("b");
		this.intruder = this.cluster.node("intruder");
		this.nodeA = new LiveDataTestDatabase(new org.h2.Driver(), URL, "sa", true,
				(builder) -> builder.broadcaster(a).maxClusterMessageSize(MAX_MESSAGE_SIZE));
		this.nodeB = new LiveDataTestDatabase(new org.h2.Driver(), URL, "sa", false,
				(builder) -> builder.broadcaster(b).maxClusterMessageSize(MAX_MESSAGE_SIZE));
	}

	@AfterAll
	void stopNodes() {
		this.nodeB.close();
		this.nodeA.close();
		this.cluster.close();
	}

	@AfterEach
	void disconnect() {
		for (LiveDataTestConnection connection : this.connections) {
			connection.close("test over");
			this.nodeA.liveData().listener().onConnectionClosed(connection);
			this.nodeB.liveData().listener().onConnectionClosed(connection);
		}
		this.connections.clear();
	}

	@Test
	void changesCommittedOnOneNodeReachTheModelAndRowSubscribersOfTheOtherInCommitOrder() throws Exception {
		LiveDataTestConnection modelOnA = open(this.nodeA, "Post");
		LiveDataTestConnection modelOnB = open(this.nodeB, "Post");
		Long other = persist(new Post("other", "o", 1L, "n"));
		Long id = persist(new Post("first", "hello", 7L, "private"));
		// The creations reach node B asynchronously: they are handled before the row is subscribed.
		this.cluster.settle();
		LiveDataTestConnection rowOnB = open(this.nodeB);
		// An id as a client sends it, a string: converted to the model's id type on both sides.
		subscriptions(this.nodeB).subscribe(rowOnB, "Post", String.valueOf(id));
		LiveDataTestConnection otherRowOnB = open(this.nodeB);
		subscriptions(this.nodeB).subscribe(otherRowOnB, "Post", other);
		long publishedBefore = this.nodeA.liveData().clusterTopic().orElseThrow().publishedCount();
		long receivedBefore = this.nodeB.liveData().clusterTopic().orElseThrow().receivedCount();

		this.nodeA.inTransaction((em) -> {
			em.find(Post.class, id).setTitle("second");
			return null;
		});
		this.nodeA.inTransaction((em) -> {
			em.remove(em.find(Post.class, id));
			return null;
		});

		List<String> everything = List.of("create " + other + " other", "create " + id + " first",
				"update " + id + " second", "delete " + id + " second");
		assertThat(changes(modelOnB, 4)).isEqualTo(everything);
		assertThat(changes(rowOnB, 2)).isEqualTo(everything.subList(2, 4));
		assertThat(changes(modelOnA, 4)).isEqualTo(everything);
		this.cluster.settle();
		assertThat(otherRowOnB.received()).isEmpty();
		assertThat(this.nodeA.liveData().clusterTopic().orElseThrow().publishedCount() - publishedBefore).isEqualTo(2);
		assertThat(this.nodeB.liveData().clusterTopic().orElseThrow().receivedCount() - receivedBefore).isEqualTo(2);
		assertThat(modelOnB.received().get(0).text()).as("the text node A encoded, as it was")
			.isEqualTo(modelOnA.received().get(0).text());
	}

	@Test
	void aTransactionTravelsAsOneMessage() throws Exception {
		LiveDataTestConnection modelOnB = open(this.nodeB, "Post");
		long publishedBefore = this.nodeA.liveData().clusterTopic().orElseThrow().publishedCount();
		this.nodeA.inTransaction((em) -> {
			em.persist(new Post("one", "1", 1L, "n"));
			em.persist(new Post("two", "2", 1L, "n"));
			return null;
		});
		assertThat(changes(modelOnB, 2)).extracting((change) -> change.substring(change.lastIndexOf(' ') + 1))
			.containsExactly("one", "two");
		assertThat(this.nodeA.liveData().clusterTopic().orElseThrow().publishedCount() - publishedBefore).isOne();
	}

	@Test
	void aTransactionLargerThanTheLimitStaysOnItsNode() throws Exception {
		LiveDataTestConnection modelOnA = open(this.nodeA, "Post");
		LiveDataTestConnection modelOnB = open(this.nodeB, "Post");
		long tooLargeBefore = this.nodeA.liveData().clusterTopic().orElseThrow().tooLargeCount();
		// Some 150 bytes per change: more than the limit together.
		int rows = MAX_MESSAGE_SIZE / 100;
		this.nodeA.inTransaction((em) -> {
			for (int i = 0; i < rows; i++) {
				em.persist(new Post("large", "x", 1L, "n"));
			}
			return null;
		});
		persist(new Post("small", "x", 1L, "n"));
		assertThat(changes(modelOnA, rows + 1)).extracting((change) -> change.substring(change.lastIndexOf(' ') + 1))
			.endsWith("large", "small")
			.hasSize(rows + 1);
		assertThat(changes(modelOnB, 1)).singleElement().asString().endsWith(" small");
		assertThat(this.nodeA.liveData().clusterTopic().orElseThrow().tooLargeCount() - tooLargeBefore).isOne();
	}

	@Test
	void malformedAndOversizedMessagesAreDroppedAndUnwatchedModelsSkipped() throws Exception {
		LiveDataTestConnection modelOnB = open(this.nodeB, "Post");
		long malformedBefore = this.nodeB.liveData().clusterTopic().orElseThrow().malformedCount();
		long tooLargeBefore = this.nodeB.liveData().clusterTopic().orElseThrow().tooLargeCount();
		String notification = "{\"meta\":{\"method\":\"notify\",\"type\":\"data-changed\"},\"data\":"
				+ "{\"operation\":\"create\",\"model\":\"Post\",\"fields\":{\"id\":424242,\"title\":\"forged\"}}}";
		List<byte[]> malformed = List.of(new byte[0], new byte[] { 7, 0, 0, 0, 1 },
				message(0),
				message(2, new String[] { "Post", "1", notification }),
				message(1, new String[] { "Post", "\"not a number\"", notification }),
				message(1, new String[] { "Post", "1", "" }),
				appended(message(1, new String[] { "Post", "1", notification }), 0));
		for (byte[] message : malformed) {
			this.intruder.publish(LiveDataClusterRelay.TOPIC, message);
		}
		this.intruder.publish(LiveDataClusterRelay.TOPIC,
				message(1, new String[] { "Post", "1", notification + " ".repeat(MAX_MESSAGE_SIZE) }));
		this.intruder.publish(LiveDataClusterRelay.TOPIC, message(2,
				new String[] { "Elsewhere", "1", "{\"unwatched\":true}" }, new String[] { "Post", "424242", notification }));

		assertThat(changes(modelOnB, 1)).containsExactly("create 424242 forged");
		this.cluster.settle();
		assertThat(modelOnB.received()).hasSize(1);
		assertThat(this.nodeB.liveData().clusterTopic().orElseThrow().malformedCount() - malformedBefore).isEqualTo(malformed.size());
		assertThat(this.nodeB.liveData().clusterTopic().orElseThrow().tooLargeCount() - tooLargeBefore).isOne();
	}

	@Test
	void afterStopTheOtherNodesChangesNoLongerArrive() throws Exception {
		LiveDataTestConnection modelOnB = open(this.nodeB, "Post");
		this.nodeB.liveData().stop();
		try {
			persist(new Post("unseen", "x", 1L, "n"));
			this.cluster.settle();
			assertThat(modelOnB.received()).isEmpty();
		}
		finally {
			this.nodeB.liveData().start();
		}
	}

	private LiveDataTestConnection open(LiveDataTestDatabase node, String... models) {
		LiveDataTestConnection connection = new LiveDataTestConnection();
		this.connections.add(connection);
		for (String model : models) {
			subscriptions(node).subscribe(connection, model);
		}
		return connection;
	}

	private static LiveDataSubscriptions subscriptions(LiveDataTestDatabase node) {
		return node.liveData().subscriptions();
	}

	private Long persist(Post post) {
		return this.nodeA.inTransaction((em) -> {
			em.persist(post);
			return post.getId();
		});
	}

	/** The next {@code count} changes a connection receives, as "operation id title", waiting for them. */
	private static List<String> changes(LiveDataTestConnection connection, int count) throws InterruptedException {
		long deadline = System.nanoTime() + WAIT.toNanos();
		while (connection.received().size() < count && System.nanoTime() < deadline) {
			Thread.sleep(10);
		}
		List<LiveDataTestConnection.Received> received = connection.received();
		assertThat(received).as("changes received by %s", connection).hasSizeGreaterThanOrEqualTo(count);
		List<String> changes = new ArrayList<>();
		for (LiveDataTestConnection.Received change : received.subList(0, count)) {
			JsonNode data = change.data();
			changes.add(data.get("operation").asString() + " " + data.get("fields").get("id").asLong() + " "
					+ data.get("fields").get("title").asString());
		}
		return changes;
	}

	/** A message of the relay's format, declaring {@code count} changes. */
	private static byte[] message(int count, String[]... changes) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		DataOutputStream out = new DataOutputStream(bytes);
		out.writeByte(LiveDataClusterRelay.FORMAT_VERSION);
		out.writeInt(count);
		for (String[] change : changes) {
			for (String field : change) {
				byte[] utf8 = field.getBytes(StandardCharsets.UTF_8);
				out.writeInt(utf8.length);
				out.write(utf8);
			}
		}
		return bytes.toByteArray();
	}

	private static byte[] appended(byte[] message, int extra) {
		byte[] longer = new byte[message.length + 1];
		System.arraycopy(message, 0, longer, 0, message.length);
		longer[message.length] = (byte) extra;
		return longer;
	}

}
