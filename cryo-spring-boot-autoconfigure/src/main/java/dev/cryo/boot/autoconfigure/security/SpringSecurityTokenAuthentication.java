package dev.cryo.boot.autoconfigure.security;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.oauth2.server.resource.authentication.AbstractOAuth2TokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.util.Assert;

import dev.cryo.server.CryoAuthentication;
import dev.cryo.server.HandshakeDetails;
import dev.cryo.server.support.PooledAuthenticator;

/**
 * Authenticates an upgrade's bearer token with a Spring Security {@link AuthenticationManager},
 * as the resource server's filter would: the resulting {@link Authentication} is the session's
 * principal, its authorities are the {@value #AUTHORITIES_ATTRIBUTE} attribute and, for an OAuth
 * 2.0 token (a JWT, an introspected token), its claims are the {@value #CLAIMS_ATTRIBUTE}
 * attribute and its expiry the {@value CryoAuthentication#EXPIRES_AT_ATTRIBUTE} attribute. A
 * token the manager rejects is refused with the {@link AuthenticationException}'s message.
 *
 * <p>The manager blocks (a JWK set fetch, an introspection call), so it runs in a
 * {@link PooledAuthenticator}.
 */
public final class SpringSecurityTokenAuthentication implements PooledAuthenticator.BlockingAuthentication {

	/** The attribute that holds the authorities' names, a {@code List<String>}. */
	public static final String AUTHORITIES_ATTRIBUTE = "authorities";

	/** The attribute that holds the token's claims, a {@code Map<String, Object>}. */
	public static final String CLAIMS_ATTRIBUTE = "claims";

	private final AuthenticationManager authenticationManager;

	/**
	 * Creates the authentication.
	 * @param authenticationManager authenticates a {@link BearerTokenAuthenticationToken}
	 */
	public SpringSecurityTokenAuthentication(AuthenticationManager authenticationManager) {
		Assert.notNull(authenticationManager, "'authenticationManager' must not be null");
		this.authenticationManager = authenticationManager;
	}

	@Override
	public CryoAuthentication authenticate(String token, HandshakeDetails handshake) {
		Authentication authentication;
		try {
			authentication = this.authenticationManager.authenticate(new BearerTokenAuthenticationToken(token));
		}
		catch (AuthenticationException ex) {
			// Spring Security's messages say what was wrong (expired, bad signature, audience)
			// without repeating the token; the gate escapes and cuts them.
			String message = ex.getMessage();
			return CryoAuthentication
				.refused((message != null && !message.isEmpty()) ? message : CryoAuthentication.INVALID_TOKEN_MESSAGE);
		}
		if (authentication == null || !authentication.isAuthenticated()) {
			return CryoAuthentication.refused(CryoAuthentication.INVALID_TOKEN_MESSAGE);
		}
		return CryoAuthentication.authenticated(authentication, attributesOf(authentication));
	}

	private static Map<String, Object> attributesOf(Authentication authentication) {
		Map<String, Object> attributes = new LinkedHashMap<>();
		attributes.put(AUTHORITIES_ATTRIBUTE,
				List.copyOf(AuthorityUtils.authorityListToSet(authentication.getAuthorities())));
		if (authentication instanceof AbstractOAuth2TokenAuthenticationToken<?> oauth2) {
			attributes.put(CLAIMS_ATTRIBUTE, Collections.unmodifiableMap(new LinkedHashMap<>(oauth2.getTokenAttributes())));
			Instant expiresAt = oauth2.getToken().getExpiresAt();
			if (expiresAt != null) {
				attributes.put(CryoAuthentication.EXPIRES_AT_ATTRIBUTE, expiresAt);
			}
		}
		return attributes;
	}

}
