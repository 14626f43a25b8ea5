package dev.cryo.server.web;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;

import dev.cryo.core.SessionId;
import dev.cryo.core.dialect.CryoDialect;
import dev.cryo.core.dialect.testing.TestCodec;
import dev.cryo.core.dialect.testing.TestDialect;
import dev.cryo.core.dialect.v1.CryoV1Codec;
import dev.cryo.core.dialect.v1.CryoV1Dialect;
import dev.cryo.core.engine.CloseCodes;
import dev.cryo.core.engine.SessionOptions;
import dev.cryo.core.frame.AckFrame;
import dev.cryo.core.frame.EndpointInfoFrame;
import dev.cryo.core.frame.ErrorFrame;
import dev.cryo.core.frame.Frame;
import dev.cryo.core.frame.Utf8DataFrame;
import dev.cryo.server.CryoServerSettings;
import dev.cryo.server.event.CryoSessionClosedEvent;
import dev.cryo.server.event.CryoSessionConnectedEvent;
import dev.cryo.server.event.CryoUtf8MessageEvent;
import dev.cryo.server.observer.CryoServerObserver;
import dev.cryo.server.support.CryoSessionRegistry;
import dev.cryo.server.support.DefaultCryoServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link CryoWebSocketHandler} on an in-memory WebSocket session, with the server's real
 * registry, factory and sessions behind it: the rules the handler itself owns, one per test.
 */
class CryoWebSocketHandlerTests {

	private static final SessionId SID = SessionId.of(0x0102030405060708L);

	private static final String SID_HEX = "0102030405060708";

	private final List<Object> events = new CopyOnWriteArrayList<>();

	private final ApplicationEventPublisher publisher = this.events::add;

	/**
	 * The opening frame is written at once rather than after the first-frame delay (cryo-v1.md §3
	 * rule 2), so that each test sees it in {@code sent()} as soon as the session started.
	 */
	private static final CryoServerSettings SETTINGS = new CryoServerSettings(
			CryoServerSettings.DEFAULTS.keepAliveInterval(),
			SessionOptions.DEFAULTS.withFirstFrameDelay(Duration.ZERO));

	private final DefaultCryoServer server = new DefaultCryoServer(SETTINGS, this.publisher, CryoServerObserver.NOOP,
			List.of(TestDialect.plain()));

	private final CryoWebSocketHandler handler = new CryoWebSocketHandler(this.server.sessionFactory());

	@AfterEach
	void destroyServer() {
		this.server.lifecycle().destroy();
	}

	@Test
	void sessionIsReachableFromTheCloseCallbackBeforeItsFirstWrite() throws Exception {
		TestWebSocketSession webSocketSession = reserved(CryoV1Dialect.INSTANCE);
		// The peer reset the connection right after the 101: the container reports the close
		// while the first write fails.
		webSocketSession.onSend(() -> {
			this.handler.afterConnectionClosed(webSocketSession, new CloseStatus(CloseCodes.ABNORMAL));
			throw new IOException("Connection reset by peer");
		});
		this.handler.afterConnectionEstablished(webSocketSession);
		assertThat(events(CryoSessionClosedEvent.class)).singleElement()
			.satisfies((closed) -> assertThat(closed.code()).isEqualTo(CloseCodes.ABNORMAL));
		assertThat(registry().size()).isZero();
	}

	@Test
	void endpointInfoIsTheFirstMessageOut() throws Exception {
		TestWebSocketSession webSocketSession = open(CryoV1Dialect.INSTANCE);
		assertThat(webSocketSession.sent()).singleElement()
			.satisfies((message) -> assertThat(CryoV1Codec.INSTANCE.decode(message))
				.isInstanceOfSatisfying(EndpointInfoFrame.class, (info) -> {
					assertThat(info.sid()).isEqualTo(SID);
					assertThat(info.version()).isEqualTo(EndpointInfoFrame.PROTOCOL_VERSION);
				}));
		assertThat(this.server.session(SID)).isPresent();
	}

