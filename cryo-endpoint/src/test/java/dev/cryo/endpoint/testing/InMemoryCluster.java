package dev.cryo.endpoint.testing;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import dev.cryo.server.BroadcastResult;
import dev.cryo.server.SessionSelector;
import dev.cryo.server.cluster.ClusterBroadcaster;
import dev.cryo.server.cluster.ClusterMessage;
import dev.cryo.server.cluster.ClusterSubscription;
import dev.cryo.server.cluster.ClusterTopicListener;
import dev.cryo.server.cluster.ClusterTopics;
import dev.cryo.server.cluster.LocalDelivery;

/**
 * Nodes of a cluster in one JVM, for the tests of what modules send on cluster topics: each
 * {@link #node(String) node} is a {@link ClusterBroadcaster} whose {@code publish} hands a copy of
 * the bytes to the listeners of every OTHER node, each node on its own delivery thread, one
 * message at a time in publication order, as the SPI describes. Session broadcasts stay local.
 * Close it to stop the delivery threads.
 */
public final class InMemoryCluster implements AutoCloseable {

	private final List<Node> nodes = new CopyOnWriteArrayList<>();

	/**
	 * Adds a node.
	 * @param id its node id, what listeners of other nodes are told as the origin
	 * @return its broadcaster
	 */
	public ClusterBroadcaster node(String id) {
		Node node = new Node(id);
		this.nodes.add(node);
		return node;
	}

	/**
	 * Waits until every node has handled every message published so far.
	 * @throws InterruptedException when interrupted
	 */
	public void settle() throws InterruptedException {
		for (Node node : this.nodes) {
			try {
				node.delivery.submit(() -> {
				}).get(10, TimeUnit.SECONDS);
			}
			catch (Exception ex) {
				throw new IllegalStateException("Node " + node.id + " did not settle", ex);
			}
		}
	}

	@Override
	public void close() {
		this.nodes.forEach((node) -> node.delivery.shutdownNow());
	}

	private final class Node implements ClusterBroadcaster {

		private final String id;

		private final ExecutorService delivery;

		private final Map<String, Set<ClusterTopicListener>> listeners = new ConcurrentHashMap<>();

		Node(String id) {
			this.id = id;
			this.delivery = Executors.newSingleThreadExecutor((runnable) -> {
				Thread thread = new Thread(runnable, "in-memory-cluster-" + id);
				thread.setDaemon(true);
				return thread;
			});
		}

		@Override
		public BroadcastResult broadcast(SessionSelector selector, ClusterMessage message,
				LocalDelivery localDelivery) {
			return BroadcastResult.local(localDelivery.deliver(selector, message));
		}

		@Override
		public long publish(String topic, byte[] payload) {
			ClusterTopics.checkName(topic);
			long reached = 0;
			for (Node other : InMemoryCluster.this.nodes) {
				if (other != this) {
					byte[] copy = payload.clone();
					other.delivery.execute(() -> other.listeners.getOrDefault(topic, Set.of())
						.forEach((listener) -> listener.onMessage(this.id, copy)));
					reached++;
				}
			}
			return reached;
		}

		@Override
		public ClusterSubscription subscribe(String topic, ClusterTopicListener listener) {
			ClusterTopics.checkName(topic);
			this.listeners.computeIfAbsent(topic, (key) -> ConcurrentHashMap.newKeySet()).add(listener);
			return () -> this.listeners.getOrDefault(topic, Set.of()).remove(listener);
		}

	}

}
