package dev.cryo.sample.endpoints;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

import dev.cryo.endpoint.EndpointConnection;
import dev.cryo.endpoint.EndpointListener;
import dev.cryo.endpoint.EndpointRequest;
import dev.cryo.livedata.LiveDataSubscription;
import dev.cryo.livedata.LiveDataSubscriptions;
import dev.cryo.sample.CryoSampleApplication;
import dev.cryo.sample.Post;
import dev.cryo.sample.PostRepository;
import dev.cryo.sample.endpoints.EndpointClients.EndpointClient;

import static dev.cryo.sample.endpoints.EndpointClients.JSON;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's live data end to end, on a real server with real clients of both wires: the
 * {@code Post} entity's committed changes reach exactly the connections subscribed to the model
 * or to the row, with the public fields only, after the commit and in commit order. Subclasses
 * choose the database.
 */
@SpringBootTest(classes = { CryoSampleApplication.class, AbstractLiveDataEndToEndTests.ConnectionsByRequestId.class },
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0",
				"sample.tokens=developer:dev-token,alice:alice-secret,bob:bob-secret" })
@Timeout(120)
abstract class AbstractLiveDataEndToEndTests {

	private static final Set<String> PUBLIC_FIELDS = Set.of("id", "title", "content", "authorId");

	private static final String SECRET_NOTES = "secret-notes-7f3a";

	@LocalServerPort
	private int port;

	@Autowired
	private PostRepository posts;

	@Autowired
	private PlatformTransactionManager transactionManager;

	@Autowired
	private LiveDataSubscriptions subscriptions;

	@Autowired
	private ConnectionsByRequestId connections;

	private final List<EndpointClient> clients = new ArrayList<>();

	private int requestIds;

	@AfterEach
	void closeClients() {
		this.clients.forEach(EndpointClient::close);
	}

	@Test
	void createUpdateAndDeleteReachExactlyTheSubscribersOfTheModelOrTheRowOnBothWires() throws Exception {
		EndpointClient author = signedIn("cryo", "alice", "alice-secret");
		EndpointClient cryoModel = connect("cryo");
		EndpointClient yoctopusModel = connect("yoctopus");
		EndpointClient cryoRow = connect("cryo");
		EndpointClient yoctopusRow = connect("yoctopus");
		EndpointClient cryoNone = connect("cryo");
		EndpointClient yoctopusNone = connect("yoctopus");
		for (EndpointClient client : List.of(cryoRow, yoctopusRow, cryoNone, yoctopusNone)) {
			assertOk(subscription(client, "delete", "{\"model\":\"Post\"}"));
		}

		JsonNode created = answer(author, "posts:post", "create",
				"{\"title\":\"First\",\"content\":\"Hello\",\"internalNotes\":\"" + SECRET_NOTES + "\"}");
		long id = created.path("data").path("id").asLong();
		assertThat(created.path("data")).isEqualTo(JSON.readTree(
				"{\"id\":" + id + ",\"title\":\"First\",\"content\":\"Hello\",\"authorId\":\"alice\"}"));
		for (EndpointClient client : List.of(cryoRow, yoctopusRow)) {
			assertOk(subscription(client, "create", "{\"model\":\"Post\",\"id\":" + id + "}"));
		}
		long other = answer(author, "posts:post", "create", "{\"title\":\"Second\",\"content\":\"\"}").path("data")
			.path("id")
			.asLong();
		assertOk(answer(author, "posts:post", "update", "{\"id\":" + id + ",\"title\":\"First, edited\"}"));
		assertOk(answer(author, "posts:post", "delete", "{\"id\":" + id + "}"));

		List<String> everything = List.of("create " + id + " First", "create " + other + " Second",
				"update " + id + " First, edited", "delete " + id + " First, edited");
		for (EndpointClient client : List.of(author, cryoModel, yoctopusModel)) {
			assertThat(changes(client, 4)).isEqualTo(everything);
		}
		for (EndpointClient client : List.of(cryoRow, yoctopusRow)) {
			assertThat(changes(client, 2)).isEqualTo(everything.subList(2, 4));
		}
		for (EndpointClient client : List.of(author, cryoModel, yoctopusModel, cryoRow, yoctopusRow, cryoNone,
				yoctopusNone)) {
			assertNothingElseArrived(client);
		}
	}

