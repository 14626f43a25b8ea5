package dev.cryo.server.cluster;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import dev.cryo.core.SessionId;
import dev.cryo.server.BroadcastResult;
import dev.cryo.server.ClusterDeliveryReport;
import dev.cryo.server.CryoSession;
import dev.cryo.server.SessionNotFoundException;
import dev.cryo.server.SessionSelector;
import dev.cryo.server.StubSession;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The single-node {@link ClusterBroadcaster}: everything is delivered locally. */
class LocalClusterBroadcasterTests {

	@Test
	void deliversThroughTheLocalDeliveryAndCountsNoRemoteRecipients() {
		CryoSession session = StubSession.of(1, Map.of());
		CompletableFuture<Void> sent = new CompletableFuture<>();
		AtomicReference<SessionSelector> asked = new AtomicReference<>();
		ClusterMessage message = new ClusterMessage.Utf8("hi");
		BroadcastResult result = new LocalClusterBroadcaster().broadcast(SessionSelector.id(1), message,
				(selector, delivered) -> {
					asked.set(selector);
					assertThat(delivered).isSameAs(message);
					return Map.of(session, sent);
				});
		assertThat(asked.get()).isEqualTo(SessionSelector.id(1));
		assertThat(result.localDeliveries()).containsExactly(Map.entry(session, sent));
		assertThat(result.remoteDeliveries()).isZero();
		assertThat(result.remoteReport()).isCompletedWithValue(ClusterDeliveryReport.none());
	}

	@Test
	void aSendByIdGoesToTheLocalSessionAndReturnsItsFuture() {
		CryoSession session = StubSession.of(7, Map.of());
		CompletableFuture<Void> sent = new CompletableFuture<>();
		AtomicReference<SessionSelector> asked = new AtomicReference<>();
		CompletableFuture<Void> result = new LocalClusterBroadcaster().send(SessionId.of(7),
				new ClusterMessage.Utf8("hi"), (selector, message) -> {
					asked.set(selector);
					return Map.of(session, sent);
				});
		assertThat(asked.get()).isEqualTo(SessionSelector.id(7));
		assertThat(result).isSameAs(sent);
	}

	@Test
	void aSendByIdToNoSessionFailsWithSessionNotFound() {
		CompletableFuture<Void> result = new LocalClusterBroadcaster().send(SessionId.of(8),
				new ClusterMessage.Utf8("hi"), (selector, message) -> Map.of());
		assertThat(result).failsWithin(Duration.ZERO)
			.withThrowableThat()
			.havingCause()
			.isInstanceOf(SessionNotFoundException.class)
			.withMessageContaining("8");
	}

	@Test
	void aSingleNodePublishesToNobodyButStillChecksTheTopicName() {
		LocalClusterBroadcaster broadcaster = new LocalClusterBroadcaster();
		assertThat(broadcaster.publish("live-data.changes", new byte[] { 1 })).isZero();
		assertThat(broadcaster.subscribe("live-data.changes", (origin, payload) -> {
		})).isSameAs(ClusterSubscription.NONE);
		assertThatIllegalArgumentException().isThrownBy(() -> broadcaster.publish("", new byte[0]));
		assertThatIllegalArgumentException().isThrownBy(() -> broadcaster.publish("a b", new byte[0]));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> broadcaster.subscribe("x".repeat(ClusterTopics.MAX_NAME_LENGTH + 1), (o, p) -> {
			}));
	}

	@Test
	void aBinaryMessageKeepsAReadOnlyViewAndHandsOutIndependentDuplicates() {
		ByteBuffer payload = ByteBuffer.wrap(new byte[] { 1, 2, 3 });
		ClusterMessage.Binary message = new ClusterMessage.Binary(payload);
		ByteBuffer first = message.payload();
		first.get();
		assertThat(first.isReadOnly()).isTrue();
		assertThat(message.payload().remaining()).isEqualTo(3);
		assertThat(payload.remaining()).isEqualTo(3);
	}

}
