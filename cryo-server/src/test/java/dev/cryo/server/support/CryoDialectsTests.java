package dev.cryo.server.support;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.cryo.core.dialect.UpgradeRequest;
import dev.cryo.core.dialect.testing.TestDialect;
import dev.cryo.core.dialect.v1.CryoV1Dialect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The order in which an upgrade asks the server's dialects.
 */
class CryoDialectsTests {

	private static final UpgradeRequest OFFERS_TEST = new UpgradeRequest(List.of(TestDialect.SUBPROTOCOL), Map.of());

	private static final UpgradeRequest PLAIN = new UpgradeRequest(List.of(), Map.of());

	@Test
	void applicationDialectsAreAskedBeforeV1() {
		TestDialect test = TestDialect.plain();
		CryoDialects dialects = new CryoDialects(List.of(test));
		assertThat(dialects.all()).containsExactly(test, CryoV1Dialect.INSTANCE);
		assertThat(dialects.select(OFFERS_TEST)).isSameAs(test);
		assertThat(dialects.select(PLAIN)).isSameAs(CryoV1Dialect.INSTANCE);
	}

	@Test
	void v1IsAlwaysLastEvenWhenListedFirst() {
		TestDialect test = TestDialect.plain();
		CryoDialects dialects = new CryoDialects(List.of(CryoV1Dialect.INSTANCE, test));
		assertThat(dialects.all()).containsExactly(test, CryoV1Dialect.INSTANCE);
		assertThat(dialects.select(OFFERS_TEST)).isSameAs(test);
		assertThat(dialects.fallback()).isSameAs(CryoV1Dialect.INSTANCE);
	}

	@Test
	void subprotocolsAreThoseOfAllDialects() {
		assertThat(new CryoDialects(List.of(TestDialect.plain())).subprotocols())
			.containsExactly(TestDialect.SUBPROTOCOL);
		assertThat(CryoDialects.v1Only().subprotocols()).isEmpty();
	}

	@Test
	void dialectNamesMustBeUnique() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new CryoDialects(List.of(TestDialect.plain(), TestDialect.scrambled())))
			.withMessageContaining("cryo-test");
	}

}
