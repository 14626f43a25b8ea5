package dev.cryo.server;

import java.security.Principal;
import java.util.Map;

import org.springframework.util.Assert;

/**
 * The outcome of a {@link CryoAuthenticator}: the session may open for a
 * {@linkplain Authenticated principal}, or the upgrade is {@linkplain Refused refused}.
 */
public sealed interface CryoAuthentication permits CryoAuthentication.Authenticated, CryoAuthentication.Refused {

	/**
	 * The attribute that holds the client's {@link java.security.cert.X509Certificate} when a
	 * certificate verified by mutual TLS authenticated the session (an upgrade without a token on
	 * a dedicated port with {@code cryo.ssl.client-auth}); the principal is then the
	 * certificate's subject.
	 */
	String CLIENT_CERTIFICATE_ATTRIBUTE = "clientCertificate";

	/**
	 * The attribute that holds the {@link java.time.Instant} at which the session's credentials
	 * expire (a JWT's {@code exp} claim). With {@code closeOnTokenExpiry} the server then closes
	 * the session with BYE {@value #TOKEN_EXPIRED_REASON}.
	 */
	String EXPIRES_AT_ATTRIBUTE = "expiresAt";

	/** The reason of the BYE that closes a session whose token expired. */
	String TOKEN_EXPIRED_REASON = "Token expired.";

	/** The message of a refusal for a bad bearer token (cryo-v1.md §2.3 step 3). */
	String INVALID_TOKEN_MESSAGE = "Invalid bearer token in authorization query.";

	/**
	 * Lets the session open for a principal without attributes.
	 * @param principal who opens the session
	 * @return the outcome
	 */
	static CryoAuthentication authenticated(Principal principal) {
		return new Authenticated(principal, Map.of());
	}

	/**
	 * Lets the session open for a principal.
	 * @param principal who opens the session
	 * @param attributes what else the authenticator knows of it (authorities, claims); copied
	 * @return the outcome
	 */
	static CryoAuthentication authenticated(Principal principal, Map<String, ?> attributes) {
		Assert.notNull(attributes, "'attributes' must not be null");
		return new Authenticated(principal, Map.<String, Object>copyOf(attributes));
	}

	/**
	 * Refuses the upgrade with 401.
	 * @param message what the body of the refusal says after "was refused."; escaped and cut
	 * to {@value Refused#MAX_MESSAGE_LENGTH} characters before it is sent
	 * @return the outcome
	 */
	static CryoAuthentication refused(String message) {
		return new Refused(message);
	}

	/**
	 * The session may open.
	 *
	 * @param principal who opens the session, as {@link CryoSession#principal()} returns it
	 * @param attributes what else the authenticator knows of the principal, as
	 * {@link CryoSession#authenticationAttributes()} returns it; immutable
	 */
	record Authenticated(Principal principal, Map<String, Object> attributes) implements CryoAuthentication {

		public Authenticated {
			Assert.notNull(principal, "'principal' must not be null");
			// The name is the address of the user's sessions (CryoServer#sessionsOf).
			Assert.notNull(principal.getName(), "'principal' must have a name");
			attributes = Map.copyOf(attributes);
		}

	}

	/**
	 * The upgrade is refused with 401.
	 *
	 * @param message what the body of the refusal says; escaped and cut before it is sent
	 */
	record Refused(String message) implements CryoAuthentication {

		/** Most characters of the message the refusal body shows. */
		public static final int MAX_MESSAGE_LENGTH = 200;

		public Refused {
			Assert.notNull(message, "'message' must not be null");
		}

	}

}
