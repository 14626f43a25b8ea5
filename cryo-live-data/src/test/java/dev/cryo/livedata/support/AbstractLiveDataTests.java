package dev.cryo.livedata.support;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import org.hibernate.SessionFactory;
import org.hibernate.StatelessSession;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.engine.spi.TransactionCompletionCallbacks.AfterCompletionCallback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.cryo.livedata.LiveDataSubscription;
import dev.cryo.livedata.LiveDataSubscriptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What live data promises, on a real database (the subclasses choose which): changes reach
 * exactly their subscribers with only public fields, after commit, in commit order, never after a
 * rollback, completely under load, and no more after unsubscribing or disconnecting.
 */
abstract class AbstractLiveDataTests {

	private static final JsonMapper mapper = JsonMapper.builder().build();

	private final List<LiveDataTestConnection> connections = new ArrayList<>();

	/**
	 * Returns the database the tests run on.
	 * @return the database
	 */
	abstract LiveDataTestDatabase database();

	/**
	 * Returns the database's name for the printed measurements.
	 * @return the name
	 */
	abstract String databaseName();

	@AfterEach
	void closeConnections() {
		this.connections.forEach(this::disconnect);
		assertThat(database().liveData().pendingTransactions()).isZero();
	}

	@Test
	void createUpdateAndDeleteReachExactlyTheSubscribersOfTheModelAndOfTheRow() {
		Long otherId = persist(new Post("other", "o", 1L, "n"));
		LiveDataTestConnection model = open();
		LiveDataTestConnection row = open();
		LiveDataTestConnection both = open();
		LiveDataTestConnection otherRow = open();
		LiveDataTestConnection none = open();
		subscriptions().subscribe(model, "Post");
		Long id = persist(new Post("first", "hello", 7L, "private"));
		subscriptions().subscribe(row, "Post", id);
		subscriptions().subscribe(both, "Post");
		subscriptions().subscribe(both, "Post", String.valueOf(id));
		subscriptions().subscribe(otherRow, "Post", otherId);
		database().inTransaction((em) -> {
			em.find(Post.class, id).setTitle("second");
			return null;
		});
		database().inTransaction((em) -> {
			em.remove(em.find(Post.class, id));
			return null;
		});
		JsonNode created = json("{\"operation\":\"create\",\"model\":\"Post\",\"fields\":{\"id\":" + id
				+ ",\"title\":\"first\",\"content\":\"hello\",\"authorId\":7}}");
		JsonNode updated = json("{\"operation\":\"update\",\"model\":\"Post\",\"fields\":{\"id\":" + id
				+ ",\"title\":\"second\",\"content\":\"hello\",\"authorId\":7}}");
		JsonNode deleted = json("{\"operation\":\"delete\",\"model\":\"Post\",\"fields\":{\"id\":" + id
				+ ",\"title\":\"second\",\"content\":\"hello\",\"authorId\":7}}");
		assertThat(model.data()).containsExactly(created, updated, deleted);
		assertThat(row.data()).containsExactly(updated, deleted);
		assertThat(both.data()).containsExactly(updated, deleted);
		assertThat(otherRow.data()).isEmpty();
		assertThat(none.data()).isEmpty();
		assertThat(model.received().get(0).json().get("meta"))
			.isEqualTo(json("{\"method\":\"notify\",\"type\":\"data-changed\"}"));
	}

	@Test
	void privateFieldsNeverLeaveTheServer() {
		LiveDataTestConnection connection = open();
		subscriptions().subscribe(connection, "Post");
		Long id = persist(new Post("title", "content", 3L, "TOP-SECRET-1"));
		database().inTransaction((em) -> {
			em.find(Post.class, id).setInternalNotes("TOP-SECRET-2");
			return null;
		});
		database().inTransaction((em) -> {
			em.remove(em.find(Post.class, id));
			return null;
		});
		assertThat(connection.received()).hasSize(3).allSatisfy((received) -> {
			assertThat(received.text()).doesNotContain("TOP-SECRET").doesNotContain("internalNotes");
			assertThat(received.data().get("fields").propertyNames()).containsExactly("id", "title", "content",
					"authorId");
		});
	}

