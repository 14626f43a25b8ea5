package dev.cryo.boot.autoconfigure.endtoend;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import dev.cryo.boot.autoconfigure.endpoint.CryoEndpoint;
import dev.cryo.client.CryoClientSession;
import dev.cryo.core.SessionId;
import dev.cryo.core.frame.AckFrame;
import dev.cryo.core.frame.EndpointInfoFrame;
import dev.cryo.core.frame.FlowBehaviour;
import dev.cryo.core.frame.Frame;
import dev.cryo.core.frame.TxFlowFrame;
import dev.cryo.core.frame.TxStartFrame;
import dev.cryo.core.frame.Utf8DataFrame;
import dev.cryo.server.CryoServer;
import dev.cryo.server.CryoSession;
import dev.cryo.server.event.CryoSessionConnectedEvent;
import dev.cryo.test.RawCaleClient;
import dev.cryo.test.RawCryoClient;
import dev.cryo.test.RawFrames;
import dev.cryo.test.RawLegacyClient;
import dev.cryo.test.RawLegacyFrames;
import dev.cryo.test.RawLegacyFrames.Parsed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Every dialect on one endpoint at once: a Cryo v1 client in the seed layouts, one of the
 * published 1.4 generation, a camp-client-browser and a camp-client-node style client, a legacy
 * (v0) client without and one with CALE (legacy-v0.md §7, §10.2–§10.4) and the Java client, open at the same time,
 * exchanging messages through a broadcast, which skips a CALE client still in its handshake (§10.3 rule 5); what
 * metrics and the actuator endpoint show of them; and what {@code stream(source, name, behaviour)} does in each
 * dialect.
 */
@SpringBootTest(classes = DialectTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "cryo.dialects.legacy.cale-paths=" + CaleClients.CALE_PATH)
@Timeout(60)
class DialectsSideBySideEndToEndTests {

	private static final String TEXT = "grüße 🌍 from camp";

	/** The Cryo endpoint's port: its own where it has one (the Netty transport), else the server's. */
	@Value("${local.cryo.port:${local.server.port}}")
	int port;

	@Autowired
	CryoServer server;

	@Autowired
	CryoEventRecorder events;

	@Autowired
	MeterRegistry registry;