	@Test
	void notificationsCarryExactlyThePublicFieldsAndNeverTheInternalNotes() throws Exception {
		EndpointClient author = signedIn("yoctopus", "alice", "alice-secret");
		EndpointClient cryo = connect("cryo");
		EndpointClient yoctopus = connect("yoctopus");
		long id = answer(author, "posts:post", "create",
				"{\"title\":\"T\",\"content\":\"C\",\"internalNotes\":\"" + SECRET_NOTES + "\"}")
			.path("data")
			.path("id")
			.asLong();
		assertOk(answer(author, "posts:post", "update", "{\"id\":" + id + ",\"content\":\"C2\"}"));
		assertOk(answer(author, "posts:post", "delete", "{\"id\":" + id + "}"));
		for (EndpointClient client : List.of(cryo, yoctopus)) {
			for (int i = 0; i < 3; i++) {
				String text = client.received().poll(EndpointClients.WAIT.toMillis(), TimeUnit.MILLISECONDS);
				assertThat(text).isNotNull().doesNotContain("internalNotes").doesNotContain(SECRET_NOTES);
				JsonNode notification = JSON.readTree(text);
				assertThat(notification.path("meta")).isEqualTo(JSON.readTree("{\"method\":\"notify\",\"type\":\"data-changed\"}"));
				assertThat(notification.path("data").path("model").asString()).isEqualTo("Post");
				assertThat(notification.path("data").path("fields").propertyNames()).containsExactlyInAnyOrderElementsOf(PUBLIC_FIELDS);
			}
		}
	}

	@Test
	void postsAreChangedOnlyBySignedInAuthorsWithValidRequestsAndRefusalsSendNothing() throws Exception {
		EndpointClient alice = signedIn("cryo", "alice", "alice-secret");
		EndpointClient bob = signedIn("yoctopus", "bob", "bob-secret");
		EndpointClient stranger = connect("cryo");
		EndpointClient watcher = connect("yoctopus");
		assertThat(answer(stranger, "posts:post", "create", "{\"title\":\"x\"}").path("error").asString())
			.isEqualTo("Requirements not met.");
		assertThat(answer(alice, "posts:post", "create", "{\"title\":\"\"}").path("error").toString()).contains("title");
		assertThat(answer(alice, "posts:post", "create", "{\"title\":\"" + "t".repeat(201) + "\"}").path("error").toString())
			.contains("title");
		assertThat(answer(alice, "posts:post", "create", "{\"title\":\"t\",\"content\":\"" + "c".repeat(10_001) + "\"}")
			.path("error")
			.toString()).contains("content");
		long id = answer(alice, "posts:post", "create", "{\"title\":\"Mine\",\"content\":\"" + "c".repeat(10_000) + "\"}")
			.path("data")
			.path("id")
			.asLong();
		for (EndpointClient client : List.of(alice, bob, stranger, watcher)) {
			assertThat(changes(client, 1)).containsExactly("create " + id + " Mine");
		}
		assertThat(answer(bob, "posts:post", "update", "{\"id\":" + id + ",\"title\":\"Bob's\"}").path("error").asString())
			.isEqualTo("Only the author may change a post.");
		assertThat(answer(bob, "posts:post", "delete", "{\"id\":" + id + "}").path("error").asString())
			.isEqualTo("Only the author may change a post.");
		assertThat(answer(alice, "posts:post", "delete", "{\"id\":987654321}").path("error").asString())
			.isEqualTo("No post 987654321.");
		JsonNode listed = answer(stranger, "posts:post", "read", null);
		assertThat(listed.path("data").path("posts").get(0))
			.isEqualTo(JSON.readTree("{\"id\":" + id + ",\"title\":\"Mine\",\"content\":\"" + "c".repeat(10_000)
					+ "\",\"authorId\":\"alice\"}"));
		for (EndpointClient client : List.of(alice, bob, stranger, watcher)) {
			assertNothingElseArrived(client);
		}
	}

