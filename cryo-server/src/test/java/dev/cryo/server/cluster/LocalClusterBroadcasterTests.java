package dev.cryo.server.cluster;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import dev.cryo.server.BroadcastResult;
import dev.cryo.server.CryoSession;
import dev.cryo.server.SessionSelector;
import dev.cryo.server.StubSession;

import static org.assertj.core.api.Assertions.assertThat;

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
