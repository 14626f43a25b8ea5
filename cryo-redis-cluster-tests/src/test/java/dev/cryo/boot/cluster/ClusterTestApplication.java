package dev.cryo.boot.cluster;

import java.util.concurrent.CompletableFuture;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

import dev.cryo.server.CryoAuthentication;
import dev.cryo.server.CryoAuthenticator;
import dev.cryo.server.CryoPrincipal;

/**
 * One node of the test cluster: the auto-configured Cryo server at {@value #PATH}, whose
 * authenticator opens a session for principal {@code <name>} on the token {@code user-<name>}.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class ClusterTestApplication {

	/** The path the endpoint is mounted at. */
	public static final String PATH = "/cryo";

	/** The prefix of the tokens the authenticator accepts. */
	public static final String USER_PREFIX = "user-";

	@Bean
	CryoAuthenticator authenticator() {
		return (handshake) -> {
			String token = handshake.token();
			if (token != null && token.startsWith(USER_PREFIX)) {
				return CompletableFuture.completedFuture(
						CryoAuthentication.authenticated(new CryoPrincipal(token.substring(USER_PREFIX.length()))));
			}
			return CompletableFuture.completedFuture(CryoAuthentication.refused("Unknown token"));
		};
	}

}
