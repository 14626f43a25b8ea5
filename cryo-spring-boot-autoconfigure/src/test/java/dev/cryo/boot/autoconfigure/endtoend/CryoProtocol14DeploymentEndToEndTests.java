package dev.cryo.boot.autoconfigure.endtoend;

import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import dev.cryo.core.SessionId;
import dev.cryo.core.frame.TransactionLayout;
import dev.cryo.core.frame.TxStartFrame;
import dev.cryo.server.CryoServer;
import dev.cryo.test.RawCryoClient;
import dev.cryo.test.RawFrames;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code cryo.v1.transaction-layout=cryo-protocol-1.4} (cryo-v1.md §10.5 rule 2): a deployment
 * whose Cryo v1 clients are the 1.4 builds that send ENDPOINT_INFO streams to them in their
 * layouts before they ever upload; CAMP sessions keep their own layout.
 */
@SpringBootTest(classes = DialectTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "cryo.v1.transaction-layout=cryo-protocol-1.4")
@Timeout(30)
class CryoProtocol14DeploymentEndToEndTests {

	/** The Cryo endpoint's port: its own where it has one (the Netty transport), else the server's. */
	@Value("${local.cryo.port:${local.server.port}}")
	int port;

	@Autowired
	CryoServer server;

	@Autowired
	DialectTestApplication.Commands commands;

	@Test
	void anEndpointInfoSendingClientGetsThe14LayoutsFromTheStart() throws Exception {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.cryoProtocol14(this.port, sid)) {
			client.handshake();
			assertThat(CryoClients.session(this.server, sid).transactionLayout())
				.isEqualTo(TransactionLayout.CRYO_PROTOCOL_1_4);
			RawTransfers.command(client, 1, "stream:first:70000");
			RawTransfers.Download download = RawTransfers.receive(client, false);
			TxStartFrame start = download.start();
			assertThat(start.layout()).isEqualTo(TransactionLayout.CRYO_PROTOCOL_1_4);
			assertThat(start.size()).isEqualTo(-1);
			assertThat(start.name()).isEqualTo("first");
			// Sequence numbers 0, 1, 2, ...: the 1.4 chunk layout.
			assertThat(download.positions()).isEqualTo(
					LongStream.range(0, download.chunks().size()).boxed().toList());
			assertThat(download.bytes()).isEqualTo(DialectTestApplication.payload(70000));
			this.commands.result(sid, "first").get(5, TimeUnit.SECONDS);
		}
	}

	@Test
	void campSessionsKeepTheirOwnLayout() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.camp(this.port, sid)) {
			RawTransfers.openWithAMessage(client);
			assertThat(CryoClients.session(this.server, sid).transactionLayout()).isEqualTo(TransactionLayout.CAMP);
		}
	}

}
