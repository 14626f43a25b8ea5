package dev.cryo.boot.autoconfigure.endtoend;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import dev.cryo.server.CryoAuthentication;
import dev.cryo.server.CryoAuthenticator;
import dev.cryo.server.CryoPrincipal;
import dev.cryo.server.TokenValidator;

/**
 * An application with its own {@link CryoAuthenticator}: a token {@code user-<name>} opens a
 * session for principal {@code <name>}, anything else is refused with a message. It also has a
 * {@link TokenValidator} that accepts {@code secret}, which the authenticator overrides.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(CryoEventRecorder.class)
public class AuthenticatorTestApplication {

	/** The prefix of the tokens the authenticator accepts. */
	public static final String USER_PREFIX = "user-";

	/** What the authenticator says to every other token. */
	public static final String REFUSAL = "Account <locked> & \"frozen\".";

	@Bean
	CryoAuthenticator authenticator() {
		return (handshake) -> {
			String token = handshake.token();
			if (token != null && token.startsWith(USER_PREFIX)) {
				String name = token.substring(USER_PREFIX.length());
				return CompletableFuture.completedFuture(CryoAuthentication.authenticated(new CryoPrincipal(name),
						Map.of("roles", List.of("reader"), "tenant", handshake.headers().getFirst("Host"))));
			}
			return CompletableFuture.completedFuture(CryoAuthentication.refused(REFUSAL));
		};
	}

	@Bean
	TokenValidator tokenValidator() {
		return "secret"::equals;
	}

}
