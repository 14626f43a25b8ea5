package dev.cryo.boot.autoconfigure.endtoend;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import dev.cryo.core.SessionId;
import dev.cryo.core.engine.CryoAckTimeoutException;
import dev.cryo.core.engine.SessionState;
import dev.cryo.core.frame.AckFrame;
import dev.cryo.core.frame.BinaryDataFrame;
import dev.cryo.core.frame.ByeFrame;
import dev.cryo.core.frame.EndpointInfoFrame;
import dev.cryo.core.frame.ErrorFrame;
import dev.cryo.core.frame.FlowBehaviour;
import dev.cryo.core.frame.Frame;
import dev.cryo.core.frame.TransactionLayout;
import dev.cryo.core.frame.TxFlowFrame;
import dev.cryo.core.frame.Utf8DataFrame;
import dev.cryo.server.CryoServer;
import dev.cryo.server.CryoSession;
import dev.cryo.server.event.CryoBinaryMessageEvent;
import dev.cryo.server.event.CryoErrorMessageEvent;
import dev.cryo.server.event.CryoSessionConnectedEvent;
import dev.cryo.server.event.CryoUtf8MessageEvent;
import dev.cryo.test.RawCryoClient;
import dev.cryo.test.RawFrames;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Session start (cryo-v1.md §3), acknowledgements (§6), application messages and their events,
 * and server-side sends, broadcast and multicast.
 */
@SpringBootTest(classes = CryoTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = CryoTestApplication.ACK_TIMEOUT_300MS)
@Timeout(30)
class CryoSessionLifecycleEndToEndTests {

	private static final Duration QUIET = Duration.ofMillis(200);

	/** The Cryo endpoint's port: its own where it has one (the Netty transport), else the server's. */
	@Value("${local.cryo.port:${local.server.port}}")
	int port;

	@Autowired
	CryoServer server;

	@Autowired
	CryoEventRecorder events;

	// ---- §3 session start

