package dev.cryo.boot.autoconfigure.endtoend;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import dev.cryo.core.SessionId;
import dev.cryo.core.engine.CloseInfo;
import dev.cryo.core.engine.CryoSessionClosedException;
import dev.cryo.core.engine.SessionState;
import dev.cryo.core.frame.AckFrame;
import dev.cryo.core.frame.ByeFrame;
import dev.cryo.core.frame.Utf8DataFrame;
import dev.cryo.server.CryoServer;
import dev.cryo.server.CryoSession;
import dev.cryo.server.event.CryoSessionClosedEvent;
import dev.cryo.test.RawCryoClient;
import dev.cryo.test.RawFrames;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Ending a session (cryo-v1.md §8): BYE in both directions, close reasons within 123 bytes, the
 * closed event exactly once, and pending sends that fail instead of hanging.
 */
@SpringBootTest(classes = CryoTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@Timeout(30)
class CryoSessionEndEndToEndTests {

	/** 150 two-byte characters: 300 bytes of UTF-8, far over the 123 bytes a close reason may have. */
	private static final String LONG_REASON = "é".repeat(150);

	private static final Duration SETTLE = Duration.ofMillis(200);

	/** The Cryo endpoint's port: its own where it has one (the Netty transport), else the server's. */
	@Value("${local.cryo.port:${local.server.port}}")
	int port;

	@Autowired
	CryoServer server;

	@Autowired
	CryoEventRecorder events;

	// ---- BYE from the client

	@Test
	void clientByeIsAckedThenTheConnectionClosesWith4000AndTheByeReason() throws InterruptedException {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.ready(this.port, sid)) {
			client.send(new ByeFrame(sid, 9, "done"));
			assertThat(client.next(AckFrame.class)).isEqualTo(new AckFrame(sid, 9));
			RawCryoClient.Close close = client.awaitClose();
			assertThat(close.code()).isEqualTo(4000);
			assertThat(close.reason()).isEqualTo("done");
		}
		CryoSessionClosedEvent closed = this.events.await(sid, CryoSessionClosedEvent.class);
		assertThat(closed.code()).isEqualTo(4000);
		assertThat(closed.reason()).isEqualTo("done");
		assertThat(closed.initiator()).isEqualTo(CloseInfo.Initiator.PEER);
		assertThat(closed.getSession().state()).isEqualTo(SessionState.CLOSED);
		Thread.sleep(SETTLE.toMillis());
		assertThat(this.events.events(sid, CryoSessionClosedEvent.class)).as("closed event exactly once").hasSize(1);
		CryoClients.awaitGone(this.server, sid);
	}

	@Test
	void clientByeWithoutReasonClosesWithAnEmptyReason() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.ready(this.port, sid)) {
			client.sendRaw(RawFrames.frame(sid, 0xFE, 3, 13));
			assertThat(client.next(AckFrame.class).ack()).isEqualTo(3);
			RawCryoClient.Close close = client.awaitClose();
			assertThat(close.code()).isEqualTo(4000);
			assertThat(close.reason()).isEmpty();
		}
	}

	@Test
	void longMultiByteByeReasonIsTruncatedToAtMost123BytesAtACharacterBoundary() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.ready(this.port, sid)) {
			client.send(new ByeFrame(sid, 4, LONG_REASON));
			assertThat(client.next(AckFrame.class).ack()).isEqualTo(4);
			RawCryoClient.Close close = client.awaitClose();
			assertThat(close.code()).isEqualTo(4000);
			assertThat(close.reason().getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(123);
			assertThat(close.reason()).isEqualTo("é".repeat(61));
		}
		assertThat(this.events.await(sid, CryoSessionClosedEvent.class).reason()).isEqualTo("é".repeat(61));
	}

	@Test
	void byeBeforeTheSessionIsReadyIsHandledToo() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.connect(this.port, sid)) {
			client.next();
			client.send(new ByeFrame(sid, 0, "changed my mind"));
			assertThat(client.next(AckFrame.class).ack()).isZero();
			assertThat(client.awaitClose()).isEqualTo(new RawCryoClient.Close(4000, "changed my mind"));
		}
	}

	// ---- close from the server

	@Test
	void sessionCloseSendsByeThenClosesWith4000() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.ready(this.port, sid)) {
			CryoSession session = CryoClients.session(this.server, sid);
			session.close("bye now");
			assertThat(session.isOpen()).isFalse();
			ByeFrame bye = client.next(ByeFrame.class);
			assertThat(bye.reason()).isEqualTo("bye now");
			assertThat(bye.sid()).isEqualTo(sid);
			assertThat(client.awaitClose()).isEqualTo(new RawCryoClient.Close(4000, "bye now"));
		}
		CryoSessionClosedEvent closed = this.events.await(sid, CryoSessionClosedEvent.class);
		assertThat(closed.initiator()).isEqualTo(CloseInfo.Initiator.LOCAL);
		assertThat(closed.code()).isEqualTo(4000);
		assertThat(closed.reason()).isEqualTo("bye now");
	}

	@Test
	void sessionCloseFlushesQueuedMessagesBeforeTheBye() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.ready(this.port, sid)) {
			CryoSession session = CryoClients.session(this.server, sid);
			session.sendUtf8("last words");
			session.close("that is all");
			assertThat(client.next(Utf8DataFrame.class).text()).isEqualTo("last words");
			assertThat(client.next(ByeFrame.class).reason()).isEqualTo("that is all");
			assertThat(client.awaitClose().code()).isEqualTo(4000);
		}
	}

	@Test
	void serverByeCarriesTheWholeReasonButTheCloseReasonIsTruncated() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.ready(this.port, sid)) {
			CryoClients.session(this.server, sid).close(LONG_REASON);
			assertThat(client.next(ByeFrame.class).reason()).isEqualTo(LONG_REASON);
			RawCryoClient.Close close = client.awaitClose();
			assertThat(close.code()).isEqualTo(4000);
			assertThat(close.reason()).isEqualTo("é".repeat(61));
		}
	}

	@Test
	void closingTwiceSendsOneBye() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.ready(this.port, sid)) {
			CryoSession session = CryoClients.session(this.server, sid);
			session.close("first");
			session.close("second");
			assertThat(client.next(ByeFrame.class).reason()).isEqualTo("first");
			assertThat(client.awaitClose().reason()).isEqualTo("first");
			assertThat(client.poll(SETTLE)).isNull();
		}
	}

	@Test
	void destroyClosesAtOnceWithoutBye() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.ready(this.port, sid)) {
			CryoClients.session(this.server, sid).destroy();
			RawCryoClient.Close close = client.awaitClose();
			assertThat(close.code()).isEqualTo(1000);
			assertThat(client.poll(Duration.ZERO)).as("no BYE").isNull();
		}
	}

	// ---- the connection ends without BYE

	@Test
	void webSocketCloseFromTheClientEndsTheSessionOnce() throws InterruptedException {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.ready(this.port, sid)) {
			client.closeWebSocket(1000, "client leaving");
			CryoSessionClosedEvent closed = this.events.await(sid, CryoSessionClosedEvent.class);
			assertThat(closed.initiator()).isEqualTo(CloseInfo.Initiator.PEER);
			assertThat(closed.code()).isEqualTo(1000);
			assertThat(closed.reason()).isEqualTo("client leaving");
		}
		CryoClients.awaitGone(this.server, sid);
		Thread.sleep(SETTLE.toMillis());
		assertThat(this.events.events(sid, CryoSessionClosedEvent.class)).hasSize(1);
	}

	@Test
	void pendingSendsFailWithSessionClosedWhenTheClientDisconnects() {
		SessionId sid = RawFrames.newSid();
		CompletableFuture<Void> first;
		CompletableFuture<Void> second;
		try (RawCryoClient client = CryoClients.ready(this.port, sid)) {
			CryoSession session = CryoClients.session(this.server, sid);
			first = session.sendUtf8("never acked 1");
			second = session.sendBinary(new byte[] { 1, 2, 3 });
			client.next(Utf8DataFrame.class);
			client.abort();
		}
		for (CompletableFuture<Void> pending : List.of(first, second)) {
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> pending.get(5, TimeUnit.SECONDS))
				.withCauseInstanceOf(CryoSessionClosedException.class);
		}
		CryoSessionClosedEvent closed = this.events.await(sid, CryoSessionClosedEvent.class);
		assertThat(closed.initiator()).isEqualTo(CloseInfo.Initiator.PEER);
		CryoClients.awaitGone(this.server, sid);
	}

	@Test
	void sendOnAClosedSessionFailsAtOnce() {
		SessionId sid = RawFrames.newSid();
		CryoSession session;
		try (RawCryoClient client = CryoClients.ready(this.port, sid)) {
			session = CryoClients.session(this.server, sid);
			session.close("over");
			client.awaitClose();
		}
		CompletableFuture<Void> late = session.sendUtf8("too late");
		assertThat(late).isCompletedExceptionally();
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(late::get)
			.withCauseInstanceOf(CryoSessionClosedException.class);
	}

}
