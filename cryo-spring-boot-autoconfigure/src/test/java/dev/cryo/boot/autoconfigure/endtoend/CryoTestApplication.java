package dev.cryo.boot.autoconfigure.endtoend;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import dev.cryo.server.TokenValidator;

/**
 * The smallest application that uses the Cryo auto-configuration: Boot's embedded Tomcat, one
 * token, an event recorder and a binary echo. No component scanning, so each test class adds
 * exactly the beans it means to.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({ CryoEventRecorder.class, BinaryEchoListener.class })
public class CryoTestApplication {

	/** The only token the validator accepts. */
	public static final String TOKEN = "secret";

	/** Tokens with this prefix make the validator throw, with the token in the exception message. */
	public static final String THROWING_TOKEN_PREFIX = "throw-";

	/** The path the endpoint is mounted at. */
	public static final String PATH = "/cryo";

	/**
	 * The property set of the end-to-end context most classes share (a short ack timeout keeps
	 * the timeout tests fast); classes that need other properties get a context of their own.
	 */
	public static final String ACK_TIMEOUT_300MS = "cryo.ack-timeout=300ms";

	@Bean
	TokenValidator tokenValidator() {
		byte[] expected = TOKEN.getBytes(StandardCharsets.UTF_8);
		return (token) -> {
			if (token.startsWith(THROWING_TOKEN_PREFIX)) {
				throw new IllegalStateException("Validator exploded on token " + token);
			}
			return MessageDigest.isEqual(expected, token.getBytes(StandardCharsets.UTF_8));
		};
	}

}
