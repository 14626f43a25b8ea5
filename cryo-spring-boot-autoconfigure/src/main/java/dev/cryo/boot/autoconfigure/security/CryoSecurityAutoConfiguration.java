package dev.cryo.boot.autoconfigure.security;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Import;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationManagerResolver;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;

import dev.cryo.boot.autoconfigure.CryoAutoConfiguration;
import dev.cryo.boot.autoconfigure.CryoProperties;
import dev.cryo.server.CryoAuthenticator;
import dev.cryo.server.CryoServer;
import dev.cryo.server.TokenValidator;
import dev.cryo.server.support.PooledAuthenticator;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} that
 * authenticates Cryo upgrades with Spring Security's resource server: when the application has an
 * {@link AuthenticationManagerResolver AuthenticationManagerResolver&lt;HttpServletRequest&gt;}, a
 * {@link JwtDecoder}, an {@link OpaqueTokenIntrospector} or an {@link AuthenticationManager} bean
 * (asked in that order, as the resource server's filter prefers a resolver, then a decoder or an
 * introspector, to the global manager), the upgrade's bearer token is authenticated through it
 * and the resulting {@code Authentication} is the session's principal (see
 * {@link SpringSecurityTokenAuthentication}). The work runs on a {@link PooledAuthenticator} of
 * {@code cryo.authentication.max-threads}.
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
// In this order: the first whose bean is defined makes the authenticator.
@Import({ CryoSecurityAuthenticatorConfigurations.AuthenticationManagerResolverConfiguration.class,
		CryoSecurityAuthenticatorConfigurations.JwtConfiguration.class,
		CryoSecurityAuthenticatorConfigurations.OpaqueTokenConfiguration.class,
		CryoSecurityAuthenticatorConfigurations.AuthenticationManagerConfiguration.class })
public final class CryoSecurityAutoConfiguration {

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

		@ConditionalOnBean(AuthenticationManagerResolver.class)
		static class HasAuthenticationManagerResolver {

		}

	}

}