	@Test
	void modelsDeclaredByConfigurationAreSubscribedOnOpenAndSendOnlyTheirFields() {
		LiveDataTestConnection connection = open();
		database().liveData().listener().onConnectionOpened(connection);
		assertThat(subscriptions().subscriptions(connection)).containsExactly(new LiveDataSubscription("Comment", null));
		Long id = database().inTransaction((em) -> {
			Comment comment = new Comment("nice", "reader@example.com");
			em.persist(comment);
			em.persist(new Unwatched("ignored"));
			em.flush();
			return comment.getId();
		});
		assertThat(connection.data()).containsExactly(
				json("{\"operation\":\"create\",\"model\":\"Comment\",\"fields\":{\"id\":" + id + ",\"body\":\"nice\"}}"));
	}

	@Test
	void rolledBackChangesAreNeverSentEvenWhenFlushed() {
		LiveDataTestConnection connection = open();
		subscriptions().subscribe(connection, "Post");
		database().transactions().executeWithoutResult((status) -> {
			database().inTransaction((em) -> {
				em.persist(new Post("rolled back", "x", 1L, "n"));
				em.flush();
				return null;
			});
			status.setRollbackOnly();
		});
		assertThatThrownBy(() -> database().inTransaction((em) -> {
			em.persist(new Post("failed", "x", 1L, "n"));
			em.flush();
			throw new IllegalStateException("fails");
		})).isInstanceOf(IllegalStateException.class);
		Long id = persist(new Post("committed", "x", 1L, "n"));
		assertThat(connection.data()).singleElement()
			.satisfies((data) -> assertThat(data.get("fields").get("id").asLong()).isEqualTo(id));
	}

	@Test
	void batchesThatFlushAndClearThePersistenceContextAreSentWhole() {
		LiveDataTestConnection connection = open();
		subscriptions().subscribe(connection, "Post");
		database().inTransaction((em) -> {
			for (int i = 0; i < 10; i++) {
				em.persist(new Post("batch " + i, "x", 1L, "n"));
				if (i % 3 == 2) {
					em.flush();
					em.clear();
				}
			}
			return null;
		});
		assertThat(connection.data()).extracting((data) -> data.get("fields").get("title").asString())
			.containsExactly("batch 0", "batch 1", "batch 2", "batch 3", "batch 4", "batch 5", "batch 6", "batch 7",
					"batch 8", "batch 9");
	}

	@Test
	void aTransactionChangingMoreRowsThanTheLimitSendsNoneAndLaterOnesStillArrive() {
		LiveDataTestConnection connection = open();
		subscriptions().subscribe(connection, "Post");
		database().inTransaction((em) -> {
			for (int i = 0; i <= LiveDataTestDatabase.MAX_CHANGES_PER_TRANSACTION; i++) {
				em.persist(new Post("huge " + i, "x", 1L, "n"));
			}
			return null;
		});
		persist(new Post("small", "x", 1L, "n"));
		assertThat(connection.data()).extracting((data) -> data.get("fields").get("title").asString())
			.containsExactly("small");
	}

	@Test
	void plainJpaTransactionsOfOneEntityManagerAreSentOnlyWhenCommittedAndOnce() {
		LiveDataTestConnection connection = open();
		subscriptions().subscribe(connection, "Post");
		EntityManager em = database().entityManagerFactory().createEntityManager();
		try {
			em.getTransaction().begin();
			em.persist(new Post("plain 1", "x", 1L, "n"));
			em.getTransaction().commit();
			em.getTransaction().begin();
			em.persist(new Post("plain rolled back", "x", 1L, "n"));
			em.flush();
			em.getTransaction().rollback();
			em.getTransaction().begin();
			em.persist(new Post("plain 2", "x", 1L, "n"));
			em.getTransaction().commit();
		}
		finally {
			em.close();
		}
		assertThat(connection.data()).extracting((data) -> data.get("fields").get("title").asString())
			.containsExactly("plain 1", "plain 2");
	}

