package dev.cryo.server.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import dev.cryo.server.BroadcastResult;
import dev.cryo.server.SessionSelector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** A module's topic: the size limit both ways, failures that never reach the caller, the counts. */
class ClusterTopicTests {

	private final TopicBroadcaster broadcaster = new TopicBroadcaster();

	private final ClusterTopic topic = new ClusterTopic(this.broadcaster, "test.topic", "test message", 8);

	@Test
	void publishesWhatFitsAndCountsWhatDoesNot() {
		assertThat(this.topic.publish(() -> new byte[8])).isTrue();
		assertThat(this.topic.publish(() -> new byte[9])).isFalse();
		assertThat(this.topic.publish(() -> {
			throw new IllegalStateException("cannot encode");
		})).isFalse();
		this.broadcaster.failing = true;
		assertThat(this.topic.publish(() -> new byte[1])).isFalse();
		assertThat(this.broadcaster.published).hasSize(1).allSatisfy((message) -> assertThat(message).hasSize(8));
		assertThat(this.topic.publishedCount()).isOne();
		assertThat(this.topic.tooLargeCount()).isOne();
		assertThat(this.topic.publishFailureCount()).isEqualTo(2);
	}

	@Test
	void receivesWhatFitsAndDropsTooLargeAndMalformedMessages() {
		List<byte[]> delivered = new ArrayList<>();
		this.topic.start((origin, message) -> {
			if (message.length == 0) {
				throw new IllegalArgumentException("empty");
			}
			delivered.add(message);
		});
		this.broadcaster.deliver("node-b", new byte[3]);
		this.broadcaster.deliver("node-b\u001b[31m", new byte[9]);
		this.broadcaster.deliver("node-b", new byte[0]);
		assertThat(delivered).singleElement().satisfies((message) -> assertThat(message).hasSize(3));
		assertThat(this.topic.receivedCount()).isOne();
		assertThat(this.topic.tooLargeCount()).isOne();
		assertThat(this.topic.malformedCount()).isOne();
	}

	@Test
	void startsOnceAndStopsTheSubscription() {
		AtomicInteger received = new AtomicInteger();
		this.topic.start((origin, message) -> received.incrementAndGet());
		this.topic.start((origin, message) -> received.addAndGet(100));
		assertThat(this.broadcaster.subscriptions).isOne();
		assertThat(this.topic.isRunning()).isTrue();
		this.broadcaster.deliver("node-b", new byte[1]);
		this.topic.stop();
		this.topic.stop();
		assertThat(this.topic.isRunning()).isFalse();
		this.broadcaster.deliver("node-b", new byte[1]);
		assertThat(received).hasValue(1);
	}

	@Test
	void refusesABadTopicName() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ClusterTopic(this.broadcaster, "no spaces", "test message", 8));
	}

	/** Keeps what is published and hands messages to the one subscribed listener. */
	private static final class TopicBroadcaster implements ClusterBroadcaster {

		private final List<byte[]> published = new ArrayList<>();

		private @Nullable ClusterTopicListener listener;

		private int subscriptions;

		private boolean failing;

		@Override
		public BroadcastResult broadcast(SessionSelector selector, ClusterMessage message, LocalDelivery localDelivery) {
			return BroadcastResult.local(localDelivery.deliver(selector, message));
		}

		@Override
		public long publish(String topic, byte[] payload) {
			if (this.failing) {
				throw new IllegalStateException("the store is away");
			}
			this.published.add(payload);
			return 1;
		}

		@Override
		public ClusterSubscription subscribe(String topic, ClusterTopicListener listener) {
			this.listener = listener;
			this.subscriptions++;
			return () -> this.listener = null;
		}

		void deliver(String origin, byte[] message) {
			ClusterTopicListener current = this.listener;
			if (current != null) {
				current.onMessage(origin, message);
			}
		}

	}

}
