package dev.cryo.endpoint.wire;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import dev.cryo.endpoint.EndpointConnection;
import dev.cryo.endpoint.support.Envelopes;
import dev.cryo.server.CryoSession;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Cryo wire's bookkeeping: what it claims, and one connection per live session.
 */
class CryoEndpointMessageHandlerTests {

	private final WireTestDispatcher dispatcher = new WireTestDispatcher();

	private final CryoEndpointMessageHandler handler = new CryoEndpointMessageHandler(this.dispatcher,
			new Envelopes(JsonMapper.builder().build()));

	@Test
	void claimsRequestsOnlyAndAnswersThroughTheSession() {
		List<String> sent = new CopyOnWriteArrayList<>();
		CryoSession session = WireTestSessions.session("1", false, sent);
		this.handler.sessionConnected(session);
		assertThat(this.handler.handleUtf8(session, "hello")).isFalse();
		assertThat(this.handler.handleUtf8(session, "{\"meta\":{}}")).isTrue();
		assertThat(this.dispatcher.dispatched).containsExactly("{\"meta\":{}}");
		assertThat(sent).containsExactly("ok");
	}

	@Test
	void aRequestBeforeTheConnectedEventOpensTheConnectionOnce() {
		CryoSession session = WireTestSessions.session("2");
		this.handler.handleUtf8(session, "{\"meta\":{}}");
		this.handler.sessionConnected(session);
		this.handler.handleUtf8(session, "{\"meta\":{}}");
		assertThat(this.dispatcher.opened).hasSize(1);
		EndpointConnection connection = this.dispatcher.opened.get(0);
		assertThat(connection.id()).isEqualTo("2");
		assertThat(connection.wire()).isEqualTo(EndpointConnection.CRYO_WIRE);
		assertThat(connection.cryoSession()).isSameAs(session);
		assertThat(connection.isSecure()).isFalse();
		assertThat(connection.localPort()).isEqualTo(-1);
	}

	@Test
	void aClosedSessionLeavesTheMapAndTheDispatcherOnce() {
		CryoSession session = WireTestSessions.session("3");
		this.handler.sessionConnected(session);
		EndpointConnection connection = this.handler.connection(session);
		assertThat(this.handler.connectionCount()).isOne();
		this.handler.sessionClosed(session);
		this.handler.sessionClosed(session);
		assertThat(this.handler.connectionCount()).isZero();
		assertThat(this.handler.connection(session)).isNull();
		assertThat(this.dispatcher.closed).containsExactly(connection);
		assertThat(connection.isOpen()).isFalse();
	}

	@Test
	void aNotificationIsSentAsTheNotifyEnvelope() {
		List<String> sent = new CopyOnWriteArrayList<>();
		CryoSession session = WireTestSessions.session("4", false, sent);
		this.handler.sessionConnected(session);
		this.handler.connection(session).notify("tick", 1);
		assertThat(sent).containsExactly("{\"meta\":{\"method\":\"notify\",\"type\":\"tick\"},\"data\":1}");
	}

	@Test
	void binaryMessagesAreClaimedOnlyWithABinaryHandler() {
		CryoSession session = WireTestSessions.session("5");
		assertThat(this.handler.handleBinary(session, ByteBuffer.allocate(3))).isFalse();
		this.dispatcher.binaryHandler = true;
		assertThat(this.handler.handleBinary(session, ByteBuffer.allocate(3))).isTrue();
		assertThat(this.dispatcher.binaries).containsExactly(3);
	}

	@Test
	void linksToOtherServersAreNoConnections() {
		CryoSession peer = WireTestSessions.session("6", true, new CopyOnWriteArrayList<>());
		this.handler.sessionConnected(peer);
		assertThat(this.handler.handleUtf8(peer, "{\"meta\":{}}")).isFalse();
		assertThat(this.dispatcher.opened).isEmpty();
	}

}
