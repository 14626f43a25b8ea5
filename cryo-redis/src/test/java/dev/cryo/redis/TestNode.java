package dev.cryo.redis;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;

import org.springframework.data.redis.connection.RedisConnectionFactory;

import dev.cryo.core.SessionId;
import dev.cryo.server.CryoSession;
import dev.cryo.server.SessionSelector;
import dev.cryo.server.cluster.ClusterMessage;
import dev.cryo.server.cluster.LocalDelivery;

import static org.awaitility.Awaitility.await;

/**
 * A node of a test cluster: a started broadcaster whose server is a small in-memory set of
 * stand-in sessions, each of which ACKs, fails or never answers what it is sent. Records what
 * reached its sessions and what its observer was told.
 */
final class TestNode implements AutoCloseable {

	/** What a stand-in session does with a message. */
	enum Peer {

		/** ACKs at once. */
		ACKS,

		/** The send fails at once, as when the session closed. */
		FAILS,

		/** Never answers: the future stays pending. */
		SILENT

	}

	final RedisClusterBroadcaster broadcaster;

	/** Every message that reached a session here: "sid text". */
	final BlockingQueue<String> arrived = new LinkedBlockingQueue<>();

	/** What the observer was told: "sent", "received" or a failure's tag. */
	final BlockingQueue<String> told = new LinkedBlockingQueue<>();

	/** Makes the server's delivery throw: the node receives but never reports. */
	volatile boolean broken;

	private final Map<SessionId, Peer> sessions = new ConcurrentHashMap<>();

	private final Map<SessionId, CryoSession> handles = new ConcurrentHashMap<>();

	TestNode(RedisConnectionFactory connectionFactory, RedisClusterSettings settings) {
		this.broadcaster = new RedisClusterBroadcaster(connectionFactory, settings);
		this.broadcaster.setObserver(new RedisClusterObserver() {

			@Override
			public void messageSent() {
				TestNode.this.told.add("sent");
			}

			@Override
			public void messageReceived() {
				TestNode.this.told.add("received");
			}

			@Override
			public void failure(Failure reason) {
				TestNode.this.told.add(reason.tag());
			}

		});
		this.broadcaster.attach(delivery());
		this.broadcaster.start();
	}

	static RedisClusterSettings settings(String node, String prefix, Duration deliveryTimeout) {
		return new RedisClusterSettings(node, prefix, Duration.ofSeconds(30), Duration.ofMillis(500))
			.withDeliveryTimeout(deliveryTimeout);
	}

	TestNode with(long sid, Peer peer) {
		this.sessions.put(SessionId.of(sid), peer);
		return this;
	}

	String id() {
		return this.broadcaster.settings().nodeId();
	}

	/** The server's local delivery: resolves the selectors this test uses against the sessions. */
	LocalDelivery delivery() {
		return (selector, message) -> {
			if (this.broken) {
				throw new IllegalStateException("A broken server");
			}
			Map<CryoSession, CompletableFuture<Void>> sent = new LinkedHashMap<>();
			this.sessions.forEach((sid, peer) -> {
				if (selector instanceof SessionSelector.All
						|| (selector instanceof SessionSelector.ById byId && byId.id().equals(sid))) {
					this.arrived.add(sid + " " + ((ClusterMessage.Utf8) message).text());
					CompletableFuture<Void> future = switch (peer) {
						case ACKS -> CompletableFuture.completedFuture(null);
						case FAILS -> CompletableFuture.failedFuture(new IllegalStateException("closed"));
						case SILENT -> new CompletableFuture<>();
					};
					sent.put(this.handles.computeIfAbsent(sid, TestNode::session), future);
				}
			});
			return sent;
		};
	}

	/** Waits until this node is subscribed and its view of the live nodes holds every node given. */
	TestNode awaitSees(TestNode... nodes) {
		await().atMost(Duration.ofSeconds(20)).until(() -> {
			this.broadcaster.announceNow();
			for (TestNode node : nodes) {
				if (!this.broadcaster.liveNodes().contains(node.id()) || !node.broadcaster.isSubscribed()) {
					return false;
				}
			}
			return this.broadcaster.isSubscribed();
		});
		return this;
	}

	/** A stand-in session that has an id, equals only itself and can do nothing else. */
	private static CryoSession session(SessionId sid) {
		return (CryoSession) Proxy.newProxyInstance(TestNode.class.getClassLoader(),
				new Class<?>[] { CryoSession.class }, (proxy, method, args) -> switch (method.getName()) {
					case "id" -> sid;
					case "hashCode" -> System.identityHashCode(proxy);
					case "equals" -> proxy == args[0];
					case "toString" -> "session " + sid;
					default -> throw new UnsupportedOperationException(method.getName());
				});
	}

	@Override
	public void close() {
		this.broadcaster.close();
	}

}
