package dev.cryo.boot.security;

import java.io.IOException;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationManagerResolver;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.web.SecurityFilterChain;

import dev.cryo.core.SessionId;
import dev.cryo.server.CryoServer;
import dev.cryo.server.CryoSession;
import dev.cryo.test.RawCryoClient;
import dev.cryo.test.RawFrames;
import dev.cryo.test.RawUpgradeRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application whose resource server picks the manager per request (an
 * {@link AuthenticationManagerResolver}, as multi-tenant applications do): the resolver is asked
 * with the real upgrade request, and the manager it gives authenticates the Cryo session.
 */
@SpringBootTest(classes = AuthenticationManagerResolverEndToEndTests.ResolverApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT)
@Timeout(30)
class AuthenticationManagerResolverEndToEndTests {

	private static final KeyPair KEYS = TestJwts.rsaKeyPair();

	@LocalServerPort
	int port;

	@Autowired
	CryoServer server;

	@Autowired
	RecordingResolver resolver;

	@Test
	void theResolverIsAskedWithTheUpgradeRequestAndItsManagerAuthenticatesTheSession() throws IOException {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = RawCryoClient.connect(this.port, "/cryo",
				TestJwts.jwt(KEYS, "carol", "cryo-chat", Instant.now().plusSeconds(3600)), sid)) {
			client.handshake();
			CryoSession session = this.server.session(sid).orElseThrow();
			assertThat(session.principal()).isInstanceOfSatisfying(JwtAuthenticationToken.class,
					(authentication) -> assertThat(authentication.getName()).isEqualTo("carol"));
		}
		assertThat(this.resolver.paths()).contains("/cryo");
		RawUpgradeRequest.Response refused = RawUpgradeRequest.send(this.port, "/cryo?authorization=Bearer+"
				+ TestJwts.jwt(TestJwts.rsaKeyPair(), "carol", "cryo-chat", Instant.now().plusSeconds(3600))
				+ "&x-cryo-sid=" + RawFrames.newSid(), Map.of());
		assertThat(refused.status()).isEqualTo(401);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class ResolverApplication {

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) {
			// Cryo authenticates the upgrade itself (see ResourceServerTestApplication).
			http.authorizeHttpRequests(
					(requests) -> requests.requestMatchers("/cryo").permitAll().anyRequest().authenticated());
			return http.build();
		}

		@Bean
		RecordingResolver authenticationManagerResolver() {
			return new RecordingResolver(new ProviderManager(new JwtAuthenticationProvider(
					NimbusJwtDecoder.withPublicKey((RSAPublicKey) KEYS.getPublic()).build())));
		}

	}

	/** Gives one manager for every request and remembers the paths it was asked for. */
	static final class RecordingResolver implements AuthenticationManagerResolver<HttpServletRequest> {

		private final AuthenticationManager manager;

		private final List<String> paths = new CopyOnWriteArrayList<>();

		RecordingResolver(AuthenticationManager manager) {
			this.manager = manager;
		}

		@Override
		public AuthenticationManager resolve(HttpServletRequest request) {
			this.paths.add(request.getRequestURI());
			return this.manager;
		}

		List<String> paths() {
			return this.paths;
		}

	}

}
