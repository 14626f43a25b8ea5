package dev.cryo.server.support;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.cryo.core.dialect.camp.CampCodec;
import dev.cryo.core.dialect.camp.CampDialect;
import dev.cryo.core.dialect.v1.CryoV1Dialect;
import dev.cryo.core.engine.SessionOptions;
import dev.cryo.core.frame.TransactionLayout;
import dev.cryo.core.transaction.TransactionOptions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The session options a server session gets for its dialect: the server's, with chunks no larger
 * than the dialect's payload limit (camp.md §8 rule 10).
 */
class ServerSessionOptionsTests {

	private static final SessionOptions LARGE_CHUNKS = SessionOptions.DEFAULTS
		.withTransactionLayout(TransactionLayout.CRYO_PROTOCOL_1_4)
		.withFirstFrameDelay(Duration.ofMillis(7));

	@Test
	void campChunksAreClippedToAMebibyteAndEverythingElseIsKept() {
		SessionOptions options = withChunkSize(LARGE_CHUNKS, 4 * 1024 * 1024);
		SessionOptions camp = ServerSession.optionsFor(CampDialect.INSTANCE, options);
		assertThat(camp.transactions().chunkSize()).isEqualTo(CampCodec.MAX_PAYLOAD);
		assertThat(camp.transactions()).usingRecursiveComparison()
			.ignoringFields("chunkSize")
			.isEqualTo(options.transactions());
		assertThat(camp).usingRecursiveComparison().ignoringFields("transactions").isEqualTo(options);
	}

	@Test
	void optionsWithinTheLimitAreUsedAsTheyAre() {
		SessionOptions options = withChunkSize(LARGE_CHUNKS, 4 * 1024 * 1024);
		assertThat(ServerSession.optionsFor(CryoV1Dialect.INSTANCE, options)).isSameAs(options);
		assertThat(ServerSession.optionsFor(CampDialect.INSTANCE, SessionOptions.DEFAULTS))
			.isSameAs(SessionOptions.DEFAULTS);
	}

	private static SessionOptions withChunkSize(SessionOptions options, int chunkSize) {
		TransactionOptions t = options.transactions();
		TransactionOptions transactions = new TransactionOptions(chunkSize, t.memoryThreshold(), t.maxSize(),
				t.maxConcurrent(), t.pullWindow(), t.temporaryDirectory(), t.maxConcurrentOutgoing(), t.pullReadAhead(),
				t.pullRetention(), t.spillQuota(), t.minFreeSpace(), t.threads());
		return new SessionOptions(options.ackTimeout(), options.endpointInfoTimeout(), options.maxMalformedFrames(),
				options.closeTimeout(), options.backpressure(), options.sendTimeout(), transactions,
				options.firstFrameDelay(), options.endpointInfoGrace(), options.transactionLayout());
	}

}