	@Test
	void aRolledBackTransactionSendsNothing() throws Exception {
		EndpointClient cryo = connect("cryo");
		EndpointClient yoctopus = connect("yoctopus");
		TransactionTemplate transaction = new TransactionTemplate(this.transactionManager);
		transaction.executeWithoutResult((status) -> {
			this.posts.saveAndFlush(new Post("alice", "Rolled back", "", SECRET_NOTES));
			status.setRollbackOnly();
		});
		Post committed = this.posts.save(new Post("alice", "Committed", "", null));
		for (EndpointClient client : List.of(cryo, yoctopus)) {
			// The committed change comes first: the rolled-back one was never sent before it.
			assertThat(changes(client, 1)).containsExactly("create " + committed.getId() + " Committed");
			assertNothingElseArrived(client);
		}
	}

	@Test
	void transactionsArriveInTheOrderTheyCommitted() throws Exception {
		EndpointClient cryo = connect("cryo");
		EndpointClient yoctopus = connect("yoctopus");
		TransactionTemplate transaction = new TransactionTemplate(this.transactionManager);
		Post first = transaction.execute((status) -> this.posts.save(new Post("alice", "T1", "", null)));
		Post second = transaction.execute((status) -> this.posts.save(new Post("alice", "T2", "", null)));

		// T2 starts (and writes) first but commits after T1.
		CountDownLatch written = new CountDownLatch(1);
		CountDownLatch commitT2 = new CountDownLatch(1);
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try {
			Future<Post> late = executor.submit(() -> transaction.execute((status) -> {
				Post post = this.posts.saveAndFlush(new Post("alice", "T2 started first", "", null));
				written.countDown();
				await(commitT2);
				return post;
			}));
			assertThat(written.await(10, TimeUnit.SECONDS)).isTrue();
			Post early = transaction.execute((status) -> this.posts.save(new Post("alice", "T1 started second", "", null)));
			commitT2.countDown();
			Post lateCommitted = late.get(10, TimeUnit.SECONDS);
			for (EndpointClient client : List.of(cryo, yoctopus)) {
				assertThat(changes(client, 4)).containsExactly("create " + first.getId() + " T1",
						"create " + second.getId() + " T2", "create " + early.getId() + " T1 started second",
						"create " + lateCommitted.getId() + " T2 started first");
			}
		}
		finally {
			commitT2.countDown();
			executor.shutdownNow();
		}
	}

