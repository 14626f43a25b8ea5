package dev.cryo.sample;

import java.util.Random;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.cryo.sample.StreamEndToEndTests.Peer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Defect 6 of issue 13 against the real sample app: with no spill space left (here: a disk that
 * can never have the free space the server must leave), new incoming transactions are refused
 * with an ERROR naming the txid, and the session goes on.
 */
@SpringBootTest(classes = CryoSampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "cryo.transactions.min-free-space=1000000TB")
@DisplayName("Issue 13 — no spill space: new transactions are refused with an ERROR naming the txid")
@Timeout(60)
class SpillSpaceEndToEndTests {

	@LocalServerPort
	int port;

	@Test
	@DisplayName("defect 6: a TX_START without spill space is ACKed and refused with an ERROR naming its txid; "
			+ "nothing is stored, the session echoes on")
	void aTransactionWithoutSpillSpaceIsRefused() {
		try (Peer peer = new Peer(this.port)) {
			peer.awaitAck(peer.txStart(7, "refused"));
			assertThat(peer.awaitError().message()).isEqualTo("TX_START for txid 7 refused: no spill space left");
			byte[] chunk = new byte[1000];
			new Random(6).nextBytes(chunk);
			peer.chunk(7, chunk, chunk.length);
			peer.awaitAck(peer.txFinish(7));
			peer.awaitAck(peer.text("still here"));
			assertThat(peer.awaitText("st")).isEqualTo("still here");
		}
	}

}
