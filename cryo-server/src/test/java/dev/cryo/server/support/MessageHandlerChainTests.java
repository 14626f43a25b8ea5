package dev.cryo.server.support;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import dev.cryo.core.SessionId;
import dev.cryo.core.frame.BinaryDataFrame;
import dev.cryo.server.Box;
import dev.cryo.server.CryoExtension;
import dev.cryo.server.CryoSession;
import dev.cryo.server.event.CryoBinaryMessageEvent;
import dev.cryo.server.event.CryoUtf8MessageEvent;
import dev.cryo.server.handler.CryoMessageHandler;
import dev.cryo.server.support.InMemoryServer.Peer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How a received message passes the extension chain, the message handlers in order, and event
 * publication as the fallback, on sessions of an in-memory server.
 */
class MessageHandlerChainTests {

	@Test
	void withoutHandlersEveryMessageBecomesAnEvent() {
		try (InMemoryServer memory = new InMemoryServer()) {
			memory.connect(1).sendUtf8("hello");
			assertThat(memory.events(CryoUtf8MessageEvent.class)).extracting(CryoUtf8MessageEvent::text)
				.containsExactly("hello");
		}
	}

	@Test
	void theFirstHandlerThatClaimsAMessageIsTheLastToSeeIt() {
		Recording first = new Recording("rpc:");
		Recording second = new Recording("rpc:");
		try (InMemoryServer memory = new InMemoryServer((builder) -> builder.messageHandlers(List.of(first, second)))) {
			memory.connect(1).sendUtf8("rpc:1");
			assertThat(first.seen).containsExactly("rpc:1");
			assertThat(second.seen).isEmpty();
			assertThat(memory.events(CryoUtf8MessageEvent.class)).isEmpty();
		}
	}

	@Test
	void aMessageNoHandlerClaimsPassesEveryHandlerAndBecomesAnEvent() {
		Recording first = new Recording("rpc:");
		Recording second = new Recording("cmd:");
		try (InMemoryServer memory = new InMemoryServer((builder) -> builder.messageHandlers(List.of(first, second)))) {
			memory.connect(1).sendUtf8("chat");
			assertThat(first.seen).containsExactly("chat");
			assertThat(second.seen).containsExactly("chat");
			assertThat(memory.events(CryoUtf8MessageEvent.class)).extracting(CryoUtf8MessageEvent::text)
				.containsExactly("chat");
		}
	}

	@Test
	void aHandlerRepliesThroughTheSessionItIsGiven() {
		CryoMessageHandler echo = new CryoMessageHandler() {

			@Override
			public boolean handleUtf8(CryoSession session, String text) {
				session.sendUtf8("re: " + text);
				return true;
			}

		};
		try (InMemoryServer memory = new InMemoryServer((builder) -> builder.messageHandlers(List.of(echo)))) {
			Peer peer = memory.connect(1);
			peer.sendUtf8("question");
			assertThat(peer.receivedUtf8()).containsExactly("re: question");
		}
	}

	@Test
	void binaryMessagesAreOfferedAsReadOnlyViewsAndUnclaimedOnesBecomeEventsWithAllTheirBytes() {
		List<ByteBuffer> offered = new CopyOnWriteArrayList<>();
		CryoMessageHandler reader = new CryoMessageHandler() {

			@Override
			public boolean handleBinary(CryoSession session, ByteBuffer payload) {
				offered.add(payload);
				// Reading moves this handler's view only.
				payload.get(new byte[payload.remaining()]);
				return false;
			}

		};
		try (InMemoryServer memory = new InMemoryServer((builder) -> builder.messageHandlers(List.of(reader)))) {
			Peer peer = memory.connect(1);
			peer.send(new BinaryDataFrame(SessionId.of(1), peer.nextAck(), ByteBuffer.wrap("bytes".getBytes(StandardCharsets.UTF_8))));
			assertThat(offered).singleElement().satisfies((view) -> assertThat(view.isReadOnly()).isTrue());
			assertThat(memory.events(CryoBinaryMessageEvent.class)).singleElement()
				.satisfies((event) -> assertThat(new String(event.bytes(), StandardCharsets.UTF_8)).isEqualTo("bytes"));
		}
	}

	@Test
	void anExtensionVetoKeepsTheMessageFromEveryHandlerAndFromTheEvents() {
		Recording handler = new Recording("rpc:");
		try (InMemoryServer memory = new InMemoryServer((builder) -> builder.messageHandlers(List.of(handler)))) {
			memory.server().registerExtension(new CryoExtension() {

				@Override
				public String name() {
					return "veto";
				}

				@Override
				public boolean onReceiveUtf8(CryoSession session, Box<String> text) {
					return false;
				}

			});
			memory.connect(1).sendUtf8("rpc:1");
			assertThat(handler.seen).isEmpty();
			assertThat(memory.events(CryoUtf8MessageEvent.class)).isEmpty();
		}
	}

	@Test
	void aHandlerThatThrowsIsTreatedAsNotHavingClaimedTheMessage() {
		CryoMessageHandler broken = new CryoMessageHandler() {

			@Override
			public boolean handleUtf8(CryoSession session, String text) {
				throw new IllegalStateException("broken");
			}

		};
		Recording next = new Recording("none");
		try (InMemoryServer memory = new InMemoryServer((builder) -> builder.messageHandlers(List.of(broken, next)))) {
			memory.connect(1).sendUtf8("hello");
			assertThat(next.seen).containsExactly("hello");
			assertThat(memory.events(CryoUtf8MessageEvent.class)).hasSize(1);
		}
	}

	/** Records every UTF-8 message it is offered and claims those with its prefix. */
	private static final class Recording implements CryoMessageHandler {

		private final String prefix;

		private final List<String> seen = new CopyOnWriteArrayList<>();

		Recording(String prefix) {
			this.prefix = prefix;
		}

		@Override
		public boolean handleUtf8(CryoSession session, String text) {
			this.seen.add(text);
			return text.startsWith(this.prefix);
		}

	}

}