	@Test
	void sessionWithoutAChosenDialectSpeaksV1() throws Exception {
		TestWebSocketSession webSocketSession = reserved(null);
		this.handler.afterConnectionEstablished(webSocketSession);
		assertThat(CryoV1Codec.INSTANCE.decode(webSocketSession.sent().get(0))).isInstanceOf(EndpointInfoFrame.class);
	}

	@Test
	void utf8MessageIsAcknowledgedAndPublished() throws Exception {
		TestWebSocketSession webSocketSession = openV1AndHandshake();
		receive(webSocketSession, v1(Utf8DataFrame.of(SID, 2, "hello"), 2));
		assertThat(lastSent(webSocketSession)).isEqualTo(new AckFrame(SID, 2));
		assertThat(events(CryoUtf8MessageEvent.class)).singleElement()
			.satisfies((event) -> assertThat(event.text()).isEqualTo("hello"));
	}

	@Test
	void partialMessagesAreAssembledIntoOneFrame() throws Exception {
		TestWebSocketSession webSocketSession = openV1AndHandshake();
		// Larger than the test dialect's limit: this session's limit is v1's.
		String text = "x".repeat(80 * 1024);
		ByteBuffer message = v1(Utf8DataFrame.of(SID, 2, text), 2);
		int third = message.remaining() / 3;
		this.handler.handleMessage(webSocketSession, new BinaryMessage(message.slice(0, third), false));
		this.handler.handleMessage(webSocketSession, new BinaryMessage(message.slice(third, third), false));
		assertThat(events(CryoUtf8MessageEvent.class)).isEmpty();
		this.handler.handleMessage(webSocketSession,
				new BinaryMessage(message.slice(2 * third, message.remaining() - 2 * third), true));
		assertThat(events(CryoUtf8MessageEvent.class)).singleElement()
			.satisfies((event) -> assertThat(event.text()).isEqualTo(text));
		assertThat(lastSent(webSocketSession)).isEqualTo(new AckFrame(SID, 2));
	}

	@Test
	void messageOverTheDialectsLimitClosesWith1009() throws Exception {
		TestWebSocketSession webSocketSession = open(TestDialect.plain());
		int half = new TestCodec().maxMessageLength() / 2 + 1;
		this.handler.handleMessage(webSocketSession, new BinaryMessage(ByteBuffer.allocate(half), false));
		assertThat(webSocketSession.closeStatus()).isNull();
		this.handler.handleMessage(webSocketSession, new BinaryMessage(ByteBuffer.allocate(half), true));
		assertThat(webSocketSession.closeStatus()).isNotNull()
			.satisfies((status) -> assertThat(status.getCode()).isEqualTo(CloseCodes.MESSAGE_TOO_BIG));
	}

	@Test
	void malformedFrameIsAnsweredWithError() throws Exception {
		TestWebSocketSession webSocketSession = openV1AndHandshake();
		receive(webSocketSession, ByteBuffer.wrap(new byte[] { 1, 2, 3 }));
		assertThat(lastSent(webSocketSession)).isInstanceOf(ErrorFrame.class);
		assertThat(webSocketSession.closeStatus()).isNull();
	}

	@Test
	void closeCallbackEndsTheSessionWithOneClosedEventAndReleasesItsId() throws Exception {
		TestWebSocketSession webSocketSession = openV1AndHandshake();
		this.handler.afterConnectionClosed(webSocketSession, new CloseStatus(CloseCodes.GRACEFUL, "bye"));
		assertThat(events(CryoSessionClosedEvent.class)).singleElement().satisfies((closed) -> {
			assertThat(closed.code()).isEqualTo(CloseCodes.GRACEFUL);
			assertThat(closed.reason()).isEqualTo("bye");
		});
		assertThat(this.server.session(SID)).isEmpty();
		assertThat(registry().reserve(SID)).isNotNull();
	}

