package dev.cryo.boot.autoconfigure.health;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

import dev.cryo.boot.autoconfigure.CryoAutoConfiguration;
import dev.cryo.boot.autoconfigure.CryoProperties;
import dev.cryo.server.CryoServer;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} for
 * the {@code cryo} health indicator ({@code management.health.cryo.enabled}).
 */
@AutoConfiguration(after = CryoAutoConfiguration.class,
		beforeName = "org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration")
@ConditionalOnClass({ HealthIndicator.class, CryoServer.class })
@ConditionalOnBean(CryoServer.class)
@ConditionalOnEnabledHealthIndicator("cryo")
public final class CryoHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "cryoHealthIndicator")
	CryoHealthIndicator cryoHealthIndicator(CryoServer server, CryoProperties properties, Environment environment) {
		// A dedicated port is published as local.cryo.port once it is bound; otherwise the
		// endpoint shares the application's port.
		String portProperty = (properties.getPort() != null) ? "local.cryo.port" : "local.server.port";
		return new CryoHealthIndicator(server, properties.getPath(),
				() -> environment.getProperty(portProperty, Integer.class));
	}

}
