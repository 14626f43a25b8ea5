package dev.cryo.sample;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.stereotype.Component;

import dev.cryo.server.TokenValidator;

/**
 * Accepts the tokens of {@code sample.tokens}, compared in constant time so that response timing
 * does not reveal how much of a guess was right. Without configured tokens it accepts the
 * development token {@value #DEVELOPMENT_TOKEN}, for local use only.
 */
@Component
class SampleTokenValidator implements TokenValidator {

	static final String DEVELOPMENT_TOKEN = "dev-token";

	private static final Log logger = LogFactory.getLog(SampleTokenValidator.class);

	private final List<byte[]> accepted;

	SampleTokenValidator(SampleProperties properties) {
		List<String> tokens = properties.getTokens();
		if (tokens.isEmpty()) {
			logger.warn("sample.tokens is not set: accepting only the development token from the README. "
					+ "Do not expose this server beyond your machine.");
			tokens = List.of(DEVELOPMENT_TOKEN);
		}
		else {
			logger.info("Accepting " + tokens.size() + " configured token(s)");
		}
		this.accepted = tokens.stream().map((token) -> token.getBytes(StandardCharsets.UTF_8)).toList();
	}

	@Override
	public boolean isValid(String token) {
		byte[] candidate = token.getBytes(StandardCharsets.UTF_8);
		boolean valid = false;
		// Look at every configured token, so the time taken does not depend on which one matched.
		for (byte[] expected : this.accepted) {
			valid |= MessageDigest.isEqual(expected, candidate);
		}
		return valid;
	}

}