	@Test
	void aThousandRapidChangesFromFourWritersArriveCompleteAndInEachWritersOrder() throws Exception {
		EndpointClient cryo = connect("cryo");
		EndpointClient yoctopus = connect("yoctopus");
		int writers = 4;
		int perWriter = 250;
		ExecutorService executor = Executors.newFixedThreadPool(writers);
		try {
			List<Future<?>> done = new ArrayList<>();
			for (int w = 0; w < writers; w++) {
				int writer = w;
				done.add(executor.submit(() -> {
					for (int i = 0; i < perWriter; i++) {
						this.posts.save(new Post("writer-" + writer, writer + "/" + i, "", SECRET_NOTES));
					}
				}));
			}
			for (Future<?> future : done) {
				future.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			executor.shutdownNow();
		}
		for (EndpointClient client : List.of(cryo, yoctopus)) {
			Map<String, List<Integer>> byWriter = new HashMap<>();
			for (String change : changes(client, writers * perWriter)) {
				String[] title = change.substring(change.lastIndexOf(' ') + 1).split("/");
				byWriter.computeIfAbsent(title[0], (writer) -> new ArrayList<>()).add(Integer.parseInt(title[1]));
			}
			assertThat(byWriter).hasSize(writers);
			List<Integer> inOrder = IntStream.range(0, perWriter).boxed().toList();
			byWriter.values().forEach((sequence) -> assertThat(sequence).isEqualTo(inOrder));
			assertNothingElseArrived(client);
		}
	}

	@Test
	void unsubscribingFromTheModelStopsDelivery() throws Exception {
		EndpointClient cryo = connect("cryo");
		EndpointClient yoctopus = connect("yoctopus");
		Post before = this.posts.save(new Post("alice", "Before", "", null));
		for (EndpointClient client : List.of(cryo, yoctopus)) {
			assertThat(changes(client, 1)).containsExactly("create " + before.getId() + " Before");
			assertThat(subscription(client, "delete", "{\"model\":\"Post\"}").path("data"))
				.isEqualTo(JSON.readTree("{\"subscriptions\":[]}"));
		}
		EndpointClient still = connect("yoctopus");
		Post after = this.posts.save(new Post("alice", "After", "", null));
		assertThat(changes(still, 1)).containsExactly("create " + after.getId() + " After");
		assertNothingElseArrived(cryo);
		assertNothingElseArrived(yoctopus);
	}

	@Test
	void disconnectingStopsDeliveryAndTheServerForgetsTheConnection() throws Exception {
		EndpointClient still = connect("cryo");
		for (String wire : List.of("cryo", "yoctopus")) {
			EndpointClient leaving = connect(wire);
			EndpointConnection connection = serverSide(leaving);
			assertThat(this.subscriptions.subscriptions(connection)).containsExactly(new LiveDataSubscription("Post", null));
			this.clients.remove(leaving);
			leaving.close();
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
			while ((connection.isOpen() || !this.subscriptions.subscriptions(connection).isEmpty())
					&& System.nanoTime() < deadline) {
				Thread.sleep(10);
			}
			assertThat(connection.isOpen()).isFalse();
			assertThat(this.subscriptions.subscriptions(connection)).isEmpty();
			int received = leaving.received().size();
			Post post = this.posts.save(new Post("alice", "After " + wire + " left", "", null));
			assertThat(changes(still, 1)).containsExactly("create " + post.getId() + " After " + wire + " left");
			assertThat(leaving.received()).hasSize(received);
		}
	}

	@Test
	void latencyFromCommitToClient() throws Exception {
		EndpointClient cryo = connect("cryo");
		EndpointClient yoctopus = connect("yoctopus");
		TransactionTemplate transaction = new TransactionTemplate(this.transactionManager);
		int changes = 1000;
		long[][] fromCommitEnd = new long[2][changes];
		long[][] fromCommitStart = new long[2][changes];
		List<EndpointClient> both = List.of(cryo, yoctopus);
		for (int i = 0; i < changes; i++) {
			long[] commitStart = new long[1];
			String title = "latency " + i;
			transaction.executeWithoutResult((status) -> {
				TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

					@Override
					public void beforeCommit(boolean readOnly) {
						commitStart[0] = System.nanoTime();
					}

				});
				this.posts.save(new Post("alice", title, "", null));
			});
			long commitEnd = System.nanoTime();
			for (int c = 0; c < 2; c++) {
				EndpointClient client = both.get(c);
				String text = client.received().poll(EndpointClients.WAIT.toMillis(), TimeUnit.MILLISECONDS);
				assertThat(text).as("change %d", i).isNotNull().contains("\"" + title + "\"");
				long arrival = client.lastArrivalNanos();
				fromCommitEnd[c][i] = arrival - commitEnd;
				fromCommitStart[c][i] = arrival - commitStart[0];
			}
		}
		for (int c = 0; c < 2; c++) {
			String wire = (c == 0) ? "cryo" : "yoctopus";
			// A figure for the report (README, BENCHMARKS.md): System.out on purpose.
			System.out.printf("live-data latency %s %s wire, %d changes: from commit end median %.3f ms p99 %.3f ms;"
					+ " from commit start median %.3f ms p99 %.3f ms%n", database(), wire, changes,
					percentile(fromCommitEnd[c], 50), percentile(fromCommitEnd[c], 99),
					percentile(fromCommitStart[c], 50), percentile(fromCommitStart[c], 99));
			assertThat(percentile(fromCommitStart[c], 50)).isPositive();
		}
	}

	/** The database's name, for the latency figures. */
	abstract String database();

	private static double percentile(long[] nanos, int percent) {
		long[] sorted = nanos.clone();
		Arrays.sort(sorted);
		int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
		return sorted[Math.max(0, index)] / 1_000_000.0;
	}

	private EndpointClient connect(String wire) throws Exception {
		EndpointClient client = "cryo".equals(wire) ? EndpointClients.cryo(this.port, "dev-token")
				: EndpointClients.yoctopus(this.port, "");
		this.clients.add(client);
		// A first answer: the connection is open and subscribed (subscriptions are made when it opens).
		assertOk(answer(client, "greeter:hello", "read", "{\"name\":\"x\"}"));
		return client;
	}

	private EndpointClient signedIn(String wire, String user, String password) throws Exception {
		EndpointClient client = connect(wire);
		assertOk(answer(client, "auth:login", "create", "{\"user\":\"" + user + "\",\"password\":\"" + password + "\"}"));
		return client;
	}

	private EndpointConnection serverSide(EndpointClient client) throws Exception {
		String id = "whoami-" + UUID.randomUUID();
		client.send(request(id, "greeter:hello", "read", "{\"name\":\"x\"}"));
		EndpointClients.awaitAnswer(client, id);
		EndpointConnection connection = this.connections.byRequestId.get(id);
		assertThat(connection).isNotNull();
		return connection;
	}

	private JsonNode subscription(EndpointClient client, String method, String data) throws Exception {
		return answer(client, "live-data:subscription", method, data);
	}

	/** Sends a request and returns its answer; notifications received meanwhile stay queued, in order. */
	private JsonNode answer(EndpointClient client, String endpoint, String method, @Nullable String data)
			throws Exception {
		String id = "r" + (++this.requestIds);
		client.send(request(id, endpoint, method, data));
		return EndpointClients.awaitAnswer(client, id);
	}

	private static String request(String id, String endpoint, String method, @Nullable String data) {
		return "{\"meta\":{\"id\":\"" + id + "\",\"endpoint\":\"" + endpoint + "\",\"method\":\"" + method + "\"}"
				+ ((data != null) ? ",\"data\":" + data : "") + "}";
	}

	/** The next {@code count} data-changed notifications as "operation id title", other messages failing. */
	private static List<String> changes(EndpointClient client, int count) throws Exception {
		List<String> changes = new ArrayList<>();
		while (changes.size() < count) {
			String text = client.received().poll(EndpointClients.WAIT.toMillis(), TimeUnit.MILLISECONDS);
			assertThat(text).as("change %d of %d (after %s)", changes.size() + 1, count,
					changes.isEmpty() ? "none" : changes.get(changes.size() - 1)).isNotNull();
			assertThat(text).doesNotContain("internalNotes").doesNotContain(SECRET_NOTES);
			JsonNode message = JSON.readTree(text);
			assertThat(message.path("meta").path("type").asString()).as(text).isEqualTo("data-changed");
			JsonNode data = message.path("data");
			assertThat(data.path("model").asString()).isEqualTo("Post");
			changes.add(data.path("operation").asString() + " " + data.path("fields").path("id").asLong() + " "
					+ data.path("fields").path("title").asString());
		}
		return changes;
	}

	/** The next message is the answer to a new request: nothing else was queued before it. */
	private void assertNothingElseArrived(EndpointClient client) throws Exception {
		String id = "probe" + (++this.requestIds);
		client.send(request(id, "greeter:hello", "read", "{\"name\":\"probe\"}"));
		String text = client.received().poll(EndpointClients.WAIT.toMillis(), TimeUnit.MILLISECONDS);
		assertThat(text).isNotNull();
		assertThat(JSON.readTree(text).path("meta").path("id").asString()).as(text).isEqualTo(id);
	}

	private static void assertOk(JsonNode answer) {
		assertThat(answer.path("meta").path("status").asString()).as(answer.toString()).isEqualTo("ok");
	}

	private static void await(CountDownLatch latch) {
		try {
			if (!latch.await(10, TimeUnit.SECONDS)) {
				throw new IllegalStateException("Not released");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** Remembers the server's side of each connection by the id of a request it sent. */
	@TestConfiguration(proxyBeanMethods = false)
	static class ConnectionsByRequestId implements EndpointListener {

		final Map<String, EndpointConnection> byRequestId = new ConcurrentHashMap<>();

		@Override
		public EndpointRequest onRequestReceived(EndpointConnection connection, EndpointRequest request) {
			String id = request.id();
			if (id != null && id.startsWith("whoami-")) {
				this.byRequestId.put(id, connection);
			}
			return request;
		}

	}

}