	@Test
	void aSessionOfEachDialectExchangesMessagesThroughABroadcast() throws Exception {
		SessionId v1Sid = RawFrames.newSid();
		SessionId v14Sid = RawFrames.newSid();
		SessionId browserSid = RawFrames.newSid();
		SessionId nodeSid = RawFrames.newSid();
		UUID legacyUuid = UUID.randomUUID();
		SessionId legacySid = SessionId.of(legacyUuid);
		UUID caleUuid = UUID.randomUUID();
		SessionId caleSid = SessionId.of(caleUuid);
		UUID handshakingUuid = UUID.randomUUID();
		BlockingQueue<String> javaTexts = new LinkedBlockingQueue<>();
		double campBefore = this.registry.get("cryo.sessions.opened").tag("dialect", "camp").counter().count();
		double legacyBefore = this.registry.get("cryo.sessions.opened").tag("dialect", "legacy-v0").counter().count();
		try (RawCryoClient v1 = CryoClients.ready(this.port, v1Sid);
				RawCryoClient v14 = CryoClients.cryoProtocol14(this.port, v14Sid);
				RawCryoClient browser = CryoClients.camp(this.port, browserSid);
				RawCryoClient node = CryoClients.camp(this.port, nodeSid);
				RawLegacyClient legacy = RawLegacyClient.connect(this.port, DialectTestApplication.PATH,
						DialectTestApplication.TOKEN, legacyUuid.toString());
				RawCaleClient cale = CaleClients.ready(this.port, caleUuid, this.events);
				RawCaleClient handshaking = CaleClients.connect(this.port, handshakingUuid)) {
			// A CALE client that stops after the SERVER_HELLO: not open, so broadcasts skip it.
			handshaking.awaitServerHello();
			CryoClientSession java = CryoClients.javaClient(this.port, javaTexts);
			// The 1.4 client: no ENDPOINT_INFO, a first message numbered 0.
			RawTransfers.openWithAMessage(v14);
			// camp-client-browser: only an ACK for our ENDPOINT_INFO; camp-client-node: its own first.
			browser.next(EndpointInfoFrame.class);
			browser.sendRaw(ClientCaptures.replay("camp-client-browser/first-frame-ack", browserSid));
			node.sendRaw(ClientCaptures.replay("camp-client-node/endpoint-info", nodeSid));
			node.next(EndpointInfoFrame.class);
			assertThat(node.next()).isEqualTo(new AckFrame(nodeSid, 0));
			node.sendRaw(ClientCaptures.replay("camp-client-node/ack-of-server-endpoint-info", nodeSid));
			this.events.await(nodeSid, CryoSessionConnectedEvent.class);
			// The browser client is ready a second after its ACK (camp.md §8 rule 2 (b)).
			this.events.await(browserSid, CryoSessionConnectedEvent.class);
			// A legacy client is connected at the upgrade (legacy-v0.md §4, §10.7).
			this.events.await(legacySid, CryoSessionConnectedEvent.class);

			Map<String, String> dialects = this.server.sessions()
				.stream()
				.filter((session) -> List.of(v1Sid, v14Sid, browserSid, nodeSid, legacySid, caleSid)
					.contains(session.id()))
				.collect(Collectors.toMap((session) -> session.id().toString(),
						(session) -> session.dialect() + "/" + session.transactionLayout()));
			assertThat(dialects).containsEntry(v1Sid.toString(), "cryo-v1/SEED")
				.containsEntry(v14Sid.toString(), "cryo-v1/CRYO_PROTOCOL_1_4")
				.containsEntry(browserSid.toString(), "camp/CAMP")
				.containsEntry(nodeSid.toString(), "camp/CAMP")
				.containsKey(legacySid.toString());
			assertThat(dialects.get(legacySid.toString())).startsWith("legacy-v0/");
			assertThat(dialects.get(caleSid.toString())).startsWith("legacy-v0/");

			// The CAMP node client asks for a broadcast; every dialect receives it in its own framing.
			node.send(Utf8DataFrame.of(nodeSid, 1, "broadcast:" + TEXT));
			for (RawCryoClient client : List.of(v1, v14, browser, node)) {
				Utf8DataFrame received = nextText(client);
				assertThat(received.text()).isEqualTo(TEXT);
				client.send(new AckFrame(client.sid(), received.ack()));
			}
			Parsed legacyText = LegacySessionEndToEndTests.nextData(legacy);
			assertThat(legacyText.text()).isEqualTo(TEXT);
			legacy.send(RawLegacyFrames.ack(legacyUuid, legacyText.ack()));
			Parsed caleText = CaleClients.nextData(cale);
			assertThat(caleText.text()).isEqualTo(TEXT);
			cale.sendFrame(RawLegacyFrames.ack(caleUuid, caleText.ack()));
			assertThat(javaTexts.poll(5, TimeUnit.SECONDS)).isEqualTo(TEXT);
			// The legacy client asks for one too, in its own framing, and the others receive it.
			legacy.send(RawLegacyFrames.utf8(legacyUuid, 0, "broadcast:" + TEXT + " (legacy)"));
			for (RawCryoClient client : List.of(v1, v14, browser, node)) {
				Utf8DataFrame received = nextText(client);
				assertThat(received.text()).isEqualTo(TEXT + " (legacy)");
				client.send(new AckFrame(client.sid(), received.ack()));
			}
			assertThat(LegacySessionEndToEndTests.nextData(legacy).text()).isEqualTo(TEXT + " (legacy)");
			assertThat(CaleClients.nextData(cale).text()).isEqualTo(TEXT + " (legacy)");
			assertThat(javaTexts.poll(5, TimeUnit.SECONDS)).isEqualTo(TEXT + " (legacy)");
			// And the CALE client asks for one, encrypted: everyone receives it in the clear of their own framing.
			cale.sendFrame(RawLegacyFrames.utf8(caleUuid, 2, "broadcast:" + TEXT + " (cale)"));
			for (RawCryoClient client : List.of(v1, v14, browser, node)) {
				Utf8DataFrame received = nextText(client);
				assertThat(received.text()).isEqualTo(TEXT + " (cale)");
				client.send(new AckFrame(client.sid(), received.ack()));
			}
			assertThat(LegacySessionEndToEndTests.nextData(legacy).text()).isEqualTo(TEXT + " (cale)");
			assertThat(CaleClients.nextData(cale).text()).isEqualTo(TEXT + " (cale)");
			assertThat(javaTexts.poll(5, TimeUnit.SECONDS)).isEqualTo(TEXT + " (cale)");
			assertThat(cale.misroutableCount()).isZero();
			// The client in its handshake got none of the three: its next message is the HANDSHAKE_DONE,
			// and after it the first is the ACK of its own first message.
			handshaking.sendClientHello();
			handshaking.sendHandshakeDone(handshaking.awaitHandshakeDone().ack()).startEncrypting();
			this.events.await(SessionId.of(handshakingUuid), CryoSessionConnectedEvent.class);
			handshaking.sendFrame(RawLegacyFrames.utf8(handshakingUuid, 1, "echo:late"));
			Parsed first = handshaking.next();
			assertThat(first.type()).isEqualTo(RawLegacyFrames.ACK);
			assertThat(first.ack()).isEqualTo(1);
			assertThat(CaleClients.nextData(handshaking).text()).isEqualTo("late");

			assertThat(this.registry.get("cryo.sessions.active").tag("dialect", "camp").gauge().value())
				.isGreaterThanOrEqualTo(2);
			assertThat(this.registry.get("cryo.sessions.active").tag("dialect", "cryo-v1").gauge().value())
				.isGreaterThanOrEqualTo(3);
			assertThat(this.registry.get("cryo.sessions.opened").tag("dialect", "camp").counter().count() - campBefore)
				.isEqualTo(2);
			assertThat(this.registry.get("cryo.sessions.active").tag("dialect", "legacy-v0").gauge().value())
				.isGreaterThanOrEqualTo(1);
			assertThat(this.registry.get("cryo.sessions.opened").tag("dialect", "legacy-v0").counter().count()
					- legacyBefore)
				.isEqualTo(3);
			Map<String, CryoEndpoint.SessionDescriptor> described = new CryoEndpoint(this.server).cryo()
				.sessions()
				.stream()
				.collect(Collectors.toMap(CryoEndpoint.SessionDescriptor::id, (descriptor) -> descriptor));
			assertThat(described.get(v14Sid.toString()).dialect()).isEqualTo("cryo-v1");
			assertThat(described.get(v14Sid.toString()).transactionLayout()).isEqualTo("cryo-protocol-1.4");
			assertThat(described.get(browserSid.toString()).dialect()).isEqualTo("camp");
			assertThat(described.get(browserSid.toString()).transactionLayout()).isEqualTo("camp");
			assertThat(described.get(v1Sid.toString()).transactionLayout()).isEqualTo("seed");
			assertThat(described.get(legacySid.toString()).dialect()).isEqualTo("legacy-v0");
			assertThat(described.get(caleSid.toString()).dialect()).isEqualTo("legacy-v0");
			java.close();
		}
	}

