package dev.cryo.boot.autoconfigure.security;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.authentication.OpaqueTokenAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;

import dev.cryo.boot.autoconfigure.CryoAutoConfiguration;
import dev.cryo.boot.autoconfigure.CryoProperties;
import dev.cryo.server.CryoAuthenticator;
import dev.cryo.server.CryoServer;
import dev.cryo.server.TokenValidator;
import dev.cryo.server.support.PooledAuthenticator;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} that
 * authenticates Cryo upgrades with Spring Security's resource server: when the application has a
 * {@link JwtDecoder}, an {@link OpaqueTokenIntrospector} or an {@link AuthenticationManager} bean
 * (asked in that order, as the resource server's filter prefers a decoder or an introspector to
 * the global manager), the upgrade's bearer token is authenticated through it and the resulting
 * {@code Authentication} is the session's principal (see {@link SpringSecurityTokenAuthentication}).
 * The work runs on a {@link PooledAuthenticator} of {@code cryo.authentication.max-threads}.
 * The application's own {@link CryoAuthenticator} bean still wins, and so does its
 * {@link TokenValidator} over a bare {@code AuthenticationManager}.
 */
@AutoConfiguration(before = CryoAutoConfiguration.class,
		afterName = { "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
				"org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
				"org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerAutoConfiguration",
				"org.springframework.boot.security.oauth2.server.resource.autoconfigure.web.OAuth2ResourceServerWebSecurityAutoConfiguration" })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ BearerTokenAuthenticationToken.class, CryoServer.class })
@ConditionalOnBooleanProperty(name = "cryo.enabled", matchIfMissing = true)
@Conditional(CryoSecurityAutoConfiguration.OnBearerTokenAuthenticationCondition.class)
@ConditionalOnMissingBean(CryoAuthenticator.class)
@EnableConfigurationProperties(CryoProperties.class)
@Import({ CryoSecurityAutoConfiguration.JwtConfiguration.class,
		CryoSecurityAutoConfiguration.OpaqueTokenConfiguration.class,
		CryoSecurityAutoConfiguration.AuthenticationManagerConfiguration.class })
public final class CryoSecurityAutoConfiguration {

	private static PooledAuthenticator pooled(AuthenticationManager manager, CryoProperties properties) {
		CryoProperties.Authentication authentication = properties.getAuthentication();
		return new PooledAuthenticator(new SpringSecurityTokenAuthentication(manager),
				authentication.getMaxThreads(), authentication.getQueueCapacity());
	}

	/** A JWT is decoded and validated as the resource server's {@code jwt()} support does. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(JwtDecoder.class)
	@ConditionalOnBean(type = "org.springframework.security.oauth2.jwt.JwtDecoder")
	static class JwtConfiguration {

		@Bean
		@ConditionalOnMissingBean(CryoAuthenticator.class)
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
	static class OpaqueTokenConfiguration {

		@Bean
		@ConditionalOnMissingBean(CryoAuthenticator.class)
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
	@ConditionalOnMissingBean(TokenValidator.class)
	static class AuthenticationManagerConfiguration {

		@Bean
		@ConditionalOnMissingBean(CryoAuthenticator.class)
		PooledAuthenticator cryoAuthenticator(AuthenticationManager authenticationManager,
				CryoProperties properties) {
			return pooled(authenticationManager, properties);
		}

	}

	static final class OnBearerTokenAuthenticationCondition extends AnyNestedCondition {

		OnBearerTokenAuthenticationCondition() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		// By name: the JOSE module is optional in Spring Security's resource server.
		@ConditionalOnBean(type = "org.springframework.security.oauth2.jwt.JwtDecoder")
		static class HasJwtDecoder {

		}

		@ConditionalOnBean(OpaqueTokenIntrospector.class)
		static class HasOpaqueTokenIntrospector {

		}

		@ConditionalOnBean(AuthenticationManager.class)
		static class HasAuthenticationManager {

		}

	}

}
