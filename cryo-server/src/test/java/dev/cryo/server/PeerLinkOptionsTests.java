package dev.cryo.server;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.cryo.client.CryoClientDialect;
import dev.cryo.core.frame.TransactionLayout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PeerLinkOptionsTests {

	@Test
	void defaultsAreACryoV1LinkInTheSeedLayoutWithoutFirstFrameDelay() {
		assertThat(PeerLinkOptions.DEFAULTS.dialect()).isEqualTo(CryoClientDialect.CRYO_V1);
		assertThat(PeerLinkOptions.DEFAULTS.transactionLayout()).isEqualTo(TransactionLayout.SEED);
		assertThat(PeerLinkOptions.DEFAULTS.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
		assertThat(PeerLinkOptions.DEFAULTS.firstFrameDelay()).isZero();
	}

	@Test
	void withersChangeOneComponent() {
		PeerLinkOptions options = PeerLinkOptions.DEFAULTS.withTransactionLayout(TransactionLayout.CRYO_PROTOCOL_1_4)
			.withConnectTimeout(Duration.ofSeconds(3))
			.withFirstFrameDelay(Duration.ofMillis(20));
		assertThat(options).isEqualTo(new PeerLinkOptions(CryoClientDialect.CRYO_V1, TransactionLayout.CRYO_PROTOCOL_1_4,
				Duration.ofSeconds(3), Duration.ofMillis(20)));
		assertThat(PeerLinkOptions.DEFAULTS.withDialect(CryoClientDialect.CAMP).dialect())
			.isEqualTo(CryoClientDialect.CAMP);
	}

	@Test
	void transactionLayoutIsACryoV1Option() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> PeerLinkOptions.DEFAULTS.withTransactionLayout(TransactionLayout.CAMP));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> PeerLinkOptions.DEFAULTS.withDialect(CryoClientDialect.CAMP)
				.withTransactionLayout(TransactionLayout.CRYO_PROTOCOL_1_4))
			.withMessageContaining("Cryo v1 option");
		assertThat(PeerLinkOptions.DEFAULTS.withDialect(CryoClientDialect.CAMP.withSessionIdParameter("x-CAMP-sid"))
			.transactionLayout()).isEqualTo(TransactionLayout.SEED);
	}

	@Test
	void durationsMustMakeSense() {
		assertThatIllegalArgumentException().isThrownBy(() -> PeerLinkOptions.DEFAULTS.withConnectTimeout(Duration.ZERO));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> PeerLinkOptions.DEFAULTS.withFirstFrameDelay(Duration.ofMillis(-1)));
	}

}