	@Test
	void aV1SessionStreamsInTheModeItsPeerAskedFor() throws Exception {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.ready(this.port, sid)) {
			CryoSession session = CryoClients.session(this.server, sid);
			// The peer has not asked for pull: push only.
			assertThatExceptionOfType(Exception.class)
				.isThrownBy(() -> session.stream(new ByteArrayInputStream(new byte[1]), "pull", FlowBehaviour.PULL)
					.get(5, TimeUnit.SECONDS))
				.havingCause()
				.isInstanceOf(IllegalArgumentException.class);
			client.send(new TxFlowFrame(sid, 1, FlowBehaviour.PULL));
			assertThat(client.next()).isEqualTo(new AckFrame(sid, 1));
			// Now it asked for pull: push is what fails, and pull starts a transaction.
			assertThatExceptionOfType(Exception.class)
				.isThrownBy(() -> session.stream(new ByteArrayInputStream(new byte[1]), "push", FlowBehaviour.PUSH)
					.get(5, TimeUnit.SECONDS))
				.havingCause()
				.isInstanceOf(IllegalArgumentException.class);
			session.stream(new ByteArrayInputStream(new byte[1]), "pull", FlowBehaviour.PULL);
			Frame start = client.next();
			assertThat(start).isInstanceOf(TxStartFrame.class);
		}
	}

	@Test
	void aCampSessionStreamsInEitherModePerTransaction() throws Exception {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.camp(this.port, sid)) {
			RawTransfers.openWithAMessage(client);
			CryoSession session = CryoClients.session(this.server, sid);
			session.stream(new ByteArrayInputStream(new byte[3]), "pushed", FlowBehaviour.PUSH);
			TxStartFrame pushed = (TxStartFrame) client.nextIgnoringPings();
			assertThat(pushed.behaviour()).isEqualTo(FlowBehaviour.PUSH);
			assertThat(pushed.size()).isEqualTo(-1);
			session.stream(new ByteArrayInputStream(new byte[3]), "pulled", FlowBehaviour.PULL);
			Frame next = client.nextIgnoringPings();
			// The pushed transaction waits for the ACK of its TX_START; the pulled one announces its size.
			TxStartFrame pulled = (TxStartFrame) next;
			assertThat(pulled.behaviour()).isEqualTo(FlowBehaviour.PULL);
			assertThat(pulled.size()).isEqualTo(3);
			// A session's default stream(source, name) pushes.
			session.stream(new ByteArrayInputStream(new byte[3]), "default");
			TxStartFrame byDefault = (TxStartFrame) client
				.next(Duration.ofSeconds(5));
			assertThat(byDefault.behaviour()).isEqualTo(FlowBehaviour.PUSH);
		}
	}

	/** Skips pings and ACKs of other frames until a text message arrives. */
	private static Utf8DataFrame nextText(RawCryoClient client) {
		while (true) {
			Frame frame = client.nextIgnoringPings();
			if (frame instanceof Utf8DataFrame text) {
				return text;
			}
		}
	}

}