	@Test
	void serverSendsItsEndpointInfoFirstWithAck0Version1AndTransactions() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.connect(this.port, sid)) {
			Frame first = client.next();
			assertThat(first).isInstanceOf(EndpointInfoFrame.class);
			EndpointInfoFrame info = (EndpointInfoFrame) first;
			assertThat(info.sid()).isEqualTo(sid);
			assertThat(info.ack()).isZero();
			assertThat(info.version()).isEqualTo(1);
			assertThat(info.flags()).isEqualTo(1L);
		}
	}

	@Test
	void clientEndpointInfoIsAckedWithItsOwnAckAndOpensTheSession() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.connect(this.port, sid)) {
			client.next(EndpointInfoFrame.class);
			CryoSession session = CryoClients.session(this.server, sid);
			assertThat(session.state()).isEqualTo(SessionState.HANDSHAKING);
			client.send(new EndpointInfoFrame(sid, 7, 1, 1));
			AckFrame ack = client.next(AckFrame.class);
			assertThat(ack.ack()).isEqualTo(7);
			assertThat(ack.sid()).isEqualTo(sid);
			this.events.await(sid, CryoSessionConnectedEvent.class);
			assertThat(session.state()).isEqualTo(SessionState.OPEN);
			assertThat(session.peerFlags()).isEqualTo(1L);
		}
	}

	@Test
	void connectedEventIsPublishedOnceWhenTheSessionBecomesReady() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.connect(this.port, sid)) {
			client.next(EndpointInfoFrame.class);
			assertThat(this.events.events(sid, CryoSessionConnectedEvent.class)).isEmpty();
			client.send(new EndpointInfoFrame(sid, 0, 1, 1));
			client.next(AckFrame.class);
			CryoSessionConnectedEvent connected = this.events.await(sid, CryoSessionConnectedEvent.class);
			assertThat(connected.getSession().id()).isEqualTo(sid);
			// A repeated ENDPOINT_INFO is ACKed and otherwise ignored (§3 item 6).
			client.send(new EndpointInfoFrame(sid, 1, 1, 1));
			assertThat(client.next(AckFrame.class).ack()).isEqualTo(1);
			assertThat(this.events.events(sid, CryoSessionConnectedEvent.class)).hasSize(1);
		}
	}

	@Test
	void versionMismatchClosesWith4001AndNoAck() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.connect(this.port, sid)) {
			client.next(EndpointInfoFrame.class);
			client.send(new EndpointInfoFrame(sid, 0, 2, 1));
			RawCryoClient.Close close = client.awaitClose();
			assertThat(close.code()).isEqualTo(4001);
			assertThat(close.reason()).isEqualTo("Protocol mismatch. Client offered 2, we support 1 !");
			assertThat(client.poll(QUIET)).as("no ACK, BYE or ERROR before the close").isNull();
			assertThat(this.events.events(sid, CryoSessionConnectedEvent.class)).isEmpty();
		}
	}

	@Test
	void versionIsPrintedUnsignedInTheMismatchReason() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.connect(this.port, sid)) {
			client.next(EndpointInfoFrame.class);
			client.send(new EndpointInfoFrame(sid, 0, -1, 1));
			assertThat(client.awaitClose().reason()).isEqualTo("Protocol mismatch. Client offered 4294967295, we support 1 !");
		}
	}

	@Test
	void transactionFrameBeforeEndpointInfoOpensTheSessionWithoutAnnouncement() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.connect(this.port, sid)) {
			client.next(EndpointInfoFrame.class);
			// §3 rule 9 (a): the session opens before the TX_FLOW is handled, in the 1.4 layouts
			// (§10.5 rule 1), where a TX_FLOW is ACKed and otherwise ignored; it is never dropped (rule 5).
			client.send(new TxFlowFrame(sid, 30, FlowBehaviour.PULL));
			assertThat(client.next()).isEqualTo(new AckFrame(sid, 30));
			this.events.await(sid, CryoSessionConnectedEvent.class);
			// A late ENDPOINT_INFO is ACKed; connected does not fire again and the layout stays.
			client.send(new EndpointInfoFrame(sid, 31, 1, 1));
			assertThat(client.next()).isEqualTo(new AckFrame(sid, 31));
			client.send(Utf8DataFrame.of(sid, 32, "sentinel"));
			assertThat(client.next()).isEqualTo(new AckFrame(sid, 32));
			assertThat(this.events.events(sid, CryoSessionConnectedEvent.class)).hasSize(1);
			CryoSession session = this.server.session(sid).orElseThrow();
			assertThat(session.transactionLayout()).isEqualTo(TransactionLayout.CRYO_PROTOCOL_1_4);
			assertThat(session.peerFlags()).isEqualTo(1);
		}
	}

	@Test
	void lateEndpointInfoWithAnotherVersionClosesWith4001() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.connect(this.port, sid)) {
			client.next(EndpointInfoFrame.class);
			client.send(Utf8DataFrame.of(sid, 0, "first"));
			assertThat(client.next()).isEqualTo(new AckFrame(sid, 0));
			client.send(new EndpointInfoFrame(sid, 1, 2, 1));
			RawCryoClient.Close close = client.awaitClose();
			assertThat(close.code()).isEqualTo(4001);
			assertThat(close.reason()).isEqualTo("Protocol mismatch. Client offered 2, we support 1 !");
		}
	}

	@Test
	void transactionFrameFromAPeerWithoutTheTransactionFeatureClosesWith4001() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.connect(this.port, sid)) {
			client.next(EndpointInfoFrame.class);
			client.send(new EndpointInfoFrame(sid, 0, 1, 0));
			client.next(AckFrame.class);
			client.send(new TxFlowFrame(sid, 1, FlowBehaviour.PUSH));
			assertThat(client.awaitClose()).isEqualTo(new RawCryoClient.Close(4001,
					"PROTOCOL FEATURE MISMATCH - The connected client does not support features in the namespace 'Cryo.Transaction' !"));
		}
	}

	// ---- §5/§6 application frames from the client

	@Test
	void utf8DataIsAckedWithTheSameAckAndPublished() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.ready(this.port, sid)) {
			client.send(Utf8DataFrame.of(sid, 41, "héllo ✓ 🚀"));
			AckFrame ack = client.next(AckFrame.class);
			assertThat(ack.ack()).isEqualTo(41);
			assertThat(ack.sid()).isEqualTo(sid);
			CryoUtf8MessageEvent event = this.events.await(sid, CryoUtf8MessageEvent.class);
			assertThat(event.text()).isEqualTo("héllo ✓ 🚀");
			assertThat(event.getSession().id()).isEqualTo(sid);
		}
	}

	@Test
	void largestAckValueIsCopiedUnchanged() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.ready(this.port, sid)) {
			client.send(Utf8DataFrame.of(sid, -1, "max"));
			assertThat(client.next(AckFrame.class).ack()).isEqualTo(-1);
		}
	}

	@Test
	void emptyUtf8DataIsAValidEmptyString() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.ready(this.port, sid)) {
			client.send(Utf8DataFrame.of(sid, 3, ""));
			assertThat(client.next(AckFrame.class).ack()).isEqualTo(3);
			assertThat(this.events.await(sid, CryoUtf8MessageEvent.class).text()).isEmpty();
		}
	}

	@Test
	void binaryDataIsAckedWithTheSameAckAndPublished() {
		SessionId sid = RawFrames.newSid();
		byte[] payload = { 0, 1, 2, (byte) 0xFF, (byte) 0x80 };
		try (RawCryoClient client = CryoClients.ready(this.port, sid)) {
			client.send(new BinaryDataFrame(sid, 42, ByteBuffer.wrap(payload)));
			assertThat(client.next(AckFrame.class).ack()).isEqualTo(42);
			CryoBinaryMessageEvent event = this.events.await(sid, CryoBinaryMessageEvent.class);
			assertThat(event.bytes()).containsExactly(payload);
			assertThat(event.size()).isEqualTo(5);
		}
	}

	@Test
	void errorFrameIsAckedWithTheSameAckAndPublished() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.ready(this.port, sid)) {
			client.send(new ErrorFrame(sid, 43, "client trouble"));
			assertThat(client.next(AckFrame.class).ack()).isEqualTo(43);
			assertThat(this.events.await(sid, CryoErrorMessageEvent.class).message()).isEqualTo("client trouble");
			// An ERROR never ends the session (§8.3).
			client.send(Utf8DataFrame.of(sid, 44, "still open"));
			assertThat(client.next(AckFrame.class).ack()).isEqualTo(44);
		}
	}

	@Test
	void messagesArePublishedInArrivalOrder() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.ready(this.port, sid)) {
			for (int i = 0; i < 50; i++) {
				client.send(Utf8DataFrame.of(sid, 100 + i, "m" + i));
			}
			for (int i = 0; i < 50; i++) {
				assertThat(client.next(AckFrame.class).ack()).isEqualTo(100 + i);
			}
			List<CryoUtf8MessageEvent> received = this.events.awaitCount(sid, CryoUtf8MessageEvent.class, 50);
			assertThat(received).extracting(CryoUtf8MessageEvent::text)
				.containsExactlyElementsOf(IntStream.range(0, 50).mapToObj((i) -> "m" + i).toList());
		}
	}

	// ---- §6 server-side sends

	@Test
	void serverSendCompletesWhenTheClientAcks() throws Exception {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.ready(this.port, sid)) {
			CompletableFuture<Void> sent = CryoClients.session(this.server, sid).sendUtf8("from server");
			Utf8DataFrame frame = client.next(Utf8DataFrame.class);
			assertThat(frame.text()).isEqualTo("from server");
			assertThat(frame.sid()).isEqualTo(sid);
			assertThat(sent).isNotDone();
			client.send(new AckFrame(sid, frame.ack()));
			sent.get(5, TimeUnit.SECONDS);
		}
	}

	@Test
	void serverAckNumbersStartAfterEndpointInfoAndIncrease() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.ready(this.port, sid)) {
			CryoSession session = CryoClients.session(this.server, sid);
			session.sendUtf8("one");
			session.sendBinary(new byte[] { 1 });
			session.sendError("three");
			int first = client.next(Utf8DataFrame.class).ack();
			int second = client.next(BinaryDataFrame.class).ack();
			int third = client.next(ErrorFrame.class).ack();
			assertThat(first).isEqualTo(1);
			assertThat(second).isEqualTo(2);
			assertThat(third).isEqualTo(3);
		}
	}

	@Test
	void serverSendFailsWithAckTimeoutWhenTheClientNeverAcks() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.ready(this.port, sid)) {
			CompletableFuture<Void> sent = CryoClients.session(this.server, sid).sendBinary(new byte[] { 9 });
			client.next(BinaryDataFrame.class);
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> sent.get(5, TimeUnit.SECONDS))
				.withCauseInstanceOf(CryoAckTimeoutException.class);
			// A late ACK is ignored and the session carries on.
			client.send(new AckFrame(sid, 1));
			client.send(Utf8DataFrame.of(sid, 77, "after timeout"));
			assertThat(client.next(AckFrame.class).ack()).isEqualTo(77);
		}
	}

	@Test
	void broadcastReachesEveryOpenSession() throws Exception {
		SessionId[] sids = { RawFrames.newSid(), RawFrames.newSid(), RawFrames.newSid() };
		try (RawCryoClient a = CryoClients.ready(this.port, sids[0]);
				RawCryoClient b = CryoClients.ready(this.port, sids[1]);
				RawCryoClient c = CryoClients.ready(this.port, sids[2])) {
			Map<CryoSession, CompletableFuture<Void>> sent = this.server.broadcastUtf8("to all");
			assertThat(sent.keySet()).extracting(CryoSession::id).contains(sids[0], sids[1], sids[2]);
			for (RawCryoClient client : List.of(a, b, c)) {
				Utf8DataFrame frame = client.next(Utf8DataFrame.class);
				assertThat(frame.text()).isEqualTo("to all");
				assertThat(frame.sid()).isEqualTo(client.sid());
				client.send(new AckFrame(client.sid(), frame.ack()));
			}
			for (CryoSession session : sent.keySet()) {
				if (session.id().equals(sids[0]) || session.id().equals(sids[1]) || session.id().equals(sids[2])) {
					sent.get(session).get(5, TimeUnit.SECONDS);
				}
			}
		}
	}

	@Test
	void broadcastBinaryGivesEverySessionTheWholePayload() {
		SessionId[] sids = { RawFrames.newSid(), RawFrames.newSid() };
		byte[] payload = "shared bytes".getBytes(StandardCharsets.US_ASCII);
		try (RawCryoClient a = CryoClients.ready(this.port, sids[0]);
				RawCryoClient b = CryoClients.ready(this.port, sids[1])) {
			ByteBuffer buffer = ByteBuffer.wrap(payload);
			this.server.broadcastBinary(buffer);
			assertThat(buffer.remaining()).as("the caller's buffer is not consumed").isEqualTo(payload.length);
			for (RawCryoClient client : List.of(a, b)) {
				BinaryDataFrame frame = client.next(BinaryDataFrame.class);
				byte[] received = new byte[frame.payloadLength()];
				frame.payload().get(received);
				assertThat(received).containsExactly(payload);
			}
		}
	}

	@Test
	void multicastReachesOnlyTheSessionsTheFilterAccepts() {
		SessionId[] sids = { RawFrames.newSid(), RawFrames.newSid(), RawFrames.newSid() };
		try (RawCryoClient a = CryoClients.ready(this.port, sids[0]);
				RawCryoClient b = CryoClients.ready(this.port, sids[1]);
				RawCryoClient c = CryoClients.ready(this.port, sids[2])) {
			Set<SessionId> chosen = new HashSet<>(List.of(sids[0], sids[2]));
			Map<CryoSession, CompletableFuture<Void>> sent = this.server
				.multicastUtf8((session) -> chosen.contains(session.id()), "some of you");
			assertThat(sent.keySet()).extracting(CryoSession::id).containsExactlyInAnyOrder(sids[0], sids[2]);
			assertThat(a.next(Utf8DataFrame.class).text()).isEqualTo("some of you");
			assertThat(c.next(Utf8DataFrame.class).text()).isEqualTo("some of you");
			assertThat(b.poll(QUIET)).isNull();
		}
	}

	@Test
	void multicastSkipsSessionsThatAreNotOpen() {
		SessionId open = RawFrames.newSid();
		SessionId closing = RawFrames.newSid();
		try (RawCryoClient a = CryoClients.ready(this.port, open);
				RawCryoClient b = CryoClients.ready(this.port, closing)) {
			CryoClients.session(this.server, closing).close("leaving");
			Map<CryoSession, CompletableFuture<Void>> sent = this.server
				.multicastUtf8((session) -> session.id().equals(open) || session.id().equals(closing), "open ones");
			assertThat(sent.keySet()).extracting(CryoSession::id).containsExactly(open);
			assertThat(a.next(Utf8DataFrame.class).text()).isEqualTo("open ones");
			assertThat(b.next(ByeFrame.class).reason()).isEqualTo("leaving");
			assertThat(b.awaitClose().code()).isEqualTo(4000);
		}
	}

	@Test
	void sessionLookupAndAttributesWork() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.ready(this.port, sid)) {
			CryoSession session = CryoClients.session(this.server, sid);
			assertThat(this.server.sessions()).contains(session);
			assertThat(this.server.sessionCount()).isPositive();
			assertThat(session.remoteAddress()).isNotNull();
			assertThat(session.isOpen()).isTrue();
			assertThat(client.isClosed()).isFalse();
			session.setAttribute("user", "ada");
			assertThat(this.server.session(sid).orElseThrow().<String>getAttribute("user")).isEqualTo("ada");
			session.setAttribute("user", null);
			assertThat(session.attributes()).doesNotContainKey("user");
		}
		CryoClients.awaitGone(this.server, sid);
	}

}
