package dev.cryo.server.handler;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import dev.cryo.server.CryoSession;
import dev.cryo.server.StubSession;
import dev.cryo.server.event.CryoBinaryMessageEvent;
import dev.cryo.server.event.CryoUtf8MessageEvent;

import static org.assertj.core.api.Assertions.assertThat;

/** The fallback handler: every message becomes an application event and counts as handled. */
class EventPublishingMessageHandlerTests {

	private final List<Object> events = new CopyOnWriteArrayList<>();

	private final CryoSession session = StubSession.of(1, Map.of());

	@Test
	void aUtf8MessageIsPublishedAndClaimed() {
		EventPublishingMessageHandler handler = new EventPublishingMessageHandler(this.events::add);
		assertThat(handler.handleUtf8(this.session, "hello")).isTrue();
		assertThat(this.events).singleElement().isInstanceOfSatisfying(CryoUtf8MessageEvent.class, (event) -> {
			assertThat(event.text()).isEqualTo("hello");
			assertThat(event.session()).isSameAs(this.session);
		});
	}

	@Test
	void aBinaryMessageIsPublishedWithoutACopyAndClaimed() {
		// A server hands its handlers bytes that nobody changes afterwards: the event keeps a view.
		EventPublishingMessageHandler handler = new EventPublishingMessageHandler(this.events::add);
		ByteBuffer payload = ByteBuffer.wrap(new byte[] { 0, 1, 2, 3 }).position(1).asReadOnlyBuffer();
		assertThat(handler.handleBinary(this.session, payload)).isTrue();
		assertThat(payload.remaining()).isEqualTo(3);
		assertThat(this.events).singleElement()
			.isInstanceOfSatisfying(CryoBinaryMessageEvent.class, (event) -> {
				assertThat(event.bytes()).containsExactly(1, 2, 3);
				assertThat(event.size()).isEqualTo(3);
				assertThat(event.payload().isReadOnly()).isTrue();
			});
	}

	@Test
	void aFailingListenerIsLoggedAndTheMessageStillCountsAsHandled() {
		EventPublishingMessageHandler handler = new EventPublishingMessageHandler((event) -> {
			throw new IllegalStateException("listener failed");
		});
		assertThat(handler.handleUtf8(this.session, "hello")).isTrue();
	}

	@Test
	void claimsNothingByDefault() {
		CryoMessageHandler none = new CryoMessageHandler() {
		};
		assertThat(none.handleUtf8(this.session, "x")).isFalse();
		assertThat(none.handleBinary(this.session, ByteBuffer.allocate(1))).isFalse();
	}

}
