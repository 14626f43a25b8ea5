package dev.cryo.boot.autoconfigure.metrics;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import dev.cryo.boot.autoconfigure.CryoAutoConfiguration;
import dev.cryo.server.CryoServer;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} for
 * the Cryo server's Micrometer metrics: a {@link CryoMeterObserver} that the server reports its
 * sessions and traffic to, and the {@code cryo.sessions.active} gauge.
 *
 * <p>Runs after Boot's metrics auto-configuration (referenced by name, so that Micrometer stays
 * optional) and only when a {@link MeterRegistry} bean exists.
 */
@AutoConfiguration(after = CryoAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration" })
@ConditionalOnClass({ MeterRegistry.class, CryoServer.class })
@ConditionalOnBean({ MeterRegistry.class, CryoServer.class })
public final class CryoMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	CryoMeterObserver cryoMeterObserver(MeterRegistry registry) {
		return new CryoMeterObserver(registry);
	}

	@Bean
	@ConditionalOnMissingBean
	CryoSessionsMeterBinder cryoSessionsMeterBinder(CryoServer server) {
		return new CryoSessionsMeterBinder(server);
	}

}
