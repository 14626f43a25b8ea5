package dev.cryo.core.engine;

import java.io.ByteArrayInputStream;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.cryo.core.frame.FlowBehaviour;
import dev.cryo.core.frame.FrameType;
import dev.cryo.core.transaction.StreamSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * cryo-v1.md §3.1: this endpoint never starts a transaction, nor sends TX_FLOW, to a peer that
 * did not announce FEATURE_TRANSACTIONS, or before the session is ready.
 */
class SessionTransactionPreconditionsTests {

	private final SessionFixture fixture = new SessionFixture();

	@AfterEach
	void close() {
		this.fixture.close();
	}

	@Test
	void noTransactionTowardsAPeerWithoutTheFeature() {
		ProtocolSession session = this.fixture.open(0);
		assertThat(session.stream(StreamSource.of(new ByteArrayInputStream(new byte[10])), "x"))
			.failsWithin(Duration.ZERO);
		assertThat(session.setIncomingFlow(FlowBehaviour.PULL)).failsWithin(Duration.ZERO);
		assertThat(this.fixture.transport.sentTypes()).doesNotContain(FrameType.TX_START, FrameType.TX_FLOW);
	}

	@Test
	void noTransactionBeforeTheSessionIsReady() {
		ProtocolSession session = this.fixture.start();
		assertThat(session.stream(StreamSource.of(new ByteArrayInputStream(new byte[10])), "x"))
			.failsWithin(Duration.ZERO);
		assertThat(this.fixture.transport.sentTypes()).doesNotContain(FrameType.TX_START);
	}

}