	@Test
	void testDialectSessionSendsNoEndpointInfoAndAnswersInItsLayout() throws Exception {
		TestWebSocketSession webSocketSession = open(TestDialect.plain());
		assertThat(webSocketSession.sent()).isEmpty();
		assertThat(events(CryoSessionConnectedEvent.class)).hasSize(1);
		receive(webSocketSession, ByteBuffer.wrap(HexFormat.of().parseHex("01" + "00000007" + SID_HEX + "6869")));
		assertThat(webSocketSession.sent()).singleElement()
			.satisfies((ack) -> assertThat(hex(ack)).isEqualTo("03" + "00000007" + SID_HEX));
		assertThat(events(CryoUtf8MessageEvent.class)).singleElement()
			.satisfies((event) -> assertThat(event.text()).isEqualTo("hi"));
	}

	@Test
	void subprotocolsOfAllDialectsAreOffered() {
		assertThat(this.handler.getSubProtocols()).containsExactly(TestDialect.SUBPROTOCOL);
		DefaultCryoServer v1Only = new DefaultCryoServer(SETTINGS, this.publisher);
		try {
			assertThat(new CryoWebSocketHandler(v1Only.sessionFactory()).getSubProtocols()).isEmpty();
		}
		finally {
			v1Only.lifecycle().destroy();
		}
	}

	/** A WebSocket session whose handshake reserved {@link #SID} and chose a dialect, not yet opened. */
	private TestWebSocketSession reserved(@Nullable CryoDialect dialect) {
		CryoSessionRegistry.Reservation reservation = registry().reserve(SID);
		assertThat(reservation).isNotNull();
		Map<String, Object> attributes = new HashMap<>();
		attributes.put(CryoWebSocketHandler.RESERVATION_ATTRIBUTE, reservation);
		if (dialect != null) {
			attributes.put(CryoWebSocketHandler.DIALECT_ATTRIBUTE, dialect);
		}
		return new TestWebSocketSession(attributes);
	}

	private TestWebSocketSession open(CryoDialect dialect) throws Exception {
		TestWebSocketSession webSocketSession = reserved(dialect);
		this.handler.afterConnectionEstablished(webSocketSession);
		return webSocketSession;
	}

	/** Opens a v1 session and answers its ENDPOINT_INFO, so the session is open. */
	private TestWebSocketSession openV1AndHandshake() throws Exception {
		TestWebSocketSession webSocketSession = open(CryoV1Dialect.INSTANCE);
		receive(webSocketSession, v1(new EndpointInfoFrame(SID, 1, EndpointInfoFrame.PROTOCOL_VERSION, 0), 1));
		assertThat(lastSent(webSocketSession)).isEqualTo(new AckFrame(SID, 1));
		return webSocketSession;
	}

	private void receive(TestWebSocketSession webSocketSession, ByteBuffer message) throws Exception {
		this.handler.handleMessage(webSocketSession, new BinaryMessage(message, true));
	}

	private CryoSessionRegistry registry() {
		return this.server.sessionRegistry();
	}

	private <T> List<T> events(Class<T> type) {
		return this.events.stream().filter(type::isInstance).map(type::cast).toList();
	}

	private static ByteBuffer v1(Frame frame, int ack) {
		return CryoV1Codec.INSTANCE.encode(frame, ack);
	}

	private static Frame lastSent(TestWebSocketSession webSocketSession) {
		List<ByteBuffer> sent = webSocketSession.sent();
		assertThat(sent).isNotEmpty();
		return CryoV1Codec.INSTANCE.decode(sent.get(sent.size() - 1));
	}

	private static String hex(ByteBuffer message) {
		byte[] bytes = new byte[message.remaining()];
		message.duplicate().get(bytes);
		return HexFormat.of().formatHex(bytes);
	}

}
