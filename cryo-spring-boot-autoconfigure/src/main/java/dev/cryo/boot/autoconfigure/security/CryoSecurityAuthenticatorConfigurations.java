package dev.cryo.boot.autoconfigure.security;

import java.util.function.Function;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationManagerResolver;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.authentication.OpaqueTokenAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import dev.cryo.boot.autoconfigure.CryoProperties;
import dev.cryo.server.CryoAuthentication;
import dev.cryo.server.CryoAuthenticator;
import dev.cryo.server.HandshakeDetails;
import dev.cryo.server.TokenValidator;
import dev.cryo.server.support.PooledAuthenticator;

/**
 * The configurations that make the {@link CryoAuthenticator} of Spring Security, one per kind of
 * bean the application may have. Member classes of a holder rather than of the
 * auto-configuration, so that the auto-configuration's {@code @Import} order is the order in
 * which they are tried (Boot's {@code DataSourceConfiguration} does the same).
 */
abstract class CryoSecurityAuthenticatorConfigurations {

	private static PooledAuthenticator pooled(AuthenticationManager manager, CryoProperties properties) {
		SpringSecurityTokenAuthentication authentication = new SpringSecurityTokenAuthentication(manager);
		return pooledChoosing((handshake) -> authentication, properties);
	}

	/** The pool of cryo.authentication.*, running what the chooser picks for each upgrade. */
	private static PooledAuthenticator pooledChoosing(
			Function<HandshakeDetails, PooledAuthenticator.BlockingAuthentication> authentication,
			CryoProperties properties) {
		CryoProperties.Authentication settings = properties.getAuthentication();
		return new PooledAuthenticator(authentication, settings.getMaxThreads(), settings.getQueueCapacity());
	}

	/**
	 * The application's resolver (multi-tenancy, e.g. {@code JwtIssuerAuthenticationManagerResolver})
	 * picks the manager from the upgrade request on the request's own thread, where Spring MVC
	 * holds it in {@link RequestContextHolder}; the manager then runs on the pool.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(AuthenticationManagerResolver.class)
	@ConditionalOnMissingBean(CryoAuthenticator.class)
	static class AuthenticationManagerResolverConfiguration {

		@Bean
		PooledAuthenticator cryoAuthenticator(AuthenticationManagerResolver<HttpServletRequest> resolver,
				CryoProperties properties) {
			// Without a request bound to the thread (not through Spring MVC) there is nothing to resolve with.
			PooledAuthenticator.BlockingAuthentication noRequest = (token, handshake) -> CryoAuthentication
				.refused(CryoAuthentication.INVALID_TOKEN_MESSAGE);
			return pooledChoosing((handshake) -> {
				HttpServletRequest request = currentRequest();
				return (request != null)
						? new SpringSecurityTokenAuthentication(resolver.resolve(request)) : noRequest;
			}, properties);
		}

		private static @Nullable HttpServletRequest currentRequest() {
			return (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes)
					? attributes.getRequest() : null;
		}

	}

	/** A JWT is decoded and validated as the resource server's {@code jwt()} support does. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(JwtDecoder.class)
	@ConditionalOnBean(type = "org.springframework.security.oauth2.jwt.JwtDecoder")
	@ConditionalOnMissingBean(CryoAuthenticator.class)
	static class JwtConfiguration {

		@Bean
		PooledAuthenticator cryoAuthenticator(JwtDecoder jwtDecoder,
				ObjectProvider<JwtAuthenticationConverter> converter, CryoProperties properties) {
			JwtAuthenticationProvider provider = new JwtAuthenticationProvider(jwtDecoder);
			// Boot defines the converter when authorities or the principal claim are configured.
			converter.ifAvailable(provider::setJwtAuthenticationConverter);
			return pooled(new ProviderManager(provider), properties);
		}

	}

	/** An opaque token is introspected at the authorization server. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(OpaqueTokenIntrospector.class)
	@ConditionalOnMissingBean(CryoAuthenticator.class)
	static class OpaqueTokenConfiguration {

		@Bean
		PooledAuthenticator cryoAuthenticator(OpaqueTokenIntrospector introspector, CryoProperties properties) {
			return pooled(new ProviderManager(new OpaqueTokenAuthenticationProvider(introspector)), properties);
		}

	}

	/**
	 * The application's own manager, which must support {@link BearerTokenAuthenticationToken}.
	 * A {@link TokenValidator} wins over it: a manager is as likely to check passwords as bearer
	 * tokens, and an application that also defines a validator meant that for Cryo.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(AuthenticationManager.class)
	@ConditionalOnMissingBean({ CryoAuthenticator.class, TokenValidator.class })
	static class AuthenticationManagerConfiguration {

		@Bean
		PooledAuthenticator cryoAuthenticator(AuthenticationManager authenticationManager,
				CryoProperties properties) {
			return pooled(authenticationManager, properties);
		}

	}

}