	@Test
	void transactionsArriveInTheOrderTheyCommitted() throws Exception {
		LiveDataTestConnection connection = open();
		subscriptions().subscribe(connection, "Post");
		CountDownLatch firstFlushed = new CountDownLatch(1);
		CountDownLatch secondCommitted = new CountDownLatch(1);
		ExecutorService executor = Executors.newFixedThreadPool(2);
		try {
			// The first transaction writes first but commits last.
			Future<?> first = executor.submit(() -> database().inTransaction((em) -> {
				em.persist(new Post("begun first, committed second", "x", 1L, "n"));
				em.flush();
				firstFlushed.countDown();
				await(secondCommitted);
				return null;
			}));
			await(firstFlushed);
			executor.submit(() -> {
				persist(new Post("begun second, committed first", "x", 1L, "n"));
				secondCommitted.countDown();
			}).get(30, TimeUnit.SECONDS);
			first.get(30, TimeUnit.SECONDS);
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(connection.data()).extracting((data) -> data.get("fields").get("title").asString())
			.containsExactly("begun second, committed first", "begun first, committed second");
	}

	@Test
	void concurrentWritersOfOneRowAreDeliveredInTheDatabasesCommitOrder() throws Exception {
		int writers = 4;
		int perWriter = 50;
		Long id = persist(new Post("0", "counter", 1L, "n"));
		LiveDataTestConnection connection = open();
		subscriptions().subscribe(connection, "Post", id);
		ExecutorService executor = Executors.newFixedThreadPool(writers);
		try {
			List<Future<?>> futures = new ArrayList<>();
			for (int writer = 0; writer < writers; writer++) {
				futures.add(executor.submit(() -> {
					for (int i = 0; i < perWriter; i++) {
						// The row lock orders the commits: each reads the value the previous
						// commit wrote, so the values are the commit order.
						database().inTransaction((em) -> {
							Post post = em.find(Post.class, id, LockModeType.PESSIMISTIC_WRITE);
							post.setTitle(Integer.toString(Integer.parseInt(post.getTitle()) + 1));
							return null;
						});
					}
				}));
			}
			for (Future<?> future : futures) {
				future.get(120, TimeUnit.SECONDS);
			}
		}
		finally {
			executor.shutdownNow();
		}
		List<Integer> values = connection.data()
			.stream()
			.map((data) -> Integer.parseInt(data.get("fields").get("title").asString()))
			.toList();
		assertThat(values).hasSize(writers * perWriter).isSorted().doesNotHaveDuplicates();
	}

	@Test
	void aThousandRapidChangesArriveCompleteAndInEachWritersOrder() throws Exception {
		int writers = 4;
		int perWriter = 250;
		LiveDataTestConnection connection = open();
		subscriptions().subscribe(connection, "Post");
		ExecutorService executor = Executors.newFixedThreadPool(writers);
		try {
			List<Future<?>> futures = new ArrayList<>();
			for (int writer = 0; writer < writers; writer++) {
				long author = 1000 + writer;
				futures.add(executor.submit(() -> {
					for (int i = 0; i < perWriter; i++) {
						persist(new Post(Integer.toString(i), "rapid", author, "n"));
					}
				}));
			}
			for (Future<?> future : futures) {
				future.get(120, TimeUnit.SECONDS);
			}
		}
		finally {
			executor.shutdownNow();
		}
		List<JsonNode> data = connection.data();
		assertThat(data).hasSize(writers * perWriter);
		assertThat(data.stream().map((node) -> node.get("fields").get("id").asLong()).distinct()).hasSize(writers * perWriter);
		for (int writer = 0; writer < writers; writer++) {
			long author = 1000 + writer;
			List<Integer> sequence = data.stream()
				.filter((node) -> node.get("fields").get("authorId").asLong() == author)
				.map((node) -> Integer.parseInt(node.get("fields").get("title").asString()))
				.toList();
			assertThat(sequence).isSorted().hasSize(perWriter);
		}
	}

	@Test
	void unsubscribingStopsDelivery() {
		LiveDataTestConnection connection = open();
		Long id = persist(new Post("a", "x", 1L, "n"));
		subscriptions().subscribe(connection, "Post");
		subscriptions().subscribe(connection, "Post", id);
		assertThat(subscriptions().unsubscribe(connection, "Post")).isTrue();
		rename(id, "row only");
		assertThat(subscriptions().unsubscribe(connection, "Post", id)).isTrue();
		rename(id, "nobody");
		assertThat(subscriptions().subscriptions(connection)).isEmpty();
		assertThat(connection.data()).extracting((data) -> data.get("fields").get("title").asString())
			.containsExactly("row only");
	}

	@Test
	void disconnectingStopsDeliveryAndForgetsTheSubscriptions() {
		LiveDataTestConnection connection = open();
		Long id = persist(new Post("a", "x", 1L, "n"));
		subscriptions().subscribe(connection, "Post");
		subscriptions().subscribe(connection, "Post", id);
		disconnect(connection);
		rename(id, "after close");
		assertThat(subscriptions().subscriptions(connection)).isEmpty();
		assertThat(connection.data()).isEmpty();
	}

	@Test
	void changesOutsideATransactionAreSentWhenWritten() {
		LiveDataTestConnection connection = open();
		subscriptions().subscribe(connection, "Post");
		SessionFactory sessionFactory = database().entityManagerFactory().unwrap(SessionFactory.class);
		try (StatelessSession session = sessionFactory.openStatelessSession()) {
			Post post = new Post("autocommit", "x", 1L, "n");
			session.insert(post);
			assertThat(connection.data()).singleElement()
				.satisfies((data) -> assertThat(data.get("fields").get("title").asString()).isEqualTo("autocommit"));
		}
	}

	/**
	 * Documents a limit: bulk JPQL statements change rows Hibernate never loads, so no row events
	 * exist to send.
	 */
	@Test
	void bulkJpqlUpdatesAndDeletesAreNotTracked() {
		LiveDataTestConnection connection = open();
		Long id = persist(new Post("bulk", "x", 1L, "n"));
		subscriptions().subscribe(connection, "Post");
		database().inTransaction((em) -> em.createQuery("update Post p set p.title = 'changed' where p.id = :id")
			.setParameter("id", id)
			.executeUpdate());
		database().inTransaction((em) -> em.createQuery("delete from Post p where p.id = :id")
			.setParameter("id", id)
			.executeUpdate());
		assertThat(connection.data()).isEmpty();
	}

	@Test
	void measuresTheLatencyFromCommitToNotification() {
		LiveDataTestConnection connection = open();
		Long id = persist(new Post("latency", "x", 1L, "n"));
		subscriptions().subscribe(connection, "Post", id);
		int warmUp = 200;
		int measured = 1000;
		long[] commitStarts = new long[warmUp + measured];
		long[] commitEnds = new long[warmUp + measured];
		for (int i = 0; i < commitStarts.length; i++) {
			int index = i;
			database().inTransaction((em) -> {
				em.find(Post.class, id).setTitle("v" + index);
				// Registered before live data's own callback (which registers at the flush), so it
				// runs first after the database commit returned.
				em.unwrap(SharedSessionContractImplementor.class)
					.getTransactionCompletionCallbacks()
					.registerCallback((AfterCompletionCallback) (success, session) -> commitEnds[index] = System.nanoTime());
				TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

					@Override
					public void beforeCommit(boolean readOnly) {
						commitStarts[index] = System.nanoTime();
					}

				});
				return null;
			});
		}
		List<LiveDataTestConnection.Received> received = connection.received();
		assertThat(received).hasSize(commitStarts.length);
		long[] fromStart = new long[measured];
		long[] fromEnd = new long[measured];
		for (int i = 0; i < measured; i++) {
			fromStart[i] = received.get(warmUp + i).nanoTime() - commitStarts[warmUp + i];
			fromEnd[i] = received.get(warmUp + i).nanoTime() - commitEnds[warmUp + i];
		}
		System.out.printf("Live data latency on %s, %d sequential commits: commit start (flush + database commit "
				+ "included) to notification %s; database commit returned to notification %s%n", databaseName(),
				measured, percentiles(fromStart), percentiles(fromEnd));
		assertThat(Arrays.stream(fromEnd).min().getAsLong()).isPositive();
	}

	private static String percentiles(long[] latencies) {
		long[] sorted = latencies.clone();
		Arrays.sort(sorted);
		long median = sorted[sorted.length / 2];
		long p99 = sorted[(int) Math.ceil(sorted.length * 0.99) - 1];
		return String.format("median %.1f µs, p99 %.1f µs", median / 1000.0, p99 / 1000.0);
	}

	private LiveDataSubscriptions subscriptions() {
		return database().liveData().subscriptions();
	}

	private LiveDataTestConnection open() {
		LiveDataTestConnection connection = new LiveDataTestConnection();
		this.connections.add(connection);
		return connection;
	}

	private void disconnect(LiveDataTestConnection connection) {
		connection.close("test over");
		database().liveData().listener().onConnectionClosed(connection);
	}

	private Long persist(Post post) {
		return database().inTransaction((em) -> {
			em.persist(post);
			return post.getId();
		});
	}

	private void rename(Long id, String title) {
		database().inTransaction((em) -> {
			em.find(Post.class, id).setTitle(title);
			return null;
		});
	}

	private static JsonNode json(String text) {
		return mapper.readTree(text);
	}

	private static void await(CountDownLatch latch) {
		try {
			assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
