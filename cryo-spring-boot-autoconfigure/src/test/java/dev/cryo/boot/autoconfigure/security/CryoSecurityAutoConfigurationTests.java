package dev.cryo.boot.autoconfigure.security;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.servlet.http.HttpServletRequest;

import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationManagerResolver;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.oauth2.core.DefaultOAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.core.OAuth2TokenIntrospectionClaimNames;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthentication;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import dev.cryo.boot.autoconfigure.CryoAutoConfiguration;
import dev.cryo.boot.autoconfigure.CryoProperties;
import dev.cryo.server.CryoAuthentication;
import dev.cryo.server.CryoAuthenticator;
import dev.cryo.server.CryoPrincipal;
import dev.cryo.server.HandshakeDetails;
import dev.cryo.server.TokenValidator;
import dev.cryo.server.support.PooledAuthenticator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When Spring Security's resource server authenticates Cryo upgrades: an
 * {@link AuthenticationManagerResolver}, {@link JwtDecoder}, {@link OpaqueTokenIntrospector} or
 * {@link AuthenticationManager} bean makes the authenticator, the application's own
 * {@link CryoAuthenticator} still wins, and without either the {@link TokenValidator} does.
 */
class CryoSecurityAutoConfigurationTests {

	private static final Instant EXPIRES_AT = Instant.parse("2100-01-01T00:00:00Z");

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CryoSecurityAutoConfiguration.class, CryoAutoConfiguration.class));

	@Test
	void aJwtDecoderAuthenticatesUpgradesAndTheJwtAuthenticationIsThePrincipal() {
		this.contextRunner.withBean(JwtDecoder.class, () -> CryoSecurityAutoConfigurationTests::decode)
			.withBean(TokenValidator.class, () -> "secret"::equals)
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(CryoAuthenticator.class);
				CryoAuthenticator authenticator = context.getBean(CryoAuthenticator.class);
				assertThat(authenticator).isInstanceOf(PooledAuthenticator.class);
				CryoAuthentication.Authenticated authenticated = (CryoAuthentication.Authenticated) authenticate(
						authenticator, "alice-jwt");
				assertThat(authenticated.principal()).isInstanceOfSatisfying(JwtAuthenticationToken.class,
						(jwt) -> assertThat(jwt.getName()).isEqualTo("alice"));
				assertThat(authenticated.attributes())
					.extractingByKey(SpringSecurityTokenAuthentication.AUTHORITIES_ATTRIBUTE)
					.asInstanceOf(InstanceOfAssertFactories.LIST)
					.contains("SCOPE_chat");
				assertThat(authenticated.attributes())
					.containsEntry(CryoAuthentication.EXPIRES_AT_ATTRIBUTE, EXPIRES_AT)
					.extractingByKey(SpringSecurityTokenAuthentication.CLAIMS_ATTRIBUTE)
					.asInstanceOf(InstanceOfAssertFactories.MAP)
					.containsEntry("sub", "alice");
				// The decoder decides, not the TokenValidator.
				assertThat(authenticate(authenticator, "secret")).isEqualTo(CryoAuthentication.refused("Bad JWT."));
			});
	}

	@Test
	void anOpaqueTokenIntrospectorAuthenticatesUpgrades() {
		OpaqueTokenIntrospector introspector = (token) -> {
			if (!token.equals("opaque")) {
				throw new BadOpaqueTokenException("Token inactive.");
			}
			return new DefaultOAuth2AuthenticatedPrincipal("bob",
					Map.of(OAuth2TokenIntrospectionClaimNames.SUB, "bob", OAuth2TokenIntrospectionClaimNames.EXP,
							EXPIRES_AT),
					List.of());
		};
		this.contextRunner.withBean(OpaqueTokenIntrospector.class, () -> introspector).run((context) -> {
			CryoAuthenticator authenticator = context.getBean(CryoAuthenticator.class);
			CryoAuthentication.Authenticated authenticated = (CryoAuthentication.Authenticated) authenticate(
					authenticator, "opaque");
			assertThat(authenticated.principal()).isInstanceOf(BearerTokenAuthentication.class);
			assertThat(authenticated.principal().getName()).isEqualTo("bob");
			assertThat(authenticated.attributes()).containsEntry(CryoAuthentication.EXPIRES_AT_ATTRIBUTE, EXPIRES_AT);
			assertThat(authenticate(authenticator, "other")).isEqualTo(CryoAuthentication.refused("Token inactive."));
		});
	}

	@Test
	void anAuthenticationManagerAuthenticatesUpgradesUnlessATokenValidatorIsDefined() {
		AuthenticationManager manager = new ProviderManager(
				new JwtAuthenticationProvider(CryoSecurityAutoConfigurationTests::decode));
		this.contextRunner.withBean(AuthenticationManager.class, () -> manager).run((context) -> {
			CryoAuthentication authentication = authenticate(context.getBean(CryoAuthenticator.class), "alice-jwt");
			assertThat(authentication).isInstanceOfSatisfying(CryoAuthentication.Authenticated.class,
					(authenticated) -> assertThat(authenticated.principal().getName()).isEqualTo("alice"));
		});
		this.contextRunner.withBean(AuthenticationManager.class, () -> manager)
			.withBean(TokenValidator.class, () -> "secret"::equals)
			.run((context) -> assertThat(authenticate(context.getBean(CryoAuthenticator.class), "secret"))
				.isEqualTo(CryoAuthentication.authenticated(CryoPrincipal.ANONYMOUS)));
	}

	@Test
	void anAuthenticationManagerResolverPicksTheManagerFromTheUpgradeRequest() {
		AuthenticationManager manager = new ProviderManager(
				new JwtAuthenticationProvider(CryoSecurityAutoConfigurationTests::decode));
		List<String> resolvedPaths = new CopyOnWriteArrayList<>();
		AuthenticationManagerResolver<HttpServletRequest> resolver = (request) -> {
			resolvedPaths.add(request.getRequestURI());
			return manager;
		};
		this.contextRunner.withBean(AuthenticationManagerResolver.class, () -> resolver)
			.withBean(JwtDecoder.class, () -> (token) -> {
				throw new BadJwtException("Not this decoder.");
			})
			.run((context) -> {
				CryoAuthenticator authenticator = context.getBean(CryoAuthenticator.class);
				// Spring MVC holds the upgrade request on its thread while the handshake interceptor runs.
				RequestContextHolder.setRequestAttributes(
						new ServletRequestAttributes(new MockHttpServletRequest("GET", "/cryo")));
				try {
					assertThat(authenticate(authenticator, "alice-jwt"))
						.isInstanceOfSatisfying(CryoAuthentication.Authenticated.class,
								(authenticated) -> assertThat(authenticated.principal().getName())
									.isEqualTo("alice"));
				}
				finally {
					RequestContextHolder.resetRequestAttributes();
				}
				assertThat(resolvedPaths).containsExactly("/cryo");
				// Outside a request there is nothing to resolve with.
				assertThat(authenticate(authenticator, "alice-jwt")).isInstanceOf(CryoAuthentication.Refused.class);
			});
	}

	@Test
	void anApplicationAuthenticatorWinsOverSpringSecurity() {
		CryoAuthenticator own = (handshake) -> CompletableFuture
			.completedFuture(CryoAuthentication.authenticated(new CryoPrincipal("own")));
		this.contextRunner.withBean(JwtDecoder.class, () -> CryoSecurityAutoConfigurationTests::decode)
			.withBean(CryoAuthenticator.class, () -> own)
			.run((context) -> assertThat(context).hasNotFailed().getBean(CryoAuthenticator.class).isSameAs(own));
	}

	@Test
	void withoutSpringSecurityBeansTheTokenValidatorAuthenticates() {
		this.contextRunner.withBean(TokenValidator.class, () -> "secret"::equals).run((context) -> {
			assertThat(context).doesNotHaveBean(SpringSecurityTokenAuthentication.class);
			assertThat(authenticate(context.getBean(CryoAuthenticator.class), "secret"))
				.isEqualTo(CryoAuthentication.authenticated(CryoPrincipal.ANONYMOUS));
		});
	}

	@Test
	void withoutTheResourceServerOnTheClassPathTheTokenValidatorAuthenticates() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(BearerTokenAuthenticationToken.class))
			.withBean(JwtDecoder.class, () -> CryoSecurityAutoConfigurationTests::decode)
			.withBean(TokenValidator.class, () -> "secret"::equals)
			.run((context) -> assertThat(authenticate(context.getBean(CryoAuthenticator.class), "secret"))
				.isEqualTo(CryoAuthentication.authenticated(CryoPrincipal.ANONYMOUS)));
	}

	@Test
	void closeOnExpiryIsOffByDefault() {
		this.contextRunner.run((context) -> assertThat(
				context.getBean(CryoProperties.class).getAuthentication().isCloseOnExpiry())
			.isFalse());
		this.contextRunner.withPropertyValues("cryo.authentication.close-on-expiry=true")
			.run((context) -> assertThat(
					context.getBean(CryoProperties.class).getAuthentication().isCloseOnExpiry())
				.isTrue());
	}

	private static Jwt decode(String token) {
		if (!token.equals("alice-jwt")) {
			throw new BadJwtException("Bad JWT.");
		}
		return Jwt.withTokenValue(token)
			.header("alg", "RS256")
			.subject("alice")
			.claim("scope", "chat")
			.issuedAt(EXPIRES_AT.minusSeconds(60))
			.expiresAt(EXPIRES_AT)
			.build();
	}

	private static CryoAuthentication authenticate(CryoAuthenticator authenticator, String token) throws Exception {
		return authenticator
			.authenticate(new HandshakeDetails(token, Map.of(), new HttpHeaders(), null, "cryo-v1", "/cryo"))
			.toCompletableFuture()
			.get();
	}

}
