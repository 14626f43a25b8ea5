package dev.cryo.boot.autoconfigure.endtoend;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import dev.cryo.test.RawUpgradeRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code cryo.allowed-origins} refuses foreign browser origins with 403, while same-origin pages
 * and clients without an Origin header are always allowed.
 */
@SpringBootTest(classes = BackpressureTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "cryo.allowed-origins=https://good.example")
class OriginTests {

	/** The Cryo endpoint's port: its own where it has one (the Netty transport), else the server's. */
	@Value("${local.cryo.port:${local.server.port}}")
	int port;

	private String query(long sid) {
		return "/cryo?authorization=Bearer+secret&x-cryo-sid=" + sid;
	}

	@Test
	void aForeignOriginIsRefusedWith403() throws Exception {
		RawUpgradeRequest.Response response = RawUpgradeRequest.send(this.port, query(200),
				Map.of("Origin", "https://evil.example"));
		assertThat(response.status()).isEqualTo(403);
	}

	@Test
	void anAllowedOriginTheSameOriginAndNoOriginAreAccepted() throws Exception {
		assertThat(RawUpgradeRequest.send(this.port, query(201), Map.of("Origin", "https://good.example")).status())
			.isEqualTo(101);
		assertThat(RawUpgradeRequest
			.send(this.port, query(202), Map.of("Origin", "http://localhost:" + this.port))
			.status()).isEqualTo(101);
		assertThat(RawUpgradeRequest.send(this.port, query(203), Map.of()).status()).isEqualTo(101);
	}

}
