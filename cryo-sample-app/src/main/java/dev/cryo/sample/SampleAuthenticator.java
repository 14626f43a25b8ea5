package dev.cryo.sample;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.stereotype.Component;

import dev.cryo.server.CryoAuthentication;
import dev.cryo.server.CryoAuthenticator;
import dev.cryo.server.CryoPrincipal;
import dev.cryo.server.HandshakeDetails;

/**
 * Lets in the bearer tokens of {@code sample.tokens} and names the session after the token: each
 * entry is {@code name:secret} (the session's principal is {@code name}) or a bare secret (the
 * principal is {@code anonymous}, as for any token validator). Secrets are compared in constant
 * time, so that response timing does not reveal how much of a guess was right. Without
 * configured tokens it accepts the development token {@value #DEVELOPMENT_TOKEN} as the user
 * {@value #DEVELOPMENT_USER}, for local use only.
 */
@Component
class SampleAuthenticator implements CryoAuthenticator {

	static final String DEVELOPMENT_TOKEN = "dev-token";

	static final String DEVELOPMENT_USER = "developer";

	private static final Log logger = LogFactory.getLog(SampleAuthenticator.class);

	private final List<Entry> accepted;

	SampleAuthenticator(SampleProperties properties) {
		List<String> tokens = properties.getTokens();
		if (tokens.isEmpty()) {
			logger.warn("sample.tokens is not set: accepting only the development token from the README. "
					+ "Do not expose this server beyond your machine.");
			this.accepted = List.of(new Entry(DEVELOPMENT_USER, DEVELOPMENT_TOKEN));
		}
		else {
			this.accepted = tokens.stream().map(Entry::parse).toList();
			logger.info("Accepting " + this.accepted.size() + " configured token(s) for "
					+ this.accepted.stream().map(Entry::name).distinct().toList());
		}
	}

	@Override
	public CompletionStage<CryoAuthentication> authenticate(HandshakeDetails handshake) {
		String token = handshake.token();
		byte[] candidate = (token != null) ? token.getBytes(StandardCharsets.UTF_8) : new byte[0];
		String name = null;
		// Look at every entry, so the time taken does not depend on which one matched.
		for (Entry entry : this.accepted) {
			if (MessageDigest.isEqual(entry.secret(), candidate) && name == null) {
				name = entry.name();
			}
		}
		return CompletableFuture.completedFuture((name != null)
				? CryoAuthentication.authenticated(new CryoPrincipal(name))
				: CryoAuthentication.refused(CryoAuthentication.INVALID_TOKEN_MESSAGE));
	}

	/**
	 * Checks a user name and password against the accepted tokens, for the {@code auth:login}
	 * endpoint: the password is the secret of an entry with that name. Every entry is compared in
	 * constant time, as for the tokens.
	 * @param user the user name
	 * @param password the password
	 * @return whether an accepted token has that name and secret
	 */
	boolean checkPassword(String user, String password) {
		byte[] candidate = password.getBytes(StandardCharsets.UTF_8);
		boolean matched = false;
		for (Entry entry : this.accepted) {
			matched |= MessageDigest.isEqual(entry.secret(), candidate) & entry.name().equals(user);
		}
		return matched;
	}

	/** One accepted token: the principal's name and the secret's bytes. */
	private record Entry(String name, byte[] secret) {

		Entry(String name, String secret) {
			this(name, secret.getBytes(StandardCharsets.UTF_8));
		}

		/** {@code name:secret}, or a bare secret for {@code anonymous}. */
		static Entry parse(String token) {
			int colon = token.indexOf(':');
			if (colon <= 0) {
				return new Entry(CryoPrincipal.ANONYMOUS.getName(), token);
			}
			return new Entry(token.substring(0, colon), token.substring(colon + 1));
		}

	}

}
