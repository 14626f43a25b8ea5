package dev.cryo.boot.autoconfigure.metrics;

import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.cryo.boot.autoconfigure.CryoAutoConfiguration;
import dev.cryo.core.dialect.CryoDialect;
import dev.cryo.core.dialect.v1.CryoV1Dialect;
import dev.cryo.server.CryoAuthenticator;
import dev.cryo.server.CryoServer;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} for
 * the Cryo server's Micrometer metrics: a {@link CryoMeterObserver} that the server reports its
 * sessions and traffic to, the {@code cryo.sessions.active} gauge, the gauges of the
 * TokenValidator's pool and, on Tomcat, of the send completion pools. The session meters are
 * tagged with the {@code dialect} of the sessions, one series for each dialect the server speaks.
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
	CryoMeterObserver cryoMeterObserver(MeterRegistry registry, ObjectProvider<CryoDialect> dialects) {
		// The server is built with this observer, so its dialects are read from the beans it gets.
		List<String> names = new ArrayList<>();
		dialects.orderedStream().map(CryoDialect::name).forEach(names::add);
		if (!names.contains(CryoV1Dialect.INSTANCE.name())) {
			names.add(CryoV1Dialect.INSTANCE.name());
		}
		return new CryoMeterObserver(registry, names);
	}

	@Bean
	@ConditionalOnMissingBean
	CryoSessionsMeterBinder cryoSessionsMeterBinder(CryoServer server) {
		return new CryoSessionsMeterBinder(server);
	}

	@Bean
	@ConditionalOnMissingBean
	CryoAuthenticationMeterBinder cryoAuthenticationMeterBinder(ObjectProvider<CryoAuthenticator> authenticator) {
		return new CryoAuthenticationMeterBinder(authenticator.getIfUnique());
	}

	/** The gauges of Tomcat's send completion pools, when Tomcat serves the application. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "org.springframework.boot.tomcat.TomcatWebServer",
			"org.apache.coyote.http11.Http11NioProtocol" })
	@ConditionalOnBean(name = "cryoTomcatProtocolCustomizer")
	static class TomcatMetrics {

		@Bean
		@ConditionalOnMissingBean
		CryoTomcatMeterBinder cryoTomcatMeterBinder(ApplicationContext context) {
			return new CryoTomcatMeterBinder(context);
		}

	}

}
