package dev.cryo.boot.autoconfigure.endtoend;

import java.io.IOException;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import dev.cryo.test.RawUpgradeRequest;

/**
 * With {@code cryo.dialects.legacy.enabled=false} a legacy client is refused as before the
 * dialect existed (legacy-v0.md §2, §10): a UUID is not a decimal sid, 401
 * {@code Invalid SID supplied.}, and the v1 wording for a value without {@code Bearer }.
 */
@SpringBootTest(classes = DialectTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "cryo.dialects.legacy.enabled=false")
@Timeout(60)
class LegacyDisabledEndToEndTests {

	/** The Cryo endpoint's port: its own where it has one (the Netty transport), else the server's. */
	@Value("${local.cryo.port:${local.server.port}}")
	int port;

	@Test
	void uuidSidIsRefusedAsInvalid() throws IOException {
		LegacySessionEndToEndTests.assertRefused(upgrade("authorization=Bearer+secret&x-cryo-sid=" + UUID.randomUUID()),
				"Invalid SID supplied.");
	}

	@Test
	void nonBearerValueKeepsTheV1Wording() throws IOException {
		LegacySessionEndToEndTests.assertRefused(upgrade("authorization=Basic+x&x-cryo-sid=" + UUID.randomUUID()),
				"Incorrect type of auth data supplied.");
	}

	private RawUpgradeRequest.Response upgrade(String query) throws IOException {
		return RawUpgradeRequest.send(this.port, DialectTestApplication.PATH + "?" + query, Map.of());
	}

}
